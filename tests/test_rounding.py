"""rnnlib.rounding: the stand-in for another CPU's rounding that tests/variants.py uses.

With RNNLIB_INIT_JITTER set, every function that draws initial weights moves each weight by a
relative 1e-12 in a random direction; unset, nothing changes. The notebooks' stored outputs are
then checked under two such directions (python tests/variants.py).
"""

import numpy as np
import pytest

import rnnlib
import rnnlib.tutorial as tut
from rnnlib import analysis, memory
from rnnlib.rounding import ENV, jittered, moved
from rnnlib.tutorial.literal import literal_init

# every way the course draws initial weights: the plain cell (also with static features and the
# tutorial's scheme), the GRU, the LSTM, the tutorial's two reproductions, the explorer's and
# 08's cells
DRAWS = {
    "init_params": lambda: rnnlib.init_params(2, 5, 3, np.random.default_rng(0)).items(),
    "init_params, static features": lambda: rnnlib.init_params(
        1, 4, 1, np.random.default_rng(0), static_size=2).items(),
    "init_params, tutorial scheme": lambda: rnnlib.init_params(
        1, 4, 1, np.random.default_rng(0), scheme="tutorial").items(),
    "init_gru": lambda: rnnlib.init_gru(2, 4, 1, np.random.default_rng(0)).items(),
    "init_lstm": lambda: rnnlib.init_lstm(2, 5, 3, np.random.default_rng(0)).items(),
    "tutorial_init": lambda: vars(tut.tutorial_init(np.random.default_rng(0), 6, 5)).items(),
    "literal_init": lambda: zip("UWV", literal_init(np.random.default_rng(0), 6, 5), strict=True),
    "analysis.initial_params": lambda: analysis.initial_params().items(),
    "memory.init_cell plain": lambda: memory.init_cell("plain", 0).items(),
    "memory.init_cell gru": lambda: memory.init_cell("gru", 0).items(),
}


@pytest.mark.parametrize("draw", DRAWS.values(), ids=DRAWS.keys())
def test_every_initial_weight_moves_by_at_most_a_relative_1e_12(draw, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    plain = dict(draw())
    monkeypatch.setenv(ENV, "1")
    first = dict(draw())
    monkeypatch.setenv(ENV, "2")
    second = dict(draw())
    assert first.keys() == plain.keys() == second.keys()
    for name, a in plain.items():
        if not np.any(a):  # zero biases stay zero
            assert not np.any(first[name]) and not np.any(second[name])
            continue
        change = first[name] / a - 1
        assert np.all(np.abs(change) <= 1e-12), name
        assert np.all(change != 0), f"{name}: a weight did not move"
        assert np.any(np.sign(change) != np.sign(second[name] / a - 1)), \
            f"{name}: directions 1 and 2 are the same"


def test_unset_or_empty_changes_nothing(monkeypatch):
    weights = np.random.default_rng(0).uniform(-1, 1, (3, 4))
    monkeypatch.delenv(ENV, raising=False)
    assert jittered(weights) is weights
    monkeypatch.setenv(ENV, "")
    assert jittered(weights) is weights


def test_the_callers_random_numbers_are_not_changed(monkeypatch):
    """Drawing with the jitter on leaves the generator where it would be without."""
    monkeypatch.setenv(ENV, "1")
    rng = np.random.default_rng(0)
    rnnlib.init_params(1, 4, 1, rng)
    after = rng.uniform()
    rng = np.random.default_rng(0)
    monkeypatch.delenv(ENV)
    rnnlib.init_params(1, 4, 1, rng)
    assert rng.uniform() == after


def test_moved_is_deterministic_and_differs_between_arrays():
    a = np.full((2, 3), 0.5)
    assert np.array_equal(moved(a, 7), moved(a, 7))
    assert not np.array_equal(moved(a, 7), moved(a, 8))
    b = np.full((2, 3), 0.25)
    assert not np.array_equal(moved(a, 7) / a, moved(b, 7) / b)


def test_a_seed_that_is_not_an_integer_is_refused(monkeypatch):
    monkeypatch.setenv(ENV, "yes")
    with pytest.raises(ValueError, match=r"RNNLIB_INIT_JITTER must be an integer seed, got 'yes'"):
        rnnlib.init_params(1, 4, 1, np.random.default_rng(0))
