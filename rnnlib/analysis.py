"""What the course's slider views compute (notebooks 03, 04, 05), apart from how it is shown.

Each view is one training run or gradient measurement on the tutorial's data (sin of 0 .. 199,
windows of T = 50 values, the chronological split ``split_windows(series, 50, 50)`` scaled by
``fit_scaler`` on the training part) and a small model (H = 16, tanh, initial parameters from
``init_params(..., default_rng(0))``), all set in rnnlib.settings:

- truncation_result(k) (notebook 03): how the BPTT truncation depth k changes the gradient at
  the initial parameters (its relative difference from full BPTT, the per-step contributions)
  and training;
- learning_rate_result(lr, c) (notebook 04): training curves and gradient norms for one learning
  rate with global-norm clipping at a threshold, converging or diverging;
- explorer_result(k, lr) (notebook 05): training with validation, and the predictions against
  the truth.

Each returns a small frozen dataclass with read-only arrays, remembered (RESULTS_KEPT per view)
so that a slider moved back answers at once. Nothing here raises or warns for a value inside the
sliders' ranges: a diverging run or a vanished gradient is reported in the result's status
(run_status). Training and validation losses are those of rnnlib.train's History. rnnlib.views
turns the results into text and figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rnnlib._checks import positive_float, positive_int
from rnnlib.bptt import backward
from rnnlib.clipping import Clipping
from rnnlib.data import fit_scaler, sine_series, split_windows
from rnnlib.losses import mse_loss
from rnnlib.model import Params, forward, init_params, predict
from rnnlib.settings import (
    ACTIVATION,
    EXPLORER_CLIPPING,
    EXPLORER_EPOCHS,
    HIDDEN_SIZE,
    INIT_SEED,
    LEARNING_RATE_EPOCHS,
    N_VAL,
    REACH_LEVEL,
    RECENT_EPOCHS,
    RESULTS_KEPT,
    TRUNCATION_CLIPPING,
    TRUNCATION_EPOCHS,
    TRUNCATION_LEARNING_RATE,
    VANISHED_LEVEL,
    WINDOW,
)
from rnnlib.training import History, train


@dataclass(frozen=True)
class Data:
    """The scaled tutorial data: X (N, T, 1), Y (N, 1) for training and validation, the series
    (200, 1) in original units, the Split's target positions, and the Scaler."""

    series: np.ndarray
    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    train_targets: np.ndarray
    val_targets: np.ndarray
    scaler: object


@lru_cache(maxsize=1)
def course_data() -> Data:
    """The tutorial's series, split chronologically and scaled (computed once, read-only).

    sine_series(200) split by split_windows(series, WINDOW, N_VAL) (disjoint pieces) and scaled
    by the maxabs Scaler fitted on the training piece series[:train_end] only.

    Returns
    -------
    Data
        series (200, 1) in original units; X_train (50, 50, 1), Y_train (50, 1), X_val
        (50, 50, 1), Y_val (50, 1) in scaled units; train_targets (50,) = 50 .. 99 and
        val_targets (50,) = 150 .. 199; the Scaler. Every array is read-only, and the same
        object is returned on every call.
    """
    series = sine_series(200)
    split = split_windows(series, WINDOW, N_VAL)
    scaler = fit_scaler(series[: split.train_end])
    arrays = [
        series,
        scaler.transform(split.X_train),
        scaler.transform(split.Y_train),
        scaler.transform(split.X_val),
        scaler.transform(split.Y_val),
        split.train_targets,
        split.val_targets,
    ]
    for array in arrays:
        array.flags.writeable = False
    return Data(*arrays, scaler)


def initial_params() -> Params:
    """The views' starting point: init_params(1, 16, 1, default_rng(0)), a fresh copy.

    Drawn anew on every call, so that no training run can change another's start.

    Returns
    -------
    Params
        U (16, 1), W (16, 16), V (1, 16), b (16,), c (1,) (HIDDEN_SIZE, INIT_SEED).
    """
    return init_params(1, HIDDEN_SIZE, 1, np.random.default_rng(INIT_SEED))


def _flat(grads: Params) -> np.ndarray:
    return np.concatenate([a.ravel() for _, a in grads.items()])


def _run_train(learning_rate, epochs, truncation=None, clipping=None, validation=False):
    data = course_data()
    val = {"X_val": data.X_val, "Y_val": data.Y_val} if validation else {}
    with np.errstate(all="ignore"):
        result = train(
            initial_params(), data.X_train, data.Y_train, learning_rate=learning_rate,
            epochs=epochs, activation=ACTIVATION, truncation=truncation, clipping=clipping,
            on_divergence="stop", **val,
        )
    return result



def _factor(x: float) -> str:
    """A ratio written plainly: 3.4, 23, 1.6e4."""
    if x < 10:
        return f"{x:.1f}"
    if x < 100:
        return f"{x:.0f}"
    text = f"{x:.1e}"
    return text.replace("e+0", "e").replace("e+", "e")


def run_status(history: History) -> str:
    """One line saying what a training run's history measured, in words that say what is measured.

    "diverged at epoch n: <reason>" if training stopped. Otherwise it compares the training loss
    before training (history.initial_train_loss) with the loss after the last epoch, and the
    loss RECENT_EPOCHS epochs before the end with the last one:
    - "gradient vanished" if the gradient norm fell below 1e-6 of its first value while the
      loss fell by less than a factor 1000;
    - "not learning" if the loss rose;
    - "barely learning" if it fell by less than half;
    - otherwise "learning", with the factor it fell by, and "still falling" if it fell by more
      than a factor 1.1 (about 9 %) over the last RECENT_EPOCHS epochs, "levelling off" if not.
      A large factor is not convergence: the loss may still be falling steeply.

    Parameters
    ----------
    history : rnnlib.History
        Of a run of at least one epoch (rnnlib.train's result.history); not checked.

    Returns
    -------
    str
        One line, without a newline.
    """
    if history.diverged_epoch is not None:
        reason = history.message.split(": ", 1)[-1]
        return f"diverged at epoch {history.diverged_epoch}: {reason}"
    losses = history.train_loss
    first = history.initial_train_loss if history.initial_train_loss is not None else losses[0]
    last = losses[-1]
    epochs = history.epochs
    ratio = last / first
    change = f"from {first:.2e} before training to {last:.2e} after {epochs} epochs"
    g_first, g_last = history.grad_norm[0], history.grad_norm[-1]
    if ratio > 1e-3 and g_last < VANISHED_LEVEL * g_first:
        return (
            f"gradient vanished: its norm fell from {g_first:.2e} to {g_last:.2e} while the "
            f"training loss only went {change}"
        )
    if ratio > 1.0:
        return f"not learning: the training loss rose {change}"
    if ratio > 0.5:
        return (
            f"barely learning: the training loss fell only {100 * (1 - ratio):.1f}%, {change}"
        )
    recent = min(RECENT_EPOCHS, epochs)
    before = losses[-recent - 1] if epochs > recent else first
    trend = "still falling" if before > 1.1 * last else "levelling off"
    return (
        f"learning: the training loss fell by a factor {_factor(1 / ratio)}, {change}; "
        f"by a factor {_factor(before / last)} over the last {recent} epochs: {trend}"
    )



@dataclass(frozen=True)
class TruncationResult:
    """What the truncation view shows for one depth k.

    truncation: k as requested; steps: min(k, T); T: window length.
    relative_difference: ||grad_k - grad_full|| / ||grad_full|| over all parameters, the
        gradients of the loss at the initial parameters with truncation k and with full BPTT;
        cosine: cosine between grad_k and grad_full.
    contributions: (T,) norm of step T-j's share of the gradient of (U, W, b) under full BPTT,
        index j = 0 .. T-1 (steps back from the last); truncation keeps j < k, unchanged.
    kept_share: sum of the kept contributions / sum of all.
    reach_steps: first j whose contribution is below 1e-3 of the largest (T if none);
    vanish_steps: first j from which all contributions are below 1e-6 of the largest (T if none).
    train_loss, full_train_loss: (E,) training loss per epoch with depth k and with full BPTT;
    status: run_status of the run with depth k.
    """

    truncation: int
    steps: int
    T: int
    relative_difference: float
    cosine: float
    contributions: np.ndarray
    kept_share: float
    reach_steps: int
    vanish_steps: int
    train_loss: np.ndarray
    full_train_loss: np.ndarray
    status: str


def step_contributions(deltas: np.ndarray, X: np.ndarray, states: np.ndarray) -> np.ndarray:
    """Norm of each step's share of the BPTT gradient of (U, W, b).

    Step t adds delta_t^T x_t to dU, delta_t^T h_{t-1} to dW and sum_n delta_t to db
    (rnnlib.bptt); how fast these shares shrink with the steps back is what truncation drops.
    Nothing is checked (the arrays come from rnnlib's own passes).

    Parameters
    ----------
    deltas : array (T, N, H)
        delta_t = dL/da_t for t = 1 .. T, from rnnlib.bptt.backward (full BPTT).
    X : array (N, T, D)
        The inputs.
    states : array (T + 1, N, H)
        h_0 .. h_T from the forward pass (ForwardCache.states).

    Returns
    -------
    array (T,)
        At index j, the L2 norm of the three shares together for step t = T - j (j = 0 is the
        last step).
    """
    Xt = X.transpose(1, 0, 2)
    dU = np.einsum("tnh,tnd->thd", deltas, Xt)
    dW = np.einsum("tnh,tni->thi", deltas, states[:-1])
    db = deltas.sum(axis=1)
    norms = np.sqrt((dU**2).sum(axis=(1, 2)) + (dW**2).sum(axis=(1, 2)) + (db**2).sum(axis=1))
    return norms[::-1].copy()


@lru_cache(maxsize=1)
def _full_bptt_curve() -> np.ndarray:
    run = _run_train(TRUNCATION_LEARNING_RATE, TRUNCATION_EPOCHS, None, TRUNCATION_CLIPPING)
    curve = np.array(run.history.train_loss)
    curve.flags.writeable = False
    return curve


def first_below(values: np.ndarray, level: float, all_after: bool = False) -> int:
    """Where a curve falls below a level: the views' "the error no longer reaches" step; no checks.

    Parameters
    ----------
    values : array (n,)
        The curve, e.g. the per-step contributions relative to the largest.
    level : float
        The level, e.g. REACH_LEVEL.
    all_after : bool
        False: the first index whose value is below ``level``; True: the first index from which
        every value is.

    Returns
    -------
    int
        That index, or n if there is none.
    """
    below = values < level
    if all_after:
        # first index from which every value is below the level
        above = np.flatnonzero(~below)
        return int(above[-1] + 1) if above.size else 0
    hits = np.flatnonzero(below)
    return int(hits[0]) if hits.size else values.size


def truncation_result(truncation: int) -> TruncationResult:
    """Compute the truncation view for depth k = truncation (an integer >= 1).

    Results are remembered (RESULTS_KEPT of each view; their arrays are read-only): a slider
    moved back to a value it has shown answers at once, and a text and a plot of the same
    setting train once.

    Parameters
    ----------
    truncation : int
        k >= 1; k >= T (50) is full BPTT.

    Returns
    -------
    TruncationResult
        The gradient comparison at the initial parameters, contributions (T,), and training
        losses (TRUNCATION_EPOCHS,) with depth k and with full BPTT.

    Raises
    ------
    TypeError
        For a truncation that is not an integer.
    ValueError
        For truncation < 1.
    """
    return _truncation_result(positive_int(truncation, "truncation"))


@lru_cache(maxsize=1)
def _initial_backward():
    """What every depth k shares (computed once): the initial parameters, the forward cache,
    dL/dY_hat, the full-BPTT gradient as one vector, and the step contributions (read-only)."""
    data = course_data()
    params = initial_params()
    Y_hat, cache = forward(params, data.X_train, ACTIVATION)
    _, dY_hat = mse_loss(Y_hat, data.Y_train)
    grads_full, deltas = backward(dY_hat, params, cache)
    contributions = step_contributions(deltas, data.X_train, cache.states)
    g_full = _flat(grads_full)
    for array in (contributions, g_full):
        array.flags.writeable = False
    return params, cache, dY_hat, g_full, contributions


@lru_cache(maxsize=RESULTS_KEPT)
def _truncation_result(k_requested: int) -> TruncationResult:
    data = course_data()
    T = data.X_train.shape[1]
    k = min(k_requested, T)
    params, cache, dY_hat, g_full, contributions = _initial_backward()
    g_k = _flat(backward(dY_hat, params, cache, k)[0])
    difference = float(np.linalg.norm(g_k - g_full) / np.linalg.norm(g_full))
    cosine = float(g_k @ g_full / (np.linalg.norm(g_k) * np.linalg.norm(g_full)))
    relative = contributions / contributions.max()
    run = _run_train(TRUNCATION_LEARNING_RATE, TRUNCATION_EPOCHS, k, TRUNCATION_CLIPPING)
    train_loss = np.array(run.history.train_loss)
    train_loss.flags.writeable = False
    return TruncationResult(
        truncation=k_requested,
        steps=k,
        T=T,
        relative_difference=difference,
        cosine=cosine,
        contributions=contributions,
        kept_share=float(contributions[:k].sum() / contributions.sum()),
        reach_steps=first_below(relative, REACH_LEVEL, all_after=False),
        vanish_steps=first_below(relative, VANISHED_LEVEL, all_after=True),
        train_loss=train_loss,
        full_train_loss=_full_bptt_curve(),
        status=run_status(run.history),
    )


def clear_results() -> None:
    """Forget the remembered results of the three views (benchmarks/bench_sliders.py times the
    computation itself).

    course_data, the full-BPTT training curve and the gradient at the initial parameters
    (what no slider changes) stay remembered.
    """
    for view in (_truncation_result, _learning_rate_result, _explorer_result):
        view.cache_clear()



@dataclass(frozen=True)
class LearningRateResult:
    """One training run with a learning rate and norm clipping at a threshold.

    train_loss, grad_norm, clip_fraction: (E,) per epoch (E < epochs if it diverged; values
    may be non-finite then); diverged_epoch: None or the epoch it stopped; status: run_status.
    """

    learning_rate: float
    clip_threshold: float
    epochs: int
    train_loss: np.ndarray
    grad_norm: np.ndarray
    clip_fraction: np.ndarray
    diverged_epoch: int | None
    status: str


def learning_rate_result(learning_rate: float, clip_threshold: float) -> LearningRateResult:
    """Train the small model for LEARNING_RATE_EPOCHS full-batch epochs (full BPTT); remembered
    as truncation_result's are.

    A diverging run stops (on_divergence="stop") and is reported in the result, not raised.

    Parameters
    ----------
    learning_rate : float
        Finite and > 0.
    clip_threshold : float
        The global-norm clipping threshold c, finite and > 0.

    Returns
    -------
    LearningRateResult
        train_loss, grad_norm, clip_fraction (E,), E <= LEARNING_RATE_EPOCHS.

    Raises
    ------
    TypeError
        For a learning_rate or clip_threshold that is not a number.
    ValueError
        For one that is not finite and > 0.
    """
    return _learning_rate_result(positive_float(learning_rate, "learning_rate"),
                                 positive_float(clip_threshold, "clip_threshold"))


@lru_cache(maxsize=RESULTS_KEPT)
def _learning_rate_result(lr: float, c: float) -> LearningRateResult:
    run = _run_train(lr, LEARNING_RATE_EPOCHS, None, Clipping("norm", c))
    h = run.history
    arrays = [np.array(h.train_loss), np.array(h.grad_norm), np.array(h.clip_fraction)]
    for array in arrays:
        array.flags.writeable = False
    return LearningRateResult(lr, c, LEARNING_RATE_EPOCHS, *arrays, h.diverged_epoch,
                              run_status(h))



@dataclass(frozen=True)
class ExplorerResult:
    """One training run with validation, and its predictions in original units.

    train_loss, val_loss: (E,) per epoch (shorter if it diverged);
    train_targets, val_targets: positions in the series of the predicted values;
    train_pred, val_pred: predictions there in original units (NaN if the parameters are no
    longer finite); val_rmse: validation RMSE in original units (NaN then).
    """

    truncation: int
    learning_rate: float
    epochs: int
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_targets: np.ndarray
    val_targets: np.ndarray
    train_pred: np.ndarray
    val_pred: np.ndarray
    val_rmse: float
    diverged_epoch: int | None
    status: str


def explorer_result(truncation: int, learning_rate: float) -> ExplorerResult:
    """Train for EXPLORER_EPOCHS with depth k and the learning rate (norm clipping at 1);
    remembered as truncation_result's are.

    A diverging run stops and is reported in the result (predictions NaN), not raised.

    Parameters
    ----------
    truncation : int
        k >= 1; k >= T (50) is full BPTT.
    learning_rate : float
        Finite and > 0.

    Returns
    -------
    ExplorerResult
        train_loss, val_loss (E,), E <= EXPLORER_EPOCHS; train_pred (50,), val_pred (50,) and
        val_rmse in original units.

    Raises
    ------
    TypeError
        For a truncation that is not an integer, a learning_rate that is not a number.
    ValueError
        For truncation < 1, a learning_rate that is not finite and > 0.
    """
    return _explorer_result(positive_int(truncation, "truncation"),
                            positive_float(learning_rate, "learning_rate"))


@lru_cache(maxsize=RESULTS_KEPT)
def _explorer_result(k: int, lr: float) -> ExplorerResult:
    data = course_data()
    run = _run_train(lr, EXPLORER_EPOCHS, k, EXPLORER_CLIPPING, validation=True)
    h = run.history
    if all(np.all(np.isfinite(a)) for _, a in run.params.items()):
        with np.errstate(all="ignore"):
            train_pred = data.scaler.inverse_transform(predict(run.params, data.X_train))[:, 0]
            val_pred = data.scaler.inverse_transform(predict(run.params, data.X_val))[:, 0]
        truth = data.series[data.val_targets, 0]
        with np.errstate(all="ignore"):
            val_rmse = float(np.sqrt(np.mean((val_pred - truth) ** 2)))
    else:
        train_pred = np.full(len(data.train_targets), np.nan)
        val_pred = np.full(len(data.val_targets), np.nan)
        val_rmse = float("nan")
    arrays = [np.array(h.train_loss), np.array(h.val_loss), train_pred, val_pred]
    for array in arrays:
        array.flags.writeable = False
    return ExplorerResult(
        k, lr, EXPLORER_EPOCHS, arrays[0], arrays[1], data.train_targets, data.val_targets,
        arrays[2], arrays[3], val_rmse, h.diverged_epoch, run_status(h),
    )


