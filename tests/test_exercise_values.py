"""Rules of the checkers found by the held-out sets s8 and s9 (benchmarks/bench_checkers.py):
each wrong answer here is written for this test, and each message is checked; the correct
answers of the other exercise tests still pass."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex

pytestmark = pytest.mark.usefixtures("rnnlib_book")




def test_a_loss_kept_in_a_one_by_one_array_is_refused():
    def mse_loss(Y_hat, Y):
        e = Y_hat - Y
        return np.sum(e**2, keepdims=True) / (2 * len(Y)), e / len(Y)

    text = sol.failed_text("mse_loss", mse_loss)
    assert "L must be one number, got an array of shape (1, 1)" in text and "keepdims" in text


def test_errors_squared_in_place_before_the_gradient_name_that_line():
    def mse_loss(Y_hat, Y):
        e = Y_hat - Y
        dY_hat = e
        np.power(e, 2, out=e)
        return float(np.sum(e) / (2 * len(Y))), dY_hat / len(Y)

    text = sol.failed_text("mse_loss", mse_loss)
    assert "your line `np.power(e, 2, out=e)` changes e in place" in text, text


def test_the_loss_terms_as_gradient_without_in_place_lines_keep_the_plain_text():
    def mse_loss(Y_hat, Y):
        return float(np.sum((Y_hat - Y) ** 2) / (2 * len(Y))), (Y_hat - Y) ** 2 / len(Y)

    text = sol.failed_text("mse_loss", mse_loss)
    assert "the loss's terms, not their derivative" in text and "in place" not in text, text


def test_a_numerical_gradient_that_skips_zero_entries_is_named():
    def numerical_gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            if x[i] == 0:  # "a zero weight has no gradient"
                continue
            old = x[i]
            x[i] = old + eps
            up = f()
            x[i] = old - eps
            down = f()
            x[i] = old
            grad[i] = (up - down) / (2 * eps)
        return grad

    text = sol.failed_text("numerical_gradient", numerical_gradient)
    assert "0 at every entry where x is 0" in text, text


def test_an_output_bias_made_a_column_fails_with_several_outputs():
    def rnn_forward(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = sol.forward_step(X[:, t], h, U, W, b)
            states.append(h)
        return h @ V.T + c.reshape(-1, 1), np.stack(states)  # right only while O = 1

    text = sol.failed_text("rnn_forward", rnn_forward)
    assert "O = 6" in text and "c.reshape(-1, 1)" in text, text


def test_a_loop_that_rebinds_its_name_is_named_and_one_that_stores_it_passes():
    def clip_gradients(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        out = [g.copy() for g in grads]
        if norm > threshold:
            for g in out:
                g = g * (threshold / norm)
        return out

    text = sol.failed_text("clip_gradients", clip_gradients)
    assert "your line `g = g * (threshold / norm)` gives the loop's name a new array" in text

    def stored(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        out = []
        for g in grads:
            if norm > threshold:
                g = g * (threshold / norm)
            out.append(g)
        return out

    assert ex.EXERCISES["clip_gradients"].check(stored).status == "PASS"


def test_a_condition_that_never_holds_is_not_blamed_on_the_loop():
    def clip_gradients(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        factor = threshold / norm if norm > 10 * threshold + 1e9 else 1.0  # never true
        return [g * factor for g in grads]

    text = sol.failed_text("clip_gradients", clip_gradients)
    assert "loop's name" not in text, text


def test_rounded_probabilities_and_a_squared_temperature_are_named():
    def rounded(y_hat, temperature):
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return np.round(e / e.sum(axis=1, keepdims=True), 4)

    assert "p is rounded to 4 decimals" in sol.failed_text("temperature_probabilities", rounded)

    def squared(y_hat, temperature):
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature**2)
        return e / e.sum(axis=1, keepdims=True)

    assert "divided by T twice" in sol.failed_text("temperature_probabilities", squared)


# --- found by the held-out set s10 --------------------------------------------------------


def test_a_number_typed_in_for_n_is_named_from_both_results():
    def mse_loss(Y_hat, Y):
        N = 50  # the notebook's batch
        e = Y_hat - Y
        return float(np.sum(e**2) / (2 * N)), e / N

    text = sol.failed_text("mse_loss", mse_loss)
    assert "both divided by 50, not by the number of records N = len(Y)" in text, text


def test_training_that_gives_bptt_the_raw_error_or_the_prediction_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k, error):
        p = [np.array(a, dtype=float) for a in params]
        for _ in range(epochs):
            Y_hat, states = sol.rnn_forward(X, *p)
            _, dY_hat = sol.mse_loss(Y_hat, Y)
            top = Y_hat - Y if error == "sum" else Y_hat
            grads = sol.bptt(top, X, states, p[1], p[2], k)
            grads = sol.clip_gradients(list(grads), threshold)
            p = [a - learning_rate * g for a, g in zip(p, grads, strict=True)]
        return p

    def raw(params, X, Y, learning_rate, epochs, threshold, k):
        return train(params, X, Y, learning_rate, epochs, threshold, k, "sum")

    def prediction(params, X, Y, learning_rate, epochs, threshold, k):
        return train(params, X, Y, learning_rate, epochs, threshold, k, "prediction")

    assert "Y_hat - Y, not divided by N" in sol.failed_text("train_rnn", raw)
    assert "given the prediction Y_hat" in sol.failed_text("train_rnn", prediction)


def test_a_buffer_made_with_one_channel_is_told_from_the_shapes():
    def make_windows(series, T):
        n = len(series) - T
        X = np.zeros((n, T, 1))  # D = 1 typed in
        for i in range(n):
            X[i] = series[i:i + T]
        return X, series[T:].copy()

    text = sol.failed_text("make_windows", make_windows)
    assert "writes an array of shape (4, 2)" in text and "made with another shape" in text, text


def test_a_matrix_norm_order_on_the_biases_is_explained():
    def clip_gradients(grads, threshold):
        norm = np.sqrt(sum(np.linalg.norm(g, "fro") ** 2 for g in grads))
        return [g * min(1.0, threshold / norm) for g in grads]

    text = sol.failed_text("clip_gradients", clip_gradients)
    assert "'fro' and 'nuc' are for matrices (2-D); the biases are 1-D" in text, text


# --- found by the held-out set s11 --------------------------------------------------------


def test_a_caret_for_the_power_is_named():
    def backward_step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t ^ 2)
        return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)

    assert "^, which in Python is the bitwise exclusive or" in sol.failed_text("backward_step",
                                                                               backward_step)


def test_f_used_without_calling_it_is_named():
    def numerical_gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = f
            x[i] = old - eps
            down = f
            x[i] = old
            grad[i] = (up - down) / (2 * eps)
        return grad

    text = sol.failed_text("numerical_gradient", numerical_gradient)
    assert "holds a function itself, not its value: call it" in text, text


def test_a_division_by_a_zero_norm_is_explained():
    import math

    def clip_gradients(grads, threshold):
        norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
        factor = min(1.0, threshold / norm)
        return [g * factor for g in grads]

    text = sol.failed_text("clip_gradients", clip_gradients)
    assert "ZeroDivisionError" in text and "a norm is 0 when every gradient is 0" in text, text


def test_a_rounded_gradient_is_named_and_a_clamp_is_not_blamed_on_float32():
    def rounded(f, x, eps=1e-6):
        return np.round(sol.numerical_gradient(f, x, eps), 6)

    assert "rounded to 6 decimals" in sol.failed_text("numerical_gradient", rounded)

    def clamped(y_hat, temperature):
        return sol.temperature_probabilities(y_hat, max(temperature, 0.1))

    text = sol.failed_text("temperature_probabilities", clamped)
    assert "float32" not in text, text


def test_an_error_at_the_top_written_for_one_output_fails_with_several():
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape), np.zeros(W.shape[0])
        g = dY_hat * V  # right while O = 1: (N, 1) * (1, H)
        for t in range(T, T - k, -1):
            _, g, dU_t, dW_t, db_t = sol.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
            dU += dU_t
            dW += dW_t
            db += db_t
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    text = sol.failed_text("bptt", bptt)
    assert "O = 7" in text, text
