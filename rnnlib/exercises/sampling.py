"""Notebook 09's exercise: the probabilities of the next character at a temperature.

temperature_probabilities(y_hat, temperature) -> p
    y_hat (N, O) scores V h_t + c of N streams over O characters, temperature T > 0 (a float);
    p (N, O) with each row the softmax of its scores divided by T, as rnnlib.sequence.sample
    draws from it:

        p_ni = exp((y_hat_ni - max_j y_hat_nj) / T) / sum_j exp((y_hat_nj - max_j y_hat_nj) / T)

    Subtracting each row's largest score changes nothing in exact arithmetic and keeps every
    exp at most exp(0) = 1: without it, exp(y_hat / T) overflows to inf at small T (inf / inf
    is NaN). T = 1 is the model's own distribution, T < 1 sharpens it, T > 1 flattens it.

    Checked with N = 3, O = 5, T = 0.7; the shapes of notebook 09's model (O = 29 characters,
    one stream and a batch); close scores at T = 0.05, where the softmax is still far from
    one-hot (a function that returns the argmax below some temperature shows); and scores of up
    to about 40 at T = 0.05, where exp(y_hat / T) overflows.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import numpy as np

from rnnlib.exercises._core import (
    TOLERANCE,
    WHERE,
    Case,
    Failure,
    NotYet,
    Verdict,
    as_array,
    call,
    checker,
    diagnose,
    learner_source,
    listing,
    observed_only,
    over_cases,
    own_nodes,
    pass_text,
    passes,
    rows_or_columns,
    run_checks,
    unpack,
    with_location,
    without_comment,
)
from rnnlib.gradcheck import relative_error

SEED = 2030
ROLES = {"y_hat": "(N, O)", "temperature": "T"}
CASES = (
    Case({"N": 3, "O": 5}, False, SEED),
    Case({"N": 1, "O": 29}, True, SEED + 100),
    Case({"N": 8, "O": 29}, True, SEED + 200),
    # close scores at a small T: y_hat / T of about 1, far from a one-hot (no overflow)
    Case({"N": 5, "O": 7}, False, SEED + 400, text="N = 5, O = 7, close scores (spread about "
         "0.1), T = 0.05"),
    Case({"N": 4, "O": 6}, False, SEED + 300, text="N = 4, O = 6, scores up to about 40, T = 0.05"),
    # several scores per row far above the others at a tiny T: y_hat / T of thousands, where a
    # ceiling on the scores (np.clip) makes the largest ones equal
    Case({"N": 4, "O": 6}, False, SEED + 500, text="N = 4, O = 6, scores up to about 40, "
         "T = 0.01"),
)
TEMPERATURES = {SEED: 0.7, SEED + 100: 0.5, SEED + 200: 1.5, SEED + 300: 0.05, SEED + 400: 0.05,
                SEED + 500: 0.01}
SCALES = {SEED + 300: 20.0, SEED + 400: 0.04, SEED + 500: 20.0}  # the scores' standard
# deviation; else 1.5
# exp(x) overflows to inf above log(the largest float64), about 709.78
OVERFLOW = float(np.log(np.finfo(np.float64).max))


def inputs(case: Case = CASES[0]) -> tuple[np.ndarray, float]:
    """y_hat (N, O) and the temperature; default N = 3, O = 5, T = 0.7."""
    rng = np.random.default_rng(case.seed)
    scale = SCALES.get(case.seed, 1.5)
    return rng.normal(0.0, scale, (case["N"], case["O"])), TEMPERATURES[case.seed]


def reference(y_hat, temperature) -> np.ndarray:
    """rnnlib's probabilities (rnnlib.sequence.sample's, for a batch of rows)."""
    p = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return p / p.sum(axis=1, keepdims=True)


def _softmax(a, axis=1):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _slips(y_hat, T) -> list[tuple[str, np.ndarray]]:
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / T)
    return [
        ("the scores are multiplied by T: divide them, softmax(y_hat / T), so that a small T "
         "sharpens the distribution", _softmax(y_hat * T)),
        ("the temperature has no effect: p is softmax(y_hat), as if T were 1. T divides the "
         "scores before exp, p = softmax(y_hat / T) (probabilities divided by T and "
         "normalised again come back unchanged)", _softmax(y_hat)),
        ("the softmax is taken over the records (axis 0): each row, one stream's scores, "
         "sums to 1 (axis=1, keepdims=True)", _softmax(y_hat / T, axis=0)),
        ("the probabilities are not normalised: divide by each row's sum", e),
        ("the sum runs over the whole array: normalise each row on its own, "
         "p.sum(axis=1, keepdims=True)", e / e.sum()),
        ("T divides the probabilities, not the scores: p = softmax(y_hat / T)",
         _softmax(y_hat) / T),
        ("the scores are divided by T twice (by T**2): divide them once, softmax(y_hat / T)",
         _softmax(y_hat / T**2)),
        ("p holds the log-probabilities (the log-softmax, scores minus the log of the row's "
         "sum of exps): return the probabilities themselves, e / e.sum(axis=1, keepdims=True)",
         _log(e / e.sum(axis=1, keepdims=True))),
    ]


def _log(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):  # a probability that underflowed to 0 has log -inf
        return np.log(p)


@checker("Check the learner's temperature_probabilities(y_hat, temperature) -> p on every "
         "input set of CASES.")
def check(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        y_hat, T = inputs(case)
        expected = reference(y_hat, T)
        where = f" with {case.label}" + ("" if "T = " in case.label else f", T = {T}")
        try:
            result = call(fn, {"y_hat": y_hat, "temperature": T}, case.sizes, ROLES,
                          "each row is one stream: p = exp(...) / p.sum(axis=1, keepdims=True)")
        except Failure as failure:
            if "raised OverflowError" in str(failure) and _at_risk(y_hat, T).any():
                raise Failure(f"{failure}. {_OVERFLOW_FIX}") from None
            raise
        (p,) = unpack(result, ("p",))
        raw = np.asarray(p) if isinstance(p, np.ndarray | list) else None
        if raw is not None and raw.dtype.kind == "f" and raw.shape == expected.shape:
            overflow = _overflowed(raw, expected, y_hat, T) or _batch_shift(raw, expected,
                                                                             y_hat, T)
            if overflow:
                raise Failure(f"FAIL: p is wrong{where}: {overflow}")
        got = as_array(p, "p", expected, "(N, O)", case.sizes)
        error = relative_error(got, expected)
        if passes(error):
            return error  # the slips are made only for a wrong answer
        try:
            return diagnose("p", got, expected, _slips(y_hat, T), where)
        except Failure as failure:
            some, floored = _some_temperatures(fn, y_hat, T, str(failure))
            if floored:
                raise Failure(f"FAIL: p is wrong{where}: {floored}") from None
            if some:
                raise Failure(f"{failure}. {some}") from None
            observed = observed_only(str(failure))
            hot = _ceiling(got, expected, y_hat, T) or _cumulative(got, expected) or ((
                _one_hot(got, expected, y_hat) or _another_base(got, y_hat, T) or
                _uniform_mix(got, expected) or _never_written(fn, got, expected)) if observed
                else "")
            if hot:
                raise Failure(f"FAIL: p is wrong{where}: {hot}") from None
            risk = _at_risk(y_hat, T)
            wrong_at_risk = any(relative_error(got[i], expected[i]) >= TOLERANCE
                                for i in np.flatnonzero(risk))
            # zeros where exp can overflow are no sign of a row never computed
            line = "" if wrong_at_risk else rows_or_columns(
                got, expected, ("streams", "N", "for i in range(N), N = y_hat.shape[0]"),
                ("scores", "O", "for j in range(O)"))
            zeros = _zeroed(got, expected, y_hat, T) if observed and not line else ""
            if zeros:
                raise Failure(f"FAIL: p is wrong{where}: {zeros}") from None
            raise with_location(failure, line or _locate(got, y_hat)) from None

    return run_checks(lambda: pass_text(over_cases(CASES, one)))


# the slips of _slips that are about the temperature
_TEMPERATURE_SLIPS = ("the temperature has no effect", "the scores are multiplied by T",
                      "T divides the probabilities", "divided by T twice", "at another "
                      "temperature")


def _some_temperatures(fn: Callable, y_hat: np.ndarray, T: float, text: str
                       ) -> tuple[str, str]:
    """When text names a slip about the temperature, what the learner's p shows on the same
    scores at other temperatures: (the text when it is right at some of them, a condition on
    T or T clamped; the text when p is softmax(y_hat * (1 // T)) at all of them, a floor
    division), "" for what does not hold."""
    if not any(slip in text for slip in _TEMPERATURE_SLIPS):
        return "", ""
    right, floored = [], True
    for other in (T, 0.5, 0.7, 1.5, 2.0, 3.0):
        try:
            got = np.asarray(call(fn, {"y_hat": y_hat, "temperature": other}, {}, {}),
                             dtype=np.float64)
        except (Failure, NotYet, TypeError, ValueError):
            return "", ""
        if got.shape != y_hat.shape:
            return "", ""
        floored = floored and relative_error(got, _softmax(y_hat * (1 // other))) < 1e-9
        if other != T and passes(relative_error(got, reference(y_hat, other))):
            right.append(other)
    if floored:  # 1 // T is 1 / T at T = 0.5 only, 1 below it, 0 (uniform p) from T > 1
        return "", ("on these scores at T = 0.5, 0.7, 1.5, 2 and 3 too, p is softmax(y_hat * (1 "
                    "// T)): the inverse temperature is a floor division, 1 // T, which is 1 "
                    "for 0.5 < T <= 1 and 0 for T > 1: use 1 / T, or divide the scores by T")
    if not right:
        return "", ""
    at = listing([f"{t:g}" for t in right])
    return (f"Yet on the same scores p is right at T = {at}: the temperature is applied at "
            "some temperatures only (a condition on T, such as `if temperature > 1`, or T "
            "clamped, max(T, 1)?): p = softmax(y_hat / T) at every temperature T > 0"), ""


def _at_risk(y_hat: np.ndarray, T: float) -> np.ndarray:
    """The rows where an exp of the scores divided by T overflows unless each row's largest
    score is subtracted first: y_hat / T above log(max float), about 709, or scores so far
    apart that exp of one less another (any shift but the largest) can overflow, or all so
    low that every exp(y_hat / T) is 0 (0 / 0)."""
    top = y_hat.max(axis=1) / T
    return (top > OVERFLOW) | (np.ptp(y_hat, axis=1) / T > OVERFLOW) | (top < -OVERFLOW)


def _overflowed(p: np.ndarray, expected: np.ndarray, y_hat: np.ndarray, T: float) -> str:
    """The slip when p is wrong only in rows where exp overflows without the shift by each
    row's largest score, and holds there NaN, inf or zeros where rnnlib's probabilities are
    above 0 (what inf, inf / inf, x - inf and 0 / 0 leave); "" otherwise (a row that is wrong
    where nothing can overflow is another slip)."""
    risk = _at_risk(y_hat, T)
    if not risk.any() or (np.all(np.isfinite(p)) and passes(relative_error(p, expected))):
        return ""
    with np.errstate(all="ignore"):
        wrong = [i for i in range(len(p)) if not np.all(np.isfinite(p[i])) or
                 relative_error(p[i], expected[i]) >= TOLERANCE]
    if not wrong or not all(risk[i] for i in wrong) or not all(
            not np.all(np.isfinite(p[i])) or np.any((p[i] == 0) & (expected[i] > 0))
            for i in wrong):
        return ""
    right = [i for i in range(len(p)) if i not in wrong]
    rows = (f"row {wrong[0]} is" if len(wrong) == 1 else f"rows {listing([str(i) for i in wrong])}"
            " are")
    others = (f" (the other{'s' if len(right) > 1 else ''}, where exp stays finite, "
              f"{'are' if len(right) > 1 else 'is'} right)" if right else "")
    high = all(y_hat[i].max() / T > OVERFLOW for i in wrong)
    apart = all(np.ptp(y_hat[i]) / T > OVERFLOW for i in wrong)
    spread = ("its scores divided by T lie more than 709 apart, so exp of a score less any "
              "other than the row's largest can be above 709")
    reach = (f"there y_hat / T is above 709, and {spread}" if high and apart else
             "there y_hat / T is above 709" if high else f"there {spread}")
    what = ("holds NaN or infinite values" if any(not np.all(np.isfinite(p[i])) for i in wrong)
            else "holds zeros where rnnlib's probabilities are above 0")
    return (f"{rows} wrong and {what}{others}: exp(...) overflowed: {reach}, and exp of more "
            "than about 709 is inf (inf / inf is NaN; x - inf is -inf and exp(-inf) is 0, as "
            "in a log-sum-exp without the shift; exp of less than about -745 is 0, and 0 / 0 "
            f"is NaN). {_OVERFLOW_FIX}")


def _batch_shift(p: np.ndarray, expected: np.ndarray, y_hat: np.ndarray, T: float) -> str:
    """The slip when p holds NaN (or 0) rows because the scores were shifted by the largest
    score of the whole batch, np.max(y_hat), not each row's own: a row whose scores all lie
    more than about 745 T below it underflows, every exp 0, and 0 / 0 is NaN. Confirmed on
    the values: p is that shift's softmax, NaN where it is NaN. "" otherwise."""
    with np.errstate(all="ignore"):
        e = np.exp((y_hat - np.max(y_hat)) / T)
        shifted = e / e.sum(axis=1, keepdims=True)
    bad = ~np.all(np.isfinite(shifted), axis=1)
    if not bad.any() or np.all(np.isfinite(p)) or not np.array_equal(
            np.isfinite(p), np.isfinite(shifted)):
        return ""
    good = np.isfinite(shifted)
    if not np.allclose(p[good], shifted[good], rtol=1e-9, atol=0.0):
        return ""
    rows = np.flatnonzero(bad)
    which = (f"row {rows[0]}" if len(rows) == 1 else
             f"rows {listing([str(i) for i in rows])}")
    return (f"{which} of p {'is' if len(rows) == 1 else 'are'} NaN: the scores are shifted by "
            "the largest score of the whole batch, np.max(y_hat), not by each row's own. In "
            f"{which} every score divided by T lies more than about 745 below that largest one, "
            "so every exp is 0 (exp underflows), and 0 / 0 is NaN. Subtract each row's own "
            "largest score: exp((y_hat - y_hat.max(axis=1, keepdims=True)) / T)")


_OVERFLOW_FIX = ("Subtract each row's own largest score first: exp((y_hat - y_hat.max(axis=1, "
                 "keepdims=True)) / T) is at most 1 and 1 at each row's largest, and the "
                 "probabilities are the same")


def _another_base(p: np.ndarray, y_hat: np.ndarray, T: float) -> str:
    """The slip when each row of p is a softmax of the scores, but at another temperature:
    log p is, row by row up to a constant, c * y_hat / T for one c other than 1 (c = ln 2: the
    exp is base 2, np.exp2 or 2 ** ...; c = ln 10: base 10); "" otherwise."""
    if np.any(p <= 0) or not np.allclose(p.sum(axis=1), 1.0, rtol=0.0, atol=1e-9):
        return ""
    log_p = np.log(p)
    log_p -= log_p.mean(axis=1, keepdims=True)
    z = y_hat / T - (y_hat / T).mean(axis=1, keepdims=True)
    scale = float(np.vdot(z, z))
    c = float(np.vdot(log_p, z)) / scale if scale else 0.0
    if c <= 0 or abs(c - 1.0) < 1e-6 or relative_error(log_p, c * z) > 1e-9:
        return ""
    for base, name in ((2.0, "2 (np.exp2, or 2 ** ...)"), (10.0, "10 (10 ** ...)")):
        if abs(c - np.log(base)) < 1e-9:
            return (f"each row is a softmax of the scores, but with powers of {name} where "
                    "exp belongs: b ** x is exp(x ln b), the softmax at the temperature T / ln b "
                    "instead of T. Use np.exp, p = exp((y_hat - max) / T) / its row's sum")
    return (f"each row is the softmax of the scores at another temperature, y_hat / T' with "
            f"T' = {T / c:.3g}, where T = {T:g} is given: divide the scores by T itself, once, "
            "p = softmax(y_hat / T)")


def _ceiling(p: np.ndarray, expected: np.ndarray, y_hat: np.ndarray, T: float) -> str:
    """The slip when the scores were cut at a ceiling before exp (np.clip or np.minimum against
    overflow), confirmed on the values: the ceiling c is read from a row whose two largest
    scores (more than 1 apart after dividing by T) came out with equal probabilities, and p is
    softmax(minimum(y_hat / T, c)) in every row; "" otherwise."""
    if p.ndim != 2 or p.shape != y_hat.shape or p.shape[1] < 2 or not np.all(np.isfinite(p)):
        return ""
    s = y_hat / T
    for row, scores in zip(p, s, strict=True):
        top = np.argsort(scores)
        if scores[top[-1]] - scores[top[-2]] <= 1.0 or row[top[-1]] <= 0 or \
                abs(row[top[-1]] - row[top[-2]]) > 1e-12 * row[top[-1]]:
            continue
        below = [j for j in top if 0 < row[j] < row[top[-1]] * (1 - 1e-9)]
        if not below:
            continue
        c = scores[below[-1]] + np.log(row[top[-1]] / row[below[-1]])
        capped = np.exp(np.minimum(s, c) - np.minimum(s, c).max(axis=1, keepdims=True))
        if relative_error(p, capped / capped.sum(axis=1, keepdims=True)) < 1e-9:
            return ("the two largest scores of a row get the same probability although they "
                    f"differ by {scores[top[-1]] - scores[top[-2]]:.0f} after dividing by T: "
                    f"the scores y_hat / T were cut at a ceiling (about {c:.0f}; np.clip or "
                    "np.minimum) before exp, which changes every score above it. Against "
                    "overflow, subtract each row's maximum instead, e = np.exp((y_hat - "
                    "y_hat.max(axis=1, keepdims=True)) / T): it keeps every ratio, and exp's "
                    "largest argument is then 0")
        return ""
    return ""


def _cumulative(p: np.ndarray, expected: np.ndarray) -> str:
    """The slip when p holds the running sums of the right probabilities along a row (a CDF,
    np.cumsum(p, axis=1), as sampling by searchsorted uses), confirmed on the values: the
    differences along each row (with its first entry) are rnnlib's p; "" otherwise."""
    if p.ndim != 2 or p.shape[1] < 2:
        return ""
    for reverse in (False, True):
        q = p[:, ::-1] if reverse else p
        steps = np.diff(q, axis=1, prepend=0.0)
        want = expected[:, ::-1] if reverse else expected
        if relative_error(steps, want) < 1e-9:
            how = ("np.cumsum(p[:, ::-1], axis=1)[:, ::-1], from the last score"
                   if reverse else "np.cumsum(p, axis=1)")
            return (f"p holds the cumulative sums of the probabilities along each row ({how}: "
                    "a CDF, as sampling by np.searchsorted uses), and the differences along "
                    "each row are the right ones: the exercise returns the probabilities "
                    "themselves, e / e.sum(axis=1, keepdims=True), with no cumulative sum")
    return ""


def _one_hot(p: np.ndarray, expected: np.ndarray, y_hat: np.ndarray) -> str:
    """The slip when every row of p is a one-hot at its largest score (the argmax, greedy
    decoding) where rnnlib's rows are far from one-hot; "" otherwise."""
    top = np.argmax(y_hat, axis=1)
    hot = np.zeros_like(p)
    hot[np.arange(len(p)), top] = 1.0
    if not np.array_equal(p, hot) or np.all(expected.max(axis=1) > 0.99):
        return ""
    return ("every row of p is a one-hot, 1 at the row's largest score (the argmax) and 0 "
            "elsewhere, but the softmax of these scores is far from one-hot (no row of "
            "rnnlib's has a probability above 0.99): p is the softmax of y_hat / T at every "
            "T > 0, with no special case (no argmax) below some temperature; subtracting each "
            "row's largest score keeps exp from overflowing at any T")


def _uniform_mix(p: np.ndarray, expected: np.ndarray) -> str:
    """The slip when p is rnnlib's softmax mixed with a constant, p = a softmax + b for one a
    and b > 0 (a probability floor, additive smoothing): with a + O b = 1 each row is mixed
    with the uniform distribution and still sums to 1; with a = 1 a constant is added to every
    probability. Confirmed on the values (one a and b fit every probability); "" otherwise."""
    O = p.shape[1]
    s = expected - expected.mean()
    scale = float(np.vdot(s, s))
    if O < 2 or not scale:
        return ""
    a = float(np.vdot(p - p.mean(), s)) / scale
    b = float(p.mean()) - a * float(expected.mean())
    if not 0.0 < a or b <= 0.0 or relative_error(p, a * expected + b) > 1e-9:
        return ""
    if abs(a + O * b - 1.0) < 1e-9:
        if not a < 1.0:
            return ""
        return (f"each row is the softmax mixed with the uniform distribution, p = a "
                f"softmax(y_hat / T) + (1 - a) / O with 1 - a = {1.0 - a:.3g} (a probability "
                "floor or smoothing, (1 - eps) p + eps / O, or (p + eps) renormalised): the "
                "exercise's p is the softmax of y_hat / T itself, with nothing mixed in (no "
                "character needs a floor: exp keeps every probability above 0)")
    if abs(a - 1.0) < 1e-9:
        return (f"a constant, {b:.3g}, is added to every probability (p + eps), so each row "
                f"sums to 1 + O eps = {1.0 + O * b:.6g}: the exercise's p is the softmax of "
                "y_hat / T itself, with nothing added (exp keeps every probability above 0)")
    return ""


def _never_written(fn: Callable, p: np.ndarray, expected: np.ndarray) -> str:
    """The slip when every value of p is still the one it was made with (all 0 from
    np.zeros_like, ...) and the learner's source has a loop over the returned array whose
    body gives the loop's own name a new value (`for row in p: row = e / e.sum()`), which
    writes nothing into the array; "" otherwise."""
    if not np.all(p == p.flat[0]) or np.allclose(expected, p.flat[0], rtol=0.0, atol=1e-12):
        return ""
    found = rebound_loop_item(fn)
    if not found:
        return ""
    name, line, loop, made = found
    value = f"{p.flat[0]:g}"
    start = (f", as your line `{made}` made it" if made else "")
    return (f"every value of p is still {value}{start}: nothing is written into it. Your line "
            f"`{line}` inside the loop `{loop}` gives the loop's name {name} a new array, and "
            f"leaves p as it was (a for loop hands out p's rows; assigning to the name does not "
            f"write into them). Write into p: p[i] = ... (for i in range(N)), or {name}[:] = "
            "..., or build p from the rows, np.array([... for scores in y_hat])")


def rebound_loop_item(fn: Callable) -> tuple[str, str, str, str] | None:
    """(name, the line, the loop's line, the line that made the array) when the learner's
    function returns a name R and has a loop `for name in R` (or `for name, ... in zip(R, ...)`,
    `for i, name in enumerate(R)`) whose body gives name a new value with a plain = that
    nothing after it in the loop reads (so it is lost: R's items are never written); None if
    the source shows none."""
    source = learner_source(fn)
    nodes = own_nodes(source.tree.body) if source else []
    returned = {n.value.id for n in nodes if isinstance(n, ast.Return) and
                isinstance(n.value, ast.Name)}

    def items_of(loop) -> list[tuple[str, str]]:
        """(the loop's name for an item, the returned array it walks over)."""
        target, it = loop.target, loop.iter
        if isinstance(it, ast.Name):
            return [(target.id, it.id)] if isinstance(target, ast.Name) else []
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and
                isinstance(target, ast.Tuple | ast.List)):
            return []
        if it.func.id == "zip":
            pairs = list(zip(target.elts, it.args, strict=False))
        elif it.func.id == "enumerate" and it.args and len(target.elts) == 2:
            pairs = [(target.elts[1], it.args[0])]
        else:
            return []
        return [(t.id, a.id) for t, a in pairs if isinstance(t, ast.Name) and
                isinstance(a, ast.Name)]

    for loop in nodes:
        if not isinstance(loop, ast.For):
            continue
        for name, array in items_of(loop):
            if array not in returned:
                continue
            for i, node in enumerate(loop.body):
                if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == name for t in node.targets) and \
                        not any(isinstance(n, ast.Name) and n.id == name and
                                isinstance(n.ctx, ast.Load)
                                for later in loop.body[i + 1:] for n in ast.walk(later)):
                    made = next((without_comment(source.line(n)) for n in nodes if isinstance(
                                 n, ast.Assign) and n.lineno < loop.lineno and any(
                                     isinstance(t, ast.Name) and t.id == array
                                     for t in n.targets)), "")
                    return (name, without_comment(source.line(node)),
                            without_comment(source.line(loop)), made)
    return None




def _zeroed(p: np.ndarray, expected: np.ndarray, y_hat: np.ndarray, T: float) -> str:
    """What p shows when some of its probabilities are exactly 0 where rnnlib's are above 0
    and each row still sums to 1 (a top-k filter, named only when the kept ones are each row's
    largest scores, with the softmax of those alone); "" otherwise."""
    cut = (p == 0) & (expected > 0)
    if not cut.any() or not np.allclose(p.sum(axis=1), 1.0, rtol=0.0, atol=1e-9):
        return ""  # a filter keeps each row a distribution; a row left at 0 is another slip
    count = int(cut.sum())
    kept = ~cut
    per_row = set(int(k) for k in kept.sum(axis=1))
    top = len(per_row) == 1 and all(
        np.all(y[kept[i]].min() >= y[~kept[i]].max()) if (~kept[i]).any() else True
        for i, y in enumerate(y_hat))
    if top and kept.all(axis=1).sum() < len(p):
        k = per_row.pop()
        inner = np.where(kept, np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / T), 0.0)
        inner = inner / inner.sum(axis=1, keepdims=True)
        if np.allclose(p, inner, rtol=1e-9, atol=0.0):
            return (f"only the {k} largest scores of each row keep a probability, the other "
                    f"{p.shape[1] - k} are exactly 0 (a top-k filter, k = {k}): every character "
                    "must keep a chance, p = softmax(y_hat / T) over all O scores, no top-k "
                    "filter")
    return (f"{count} of its {p.size} probabilities are exactly 0, where rnnlib's are all above "
            "0 (exp of any score is): every character must keep a chance: no top-k filter, no "
            "threshold that sets small probabilities to 0")


def _locate(p: np.ndarray, y_hat: np.ndarray) -> str:
    """The located line of wrong probabilities: the normalisation (rows that do not sum to 1)
    or what goes into exp (rows that do, with the scores' order kept or not)."""
    rows = np.allclose(p.sum(axis=1), 1.0, rtol=0.0, atol=1e-9)
    if not rows:
        if p.shape[0] > 1 and np.allclose(p.sum(axis=0), 1.0, rtol=0.0, atol=1e-9):
            return (f"{WHERE} the columns of p sum to 1, the rows do not: each row is one "
                    "stream and is divided by its own sum, e / e.sum(axis=1, keepdims=True)")
        return (f"{WHERE} the rows of p do not sum to 1: look at the normalisation, each row "
                "divided by its own sum, e / e.sum(axis=1, keepdims=True)")
    order = all(np.array_equal(np.argsort(y, kind="stable"), np.argsort(q, kind="stable"))
                for y, q in zip(y_hat, p, strict=True))
    if order:
        return (f"{WHERE} each row sums to 1 and keeps the order of its scores, but is not the "
                "softmax of y_hat / T: look at what goes into the normalisation, e = "
                "np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / T)")
    return (f"{WHERE} each row sums to 1, but a larger score does not always get a larger "
            "probability: look at what goes into the normalisation, e = np.exp((y_hat - "
            "y_hat.max(axis=1, keepdims=True)) / T)")


def check_temperature_probabilities(fn: Callable, who: str | None = None) -> None:
    """Check temperature_probabilities(y_hat, temperature) -> p (notebook 09) and print the
    verdict, labelled with whose it is.

    Parameters
    ----------
    fn : callable
        The function to check.
    who : str, optional
        Whose function it is, printed before the verdict ("reference solution"); default
        "your <name>".

    Raises
    ------
    TypeError
        If fn is not callable.
    """
    from rnnlib.exercises import check as print_check

    print_check("temperature_probabilities", fn, who)
