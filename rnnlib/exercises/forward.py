"""Notebook 02's exercises: one forward step, and the forward pass unrolled over a batch.

forward_step(x_t, h_prev, U, W, b) -> h_t
    x_t (N, D), h_prev (N, H), U (H, D), W (H, H), b (H,) -> h_t (N, H) =
    tanh(x_t U^T + h_prev W^T + b), i.e. h_t = tanh(U x_t + W h_{t-1} + b) for every record.

rnn_forward(X, U, W, V, b, c) -> (Y_hat, states)
    X (N, T, D) -> Y_hat (N, O) = h_T V^T + c and states (T + 1, N, H), time-major, with
    states[0] = h_0 = 0 and states[t] = h_t. Checked against rnnlib.forward.

Each is checked on three input sets: sizes that all differ (a transpose fails on its shape),
and the course's own shapes D = 1, O = 1 for one record (N = 1) and for a batch.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

from rnnlib.activations import sigmoid
from rnnlib.exercises._core import (
    WHERE,
    Case,
    Failure,
    NotYet,
    Verdict,
    agrees,
    as_array,
    call,
    checker,
    confirmed,
    constant_factor,
    diagnose,
    first_departure,
    learner_source,
    localize,
    observed_only,
    over_cases,
    own_nodes,
    pass_text,
    rows_or_columns,
    run_checks,
    size_read,
    unpack,
    with_location,
)
from rnnlib.gradcheck import relative_error
from rnnlib.model import Params, forward

# the first set's sizes are small and all different, so that a transposed matrix or a wrong
# axis fails on its shape; the others are the course's shapes, D = 1 and O = 1
N, D, H = 3, 2, 4
SIZES = {N: "N", D: "D", H: "H"}
ROLES = {"x_t": "(N, D)", "h_prev": "(N, H)", "U": "(H, D)", "W": "(H, H)", "b": "(H,)"}
SEED = 2024
STEP_CASES = (
    Case({"N": N, "D": D, "H": H}, False, SEED),
    Case({"N": 1, "D": 1, "H": 3}, True, SEED + 100),
    Case({"N": 5, "D": 1, "H": 3}, True, SEED + 200),
)


# other functions a learner may apply to the pre-activation, each named by what it is
_OTHER_ACTIVATIONS = (
    ("np.arctan", np.arctan),
    ("the softsign a / (1 + |a|)", lambda a: a / (1.0 + np.abs(a))),
    ("tanh of a ReLU, tanh(max(a, 0))", lambda a: np.tanh(np.maximum(a, 0.0))),
    ("a ReLU of the tanh, max(tanh(a), 0)", lambda a: np.maximum(np.tanh(a), 0.0)),
    ("tanh(a / 2) (the pre-activation halved)", lambda a: np.tanh(a / 2.0)),
    ("tanh(2 a) (the pre-activation doubled)", lambda a: np.tanh(2.0 * a)),
    ("np.clip(a, -1, 1), a hard tanh", lambda a: np.clip(a, -1.0, 1.0)),
    ("np.sin", np.sin),
    ("-tanh(a) (the sign flipped)", lambda a: -np.tanh(a)),
    ("tanh's derivative, 1 - tanh(a)**2,", lambda a: 1.0 - np.tanh(a) ** 2),
)


# --- one forward step ------------------------------------------------------------------------


def step_inputs(case: Case = STEP_CASES[0]) -> tuple[np.ndarray, ...]:
    """x_t (N, D), h_prev (N, H), U (H, D), W (H, H), b (H,) of the case (default N=3, D=2, H=4)."""
    n, d, h = case["N"], case["D"], case["H"]
    rng = np.random.default_rng(case.seed)
    x_t = rng.normal(0.0, 1.0, (n, d))
    h_prev = np.tanh(rng.normal(0.0, 1.0, (n, h)))
    U = rng.normal(0.0, 0.5, (h, d))
    W = rng.normal(0.0, 0.5, (h, h))
    b = rng.normal(0.0, 0.5, h)
    return x_t, h_prev, U, W, b


def reference_step(x_t, h_prev, U, W, b) -> np.ndarray:
    """rnnlib's version: rnnlib.forward run for one step from h_prev."""
    params = Params(U=U, W=W, V=np.zeros((1, W.shape[0])), b=b, c=np.zeros(1))
    _, cache = forward(params, np.asarray(x_t)[:, None, :], "tanh", h0=h_prev)
    return cache.states[1]


def reference_step_fast(x_t, h_prev, U, W, b) -> np.ndarray:
    """rnnlib's step without the checks of rnnlib.forward: the same formula and tanh."""
    return np.tanh(np.asarray(x_t) @ np.asarray(U).T + np.asarray(h_prev) @ np.asarray(W).T + b)


STEP_HINT = ("with records as rows, U x_t for every record is x_t @ U.T, (N, D) @ (D, H) -> "
             "(N, H), and W h_prev is h_prev @ W.T")


def step_slips(x_t, h_prev, U, W, b) -> list[tuple[str, np.ndarray]]:
    """The usual wrong steps, each with the text that names it."""
    return [
        ("W is not transposed: W h_prev for every record (as rows) is h_prev @ W.T, "
         "not h_prev @ W", np.tanh(x_t @ U.T + h_prev @ W + b)),
        ("the activation is missing: h_t = tanh(a_t), not the pre-activation a_t itself",
         x_t @ U.T + h_prev @ W.T + b),
        ("the bias b is missing", np.tanh(x_t @ U.T + h_prev @ W.T)),
        ("the bias b is added after the tanh: it belongs inside, h_t = tanh(U x_t + W h_prev "
         "+ b)", np.tanh(x_t @ U.T + h_prev @ W.T) + b),
        ("this is the sigmoid; the course's step uses tanh",
         sigmoid(x_t @ U.T + h_prev @ W.T + b)),
        ("this is ReLU, np.maximum(0, a); the course's step uses tanh",
         np.maximum(0.0, x_t @ U.T + h_prev @ W.T + b)),
        ("the tanh is applied to only part of the pre-activation: h_t = tanh(x_t U^T + "
         "h_prev W^T + b) as a whole", np.tanh(x_t @ U.T) + h_prev @ W.T + b),
        ("there are two tanh: one tanh of the whole sum, h_t = tanh(U x_t + W h_prev + b)",
         np.tanh(x_t @ U.T + b) + np.tanh(h_prev @ W.T)),
        ("there are two tanh: one tanh of the whole sum, h_t = tanh(U x_t + W h_prev + b)",
         np.tanh(x_t @ U.T) + np.tanh(h_prev @ W.T + b)),
        ("the tanh is applied to only part of the pre-activation: h_t = tanh(x_t U^T + "
         "h_prev W^T + b) as a whole", x_t @ U.T + np.tanh(h_prev @ W.T + b)),
        ("the state's part is subtracted: h_t = tanh(x_t @ U.T + h_prev @ W.T + b), a plus",
         np.tanh(x_t @ U.T - h_prev @ W.T + b)),
        ("b.sum() adds one number to every unit: add b as it is, one value per unit, (H,)",
         np.tanh(x_t @ U.T + h_prev @ W.T + np.sum(b))),
        ("h_prev[0] is the first record's state only: every record uses its own row, "
         "h_prev @ W.T, (N, H)", np.tanh(x_t @ U.T + h_prev[0] @ W.T + b)),
        ("b is added twice (once in each part): add it once, tanh(x_t @ U.T + h_prev @ W.T "
         "+ b)", np.tanh(x_t @ U.T + h_prev @ W.T + 2 * b)),
        ("h_prev is already a state, the tanh of the step before: use it as it is, with no "
         "tanh of h_prev", np.tanh(x_t @ U.T + np.tanh(h_prev) @ W.T + b)),
        ("W is applied after the tanh: W multiplies h_prev inside it, h_t = tanh(x_t @ U.T + "
         "h_prev @ W.T + b)", np.tanh(x_t @ U.T + b) @ W.T),
        ("the tanh is applied to each part separately and b is added outside: h_t = "
         "tanh(x_t @ U.T + h_prev @ W.T + b), one tanh of the whole sum",
         np.tanh(x_t @ U.T) + np.tanh(h_prev @ W.T) + b),
        ("h_prev is added to the new state (a skip connection): the course's step is "
         "h_t = tanh(x_t @ U.T + h_prev @ W.T + b) alone", np.tanh(x_t @ U.T + h_prev @ W.T + b)
         + h_prev),
        ("the two parts are multiplied, x_t @ U.T * (h_prev @ W.T): they are added, "
         "tanh(x_t @ U.T + h_prev @ W.T + b)", np.tanh((x_t @ U.T) * (h_prev @ W.T) + b)),
        ("tanh(b) is added outside: b goes inside the one tanh, h_t = tanh(x_t @ U.T + "
         "h_prev @ W.T + b)", np.tanh(x_t @ U.T + h_prev @ W.T) + np.tanh(b)),
        ("the pre-activation is centred (its mean over the units subtracted): the step is "
         "tanh(a_t) itself, with no normalization", np.tanh(
             (x_t @ U.T + h_prev @ W.T + b) - (x_t @ U.T + h_prev @ W.T + b).mean(
                 axis=1, keepdims=True))),
        ("the bias b is subtracted: h_t = tanh(x_t @ U.T + h_prev @ W.T + b), plus b",
         np.tanh(x_t @ U.T + h_prev @ W.T - b)),
        ("the two parts are multiplied: h_t = tanh(x_t @ U.T + h_prev @ W.T + b) adds them, "
         "inside one tanh", np.tanh(x_t @ U.T) * np.tanh(h_prev @ W.T + b)),
        ("the tanh is applied twice: h_t = tanh(a_t), once",
         np.tanh(np.tanh(x_t @ U.T + h_prev @ W.T + b))),
        ("only b[0], the first unit's bias, is added: add the whole b, one value per unit",
         np.tanh(x_t @ U.T + h_prev @ W.T + b[0])),
        *[(f"the values are rounded to {d} decimals (np.round): return them as they are",
           np.round(np.tanh(x_t @ U.T + h_prev @ W.T + b), d)) for d in range(1, 9)],
        *[(f"h_t is {what} of the pre-activation a_t = x_t @ U.T + h_prev @ W.T + b; the "
           "course's step is np.tanh(a_t)", f(x_t @ U.T + h_prev @ W.T + b))
          for what, f in _OTHER_ACTIVATIONS],
        ("h_prev is missing: the step adds W h_prev (h_prev @ W.T) to the input's part",
         np.tanh(x_t @ U.T + b)),
        ("the input is missing: the step adds U x_t (x_t @ U.T) to the state's part",
         np.tanh(h_prev @ W.T + b)),
        *_joint_slips(x_t, h_prev, U, W, b),
        *_reordered(np.tanh(x_t @ U.T + h_prev @ W.T + b)),
    ]


_JOINT = ("the joint matrix's blocks are in another order than the joint input's: with z = "
          "np.hstack([x_t, h_prev]) the matrix is np.hstack([U, W]) (U's columns meet x_t, W's "
          "meet h_prev), h_t = np.tanh(z @ np.hstack([U, W]).T + b)")


def _joint_slips(x_t, h_prev, U, W, b) -> list[tuple[str, np.ndarray]]:
    """The joint (concatenated) form with the blocks of the matrix and of the input in opposite
    orders, [x_t, h_prev] @ [W, U].T or [h_prev, x_t] @ [U, W].T: U's columns meet h_prev's
    entries and W's meet x_t's."""
    return [(_JOINT, np.tanh(np.hstack([x_t, h_prev]) @ np.hstack([W, U]).T + b)),
            (_JOINT, np.tanh(np.hstack([h_prev, x_t]) @ np.hstack([U, W]).T + b))]


def _reordered(expected: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The right values of an (H, N) array laid out again as (N, H) by reshape (not by a
    transpose), when N != H (with N = H the reshape changes nothing: the transpose itself)."""
    n, h = expected.shape
    if n == h or n == 1 or h == 1:
        return []
    return [("the values are the right ones in another order: .reshape(N, H) of an (H, N) "
             "array is not its transpose; use .T (or compute x_t @ U.T + h_prev @ W.T, (N, H) "
             "from the start)", expected.T.reshape(n, h))]


@checker("Check the learner's forward_step on every input set of STEP_CASES. "
         "forward_step(x_t, h_prev, U, W, b) -> h_t")
def check_step(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        x_t, h_prev, U, W, b = step_inputs(case)
        expected = reference_step(x_t, h_prev, U, W, b)
        result = call(fn, dict(zip(ROLES, (x_t, h_prev, U, W, b), strict=True)), case.sizes,
                      ROLES, STEP_HINT)
        (h_t,) = unpack(result, ("h_t",))
        n, h = case["N"], case["H"]
        hints = {(h,): _averaged(expected, x_t @ U.T + h_prev @ W.T, b)} if n > 1 else {}
        if n != h:
            hints[(h, n)] = confirmed(f"that is its transpose: rows must be records. {STEP_HINT}",
                                      expected.T)
        got = as_array(h_t, "h_t", expected, "(N, H)", case.sizes, hints)
        try:
            return diagnose("h_t", got, expected, step_slips(x_t, h_prev, U, W, b))
        except Failure as failure:
            scaled = _scaled_parts(x_t, h_prev, U, W, b, got) if observed_only(
                str(failure)) else ""
            if scaled:
                raise Failure(f"FAIL: h_t is wrong: {scaled}") from None
            mixed = _state_mixed_in(got, expected, h_prev) if observed_only(
                str(failure)) else ""
            if mixed:
                raise Failure(f"FAIL: h_t is wrong: {mixed}") from None
            if observed_only(str(failure)):
                line = rows_or_columns(got, expected, _RECORDS, _UNITS)
                if line:
                    raise with_location(failure, line) from None
                masked = _masked(got, expected)  # zeros scattered, not whole rows or columns
                if masked:
                    raise Failure(f"FAIL: h_t is wrong: {masked}") from None
                line = _activation_only(fn, x_t, h_prev, U, W, b, got)
                if line:
                    raise with_location(failure, line) from None
            located = localize(failure, _step_probes(fn, x_t, h_prev, U, W, b),
                               _step_conclusion)
            if observed_only(str(failure)) and WHERE not in str(located):
                located = with_location(located, _bias_alone(fn, x_t, h_prev, U, W, b))
            raise located from None

    return run_checks(lambda: pass_text(over_cases(STEP_CASES, one)), fn)


_RECORDS = ("records", "N", "the rows of x_t, N = x_t.shape[0]")
_UNITS = ("units", "H", "for j in range(H), H = W.shape[0]")


def _activation_only(fn, x_t, h_prev, U, W, b, got) -> str:
    """The located line when the learner's h_t is a function of the pre-activation a_t alone
    (each record's row comes out the same from x_t = 0, h_prev = 0 and b = that record's a_t):
    a_t is right, and the function applied to it is not tanh. "" otherwise."""
    a = x_t @ U.T + h_prev @ W.T + b
    rows = []
    for a_i in a:
        args = {"x_t": np.zeros((1, x_t.shape[1])), "h_prev": np.zeros((1, a.shape[1])),
                "U": U, "W": W, "b": a_i.copy()}
        try:
            row = np.asarray(call(fn, args, {}, {}), dtype=np.float64)
        except (Failure, NotYet, TypeError, ValueError):
            return ""
        if row.shape != (1, a.shape[1]):
            return ""
        rows.append(row[0])
    if relative_error(np.stack(rows), got) >= 1e-9:
        return ""
    return (f"{WHERE} your h_t is a function of the pre-activation a_t = x_t @ U.T + h_prev @ "
            "W.T + b alone (with x_t = 0, h_prev = 0 and b = a_t each record's row comes out "
            "the same), so a_t is right and the function applied to it is not tanh: look at "
            "the activation, h_t = np.tanh(a_t) (written out: (np.exp(2 * a) - 1) / (np.exp(2 "
            "* a) + 1), every bracket)")


def _state_mixed_in(got, expected, h_prev) -> str:
    """What h_t is when it is u tanh(a_t) + v h_prev for two numbers u, v (v not 0): h_prev
    mixed back in after the tanh (a leaky or gated update); "" otherwise."""
    prev = np.broadcast_to(h_prev, got.shape)
    if got.size < 4 or not np.any(prev):
        return ""
    design = np.stack([expected.ravel(), prev.ravel()], axis=1)
    if np.linalg.matrix_rank(design) < 2:
        return ""
    (u, v), *_ = np.linalg.lstsq(design, got.ravel(), rcond=None)
    if relative_error(u * expected + v * prev, got) >= 1e-9 or abs(v) < 1e-6:
        return ""
    how = ("h_t - tanh(a_t) is one number times h_prev - tanh(a_t), for every record and unit: "
           "a mix alpha h_prev + (1 - alpha) tanh(a_t)" if abs(u + v - 1) < 1e-6 else
           "h_t is tanh(a_t) times one number plus h_prev times another")
    return (f"h_t mixes h_prev back in after the tanh ({how}, a leaky or gated update, as in "
            "echo state networks or a GRU). The plain cell keeps nothing of h_prev outside the "
            "tanh: h_t = np.tanh(x_t @ U.T + h_prev @ W.T + b)")


def _masked(got, expected) -> str:
    """What h_t is when some of its values are exactly 0 where tanh(a_t) is not, and the rest
    are the right ones times one number (1 or 1 / keep): a mask, dropout; "" otherwise."""
    zero = (got == 0) & (expected != 0)
    rest = ~zero & (expected != 0)
    if not zero.any() or rest.sum() < 2:
        return ""
    if np.array_equal(zero, expected < 0) or np.array_equal(zero, expected > 0):
        return ""  # zeros set by the sign of the values: a clamp (a ReLU inside), no mask
    ratio = got[rest] / expected[rest]
    if not np.allclose(ratio, ratio[0], rtol=1e-9, atol=0.0) or ratio[0] <= 0:
        return ""
    scaled = ("" if abs(ratio[0] - 1) < 1e-9 else
              ", and every other value is the right one times one number (as dropout's 1 / "
              "keep does)")
    return (f"{int(zero.sum())} of its {got.size} values are exactly 0 where tanh(a_t) is not"
            f"{scaled}: a mask (dropout) multiplies the state. The step has none: return "
            "np.tanh(x_t @ U.T + h_prev @ W.T + b) as it is (dropout belongs to training, if "
            "anywhere, not to the cell)")


def _factor_text(value: float, h: int) -> str:
    """A factor in the course's terms ("1 / sqrt(H)", "1/2", "sqrt(2)"), or "one number" when
    it is no simple one (its digits could move with rounding)."""
    for text, want in (("1 / sqrt(H)", 1 / np.sqrt(h)), ("sqrt(H)", np.sqrt(h)),
                       ("1 / H", 1 / h), ("H", float(h))):
        if h > 1 and abs(value - want) < 1e-9 * abs(want):
            return text
    simple = constant_factor(value * np.ones(2), np.ones(2))
    return simple if simple and simple != "one number, not a simple fraction" else "one number"


def _scaled_parts(x_t, h_prev, U, W, b, got) -> str:
    """What h_t is when it is tanh of the pre-activation's three parts (x_t @ U.T, h_prev @
    W.T, b), each multiplied by its own constant, not both matrix parts' 1 (fitted on
    arctanh(h_t), and confirmed on h_t itself); "" otherwise."""
    parts = [x_t @ U.T, h_prev @ W.T, np.broadcast_to(b, got.shape)]
    if got.size < 2 * len(parts) or not np.all(np.abs(got) < 1 - 1e-9):
        return ""
    design = np.stack([p.ravel() for p in parts], axis=1)
    if np.linalg.matrix_rank(design) < len(parts):
        return ""
    coef = np.linalg.lstsq(design, np.arctanh(got).ravel(), rcond=None)[0]
    fit = np.tanh(sum(c * p for c, p in zip(coef, parts, strict=True)))
    # only b scaled is left to the special inputs, which say that the bias goes wrong
    if relative_error(fit, got) >= 1e-9 or np.allclose(coef[:2], 1.0, rtol=0.0, atol=1e-6) or \
            np.any(np.abs(coef) < 1e-6):
        return ""
    h = W.shape[0]
    names = ("x_t @ U.T", "h_prev @ W.T", "b")
    if np.allclose(coef, coef[0], rtol=1e-6, atol=0.0):
        scaled = f"the whole pre-activation a_t is scaled by {_factor_text(coef[0], h)}"
    elif np.allclose(coef[:2], coef[0], rtol=1e-6, atol=0.0) and abs(coef[2] - 1) < 1e-6:
        scaled = (f"x_t @ U.T + h_prev @ W.T is scaled by {_factor_text(coef[0], h)} before b "
                  "is added")
    else:
        off = [(n, c) for n, c in zip(names, coef, strict=True) if abs(c - 1) >= 1e-6]
        if len(off) == 1 and abs(off[0][1] + 1) < 1e-6:
            return (f"inside the tanh, {off[0][0]} is subtracted: every part is added, h_t = "
                    "np.tanh(x_t @ U.T + h_prev @ W.T + b)")
        scaled = "inside the tanh, " + " and ".join(
            f"{n} is multiplied by {_factor_text(c, h)}" for n, c in off)
    return (f"{scaled}, a constant factor inside the tanh. The step has none: h_t = "
            "np.tanh(x_t @ U.T + h_prev @ W.T + b)")


def _averaged(expected, products=None, b=None):
    def hint(array):
        if products is not None and _close(array, np.tanh(products.sum(axis=0) + b)):
            return ("the records axis was summed away before the tanh: an einsum output "
                    "without the record index ('nd,hd->h' should be 'nd,hd->nh') or a sum over "
                    "axis 0 (a mean too) drops it; keep one row per record, (N, H)")
        if products is not None and _close(array, np.tanh(products.mean(axis=0) + b)):
            return ("the records axis was averaged away before the tanh (a mean over axis 0): "
                    "keep one row per record, (N, H)")
        if _close(array, expected.mean(axis=0)):
            return ("it is averaged over the records (a mean over axis 0): return one row per "
                    "record, (N, H)")
        if _close(array, expected.sum(axis=0)):
            return "it is summed over the records: return one row per record, (N, H)"
        return None

    return hint


def _bias_alone(fn, x_t, h_prev, U, W, b) -> str:
    """The located line when the special inputs one by one locate nothing: with x_t = 0 and
    h_prev = 0 at once (tanh(b) alone) right, the bias and the tanh are right and the matrix
    products go wrong; wrong there too, the bias or the activation goes wrong already."""
    args = {"x_t": np.zeros_like(x_t), "h_prev": np.zeros_like(h_prev), "U": U, "W": W, "b": b}
    try:
        right = agrees(fn, args, reference_step(*args.values()), 1)
    except (Failure, NotYet):
        return ""
    if right:
        return (f"{WHERE} it is right with x_t = 0 and h_prev = 0 (tanh(b) alone), so the bias "
                "and the tanh are right and what goes wrong is in the matrix products: look at "
                "x_t @ U.T (N, D) @ (D, H) and h_prev @ W.T (N, H) @ (H, H), each matrix with "
                "its own input as it is")
    return (f"{WHERE} it is wrong already with x_t = 0 and h_prev = 0, where the products "
            "are 0 and h_t = tanh(b) for every record: so not only the products go wrong; look "
            "at how b is added and at the activation, h_t = np.tanh(x_t @ U.T + h_prev @ W.T "
            "+ b)")


def _step_probes(fn, x_t, h_prev, U, W, b):
    def probe(**zero):
        args = {"x_t": x_t, "h_prev": h_prev, "U": U, "W": W, "b": b}
        args.update({name: np.zeros_like(args[name]) for name in zero})
        return lambda: agrees(fn, args, reference_step(*args.values()), 1)

    return [("with h_prev = 0 (the input's part alone)", probe(h_prev=True)),
            ("with x_t = 0 (the state's part alone)", probe(x_t=True)),
            ("with b = 0", probe(b=True))]


# --- the unrolled forward pass -----------------------------------------------------------------

T, O = 5, 1
SEQ_ROLES = {"X": "(N, T, D)", "U": "(H, D)", "W": "(H, H)", "V": "(O, H)", "b": "(H,)",
             "c": "(O,)"}
SEQ_CASES = (
    Case({"N": N, "T": T, "D": D, "H": H, "O": O}, False, SEED + 10, {T + 1: "T + 1"}),
    Case({"N": 1, "T": 4, "D": 1, "H": 3, "O": 1}, True, SEED + 110, {5: "T + 1"}),
    Case({"N": 6, "T": 4, "D": 1, "H": 3, "O": 1}, True, SEED + 210, {5: "T + 1"}),
    # several outputs (O > 1, unlike N), as notebook 09's characters: a read-out written for
    # O = 1 alone (c as a column, a squeezed output) shows here
    Case({"N": 3, "T": 4, "D": 2, "H": 4, "O": 6}, False, SEED + 310, {5: "T + 1"}),
)


def sequence_inputs(case: Case = SEQ_CASES[0]) -> tuple[np.ndarray, ...]:
    """X (N, T, D), U (H, D), W (H, H), V (O, H), b (H,), c (O,) (default N=3, T=5, D=2, H=4,
    O=7)."""
    n, t, d, h, o = case["N"], case["T"], case["D"], case["H"], case["O"]
    rng = np.random.default_rng(case.seed)
    X = rng.normal(0.0, 1.0, (n, t, d))
    U = rng.normal(0.0, 0.5, (h, d))
    W = rng.normal(0.0, 0.5, (h, h))
    V = rng.normal(0.0, 0.5, (o, h))
    b = rng.normal(0.0, 0.5, h)
    c = rng.normal(0.0, 0.5, o)
    return X, U, W, V, b, c


def reference_forward(X, U, W, V, b, c) -> tuple[np.ndarray, np.ndarray]:
    """rnnlib's version: rnnlib.forward; returns (Y_hat (N, O), states (T + 1, N, H))."""
    Y_hat, cache = forward(Params(U=U, W=W, V=V, b=b, c=c), X, "tanh")
    return Y_hat, cache.states


def _close(a, b) -> bool:
    return np.shape(a) == np.shape(b) and relative_error(np.asarray(a), np.asarray(b)) < 1e-9


def _states_hints(states_ref, n, t, X_=None, rest_=()):
    """Hints for a wrong shape of states, each confirmed on the values."""
    ref = states_ref

    def short(got):
        if _close(got, ref[1:]):
            return ("h_0 is missing: states[0] must be the initial state h_0 = 0, and "
                    "states[t] = h_t for t = 1 .. T")
        if _close(got, ref[:t]):
            return "the last state h_T is missing: the loop makes T steps, t = 1 .. T"
        if _close(got, _run(X_[:, 1:], *rest_, np.zeros_like(ref[0]))):
            return ("the loop starts at t = 1 and skips the first input X[:, 0]: with t = 0 .. "
                    "T - 1 each step reads X[:, t], T steps")
        return "it holds T states; store T + 1: h_0 = 0 first, then h_1 .. h_T"

    def batch_first(got):
        if _close(got, ref.transpose(1, 0, 2)):
            return ("store the states time-major, one (N, H) array per step: "
                    "np.stack(list_of_states) with axis 0 over time")
        return None

    def batch_first_short(got):
        if _close(got, ref[1:].transpose(1, 0, 2)):
            return "store them time-major, (T + 1, N, H), with h_0 = 0 first"
        return None

    def n_steps(got):
        if got.shape[0] == n + 1 and _close(got, ref[: n + 1]):
            return (f"the loop runs N = {n} steps (X.shape[0], the records); it runs T = "
                    "X.shape[1] steps, one per input")
        return None

    def long(got):
        if _close(got[: t + 1], ref):
            return ("one state too many after h_T: the loop makes T steps, t = 0 .. T - 1 "
                    "(range(T)), each reading X[:, t]")
        if _close(got, _run(np.concatenate([X_[:, -1:], X_], axis=1), *rest_,
                            np.zeros_like(ref[0]))):
            return ("the loop makes T + 1 steps, and its first reads X[:, -1] (the last input: "
                    "t - 1 = -1 at t = 0 is Python's index from the end): make T steps, "
                    "t = 0 .. T - 1 (range(T)), each reading X[:, t]")
        return ("it holds T + 2 states, one too many: store h_0 = 0, then h_1 .. h_T from T "
                "steps (range(T))")

    hints = {(t, n, ref.shape[2]): short, (t + 2, n, ref.shape[2]): long}
    if n + 1 not in (t, t + 1) and n + 1 < t + 1:
        hints[(n + 1, n, ref.shape[2])] = n_steps
    if n != t + 1:
        hints[(n, t + 1, ref.shape[2])] = batch_first
    if n != t:
        hints[(n, t, ref.shape[2])] = batch_first_short
    return hints


def _states(X, U, W, b, activation=np.tanh, carry=False, bias_after=False, bias_once=False):
    """The states of the recurrence run with the given matrices (for the wrong variants).

    carry: each record starts from the previous record's last state (h not reset).
    bias_after: b is added after the activation.
    """
    n = X.shape[0]
    if carry:
        records, h = [], np.zeros((1, W.shape[0]))
        for i in range(n):
            s = _run(X[i : i + 1], U, W, b, activation, h)
            h = s[-1]
            records.append(s)
        out = np.concatenate(records, axis=1)
        out[0] = 0.0
        return out
    return _run(X, U, W, b, activation, np.zeros((n, W.shape[0])), bias_after, bias_once)


def _run(X, U, W, b, activation, h, bias_after=False, bias_once=False):
    states = [h]
    for t in range(X.shape[1]):
        if bias_once and t == 1:
            b = np.zeros_like(b)
        a = X[:, t] @ U.T + states[-1] @ W.T
        states.append(activation(a) + b if bias_after else activation(a + b))
    return np.stack(states)


def _check_states(states, ref, X, U, W, b, c_=None) -> None:
    if relative_error(states, ref) < 1e-10:
        return
    if _close(states, ref[::-1]):
        raise Failure("FAIL: states is wrong: the states are stored newest first (a list "
                      "filled with insert(0, h), or reversed): append each new state, so that "
                      "states[t] = h_t, with h_0 = 0 first")
    if np.all(states == states[-1]) or (len(states) > 2 and np.all(states[1:] == states[-1])):
        raise Failure(
            "FAIL: states is wrong: every states[t] holds the same values (the last state's). "
            "The same array was stored T + 1 times: a buffer [h] * (T + 1), or h updated in "
            "place (h[...] = ..., h[:] = ...) after it was appended. Make a new array each "
            "step (h = np.tanh(...)) and append that")
    if np.any(states[0] != 0.0):
        raise Failure("FAIL: states is wrong: states[0] holds values other than zero; the "
                      "recurrence starts from h_0 = 0 (np.zeros((N, H))), and states[t] = h_t")
    diagnose("states", states, ref, [
        ("W is not transposed in the step: each record's W h_(t-1) is h @ W.T",
         _states(X, U, W.T, b)),
        ("the tanh is missing in the step: h_t = tanh(a_t)", _states(X, U, W, b, lambda a: a)),
        ("the tanh is applied twice: the step (my.forward_step) already returns tanh(a_t)",
         _states(X, U, W, b, lambda a: np.tanh(np.tanh(a)))),
        ("the bias b is added after the tanh in the step: h_t = tanh(U x_t + W h_(t-1) + b)",
         _states(X, U, W, b, bias_after=True)),
        ("each record starts from the last state of the record before it: h must start "
         "again from h_0 = 0 for every record (all records at once, as rows, need no loop "
         "over records)", _states(X, U, W, b, carry=True)),
        ("each state is stored one slot late: states[t] must be h_t, the state after step t "
         "(states[1] = h_1, not h_0)", np.concatenate([ref[:1], ref[:-1]])),
        ("the output bias c is added in every step: c belongs to the prediction only, "
         "states[T] @ V.T + c; each step adds b", _states(X, U, W, b + c_))
        if c_ is not None else ("", np.full_like(ref, np.nan)),
        ("the inputs are rescaled (X / max |X|): the steps read X as it is",
         _states(X / np.abs(X).max(), U, W, b)),
        ("b never reaches the steps (they get a zero bias): pass b to every step, as it is",
         _states(X, U, W, np.zeros_like(b))),
        ("b is added at the first step only: every step adds b (pass b to every step)",
         _states(X, U, W, b, bias_once=True)),
        ("the inputs are read backwards in time: step t = 1 .. T reads X[:, t - 1], from the "
         "oldest value to the newest", _states(X[:, ::-1], U, W, b)),
        ("step 1 reads X[:, -1], the last input (X[:, t - 1] with t starting at 0): the loop "
         "index t = 0 .. T - 1 reads X[:, t]; t = 1 .. T reads X[:, t - 1]",
         _states(np.roll(X, 1, axis=1), U, W, b)),
        ("the step reads X[:, t - 1] one step late (or X[:, t + 1]): step t = 1 .. T reads "
         "X[:, t - 1], the loop index t = 0 .. T - 1 reads X[:, t]",
         _states(np.concatenate([X[:, 1:], X[:, :1]], axis=1), U, W, b)),
    ], observed=_first_difference(states, ref))


def _step_conclusion(right: set[str], wrong: set[str]) -> str | None:
    only = {"with b = 0": "so the bias b is what goes wrong: add it once, as it is, inside the "
                          "tanh",
            "with h_prev = 0 (the input's part alone)": "so the input's part is right and the "
                          "state's part goes wrong: W h_prev for every record is h_prev @ W.T",
            "with x_t = 0 (the state's part alone)": "so the state's part is right and the "
                          "input's part goes wrong: U x_t for every record is x_t @ U.T"}
    return only[next(iter(right))] if len(right) == 1 else None


def _forward_conclusion(right: set[str], wrong: set[str]) -> str | None:
    if right == {"with T = 1 step"}:
        return ("so one step is right, and what goes wrong is how the steps follow each other: "
                "step t reads X[:, t] and the state that the step before it produced")
    if right == {"with b = 0"} or right == {"with b = 0", "with T = 1 step"}:
        return "so the bias b is what goes wrong: pass b to every step, as it is"
    if "with U = 0 (the inputs ignored)" in right and "with b = 0" not in right:
        return "so the inputs are what goes wrong: step t = 1 .. T reads X[:, t - 1], in order"
    return None


def _forward_probes(fn, X, U, W, V, b, c):
    def probe(X=X, U=U, b=b):
        args = {"X": X, "U": U, "W": W, "V": V, "b": b, "c": c}
        return lambda: agrees(fn, args, reference_forward(*args.values()), 2)

    return [("with T = 1 step", probe(X=X[:, :1])), ("with b = 0", probe(b=np.zeros_like(b))),
            ("with U = 0 (the inputs ignored)", probe(U=np.zeros_like(U)))]


def _first_difference(states, ref) -> str:
    """ ". states[0] .. states[1] are right; states[2] is the first that is not"."""
    wrong = [t for t in range(len(ref)) if relative_error(states[t], ref[t]) >= 1e-10]
    if not wrong or wrong[0] == 0:
        return ""
    right = "states[0] is" if wrong[0] == 1 else f"states[0] .. states[{wrong[0] - 1}] are"
    return f". {right} right; states[{wrong[0]}] is the first that is not"


@checker("Check the learner's rnn_forward on every input set of SEQ_CASES. rnn_forward(X, "
         "U, W, V, b, c) -> (Y_hat, states)")
def check_forward(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        X, U, W, V, b, c = sequence_inputs(case)
        Y_ref, states_ref = reference_forward(X, U, W, V, b, c)
        n, t = case["N"], case["T"]
        result = call(fn, dict(zip(SEQ_ROLES, (X, U, W, V, b, c), strict=True)), case.sizes,
                      SEQ_ROLES, "the input at step t is X[:, t] (N, D); the prediction is "
                      "states[T] @ V.T + c, (N, H) @ (H, O) -> (N, O)")
        Y_hat, states = unpack(result, ("Y_hat", "states"), (Y_ref, states_ref))
        first = np.asarray(states, dtype=np.float64) if isinstance(states, np.ndarray) else None
        if first is not None and first.shape == states_ref.shape and \
                not np.all(np.isfinite(first[0])) and np.all(np.isfinite(first[1:])):
            raise Failure("FAIL: states[0] holds NaN or garbage (np.empty leaves the memory as "
                          "it was): h_0 = 0, so set it, or make the buffer with np.zeros")
        states_hints = _states_hints(states_ref, n, t, X, (U, W, b, np.tanh))
        cause = _short_states_cause(fn, states, states_ref, X)
        if cause:
            states_hints[np.shape(states)] = cause
        states = as_array(states, "states", states_ref, "(T + 1, N, H)", case.sizes,
                          states_hints)
        hints = {(t + 1, n, Y_ref.shape[1]): lambda Y: (
            "it holds a prediction for every step; the network predicts once, from the "
            "last state: Y_hat = states[T] @ V.T + c" if _close(
                Y, states_ref @ V.T + c) else None)}
        if b.shape[0] != Y_ref.shape[1]:
            hints[(n, b.shape[0])] = _bias_in_the_readout(states, X, U, W, V, b, c)
        Y_hat = as_array(Y_hat, "Y_hat", Y_ref, "(N, O)", case.sizes, hints)
        try:
            _check_states(states, states_ref, X, U, W, b, c if c.shape == b.shape or
                          c.size == 1 else None)
        except Failure as failure:
            line = _locate_states(states, states_ref, X, U, W, b)
            raise with_location(localize(failure, _forward_probes(fn, X, U, W, V, b, c),
                                         None if line else _forward_conclusion), line) from None
        error = _diagnose_readout(Y_hat, Y_ref, states_ref, V, c, t)
        return max(error, relative_error(states, states_ref))

    return run_checks(lambda: pass_text(
        over_cases(SEQ_CASES, one), "Y_hat and all states match, largest relative error"), fn)


def _short_states_cause(fn, states, ref, X) -> str | None:
    """Why states holds only its first k + 1 entries (each right), when the learner's source
    shows it: a return inside the loop over t (k = 1: it ends in the loop's first pass), or a
    loop that counts its steps from another axis of X than axis 1 (T = X.shape[-1] is D)."""
    if not isinstance(states, np.ndarray) or states.ndim != 3 or \
            states.shape[1:] != ref.shape[1:] or not 1 <= states.shape[0] - 1 < X.shape[1] or \
            not _close(states, ref[:states.shape[0]]):
        return None
    source = learner_source(fn)
    if source is None or not source.params():
        return None
    k, x_name = states.shape[0] - 1, source.params()[0]
    nodes = own_nodes(source.tree.body)
    loops = [node for node in nodes if isinstance(node, ast.For | ast.While)]
    for loop in loops:
        early = next((s for s in loop.body if isinstance(s, ast.Return)), None)
        if early is not None and k == 1:
            return (f"your return is inside the loop over t (your line `{source.line(early)}` "
                    "is indented into the loop's body): the function ends in the loop's first "
                    "pass, after step 1, with h_0 and h_1 only. Put the return after the loop, "
                    "at the indentation of the function's body")
    symbols = ("N", "T", "D")
    for loop in loops:
        if not (isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and
                ast.unparse(loop.iter.func) == "range" and 1 <= len(loop.iter.args) <= 2):
            continue
        stop = loop.iter.args[-1]
        start = loop.iter.args[0] if len(loop.iter.args) == 2 else ast.Constant(0)
        if isinstance(stop, ast.BinOp) and isinstance(stop.op, ast.Add) and \
                ast.unparse(stop.right) == "1" and ast.unparse(start) == "1":
            stop = stop.left
        elif ast.unparse(start) != "0":
            continue
        read = size_read(stop, source.tree)
        if read is None or read[0] != x_name or not -3 <= read[1] < 3:
            continue
        axis = read[1] % 3
        if axis == 1 or X.shape[axis] != k:
            continue
        if axis == 0:
            return (f"the loop runs N = {k} steps ({x_name}.shape[0], the records), read in "
                    f"`{read[2]}`; it runs T = {x_name}.shape[1] steps, one per input")
        return (f"your loop over t runs {k} steps, the size of {x_name}'s axis {axis} "
                f"({symbols[axis]} = {k} here), read in `{read[2]}`: the steps are "
                f"{x_name}'s axis 1, T = {x_name}.shape[1], as {x_name} is (N, T, D)")
    return None


def _bias_in_the_readout(states, X, U, W, V, b, c):
    """A shape hint for Y_hat of shape (N, H): the read-out adds b, the steps' bias, where c
    belongs (confirmed on the learner's own last state), and whether the steps got c."""
    def hint(Y):
        if not _close(Y, states[-1] @ V.T + b):
            return None
        text = ("it is states[T] @ V.T + b: the read-out adds b (H,), the steps' bias, where c "
                "(O,) belongs: Y_hat = states[T] @ V.T + c")
        if c.size == 1 and _close(states, reference_forward(X, U, W, V, np.full_like(b, c[0]),
                                                            c)[1]):
            text += ("; and your steps get c where b belongs: b and c are swapped, pass b to "
                     "forward_step(X[:, t], states[t], U, W, b)")
        return text

    return hint


def _locate_states(states, ref, X, U, W, b) -> str:
    """The located line of wrong states: the first state that departs, and, when its values
    show it, which input and which earlier state its step read instead."""
    t0 = first_departure(states, ref)
    if not t0:
        return ""

    def step(x, h):
        return np.tanh(x @ U.T + h @ W.T + b)

    T_ = X.shape[1]
    inputs = [(f"X[:, {j}]", X[:, j]) for j in range(T_)]
    olds = [(f"states[{j}]", ref[j]) for j in range(T_ + 1)]
    found = [(xi, hj) for xi, x in inputs for hj, h in olds
             if relative_error(states[t0], step(x, h)) < 1e-9]
    right = "states[0] is right" if t0 == 1 else f"states[0] .. states[{t0 - 1}] are right"
    want = f"forward_step(X[:, {t0 - 1}], states[{t0 - 1}], U, W, b)"
    if len(found) == 1 and found[0] != (f"X[:, {t0 - 1}]", f"states[{t0 - 1}]"):
        return (f"{WHERE} {right}; states[{t0}] is the first that is wrong, and it is "
                f"forward_step({found[0][0]}, {found[0][1]}, U, W, b): step {t0} must be "
                f"{want}, its own input and the state just before it")
    if t0 == 1:
        return (f"{WHERE} states[0] = h_0 is right; states[1], the first step, is wrong "
                "already: look at the first step, h_1 = forward_step(X[:, 0], h_0, U, W, b) "
                "and what the loop stores as states[1]")
    return (f"{WHERE} {right}; states[{t0}] is the first that is wrong, although the steps "
            f"before it are right: look at step {t0}, which must be {want}")


def _diagnose_readout(Y_hat, Y_ref, states_ref, V, c, t) -> float:
    try:
        return diagnose("Y_hat", Y_hat, Y_ref, [
            ("the output bias c is missing", states_ref[t] @ V.T),
            ("the prediction is read from h_1, not from the last state h_T = states[T]",
             states_ref[1] @ V.T + c),
            ("the prediction is read from h_(T-1): the last state is states[T]",
             states_ref[t - 1] @ V.T + c),
            ("the tanh is applied to the prediction too: Y_hat = states[T] @ V.T + c is "
             "linear", np.tanh(states_ref[t] @ V.T + c)),
            ("the last state is squashed again, tanh(states[T]): it is already a tanh; the "
             "prediction is states[T] @ V.T + c", np.tanh(states_ref[t]) @ V.T + c),
            ("the prediction is read from the sum of the states; it is read from the last "
             "state only, states[T] @ V.T + c", states_ref.sum(axis=0) @ V.T + c),
            ("the prediction is read from the mean of the states; it is read from the last "
             "state only, states[T] @ V.T + c", states_ref[1:].mean(axis=0) @ V.T + c),
        ])
    except Failure as failure:
        raise with_location(failure, f"{WHERE} states are all right (every step); Y_hat is "
                                     "wrong: look at the read-out, Y_hat = states[T] @ V.T + c"
                            ) from None
