"""Static features: h_0 = tanh(A s + a), its gradients through BPTT and what truncation means for it."""

import numpy as np
import pytest

import rnnlib
from rnnlib.gradcheck import gradient_errors, numerical_gradients

TOLERANCE = 1e-7


def make_problem(D=2, H=4, O=2, S=3, N=5, T=4, seed=0):
    rng = np.random.default_rng(seed)
    params = rnnlib.init_params(D, H, O, rng, static_size=S)
    params.U *= 3.0
    params.W *= 3.0
    params.A *= 3.0
    params.b = rng.normal(0.0, 0.3, H)
    params.a = rng.normal(0.0, 0.3, H)
    X = rng.normal(size=(N, T, D))
    static = rng.normal(size=(N, S))
    Y = rng.normal(size=(N, O))
    return params, X, static, Y


def test_initial_state_is_tanh_of_the_features():
    params, X, static, _ = make_problem()
    _, cache = rnnlib.forward(params, X, static=static)
    np.testing.assert_allclose(cache.states[0], np.tanh(static @ params.A.T + params.a), rtol=1e-15)


def test_init_params_with_static_size_keeps_the_other_weights():
    plain = rnnlib.init_params(2, 4, 1, np.random.default_rng(7))
    with_static = rnnlib.init_params(2, 4, 1, np.random.default_rng(7), static_size=3)
    for (name, a), (_, b) in zip(plain.items(), with_static.items(), strict=False):
        np.testing.assert_array_equal(a, b, err_msg=name)
    assert with_static.A.shape == (4, 3) and with_static.a.shape == (4,)
    assert [name for name, _ in with_static.items()] == ["U", "W", "V", "b", "c", "A", "a"]


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("truncation", [None, 4, 9, 3, 1])
def test_every_gradient_with_static_features(loss, activation, truncation):
    params, X, static, Y = make_problem()
    if loss == "cross_entropy":
        Y = rnnlib.one_hot(np.array([0, 1, 1, 0, 1]), 2)
    _, grads = rnnlib.loss_and_gradients(params, X, Y, activation, truncation,
                                         static=static, loss=loss)
    numerical = numerical_gradients(params, X, Y, activation, truncation, static=static, loss=loss)
    errors = gradient_errors(grads, numerical)
    assert max(errors.values()) < TOLERANCE, errors


def test_static_gradient_by_hand_independent_of_gradcheck():
    """Perturb A and a, run the recurrence written out here, compare with BPTT's dA and da."""
    params, X, static, Y = make_problem(T=3)

    def loss():
        h = np.tanh(static @ params.A.T + params.a)
        for t in range(3):
            h = np.tanh(X[:, t] @ params.U.T + h @ params.W.T + params.b)
        return 0.5 * np.mean(np.sum((h @ params.V.T + params.c - Y) ** 2, axis=1))

    _, grads = rnnlib.loss_and_gradients(params, X, Y, static=static)
    eps = 1e-6
    for name in ("A", "a"):
        array = getattr(params, name)
        numerical = np.zeros_like(array)
        for i in np.ndindex(array.shape):
            saved = array[i]
            array[i] = saved + eps
            plus = loss()
            array[i] = saved - eps
            minus = loss()
            array[i] = saved
            numerical[i] = (plus - minus) / (2 * eps)
        assert np.linalg.norm(numerical) > 1e-4  # the check can fail
        diff = np.linalg.norm(getattr(grads, name) - numerical)
        assert diff / np.linalg.norm(numerical) < TOLERANCE, name


def test_truncation_shorter_than_the_window_gives_no_gradient_to_h0():
    """k < T holds h_{T-k} constant, and h_0 is h_{T-k} only when k >= T."""
    params, X, static, Y = make_problem(T=4)
    _, full = rnnlib.loss_and_gradients(params, X, Y, static=static)
    _, at_T = rnnlib.loss_and_gradients(params, X, Y, truncation=4, static=static)
    _, short = rnnlib.loss_and_gradients(params, X, Y, truncation=3, static=static)
    assert np.linalg.norm(full.A) > 1e-4
    np.testing.assert_array_equal(full.A, at_T.A)
    np.testing.assert_array_equal(short.A, 0.0)
    np.testing.assert_array_equal(short.a, 0.0)


def test_training_uses_the_features():
    """A target that is a static feature itself: only h_0 can carry it."""
    rng = np.random.default_rng(1)
    N, T = 60, 5
    static = rng.uniform(-1, 1, (N, 1))
    X = rng.normal(0, 0.1, (N, T, 1))
    Y = 0.5 * static
    plain = rnnlib.init_params(1, 6, 1, np.random.default_rng(0))
    with_static = rnnlib.init_params(1, 6, 1, np.random.default_rng(0), static_size=1)
    kwargs = dict(learning_rate=0.3, epochs=300, clipping=rnnlib.Clipping("norm", 1.0))
    without = rnnlib.train(plain, X, Y, **kwargs).history.train_loss[-1]
    result = rnnlib.train(with_static, X, Y, static=static, **kwargs)
    assert result.history.train_loss[-1] < 0.1 * without
    assert not np.array_equal(result.params.A, with_static.A)


def test_training_with_static_features_equals_plain_sgd_by_hand():
    params, X, static, Y = make_problem(D=1, O=1, N=6, T=4)
    result = rnnlib.train(params, X, Y, static=static, learning_rate=0.1, epochs=2)
    p = params.copy()
    for _ in range(2):
        _, g = rnnlib.loss_and_gradients(p, X, Y, static=static)
        for (_, w), (_, d) in zip(p.items(), g.items(), strict=True):
            w -= 0.1 * d
    for (name, a), (_, b) in zip(result.params.items(), p.items(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15, err_msg=name)


def test_validation_with_static_features():
    params, X, static, Y = make_problem(D=1, O=1, N=6, T=4)
    result = rnnlib.train(params, X[:4], Y[:4], static=static[:4], X_val=X[4:], Y_val=Y[4:],
                          static_val=static[4:], learning_rate=0.1, epochs=1)
    expected = rnnlib.mse_loss(rnnlib.predict(result.params, X[4:], static=static[4:]), Y[4:])[0]
    assert result.history.val_loss[0] == pytest.approx(expected, rel=1e-12)
