"""The checkers of forward_step, gru_step and temperature_probabilities say which part of a
wrong answer goes wrong: a unit (column) or record (row) that a loop leaves at zero, and (in
forward_step) an activation other than tanh applied to a right pre-activation. Each wrong
answer is written here as a learner might write it."""

import exercise_solutions as sol
import numpy as np

from rnnlib import exercises as ex


def test_a_unit_that_the_loop_never_reaches_is_located():
    def by_units(x_t, h_prev, U, W, b):
        out = np.zeros((x_t.shape[0], W.shape[0]))
        for j in range(W.shape[0] - 1):
            out[:, j] = np.tanh(U[j] @ x_t.T + W[j] @ h_prev.T + b[j])
        return out

    text = sol.failed_text("forward_step", by_units)
    assert "the last of the 4, column H - 1, is wrong and holds zeros, as if never computed" in text
    assert "look at the range of your loop over the units" in text


def test_a_record_that_the_loop_skips_is_located():
    def by_records(x_t, h_prev, U, W, b):
        out = np.zeros((x_t.shape[0], W.shape[0]))
        for i in range(1, x_t.shape[0]):
            out[i] = np.tanh(U @ x_t[i] + W @ h_prev[i] + b)
        return out

    text = sol.failed_text("forward_step", by_records)
    assert "the first, row 0, is wrong and holds zeros" in text, text
    assert "look at where your loop over the records starts" in text


def test_units_of_a_gru_that_the_loop_never_reaches_are_located():
    def gru_by_units(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        h = np.zeros_like(h_prev)
        for j in range(H - 1):
            r = 1 / (1 + np.exp(-(x_t @ U[j] + h_prev @ W[j] + b[j])))
            z = 1 / (1 + np.exp(-(x_t @ U[H + j] + h_prev @ W[H + j] + b[H + j])))
            n = np.tanh(x_t @ U[2 * H + j] + b[2 * H + j] + r * (h_prev @ W[2 * H + j] + b_n[j]))
            h[:, j] = (1 - z) * n + z * h_prev[:, j]
        return h

    text = sol.failed_text("gru_step", gru_by_units)
    assert "column H - 1, is wrong and holds zeros" in text and "candidate" not in text, text


def test_another_function_of_a_right_pre_activation_is_located_at_the_activation():
    def tanh_by_hand(x_t, h_prev, U, W, b):
        a = x_t @ U.T + h_prev @ W.T + b
        return (np.exp(a) - np.exp(-a)) / np.exp(a) + np.exp(-a)  # brackets lost

    text = sol.failed_text("forward_step", tanh_by_hand)
    assert "so a_t is right and the function applied to it is not tanh" in text, text


def test_a_wrong_pre_activation_is_not_blamed_on_the_activation():
    text = sol.failed_text("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b * b))
    assert "the function applied to it" not in text


def test_tanhs_derivative_is_named():
    text = sol.failed_text("forward_step", lambda x, h, U, W, b: 1 - np.tanh(x @ U.T + h @ W.T + b) ** 2)
    assert "h_t is tanh's derivative, 1 - tanh(a)**2, of the pre-activation" in text, text


def test_loops_over_records_and_units_that_cover_all_still_pass():
    def loops(x_t, h_prev, U, W, b):
        out = np.empty((x_t.shape[0], W.shape[0]))
        for i in range(x_t.shape[0]):
            for j in range(W.shape[0]):
                out[i, j] = np.tanh(x_t[i] @ U[j] + h_prev[i] @ W[j] + b[j])
        return out

    assert ex.EXERCISES["forward_step"].check(loops).passed


def test_a_stream_that_the_loop_never_reaches_is_located_in_the_temperature_exercise():
    def by_rows(y_hat, temperature):
        p = np.zeros_like(y_hat)
        for i in range(y_hat.shape[0] - 1):
            e = np.exp((y_hat[i] - y_hat[i].max()) / temperature)
            p[i] = e / e.sum()
        return p

    text = sol.failed_text("temperature_probabilities", by_rows)
    assert "the last of the 3, row N - 1, is wrong and holds zeros, as if never computed" in text, text
    assert "look at the normalisation" not in text


def test_rows_that_are_computed_but_wrong_are_not_blamed_on_a_loop():
    def first_rows_sum(y_hat, temperature):
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return e / e[0].sum()

    text = sol.failed_text("temperature_probabilities", first_rows_sum)
    assert "your loop" not in text, text
