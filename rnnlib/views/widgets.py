"""What every slider view shares: text wrapping, number formats, the figure layout, PNG
rendering, and the slider widget whose text form says how to make it live.

Only numpy is needed to import this module; ipywidgets, IPython and matplotlib are imported by
the functions that draw or build widgets.
"""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

import numpy as np

from rnnlib.settings import (
    DIAGRAM_HEIGHT,
    DPI,
    FIGSIZE,
    LEARNING_RATE_EXPONENTS,
    TEXT_WIDTH,
    TRUNCATION_DEFAULT,
    TRUNCATION_MAX,
    TRUNCATION_MIN,
)


def wrap_lines(lines: list[str]) -> str:
    """Lines joined, each sentence wrapped at TEXT_WIDTH between words (tables, indented by two
    spaces, are kept as they are): a browser never has to break a line inside a word.

    "k = 5" and "1 .. 2" are never split across lines; continuation lines are indented by four
    spaces.

    Parameters
    ----------
    lines : list of str
        One sentence or table row each, without newlines.

    Returns
    -------
    str
        The lines joined by newlines.
    """
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



def fmt(value: float) -> str:
    """A loss or norm in the views' format: 1.23e-04, or inf / nan as they are.

    Parameters
    ----------
    value : float

    Returns
    -------
    str
    """
    return f"{value:.2e}" if np.isfinite(value) else f"{value}"



def new_figure(pyplot: bool, diagram: bool = False):
    """A 1 x 2 figure: through pyplot (shown by plt.show() in a notebook) or detached; with
    diagram=True, a strip above the two panels for rnnlib.diagrams (returned as a third Axes).

    Parameters
    ----------
    pyplot : bool
        True: a pyplot figure (closed by figure_png); False: a matplotlib Figure that pyplot
        does not know, for the sliders' PNG output.
    diagram : bool
        Whether to add the strip above the panels.

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : (left, right) or (left, right, strip)
        The Axes of the two panels, then the strip's.
    """
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


def positive(values) -> np.ndarray:
    """Values to draw on a log axis: non-finite and non-positive entries become NaN.

    A diverged run's inf or a loss of exactly 0 would otherwise break the log axis' limits.

    Parameters
    ----------
    values : array, any shape
        Real numbers.

    Returns
    -------
    array of values' shape
        Float64, a new array.

    Raises
    ------
    TypeError, ValueError
        For values that numpy cannot convert to float64 (numpy's errors).
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def log_y(ax, *curves) -> None:
    """Log y axis with plain tick labels (mathtext labels are slow to draw) and safe limits.

    The limits enclose the finite values of all curves with a margin (1e-3 .. 1e3 if there are
    none), so that a NaN or inf never reaches matplotlib's limits.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : arrays (any shape)
        The values drawn, float arrays (non-positive values should already be NaN: positive).
    """
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



def figure_png(fig) -> bytes:
    """The figure rendered to PNG bytes by Agg (one draw); a pyplot figure is closed after.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file, at DPI.
    """
    buffer = io.BytesIO()
    # light compression: the PNG is sent once and thrown away
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    if fig.canvas.manager is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return buffer.getvalue()



def show(text: str, fig) -> None:
    """Print the text and display the figure as a PNG (what a slider change shows).

    Parameters
    ----------
    text : str
    fig : matplotlib.figure.Figure
        Closed after rendering if pyplot made it (figure_png).
    """
    from IPython.display import Image, display

    print(text)
    display(Image(data=figure_png(fig), format="png"))



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


def sliders(function, what: str, **sliders):
    """widgets.interactive(function, **sliders) with a line on how to move the sliders.

    Its text form (what a stored notebook shows before the cell has run) says how to make it
    live, NOT_LIVE with ``what``.

    Parameters
    ----------
    function : callable
        Called with the sliders' values as keyword arguments, named as in ``sliders``.
    what : str
        What the controls are, e.g. "truncation slider", for the text form.
    **sliders : ipywidgets widgets
        The controls, keyed by function's parameter names.

    Returns
    -------
    ipywidgets.interactive
        The controls, the line on how to move them, then the output.
    """
    import ipywidgets as widgets

    widget = _sliders_class()(function, **sliders)
    widget.what = what
    note = widgets.HTML(f"<small>{HOW_TO_MOVE}</small>")
    *controls, output = widget.children
    widget.children = (*controls, note, output)
    return widget


def truncation_slider():
    """The "truncation k" slider of notebooks 03 and 05.

    Returns
    -------
    ipywidgets.IntSlider
        TRUNCATION_MIN .. TRUNCATION_MAX (1 .. 50), at TRUNCATION_DEFAULT, updated on release.
    """
    import ipywidgets as widgets

    return widgets.IntSlider(
        value=TRUNCATION_DEFAULT, min=TRUNCATION_MIN, max=TRUNCATION_MAX, step=1,
        description="truncation k", continuous_update=False,
        style={"description_width": "initial"}, layout=widgets.Layout(**SLIDER_LAYOUT),
    )


def learning_rate_slider(value: float):
    """The log "learning rate" slider of notebooks 04 and 05, at ``value``.

    Parameters
    ----------
    value : float
        The starting learning rate, within 10 ** LEARNING_RATE_EXPONENTS[:2] (1e-3 .. 1e2).

    Returns
    -------
    ipywidgets.FloatLogSlider
        Updated on release.
    """
    import ipywidgets as widgets

    low, high, step = LEARNING_RATE_EXPONENTS
    return widgets.FloatLogSlider(
        value=value, base=10, min=low, max=high, step=step, description="learning rate",
        readout_format=".3g", continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )


