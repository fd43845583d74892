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



class _Figure:
    """The view's figure and the artists that a result changes (update)."""

    def __init__(self, pyplot: bool):
        self.fig, (self.left, self.right) = new_figure(pyplot)
        left, right = self.left, self.right
        (self.loss,) = left.plot([], [], color="C0", ms=4, label="training loss")
        log_axis(left)
        left.set_xlabel("epoch")
        left.set_ylabel("training loss (scaled units²)")
        left.set_title("Training loss")
        legend_above(left)
        (self.norm,) = right.plot([], [], color="C2", ms=4, label="gradient norm before clipping")
        self.threshold = right.axhline(1.0, color="C3", ls="--", label="threshold")
        log_axis(right)
        right.set_xlabel("epoch")
        right.set_ylabel("global gradient norm")
        right.set_title("Gradient norm and clip threshold")
        legend_above(right)

    def changing(self) -> list:
        """The artists that a result changes (and those they overlap): redrawn each time."""
        left, right = self.left, self.right
        return [self.loss, left.yaxis, left.title, *left.spines.values(), self.norm,
                self.threshold, right.yaxis, right.get_legend(), *right.spines.values()]

    def static_key(self) -> tuple:
        """What the rest of the figure depends on."""
        return (self.left.get_xlim(), self.right.get_xlim())

    def update(self, result: LearningRateResult):
        r = result
        epochs = np.arange(1, len(r.train_loss) + 1)
        loss = positive(r.train_loss)
        set_curve(self.loss, epochs, loss)
        log_limits(self.left, loss)
        for ax in (self.left, self.right):
            ax.set_xlim(0, r.epochs + 1)
        self.left.title.set_text(f"Training loss, learning rate {r.learning_rate:.3g}"
                            if r.diverged_epoch is None else
                            f"Diverged at epoch {r.diverged_epoch}, learning rate "
                            f"{r.learning_rate:.3g}")
        norm = positive(r.grad_norm)
        set_curve(self.norm, epochs, norm)
        self.threshold.set_ydata([r.clip_threshold, r.clip_threshold])
        self.threshold.set_label(f"threshold {r.clip_threshold:.3g}")
        relabel_legend(self.right)
        log_limits(self.right, norm, np.array([r.clip_threshold]))
        return self.fig


def plot_learning_rate(result: LearningRateResult, pyplot: bool = True):
    """Left: training loss per epoch; right: gradient norm per epoch and the clip threshold.

    Each panel's legend sits above it, outside the data; a run of at most FEW_POINTS epochs is
    drawn with markers.

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
    return _Figure(pyplot).update(result)


def slider_png(result: LearningRateResult) -> bytes:
    """What a slider change draws: the PNG of plot_learning_rate(result, pyplot=False),
    in the view's one reused figure (widgets.reused_figure_png).

    Parameters
    ----------
    result : LearningRateResult

    Returns
    -------
    bytes
        The PNG.
    """
    return reused_figure_png(_Figure, result)


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
    show_png(format_learning_rate(result), slider_png(result))



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
        show_learning_rate, "learning-rate and clip-threshold sliders", note_range_ends=True,
        learning_rate=learning_rate_slider(LEARNING_RATE_DEFAULT),
        clip_threshold=clip,
    )


