"""The core rules and the windows, forward, backprop and GRU checkers found wanting by the
benchmark set s15, each fed wrong answers written here as a learner would write them (not the
benchmark's): an object array, a math.* function on an array, a result returned twice, the
parameters in another order, np.split along the wrong axis, an accumulator made with another
size, windows that wrap around, the records axis summed away, and the joint share split at H.
Each rule names its slip only where it is there (a look-alike that is not that slip is not
named), and correct answers in other styles still pass."""

import math

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed, sigmoid

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- 1: an object array is refused (core) --------------------------------------------------------


def test_object_arrays_are_refused_with_their_content_named():
    def object_of_numbers(series, T):
        X = np.array([series[i:i + T] for i in range(len(series) - T)], dtype=object)
        return X, series[T:]

    def object_of_rows(series, T):
        N = len(series) - T
        X = np.empty((N, T), dtype=object)
        for i in range(N):
            for t in range(T):
                X[i, t] = series[i + t].tolist()
        return X, series[T:]

    def object_targets(series, T):
        windows = np.stack([series[i:i + T] for i in range(len(series) - T)])
        return windows, np.array(series[T:], dtype=object)

    failed("make_windows", object_of_numbers, "X is an object array (dtype=object",
           "np.array(X, dtype=float)")
    failed("make_windows", object_of_rows, "X is an object array", "of Python lists")
    failed("make_windows", object_targets, "Y is an object array")


def test_an_object_array_is_refused_in_bptt_too():
    def object_dU(dY_hat, X, states, W, V, k):
        dU, dW, dV, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return np.array(dU, dtype=object), dW, dV, db, dc

    failed("bptt", object_dU, "dU is an object array")


# --- 4: math.* met an array (core) -------------------------------------------------------------


def test_math_functions_on_arrays_are_named_with_their_numpy_version():
    def loss_by_math_sqrt(Y_hat, Y):
        e = Y_hat - Y
        N = Y.shape[0]
        L = 0.5 * math.sqrt(np.sum(e ** 2, axis=1)) ** 2 / N
        return L, e / N

    def tanh_by_math(x_t, h_prev, U, W, b):
        return math.tanh(x_t @ U.T + h_prev @ W.T + b)

    def gru_sigmoid_math(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]

        def sig(a):
            return 1.0 / (1.0 + math.exp(-a))

        r = sig(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
        z = sig(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
        n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
        return (1 - z) * n + z * h_prev

    failed("mse_loss", loss_by_math_sqrt, "calls math.sqrt on an array", "np.sqrt")
    failed("forward_step", tanh_by_math, "calls math.tanh on an array", "np.tanh")
    failed("gru_step", gru_sigmoid_math, "calls math.exp on an array", "np.exp")


def test_math_on_numbers_is_not_blamed():
    def mean_by_math_fsum(Y_hat, Y):
        e = Y_hat - Y
        N = Y.shape[0]
        L = 0.5 * math.fsum(float(v) for v in (e ** 2).ravel()) / N
        return L, e / N

    passed("mse_loss", mean_by_math_fsum)


# --- 7: one result returned in the place of another (core) -------------------------------------


def test_a_result_returned_twice_is_named():
    def dW_in_place_of_dU(dY_hat, X, states, W, V, k):
        dU, dW, dV, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return dW, dW, dV, db, dc

    def db_in_place_of_dc(dY_hat, X, states, W, V, k):
        grads = sol.bptt(dY_hat, X, states, W, V, k)
        return (*grads[:4], grads[3])

    def dU_typed_twice(dY_hat, X, states, W, V, k):
        dU, dW, dV, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return dU, dU, dV, db, dc

    failed("bptt", dW_in_place_of_dU, "your dU is dW", "you return dW twice")
    failed("bptt", db_in_place_of_dc, "your dc is db", "you return db twice")
    failed("bptt", dU_typed_twice, "your dW is dU", "return dU, dW, dV, db, dc")


def test_results_in_another_order_keep_their_message():
    def swapped(dY_hat, X, states, W, V, k):
        dU, dW, dV, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return dW, dU, dV, db, dc

    failed("bptt", swapped, "the right values in another order", absent=("twice",))


def test_a_value_of_another_result_is_named_in_the_core_rule():
    from rnnlib.exercises._core import Failure, _check_order

    a, b, c = np.arange(4.0), np.arange(3.0) + 10, np.arange(2.0) - 3
    with pytest.raises(Failure, match="your B is A: it holds A's values \\(you return A twice"):
        _check_order([a, a, c], [a, b, c], ("A", "B", "C"))
    # a copy computed on its own (another input giving the same values) is not "twice"
    _check_order([a, a.copy(), c], [a, b, c], ("A", "B", "C"))
    # results of one shape are never blamed (a formula's slip can give another one's values)
    _check_order([b, b, c], [a[:3], b[:3], c[:3]], ("A", "B", "C"))
    # equal expected values (both zero) are never blamed
    zero = np.zeros(3)
    _check_order([zero, zero], [zero, zero], ("A", "B"))


# --- 13: the parameters in another order (core, confirmed by running the check again) ----------


def test_parameters_in_another_order_are_named_when_that_is_the_only_slip():
    def temperature_first(temperature, y_hat):
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return e / e.sum(axis=1, keepdims=True)

    def weights_first(U, W, b, x_t, h_prev):
        return np.tanh(x_t @ U.T + h_prev @ W.T + b)

    def targets_first(Y, Y_hat):
        N = Y.shape[0]
        return 0.5 * np.sum((Y_hat - Y) ** 2) / N, (Y_hat - Y) / N

    failed("temperature_probabilities", temperature_first,
           "your parameters are (temperature, y_hat)", "(y_hat, temperature)")
    failed("forward_step", weights_first, "your parameters are (U, W, b, x_t, h_prev)",
           "(x_t, h_prev, U, W, b)")
    failed("mse_loss", targets_first, "your parameters are (Y, Y_hat)")


def test_another_order_with_another_slip_is_not_blamed_on_the_order():
    def temperature_first_no_scale(temperature, y_hat):
        e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def renamed_but_right(x_t, h_prev, W, U, b):  # W names the input weights here
        return np.tanh(x_t @ W.T + h_prev @ U.T + b)

    failed("temperature_probabilities", temperature_first_no_scale,
           absent=("your parameters are",))
    passed("forward_step", renamed_but_right)


# --- 2: windows that wrap around ---------------------------------------------------------------


def test_windows_that_wrap_around_are_named():
    def modulo_all(series, T):
        L = len(series)
        X = np.stack([series[[(i + t) % L for t in range(T)]] for i in range(L)])
        return X[:L], series[T:]

    def roll_view(series, T):
        L = series.shape[0]
        X = np.stack([np.roll(series, -i, axis=0)[:T] for i in range(L - 1)])
        return X, series[T:]

    failed("make_windows", modulo_all, "windows, not N = L - T", "wrap around",
           "X[:N] is right")
    failed("make_windows", roll_view, "wrap around")


def test_too_many_windows_that_do_not_wrap_are_not_called_wrapped():
    def repeats_last(series, T):
        L = len(series)
        X = np.stack([series[min(i, L - T):min(i, L - T) + T] for i in range(L)])
        return X, series[T:]

    failed("make_windows", repeats_last, absent=("wrap around",))


# --- 3: the records axis summed away in forward_step -------------------------------------------


def test_records_summed_away_before_the_tanh_are_named():
    def einsum_no_n(x_t, h_prev, U, W, b):
        return np.tanh(np.einsum("nd,hd->h", x_t, U) + np.einsum("nk,hk->h", h_prev, W) + b)

    def sum_axis0(x_t, h_prev, U, W, b):
        a = x_t @ U.T + h_prev @ W.T
        return np.tanh(a.sum(axis=0) + b)

    def mean_axis0(x_t, h_prev, U, W, b):
        return np.tanh(np.mean(x_t @ U.T + h_prev @ W.T, axis=0) + b)

    failed("forward_step", einsum_no_n, "the records axis was summed away before the tanh",
           "'nd,hd->nh'")
    failed("forward_step", sum_axis0, "summed away before the tanh")
    failed("forward_step", mean_axis0, "averaged away before the tanh")


def test_einsum_with_the_record_index_passes():
    def einsum_right(x_t, h_prev, U, W, b):
        return np.tanh(np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", h_prev, W) + b)

    passed("forward_step", einsum_right)


# --- 5: the joint share split at H -------------------------------------------------------------


def test_joint_share_split_at_h_is_named():
    def hstack_at_h(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t ** 2)
        H = h_prev.shape[1]
        joint = delta.T @ np.concatenate([x_t, h_prev], axis=1)
        return delta, delta @ W, joint[:, :H], joint[:, H:], delta.sum(axis=0)

    def einsum_at_h(dh_t, h_t, h_prev, x_t, W):
        delta = (1 - h_t * h_t) * dh_t
        joint = np.einsum("nh,nk->hk", delta, np.hstack((x_t, h_prev)))
        cut = W.shape[1]
        return delta, delta @ W, joint[:, :cut], joint[:, cut:], np.sum(delta, axis=0)

    for fn in (hstack_at_h, einsum_at_h):
        failed("backward_step", fn, "first H columns of the joint share",
               "split at D = x_t.shape[1], not H")


def test_joint_share_split_at_d_passes():
    def joint_right(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t ** 2)
        D = x_t.shape[1]
        joint = delta.T @ np.hstack([x_t, h_prev])
        return delta, delta @ W, joint[:, :D], joint[:, D:], delta.sum(axis=0)

    passed("backward_step", joint_right)


# --- 6: an accumulator made with another size --------------------------------------------------


def test_accumulator_made_with_a_wrong_size_names_the_symbol():
    def hidden_from_V(dY_hat, X, states, W, V, k):
        N, T, D = X.shape
        H = V.shape[0]
        dU = np.zeros((H, D))
        dW = np.zeros((W.shape[0], W.shape[0]))
        db = np.zeros(W.shape[0])
        dh = dY_hat @ V
        for t in range(T, T - k, -1):
            delta = dh * (1 - states[t] ** 2)
            dU += delta.T @ X[:, t - 1]
            dW += delta.T @ states[t - 1]
            db += delta.sum(axis=0)
            dh = delta @ W
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    def width_from_N(dY_hat, X, states, W, V, k):
        N, T, D = X.shape
        H = W.shape[0]
        dU = np.zeros((H, D))
        dW = np.zeros((H, N))
        db = np.zeros(H)
        dh = dY_hat @ V
        for t in range(T, T - k, -1):
            delta = dh * (1 - states[t] ** 2)
            dU += delta.T @ X[:, t - 1]
            dW += delta.T @ states[t - 1]
            db += delta.sum(axis=0)
            dh = delta @ W
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    failed("bptt", hidden_from_V, "dU was made with 1 row on axis 0",
           "from `H = V.shape[0]`: V.shape[0] is O = 1",
           "H = W.shape[0], the hidden size")
    failed("bptt", width_from_N, "dW was made with", "on axis 1, its size N")


# --- 12: np.split along the wrong axis ---------------------------------------------------------


def test_split_along_the_columns_is_named():
    def split_columns(x_t, h_prev, U, W, b, b_n):
        U_r, U_z, U_n = np.split(U, 3, axis=1)
        W_r, W_z, W_n = np.split(W, 3, axis=1)
        b_r, b_z, b_c = np.split(b, 3)
        r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
        z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
        n = np.tanh(x_t @ U_n.T + b_c + r * (h_prev @ W_n.T + b_n))
        return (1 - z) * n + z * h_prev

    def array_split_last_axis(x_t, h_prev, U, W, b, b_n):
        blocks = np.split(U, 3, -1)
        H = h_prev.shape[1]
        r = sigmoid(x_t @ blocks[0].T + h_prev @ W[:H].T + b[:H])
        z = sigmoid(x_t @ blocks[1].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
        n = np.tanh(x_t @ blocks[2].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
        return (1 - z) * n + z * h_prev

    failed("gru_step", split_columns, "along axis 1 (columns)", "blocks of rows",
           "np.split(U, 3) (axis 0)")
    failed("gru_step", array_split_last_axis, "along axis 1 (columns)", "np.split(U, 3)")


def test_split_by_rows_passes():
    def split_rows(x_t, h_prev, U, W, b, b_n):
        U_r, U_z, U_n = np.split(U, 3, axis=0)
        W_r, W_z, W_n = np.split(W, 3)
        b_r, b_z, b_c = np.split(b, 3)
        r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
        z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
        n = np.tanh(x_t @ U_n.T + b_c + r * (h_prev @ W_n.T + b_n))
        return (1 - z) * n + z * h_prev

    passed("gru_step", split_rows)


def test_a_right_accumulator_is_not_blamed_for_what_is_added():
    def flattened_delta(dY_hat, X, states, W, V, k):
        N, T, D = X.shape
        H = W.shape[0]
        dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
        dh = dY_hat @ V
        for t in range(T, T - k, -1):
            delta = dh * (1 - states[t] ** 2)
            dU += delta.T @ X[:, t - 1]
            dW += delta.T @ states[t - 1]
            db += delta.reshape(-1)
            dh = delta @ W
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    failed("bptt", flattened_delta, absent=("db was made with",))
