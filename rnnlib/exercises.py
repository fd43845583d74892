"""Checkers for the course's "your turn" cells.

A learner writes a function; a checker runs it on fixed, seeded inputs, compares the result
with rnnlib's own answer and prints exactly one line:

    PASS: relative error < 1e-12 (must be < 1e-7)
    FAIL: <what was wrong: an exception, a shape, NaN, or the relative error>
    NOT YET: your function returned None — write it above and run this cell again

and returns True (PASS) or False (FAIL, NOT YET). Exceptions raised by the learner's function
are caught and reported as FAIL with their message, never as a traceback.

The relative error of two arrays is rnnlib.gradcheck.relative_error, ||a - b|| / (||a|| + ||b||).
A correct float64 answer differs from rnnlib's only by rounding, about 1e-16, whose exact digits
depend on the machine and the BLAS library; so every error below 1e-12 is printed as
"< 1e-12", which keeps the printed line identical on every machine (notebooks are regression
tests). Larger errors are printed with two significant digits, e.g. "3.1e-01".

Contracts (all arrays float64, batch first, as in rnnlib.model):

check_forward_step(fn)
    fn(x_t, h_prev, U, W, b) -> h_t
    x_t (N, D), h_prev (N, H), U (H, D), W (H, H), b (H,)  ->  h_t (N, H) with
    h_t = tanh(x_t U^T + h_prev W^T + b), i.e. h_t = tanh(U x_t + W h_{t-1} + b) per record.

check_backward_step(fn)
    fn(dh_t, h_t, h_prev, x_t, W) -> (delta_t, dh_prev, dU_t, dW_t, db_t)
    One step of BPTT through h_t = tanh(a_t), a_t = U x_t + W h_{t-1} + b, given
    dh_t = dL/dh_t (N, H), the step's output h_t (N, H), its input state h_prev (N, H),
    its input x_t (N, D) and W (H, H). Returns a tuple of five arrays:
        delta_t = dL/da_t = dh_t * (1 - h_t**2)          (N, H)
        dh_prev = dL/dh_{t-1}                            (N, H)
        dU_t, dW_t, db_t: this step's share of dL/dU (H, D), dL/dW (H, H), dL/db (H,),
        summed over the N records of the batch.
    Checked against rnnlib.bptt.backward on a two-step sequence.

check_clip_by_norm(fn)
    fn(grads, threshold) -> clipped
    grads: a list of arrays of any shapes; threshold c > 0. Returns a new list of arrays of the
    same shapes: all of them multiplied by c / ||g|| when their global L2 norm ||g|| (over all
    elements of all arrays together) exceeds c, unchanged otherwise. The input arrays must not
    be modified. Checked against rnnlib.clipping.clip_by_norm, once where clipping must act and
    once where it must not.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from rnnlib.bptt import backward
from rnnlib.clipping import clip_by_norm
from rnnlib.gradcheck import relative_error
from rnnlib.model import Params, forward

TOLERANCE = 1e-7
TOLERANCE_TEXT = "1e-7"
FLOOR = 1e-12  # errors below this are rounding only and are printed as "< 1e-12"

NOT_YET = "NOT YET: your function returned None — write it above and run this cell again"

# small and all different, so that a transposed matrix or a wrong axis fails on its shape
N, D, H = 3, 2, 4
SEED = 2024


class _Failure(Exception):
    """A FAIL line's text, raised while checking and printed once at the end."""


def format_error(error: float) -> str:
    """A relative error as printed by the checkers: "< 1e-12" or two significant digits."""
    if error < FLOOR:
        return "< 1e-12"
    return f"{error:.1e}"


def _report(line: str, passed: bool) -> bool:
    print(line)
    return passed


def _call(fn: Callable, *args) -> tuple[object, list]:
    """Call the learner's function on copies of args; return (result, the copies passed).

    An exception becomes a _Failure; numpy warnings (overflow...) are silenced, the values
    they produce are caught by the checks that follow.
    """
    copies = [[np.copy(a) for a in x] if isinstance(x, list) else np.copy(x) for x in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*copies), copies
    except Exception as exc:  # the learner's code may raise anything
        text = str(exc).strip()
        message = text.splitlines()[0] if text else "(no message)"
        raise _Failure(f"FAIL: your function raised {type(exc).__name__}: {message}") from None


def _as_array(value, name: str, shape: tuple[int, ...], what: str) -> np.ndarray:
    """The learner's output as a float64 array of the expected shape, or a _Failure."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise _Failure(
            f"FAIL: {name} should be an array of shape {what} = {shape}, "
            f"got {type(value).__name__}"
        ) from None
    if array.shape != shape:
        raise _Failure(f"FAIL: {name} has shape {array.shape}, expected {what} = {shape}")
    if not np.all(np.isfinite(array)):
        raise _Failure(f"FAIL: {name} holds NaN or infinite values")
    return array


def _compare(name: str, got: np.ndarray, expected: np.ndarray, context: str = "") -> float:
    error = relative_error(got, expected)
    if not error < TOLERANCE:
        raise _Failure(
            f"FAIL: {name} has the right shape but wrong values{context}: relative error "
            f"{format_error(error)} (must be < {TOLERANCE_TEXT})"
        )
    return error


def _pass_line(error: float, what: str = "relative error") -> str:
    return f"PASS: {what} {format_error(error)} (must be < {TOLERANCE_TEXT})"


# --- one forward step ------------------------------------------------------------------------


def forward_step_inputs() -> tuple[np.ndarray, ...]:
    """The fixed inputs check_forward_step uses.

    x_t (3, 2), h_prev (3, 4), U (4, 2), W (4, 4), b (4,): N = 3, D = 2, H = 4.
    """
    rng = np.random.default_rng(SEED)
    x_t = rng.normal(0.0, 1.0, (N, D))
    h_prev = np.tanh(rng.normal(0.0, 1.0, (N, H)))
    U = rng.normal(0.0, 0.5, (H, D))
    W = rng.normal(0.0, 0.5, (H, H))
    b = rng.normal(0.0, 0.5, H)
    return x_t, h_prev, U, W, b


def check_forward_step(fn: Callable[..., np.ndarray | None]) -> bool:
    """Check a learner's forward step: fn(x_t, h_prev, U, W, b) -> h_t.

    x_t (N, D), h_prev (N, H), U (H, D), W (H, H), b (H,); must return h_t (N, H) =
    tanh(x_t U^T + h_prev W^T + b). Compared with rnnlib.model.forward run for one step from
    h_prev. Prints one PASS / FAIL / NOT YET line; returns True only on PASS.
    """
    x_t, h_prev, U, W, b = forward_step_inputs()
    params = Params(U=U, W=W, V=np.zeros((1, H)), b=b, c=np.zeros(1))
    _, cache = forward(params, x_t[:, None, :], "tanh", h0=h_prev)
    expected = cache.states[1]
    try:
        result, _ = _call(fn, x_t, h_prev, U, W, b)
        if result is None:
            return _report(NOT_YET, False)
        got = _as_array(result, "h_t", (N, H), "(N, H)")
        error = _compare("h_t", got, expected)
    except _Failure as failure:
        return _report(str(failure), False)
    return _report(_pass_line(error), True)


# --- one backward step -----------------------------------------------------------------------

BACKWARD_NAMES = ("delta_t", "dh_prev", "dU_t", "dW_t", "db_t")


def backward_step_inputs() -> tuple[np.ndarray, ...]:
    """The fixed inputs check_backward_step uses: dh_t, h_t, h_prev (3, 4), x_t (3, 2), W (4, 4).

    h_prev and h_t are the states of a two-step tanh RNN (so h_prev is itself a tanh output).
    Returns (dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0): the first five are what the
    learner's function receives.
    """
    rng = np.random.default_rng(SEED + 1)
    U = rng.normal(0.0, 0.5, (H, D))
    W = rng.normal(0.0, 0.5, (H, H))
    b = rng.normal(0.0, 0.5, H)
    X = rng.normal(0.0, 1.0, (N, 2, D))
    h0 = np.tanh(rng.normal(0.0, 1.0, (N, H)))
    dh_t = rng.normal(0.0, 1.0, (N, H))
    params = Params(U=U, W=W, V=np.eye(H), b=b, c=np.zeros(H))
    _, cache = forward(params, X, "tanh", h0=h0)
    h_prev, h_t = cache.states[1], cache.states[2]
    return dh_t, h_t, h_prev, X[:, 1], W, U, b, X[:, 0], h0


def _backward_reference() -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """(inputs for the learner, expected outputs) from rnnlib's BPTT.

    With V = I the loss's gradient dL/dY_hat = dh_t reaches h_2 = h_t unchanged. Truncation
    depth 1 gives exactly the last step's shares dU_t, dW_t, db_t and delta_t; full BPTT's
    delta_1 = dL/dh_1 * (1 - h_1**2) gives dL/dh_prev.
    """
    dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0 = backward_step_inputs()
    params = Params(U=U, W=W, V=np.eye(H), b=b, c=np.zeros(H))
    X = np.stack([x_prev, x_t], axis=1)
    _, cache = forward(params, X, "tanh", h0=h0)
    last, _ = backward(dh_t, params, cache, truncation=1)
    _, deltas = backward(dh_t, params, cache, truncation=None)
    delta_t = deltas[1]
    dh_prev = deltas[0] / (1.0 - h_prev**2)
    return (dh_t, h_t, h_prev, x_t, W), (delta_t, dh_prev, last.U, last.W, last.b)


def check_backward_step(fn: Callable[..., tuple | None]) -> bool:
    """Check a learner's backward step: fn(dh_t, h_t, h_prev, x_t, W) -> 5 arrays.

    Inputs: dh_t = dL/dh_t (N, H), h_t (N, H), h_prev (N, H), x_t (N, D), W (H, H), for the
    tanh step h_t = tanh(U x_t + W h_prev + b). Must return the tuple
    (delta_t (N, H), dh_prev (N, H), dU_t (H, D), dW_t (H, H), db_t (H,)) with
    delta_t = dL/da_t, dh_prev = dL/dh_{t-1}, and the step's shares of dL/dU, dL/dW, dL/db
    summed over the batch. Compared with rnnlib.bptt.backward. Prints one line; returns True
    only on PASS.
    """
    inputs, expected = _backward_reference()
    shapes = {"delta_t": ((N, H), "(N, H)"), "dh_prev": ((N, H), "(N, H)"),
              "dU_t": ((H, D), "(H, D)"), "dW_t": ((H, H), "(H, H)"), "db_t": ((H,), "(H,)")}
    try:
        result, _ = _call(fn, *inputs)
        if result is None:
            return _report(NOT_YET, False)
        if not isinstance(result, tuple | list) or len(result) != 5:
            got = f"{len(result)} values" if isinstance(result, tuple | list) else (
                type(result).__name__)
            raise _Failure(
                "FAIL: your function must return five values "
                f"(delta_t, dh_prev, dU_t, dW_t, db_t), got {got}"
            )
        missing = [name for name, r in zip(BACKWARD_NAMES, result, strict=True) if r is None]
        if missing:
            return _report(
                f"NOT YET: your function returned None for {', '.join(missing)} — "
                "write it above and run this cell again",
                False,
            )
        worst = 0.0
        for name, value, reference in zip(BACKWARD_NAMES, result, expected, strict=True):
            shape, what = shapes[name]
            got = _as_array(value, name, shape, what)
            worst = max(worst, _compare(name, got, reference))
    except _Failure as failure:
        return _report(str(failure), False)
    return _report(_pass_line(worst, "all five match, largest relative error"), True)


# --- clipping by global norm -----------------------------------------------------------------


def clip_inputs() -> list[np.ndarray]:
    """The fixed gradients check_clip_by_norm uses: five arrays shaped like dU, dW, dV, db, dc.

    Their norms differ widely, so clipping each array by its own norm gives a wrong answer.
    """
    rng = np.random.default_rng(SEED + 2)
    return [
        rng.normal(0.0, 2.0, (H, D)),
        rng.normal(0.0, 0.1, (H, H)),
        rng.normal(0.0, 1.0, (1, H)),
        rng.normal(0.0, 0.5, H),
        rng.normal(0.0, 1.0, 1),
    ]


def _as_params(arrays: Sequence[np.ndarray]) -> Params:
    return Params(*arrays)


def check_clip_by_norm(fn: Callable[[list[np.ndarray], float], list | None]) -> bool:
    """Check a learner's global-norm clipping: fn(grads, threshold) -> clipped list.

    grads: list of arrays; threshold c > 0. Must return a new list of arrays of the same shapes,
    all scaled by c / ||g|| if their global L2 norm ||g|| exceeds c, else unchanged, without
    modifying the inputs. Compared with rnnlib.clipping.clip_by_norm for a threshold below the
    global norm (clipping acts) and one above it (nothing changes). Prints one line; returns
    True only on PASS.
    """
    grads = clip_inputs()
    norm = _as_params(grads).norm()
    cases = [(round(norm / 3.0, 1), "clipping must act"), (round(norm * 2.0, 1), "nothing changes")]
    names = tuple(f"array {i} ({n})" for i, n in enumerate(("dU", "dW", "dV", "db", "dc")))
    worst = 0.0
    try:
        for threshold, what in cases:
            expected, _, _ = clip_by_norm(_as_params(grads), threshold)
            result, (given, _) = _call(fn, grads, threshold)
            if result is None:
                return _report(NOT_YET, False)
            if not all(np.array_equal(g, o) for g, o in zip(given, grads, strict=True)):
                raise _Failure(
                    "FAIL: your function changed the input arrays in place; "
                    "return new arrays (e.g. g * scale) and leave the inputs as they were"
                )
            try:
                result = list(result)
            except TypeError:
                raise _Failure(
                    f"FAIL: your function must return a list of arrays, "
                    f"got {type(result).__name__}"
                ) from None
            if len(result) != len(grads):
                raise _Failure(
                    f"FAIL: your function returned {len(result)} arrays for "
                    f"{len(grads)} gradients"
                )
            context = f" with threshold {threshold:.1f} (global norm {norm:.2f}: {what})"
            for name, value, reference in zip(names, result, expected.items(), strict=True):
                shape = reference[1].shape
                got = _as_array(value, name, shape, "the input's shape")
                worst = max(worst, _compare(name, got, reference[1], context))
    except _Failure as failure:
        return _report(str(failure), False)
    return _report(_pass_line(worst, "both cases match, largest relative error"), True)
