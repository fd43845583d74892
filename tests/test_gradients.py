"""Every gradient rnnlib computes, checked against central differences in float64."""

import numpy as np
import pytest

from rnnlib import backward, forward, init_params, loss_and_gradients, mse_loss
from rnnlib.gradcheck import gradient_errors, numerical_gradients, truncated_loss

TOLERANCE = 1e-7


def make_problem(D, H, O, N=4, T=6, seed=0):
    """A small model with non-trivial biases and weights big enough to leave the linear range."""
    rng = np.random.default_rng(seed)
    params = init_params(D, H, O, rng)
    params.U *= 3.0
    params.W *= 3.0
    params.b = rng.normal(0.0, 0.3, H)
    params.c = rng.normal(0.0, 0.3, O)
    X = rng.normal(size=(N, T, D))
    Y = rng.normal(size=(N, O))
    return params, X, Y


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("D, H, O", [(1, 5, 1), (3, 4, 2)])
@pytest.mark.parametrize("truncation", [None, 1, 2, 3, 5, 6, 50])
def test_every_gradient_matches_numerical_gradient(activation, D, H, O, truncation):
    params, X, Y = make_problem(D, H, O)
    _, grads = loss_and_gradients(params, X, Y, activation, truncation)
    numerical = numerical_gradients(params, X, Y, activation, truncation)
    errors = gradient_errors(grads, numerical)
    assert max(errors.values()) < TOLERANCE, errors


def test_truncated_gradient_is_gradient_with_state_held_constant():
    """Independent of rnnlib.gradcheck: run the last k steps from a fixed h_{T-k} by hand."""
    params, X, Y = make_problem(2, 4, 1, T=7)
    k = 3
    h_fixed = forward(params, X[:, :4])[1].states[-1]
    _, grads = loss_and_gradients(params, X, Y, truncation=k)

    def loss():
        h = h_fixed
        for t in range(4, 7):
            h = np.tanh(X[:, t] @ params.U.T + h @ params.W.T + params.b)
        return 0.5 * np.mean(np.sum((h @ params.V.T + params.c - Y) ** 2, axis=1))

    eps = 1e-6
    for name, array in params.items():
        numerical = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            saved = array[i]
            array[i] = saved + eps
            plus = loss()
            array[i] = saved - eps
            minus = loss()
            array[i] = saved
            numerical[i] = (plus - minus) / (2 * eps)
        diff = np.linalg.norm(getattr(grads, name) - numerical)
        assert diff / (np.linalg.norm(numerical) + 1e-12) < TOLERANCE, name


def test_truncation_one_keeps_only_the_last_step():
    params, X, Y = make_problem(1, 3, 1, T=5)
    Y_hat, cache = forward(params, X)
    _, dY = mse_loss(Y_hat, Y)
    grads, deltas = backward(dY, params, cache, truncation=1)
    h_T, h_prev = cache.states[-1], cache.states[-2]
    delta_T = (dY @ params.V) * (1 - h_T**2)
    np.testing.assert_allclose(grads.W, delta_T.T @ h_prev, rtol=1e-12)
    np.testing.assert_allclose(grads.U, delta_T.T @ X[:, -1], rtol=1e-12)
    np.testing.assert_allclose(grads.b, delta_T.sum(axis=0), rtol=1e-12)
    assert np.all(deltas[:-1] == 0.0)


@pytest.mark.parametrize("truncation", [5, 6, 100])
def test_depth_at_least_T_is_full_bptt(truncation):
    params, X, Y = make_problem(1, 4, 1, T=5)
    _, full = loss_and_gradients(params, X, Y, truncation=None)
    _, deep = loss_and_gradients(params, X, Y, truncation=truncation)
    for (name, a), (_, b) in zip(full.items(), deep.items(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_truncated_gradient_differs_from_full_when_history_matters():
    params, X, Y = make_problem(1, 4, 1, T=6)
    _, full = loss_and_gradients(params, X, Y)
    _, short = loss_and_gradients(params, X, Y, truncation=2)
    assert np.linalg.norm(full.W - short.W) > 1e-3 * np.linalg.norm(full.W)
    np.testing.assert_allclose(full.V, short.V)  # V and c see only h_T: untouched by truncation
    np.testing.assert_allclose(full.c, short.c)


@pytest.mark.parametrize("truncation", [None, 2])
def test_batched_gradient_is_the_sum_of_per_record_gradients(truncation):
    """The loss is a mean over records, so N times the batch gradient = sum of record gradients."""
    params, X, Y = make_problem(2, 5, 2, N=7)
    _, batch = loss_and_gradients(params, X, Y, truncation=truncation)
    for name, g in batch.items():
        per_record = sum(
            getattr(loss_and_gradients(params, X[n : n + 1], Y[n : n + 1], truncation=truncation)[1], name)
            for n in range(7)
        )
        np.testing.assert_allclose(7 * g, per_record, rtol=1e-10, atol=1e-14, err_msg=name)


def test_truncated_loss_equals_loss_when_nothing_is_held():
    params, X, Y = make_problem(1, 3, 1)
    full = mse_loss(forward(params, X)[0], Y)[0]
    assert truncated_loss(params, X, Y, truncation=None) == pytest.approx(full, rel=1e-14)
    assert truncated_loss(params, X, Y, truncation=3) == pytest.approx(full, rel=1e-12)
