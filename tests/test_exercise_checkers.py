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
    assert capsys.readouterr().out == "your forward_step — PASS: relative error < 1e-12 (must be < 1e-10)\n"
    ex.check_forward_step(sol.forward_step, who="reference solution")
    assert capsys.readouterr().out == "reference solution — PASS: relative error < 1e-12 (must be < 1e-10)\n"
    ex.check_clip_gradients(lambda g, c: None)
    assert capsys.readouterr().out.replace("\n  ", " ") == "your clip_gradients — " + NOT_YET + "\n"


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
               "dc has shape (3, 1) = (N, 1), expected (O,) = (1,): dc is dY_hat itself: sum it over the records")

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

    fails_with("numerical_gradient", half_step, "twice the gradient: the central difference divides f(x + eps) - f(x - eps) by 2 eps")


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


# --- rules that hold for every checker -----------------------------------------------------


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_a_stub_that_raises_not_implemented_error_is_not_yet(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    v = verdict(name, stub)
    assert v.status == "NOT YET"
    assert unwrapped(v.text) == ("NOT YET: your function still raises NotImplementedError — "
                                 "replace that line with your code and run this cell again")


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_float32_results_are_named_by_their_dtype(name):
    def in_float32(*args, **kwargs):
        correct = getattr(sol, name)(*args, **kwargs)
        if isinstance(correct, tuple | list):
            return type(correct)(np.asarray(a, dtype=np.float32) for a in correct)
        return np.asarray(correct, dtype=np.float32)

    fails_with(name, in_float32, "is float32 but must be float64")


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_a_non_callable_is_a_type_error_not_the_learners_slip(name, capsys):
    book = ex.Workbook(8, path=None)
    with pytest.raises(TypeError, match=r'my.check\("' + name + r'", ...\) needs the function itself .*got one number'):
        book.check(name, 3)
    with pytest.raises(TypeError, match="needs the function itself"):
        ex.check(name, None)
    assert capsys.readouterr().out == ""


def test_an_unknown_piece_is_a_value_error():
    with pytest.raises(ValueError, match="no exercise named 'forward'; the pieces are make_windows"):
        ex.check("forward", sol.forward_step)


def test_the_tolerance_is_far_below_float32_rounding():
    from rnnlib.exercises import _core

    assert _core.TOLERANCE <= 1e-10 < 1e3 * _core.TOLERANCE < np.finfo(np.float32).eps


def test_a_result_close_only_to_float32_precision_is_said_so_not_named():
    def rounded(x_t, h_prev, U, W, b):
        return sol.forward_step(x_t, h_prev, U, W, b).astype(np.float32).astype(np.float64)

    text = fails_with("forward_step", rounded, "h_t is close but not equal to rnnlib's",
                      "(must be < 1e-10)", "every value is a float32 number")
    assert "h_t is wrong" not in text


def test_messages_are_wrapped_at_word_boundaries():
    for name in ex.EXERCISES:
        for fn in (lambda *a, **k: 1 / 0, lambda *a, **k: [np.zeros(3)] * 7):
            for line in verdict(name, fn).text.splitlines():
                assert len(line) <= 88 or " " not in line.strip(), line


def test_every_checker_runs_the_course_shapes():
    from rnnlib.exercises import gru

    for cases in (windows.CASES, forward.STEP_CASES, forward.SEQ_CASES, backprop.LOSS_CASES,
                  backprop.STEP_CASES, backprop.BPTT_CASES, backprop.GRADIENT_CASES,
                  clipping.CASES, training.CASES, gru.CASES):
        assert not cases[0].course and any(c.course for c in cases)
        for case in cases:
            if case.course:
                assert all(case[s] == 1 for s in ("D", "O") if s in case.dims), case.label
    assert any(c["N"] == 1 for c in forward.SEQ_CASES) and any(c["N"] == 1 for c in training.CASES)


# --- right on the first inputs, wrong in the course's shapes ----------------------------------


def test_a_squeezed_prediction_is_named_in_the_course_shapes():
    def squeezed(X, U, W, V, b, c):
        Y_hat, states = sol.rnn_forward(X, U, W, V, b, c)
        return np.squeeze(Y_hat), states

    text = fails_with("rnn_forward", squeezed, "Y_hat has shape (3,) = (N,), expected (N, O) = (3, 1)",
                      "an axis of size 1 was dropped (np.squeeze")
    assert "right with" not in text  # it is wrong on the first inputs already


def test_squeeze_of_the_input_breaks_only_in_the_course_shapes_and_says_so():
    def squeezed(x_t, h_prev, U, W, b):
        return np.tanh(np.squeeze(x_t) @ U.T + h_prev @ W.T + b)

    fails_with("forward_step", squeezed,
               "your function is right with N = 3, D = 2, H = 4, but not in the course's own shapes (N = 1, D = 1, H = 3)",
               "a matrix product (@) with an operand that has no axes left")


def test_an_n_by_one_against_n_broadcast_is_named():
    def flat_targets(Y_hat, Y):
        diff = Y_hat - Y.squeeze()
        N = Y.shape[0]
        return np.sum(diff**2) / (2 * N), diff / N

    fails_with("mse_loss", flat_targets, "but not in the course's own shapes (N = 6, O = 1)",
               "an (N,) array met an (N, 1) one")


def test_a_loop_written_for_two_dimensional_arrays_fails_on_b_like_arrays():
    def two_d(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                saved = x[i, j]
                x[i, j] = saved + eps
                plus = f()
                x[i, j] = saved - eps
                grad[i, j] = (plus - f()) / (2 * eps)
                x[i, j] = saved
        return grad

    fails_with("numerical_gradient", two_d, "right with x of shape (3, 2), but not in the course's own shapes (x of shape (4,) like b",
               "IndexError", "for j in range(x.shape[1]):")


def test_a_bias_broadcast_that_needs_d_greater_than_one_is_caught():
    def summed_over_d(x_t, h_prev, U, W, b):
        return np.tanh((x_t[:, :, None] * U.T[None]).sum(axis=1).squeeze() + h_prev @ W.T + b)

    assert verdict("forward_step", summed_over_d).passed  # squeeze on (N, H) is harmless here

    def first_input_only(x_t, h_prev, U, W, b):
        return np.tanh(x_t[:, :1] @ U[:, :1].T + h_prev @ W.T + b)

    fails_with("forward_step", first_input_only, "h_t has the right shape but wrong values")


# --- 01: hints confirmed on the values -----------------------------------------------------------


def test_windows_targets_one_step_late_are_not_called_one_window_too_few():
    def late(series, T):
        X = np.stack([series[i:i + T] for i in range(len(series) - T - 1)])
        return X, series[T + 1:]

    text = fails_with("make_windows", late, "X has shape (5, 4, 2) = (N - 1, T, D)",
                      "one window too few")
    late_targets = lambda s, T: (sol.make_windows(s, T)[0][:-1], s[T + 1:])  # noqa: E731
    assert "one window too few" in text
    text = unwrapped(verdict("make_windows", lambda s, T: (sol.make_windows(s, T)[0],
                                                           s[T + 1:])).text)
    assert "Y has shape (5, 2) = (N - 1, D)" in text and "the targets are one step late" in text
    assert verdict("make_windows", late_targets).status == "FAIL"


def test_windows_a_shape_that_no_slip_explains_says_only_what_is_seen():
    def other(series, T):
        X, Y = sol.make_windows(series, T)
        return X[::-1][:-1], Y  # reversed and cut: neither one too few nor the first missing

    text = fails_with("make_windows", other, "X has shape (5, 4, 2) = (N - 1, T, D), expected (N, T, D) = (6, 4, 2)")
    assert text.endswith("(6, 4, 2)"), text


def test_windows_with_the_target_inside_the_window():
    fails_with("make_windows", lambda s, T: (np.stack([s[i:i + T + 1] for i in range(len(s) - T)]), s[T:]),
               "each window holds T + 1 values")


def test_windows_the_channel_axis_dropped_for_d_equal_one():
    def flat(series, T):
        X, Y = sol.make_windows(series, T)
        return (X[:, :, 0], Y) if series.shape[1] == 1 else (X, Y)

    fails_with("make_windows", flat, "but not in the course's own shapes (L = 9, T = 3, D = 1, N = 6)",
               "the channel axis D is missing")


# --- 02: the forward pass, confirmed on the values ---------------------------------------------


def _forward(step, h0=None, append=lambda states, h: states.append(h), stop=0):
    def fn(X, U, W, V, b, c):
        N, T, _ = X.shape
        h = np.zeros((N, W.shape[0])) if h0 is None else h0(N, W.shape[0])
        states = [h]
        for t in range(T - stop):
            h = step(X[:, t], h, U, W, b)
            append(states, h)
        states = np.stack(states)
        return states[-1] @ V.T + c, states
    return fn


def test_forward_bias_after_the_tanh():
    fails_with("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T) + b,
               "h_t is wrong: the bias b is added after the tanh")
    fails_with("rnn_forward", _forward(lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T) + b),
               "states is wrong: the bias b is added after the tanh")


def test_forward_a_loop_one_step_short_is_not_called_h0_missing():
    text = fails_with("rnn_forward", _forward(sol.forward_step, stop=1),
                      "states has shape (5, 3, 4) = (T, N, H)", "the last state h_T is missing")
    assert "h_0 is missing" not in text


def test_forward_nonzero_h0_is_seen_on_the_values():
    fails_with("rnn_forward", _forward(sol.forward_step, h0=lambda n, h: np.ones((n, h))),
               "states[0] holds values other than zero")


def test_forward_a_reused_state_buffer():
    def in_place(x, h, U, W, b):
        h[...] = np.tanh(x @ U.T + h @ W.T + b)
        return h

    fails_with("rnn_forward", _forward(in_place), "every states[t] holds the same values",
               "updated in place")


def test_forward_a_state_not_reset_per_record():
    def per_record(X, U, W, V, b, c):
        N, T, _ = X.shape
        states = np.zeros((T + 1, N, W.shape[0]))
        h = np.zeros(W.shape[0])
        for n in range(N):
            for t in range(T):
                h = np.tanh(U @ X[n, t] + W @ h + b)
                states[t + 1, n] = h
        return states[T] @ V.T + c, states

    fails_with("rnn_forward", per_record, "each record starts from the last state of the record before it")


# --- 03: BPTT's loop, eps, the loss ------------------------------------------------------------


def _bptt(order="back", pass_back=True, accumulate=True, average=False, derivative=None):
    def fn(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        steps = range(T, T - k, -1) if order == "back" else range(T - k + 1, T + 1)
        dU, dW, db = 0.0, 0.0, 0.0
        g = dY_hat @ V
        for t in steps:
            h = states[t]
            delta = g * (1 - h**2) if derivative is None else g * derivative(h)
            shares = (delta.T @ X[:, t - 1], delta.T @ states[t - 1], delta.sum(axis=0))
            if accumulate:
                dU, dW, db = dU + shares[0], dW + shares[1], db + shares[2]
            else:
                dU, dW, db = shares
            if pass_back:
                g = delta @ W
        if average:
            dU, dW, db = dU / k, dW / k, db / k
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)
    return fn


def test_bptt_written_out_passes():
    assert verdict("bptt", _bptt()).passed


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_bptt(order="forward"), "the steps run forward in time"),
    (_bptt(pass_back=False), "the error never reaches the earlier steps"),
    (_bptt(accumulate=False), "only one step's share is kept: add every step's share"),
    (_bptt(average=True), "the shares are averaged over the steps"),
    (_bptt(derivative=lambda h: 1 - np.tanh(h) ** 2), "tanh' is taken of h_t as if it were the pre-activation"),
    (_bptt(derivative=lambda h: 1.0), "tanh' is missing in the steps"),
])
def test_bptt_loop_slips_are_named(wrong, fragment):
    fails_with("bptt", wrong, "your gradients are wrong with k = 3 of T = 6 steps", fragment)


def _central(eps_used=None, minus=True, divide=2.0):
    def fn(f, x, eps=1e-6):
        step = eps if eps_used is None else eps_used
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            saved = x[i]
            x[i] = saved + step
            plus = f()
            x[i] = saved - step if minus else saved
            grad[i] = (plus - f()) / (divide * step)
            x[i] = saved
        return grad
    return fn


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_central(eps_used=1e-2), "the central difference with eps = 1e-02, not with the eps given (1e-06)"),
    (_central(eps_used=1e-11), "the central difference with eps = 1e-11: so small an eps loses the difference in rounding"),
    (_central(minus=False), "(f(x + eps) - f(x)) / (2 eps): the second call of f must see x - eps"),
    (_central(divide=4.0), "half the gradient: divide by 2 eps, not 4 eps"),
])
def test_numerical_gradient_eps_slips_are_named(wrong, fragment):
    fails_with("numerical_gradient", wrong, fragment)


def test_numerical_gradient_that_ignores_its_eps_argument():
    fails_with("numerical_gradient", _central(eps_used=1e-6),
               "not in the course's own shapes (x of shape (4,) like b, eps = 1e-3)",
               "your function ignores its argument eps (the checker passed eps = 1e-03,")


def test_numerical_gradient_a_forgotten_minus_is_not_called_four_eps():
    text = fails_with("numerical_gradient", _central(minus=False))
    assert "4 eps" not in text


def test_loss_divided_by_four_n():
    fails_with("mse_loss", lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (4 * len(Y)), (Yh - Y) / len(Y)),
               "L is wrong: divided by 4 N")


def test_backward_step_dh_prev_with_the_previous_steps_factor():
    fails_with("backward_step", _step_with(1, lambda o, i: (o[0] @ i[4]) * (1 - i[2] ** 2)),
               "dh_prev is wrong: it is already multiplied by (1 - h_prev**2)")


# --- 04: clipping, diagnosed over all arrays together ---------------------------------------------


@pytest.mark.parametrize(("wrong", "fragment"), [
    (lambda grads, c: [g * min(1.0, c / np.linalg.norm(grads[0])) for g in grads],
     "the factor uses the norm of the first array only"),
    (lambda grads, c: [g * min(1.0, c / sum(np.linalg.norm(a) for a in grads)) for g in grads],
     "the norm is the sum of the arrays' norms"),
    (lambda grads, c: [g * min(1.0, c / sum(np.sum(a**2) for a in grads)) for g in grads],
     "the norm is the squared norm"),
    (lambda grads, c: [g * (np.sqrt(sum(np.sum(a**2) for a in grads)) / c)
                       if np.sqrt(sum(np.sum(a**2) for a in grads)) > c else g for g in grads],
     "the factor is upside down"),
])
def test_clip_slips_confirmed_over_all_arrays(wrong, fragment):
    text = fails_with("clip_gradients", wrong, "the clipped gradients are wrong", fragment)
    assert "its own norm" not in text


# --- 05: the training loop ---------------------------------------------------------------------


def _train(clip=None, stale=False, order=("dU", "dW", "dV", "db", "dc")):
    def fn(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        grads = None
        for _ in range(epochs):
            if grads is None or not stale:
                Y_hat, states = my_pieces().rnn_forward(X, U, W, V, b, c)
                _, dY_hat = my_pieces().mse_loss(Y_hat, Y)
                raw = dict(zip(("dU", "dW", "dV", "db", "dc"), my_pieces().bptt(dY_hat, X, states, W, V, k), strict=True))
                grads = [raw[n] for n in order]
            if clip is None:
                dU, dW, dV, db, dc = my_pieces().clip_gradients(list(grads), threshold)
            else:
                dU, dW, dV, db, dc = clip(grads, threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]
    return fn


def my_pieces():
    return sol.my


def test_train_written_out_passes():
    assert verdict("train_rnn", _train()).passed


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_train(clip=per_array), "each gradient was clipped by its own norm"),
    (_train(stale=True), "the gradients are computed once, before the loop, and reused"),
    (_train(clip=lambda gs, c: [np.clip(g, -c, c) for g in gs]), "clipped by value (np.clip)"),
])
def test_train_loop_slips_are_named(wrong, fragment):
    fails_with("train_rnn", wrong, "the trained parameters are wrong after 3 epochs", fragment)


def test_train_gradients_unpacked_in_the_wrong_order_name_the_shapes():
    text = fails_with("train_rnn", _train(order=("dW", "dU", "dV", "db", "dc")),
                      "arrays of shapes (4, 2) = (H, D) and (4, 4) = (H, H) that cannot be added",
                      "Hint: update each parameter with its own gradient")
    assert "D == " not in text


def test_train_a_parameter_of_the_wrong_shape_reaching_rnnlib_is_named_by_its_shape():
    def broadcast_update(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
            _, dY = sol.my.mse_loss(Y_hat, Y)
            dU, dW, dV, db, dc = sol.my.clip_gradients(list(sol.my.bptt(dY, X, states, W, V, k)), threshold)
            U = U - learning_rate * dW[:, :1]  # (H, 1) against U's (H, D): broadcasts for D = 1
            W, V, b, c = W - learning_rate * dW, V - learning_rate * dV, b - learning_rate * db, c - learning_rate * dc
            b = b[:, None] if b.ndim == 1 else b  # b becomes (H, 1)
        return [U, W, V, b, c]

    text = fails_with("train_rnn", broadcast_update, "refused its arguments", "b has shape (4, 1) = (H, 1), not (H,) = (4,)")
    assert "There," in text


# --- 08: the GRU step --------------------------------------------------------------------------


def _gru(order=(0, 1, 2), cho=False, swap=False, untransposed=False, b_used=True, b_n_used=True):
    def fn(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        blocks = [slice(i * H, (i + 1) * H) for i in order]

        def part(i, h):
            Wi = W[blocks[i]] if untransposed else W[blocks[i]].T
            return x_t @ U[blocks[i]].T + (b[blocks[i]] if b_used else 0), h @ Wi

        sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
        r = sig(sum(part(0, h_prev)))
        z = sig(sum(part(1, h_prev)))
        bn = b_n if b_n_used else 0
        if cho:
            x_part, h_part = part(2, r * h_prev)
            n = np.tanh(x_part + h_part + bn)
        else:
            x_part, h_part = part(2, h_prev)
            n = np.tanh(x_part + r * (h_part + bn))
        return z * n + (1 - z) * h_prev if swap else (1 - z) * n + z * h_prev
    return fn


def test_gru_written_by_blocks_and_with_einsum_passes():
    assert verdict("gru_step", _gru()).passed

    def with_einsum(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        a = np.einsum("nd,kd->nk", x_t, U) + b
        s = np.einsum("nh,kh->nk", h_prev, W)
        r, z = (1 / (1 + np.exp(-(a[:, i * H:(i + 1) * H] + s[:, i * H:(i + 1) * H]))) for i in (0, 1))
        n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
        return n + z * (h_prev - n)

    assert verdict("gru_step", with_einsum).passed


@pytest.mark.parametrize(("wrong", "fragment"), [
    (_gru(swap=True), "z and 1 - z are swapped"),
    (_gru(cho=True), "the reset gate multiplies h_prev before the product"),
    (_gru(order=(1, 0, 2)), "the gates are taken in the wrong order"),
    (_gru(untransposed=True), "the square blocks of W are not transposed"),
    (_gru(b_used=False), "the biases b are missing"),
    (_gru(b_n_used=False), "the recurrent bias b_n is missing"),
])
def test_gru_slips_are_named(wrong, fragment):
    fails_with("gru_step", wrong, "FAIL: h_t is wrong: " + fragment)


def test_gru_messages_name_the_learners_line_shapes_and_in_place_changes():
    def untransposed_u(x_t, h_prev, U, W, b, b_n):
        return np.tanh(x_t @ U[:4] + h_prev)

    text = fails_with("gru_step", untransposed_u,
                      "numpy met a matrix product A @ B whose inner sizes do not match",
                      "in your line `return np.tanh(x_t @ U[:4] + h_prev)`")
    assert "matmul" not in text

    def in_place(x_t, h_prev, U, W, b, b_n):
        h_prev *= 0.5
        return _gru()(x_t, h_prev, U, W, b, b_n)

    fails_with("gru_step", in_place, "changed its input h_prev in place")
    fails_with("gru_step", lambda *a: _gru()(*a).T, "h_t has shape (4, 3) = (H, N), expected (N, H) = (3, 4): that is its transpose")


def test_gru_messages_print_bounds_not_digits():
    text = fails_with("gru_step", lambda *a: _gru()(*a) + 0.01, "relative error above 1e-03 (must be < 1e-10)")
    assert "e-0" not in text.replace("above 1e-03", "")
    text = fails_with("gru_step", lambda *a: _gru()(*a) * 1.01, "times the same factor, one number, not a simple fraction")
    assert "1.01" not in text


# --- correct implementations in other styles still pass -----------------------------------------


def _loop_step(x_t, h_prev, U, W, b):
    out = np.empty((x_t.shape[0], W.shape[0]))
    for n in range(x_t.shape[0]):
        out[n] = np.tanh(U @ x_t[n] + W @ h_prev[n] + b)
    return out


def _einsum_bptt(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = np.einsum("no,oh->nh", dY_hat, V)
    grads = [np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])]
    for t in reversed(range(T - k + 1, T + 1)):
        delta = g * (1 - states[t]) * (1 + states[t])
        grads[0] += np.einsum("nh,nd->hd", delta, X[:, t - 1])
        grads[1] += np.einsum("nh,ng->hg", delta, states[t - 1])
        grads[2] += delta.sum(axis=0)
        g = np.einsum("nh,hg->ng", delta, W)
    return grads[0], grads[1], np.einsum("no,nh->oh", dY_hat, states[T]), grads[2], dY_hat.sum(axis=0)


@pytest.mark.parametrize(("name", "fn"), [
    ("make_windows", lambda s, T: (np.lib.stride_tricks.sliding_window_view(s, T, axis=0)[:-1].transpose(0, 2, 1).copy(), s[T:].copy())),
    ("make_windows", lambda s, T: (np.array([s[i:i + T] for i in range(len(s) - T)]), np.array([s[i + T] for i in range(len(s) - T)]))),
    ("forward_step", _loop_step),
    ("forward_step", lambda x, h, U, W, b: np.tanh(np.einsum("nd,hd->nh", x, U) + np.einsum("nk,hk->nh", h, W) + b)),
    ("forward_step", lambda x, h, U, W, b: 2 / (1 + np.exp(-2 * (x @ U.T + h @ W.T + b))) - 1),
    ("rnn_forward", _forward(_loop_step)),
    ("mse_loss", lambda Yh, Y: (0.5 * np.mean(np.sum((Yh - Y) ** 2, axis=1)), (Yh - Y) / Y.shape[0])),
    ("mse_loss", lambda Yh, Y: (float(np.einsum("no,no->", Yh - Y, Yh - Y)) / (2 * len(Y)), np.subtract(Yh, Y) / len(Y))),
    ("backward_step", lambda dh, h, hp, x, W: (lambda d: (d, np.einsum("nh,hk->nk", d, W), np.einsum("nh,nd->hd", d, x), np.einsum("nh,nk->hk", d, hp), np.einsum("nh->h", d)))(dh - dh * h * h)),
    ("bptt", _einsum_bptt),
    ("numerical_gradient", _central()),
    ("clip_gradients", lambda grads, c: [g * min(1.0, c / np.sqrt(sum(float(np.vdot(a, a)) for a in grads))) if any(np.any(a) for a in grads) else g.copy() for g in grads]),
    ("clip_gradients", lambda grads, c: (lambda n: [g / max(1.0, n / c) for g in grads])(np.linalg.norm(np.concatenate([a.ravel() for a in grads])))),
    ("train_rnn", _train(clip=lambda gs, c: (lambda n: [g * (c / n) if n > c else g for g in gs])(np.sqrt(sum(np.sum(g * g) for g in gs))))),
])
def test_correct_answers_in_other_styles_pass(name, fn):
    v = verdict(name, fn)
    assert v.passed, v.text


def test_slips_that_give_the_same_values_are_listed_and_none_is_claimed():
    # with k = 3 and N = 3, dividing the shares by k or by N gives the same numbers
    text = fails_with("bptt", _bptt(average=True), "in the way of one of these slips, which give the same values here",
                      "(1) the shares are averaged over the steps", "(2) the shares are divided by N")
    assert text.count("FAIL") == 1


def test_a_list_of_arrays_of_different_shapes_made_into_one_array_is_explained():
    def norm_of_the_list(grads, c):
        n = np.linalg.norm(grads)
        return [g * min(1.0, c / n) for g in grads]

    fails_with("clip_gradients", norm_of_the_list, "numpy could not make one array of arrays of different shapes in your line `n = np.linalg.norm(grads)`",
               "sum(np.sum(g**2) for g in grads)")


def test_states_of_different_shapes_are_named_from_the_learners_list():
    fails_with("rnn_forward", _forward(sol.forward_step, h0=lambda n, h: np.zeros(h)),
               "np.stack (or np.array) met arrays of different shapes",
               "your list states holds arrays of shapes (4,) = (H,) and (3, 4) = (N, H)")


def test_a_flattened_result_with_the_right_values_is_said_so():
    fails_with("mse_loss", lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (2 * len(Y)), ((Yh - Y) / len(Y)).ravel()),
               "dY_hat has shape (15,), expected (N, O) = (5, 3): it holds the right values, flattened or reshaped")


def test_a_slip_that_equals_the_right_answer_on_these_inputs_is_never_named():
    # where clipping must act, "scaled although below the threshold" gives the right answer:
    # an answer a hair off (an eps in the division) must not be told it scaled needlessly
    def guarded(grads, c):
        n = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * min(1.0, c / (n + 1e-6)) for g in grads]

    text = fails_with("clip_gradients", guarded, "a small number is added to the norm (norm + 1e-06)")
    assert "below the threshold" not in text


# --- more slips that learners make (found with benchmarks/bench_checkers.py) ---------------------


def test_outputs_returned_in_another_order_are_named():
    fails_with("rnn_forward", lambda *a: sol.rnn_forward(*a)[::-1],
               "returns the right values in another order (states, Y_hat): return Y_hat, states")
    fails_with("make_windows", lambda s, T: sol.make_windows(s, T)[::-1],
               "returns the right values in another order (Y, X): return X, Y")


def test_integer_results_are_named():
    def int_buffer(series, T):
        X = np.zeros((len(series) - T, T, series.shape[1]), dtype=int)
        for i in range(len(X)):
            X[i] = series[i:i + T]
        return X, series[T:]

    fails_with("make_windows", int_buffer, "X holds integers (int64)")


def test_the_first_record_only_is_named():
    fails_with("forward_step", lambda *a: sol.forward_step(*a)[0],
               "h_t has shape (4,) = (H,), expected (N, H) = (3, 4): it holds the first record's values only")


def test_a_call_without_one_of_its_arguments_is_named():
    def no_k(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
        return list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V))

    fails_with("train_rnn", no_k, "calls a function without its argument 'k'")


def test_concatenating_arrays_of_different_shapes_is_explained():
    fails_with("clip_gradients", lambda grads, c: [g * min(1.0, c / np.linalg.norm(np.concatenate(grads))) for g in grads],
               "np.concatenate met arrays of different shapes", "g.ravel()")


@pytest.mark.parametrize(("piece", "wrong", "fragment"), [
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + b) + np.tanh(h @ W.T), "there are two tanh"),
    ("rnn_forward", _forward(lambda x, h, U, W, b: np.tanh(sol.forward_step(x, h, U, W, b))), "the tanh is applied twice"),
    ("rnn_forward", lambda *a: (sol.rnn_forward(*a)[1][1:].mean(axis=0) @ a[3].T + a[5], sol.rnn_forward(*a)[1]),
     "read from the mean of the states"),
    ("make_windows", lambda s, T: (np.stack([s[i:i + T - 1] for i in range(len(s) - T)]), s[T:]), "each window holds T - 1 values"),
    ("make_windows", lambda s, T: (sol.make_windows(s, T)[0][:, ::-1], s[T:]), "each window runs backwards in time"),
    ("mse_loss", lambda Yh, Y: (np.sum(np.abs(Yh - Y)) / len(Y), (Yh - Y) / len(Y)), "it is the mean absolute error (MAE)"),
    ("mse_loss", lambda Yh, Y: ((Yh - Y).T @ (Yh - Y) / (2 * len(Y)), (Yh - Y) / len(Y)), "diff.T @ diff is an (O, O) matrix"),
    ("backward_step", _delta_variant(lambda dh, h, hp: dh / (1 - h**2)), "it divides by tanh'"),
    ("clip_gradients", lambda grads, c: [g * min(1.0, c / max(np.abs(a).max() for a in grads)) for g in grads],
     "the norm is the largest absolute value"),
    ("clip_gradients", lambda grads, c: [g * min(1.0, c / sum(np.abs(a).sum() for a in grads)) for g in grads],
     "an L1 norm"),
    ("gru_step", lambda x, h, U, W, b, bn: _gru_no_reset(x, h, U, W, b, bn),
     "the reset gate is missing"),
])
def test_more_slips_are_named(piece, wrong, fragment):
    fails_with(piece, wrong, fragment)


def _gru_no_reset(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    z = 1 / (1 + np.exp(-(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])))
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + h_prev @ W[2 * H:].T + b_n)
    return (1 - z) * n + z * h_prev


def test_numerical_gradient_without_brackets_around_two_eps():
    fails_with("numerical_gradient", _no_brackets, "write the brackets, / (2 * eps)")


def _no_brackets(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        plus = f()
        x[i] = saved - eps
        grad[i] = (plus - f()) / 2 * eps
        x[i] = saved
    return grad


def test_bptt_with_tanh_prime_twice_at_the_last_step():
    def twice(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        g = (dY_hat @ V) * (1 - states[T] ** 2)
        dU = dW = db = 0
        for t in range(T, T - k, -1):
            _, g, a, bb, cc = sol.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
            dU, dW, db = dU + a, dW + bb, db + cc
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    fails_with("bptt", twice, "tanh' is applied twice at the last step")


def test_a_parameter_left_out_of_the_update_is_named():
    def no_w(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
            grads = sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)
            dU, _, dV, db, dc = sol.my.clip_gradients(list(grads), threshold)
            U, V, b, c = U - learning_rate * dU, V - learning_rate * dV, b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    fails_with("train_rnn", no_w, "W did not change at all")


@pytest.mark.parametrize(("wrong", "fragment"), [
    (lambda *a: _gru_variant(*a, b_n_after=True), "b_n is added after the tanh"),
    (lambda *a: _gru_variant(*a, one_block=True), "every gate uses the first block"),
])
def test_more_gru_slips_are_named(wrong, fragment):
    fails_with("gru_step", wrong, fragment)


def _gru_variant(x_t, h_prev, U, W, b, b_n, b_n_after=False, one_block=False):
    H = h_prev.shape[1]
    rows = [slice(0, H)] * 3 if one_block else [slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)]
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    r = sig(x_t @ U[rows[0]].T + h_prev @ W[rows[0]].T + b[:H])
    z = sig(x_t @ U[rows[1]].T + h_prev @ W[rows[1]].T + b[H:2 * H])
    if b_n_after:
        n = np.tanh(x_t @ U[rows[2]].T + b[2 * H:] + r * (h_prev @ W[rows[2]].T)) + b_n
    else:
        n = np.tanh(x_t @ U[rows[2]].T + b[2 * H:] + r * (h_prev @ W[rows[2]].T + b_n))
    return (1 - z) * n + z * h_prev


def test_generic_messages_say_what_was_observed():
    text = fails_with("rnn_forward", _forward(lambda x, h, U, W, b: sol.forward_step(x, h, U, W, b) * (1 + (h != 0).any())),
                      "states has the right shape but wrong values", "states[0] .. states[1] are right; states[2] is the first that is not")
    assert "is wrong:" not in text
    fails_with("bptt", lambda *a: (*sol.bptt(*a)[:2], sol.bptt(*a)[2] + 0.5, *sol.bptt(*a)[3:]),
               "dV has the right shape but wrong values", "dU, dW, db and dc are right")


@pytest.mark.parametrize(("piece", "wrong", "fragment"), [
    ("bptt", lambda *a: (*sol.bptt(*a)[:2], 2 * sol.bptt(*a)[2], *sol.bptt(*a)[3:]), "dV is wrong with k = 3 of T = 6 steps: every value is the right one times the same factor, 2"),
    ("mse_loss", lambda Yh, Y: (np.sum((Yh - Y) ** 2) / (2 * len(Y)), (Yh - Y) / (7 * len(Y))), "dY_hat is wrong: every value is the right one times the same factor, 1/7"),
    ("clip_gradients", lambda grads, c: [g * min(1.0, c / np.sqrt(sum(np.sum(a**2) for a in grads))) ** 3 for g in grads], "the same factor, one number, not a simple fraction"),
    ("numerical_gradient", lambda f, x, eps=1e-6: 3 * sol.numerical_gradient(f, x, eps), "your gradient is wrong: every value is the right one times the same factor, 3"),
])
def test_a_result_off_by_one_constant_factor_is_said_so(piece, wrong, fragment):
    text = fails_with(piece, wrong)
    if fragment:
        assert fragment in text, text


def test_a_shape_hint_is_given_only_when_the_values_confirm_it():
    # a (D, H) dU_t that is not the transpose of the right one: the shape alone proves nothing
    text = fails_with("backward_step", _step_with(2, lambda o, i: i[3].T @ (o[0] ** 2)),
                      "dU_t has shape (2, 4) = (D, H), expected (H, D) = (4, 2)")
    assert "transpose" not in text
    text = fails_with("backward_step", _step_with(4, lambda o, i: o[0].max(axis=1)),
                      "db_t has shape (3,) = (N,), expected (H,) = (4,)")
    assert "summed over the units" not in text
    text = fails_with("forward_step", lambda *a: np.ones((4, 3)), "h_t has shape (4, 3) = (H, N)")
    assert "transpose" not in text


def test_a_wrong_answer_is_localized_by_running_it_on_special_inputs():
    text = fails_with("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + 0.5 * b),
                      "h_t has the right shape but wrong values", "it is right with b = 0; wrong with h_prev = 0")

    def overwritten(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        dU = dW = db = 0
        g = dY_hat @ V
        for t in range(T, T - k, -1):
            delta = g * (1 - states[t] ** 2)
            dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], delta.sum(0)
            g = delta @ W
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)

    fails_with("bptt", overwritten, "It is right with k = 1 (one step); wrong with W = 0")

    def momentum(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        velocity = [0.0] * 5
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
            grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)), threshold)
            velocity = [0.7 * v + g for v, g in zip(velocity, grads, strict=True)]
            U, W, V, b, c = (p - learning_rate * v for p, v in zip((U, W, V, b, c), velocity, strict=True))
        return [U, W, V, b, c]

    fails_with("train_rnn", momentum, "It is right with epochs = 1")

    def candidate_only(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        a, s = x_t @ U.T + b, h_prev @ W.T
        r = 1 / (1 + np.exp(-(a[:, :H] + s[:, :H])))
        z = 1 / (1 + np.exp(-(a[:, H:2 * H] + s[:, H:2 * H])))
        return (1 - z) * np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n)) + z * h_prev * 0.5

    fails_with("gru_step", candidate_only, "it is right with z close to 0 (b_z = -30: h_t is the candidate n), with h_prev = 0; wrong with z close to 1")
    assert "It is right" not in text.split("\n")[0]


def test_no_localization_when_no_special_input_comes_out_right():
    text = fails_with("forward_step", lambda x, h, U, W, b: np.tanh(np.tanh(x @ U.T + h @ W.T + b)))
    assert "It is right" not in text


def test_what_the_special_inputs_show_is_said_in_the_course_terms():
    fails_with("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + 3 * b),
               "it is right with b = 0", "so the bias b is what goes wrong")

    def replaces(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
            grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)), threshold)
            U, W, V, b, c = (p - learning_rate * g - 0.01 for p, g in zip((U, W, V, b, c), grads, strict=True))
        return [U, W, V, b, c]

    fails_with("train_rnn", replaces, "with learning_rate = 0 nothing may change, but your parameters do")

    def candidate_wrong(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        a, s = x_t @ U.T + b, h_prev @ W.T
        r = 1 / (1 + np.exp(-(a[:, :H] + s[:, :H])))
        z = 1 / (1 + np.exp(-(a[:, H:2 * H] + s[:, H:2 * H])))
        n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + 2 * b_n))  # b_n doubled
        return (1 - z) * n + z * h_prev

    fails_with("gru_step", candidate_wrong, "so what goes wrong is the reset gate's part of the candidate")


def test_a_special_input_on_which_the_function_raises_proves_nothing():
    def clips_at_the_rate(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
            grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)), learning_rate)
            U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
        return [U, W, V, b, c]

    text = fails_with("train_rnn", clips_at_the_rate)
    assert "nothing may change, but" not in text


def test_a_wrong_read_out_alone_is_not_blamed_on_the_steps():
    def readout_over_the_window(dY_hat, X, states, W, V, k):
        dU, dW, _, db, dc = sol.bptt(dY_hat, X, states, W, V, k)
        T = X.shape[1]
        return dU, dW, sum(dY_hat.T @ states[t] for t in range(T, T - k, -1)), db, dc

    text = fails_with("bptt", readout_over_the_window,
                      "dV is wrong with k = 3 of T = 6 steps: dV = dY_hat.T @ h_T: only the last state is read out, not every state of the window")
    assert "how the steps combine" not in text and "It is right" not in text


def test_the_gru_conclusion_where_both_gates_are_wrong_names_both():
    def b_n_in_the_gates(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        a, s = x_t @ U.T + b, h_prev @ W.T
        r = 1 / (1 + np.exp(-(a[:, :H] + s[:, :H] + 0.5 * b_n)))
        z = 1 / (1 + np.exp(-(a[:, H:2 * H] + s[:, H:2 * H] + 0.5 * b_n)))
        n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
        return (1 - z) * n + z * h_prev

    text = fails_with("gru_step", b_n_in_the_gates, "so both gates go wrong: look at z = sigmoid(", "; and at r = sigmoid(")
    assert "so z is what goes wrong" not in text


# --- the slips named in session 6 (found with set s6 of benchmarks/bench_checkers.py) -------------
# Each is written here anew, as a learner would, and fed to its checker; the message must name it.


def _sig(a):
    return 1 / (1 + np.exp(-a))


def _windows(series, T, start=0, source=None):
    s = series if source is None else source
    N = len(series) - T
    return np.stack([s[i + start:i + start + T] for i in range(N)])


def _forward6(X, U, W, V, b, c, step=None, read=None, h0=None, store=None):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0])) if h0 is None else h0
    states = [h]
    for t in range(T):
        x = X[:, t] if read is None else X[:, read(t)]
        h = np.tanh(x @ U.T + h @ W.T + b) if step is None else step(t, x, h)
        states.append(h)
    states = np.stack(states) if store is None else store(states)
    return states[-1] @ V.T + c if store is None else states[0] @ V.T + c, states


def _loss(dY=None, L=None):
    def mse(Y_hat, Y):
        d, N = Y_hat - Y, len(Y)
        return (np.sum(d**2) / (2 * N) if L is None else L(d, N, Y_hat, Y),
                d / N if dY is None else dY(d, N, Y_hat, Y))
    return mse


def _step_back(delta=None, dh_prev=None, dU=None, dW=None, db=None):
    def step(dh_t, h_t, h_prev, x_t, W):
        d = dh_t * (1 - h_t**2) if delta is None else delta(dh_t, h_t, h_prev)
        return (d, d @ W if dh_prev is None else dh_prev(d, dh_t, h_t, W),
                d.T @ x_t if dU is None else dU(d, x_t, h_prev),
                d.T @ h_prev if dW is None else dW(d, x_t, h_prev),
                d.sum(axis=0) if db is None else db(d))
    return step


def _bptt_by(steps=None, g0=None, back=None, shares=None, dV=None, dc=None, keep=None):
    def bptt(dY_hat, X, states, W, V, k):
        T = X.shape[1]
        ts = range(T, T - k, -1) if steps is None else steps(T, k)
        g = dY_hat @ V if g0 is None else g0(dY_hat, V)
        dU, dW, db = 0.0, 0.0, 0.0
        for t in ts:
            delta = g * (1 - states[t] ** 2)
            u, w, bb = (delta.T @ X[:, t - 1], delta.T @ states[t - 1], delta.sum(0)) \
                if shares is None else shares(delta, X, states, t)
            if keep is None:
                dU, dW, db = dU + u, dW + w, db + bb
            else:
                dU, dW, db = keep(dU, dW, db, u, w, bb, t, T)
            g = delta @ W if back is None else back(delta, W, states, t)
        dU = dU + np.zeros((W.shape[0], X.shape[2]))
        dW, db = dW + np.zeros_like(W), db + np.zeros(W.shape[0])
        return (dU, dW, dY_hat.T @ states[T] if dV is None else dV(dY_hat, states, T, k), db,
                dY_hat.sum(0) if dc is None else dc(dY_hat, T))
    return bptt


def _central6(f, x, eps, move=None, combine=None):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        up_at, down_at = (old + eps, old - eps) if move is None else move(old, eps)
        x[i] = up_at
        up = f()
        x[i] = down_at
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps) if combine is None else combine(up, down, eps)
    return g


def _norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads))


def _clip_by(factor):
    def clip(grads, threshold):
        n = _norm(grads)
        return [g * factor(n, threshold, g, grads) for g in grads]
    return clip


def _train_by(update=None, k_used=None, X_used=None, clip_at=None, clip_when=None, forward_once=False,
              cast=None):
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params if cast is None else [cast(p) for p in params]
        velocity = [0.0] * 5
        first = sol.my.rnn_forward(X, U, W, V, b, c) if forward_once else None
        for epoch in range(epochs):
            Xe = X if X_used is None else X_used(X, k)
            Y_hat, states = first if forward_once else sol.my.rnn_forward(Xe, U, W, V, b, c)
            grads = list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], Xe, states, W, V,
                                     k if k_used is None else k_used(k)))
            if clip_when is None or clip_when(epoch):
                grads = sol.my.clip_gradients(grads, threshold if clip_at is None else clip_at(
                    threshold, learning_rate))
            new = []
            for i, (p, g) in enumerate(zip((U, W, V, b, c), grads, strict=True)):
                if update is None:
                    new.append(p - learning_rate * g)
                else:
                    new.append(update(i, p, g, learning_rate, epoch, velocity))
            U, W, V, b, c = new
        return [U, W, V, b, c]
    return train


def _gru_by(gate=_sig, cand=np.tanh, mix=None, r_of=None, z_of=None, n_of=None, H_from=None):
    def gru(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1] if H_from is None else H_from(U)
        a, s = x_t @ U.T + b, h_prev @ W.T
        r = gate(a[:, :H] + s[:, :H]) if r_of is None else r_of(a, s, H, b_n, gate)
        z = gate(a[:, H:2 * H] + s[:, H:2 * H]) if z_of is None else z_of(a, s, H, b_n, gate,
                                                                            x_t, U, b, h_prev, W)
        n = cand(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n)) if n_of is None else \
            n_of(a, s, r, H, b_n, h_prev, W, cand)
        return (1 - z) * n + z * h_prev if mix is None else mix(z, n, h_prev)
    return gru


def _no_return(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)


def _uses_fixed_T(series, T):
    N = len(series) - 50
    return np.array([series[i:i + 50] for i in range(max(N, 0))]), series[50:]


def _calls_f_with_x(f, x, eps=1e-6):
    return _central6(lambda: f(x), x, eps)


def _step_args_swapped(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = sol.my.forward_step(X[:, t], h, W, U, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


def _loss_args_swapped(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = sol.my.mse_loss(Y, Y_hat)
        grads = sol.my.clip_gradients(list(sol.my.bptt(dY_hat, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


def _nan_first_state(X, U, W, V, b, c):
    Y_hat, states = sol.rnn_forward(X, U, W, V, b, c)
    out = np.empty_like(states)
    out[0] = np.nan
    out[1:] = states[1:]
    return Y_hat, out


def _any_array_too_long(grads, threshold):
    n = _norm(grads)
    if any(np.linalg.norm(g) > threshold for g in grads):
        return [g * (threshold / n) for g in grads]
    return [g.copy() for g in grads]


SESSION_6_SLIPS = [
    # 01 make_windows
    ("make_windows", _uses_fixed_T, "X holds no windows (shape (0,))"),
    ("make_windows", lambda s, T: (np.lib.stride_tricks.sliding_window_view(s, T, axis=0)[:len(s) - T]
                                   .reshape(len(s) - T, T, s.shape[1]), s[T:]),
     "the windows were reshaped from (N, D, T) to (N, T, D)"),
    ("make_windows", lambda s, T: (_windows(s, T), _windows(s, T, start=1)), "each target is a whole window"),
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] for i in range(s.shape[1] - T)]), s[T:]),
     "np.stack (or np.concatenate) got an empty list"),
    ("make_windows", lambda s, T: (_windows(s, T, start=1), s[T:]), "window i starts one step late, at series[i + 1]"),
    ("make_windows", lambda s, T: (_windows(s, T, source=s[::-1]), s[T:]), "cut from the reversed series"),
    ("make_windows", lambda s, T: (_windows(s, T, source=(s - s.mean(0)) / s.std(0)), s[T:]), "the windows are standardized"),
    ("make_windows", lambda s, T: (_windows(s, T, source=s / np.abs(s).max(0)), s[T:]), "the windows are scaled"),
    ("make_windows", lambda s, T: (_windows(s, T), np.repeat(s[T:T + 1], len(s) - T, 0)), "every record has the same target, series[T]"),
    ("make_windows", lambda s, T: (_windows(s, T), s[T:] - s[T - 1:-1]), "the targets are differences"),
    ("make_windows", lambda s, T: (_windows(s, T)[::2], s[T:][::2]), "every second window only"),
    ("make_windows", lambda s, T: (s[:len(s) - T], s[T:]), "X holds one value per record, series[i], not a window"),
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] for i in range(len(s) - T)], axis=1), s[T:]),
     "the windows are stacked along axis 1 (time first)"),
    # 02 forward_step
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T - h @ W.T + b), "the state's part is subtracted"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b.sum()), "b.sum() adds one number to every unit"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h[0] @ W.T + b), "h_prev[0] is the first record's state only"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + b + h @ W.T + b), "b is added twice"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + np.tanh(h) @ W.T + b), "h_prev is already a state"),
    ("forward_step", lambda x, h, U, W, b: np.mean(np.tanh(x @ U.T + h @ W.T + b), axis=0), "it is averaged over the records"),
    ("forward_step", lambda x, h, U, W, b: np.sum(np.tanh(x @ U.T + h @ W.T + b), axis=0), "it is summed over the records"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T - b), "the bias b is subtracted"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T) * np.tanh(h @ W.T + b), "the two parts are multiplied"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(np.tanh(x @ U.T + h @ W.T + b)), "the tanh is applied twice"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b[0]), "only b[0], the first unit's bias"),
    ("forward_step", lambda x, h, U, W, b: np.round(np.tanh(x @ U.T + h @ W.T + b), 3), "rounded to 3 decimals"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + b) @ W.T, "W is applied after the tanh"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T) + np.tanh(h @ W.T) + b,
     "the tanh is applied to each part separately and b is added outside"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(np.einsum("nd,dh->nh", x, U) + h @ W.T + b),
     "np.einsum's subscripts do not fit the shapes"),
    # 02 rnn_forward
    ("rnn_forward", lambda *a: _forward6(*a, read=lambda t: t - 1), "step 1 reads X[:, -1], the last input"),
    ("rnn_forward", lambda X, U, W, V, b, c: (sol.rnn_forward(X, U, W, V, b, c)[1].sum(0) @ V.T + c,
                                              sol.rnn_forward(X, U, W, V, b, c)[1]),
     "the prediction is read from the sum of the states"),
    ("rnn_forward", lambda X, U, W, V, b, c: (sol.rnn_forward(X, U, W, V, b, c)[0],
                                              np.concatenate([sol.rnn_forward(X, U, W, V, b, c)[1][:1],
                                                              sol.rnn_forward(X, U, W, V, b, c)[1][:-1]])),
     "each state is stored one slot late"),
    ("rnn_forward", lambda X, U, W, V, b, c: _forward6(X, U, W, V, b, c, step=lambda t, x, h: np.tanh(
        x @ U.T + h @ W.T + (b if t == 0 else 0.0))), "b is added at the first step only"),
    ("rnn_forward", lambda X, U, W, V, b, c: _forward6(X, U, W, V, b, c, step=lambda t, x, h: np.tanh(
        x @ U.T + h @ W.T + b + c)), "the output bias c is added in every step"),
    ("rnn_forward", lambda *a: _forward6(*a, store=lambda s: np.stack(s[::-1])), "the states are stored newest first"),
    ("rnn_forward", _nan_first_state, "states[0] holds NaN or garbage (np.empty"),
    ("rnn_forward", _step_args_swapped, "passes W where it expects U; U where it expects W, in the order of "
                                        "forward_step(x_t, h_prev, U, W, b)"),
    # 03 mse_loss
    ("mse_loss", _loss(L=lambda d, N, *_: np.sum(d**2) / (2 * N * N)), "L is wrong: divided by N twice"),
    ("mse_loss", _loss(dY=lambda d, N, *_: d / N**2), "dY_hat is wrong: divided by N twice"),
    ("mse_loss", _loss(L=lambda d, N, Yh, Y: np.sum(d**2) / (2 * Y.shape[1])), "you divided by the number of outputs O"),
    ("mse_loss", _loss(dY=lambda d, N, *_: -2 * d / N), "the sign is wrong and the 2 of the square should cancel"),
    ("mse_loss", _loss(dY=lambda d, N, *_: d**2 / N), "are the loss's terms, not their derivative"),
    ("mse_loss", _loss(dY=lambda d, N, Yh, Y: (Yh - Y.mean()) / N), "it uses the mean target Y.mean()"),
    ("mse_loss", _loss(dY=lambda d, N, *_: d.mean(axis=0)), "dY_hat has shape (3,) = (O,), expected (N, O) = (5, 3): it is averaged over the records"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.sum(d) ** 2 / (2 * N)), "the square of the sum of the differences"),
    ("mse_loss", _loss(L=lambda d, N, Yh, Y: np.sum(Yh**2 - Y**2) / (2 * N)), "the difference of the squares"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.linalg.norm(d) / (2 * N)), "it uses np.linalg.norm(Y_hat - Y)"),
    ("mse_loss", _loss(L=lambda d, N, *_: float(np.sum(d**2)) // (2 * N)), "it is a whole number, the right L rounded down"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.sum(d**2, axis=0, keepdims=True) / (2 * N)),
     "you summed over the records only (axis 0, keepdims=True)"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.sum(d**2) / 2 * N), "write the brackets, sum((Y_hat - Y)**2) / (2 * N)"),
    # 03 backward_step
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh * (1 + h**2)), "not 1 + h_t**2"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh * (1 - h)), "the factor is 1 - h_t"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh * (h**2 - 1)), "the sign is wrong: tanh'(a_t) = 1 - h_t**2, not h_t**2 - 1"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh * (1 - h) * (1 + hp)), "the derivative mixes h_t and h_prev"),
    ("backward_step", _step_back(dh_prev=lambda d, dh, h, W: d @ W + dh), "dh_t is added to dh_prev"),
    ("backward_step", _step_back(dh_prev=lambda d, dh, h, W: (dh @ W) * (1 - h**2)),
     "the derivative is applied after the product with W"),
    ("backward_step", _step_back(dU=lambda d, x, hp: np.outer(d[-1], x[-1])), "only the last record's share is kept"),
    ("backward_step", _step_back(dW=lambda d, x, hp: np.outer(d[0], hp[0])), "dW_t is wrong: only the first record's share is kept"),
    ("backward_step", _step_back(dU=lambda d, x, hp: np.outer(d.sum(0), x.sum(0))),
     "the outer product of the sums over the records is not the sum"),
    ("backward_step", _step_back(dW=lambda d, x, hp: d.T @ x), "dW_t has shape (4, 2) = (H, D), expected (H, H) = (4, 4): it uses x_t"),
    ("backward_step", _step_back(dW=lambda d, x, hp: d @ hp.T), "it is delta_t @ h_prev.T, one value per pair of records"),
    ("backward_step", _step_back(dU=lambda d, x, hp: d.T @ hp), "dU_t has shape (4, 4) = (H, H), expected (H, D) = (4, 2): it uses h_prev"),
    ("backward_step", _step_back(dh_prev=lambda d, dh, h, W: d.sum(0) @ W), "the error was summed over the records before it passed back"),
    # 03 bptt
    ("bptt", _bptt_by(steps=lambda T, k: range(k, 0, -1)), "the k steps are the first ones, t = k .. 1"),
    ("bptt", _bptt_by(back=lambda d, W, s, t: (d @ W) * (1 - s[t - 1] ** 2)), "tanh' is applied twice: the error passed back"),
    ("bptt", _bptt_by(shares=lambda d, X, s, t: (d.T @ X[:, t - 1], d.T @ s[t], d.sum(0)),
                      back=lambda d, W, s, t: d @ W), "dW's shares use h_t"),
    ("bptt", _bptt_by(g0=lambda dY, V: dY + 0.0 * V.sum()), "the error entering h_T is dY_hat itself"),
    ("bptt", _bptt_by(steps=lambda T, k: range(T, k, -1)), "your loop ran no step"),
    ("bptt", _bptt_by(dV=lambda dY, s, T, k: sum(dY.T @ s[t] for t in range(T, T - k, -1))),
     "only the last state is read out, not every state of the window"),
    ("bptt", _bptt_by(dV=lambda dY, s, T, k: dY.T @ s[T] / len(dY)), "dV is divided by N"),
    ("bptt", _bptt_by(dc=lambda dY, T: dY.sum(0) / T), "dc is divided by T"),
    ("bptt", _bptt_by(dc=lambda dY, T: dY.sum(1)), "dc has shape (3,) = (N,), expected (O,) = (1,): you summed over the outputs"),
    ("bptt", _bptt_by(keep=lambda dU, dW, db, u, w, bb, t, T: (dU + u, dW + (w if t < T else 0.0), db + bb)),
     "dW leaves out the share of step T, the last"),
    ("bptt", _bptt_by(shares=lambda d, X, s, t: (d.T @ X[:, t - 2], d.T @ s[t - 1], d.sum(0))),
     "step t's share of dU reads X[:, t - 2]"),
    ("bptt", _bptt_by(keep=lambda dU, dW, db, u, w, bb, t, T: (u, dW + w, db + bb)), "dU keeps only one step's share"),
    # 03 numerical_gradient
    ("numerical_gradient", _calls_f_with_x, "gives f an argument, but f takes no argument"),
    ("numerical_gradient", lambda f, x, eps=1e-6: np.abs(sol.numerical_gradient(f, x, eps)), "abs(...) drops the sign"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, combine=lambda u, d, e: (u + d) / (2 * e)),
     "the two values are added"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, combine=lambda u, d, e: (u - d) / (e / 2)),
     "four times the gradient: it divides by eps / 2"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, combine=lambda u, d, e: (d - u) / (2 * e)),
     "the sign is wrong: (f(x + eps) - f(x - eps)) / (2 eps)"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, move=lambda o, e: (o * (1 + e), o * (1 - e))),
     "x is moved by a relative amount, x * (1 + eps)"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, move=lambda o, e: (o + e * abs(o), o - e * abs(o))),
     "x is moved by a relative amount, eps * abs(x)"),
    ("numerical_gradient", lambda f, x, eps=1e-6: sol.numerical_gradient(f, x, eps) / np.linalg.norm(
        sol.numerical_gradient(f, x, eps)), "the gradient is divided by its norm"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps / 2),
     "the central difference with a step of eps / 2"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, combine=lambda u, d, e: (u - d) / 2e-6),
     "it divides by a fixed 2e-6"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, move=lambda o, e: (o + e, o + e)),
     "f() was never called with x moved down (x - eps)"),
    ("numerical_gradient", _no_return, "it has no return statement"),
    # 04 clip_gradients
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / (n / len(gs)))), "the norm is divided by the number of arrays"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / np.sqrt(sum(np.mean(a**2) for a in gs)))),
     "the norm uses np.mean of the squares"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: c // n if n > c else 1.0), "a floor division"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / n) ** 2), "the factor is squared"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / _norm(gs[:3]))), "the norm uses only the first 3 arrays"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: np.sqrt(min(1.0, c / n))), "the factor is the square root of threshold / norm"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / np.sqrt(sum(np.linalg.norm(a) for a in gs)))),
     "the square root of the sum of the arrays' norms"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: c if n > c else 1.0), "every array is multiplied by the threshold"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / (n + 1e-8))), "a small number is added to the norm (norm + 1e-08)"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / len(gs) / np.linalg.norm(g))),
     "clipped by its own norm to threshold / len(grads)"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: c / np.linalg.norm(g) if n > c else 1.0),
     "each array was scaled to the threshold by its own norm"),
    ("clip_gradients", lambda gs, c: [g * min(1.0, c / _norm(gs)) for g in gs[:-1]] + [gs[-1].copy()],
     "array 4 (dc) is left unscaled"),
    ("clip_gradients", _any_array_too_long, "no single array's own norm does here: the test must use the global norm"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: max(1.0, c / n)), "and scaled UP when it is below"),
    # 05 train_rnn
    ("train_rnn", _train_by(forward_once=True), "the forward pass is run once, before the loop"),
    ("train_rnn", _train_by(cast=lambda p: p.astype(np.float32)), "the parameters were rounded to float32"),
    ("train_rnn", _train_by(clip_at=lambda c, lr: lr), "the gradients are clipped at the learning rate"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: _momentum(i, p, g, lr, v)),
     "gradient descent with momentum (0.9)"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: p - lr * 0.9**e * g), "the learning rate changes from epoch to epoch"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: -lr * g), "the parameters are replaced by -learning_rate * g"),
    ("train_rnn", _train_by(clip_when=lambda e: e == 0), "the gradients are clipped in the first epoch only"),
    ("train_rnn", _train_by(k_used=lambda k: k + 1), "BPTT runs with k + 1 steps"),
    ("train_rnn", _train_by(k_used=lambda k: k - 1), "BPTT runs with k - 1 steps"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: p + lr * g if i == 2 else p - lr * g), "V goes uphill"),
    ("train_rnn", _train_by(X_used=lambda X, k: X[:, -k:]), "the forward pass sees only the last k inputs"),
    ("train_rnn", _loss_args_swapped, "passes Y where it expects Y_hat; Y_hat where it expects Y, in the order of "
                                      "mse_loss(Y_hat, Y)"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: p - lr * (g + 1e-4 * p)), "shrinks each parameter by a multiple of itself (weight decay"),
    # 08 gru_step
    ("gru_step", _gru_by(gate=lambda a: _sig(a).astype(np.float32)), "the gates r and z are float32"),
    ("gru_step", _gru_by(mix=lambda z, n, h: (1 - z) * n), "the kept part z * h_prev is missing"),
    ("gru_step", _gru_by(mix=lambda z, n, h: (1 - z) * n - z * h), "the kept part is subtracted"),
    ("gru_step", _gru_by(n_of=lambda a, s, r, H, bn, h, W, cand: cand(r * a[:, 2 * H:] + s[:, 2 * H:] + bn)),
     "the reset gate multiplies the input's part"),
    ("gru_step", _gru_by(gate=lambda a: (np.tanh(a) + 1) / 2), "the gates are (tanh(a) + 1) / 2, which is sigmoid(2 a)"),
    ("gru_step", _gru_by(r_of=lambda a, s, H, bn, gate: gate(a[:, :H]),
                         z_of=lambda a, s, H, bn, gate, *_: gate(a[:, H:2 * H])), "the gates r and z leave out h_prev"),
    ("gru_step", _gru_by(z_of=lambda a, s, H, bn, gate, *_: gate(a[:, H:2 * H] + s[:, :H])), "z uses the rows of W_r"),
    ("gru_step", _gru_by(gate=np.tanh, cand=_sig), "the activations are swapped"),
    ("gru_step", _gru_by(n_of=lambda a, s, r, H, bn, h, W, cand: cand(a[:, 2 * H:] + r * (h @ W[2 * H:] + bn))),
     "W_n, the square block W[2*H:], is not transposed"),
    ("gru_step", lambda x, h, U, W, b, bn: sol.gru_step(x, h, U, W, np.concatenate([b[len(bn):2 * len(bn)], b[:len(bn)],
                                                                                    b[2 * len(bn):]]), bn),
     "the biases of r and z are swapped"),
    ("gru_step", _gru_by(mix=lambda z, n, h: n), "it returns the candidate n"),
    ("gru_step", _gru_by(r_of=lambda a, s, H, bn, gate: gate(a[:, H:2 * H] + s[:, H:2 * H]),
                         z_of=lambda a, s, H, bn, gate, *_: gate(a[:, :H] + s[:, :H]),
                         mix=lambda z, n, h: z * n + (1 - z) * h), "two slips at once"),
    ("gru_step", _gru_by(r_of=lambda a, s, H, bn, gate: gate(a[:, :H] + s[:, :H] + bn),
                         z_of=lambda a, s, H, bn, gate, *_: gate(a[:, H:2 * H] + s[:, H:2 * H] + bn)),
     "b_n is added to the gates r and z too"),
    ("gru_step", _gru_by(z_of=lambda a, s, H, bn, gate, *_: gate(a[:, H:2 * H])), "z leaves out h_prev"),
    ("gru_step", _gru_by(H_from=lambda U: U.shape[0]), "There, H is 12 = 3H, not H = h_prev.shape[1]"),
]


def _momentum(i, p, g, lr, velocity):
    velocity[i] = 0.9 * velocity[i] + g
    return p - lr * velocity[i]


@pytest.mark.parametrize("piece, fn, fragment", SESSION_6_SLIPS,
                         ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(SESSION_6_SLIPS)])
def test_the_slips_named_in_session_6(piece, fn, fragment):
    fails_with(piece, fn, fragment)


def test_a_slip_close_to_the_right_values_is_named_only_when_far_closer_to_it():
    # a float32 rounding of the gates is named; the right answer (rounding 1e-16) is not
    fails_with("gru_step", _gru_by(gate=lambda a: _sig(a).astype(np.float32)), "the gates r and z are float32")
    assert verdict("gru_step", sol.gru_step).passed


def test_a_call_in_the_right_order_is_never_called_swapped():
    from rnnlib.exercises._core import swapped_arguments

    assert swapped_arguments(sol.rnn_forward) == "" and swapped_arguments(sol.train_rnn) == ""
    assert "passes W where it expects U" in swapped_arguments(_step_args_swapped)


def test_a_stub_that_returns_none_is_still_not_yet():
    def stub(f, x, eps=1e-6):
        # write your code here
        return None

    assert verdict("numerical_gradient", stub).text == NOT_YET


# the general diagnoses added at the end of session 6 (axes, slices, activations, ...)


def _passes_the_error_before_tanh(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g, dU, dW, db = dY_hat @ V, 0.0, 0.0, 0.0
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = g @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


def _one_axis_buffer(f, x, eps=1e-6):
    g = np.zeros(x.shape[0])
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g
SESSION_6_GENERAL = [
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] for i in range(len(s) - T)], axis=-1), s[T:]),
     "it holds the right values with the axes in another order; put them back with .transpose(2, 0, 1)"),
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] for i in range(len(s) - T)]), s[T:, :1]),
     "it holds only the first 1 of the 2 entries along axis 1 (D)"),
    ("make_windows", lambda s, T: (np.stack([s[i:T] for i in range(len(s) - T)]), s[T:]),
     "every item must have one shape.\nHint: record i is series[i : i + T]"),
    ("forward_step", lambda x, h, U, W, b: np.arctan(x @ U.T + h @ W.T + b), "h_t is np.arctan of the pre-activation"),
    ("forward_step", lambda x, h, U, W, b: np.tanh((x @ U.T + h @ W.T + b) / 2), "tanh(a / 2) (the pre-activation halved)"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(np.maximum(x @ U.T + h @ W.T + b, 0)), "tanh of a ReLU"),
    ("mse_loss", _loss(dY=lambda d, N, *_: np.sign(d) / N), "the gradient of the absolute error"),
    ("bptt", _bptt_by(steps=lambda T, k: range(T - 1, T - 1 - k, -1)), "the window is shifted one step back"),
    ("bptt", _passes_the_error_before_tanh, "the error passed back skips tanh'"),
    ("bptt", _bptt_by(dV=lambda dY, s, T, k: dY.T @ s[T] / k), "dV is divided by k"),
    ("numerical_gradient", _one_axis_buffer, "An array there has fewer axes than the index it is given"),
    ("numerical_gradient", lambda f, x, eps=1e-6: sol.numerical_gradient(f, x, eps).astype(np.float16),
     "the gradient is float16 but must be float64 (numpy's default). float16 keeps about 3 digits"),
    ("train_rnn", _train_by(clip_at=lambda c, lr: 1e6), "clipping is missing, or never acts"),
]


@pytest.mark.parametrize("piece, fn, fragment", SESSION_6_GENERAL,
                         ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(SESSION_6_GENERAL)])
def test_the_general_diagnoses_of_session_6(piece, fn, fragment):
    first, _, second = fragment.partition("\n")
    text = fails_with(piece, fn, first)
    assert second in text, text


def _from_initial(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
        grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, W, V, k)),
                                      threshold)
        U, W, V, b, c = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return [U, W, V, b, c]


def _steps_over_records(X, U, W, V, b, c):
    N = X.shape[0]
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(N):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


SESSION_6_ROUND_3 = [
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] for i in range(len(s) - T)]), s[T:].mean(1, keepdims=True)),
     "it is the mean of the right values over axis 1 (D)"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T + b) + h, "h_prev is added to the new state"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T * (h @ W.T) + b), "the two parts are multiplied, x_t @ U.T * (h_prev @ W.T)"),
    ("rnn_forward", lambda X, U, W, V, b, c: (np.tanh(sol.rnn_forward(X, U, W, V, b, c)[1][-1]) @ V.T + c,
                                              sol.rnn_forward(X, U, W, V, b, c)[1]), "the last state is squashed again"),
    ("rnn_forward", _steps_over_records, "the loop runs N = 3 steps (X.shape[0], the records)"),
    ("mse_loss", _loss(dY=lambda d, N, *_: d / (N - 1)), "divided by N - 1"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.var(d) / 2), "np.var subtracts the mean error"),
    ("mse_loss", _loss(dY=lambda d, N, Yh, Y: Yh / N - Y), "Y_hat / N - Y divides only Y_hat"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh * (1 - h * hp)), "the derivative uses h_t * h_prev"),
    ("backward_step", _step_back(dW=lambda d, x, hp: d.T @ np.tanh(hp)), "h_prev is squashed again, tanh(h_prev)"),
    ("backward_step", lambda dh, h, hp, x, W: sol.backward_step(dh, h, hp, x, W)[:3]
     + (sol.backward_step(dh, h, hp, x, W)[3] + (dh * (1 - h**2)).T @ h, sol.backward_step(dh, h, hp, x, W)[4]),
     "it adds delta_t.T @ h_t too"),
    ("bptt", _bptt_by(shares=lambda d, X, s, t: (d.T @ X[:, t - 1], d.T @ s[t - 1], d.mean(0))),
     "db's shares are means over the records"),
    ("numerical_gradient", lambda f, x, eps=1e-6: np.full(x.shape, sol.numerical_gradient(f, x, eps).flat[0]),
     "every element gets the first element's gradient"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / np.sqrt(sum(a.sum() ** 2 for a in gs)))),
     "the norm is made of each array's sum"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: 1 - c / n if n > c else 1.0), "the arrays are multiplied by 1 - threshold / norm"),
    ("clip_gradients", lambda gs, c: sol.clip_gradients(gs, c)[::-1], "returns the arrays in reverse order"),
    ("train_rnn", _from_initial, "every update starts from the initial parameters"),
    ("gru_step", _gru_by(n_of=lambda a, s, r, H, bn, h, W, cand: cand(a[:, 2 * H:] + r * (s[:, 2 * H:] + bn) + bn)),
     "b_n is added twice"),
    ("gru_step", lambda *a: _mix_with_r(*a), "h_t is mixed with r, the reset gate"),
]


def _mix_with_r(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a, s = x_t @ U.T + b, h_prev @ W.T
    r = _sig(a[:, :H] + s[:, :H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - r) * n + r * h_prev


@pytest.mark.parametrize("piece, fn, fragment", SESSION_6_ROUND_3,
                         ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(SESSION_6_ROUND_3)])
def test_the_last_diagnoses_of_session_6(piece, fn, fragment):
    fails_with(piece, fn, fragment)


def _bias_over_units(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g, dU, dW, db = dY_hat @ V, 0.0, 0.0, 0.0
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(1)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


def _second_point_two_eps_down(f, x, eps=1e-6):
    return _central6(f, x, eps, move=lambda o, e: (o + e, o - 2 * e))


SESSION_6_ROUND_4 = [
    ("make_windows", lambda s, T: (np.stack([np.diff(s, axis=0)[i:i + T] for i in range(len(s) - T - 1)]), s[T + 1:]),
     "the windows are cut from np.diff(series)"),
    ("make_windows", lambda s, T: (np.stack([s[i:i + T] - s[i:i + T].mean(0) for i in range(len(s) - T)]), s[T:]),
     "each window is centred"),
    ("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T) + np.tanh(b), "tanh(b) is added outside"),
    ("forward_step", lambda x, h, U, W, b: np.tanh((x @ U.T + h @ W.T + b) - (x @ U.T + h @ W.T + b).mean(1, keepdims=True)),
     "the pre-activation is centred"),
    ("rnn_forward", lambda X, U, W, V, b, c: _forward6(X, U, W, V, np.zeros_like(b), c), "b never reaches the steps"),
    ("rnn_forward", lambda X, U, W, V, b, c: _forward6(X / np.abs(X).max(), U, W, V, b, c), "the inputs are rescaled"),
    ("rnn_forward", lambda X, U, W, V, b, c: _forward6(X[:, 1:], U, W, V, b, c), "skips the first input X[:, 0]"),
    ("mse_loss", _loss(dY=lambda d, N, *_: d / np.sqrt(N)), "divided by sqrt(N)"),
    ("mse_loss", _loss(dY=lambda d, N, *_: np.clip(d, -1, 1) / N), "the errors are clipped (np.clip)"),
    ("mse_loss", _loss(L=lambda d, N, Yh, Y: np.sum(Yh**2 - 2 * Yh * Y) / (2 * N)), "the expanded square misses + Y**2"),
    ("mse_loss", _loss(dY=lambda d, N, Yh, Y: d / Y.shape[1]), "divided by the number of outputs O"),
    ("mse_loss", _loss(L=lambda d, N, *_: np.sum(d**2) / (2 * N) + 1e-8), "a small constant (1e-08) is added"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh - h**2), "a minus where a times belongs"),
    ("backward_step", _step_back(delta=lambda dh, h, hp: dh.mean(0) * (1 - h**2)), "the error is averaged over the records"),
    ("backward_step", _step_back(dU=lambda d, x, hp: d.T @ x / d.shape[1]), "divided by H, the number of units"),
    ("bptt", _bptt_by(dV=lambda dY, s, T, k: dY.T @ s[T - k]), "dV reads states[3]"),
    ("bptt", _bptt_by(shares=lambda d, X, s, t: (d.T @ X[:, t - 1], d.T @ s[t - 1], np.full(d.shape[1], d.sum()))),
     "db's shares are summed over both axes"),
    ("bptt", _bptt_by(shares=lambda d, X, s, t: (d.T @ X[:, t - 1], s[t - 1].T @ d, d.sum(0))),
     "that is the transpose of the right matrix"),
    ("bptt", _bias_over_units, "db has shape (3,) = (N,), expected (H,) = (4,): you summed over the units (axis 1)"),
    ("numerical_gradient", _second_point_two_eps_down, "the second point is x - 2 eps"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, move=lambda o, e: (e, -e)), "x[i] is set to eps itself"),
    ("numerical_gradient", lambda f, x, eps=1e-6: _central6(f, x, eps, move=lambda o, e: (o + e * np.sign(o), o - e * np.sign(o))),
     "x is moved by eps * np.sign(x)"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: float(np.float32(c / n)) if n > c else 1.0), "the factor is float32"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / _norm(gs[1:]))), "the norm leaves out array 0 (dU)"),
    ("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / (n / np.sqrt(sum(a.size for a in gs))))), "the norm is an RMS"),
    ("clip_gradients", lambda gs, c: [g * min(1.0, c / _norm(gs)) if g.ndim == 2 else g.copy() for g in gs],
     "arrays 3 (db), 4 (dc) are left unscaled"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: p - lr * g / np.linalg.norm(g)), "each gradient is divided by its norm"),
    ("train_rnn", _train_by(update=lambda i, p, g, lr, e, v: p - lr / (e + 1) * g), "learning_rate / (epoch + 1)"),
    ("train_rnn", _train_by(X_used=lambda X, k: X[:, :k]), "the forward pass sees only the first k inputs"),
    ("train_rnn", lambda *a: (lambda r: [r[1], r[0], *r[2:]])(sol.train_rnn(*a)), "returns the trained arrays in another order"),
    ("gru_step", _gru_by(n_of=lambda a, s, r, H, bn, h, W, cand: cand(a[:, 2 * H:]) + r * (s[:, 2 * H:] + bn)), "the tanh closes too early"),
    ("gru_step", lambda x, h, U, W, b, bn: np.tanh(sol.gru_step(x, h, U, W, b, bn)), "h_t is squashed by a tanh"),
    ("gru_step", lambda x, h, U, W, b, bn: sol.gru_step(x, h, U, W, np.concatenate(
        [b[:2 * len(bn)], np.zeros(len(bn))]), bn), "the candidate leaves out its input bias"),
]


@pytest.mark.parametrize("piece, fn, fragment", SESSION_6_ROUND_4,
                         ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(SESSION_6_ROUND_4)])
def test_the_diagnoses_of_the_fourth_round(piece, fn, fragment):
    fails_with(piece, fn, fragment)


def test_the_largest_array_norm_is_named_beside_the_first_arrays_when_they_are_equal():
    text = fails_with("clip_gradients", _clip_by(lambda n, c, g, gs: min(1.0, c / max(np.linalg.norm(a) for a in gs))),
                      "the norm is the largest of the arrays' own norms")
    assert "the norm of the first array only" in text  # equal on these inputs: both are listed
