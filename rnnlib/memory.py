"""What notebook 08 computes: the adding problem and how far back the error reaches (its slider's
view is rnnlib.views.reach).

The adding problem, with distance (sequence length) d: each record is d steps of two inputs, a
value u_t ~ uniform(0, 1) and a marker m_t in {0, 1}. Exactly two markers are 1, one at a step
drawn uniformly from the first half (t < d // 2, counting from 0), one from the second half; the
target is the sum of the two marked values. The answer depends on an input up to d steps back,
and on a product (marker times value): no linear function of the window computes it. This is
the variant of Le, Jaitly & Hinton (2015) and Arjovsky, Shah & Bengio (2016), who used lengths
d = 100 to 750; Hochreiter & Schmidhuber's (1997) original draws values from [-1, 1], puts the
first marker among the first ten steps, the second in the first half, and targets
0.5 + (u_1 + u_2) / 4, at lengths of 100 to 1000.

How fast each cell learns it: updates_to_solve trains one cell at one learning rate from one
seed and reports the number of updates after which the test MSE first falls below a fraction
(SOLVED, 0.1) of the trivial baseline's (predict the mean training target); notebook 08 and
benchmarks/bench_gates_sweep.py use it.

The error's reach: for a trained or untrained cell, the norm over the batch of
g_{T-j} = dL/dh_{T-j} (j = 0 is the last state), divided by its norm at j = 0. Notebook 03
measured the same decay for the plain cell through each step's share of the gradient.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from rnnlib._checks import (
    check_inputs,
    check_targets,
    generator,
    positive_float,
    positive_int,
)
from rnnlib._threads import one_blas_thread
from rnnlib.cells import network_gradients
from rnnlib.clipping import Clipping
from rnnlib.gated import GRUParams, init_gru
from rnnlib.losses import get_loss
from rnnlib.lstm import LSTMParams, init_lstm
from rnnlib.model import Params, init_params, time_major
from rnnlib.rounding import jittered
from rnnlib.settings import ADDING_RECORDS, HIDDEN, REACH_RECORDS, SWEEP_BATCH, SWEEP_CLIP
from rnnlib.training import cell_for, train

CELLS = ("plain", "gru")  # the reach slider's cells (and its probe's, reach_at_init)
SWEEP_CELLS = ("plain", "gru", "lstm")
INITS = ("uniform", "identity", "orthogonal")
SOLVED = 0.1  # solved: test MSE below this fraction of the baseline's
# what benchmarks/bench_gates_sweep.py wrote (the repository's copy)
SWEEP_FILE = Path(__file__).resolve().parents[1] / "benchmarks" / "gates_sweep.json"


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


def init_cell(cell: str, seed: int) -> Params | GRUParams | LSTMParams:
    """Initial parameters of notebook 08's cells: init_for_sweep(cell, settings.HIDDEN,
    numpy.random.default_rng(seed)).

    Parameters
    ----------
    cell : str
        "plain" (the tanh RNN, rnnlib.init_params), "gru" (rnnlib.init_gru) or "lstm"
        (rnnlib.init_lstm): SWEEP_CELLS. (The reach slider offers CELLS, the first two.)
    seed : int
        Seeds numpy.random.default_rng, which draws the weights; an integer >= 0.

    Returns
    -------
    Params, GRUParams or LSTMParams
        2 inputs, settings.HIDDEN hidden units, 1 output.

    Raises
    ------
    TypeError
        For a cell that is not a string, a seed that is not an integer (None and bools too).
    ValueError
        For a cell that is not one of SWEEP_CELLS, a negative seed.
    """
    if not isinstance(cell, str):
        raise TypeError(f"cell must be one of {SWEEP_CELLS}, got {type(cell).__name__}")
    rng = np.random.default_rng(positive_int(seed, "seed", minimum=0))
    return init_for_sweep(cell, HIDDEN, rng)


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
        At index j, ||dL/dh_{T-j}|| / ||dL/dh_T||, norms over the whole batch (1 at j = 0).

    Raises
    ------
    TypeError, ValueError
        As state_gradients; ValueError also where dL/dh_T is 0 (the predictions are exact, or
        V is zero): no error reaches the last state, so there is nothing to compare with.
    """
    g = state_gradients(params, X, Y)
    norms = np.sqrt(np.einsum("tnh,tnh->t", g, g))
    if norms[-1] == 0.0:
        raise ValueError("reach is undefined here: dL/dh_T is 0 (the predictions equal the "
                         "targets, or V is zero), so no error reaches the last state")
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


def adding_task(d: int, n: int = ADDING_RECORDS
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Notebook 08's data for distance d: n training records drawn with seed d, n test records
    with seed 100 + d.

    Parameters
    ----------
    d : int
        The distance, >= 2.
    n : int
        Records in each set, >= 1.

    Returns
    -------
    X (n, d, 2), Y (n, 1), X_test (n, d, 2), Y_test (n, 1)
        As adding_problem.

    Raises
    ------
    TypeError, ValueError
        As adding_problem.
    """
    X, Y = adding_problem(n, d, np.random.default_rng(d))
    X_test, Y_test = adding_problem(n, d, np.random.default_rng(100 + d))
    return X, Y, X_test, Y_test


def init_for_sweep(cell: str, hidden: int, rng: np.random.Generator, init: str = "uniform",
                   gate_bias: float = 0.0) -> Params | GRUParams | LSTMParams:
    """Initial parameters (2 inputs, 1 output) of a cell of the sweep.

    Parameters
    ----------
    cell : str
        "plain", "gru" or "lstm" (SWEEP_CELLS).
    hidden : int
        H >= 1.
    rng : numpy.random.Generator
        Draws the weights (rnnlib.init_params, init_gru, init_lstm), then, for init
        "orthogonal", the matrix whose QR factor is W.
    init : str
        The plain cell's W: "uniform" (init_params's), "identity" (W = I, the initialisation of
        Le et al.'s IRNN, here with tanh) or "orthogonal" (W = Q of the QR factorisation of a
        standard normal matrix, signs fixed by R's diagonal). Only "uniform" for the gated cells.
    gate_bias : float
        The gated cells' bias towards keeping the state: the GRU's update-gate bias b_z (z near
        1 keeps h_{t-1}) or the LSTM's forget-gate bias b_f. 0 for the plain cell.

    Returns
    -------
    Params, GRUParams or LSTMParams

    Raises
    ------
    ValueError
        For a cell or init not listed, an init other than "uniform" for a gated cell, or a
        gate_bias other than 0 for the plain cell.
    """
    if cell not in SWEEP_CELLS:
        raise ValueError(f"cell must be one of {SWEEP_CELLS}, got {cell!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    if cell != "plain" and init != "uniform":
        raise ValueError(f"init {init!r} applies to the plain cell only, got cell {cell!r}")
    if cell == "plain" and gate_bias != 0.0:
        raise ValueError(f"gate_bias applies to the gated cells only, got {gate_bias!r} for "
                         "the plain cell")
    if cell == "lstm":
        return init_lstm(2, hidden, 1, rng, forget_bias=gate_bias)
    if cell == "gru":
        params = init_gru(2, hidden, 1, rng)
        params.b[hidden : 2 * hidden] = gate_bias
        return params
    params = init_params(2, hidden, 1, rng)
    if init == "identity":
        params.W = jittered(np.eye(hidden))
    elif init == "orthogonal":
        q, r = np.linalg.qr(rng.standard_normal((hidden, hidden)))
        params.W = jittered(q * np.sign(np.diag(r)))
    return params


@dataclass(frozen=True)
class SweepRun:
    """One training run of the sweep and what it reached.

    cell, d, learning_rate, seed, hidden, init, gate_bias, budget: the settings (see
    updates_to_solve). solved_at: the number of updates after which the test MSE first fell
    below SOLVED x the baseline's (checked after every epoch), or None if it did not within the
    budget. best: the lowest test MSE / baseline seen (at solved_at if solved).
    diverged: whether training stopped on divergence (rnnlib.train's rule).
    """

    cell: str
    d: int
    learning_rate: float
    seed: int
    hidden: int
    init: str
    gate_bias: float
    budget: int
    solved_at: int | None
    best: float
    diverged: bool


class _Solved(Exception):
    """Raised by the callback to stop a run once it has solved the task."""


def updates_to_solve(cell: str, d: int, learning_rate: float, seed: int, *, budget: int,
                     hidden: int, init: str = "uniform", gate_bias: float = 0.0,
                     batch_size: int = SWEEP_BATCH, clip: float = SWEEP_CLIP,
                     data: tuple | None = None) -> SweepRun:
    """Train one cell with Adam on the adding problem until it is solved or the budget is spent.

    Training: adding_task(d)'s 1000 training records, minibatches of batch_size (one update
    each, 20 per epoch at the defaults), full BPTT, Adam at learning_rate, norm clipping at
    clip, on_divergence="stop". The seed's generator draws the initial weights, then the
    shuffle (as notebook 08's runs). After every epoch the test MSE (on the 1000 test records)
    is compared with the baseline's, mean((Y_test - mean(Y))**2).

    Parameters
    ----------
    cell : str
        "plain", "gru" or "lstm".
    d : int
        The distance, >= 2.
    learning_rate : float
        Adam's step size > 0.
    seed : int
        Seeds numpy.random.default_rng (weights, then shuffle).
    budget : int
        The most updates to run, >= 1 (rounded up to whole epochs).
    hidden : int
        H >= 1.
    init, gate_bias : str, float
        As init_for_sweep.
    batch_size : int
        Records per update.
    clip : float
        The global-norm clipping threshold > 0.
    data : tuple or None
        adding_task(d)'s four arrays, if already drawn (else drawn here).

    Returns
    -------
    SweepRun
        The settings, solved_at (updates, a multiple of the updates per epoch, or None), the
        best ratio reached and whether training diverged.

    Raises
    ------
    TypeError, ValueError
        For arguments of the wrong kind or value (init_for_sweep, rnnlib.train).
    """
    budget = positive_int(budget, "budget")
    learning_rate = positive_float(learning_rate, "learning_rate")
    X, Y, X_test, Y_test = adding_task(d) if data is None else data
    per_epoch = -(-X.shape[0] // min(positive_int(batch_size, "batch_size"), X.shape[0]))
    baseline = float(np.mean((Y_test - Y.mean()) ** 2))
    rng = np.random.default_rng(seed)
    params = init_for_sweep(cell, hidden, rng, init, gate_bias)
    reached = {"best": np.inf, "solved_at": None}

    def watch(epoch, history):
        ratio = 2.0 * history.val_loss[-1] / baseline  # val_loss is half the MSE
        reached["best"] = min(reached["best"], ratio)
        if ratio < SOLVED:
            reached["solved_at"] = epoch * per_epoch
            raise _Solved

    diverged = False
    try:
        result = train(params, X, Y, X_val=X_test, Y_val=Y_test, learning_rate=learning_rate,
                       epochs=-(-budget // per_epoch), batch_size=batch_size, rng=rng,
                       optimizer="adam", clipping=Clipping("norm", clip), callback=watch,
                       on_divergence="stop", train_loss_every_epoch=False)  # watches val_loss
        diverged = result.history.diverged_epoch is not None
    except _Solved:
        pass
    return SweepRun(cell, int(d), float(learning_rate), int(seed), int(hidden), init,
                    float(gate_bias), budget, reached["solved_at"], float(reached["best"]),
                    diverged)


def save_sweep(runs: list[SweepRun], path: str | Path, settings: dict) -> None:
    """Write runs and the sweep's settings to a JSON file (read back by load_sweep).

    Parameters
    ----------
    runs : list of SweepRun
        The runs, in the order load_sweep returns them.
    path : str or Path
        The JSON file, overwritten.
    settings : dict
        The sweep's settings, JSON-serialisable.
    """
    text = json.dumps({"settings": settings, "runs": [asdict(run) for run in runs]}, indent=1)
    Path(path).write_text(text + "\n")


def load_sweep(path: str | Path = SWEEP_FILE) -> tuple[dict, list[SweepRun]]:
    """The settings and runs that save_sweep wrote.

    Parameters
    ----------
    path : str or Path
        The JSON file, by default SWEEP_FILE (benchmarks/gates_sweep.json in the repository).

    Returns
    -------
    settings : dict
    runs : list of SweepRun

    Raises
    ------
    OSError, ValueError
        For a missing or malformed file.
    """
    content = json.loads(Path(path).read_text())
    return content["settings"], [SweepRun(**run) for run in content["runs"]]
