"""The losses of rnnlib.losses: values from their definitions, gradients against central differences."""

import numpy as np
import pytest

import rnnlib
from rnnlib.gradcheck import (
    gradient_errors,
    numerical_gradient,
    numerical_gradients,
    relative_error,
)
from rnnlib.losses import get_loss, log_softmax, mse_loss, softmax, softmax_cross_entropy

TOLERANCE = 1e-7


def test_mse_loss_is_re_exported_unchanged():
    assert rnnlib.mse_loss is mse_loss
    assert rnnlib.model.mse_loss is mse_loss


def test_half_mse_by_hand():
    Y_hat = np.array([[1.0, 2.0], [0.0, -1.0]])
    Y = np.array([[0.0, 0.0], [0.0, 1.0]])
    loss, grad = mse_loss(Y_hat, Y)
    assert loss == pytest.approx((1 + 4 + 0 + 4) / (2 * 2), rel=1e-15)
    np.testing.assert_allclose(grad, (Y_hat - Y) / 2, rtol=1e-15)


def test_cross_entropy_by_hand():
    """Two classes, logits (0, log 3): p = (1/4, 3/4); true class 1 costs -log(3/4)."""
    Z = np.array([[0.0, np.log(3.0)], [0.0, 0.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0]])
    loss, grad = softmax_cross_entropy(Z, Y)
    assert loss == pytest.approx((-np.log(0.75) - np.log(0.5)) / 2, rel=1e-14)
    np.testing.assert_allclose(grad, np.array([[0.25, -0.25], [-0.5, 0.5]]) / 2, rtol=1e-14)


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_loss_gradient_matches_central_differences(name):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(5, 4)) * 3
    Y = np.eye(4)[rng.integers(0, 4, 5)] if name == "cross_entropy" else rng.normal(size=(5, 4))
    loss_function = get_loss(name)
    _, grad = loss_function(Z, Y)
    numerical = numerical_gradient(lambda: loss_function(Z, Y)[0], Z)
    assert relative_error(grad, numerical) < TOLERANCE


def test_cross_entropy_gradient_for_soft_targets():
    """Rows of Y that do not sum to 1: the general gradient p * sum(y) - y, checked numerically."""
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(3, 5))
    Y = rng.uniform(0.0, 2.0, size=(3, 5))
    _, grad = softmax_cross_entropy(Z, Y)
    numerical = numerical_gradient(lambda: softmax_cross_entropy(Z, Y)[0], Z)
    assert relative_error(grad, numerical) < TOLERANCE


def test_cross_entropy_is_stable_for_large_logits():
    Z = np.array([[1000.0, 0.0, -1000.0], [-800.0, 800.0, 0.0]])
    Y = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    with np.errstate(all="raise", under="ignore"):  # exp of -2000 underflows to 0: harmless
        loss, grad = softmax_cross_entropy(Z, Y)
    # record 1 is right with certainty (cost 0), record 2 wrong by 1600 in logit
    assert loss == pytest.approx(1600.0 / 2, rel=1e-12)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-15)
    np.testing.assert_allclose(softmax(Z).sum(axis=1), 1.0, rtol=1e-15)
    assert np.all(np.isfinite(log_softmax(Z)))


def test_cross_entropy_is_shift_invariant():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(4, 3))
    Y = np.eye(3)[[0, 1, 2, 0]]
    a, ga = softmax_cross_entropy(Z, Y)
    b, gb = softmax_cross_entropy(Z + 500.0, Y)
    assert a == pytest.approx(b, rel=1e-12)
    np.testing.assert_allclose(ga, gb, atol=1e-15)


@pytest.mark.parametrize("truncation", [None, 1, 3, 6])
def test_classifier_gradients_through_bptt(truncation):
    """Many-to-one classification, one-hot inputs: every gradient against central differences."""
    rng = np.random.default_rng(4)
    params = rnnlib.init_params(4, 5, 3, rng)
    params.U *= 3.0
    params.W *= 3.0
    params.b = rng.normal(0.0, 0.3, 5)
    X = rnnlib.one_hot(rng.integers(0, 4, (6, 6)), 4)
    Y = rnnlib.one_hot(rng.integers(0, 3, 6), 3)
    _, grads = rnnlib.loss_and_gradients(params, X, Y, truncation=truncation, loss="cross_entropy")
    numerical = numerical_gradients(params, X, Y, truncation=truncation, loss="cross_entropy")
    errors = gradient_errors(grads, numerical)
    assert max(errors.values()) < TOLERANCE, errors


def test_one_hot():
    np.testing.assert_array_equal(rnnlib.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert rnnlib.one_hot(np.zeros((2, 5), dtype=int), 4).shape == (2, 5, 4)


def test_training_a_classifier_lowers_the_loss():
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 2, 40)
    X = rnnlib.one_hot(np.where(labels[:, None] == 1, 1, rng.integers(0, 2, (40, 5))), 2)
    Y = rnnlib.one_hot(labels, 2)
    params = rnnlib.init_params(2, 6, 2, np.random.default_rng(0))
    result = rnnlib.train(params, X, Y, learning_rate=0.5, epochs=60, loss="cross_entropy")
    history = result.history.train_loss
    assert history[0] == pytest.approx(np.log(2), rel=0.05)  # near-uniform start
    assert history[-1] < 0.5 * history[0]
