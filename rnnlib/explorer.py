"""Everything behind the course's sliders: compute, describe in text, draw.

Three live views, each on the tutorial's data (sin of 0 .. 199, windows of T = 50 values, the
chronological split ``split_windows(series, 50, 50)`` scaled by ``fit_scaler`` on the training part)
and a small model (H = 16, tanh, initial parameters from ``init_params(..., default_rng(0))``):

- truncation (notebook 03): how the BPTT truncation depth k changes the gradient at the initial
  parameters (its relative difference from full BPTT, the per-step contributions) and training;
  its figure also draws the error's way back with the window of the last k steps marked
  (rnnlib.diagrams.draw_backward);
- learning rate (notebook 04): training curves and gradient norms for one learning rate with
  global-norm clipping at a threshold, converging or diverging;
- explorer (notebook 05): retrains with a truncation depth and a learning rate, then shows the
  training and validation losses and the predictions against the truth.

Each view is split in three: ``*_result(...)`` computes a small frozen dataclass,
``format_*(result)`` (and ``*_text(...)``) turns it into deterministic text, ``plot_*(result)``
draws one figure. ``show_*(...)`` prints the text and displays the figure as a PNG, which is what
the slider widgets ``*_widget()`` call on every change. Nothing here raises or warns for a slider
value inside the sliders' ranges: a diverging run or a vanished gradient is reported in the text.
Training and validation losses are those of rnnlib.train's History: both measured at the
parameters each epoch ends with. Before its cell has run, a widget's text form (what a notebook
stores and shows when just opened) says how to make it live.

Only numpy is needed to import this module; ipywidgets, IPython and matplotlib are imported by the
functions that draw or build widgets.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rnnlib._checks import positive_float, positive_int
from rnnlib.bptt import backward
from rnnlib.clipping import Clipping
from rnnlib.data import fit_scaler, sine_series, split_windows
from rnnlib.model import Params, forward, init_params, mse_loss, predict
from rnnlib.training import History, train

# The model and data every view uses.
WINDOW = 50  # T
N_VAL = 50
HIDDEN_SIZE = 16
INIT_SEED = 0
ACTIVATION = "tanh"

# Slider ranges and defaults. Log sliders are given as exponents of 10.
TRUNCATION_MIN, TRUNCATION_MAX, TRUNCATION_DEFAULT = 1, 50, 5
LEARNING_RATE_EXPONENTS = (-3.0, 2.0, 0.1)  # min, max, step: 1e-3 .. 1e2
LEARNING_RATE_DEFAULT = 0.1
CLIP_THRESHOLD_EXPONENTS = (-2.0, 2.0, 0.1)  # 1e-2 .. 1e2
CLIP_THRESHOLD_DEFAULT = 1.0
EXPLORER_TRUNCATION_DEFAULT = 10
EXPLORER_LEARNING_RATE_DEFAULT = 0.1

# Training set-up of each view, chosen so that a slider change (train + draw) fits in 0.5 s.
TRUNCATION_LEARNING_RATE = 0.3
TRUNCATION_CLIPPING = Clipping("norm", 1.0)
TRUNCATION_EPOCHS = 40
LEARNING_RATE_EPOCHS = 40
EXPLORER_CLIPPING = Clipping("norm", 1.0)
EXPLORER_EPOCHS = 40

# Epochs over which run_status says whether the loss is still falling.
RECENT_EPOCHS = 10
RESULTS_KEPT = 64  # results remembered per view (a few kB each)
# Thresholds used in the text (relative to the largest per-step contribution).
REACH_LEVEL = 1e-3
VANISHED_LEVEL = 1e-6
# Steps back j at which the per-step contributions are listed.
CONTRIBUTION_STEPS = (0, 1, 2, 3, 5, 10, 20, 30, 49)
# Epochs at which the learning-rate view lists the losses.
LISTED_EPOCHS = (1, 5, 10, 20, 30, 40)

# Text lines longer than this are wrapped between words.
TEXT_WIDTH = 88

FIGSIZE = (9.0, 3.3)
DIAGRAM_HEIGHT = 1.3
# The value range the explorer's predictions panel shows (original units; the sine and a margin).
PREDICTION_YLIM = (-1.6, 1.9)
DPI = 80


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
    """The tutorial's series, split chronologically and scaled (computed once, read-only)."""
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
    """The views' starting point: init_params(1, 16, 1, default_rng(0)), a fresh copy."""
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


def _text(lines: list[str]) -> str:
    """Lines joined, each sentence wrapped at TEXT_WIDTH between words (tables, indented by two
    spaces, are kept as they are): a browser never has to break a line inside a word."""
    out = []
    for line in lines:
        if line.startswith("  ") or len(line) <= TEXT_WIDTH:
            out.append(line)
        else:
            # "k = 5" and "1 .. 2" stay on one line: hold their spaces while wrapping
            held = line.replace(" = ", "\0=\0").replace(" .. ", "\0..\0")
            out += [part.replace("\0", " ") for part in textwrap.wrap(
                held, TEXT_WIDTH, subsequent_indent="    ", break_long_words=False,
                break_on_hyphens=False)]
    return "\n".join(out)


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
      than 10 % over the last RECENT_EPOCHS epochs, "levelling off" if not. A large factor
      is not convergence: the loss may still be falling steeply.
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


# --------------------------------------------------------------------------------------------
# Truncation depth (notebook 03)


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

    deltas: (T, N, H) from rnnlib.bptt.backward; X: (N, T, D) inputs; states: (T + 1, N, H) from
    the forward pass. Step t adds delta_t^T x_t to dU, delta_t^T h_{t-1} to dW and sum_n delta_t
    to db (rnnlib.bptt); the returned (T,) array holds, at index j, the L2 norm of these three
    together for step t = T - j (j = 0 is the last step).
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


def _first_below(values: np.ndarray, level: float, all_after: bool) -> int:
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
    setting train once."""
    return _truncation_result(positive_int(truncation, "truncation"))


@lru_cache(maxsize=RESULTS_KEPT)
def _truncation_result(k_requested: int) -> TruncationResult:
    data = course_data()
    params = initial_params()
    T = data.X_train.shape[1]
    k = min(k_requested, T)
    Y_hat, cache = forward(params, data.X_train, ACTIVATION)
    _, dY_hat = mse_loss(Y_hat, data.Y_train)
    grads_full, deltas = backward(dY_hat, params, cache)
    g_full = _flat(grads_full)
    g_k = _flat(backward(dY_hat, params, cache, k)[0])
    difference = float(np.linalg.norm(g_k - g_full) / np.linalg.norm(g_full))
    cosine = float(g_k @ g_full / (np.linalg.norm(g_k) * np.linalg.norm(g_full)))
    contributions = step_contributions(deltas, data.X_train, cache.states)
    relative = contributions / contributions.max()
    run = _run_train(TRUNCATION_LEARNING_RATE, TRUNCATION_EPOCHS, k, TRUNCATION_CLIPPING)
    contributions.flags.writeable = False
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
        reach_steps=_first_below(relative, REACH_LEVEL, all_after=False),
        vanish_steps=_first_below(relative, VANISHED_LEVEL, all_after=True),
        train_loss=train_loss,
        full_train_loss=_full_bptt_curve(),
        status=run_status(run.history),
    )


def clear_results() -> None:
    """Forget the remembered results of the three views (benchmarks/bench_sliders.py times the
    computation itself)."""
    for view in (_truncation_result, _learning_rate_result, _explorer_result):
        view.cache_clear()


def format_truncation(result: TruncationResult) -> str:
    """The truncation view's text (deterministic, explicit float formats)."""
    r = result
    steps = [j for j in CONTRIBUTION_STEPS if j < r.T]
    lines = [
        f"truncation depth k = {r.truncation}: the error flows back through the last "
        f"{r.steps} of T = {r.T} steps",
        f"gradient at the initial parameters: ||grad_k - grad_full|| / ||grad_full|| = "
        f"{r.relative_difference:.3e}, cosine(grad_k, grad_full) = {r.cosine:.6f}",
        "share of step T-j in the gradient of (U, W, b), full BPTT (kept by k: j < k):",
        "  j     " + "".join(f"{j:>9d}" for j in steps),
        "  norm  " + "".join(f"{r.contributions[j]:>9.1e}" for j in steps),
        f"the kept steps carry {100 * r.kept_share:.2f}% of the sum of all step norms; "
        f"a step's share falls below 1e-3 of the largest at j = {r.reach_steps}",
    ]
    if r.steps == 1:
        lines.append(
            "k = 1: only the last step counts (dW = delta_T^T h_(T-1)); the gradient ignores "
            "how W carries earlier inputs forward"
        )
    if r.steps == r.T:
        lines.append("k >= T: this is full BPTT, the difference is exactly 0")
    elif r.steps >= r.vanish_steps:
        lines.append(
            f"gradient vanished: steps j >= {r.vanish_steps} contribute less than 1e-6 of the "
            f"largest share, so k = {r.steps} is full BPTT for practical purposes"
        )
    full_last = r.full_train_loss[-1]
    last = r.train_loss[-1]
    lines.append(
        f"training (learning rate {TRUNCATION_LEARNING_RATE:g}, norm clipping at "
        f"{TRUNCATION_CLIPPING.threshold:g}, full batch): final training loss "
        f"{last:.2e} with k = {r.steps}, {full_last:.2e} with full BPTT "
        f"(ratio {last / full_last:.2f})"
    )
    lines.append(f"k = {r.steps}: {r.status}")
    return _text(lines)


def truncation_text(truncation: int) -> str:
    """Text of the truncation view for depth k = truncation (what the slider prints)."""
    return format_truncation(truncation_result(truncation))


# --------------------------------------------------------------------------------------------
# Learning rate and clipping threshold (notebook 04)


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
    as truncation_result's are."""
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


def _fmt(value: float) -> str:
    return f"{value:.2e}" if np.isfinite(value) else f"{value}"


def format_learning_rate(result: LearningRateResult) -> str:
    """The learning-rate view's text (deterministic, explicit float formats)."""
    r = result
    run = len(r.train_loss)
    listed = [e for e in LISTED_EPOCHS if e <= run]
    if run not in listed:
        listed.append(run)
    clipped = int(round(float(np.sum(r.clip_fraction))))
    lines = [
        f"learning rate {r.learning_rate:.3g}, norm clipping at threshold "
        f"{r.clip_threshold:.3g}: {r.epochs} full-batch epochs, H = {HIDDEN_SIZE}, full BPTT",
        "  epoch         " + "".join(f"{e:>10d}" for e in listed),
        "  training loss " + "".join(f"{_fmt(r.train_loss[e - 1]):>10}" for e in listed),
        "  gradient norm " + "".join(f"{_fmt(r.grad_norm[e - 1]):>10}" for e in listed),
        f"clipping acted in {clipped} of {run} updates; a step moves the parameters by at most "
        f"learning rate x threshold = {r.learning_rate * r.clip_threshold:.3g}",
        r.status,
    ]
    return _text(lines)


def learning_rate_text(learning_rate: float, clip_threshold: float) -> str:
    """Text of the learning-rate view (what the sliders print)."""
    return format_learning_rate(learning_rate_result(learning_rate, clip_threshold))


# --------------------------------------------------------------------------------------------
# Explorer: truncation depth and learning rate (notebook 05)


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
    remembered as truncation_result's are."""
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


def format_explorer(result: ExplorerResult) -> str:
    """The explorer's text (deterministic, explicit float formats)."""
    r = result
    T = course_data().X_train.shape[1]
    k = min(r.truncation, T)
    depth = "full BPTT" if k == T else f"the last {k} of {T} steps"
    lines = [
        f"truncation k = {r.truncation} ({depth}), learning rate {r.learning_rate:.3g}: "
        f"{r.epochs} full-batch epochs, H = {HIDDEN_SIZE}, norm clipping at "
        f"{EXPLORER_CLIPPING.threshold:g}",
    ]
    if len(r.val_loss):
        lines.append(
            f"final losses (scaled units): training {_fmt(r.train_loss[-1])}, "
            f"validation {_fmt(r.val_loss[-1])}"
        )
    else:
        lines.append(f"final training loss (scaled units): {_fmt(r.train_loss[-1])}")
    if np.isfinite(r.val_rmse):
        lines.append(f"validation RMSE (original units): {r.val_rmse:.2e}")
    else:
        lines.append("validation RMSE: none, the parameters are no longer finite")
    note = _off_scale_note(r)
    if note:
        lines.append(note)
    lines.append(r.status)
    return _text(lines)


def _off_scale_note(r: ExplorerResult) -> str:
    """Why the predictions panel shows no points, or "" when it shows them all."""
    predictions = np.concatenate([r.train_pred, r.val_pred])
    if not np.all(np.isfinite(predictions)):
        return "no predictions drawn: the parameters are no longer finite"
    low, high = PREDICTION_YLIM
    outside = int(np.sum((predictions < low) | (predictions > high)))
    if outside:
        return (
            f"{outside} of {predictions.size} predictions lie outside the predictions panel's "
            f"range {low:g} .. {high:g} (they reach {predictions.min():.2g} .. "
            f"{predictions.max():.2g}) and are not drawn"
        )
    return ""


def explorer_text(
    truncation: int = EXPLORER_TRUNCATION_DEFAULT,
    learning_rate: float = EXPLORER_LEARNING_RATE_DEFAULT,
) -> str:
    """Text of the explorer (what its sliders print)."""
    return format_explorer(explorer_result(truncation, learning_rate))


# --------------------------------------------------------------------------------------------
# Drawing


def _new_figure(pyplot: bool, diagram: bool = False):
    """A 1 x 2 figure: through pyplot (shown by plt.show() in a notebook) or detached; with
    diagram=True, a strip above the two panels for rnnlib.diagrams (returned as a third Axes)."""
    from matplotlib.ticker import MaxNLocator

    width, height = FIGSIZE
    size = (width, height + DIAGRAM_HEIGHT) if diagram else FIGSIZE
    if pyplot:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=size, dpi=DPI)
    else:
        from matplotlib.figure import Figure

        fig = Figure(figsize=size, dpi=DPI)
    if diagram:
        grid = fig.add_gridspec(2, 2, height_ratios=(DIAGRAM_HEIGHT, height))
        strip = fig.add_subplot(grid[0, :])
        axes = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])]
    else:
        axes = fig.subplots(1, 2)
    for ax in axes:
        # few ticks: every tick label is text, and drawing text is most of a redraw's cost
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    if diagram:
        fig.subplots_adjust(left=0.085, right=0.985, bottom=0.12, top=0.94, wspace=0.28,
                            hspace=0.32)
        return fig, (*axes, strip)
    fig.subplots_adjust(left=0.085, right=0.985, bottom=0.16, top=0.88, wspace=0.28)
    return fig, axes


def _positive(values) -> np.ndarray:
    """Values to draw on a log axis: non-finite and non-positive entries become NaN."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def _log_y(ax, *curves) -> None:
    """Log y axis with plain tick labels (mathtext labels are slow to draw) and safe limits."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    finite = np.concatenate([c[np.isfinite(c)] for c in curves] + [np.empty(0)])
    ax.set_yscale("log")
    if finite.size:
        low, high = finite.min(), finite.max()
        if high <= low * 1.5:
            low, high = low / 2, high * 2
        ax.set_ylim(low / 1.5, high * 1.5)
    else:
        ax.set_ylim(1e-3, 1e3)
    ax.yaxis.set_major_locator(LogLocator(numticks=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
    ax.yaxis.set_minor_locator(NullLocator())


def plot_truncation(result: TruncationResult, pyplot: bool = True):
    """Top: the error's way back with the window k (rnnlib.diagrams.draw_backward); left:
    per-step contributions, kept vs dropped by k; right: training loss, k vs full."""
    from rnnlib.diagrams import draw_backward

    r = result
    fig, (left, right, strip) = _new_figure(pyplot, diagram=True)
    draw_backward(r.steps, r.T, ax=strip)
    j = np.arange(r.T)
    kept = j < r.steps
    left.plot(j[kept], r.contributions[kept], "o", ms=4, color="C0", label=f"kept (j < {r.steps})")
    left.plot(j[~kept], r.contributions[~kept], "o", ms=4, color="0.6", label="dropped by k")
    _log_y(left, r.contributions)
    left.set_xlabel("steps back from the last step, j = T - t")
    left.set_ylabel("norm of step's gradient share")
    left.set_title(f"Where the gradient comes from (k = {r.truncation})")
    left.legend(loc="upper right")
    epochs = np.arange(1, len(r.full_train_loss) + 1)
    right.plot(epochs, _positive(r.full_train_loss), color="0.4", label="full BPTT")
    right.plot(np.arange(1, len(r.train_loss) + 1), _positive(r.train_loss), color="C1",
               label=f"k = {r.truncation}")
    _log_y(right, _positive(r.full_train_loss), _positive(r.train_loss))
    right.set_xlabel("epoch")
    right.set_ylabel("training loss (scaled units²)")
    right.set_title("Training with truncated BPTT")
    right.legend(loc="upper right")
    return fig


def plot_learning_rate(result: LearningRateResult, pyplot: bool = True):
    """Left: training loss per epoch; right: gradient norm per epoch and the clip threshold."""
    r = result
    fig, (left, right) = _new_figure(pyplot)
    epochs = np.arange(1, len(r.train_loss) + 1)
    loss = _positive(r.train_loss)
    left.plot(epochs, loss, color="C0", label=f"learning rate {r.learning_rate:.3g}")
    _log_y(left, loss)
    left.set_xlim(0, r.epochs + 1)
    left.set_xlabel("epoch")
    left.set_ylabel("training loss (scaled units²)")
    title = "Training loss" if r.diverged_epoch is None else f"Diverged at epoch {r.diverged_epoch}"
    left.set_title(title)
    left.legend(loc="upper right")
    norm = _positive(r.grad_norm)
    right.plot(epochs, norm, color="C2", label="gradient norm before clipping")
    right.axhline(r.clip_threshold, color="C3", ls="--", label=f"threshold {r.clip_threshold:.3g}")
    _log_y(right, norm, np.array([r.clip_threshold]))
    right.set_xlim(0, r.epochs + 1)
    right.set_xlabel("epoch")
    right.set_ylabel("global gradient norm")
    right.set_title("Gradient norm and clip threshold")
    right.legend(loc="best")
    return fig


def plot_explorer(result: ExplorerResult, pyplot: bool = True):
    """Left: training and validation loss per epoch; right: predictions vs truth."""
    r = result
    data = course_data()
    fig, (left, right) = _new_figure(pyplot)
    train_loss, val_loss = _positive(r.train_loss), _positive(r.val_loss)
    left.plot(np.arange(1, len(train_loss) + 1), train_loss, color="C0", label="training")
    left.plot(np.arange(1, len(val_loss) + 1), val_loss, color="C1", label="validation")
    _log_y(left, train_loss, val_loss)
    left.set_xlim(0, r.epochs + 1)
    left.set_xlabel("epoch")
    left.set_ylabel("loss (scaled units²)")
    left.set_title(f"Loss, k = {r.truncation}, learning rate {r.learning_rate:.3g}")
    left.legend(loc="upper right")
    t = np.arange(len(data.series))
    right.plot(t, data.series[:, 0], color="0.6", lw=1, label="sin(t)")
    with np.errstate(invalid="ignore"):
        right.plot(r.train_targets, np.where(np.isfinite(r.train_pred), r.train_pred, np.nan),
                   ".", ms=4, color="C0", label="predicted (training)")
        right.plot(r.val_targets, np.where(np.isfinite(r.val_pred), r.val_pred, np.nan),
                   ".", ms=4, color="C1", label="predicted (validation)")
    right.set_ylim(*PREDICTION_YLIM)
    right.set_xlabel("time step t")
    right.set_ylabel("value (original units)")
    right.set_title("Next-value predictions vs truth")
    right.legend(loc="upper center", ncols=3, fontsize="x-small", handlelength=1.0,
                 columnspacing=0.8, borderaxespad=0.3)
    note = _off_scale_note(r)
    if note:
        right.text(0.5, 0.45, textwrap.fill(note.split(" (")[0], 40), transform=right.transAxes,
                   ha="center", va="center", fontsize="small", color="C3",
                   bbox={"facecolor": "white", "edgecolor": "C3", "alpha": 0.9})
    return fig


def figure_png(fig) -> bytes:
    """The figure rendered to PNG bytes by Agg (one draw); a pyplot figure is closed after."""
    buffer = io.BytesIO()
    # light compression: the PNG is sent once and thrown away
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    if fig.canvas.manager is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# What the sliders call, and the widgets


def _show(text: str, fig) -> None:
    from IPython.display import Image, display

    print(text)
    display(Image(data=figure_png(fig), format="png"))


def show_truncation(truncation: int) -> None:
    """Print truncation_text(truncation) and display its figure (the slider's output)."""
    result = truncation_result(truncation)
    _show(format_truncation(result), plot_truncation(result, pyplot=False))


def show_learning_rate(learning_rate: float, clip_threshold: float) -> None:
    """Print learning_rate_text(...) and display its figure (the sliders' output)."""
    result = learning_rate_result(learning_rate, clip_threshold)
    _show(format_learning_rate(result), plot_learning_rate(result, pyplot=False))


def show_explorer(truncation: int, learning_rate: float) -> None:
    """Print explorer_text(...) and display its figure (the sliders' output)."""
    result = explorer_result(truncation, learning_rate)
    _show(format_explorer(result), plot_explorer(result, pyplot=False))


# What a slider cell's stored output says before the cell has run (its text/plain): a widget
# lives only in a running kernel, and an opened notebook has none yet.
NOT_LIVE = "[{what}: run this cell (Shift+Enter) to make them live]"
HOW_TO_MOVE = ("Drag a slider, or click its handle and use the arrow keys, or click the number at "
               "its right, type a value and press Enter. The view is recomputed when you let go.")
SLIDER_LAYOUT = {"width": "95%", "max_width": "720px"}


@lru_cache(maxsize=1)
def _sliders_class():
    import ipywidgets as widgets

    class Sliders(widgets.interactive):
        """An interact widget whose text form (shown before it runs) says how to make it live."""

        what = "sliders"

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs)
            data["text/plain"] = NOT_LIVE.format(what=self.what)
            return data

    return Sliders


def _sliders(function, what: str, **sliders):
    """widgets.interactive(function, **sliders) with a line on how to move the sliders."""
    import ipywidgets as widgets

    widget = _sliders_class()(function, **sliders)
    widget.what = what
    note = widgets.HTML(f"<small>{HOW_TO_MOVE}</small>")
    *controls, output = widget.children
    widget.children = (*controls, note, output)
    return widget


def _truncation_slider():
    import ipywidgets as widgets

    return widgets.IntSlider(
        value=TRUNCATION_DEFAULT, min=TRUNCATION_MIN, max=TRUNCATION_MAX, step=1,
        description="truncation k", continuous_update=False,
        style={"description_width": "initial"}, layout=widgets.Layout(**SLIDER_LAYOUT),
    )


def _learning_rate_slider(value: float):
    import ipywidgets as widgets

    low, high, step = LEARNING_RATE_EXPONENTS
    return widgets.FloatLogSlider(
        value=value, base=10, min=low, max=high, step=step, description="learning rate",
        readout_format=".3g", continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )


def truncation_widget():
    """Slider "truncation k" (1 .. 50) whose output is show_truncation(k)."""
    return _sliders(show_truncation, "truncation slider", truncation=_truncation_slider())


def learning_rate_widget():
    """Log sliders "learning rate" (1e-3 .. 1e2) and "clip threshold" (1e-2 .. 1e2) whose
    output is show_learning_rate(learning_rate, clip_threshold)."""
    import ipywidgets as widgets

    low, high, step = CLIP_THRESHOLD_EXPONENTS
    clip = widgets.FloatLogSlider(
        value=CLIP_THRESHOLD_DEFAULT, base=10, min=low, max=high, step=step,
        description="clip threshold", readout_format=".3g", continuous_update=False,
        style={"description_width": "initial"}, layout=widgets.Layout(**SLIDER_LAYOUT),
    )
    return _sliders(
        show_learning_rate, "learning-rate and clip-threshold sliders",
        learning_rate=_learning_rate_slider(LEARNING_RATE_DEFAULT),
        clip_threshold=clip,
    )


def explorer_widget():
    """Sliders "truncation k" (1 .. 50) and "learning rate" (log, 1e-3 .. 1e2) whose output is
    show_explorer(truncation, learning_rate)."""
    truncation = _truncation_slider()
    truncation.value = EXPLORER_TRUNCATION_DEFAULT
    return _sliders(
        show_explorer, "explorer sliders",
        truncation=truncation,
        learning_rate=_learning_rate_slider(EXPLORER_LEARNING_RATE_DEFAULT),
    )
