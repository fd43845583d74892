"""rnnlib.memory's sweep: the data sets, the sweep's initialisations, updates to solve, and the
committed results file that notebook 08 prints (one cheap entry re-run here)."""

import numpy as np
import pytest

import rnnlib
from rnnlib import memory
from rnnlib.gated import GRUParams
from rnnlib.lstm import LSTMParams
from rnnlib.model import Params


def test_the_task_is_drawn_with_seeds_d_and_100_plus_d():
    X, Y, X_test, Y_test = memory.adding_task(7, n=30)
    X2, Y2 = memory.adding_problem(30, 7, np.random.default_rng(7))
    X3, Y3 = memory.adding_problem(30, 7, np.random.default_rng(107))
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    assert np.array_equal(X_test, X3) and np.array_equal(Y_test, Y3)
    # the target is the sum of the two marked values, one marker in each half
    assert np.allclose(Y[:, 0], np.sum(X[..., 0] * X[..., 1], axis=1))
    assert np.all(X[:, :3, 1].sum(axis=1) == 1) and np.all(X[:, 3:, 1].sum(axis=1) == 1)


def test_the_sweeps_initialisations():
    rng = np.random.default_rng(0)
    identity = memory.init_for_sweep("plain", 5, rng, "identity")
    assert isinstance(identity, Params) and np.array_equal(identity.W, np.eye(5))
    W = memory.init_for_sweep("plain", 5, rng, "orthogonal").W
    assert np.allclose(W.T @ W, np.eye(5), atol=1e-12) and not np.allclose(W, np.eye(5))
    gru = memory.init_for_sweep("gru", 4, rng, gate_bias=1.0)
    assert isinstance(gru, GRUParams)
    assert np.array_equal(gru.b, np.r_[np.zeros(4), np.ones(4), np.zeros(4)])  # b_z only
    lstm = memory.init_for_sweep("lstm", 4, rng, gate_bias=1.0)
    assert isinstance(lstm, LSTMParams) and np.array_equal(lstm.b[4:8], np.ones(4))
    assert not lstm.b[:4].any() and not lstm.b[8:].any()


@pytest.mark.parametrize("args, message", [
    (("rnn", 4), "cell must be one of"),
    (("plain", 4, "eye"), "init must be one of"),
    (("gru", 4, "identity"), "init 'identity' applies to the plain cell only"),
    (("plain", 4, "uniform", 1.0), "gate_bias applies to the gated cells only"),
])
def test_bad_settings_are_named(args, message):
    cell, hidden, *rest = args
    with pytest.raises(ValueError, match=message):
        memory.init_for_sweep(cell, hidden, np.random.default_rng(0), *rest)


def test_a_bad_budget_is_named():
    with pytest.raises(ValueError, match="budget"):
        memory.updates_to_solve("gru", 5, 0.01, 0, budget=0, hidden=4)


def test_updates_to_solve_stops_when_solved_and_reports_a_failure_with_its_best_ratio():
    data = memory.adding_task(5, n=200)
    solved = memory.updates_to_solve("gru", 5, 0.04, 0, budget=2000, hidden=4, data=data)
    # 200 records in batches of 50: 4 updates per epoch, checked after each epoch
    assert solved.solved_at is not None and solved.solved_at % 4 == 0
    assert solved.best < memory.SOLVED and not solved.diverged
    short = memory.updates_to_solve("plain", 5, 0.001, 0, budget=4, hidden=4, data=data)
    assert short.solved_at is None and short.best > memory.SOLVED  # one epoch is too few


def test_save_and_load_give_the_same_runs(tmp_path):
    run = memory.SweepRun("gru", 40, 0.04, 0, 8, "uniform", 0.0, 6000, 100, 0.05, False)
    memory.save_sweep([run], tmp_path / "s.json", {"budget": 6000})
    assert memory.load_sweep(tmp_path / "s.json") == ({"budget": 6000}, [run])


def test_the_committed_sweep_is_what_this_code_computes():
    # the cheapest entry of benchmarks/gates_sweep.json, re-run: another CPU's rounding may move
    # the epoch at which the threshold is crossed, hence one epoch (20 updates) of tolerance
    settings, runs = memory.load_sweep()
    assert settings["budget"] >= 6000 and len(settings["seeds"]) >= 5
    entry = next(r for r in runs if (r.cell, r.d, r.learning_rate, r.seed, r.gate_bias)
                 == ("gru", 40, 0.04, 0, 0.0))
    again = memory.updates_to_solve("gru", 40, 0.04, 0, budget=entry.budget, hidden=entry.hidden)
    assert again.solved_at is not None and abs(again.solved_at - entry.solved_at) <= 20
    # every cell of the sweep ran at >= 3 learning rates (d = 40) on every seed
    for cell in ("plain", "gru", "lstm"):
        rates = {r.learning_rate for r in runs if r.cell == cell and r.d == 40}
        assert len(rates) >= 3, cell
        for lr in rates:
            seeds = {r.seed for r in runs if (r.cell, r.d, r.learning_rate) == (cell, 40, lr)}
            assert seeds >= set(settings["seeds"])


@pytest.mark.parametrize("seed, error", [(None, TypeError), (True, TypeError), (1.0, TypeError),
                                         ("0", TypeError), (-1, ValueError)])
def test_init_cell_checks_its_seed(seed, error):
    with pytest.raises(error, match="seed must be an integer >= 0"):
        memory.init_cell("plain", seed)
    assert np.array_equal(memory.init_cell("plain", 3).W, memory.init_cell("plain", np.int64(3)).W)


def test_reach_says_when_no_error_reaches_the_last_state():
    """Predictions equal to the targets give dL/dh_T = 0: a clear error, not 0/0 = NaN."""
    params = memory.init_cell("gru", 0)
    X = np.random.default_rng(1).normal(size=(3, 5, 2))
    Y = rnnlib.gated.gru_predict(params, X)  # exact predictions
    with pytest.raises(ValueError, match="reach is undefined here: dL/dh_T is 0"):
        memory.reach(params, X, Y)
    assert memory.reach(params, X, Y + 1.0)[0] == 1.0
