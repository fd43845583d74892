"""What notebook 08 computes: the adding problem and how far back the error reaches (its slider's
view is rnnlib.views.reach).

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
from rnnlib.settings import HIDDEN, REACH_RECORDS
from rnnlib.training import cell_for

CELLS = ("plain", "gru")


def adding_problem(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n records of the adding problem with distance d (see the module docstring).

    Parameters
    ----------
    n : int
        Records, >= 1.
    d : int
        Steps per record, >= 2.
    rng : numpy.random.Generator
        Draws the values, then the two markers' steps.

    Returns
    -------
    X : array (n, d, 2)
        X[..., 0] the values u_t, X[..., 1] the markers m_t.
    Y : array (n, 1)
        The sum of the two marked values.

    Raises
    ------
    TypeError, ValueError
        For n or d that are not integers >= 1 (>= 2 for d), an rng that is not a Generator.
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
    """Initial parameters of notebook 08's cells.

    Parameters
    ----------
    cell : str
        "plain" (the tanh RNN, rnnlib.init_params) or "gru" (rnnlib.init_gru).
    seed : int
        Seeds numpy.random.default_rng, which draws the weights (passed on unchecked: None
        draws fresh entropy, a bool counts as 0 or 1).

    Returns
    -------
    Params or GRUParams
        2 inputs, settings.HIDDEN hidden units, 1 output.

    Raises
    ------
    TypeError
        For a cell that is not a string, a seed that is not an integer (numpy's error).
    ValueError
        For a cell that is not one of CELLS, a negative seed (numpy's error).
    """
    if not isinstance(cell, str):
        raise TypeError(f"cell must be one of {CELLS}, got {type(cell).__name__}")
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
        The plain cell's (tanh) or the GRU's parameters.
    X : array (N, T, D)
        Inputs, D the model's input size.
    Y : array (N, O)
        Targets, O the model's output size.

    Returns
    -------
    array (T + 1, N, H)
        The state gradients the cell's backward pass computes (rnnlib.cells), time-major.

    Raises
    ------
    TypeError
        For params that are neither Params nor GRUParams, X or Y that are not real numbers.
    ValueError
        For params of inconsistent shapes, X or Y that are not finite arrays of the model's
        shapes (rnnlib._checks).
    """
    cell, params = cell_for(params)
    X = check_inputs(params, X)
    Y = check_targets(params, Y, X.shape[0])
    with one_blas_thread():
        return network_gradients(cell, params, time_major(X), Y, get_loss("mse"),
                                 X.shape[1])[2]


def reach(params: Params | GRUParams, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """How far back the error reaches: the state gradients' norms relative to the last one's.

    Parameters
    ----------
    params : Params or GRUParams
        The plain cell's (tanh) or the GRU's parameters.
    X : array (N, T, D)
        Inputs.
    Y : array (N, O)
        Targets.

    Returns
    -------
    array (T + 1,)
        At index j, ||dL/dh_{T-j}|| / ||dL/dh_T||, norms over the whole batch (1 at j = 0; NaN
        or infinite, with a RuntimeWarning, if dL/dh_T is 0, i.e. the predictions are exact).

    Raises
    ------
    TypeError, ValueError
        As state_gradients.
    """
    g = state_gradients(params, X, Y)
    norms = np.sqrt(np.einsum("tnh,tnh->t", g, g))
    return norms[::-1] / norms[-1]


def probe_records(d: int) -> tuple[np.ndarray, np.ndarray]:
    """The records the slider measures on: REACH_RECORDS adding records of distance d.

    Drawn with seed d, so that every call (and every kernel) measures on the same records.

    Parameters
    ----------
    d : int
        The distance, >= 2.

    Returns
    -------
    X : array (REACH_RECORDS, d, 2)
        Values and markers, as adding_problem.
    Y : array (REACH_RECORDS, 1)
        The sums of the marked values.

    Raises
    ------
    TypeError
        For a d that is not an integer.
    ValueError
        For d < 2 (a negative d already in numpy.random.default_rng).
    """
    return adding_problem(REACH_RECORDS, d, np.random.default_rng(d))


@lru_cache(maxsize=64)
def reach_at_init(d: int, cell: str) -> np.ndarray:
    """reach() of the cell initialised with seed 0 on probe_records(d): what the slider's text
    gives, computed in milliseconds (and kept, read-only, for the plot of the same view).

    Parameters
    ----------
    d : int
        The distance, >= 2.
    cell : str
        "plain" or "gru" (CELLS).

    Returns
    -------
    array (d + 1,)
        Read-only, remembered for the last 64 (d, cell) pairs: at index j,
        ||dL/dh_{d-j}|| / ||dL/dh_d||.

    Raises
    ------
    TypeError
        For a d that is not an integer, a cell that is not a string, or an argument that cannot
        be hashed (a list, by the cache).
    ValueError
        For d < 2 or a cell that is not one of CELLS.
    """
    d = positive_int(d, "d", minimum=2)
    curve = reach(init_cell(cell, 0), *probe_records(d))
    curve.flags.writeable = False
    return curve
