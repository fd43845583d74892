"""Notebook 04's view: a learning rate and a clipping threshold, as text and figure."""

from __future__ import annotations

import numpy as np

from rnnlib.analysis import LearningRateResult, learning_rate_result
from rnnlib.settings import (
    CLIP_THRESHOLD_DEFAULT,
    CLIP_THRESHOLD_EXPONENTS,
    HIDDEN_SIZE,
    LEARNING_RATE_DEFAULT,
    LISTED_EPOCHS,
)
from rnnlib.views.widgets import (
    SLIDER_LAYOUT,
    fmt,
    learning_rate_slider,
    log_y,
    new_figure,
    positive,
    show,
    sliders,
    wrap_lines,
)


def format_learning_rate(result: LearningRateResult) -> str:
    """The learning-rate view's text (deterministic, explicit float formats).

    Parameters
    ----------
    result : LearningRateResult
        From rnnlib.analysis.learning_rate_result; not checked.

    Returns
    -------
    str
        Lines wrapped by wrap_lines: the losses and gradient norms at LISTED_EPOCHS (and the
        last epoch run), how often clipping acted, and the run's status.
    """
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
        "  training loss " + "".join(f"{fmt(r.train_loss[e - 1]):>10}" for e in listed),
        "  gradient norm " + "".join(f"{fmt(r.grad_norm[e - 1]):>10}" for e in listed),
        f"clipping acted in {clipped} of {run} updates; a step moves the parameters by at most "
        f"learning rate x threshold = {r.learning_rate * r.clip_threshold:.3g}",
        r.status,
    ]
    return wrap_lines(lines)


def learning_rate_text(learning_rate: float, clip_threshold: float) -> str:
    """Text of the learning-rate view (what the sliders print).

    Parameters
    ----------
    learning_rate : float
        Finite and > 0.
    clip_threshold : float
        The global-norm clipping threshold, finite and > 0.

    Returns
    -------
    str
        format_learning_rate(learning_rate_result(learning_rate, clip_threshold)).

    Raises
    ------
    TypeError
        For an argument that is not a number.
    ValueError
        For one that is not finite and > 0.
    """
    return format_learning_rate(learning_rate_result(learning_rate, clip_threshold))



def plot_learning_rate(result: LearningRateResult, pyplot: bool = True):
    """Left: training loss per epoch; right: gradient norm per epoch and the clip threshold.

    Parameters
    ----------
    result : LearningRateResult
        From rnnlib.analysis.learning_rate_result; not checked.
    pyplot : bool
        True (the default): a pyplot figure; False: a detached Figure (new_figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = result
    fig, (left, right) = new_figure(pyplot)
    epochs = np.arange(1, len(r.train_loss) + 1)
    loss = positive(r.train_loss)
    left.plot(epochs, loss, color="C0", label=f"learning rate {r.learning_rate:.3g}")
    log_y(left, loss)
    left.set_xlim(0, r.epochs + 1)
    left.set_xlabel("epoch")
    left.set_ylabel("training loss (scaled units²)")
    title = "Training loss" if r.diverged_epoch is None else f"Diverged at epoch {r.diverged_epoch}"
    left.set_title(title)
    left.legend(loc="upper right")
    norm = positive(r.grad_norm)
    right.plot(epochs, norm, color="C2", label="gradient norm before clipping")
    right.axhline(r.clip_threshold, color="C3", ls="--", label=f"threshold {r.clip_threshold:.3g}")
    log_y(right, norm, np.array([r.clip_threshold]))
    right.set_xlim(0, r.epochs + 1)
    right.set_xlabel("epoch")
    right.set_ylabel("global gradient norm")
    right.set_title("Gradient norm and clip threshold")
    right.legend(loc="best")
    return fig



def show_learning_rate(learning_rate: float, clip_threshold: float) -> None:
    """Print learning_rate_text(...) and display its figure (the sliders' output).

    Parameters
    ----------
    learning_rate, clip_threshold : float
        Finite and > 0.

    Raises
    ------
    TypeError
        For an argument that is not a number.
    ValueError
        For one that is not finite and > 0.
    """
    result = learning_rate_result(learning_rate, clip_threshold)
    show(format_learning_rate(result), plot_learning_rate(result, pyplot=False))



def learning_rate_widget():
    """Log sliders "learning rate" (1e-3 .. 1e2) and "clip threshold" (1e-2 .. 1e2) whose
    output is show_learning_rate(learning_rate, clip_threshold).

    Returns
    -------
    ipywidgets.interactive
        From sliders.
    """
    import ipywidgets as widgets

    low, high, step = CLIP_THRESHOLD_EXPONENTS
    clip = widgets.FloatLogSlider(
        value=CLIP_THRESHOLD_DEFAULT, base=10, min=low, max=high, step=step,
        description="clip threshold", readout_format=".3g", continuous_update=False,
        style={"description_width": "initial"}, layout=widgets.Layout(**SLIDER_LAYOUT),
    )
    return sliders(
        show_learning_rate, "learning-rate and clip-threshold sliders",
        learning_rate=learning_rate_slider(LEARNING_RATE_DEFAULT),
        clip_threshold=clip,
    )


