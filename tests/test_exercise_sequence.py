"""Notebook 09's exercises: the backward step of a loss at every step and the probabilities at a
temperature. Their references are tested against rnnlib (a loop of the step is rnnlib's gradient;
the probabilities are what rnnlib.sequence.sample draws from), and each usual slip is named."""

import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib import init_params
from rnnlib.exercises import sampling, sequence_backward
from rnnlib.losses import softmax
from rnnlib.sequence import sample, sequence_loss_and_gradients


def text_of(name, fn):
    v = ex.EXERCISES[name].check(fn)
    return v.status, v.text.replace("\n  ", " ")


# --- the references against rnnlib -------------------------------------------------------------


def test_a_loop_of_the_backward_step_is_rnnlibs_gradient_of_a_loss_at_every_step():
    rng = np.random.default_rng(3)
    N, T, V, H = 3, 7, 5, 4
    params = init_params(V, H, V, rng)
    params.b[:] = rng.normal(0, 0.3, H)
    X = np.eye(V)[rng.integers(0, V, (N, T))]
    Y = np.eye(V)[rng.integers(0, V, (N, T))]
    _, grads, _ = sequence_loss_and_gradients(params, X, Y)
    states = [np.zeros((N, H))]
    for t in range(T):
        states.append(np.tanh(X[:, t] @ params.U.T + states[-1] @ params.W.T + params.b))
    dW, dV, dU = np.zeros((H, H)), np.zeros((V, H)), np.zeros((H, V))
    dh_next = np.zeros((N, H))
    for t in range(T, 0, -1):
        dy = (softmax(states[t] @ params.V.T + params.c) - Y[:, t - 1]) / (N * T)
        _, delta, dh_next, dV_t = sequence_backward.reference(dh_next, dy, states[t], params.W,
                                                              params.V)
        dW += delta.T @ states[t - 1]
        dU += delta.T @ X[:, t - 1]
        dV += dV_t
    for mine, theirs in ((dW, grads.W), (dU, grads.U), (dV, grads.V)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-14)


def test_the_temperature_probabilities_are_what_sample_draws_from():
    rng = np.random.default_rng(5)
    V, H, T = 6, 5, 0.6
    params = init_params(V, H, V, rng)
    params.c[:] = rng.normal(0, 1, V)
    drawn = sample(params, [1, 2], 12, temperature=T, rng=np.random.default_rng(9))
    draws, h, expected = np.random.default_rng(9), np.zeros((1, H)), []
    for x in [1, 2]:
        h = np.tanh(np.eye(V)[[x]] @ params.U.T + h @ params.W.T + params.b)
    for _ in range(12):
        p = sampling.reference(h @ params.V.T + params.c, T)[0]
        i = min(int(np.searchsorted(np.cumsum(p), draws.random(), side="right")), V - 1)
        expected.append(i)
        h = np.tanh(np.eye(V)[[i]] @ params.U.T + h @ params.W.T + params.b)
    assert drawn.tolist() == expected


def test_the_probabilities_rows_sum_to_one_and_do_not_overflow_at_small_temperatures():
    for case, temperature in zip(sampling.CASES[-2:], (0.05, 0.01), strict=True):
        y_hat, T = sampling.inputs(case)
        assert T == temperature and np.abs(y_hat).max() / T > 710  # exp would overflow
        p = sampling.reference(y_hat, T)  # without the max
        assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)


# --- named slips ---------------------------------------------------------------------------------


def step(dh_next, dy_hat_t, h_t, W, V, own=True, later=True, derivative=True, transpose_w=False):
    g = (dh_next if later else 0) + (dy_hat_t @ V if own else 0)
    delta = g * (1 - h_t**2) if derivative else g
    return g, delta, delta @ (W.T if transpose_w else W), dy_hat_t.T @ h_t


@pytest.mark.parametrize("changes, fragment", [
    ({"own": False}, "step t's own loss is missing"),
    ({"later": False}, "the error from the later steps is missing"),
    ({"derivative": False}, "the tanh derivative is missing"),
    ({"transpose_w": True}, "W is not transposed"),
])
def test_backward_step_slips_are_named(changes, fragment):
    status, text = text_of("sequence_backward_step", lambda *a: step(*a, **changes))
    assert status == "FAIL" and fragment in text, text


def test_backward_step_transposed_dV_is_named_on_its_shape():
    def transposed(*a):
        g, delta, dh, dV = step(*a)
        return g, delta, dh, dV.T

    status, text = text_of("sequence_backward_step", transposed)
    assert status == "FAIL" and "dV_t has shape (4, 5) = (H, O)" in text and "transpose" in text


def test_backward_step_dy_at_V_transposed_is_a_shape_error_in_course_terms():
    status, text = text_of("sequence_backward_step", lambda dh, dy, h, W, V: (dh + dy @ V.T,) * 4)
    assert status == "FAIL" and "matrix product" in text and "Hint: rows are records" in text, text


@pytest.mark.parametrize("fn, fragment", [
    (lambda y, T: softmax(y * T), "multiplied by T"),
    (lambda y, T: softmax(y), "the temperature has no effect"),
    (lambda y, T: np.exp((y - y.max(axis=1, keepdims=True)) / T), "not normalised"),
    (lambda y, T: softmax(y) / T, "T divides the probabilities"),
])
def test_temperature_slips_are_named(fn, fragment):
    status, text = text_of("temperature_probabilities", fn)
    assert status == "FAIL" and fragment in text, text


def test_softmax_over_the_records_is_named():
    def columns(y, T):
        e = np.exp(y / T - (y / T).max(axis=0))
        return e / e.sum(axis=0)

    status, text = text_of("temperature_probabilities", columns)
    assert status == "FAIL" and "over the records (axis 0)" in text, text


def test_an_overflow_is_explained_with_the_max_to_subtract():
    def naive(y, T):
        e = np.exp(y / T)
        return e / e.sum(axis=1, keepdims=True)

    status, text = text_of("temperature_probabilities", naive)
    assert status == "FAIL" and "overflowed" in text and "NaN" in text, text
    assert "right with" in text  # right on the first inputs, wrong only where exp overflows
