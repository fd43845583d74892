"""The core rules and the forward, windows and backprop checkers found wanting by the benchmark set
s13, each fed wrong answers written here as a learner would write them (not the benchmark's): a
method stored or used without its brackets (h.copy), a count taken from another axis of X or a
return inside the time loop, a shape tuple used as a number, something kept outside the function
from the checker's first call, a size typed in as a number in a reshape, and a 1-D result kept as
a row or a column. Each rule must name its slip only where it is there (a look-alike that is not
that slip is not named), and correct answers in other styles still pass."""

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed, sigmoid

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- a method stored or used without its brackets ----------------------------------------------


def test_a_copy_method_appended_to_the_states_is_named_whatever_stacks_them():
    def forward_array(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h.copy)
        return h @ V.T + c, np.array(states)

    def forward_first(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h.copy]  # h_0 as a method, the rest as arrays
        for t in range(X.shape[1]):
            h = sol.my.forward_step(X[:, t], h, U, W, b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    text = failed("rnn_forward", forward_array, "fails on states", "h.copy, a method itself",
                  "call it, h.copy()", absent=("Hint: the input at step t",))
    assert "items 1 .. 5 of 6" in text, text
    failed("rnn_forward", forward_first, "item 0 is h.copy, a method itself", "call it, h.copy()")


def test_a_window_stored_as_its_copy_method_is_named():
    def windows(series, T):
        X = []
        for i in range(len(series) - T):
            X.append(series[i:i + T].copy)
        return np.stack(X), series[T:]

    # np.stack keeps the methods as objects: the returned X holds them, no line fails
    failed("make_windows", windows, "X holds 6 methods (.copy of an array) where arrays belong",
           "named without its brackets", "Call it")


def test_a_name_that_holds_a_method_is_named_where_it_is_used():
    def forward(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
        last = states[-1].copy
        return last @ V.T + c, np.stack(states)

    failed("rnn_forward", forward, "fails on last, which holds states[-1].copy",
           "call it, states[-1].copy()")


def test_a_list_of_functions_is_not_blamed_for_another_failure():
    def windows(series, T):
        build = [np.array, np.stack]
        N = len(series) - T
        X = build[1]([series[i:i + T + (i == N - 1)] for i in range(N)])  # last one too long
        return X, series[T:]

    failed("make_windows", windows, absent=("a method itself", "a function itself"))


# --- the count of the time loop taken from another axis; a return inside the loop --------------


def test_steps_counted_from_the_wrong_axis_are_named_with_the_line_that_reads_them():
    def unpacked(X, U, W, V, b, c):
        N, D, T = X.shape  # the axes in the wrong order: this T is D
        h = np.zeros((N, W.shape[0]))
        states = [h]
        for t in range(T):
            h = sol.my.forward_step(X[:, t], h, U, W, b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    def counted_by_len(X, U, W, V, b, c):
        h = np.zeros((len(X), len(b)))
        states = [h]
        for t in range(len(X[0][0])):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    def one_based(X, U, W, V, b, c):
        T = X.shape[2]
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(1, T + 1):
            h = np.tanh(X[:, t - 1] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    for fn, read in ((unpacked, "N, D, T = X.shape"), (counted_by_len, "len(X[0][0])"),
                     (one_based, "T = X.shape[2]")):
        failed("rnn_forward", fn, "the size of X's axis 2 (D = 2 here)", f"read in `{read}`",
               "T = X.shape[1]", absent=("(D, N, H)",))


def test_a_return_inside_the_time_loop_is_named():
    def in_for(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = sol.my.forward_step(X[:, t], h, U, W, b)
            states.append(h)
            return states[-1] @ V.T + c, np.array(states)

    def in_while(X, U, W, V, b, c):
        t, h = 0, np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        while t < X.shape[1]:
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
            t += 1
            return h @ V.T + c, np.stack(states)

    for fn in (in_for, in_while):
        failed("rnn_forward", fn, "your return is inside the loop over t",
               "after step 1, with h_0 and h_1 only", "(2, N, H)", absent=("(D, N, H)",))


def test_two_states_without_a_return_in_the_loop_are_counted_not_labelled_d():
    def one_step(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(1):  # one step only, written in
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("rnn_forward", one_step, "(2, 3, 4) = (2, N, H)", "the first 2 of the 6 entries",
           absent=("(D, N, H)", "return is inside", "axis 2"))


def test_forward_passes_in_other_loop_styles_still_pass():
    def while_loop(X, U, W, V, b, c):
        _, T, _ = X.shape
        h, t, states = np.zeros((len(X), len(b))), 0, []
        states.append(h)
        while t < T:
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h.copy())
            t += 1
        return h @ V.T + c, np.stack(states)

    def one_based(X, U, W, V, b, c):
        N, T, D = X.shape
        states = np.zeros((T + 1, N, len(b)))
        for t in range(1, T + 1):
            states[t] = np.tanh(X[:, t - 1] @ U.T + states[t - 1] @ W.T + b)
        return states[T] @ V.T + c, states

    passed("rnn_forward", while_loop)
    passed("rnn_forward", one_based)


# --- a shape (a tuple) used as a number ------------------------------------------------------------


def test_a_shape_tuple_used_as_the_count_of_records_is_named():
    def lower_case(Y_hat, Y):
        n = Y_hat.shape
        e = Y_hat - Y
        return float(np.sum(e * e)) / (2 * n[0]), e / n

    def counted_in_a_loop(Y_hat, Y):
        N = np.shape(Y)
        loss, grad = 0.0, np.zeros_like(Y)
        for i in range(N):
            loss += float(np.sum((Y_hat[i] - Y[i]) ** 2))
            grad[i] = Y_hat[i] - Y[i]
        return loss / (2 * N), grad / N

    failed("mse_loss", lower_case, "n is the tuple (5, 3), a shape, not a number",
           "your line `n = Y_hat.shape`", "e.g. n = Y_hat.shape[0]")
    failed("mse_loss", counted_in_a_loop, "N is the tuple (5, 3), a shape, not a number",
           "your line `N = np.shape(Y)`", "N = Y.shape[0]", "cannot be interpreted as an integer")


def test_a_shape_tuple_for_the_steps_of_bptt_is_named():
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape
        dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(len(W))
        g = dY_hat @ V
        for t in range(T, T - k, -1):
            _, g, dU_t, dW_t, db_t = sol.my.backward_step(g, states[t], states[t - 1],
                                                          X[:, t - 1], W)
            dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
        return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)

    failed("bptt", bptt, "T is the tuple (3, 6, 2), a shape, not a number",
           "your line `T = X.shape`", "T = X.shape[1]")


def test_a_shape_made_longer_is_not_called_a_number():
    def loss(Y_hat, Y):
        shape = Y.shape
        e = Y_hat - Y
        return float(np.sum(e ** 2)) / (2 * len(Y)), np.zeros(shape + (2,)) + e

    failed("mse_loss", loss, absent=("a shape, not a number",))


# --- something kept outside the function from the checker's first call -------------------------


_PROJECTIONS: dict = {}


def test_a_cache_outside_the_function_filled_on_the_first_call_is_named():
    _PROJECTIONS.clear()

    def gru_step(x_t, h_prev, U, W, b, b_n):
        H = len(b_n)
        if "W_n.T" not in _PROJECTIONS:  # kept for speed: the same W on every step
            _PROJECTIONS["W_n.T"] = W[2 * H:].T
        r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
        z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
        n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ _PROJECTIONS["W_n.T"] + b_n))
        return (1 - z) * n + z * h_prev

    failed("gru_step", gru_step, "keeps something from one call to the next",
           "_PROJECTIONS, a dict outside the function", "as it was before its first call")
    assert _PROJECTIONS, "the checker leaves the learner's dict as its calls left it"


def test_a_transposed_matrix_kept_in_a_default_argument_is_named():
    def forward_step(x_t, h_prev, U, W, b, _kept={}):  # noqa: B006
        if "UT" not in _kept:
            _kept["UT"], _kept["WT"] = U.T, W.T
        return np.tanh(x_t @ _kept["UT"] + h_prev @ _kept["WT"] + b)

    failed("forward_step", forward_step, "keeps something from one call to the next",
           "the default argument _kept (a dict)")


def test_a_size_kept_in_a_list_by_a_helper_is_named():
    units = []

    def size_of(W):
        if not units:
            units.append(W.shape[0])
        return units[0]

    def backward_step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t ** 2)
        db = np.zeros(size_of(W))
        for n in range(len(delta)):
            db += delta[n]
        return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, db

    failed("backward_step", backward_step, "keeps something from one call to the next",
           "units, a list of the enclosing function")


def test_a_log_of_calls_is_not_blamed_for_a_slip_of_the_course_shapes():
    calls = []

    def forward_step(x_t, h_prev, U, W, b):
        calls.append(x_t.shape)
        return np.tanh(np.squeeze(x_t @ U.T + h_prev @ W.T + b))  # drops N = 1

    failed("forward_step", forward_step, absent=("keeps something", "put back"))


def test_a_cache_keyed_by_its_inputs_passes():
    memo = {}

    def forward_step(x_t, h_prev, U, W, b):
        key = (x_t.tobytes(), h_prev.tobytes(), U.tobytes(), W.tobytes(), b.tobytes(), x_t.shape,
               h_prev.shape, U.shape)
        if key not in memo:
            memo[key] = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        return memo[key].copy()

    passed("forward_step", forward_step)


# --- a size typed in as a number in a reshape ----------------------------------------------------


def test_a_typed_in_size_in_a_reshape_is_named_in_every_spelling():
    def method_tuple(series, T):
        N = len(series) - T
        X = np.array([series[i:i + T] for i in range(N)]).reshape((N, T, 1))
        return X, series[T:]

    def function_form(series, T):
        N = len(series) - T
        return np.reshape(np.stack([series[i:i + T] for i in range(N)]), (N, T, 1)), series[T:]

    def target_column(series, T):
        N = series.shape[0] - T
        X = np.stack([series[i:i + T] for i in range(N)])
        return X, series[T:].reshape(N, 1)

    failed("make_windows", method_tuple, "the 1 in reshape(N, T, 1) stands for D, which is 2 "
           "here", "reshape(N, T, D) (D = series.shape[1])")
    failed("make_windows", function_form, "the 1 in reshape(N, T, 1) stands for D")
    failed("make_windows", target_column, "the 1 in reshape(N, 1) stands for D, which is 2 here",
           "reshape(N, D)")


def test_a_typed_in_size_in_the_forward_pass_is_named():
    def forward(X, U, W, V, b, c):
        N, T, _ = X.shape
        h = np.zeros((N, W.shape[0]))
        states = [h]
        for t in range(T):
            h = np.tanh(X[:, t].reshape(N, 1) @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("rnn_forward", forward, "the 1 in reshape(N, 1) stands for D, which is 2 here",
           "reshape(N, D) (D = X.shape[2])")


def test_a_reshape_without_a_typed_in_size_is_not_named():
    def windows(series, T):
        N, D = len(series) - T, series.shape[1]
        X = np.stack([series[i:i + T] for i in range(N)]).reshape(N, T + 1, D)
        return X, series[T:]

    failed("make_windows", windows, "cannot reshape", absent=("stands for",))


def test_windows_reshaped_with_the_sizes_read_from_the_series_pass():
    def windows(series, T):
        N, D = series.shape[0] - T, series.shape[1]
        X = np.concatenate([series[i:i + T] for i in range(N)]).reshape(N, T, D)
        return X, series[T:].reshape(N, D)

    passed("make_windows", windows)


# --- a 1-D result kept as a row or a column --------------------------------------------------------


def test_a_bias_gradient_kept_as_a_row_is_named_in_bptt_and_in_the_step():
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W)
        db = np.zeros((1, W.shape[0]))
        g = dY_hat @ V
        for t in range(T, T - k, -1):
            delta = g * (1 - states[t] ** 2)
            dU, dW = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1]
            db = db + delta.sum(axis=0, keepdims=True)
            g = delta @ W
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    def backward_step(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t ** 2)
        return (delta, delta @ W, delta.T @ x_t, delta.T @ h_prev,
                np.sum(delta, axis=0, keepdims=True))

    failed("bptt", bptt, "db has shape (1, 4) = (1, H)", "it holds the right values, as a row "
           "(1, H): db is 1-D, (H,)", "keepdims=True keeps the summed axis")
    failed("backward_step", backward_step, "db_t", "it holds the right values, as a row (1, H)")


def test_an_output_bias_gradient_kept_2d_is_named_without_guessing_row_or_column():
    def column(dY_hat, X, states, W, V, k):
        dU, dW, _, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)[:, None]

    # O = 1 in the first set: (1, 1) is a row and a column, and the message says neither
    failed("bptt", column, "dc is 2-D, (1, 1), with the right value", "dY_hat.sum(axis=0)",
           absent=("a row", "a column"))


def test_a_row_with_other_values_is_not_said_to_hold_the_right_ones():
    def bptt(dY_hat, X, states, W, V, k):
        dU, dW, dV, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        return dU, dW, dV, (2 * db)[None, :], dc

    failed("bptt", bptt, "db has shape (1, 4)", absent=("the right values",))


def test_a_count_on_the_one_axis_that_differs_is_not_labelled_with_another_axis_symbol():
    from rnnlib.exercises._core import shape_text

    sizes = {3: "N", 2: "D", 4: "H", 6: "T + 1", 5: "T"}
    # 2 states of T + 1: the 2 is a count of states, not D
    assert shape_text((2, 3, 4), sizes, "(T + 1, N, H)", (6, 3, 4)) == "(2, 3, 4) = (2, N, H)"
    # axes in another order keep their symbols: each size is where another axis's belongs
    assert shape_text((4, 3, 6), sizes, "(T + 1, N, H)", (6, 3, 4)) == \
        "(4, 3, 6) = (H, N, T + 1)"
    # in 2-D a symbol of another axis is often true (h_t made with U's other side)
    assert shape_text((3, 2), sizes, "(N, H)", (3, 4)) == "(3, 2) = (N, D)"
