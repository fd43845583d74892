"""Notebook 03's exercises: the loss and its gradient, one backward step, BPTT with truncation,
and a central-difference gradient.

mse_loss(Y_hat, Y) -> (L, dY_hat)
    Y_hat, Y (N, O); L = sum((Y_hat - Y)**2) / (2 N), one number; dY_hat = (Y_hat - Y) / N.

backward_step(dh_t, h_t, h_prev, x_t, W) -> (delta_t, dh_prev, dU_t, dW_t, db_t)
    One step back through h_t = tanh(a_t), a_t = U x_t + W h_(t-1) + b, for a batch (rows are
    records): dh_t = dL/dh_t (N, H), h_t (N, H), h_prev (N, H), x_t (N, D), W (H, H). Returns
    delta_t = dL/da_t = dh_t * (1 - h_t**2) (N, H), dh_prev = dL/dh_(t-1) = delta_t W (N, H),
    and the step's shares dU_t = delta_t^T x_t (H, D), dW_t = delta_t^T h_prev (H, H),
    db_t = sum over records of delta_t (H,).

bptt(dY_hat, X, states, W, V, k) -> (dU, dW, dV, db, dc)
    dY_hat (N, O), X (N, T, D), states (T + 1, N, H) as rnn_forward returns them, W (H, H),
    V (O, H), truncation depth k (1 <= k <= T) as rnnlib.bptt defines it: the error flows back
    through the last k steps, t = T-k+1 .. T, and only those steps add their shares.
    Returns dU (H, D), dW (H, H), dV (O, H), db (H,), dc (O,). Checked against rnnlib.backward.

numerical_gradient(f, x, eps=1e-6) -> grad
    Central differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every element of the
    float64 array x, which f() reads; x is perturbed in place and restored exactly.

Each is checked on sizes that all differ and on the course's own shapes (D = 1, O = 1, one
record and a batch; 1-D arrays like b and c for the numerical gradient).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from rnnlib.bptt import backward
from rnnlib.exercises._core import (
    WHERE,
    Case,
    Failure,
    NotYet,
    Part,
    Verdict,
    agrees,
    as_array,
    call,
    checker,
    confirmed,
    constant_factor,
    describe_value,
    diagnose,
    expect_none_or,
    learner_source,
    listing,
    localize,
    locate,
    magnitude,
    matches,
    name_slip,
    over_cases,
    own_nodes,
    pass_text,
    require_float64,
    run_checks,
    unpack,
    with_location,
)
from rnnlib.gradcheck import numerical_gradient as rnnlib_numerical_gradient
from rnnlib.gradcheck import relative_error
from rnnlib.model import ForwardCache, Params, forward, mse_loss

SEED = 2025

# --- the loss and its gradient -------------------------------------------------------------

LN, LO = 5, 3
LOSS_CASES = (
    Case({"N": LN, "O": LO}, False, SEED),
    Case({"N": 1, "O": 1}, True, SEED + 100),
    Case({"N": 6, "O": 1}, True, SEED + 200),
)


def loss_inputs(case: Case = LOSS_CASES[0]) -> tuple[np.ndarray, np.ndarray]:
    """Y_hat, Y of shape (N, O) (default (5, 3): N = 5 records, O = 3 outputs)."""
    rng = np.random.default_rng(case.seed)
    shape = (case["N"], case["O"])
    return rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.0, shape)


def reference_loss(Y_hat, Y) -> tuple[float, np.ndarray]:
    """rnnlib's version: rnnlib.mse_loss."""
    return mse_loss(Y_hat, Y)


def _loss_factors(n: int, o: int):
    """(factor, text): L or dY_hat off by this factor is the named slip (factors of 1 dropped)."""
    loss = [
        (n, "the 1/N is missing: L is the MEAN over the N records, sum(...) / (2 N)"),
        (2.0, "the 1/2 is missing: L = sum((Y_hat - Y)**2) / (2 N)"),
        (2.0 * n, "both the 1/2 and the 1/N are missing: L = sum((Y_hat - Y)**2) / (2 N)"),
        (1.0 / o, "you divided by N * O (np.mean over all elements averages the outputs too): "
                  "sum over the outputs, divide by 2 N"),
        (2.0 / o, "np.mean over all elements without the 1/2: L = sum((Y_hat - Y)**2) / (2 N)"),
        (0.5, "divided by 4 N: the 1/2 is there once, L = sum((Y_hat - Y)**2) / (2 N)"),
        (n / o, "you divided by the number of outputs O (len(Y[0]), Y.shape[1]); divide by the "
                "number of records N = Y.shape[0] = len(Y)"),
        (1.0 / n, "divided by N twice (N**2): L = sum((Y_hat - Y)**2) / (2 N)"),
        (n / (n - 1) if n > 1 else 1.0, "divided by N - 1: L is a mean over the N records, "
                                         "sum((Y_hat - Y)**2) / (2 N)"),
        (float(n * n), "sum(...) / 2 * N divides by 2 and then multiplies by N: write the "
                       "brackets, sum((Y_hat - Y)**2) / (2 * N)"),
    ]
    grad = [
        (-1.0, "the sign is wrong: dL/dY_hat = (Y_hat - Y) / N, prediction minus target"),
        (n, "the 1/N is missing: dY_hat = (Y_hat - Y) / N"),
        (2.0, "the 2 of the square should cancel the 1/2: dY_hat = (Y_hat - Y) / N"),
        (1.0 / o, "you divided by N * O: dY_hat = (Y_hat - Y) / N"),
        (-float(n), "the sign is wrong and the 1/N is missing: dY_hat = (Y_hat - Y) / N"),
        (0.5, "halved: the 2 of the square cancels the 1/2, dY_hat = (Y_hat - Y) / N"),
        (1.0 / n, "divided by N twice (N**2): dY_hat = (Y_hat - Y) / N"),
        (float(np.sqrt(n)), "divided by sqrt(N): dY_hat = (Y_hat - Y) / N"),
        (n / o, "divided by the number of outputs O (Y.shape[1], len(Y_hat.T)), not by the "
                "records N = len(Y): dY_hat = (Y_hat - Y) / N"),
        (n / (n - 1) if n > 1 else 1.0, "divided by N - 1: the loss is a mean over the N records, "
                                         "dY_hat = (Y_hat - Y) / N"),
        (-2.0, "the sign is wrong and the 2 of the square should cancel the 1/2: dY_hat = "
               "(Y_hat - Y) / N, prediction minus target"),
    ]
    def unique(pairs):  # a factor that two slips share names neither (the first is kept)
        seen, out = set(), []
        for f, t in pairs:
            if f != 1.0 and round(f, 12) not in seen:
                seen.add(round(f, 12))
                out.append((f, t))
        return out

    return unique(loss), unique(grad)


_CUTTERS = ("int", "round", "floor", "trunc", "rint", "fix", "around")  # functions that cut


def _cut_to_whole(fn: Callable) -> str:
    """What in the learner's source cuts a number to a whole one (//, int(), round(), np.floor,
    ...), quoted with its line; what was observed when the source holds none or is unreadable."""
    source = learner_source(fn)
    found = []
    for node in own_nodes(source.tree.body) if source else ():
        if isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.FloorDiv):
            what = "//, a floor division,"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name not in _CUTTERS or (name in ("int", "round") and
                                        isinstance(node.func, ast.Attribute)):
                continue
            what = f"{ast.unparse(node.func)}(),"
        else:
            continue
        line = source.line(node)
        if (what, line) not in found:
            found.append((what, line))
    if not found:
        return ("something cut it to a whole number, such as // (a floor division), int() or "
                "round()")
    return "; ".join(f"your line `{line}` has {what} which cuts a number to a whole one"
                     for what, line in found)


@checker("Check the learner's mse_loss(Y_hat, Y) -> (L, dY_hat) on every input set of "
         "LOSS_CASES.")
def check_loss(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        Y_hat, Y = loss_inputs(case)
        L_ref, dY_ref = reference_loss(Y_hat, Y)
        n, o = case["N"], case["O"]
        loss_factors, grad_factors = _loss_factors(n, o)
        result = call(fn, {"Y_hat": Y_hat, "Y": Y}, case.sizes,
                      {"Y_hat": "(N, O)", "Y": "(N, O)"})
        L, dY_hat = unpack(result, ("L", "dY_hat"))
        if isinstance(L, np.ndarray) and L.shape == (n, o) and L.size > 1 and np.ndim(dY_hat) == 0:
            raise Failure("FAIL: the order is swapped: return L, dY_hat (the loss first)")
        array = np.asarray(L, dtype=np.float64) if _numeric(L) else None
        if array is None or array.size != 1:
            where = ""
            if array is not None and array.shape == (o,) and o != n:
                where = ": you summed over the records only; sum over the outputs too"
            elif array is not None and array.shape in ((n,), (n, 1)):
                where = ": one value per record; average them over the records"
            elif array is not None and array.shape == (1, o) and o > 1:
                where = (": you summed over the records only (axis 0, keepdims=True); sum over "
                         "the outputs too, to one number")
            elif array is not None and array.shape == (o, o) and o > 1:
                where = (": diff.T @ diff is an (O, O) matrix; L sums the squares of all "
                         "elements, np.sum(diff**2) / (2 N)")
            elif array is not None and array.shape == (n, n):
                where = (": an (N,) array met an (N, 1) one and numpy broadcast them into an "
                         "(N, N) table; keep both (N, O)")
            raise Failure(f"FAIL: L must be one number, got {describe_value(L)}{where}")
        if isinstance(L, np.ndarray) and L.ndim > 0:
            raise Failure(f"FAIL: L must be one number, got an array of shape {L.shape} that "
                          "holds it: np.sum(..., keepdims=True) (or a reshape) keeps the axes. "
                          "Leave keepdims out, or return float(L): an array breaks the "
                          "notebook's f\"{L:.4e}\" and its comparisons")
        require_float64(L, "L")
        grad = as_array(dY_hat, "dY_hat", dY_ref, "(N, O)", case.sizes, {
            (o,): confirmed("it is averaged over the records: dY_hat keeps one row per record, "
                            "(Y_hat - Y) / N, (N, O)", (Y_hat - Y).mean(axis=0))}
            if n > 1 else None)
        loss = float(array.reshape(()))
        if not np.isfinite(loss):
            raise Failure("FAIL: L is NaN or infinite")
        if abs(loss - L_ref) > 1e-10 * abs(L_ref):
            for factor, text in loss_factors:
                if abs(loss - factor * L_ref) < 1e-9 * abs(L_ref) * factor:
                    raise Failure(f"FAIL: L is wrong: {text}")
            total = float(np.sum((Y_hat - Y) ** 2))
            norm = float(np.sqrt(total))
            for other in (norm / (2 * n), norm / n, norm / 2, norm):
                if abs(loss - other) < 1e-9 * other:
                    raise Failure("FAIL: L is wrong: it uses np.linalg.norm(Y_hat - Y), the "
                                  "square root of the sum of squares: the loss is the sum of "
                                  "squares itself, np.sum((Y_hat - Y)**2) / (2 N)")
            if n > 1 and loss == np.floor(total / (2 * n)) and loss != L_ref:
                raise Failure(f"FAIL: L is wrong: it is a whole number, the right L rounded "
                              f"down: {_cut_to_whole(fn)}: keep L a float, "
                              "np.sum((Y_hat - Y)**2) / (2 N), with / and nothing that "
                              "rounds")
            mae = float(np.sum(np.abs(Y_hat - Y)))
            for other, text in ((mae / n, "the mean absolute error (MAE)"),
                                (mae / (n * o), "the mean absolute error (MAE)"),
                                (mae / (2 * n), "half the absolute error")):
                if abs(loss - other) < 1e-9 * other:
                    raise Failure(f"FAIL: L is wrong: it is {text}; the loss squares the "
                                  "differences, sum((Y_hat - Y)**2) / (2 N)")
            for tiny in (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12):
                if abs(loss - (L_ref + tiny)) < 1e-3 * tiny:
                    raise Failure(f"FAIL: L is wrong: a small constant ({tiny:.0e}) is added: the "
                                  "loss is sum((Y_hat - Y)**2) / (2 N) alone")
            diff = Y_hat - Y
            for other in (float(np.var(diff)) / 2, float(np.var(diff)),
                          float(np.sum(np.var(diff, axis=0))) / 2):
                if abs(loss - other) < 1e-9 * other:
                    raise Failure("FAIL: L is wrong: np.var subtracts the mean error before it "
                                  "squares: the loss squares the errors themselves, "
                                  "np.sum((Y_hat - Y)**2) / (2 N)")
            short = float(np.sum(Y_hat**2 - 2 * Y_hat * Y))
            for other in (short / (2 * n), short / n):
                if abs(loss - other) < 1e-9 * abs(other):
                    raise Failure("FAIL: L is wrong: the expanded square misses + Y**2: "
                                  "(Y_hat - Y)**2 = Y_hat**2 - 2 Y_hat Y + Y**2; write "
                                  "np.sum((Y_hat - Y)**2) / (2 N)")
            squares = float(np.sum(Y_hat**2 - Y**2))
            for other in (squares / (2 * n), squares / n):
                if abs(loss - other) < 1e-9 * abs(other):
                    raise Failure("FAIL: L is wrong: it is sum(Y_hat**2 - Y**2), the difference "
                                  "of the squares; the loss squares the difference, "
                                  "np.sum((Y_hat - Y)**2) / (2 N)")
            square = float(np.sum(Y_hat - Y)) ** 2
            for other in (square / (2 * n), square / n, square / (2 * n * o)):
                if abs(loss - other) < 1e-9 * other:
                    raise Failure("FAIL: L is wrong: it is the square of the sum of the "
                                  "differences; the loss is the sum of the squares, "
                                  "np.sum((Y_hat - Y)**2) / (2 N)")
            for root in (np.sqrt(L_ref), np.sqrt(2.0 * L_ref), np.sqrt(2.0 * L_ref * n / (n * o))):
                if abs(loss - root) < 1e-9 * root:
                    raise Failure("FAIL: L is wrong: it is a square root (an RMSE); the loss is "
                                  "the half mean square, sum((Y_hat - Y)**2) / (2 N)")
            error = magnitude(abs(loss - L_ref) / L_ref)
            if matches(grad, dY_ref):
                line = (f"{WHERE} dY_hat is right, so your errors Y_hat - Y are right; L is "
                        "wrong: look at the line of L, the sum of the squares of every error, "
                        "divided by 2 N: np.sum((Y_hat - Y)**2) / (2 * N)")
            else:
                line = (f"{WHERE} L and dY_hat are both wrong: look first at what both are made "
                        "from, the errors Y_hat - Y (the prediction minus the target, (N, O))")
                divisor = _common_divisor(loss, L_ref, grad, dY_ref, n)
                if divisor is not None:
                    raise Failure(f"FAIL: L and dY_hat are both divided by {divisor}, not by the "
                                  f"number of records N = len(Y) = {n}: take N from the "
                                  "arrays (N = len(Y)), not from a number typed in (the "
                                  "notebook's N = 50 is one batch's)")
            raise with_location(Failure(f"FAIL: L is wrong: relative error {error} (must be < "
                                        "1e-10)"), line)
        try:
            error = diagnose("dY_hat", grad, dY_ref, [(t, f * dY_ref) for f, t in grad_factors] + [
                ("(Y_hat - Y)**2 / N are the loss's terms, not their derivative: the derivative of "
                 "sum((Y_hat - Y)**2) / (2 N) is (Y_hat - Y) / N" + _changed_in_place(fn),
                 (Y_hat - Y) ** 2 / n),
                ("np.sign(Y_hat - Y) / N is the gradient of the absolute error: the squared "
                 "error's is (Y_hat - Y) / N", np.sign(Y_hat - Y) / n),
                ("the errors are clipped (np.clip): the gradient of the squared error is "
                 "(Y_hat - Y) / N, not clipped", np.clip(Y_hat - Y, -1.0, 1.0) / n),
                ("Y_hat / N - Y divides only Y_hat: write the brackets, (Y_hat - Y) / N",
                 Y_hat / n - Y),
                ("it uses the mean target Y.mean(): each record is compared with its own target, "
                 "dY_hat = (Y_hat - Y) / N", (Y_hat - Y.mean()) / n),
                ("(Y_hat - Y)**2 / N are the loss's terms, not their derivative: the derivative of "
                 "sum((Y_hat - Y)**2) / (2 N) is (Y_hat - Y) / N", (Y_hat - Y) ** 2 / (2 * n))])
        except Failure as failure:
            raise with_location(failure, f"{WHERE} L is right; dY_hat is wrong: look at its "
                                         "line, dY_hat = (Y_hat - Y) / N") from None
        return max(error, abs(loss - L_ref) / L_ref)

    return run_checks(lambda: pass_text(over_cases(LOSS_CASES, one),
                                        "L and dY_hat match, largest relative error"), fn)


def _common_divisor(loss, L_ref, grad, dY_ref, n) -> int | None:
    """The whole number m != n that both L and dY_hat were divided by instead of N (L = L_ref n
    / m and dY_hat = dY_ref n / m), or None."""
    if not (np.all(np.isfinite(grad)) and np.all(dY_ref != 0) and L_ref > 0):
        return None
    factor = loss / L_ref
    if not (factor > 0 and np.allclose(grad, factor * dY_ref, rtol=1e-9, atol=0.0)):
        return None
    m = n / factor
    whole = round(m)
    return whole if whole != n and whole >= 1 and abs(m - whole) < 1e-6 * m else None


def _changed_in_place(fn: Callable) -> str:
    """ "; your line `e **= 2` changes e in place ..." for the learner's lines that change an
    array in place (x op= ..., out=x), which every other name of that array sees; "" if none."""
    source = learner_source(fn)
    found = []
    for node in own_nodes(source.tree.body) if source else ():
        name = None
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        elif isinstance(node, ast.Call):
            name = next((k.value.id for k in node.keywords
                         if k.arg == "out" and isinstance(k.value, ast.Name)), None)
        if name is not None:
            found.append(f"your line `{source.line(node)}` changes {name} in place")
    if not found:
        return ""
    return ("; if your line of dY_hat divides the errors by N, they had been squared in place "
            f"before it: {'; '.join(found)}, and every name of the same array sees that (square "
            "a new array for L: e**2)")


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True


# --- one backward step ---------------------------------------------------------------------

N, D, H = 3, 2, 4
SIZES = {N: "N", D: "D", H: "H"}
STEP_ROLES = {"dh_t": "(N, H)", "h_t": "(N, H)", "h_prev": "(N, H)", "x_t": "(N, D)",
              "W": "(H, H)"}
STEP_NAMES = ("delta_t", "dh_prev", "dU_t", "dW_t", "db_t")
STEP_CASES = (
    Case({"N": N, "D": D, "H": H}, False, SEED + 1),
    Case({"N": 1, "D": 1, "H": 3}, True, SEED + 101),
    Case({"N": 5, "D": 1, "H": 3}, True, SEED + 201),
    # a large error, as where gradients explode: some |delta_t| far above 1
    Case({"N": 3, "D": 2, "H": 4}, False, SEED + 301,
         text="a large error dh_t (4 times the others'), N = 3, D = 2, H = 4"),
)
LARGE = SEED + 301  # the seed of the case whose dh_t is 4 times larger


def step_inputs(case: Case = STEP_CASES[0]) -> tuple[np.ndarray, ...]:
    """(dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0): the states of a two-step tanh RNN.

    The first five are what the learner's function receives: dh_t, h_t, h_prev (N, H),
    x_t (N, D), W (H, H) (by default N = 3, D = 2, H = 4).
    """
    n, d, h = case["N"], case["D"], case["H"]
    rng = np.random.default_rng(case.seed)
    U = rng.normal(0.0, 0.5, (h, d))
    W = rng.normal(0.0, 0.5, (h, h))
    b = rng.normal(0.0, 0.5, h)
    X = rng.normal(0.0, 1.0, (n, 2, d))
    h0 = np.tanh(rng.normal(0.0, 1.0, (n, h)))
    dh_t = rng.normal(0.0, 1.0, (n, h)) * (4.0 if case.seed == LARGE else 1.0)
    params = Params(U=U, W=W, V=np.eye(h), b=b, c=np.zeros(h))
    _, cache = forward(params, X, "tanh", h0=h0)
    return dh_t, cache.states[2], cache.states[1], X[:, 1], W, U, b, X[:, 0], h0


def step_reference(case: Case = STEP_CASES[0]):
    """(the learner's inputs, the expected outputs), from rnnlib's BPTT.

    With V = I the loss's gradient dL/dY_hat = dh_t reaches h_2 = h_t unchanged. Truncation
    depth 1 gives exactly the last step's shares and delta_t; full BPTT's
    delta_1 = dL/dh_1 * (1 - h_1**2) gives dL/dh_prev.
    """
    dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0 = step_inputs(case)
    params = Params(U=U, W=W, V=np.eye(W.shape[0]), b=b, c=np.zeros(W.shape[0]))
    X = np.stack([x_prev, x_t], axis=1)
    _, cache = forward(params, X, "tanh", h0=h0)
    last, _ = backward(dh_t, params, cache, truncation=1)
    _, deltas = backward(dh_t, params, cache, truncation=None)
    dh_prev = deltas[0] / (1.0 - h_prev**2)
    return (dh_t, h_t, h_prev, x_t, W), (deltas[1], dh_prev, last.U, last.W, last.b)


def reference_step(dh_t, h_t, h_prev, x_t, W) -> tuple[np.ndarray, ...]:
    """rnnlib's version of one backward step (the formulas of rnnlib.bptt for one step)."""
    delta_t = dh_t * (1.0 - h_t**2)
    return delta_t, delta_t @ W, delta_t.T @ x_t, delta_t.T @ h_prev, delta_t.sum(axis=0)


def _step_slips(dh_t, h_t, h_prev, x_t, W, delta, n):
    return {
        "delta_t": [
            ("the derivative factor is missing: delta_t = dh_t * (1 - h_t**2), the error "
             "times tanh'(a_t)", dh_t),
            ("tanh' is applied to h_t as if it were the pre-activation: h_t is already "
             "tanh(a_t), so tanh'(a_t) = 1 - h_t**2 (no second tanh)",
             dh_t * (1.0 - np.tanh(h_t) ** 2)),
            ("this is the sigmoid's derivative h (1 - h); for tanh it is 1 - h_t**2",
             dh_t * h_t * (1.0 - h_t)),
            ("the brackets: (1 - h_t)**2 is not 1 - h_t**2", dh_t * (1.0 - h_t) ** 2),
            ("the derivative uses h_t * h_prev: tanh'(a_t) = 1 - h_t**2, with h_t alone",
             dh_t * (1.0 - h_t * h_prev)),
            ("the derivative mixes h_t and h_prev: tanh'(a_t) = (1 - h_t)(1 + h_t) = "
             "1 - h_t**2, with h_t in both factors", dh_t * (1.0 - h_t) * (1.0 + h_prev)),
            ("the derivative is taken at h_prev; this step's is 1 - h_t**2",
             dh_t * (1.0 - h_prev**2)),
            ("the factor is h_t**2; tanh' is 1 - h_t**2", dh_t * h_t**2),
            ("it divides by tanh'; multiply: delta_t = dh_t * (1 - h_t**2)",
             dh_t / (1.0 - h_t**2)),
            ("a minus where a times belongs: delta_t = dh_t * (1 - h_t**2)", dh_t - h_t**2),
            ("the error is averaged over the records (dh_t.mean(axis=0)): every record keeps "
             "its own row, delta_t = dh_t * (1 - h_t**2)", dh_t.mean(axis=0) * (1.0 - h_t**2)),
            ("the sign inside: tanh'(a_t) = 1 - h_t**2, not 1 + h_t**2",
             dh_t * (1.0 + h_t**2)),
            ("the factor is 1 - h_t; tanh'(a_t) is 1 - h_t**2, with the square",
             dh_t * (1.0 - h_t)),
            ("the sign is wrong: tanh'(a_t) = 1 - h_t**2, not h_t**2 - 1",
             -dh_t * (1.0 - h_t**2)),
        ],
        "dh_prev": [
            ("W is transposed the wrong way: W^T delta_t for every record (as rows) is "
             "delta_t @ W", delta @ W.T),
            ("the activation's derivative is skipped: use delta_t, not dh_t (dh_prev = "
             "delta_t @ W)", dh_t @ W),
            ("the activation's derivative is skipped and W is transposed the wrong way: "
             "dh_prev = delta_t @ W", dh_t @ W.T),
            ("W is missing: the error reaches h_prev through a_t = ... + W h_prev, "
             "so dh_prev = delta_t @ W", delta),
            ("it is multiplied by h_prev: the error reaches h_prev through W alone, dh_prev = "
             "delta_t @ W", (delta @ W) * h_prev),
            ("dh_t is added to dh_prev: the error reaches h_prev only through W, dh_prev = "
             "delta_t @ W", delta @ W + dh_t),
            ("the derivative is applied after the product with W: first delta_t = dh_t * "
             "(1 - h_t**2), then dh_prev = delta_t @ W", (dh_t @ W) * (1.0 - h_t**2)),
            ("it is already multiplied by (1 - h_prev**2): that factor is the previous step's "
             "own, so dh_prev = delta_t @ W", (delta @ W) * (1.0 - h_prev**2)),
        ],
        "dU_t": [
            ("divided by N: the shares are SUMS over the records (the 1/N is already in dh_t)",
             delta.T @ x_t / n),
            ("dh_t is used instead of delta_t", dh_t.T @ x_t),
            ("divided by H, the number of units: the shares are SUMS over the records, "
             "delta_t.T @ x_t", delta.T @ x_t / delta.shape[1]),
            ("the outer product of the sums over the records is not the sum of the records' "
             "outer products: dU_t = delta_t.T @ x_t", np.outer(delta.sum(0), x_t.sum(0))),
            ("only the last record's share is kept: add every record's (+=), or take "
             "delta_t.T @ x_t, which sums them all", np.outer(delta[-1], x_t[-1])),
            ("only the first record's share is kept: add every record's (+=), or take "
             "delta_t.T @ x_t, which sums them all", np.outer(delta[0], x_t[0])),
        ],
        "dW_t": [
            ("it uses h_t; W multiplies h_prev, so dW_t = delta_t.T @ h_prev", delta.T @ h_t),
            ("it is transposed: dW_t = delta_t.T @ h_prev, not h_prev.T @ delta_t",
             h_prev.T @ delta),
            ("divided by N: the shares are SUMS over the records (the 1/N is already in dh_t)",
             delta.T @ h_prev / n),
            ("dh_t is used instead of delta_t", dh_t.T @ h_prev),
            ("it adds delta_t.T @ h_t too: W multiplies h_prev only, dW_t = delta_t.T @ h_prev",
             delta.T @ h_prev + delta.T @ h_t),
            ("h_prev is squashed again, tanh(h_prev): it is already a state, use h_prev as it "
             "is, dW_t = delta_t.T @ h_prev", delta.T @ np.tanh(h_prev)),
            ("the outer product of the sums over the records is not the sum of the records' "
             "outer products: dW_t = delta_t.T @ h_prev", np.outer(delta.sum(0), h_prev.sum(0))),
            ("only the last record's share is kept: add every record's (+=), or take "
             "delta_t.T @ h_prev, which sums them all", np.outer(delta[-1], h_prev[-1])),
            ("only the first record's share is kept: add every record's (+=), or take "
             "delta_t.T @ h_prev, which sums them all", np.outer(delta[0], h_prev[0])),
        ],
        "db_t": [
            ("it is the mean over the records: the shares are SUMS (the 1/N is already in dh_t)",
             delta.mean(axis=0)),
            ("dh_t is used instead of delta_t", dh_t.sum(axis=0)),
        ],
    }


STEP_SYMBOLS = {"delta_t": "(N, H)", "dh_prev": "(N, H)", "dU_t": "(H, D)", "dW_t": "(H, H)",
                "db_t": "(H,)"}


@checker("Check the learner's backward_step(dh_t, h_t, h_prev, x_t, W) -> 5 arrays on "
         "every input set of STEP_CASES.")
def check_step(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        inputs, expected = step_reference(case)
        n, d, h = case["N"], case["D"], case["H"]
        slips = _step_slips(*inputs, expected[0], n)
        delta = expected[0]
        shape_hints = {"dU_t": {(d, h): confirmed("that is its transpose: dU_t = delta_t.T @ "
                                                  "x_t, (H, N) @ (N, D) -> (H, D)",
                                                  expected[2].T),
                                (h, h): _either(
                                    confirmed("it uses h_prev; U multiplies x_t, so dU_t = "
                                              "delta_t.T @ x_t", delta.T @ inputs[2]),
                                    confirmed("it is the first H columns of the joint share "
                                              "delta_t.T @ [x_t, h_prev]: that share, [dU_t "
                                              "dW_t], has D + H columns, and dU_t is its first "
                                              "D (split at D = x_t.shape[1], not H)",
                                              (delta.T @ np.hstack([inputs[3], inputs[2]]))
                                              [:, :h]))}
                       if d != h else {},
                       "db_t": {(n,): confirmed("you summed over the units (axis 1); sum over "
                                                "the records, axis 0", delta.sum(axis=1)),
                                (n, h): confirmed("sum it over the records (axis 0)", delta),
                                (): confirmed("you summed over both axes; sum over the "
                                              "records only, axis 0", delta.sum())}
                       if n != h else {},
                       "dW_t": {**({(h, d): confirmed("it uses x_t; W multiplies h_prev, so "
                                                      "dW_t = delta_t.T @ h_prev",
                                                      delta.T @ inputs[3])} if d != h else {}),
                                **({(n, n): confirmed("it is delta_t @ h_prev.T, one value per "
                                                      "pair of records: the share sums over the "
                                                      "records, delta_t.T @ h_prev, (H, N) @ "
                                                      "(N, H)", delta @ inputs[2].T)}
                                   if n != h else {})},
                       "dh_prev": {(h,): confirmed("the error was summed over the records "
                                                   "before it passed back: dh_prev keeps one row "
                                                   "per record, delta_t @ W",
                                                   delta.sum(axis=0) @ inputs[4])}
                       if n > 1 else {}}
        result = call(fn, dict(zip(STEP_ROLES, inputs, strict=True)), case.sizes, STEP_ROLES,
                      "rows are records: W^T delta for every row is delta_t @ W, and "
                      "sum_n delta x^T is delta_t.T @ x_t")
        values = unpack(result, STEP_NAMES, expected)
        worst = 0.0
        for name, value, reference in zip(STEP_NAMES, values, expected, strict=True):
            got = as_array(value, name, reference, STEP_SYMBOLS[name], case.sizes,
                           shape_hints.get(name))
            try:
                worst = max(worst, diagnose(name, got, reference, slips[name]))
            except Failure as failure:
                raise with_location(failure, locate(_step_parts(values, expected))) from None
        return worst

    return run_checks(lambda: pass_text(over_cases(STEP_CASES, one),
                                        "all five match, largest relative error"), fn)


def _either(*hints):
    """A shape hint that gives the first of hints that the learner's array confirms."""
    return lambda array: next((text for text in (h(array) for h in hints) if text), None)


_STEP_EQUATIONS = {"delta_t": "delta_t = dh_t * (1 - h_t**2)", "dh_prev": "dh_prev = delta_t @ W",
                   "dU_t": "dU_t = delta_t.T @ x_t", "dW_t": "dW_t = delta_t.T @ h_prev",
                   "db_t": "db_t = delta_t.sum(axis=0)"}


def _step_parts(values, expected) -> list[Part]:
    """backward_step's five outputs compared one by one; all but delta_t are made from it."""
    return [Part(name, matches(v, e), () if name == "delta_t" else ("delta_t",),
                 _STEP_EQUATIONS[name])
            for name, v, e in zip(STEP_NAMES, values, expected, strict=True)]


# --- BPTT with truncation ------------------------------------------------------------------

T, O = 6, 1
K = 3
BPTT_ROLES = {"dY_hat": "(N, O)", "X": "(N, T, D)", "states": "(T + 1, N, H)", "W": "(H, H)",
              "V": "(O, H)", "k": "k"}
BPTT_NAMES = ("dU", "dW", "dV", "db", "dc")
BPTT_SYMBOLS = {"dU": "(H, D)", "dW": "(H, H)", "dV": "(O, H)", "db": "(H,)", "dc": "(O,)"}
BPTT_CASES = (
    Case({"N": N, "T": T, "D": D, "H": H, "O": O}, False, SEED + 2, {T + 1: "T + 1"}),
    Case({"N": 1, "T": 5, "D": 1, "H": 3, "O": 1}, True, SEED + 102, {6: "T + 1"}),
    Case({"N": 4, "T": 5, "D": 1, "H": 3, "O": 1}, True, SEED + 202, {6: "T + 1"}),
    # several outputs (O > 1, unlike N), as notebook 09's characters: an error at the top
    # written for O = 1 alone (dY_hat * V) shows here
    Case({"N": 3, "T": 4, "D": 2, "H": 4, "O": 7}, False, SEED + 302, {5: "T + 1"}),
)


def bptt_inputs(case: Case = BPTT_CASES[0]) -> tuple[np.ndarray, ...]:
    """(dY_hat (N, O), X (N, T, D), states (T + 1, N, H), W, V, U, b); default N=3, T=6, D=2."""
    n, t, d, h, o = (case[s] for s in ("N", "T", "D", "H", "O"))
    rng = np.random.default_rng(case.seed)
    U = rng.normal(0.0, 0.6, (h, d))
    W = rng.normal(0.0, 0.6, (h, h))
    V = rng.normal(0.0, 0.6, (o, h))
    b = rng.normal(0.0, 0.3, h)
    X = rng.normal(0.0, 1.0, (n, t, d))
    dY_hat = rng.normal(0.0, 1.0, (n, o))
    _, cache = forward(Params(U=U, W=W, V=V, b=b, c=np.zeros(o)), X, "tanh")
    return dY_hat, X, cache.states, W, V, U, b


def reference_bptt(dY_hat, X, states, W, V, k) -> tuple[np.ndarray, ...]:
    """rnnlib's version: rnnlib.backward with truncation=k; returns (dU, dW, dV, db, dc)."""
    X = np.asarray(X, dtype=np.float64)
    H_ = np.shape(W)[0]
    params = Params(U=np.zeros((H_, X.shape[2])), W=W, V=V, b=np.zeros(H_),
                    c=np.zeros(np.shape(V)[0]))
    grads, _ = backward(dY_hat, params, ForwardCache(X=X, states=states, activation="tanh"),
                        truncation=int(k))
    return grads.U, grads.W, grads.V, grads.b, grads.c


def _bptt_loop(dY_hat, X, states, W, V, k, steps=None, pass_back=True, keep="sum",
               derivative=lambda h: 1.0 - h**2, back=lambda d, W: d @ W, at=0, top=1.0,
               h_prev_at=-1, twice=False):
    """BPTT written plainly, with switches that make the usual wrong versions.

    steps: the order of the steps visited (default T, T-1, ..., T-k+1); pass_back: whether the
    error is passed on to the previous step; keep: "sum" of the shares, "last" (= instead of
    +=), "mean" (over the steps) or "per record" (divided by N); derivative: tanh' as a
    function of h_t, taken at states[t + at]; back: dh_prev from delta_t and W.
    """
    T_ = X.shape[1]
    steps = list(range(T_, T_ - k, -1)) if steps is None else list(steps)
    g = first = (dY_hat @ V) * top
    shares = []
    for t in steps:
        delta = g * derivative(states[t + at])
        shares.append((delta.T @ X[:, t - 1], delta.T @ states[t + h_prev_at],
                       delta.sum(axis=0)))
        g = back(delta, W) if pass_back else first
        if twice:
            g = g * (1.0 - states[t - 1] ** 2)
    if keep == "last":
        dU, dW, db = shares[-1]
    else:
        dU, dW, db = (sum(s[i] for s in shares) for i in range(3))
        if keep in ("mean", "per record"):
            count = len(steps) if keep == "mean" else X.shape[0]
            dU, dW, db = dU / count, dW / count, db / count
    return dU, dW, dY_hat.T @ states[T_], db, dY_hat.sum(axis=0)


def _deltas(dY_hat, states, W, V, k):
    """delta_t of the steps t = T, ..., T-k+1 of plain BPTT."""
    T_ = states.shape[0] - 1
    g, out = dY_hat @ V, []
    for t in range(T_, T_ - k, -1):
        out.append(g * (1.0 - states[t] ** 2))
        g = out[-1] @ W
    return out


def _passes_g(dY_hat, X, states, W, V, k):
    """The wrong BPTT that passes dh_t @ W back (the error before tanh'), not delta_t @ W."""
    T_ = X.shape[1]
    g = dY_hat @ V
    dU, dW, db = 0.0, 0.0, 0.0
    for t in range(T_, T_ - k, -1):
        delta = g * (1.0 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = g @ W
    return dU, dW, dY_hat.T @ states[T_], db, dY_hat.sum(axis=0)


def _bptt_slips(dY_hat, X, states, W, V, k):
    """(text, the five gradients) for the usual wrong versions of BPTT."""
    T_ = X.shape[1]
    args = (dY_hat, X, states, W, V, k)
    slips = [
        ("the error never reaches the earlier steps: each step must pass dh_prev (= delta_t @ "
         "W) on as the next dh_t, instead of starting again from dY_hat @ V",
         _bptt_loop(*args, pass_back=False)),
        ("the steps run forward in time: BPTT starts at the last step, t = T, T-1, ..., "
         "T-k+1 (range(T, T - k, -1)), because each step needs the error of the one after it",
         _bptt_loop(*args, steps=range(T_ - k + 1, T_ + 1))),
        ("the steps run forward from t = 1: BPTT starts at t = T and goes back k steps, "
         "range(T, T - k, -1)", _bptt_loop(*args, steps=range(1, k + 1))),
        ("the window is shifted one step back, t = T-1 .. T-k: the error enters at h_T, so "
         "the k steps are t = T, T-1, ..., T-k+1 (range(T, T - k, -1))",
         _bptt_loop(*args, steps=range(T_ - 1, T_ - 1 - k, -1))),
        ("the error passed back skips tanh': pass dh_prev = delta_t @ W, not dh_t @ W",
         _passes_g(*args)),
        ("the k steps are the first ones, t = k .. 1: truncation keeps the LAST k steps, t = "
         "T, T-1, ..., T-k+1 (range(T, T - k, -1)), where the error enters at h_T",
         _bptt_loop(*args, steps=range(k, 0, -1))),
        ("only one step's share is kept: add every step's share (dU = dU + dU_t, += not =)",
         _bptt_loop(*args, keep="last")),
        ("the shares are averaged over the steps: BPTT adds them up (no division by k)",
         _bptt_loop(*args, keep="mean")),
        ("the factor is h_t**2; tanh' is 1 - h_t**2: delta_t = dh_t * (1 - h_t**2)",
         _bptt_loop(*args, derivative=lambda h: h**2)),
        ("tanh' is missing in the steps: delta_t = dh_t * (1 - h_t**2)",
         _bptt_loop(*args, derivative=lambda h: 1.0)),
        ("tanh' is taken of h_t as if it were the pre-activation: h_t is already tanh(a_t), "
         "so tanh'(a_t) = 1 - h_t**2", _bptt_loop(*args, derivative=lambda h: 1 - np.tanh(h)**2)),
        ("W is transposed the wrong way when the error passes back: dh_prev = delta_t @ W",
         _bptt_loop(*args, back=lambda d, W: d @ W.T)),
        ("tanh' is taken at the previous state: step t's derivative is 1 - h_t**2 with "
         "h_t = states[t], not states[t - 1]", _bptt_loop(*args, at=-1)),
        ("the error entering h_T is dY_hat itself: it passes through V first, dY_hat @ V",
         _bptt_loop(dY_hat, X, states, W, np.ones_like(V), k)),
        ("tanh' is applied twice: the error passed back is dh_prev = delta_t @ W, without "
         "(1 - h_prev**2): the step before multiplies by its own tanh' itself",
         _bptt_loop(*args, twice=True)),
        ("h_t and h_prev are swapped in the step: my.backward_step takes (dh_t, h_t, h_prev, "
         "x_t, W) = (g, states[t], states[t - 1], X[:, t - 1], W)",
         _bptt_loop(*args, at=-1, h_prev_at=0)),
        ("the shares are divided by N: they are SUMS over the records (the 1/N is already in "
         "dY_hat)", _bptt_loop(*args, keep="per record")),
        ("tanh' is applied twice at the last step: the error entering h_T is dY_hat @ V, and "
         "the step itself multiplies by 1 - h_T**2", _bptt_loop(
             dY_hat * 1.0, X, states, W, V, k, top=1.0 - states[T_] ** 2)),
    ]
    if k < T_:
        slips.append(("only one step's share is kept, and the truncation depth k is ignored",
                      _bptt_loop(*args[:5], T_, keep="last")))
    return slips


@checker("Check the learner's bptt(dY_hat, X, states, W, V, k) -> 5 gradients, for k = 1, "
         "2, 3 and T, on every input set of BPTT_CASES.")
def check_bptt(fn: Callable) -> Verdict:
    def one(case: Case, k: int) -> float:
        dY_hat, X, states, W, V, _, _ = bptt_inputs(case)
        n, t, d, h = case["N"], case["T"], case["D"], case["H"]
        label = (f"with k = {k} of T = {t} steps" if 1 < k < t else
                 f"with k = T = {t} (full BPTT)" if k == t else "with k = 1 (the last step only)")
        expected = reference_bptt(dY_hat, X, states, W, V, k)
        o = dY_hat.shape[1]
        row = ("dc is a row (1, O) with the right values: sum dY_hat over the records to (O,), "
               "dY_hat.sum(axis=0) (no keepdims=True)")
        column = ("dc is a column (O, 1) with the right values: sum dY_hat over the records to "
                  "(O,), dY_hat.sum(axis=0), with no axis added")
        if o == 1:  # (1, 1) is a row and a column: the message names neither
            row = column = ("dc is 2-D, (1, 1), with the right value: sum dY_hat over the "
                            "records to (O,), dY_hat.sum(axis=0), with no axis kept or added "
                            "(no keepdims=True, no [:, None] or reshape)")
        hints = {"dc": {(n, 1): confirmed("dc is dY_hat itself: sum it over the records "
                                          "(axis 0)", dY_hat),
                        (n,): confirmed("you summed over the outputs (axis 1); sum over the "
                                        "records, axis 0", dY_hat.sum(axis=1))}
                 if n > 1 else {},
                 "db": {(n, h): "it has one row per record: sum it over the records and the "
                                "steps",
                        (n,): confirmed("you summed over the units (axis 1); sum over the "
                                        "records, axis 0", sum(d.sum(axis=1) for d in _deltas(
                                            dY_hat, states, W, V, k)))} if n != h else {},
                 "dU": {(d, h): confirmed("that is its transpose: the sum of delta_t.T @ x_t",
                                          expected[0].T)} if d != h else {}}
        # dc kept 2-D, (1, O) or (O, 1), with the right values (a sum with keepdims=True)
        for shape, text in (((1, o), row), ((o, 1), column)):
            if shape not in hints["dc"]:
                hints["dc"][shape] = confirmed(text, expected[4].reshape(shape))
        args = {"dY_hat": dY_hat, "X": X, "states": states, "W": W, "V": V, "k": k}
        result = call(fn, args, case.sizes, BPTT_ROLES,
                      "step t's input is X[:, t - 1] and its states are states[t] (h_t) and "
                      "states[t - 1] (h_prev); the error entering h_T is dY_hat @ V")
        values = unpack(result, BPTT_NAMES, expected)
        got = [as_array(v, name, e, BPTT_SYMBOLS[name], case.sizes, hints.get(name))
               for name, v, e in zip(BPTT_NAMES, values, expected, strict=True)]
        flat = np.concatenate([g.ravel() for g in got])
        if relative_error(flat, np.concatenate([e.ravel() for e in expected])) >= 1e-10:
            try:
                _diagnose_bptt(got, expected, flat, dY_hat, X, states, W, V, k, label)
            except Failure as failure:
                in_steps = any(relative_error(g, e) >= 1e-10 for g, e in zip(
                    got[:2] + got[3:4], expected[:2] + expected[3:4], strict=True))
                line = _bptt_locate(fn, args, k, got, expected)
                if not in_steps:  # only the read-out (dV, dc) is wrong: the steps are fine
                    raise with_location(failure, line) from None
                raise with_location(localize(failure, _bptt_probes(fn, args, k),
                                             None if line else _bptt_conclusion),
                                    line) from None
        return max(relative_error(g, e) for g, e in zip(got, expected, strict=True))

    def body() -> str:
        # k = 3, T and 1 on the first set, then k = 2 and T on every set
        worst = max(over_cases(BPTT_CASES[:1], lambda c, kk=kk: one(c, kk)) for kk in (K, T, 1))
        worst = max(worst, over_cases(BPTT_CASES, lambda c: one(c, 2)),
                    over_cases(BPTT_CASES, lambda c: one(c, c["T"])))
        return pass_text(worst, "k = 1, 2, 3 and k = T match, largest relative error")

    return run_checks(body, fn)


_SHARES = {"dU": "dU += delta_t.T @ X[:, t - 1]", "dW": "dW += delta_t.T @ states[t - 1]",
           "db": "db += delta_t.sum(axis=0)"}


def _bptt_right(fn, args, k) -> dict[str, bool | None] | None:
    """Each of the learner's five gradients with truncation depth k: right or not (None if
    the function raised)."""
    changed = {**args, "k": k}
    try:
        values = unpack(call(fn, changed, {}, {}), BPTT_NAMES)
    except (Failure, NotYet):
        return None
    expected = reference_bptt(*changed.values())
    return {n: matches(v, e) for n, v, e in zip(BPTT_NAMES, values, expected, strict=True)}


def _bptt_locate(fn, args, k, got, expected) -> str:
    """The located line of a wrong bptt: the read-out (dV, dc), or the first step back (the
    smallest k that goes wrong) and which of its shares (dU, dW, db) are wrong."""
    right = {n: matches(g, e) for n, g, e in zip(BPTT_NAMES, got, expected, strict=True)}
    if all(right[n] for n in ("dU", "dW", "db")):
        return locate([Part(n, right[n], (), {"dV": "dV = dY_hat.T @ states[T] (the read-out "
                                                    "is used once, at h_T)",
                                              "dc": "dc = dY_hat.sum(axis=0)"}.get(n, ""))
                       for n in BPTT_NAMES])
    for kk in range(1, k + 1):
        seen = right if kk == k else _bptt_right(fn, args, kk)
        if seen is None or any(seen[n] is None for n in ("dU", "dW", "db")):
            return ""
        bad = [n for n in ("dU", "dW", "db") if not seen[n]]
        if bad:
            break
    else:
        return ""
    good = [n for n in ("dU", "dW", "db") if n not in bad]
    readout = ("dV and dc are right, so the error reaches h_T right; " if right["dV"] and
               right["dc"] else "")
    if kk == 1:
        if not good:
            return (f"{WHERE} {readout}with k = 1, the one step t = T, dU, dW and db are all "
                    "wrong already: look at that step's delta_T = (dY_hat @ V) * (1 - "
                    "states[T]**2), then its shares with x = X[:, T - 1] and h_prev = "
                    "states[T - 1]")
        return (f"{WHERE} {readout}with k = 1, the one step t = T, {listing(bad)} "
                f"{'is' if len(bad) == 1 else 'are'} wrong and {listing(good)} right: look at "
                + "; and at ".join(_SHARES[n] for n in bad) + ", for t = T")
    step = f"step t = T - {kk - 1}"
    first = (f"{WHERE} {readout}with k = {kk - 1} all five are right, with k = {kk} not: the "
             f"steps after {step} are right, and {step} is the first that goes wrong")
    if not good:
        return (f"{first}: all three of its shares (dU, dW, db) are wrong, and they share its "
                "delta_t: look first at what the step after it passes back, dh_prev = delta_t "
                "@ W, which becomes this step's dh_t, and at delta_t = dh_t * (1 - "
                "states[t]**2)")
    return (f"{first}: its share of {listing(bad)} is wrong, its share of {listing(good)} "
            f"right: look at how {listing(bad)} {'adds' if len(bad) == 1 else 'add'} each "
            "step's share: " + "; and at ".join(_SHARES[n] for n in bad))


def _bptt_conclusion(right: set[str], wrong: set[str]) -> str | None:
    one = "with k = 1 (one step)" in right
    still = "with W = 0 (nothing passes back beyond a step)" in right
    if one and not still:
        return ("so one step is right, and what goes wrong is how the steps combine: every step "
                "adds its shares (+=), and passes dh_prev = delta_t @ W on as the next dh_t")
    if one and still:
        return ("so one step is right, and what goes wrong is the error passed back: dh_prev = "
                "delta_t @ W, multiplied by tanh' once, in the step before")
    if any(label.startswith("with k = T") for label in right):
        return "so the truncation is what goes wrong: the error flows back through k steps"
    return None


def _bptt_probes(fn, args, k):
    def probe(**change):
        changed = {**args, **change}
        return lambda: agrees(fn, changed, reference_bptt(*changed.values()), len(BPTT_NAMES))

    T_ = args["X"].shape[1]
    probes = [("with k = 1 (one step)", probe(k=1))] if k > 1 else []
    probes.append(("with W = 0 (nothing passes back beyond a step)",
                   probe(W=np.zeros_like(args["W"]))))
    if k < T_:
        probes.append((f"with k = T = {T_}", probe(k=T_)))
    return probes


def _diagnose_bptt(got, expected, flat, dY_hat, X, states, W, V, k, label) -> None:
    def flatten(arrays):
        return np.concatenate([np.ravel(a) for a in arrays])

    def variant(kk):
        return flatten(reference_bptt(dY_hat, X, states, W, V, kk))

    T_ = X.shape[1]
    close = {kk: relative_error(flat, variant(kk)) < 1e-6 for kk in range(1, T_ + 1)}
    window = ("the error flows back through t = T, T-1, ..., T-k+1, which is k steps "
              "(range(T, T - k, -1))")
    if close.get(k + 1) and k + 1 <= T_:
        raise Failure(f"FAIL: your gradients {label} are those of k + 1 = {k + 1} steps: an "
                      f"off-by-one in the truncation window; {window}")
    if close.get(k - 1):
        raise Failure(f"FAIL: your gradients {label} are those of k - 1 = {k - 1} steps: an "
                      f"off-by-one in the truncation window; {window}")
    if k < T_ and close.get(T_):
        raise Failure(f"FAIL: your gradients {label} are the full-BPTT ones: the truncation "
                      "depth k is ignored; stop the backward loop after k steps")
    if T_ - k != k and close.get(T_ - k):
        raise Failure(f"FAIL: your gradients {label} are those of T - k = {T_ - k} steps: "
                      f"range(T, k, -1) runs T - k steps; {window}")
    steps_part = [got[0], got[1], got[3]]
    if k == T_ and not any(np.any(g) for g in steps_part):
        raise Failure(f"FAIL: your gradients {label}: dU, dW and db are zero, so your loop ran "
                      f"no step (range(T, k, -1) is empty for k = T); {window}")
    slips = [(text, flatten(wrong)) for text, wrong in _bptt_slips(dY_hat, X, states, W, V, k)
             if all(np.shape(w) == g.shape for w, g in zip(wrong, got, strict=True))]
    name_slip("your gradients", flat, slips, f" {label}", plural=True,
              expected=flatten(expected))
    for name, g, e in zip(BPTT_NAMES, got, expected, strict=True):
        if relative_error(g, e) >= 1e-10:
            slips = []
            if name == "dV":
                slips.append(("dV = dY_hat.T @ h_T: only the last state is read out",
                              sum(dY_hat.T @ states[t] for t in range(1, T_ + 1))))
                slips.append(("it is transposed the wrong way round or read from h_(T-1): "
                              "dV = dY_hat.T @ states[T]", dY_hat.T @ states[T_ - 1]))
            if name == "dV":
                for t in range(T_ - 1, -1, -1):
                    slips.append((f"dV reads states[{t}]: the read-out is from the last state, "
                                  "dV = dY_hat.T @ states[T]", dY_hat.T @ states[t]))
                slips.append(("dV = dY_hat.T @ h_T: only the last state is read out, not every "
                              "state of the window", sum(dY_hat.T @ states[t]
                                                         for t in range(T_, T_ - k, -1))))
                slips.append(("dV is divided by N: it is a SUM over the records, dY_hat.T @ "
                              "states[T] (the 1/N is already in dY_hat)",
                              dY_hat.T @ states[T_] / X.shape[0]))
                slips.append(("dV is divided by k: the read-out is used once, at h_T, so dV = "
                              "dY_hat.T @ states[T], whatever k", dY_hat.T @ states[T_] / k))
            if name == "dc":
                slips.append(("dc is the sum of dY_hat over the records", dY_hat.mean(axis=0)))
                slips.append(("dc is divided by T: the output bias is used once, at the "
                              "prediction, so dc = dY_hat.sum(axis=0)", dY_hat.sum(axis=0) / T_))
            if name == "db":
                total = sum(float(np.sum(d)) for d in _deltas(dY_hat, states, W, V, k))
                slips.append(("db's shares are summed over both axes: each step adds "
                              "delta_t.sum(axis=0), a sum over the records only",
                              np.full(e.shape, total)))
            if name in ("dU", "dW", "db"):
                slips.append((f"{name}'s shares are means over the records: each step adds "
                              "the SUM over the records (the 1/N is already in dY_hat)",
                              e / X.shape[0]))
            if name == "dW":
                top = (dY_hat @ V) * (1.0 - states[T_] ** 2)
                slips.append(("dW leaves out the share of step T, the last: every step of the "
                              "window adds delta_t.T @ states[t - 1]", e - top.T @ states[T_ - 1]))
                slips.append(("dW's shares use h_t: W multiplies h_prev, so each step adds "
                              "delta_t.T @ states[t - 1]", _bptt_loop(
                                  dY_hat, X, states, W, V, k, h_prev_at=0)[1]))
            if name == "dU":
                slips.append(("step t's share of dU reads X[:, t - 2]: the input of step t is "
                              "X[:, t - 1]", _bptt_loop(
                                  dY_hat, np.roll(X, 1, axis=1), states, W, V, k)[0]))
                slips.append(("dU keeps only one step's share: add every step's, dU = dU + "
                              "delta_t.T @ X[:, t - 1] (+=, not =)", _bptt_loop(
                                  dY_hat, X, states, W, V, k, keep="last")[0]))
            if name == "dU":
                slips.append(("the shares of dU pair delta_t with the wrong input: step t reads "
                              "X[:, t - 1]", _bptt_loop(
                                  dY_hat, np.roll(X, -1, axis=1), states, W, V, k)[0]))
            right = [n for n, gg, ee in zip(BPTT_NAMES, got, expected, strict=True)
                     if relative_error(gg, ee) < 1e-10]
            verb = "is" if len(right) == 1 else "are"
            seen = f". {_listing(right)} {verb} right" if right else ""
            diagnose(name, g, e, slips, f" {label}", observed=seen)


def _listing(names) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- a central-difference gradient ----------------------------------------------------------

GN, GD = 3, 2
GRADIENT_TOLERANCE = 1e-8
GRADIENT_CASES = (
    Case({"N": GN, "D": GD}, False, SEED + 3, text="x of shape (3, 2)"),
    Case({"H": 4}, True, SEED + 103, text="x of shape (4,) like b, eps = 1e-3"),
    Case({"O": 1}, True, SEED + 203, text="x of shape (1,) like c, eps = 1e-3"),
)
# None: eps is left at the function's default and the answer is the exact gradient; with
# eps = 1e-3 passed, it is rnnlib's central difference, which differs from the exact gradient
# by about 1e-7, far more than the rounding (about 1e-13), so an ignored eps shows
_CASE_EPS = (None, 1e-3, 1e-3)


def gradient_inputs(case: Case = GRADIENT_CASES[0]):
    """(x, A, B) of one shape for f(x) = sum(A sin(x)) + sum(B x**3) / 3 (default (3, 2)).

    In the course's shapes every other entry of x is 0, as b and c start in the course: a zero
    weight still has a gradient (here A's entry)."""
    shape = tuple(case.dims.values())
    rng = np.random.default_rng(case.seed)
    x = rng.normal(0.0, 1.0, shape)
    if case.course:
        x.flat[::2] = 0.0
    return x, rng.normal(0.0, 1.0, shape), rng.normal(0.0, 1.0, shape)


def reference_numerical_gradient(f: Callable[[], float], x: np.ndarray,
                                 eps: float = 1e-6) -> np.ndarray:
    """rnnlib's version: rnnlib.numerical_gradient."""
    return rnnlib_numerical_gradient(f, x, eps)


def _locate_entries(got, exact, calls) -> str:
    """The located line of a wrong numerical gradient: which entries are wrong, and whether f()
    ever saw them moved (seen on the calls, x - x0 at each)."""
    scale = float(np.max(np.abs(exact))) or 1.0
    bad = np.abs(got - exact) > 1e-8 * scale
    if not bad.any():
        return ""
    moved = np.zeros(exact.shape, dtype=bool)
    for d in calls:
        moved |= np.asarray(d) != 0
    count, size = int(bad.sum()), exact.size
    flat_bad = [int(i) for i in np.flatnonzero(bad)]
    right = f"{size - count} of the {size} entries are right; " if count < size else ""
    if not moved.all() and np.array_equal(bad, ~moved):
        return (f"{WHERE} {right}the {count} wrong ones (x.flat[{flat_bad[0]}] first) are the "
                "entries that f() never saw moved: your loop does not visit every entry of x. "
                "for i in np.ndindex(x.shape) visits all x.size of them (x[i], grad[i])")
    if count < size:
        return (f"{WHERE} {right}the wrong ones are x.flat[{', '.join(map(str, flat_bad[:4]))}"
                f"{', ...' if count > 4 else ''}], although f() saw every entry moved: look "
                "at where each difference is stored (grad[i] for the i that was moved) and at "
                "which entry is moved before each call")
    return (f"{WHERE} every entry is wrong, although f() saw each moved: look at the difference "
            "quotient of one entry, (f() at x[i] = saved + eps  minus  f() at x[i] = saved - "
            "eps) / (2 eps)")


@checker("Check the learner's numerical_gradient on every input set of GRADIENT_CASES. "
         "numerical_gradient(f, x, eps=1e-6) -> grad")
def check_numerical_gradient(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        x0, A, B = gradient_inputs(case)
        eps = _CASE_EPS[GRADIENT_CASES.index(case)]
        x = x0.copy()
        seen = []  # where f() was evaluated: x - x0 at each call (for the diagnosis)

        def f() -> float:
            if len(seen) < 4 * x0.size + 8:
                seen.append(x - x0)
            return float(np.sum(A * np.sin(x)) + np.sum(B * x**3) / 3.0)

        exact = (A * np.cos(x0) + B * x0**2 if eps is None
                 else reference_numerical_gradient(f, x, eps))
        args = {"f": f, "x": x} if eps is None else {"f": f, "x": x, "eps": eps}
        seen.clear()
        result = call(fn, args, case.sizes, {"x": ""}, "for i in np.ndindex(x.shape) visits "
                      "every element of an array of any shape (x[i] with a tuple i); a loop over "
                      "range(x.size) needs x.flat[i] and grad.flat[i]", shared=("x",))
        learner_calls = list(seen)
        expect_none_or(result)
        if isinstance(result, np.ndarray) and np.shares_memory(result, x):
            raise Failure(_returns_x(fn, result is x, not np.array_equal(x, x0)))
        if not np.array_equal(x, x0):
            if float(np.max(np.abs(x - x0))) > 1e-12:
                raise Failure("FAIL: x is left changed after your function returns: restore "
                              "each element after perturbing it (save it first, put it back "
                              "after the two calls of f)")
            x[...] = x0
        step = 1e-6 if eps is None else eps
        got = as_array(result, "the gradient", exact, "x's shape", case.sizes,
                       {(x0.size,): confirmed("reshape it to x's shape (np.empty_like(x) from "
                                              "the start)", exact.ravel())}
                       if x0.ndim > 1 else None)
        error = relative_error(got, exact)
        if error < GRADIENT_TOLERANCE:
            return error
        zero = x0 == 0
        if zero.any() and np.all(got[zero] == 0) and np.all(exact[zero] != 0) and \
                relative_error(got[~zero], exact[~zero]) < GRADIENT_TOLERANCE:
            raise Failure("FAIL: your gradient is 0 at every entry where x is 0, and right at "
                          "the others: an entry that is 0 still has a gradient (f changes when "
                          "it moves; b and c start at 0 in the course). Compute the difference "
                          "quotient of every entry, whatever its value")
        computed = [
            ("a forward difference (f(x + eps) - f(x)) / eps: its error shrinks only like eps; "
             "the central difference (f(x + eps) - f(x - eps)) / (2 eps) is far more accurate",
             _difference(f, x, step, "forward")),
            ("a backward difference (f(x) - f(x - eps)) / eps: use the central difference "
             "(f(x + eps) - f(x - eps)) / (2 eps)", _difference(f, x, step, "backward")),
            ("(f(x + eps) - f(x)) / (2 eps): the second call of f must see x - eps, not x",
             _difference(f, x, step, "forward") / 2.0),
            ("twice the gradient: the central difference divides f(x + eps) - f(x - eps) by "
             "2 eps, the distance between its two points (x moved by eps each way)",
             2.0 * _difference(f, x, step, "central")),
            ("half the gradient: divide by 2 eps, not 4 eps",
             0.5 * _difference(f, x, step, "central")),
        ]
        for other in (e for e in (1e-1, 1e-2, 1e-3) if e != step):
            computed.append((f"it is the central difference with eps = {other:.0e}, not with "
                             f"the eps given ({step:.0e}): so large an eps adds an error of "
                             "order eps**2; use the function's argument eps",
                             _difference(f, x, other, "central")))
        if eps is not None:  # confirmed below, by calling fn with another eps
            computed.append((_IGNORES_EPS, _difference(f, x, 1e-6, "central")))
        for other in (1e-9, 1e-10, 1e-11, 1e-12):
            computed.append((f"it is the central difference with eps = {other:.0e}: so small "
                             "an eps loses the difference in rounding (f's values agree in "
                             "almost all their digits); use the function's argument eps",
                             _difference(f, x, other, "central")))
        computed.append(("every element was perturbed at once (x + eps everywhere): perturb one "
                         "element at a time, for i in np.ndindex(x.shape)",
                         _difference(f, x, step, "all")))
        if x.ndim > 1:
            computed.append(("x[i] on a 2-D array is a whole row, so a row was perturbed at once: "
                             "perturb one element at a time, for i in np.ndindex(x.shape)",
                             _difference(f, x, step, "rows")))
        computed.append(("(f(x + eps) - f(x - eps)) / 2 * eps multiplies by eps: write the "
                         "brackets, / (2 * eps)", _difference(f, x, step, "central") * step**2))
        central = _difference(f, x, step, "central")
        computed += [(f"it is rounded to {k} decimal{'s' if k > 1 else ''} (np.round): return the "
                      "difference quotients as computed; round only what you print",
                      np.round(central, k)) for k in range(1, 9)]
        computed.append(("four times the gradient: it divides by eps / 2; the central difference "
                         "divides by 2 eps, / (2 * eps)", 4.0 * central))
        computed.append(("abs(...) drops the sign of the difference: f(x + eps) - f(x - eps) "
                         "keeps its sign, so does the gradient", np.abs(central)))
        computed.append(("the sign is wrong: (f(x + eps) - f(x - eps)) / (2 eps), the value at "
                         "x + eps first", -central))
        computed.append(("x is moved by a relative amount, x * (1 + eps): move it by eps itself, "
                         "x[i] = saved + eps", _relative(f, x, step)))
        computed.append(("x is moved by a relative amount, eps * abs(x): move it by eps itself, "
                         "x[i] = saved + eps", _relative(f, x, step, absolute=True)))
        computed.append(("the second point is x - 2 eps: the central difference takes f at "
                         "saved + eps and saved - eps", _asymmetric(f, x, step)))
        computed.append(("x[i] is set to eps itself (and to -eps): move it from its value, "
                         "x[i] = saved + eps and saved - eps", _set_to(f, x, step)))
        computed.append(("x is moved by eps * np.sign(x), down for the negative elements: move "
                         "it by eps itself, x[i] = saved + eps", np.sign(x0) * central))
        computed.append(("every element gets the first element's gradient: the loop must move "
                         "x[i], the element it is at, one element at a time",
                         np.full(x.shape, _difference(f, x, step, "central").flat[0])))
        computed.append(("the gradient is divided by its norm (normalized): return it as it is",
                         central / max(float(np.linalg.norm(central)), 1e-300)))
        for factor, how in ((0.5, "eps / 2"), (2.0, "2 eps")):
            computed.append((f"x is moved by {how} each way: move it by eps, x[i] = saved + eps "
                             "and saved - eps, and divide by 2 eps",
                             _difference(f, x, factor * step, "central") * factor))
            computed.append((f"it is the central difference with a step of {how} (x moved by "
                             f"{how} each way, divided by twice that): move x by eps itself",
                             _difference(f, x, factor * step, "central")))
        if eps is not None:
            computed.append(("it divides by a fixed 2e-6 (or 2 * 1e-6), not by 2 eps with the "
                             "eps given: use the argument eps", central * step / 1e-6))
        plus, minus = _values(f, x, step)
        computed.append(("the two values are added: the central difference subtracts them, "
                         "(f(x + eps) - f(x - eps)) / (2 eps), with a minus",
                         (plus + minus) / (2 * step)))
        for text, wrong in computed:
            if relative_error(got, wrong) < 1e-8:
                if text == _IGNORES_EPS:
                    raise Failure(_eps_used(fn, f, x, eps, got, A * np.cos(x0) + B * x0**2,
                                            exact))
                raise Failure(f"FAIL: your gradient is wrong: {text}")
        if relative_error(got, np.zeros_like(exact)) < 1e-6 or not np.any(got):
            moved = [d for d in learner_calls if np.any(d)]
            if moved and not any(np.any(d < 0) for d in moved):
                raise Failure("FAIL: your gradient is wrong: it is zero everywhere: f() was "
                              "never called with x moved down (x - eps). Move x[i] to saved + "
                              "eps, call f(), then move it to saved - eps and call f() again "
                              "(each move before its call)")
            if moved:
                raise Failure("FAIL: your gradient is wrong: it is zero everywhere, although "
                              "f() saw x moved: each difference must be taken between the value "
                              "at x + eps and the value at x - eps of the same element")
            raise Failure("FAIL: your gradient is wrong: it is zero everywhere: f() never saw x "
                          "moved. f reads x itself: move x in place (x[i] = saved + eps, not "
                          "in a copy), call f() while it is moved, and only then put it back")
        formula = _read_formula(fn, x, x0, eps, f, got)
        if formula:
            raise Failure(formula)
        factor = constant_factor(got, exact)
        if factor:
            raise Failure(f"FAIL: your gradient is wrong: every value is the right one times "
                          f"the same factor, {factor}: look for a factor that is missing, "
                          "doubled, inverted or of the wrong sign")
        against = "the exact one" if eps is None else f"rnnlib's with eps = {eps:.0e}"
        raise with_location(Failure(f"FAIL: your gradient differs from {against}: relative "
                                    f"error {magnitude(error)} (must be < 1e-8)"),
                            _locate_entries(got, exact, learner_calls))

    def body() -> str:
        over_cases(GRADIENT_CASES, one)
        return ("PASS: relative error to the exact gradient < 1e-8, and to rnnlib's central "
                "difference with eps = 1e-3 < 1e-8")

    return run_checks(body, fn)


_IGNORES_EPS = "ignores eps?"  # a result like the central difference with eps = 1e-6
_OTHER_EPS = 1e-1  # so large that any use of eps changes the result


def _returns_x(fn: Callable, itself: bool, changed: bool) -> str:
    """The message for a gradient returned in x's own memory (grad = x, or a view of x)."""
    what = "is x itself" if itself else "shares its memory with x (it is a view of x)"
    text = f"FAIL: the array your function returns {what}, not a new array"
    if changed:
        text += ": x now holds the values your function returned, in place of its own"
    source = learner_source(fn)
    names = source.params() if source else []
    alias = next((n for n in own_nodes(source.tree.body) if isinstance(n, ast.Assign) and
                  isinstance(n.value, ast.Name) and n.value.id == names[1]), None) \
        if len(names) > 1 else None
    if alias is not None:
        text += (f". Your line `{source.line(alias)}` gives x a second name, it does not copy "
                 "it")
    return (f"{text}. The gradient must be a new array, grad = np.zeros_like(x), filled entry "
            "by entry while x is only moved and put back")


def _eps_used(fn, f, x, eps, got, truth, central) -> str:
    """Why an answer given eps = 1e-3 came out as the central difference with eps = 1e-6: eps
    ignored (confirmed: the same result with another eps), or a formula that uses eps but is
    not the central difference (it changes with eps)."""
    before = x.copy()
    try:
        other = call(fn, {"f": f, "x": x, "eps": _OTHER_EPS}, {}, {}, shared=("x",))
    except (Failure, NotYet):
        other = None
    x[...] = before
    if not isinstance(other, np.ndarray) or other.shape != got.shape:
        return (f"FAIL: your gradient is wrong: with eps = {eps:.0e} it is the central "
                "difference with eps = 1e-06, not with the eps given: use the argument eps")
    if relative_error(np.asarray(other, dtype=np.float64), got) < 1e-13:
        return (f"FAIL: your gradient is wrong: your function ignores its argument eps (the "
                f"checker passed eps = {eps:.0e}, then eps = {_OTHER_EPS:.0e}, and got the same "
                "result): use eps, not a fixed number")
    # at eps = 1e-3 every formula of higher order is near the exact gradient: only at the large
    # eps do they differ, by far more than rounding
    if relative_error(got, _five_point(f, x, eps)) < 1e-8 and relative_error(
            np.asarray(other, dtype=np.float64), _five_point(f, x, _OTHER_EPS)) < 1e-10:
        what = ("it is the five-point formula (-f(x + 2 eps) + 8 f(x + eps) - 8 f(x - eps) + "
                "f(x - 2 eps)) / (12 eps)")
    else:
        what = (f"it uses eps (it changes when eps does), but with eps = {eps:.0e} it is not "
                "the central difference")
    if relative_error(got, truth) < relative_error(central, truth):
        what += ", nearer the exact gradient than the central difference is"
    return (f"FAIL: your gradient is not the one the notebook asks for: {what}. The notebook's "
            "formula is the central difference (f(x + eps) - f(x - eps)) / (2 eps), the one "
            "rnnlib and the course's gradient checks use")


def _stencil(fn, x0, eps) -> list[tuple[float, float]] | None:
    """The learner's formula for the first entry, read from its calls: each point x + o at
    which it calls f (o along x.flat[0]) and the weight that its result gives f's value there
    (found by an f that is 1 at that point and 0 elsewhere). None if it cannot be read."""
    step = 1e-6 if eps is None else eps
    x = x0.copy()

    def at(offset, d) -> bool:
        return not np.any(d[1:]) and abs(d[0] - offset) <= 1e-9 * step

    def run(f) -> np.ndarray | None:
        args = {"f": f, "x": x} if eps is None else {"f": f, "x": x, "eps": eps}
        try:
            result = call(fn, args, {}, {}, shared=("x",))
            return np.asarray(result, dtype=np.float64).ravel()
        except (Failure, NotYet, TypeError, ValueError):
            return None
        finally:
            x[...] = x0

    offsets: list[float] = []

    def record() -> float:
        d = (x - x0).ravel()
        if not np.any(d[1:]) and not any(at(o, d) for o in offsets):
            offsets.append(float(d[0]))
        return float(np.sum(np.sin(x)))

    if run(record) is None or not 1 <= len(offsets) <= 6:
        return None
    pairs = []
    for offset in offsets:
        grad = run(lambda o=offset: 1.0 if at(o, (x - x0).ravel()) else 0.0)
        if grad is None or grad.size != x0.size:
            return None
        pairs.append((offset, float(grad[0])))
    return pairs


def _read_formula(fn, x, x0, eps, f, got) -> str:
    """The message that spells out the learner's formula, (f(x + 2 eps) + 8 f(x + eps) - ...)
    / (12 eps), read from where it calls f and the weight it gives each value (confirmed: the
    formula gives its gradient for every entry, f reading x, which is x0 again after); "" when
    it cannot be read or is no simple formula."""
    pairs = _stencil(fn, x0, eps)
    step = 1e-6 if eps is None else eps
    if not pairs:
        return ""
    rebuilt = np.empty(x0.size)
    for i in range(x0.size):
        total = 0.0
        for offset, weight in pairs:
            x.flat[i] = x0.flat[i] + offset
            total += weight * f()
            x.flat[i] = x0.flat[i]
        rebuilt[i] = total
    if relative_error(rebuilt, np.ravel(got)) > 1e-8:
        return ""
    units = [Fraction(o / step).limit_denominator(8) for o, _ in pairs]
    coefs = [Fraction(w * step).limit_denominator(64) for _, w in pairs]
    if any(abs(float(u) - o / step) > 1e-6 * max(1.0, abs(o / step))
           for u, (o, _) in zip(units, pairs, strict=True)):
        return ""
    points = sorted(zip(units, coefs, [w for _, w in pairs], strict=True), reverse=True)
    if [u for u, _, _ in points] == [1, -1] and points[0][2] == -points[1][2] > 0:
        ratio = points[0][2] * step / 0.5
        simple = Fraction(ratio).limit_denominator(64)
        if abs(float(simple) - ratio) < 1e-9 * ratio and abs(simple.numerator) <= 64:
            return ""  # the right formula times a simple factor: the factor's message says it
        return ("FAIL: your gradient is wrong: it takes f(x + eps) - f(x - eps), as it should, "
                "but divides it by something other than 2 eps: look at the division, / (2 * "
                "eps), with its brackets")
    if any(abs(float(c) - w * step) > 1e-9 * max(1.0, abs(w * step))
           for c, (_, w) in zip(coefs, pairs, strict=True)):
        return ""
    scale = math.lcm(*(c.denominator for c in coefs))

    def point(u: Fraction) -> str:
        if u == 0:
            return "f(x)"
        size = "eps" if abs(u) == 1 else f"{abs(u)} eps"
        return f"f(x {'+' if u > 0 else '-'} {size})"

    terms = ""
    for u, c, _ in points:
        n = int(c * scale)
        if n == 0:
            continue
        sign = ("- " if n < 0 else "+ ") if terms else ("-" if n < 0 else "")
        terms += f" {sign}{'' if abs(n) == 1 else f'{abs(n)} '}{point(u)}".replace("- -", "-")
    below = "eps" if scale == 1 else f"({scale} eps)"
    return (f"FAIL: your gradient is wrong: it is ({terms.strip()}) / {below}, read from where "
            "your code calls f and the weight it gives each value. The notebook's formula is "
            "the central difference (f(x + eps) - f(x - eps)) / (2 eps)")


def _five_point(f, x, eps) -> np.ndarray:
    """The five-point formula (-f(x + 2 eps) + 8 f(x + eps) - 8 f(x - eps) + f(x - 2 eps)) /
    (12 eps), element by element: more accurate than the central difference, not the course's."""
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        values = []
        for step in (2, 1, -1, -2):
            x[i] = saved + step * eps
            values.append(f())
        x[i] = saved
        grad[i] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * eps)
    return grad


def _difference(f, x, eps, kind) -> np.ndarray:
    """A finite difference of f at x: "central", "forward", "backward", or the wrong "all"
    (every element perturbed at once) and "rows" (x[i], a whole row, at once)."""
    if kind in ("central", "all", "rows"):
        blocks = {"central": list(np.ndindex(x.shape)), "all": [...],
                  "rows": list(range(len(x)))}[kind]
        return _blocks(f, x, eps, blocks)
    grad = np.empty_like(x)
    sign = 1.0 if kind == "forward" else -1.0
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + sign * eps
        moved = f()
        x[i] = saved
        grad[i] = sign * (moved - f()) / eps
    return grad


def _asymmetric(f, x, eps) -> np.ndarray:
    """The wrong difference (f(x + eps) - f(x - 2 eps)) / (2 eps), element by element."""
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        plus = f()
        x[i] = saved - 2 * eps
        minus = f()
        x[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _set_to(f, x, eps) -> np.ndarray:
    """The wrong difference that sets x[i] to +eps and -eps (not saved +- eps)."""
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = eps
        plus = f()
        x[i] = -eps
        minus = f()
        x[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _relative(f, x, eps, absolute=False) -> np.ndarray:
    """The wrong central difference that moves x[i] by eps * x[i] (or eps * |x[i]|) each way,
    divided by 2 eps."""
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        move = eps * (abs(saved) if absolute else saved)
        x[i] = saved + move
        plus = f()
        x[i] = saved - move
        minus = f()
        x[i] = saved
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _values(f, x, eps) -> tuple[np.ndarray, np.ndarray]:
    """f at x + eps and at x - eps, element by element (arrays of x's shape)."""
    plus, minus = np.empty_like(x), np.empty_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        plus[i] = f()
        x[i] = saved - eps
        minus[i] = f()
        x[i] = saved
    return plus, minus


def _blocks(f, x, eps, blocks) -> np.ndarray:
    """Central differences that perturb whole blocks of x at once (each block's elements get
    the block's one value)."""
    grad = np.empty_like(x)
    for block in blocks:
        saved = x[block].copy()
        x[block] = saved + eps
        plus = f()
        x[block] = saved - eps
        minus = f()
        x[block] = saved
        grad[block] = (plus - minus) / (2 * eps)
    return grad
