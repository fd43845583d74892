"""numpy's raw errors are told in the course's terms in every checker: the casting error (float
results written into an array of integers) says which array is of integers and how to make it
float64; a method or name that NumPy 2 removed (x.itemset, np.float_, ...) gets its
replacement."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex

pytestmark = pytest.mark.usefixtures("rnnlib_book")




def test_bptt_with_an_integer_accumulator_names_it():
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU = np.zeros((W.shape[0], X.shape[2]))
        dW = np.zeros(W.shape, dtype=np.int32)
        db = np.zeros(W.shape[0])
        g = dY_hat @ V
        for t in range(T, T - k, -1):
            _, g, dU_t, dW_t, db_t = sol.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
            dU += dU_t
            dW += dW_t
            db += db_t
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    text = sol.failed_text("bptt", bptt)
    assert "in your line `dW += dW_t`: dW is an array of integers (int32)" in text, text
    assert "np.zeros_like(W, dtype=float)" in text and "Cannot cast" not in text


def test_an_integer_output_buffer_is_named_in_another_checker():
    def clip_gradients(grads, threshold):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        factor = min(1.0, threshold / norm)
        out = []
        for g in grads:
            scaled = np.zeros(g.shape, dtype=int)
            np.multiply(g, factor, out=scaled)
            out.append(scaled)
        return out

    text = sol.failed_text("clip_gradients", clip_gradients)
    assert "scaled is an array of integers" in text and "Make it float64" in text, text


def test_float_accumulators_still_pass():
    assert ex.EXERCISES["bptt"].check(sol.bptt).passed


def test_a_method_that_numpy_2_removed_is_named_with_its_replacement():
    def numerical_gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in range(x.size):
            saved = x.flat[i]
            x.itemset(i, saved + eps)
            up = f()
            x.itemset(i, saved - eps)
            down = f()
            x.flat[i] = saved
            grad.flat[i] = (up - down) / (2 * eps)
        return grad

    text = sol.failed_text("numerical_gradient", numerical_gradient)
    assert "your line `x.itemset(i, saved + eps)` uses itemset, which NumPy 2 removed" in text, text
    assert "write x.flat[i] = value" in text
