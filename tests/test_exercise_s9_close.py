"""The core rules found wanting by the benchmark set s16, each fed wrong answers written here as a
learner would write them (not the benchmark's): None returned on one path only, a ufunc's out=
that overwrites an input read later, np.tensordot with its default axes, one share per record
never summed, a tuple index into x.flat, and Python's builtin max/min/any on arrays. Each rule
names its slip only where it is there (a look-alike is not named), correct answers in other
styles still pass, and a real stub still reads NOT YET."""

import numpy as np
import pytest
from exercise_solutions import failed, sigmoid

from rnnlib import exercises as ex

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def verdict(name, fn):
    return ex.EXERCISES[name].check(fn)


def passed(name, fn):
    result = verdict(name, fn)
    assert result.status == "PASS", result.text


# --- F: None on some cases only is FAIL; None everywhere (the stub) is NOT YET -----------------


def test_none_on_one_path_only_is_a_fail_naming_the_case():
    def no_else(grads, threshold):
        norm = np.sqrt(sum(np.sum(g * g) for g in grads))
        if norm > threshold:
            return [g * threshold / norm for g in grads]

    def returns_inside_the_loop_only(grads, threshold):
        norm = np.sqrt(sum(float(np.sum(g**2)) for g in grads))
        for _ in range(int(norm > threshold)):
            return [g * (threshold / norm) for g in grads]

    def bare_return_when_small(grads, threshold):
        norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
        if norm <= threshold:
            return
        return [g / norm * threshold for g in grads]

    for fn in (no_else, returns_inside_the_loop_only, bare_return_when_small):
        failed("clip_gradients", fn, "returned None with threshold = ",
               "it returned values with threshold = ", "a path of your function ends without "
               "a return", absent=("NOT YET",))


def test_stubs_still_read_not_yet():
    def stub_none(grads, threshold):
        return None

    def stub_pass(grads, threshold):
        pass

    def stub_raises(grads, threshold):
        raise NotImplementedError

    def gru_stub(x_t, h_prev, U, W, b, b_n):
        return None

    def windows_stub(series, T):
        raise NotImplementedError("write make_windows")

    for name, fn in (("clip_gradients", stub_none), ("clip_gradients", stub_pass),
                     ("clip_gradients", stub_raises), ("gru_step", gru_stub),
                     ("make_windows", windows_stub)):
        result = verdict(name, fn)
        assert result.status == "NOT YET", result.text


# --- G: a ufunc's out= that overwrites an input read later ------------------------------------


def _gates(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return z, n


def test_out_over_an_input_read_later_is_named():
    def one_minus_into_z(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        complement = np.subtract(1, z, out=z)
        return complement * n + z * h_prev

    def share_of_the_state_into_z(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        kept = np.multiply(z, h_prev, out=z)
        return kept + (1 - z) * n

    def complement_from_ones_into_z(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        z_bar = np.subtract(np.ones_like(z), z, out=z)
        h_t = z_bar * n
        h_t = h_t + z * h_prev
        return h_t

    failed("gru_step", one_minus_into_z, "`np.subtract(1, z, out=z)` writes its result over z",
           "so z and complement are the same array", "`return complement * n + z * h_prev`")
    failed("gru_step", share_of_the_state_into_z,
           "`np.multiply(z, h_prev, out=z)` writes its result over z", "z and kept")
    failed("gru_step", complement_from_ones_into_z, "writes its result over z",
           "`h_t = h_t + z * h_prev`")

def test_out_used_as_intended_is_not_named():
    def in_place_complement_used_as_complement(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        mixed = z * h_prev
        np.subtract(1, z, out=z)  # z now holds 1 - z, and is used as that
        return mixed + z * n

    def buffer_filled_by_out(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        out = np.empty_like(n)
        np.multiply(1 - z, n, out=out)
        return out + z * h_prev

    passed("gru_step", in_place_complement_used_as_complement)
    passed("gru_step", buffer_filled_by_out)

    def wrong_without_out(x_t, h_prev, U, W, b, b_n):
        z, n = _gates(x_t, h_prev, U, W, b, b_n)
        keep = np.subtract(1, z)
        return z * n + keep * h_prev  # the mix swapped, no out= at all

    failed("gru_step", wrong_without_out, absent=("writes its result over",))


# --- C: np.tensordot with its default axes=2 --------------------------------------------------


def test_tensordot_default_axes_is_named():
    def default_axes(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t * h_t)
        dU_t = np.tensordot(delta_t, x_t)
        return delta_t, delta_t @ W, dU_t, delta_t.T @ h_prev, delta_t.sum(0)

    def default_axes_then_transposed(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - np.tanh(np.arctanh(h_t)) ** 2)
        dU_t = np.tensordot(x_t, delta_t).T
        return delta_t, delta_t @ W, dU_t, delta_t.T @ h_prev, np.sum(delta_t, axis=0)

    failed("backward_step", default_axes, "calls np.tensordot without axes=",
           "np.tensordot(delta_t, x_t, axes=([0], [0]))")
    failed("backward_step", default_axes_then_transposed, "calls np.tensordot without axes=",
           "np.tensordot(x_t, delta_t, axes=([0], [0]))")


def test_tensordot_with_axes_passes_and_wrong_axes_are_not_blamed_on_the_default():
    def tensordot_right(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        return (delta_t, np.tensordot(delta_t, W, axes=1), np.tensordot(delta_t, x_t, axes=(0, 0)),
                np.tensordot(delta_t, h_prev, axes=([0], [0])), delta_t.sum(axis=0))

    def tensordot_wrong_axes(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        return (delta_t, delta_t @ W, np.tensordot(delta_t, x_t, axes=([1], [1])),
                delta_t.T @ h_prev, delta_t.sum(axis=0))

    passed("backward_step", tensordot_right)
    failed("backward_step", tensordot_wrong_axes, absent=("without axes=",))


# --- D: one share per record, never summed ----------------------------------------------------


def test_per_record_shares_not_summed_are_named():
    def einsum_keeps_n(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        dU_t = np.einsum("nh,nd->nhd", delta_t, x_t)
        return delta_t, delta_t @ W, dU_t, delta_t.T @ h_prev, delta_t.sum(axis=0)

    def broadcast_products(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        dW_t = delta_t[:, :, None] * h_prev[:, None, :]
        return delta_t, delta_t @ W, delta_t.T @ x_t, dW_t, delta_t.sum(axis=0)

    def stacked_outers(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        dU_t = np.stack([np.outer(d, x) for d, x in zip(delta_t, x_t, strict=True)])
        return delta_t, delta_t @ W, dU_t, delta_t.T @ h_prev, delta_t.sum(axis=0)

    failed("backward_step", einsum_keeps_n, "dU_t has shape (3, 4, 2) = (N, H, D)",
           "one share per record (N of them, along axis 0), not summed")
    failed("backward_step", broadcast_products, "dW_t has shape", "one share per record")
    failed("backward_step", stacked_outers, "one share per record")


def test_extra_axis_that_does_not_sum_to_the_result_is_not_named():
    def per_record_and_halved(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        dU_t = 0.5 * np.einsum("nh,nd->nhd", delta_t, x_t)
        return delta_t, delta_t @ W, dU_t, delta_t.T @ h_prev, delta_t.sum(axis=0)

    def einsum_summed(dh_t, h_t, h_prev, x_t, W):
        delta_t = dh_t * (1 - h_t**2)
        return (delta_t, delta_t @ W, np.einsum("nh,nd->nhd", delta_t, x_t).sum(axis=0),
                np.einsum("nh,nk->hk", delta_t, h_prev), delta_t.sum(axis=0))

    failed("backward_step", per_record_and_halved, "dU_t has shape",
           absent=("one share per record",))
    passed("backward_step", einsum_summed)


# --- E: a tuple index into x.flat --------------------------------------------------------------


def test_tuple_index_into_flat_is_named():
    def ndindex_into_flat(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(*x.shape):
            saved = float(x.flat[i])
            x.flat[i] = saved + eps
            up = f()
            x.flat[i] = saved - eps
            down = f()
            x.flat[i] = saved
            grad[i] = (up - down) / (2 * eps)
        return grad

    def nditer_index_into_flat(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        it = np.nditer(x, flags=["multi_index"])
        for _ in it:
            where = it.multi_index
            keep = x.flat[where].copy()
            x[where] = keep + eps
            a = f()
            x[where] = keep - eps
            b = f()
            x[where] = keep
            grad[where] = (a - b) / (2 * eps)
        return grad

    for fn in (ndindex_into_flat, nditer_index_into_flat):
        failed("numerical_gradient", fn, "gives x.flat a tuple index",
               "x.flat takes one flat index k", absent=("single size",))


def test_flat_with_one_index_passes_and_other_index_errors_keep_their_hint():
    def flat_by_number(f, x, eps=1e-6):
        grad = np.zeros(x.shape)
        for k in range(x.size):
            saved = x.flat[k]
            x.flat[k] = saved + eps
            up = f()
            x.flat[k] = saved - eps
            down = f()
            x.flat[k] = saved
            grad.flat[k] = (up - down) / (2 * eps)
        return grad

    def grad_of_one_axis(f, x, eps=1e-6):
        grad = np.zeros(len(x))
        for i in np.ndindex(x.shape):
            saved = x[i]
            x[i] = saved + eps
            up = f()
            x[i] = saved - eps
            down = f()
            x[i] = saved
            grad[i] = (up - down) / (2 * eps)
        return grad

    passed("numerical_gradient", flat_by_number)
    failed("numerical_gradient", grad_of_one_axis, "single size", absent=(".flat takes",))


# --- I: Python's builtin max/min/any on arrays -------------------------------------------------


def test_builtin_max_min_on_arrays_are_named():
    def builtin_max_of_scaled(y_hat, temperature):
        a = y_hat / temperature
        e = np.exp(a - max(a))
        return e / e.sum(axis=1, keepdims=True)

    def builtin_min_for_a_check(y_hat, temperature):
        scores = y_hat / temperature
        if min(scores) < -700:
            scores = scores - scores.min()
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def builtin_any_for_a_check(y_hat, temperature):
        s = (y_hat - y_hat.max(axis=1, keepdims=True)) / temperature
        if any(s > 0):
            s = s - s.max()
        p = np.exp(s)
        return p / np.sum(p, axis=1, keepdims=True)

    failed("temperature_probabilities", builtin_max_of_scaled,
           "gives Python's builtin max an array", "np.max(a, axis=1, keepdims=True)")
    failed("temperature_probabilities", builtin_min_for_a_check,
           "gives Python's builtin min an array", "np.min(a, axis=1")
    failed("temperature_probabilities", builtin_any_for_a_check,
           "gives Python's builtin any an array", "np.any(a)")


def test_ambiguous_truth_without_a_builtin_is_not_blamed_on_one():
    def if_on_an_array(y_hat, temperature):
        s = y_hat / temperature
        if s > 50:
            s = s - 50
        p = np.exp(s - s.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def max_of_numbers_is_fine(y_hat, temperature):
        t = max(float(temperature), 1e-12)
        p = np.exp((y_hat - np.max(y_hat, axis=1, keepdims=True)) / t)
        return p / np.sum(p, axis=1, keepdims=True)

    failed("temperature_probabilities", if_on_an_array, absent=("builtin",))
    passed("temperature_probabilities", max_of_numbers_is_fine)


def test_none_on_the_first_case_with_an_unreached_return_is_a_fail():
    def returns_only_when_small(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        if norm <= threshold:
            return [g.copy() for g in grads]

    def returns_inside_a_wrong_branch(x_t, h_prev, U, W, b, b_n):
        if x_t.shape[0] == 0:
            return h_prev * 0.0

    failed("clip_gradients", returns_only_when_small, "returned None with threshold = ",
           "though it has the line `return [g.copy() for g in grads]`", absent=("NOT YET",))
    failed("gru_step", returns_inside_a_wrong_branch, "`return h_prev * 0.0`",
           "a path of your function ends without a return")

    def unfinished_with_a_name(grads, threshold):
        clipped = None  # started, not finished
        return clipped

    result = verdict("clip_gradients", unfinished_with_a_name)
    assert result.status == "NOT YET", result.text
