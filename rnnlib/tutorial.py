"""The online tutorial "RNN from scratch in Python", reproduced bug for bug. FOR STUDY ONLY.

Never use this module for real work: it is deliberately wrong in exactly the ways the
published code is wrong, so that notebook 06 can run the tutorial, show each bug with a
measured number and fix it. The correct model is the rest of rnnlib.

What is reproduced (in our own code; ``tests/tutorial_reference.py`` keeps a slow, literal,
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

How it is made fast: dU and dW are each one column repeated, so one (H,) vector stands for
each; the inner loop's repeated additions are one multiplication and the never-reset
accumulators are running sums over t; dV's increments all share the sign of e, so clipping
its running sum at every step equals clipping the final sum once. What is left is the forward
recurrence and the clipped running sum of dU and dW: two loops over time of a few vector
operations each. The records are sequential (each one updates the weights), but independent
runs (seeds) are processed side by side (:func:`train_tutorial_many`). The results equal the
literal version's up to rounding. Once the training reaches its plateau (about epoch 6), the
tutorial's dynamics amplify any rounding difference (a different summation order moved the
epoch-7 loss from 21.90 to 21.46), so the literal and the fast version agree to many digits
only over the first epochs, and the plateau's digits depend on the machine's floating point.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from threadpoolctl import ThreadpoolController

from rnnlib._checks import as_float_array, generator, positive_float, positive_int
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
    """
    rng = generator(rng)
    H = positive_int(hidden_dim, "hidden_dim")
    T = positive_int(seq_len, "seq_len")
    p = init_params(T, H, 1, rng, scheme="tutorial")
    return TutorialWeights(p.U, p.W, p.V)


# --------------------------------------------------------------------------- forward passes


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # The article's formula. exp(-z) overflows to inf for z < -709, where 1 / inf = 0 is the
    # right limit: the public functions run under _quiet_single_threaded(), which silences that.
    return 1.0 / (1.0 + np.exp(-z))


@cache
def _threadpools() -> ThreadpoolController:
    # found once: a ThreadpoolController limits threads in about 50 us, threadpool_limits in 300
    return ThreadpoolController()


@contextmanager
def _quiet_single_threaded() -> Iterator[None]:
    """Silence the sigmoid's harmless overflow, and keep BLAS on one thread.

    The matrices here are small; on a busy 2-core machine a multi-threaded BLAS spends more
    time waiting for its threads than computing (as in rnnlib.training).
    """
    with np.errstate(over="ignore"), _threadpools().limit(limits=1, user_api="blas"):
        yield


def _one_hot_outputs(U: np.ndarray, neg_W: np.ndarray, V: np.ndarray, X2: np.ndarray) -> np.ndarray:
    """Training-time (one-hot in time) outputs of R runs for windows X2 (N, T): (R, N).

    U: (R, H, T), neg_W: (R, H, H) holding -W, V: (R, H).
    """
    R, H, T = U.shape
    neg_X = -X2.T[:, None, :, None]  # (T, 1, N, 1)
    U_t = U.transpose(2, 0, 1)[:, :, None, :]  # (T, R, 1, H): column t of each U
    neg_WT = neg_W.transpose(0, 2, 1)  # (R, H, H)
    h = np.zeros((R, X2.shape[0], H))
    a = np.empty_like(h)
    drive = np.empty_like(h)
    for t in range(T):
        # sigmoid(W h + U[:, t] x_t) = 1 / (1 + exp((-W) h + (-x_t) U[:, t]))
        np.matmul(h, neg_WT, out=a)
        np.multiply(neg_X[t], U_t[t], out=drive)
        a += drive
        np.exp(a, out=a)
        a += 1.0
        np.reciprocal(a, out=h)
    return (h @ V[:, :, None])[:, :, 0]


def tutorial_loss(weights: TutorialWeights, X: np.ndarray, Y: np.ndarray) -> float:
    """The loss the article prints: ``sum_n (Y[n] - y_hat[n])**2 / 2``, divided by 1.

    X: (N, T, 1) windows, Y: (N, 1) targets; y_hat from the training-time (one-hot in time)
    forward pass. With X = x[None], Y = y[None] this is the loss of one record, whose gradient
    the tutorial's backward pass claims to compute.
    """
    U, W, V = _check_weights(weights)
    X2, Y1 = _check_xy(X, Y, U.shape[1], "X", "Y")
    with _quiet_single_threaded():
        err = Y1 - _one_hot_outputs(U[None], -W[None], V, X2)[0]
    # the article divides by y.shape[0] of the last record, which is always 1
    return float(np.sum(err * err / 2.0)) / 1.0


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
    """
    U, W, V = _check_weights(weights)
    X2 = _check_x(X, U.shape[1], "X")
    if inputs not in ("window", "one_hot"):
        raise ValueError(f"inputs must be 'window' or 'one_hot', got {inputs!r}")
    with _quiet_single_threaded():
        if inputs == "one_hot":
            return _one_hot_outputs(U[None], -W[None], V, X2)[0][:, None]
        drive = X2 @ U.T  # (N, H): U @ x, the same at every step
        h = np.zeros_like(drive)
        for _ in range(U.shape[1]):
            h = _sigmoid(h @ W.T + drive)
        return (h @ V[0])[:, None]


def one_hot_inputs(X: np.ndarray) -> np.ndarray:
    """The tutorial's training inputs as an ordinary input sequence: X (N, T, 1) -> (N, T, T).

    Step t of record n is the vector that is zero except for entry t, which holds X[n, t, 0]
    (the article's ``new_input``). Fed to rnnlib's model with input size D = T, its shared
    U (H, T) acts exactly like the tutorial's per-position U: U @ new_input = U[:, t] x_t.
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


def _record_gradients(U, neg_W, V, x, y, bptt_truncate, clip_value):
    """The tutorial's gradients for one record x (T,), y (scalar), for R runs side by side.

    U: (R, H, T), neg_W: (R, H, H) holding -W, V: (R, H). Returns (gU, gW, gV), each (R, H):
    the tutorial's dU is gU[r] repeated over all T columns, its dW is gW[r] repeated over all
    H columns (it adds (H, 1) columns to (H, T) and (H, H) arrays), its dV is gV[r] as a row.
    """
    R, H, T = U.shape
    # Forward pass in negated form, exp((-W) h + (-U[:, t] x_t)): exact, and a call fewer per
    # step. work[t, :, :H] collects -U[:, t] x_t and work[t, :, H:] collects -W h_{t-1}.
    work = np.empty((T, R, 2 * H))
    neg_drive, neg_recurrent = work[:, :, :H], work[:, :, H:]
    np.multiply(U.transpose(2, 0, 1), -x[:, None, None], out=neg_drive)
    states = np.empty((T, R, H))
    buf = np.empty((R, H))
    h = np.zeros((R, H))
    if R == 1:
        neg_W0, buf0 = neg_W[0], buf[0]
        for t in range(T):
            np.dot(neg_W0, h[0], out=neg_recurrent[t, 0])
            np.add(neg_recurrent[t], neg_drive[t], out=buf)
            np.exp(buf0, out=buf0)
            buf0 += 1.0
            h = np.reciprocal(buf, out=states[t])
    else:
        for t in range(T):
            np.matmul(neg_W, h[:, :, None], out=neg_recurrent[t, :, :, None])
            np.add(neg_recurrent[t], neg_drive[t], out=buf)
            np.exp(buf, out=buf)
            buf += 1.0
            h = np.reciprocal(buf, out=states[t])
    err = (V * h).sum(axis=1) - y  # dmulv: the *last* step's output error, (R,)

    # dV_t = e h_t^T at every step; dV += dV_t. Every increment has the sign of e.
    gV = err[:, None] * states.sum(axis=0)
    # The inner loop adds the same forward quantities U[:, t] x_t and W h_{t-1}, n_t =
    # min(t, bptt_truncate) times, to dU_t and dW_t, which are never reset within the record:
    # dU_t, dW_t are running sums over t of n_t times those quantities (work holds their
    # negatives), and dU, dW add dU_t, dW_t at every step.
    n_inner = np.minimum(np.arange(T), bptt_truncate).astype(np.float64)
    work *= -n_inner[:, None, None]
    if clip_value is None:
        # no clipping: sum over t of the running sums = sum over tau of (T - tau) work[tau]
        total = np.tensordot(T - np.arange(T, dtype=np.float64), work, axes=1)
    else:
        hi = np.full((R, 2 * H), clip_value)
        lo = -hi
        np.maximum(np.minimum(gV, hi[:, :H], out=gV), lo[:, :H], out=gV)
        running = np.zeros((R, 2 * H))  # [dU_t column | dW_t column]
        total = np.zeros((R, 2 * H))  # [dU column | dW column]
        for inc in work:
            running += inc
            total += running
            np.minimum(total, hi, out=total)
            np.maximum(total, lo, out=total)
    return total[:, :H], total[:, H:], gV


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
    """
    U, W, V = _check_weights(weights)
    x = as_float_array(x, "x", 2, "(T, 1), one window")
    if x.shape != (U.shape[1], 1):
        raise ValueError(f"x must have shape (T, 1) = ({U.shape[1]}, 1) to match U {U.shape}, "
                         f"got {x.shape}")
    y = as_float_array(y, "y", 1, "(1,), the value after the window")
    if y.shape != (1,):
        raise ValueError(f"y must have shape (1,), the value after the window, got {y.shape}")
    _check_hyper(LEARNING_RATE, 1, bptt_truncate, clip_value)
    with _quiet_single_threaded():
        gU, gW, gV = _record_gradients(U[None], -W[None], V, x[:, 0], y[0], bptt_truncate,
                                       clip_value)
    H, T = U.shape
    return TutorialWeights(
        U=np.repeat(gU[0][:, None], T, axis=1),
        W=np.repeat(gW[0][:, None], H, axis=1),
        V=gV.copy(),
    )


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
    """:func:`train_tutorial` for several initial weights (e.g. seeds) at once, one run each.

    The runs are independent; processing them side by side only saves time. All weights must
    have the same shapes. ``track_loss=False`` skips the per-epoch losses (about a quarter of
    the time; each run's train_loss and val_loss are then empty arrays).
    """
    if isinstance(weights, TutorialWeights) or not isinstance(weights, Sequence) or not weights:
        raise ValueError(
            "weights must be a non-empty sequence of TutorialWeights (use train_tutorial for "
            f"a single one), got {type(weights).__name__}"
        )
    checked = [_check_weights(w, f"weights[{i}]") for i, w in enumerate(weights)]
    shapes = {tuple(a.shape for a in c) for c in checked}
    if len(shapes) > 1:
        raise ValueError(f"all weights must have the same shapes, got {sorted(shapes)}")
    U = np.stack([c[0] for c in checked])  # stacking copies: the inputs stay untouched
    neg_W = -np.stack([c[1] for c in checked])  # -W: what the forward passes use
    V = np.stack([c[2][0] for c in checked])
    if not isinstance(data, TutorialData):
        raise ValueError(f"data must be a TutorialData, got {type(data).__name__}")
    T = U.shape[2]
    X2, Y1 = _check_xy(data.X, data.Y, T, "data.X", "data.Y")
    Xv2, Yv1 = _check_xy(data.X_val, data.Y_val, T, "data.X_val", "data.Y_val")
    lr = _check_hyper(learning_rate, n_epochs, bptt_truncate, clip_value)

    R, N = U.shape[0], X2.shape[0]
    both_X, both_Y = np.concatenate([X2, Xv2]), np.concatenate([Y1, Yv1])
    if not isinstance(track_loss, bool):
        raise ValueError(f"track_loss must be True or False, got {track_loss!r}")
    losses = np.empty((n_epochs if track_loss else 0, R, 2))
    with _quiet_single_threaded():
        for epoch in range(n_epochs):
            if track_loss:
                err = both_Y - _one_hot_outputs(U, neg_W, V, both_X)
                sq = err * err / 2.0
                losses[epoch, :, 0] = sq[:, :N].sum(axis=1) / 1.0
                losses[epoch, :, 1] = sq[:, N:].sum(axis=1) / 1.0
            for x, y in zip(X2, Y1, strict=True):
                gU, gW, gV = _record_gradients(U, neg_W, V, x, y, bptt_truncate, clip_value)
                U -= lr * gU[:, :, None]
                V -= lr * gV
                neg_W += lr * gW[:, :, None]  # W -= lr * dW
    return [
        TutorialRun(losses[:, r, 0].copy(), losses[:, r, 1].copy(),
                    TutorialWeights(U[r], -neg_W[r], V[r][None, :]))
        for r in range(R)
    ]


# --------------------------------------------------------------------------- input checks


def _check_weights(weights, name: str = "weights") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(weights, TutorialWeights):
        raise ValueError(f"{name} must be a TutorialWeights, got {type(weights).__name__}")
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


def _check_hyper(learning_rate, n_epochs, bptt_truncate, clip_value) -> float:
    lr = positive_float(learning_rate, "learning_rate")
    positive_int(n_epochs, "n_epochs")
    positive_int(bptt_truncate, "bptt_truncate", minimum=0)
    if clip_value is not None:
        positive_float(clip_value, "clip_value")
    return lr
