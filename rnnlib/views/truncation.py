"""Notebook 03's view: the truncation depth k, as text and figure (rnnlib.analysis computes it)."""

from __future__ import annotations

import numpy as np

from rnnlib.analysis import TruncationResult, truncation_result
from rnnlib.settings import CONTRIBUTION_STEPS, TRUNCATION_CLIPPING, TRUNCATION_LEARNING_RATE
from rnnlib.views.widgets import (
    legend_above,
    log_axis,
    log_limits,
    new_figure,
    positive,
    relabel_legend,
    reused_figure_png,
    set_curve,
    show_png,
    sliders,
    truncation_slider,
    wrap_lines,
)


def format_truncation(result: TruncationResult) -> str:
    """The truncation view's text (deterministic, explicit float formats).

    Parameters
    ----------
    result : TruncationResult
        From rnnlib.analysis.truncation_result; not checked.

    Returns
    -------
    str
        Lines wrapped by wrap_lines: the gradient's difference from full BPTT, the per-step
        contributions at CONTRIBUTION_STEPS, the training losses and the run's status.
    """
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
    return wrap_lines(lines)


def truncation_text(truncation: int) -> str:
    """Text of the truncation view for depth k = truncation (what the slider prints).

    Parameters
    ----------
    truncation : int
        k >= 1 (k >= 50: full BPTT).

    Returns
    -------
    str
        format_truncation(truncation_result(truncation)).

    Raises
    ------
    TypeError
        For a truncation that is not an integer.
    ValueError
        For truncation < 1.
    """
    return format_truncation(truncation_result(truncation))



class _Figure:
    """The view's figure and the artists that a result changes (update)."""

    def __init__(self, pyplot: bool):
        self.fig, (self.left, self.right, self.strip) = new_figure(pyplot, diagram=True)
        left, right = self.left, self.right
        (self.kept,) = left.plot([], [], "o", ms=4, color="C0", label="kept")
        (self.dropped,) = left.plot([], [], "o", ms=4, color="0.6", label="dropped by k")
        log_axis(left)
        left.set_xlabel("steps back from the last step, j = T - t")
        left.set_ylabel("norm of step's gradient share")
        left.set_title("Where the gradient comes from")
        legend_above(left)
        (self.full,) = right.plot([], [], color="0.4", ms=4, label="full BPTT")
        (self.truncated,) = right.plot([], [], color="C1", ms=4, label="k")
        log_axis(right)
        right.set_xlabel("epoch")
        right.set_ylabel("training loss (scaled units²)")
        right.set_title("Training with truncated BPTT")
        legend_above(right)

    def changing(self) -> list:
        """The artists that a result changes (and those they overlap): redrawn each time."""
        left, right, strip = self.left, self.right, self.strip
        return [*strip.patches, *strip.texts, *strip.lines, *strip.collections, strip.title,
                self.kept, self.dropped, left.get_legend(), left.title, *left.spines.values(),
                self.full, self.truncated, right.yaxis, right.get_legend(),
                *right.spines.values()]

    def static_key(self) -> tuple:
        """What the rest of the figure depends on."""
        return (self.left.get_xlim(), self.left.get_ylim(), self.right.get_xlim())

    def update(self, result: TruncationResult):
        from rnnlib.diagrams import draw_backward

        r = result
        for artist in [*self.strip.patches, *self.strip.texts, *self.strip.lines,
                       *self.strip.collections]:
            artist.remove()
        draw_backward(r.steps, r.T, ax=self.strip)
        j = np.arange(r.T)
        kept = j < r.steps
        self.kept.set_data(j[kept], r.contributions[kept])
        self.dropped.set_data(j[~kept], r.contributions[~kept])
        self.kept.set_label(f"kept (j < {r.steps})")
        relabel_legend(self.left)
        log_limits(self.left, r.contributions)
        self.left.title.set_text(f"Where the gradient comes from (k = {r.truncation})")
        full, loss = positive(r.full_train_loss), positive(r.train_loss)
        set_curve(self.full, np.arange(1, len(full) + 1), full)
        set_curve(self.truncated, np.arange(1, len(loss) + 1), loss)
        self.truncated.set_label(f"k = {r.truncation}")
        relabel_legend(self.right)
        log_limits(self.right, full, loss)
        for ax in (self.left, self.right):
            ax.relim()
            ax.autoscale_view(scaley=False)
        return self.fig


def plot_truncation(result: TruncationResult, pyplot: bool = True):
    """Top: the error's way back with the window k (rnnlib.diagrams.draw_backward); left:
    per-step contributions, kept vs dropped by k; right: training loss, k vs full.

    Each panel's legend sits above it, outside the data.

    Parameters
    ----------
    result : TruncationResult
        From rnnlib.analysis.truncation_result; not checked.
    pyplot : bool
        True (the default): a pyplot figure; False: a detached Figure (new_figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    return _Figure(pyplot).update(result)


def slider_png(result: TruncationResult) -> bytes:
    """What a slider change draws: the PNG of plot_truncation(result, pyplot=False),
    in the view's one reused figure (widgets.reused_figure_png).

    Parameters
    ----------
    result : TruncationResult

    Returns
    -------
    bytes
        The PNG.
    """
    return reused_figure_png(_Figure, result)


def show_truncation(truncation: int) -> None:
    """Print truncation_text(truncation) and display its figure (the slider's output).

    Parameters
    ----------
    truncation : int
        k >= 1.

    Raises
    ------
    TypeError
        For a truncation that is not an integer.
    ValueError
        For truncation < 1.
    """
    result = truncation_result(truncation)
    show_png(format_truncation(result), slider_png(result))



def truncation_widget():
    """Slider "truncation k" (1 .. 50) whose output is show_truncation(k).

    Returns
    -------
    ipywidgets.interactive
        From sliders.
    """
    return sliders(show_truncation, "truncation slider", note_range_ends=True,
                   truncation=truncation_slider())


