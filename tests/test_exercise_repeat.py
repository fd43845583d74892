"""Every checker calls the learner's function a second time on the same inputs (its first call):
a function that keeps something between calls (a global, an array made once and added to, a
default argument) gives another result, and the message says so; functions that keep nothing
pass as before (every correct answer in the other exercise tests)."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex

pytestmark = pytest.mark.usefixtures("rnnlib_book")




KEPT = "gave another result when called a second time with the same inputs"


def test_a_forward_pass_that_starts_from_the_last_calls_state_is_told_so():
    kept = {}

    def rnn_forward(X, U, W, V, b, c):
        N, T, _ = X.shape
        h = kept.get(N, np.zeros((N, W.shape[0])))  # a notebook global, reset only for a new N
        states = [h]
        for t in range(T):
            h = sol.forward_step(X[:, t], h, U, W, b)
            states.append(h)
        kept[N] = h
        return h @ V.T + c, np.stack(states)

    text = sol.failed_text("rnn_forward", rnn_forward)
    assert KEPT in text and "a global" in text, text


def test_bptt_accumulators_made_once_are_told_so():
    store = {}

    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        if "dW" not in store:  # made once, like arrays of an earlier cell
            store.update(dU=np.zeros((W.shape[0], X.shape[2])), dW=np.zeros(W.shape),
                         db=np.zeros(W.shape[0]))
        dU, dW, db = store["dU"], store["dW"], store["db"]
        g = dY_hat @ V
        for t in range(T, T - k, -1):
            _, g, dU_t, dW_t, db_t = sol.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
            dU += dU_t
            dW += dW_t
            db += db_t
        return dU.copy(), dW.copy(), dY_hat.T @ states[T], db.copy(), dY_hat.sum(axis=0)

    assert KEPT in sol.failed_text("bptt", bptt)


def test_a_numerical_gradient_added_to_a_buffer_kept_between_calls_is_told_so():
    buffer = {}

    def numerical_gradient(f, x, eps=1e-5):
        grad = buffer.setdefault(x.shape, np.zeros(x.shape))
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = f()
            x[i] = old - eps
            down = f()
            x[i] = old
            grad[i] += (up - down) / (2 * eps)
        return grad.copy()

    text = sol.failed_text("numerical_gradient", numerical_gradient)
    assert KEPT in text, text


def test_a_second_call_that_raises_is_told_as_kept_state():
    calls = []

    def mse_loss(Y_hat, Y):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("only once")
        e = Y_hat - Y
        return float(np.sum(e**2) / (2 * len(Y))), e / len(Y)

    text = sol.failed_text("mse_loss", mse_loss)
    assert KEPT in text and "it raised RuntimeError the second time" in text, text


def test_a_function_that_keeps_a_cache_of_its_inputs_but_returns_the_same_passes():
    seen = []

    def mse_loss(Y_hat, Y):
        seen.append(Y.shape)  # kept, but it does not change the result
        e = Y_hat - Y
        return float(np.sum(e**2) / (2 * len(Y))), e / len(Y)

    verdict = ex.EXERCISES["mse_loss"].check(mse_loss)
    assert verdict.status == "PASS", verdict.text
