"""The forward pass, activations, initialisation and loss, against independent computations."""

import warnings

import numpy as np
import pytest

from rnnlib import Params, forward, init_params, mse_loss, predict
from rnnlib.activations import get_activation, sigmoid


def reference_forward(params, X, f):
    """Per-record, per-step loop straight from the equations in rnnlib.model's docstring."""
    out = []
    for x in X:
        h = np.zeros(params.hidden_size)
        for x_t in x:
            h = f(params.U @ x_t + params.W @ h + params.b)
        out.append(params.V @ h + params.c)
    return np.array(out)


@pytest.mark.parametrize(
    "activation, f",
    [("tanh", np.tanh), ("sigmoid", lambda a: 1 / (1 + np.exp(-a)))],
)
def test_forward_matches_a_per_record_loop(activation, f):
    rng = np.random.default_rng(1)
    params = init_params(3, 6, 2, rng)
    params.b = rng.normal(size=6)
    params.c = rng.normal(size=2)
    X = rng.normal(size=(5, 7, 3))
    Y_hat, cache = forward(params, X, activation)
    np.testing.assert_allclose(Y_hat, reference_forward(params, X, f), rtol=1e-12, atol=1e-14)
    assert cache.states.shape == (8, 5, 6)
    assert np.all(cache.states[0] == 0)
    np.testing.assert_allclose(predict(params, X, activation), Y_hat)


def test_initial_state_is_used():
    rng = np.random.default_rng(2)
    params = init_params(1, 4, 1, rng)
    X = rng.normal(size=(3, 5, 1))
    h0 = rng.normal(size=(3, 4))
    _, cache = forward(params, X, h0=h0)
    np.testing.assert_array_equal(cache.states[0], h0)
    expected = np.tanh(X[:, 0] @ params.U.T + h0 @ params.W.T + params.b)
    np.testing.assert_allclose(cache.states[1], expected, rtol=1e-13)


def test_weights_are_shared_over_time():
    """The same window shifted in time gives the same state sequence: one U for every step."""
    rng = np.random.default_rng(3)
    params = init_params(1, 4, 1, rng)
    x = rng.normal(size=(1, 6, 1))
    _, a = forward(params, x)
    _, b = forward(params, np.concatenate([x, x], axis=1))
    np.testing.assert_allclose(a.states[1:], b.states[1:7], rtol=1e-13)


def test_activations_match_numpy_and_never_warn():
    a = np.linspace(-1e4, 1e4, 20001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(a)
    with np.errstate(over="ignore"):
        naive = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(s, naive, rtol=0, atol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert sigmoid(np.array([0.0]))[0] == 0.5 and sigmoid(0.0) == 0.5  # a Python scalar too


def test_derivatives_from_outputs():
    a = np.linspace(-3, 3, 13)
    eps = 1e-6
    for name, f in [("tanh", np.tanh), ("sigmoid", sigmoid)]:
        numeric = (f(a + eps) - f(a - eps)) / (2 * eps)
        np.testing.assert_allclose(get_activation(name).derivative(f(a)), numeric, atol=1e-9)


def test_init_schemes_have_documented_ranges_and_are_reproducible():
    p = init_params(2, 100, 3, np.random.default_rng(0))
    assert (p.U.shape, p.W.shape, p.V.shape, p.b.shape, p.c.shape) == (
        (100, 2), (100, 100), (3, 100), (100,), (3,))
    assert np.abs(p.W).max() <= 0.1 and p.W.min() < -0.09 and p.W.max() > 0.09
    assert np.all(p.b == 0) and np.all(p.c == 0)
    t = init_params(2, 100, 3, np.random.default_rng(0), scheme="tutorial")
    assert t.W.min() >= 0 and t.W.max() <= 1 and t.W.max() > 0.99
    again = init_params(2, 100, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(p.W, again.W)


def test_loss_is_half_mean_squared_error_with_its_gradient():
    Y_hat = np.array([[1.0, 2.0], [0.0, -1.0]])
    Y = np.array([[0.0, 0.0], [0.0, 1.0]])
    loss, grad = mse_loss(Y_hat, Y)
    assert loss == pytest.approx((1 + 4 + 0 + 4) / (2 * 2))
    np.testing.assert_allclose(grad, (Y_hat - Y) / 2)


def test_params_norm_and_copy():
    p = Params(np.ones((2, 1)), np.zeros((2, 2)), np.ones((1, 2)), np.zeros(2), np.ones(1))
    assert p.norm() == pytest.approx(np.sqrt(5))
    q = p.copy()
    q.U[0, 0] = 7
    assert p.U[0, 0] == 1


def test_sigmoid_and_tanh_of_scaled_have_the_accuracy_their_docstrings_state():
    from rnnlib.activations import sigmoid, tanh_of_scaled

    a = np.concatenate([np.logspace(-12, 3, 30001), -np.logspace(-12, 3, 30001), [0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # "never overflows"
        s = sigmoid(a)
    exact = np.exp(-np.logaddexp(0.0, -a))  # 1 / (1 + exp(-a)) without overflow
    assert np.max(np.abs(s - exact)) < 3e-16
    assert sigmoid(np.array([-39.0]))[0] == 0.0 and 0 < sigmoid(np.array([-37.0]))[0] < 1e-16
    with np.errstate(over="ignore"):
        ours = tanh_of_scaled(-2.0 * a)
    ref = np.tanh(a)
    assert np.max(np.abs(ours - ref)) < 5e-16
    near = (np.abs(a) >= 1e-4) & (np.abs(a) < 0.01)  # relative error ~ 1e-16 / |a| there
    assert np.max(np.abs(ours - ref)[near] / np.abs(ref[near]) * np.abs(a[near])) < 1e-15


# Run in a fresh process: the BLAS thread count is the process's, and under `pytest --nbval` the
# browser test's thread computes the widgets' expected texts with rnnlib at the same time.
BLAS_THREADS = """
import threading
import numpy as np
from threadpoolctl import threadpool_info
import rnnlib, rnnlib.bptt, rnnlib.model
from rnnlib._threads import one_blas_thread


def blas_threads():
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


seen = []
for module, name in ((rnnlib.model, "run_states"), (rnnlib.bptt.PlainCell, "backward")):
    original = getattr(module, name)

    def spy(*args, _original=original, **kwargs):
        seen.append(blas_threads())
        return _original(*args, **kwargs)

    setattr(module, name, spy)
before = blas_threads()
assert before and all(n > 1 for n in before), before  # else the test shows nothing
params = rnnlib.init_params(1, 4, 1, np.random.default_rng(0))
X = np.random.default_rng(1).normal(size=(3, 5, 1))
Y_hat, cache = rnnlib.forward(params, X)
rnnlib.backward(np.ones_like(Y_hat), params, cache)
assert len(seen) == 2 and all(threads == [1] * len(threads) for threads in seen), seen
assert blas_threads() == before

# two threads that enter and leave in either order: the limit stays while either is inside, and
# the process's own count is back once both have left (the count of who is inside is read, not
# OpenBLAS's: a limit set from a thread other than the main one is not always applied by it)
import rnnlib._threads as threads_module

a_inside, b_inside, a_left, b_done = (threading.Event() for _ in range(4))
during = []


def a():
    with one_blas_thread():
        a_inside.set()
        b_inside.wait()
    a_left.set()


def b():
    a_inside.wait()
    with one_blas_thread():
        b_inside.set()
        a_left.wait()
        during.append((threads_module._inside, threads_module._limiter is not None))  # a has left
    b_done.set()


threads = [threading.Thread(target=f) for f in (a, b)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert during == [(1, True)], during
assert threads_module._inside == 0 and threads_module._limiter is None
assert blas_threads() == before
print("ok")
"""


def test_forward_and_backward_use_one_blas_thread_and_restore_the_count():
    """Small matrices: BLAS runs on one thread inside the passes (rnnlib._threads), and the
    process's own setting is back afterwards, also when two threads overlap."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    done = subprocess.run([sys.executable, "-c", BLAS_THREADS], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr
