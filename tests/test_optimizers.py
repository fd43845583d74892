"""The update rules of rnnlib.optimizers, against steps computed by hand, and their hook in train."""

import math

import numpy as np
import pytest

from rnnlib import init_params, loss_and_gradients, sine_series, split_windows, train
from rnnlib.model import Params
from rnnlib.optimizers import SGD, Adam, make_optimizer


class Pair:
    """A parameter set of one array, as rnnlib's Params: items() -> [(name, array)]."""

    def __init__(self, values):
        self.p = np.array(values, dtype=np.float64)

    def items(self):
        return [("p", self.p)]


def test_sgd_step_by_hand():
    params, grads = Pair([1.0, -2.0]), Pair([0.5, 4.0])
    SGD(0.1).step(params, grads)
    assert params.p.tolist() == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 4.0]


def test_adam_two_steps_by_hand():
    """m, v, the bias corrections and the step, worked out on paper for two gradients."""
    lr, eps = 0.1, 1e-8
    params = Pair([1.0, -2.0])
    adam = Adam(lr)
    # step 1, g = (0.5, -2): m = 0.1 g, v = 0.001 g^2; m_hat = g, v_hat = g^2: a step of lr * sign(g)
    adam.step(params, Pair([0.5, -2.0]))
    after1 = [1.0 - lr * 0.5 / (0.5 + eps), -2.0 + lr * 2.0 / (2.0 + eps)]
    np.testing.assert_allclose(params.p, after1, rtol=1e-15)
    # step 2, g = (1, 0): m = (0.045 + 0.1, -0.18), v = (0.00024975 + 0.001, 0.003996),
    # m_hat = m / (1 - 0.81), v_hat = v / (1 - 0.998001)
    adam.step(params, Pair([1.0, 0.0]))
    m_hat = np.array([0.145, -0.18]) / 0.19
    v_hat = np.array([0.00124975, 0.003996]) / 0.001999
    after2 = np.array(after1) - lr * m_hat / (np.sqrt(v_hat) + eps)
    np.testing.assert_allclose(params.p, after2, rtol=1e-13)
    # the second coordinate's gradient is 0 now, yet it still moves (momentum): by about lr * 0.67
    assert math.isclose(after1[1] - params.p[1], -0.1 * (0.18 / 0.19) / math.sqrt(1.999),
                        rel_tol=1e-6)


def test_adam_step_size_does_not_depend_on_the_gradient_scale():
    small, large = Pair([0.0, 0.0]), Pair([0.0, 0.0])
    Adam(0.01).step(small, Pair([1e-6, -1e-6]))
    Adam(0.01).step(large, Pair([1e6, -1e6]))
    np.testing.assert_allclose(small.p, [-0.01, 0.01], rtol=1e-2)
    np.testing.assert_allclose(large.p, [-0.01, 0.01], rtol=1e-12)


@pytest.fixture
def data():
    return split_windows(sine_series(), 20, 20)


def test_train_with_adam_is_one_adam_step_per_full_batch_epoch(data):
    p = init_params(1, 5, 1, np.random.default_rng(0))
    _, grads = loss_and_gradients(p, data.X_train, data.Y_train)
    expected = p.copy()
    Adam(0.01).step(expected, grads)
    result = train(p, data.X_train, data.Y_train, learning_rate=0.01, epochs=1, optimizer="adam")
    for (name, a), (_, b) in zip(result.params.items(), expected.items(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15, err_msg=name)


def test_train_default_is_sgd_bit_for_bit(data):
    p = init_params(1, 5, 1, np.random.default_rng(0))
    default = train(p, data.X_train, data.Y_train, learning_rate=0.1, epochs=3)
    sgd = train(p, data.X_train, data.Y_train, learning_rate=0.1, epochs=3, optimizer="sgd")
    manual = p.copy()
    for _ in range(3):
        _, grads = loss_and_gradients(manual, data.X_train, data.Y_train)
        pairs = zip(manual.items(), grads.items(), strict=True)
        manual = Params(*(a - 0.1 * g for (_, a), (_, g) in pairs))
    for (name, a), (_, b), (_, c) in zip(default.params.items(), sgd.params.items(),
                                         manual.items(), strict=True):
        assert np.array_equal(a, b), name
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("make, message", [
    (lambda: make_optimizer("rmsprop", 0.1), "optimizer must be one of .*'rmsprop'"),
    (lambda: SGD(0.0), "learning_rate must be a positive finite number, got 0.0"),
    (lambda: Adam(-1.0), "learning_rate must be a positive finite number, got -1.0"),
    (lambda: Adam(0.1, beta1=1.0), r"beta1 must be a number in \[0, 1\), got 1.0"),
    (lambda: Adam(0.1, eps=0), "eps must be a positive finite number, got 0"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_train_names_a_bad_optimizer(data):
    p = init_params(1, 5, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="optimizer must be one of"):
        train(p, data.X_train, data.Y_train, learning_rate=0.1, epochs=1, optimizer="adagrad")


def test_a_beta_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match=r"beta2 must be a number in \[0, 1\), got str 'x'"):
        Adam(0.1, beta2="x")
