"""Every checker: the correct answer passes, the stub is NOT YET, and each usual slip fails with
its diagnosis, by name. The wrong answers are written here as a learner would write them."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.exercises import backprop, clipping, forward, training, windows

NOT_YET = "NOT YET: your function returned None — write it above and run this cell again"


@pytest.fixture(autouse=True)
def book(tmp_path):
    """The pieces call my.*: rnnlib's versions, in a workbook with a private file."""
    sol.bind(ex.Workbook(5, path=tmp_path / "my_rnn.py"))


def verdict(name, fn):
    return ex.EXERCISES[name].check(fn)


def unwrapped(text):
    """A verdict's text as one line per paragraph (the checkers wrap at word boundaries)."""
    return text.replace("\n  ", " ")


def fails_with(name, fn, *fragments):
    v = verdict(name, fn)
    assert v.status == "FAIL", v.text
    text = unwrapped(v.text)
    for fragment in fragments:
        assert fragment in text, text
    return text


# --- every piece ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_correct_answer_passes_and_stub_is_not_yet(name):
    v = verdict(name, getattr(sol, name))
    assert v.status == "PASS" and v.text.startswith("PASS: "), v.text
    assert verdict(name, lambda *a, **k: None).text == NOT_YET


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_rnnlibs_version_passes_its_own_check(name):
    assert verdict(name, ex.EXERCISES[name].reference).passed


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_an_exception_is_one_plain_line_naming_the_learners_line(name):
    def broken(*args, **kwargs):
        raise KeyError("oops")

    assert verdict(name, broken).text == "FAIL: your function raised KeyError in your line " \
        '`raise KeyError("oops")`: \'oops\''


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_nan_is_named(name):
    def nan(*args, **kwargs):
        correct = getattr(sol, name)(*args, **kwargs)
        if isinstance(correct, tuple | list):
            return [np.full(np.shape(a), np.nan) for a in correct]
        return np.full(np.shape(correct), np.nan)

    text = verdict(name, nan).text
    assert text.startswith("FAIL") and ("NaN" in text), text


def test_checkers_are_quiet_and_fast(capsys):
    import time

    for name, exercise in ex.EXERCISES.items():
        start = time.perf_counter()
        exercise.check(getattr(sol, name))
        exercise.check(lambda *a, **k: None)
        assert time.perf_counter() - start < 1.0, name
    assert capsys.readouterr() == ("", "")


def test_print_wrappers_print_the_verdict(capsys):
    ex.check_forward_step(sol.forward_step)
    assert capsys.readouterr().out == "PASS: relative error < 1e-12 (must be < 1e-10)\n"
    ex.check_clip_by_norm(lambda g, c: None)
    assert capsys.readouterr().out == NOT_YET + "\n"


# --- 01: windows -----------------------------------------------------------------------------


def test_windows_one_too_many():
    fails_with("make_windows", lambda s, T: (
        np.stack([s[i:i + T] for i in range(len(s) - T + 1)]), s[T:]),
        "X has shape (7, 4, 2) = (N + 1, T, D)", "one window too many")


def test_windows_target_is_last_value_of_window():
    fails_with("make_windows", lambda s, T: (sol.make_windows(s, T)[0], s[T - 1:-1]),
               "Y is wrong", "last value of each window", "series[i + T]")


def test_windows_axes_swapped():
    fails_with("make_windows", lambda s, T: (sol.make_windows(s, T)[0].transpose(0, 2, 1),
                                             s[T:]), "(N, D, T)", "axes are swapped")


def test_windows_one_array_instead_of_two():
    fails_with("make_windows", lambda s, T: sol.make_windows(s, T)[0],
               "returned one array of shape (6, 4, 2) (48 values); return 2 separate values")


def test_windows_mutating_the_series():
    def mutating(series, T):
        series -= series.mean()
        return sol.make_windows(series, T)

    fails_with("make_windows", mutating, "changed its input series in place")


# --- 02: forward step --------------------------------------------------------------------------


@pytest.mark.parametrize(("wrong", "fragment"), [
    (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W + b), "W is not transposed"),
    (lambda x, h, U, W, b: x @ U.T + h @ W.T + b, "the activation is missing"),
    (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T), "the bias b is missing"),
    (lambda x, h, U, W, b: 1 / (1 + np.exp(-(x @ U.T + h @ W.T + b))), "this is the sigmoid"),
])
def test_forward_step_slips_are_named(wrong, fragment):
    fails_with("forward_step", wrong, "FAIL: h_t is wrong: " + fragment)


def test_forward_step_missing_transpose_of_U_is_a_shape_message_in_course_terms():
    text = fails_with("forward_step", lambda x_t, h_prev, U, W, b: np.tanh(
        x_t @ U + h_prev @ W.T + b))
    assert text.startswith("FAIL: numpy met a matrix product A @ B whose inner sizes do not match "
                           "(A's last axis has D = 2, B's first has H = 4) in your line `x_t @ U + h_prev @ W.T + b))`"), text
    assert "x_t (N, D) = (3, 2)" in text and "U (H, D) = (4, 2)" in text
    assert "\nHint: with records as rows, U x_t for every record is x_t @ U.T" in text
    assert "gufunc" not in text


def test_forward_step_transposed_result():
    fails_with("forward_step", lambda x, h, U, W, b: np.tanh(U @ x.T + W @ h.T + b[:, None]),
               "h_t has shape (4, 3) = (H, N), expected (N, H) = (3, 4): that is its transpose")


def test_forward_step_in_place():
    def in_place(x_t, h_prev, U, W, b):
        h_prev[...] = np.tanh(x_t @ U.T + h_prev @ W.T + b)
        return h_prev

    fails_with("forward_step", in_place, "changed its input h_prev in place")


def test_forward_step_two_values():
    fails_with("forward_step", lambda *a: (sol.forward_step(*a), 0.0),
               "returned a tuple of 2 values; return one array, h_t")


# --- 02: the unrolled forward pass ---------------------------------------------------------


def test_forward_states_without_h0():
    def no_h0(X, U, W, V, b, c):
        Y_hat, states = sol.rnn_forward(X, U, W, V, b, c)
        return Y_hat, states[1:]

    fails_with("rnn_forward", no_h0, "states has shape (5, 3, 4) = (T, N, H)", "h_0 is missing")


def test_forward_batch_first_states():
    def batch_first(X, U, W, V, b, c):
        Y_hat, states = sol.rnn_forward(X, U, W, V, b, c)
        return Y_hat, states.transpose(1, 0, 2)

    fails_with("rnn_forward", batch_first, "(N, T + 1, H)", "time-major")


def test_forward_prediction_without_c_and_from_wrong_state():
    fails_with("rnn_forward", lambda X, U, W, V, b, c: (
        sol.rnn_forward(X, U, W, V, b, c)[1][-1] @ V.T, sol.rnn_forward(X, U, W, V, b, c)[1]),
        "Y_hat is wrong: the output bias c is missing")
    fails_with("rnn_forward", lambda X, U, W, V, b, c: (
        sol.rnn_forward(X, U, W, V, b, c)[1][-2] @ V.T + c, sol.rnn_forward(X, U, W, V, b, c)[1]),
        "read from h_(T-1)")


def test_forward_loop_past_the_end_is_an_index_message():
    def too_far(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        for t in range(X.shape[1] + 1):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        return h @ V.T + c, None

    fails_with("rnn_forward", too_far, "IndexError", "X (N, T, D) = (3, 5, 2)",
               "check the range of your loop")


# --- 03: the loss ------------------------------------------------------------------------------


@pytest.mark.parametrize(("wrong", "fragment"), [
    (lambda Yh, Y: (np.sum((Yh - Y) ** 2) / 2, (Yh - Y) / len(Y)), "L is wrong: the 1/N is missing"),
    (lambda Yh, Y: (np.sum((Yh - Y) ** 2) / len(Y), (Yh - Y) / len(Y)), "L is wrong: the 1/2 is missing"),
    (lambda Yh, Y: (np.mean((Yh - Y) ** 2) / 2, (Yh - Y) / len(Y)), "you divided by N * O"),
    (lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (2 * len(Y)), (Y - Yh) / len(Y)), "the sign is wrong"),
    (lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (2 * len(Y)), Yh - Y), "dY_hat is wrong: the 1/N is missing"),
    (lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (2 * len(Y)), 2 * (Yh - Y) / len(Y)), "the 2 of the square"),
])
def test_loss_slips_are_named(wrong, fragment):
    fails_with("mse_loss", wrong, fragment)


def test_loss_wrong_sum_axis_gives_an_array():
    fails_with("mse_loss", lambda Yh, Y: (np.sum((Yh - Y) ** 2, axis=0) / (2 * len(Y)), (Yh - Y) / len(Y)),
               "L must be one number, got one array of shape (3,) (3 values): you summed over the records only")


def test_loss_swapped_order():
    fails_with("mse_loss", lambda Yh, Y: sol.mse_loss(Yh, Y)[::-1], "the order is swapped")


# --- 03: one backward step -----------------------------------------------------------------


def _step_with(index, replace):
    def fn(dh_t, h_t, h_prev, x_t, W):
        outputs = list(sol.backward_step(dh_t, h_t, h_prev, x_t, W))
        outputs[index] = replace(outputs, (dh_t, h_t, h_prev, x_t, W))
        return tuple(outputs)
    return fn


def _delta_variant(delta):
    def fn(dh_t, h_t, h_prev, x_t, W):
        d = delta(dh_t, h_t, h_prev)
        return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)
    return fn


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_delta_variant(lambda dh, h, hp: dh), "delta_t is wrong: the derivative factor is missing"),
    (_delta_variant(lambda dh, h, hp: dh * (1 - np.tanh(h) ** 2)),
     "tanh' is applied to h_t as if it were the pre-activation"),
    (_delta_variant(lambda dh, h, hp: dh * h * (1 - h)), "the sigmoid's derivative"),
    (_delta_variant(lambda dh, h, hp: dh * (1 - h) ** 2), "(1 - h_t)**2 is not 1 - h_t**2"),
    (_step_with(1, lambda o, i: o[0] @ i[4].T), "dh_prev is wrong: W is transposed the wrong way"),
    (_step_with(1, lambda o, i: i[0] @ i[4]), "dh_prev is wrong: the activation's derivative is skipped"),
    (_step_with(3, lambda o, i: o[0].T @ i[1]), "dW_t is wrong: it uses h_t"),
    (_step_with(3, lambda o, i: i[2].T @ o[0]), "dW_t is wrong: it is transposed"),
    (_step_with(4, lambda o, i: o[0].mean(axis=0)), "db_t is wrong: it is the mean over the records"),
    (_step_with(2, lambda o, i: o[0].T @ i[3] / 3), "dU_t is wrong: divided by N"),
])
def test_backward_step_slips_are_named(wrong, fragment):
    fails_with("backward_step", wrong, fragment)


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_step_with(2, lambda o, i: i[3].T @ o[0]),
     "dU_t has shape (2, 4) = (D, H), expected (H, D) = (4, 2): that is its transpose"),
    (_step_with(4, lambda o, i: o[0].sum(axis=1)),
     "db_t has shape (3,) = (N,), expected (H,) = (4,): you summed over the units (axis 1)"),
])
def test_backward_step_wrong_axes_are_shape_messages(wrong, fragment):
    fails_with("backward_step", wrong, fragment)


def test_backward_step_one_flat_array_is_described_as_one_array():
    def flat(*inputs):
        return np.concatenate([np.ravel(a) for a in sol.backward_step(*inputs)])

    fails_with("backward_step", flat, "returned one array of shape (52,) (52 values); return 5 "
               "separate values as a tuple: return delta_t, dh_prev, dU_t, dW_t, db_t")


def test_backward_step_partial_none_is_not_yet():
    v = verdict("backward_step", _step_with(4, lambda o, i: None))
    assert v.text == ("NOT YET: your function returned None for db_t — write it above and run "
                      "this cell again")


def test_backward_step_in_place():
    def in_place(dh_t, h_t, h_prev, x_t, W):
        dh_t *= 1.0 - h_t**2
        return dh_t, dh_t @ W, dh_t.T @ x_t, dh_t.T @ h_prev, dh_t.sum(axis=0)

    fails_with("backward_step", in_place, "changed its input dh_t in place")


# --- 03: BPTT with truncation --------------------------------------------------------------


def _bptt_steps(extra):
    def fn(dY_hat, X, states, W, V, k):
        return sol.bptt(dY_hat, X, states, W, V, min(k + extra, X.shape[1]) if extra > 0
                        else max(k + extra, 1) if k > 1 else k)
    return fn


def test_bptt_off_by_one_one_step_too_many():
    def too_many(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        return sol.bptt(dY_hat, X, states, W, V, min(k + 1, T))

    fails_with("bptt", too_many, "with k = 3 of T = 6 steps are those of k + 1 = 4 steps",
               "off-by-one in the truncation window")


def test_bptt_off_by_one_one_step_too_few():
    def loop_to_k_minus_one(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU, dW, db = 0, 0, 0
        g = dY_hat @ V
        for t in range(T, T - k + 1, -1):  # stops one step early
            _, g, a, bb, c = sol.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
            dU, dW, db = dU + a, dW + bb, db + c
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    fails_with("bptt", loop_to_k_minus_one, "are those of k - 1 = 2 steps")


def test_bptt_ignoring_k():
    fails_with("bptt", lambda dY, X, s, W, V, k: sol.bptt(dY, X, s, W, V, X.shape[1]),
               "the truncation depth k is ignored")


def test_bptt_dc_not_summed_and_dV_over_all_states():
    fails_with("bptt", lambda dY, X, s, W, V, k: (*sol.bptt(dY, X, s, W, V, k)[:4], dY),
               "dc has shape (3, 1) = (N, 1), expected (O,) = (1,): sum it over the records")

    def dV_all(dY, X, s, W, V, k):
        dU, dW, _, db, dc = sol.bptt(dY, X, s, W, V, k)
        return dU, dW, sum(dY.T @ s[t] for t in range(1, X.shape[1] + 1)), db, dc

    fails_with("bptt", dV_all, "dV is wrong with k = 3 of T = 6 steps: dV = dY_hat.T @ h_T")


# --- 03: the numerical gradient ------------------------------------------------------------


def test_numerical_gradient_forward_difference():
    def forward_difference(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            f0 = f()
            x[i] += eps
            grad[i] = (f() - f0) / eps
            x[i] -= eps
        return grad

    fails_with("numerical_gradient", forward_difference, "a forward difference")


def test_numerical_gradient_divides_by_eps():
    def half_step(f, x, eps=1e-6):
        return 2 * sol.numerical_gradient(f, x, eps)

    fails_with("numerical_gradient", half_step, "twice the gradient: divide by 2 eps")


def test_numerical_gradient_perturbing_a_copy():
    def on_a_copy(f, x, eps=1e-6):
        x = x.copy()
        return sol.numerical_gradient(f, x, eps)

    fails_with("numerical_gradient", on_a_copy, "zero everywhere", "f reads x itself")


def test_numerical_gradient_not_restoring_x():
    def not_restored(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            x[i] += eps
            f_plus = f()
            x[i] -= 2 * eps
            grad[i] = (f_plus - f()) / (2 * eps)
        return grad

    fails_with("numerical_gradient", not_restored, "x is left changed")


def test_numerical_gradient_flat_result():
    fails_with("numerical_gradient", lambda f, x, eps=1e-6: sol.numerical_gradient(f, x).ravel(),
               "the gradient has shape (6,)", "reshape it to x's shape")


# --- 04: clipping ------------------------------------------------------------------------------


def per_array(grads, c):
    return [g * min(1.0, c / np.linalg.norm(g)) for g in grads]


@pytest.mark.parametrize(("wrong", "fragment"), [
    (per_array, "each array was clipped by its own norm"),
    (lambda grads, c: [g * c / np.sqrt(sum(np.sum(a**2) for a in grads)) for g in grads],
     "scaled although their global norm is below the threshold"),
    (lambda grads, c: [np.clip(g, -c, c) for g in grads], "this is clipping by value"),
])
def test_clip_slips_are_named(wrong, fragment):
    fails_with("clip_gradients", wrong, fragment)


def test_clip_one_flat_array_of_33_values():
    fails_with("clip_gradients", lambda g, c: np.concatenate(
        [a.ravel() for a in sol.clip_gradients(g, c)]),
        "returned one array of shape (33,) (33 values); return a list of 5 arrays, one per gradient")


def test_clip_wrong_number_of_arrays():
    fails_with("clip_gradients", lambda g, c: sol.clip_gradients(g, c)[:4],
               "returned a list of 4 arrays for 5 gradients")


def test_clip_in_place():
    def in_place(grads, c):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        for g in grads:
            g *= min(1.0, c / norm)
        return grads

    fails_with("clip_gradients", in_place, "changed its input grads in place")


def test_clip_nan_for_zero_gradients():
    def divides_always(grads, c):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * (c / norm if norm > c else 1.0) * (norm / norm) for g in grads]

    fails_with("clip_gradients", divides_always, "with all-zero gradients (global norm 0)",
               "returns NaN")


# --- 05: the training loop -----------------------------------------------------------------


def _train_variant(**change):
    def fn(params, X, Y, learning_rate, epochs, threshold, k):
        args = {"learning_rate": learning_rate, "epochs": epochs, "threshold": threshold, "k": k}
        args.update({key: f(args) for key, f in change.items()})
        return sol.train_rnn(params, X, Y, **args)
    return fn


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_train_variant(threshold=lambda a: 1e9), "clipping is missing"),
    (_train_variant(k=lambda a: 5), "the truncation depth k is not passed on"),
    (_train_variant(epochs=lambda a: a["epochs"] - 1), "one epoch too few"),
    (_train_variant(epochs=lambda a: a["epochs"] + 1), "one epoch too many"),
    (_train_variant(learning_rate=lambda a: -a["learning_rate"]), "the update goes uphill"),
    (lambda params, *rest: [p.copy() for p in params], "the parameters did not change"),
])
def test_train_slips_are_named(wrong, fragment):
    fails_with("train_rnn", wrong, fragment)


def test_train_in_place():
    def in_place(params, X, Y, learning_rate, epochs, threshold, k):
        trained = sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)
        for p, t in zip(params, trained, strict=True):
            p[...] = t
        return params

    fails_with("train_rnn", in_place, "changed its input params in place")


def test_train_reference_loop_equals_rnnlib_train():
    params, X, Y, threshold = training.inputs()
    plain = training.loop(params, X, Y, 0.5, 3, threshold, 2)
    fast = training.reference(params, X, Y, 0.5, 3, threshold, 2)
    for a, b in zip(plain, fast, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


# --- the inputs are built so that the slips differ ---------------------------------------------


def test_inputs_have_distinct_sizes_so_a_transpose_fails_on_its_shape():
    assert len({forward.N, forward.D, forward.H, forward.T}) == 4
    assert len({backprop.N, backprop.D, backprop.H, backprop.T}) == 4
    assert len({windows.L, windows.T, windows.D, windows.N}) == 4


def test_clip_cases_straddle_the_per_array_norms():
    grads = clipping.inputs()
    low = round(clipping.global_norm(grads) / 3.0, 1)
    norms = [np.linalg.norm(g) for g in grads]
    assert min(norms) < low < max(norms)


def test_train_check_clips_in_its_first_update():
    params, X, Y, threshold = training.inputs()
    from rnnlib import Params, loss_and_gradients

    _, grads = loss_and_gradients(Params(*params), X, Y, truncation=training.K)
    assert grads.norm() > threshold


def test_a_broadcasting_error_names_the_shapes_in_course_terms():
    text = fails_with("forward_step", lambda x_t, h_prev, U, W, b: np.tanh(
        x_t @ U.T + h_prev @ W.T + b[:, None]))
    assert "arrays of shapes (3, 4) = (N, H) and (4, 1) = (H, 1) that cannot be added or " \
           "multiplied elementwise" in text, text
