"""rnnlib.sequence.sample: a prompt, then draws from softmax(y_hat / T), for every cell."""

import numpy as np
import pytest

from rnnlib import init_gru, init_params
from rnnlib.sequence import sample

O = 4


def plain_model(seed=0, H=6):
    params = init_params(O, H, O, np.random.default_rng(seed))
    params.U *= 4.0
    params.W *= 2.0
    params.V *= 4.0
    return params


def forced(cell, logits):
    """A model whose output is always ``logits``: V = 0, c = logits, whatever it reads."""
    params = (init_gru(O, 3, O, np.random.default_rng(0)) if cell == "gru"
              else init_params(O, 3, O, np.random.default_rng(0)))
    params.V = np.zeros_like(params.V)
    params.c = np.asarray(logits, dtype=float)
    return params


def greedy_by_hand(params, prompt, n):
    """The plain cell's rollout from h_0 = 0, taking the argmax of V h + c after each input."""
    h = np.zeros(params.W.shape[0])
    for i in prompt:
        h = np.tanh(params.U[:, i] + params.W @ h + params.b)
    out = []
    for _ in range(n):
        i = int(np.argmax(params.V @ h + params.c))
        out.append(i)
        h = np.tanh(params.U[:, i] + params.W @ h + params.b)
    return out


def test_the_same_seed_draws_the_same_indices():
    params = plain_model()
    a = sample(params, [0, 1], 50, temperature=1.0, rng=np.random.default_rng(7))
    b = sample(params, [0, 1], 50, temperature=1.0, rng=np.random.default_rng(7))
    c = sample(params, [0, 1], 50, temperature=1.0, rng=np.random.default_rng(8))
    assert a.shape == (50,) and a.dtype.kind == "i"
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("cell", ["plain", "gru"])
def test_temperature_zero_and_tiny_temperatures_are_greedy(cell):
    params = plain_model() if cell == "plain" else init_gru(O, 5, O, np.random.default_rng(3))
    if cell == "gru":
        params.U *= 4.0
        params.V *= 6.0
    greedy = sample(params, [2, 0, 3], 40, temperature=0)
    if cell == "plain":
        assert greedy.tolist() == greedy_by_hand(params, [2, 0, 3], 40)
    with np.errstate(all="raise"):  # a tiny T must not overflow into a warning or a NaN
        for T in (1e-3, 1e-12, 1e-300, 5e-324):
            drawn = sample(params, [2, 0, 3], 40, temperature=T, rng=np.random.default_rng(1))
            assert drawn.tolist() == greedy.tolist(), T


def test_the_prompt_is_read_before_the_first_draw():
    """A copying model (h = tanh(5 x), y_hat = 5 h): greedy repeats the prompt's last index."""
    params = init_params(O, O, O, np.random.default_rng(0))
    params.U, params.W, params.V = 5.0 * np.eye(O), np.zeros((O, O)), 5.0 * np.eye(O)
    assert sample(params, [0, 3, 1], 5, temperature=0).tolist() == [1] * 5
    assert sample(params, [2], 3, temperature=0).tolist() == [2] * 3
    assert sample(params, [2], 0, temperature=0).tolist() == []


@pytest.mark.parametrize("cell", ["plain", "gru", "lstm"])
def test_greedy_sampling_carries_the_whole_state(cell):
    """Each greedy draw is the argmax after the whole sequence so far, run again from the zero
    state by the docstrings' equations: what sample carries from draw to draw is the cell's
    whole state (the LSTM's memory cell c too), not h alone."""
    from test_many_to_many import STATES

    from rnnlib import init_lstm

    rng = np.random.default_rng(9)  # a seed whose greedy draws vary for each cell
    init = {"plain": init_params, "gru": init_gru, "lstm": init_lstm}[cell]
    params = init(O, 5, O, rng)
    params.U *= 4.0
    params.W *= 3.0
    params.V *= 6.0
    prompt, n = [2, 0, 3, 3], 12
    drawn = sample(params, prompt, n, temperature=0).tolist()
    sequence = list(prompt)
    for i in range(n):
        h = STATES[cell](params, np.eye(O)[sequence][None])[0, -1]
        expected = int(np.argmax(params.V @ h + params.c))
        assert drawn[i] == expected, i
        sequence.append(expected)
    assert len(set(drawn)) > 1  # not a constant output, which any state would give


def chi_square(counts, p):
    expected = counts.sum() * p
    return float(np.sum((counts - expected) ** 2 / expected))


@pytest.mark.parametrize("cell", ["plain", "gru"])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
def test_a_forced_output_gives_the_counts_of_its_tempered_softmax(cell, temperature):
    """Outputs fixed at logits log q: the draws follow p proportional to q^(1/T). A chi-square
    statistic with 3 degrees of freedom exceeds 16.27 with probability 0.001 when p is right;
    the wrong p (that of T = 1 for T != 1, uniform for T = 1) is far above it."""
    q = np.array([0.1, 0.2, 0.3, 0.4])
    params = forced(cell, np.log(q))
    p = q ** (1.0 / temperature) / np.sum(q ** (1.0 / temperature))
    drawn = sample(params, [0], 4000, temperature=temperature, rng=np.random.default_rng(11))
    counts = np.bincount(drawn, minlength=O).astype(float)
    assert chi_square(counts, p) < 16.27
    wrong = q if temperature != 1.0 else np.full(O, 0.25)
    assert chi_square(counts, wrong) > 100


def test_a_class_of_probability_zero_is_never_drawn():
    params = forced("plain", [0.0, -800.0, 0.0, -900.0])  # exp(-800) is 0 in float64
    drawn = sample(params, [0], 2000, temperature=1.0, rng=np.random.default_rng(0))
    assert set(drawn.tolist()) == {0, 2}


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("temperature, error, message", [
    (-1.0, ValueError, r"temperature must be a finite number >= 0 .*got -1\.0"),
    (float("nan"), ValueError, r"temperature must be a finite number >= 0 .*got nan"),
    (float("inf"), ValueError, r"temperature must be a finite number >= 0 .*got inf"),
    ("hot", TypeError, r"temperature must be a number >= 0, got 'hot'"),
    (None, TypeError, r"temperature must be a number >= 0, got None"),
])
def test_a_bad_temperature_is_refused(temperature, error, message):
    with pytest.raises(error, match=message):
        sample(plain_model(), [0], 3, temperature=temperature, rng=np.random.default_rng(0))


def test_bad_arguments_are_named():
    params = plain_model()
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator .*got NoneType"):
        sample(params, [0], 3, temperature=1.0)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator .*got int"):
        sample(params, [0], 3, temperature=1.0, rng=0)
    with pytest.raises(ValueError, match="prompt must hold at least one index"):
        sample(params, [], 3, temperature=0)
    with pytest.raises(ValueError, match=r"prompt must lie in 0 \.\. 3 .*from 0 to 4"):
        sample(params, [0, 4], 3, temperature=0)
    with pytest.raises(TypeError, match="prompt must be integer indices, got an array of dtype "
                                        "float64"):
        sample(params, [0.5], 3, temperature=0)
    with pytest.raises(TypeError, match="prompt must be integer indices, got the string 'ab'"):
        sample(params, "ab", 3, temperature=0)
    with pytest.raises(ValueError, match=r"prompt must be one-dimensional \(L,\)"):
        sample(params, [[0, 1]], 3, temperature=0)
    with pytest.raises(ValueError, match="n must be an integer >= 0, got -1"):
        sample(params, [0], -1, temperature=0)
    with pytest.raises(TypeError, match="n must be an integer >= 0, got 2.0"):
        sample(params, [0], 2.0, temperature=0)
    with pytest.raises(ValueError, match="input_size == output_size .*got D = 4, O = 2"):
        sample(init_params(4, 3, 2, np.random.default_rng(0)), [0], 3, temperature=0)
    with pytest.raises(TypeError, match="params must be a rnnlib Params .*got dict"):
        sample({"U": 1}, [0], 3, temperature=0)
