"""Messages found wanting by the benchmark sets s8 and s9, made general: shapes named in the role
that fits each axis (and products of two sizes), one number where an array is expected, lists
of arrays in exception texts, read-only np.nditer elements, results unpacked in another order,
a scaled pre-activation, GRU gate rows taken every third row. Each wrong answer is written here
as a learner would write it; correct answers in other styles must still pass."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.exercises._core import Case, shape_text

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def failed(name, fn, *fragments):
    """fn fails; its message (unwrapped) holds every fragment; returns that message."""
    v = ex.EXERCISES[name].check(fn)
    assert v.status == "FAIL", v.text
    text = v.text.replace("\n  ", " ")
    for fragment in fragments:
        assert fragment in text, text
    return text


def passed(name, fn):
    v = ex.EXERCISES[name].check(fn)
    assert v.status == "PASS", v.text


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- shapes named in the role that fits each axis ---------------------------------------------


def test_a_size_is_not_named_by_a_symbol_of_another_axis_that_holds_its_own_size():
    sizes = Case({"L": 10, "T": 4, "D": 2, "N": 6}, False, 0).sizes
    assert shape_text((2, 4, 2), sizes, "(N, T, D)", (6, 4, 2)) == "(2, 4, 2) = (2, T, D)"
    # axes really swapped keep their names: D on T's axis, T on D's
    assert shape_text((6, 2, 4), sizes, "(N, T, D)", (6, 4, 2)) == "(6, 2, 4) = (N, D, T)"
    assert shape_text((4, 3), {3: "N", 4: "H"}, "(N, H)", (3, 4)) == "(4, 3) = (H, N)"


def test_a_size_with_two_names_takes_the_one_of_its_axis():
    sizes = Case({"L": 10, "T": 4, "D": 2, "N": 6}, False, 0, {5: ("N - 1", "T + 1")}).sizes
    assert sizes[5] == "N - 1"
    assert shape_text((6, 5, 2), sizes, "(N, T, D)", (6, 4, 2)) == "(6, 5, 2) = (N, T + 1, D)"
    assert shape_text((5, 4, 2), sizes, "(N, T, D)", (6, 4, 2)) == "(5, 4, 2) = (N - 1, T, D)"


def test_a_size_that_is_the_product_of_two_symbols_is_named_so():
    sizes = Case({"N": 3, "D": 2, "H": 4}, False, 0).sizes
    assert shape_text((12, 6), sizes, "(H, D)", (4, 2)) == "(12, 6) = (N H, N D)"
    assert shape_text((12, 6), sizes) == "(12, 6)"  # without the expected shape: plain


def test_windows_counted_as_if_they_did_not_overlap_are_named():
    def windows(series, T):
        count = series.shape[0] // T
        X = np.array([series[j:j + T] for j in range(count)])
        return X, np.array([series[j + T] for j in range(count)])

    text = failed("make_windows", windows, "(2, T, D)", "len(series) // T",
                  "N = len(series) - T")
    assert "(D, T, D)" not in text


def test_a_loop_that_stops_early_gets_the_count_of_windows_it_kept():
    def windows(series, T):
        X = np.stack([series[j:j + T] for j in range(3)])
        return X, np.stack([series[j + T] for j in range(3)])

    failed("make_windows", windows, "the first 3 windows only", "look at the range of your loop")


def test_a_view_of_windows_cut_along_the_channel_axis_is_named():
    def windows(series, T):
        v = np.lib.stride_tricks.sliding_window_view(series, T + 1, axis=0)  # (N, D, T + 1)
        return np.moveaxis(v[:, 1:], 1, 2).copy(), v[:, :, T].copy()

    failed("make_windows", windows, "(N, T + 1, 1)", "T + 1 values", "cut the channel axis",
           "view[..., :T]")


def test_windows_from_a_view_cut_on_its_last_axis_pass():
    def windows(series, T):
        v = np.lib.stride_tricks.sliding_window_view(series, T + 1, axis=0)
        return np.swapaxes(v[:, :, :-1], 1, 2).copy(), v[:, :, -1].copy()

    passed("make_windows", windows)


def test_shares_by_np_outer_are_named_with_the_sizes_they_multiply():
    def step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1.0 - h_t * h_t)
        return (delta, delta @ W, np.outer(delta, x_t), np.outer(delta, h_prev),
                delta.sum(axis=0))

    failed("backward_step", step, "(N H, N D)", "np.outer flattens", "a.T @ b")


def test_shares_by_np_outer_in_the_other_order_say_so():
    def step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1.0 - h_t * h_t)
        return (delta, delta @ W, np.outer(x_t, delta), delta.T @ h_prev, delta.sum(axis=0))

    failed("backward_step", step, "np.outer flattens", "other order")


def test_shares_as_a_sum_of_outer_products_pass():
    def step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1.0 - h_t ** 2)
        dU = sum(np.outer(delta[n], x_t[n]) for n in range(len(delta)))
        dW = sum(np.outer(delta[n], h_prev[n]) for n in range(len(delta)))
        return delta, delta @ W, dU, dW, delta.sum(axis=0)

    passed("backward_step", step)


def test_a_gradient_reduced_to_one_number_is_named():
    def loss(Y_hat, Y):
        e = Y_hat - Y
        return 0.5 * np.mean(np.sum(e ** 2, axis=1)), np.mean(e / len(Y))

    failed("mse_loss", loss, "dY_hat is one number", "the mean of the right values",
           "one entry for each record and output")


def test_one_number_that_is_no_reduction_of_the_right_values_claims_none():
    def loss(Y_hat, Y):
        e = Y_hat - Y
        return 0.5 * np.mean(np.sum(e ** 2, axis=1)), np.max(e)

    text = failed("mse_loss", loss, "dY_hat is one number")
    assert "right values" not in text


# --- exception texts ------------------------------------------------------------------------


def test_a_sum_of_arrays_of_different_shapes_lists_the_arrays_and_says_what_to_add():
    def clip(grads, threshold):
        squares = 0.0
        for g in grads:
            squares = squares + g * g
        norm = np.sqrt(squares.sum())
        return [g * min(1.0, threshold / norm) for g in grads]

    text = failed("clip_gradients", clip, "have different shapes", "np.sum(g ** 2)",
                  "grads: 5 arrays of shapes (H, D), (H, H)")
    assert "The arguments are ." not in text


def test_an_exception_with_nothing_to_list_prints_no_empty_sentence():
    def clip(grads, threshold):
        return [g[5, 5] for g in grads]

    text = failed("clip_gradients", clip, "IndexError")
    assert "The arguments are ." not in text and "are :" not in text


def test_nditer_without_readwrite_is_named():
    def gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        with np.nditer(x, flags=["multi_index"]) as it:
            for entry in it:
                keep = entry.item()
                entry[...] = keep + eps
                plus = f()
                entry[...] = keep - eps
                minus = f()
                entry[...] = keep
                grad[it.multi_index] = (plus - minus) / (2 * eps)
        return grad

    failed("numerical_gradient", gradient, "np.nditer", 'op_flags=["readwrite"]',
           "np.ndindex(x.shape)")


def test_nditer_with_readwrite_passes():
    def gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        with np.nditer(x, flags=["multi_index"], op_flags=["readwrite"]) as it:
            for entry in it:
                keep = entry.item()
                entry[...] = keep + eps
                plus = f()
                entry[...] = keep - eps
                minus = f()
                entry[...] = keep
                grad[it.multi_index] = (plus - minus) / (2 * eps)
        return grad

    passed("numerical_gradient", gradient)


def test_results_of_a_piece_unpacked_in_another_order_are_named():
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU = np.zeros((W.shape[0], X.shape[2]))
        dW = np.zeros_like(W)
        db = np.zeros(W.shape[0])
        dh = dY_hat @ V
        for t in range(T, T - k, -1):
            delta_t, dh, dU_t, db_t, dW_t = sol.my.backward_step(dh, states[t], states[t - 1],
                                                                 X[:, t - 1], W)
            dU += dU_t
            dW += dW_t
            db += db_t
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    failed("bptt", bptt, "unpacks backward_step's results in another order",
           "delta_t, dh_prev, dU_t, dW_t, db_t", "your db_t holds dW_t (H, H)", "`db += db_t`")


# --- forward_step: a constant factor inside the tanh ------------------------------------------


def test_a_pre_activation_scaled_before_the_bias_is_named():
    def step(x_t, h_prev, U, W, b):
        H = len(b)
        return np.tanh((np.dot(x_t, U.T) + np.dot(h_prev, W.T)) / np.sqrt(H) + b)

    failed("forward_step", step, "scaled by 1 / sqrt(H) before b is added",
           "np.tanh(x_t @ U.T + h_prev @ W.T + b)")


def test_the_whole_pre_activation_divided_by_three_is_named():
    def step(x_t, h_prev, U, W, b):
        return np.tanh((x_t @ U.T + h_prev @ W.T + b) / 3.0)

    failed("forward_step", step, "the whole pre-activation a_t is scaled by 1/3")


def test_one_part_subtracted_is_named_as_subtracted():
    def step(x_t, h_prev, U, W, b):
        return np.tanh(h_prev @ W.T + b - x_t @ U.T)

    failed("forward_step", step, "x_t @ U.T is subtracted")


def test_one_part_scaled_is_named_by_its_factor():
    def step(x_t, h_prev, U, W, b):
        return np.tanh(x_t @ U.T + h_prev @ W.T / 3 + b)

    failed("forward_step", step, "h_prev @ W.T is multiplied by 1/3")


def test_a_step_written_with_einsum_and_a_column_bias_passes():
    def step(x_t, h_prev, U, W, b):
        a = np.einsum("hd,nd->hn", U, x_t) + np.einsum("hk,nk->hn", W, h_prev) + b[:, None]
        return np.tanh(a).T

    passed("forward_step", step)


# --- gru_step: the gates' rows ----------------------------------------------------------------


def test_gate_rows_taken_every_third_row_are_named():
    def step(x_t, h_prev, U, W, b, b_n):
        Ur, Uz, Un = (U[g::3] for g in range(3))
        Wr, Wz, Wn = (W[g::3] for g in range(3))
        br, bz, bn = (b[g::3] for g in range(3))
        r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
        z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
        n = np.tanh(x_t @ Un.T + bn + r * (h_prev @ Wn.T + b_n))
        return z * h_prev + (1 - z) * n

    failed("gru_step", step, "every third row", "blocks of H rows", "r = rows 0 .. H - 1")


def test_gate_rows_split_into_three_blocks_pass():
    def step(x_t, h_prev, U, W, b, b_n):
        Ur, Uz, Un = np.split(U, 3)
        Wr, Wz, Wn = np.split(W, 3)
        br, bz, bn = np.split(b, 3)
        r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
        z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
        n = np.tanh(x_t @ Un.T + bn + r * (h_prev @ Wn.T + b_n))
        return z * h_prev + (1 - z) * n

    passed("gru_step", step)


def test_one_bias_block_added_in_the_other_gates_too_is_named():
    def step(x_t, h_prev, U, W, b, b_n):
        H = W.shape[1]
        bias = b[H:2 * H]  # z's bias, used by every gate
        r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + bias)
        z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + bias)
        n = np.tanh(x_t @ U[2 * H:].T + bias + r * (h_prev @ W[2 * H:].T + b_n))
        return (1 - z) * n + z * h_prev

    failed("gru_step", step, "adds b[H:2*H] (b_z) in r and n too",
           "b[:H] (b_r) and b[2*H:] (b_xn) belong")


def test_a_read_only_view_written_into_is_named_as_a_view():
    def windows(series, T):
        X = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[:-1]  # (N, D, T)
        X[:, :, 0] = X[:, :, 0]  # a learner's "copy the first step", into the view
        return np.swapaxes(X, 1, 2), series[T:].copy()

    text = failed("make_windows", windows, "writes into X, a read-only view", ".copy()")
    assert "nditer" not in text
