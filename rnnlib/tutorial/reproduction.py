"""The online tutorial "RNN from scratch in Python", reproduced bug for bug. FOR STUDY ONLY.

Never use this module for real work: it is deliberately wrong in exactly the ways the
published code is wrong, so that notebook 06 can run the tutorial, show each bug with a
measured number and fix it. The correct model is the rest of rnnlib.

What is reproduced (in our own code; rnnlib.tutorial.literal is a slow, literal,
step-by-step transcription that the tests compare with this fast one):

* data: ``sin`` of the integers 0..199 cut into windows of 50; the first 100 windows train,
  the last 50 validate (their inputs re-use training values);
* model: ``h_t = sigmoid(W h_{t-1} + U[:, t] x_t)``, ``y_hat = V h_T``, no biases. ``U`` has
  one column *per time position*, shape (H, T), because the input at step t is the window
  with every value but ``x_t`` zeroed ("one-hot in time");
* initialisation: ``uniform(0, 1)`` for U (H, T), W (H, H) and V (1, H) (the sigmoid saturates);
* loss: ``sum over records of (y - y_hat)**2 / 2``, "divided by" ``y.shape[0]``, which is 1;
  both losses are measured with the weights as they are *before* each epoch's training;
* backward pass, per record, exactly as written. With ``e = y_hat - y`` of the last step:
  ``dV`` adds ``e h_t`` at *every* step t; ``dU`` and ``dW`` do not depend on the error at
  all: the inner truncated loop runs ``n_t = min(t, bptt_truncate)`` times and adds the
  forward quantities ``U[:, t] x_t`` and ``W h_{t-1}``, each broadcast over every column, to
  accumulators that are never reset within a record; the sigmoid derivative is taken of the
  last step's pre-activation and its result is never used;
* clipping: dU, dW, dV are clipped elementwise to [-clip, clip] after every time step's
  accumulation (the clipping code sits inside the time loop); one SGD update per record;
* predictions: the whole window enters at every step (``U @ x``), unlike in training.

How it is made fast (_record_gradients, one record at a time, as the article goes): dU and dW
are each one column repeated, so one (H,) vector stands for each; the inner loop's repeated
additions are one multiplication and the never-reset accumulators are running sums over t
(np.cumsum); dV's increments all share the sign of e, so clipping its running sum at every step
equals clipping the final sum once. What stays sequential is the forward recurrence, the
clipping of the running sums of dU and dW at every step (two numpy calls per step), and the
records (each one updates the weights). Independent runs (seeds) are trained side by side, as
one stack of arrays with a leading run axis.

The results equal the literal version's up to rounding. Once the training leaves the sigmoid's
saturation (in the fifth epoch), the tutorial's dynamics amplify any rounding difference to the
second or third digit within one epoch (notebook 06, section 6.1.1, measures it): the literal and
the fast version, like any two machines, agree to many digits only over the first five epochs,
and the later digits are rounding's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rnnlib._checks import as_float_array, generator, positive_float, positive_int
from rnnlib._threads import one_blas_thread
from rnnlib.activations import sigmoid_of_negated
from rnnlib.model import init_params

# The article's hyper-parameters.
LEARNING_RATE = 1e-4
N_EPOCHS = 25
HIDDEN_DIM = 100
SEQ_LEN = 50
BPTT_TRUNCATE = 5
CLIP_VALUE = 10.0

@dataclass(frozen=True)
class TutorialData:
    """The tutorial's data set.

    X: (N, T, 1) training windows; Y: (N, 1) the value after each window;
    X_val: (M, T, 1) and Y_val: (M, 1) the validation windows and their next values.
    """

    X: np.ndarray
    Y: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray


@dataclass(frozen=True)
class TutorialWeights:
    """The tutorial's parameters, also used for its gradients dU, dW, dV.

    U: (H, T), one input weight per hidden unit *and time position*; W: (H, H); V: (1, H).
    """

    U: np.ndarray
    W: np.ndarray
    V: np.ndarray


@dataclass(frozen=True)
class TutorialRun:
    """Result of :func:`train_tutorial`.

    train_loss, val_loss: (n_epochs,), the losses the article prints at each epoch (measured
    before that epoch's training); weights: the weights after the last epoch.
    """

    train_loss: np.ndarray
    val_loss: np.ndarray
    weights: TutorialWeights


# --------------------------------------------------------------------------- data and init


def tutorial_data(n_points: int = 200, seq_len: int = SEQ_LEN, n_val: int = 50) -> TutorialData:
    """The article's data block (missing from its text), reconstructed.

    ``sin(0), sin(1), ..., sin(n_points - 1)`` is cut into the ``n_points - seq_len`` windows
    that have a next value; the first ``n_points - seq_len - n_val`` windows train and the last
    ``n_val`` validate. Defaults: X (100, 50, 1), Y (100, 1), X_val (50, 50, 1), Y_val (50, 1).

    Parameters
    ----------
    n_points : int
        L >= 1, the length of the series sin(0) .. sin(L - 1).
    seq_len : int
        T >= 1, the window length.
    n_val : int
        M >= 1, the number of validation windows.

    Returns
    -------
    TutorialData
        X (L - T - M, T, 1), Y (L - T - M, 1), X_val (M, T, 1), Y_val (M, 1).

    Raises
    ------
    TypeError
        For sizes that are not integers.
    ValueError
        For sizes < 1 or n_points - seq_len - n_val < 1 (no training window).
    """
    L = positive_int(n_points, "n_points")
    T = positive_int(seq_len, "seq_len")
    M = positive_int(n_val, "n_val")
    n_train = L - T - M
    if n_train < 1:
        raise ValueError(
            f"n_points - seq_len - n_val must be >= 1 to leave a training window, got "
            f"{L} - {T} - {M} = {n_train}"
        )
    wave = np.sin(np.arange(L, dtype=np.float64))
    starts = np.arange(L - T)
    windows = wave[starts[:, None] + np.arange(T)[None, :]]
    targets = wave[starts + T]
    return TutorialData(
        X=windows[:n_train, :, None],
        Y=targets[:n_train, None],
        X_val=windows[n_train:, :, None],
        Y_val=targets[n_train:, None],
    )


def tutorial_init(
    rng: np.random.Generator, hidden_dim: int = HIDDEN_DIM, seq_len: int = SEQ_LEN
) -> TutorialWeights:
    """The article's initialisation: every weight drawn from uniform(0, 1).

    Draws U (hidden_dim, seq_len), W (hidden_dim, hidden_dim), V (1, hidden_dim) in that order
    from ``rng``, a numpy.random.Generator: the same numbers as
    ``rnnlib.init_params(seq_len, hidden_dim, 1, rng, scheme="tutorial")``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws U, W, V in that order.
    hidden_dim : int
        H >= 1.
    seq_len : int
        T >= 1, the window length (U has one column per time position).

    Returns
    -------
    TutorialWeights
        U (H, T), W (H, H), V (1, H).

    Raises
    ------
    TypeError
        For an rng that is not a Generator or sizes that are not integers.
    ValueError
        For sizes < 1.
    """
    rng = generator(rng)
    H = positive_int(hidden_dim, "hidden_dim")
    T = positive_int(seq_len, "seq_len")
    p = init_params(T, H, 1, rng, scheme="tutorial")
    return TutorialWeights(p.U, p.W, p.V)


# --------------------------------------------------------------------------- forward passes


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # The article's formula. exp(-z) overflows to inf for z < -709, where 1 / inf = 0 is the
    # right limit: callers run it under np.errstate(over="ignore").
    return 1.0 / (1.0 + np.exp(-z))


def _one_hot_states(U: np.ndarray, neg_W: np.ndarray, X2: np.ndarray) -> np.ndarray:
    """Training-time (one-hot in time) last hidden states h_T of R runs for windows X2 (N, T):
    (R, N, H). U: (R, H, T), neg_W: (R, H, H) holding -W.
    """
    R, H, T = U.shape
    neg_X = -X2.T[:, None, :, None]  # (T, 1, N, 1)
    U_t = U.transpose(2, 0, 1)[:, :, None, :]  # (T, R, 1, H): column t of each U
    neg_WT = neg_W.transpose(0, 2, 1)  # (R, H, H)
    h = np.zeros((R, X2.shape[0], H))
    a = np.empty_like(h)
    drive = np.empty_like(h)
    # sigmoid(W h + U[:, t] x_t) = 1 / (1 + exp((-W) h + (-x_t) U[:, t])); exp overflows to
    # inf where the sigmoid is 0, 1 / inf = 0 is the right limit (errstate is per thread)
    with np.errstate(over="ignore"):
        for t in range(T):
            np.matmul(h, neg_WT, out=a)
            np.multiply(neg_X[t], U_t[t], out=drive)
            a += drive
            h, a = sigmoid_of_negated(a), h  # the new states; the old array is the next a
    return h


def _one_hot_outputs(U: np.ndarray, neg_W: np.ndarray, V: np.ndarray, X2: np.ndarray) -> np.ndarray:
    """Training-time (one-hot in time) outputs of R runs for windows X2 (N, T): (R, N).

    U: (R, H, T), neg_W: (R, H, H) holding -W, V: (R, H).
    """
    return (_one_hot_states(U, neg_W, X2) @ V[:, :, None])[:, :, 0]


def tutorial_loss(weights: TutorialWeights, X: np.ndarray, Y: np.ndarray) -> float:
    """The loss the article prints: ``sum_n (Y[n] - y_hat[n])**2 / 2``, divided by 1.

    X: (N, T, 1) windows, Y: (N, 1) targets; y_hat from the training-time (one-hot in time)
    forward pass. With X = x[None], Y = y[None] this is the loss of one record, whose gradient
    the tutorial's backward pass claims to compute.

    Parameters
    ----------
    weights : TutorialWeights
        U (H, T), W (H, H), V (1, H).
    X : array (N, T, 1)
        Windows.
    Y : array (N, 1)
        The value after each window.

    Returns
    -------
    float
        The loss.

    Raises
    ------
    TypeError
        For weights that are not a TutorialWeights or arrays that are not real numbers.
    ValueError
        For shapes that do not match (X's T must be U's), or NaN or infinite values.
    """
    U, W, V = _check_weights(weights)
    X2, Y1 = _check_xy(X, Y, U.shape[1], "X", "Y")
    with one_blas_thread():
        return float(_sum_of_squares(U[None], W[None], V, X2, Y1)[0])


def tutorial_predict(
    weights: TutorialWeights,
    X: np.ndarray,
    *,
    inputs: Literal["window", "one_hot"] = "window",
) -> np.ndarray:
    """The tutorial's predictions (N, 1) for windows X (N, T, 1).

    ``inputs="window"`` is the article's prediction code: the whole window enters at every
    step, ``h_t = sigmoid(W h_{t-1} + U @ x)``, which is not the model it trained.
    ``inputs="one_hot"`` feeds the one-hot-in-time inputs of training instead (the first fix).

    Parameters
    ----------
    weights : TutorialWeights
        U (H, T), W (H, H), V (1, H).
    X : array (N, T, 1)
        Windows.
    inputs : str
        "window" (the article's prediction code) or "one_hot" (the inputs of training).

    Returns
    -------
    array (N, 1)
        V h_T for each window.

    Raises
    ------
    TypeError
        For weights that are not a TutorialWeights or arrays that are not real numbers.
    ValueError
        For shapes that do not match (X's T must be U's), NaN or infinite values, or an
        unknown ``inputs``.
    """
    U, W, V = _check_weights(weights)
    X2 = _check_x(X, U.shape[1], "X")
    if inputs not in ("window", "one_hot"):
        raise ValueError(f"inputs must be 'window' or 'one_hot', got {inputs!r}")
    with one_blas_thread():
        if inputs == "one_hot":
            return _one_hot_outputs(U[None], -W[None], V, X2)[0][:, None]
        drive = X2 @ U.T  # (N, H): U @ x, the same at every step
        h = np.zeros_like(drive)
        with np.errstate(over="ignore"):  # see _sigmoid
            for _ in range(U.shape[1]):
                h = _sigmoid(h @ W.T + drive)
        return (h @ V[0])[:, None]


def tutorial_states(weights: TutorialWeights, X: np.ndarray) -> np.ndarray:
    """The last hidden states h_T (N, H) of the training-time (one-hot in time) forward pass
    for windows X (N, T, 1): the states that the outputs V h_T of training are read from.

    Parameters
    ----------
    weights : TutorialWeights
        U (H, T), W (H, H), V (1, H).
    X : array (N, T, 1)
        Windows.

    Returns
    -------
    array (N, H)
        h_T for each window.

    Raises
    ------
    TypeError
        For weights that are not a TutorialWeights or arrays that are not real numbers.
    ValueError
        For shapes that do not match (X's T must be U's), or NaN or infinite values.
    """
    U, W, _ = _check_weights(weights)
    X2 = _check_x(X, U.shape[1], "X")
    with one_blas_thread():
        return _one_hot_states(U[None], -W[None], X2)[0]


def one_hot_inputs(X: np.ndarray) -> np.ndarray:
    """The tutorial's training inputs as an ordinary input sequence: X (N, T, 1) -> (N, T, T).

    Step t of record n is the vector that is zero except for entry t, which holds X[n, t, 0]
    (the article's ``new_input``). Fed to rnnlib's model with input size D = T, its shared
    U (H, T) acts exactly like the tutorial's per-position U: U @ new_input = U[:, t] x_t.

    Parameters
    ----------
    X : array (N, T, 1)
        Windows.

    Returns
    -------
    array (N, T, T)
        out[n, t] the one-hot-in-time input of step t of record n.

    Raises
    ------
    TypeError
        For an X that is not an array of real numbers.
    ValueError
        For an X of another shape than (N, T, 1), empty, or with NaN or infinite values.
    """
    X2 = as_float_array(X, "X", 3, "(N, T, 1)")
    if X2.shape[2] != 1:
        raise ValueError(
            f"X must have shape (N, T, 1): the tutorial reads one series, got {X2.shape}"
        )
    N, T, _ = X2.shape
    out = np.zeros((N, T, T))
    out[:, np.arange(T), np.arange(T)] = X2[:, :, 0]
    return out


# --------------------------------------------------------------------------- backward pass


def _record_gradients(
    U: np.ndarray, W: np.ndarray, V: np.ndarray, x: np.ndarray, y: float, repeats: np.ndarray,
    clip: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The tutorial's gradients for one record x (T,), y, of R runs side by side, as columns:
    (gU, gW, gV), each (R, H).

    Its dU is gU repeated over all T columns and its dW is gW repeated over all H columns (the
    article adds (H, 1) columns to (H, T) and (H, H) arrays); its dV is gV as a row. U (R, H, T),
    W (R, H, H), V (R, H); repeats (T,): the inner loop's n_t = min(t, bptt_truncate); clip: the
    elementwise bound (inf for none). The runs never mix: run r's result is what run r alone
    gives.
    """
    R, H, T = U.shape
    WT = W.transpose(0, 2, 1)  # (R, H, H): row vector h (1, H) @ W.T = (W h) as a row
    drive = np.ascontiguousarray((U * x).transpose(2, 0, 1))  # (T, R, H): U[:, t] x_t per step
    h = np.zeros((T + 1, R, H))  # h_0 = 0, h_1, ..., h_T
    Wh = np.zeros((T, R, H))  # W h_t, t = 0 .. T-1: the forward pass's products, kept
    with np.errstate(over="ignore"):  # see _sigmoid
        for t in range(T):
            np.matmul(h[t][:, None, :], WT, out=Wh[t][:, None, :])
            z = np.add(Wh[t], drive[t], out=h[t + 1])
            # _sigmoid(z), in place: 1 / (1 + exp(-z))
            sigmoid_of_negated(np.negative(z, out=z))
    err = (h[T][:, None, :] @ V[:, :, None])[:, 0, 0] - y  # (R,) the last step's output error
    # dV adds err h_t at every step; the increments share err's sign, so clipping the running
    # sum at every step equals clipping the total once
    gV = np.clip(err[:, None] * h[1:].sum(axis=0), -clip, clip)
    # At step t the inner loop adds U[:, t] x_t and W h_{t-1}, n_t times, to accumulators that
    # are never reset within the record: their values are running sums a_t. The clipping sits
    # in the time loop: the article's dU and dW columns follow s_t = clip(s_{t-1} + a_t).
    # Step 0 adds nothing (n_0 = 0), even where U[:, 0] x_0 overflowed: it is left out.
    shares = np.concatenate([drive[1:], Wh[1:]], axis=2)  # (T-1, R, 2H)
    shares *= repeats[1:, None, None]  # n_t times each step's share
    a = np.zeros((R, 2 * H))  # the running sum a_t
    s = np.zeros((R, 2 * H))
    for share in shares:
        a += share
        s += a
        np.minimum(s, clip, out=s)  # clip(s, -c, c), in two calls that are faster than one
        np.maximum(s, -clip, out=s)
    return s[:, :H], s[:, H:], gV


def _repeats(T: int, bptt_truncate: int) -> np.ndarray:
    """n_t = min(t, bptt_truncate), t = 0 .. T-1: how often the inner loop runs at step t."""
    return np.minimum(np.arange(T), bptt_truncate).astype(np.float64)


def tutorial_gradients(
    weights: TutorialWeights,
    x: np.ndarray,
    y: np.ndarray,
    *,
    bptt_truncate: int = BPTT_TRUNCATE,
    clip_value: float | None = None,
) -> TutorialWeights:
    """The tutorial's dU (H, T), dW (H, H), dV (1, H) for one record x (T, 1), y (1,).

    With ``clip_value=None`` (the default) they are returned before clipping: what a gradient
    check compares with numerical gradients of the record's loss
    ``tutorial_loss(weights, x[None], y[None])``. ``clip_value=10.0`` gives what the tutorial
    applies.

    Parameters
    ----------
    weights : TutorialWeights
        U (H, T), W (H, H), V (1, H).
    x : array (T, 1)
        One window.
    y : array (1,)
        The value after it.
    bptt_truncate : int
        The article's truncation of its inner loop, >= 0.
    clip_value : float or None
        The elementwise clipping bound, > 0; None: no clipping.

    Returns
    -------
    TutorialWeights
        dU (H, T), dW (H, H), dV (1, H).

    Raises
    ------
    TypeError
        For weights that are not a TutorialWeights or arrays that are not real numbers, a
        bptt_truncate that is not an integer, or a clip_value that is not a number.
    ValueError
        For shapes that do not match, NaN or infinite values, bptt_truncate < 0, or a
        clip_value that is not finite and > 0.
    """
    U, W, V = _check_weights(weights)
    x = as_float_array(x, "x", 2, "(T, 1), one window")
    if x.shape != (U.shape[1], 1):
        raise ValueError(f"x must have shape (T, 1) = ({U.shape[1]}, 1) to match U {U.shape}, "
                         f"got {x.shape}")
    y = as_float_array(y, "y", 1, "(1,), the value after the window")
    if y.shape != (1,):
        raise ValueError(f"y must have shape (1,), the value after the window, got {y.shape}")
    _, _, bptt_truncate, clip_value = _check_hyper(LEARNING_RATE, 1, bptt_truncate, clip_value)
    H, T = U.shape
    with one_blas_thread():
        gU, gW, gV = _record_gradients(U[None], W[None], V, x[:, 0], float(y[0]),
                                       _repeats(T, bptt_truncate),
                                       np.inf if clip_value is None else clip_value)
    return TutorialWeights(U=np.repeat(gU[0][:, None], T, axis=1),
                           W=np.repeat(gW[0][:, None], H, axis=1), V=gV.copy())


# --------------------------------------------------------------------------- training


def train_tutorial(
    weights: TutorialWeights,
    data: TutorialData,
    *,
    learning_rate: float = LEARNING_RATE,
    n_epochs: int = N_EPOCHS,
    bptt_truncate: int = BPTT_TRUNCATE,
    clip_value: float | None = CLIP_VALUE,
) -> TutorialRun:
    """Run the tutorial's training loop from ``weights`` (not modified).

    Each epoch: measure the train and validation losses (before training, as the article
    prints them), then for every training record in order compute the tutorial's gradients,
    clipped elementwise to [-clip_value, clip_value] inside the time loop (None: no clipping),
    and take one SGD step with ``learning_rate``.

    Parameters
    ----------
    weights : TutorialWeights
        The initial U (H, T), W (H, H), V (1, H).
    data : TutorialData
        X (N, T, 1), Y (N, 1), X_val (M, T, 1), Y_val (M, 1), T matching U.
    learning_rate : float
        > 0.
    n_epochs : int
        >= 1.
    bptt_truncate : int
        The article's truncation of its inner loop, >= 0.
    clip_value : float or None
        The elementwise clipping bound, > 0; None: no clipping.

    Returns
    -------
    TutorialRun
        train_loss and val_loss (n_epochs,), and the weights after the last epoch.

    Raises
    ------
    TypeError, ValueError
        As train_tutorial_many.
    """
    _check_weights(weights)
    return train_tutorial_many(
        [weights], data, learning_rate=learning_rate, n_epochs=n_epochs,
        bptt_truncate=bptt_truncate, clip_value=clip_value,
    )[0]


def train_tutorial_many(
    weights: Sequence[TutorialWeights],
    data: TutorialData,
    *,
    learning_rate: float = LEARNING_RATE,
    n_epochs: int = N_EPOCHS,
    bptt_truncate: int = BPTT_TRUNCATE,
    clip_value: float | None = CLIP_VALUE,
    track_loss: bool = True,
) -> list[TutorialRun]:
    """:func:`train_tutorial` for several initial weights (e.g. seeds), one run each.

    The runs are independent and trained side by side (a leading run axis in every array, so
    that each step's numpy calls serve all runs at once); each run's result is what it gives
    alone. All weights must have the same shapes. ``track_loss=False`` skips the per-epoch
    losses (each run's train_loss and val_loss are then empty arrays).

    Parameters
    ----------
    weights : sequence of TutorialWeights
        The initial weights of each run, U (H, T), W (H, H), V (1, H), all of the same shapes.
    data : TutorialData
        X (N, T, 1), Y (N, 1), X_val (M, T, 1), Y_val (M, 1), T matching U.
    learning_rate, n_epochs, bptt_truncate, clip_value
        As train_tutorial.
    track_loss : bool
        Whether to measure the losses before each epoch.

    Returns
    -------
    list of TutorialRun
        One per weights, in order.

    Raises
    ------
    TypeError
        For weights that are not a sequence (or are a single TutorialWeights) or hold anything
        but TutorialWeights, data that is not a TutorialData, arrays that are not real numbers,
        hyper-parameters that are not numbers (integers for n_epochs, bptt_truncate), or a
        track_loss that is not a bool.
    ValueError
        For an empty weights, weights of different shapes, data whose shapes do not match
        (or NaN or infinite values), learning_rate or clip_value not finite and > 0,
        n_epochs < 1 or bptt_truncate < 0.
    """
    if isinstance(weights, TutorialWeights) or not isinstance(weights, Sequence):
        raise TypeError(
            "weights must be a non-empty sequence of TutorialWeights (use train_tutorial for "
            f"a single one), got {type(weights).__name__}"
        )
    if not weights:
        raise ValueError(
            "weights must be a non-empty sequence of TutorialWeights, got an empty "
            f"{type(weights).__name__}"
        )
    checked = [_check_weights(w, f"weights[{i}]") for i, w in enumerate(weights)]
    shapes = {tuple(a.shape for a in c) for c in checked}
    if len(shapes) > 1:
        raise ValueError(f"all weights must have the same shapes, got {sorted(shapes)}")
    U = np.stack([c[0] for c in checked])  # stacking copies: the inputs stay untouched
    W = np.stack([c[1] for c in checked])
    V = np.stack([c[2][0] for c in checked])
    if not isinstance(data, TutorialData):
        raise TypeError(f"data must be a TutorialData, got {type(data).__name__}")
    T = U.shape[2]
    X2, Y1 = _check_xy(data.X, data.Y, T, "data.X", "data.Y")
    Xv2, Yv1 = _check_xy(data.X_val, data.Y_val, T, "data.X_val", "data.Y_val")
    lr, n_epochs, bptt_truncate, clip_value = _check_hyper(
        learning_rate, n_epochs, bptt_truncate, clip_value)

    if not isinstance(track_loss, bool):
        raise TypeError(f"track_loss must be True or False, got {track_loss!r}")
    with one_blas_thread():
        losses, U, W, V = _train(U, W, V, X2, Y1, Xv2, Yv1, lr, n_epochs, bptt_truncate,
                                 clip_value, track_loss)
    return [TutorialRun(losses[:, 0, r].copy(), losses[:, 1, r].copy(),
                        TutorialWeights(U[r], W[r], V[r][None, :])) for r in range(U.shape[0])]


def _train(U, W, V, X2, Y1, Xv2, Yv1, lr, n_epochs, bptt_truncate, clip_value, track_loss):
    """The article's training loop for R runs side by side, on checked arguments: U (R, H, T),
    W (R, H, H), V (R, H) (copies, updated in place), windows X2 (N, T), Xv2 (M, T), targets
    Y1 (N,), Yv1 (M,) -> (losses (n_epochs or 0, 2, R), U, W, V)."""
    repeats = _repeats(U.shape[2], bptt_truncate)
    clip = np.inf if clip_value is None else clip_value
    losses = []
    for _ in range(n_epochs):
        if track_loss:  # measured before the epoch's training, as the article prints them
            losses.append([_sum_of_squares(U, W, V, X2, Y1), _sum_of_squares(U, W, V, Xv2, Yv1)])
        for x, y in zip(X2, Y1, strict=True):  # one SGD step per record
            gU, gW, gV = _record_gradients(U, W, V, x, y, repeats, clip)
            U -= lr * gU[:, :, None]
            W -= lr * gW[:, :, None]
            V -= lr * gV
    return np.array(losses).reshape(-1, 2, U.shape[0]), U, W, V


def _sum_of_squares(U, W, V, X2, Y1) -> np.ndarray:
    """The loss the article prints for R runs' weights U (R, H, T), W (R, H, H), V (R, H) on
    windows X2 (N, T): (R,)."""
    err = Y1 - _one_hot_outputs(U, -W, V, X2)
    # the article divides by y.shape[0] of the last record, which is always 1
    return np.sum(err * err / 2.0, axis=1) / 1.0


# --------------------------------------------------------------------------- input checks


def _check_weights(weights, name: str = "weights") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(weights, TutorialWeights):
        raise TypeError(f"{name} must be a TutorialWeights, got {type(weights).__name__}")
    U = as_float_array(weights.U, f"{name}.U", 2, "(H, T)")
    W = as_float_array(weights.W, f"{name}.W", 2, "(H, H)")
    V = as_float_array(weights.V, f"{name}.V", 2, "(1, H)")
    H = U.shape[0]
    if W.shape != (H, H):
        raise ValueError(f"{name}.W must have shape (H, H) = ({H}, {H}) to match U {U.shape}, "
                         f"got {W.shape}")
    if V.shape != (1, H):
        raise ValueError(f"{name}.V must have shape (1, H) = (1, {H}) to match U {U.shape}, "
                         f"got {V.shape}")
    return U, W, V


def _check_x(X, seq_len: int, name: str) -> np.ndarray:
    X = as_float_array(X, name, 3, "(N, T, 1)")
    if X.shape[2] != 1:
        raise ValueError(f"{name} must have shape (N, T, 1): the tutorial reads one series, "
                         f"got {X.shape}")
    if X.shape[1] != seq_len:
        raise ValueError(
            f"{name} must have T = {seq_len} steps, the number of columns of U (the tutorial's "
            f"U has one column per time position), got T = {X.shape[1]}"
        )
    return X[:, :, 0]


def _check_xy(X, Y, seq_len: int, xname: str, yname: str) -> tuple[np.ndarray, np.ndarray]:
    X2 = _check_x(X, seq_len, xname)
    Y = as_float_array(Y, yname, 2, "(N, 1)")
    if Y.shape != (X2.shape[0], 1):
        raise ValueError(
            f"{yname} must have shape (N, 1) = ({X2.shape[0]}, 1) to match {xname}, "
            f"got {Y.shape}"
        )
    return X2, Y[:, 0]


def _check_hyper(learning_rate, n_epochs, bptt_truncate, clip_value):
    """The checked hyper-parameters as (float, int, int, float or None)."""
    lr = positive_float(learning_rate, "learning_rate")
    n_epochs = positive_int(n_epochs, "n_epochs")
    bptt_truncate = positive_int(bptt_truncate, "bptt_truncate", minimum=0)
    if clip_value is not None:
        clip_value = positive_float(clip_value, "clip_value")
    return lr, n_epochs, bptt_truncate, clip_value
