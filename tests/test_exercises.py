"""The exercise checkers: correct solutions pass, wrong ones fail saying why, None is NOT YET.

Each checker prints exactly one line and returns True only on PASS.
"""

import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.gradcheck import numerical_gradient, relative_error

NOT_YET = "NOT YET: your function returned None — write it above and run this cell again\n"


def run(checker, fn, capsys):
    """(returned bool, the single printed line)."""
    passed = checker(fn)
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.count("\n") == 1, out.out
    return passed, out.out.rstrip("\n")


# --- printing ------------------------------------------------------------------------------


def test_format_error_buckets_rounding_and_keeps_two_digits_above():
    assert ex.format_error(0.0) == "< 1e-12"
    assert ex.format_error(3.3e-16) == "< 1e-12"
    assert ex.format_error(9.9e-13) == "< 1e-12"
    assert ex.format_error(1.234e-9) == "1.2e-09"
    assert ex.format_error(0.314) == "3.1e-01"


# --- forward step --------------------------------------------------------------------------


def forward_ok(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b)


def test_forward_step_input_shapes_are_all_different():
    x_t, h_prev, U, W, b = ex.forward_step_inputs()
    assert (x_t.shape, h_prev.shape, U.shape, W.shape, b.shape) == (
        (3, 2), (3, 4), (4, 2), (4, 4), (4,))


def test_forward_step_correct_solution_passes(capsys):
    passed, line = run(ex.check_forward_step, forward_ok, capsys)
    assert passed is True
    assert line == "PASS: relative error < 1e-12 (must be < 1e-7)"


def test_forward_step_reference_is_the_step_equation():
    # independent of rnnlib.forward: one record at a time, column vectors as in the equations
    x_t, h_prev, U, W, b = ex.forward_step_inputs()
    for n in range(x_t.shape[0]):
        a = U @ x_t[n] + W @ h_prev[n] + b
        assert relative_error(np.tanh(a), forward_ok(x_t, h_prev, U, W, b)[n]) < 1e-15


def test_forward_step_none_is_not_yet(capsys):
    passed, line = run(ex.check_forward_step, lambda *args: None, capsys)
    assert passed is False
    assert line + "\n" == NOT_YET


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W + b), "FAIL: h_t has the right shape but "
         "wrong values: relative error 1.9e-01 (must be < 1e-7)"),
        (lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W.T), "FAIL: h_t has the right shape but "
         "wrong values: relative error 2.5e-01 (must be < 1e-7)"),
        (lambda x, h, U, W, b: x @ U.T + h @ W.T + b, "FAIL: h_t has the right shape but "
         "wrong values"),
        (lambda x, h, U, W, b: forward_ok(x, h, U, W, b).T,
         "FAIL: h_t has shape (4, 3), expected (N, H) = (3, 4)"),
        (lambda x, h, U, W, b: forward_ok(x, h, U, W, b)[0],
         "FAIL: h_t has shape (4,), expected (N, H) = (3, 4)"),
        (lambda x, h, U, W, b: np.full((3, 4), np.nan), "FAIL: h_t holds NaN or infinite values"),
        (lambda x, h, U, W, b: "h",
         "FAIL: h_t should be an array of shape (N, H) = (3, 4), got str"),
    ],
)
def test_forward_step_wrong_solutions_fail_saying_why(wrong, message, capsys):
    passed, line = run(ex.check_forward_step, wrong, capsys)
    assert passed is False
    assert line.startswith(message), line


def test_forward_step_exception_is_reported_without_traceback(capsys):
    def raises(x_t, h_prev, U, W, b):
        raise KeyError("oops")

    passed, line = run(ex.check_forward_step, raises, capsys)
    assert passed is False
    assert line == "FAIL: your function raised KeyError: 'oops'"


def test_forward_step_shape_error_from_numpy_is_one_line(capsys):
    passed, line = run(ex.check_forward_step, lambda x, h, U, W, b: U @ x, capsys)
    assert passed is False
    assert line.startswith("FAIL: your function raised ValueError: matmul")


def test_forward_step_overflow_warning_does_not_escape(capsys):
    # pyproject turns warnings into errors: an escaping RuntimeWarning would fail this test
    passed, line = run(ex.check_forward_step, lambda *a: np.exp(np.full((3, 4), 1e4)), capsys)
    assert passed is False
    assert line == "FAIL: h_t holds NaN or infinite values"


# --- backward step -------------------------------------------------------------------------


def backward_ok(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1.0 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


def test_backward_step_correct_solution_passes(capsys):
    passed, line = run(ex.check_backward_step, backward_ok, capsys)
    assert passed is True
    assert line == "PASS: all five match, largest relative error < 1e-12 (must be < 1e-7)"


def test_backward_step_accepts_a_list(capsys):
    assert run(ex.check_backward_step, lambda *a: list(backward_ok(*a)), capsys)[0] is True


def test_backward_step_reference_agrees_with_numerical_gradients():
    # independent of rnnlib.bptt: differentiate L = sum(dh_t * h_t) through one tanh step
    dh_t, h_t, h_prev, x_t, W, U, b, _, _ = ex.backward_step_inputs()
    U, W, b, h_prev, x_t = (np.array(a) for a in (U, W, b, h_prev, x_t))
    assert relative_error(np.tanh(x_t @ U.T + h_prev @ W.T + b), h_t) < 1e-15

    def loss():
        return float(np.sum(dh_t * np.tanh(x_t @ U.T + h_prev @ W.T + b)))

    a_t = x_t @ U.T + h_prev @ W.T + b
    delta_num = numerical_gradient(
        lambda: float(np.sum(dh_t * np.tanh(a_t))), a_t)
    numeric = (delta_num, numerical_gradient(loss, h_prev), numerical_gradient(loss, U),
               numerical_gradient(loss, W), numerical_gradient(loss, b))
    _, expected = ex._backward_reference()
    for name, num, ref in zip(ex.BACKWARD_NAMES, numeric, expected, strict=True):
        assert relative_error(num, ref) < 1e-8, name


def test_backward_step_inputs_are_a_real_two_step_trajectory():
    dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0 = ex.backward_step_inputs()
    assert relative_error(np.tanh(x_prev @ U.T + h0 @ W.T + b), h_prev) < 1e-15
    assert (dh_t.shape, h_t.shape, h_prev.shape, x_t.shape, W.shape) == (
        (3, 4), (3, 4), (3, 4), (3, 2), (4, 4))


def _with(index, replace):
    """backward_ok with output ``index`` replaced by replace(outputs, inputs)."""
    def fn(*inputs):
        outputs = list(backward_ok(*inputs))
        outputs[index] = replace(outputs, inputs)
        return tuple(outputs)
    return fn


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_with(0, lambda o, i: i[0] * i[1] * (1 - i[1])),
         "FAIL: delta_t has the right shape but wrong values"),
        (_with(1, lambda o, i: o[0] @ i[4].T),
         "FAIL: dh_prev has the right shape but wrong values"),
        (_with(1, lambda o, i: i[0] @ i[4]),
         "FAIL: dh_prev has the right shape but wrong values"),
        (_with(2, lambda o, i: i[3].T @ o[0]),
         "FAIL: dU_t has shape (2, 4), expected (H, D) = (4, 2)"),
        (_with(3, lambda o, i: o[0].T @ i[1]),
         "FAIL: dW_t has the right shape but wrong values"),
        (_with(4, lambda o, i: o[0].mean(axis=0)),
         "FAIL: db_t has the right shape but wrong values"),
        (_with(4, lambda o, i: o[0]), "FAIL: db_t has shape (3, 4), expected (H,) = (4,)"),
    ],
)
def test_backward_step_wrong_solutions_fail_naming_the_output(wrong, message, capsys):
    passed, line = run(ex.check_backward_step, wrong, capsys)
    assert passed is False
    assert line.startswith(message), line
    if "wrong values" in message:
        assert "relative error" in line and line.endswith("(must be < 1e-7)")


def test_backward_step_none_and_partial_none_are_not_yet(capsys):
    passed, line = run(ex.check_backward_step, lambda *a: None, capsys)
    assert (passed, line + "\n") == (False, NOT_YET)
    partial = _with(4, lambda o, i: None)
    passed, line = run(ex.check_backward_step, partial, capsys)
    assert passed is False
    assert line == ("NOT YET: your function returned None for db_t — write it above and run "
                    "this cell again")


def test_backward_step_wrong_number_of_outputs(capsys):
    passed, line = run(ex.check_backward_step, lambda *a: backward_ok(*a)[:2], capsys)
    assert passed is False
    assert line == ("FAIL: your function must return five values "
                    "(delta_t, dh_prev, dU_t, dW_t, db_t), got 2 values")
    passed, line = run(ex.check_backward_step, lambda *a: backward_ok(*a)[0], capsys)
    assert line.endswith("got ndarray")


def test_backward_step_exception(capsys):
    passed, line = run(ex.check_backward_step, lambda *a: 1 / 0, capsys)
    assert passed is False
    assert line == "FAIL: your function raised ZeroDivisionError: division by zero"


# --- clipping by norm ----------------------------------------------------------------------


def clip_ok(grads, threshold):
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    scale = threshold / norm if norm > threshold else 1.0
    return [g * scale for g in grads]


def test_clip_correct_solution_passes(capsys):
    passed, line = run(ex.check_clip_by_norm, clip_ok, capsys)
    assert passed is True
    assert line == "PASS: both cases match, largest relative error < 1e-12 (must be < 1e-7)"


def test_clip_cases_straddle_the_global_norm_and_per_array_norms():
    grads = ex.clip_inputs()
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    low = round(norm / 3.0, 1)
    assert low < norm < round(norm * 2.0, 1)
    # some arrays are below the low threshold on their own: per-array clipping must differ
    assert min(np.linalg.norm(g) for g in grads) < low < max(np.linalg.norm(g) for g in grads)


def test_clip_clipped_norm_equals_threshold():
    grads = ex.clip_inputs()
    clipped = clip_ok(grads, 1.5)
    assert np.sqrt(sum(float(np.sum(g * g)) for g in clipped)) == pytest.approx(1.5, rel=1e-14)


def per_array(grads, threshold):
    return [g * min(1.0, threshold / np.linalg.norm(g)) for g in grads]


def always(grads, threshold):
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    return [g * threshold / norm for g in grads]


def in_place(grads, threshold):
    scaled = clip_ok(grads, threshold)
    for g, s in zip(grads, scaled, strict=True):
        g[...] = s
    return grads


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (per_array, "FAIL: array 0 (dU) has the right shape but wrong values with threshold 2.0 "
         "(global norm 5.97: clipping must act): relative error"),
        (always, "FAIL: array 0 (dU) has the right shape but wrong values with threshold 11.9 "
         "(global norm 5.97: nothing changes): relative error"),
        (lambda g, c: [np.clip(a, -c, c) for a in g], "FAIL: array 0 (dU) has the right shape"),
        (in_place, "FAIL: your function changed the input arrays in place"),
        (lambda g, c: clip_ok(g, c)[:4], "FAIL: your function returned 4 arrays for 5 gradients"),
        (lambda g, c: [a.ravel() for a in clip_ok(g, c)],
         "FAIL: array 0 (dU) has shape (8,), expected the input's shape = (4, 2)"),
        (lambda g, c: 3.0, "FAIL: your function must return a list of arrays, got float"),
    ],
)
def test_clip_wrong_solutions_fail_saying_why(wrong, message, capsys):
    passed, line = run(ex.check_clip_by_norm, wrong, capsys)
    assert passed is False
    assert line.startswith(message), line


def test_clip_none_is_not_yet_and_tuple_is_accepted(capsys):
    passed, line = run(ex.check_clip_by_norm, lambda g, c: None, capsys)
    assert (passed, line + "\n") == (False, NOT_YET)
    assert run(ex.check_clip_by_norm, lambda g, c: tuple(clip_ok(g, c)), capsys)[0] is True
