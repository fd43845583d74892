"""What every slider view shares: text wrapping, number formats, the figure layout, PNG
rendering, and the slider widget whose text form says how to make it live.

Only numpy is needed to import this module; ipywidgets, IPython and matplotlib are imported by
the functions that draw or build widgets.
"""

from __future__ import annotations

import io
import textwrap
from functools import cache, lru_cache

import numpy as np

from rnnlib.settings import (
    DIAGRAM_HEIGHT,
    DPI,
    FEW_POINTS,
    FIGSIZE,
    LEARNING_RATE_EXPONENTS,
    LEGEND_FONT_SIZE,
    LEGEND_ROW_PT,
    PANEL_HEADROOM,
    TEXT_WIDTH,
    TITLE_FONT_SIZE,
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

    Room above each panel holds its legend, under its title (legend_above): a legend never
    covers a curve.

    Parameters
    ----------
    pyplot : bool
        True: a pyplot figure (closed by figure_png); False: a matplotlib Figure that pyplot
        does not know, with an Agg canvas of its own, for the sliders' PNG output (a view
        redraws the same one at every slider change: its renderer and text layouts are reused).
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
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=size, dpi=DPI)
        FigureCanvasAgg(fig)
    if diagram:
        grid = fig.add_gridspec(2, 2, height_ratios=(DIAGRAM_HEIGHT, height))
        strip = fig.add_subplot(grid[0, :])
        axes = [fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])]
    else:
        axes = fig.subplots(1, 2)
    for ax in axes:
        # few ticks: every tick label is text, and drawing text is most of a redraw's cost
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    # the panels' tops leave room for a title and, under it, a one-row legend (legend_above)
    top = 1 - PANEL_HEADROOM / size[1]
    if diagram:
        fig.subplots_adjust(left=0.085, right=0.985, bottom=0.11, top=top, wspace=0.28,
                            hspace=0.42)
        return fig, (*axes, strip)
    fig.subplots_adjust(left=0.085, right=0.985, bottom=0.15, top=top, wspace=0.28)
    return fig, axes


def legend_above(ax):
    """A one-row legend between the panel and its title, outside the data: it covers nothing.

    Parameters
    ----------
    ax : matplotlib Axes
        With its labelled artists drawn and its title set.

    Returns
    -------
    matplotlib.legend.Legend
    """
    handles, labels = ax.get_legend_handles_labels()
    legend = ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                       ncols=len(labels), frameon=False, fontsize=LEGEND_FONT_SIZE,
                       handlelength=1.5, columnspacing=1.2, borderaxespad=0.15, borderpad=0.2)
    ax.title.set_fontsize(TITLE_FONT_SIZE)
    ax.set_title(ax.get_title(), pad=LEGEND_ROW_PT)
    return legend


def relabel_legend(ax) -> None:
    """Set the legend's texts to its artists' current labels (a reused figure's legend).

    Parameters
    ----------
    ax : matplotlib Axes
        Whose legend was made by legend_above from the same artists, in the same order.
    """
    _, labels = ax.get_legend_handles_labels()
    for text, label in zip(ax.get_legend().get_texts(), labels, strict=True):
        if text.get_text() != label:
            text.set_text(label)


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


def _label_power(value: float, _=None) -> str:
    return f"{value:.0e}"


def log_axis(ax) -> None:
    """Make the y axis logarithmic, with plain tick labels (mathtext is slow to draw).

    Parameters
    ----------
    ax : matplotlib Axes
    """
    from matplotlib.ticker import FuncFormatter, NullLocator

    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(_label_power))
    ax.yaxis.set_minor_locator(NullLocator())


def log_limits(ax, *curves) -> None:
    """Limits and ticks of a log y axis (log_axis) that enclose the finite values of the curves.

    With a margin (1e-3 .. 1e3 if there are no finite values), so that a NaN or inf never
    reaches matplotlib's limits, and always at least two labelled ticks: powers of ten, or
    1, 2 and 5 times them where the range holds fewer than two powers of ten.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : arrays (any shape)
        The values drawn, float arrays (non-positive values should already be NaN: positive).
    """
    from matplotlib.ticker import LogLocator

    finite = np.concatenate([c[np.isfinite(c)] for c in curves] + [np.empty(0)])
    if finite.size:
        low, high = finite.min(), finite.max()
        if high <= low * 1.5:
            low, high = low / 2, high * 2
        low, high = low / 1.5, high * 1.5
    else:
        low, high = 1e-3, 1e3
    ax.set_ylim(low, high)
    powers = np.floor(np.log10(high)) - np.ceil(np.log10(low)) + 1
    ax.yaxis.set_major_locator(LogLocator(numticks=5) if powers >= 2 else
                               LogLocator(subs=(1.0, 2.0, 5.0), numticks=5))


def log_y(ax, *curves) -> None:
    """log_axis(ax) and log_limits(ax, *curves): a log y axis with safe limits and ticks.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : arrays (any shape)
        The values drawn, float arrays (non-positive values should already be NaN: positive).
    """
    log_axis(ax)
    log_limits(ax, *curves)


def set_curve(line, x, y) -> None:
    """Set a line's data; a curve of at most FEW_POINTS points is drawn with markers too, so
    that a run that stopped after one or two epochs still shows its points.

    Parameters
    ----------
    line : matplotlib Line2D
    x, y : arrays (E,)
    """
    line.set_data(x, y)
    line.set_marker("o" if len(x) <= FEW_POINTS else "None")


def figure_png(fig) -> bytes:
    """The figure rendered to PNG bytes by Agg (one draw); a pyplot figure is closed after.

    A figure with an Agg canvas of its own at DPI (new_figure(pyplot=False)) is drawn by that
    canvas, which keeps its renderer between draws, and encoded without the alpha channel (its
    background is opaque); any other figure goes through savefig at DPI.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
        The PNG file, at DPI.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if type(fig.canvas) is FigureCanvasAgg and fig.dpi == DPI and fig.canvas.manager is None:
        fig.canvas.draw()
        return canvas_png(fig.canvas)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    if fig.canvas.manager is not None:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return buffer.getvalue()


class Redraw:
    """Redraw only what a slider changes: the rest of a figure is drawn once and kept.

    The artists in ``changing`` are marked animated, so that a full draw of the figure leaves
    them out: that draw, the background, is kept as pixels and drawn again only when ``key``
    changes (what the background depends on, such as axis limits). Each call then restores the
    background and draws the changing artists over it in their z-order, as a full draw orders
    them (matplotlib's blitting). Used on a figure of new_figure(pyplot=False) whose changing
    artists cover every artist that overlaps them; the result equals a full draw.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        With an Agg canvas of its own.
    """

    def __init__(self, fig):
        self.fig = fig
        self.changing: list = []
        self.key = None
        self.background = None

    def set_changing(self, artists) -> None:
        """The artists that a slider change may alter (replacing the previous ones).

        Parameters
        ----------
        artists : iterable of matplotlib artists
        """
        for artist in self.changing:
            artist.set_animated(False)
        self.changing = list(artists)
        for artist in self.changing:
            artist.set_animated(True)

    def png(self, key) -> bytes:
        """Draw (the background only if key differs from the last call's) and encode as PNG.

        Parameters
        ----------
        key : hashable
            What the background depends on.

        Returns
        -------
        bytes
            As figure_png.
        """
        canvas = self.fig.canvas
        if self.background is None or key != self.key:
            canvas.draw()  # everything but the changing artists
            self.background = canvas.copy_from_bbox(self.fig.bbox)
            self.key = key
        else:
            canvas.restore_region(self.background)
        order = sorted(range(len(self.changing)), key=lambda i: self.changing[i].get_zorder())
        renderer = canvas.get_renderer()
        for i in order:
            self.changing[i].draw(renderer)
        return canvas_png(canvas)


@cache
def _reused_figure(figure_class):
    figure = figure_class(pyplot=False)
    figure.redraw = Redraw(figure.fig)
    return figure


def reused_figure_png(figure_class, result) -> bytes:
    """What a slider change draws: the PNG of ``figure_class(pyplot=False).update(result)``,
    drawn into one detached figure per view, reused from change to change, where only what the
    result changes is drawn again (Redraw): faster than a new figure, the same pixels.

    Parameters
    ----------
    figure_class : type
        A view's figure: built with ``pyplot=``, it has ``fig``, ``update(result)``,
        ``changing()`` (the artists a result changes) and ``static_key()`` (what the rest
        depends on).
    result : object
        What the view's plot function draws.

    Returns
    -------
    bytes
        The PNG.
    """
    figure = _reused_figure(figure_class)
    figure.update(result)
    figure.redraw.set_changing(figure.changing())
    return figure.redraw.png(figure.static_key())


def canvas_png(canvas) -> bytes:
    """The pixels of a drawn Agg canvas as PNG bytes, without the alpha channel (the figures'
    background is opaque), lightly compressed: the PNG is sent once and thrown away.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg

    Returns
    -------
    bytes
    """
    from PIL import Image

    buffer = io.BytesIO()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def show_png(text: str, png: bytes) -> None:
    """Print the text and display the PNG (what a slider change shows).

    Parameters
    ----------
    text : str
    png : bytes
    """
    from IPython.display import Image, display

    print(text)
    display(Image(data=png, format="png"))


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


def range_end_note(control, value) -> str:
    """"" or a line saying that a slider stands at an end of its range, and that a value typed
    beyond that end lands there.

    The browser clamps a value typed into a slider's box to the slider's range before the kernel
    sees it (ipywidgets' front end does), so the kernel cannot tell 1000 typed from 100 reached:
    at either end the view says what may have happened.

    Parameters
    ----------
    control : ipywidgets.IntSlider, FloatSlider or FloatLogSlider
        Its description, range (for a log slider, base ** min .. base ** max) and readout
        format name and write the values.
    value : int or float
        The value the view is called with (the control's value).

    Returns
    -------
    str
        One sentence, wrapped by wrap_lines; "" inside the range.
    """
    import math

    low, high = control.min, control.max
    if hasattr(control, "base"):
        low, high = control.base ** low, control.base ** high
    fmt = getattr(control, "readout_format", "d")
    if math.isclose(value, high, rel_tol=1e-9):
        end, side = "largest", "larger"
    elif math.isclose(value, low, rel_tol=1e-9):
        end, side = "smallest", "smaller"
    else:
        return ""
    return wrap_lines([
        f"note: {control.description} = {value:{fmt}} is the slider's {end} value (its range is "
        f"{low:{fmt}} .. {high:{fmt}}); a {side} value typed into its box is set to "
        f"{value:{fmt}}, and this view shows {value:{fmt}}"
    ])


def sliders(function, what: str, note_range_ends: bool = False, **sliders):
    """widgets.interactive(function, **sliders) with a line on how to move the sliders.

    Its text form (what a stored notebook shows before the cell has run) says how to make it
    live, NOT_LIVE with ``what``.

    Parameters
    ----------
    function : callable
        Called with the sliders' values as keyword arguments, named as in ``sliders``.
    what : str
        What the controls are, e.g. "truncation slider", for the text form.
    note_range_ends : bool
        Whether the output starts with range_end_note for each slider at an end of its range
        (a value typed beyond the range is set to that end without a word otherwise).
    **sliders : ipywidgets widgets
        The controls, keyed by function's parameter names.

    Returns
    -------
    ipywidgets.interactive
        The controls, the line on how to move them, then the output.
    """
    import functools

    import ipywidgets as widgets

    view = function
    if note_range_ends:
        ranged = {name: c for name, c in sliders.items() if hasattr(c, "min")}

        @functools.wraps(function)  # interactive reads the parameters' order from it
        def view(**values):
            for name, control in ranged.items():
                note = range_end_note(control, values[name])
                if note:
                    print(note)
            return function(**values)

    widget = _sliders_class()(view, **sliders)
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


