"""Entry points found in session 12's audit to give a raw error, the wrong kind of error or a
silent NaN; each now follows rnnlib._checks' rule (TypeError for the kind, ValueError for the
value, naming the argument)."""

import re

import numpy as np
import pytest

from rnnlib import init_params, train
from rnnlib.cells import step_outputs
from rnnlib.gated import GRU, GRUParams, gru_loss_and_gradients, init_gru
from rnnlib.gradcheck import numerical_gradient, relative_error
from rnnlib.lstm import LSTM, init_lstm, lstm_forward, lstm_loss_and_gradients
from rnnlib.optimizers import SGD, Adam
from rnnlib.text.models import acceptance, next_char_probabilities, write

ALPHABET = "abc "


def same(a, b) -> bool:
    """Two parameter sets hold the same arrays."""
    return all(np.array_equal(x, y) for (_, x), (_, y) in zip(a.items(), b.items(), strict=True))


def char_model():
    return init_params(4, 5, 4, np.random.default_rng(0))


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: Adam(0.1)])
def test_optimizer_steps_convert_list_gradients_and_refuse_nan(make):
    params, by_array, by_list = char_model(), char_model(), char_model()
    grads = init_params(4, 5, 4, np.random.default_rng(1))
    listed = grads.copy()
    listed.W = grads.W.tolist()
    make().step(by_array, grads)
    make().step(by_list, listed)
    assert same(by_array, by_list)
    assert not np.array_equal(by_array.W, params.W)  # the step moved the weights
    bad = grads.copy()
    bad.U[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"the gradient of U must be finite, but it holds 1 NaN"):
        make().step(params, bad)
    assert same(params, char_model())  # nothing was updated


@pytest.mark.parametrize("call, error, message", [
    (lambda: write({}, ALPHABET, "ab", 3, temperature=1.0, rng=np.random.default_rng(0)),
     TypeError, "params must be a rnnlib Params"),
    (lambda: next_char_probabilities({}, ALPHABET, "ab", 1.0), TypeError, "params must be"),
    (lambda: acceptance({}, ALPHABET, "ab", 3, [1.0], np.random.default_rng(0)),
     TypeError, "params must be"),
    (lambda: write(char_model(), ALPHABET, 5, 3, temperature=1.0, rng=np.random.default_rng(0)),
     TypeError, "prompt must be a str, got int"),
    (lambda: write(char_model(), ALPHABET, "", 3, temperature=1.0, rng=np.random.default_rng(0)),
     ValueError, "prompt must hold at least one character"),
    (lambda: write(char_model(), ALPHABET, "aX", 3, temperature=1.0, rng=np.random.default_rng(0)),
     ValueError, r"prompt holds 1 character\(s\) outside the alphabet"),
    (lambda: next_char_probabilities(char_model(), ALPHABET, "ab", np.inf),
     ValueError, "temperature must be a positive finite number, got inf"),
    (lambda: next_char_probabilities(char_model(), ALPHABET, "ab", 0.0),
     ValueError, "temperature must be a positive finite number, got 0.0"),
    (lambda: next_char_probabilities(char_model(), ALPHABET, "ab", True),
     TypeError, "temperature must be a positive number, got True"),
    (lambda: next_char_probabilities(char_model(), ALPHABET, "ab", "1"),
     TypeError, "temperature must be a positive number, got '1'"),
    (lambda: acceptance(char_model(), ALPHABET, "ab", 3, 1.0, np.random.default_rng(0)),
     TypeError, "temperatures must be a sequence of numbers > 0, got float 1.0"),
    (lambda: acceptance(char_model(), ALPHABET, "ab", 3, ["x"], np.random.default_rng(0)),
     TypeError, "temperature must be a number >= 0, got 'x'"),
])
def test_the_text_models_entry_points_name_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_next_char_probabilities_at_a_tiny_temperature_is_the_greedy_choice_not_nan():
    params = char_model()
    at_one = next_char_probabilities(params, ALPHABET, "ab ", 1.0)
    assert np.isclose(at_one.sum(), 1.0) and np.all(at_one > 0)
    with np.errstate(all="raise"):  # no warning either
        tiny = next_char_probabilities(params, ALPHABET, "ab ", 1e-320)
    assert np.array_equal(tiny, np.eye(4)[np.argmax(at_one)])
    assert np.array_equal(next_char_probabilities(params, ALPHABET, "ab ", np.float32(0.5)),
                          next_char_probabilities(params, ALPHABET, "ab ", 0.5))


@pytest.mark.parametrize("make", [init_gru, init_lstm])
def test_an_activation_for_a_gated_cell_follows_the_one_rule(make):
    params = make(1, 3, 1, np.random.default_rng(0))
    X, Y = np.zeros((4, 5, 1)), np.zeros((4, 1))
    with pytest.raises(TypeError, match=r"activation must be one of \['sigmoid', 'tanh'\] \(a "
                                        r"string\), got int"):
        train(params, X, Y, learning_rate=0.1, epochs=1, activation=1)
    with pytest.raises(ValueError, match="activation applies to the plain cell only"):
        train(params, X, Y, learning_rate=0.1, epochs=1, activation="sigmoid")
    with pytest.raises(ValueError, match="activation must be one of"):
        train(params, X, Y, learning_rate=0.1, epochs=1, activation="relu")


def test_lstm_forward_names_a_state_pair_given_as_h0():
    params = init_lstm(1, 3, 1, np.random.default_rng(0))
    h = np.zeros((2, 3))
    with pytest.raises(TypeError, match=r"h0 must be an \(N, H\) = \(2, 3\) array, got a tuple "
                                        r"of 2: lstm_forward takes the state's parts apart"):
        lstm_forward(params, np.zeros((2, 4, 1)), (h, h))


@pytest.mark.parametrize("entry, make", [(gru_loss_and_gradients, init_gru),
                                         (lstm_loss_and_gradients, init_lstm)])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_gated_loss_and_gradients_take_a_loss_at_every_step(entry, make, loss):
    """Y (N, T, O) is the loss at every step for the gated cells too (rnnlib.cells), checked
    against central differences of the mean loss over records and steps."""
    rng = np.random.default_rng(2)
    params = make(2, 3, 3, rng)
    X = rng.normal(size=(4, 5, 2))
    Y = np.eye(3)[rng.integers(0, 3, size=(4, 5))] if loss == "cross_entropy" else \
        rng.normal(size=(4, 5, 3))
    value, grads = entry(params, X, Y, loss=loss)

    def by_hand():  # the outputs at every step from the states, and the loss's mean by hand
        cell = GRU if isinstance(params, GRUParams) else LSTM
        states, _ = cell.forward(params, np.ascontiguousarray(X.transpose(1, 0, 2)))
        y_hat = step_outputs(params, states).transpose(1, 0, 2)  # (N, T, O)
        if loss == "mse":
            return 0.5 * np.mean(np.sum((y_hat - Y) ** 2, axis=2))
        z = y_hat - y_hat.max(axis=2, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
        return -np.mean(np.sum(Y * log_p, axis=2))

    assert abs(value - by_hand()) < 1e-12
    for name, array in params.items():
        assert relative_error(dict(grads.items())[name], numerical_gradient(by_hand, array)) < 1e-7
    with pytest.raises(ValueError, match=r"Y must have shape"):
        entry(params, X, np.zeros((4, 6, 3)))


def test_init_cell_gives_every_cell_of_the_sweep():
    from rnnlib.memory import SWEEP_CELLS, init_cell
    from rnnlib.settings import HIDDEN

    params = init_cell("lstm", 4)
    expected = init_lstm(2, HIDDEN, 1, np.random.default_rng(4))
    assert same(params, expected)
    with pytest.raises(ValueError, match=re.escape(f"cell must be one of {SWEEP_CELLS}")):
        init_cell("rnn", 0)
