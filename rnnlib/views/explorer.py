"""Notebook 05's view, the explorer: a truncation depth and a learning rate, retrained, as
text and figure (losses, and predictions against the truth)."""

from __future__ import annotations

import textwrap

import numpy as np

from rnnlib.analysis import ExplorerResult, course_data, explorer_result
from rnnlib.settings import (
    EXPLORER_CLIPPING,
    EXPLORER_LEARNING_RATE_DEFAULT,
    EXPLORER_TRUNCATION_DEFAULT,
    HIDDEN_SIZE,
    PREDICTION_YLIM,
)
from rnnlib.views.widgets import (
    fmt,
    learning_rate_slider,
    log_y,
    new_figure,
    positive,
    show,
    sliders,
    truncation_slider,
    wrap_lines,
)


def format_explorer(result: ExplorerResult) -> str:
    """The explorer's text (deterministic, explicit float formats).

    Parameters
    ----------
    result : ExplorerResult
        From rnnlib.analysis.explorer_result; not checked.

    Returns
    -------
    str
        Lines wrapped by wrap_lines: the setting, the final losses, the validation RMSE in
        original units, a note on predictions not drawn, and the run's status.
    """
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
            f"final losses (scaled units): training {fmt(r.train_loss[-1])}, "
            f"validation {fmt(r.val_loss[-1])}"
        )
    else:
        lines.append(f"final training loss (scaled units): {fmt(r.train_loss[-1])}")
    if np.isfinite(r.val_rmse):
        lines.append(f"validation RMSE (original units): {r.val_rmse:.2e}")
    else:
        lines.append("validation RMSE: none, the parameters are no longer finite")
    note = _off_scale_note(r)
    if note:
        lines.append(note)
    lines.append(r.status)
    return wrap_lines(lines)


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
    """Text of the explorer (what its sliders print).

    Parameters
    ----------
    truncation : int
        k >= 1 (k >= 50: full BPTT); default EXPLORER_TRUNCATION_DEFAULT.
    learning_rate : float
        Finite and > 0; default EXPLORER_LEARNING_RATE_DEFAULT.

    Returns
    -------
    str
        format_explorer(explorer_result(truncation, learning_rate)).

    Raises
    ------
    TypeError
        For a truncation that is not an integer, a learning_rate that is not a number.
    ValueError
        For truncation < 1, a learning_rate that is not finite and > 0.
    """
    return format_explorer(explorer_result(truncation, learning_rate))



def plot_explorer(result: ExplorerResult, pyplot: bool = True):
    """Left: training and validation loss per epoch; right: predictions vs truth.

    Predictions outside PREDICTION_YLIM are not drawn; a note on the panel says so.

    Parameters
    ----------
    result : ExplorerResult
        From rnnlib.analysis.explorer_result; not checked.
    pyplot : bool
        True (the default): a pyplot figure; False: a detached Figure (new_figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = result
    data = course_data()
    fig, (left, right) = new_figure(pyplot)
    train_loss, val_loss = positive(r.train_loss), positive(r.val_loss)
    left.plot(np.arange(1, len(train_loss) + 1), train_loss, color="C0", label="training")
    left.plot(np.arange(1, len(val_loss) + 1), val_loss, color="C1", label="validation")
    log_y(left, train_loss, val_loss)
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



def show_explorer(truncation: int, learning_rate: float) -> None:
    """Print explorer_text(...) and display its figure (the sliders' output).

    Parameters
    ----------
    truncation : int
        k >= 1.
    learning_rate : float
        Finite and > 0.

    Raises
    ------
    TypeError
        For a truncation that is not an integer, a learning_rate that is not a number.
    ValueError
        For truncation < 1, a learning_rate that is not finite and > 0.
    """
    result = explorer_result(truncation, learning_rate)
    show(format_explorer(result), plot_explorer(result, pyplot=False))



def explorer_widget():
    """Sliders "truncation k" (1 .. 50) and "learning rate" (log, 1e-3 .. 1e2) whose output is
    show_explorer(truncation, learning_rate).

    Returns
    -------
    ipywidgets.interactive
        From sliders.
    """
    truncation = truncation_slider()
    truncation.value = EXPLORER_TRUNCATION_DEFAULT
    return sliders(
        show_explorer, "explorer sliders",
        truncation=truncation,
        learning_rate=learning_rate_slider(EXPLORER_LEARNING_RATE_DEFAULT),
    )
