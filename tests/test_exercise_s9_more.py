"""The core rules and the windows, forward, gradient-check and GRU checkers found wanting by the
benchmark set s14, each fed wrong answers written here as a learner would write them (not the
benchmark's): a window seed kept by np.append, an iterator read twice, a ufunc's out given as a
third term, what f() returns unpacked, a state mixed back in or masked after the tanh, a
squeezed input, np.split's points given as sizes, the GRU mix without brackets, b's gate
biases taken every third entry, and the GRU gates' blocks side by side or made by np.outer.
Each rule names its slip only where it is there (a look-alike that is not that slip is not
named), and correct answers in other styles still pass."""

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed, sigmoid

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- A: a seed window kept by np.append / np.concatenate -----------------------------------------


def test_a_seed_row_kept_by_append_or_concatenate_is_named():
    def zeros_seed(series, T):
        X = np.zeros((1, T, series.shape[1]))
        for i in range(len(series) - T):
            X = np.concatenate([X, series[None, i:i + T]])
        return X, series[T:]

    def empty_seed_vstack(series, T):
        X = np.empty((1, T, series.shape[1]))
        for start in range(series.shape[0] - T):
            X = np.vstack([X, [series[start:start + T]]])
        return X, series[T:]

    text = failed("make_windows", zeros_seed, "X[1:] is right", "it is all zeros",
                  "one too many and not one of the right ones",
                  "np.append or np.concatenate kept")
    assert "(N + 1, T, D)" in text, text
    # np.empty's garbage may differ from one call to the next: then the message says where
    # the unwritten values come from, not that something is kept between calls
    text = failed("make_windows", empty_seed_vstack, "np.append or np.concatenate kept")
    if "second time" in text:
        assert "np.empty, which holds whatever was in memory" in text, text
        assert "keeps nothing from one call" in text, text


def test_a_first_window_put_in_twice_is_not_called_a_seed():
    def duplicated(series, T):
        X = series[None, :T]  # window 0 first, then the loop adds it again
        for i in range(len(series) - T):
            X = np.append(X, series[None, i:i + T], axis=0)
        return X, series[T:]

    failed("make_windows", duplicated, "X[0] is a second copy of X[0]", "adds it again",
           absent=("seed made with np.empty",))


def test_np_empty_is_not_blamed_when_something_outside_is_kept():
    calls = []

    def counted(series, T):
        calls.append(1)  # a list outside the function, added to on every call
        X = np.empty((len(series) - T, T, series.shape[1]))
        for i in range(len(series) - T):
            X[i] = series[i:i + T] + len(calls)
        return X, series[T:]

    failed("make_windows", counted, "it keeps something from one call to the next",
           absent=("whatever was in memory",))


def test_unwritten_entries_of_np_empty_are_named_if_they_differ_between_calls():
    def holes(series, T):
        X = np.empty((len(series) - T, T, series.shape[1]))
        for i in range(1, len(series) - T):  # window 0 never written
            X[i] = series[i:i + T]
        return X, series[T:]

    text = failed("make_windows", holes)
    if "second time" in text:  # np.empty's memory was not the same in the two calls
        assert "np.empty, which holds whatever was in memory" in text, text
        assert "it keeps something" not in text, text


def test_windows_made_by_a_growing_array_that_starts_empty_pass():
    def grown(series, T):
        X = np.empty((0, T, series.shape[1]))
        for i in range(len(series) - T):
            X = np.append(X, series[i:i + T][None], axis=0)
        return X, series[T:].copy()

    passed("make_windows", grown)


# --- B: an iterator read twice -----------------------------------------------------------------


def test_an_iterator_used_up_before_the_array_is_made_is_named():
    def counted_by_a_loop(series, T):
        windows = map(lambda i: series[i:i + T], range(len(series) - T))
        count = 0
        for _ in windows:
            count += 1
        X = np.stack(list(windows))  # empty: np.stack raises
        return X, series[T:T + count]

    def counted_by_sum(series, T):
        pieces = (series[i:i + T] for i in range(series.shape[0] - T))
        n = sum(1 for _ in pieces)
        X = np.array(list(pieces)).reshape(-1, T, series.shape[1])  # (0, T, D), returned
        return X, series[T:T + n]

    for fn, kind in ((counted_by_a_loop, "map(...)"), (counted_by_sum, "a generator")):
        failed("make_windows", fn, "is an iterator", kind, "can be read only once", "used it up",
               "Make a list first")


def test_an_empty_result_with_no_iterator_is_not_blamed_on_one():
    def no_windows(series, T):
        starts = [i for i in range(len(series) - T)]
        X = np.array([series[i:i + T] for i in starts if i > len(series)])
        return X, series[T:]

    failed("make_windows", no_windows, "X holds no windows", absent=("iterator",))


def test_an_iterator_read_once_passes():
    def once(series, T):
        windows = (series[i:i + T] for i in range(len(series) - T))
        X = np.stack(list(windows))
        return X, series[T:].copy()

    passed("make_windows", once)


# --- C: a ufunc's out given as a third term ----------------------------------------------------


def test_a_third_positional_argument_of_a_ufunc_is_named_as_out():
    def step(x_t, h_prev, U, W, b):
        return np.tanh(np.add(h_prev @ W.T, x_t @ U.T, b))

    def forward(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(np.add(X[:, t] @ U.T, h @ W.T, b))
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("forward_step", step, "calls np.add with three arguments", "third positional "
           "argument is out", "h_prev @ W.T + x_t @ U.T + b")
    failed("rnn_forward", forward, "calls np.add with three arguments", "is out")


def test_np_add_with_out_as_a_keyword_and_nested_adds_pass():
    def nested(x_t, h_prev, U, W, b):
        return np.tanh(np.add(np.add(x_t @ U.T, h_prev @ W.T), b))

    def keyword(x_t, h_prev, U, W, b):
        a = np.empty((x_t.shape[0], W.shape[0]))
        np.add(x_t @ U.T, h_prev @ W.T, out=a)
        return np.tanh(a + b)

    passed("forward_step", nested)
    passed("forward_step", keyword)


def test_an_out_given_on_purpose_is_not_blamed_for_another_error_on_its_line():
    def untransposed(x_t, h_prev, U, W, b):
        out = np.empty((x_t.shape[0], W.shape[0]))
        return np.tanh(np.add(x_t @ U, h_prev @ W.T, out) + b)  # x_t @ U: (N, D) @ (H, D)

    failed("forward_step", untransposed, "matrix product", absent=("is out",))


# --- D: a state mixed back in, or masked, after the tanh ---------------------------------------


def test_a_state_mixed_back_in_after_the_tanh_is_named():
    def half_and_half(x_t, h_prev, U, W, b):
        return 0.5 * h_prev + 0.5 * np.tanh(x_t @ U.T + h_prev @ W.T + b)

    def leaky(x_t, h_prev, U, W, b):
        leak = 0.8
        h = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        return h + (1 - leak) * (h_prev - h)

    def a_little_of_h_prev(x_t, h_prev, U, W, b):
        return np.tanh(x_t @ U.T + h_prev @ W.T + b) + 0.1 * h_prev

    for fn in (half_and_half, leaky):
        failed("forward_step", fn, "mixes h_prev back in", "one number times h_prev - tanh(a_t)")
    failed("forward_step", a_little_of_h_prev, "mixes h_prev back in",
           "tanh(a_t) times one number plus h_prev times another")


def test_a_dropout_mask_on_the_state_is_named():
    def inverted(x_t, h_prev, U, W, b):
        h = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        keep = (np.arange(h.size).reshape(h.shape) % 4) != 1
        return h * keep / 0.75

    def plain_mask(x_t, h_prev, U, W, b):
        h = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        mask = np.ones_like(h)
        mask.flat[::5] = 0.0  # scattered zeros, not a whole row or column
        return h * mask

    failed("forward_step", inverted, "exactly 0 where tanh(a_t) is not", "times one number",
           "a mask (dropout)")
    failed("forward_step", plain_mask, "exactly 0 where tanh(a_t) is not", "a mask (dropout)",
           absent=("times one number",))


def test_a_wrong_step_that_is_no_mix_nor_mask_is_not_called_one():
    def squared_state(x_t, h_prev, U, W, b):
        return np.tanh(x_t @ U.T + (h_prev ** 2) @ W.T + b)

    def clamped_inside(x_t, h_prev, U, W, b):  # zeros where a_t < 0: set by the sign, no mask
        return np.tanh(np.maximum(x_t @ U.T + h_prev @ W.T + b, 0.0))

    failed("forward_step", squared_state, absent=("mixes h_prev", "a mask"))
    failed("forward_step", clamped_inside, absent=("mixes h_prev", "a mask"))


def test_a_step_written_with_einsum_passes():
    def einsum(x_t, h_prev, U, W, b):
        return np.tanh(np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", h_prev, W) + b)

    passed("forward_step", einsum)


# --- E: a squeezed input -----------------------------------------------------------------------


def test_a_squeezed_input_that_grows_a_state_axis_is_named():
    def squeezed(X, U, W, V, b, c):
        Xs = np.squeeze(X)
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(Xs[:, t, None] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("rnn_forward", squeezed, "squeezes the input", "(N, N, H)",
           "pass X[:, t], (N, D), for any D")


def test_a_grown_state_axis_without_a_squeeze_is_not_blamed_on_one():
    def new_axis(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t][:, None] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("rnn_forward", new_axis, absent=("squeez",))


def test_a_forward_pass_that_squeezes_only_its_output_passes():
    def squeezes_nothing_needed(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for x_t in np.moveaxis(X, 1, 0):
            h = sol.my.forward_step(x_t, h, U, W, b)
            states.append(h)
        return h @ V.T + c, np.stack(states).squeeze(axis=None).reshape(len(states), *h.shape)

    passed("rnn_forward", squeezes_nothing_needed)


# --- F: what f() returns, unpacked -------------------------------------------------------------


def test_unpacking_the_loss_from_f_is_named():
    def pair(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            loss_plus, _ = f()
            x[i] = old - eps
            loss_minus, _ = f()
            x[i] = old
            grad[i] = (loss_plus - loss_minus) / (2 * eps)
        return grad

    def single(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            x[i] += eps
            (up,) = f()
            x[i] -= 2 * eps
            (down,) = f()
            x[i] += eps
            grad[i] = (up - down) / (2 * eps)
        return grad

    failed("numerical_gradient", pair, "unpacks what f() returns into 2 names",
           "returns one number", "loss_plus = f()")
    failed("numerical_gradient", single, "into 1 name,", "up = f()")


def test_unpacking_something_other_than_f_is_not_blamed_on_f():
    def unpacks_an_entry(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            low, high = x[i]  # an entry is one number
            grad[i] = (high - low) / eps
        return grad

    failed("numerical_gradient", unpacks_an_entry, absent=("f() returns",))


# --- G: the GRU mix without brackets, b's gate biases taken every third entry --------------------


def _gates(x_t, h_prev, U, W, b, b_n, rows=None, bias_rows=None):
    H = h_prev.shape[1]
    Ub = U if rows is None else U[rows]
    Wb = W if rows is None else W[rows]
    bb = b if bias_rows is None else b[bias_rows]
    r = sigmoid(x_t @ Ub[:H].T + h_prev @ Wb[:H].T + bb[:H])
    z = sigmoid(x_t @ Ub[H:2 * H].T + h_prev @ Wb[H:2 * H].T + bb[H:2 * H])
    n = np.tanh(x_t @ Ub[2 * H:].T + bb[2 * H:] + r * (h_prev @ Wb[2 * H:].T + b_n))
    return r, z, n


def test_the_mix_without_brackets_is_named():
    def kept_first(x_t, h_prev, U, W, b, b_n):
        _, z, n = _gates(x_t, h_prev, U, W, b, b_n)
        return z * h_prev + 1 - z * n

    def factored(x_t, h_prev, U, W, b, b_n):
        _, z, n = _gates(x_t, h_prev, U, W, b, b_n)
        return 1 - z * (n - h_prev)

    for fn in (kept_first, factored):
        failed("gru_step", fn, "no brackets around 1 - z", "(1 - z) * n + z * h_prev")


def test_gate_biases_or_rows_taken_every_third_are_named():
    def bias_columns(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        b_r, b_z, b_x = (b[g::3] for g in range(3))
        r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b_r)
        z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b_z)
        n = np.tanh(x_t @ U[2 * H:].T + b_x + r * (h_prev @ W[2 * H:].T + b_n))
        return (1 - z) * n + z * h_prev

    def weight_columns(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        rows = [3 * k + g for g in range(3) for k in range(H)]
        _, z, n = _gates(x_t, h_prev, U, W, b, b_n, rows=rows)
        return (1 - z) * n + z * h_prev

    failed("gru_step", bias_columns, "b's gate biases are taken every third entry")
    failed("gru_step", weight_columns, "rows of U and W are taken every third row",
           absent=("b's gate biases",))


# --- H: np.split's points given as sizes -------------------------------------------------------


def test_split_points_given_as_sizes_are_named():
    def sizes(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        U_r, U_z, U_n = np.split(U, [H, H])
        W_r, W_z, W_n = np.split(W, [H, H])
        b_r, b_z, b_x = np.split(b, [H, H])
        r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
        z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
        n = np.tanh(x_t @ U_n.T + b_x + r * (h_prev @ W_n.T + b_n))
        return (1 - z) * n + z * h_prev

    def backwards(x_t, h_prev, U, W, b, b_n):
        H = len(b_n)
        blocks = [np.split(M, (2 * H, H)) for M in (U, W, b)]
        (U_r, U_z, U_n), (W_r, W_z, W_n), (b_r, b_z, b_x) = blocks
        r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
        z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
        n = np.tanh(x_t @ U_n.T + b_x + r * (h_prev @ W_n.T + b_n))
        return (1 - z) * n + z * h_prev

    def block_size(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        U_r, U_z, U_n = np.split(U, H)
        return U_r + U_z + U_n

    failed("gru_step", sizes, "makes an empty block", "cuts twice at the same place",
           "np.split(U, [H, 2 * H])")
    failed("gru_step", backwards, "makes an empty block", "does not go up")
    failed("gru_step", block_size, "cuts into 4 equal pieces", "number of pieces")


def test_a_gru_step_split_at_the_right_points_passes():
    def split(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        (U_r, U_z, U_n), (W_r, W_z, W_n) = np.split(U, [H, 2 * H]), np.split(W, 3)
        b_r, b_z, b_x = np.split(b, 3)
        r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
        z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
        n = np.tanh(x_t @ U_n.T + b_x + r * (h_prev @ W_n.T + b_n))
        return n + z * (h_prev - n)

    passed("gru_step", split)


# --- I: the GRU gates' blocks side by side, or made by np.outer --------------------------------


def _gru_back_parts(dh_t, x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r, z, n = _gates(x_t, h_prev, U, W, b, b_n)
    m = h_prev @ W[2 * H:].T + b_n
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    dh_prev = dh_t * z + da_r @ W[:H] + da_z @ W[H:2 * H] + dm @ W[2 * H:]
    return dh_prev, (da_r, da_z, da_n), (da_r, da_z, dm), dm


def test_gate_blocks_side_by_side_are_named():
    def side_by_side_u(dh_t, x_t, h_prev, U, W, b, b_n):
        dh_prev, d_in, d_rec, dm = _gru_back_parts(dh_t, x_t, h_prev, U, W, b, b_n)
        dU = np.concatenate([d.T @ x_t for d in d_in], axis=1)
        dW = np.concatenate([d.T @ h_prev for d in d_rec])
        db = np.concatenate([d.sum(axis=0) for d in d_in])
        return dh_prev, dU, dW, db, dm.sum(axis=0)

    def side_by_side_w(dh_t, x_t, h_prev, U, W, b, b_n):
        dh_prev, d_in, d_rec, dm = _gru_back_parts(dh_t, x_t, h_prev, U, W, b, b_n)
        dU = np.vstack([d.T @ x_t for d in d_in])
        dW = np.hstack([d.T @ h_prev for d in d_rec])
        db = np.hstack([d.sum(axis=0) for d in d_in])
        return dh_prev, dU, dW, db, dm.sum(axis=0)

    text = failed("gru_step_backward", side_by_side_u, "three gates' blocks (r, z, n) are right "
                  "but stand side by side", "np.vstack or np.concatenate(axis=0), (3H, D)")
    assert "(H, 3D)" in text and "N D" not in text, text
    failed("gru_step_backward", side_by_side_w, "stand side by side", "(3H, H)")


def test_gate_blocks_made_by_np_outer_are_named():
    def outer(dh_t, x_t, h_prev, U, W, b, b_n):
        dh_prev, d_in, d_rec, dm = _gru_back_parts(dh_t, x_t, h_prev, U, W, b, b_n)
        dU = np.concatenate([np.outer(d, x_t) for d in d_in])
        dW = np.concatenate([d.T @ h_prev for d in d_rec])
        return dh_prev, dU, dW, np.concatenate([d.sum(0) for d in d_in]), dm.sum(0)

    failed("gru_step_backward", outer, "np.outer flattens its arguments", "across all N records")


def test_a_gru_backward_of_stacked_blocks_in_another_style_passes():
    def by_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
        dh_prev, d_in, d_rec, dm = _gru_back_parts(dh_t, x_t, h_prev, U, W, b, b_n)
        dU = np.einsum("gnh,nd->ghd", np.stack(d_in), x_t).reshape(-1, x_t.shape[1])
        dW = np.concatenate([d.T @ h_prev for d in d_rec], axis=0)
        return dh_prev, dU, dW, np.stack(d_in).sum(axis=1).ravel(), dm.sum(0)

    passed("gru_step_backward", by_blocks)
