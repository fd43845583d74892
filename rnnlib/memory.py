"""What notebook 08 computes: the adding problem, how far back the error reaches, and its slider.

The adding problem (Hochreiter & Schmidhuber, 1997), with distance d: each record is d steps of
two inputs, a value u_t ~ uniform(0, 1) and a marker m_t in {0, 1}. Exactly two markers are 1,
one at a step drawn uniformly from the first half (t < d // 2, counting from 0), one from the
second half; the target is the sum of the two marked values. The answer depends on an input up
to d steps back, and on a product (marker times value): no linear function of the window
computes it.

The error's reach: for a trained or untrained cell, the norm over the batch of
g_{T-j} = dL/dh_{T-j} (j = 0 is the last state), divided by its norm at j = 0. Notebook 03
measured the same decay for the plain cell through each step's share of the gradient.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from rnnlib._checks import check_inputs, check_targets, generator, positive_int
from rnnlib._threads import one_blas_thread
from rnnlib.cells import network_gradients
from rnnlib.gated import GRUParams, init_gru
from rnnlib.losses import get_loss
from rnnlib.model import Params, init_params, time_major
from rnnlib.training import cell_for

CELLS = ("plain", "gru")
HIDDEN = 8  # the hidden size notebook 08 trains both cells with
D_MIN, D_MAX, D_DEFAULT = 4, 100, 40
REACH_RECORDS = 100  # records the slider's measurement averages over
REACH_LEVEL = 1e-3  # "the error no longer reaches": below this fraction of its size at j = 0


def adding_problem(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n records of the adding problem with distance d >= 2 (see the module docstring).

    Returns X (n, d, 2) with X[..., 0] the values and X[..., 1] the markers, and Y (n, 1).
    """
    n = positive_int(n, "n")
    d = positive_int(d, "d", minimum=2)
    rng = generator(rng)
    values = rng.uniform(0.0, 1.0, (n, d))
    markers = np.zeros((n, d))
    rows = np.arange(n)
    first = rng.integers(0, d // 2, n)
    second = rng.integers(d // 2, d, n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=2)
    Y = (values[rows, first] + values[rows, second])[:, None]
    return X, Y


def init_cell(cell: str, seed: int) -> Params | GRUParams:
    """Initial parameters of a cell ("plain" tanh RNN or "gru") with 2 inputs, HIDDEN units, 1
    output, drawn from numpy.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    if cell == "plain":
        return init_params(2, HIDDEN, 1, rng)
    if cell == "gru":
        return init_gru(2, HIDDEN, 1, rng)
    raise ValueError(f"cell must be one of {CELLS}, got {cell!r}")


def state_gradients(params: Params | GRUParams, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """g_t = dL/dh_t for t = 0 .. T, by full BPTT of the half MSE, for any cell.

    Parameters
    ----------
    params : Params or GRUParams
    X : array (N, T, D)
    Y : array (N, O)

    Returns
    -------
    array (T + 1, N, H)
        The state gradients the cell's backward pass computes (rnnlib.cells).
    """
    cell, params = cell_for(params)
    X = check_inputs(params, X)
    Y = check_targets(params, Y, X.shape[0])
    with one_blas_thread():
        return network_gradients(cell, params, time_major(X), Y, get_loss("mse"),
                                 X.shape[1])[2]


def reach(params: Params | GRUParams, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """(T + 1,) array: at index j, ||dL/dh_{T-j}|| / ||dL/dh_T|| (norms over the whole batch)."""
    g = state_gradients(params, X, Y)
    norms = np.sqrt(np.einsum("tnh,tnh->t", g, g))
    return norms[::-1] / norms[-1]


def probe_records(d: int) -> tuple[np.ndarray, np.ndarray]:
    """The REACH_RECORDS adding records of distance d (drawn with seed d) the slider measures on."""
    return adding_problem(REACH_RECORDS, d, np.random.default_rng(d))


@lru_cache(maxsize=64)
def reach_at_init(d: int, cell: str) -> np.ndarray:
    """reach() of the cell initialised with seed 0 on probe_records(d): what the slider's text
    gives, computed in milliseconds (and kept, read-only, for the plot of the same view)."""
    d = positive_int(d, "d", minimum=2)
    curve = reach(init_cell(cell, 0), *probe_records(d))
    curve.flags.writeable = False
    return curve


def _below(curve: np.ndarray) -> str:
    hits = np.flatnonzero(curve < REACH_LEVEL)
    return f"first at j = {hits[0]}" if hits.size else "nowhere in the window"


def reach_text(d: int, cell: str) -> str:
    """The slider's text for distance d and cell (values at initialisation: deterministic)."""
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
    any trained params given in ``trained`` (label -> params) on the same records."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 3.4))
    fig.subplots_adjust(left=0.14, right=0.97, bottom=0.15, top=0.9)
    ax = fig.add_subplot()
    X, Y = probe_records(d)
    ax.semilogy(reach_at_init(d, cell), label=f"{cell}, at initialisation")
    for label, params in (trained or {}).items():
        ax.semilogy(reach(params, X, Y), label=label)
    ax.axhline(REACH_LEVEL, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("j (steps back from the last)")
    ax.set_ylabel(r"$\|\partial L/\partial h_{T-j}\| \,/\, \|\partial L/\partial h_T\|$")
    ax.set_ylim(min(1e-4, ax.get_ylim()[0]), 10)
    ax.set_title(f"How far back the error reaches, d = {d}")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def show_reach(d: int, cell: str, trained: dict | None = None) -> None:
    """Print reach_text(d, cell) and display plot_reach(...) (the slider's output)."""
    from IPython.display import Image, display

    from rnnlib.explorer import figure_png

    print(reach_text(d, cell))
    display(Image(data=figure_png(plot_reach(d, cell, trained)), format="png"))


def reach_widget(trained: dict | None = None):
    """Slider "distance d" (D_MIN .. D_MAX) and a "cell" choice whose output is show_reach.

    trained: optional {"plain": {label: params}, "gru": {label: params}}, curves drawn for the
    chosen cell beside its initialisation. Like rnnlib.explorer's sliders, its text form (what a
    stored notebook shows before the cell has run) says how to make it live.
    """
    import ipywidgets as widgets

    from rnnlib.explorer import SLIDER_LAYOUT, _sliders

    slider = widgets.IntSlider(
        value=D_DEFAULT, min=D_MIN, max=D_MAX, step=1, description="distance d",
        continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )
    cell = widgets.ToggleButtons(options=list(CELLS), value="plain", description="cell")

    def view(d: int, cell: str) -> None:
        show_reach(d, cell, (trained or {}).get(cell))

    return _sliders(view, "distance slider and cell buttons", d=slider, cell=cell)
