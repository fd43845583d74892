"""The located diagnosis: when no slip is named, a FAIL says where the answer first departs from
rnnlib's (which output, step, window, entry, update or gate) and which line of the learner's
code that points to. The wrong answers are written here as a learner would write them, each
with a slip that no named diagnosis covers."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.exercises._core import WHERE, Failure, Part, locate, with_location


@pytest.fixture(autouse=True)
def book(tmp_path):
    sol.bind(ex.Workbook(5, path=tmp_path / "my_rnn.py"))


def located(name, fn, *fragments):
    """fn fails; its message has a located line holding every fragment; returns that line."""
    v = ex.EXERCISES[name].check(fn)
    assert v.status == "FAIL", v.text
    text = v.text.replace("\n  ", " ")
    assert WHERE in text, text
    line = text[text.index(WHERE):]
    for fragment in fragments:
        assert fragment in line, text
    return line


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- the core ------------------------------------------------------------------------------


def test_locate_names_the_first_wrong_parts_and_what_follows_from_them():
    parts = [Part("a", True, (), "a = x"), Part("b", False, ("a",), "b = 2 a"),
             Part("c", False, ("b",), "c = b + 1"), Part("d", True, ("a",), "d = a")]
    line = locate(parts)
    assert line.startswith(WHERE)
    assert "a and d are right; b, made from a, is wrong (c, made from it, follows)" in line
    assert line.endswith("look at b = 2 a")


def test_locate_says_nothing_when_nothing_is_wrong_or_the_inputs_were_not_compared():
    assert locate([Part("a", True), Part("b", True, ("a",))]) == ""
    assert locate([Part("a", None), Part("b", False, ("a",))]) == ""


def test_a_located_line_is_added_only_to_a_message_that_names_nothing():
    generic = Failure("FAIL: x has the right shape but wrong values: relative error above 1e-01")
    named = Failure("FAIL: x is wrong: the tanh is missing")
    line = f"{WHERE} a is right; b is wrong"
    assert str(with_location(generic, line)).endswith(line)
    assert str(with_location(named, line)) == str(named)
    assert str(with_location(generic, "")) == str(generic)


# --- each checker --------------------------------------------------------------------------


def test_make_windows_names_the_first_wrong_window_and_what_it_holds():
    def skips_a_start(series, T):
        starts = [i if i != 3 else 2 for i in range(len(series) - T)]
        return np.stack([series[i:i + T] for i in starts]), series[T:]

    located("make_windows", skips_a_start, "windows 0 .. 2 are right; window 3 is the first",
            "it holds series[2 : 2 + T]")


def test_make_windows_names_the_first_wrong_target_when_the_windows_are_right():
    def wraps_the_last_target(series, T):
        n = len(series) - T
        Y = np.stack([series[(i + T) % (len(series) - 1)] for i in range(n)])
        return np.stack([series[i:i + T] for i in range(n)]), Y

    located("make_windows", wraps_the_last_target, "X is right;", "is the first wrong target",
            "it is series[0]")


def test_rnn_forward_names_the_first_wrong_state_and_the_step_it_computed():
    def always_the_first_input(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for _ in range(X.shape[1]):
            h = sol.my.forward_step(X[:, 0], h, U, W, b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    located("rnn_forward", always_the_first_input, "states[2] is the first that is wrong",
            "it is forward_step(X[:, 0], states[1], U, W, b)",
            "must be forward_step(X[:, 1], states[1], U, W, b)")


def test_rnn_forward_points_to_the_first_step_or_to_the_read_out():
    def half_bias_first(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = sol.my.forward_step(X[:, t], h, U, W, b if t else 0.5 * b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    located("rnn_forward", half_bias_first, "states[1], the first step, is wrong already")

    def read_out_with_a_square(X, U, W, V, b, c):
        Y_hat, states = sol.rnn_forward(X, U, W, V, b, c)
        return states[-1] @ V.T + c + states[-1] ** 2 @ V.T, states

    located("rnn_forward", read_out_with_a_square, "states are all right",
            "look at the read-out, Y_hat = states[T] @ V.T + c")


def test_mse_loss_tells_the_loss_line_from_the_gradient_line():
    def loss_with_an_extra_term(Y_hat, Y):
        e = Y_hat - Y
        return np.sum(e ** 2) / (2 * len(Y)) + np.sum(np.abs(e)) / len(Y), e / len(Y)

    located("mse_loss", loss_with_an_extra_term, "dY_hat is right", "L is wrong")

    def gradient_with_an_extra_term(Y_hat, Y):
        e = Y_hat - Y
        return np.sum(e ** 2) / (2 * len(Y)), e / len(Y) + Y_hat ** 3 / 10

    located("mse_loss", gradient_with_an_extra_term, "L is right; dY_hat is wrong",
            "dY_hat = (Y_hat - Y) / N")


def test_backward_step_names_the_wrong_output_whose_input_is_right():
    def shifted_h_prev(dh_t, h_t, h_prev, x_t, W):
        d = dh_t * (1 - h_t ** 2)
        return d, d @ W, d.T @ x_t, d.T @ (h_prev + 0.1), d.sum(axis=0)

    located("backward_step", shifted_h_prev, "delta_t, dh_prev, dU_t and db_t are right",
            "dW_t, made from delta_t, is wrong", "look at dW_t = delta_t.T @ h_prev")

    def derivative_plus_a_little(dh_t, h_t, h_prev, x_t, W):
        d = dh_t * (1 - h_t ** 2) + 0.01
        return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)

    located("backward_step", derivative_plus_a_little, "delta_t is wrong",
            "made from it, follow", "look at delta_t = dh_t * (1 - h_t**2)")


def _bptt(dY_hat, X, states, W, V, k, share=lambda t, T, d, x: d.T @ x, passed=lambda d, W: d @ W,
          dc_extra=0.0):
    T = X.shape[1]
    dU, dW, db = 0.0, 0.0, 0.0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        d = g * (1 - states[t] ** 2)
        dU = dU + share(t, T, d, X[:, t - 1])
        dW = dW + d.T @ states[t - 1]
        db = db + d.sum(axis=0)
        g = passed(d, W)
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0) + dc_extra


def test_bptt_names_the_read_out_when_only_it_is_wrong():
    located("bptt", lambda *a: _bptt(*a, dc_extra=0.1), "dU, dW, dV and db are right; dc is wrong",
            "look at dc = dY_hat.sum(axis=0)")


def test_bptt_names_the_first_step_back_that_goes_wrong_and_its_shares():
    def passes_back_too_much(*a):
        return _bptt(*a, passed=lambda d, W: d @ W + 0.01)

    located("bptt", passes_back_too_much, "with k = 1 all five are right, with k = 2 not",
            "step t = T - 1 is the first that goes wrong", "all three of its shares",
            "dh_prev = delta_t @ W")

    def halves_the_older_input_shares(*a):
        return _bptt(*a, share=lambda t, T, d, x: d.T @ x * (1 if t == T else 0.5))

    located("bptt", halves_the_older_input_shares, "its share of dU is wrong, its share of dW "
            "and db right", "dU += delta_t.T @ X[:, t - 1]")


def test_numerical_gradient_names_the_entries_f_never_saw_moved():
    def first_column_only(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in range(x.shape[0]):
            j = (i, 0) if x.ndim == 2 else i
            old = x[j]
            x[j] = old + eps
            up = f()
            x[j] = old - eps
            down = f()
            x[j] = old
            grad[j] = (up - down) / (2 * eps)
        return grad

    located("numerical_gradient", first_column_only, "3 of the 6 entries are right",
            "the entries that f() never saw moved")


def test_numerical_gradient_points_to_the_quotient_when_every_entry_is_wrong():
    def quotient_plus_eps(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = f()
            x[i] = old - eps
            down = f()
            x[i] = old
            grad[i] = (up - down) / (2 * eps) + 1e-3
        return grad

    located("numerical_gradient", quotient_plus_eps, "every entry is wrong, although f() saw "
            "each moved", "look at the difference quotient")


def test_clip_gradients_names_the_array_that_is_not_a_rescaled_copy():
    def rounds_the_first(grads, threshold):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        out = [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]
        out[0] = np.round(out[0], 1)
        return out

    located("clip_gradients", rounds_the_first, "array 0 (dU) is not a multiple of its input")


def test_clip_gradients_says_whether_one_factor_is_shared():
    def factor_per_position(grads, threshold):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        if norm <= threshold:
            return [g.copy() for g in grads]
        return [g * threshold / (norm + i) for i, g in enumerate(grads)]

    located("clip_gradients", factor_per_position, "not all by the same factor")


def _epochs(params, X, Y, learning_rate, epochs, threshold, k, rate=lambda e, lr: lr,
            clip_at=lambda c: c):
    U, W, V, b, c = params
    for epoch in range(epochs):
        Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
        grads = sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)
        grads = sol.my.clip_gradients(list(grads), clip_at(threshold))
        U, W, V, b, c = (p - rate(epoch, learning_rate) * g
                         for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


def test_train_rnn_names_the_first_wrong_update():
    def decays_the_rate(*a):
        return _epochs(*a, rate=lambda e, lr: lr if e == 0 else 0.7 * lr)

    located("train_rnn", decays_the_rate, "with epochs = 1 all five are right, with epochs = 2 "
            "not", "update 2 is the first that is wrong")


def test_train_rnn_sees_a_first_step_of_the_wrong_size_or_the_clipping():
    located("train_rnn", lambda *a: _epochs(*a, rate=lambda e, lr: 3 * lr),
            "in the right direction, by 3 times the right step")
    located("train_rnn", lambda *a: _epochs(*a, clip_at=lambda c: 1.5 * c),
            "right when clipping never acts", "my.clip_gradients(grads, threshold)")


def test_gru_step_sees_z_moving_the_wrong_way():
    def gates_by_a_falling_tanh(x_t, h_prev, U, W, b, b_n):
        def gate(v):
            return 0.5 * (1 - np.tanh(v / 2))  # sigmoid(-v), for r and z alike

        H = h_prev.shape[1]
        a, s = x_t @ U.T + b, h_prev @ W.T
        r = gate(a[:, :H] + s[:, :H])
        z = gate(a[:, H:2 * H] + s[:, H:2 * H])
        n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
        return (1 - z) * n + z * h_prev

    located("gru_step", gates_by_a_falling_tanh, "your z falls where it must rise")


def _gru_back(dh_t, x_t, h_prev, U, W, b, b_n, da_z_of=None, da_n_of=None):
    H = h_prev.shape[1]
    a, rec = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    dz = dh_t * (h_prev - n)
    da_z = da_z_of(dz, z) if da_z_of else dz * z * (1 - z)
    dn = dh_t * (1 - z)
    da_n = da_n_of(dn, n) if da_n_of else dn * (1 - n ** 2)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)
    return dh_t * z + d_rec @ W, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), dm.sum(axis=0)


def test_gru_step_backward_names_the_gate_whose_rows_are_wrong():
    located("gru_step_backward", lambda *a: _gru_back(*a, da_z_of=lambda dz, z: dz * z ** 2),
            "the r, z and n rows", "da_z is wrong", "look at da_z = dz * z * (1 - z)")
    line = located("gru_step_backward",
                   lambda *a: _gru_back(*a, da_n_of=lambda dn, n: dn * (1 - n ** 3)),
                   "da_z is right; da_n is wrong", "look at da_n = dn * (1 - n**2)")
    assert "da_r" in line and "follow" in line  # da_r and dm are made from da_n


def test_sequence_backward_step_names_the_wrong_output_whose_input_is_right():
    def squares_the_state_in_dv(dh_next, dy_hat_t, h_t, W, V):
        g = dh_next + dy_hat_t @ V
        d = g * (1 - h_t ** 2)
        return g, d, d @ W, dy_hat_t.T @ h_t ** 2

    located("sequence_backward_step", squares_the_state_in_dv, "g_t, delta_t and dh_prev are "
            "right; dV_t is wrong", "look at dV_t = dy_hat_t.T @ h_t")


def test_temperature_probabilities_tells_the_normalisation_from_what_goes_into_exp():
    def one_added_to_the_sum(y_hat, temperature):
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return e / (1 + e.sum(axis=1, keepdims=True))

    located("temperature_probabilities", one_added_to_the_sum, "the rows of p do not sum to 1")

    def smoothed(y_hat, temperature):  # "no character may get probability 0"
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature) + 0.01
        return e / e.sum(axis=1, keepdims=True)

    located("temperature_probabilities", smoothed, "each row sums to 1 and keeps "
            "the order of its scores, but is not the softmax of y_hat / T")

    def one_added_to_the_temperature(y_hat, temperature):  # a softmax at T + 1: named now
        e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / (temperature + 1))
        return e / e.sum(axis=1, keepdims=True)

    text = sol.failed_text("temperature_probabilities", one_added_to_the_temperature)
    assert "at another temperature, y_hat / T' with T' = 1.7, where T = 0.7 is given" in text


# --- a cause is named only when it is there: confirmed on the values or in the learner's source


def failed(name, fn):
    """fn fails; its message, unwrapped."""
    v = ex.EXERCISES[name].check(fn)
    assert v.status == "FAIL", v.text
    return v.text.replace("\n  ", " ")


def test_mse_loss_blames_a_whole_number_on_what_the_source_holds():
    def loss_made_an_int(Y_hat, Y):
        e = Y_hat - Y
        return int(np.sum(e ** 2) / (2 * len(Y))), e / len(Y)

    text = failed("mse_loss", loss_made_an_int)
    assert "it is a whole number, the right L rounded down" in text
    assert "your line `return int(np.sum(e ** 2) / (2 * len(Y))), e / len(Y)` has int()" in text
    assert "//" not in text and "floor division" not in text

    def loss_by_floor_division(Y_hat, Y):
        e = Y_hat - Y
        return float(np.sum(e ** 2)) // (2 * len(Y)), e / len(Y)

    text = failed("mse_loss", loss_by_floor_division)
    assert "has //, a floor division, which cuts a number to a whole one" in text

    def unreadable(Y_hat, Y):  # the source holds no cut: only the observation is said
        return loss_made_an_int(Y_hat, Y)

    text = failed("mse_loss", unreadable)
    assert "something cut it to a whole number, such as // (a floor division), int() or " \
           "round()" in text
    assert "your line" not in text


def test_numerical_gradient_written_into_x_itself_is_named_so():
    def gradient_written_into_x(f, x, eps=1e-6):
        grad = x
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = f()
            x[i] = old - eps
            down = f()
            x[i] = old
            grad[i] = (up - down) / (2 * eps)
        return grad

    text = failed("numerical_gradient", gradient_written_into_x)
    assert "the array your function returns is x itself, not a new array" in text
    assert "Your line `grad = x` gives x a second name" in text
    assert "grad = np.zeros_like(x)" in text
    assert "restore each element" not in text

    def gradient_in_a_view_of_x(f, x, eps=1e-6):
        grad = x.reshape(x.shape)
        return gradient_written_into_x(f, grad, eps)

    text = failed("numerical_gradient", gradient_in_a_view_of_x)
    assert "shares its memory with x (it is a view of x)" in text
    assert "second name" not in text  # no line of this function says grad = x

    def never_restores(f, x, eps=1e-6):  # the slip the old message named, really there
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + eps
            up = f()
            x[i] = old - eps
            down = f()
            grad[i] = (up - down) / (2 * eps)
        return grad

    text = failed("numerical_gradient", never_restores)
    assert "x is left changed after your function returns: restore each element" in text


def _one_epoch(p, X, Y, learning_rate, threshold, k):
    Y_hat, states = sol.my.rnn_forward(X, *p[:3], *p[3:])
    grads = sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, p[1], p[2], k)
    grads = sol.my.clip_gradients(list(grads), threshold)
    return [a - learning_rate * g for a, g in zip(p, grads, strict=True)]


def test_train_rnn_names_the_cause_of_one_update_only_where_the_source_shows_it():
    def returns_inside_the_loop(params, X, Y, learning_rate, epochs, threshold, k):
        p = list(params)
        for _ in range(epochs):
            p = _one_epoch(p, X, Y, learning_rate, threshold, k)
            return p
        return p

    text = failed("train_rnn", returns_inside_the_loop)
    assert "only the first update took effect: your line `return p` is inside the loop `for _ " \
           "in range(epochs):`, so the function returns after its first epoch" in text
    assert "starts again" not in text and "previous one produced" not in text

    def starts_from_params_in_every_epoch(params, X, Y, learning_rate, epochs, threshold, k):
        for _ in range(epochs):
            p = _one_epoch(list(params), X, Y, learning_rate, threshold, k)
        return p

    text = failed("train_rnn", starts_from_params_in_every_epoch)
    assert "only the first update took effect: your line `p = _one_epoch(list(params), X, Y, " \
           "learning_rate, threshold, k)` inside the loop `for _ in range(epochs):` reads " \
           "params, the initial parameters, in every epoch" in text
    assert "each epoch must start from the parameters the previous one produced" in text
    assert "return" not in text.split("took effect", 1)[1]

    def unreadable(*a):  # neither cause can be seen in this source: both are listed
        return returns_inside_the_loop(*a)

    text = failed("train_rnn", unreadable)
    assert "only the first update took effect: either a return inside the epoch loop ends the " \
           "function after the first epoch, or every epoch starts again from the initial " \
           "parameters" in text
    assert "your line" not in text


def _differences(f, x, eps, steps, weights, divide):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old, total = x[i], 0.0
        for step, weight in zip(steps, weights, strict=True):
            x[i] = old + step * eps
            total += weight * f()
        x[i] = old
        grad[i] = total / (divide * eps)
    return grad


def test_numerical_gradient_says_eps_is_ignored_only_when_the_result_does_not_move_with_it():
    def five_point(f, x, eps=1e-6):
        return _differences(f, x, eps, (2, 1, -1, -2), (-1, 8, -8, 1), 12)

    text = failed("numerical_gradient", five_point)
    assert "ignores" not in text
    assert "your gradient is not the one the notebook asks for: it is the five-point formula" \
        in text
    assert "nearer the exact gradient than the central difference is" in text
    assert "The notebook's formula is the central difference (f(x + eps) - f(x - eps)) / " \
           "(2 eps)" in text

    def seven_point(f, x, eps=1e-6):  # another formula of higher order
        return _differences(f, x, eps, (3, 2, 1, -1, -2, -3), (1, -9, 45, -45, 9, -1), 60)

    text = failed("numerical_gradient", seven_point)
    assert "ignores" not in text
    assert "it uses eps (it changes when eps does), but with eps = 1e-03 it is not the central " \
           "difference" in text
    assert "The notebook's formula is the central difference" in text

    def fixed_step(f, x, eps=1e-6):  # the slip the old message named, really there
        return _differences(f, x, 1e-6, (1, -1), (1, -1), 2)

    text = failed("numerical_gradient", fixed_step)
    assert "your function ignores its argument eps (the checker passed eps = 1e-03, then " \
           "eps = 1e-01, and got the same result)" in text


# --- correct answers in other styles still pass ----------------------------------------------


def _right_bptt_by_deltas(dY_hat, X, states, W, V, k):
    T, deltas, g = X.shape[1], [], dY_hat @ V
    for t in range(T, T - k, -1):
        deltas.append((t, g * (1 - states[t]) * (1 + states[t])))
        g = deltas[-1][1] @ W
    return (sum(d.T @ X[:, t - 1] for t, d in deltas), sum(d.T @ states[t - 1] for t, d in deltas),
            dY_hat.T @ states[-1], sum(d.sum(axis=0) for _, d in deltas), np.sum(dY_hat, axis=0))


def _right_training_on_copies(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        Y_hat, states = sol.my.rnn_forward(X, *trained)
        grads = sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, trained[1], trained[2], k)
        for p, g in zip(trained, sol.my.clip_gradients(list(grads), threshold), strict=True):
            p -= learning_rate * g
    return trained


def _right_temperature_by_logsumexp(y_hat, temperature):
    s = y_hat / temperature
    top = s.max(axis=1, keepdims=True)
    return np.exp(s - top - np.log(np.exp(s - top).sum(axis=1, keepdims=True)))


def _right_gru_back_by_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    Ur, Uz, Un = np.split(U, 3)
    Wr, Wz, Wn = np.split(W, 3)
    br, bz, bn = np.split(b, 3)
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    m = h_prev @ Wn.T + b_n
    n = np.tanh(x_t @ Un.T + bn + r * m)
    da_n = dh_t * (1 - z) * (1 - n * n)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    da_r = da_n * m * r * (1 - r)
    dm = da_n * r
    dh_prev = dh_t * z + da_r @ Wr + da_z @ Wz + dm @ Wn
    dU = np.vstack([da_r.T @ x_t, da_z.T @ x_t, da_n.T @ x_t])
    dW = np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, dm.T @ h_prev])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    assert dU.shape[0] == 3 * H
    return dh_prev, dU, dW, db, dm.sum(0)


@pytest.mark.parametrize("name, fn", [
    ("bptt", _right_bptt_by_deltas),
    ("train_rnn", _right_training_on_copies),
    ("temperature_probabilities", _right_temperature_by_logsumexp),
    ("gru_step_backward", _right_gru_back_by_blocks),
])
def test_correct_answers_in_other_styles_still_pass(name, fn):
    v = ex.EXERCISES[name].check(fn)
    assert v.passed, v.text


def test_a_slice_with_commas_in_an_argument_is_not_read_as_swapped_arguments():
    """held-out set s7-heldout3: X[:, :t + 1].sum(axis=1) as forward_step's first argument was
    split at its inner comma and keyword, and the message claimed U, W, b swapped."""
    from rnnlib.exercises._core import swapped_arguments

    def cumulative(X, U, W, V, b, c):
        states = [np.zeros((X.shape[0], W.shape[0]))]
        for t in range(X.shape[1]):
            states.append(np.tanh(X[:, :t + 1].sum(axis=1) @ U.T + states[-1] @ W.T + b))
            forward_step(X[:, :t + 1].sum(axis=1), states[-1], U, W, b)  # noqa: F821
        return states[-1] @ V.T + c, np.stack(states)

    def really_swapped(X, U, W, V, b, c):
        h = forward_step(X[:, 0], np.zeros(3), W, U, b)  # noqa: F821
        return h

    assert swapped_arguments(cumulative) == ""
    message = swapped_arguments(really_swapped)
    assert "passes W where it expects U; U where it expects W" in message


def test_clip_gradients_that_returns_a_generator_is_refused():
    """held-out set s7-heldout3: (g * factor for g in grads) gave the right values and PASSed,
    although clipped[0] fails on it."""
    from rnnlib.exercises import clipping

    def as_generator(grads, threshold):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
        factor = threshold / norm if norm > threshold else 1.0
        return (g * factor for g in grads)

    def as_list(grads, threshold):
        return list(as_generator(grads, threshold))

    verdict = clipping.check(as_generator)
    assert not verdict.passed and "generator object, which can be read only once" in verdict.text
    assert clipping.check(as_list).passed
