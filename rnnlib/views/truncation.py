"""Notebook 03's view: the truncation depth k, as text and figure (rnnlib.analysis computes it)."""

from __future__ import annotations

import numpy as np

from rnnlib.analysis import TruncationResult, truncation_result
from rnnlib.settings import CONTRIBUTION_STEPS, TRUNCATION_CLIPPING, TRUNCATION_LEARNING_RATE
from rnnlib.views.widgets import (
    log_y,
    new_figure,
    positive,
    show,
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



def plot_truncation(result: TruncationResult, pyplot: bool = True):
    """Top: the error's way back with the window k (rnnlib.diagrams.draw_backward); left:
    per-step contributions, kept vs dropped by k; right: training loss, k vs full.

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
    from rnnlib.diagrams import draw_backward

    r = result
    fig, (left, right, strip) = new_figure(pyplot, diagram=True)
    draw_backward(r.steps, r.T, ax=strip)
    j = np.arange(r.T)
    kept = j < r.steps
    left.plot(j[kept], r.contributions[kept], "o", ms=4, color="C0", label=f"kept (j < {r.steps})")
    left.plot(j[~kept], r.contributions[~kept], "o", ms=4, color="0.6", label="dropped by k")
    log_y(left, r.contributions)
    left.set_xlabel("steps back from the last step, j = T - t")
    left.set_ylabel("norm of step's gradient share")
    left.set_title(f"Where the gradient comes from (k = {r.truncation})")
    left.legend(loc="upper right")
    epochs = np.arange(1, len(r.full_train_loss) + 1)
    right.plot(epochs, positive(r.full_train_loss), color="0.4", label="full BPTT")
    right.plot(np.arange(1, len(r.train_loss) + 1), positive(r.train_loss), color="C1",
               label=f"k = {r.truncation}")
    log_y(right, positive(r.full_train_loss), positive(r.train_loss))
    right.set_xlabel("epoch")
    right.set_ylabel("training loss (scaled units²)")
    right.set_title("Training with truncated BPTT")
    right.legend(loc="upper right")
    return fig



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
    show(format_truncation(result), plot_truncation(result, pyplot=False))



def truncation_widget():
    """Slider "truncation k" (1 .. 50) whose output is show_truncation(k).

    Returns
    -------
    ipywidgets.interactive
        From sliders.
    """
    return sliders(show_truncation, "truncation slider", truncation=truncation_slider())


