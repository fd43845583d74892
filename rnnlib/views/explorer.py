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
    legend_above,
    log_axis,
    log_limits,
    new_figure,
    positive,
    reused_figure_png,
    set_curve,
    show_png,
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



class _Figure:
    """The view's figure and the artists that a result changes (update)."""

    def __init__(self, pyplot: bool):
        self.fig, (self.left, self.right) = new_figure(pyplot)
        left, right = self.left, self.right
        (self.train_loss,) = left.plot([], [], color="C0", ms=4, label="training")
        (self.val_loss,) = left.plot([], [], color="C1", ms=4, label="validation")
        log_axis(left)
        left.set_xlabel("epoch")
        left.set_ylabel("loss (scaled units²)")
        left.set_title("Loss")
        legend_above(left)
        data = course_data()
        right.plot(np.arange(len(data.series)), data.series[:, 0], color="0.6", lw=1,
                   label="truth")
        (self.train_pred,) = right.plot([], [], ".", ms=4, color="C0",
                                        label="training")
        (self.val_pred,) = right.plot([], [], ".", ms=4, color="C1",
                                      label="validation")
        right.set_ylim(*PREDICTION_YLIM)
        right.set_xlabel("time step t")
        right.set_ylabel("value (original units)")
        right.set_title("Next-value predictions vs truth")
        legend_above(right)
        self.note = right.text(0.5, 0.45, "", transform=right.transAxes, ha="center",
                               va="center", fontsize="small", color="C3", visible=False,
                               bbox={"facecolor": "white", "edgecolor": "C3", "alpha": 0.9})

    def changing(self) -> list:
        """The artists that a result changes (and those they overlap): redrawn each time."""
        left, right = self.left, self.right
        return [self.train_loss, self.val_loss, left.yaxis, left.title, *left.spines.values(),
                self.train_pred, self.val_pred, self.note, *right.spines.values()]

    def static_key(self) -> tuple:
        """What the rest of the figure depends on."""
        return (self.left.get_xlim(), self.right.get_xlim(), self.right.get_ylim())

    def update(self, result: ExplorerResult):
        r = result
        train_loss, val_loss = positive(r.train_loss), positive(r.val_loss)
        set_curve(self.train_loss, np.arange(1, len(train_loss) + 1), train_loss)
        set_curve(self.val_loss, np.arange(1, len(val_loss) + 1), val_loss)
        log_limits(self.left, train_loss, val_loss)
        self.left.set_xlim(0, r.epochs + 1)
        self.left.title.set_text(f"Loss, k = {r.truncation}, learning rate {r.learning_rate:.3g}")
        with np.errstate(invalid="ignore"):
            self.train_pred.set_data(r.train_targets, np.where(np.isfinite(r.train_pred),
                                                               r.train_pred, np.nan))
            self.val_pred.set_data(r.val_targets, np.where(np.isfinite(r.val_pred),
                                                           r.val_pred, np.nan))
        note = _off_scale_note(r)
        self.note.set_visible(bool(note))
        self.note.set_text(textwrap.fill(note.split(" (")[0], 40))
        return self.fig


def plot_explorer(result: ExplorerResult, pyplot: bool = True):
    """Left: training and validation loss per epoch; right: predictions vs truth.

    Predictions outside PREDICTION_YLIM are not drawn; a note on the panel says so. Each
    panel's legend sits above it, outside the data.

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
    return _Figure(pyplot).update(result)


def slider_png(result: ExplorerResult) -> bytes:
    """What a slider change draws: the PNG of plot_explorer(result, pyplot=False), in the view's one
    reused figure (widgets.reused_figure_png).

    Parameters
    ----------
    result : ExplorerResult

    Returns
    -------
    bytes
        The PNG.
    """
    return reused_figure_png(_Figure, result)


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
    show_png(format_explorer(result), slider_png(result))



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
        show_explorer, "explorer sliders", note_range_ends=True,
        truncation=truncation,
        learning_rate=learning_rate_slider(EXPLORER_LEARNING_RATE_DEFAULT),
    )
