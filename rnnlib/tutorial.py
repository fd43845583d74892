"""The online tutorial "RNN from scratch in Python", reproduced bug for bug. FOR STUDY ONLY.

Never use this module for real work: it is deliberately wrong in exactly the ways the
published code is wrong, so that notebook 06 can run the tutorial, show each bug with a
measured number and fix it. The correct model is the rest of rnnlib.

What is reproduced (in our own code; ``rnnlib.tutorial_literal`` is a slow, literal,
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
its running sum at every step equals clipping the final sum once. Clipping the running sums of
dU and dW at every step chains the maps s -> clip(s + a_t, -c, c); such maps compose into maps
of the same form, so blocks of steps are composed all at once and only the blocks' maps are
applied in order (:meth:`_Kernel._clipped_sums`). What stays sequential is the forward
recurrence (five numpy calls per step) and the records (each one updates the weights). The
per-epoch losses are measured in a second thread, on copies of the weights taken at the start
of each epoch, five epochs at a time, while the training goes on; independent runs (seeds) are
processed side by side (:func:`train_tutorial_many`).

The results equal the literal version's up to rounding. Once the training leaves the sigmoid's
saturation (in the fifth epoch), the tutorial's dynamics amplify any rounding difference to the
second or third digit within one epoch (notebook 06, section 6.1.1, measures it): the literal and
the fast version, like any two machines, agree to many digits only over the first five epochs,
and the later digits are rounding's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np

from rnnlib._checks import as_float_array, generator, positive_float, positive_int
from rnnlib._threads import one_blas_thread
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
    # right limit: silenced here, and only here.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


@contextmanager
def _single_threaded() -> Iterator[None]:
    """Keep BLAS on one thread (rnnlib._threads). Process-wide: it covers the loss thread of
    train_tutorial_many too."""
    with one_blas_thread():
        yield


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
            np.exp(a, out=a)
            a += 1.0
            np.reciprocal(a, out=h)
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
    """
    U, W, V = _check_weights(weights)
    X2, Y1 = _check_xy(X, Y, U.shape[1], "X", "Y")
    with _single_threaded():
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
    with _single_threaded():
        if inputs == "one_hot":
            return _one_hot_outputs(U[None], -W[None], V, X2)[0][:, None]
        drive = X2 @ U.T  # (N, H): U @ x, the same at every step
        h = np.zeros_like(drive)
        for _ in range(U.shape[1]):
            h = _sigmoid(h @ W.T + drive)
        return (h @ V[0])[:, None]


def tutorial_states(weights: TutorialWeights, X: np.ndarray) -> np.ndarray:
    """The last hidden states h_T (N, H) of the training-time (one-hot in time) forward pass
    for windows X (N, T, 1): the states that the outputs V h_T of training are read from.
    """
    U, W, _ = _check_weights(weights)
    X2 = _check_x(X, U.shape[1], "X")
    with _single_threaded():
        return _one_hot_states(U[None], -W[None], X2)[0]


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


class _Kernel:
    """The tutorial's per-record gradients and SGD steps for R runs side by side.

    Holds the weights of R independent runs as -U transposed, (T, R, H) padded to (nb b, R, H)
    with zero rows, -W (R, H, H) and V (R, H): the forward pass computes
    ``exp(-z) = exp((-W) h + (-U[:, t]) x_t)`` from them, a numpy call fewer per step than
    negating z first (negation is exact: the same numbers). The large buffers are allocated
    once and several views into them are built here: they must never be re-bound.
    :meth:`gradients` gives one record's gradients (views into buffers that the next call
    overwrites), :meth:`update` takes the step; :meth:`_clipped_sums` explains the backward
    pass.
    """

    def __init__(self, U: np.ndarray, W: np.ndarray, V: np.ndarray, bptt_truncate: int,
                 clip_value: float | None):
        R, H, T = U.shape
        self.R, self.H, self.T, self.clip = R, H, T, clip_value
        # T steps in nb blocks of b steps, the last block padded with steps that do nothing.
        # b ~ sqrt(T / 2) was the fastest measured for T = 50 (b = 5; 4 and 6 were slower).
        b = max(1, round((T / 2) ** 0.5))
        nb = -(-T // b)
        self.b, self.nb = b, nb
        self.neg_UT = np.zeros((nb * b, R, H))
        self.neg_UT[:T] = -U.transpose(2, 0, 1)
        self.neg_W = -W
        self.V = V.copy()
        self.x = np.zeros((nb * b, 1, 1))
        self.neg_UT_blocks = self.neg_UT.reshape(nb, b, R, H)
        self.x_blocks = self.x.reshape(nb, b, 1, 1)
        # work[j, k] holds step t = k*b + j: [-U[:, t] x_t | -W h_{t-1}], which the forward
        # pass fills, then the running sums of the backward pass. This order makes the blocks'
        # j-th steps one contiguous slab.
        self.work = np.zeros((b, nb, R, 2 * H))
        self.steps_view = self.work.transpose(1, 0, 2, 3)  # (nb, b, R, 2H), time order
        self.states = np.zeros((T + 1, R, H))  # h_0 = 0, h_1, ..., h_T
        self.buf = np.empty((R, H))
        self.ones = np.ones((R, H))
        self.ones_T = np.ones(T)
        per_step = [(self.states[t], self.work[t % b, t // b], self.states[t + 1])
                    for t in range(T)]
        if R == 1:  # np.dot on vectors is the fastest call for one run
            self.steps = [(h[0], w[0, H:], w[0, :H], h_next[0]) for h, w, h_next in per_step]
        else:
            self.steps = [(h[:, :, None], w[:, H:, None], w[:, :H], h_next)
                          for h, w, h_next in per_step]
        # Inner-loop repeats n_t = min(t, bptt_truncate) are n_max (their largest value) from
        # step n_max on; the running sums are computed divided by n_max, so only the steps
        # before n_max need scaling, by n_t / n_max (step 0, where n_0 = 0, is set to 0).
        self.n_max = min(bptt_truncate, T - 1)
        self.early = -(-self.n_max // b)  # blocks holding the steps before n_max
        scale = np.ones(self.early * b)
        scale[: self.n_max] = np.arange(self.n_max) / max(self.n_max, 1)
        self.scale = scale.reshape(self.early, b, 1, 1)
        self.offsets = np.zeros((nb, R, 2 * H))
        self.offset_steps = [(self.offsets[k], self.offsets[k - 1], self.work[b - 1, k - 1])
                             for k in range(1, nb)]
        self.block_sum = np.empty((nb, R, 2 * H))
        self.low_high = np.empty((2, nb, R, 2 * H))
        self.s = np.empty((R, 2 * H))
        # the clip in units of n_max, and the bounds (-c, +c) that the block maps start from
        c = np.inf if clip_value is None or self.n_max == 0 else clip_value / self.n_max
        self.lo, self.hi = -c, c
        self.bounds = np.array([-c, c]).reshape(2, 1, 1, 1)
        self.blocks = [(self.block_sum[k], self.low_high[0, k], self.low_high[1, k])
                       for k in range(nb)]
        self.gV = np.empty((R, H))
        self.step_buf = np.empty((R, H))

    def gradients(self, x: np.ndarray, y: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The tutorial's gradients for one record x (T,), y: (gU, gW, gV), each (R, H).

        Its dU is gU[r] repeated over all T columns, its dW is gW[r] repeated over all H
        columns (it adds (H, 1) columns to (H, T) and (H, H) arrays), its dV is gV[r] as a row.
        The arrays returned are views into buffers that the next call overwrites.
        """
        R, H, T = self.R, self.H, self.T
        self.x[:T, 0, 0] = x
        np.multiply(self.neg_UT_blocks, self.x_blocks, out=self.steps_view[..., :H])
        buf, ones = self.buf, self.ones
        # exp overflows to inf where the sigmoid is 0: 1 / (1 + inf) = 0 is the right limit
        with np.errstate(over="ignore"):
            if R == 1:
                neg_W, buf, ones = self.neg_W[0], buf[0], ones[0]
                for h, rec, drive, h_next in self.steps:
                    np.dot(neg_W, h, out=rec)
                    np.add(rec, drive, out=buf)
                    np.exp(buf, out=buf)
                    np.add(buf, ones, out=buf)
                    np.reciprocal(buf, out=h_next)
            else:
                neg_W = self.neg_W
                for h, rec, drive, h_next in self.steps:
                    np.matmul(neg_W, h, out=rec)
                    np.add(rec[:, :, 0], drive, out=buf)
                    np.exp(buf, out=buf)
                    np.add(buf, ones, out=buf)
                    np.reciprocal(buf, out=h_next)
        states = self.states
        err = np.vecdot(self.V, states[T]) - y  # dmulv: the *last* step's output error, (R,)
        # dV_t = e h_t^T at every step; dV += dV_t. Every increment has the sign of e, so
        # clipping the running sum at every step equals clipping the final sum once.
        gV = self.gV
        np.dot(self.ones_T, states[1:].reshape(T, R * H), out=gV.reshape(R * H))
        gV *= err[:, None]
        if self.clip is not None:
            np.maximum(gV, -self.clip, out=gV)
            np.minimum(gV, self.clip, out=gV)
        total = self._clipped_sums()
        return total[:, :H], total[:, H:], gV

    def _clipped_sums(self) -> np.ndarray:
        """The tutorial's dU and dW columns side by side, (R, 2H), from the forward pass's work.

        The inner loop adds the same forward quantities U[:, t] x_t and W h_{t-1}, n_t =
        min(t, bptt_truncate) times, to dU_t and dW_t, which are never reset within the record:
        a_t = sum_{tau <= t} n_tau [U[:, tau] x_tau | W h_{tau-1}] (running sums), and the
        tutorial's dU and dW columns follow s_t = clip(s_{t-1} + a_t, -c, c) from s = 0 (its
        clipping sits inside the time loop). Computed negated (work holds negatives; clipping
        to [-c, c] commutes with negation) and divided by n_max (then clipped to c / n_max).
        Overwrites work.

        For s in [lo, hi], a step's map s -> clip(s + a, lo, hi) followed by the next step's
        is clip(s + a + a', low, high) with low = clip(clip(lo + a, lo, hi) + a', lo, hi) and
        high the same from hi: the two steps' map applied to lo and to hi. So every block of
        b steps is one map (sum of its a, its image of lo, its image of hi), found for all
        blocks at once by running lo and hi through the block's steps, and only the nb block
        maps are applied in sequence to s (which stays in [lo, hi]). That takes about
        4 (b + nb) numpy calls, 65 for T = 50, instead of 4 T = 200 step by step.
        """
        T, b, nb, work, s = self.T, self.b, self.nb, self.work, self.s
        if self.n_max == 0:  # no inner loop at all
            s.fill(0.0)
            return s
        work[0, 0] = 0.0  # step 0: n_0 = 0 (set, not scaled: 0 * inf would be NaN)
        early = self.steps_view[: self.early]
        np.multiply(early, self.scale, out=early)
        # running sums: within each block, then the blocks' offsets
        for j in range(1, b):
            np.add(work[j], work[j - 1], out=work[j])
        for offset, previous, last in self.offset_steps:
            np.add(previous, last, out=offset)
        np.add(work, self.offsets, out=work)
        if nb * b > T:  # padding steps: a = 0 leaves s unchanged
            self.steps_view[nb - 1, T - (nb - 1) * b:] = 0.0
        if self.clip is None:
            np.sum(work, axis=(0, 1), out=s)
            return np.multiply(s, -self.n_max, out=s)
        # block maps: (sum of a, image of lo, image of hi)
        low_high, lo, hi = self.low_high, self.lo, self.hi
        np.add.reduce(work, axis=0, out=self.block_sum)
        np.add(work[0], self.bounds, out=low_high)
        np.maximum(low_high, lo, out=low_high)
        np.minimum(low_high, hi, out=low_high)
        for j in range(1, b):
            np.add(low_high, work[j], out=low_high)
            np.maximum(low_high, lo, out=low_high)
            np.minimum(low_high, hi, out=low_high)
        s.fill(0.0)
        for block_sum, low, high in self.blocks:
            np.add(s, block_sum, out=s)
            np.maximum(s, low, out=s)
            np.minimum(s, high, out=s)
        np.multiply(s, -self.n_max, out=s)
        # (c / n_max) * n_max can round to just above c: the tutorial's bound holds exactly
        np.maximum(s, -self.clip, out=s)
        return np.minimum(s, self.clip, out=s)

    def update(self, lr: float, gU: np.ndarray, gW: np.ndarray, gV: np.ndarray) -> None:
        """One SGD step of every run: U -= lr dU, W -= lr dW, V -= lr dV (gradients (R, H))."""
        g = np.multiply(gU, lr, out=self.step_buf)
        self.neg_UT[: self.T] += g
        np.multiply(gW, lr, out=g)
        self.neg_W += g[:, :, None]
        self.V -= lr * gV

    def snapshot(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Copies of U (R, H, T), -W (R, H, H) and V (R, H)."""
        return (-self.neg_UT[: self.T].transpose(1, 2, 0), self.neg_W.copy(), self.V.copy())


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
    _, _, bptt_truncate, clip_value = _check_hyper(LEARNING_RATE, 1, bptt_truncate, clip_value)
    with _single_threaded():
        kernel = _Kernel(U[None], W[None], V, bptt_truncate, clip_value)
        gU, gW, gV = kernel.gradients(x[:, 0], float(y[0]))
    H, T = U.shape
    return TutorialWeights(
        U=np.repeat(gU[0][:, None], T, axis=1),
        W=np.repeat(gW[0][:, None], H, axis=1),
        V=gV.copy(),
    )


# --------------------------------------------------------------------------- training


# Epochs whose losses the loss thread measures in one go: fewer, larger numpy calls hand the
# GIL back and forth less often (25 epochs took 1.74 s in batches of 5, 1.92 s one at a time,
# 2.17 s all at the end).
_LOSS_BATCH = 5


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
    have the same shapes. ``track_loss=False`` skips the per-epoch losses (each run's
    train_loss and val_loss are then empty arrays); they are measured in a second thread, so
    on two free cores this saves little time.
    """
    if isinstance(weights, TutorialWeights) or not isinstance(weights, Sequence):
        raise TypeError(
            "weights must be a non-empty sequence of TutorialWeights (use train_tutorial for "
            f"a single one), got {type(weights).__name__}"
        )
    if not weights:
        raise ValueError(
            "weights must be a non-empty sequence of TutorialWeights (use train_tutorial for "
            f"a single one), got {type(weights).__name__}"
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

    R, N = U.shape[0], X2.shape[0]
    both_X, both_Y = np.concatenate([X2, Xv2]), np.concatenate([Y1, Yv1])
    if not isinstance(track_loss, bool):
        raise TypeError(f"track_loss must be True or False, got {track_loss!r}")
    kernel = _Kernel(U, W, V, bptt_truncate, clip_value)
    losses = np.empty((n_epochs if track_loss else 0, R, 2))
    # Each epoch's losses are measured on a copy of the weights in a second thread while the
    # training goes on: its numpy calls are large and release the GIL, and so do the training
    # loop's np.dot calls, so that two cores work.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        with _single_threaded():
            jobs, snapshots = [], []
            for epoch in range(n_epochs):
                if track_loss:
                    snapshots.append(kernel.snapshot())
                    if len(snapshots) == _LOSS_BATCH or epoch == n_epochs - 1:
                        jobs.append(pool.submit(_losses, snapshots, both_X, both_Y, N))
                        snapshots = []
                for x, y in zip(X2, Y1, strict=True):
                    kernel.update(lr, *kernel.gradients(x, y))
            if jobs:
                losses[:] = np.concatenate([job.result() for job in jobs])
    finally:
        pool.shutdown(cancel_futures=True)
    U, neg_W, V = kernel.snapshot()
    return [
        TutorialRun(losses[:, r, 0].copy(), losses[:, r, 1].copy(),
                    TutorialWeights(U[r], -neg_W[r], V[r][None, :]))
        for r in range(R)
    ]


def _losses(snapshots, X2, Y1, n_train) -> np.ndarray:
    """The article's train and validation losses, (len(snapshots), R, 2), for windows X2 (N, T)
    whose first n_train are the training ones; snapshots: (U, -W, V) of R runs each.
    Runs in the loss thread of train_tutorial_many.
    """
    U, neg_W, V = (np.concatenate(arrays) for arrays in zip(*snapshots, strict=True))
    err = Y1 - _one_hot_outputs(U, neg_W, V, X2)
    sq = (err * err / 2.0).reshape(len(snapshots), -1, X2.shape[0])
    # the article divides by y.shape[0] of the last record, which is always 1
    return np.stack([sq[..., :n_train].sum(axis=2), sq[..., n_train:].sum(axis=2)], axis=2) / 1.0


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
