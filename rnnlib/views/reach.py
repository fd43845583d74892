"""Notebook 08's view: how far back the error reaches, by distance d and cell, as text and figure
(rnnlib.memory computes it)."""

from __future__ import annotations

import numpy as np

from rnnlib.analysis import first_below
from rnnlib.memory import CELLS, probe_records, reach, reach_at_init
from rnnlib.settings import D_DEFAULT, D_MAX, D_MIN, REACH_FIGSIZE, REACH_LEVEL
from rnnlib.views.widgets import SLIDER_LAYOUT, figure_png, log_axis, sliders


def _below(curve: np.ndarray) -> str:
    j = first_below(curve, REACH_LEVEL)
    return f"first at j = {j}" if j < curve.size else "nowhere in the window"


def reach_text(d: int, cell: str) -> str:
    """The slider's text for distance d and cell (values at initialisation: deterministic).

    Parameters
    ----------
    d : int
        The distance, >= 2.
    cell : str
        "plain" or "gru".

    Returns
    -------
    str
        Three lines: the first step's ratio ||dL/dh_1|| / ||dL/dh_d||, and the first j at which
        the ratio falls below REACH_LEVEL.

    Raises
    ------
    TypeError
        For a d that is not an integer, a cell that is not a string.
    ValueError
        For d < 2 or a cell that is not one of CELLS.
    """
    curve = reach_at_init(d, cell)
    name = "plain tanh cell" if cell == "plain" else "GRU"
    return (
        f"{name}, d = {d}, at initialisation (seed 0):\n"
        f"  ||dL/dh_1|| (the first step's state, j = {d - 1}) is {curve[d - 1]:.1e} of "
        f"||dL/dh_{d}|| (the last, j = 0)\n"
        f"  the ratio is below {REACH_LEVEL:.0e} {_below(curve[:d])}"
    )


def plot_reach(d: int, cell: str, trained: dict | None = None):
    """A matplotlib Figure (not pyplot): the reach at initialisation over j = 0 .. d, and that of
    any trained params given in ``trained`` (label -> params) on the same records.

    Parameters
    ----------
    d : int
        The distance, >= 2.
    cell : str
        "plain" or "gru", the cell whose initialisation is drawn.
    trained : dict of str to Params or GRUParams, or None
        Curves to add, label -> parameters of a model with 2 inputs and 1 output.

    Returns
    -------
    matplotlib.figure.Figure
        Log y axis, with REACH_LEVEL marked.

    Raises
    ------
    TypeError, ValueError
        For d or cell as reach_text, or trained parameters that rnnlib.memory.reach refuses.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=REACH_FIGSIZE)
    fig.subplots_adjust(left=0.17, right=0.97, bottom=0.17, top=0.9)
    ax = fig.add_subplot()
    X, Y = probe_records(d)
    log_axis(ax)  # plain tick labels: mathtext takes a quarter of a slider change to draw
    ax.plot(reach_at_init(d, cell), label=f"{cell}, at initialisation")
    for label, params in (trained or {}).items():
        ax.plot(reach(params, X, Y), label=label)
    ax.axhline(REACH_LEVEL, color="grey", lw=0.8, ls=":")
    # sizes readable at 100 % zoom at the views' DPI
    ax.set_xlabel("j (steps back from the last)", fontsize=12)
    ax.set_ylabel("‖∂L/∂h(T−j)‖ / ‖∂L/∂h(T)‖", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.set_ylim(min(1e-4, ax.get_ylim()[0]), 10)
    ax.set_title(f"How far back the error reaches, d = {d}", fontsize=12)
    ax.legend(loc="lower left", fontsize=9, ncols=2)  # two columns: up to five trained networks
    return fig


def show_reach(d: int, cell: str, trained: dict | None = None) -> None:
    """Print reach_text(d, cell) and display plot_reach(...) (the slider's output).

    Parameters
    ----------
    d, cell, trained
        As plot_reach.

    Raises
    ------
    TypeError, ValueError
        As plot_reach.
    """
    from IPython.display import Image, display

    print(reach_text(d, cell))
    display(Image(data=figure_png(plot_reach(d, cell, trained)), format="png"))


def reach_widget(trained: dict | None = None):
    """Slider "distance d" (D_MIN .. D_MAX) and a "cell" choice whose output is show_reach.

    Like the other views' sliders, its text form (what a stored notebook shows before the cell
    has run) says how to make it live.

    Parameters
    ----------
    trained : dict or None
        {"plain": {label: params}, "gru": {label: params}}: curves drawn for the chosen cell
        beside its initialisation (a cell missing from it: none).

    Returns
    -------
    ipywidgets.interactive
        From sliders.
    """
    import ipywidgets as widgets

    slider = widgets.IntSlider(
        value=D_DEFAULT, min=D_MIN, max=D_MAX, step=1, description="distance d",
        continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )
    cell = widgets.ToggleButtons(options=list(CELLS), value="plain", description="cell")

    def view(d: int, cell: str) -> None:
        show_reach(d, cell, (trained or {}).get(cell))

    return sliders(view, "distance slider and cell buttons", note_range_ends=True, d=slider,
                   cell=cell)
