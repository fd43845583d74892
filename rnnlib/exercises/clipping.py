"""Notebook 04's exercise: clipping by global norm.

clip_gradients(grads, threshold) -> clipped
    grads: a list of arrays of any shapes; threshold c > 0. Returns a new list of arrays of the
    same shapes: all multiplied by c / ||g|| when their global L2 norm ||g|| (over all elements
    of all arrays together) exceeds c, unchanged otherwise. The inputs are not modified.
    Checked against rnnlib.clipping.clip_by_norm where clipping must act, where it must not,
    and for all-zero gradients, with gradients shaped like those of D = 2, H = 4 and of the
    course's D = 1, O = 1.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

import numpy as np

from rnnlib.clipping import clip_by_norm
from rnnlib.exercises._core import (
    WHERE,
    Case,
    Failure,
    NotYet,
    Verdict,
    as_array,
    call,
    checker,
    describe_value,
    diagnose,
    expect_none_or,
    iterator_read_twice,
    learner_source,
    listing,
    observed_only,
    over_cases,
    own_nodes,
    pass_text,
    passes,
    run_checks,
    with_location,
    without_comment,
)
from rnnlib.gradcheck import relative_error
from rnnlib.model import Params

N, D, H = 3, 2, 4
SEED = 2026
NAMES = ("dU", "dW", "dV", "db", "dc")
CASES = (Case({"D": D, "H": H}, False, SEED), Case({"D": 1, "H": 3, "O": 1}, True, SEED + 100))


def inputs(case: Case = CASES[0]) -> list[np.ndarray]:
    """Five arrays shaped like dU (H, D), dW (H, H), dV (1, H), db (H,), dc (1,).

    Their norms differ widely, so clipping each array by its own norm gives a wrong answer.
    """
    d, h = case["D"], case["H"]
    rng = np.random.default_rng(case.seed)
    return [rng.normal(0.0, 2.0, (h, d)), rng.normal(0.0, 0.1, (h, h)),
            rng.normal(0.0, 1.0, (1, h)), rng.normal(0.0, 0.5, h), rng.normal(0.0, 1.0, 1)]


def global_norm(grads) -> float:
    return Params(*grads).norm()


def reference(grads: list[np.ndarray], threshold: float) -> list[np.ndarray]:
    """rnnlib's version: rnnlib.clip_by_norm on the five arrays, as a list.

    Any other list (a learner's train_rnn may clip one array at a time through my) is
    clipped by the same rule: one factor, threshold / global norm, if that norm exceeds it.
    """
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    if len(grads) == len(NAMES):
        clipped, _, _ = clip_by_norm(Params(*grads), threshold)
        return [a for _, a in clipped.items()]
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    scale = threshold / norm if norm > threshold else 1.0
    return [g * scale for g in grads]


def _scaled(grads, factors) -> list[np.ndarray]:
    return [g * f for g, f in zip(grads, factors, strict=True)]


def _rebound_loop_variable(fn: Callable) -> str:
    """The learner's line that assigns a new value to a for loop's own name (`g = g * factor`
    inside `for g in grads`), which leaves the list unchanged; "" if there is none."""
    source = learner_source(fn)
    for loop in own_nodes(source.tree.body) if source else ():
        if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name)):
            continue
        name = loop.target.id
        for i, node in enumerate(loop.body):
            # g *= factor changes an array in place (the list sees it): only a plain = counts,
            # and only when nothing after it in the loop reads g (out.append(g) stores it)
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name for t in node.targets) and not any(
                    isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
                    for later in loop.body[i + 1:] for n in ast.walk(later)):
                return source.line(node)
    return ""


def _code(source, node: ast.AST) -> str:
    """The learner's line on which node starts, without its trailing # comment; for an
    expression on one line (a comprehension), that expression alone."""
    if isinstance(node, ast.expr) and node.lineno == node.end_lineno:
        return source.lines[node.lineno - 1][node.col_offset:node.end_col_offset]
    return without_comment(source.line(node))


def _statement(nodes, node: ast.AST) -> ast.AST:
    """The statement (of nodes, the function's own) that holds node."""
    held = [n for n in nodes if isinstance(n, ast.stmt) and n.lineno <= node.lineno <=
            n.end_lineno and not isinstance(n, ast.For | ast.While | ast.If | ast.With | ast.Try)]
    return held[-1] if held else node


def _same_array_every_time(result, grads) -> tuple[int, float] | None:
    """(j, factor) when every returned array is one and the same array, grads[j] times a
    factor, although the inputs differ (a comprehension that reads another name than its own
    loop variable); None otherwise."""
    arrays = [np.asarray(v) for v in result]
    if len(arrays) < 2 or any(a.dtype.kind not in "fiu" or a.shape != arrays[0].shape or
                              not np.array_equal(a, arrays[0]) for a in arrays):
        return None
    if all(g.shape == grads[0].shape and np.array_equal(g, grads[0]) for g in grads):
        return None  # the inputs are one array too: nothing shows
    first = arrays[0].astype(np.float64)
    for j in range(len(grads) - 1, -1, -1):  # the last first: a loop leaves its last item
        g = grads[j]
        scale = float(np.vdot(g, g))
        if g.shape != first.shape or not scale:
            continue
        factor = float(np.vdot(first, g)) / scale
        if relative_error(first, factor * g) < 1e-9:
            return j, factor
    return None


class _Renamed(ast.NodeTransformer):
    """Every read of one name turned into a read of another."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new

    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name(self.new, node.ctx) if node.id == self.old else node


def _comprehension_without_its_variable(fn: Callable, last: bool) -> tuple[str, str, str] | None:
    """(the comprehension, what its element reads in place of its own loop variable, in words,
    the comprehension as it should read) for the one list comprehension (or generator) of the
    function whose element reads the variable of an earlier loop over the gradients (left at
    their last array, so only when last: the result is made of the last one), or reads the
    gradients' list and never its own variable; None if there is none, or several (the values
    cannot tell which made the result)."""
    import copy

    source = learner_source(fn)
    nodes = own_nodes(source.tree.body) if source else []
    grads = source.params()[0] if source and source.params() else None
    stale = {n.target.id: n for n in nodes if isinstance(n, ast.For) and
             isinstance(n.target, ast.Name) and isinstance(n.iter, ast.Name) and
             n.iter.id == grads} if last else {}
    found = []
    for node in nodes:
        if not isinstance(node, ast.ListComp | ast.GeneratorExp):
            continue
        own = {t.id for gen in node.generators for t in ast.walk(gen.target)
               if isinstance(t, ast.Name)}
        read = {n.id for n in ast.walk(node.elt) if isinstance(n, ast.Name) and
                isinstance(n.ctx, ast.Load)}
        variable = sorted(own)[0] if own else ""
        other = next((r for r in sorted(read) if r in stale and r not in own), None)
        if other is not None and own & read:  # [grad * s for s in scales]
            why = (f"multiplies {other} in every item, and {other} is still the last item of "
                   f"your loop `{_code(source, stale[other])}`")
            fix = (f"each gradient itself, [g * factor for g in {grads}] (or zip({grads}, ...) "
                   "to pair each gradient with its own item)")
        elif other is not None:
            why = (f"multiplies {other}, not its own loop variable {variable}, and {other} is "
                   f"still the last item of your loop `{_code(source, stale[other])}`")
            fixed = ast.unparse(_Renamed(other, variable).visit(copy.deepcopy(node.elt)))
            fix = ("each gradient itself, with the comprehension's own variable: "
                   f"[{fixed} for {variable} in {ast.unparse(node.generators[0].iter)}]")
        elif own and not own & read and grads in read:
            why = (f"never reads its own loop variable {variable}: its element, "
                   f"{ast.unparse(node.elt)}, is the same in every item")
            fix = f"each gradient itself, [g * factor for g in {grads}]"
        else:
            continue
        found.append((_code(source, node), why, fix))
    return found[0] if len(found) == 1 else None


def _one_array_text(fn: Callable, j: int, factor: float, count: int) -> str:
    """The message part for a list whose arrays are all grads[j] times one factor."""
    name = f"array {j} ({NAMES[j]})" if count == len(NAMES) else f"array {j}"
    seen = (f"every array you return is the same one, {name} of grads times one factor, "
            "instead of each gradient scaled itself")
    found = _comprehension_without_its_variable(fn, j == count - 1)
    if found is None:
        return f"{seen}: scale each array itself by the one factor, [g * factor for g in grads]"
    line, why, fix = found
    return (f"{seen}: your comprehension `{line}` {why}: so every array is that one. Scale "
            f"{fix}")


def _below_threshold(got, grads, threshold) -> str:
    """The slip when, with a global norm at or below the threshold, the arrays come back all
    multiplied by one factor other than 1 (0, threshold / norm, 1 / norm, ...); "" otherwise."""
    norm = global_norm(grads)
    a = np.concatenate([np.ravel(g) for g in grads])
    b = np.concatenate([np.ravel(g) for g in got])
    if norm == 0.0 or norm > threshold or a.shape != b.shape:
        return ""
    factor = float(np.vdot(b, a)) / float(np.vdot(a, a))
    if relative_error(b, factor * a) > 1e-9 or abs(factor - 1.0) < 1e-9:
        return ""
    if factor == 0.0:
        yours = "yours are all 0 (a factor of 0 where clipping does not act, `else 0`?)"
    elif abs(factor - threshold / norm) < 1e-9 * factor:
        yours = (f"yours are scaled by threshold / norm = {factor:.2f}, up to the threshold, "
                 "although the norm is below it")
    elif abs(factor - 1.0 / norm) < 1e-9 * factor:
        yours = "yours are divided by the norm (scaled to global norm 1)"
    else:
        yours = f"yours are all multiplied by one factor, {factor:.3g}"
    return (f"below the threshold the gradients must come back unchanged (factor 1): {yours}. "
            "Clip only if norm > threshold, g * (threshold / norm), and return the arrays as "
            "they are otherwise (factor 1.0)")


def _slips(grads, threshold) -> list[tuple[str, list[np.ndarray]]]:
    """(text, the clipped list) for the usual wrong clippings."""
    norm = max(global_norm(grads), 1e-300)
    own = [float(np.linalg.norm(g)) for g in grads]
    count = len(grads)

    def clip(factor_norm):
        return [min(1.0, threshold / factor_norm) if factor_norm else 1.0] * count

    def label(j):
        return NAMES[j] if count == len(NAMES) else str(j)

    if max(own) < threshold < norm:
        unchanged_text = ("the arrays were left unchanged although their global norm exceeds "
                          "the threshold; no single array's own norm does here: the test must "
                          "use the global norm of all the arrays together")
    else:
        unchanged_text = ("the arrays were left unchanged although their global norm exceeds "
                          "the threshold: scale them when norm > threshold (check the "
                          "condition's direction)")
    unchanged = [(unchanged_text, [np.array(g) for g in grads])] if norm > threshold else []
    return unchanged + [
        ("each array was clipped by its own norm; clip them all together by their global "
         "norm (one factor for every array)",
         _scaled(grads, [min(1.0, threshold / n) if n else 1.0 for n in own])),
        ("the factor uses the norm of the first array only; the global norm runs over every "
         "element of every array", _scaled(grads, clip(own[0]))),
        (f"the norm is that of the last array only ({label(count - 1)}): the global norm "
         "adds up the squares of every array, total += np.sum(g**2) in a loop from total = "
         "0.0 (a plain = keeps only the last array's)", _scaled(grads, clip(own[-1]))),
        *[(f"the norm is that of array {j} ({label(j)}) only; the global norm runs over every "
           "element of every array", _scaled(grads, clip(own[j]))) for j in range(1, count - 1)],
        ("the norm is the largest of the arrays' own norms; the global norm runs over every "
         "element of every array", _scaled(grads, clip(max(own)))),
        ("the norm is the sum of the arrays' norms; the global norm is the square root of "
         "the sum of ALL squares, sqrt(sum over arrays of np.sum(g**2))",
         _scaled(grads, clip(sum(own)))),
        ("the norm is the largest absolute value; the global norm is the square root of the "
         "sum of ALL squares", _scaled(grads, clip(max(float(np.max(np.abs(g))) for g in grads)))),
        ("the norm is the sum of absolute values (an L1 norm); the global norm is the square "
         "root of the sum of ALL squares",
         _scaled(grads, clip(sum(float(np.sum(np.abs(g))) for g in grads)))),
        ("the norm is the squared norm (the square root is missing)",
         _scaled(grads, clip(norm**2))),
        ("the arrays were scaled although their global norm is below the threshold: leave "
         "them unchanged then", _scaled(grads, [threshold / norm] * count)),
        ("this is clipping by value (np.clip); clip by the global norm instead",
         [np.clip(g, -threshold, threshold) for g in grads]),
        ("the factor is upside down: multiply by threshold / norm",
         _scaled(grads, [norm / threshold if norm > threshold else 1.0] * count)),
        *[(f"the norm uses only the first {m} arrays; the global norm runs over every element "
           "of every array", _scaled(grads, clip(float(np.sqrt(sum(o**2 for o in own[:m]))))))
          for m in range(2, count)],
        ("the factor is the square root of threshold / norm: multiply by threshold / norm "
         "itself", _scaled(grads, [np.sqrt(threshold / norm) if norm > threshold else 1.0]
                           * count)),
        ("the norm is the square root of the sum of the arrays' norms; the global norm is the "
         "square root of the sum of ALL squares", _scaled(grads, clip(float(np.sqrt(sum(own)))))),
        ("every array is multiplied by the threshold: multiply by threshold / norm",
         _scaled(grads, [threshold if norm > threshold else 1.0] * count)),
        *[(f"a small number is added to the norm (norm + {tiny:.0e}): the factor is used only "
           "when norm > threshold, so the norm is never 0 there and needs no guard",
           _scaled(grads, [min(1.0, threshold / (norm + tiny))] * count))
          for tiny in (1e-6, 1e-7, 1e-8, 1e-12)],
        ("each array was clipped by its own norm to threshold / len(grads): clip them all "
         "together by their global norm, to the threshold itself",
         _scaled(grads, [min(1.0, threshold / count / n) if n else 1.0 for n in own])),
        ("each array was scaled to the threshold by its own norm: use one factor, threshold / "
         "(global norm), for every array", _scaled(grads, [threshold / n if n and norm >
                                                            threshold else 1.0 for n in own])),
        *[(f"array {j} ({NAMES[j] if count == len(NAMES) else j}) is left unscaled: the one "
           "factor applies to every array", _scaled(grads, [
               1.0 if i == j else min(1.0, threshold / norm) for i in range(count)]))
          for j in range(count)],
        ("the norm is an RMS, the square root of np.mean of all squares: the global norm sums "
         "them, sqrt(sum over arrays of np.sum(g**2))", _scaled(grads, clip(norm / float(
             np.sqrt(sum(g.size for g in grads)))))),
        ("the factor is float32 (np.float32(...)): keep it float64, numpy's default",
         _scaled(grads, [float(np.float32(threshold / norm)) if norm > threshold else 1.0]
                 * count)),
        *[(f"the norm leaves out array {j} ({NAMES[j] if count == len(NAMES) else j}): the "
           "global norm runs over every element of every array", _scaled(grads, clip(float(
               np.sqrt(sum(o**2 for i, o in enumerate(own) if i != j)))))) for j in range(count)],
        ("the norm is made of each array's sum, sqrt(sum of g.sum()**2): the global norm is "
         "the square root of the sum of ALL squares, element by element",
         _scaled(grads, clip(float(np.sqrt(sum(float(np.sum(g)) ** 2 for g in grads)))))),
        ("the arrays are multiplied by 1 - threshold / norm (the part above the threshold is "
         "kept): multiply by threshold / norm", _scaled(grads, [1.0 - threshold / norm
                                                                if norm > threshold else 1.0]
                                                               * count)),
        ("the norm is divided by the number of arrays (len(grads)); the global norm is the "
         "square root of the sum of ALL squares, with no division",
         _scaled(grads, clip(norm / count))),
        *_centred(grads, clip),
        ("the norm uses np.mean of the squares; the global norm is the square root of the sum "
         "of ALL squares (np.sum)",
         _scaled(grads, clip(float(np.sqrt(sum(float(np.mean(g**2)) for g in grads)))))),
        ("the factor is threshold // norm, a floor division (0 here): use /, threshold / norm",
         _scaled(grads, [threshold // norm if norm > threshold else 1.0] * count)),
        ("the factor is squared: multiply by threshold / norm once",
         _scaled(grads, [(threshold / norm) ** 2 if norm > threshold else 1.0] * count)),
        ("the arrays are scaled to norm 1: multiply by threshold / norm, so that their "
         "global norm becomes the threshold",
         _scaled(grads, [1.0 / norm if norm > threshold else 1.0] * count)),
    ]


def _centred(grads, clip) -> list[tuple[str, list[np.ndarray]]]:
    """The clippings whose norm is made of variances or standard deviations, which subtract a
    mean before squaring: each array's own (g.var() * g.size, np.linalg.norm(g - g.mean()),
    g.var() alone) or that of all the values together (np.std of them all, times the square
    root of their count)."""
    every = np.concatenate([np.ravel(g) for g in grads])
    fix = ("the norm is the square root of the sum of the squares themselves, "
           "np.sqrt(sum(np.sum(g**2) for g in grads)), with no mean taken off")
    return [
        ("the norm is made of variances (g.var() * g.size, or np.linalg.norm(g - g.mean())): "
         f"var and std subtract each array's mean before squaring, so {fix}",
         _scaled(grads, clip(float(np.sqrt(sum(float(np.var(g)) * g.size for g in grads)))))),
        ("the norm is made of the arrays' variances, np.sqrt(sum(g.var() for g in grads)): a "
         f"variance is a mean of squares less the mean's square, and {fix}",
         _scaled(grads, clip(float(np.sqrt(sum(float(np.var(g)) for g in grads)))))),
        ("the norm is the standard deviation of all the values times the square root of their "
         "count (np.std(...) * np.sqrt(n)): np.std subtracts the mean of all the values before "
         f"squaring, and {fix}", _scaled(grads, clip(float(np.std(every)) *
                                                     float(np.sqrt(every.size))))),
    ]


def _locate(got, expected, grads) -> str:
    """The located line of wrong clipping: which arrays are not a multiple of their input, or
    whether the arrays share one factor (and it is not threshold / norm)."""
    names = [f"array {i} ({NAMES[i]})" if len(grads) == len(NAMES) else f"array {i}"
             for i in range(len(grads))]
    factors = []
    for name, g, a in zip(names, got, grads, strict=True):
        scale = float(np.vdot(a, a))
        factor = float(np.vdot(g, a)) / scale if scale else 0.0
        if relative_error(g, factor * a) > 1e-9:
            right = [n for n, gg, e in zip(names, got, expected, strict=True)
                     if relative_error(gg, e) < 1e-10]
            lead = f"{listing(right)} {'is' if len(right) == 1 else 'are'} right; " if right \
                else ""
            return (f"{WHERE} {lead}{name} is not a multiple of its input: clipping by the norm "
                    "only rescales each array, g * (threshold / norm): look at the line that "
                    f"makes {name}")
        factors.append(factor)
    if all(f == 0.0 for f in factors):
        return (f"{WHERE} every array is all zeros: clipping only rescales the gradients, by "
                "threshold / norm > 0 when the norm exceeds the threshold and by 1 otherwise: "
                "look at the factor, and at what the function returns")
    if all(abs(f - factors[0]) < 1e-9 * abs(factors[0]) for f in factors) and factors[0] != 0:
        return (f"{WHERE} every array is its input times one factor, as it must be, but the "
                "factor is not threshold / norm: look at the norm, np.sqrt(sum(np.sum(g**2) "
                "for g in grads)) over all the arrays together, and the factor threshold / norm")
    return (f"{WHERE} each array is a multiple of its input, but not all by the same factor: "
            "look at where the factor is computed: once, threshold / norm with the global norm "
            "of all the arrays, before the loop that scales them")


def _einsum_for_other_shapes(fn: Callable, grads) -> str:
    """The message part when the learner's np.einsum has subscripts for arrays of one number
    of axes ('ij,ij->' for matrices) and some of the gradients have another (the 1-D biases):
    confirmed by running those subscripts on each gradient; "" if the source shows none."""
    source = learner_source(fn)
    for node in own_nodes(source.tree.body) if source else ():
        if not (isinstance(node, ast.Call) and node.args and
                isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and (ast.unparse(node.func).endswith("einsum"))):
            continue
        subscripts = node.args[0].value
        operands = subscripts.replace(" ", "").split("->")[0].split(",")
        if "..." in subscripts or not all(operands):
            continue
        refused = []
        for i, g in enumerate(grads):
            try:
                np.einsum(subscripts, *[g] * len(operands))
            except ValueError:
                refused.append(i)
        if not refused or len(refused) == len(grads):
            continue
        axes = len(operands[0])
        names = [f"{NAMES[i]} {grads[i].shape}" if len(grads) == len(NAMES) else
                 f"array {i} {grads[i].shape}" for i in refused]
        ndims = sorted({grads[i].ndim for i in refused})
        kinds = " or ".join(f"{n}-D" for n in ndims)
        if len(grads) == len(NAMES) and set(refused) <= {3, 4}:
            kinds += f" (the bias{'es' if len(refused) > 1 else ''}' gradients are vectors)"
        return (f"your line `{_code(source, _statement(own_nodes(source.tree.body), node))}` "
                f"gives np.einsum the subscripts '{subscripts}', which are for "
                f"{axes}-D arrays, but the gradients have different numbers of axes: "
                f"{listing(names)} {'is' if len(names) == 1 else 'are'} {kinds}. "
                "np.sum(g * g) (or np.vdot(g, g)) works for any shape")
    return ""


@checker("Check the learner's clip_gradients on every input set of CASES. "
         'clip_gradients(grads, threshold) -> clipped: where clipping acts, where it does '
         "not, and for all-zero gradients.")
def check(fn: Callable) -> Verdict:
    def flat(arrays):
        return np.concatenate([np.ravel(a) for a in arrays])

    def one(grads, threshold, what, case) -> float:
        expected = reference(grads, threshold)
        count = len(grads)
        result = call(fn, {"grads": grads, "threshold": threshold}, case.sizes, {})
        expect_none_or(result)
        if isinstance(result, np.ndarray):
            raise Failure(
                f"FAIL: your function returned {describe_value(result)}; return a list of "
                f"{count} arrays, one per gradient, each with its input's shape")
        if isinstance(result, Iterator):  # a generator, map(...): read once, no indexing
            raise Failure(f"FAIL: your function returned {type(result).__name__} object, which "
                          f"can be read only once and cannot be indexed (clipped[0] fails): "
                          f"return a list of {count} arrays, e.g. [g * factor for g in grads] "
                          f"in square brackets, not round ones")
        try:
            result = list(result)
        except TypeError:
            raise Failure(f"FAIL: your function must return a list of {count} arrays, got "
                          f"{describe_value(result)}") from None
        if len(result) != count:
            used_up = iterator_read_twice(fn) if len(result) < count else ""
            raise Failure(f"FAIL: your function returned a list of {len(result)} arrays for "
                          f"{count} gradients; " + (used_up or "return one array per gradient"))
        shapes = [np.shape(v) for v in result]
        if shapes != [g.shape for g in grads] and shapes == [g.shape for g in grads][::-1]:
            raise Failure("FAIL: your function returns the arrays in reverse order: return one "
                          "array per gradient, in the order of grads")
        context = f" with threshold {threshold:.2f} (global norm {global_norm(grads):.2f}: {what})"
        same = _same_array_every_time(result, grads)
        if same is not None:
            raise Failure(f"FAIL: the clipped gradients are wrong{context}: "
                          f"{_one_array_text(fn, *same, count)}")
        got = [as_array(value, f"array {i} ({NAMES[i]})", reference, "the input's shape",
                        case.sizes)
               for i, (value, reference) in enumerate(zip(result, expected, strict=True))]
        unscaled = [i for i, (g, e, a) in enumerate(zip(got, expected, grads, strict=True))
                    if np.array_equal(g, a) and not np.allclose(e, a, rtol=1e-12, atol=0.0)]
        others_right = all(np.allclose(g, e, rtol=1e-9, atol=0.0)
                           for i, (g, e) in enumerate(zip(got, expected, strict=True))
                           if i not in unscaled)
        if unscaled and others_right and len(unscaled) < count:
            listing = ", ".join(f"{i} ({NAMES[i] if count == len(NAMES) else i})"
                                for i in unscaled)
            raise Failure(f"FAIL: the clipped gradients are wrong{context}: array"
                          f"{'s' if len(unscaled) > 1 else ''} {listing} "
                          f"{'are' if len(unscaled) > 1 else 'is'} left unscaled: the one "
                          "factor applies to every array")
        error = relative_error(flat(got), flat(expected))
        if passes(error):
            return error  # the slips are made only for a wrong answer
        slips = [(text, flat(wrong)) for text, wrong in _slips(grads, threshold)]
        if global_norm(grads) > threshold and np.array_equal(flat(got), flat(grads)):
            slips = slips[:1]  # unchanged: every slip that changes nothing here is this one
        try:
            return diagnose("the clipped gradients", flat(got), flat(expected), slips, context,
                            plural=True)
        except Failure as failure:
            below = _below_threshold(got, grads, threshold) if observed_only(
                str(failure)) else ""
            if below:
                raise Failure(f"FAIL: the clipped gradients are wrong{context}: {below}") \
                    from None
            typed = _typed_threshold(got, grads, threshold, case) if observed_only(
                str(failure)) else ""
            if typed:
                raise Failure(f"FAIL: the clipped gradients are wrong{context}: {typed}") from None
            raise with_location(failure, _locate(got, expected, grads)) from None

    def _typed_threshold(got, grads, threshold, case) -> str:
        """What the clipped arrays show when they are clipped to another norm than the
        threshold, the same one for another threshold too (a number typed in); "" if not."""
        norm = global_norm(grads)
        factors = [float(np.vdot(g, a)) / float(np.vdot(a, a)) for g, a in
                   zip(got, grads, strict=True) if np.any(a)]
        if not factors or factors[0] <= 0 or any(
                relative_error(g, factors[0] * a) > 1e-9 for g, a in zip(got, grads, strict=True)):
            return ""
        clipped = factors[0] * norm
        if abs(clipped - threshold) < 1e-9 * threshold or clipped >= norm * (1 - 1e-12):
            return ""
        other = threshold / 2.0
        try:
            again = call(fn, {"grads": grads, "threshold": other}, case.sizes, {})
            again = [np.asarray(v, dtype=np.float64) for v in again]
        except (Failure, NotYet, TypeError, ValueError):
            return ""
        if len(again) != len(grads) or abs(global_norm(again) - clipped) > 1e-9 * clipped:
            return ""
        return (f"every array is its input times one factor, but your clipped gradients have "
                f"global norm {clipped:.2f}, with threshold {other:.2f} too: they are clipped "
                f"to {clipped:.2f}, not to threshold = {threshold:.2f} (a number typed in in "
                "place of the argument?). Use the argument: factor = threshold / norm, when "
                "norm > threshold")

    def body(case: Case) -> float:
        grads = inputs(case)
        norm = global_norm(grads)
        largest = max(float(np.linalg.norm(g)) for g in grads)
        worst = 0.0
        # far below the norm, below it, between the largest array's own norm and the global
        # norm (clipping acts though no single array is too long), and above it
        for threshold, what in ((round(norm / 10.0, 2), "clipping must act"),
                                (round(norm / 3.0, 1), "clipping must act"),
                                (round((largest + norm) / 2.0, 2), "clipping must act"),
                                (round(norm * 2.0, 1), "nothing changes")):
            try:
                worst = max(worst, one(grads, threshold, what, case))
            except Failure as failure:
                einsum = _einsum_for_other_shapes(fn, grads) if "einstein sum" in str(
                    failure) else ""
                if einsum:
                    raise Failure(f"FAIL: your function raised ValueError: {einsum}") from None
                rebound = _rebound_loop_variable(fn) if "left unchanged although" in str(
                    failure) else ""
                if rebound:
                    raise Failure(
                        "FAIL: the clipped gradients come back unchanged although their global "
                        f"norm exceeds the threshold: your line `{rebound}` gives the loop's "
                        "name a new array and leaves the list as it was (a for loop hands out "
                        "the items; assigning to its name does not change the list). Build "
                        "the result, [g * factor for g in grads]") from None
                used_up = iterator_read_twice(fn) if "left unchanged although" in str(
                    failure) else ""
                if used_up:
                    raise Failure("FAIL: the clipped gradients come back unchanged although "
                                  f"their global norm exceeds the threshold: {used_up}") from None
                if "left unchanged although" in str(failure) and _scales_up(grads, norm, case):
                    raise Failure(
                        "FAIL: the clipped gradients are wrong: they are left unchanged although "
                        "their global norm exceeds the threshold, and scaled UP when it is "
                        "below: the condition is reversed (scale only when norm > threshold), "
                        "or the factor is max(1, threshold / norm) where min(1, threshold / "
                        "norm) belongs, which only ever shrinks") from None
                raise
        zeros = [np.zeros_like(g) for g in grads]
        try:
            one(zeros, 1.0, "nothing changes", case)
        except Failure as failure:
            if "NaN" in str(failure):
                raise Failure("FAIL: with all-zero gradients (global norm 0) your function "
                              "returns NaN: it divides by the norm even when clipping must "
                              "not act; divide only when the norm exceeds the threshold") from None
            raise
        return worst

    def _scales_up(grads, norm, case) -> bool:
        threshold = round(norm * 2.0, 1)
        try:
            result = call(fn, {"grads": grads, "threshold": threshold}, case.sizes, {})
            got = flat([np.asarray(v, dtype=np.float64) for v in result])
        except (Failure, NotYet, TypeError, ValueError):
            return False
        want = flat(grads) * (threshold / norm)
        return got.shape == want.shape and relative_error(got, want) < 1e-9

    total = sum(g.size for g in inputs())
    return run_checks(lambda: pass_text(
        over_cases(CASES, body),
        f"all {total} values match in every case, largest relative error"), fn)
