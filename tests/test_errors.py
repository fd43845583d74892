"""Bad input to the model's public entry points gets a clear ValueError, never a numpy error."""

import numpy as np
import pytest

from rnnlib import Params, backward, forward, init_params, loss_and_gradients, train


def model(D=1, H=4, O=1):
    return init_params(D, H, O, np.random.default_rng(0))


X = np.zeros((3, 5, 1))
Y = np.zeros((3, 1))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: forward(model(), np.zeros((3, 5))),
         r"X must have shape \(N, T, D\) with D == 1 \(the model's input size\), got shape \(3, 5\)"),
        (lambda: forward(model(), np.zeros((3, 5, 2))),
         r"X must have shape \(N, T, D\) with D == 1 \(the model's input size\), got \(3, 5, 2\)"),
        (lambda: forward(model(), np.zeros((0, 5, 1))), r"X must not be empty, got shape \(0, 5, 1\)"),
        (lambda: forward(model(), np.full((3, 5, 1), np.inf)), "X must be finite, but it holds 15 NaN or infinite"),
        (lambda: forward(model(), X, activation="relu"), "activation must be one of"),
        (lambda: forward(model(), X, h0=np.zeros((3, 5))), r"h0 must have shape \(N, H\) = \(3, 4\)"),
        (lambda: loss_and_gradients(model(), X, np.zeros((3, 2))), r"Y must have shape \(N, O\) = \(3, 1\)"),
        (lambda: loss_and_gradients(model(), X, np.zeros(3)), r"Y must have shape \(N, O\) with O == 1"),
        (lambda: loss_and_gradients(model(), X, Y, truncation=0), "truncation must be an integer >= 1, got 0"),
        (lambda: loss_and_gradients(model(), X, np.full((3, 1), np.nan)), "Y must be finite"),
        (lambda: backward(np.zeros((2, 1)), model(), forward(model(), X)[1]),
         r"dY_hat must have shape \(N, O\) = \(3, 1\)"),
        (lambda: train(model(), X, np.zeros((4, 1)), learning_rate=0.1, epochs=1),
         r"Y must have shape \(N, O\) = \(3, 1\)"),
        (lambda: init_params(1, 0, 1, np.random.default_rng(0)), "hidden_size must be an integer >= 1, got 0"),
        (lambda: init_params(1, 4, 1, 0), "rng must be a numpy.random.Generator.*got int"),
        (lambda: init_params(1, 4, 1, np.random.default_rng(0), "xavier"), "scheme must be 'uniform' or 'tutorial'"),
    ],
)
def test_bad_model_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("W", np.zeros((4, 3)), r"W must have shape \(H, H\) = \(4, 4\) to match U \(4, 1\)"),
        ("V", np.zeros((1, 3)), r"V must have shape \(O, H\) = \(1, 4\)"),
        ("b", np.zeros(5), r"b must have shape \(H,\) = \(4,\)"),
        ("c", np.zeros(2), r"c must have shape \(O,\) = \(1,\)"),
        ("U", np.zeros(4), r"U must have shape \(H, D\), got shape \(4,\)"),
        ("W", np.full((4, 4), np.nan), "W must be finite"),
    ],
)
def test_mismatched_parameter_shapes(field, value, message):
    p = model()
    setattr(p, field, value)
    assert isinstance(p, Params)
    with pytest.raises(ValueError, match=message):
        forward(p, X)
