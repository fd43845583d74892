"""General rules found wanting by the benchmark set s12, each fed a wrong answer written here as a
learner would write it (not the benchmark's): a Python list where one array is expected, results
that share memory from call to call, arithmetic on a list of arrays, values clamped to a bound,
a broadcast along a new axis, a norm typed in for the threshold, probabilities set to exactly 0,
the last step of a loss at every step (dh_next = 0), and parameter gradients that are all one
common factor off while the error passed back is right. Correct answers in other styles pass."""

import math

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- 1. a Python list where one array is expected ------------------------------------------


def test_windows_kept_in_a_list_are_refused_with_the_array_they_should_be():
    def windows(series, T):
        X = [series[i:i + T] for i in range(len(series) - T)]
        return X, series[T:]

    failed("make_windows", windows, "X is a Python list (of 6 arrays of shape (4, 2) = (T, D))",
           "np.array(X)", "(N, T, D) = (6, 4, 2)")


def test_a_gradient_turned_into_nested_lists_is_refused():
    def loss(Y_hat, Y):
        e = Y_hat - Y
        return float(np.sum(e**2)) / (2 * len(Y)), (e / len(Y)).tolist()

    failed("mse_loss", loss, "dY_hat is a Python list (of 5 lists)", "np.array(dY_hat)")


def test_one_clipped_array_left_as_a_list_is_refused_and_a_list_of_arrays_is_not():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        factor = threshold / norm if norm > threshold else 1.0
        return [g * factor for g in grads[:-1]] + [list(grads[-1] * factor)]

    failed("clip_gradients", clip, "array 4 (dc) is a Python list", "np.array(...)")
    passed("clip_gradients", sol.clip_gradients)  # a list of arrays, as it must be


# --- 2. results that share memory from call to call ---------------------------------------

_STATE = {}


def test_a_step_written_into_one_array_made_once_is_named():
    def step(x_t, h_prev, U, W, b):
        out = _STATE.setdefault((x_t.shape[0], W.shape[0]), np.zeros((x_t.shape[0], W.shape[0])))
        out[...] = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        return out

    failed("forward_step", step, "returns the same array on every call",
           "a call on other inputs overwrote the result of the call before it",
           "Make a new array on each call")


def test_a_gradient_kept_in_a_global_is_named_in_another_checker():
    grad = {}

    def loss(Y_hat, Y):
        d = grad.setdefault(Y.shape, np.empty(Y.shape))
        np.subtract(Y_hat, Y, out=d)
        L = float(np.sum(d**2)) / (2 * len(Y))
        d /= len(Y)
        return L, d

    failed("mse_loss", loss, "returns the same array on every call")


def test_results_that_are_views_of_the_inputs_still_pass():
    def windows(series, T):
        view = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)
        return view[:-1].transpose(0, 2, 1).copy(), series[T:]  # Y a view of its input

    passed("make_windows", windows)
    passed("numerical_gradient", sol.numerical_gradient)  # x is shared, not copied


# --- 3. values cut to a bound ------------------------------------------------------------


def test_a_step_error_clamped_to_two_is_named_on_the_large_error_case():
    def step(dh_t, h_t, h_prev, x_t, W):
        delta = np.minimum(np.maximum(dh_t * (1 - h_t**2), -2.0), 2.0)
        return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)

    failed("backward_step", step, "not with a large error dh_t", "beyond ±2 are cut to ±2",
           "np.clip")


# --- 5. the last step of a loss at every step ------------------------------------------------


def test_nothing_passed_back_at_the_last_step_is_named():
    def step(dh_next, dy_hat_t, h_t, W, V):
        g = dh_next + dy_hat_t @ V
        delta = g * (1 - h_t**2)
        dh_prev = delta @ W if np.any(dh_next) else np.zeros_like(h_t)  # "t = T: nothing back"
        return g, delta, dh_prev, dy_hat_t.T @ h_t

    failed("sequence_backward_step", step, "the last step t = T, where dh_next = 0",
           "dh_prev is wrong: it is all zeros at the last step")
    passed("sequence_backward_step", sol.sequence_backward_step)


# --- 6. a broadcast along a new axis -----------------------------------------------------------


def test_predictions_given_a_new_axis_are_named_with_every_axis_in_symbols():
    def loss(Y_hat, Y):
        e = Y_hat[:, np.newaxis] - Y
        return float(np.sum(e**2)) / (2 * len(Y)), e / len(Y)

    failed("mse_loss", loss, "(5, 5, 3) = (N, N, O)", "a new axis", "diagonal holds the right")


# --- 7. arithmetic on a list of arrays ----------------------------------------------------------


def test_a_list_scaled_in_place_is_named():
    def clip(grads, threshold):
        norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
        clipped = list(grads)
        if norm > threshold:
            clipped *= threshold / norm
        return clipped

    failed("clip_gradients", clip, "does arithmetic on clipped, a Python list of 5 arrays",
           "[g * factor for g in clipped]")


# --- 8. a norm typed in for the threshold -----------------------------------------------------


def test_clipping_to_a_norm_typed_in_is_named():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * (2.5 / norm) if norm > 2.5 else g.copy() for g in grads]  # "CLIP = 2.5"

    failed("clip_gradients", clip, "global norm 2.50", "clipped to 2.50, not to threshold = 0.60",
           "a number typed in")


def test_a_wrong_norm_is_not_called_a_typed_in_threshold():
    def clip(grads, threshold):  # the first array's norm only: not one fixed clipped norm
        norm = np.sqrt(np.sum(grads[0] ** 2))
        return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]

    failed("clip_gradients", clip, absent=("a number typed in",))


# --- 9. probabilities set to exactly 0 -----------------------------------------------------


def test_a_top_two_filter_is_named():
    def probabilities(y_hat, temperature):
        p = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        keep = np.zeros_like(p, dtype=bool)
        np.put_along_axis(keep, np.argsort(y_hat, axis=1)[:, -2:], True, axis=1)
        p = np.where(keep, p, 0.0)
        return p / p.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", probabilities, "only the 2 largest scores",
           "every character must keep a chance", "no top-k filter",
           absent=("a larger score does not always",))


def test_small_probabilities_cut_to_zero_are_named():
    def probabilities(y_hat, temperature):
        p = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        p = p / p.sum(axis=1, keepdims=True)
        p[p < 0.1] = 0.0  # "never sample a rare character"
        return p / p.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", probabilities, "probabilities are exactly 0",
           "every character must keep a chance")


# --- 10. parameter gradients one common factor off ------------------------------------------


def _gru_shares(dh_t, x_t, h_prev, U, W, b, b_n, scale):
    dh_prev, dU, dW, db, db_n = sol.gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n)
    return dh_prev, dU * scale(x_t), dW * scale(x_t), db * scale(x_t), db_n * scale(x_t)


def test_parameter_gradients_averaged_over_the_records_are_named():
    def backward(dh_t, x_t, h_prev, U, W, b, b_n):
        return _gru_shares(dh_t, x_t, h_prev, U, W, b, b_n, lambda x: 1 / x.shape[0])

    failed("gru_step_backward", backward, "dh_prev is right", "divided by N = 3",
           "sums over the records", absent=("da_z", "da_n are wrong"))


def test_parameter_gradients_doubled_do_not_blame_the_gate_errors():
    def backward(dh_t, x_t, h_prev, U, W, b, b_n):
        return _gru_shares(dh_t, x_t, h_prev, U, W, b, b_n, lambda x: 2.0)

    failed("gru_step_backward", backward, "times 2, one common factor",
           "the gate errors da_r, da_z, da_n and dm are right", absent=("are wrong",))
