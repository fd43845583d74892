"""What every checker shares: calling the learner's function safely, reading what it returned,
and turning a wrong answer into a message in the course's terms.

A checker runs the learner's function on fixed, seeded inputs and returns a Verdict whose text
starts with PASS, FAIL or NOT YET. It runs it on at least two input sets (``Case``): one whose
sizes all differ, so that a transpose or a wrong axis fails on its shape, and the course's own
shapes (D = 1, O = 1, one record or a batch, 1-D b and c), where ``np.squeeze``, (N,) against
(N, 1) broadcasting and loops written for 2-D arrays break. Results must be float64 numpy arrays
(a Python list where one array is expected is refused), new on every call (results of two calls
that share memory are refused: a caller that keeps them would see them overwritten), and match
rnnlib's to a relative 1e-10, far below float32's rounding (about 6e-8).

To say *why* an answer is wrong, a checker also runs the usual wrong variants (a missing
transpose, a missing derivative factor, ...) on the same inputs and names the one whose output
the learner's matches; a shape that a slip would explain is named only when the values confirm
it, otherwise the message says what is observed. When the learner's line raises, the line is
read with its frame's locals (a list that holds a method, h.copy without its brackets; a shape
tuple used as a number; a size typed into a reshape). A later input set that fails, and passes
once the containers the function reaches outside itself (globals it reads, mutable defaults)
are put back as they were before the first call, names what the function keeps from one call
to the next. Every printed error is a bound ("< 1e-12",
"above 1e-02"), never digits that rounding on another CPU could move, and every message is
wrapped at word boundaries so that it reads well in JupyterLab's output area.
"""

from __future__ import annotations

import ast
import contextvars
import math
import re
import textwrap
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from rnnlib.gradcheck import relative_error

TOLERANCE = 1e-10  # float64 rounding of these small sums is ~1e-15; float32's is ~6e-8
TOLERANCE_TEXT = "1e-10"
FLOOR = 1e-12  # errors below this are rounding only and are printed as "< 1e-12"
MATCH = 1e-6  # a learner's output this close to a known wrong variant is that variant
FLOAT32 = 1e-4  # a wrong answer closer than this is at the level of float32 rounding
WIDTH = 88  # messages are wrapped at word boundaries to this many characters

KEEPS_STATE = (
    "your function gave another result when called a second time with the same inputs{why}: "
    "it keeps something from one call to the next: a variable outside the function that it "
    "changes (a global, an array or list made once and filled or added to in place, a default "
    "argument such as `cache=[]`). Make everything it changes inside the function, on every call")
NOT_YET = "NOT YET: your function returned None — write it above and run this cell again"
NOT_YET_RAISES = ("NOT YET: your function still raises NotImplementedError — replace that line "
                  "with your code and run this cell again")

_PACKAGE_DIRS = (str(Path(np.__file__).parent), str(Path(__file__).parents[1]))


@dataclass(frozen=True)
class Verdict:
    """A checker's result: status "PASS", "FAIL" or "NOT YET", and the text to print."""

    status: str
    text: str

    @property
    def passed(self) -> bool:
        return self.status == "PASS"


class Failure(Exception):
    """A FAIL message, raised while checking and reported once at the end."""


class NotYet(Exception):
    """The learner's function is still the stub (it returned None)."""

    def __init__(self, text: str = NOT_YET):
        super().__init__(text)


def format_error(error: float) -> str:
    """A relative error that should be rounding only: "< 1e-12", else two significant digits."""
    if error < FLOOR:
        return "< 1e-12"
    return f"{error:.1e}"


def magnitude(error: float) -> str:
    """A clearly wrong relative error as a bound on its order of magnitude: "above 1e-02"."""
    if not np.isfinite(error):
        return "not finite"
    if error <= 0:
        return "0"
    return f"above 1e{math.floor(math.log10(error)):+03d}".replace("+", "")


def passes(error: float) -> bool:
    return error < TOLERANCE


def pass_text(error: float, what: str = "relative error") -> str:
    return f"PASS: {what} {format_error(error)} (must be < {TOLERANCE_TEXT})"


def wrap(text: str, width: int = WIDTH) -> str:
    """text with each line wrapped at word boundaries; a continuation is indented two spaces
    more than the line it continues.

    JupyterLab's output area breaks a long line wherever it reaches the edge, inside words.
    """
    lines = []
    for line in text.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        lines.extend(textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent + "  ",
                                   break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(lines)


_CHECKER_SECTIONS = """

    Parameters
    ----------
    fn : callable
        The learner's function.

    Returns
    -------
    Verdict
        PASS; FAIL, naming the slip when the values confirm one and otherwise saying what is
        observed; or NOT YET for a stub (None, or NotImplementedError).

    Raises
    ------
    TypeError
        If fn is not callable.
    """


def checker(summary: str) -> Callable[[Callable], Callable]:
    """Decorator: a checker's numpydoc, its summary and the sections that all checkers share."""
    def document(check: Callable) -> Callable:
        check.__doc__ = summary + _CHECKER_SECTIONS
        return check

    return document


def labelled(verdict: Verdict, who: str) -> str:
    """The verdict's text with whose function it judged in front: "your bptt — PASS: ...".

    Parameters
    ----------
    verdict : Verdict
        A checker's verdict.
    who : str
        "your bptt", "reference solution", ...

    Returns
    -------
    str
        Wrapped at word boundaries like the verdict.
    """
    return wrap(f"{who} — {verdict.text.replace(chr(10) + '  ', ' ')}")


def run_checks(body: Callable[[], str], fn: Callable | None = None) -> Verdict:
    """Run a checker's body; its return value is the PASS text, a Failure or NotYet the rest.

    Parameters
    ----------
    body : callable
        Runs the checks; returns the PASS text, or raises Failure or NotYet.
    fn : callable, optional
        The learner's function: on FAIL, a call in its source that passes the course's named
        arguments to a piece (my.forward_step, my.bptt, ...) in another order than the piece's
        signature is named first (see ``swapped_arguments``).

    Returns
    -------
    Verdict
        Its text wrapped at word boundaries (see ``wrap``).
    """
    repeat = _REPEAT.set(True)
    outside = _OUTSIDE.set({})
    passed = _PASSED.set(())
    returned = _RETURNED.set([])
    try:
        return Verdict("PASS", wrap(body()))
    except NotYet as not_yet:
        if fn is not None and str(not_yet) == NOT_YET and _returns_nothing(fn):
            return Verdict("FAIL", wrap(
                "FAIL: your function returned None: it has no return statement, so it ends "
                "without giving back what it computed. End it with return (e.g. `return "
                "grad`, the result)"))
        unreached = _return_not_reached(fn) if fn is not None and str(not_yet) == NOT_YET \
            else ""
        if unreached:
            record = _RETURNED.get() or []
            case = f" with {record[-1][1]}" if record and record[-1][1] else ""
            return Verdict("FAIL", wrap(
                f"FAIL: your function returned None{case}, though it has the line "
                f"`{unreached}`: that return was not reached, so a path of your function ends "
                "without a return (an if whose other branch has none?). Every path must return "
                "the result, e.g. the input unchanged where there is nothing to change"))
        return Verdict("NOT YET", wrap(str(not_yet)))
    except Failure as failure:
        text = str(failure)
        reordered = _parameters_in_another_order(body, fn)
        if reordered:
            return Verdict("FAIL", wrap(reordered))
        swapped = swapped_arguments(fn) if fn is not None else ""
        if swapped:
            text = f"FAIL: {swapped}\nWhat the checker saw: {text.removeprefix('FAIL: ')}"
        observed = text.split(WHERE, 1)[0].rstrip()
        overwritten = _overwritten_by_out(fn) if fn is not None and observed_only(
            observed) else ""
        if overwritten:  # the source names the cause: it comes before the probes' place
            located = text[len(observed):].strip()
            text = f"{observed}\n{WHERE} {overwritten}" + (
                f"\n{located.replace(WHERE, 'What the probes saw:', 1)}" if located else "")
        return Verdict("FAIL", wrap(text))
    finally:
        _REPEAT.reset(repeat)
        _OUTSIDE.reset(outside)
        _PASSED.reset(passed)
        _RETURNED.reset(returned)


def _parameters_in_another_order(body: Callable[[], str], fn: Callable | None) -> str:
    """ "your parameters are (temperature, y_hat): the exercise's order is (y_hat, temperature)"
    when fn's parameter names are the exercise's own names (those that call() passed) in another
    order, and the whole check passes once the arguments are passed in fn's order (confirmed on
    the values by running the body again); "" otherwise."""
    import inspect

    passed = _PASSED.get()
    if not passed:
        return ""
    fn = fn if fn is not None else passed[0]
    given = passed[1]
    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return ""
    if sorted(params) != sorted(given) or params == list(given):
        return ""
    order = _BY_NAME.set(True)
    try:
        body()
    except Exception:  # still wrong with the arguments in its order: not this slip
        return ""
    finally:
        _BY_NAME.reset(order)
    return (f"FAIL: your parameters are ({', '.join(params)}): the exercise's order is "
            f"({', '.join(given)}). The notebook (and the checker) calls your function "
            "positionally, so each argument lands in the parameter at its place: write the "
            "parameters in the exercise's order (with the arguments in its order your function "
            "passes)")


# The exercise's argument names of the last call() (its order), and whether call() passes them
# in the learner's own parameter order (to confirm a reordered signature on the values).
_PASSED: contextvars.ContextVar[tuple] = contextvars.ContextVar("passed", default=())
_BY_NAME: contextvars.ContextVar[bool] = contextvars.ContextVar("by_name", default=False)

# Every call() of the learner's function in this run_checks: (the function, its scalar
# arguments as text, whether it returned None). A function that returns None on some inputs
# only is written: a path of it has no return (FAIL, not NOT YET).
_RETURNED: contextvars.ContextVar[list | None] = contextvars.ContextVar("returned", default=None)


def _scalars_text(args: dict[str, object]) -> str:
    """ "threshold = 11.9, k = 3": the arguments that are plain numbers; "" if none."""
    return ", ".join(f"{name} = {value:.3g}" for name, value in args.items()
                     if isinstance(value, int | float | np.integer | np.floating)
                     and not isinstance(value, bool))


# The first call() inside run_checks calls the learner's function twice on the same inputs: a
# function that keeps something between calls (a global, an array filled in place) gives
# another result the second time (seen on the values, not read from the code).
_REPEAT: contextvars.ContextVar[bool] = contextvars.ContextVar("repeat", default=False)


# --- what the learner's function keeps outside itself, from one call to the next --------------

# The containers that the learner's function can reach outside itself (the globals it reads,
# its mutable defaults, its attributes, its closure's cells), as they were before the first
# call of a check: a later case that fails, and passes once they are put back, fails because
# of what an earlier call left in them.
_OUTSIDE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("outside", default=None)
_CONTAINERS = (dict, list, set, np.ndarray)


def _outside_containers(fn, depth: int = 1) -> list[tuple[str, object]]:
    """(how a message names it, the object) for each mutable container fn can reach outside
    itself; the learner's own functions that fn calls by a global name are followed depth
    levels."""
    import types

    code = getattr(fn, "__code__", None)
    if code is None:
        return []
    names, todo = set(), [code]
    while todo:
        current = todo.pop()
        names |= set(current.co_names)
        todo += [c for c in current.co_consts if isinstance(c, types.CodeType)]
    found: list[tuple[str, object]] = []
    spaces = getattr(fn, "__globals__", {})
    for name in sorted(names):
        value = spaces.get(name)
        if isinstance(value, _CONTAINERS):
            found.append((f"{name}, a {type(value).__name__} outside the function", value))
        elif depth and isinstance(value, types.FunctionType) and value is not fn and \
                not value.__code__.co_filename.startswith(_PACKAGE_DIRS):
            found += _outside_containers(value, depth - 1)
    params = code.co_varnames[:code.co_argcount]
    for name, value in zip(params[len(params) - len(fn.__defaults__ or ()):],
                           fn.__defaults__ or (), strict=True):
        if isinstance(value, _CONTAINERS):
            found.append((f"the default argument {name} (a {type(value).__name__})", value))
    for name, value in (fn.__kwdefaults__ or {}).items():
        if isinstance(value, _CONTAINERS):
            found.append((f"the default argument {name} (a {type(value).__name__})", value))
    for name, value in getattr(fn, "__dict__", {}).items():
        if isinstance(value, _CONTAINERS):
            found.append((f"{fn.__name__}.{name}, an attribute of the function", value))
    for name, cell in zip(code.co_freevars, fn.__closure__ or (), strict=True):
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if isinstance(value, _CONTAINERS):
            found.append((f"{name}, a {type(value).__name__} of the enclosing function", value))
        elif depth and isinstance(value, types.FunctionType) and value is not fn and \
                not value.__code__.co_filename.startswith(_PACKAGE_DIRS):
            found += _outside_containers(value, depth - 1)
    unique: dict[int, tuple[str, object]] = {}
    for label, value in found:
        unique.setdefault(id(value), (label, value))
    return list(unique.values())


def _remember_outside(fn) -> None:
    """At fn's first call in a check: a copy of every container fn reaches outside itself."""
    import copy

    holder = _OUTSIDE.get()
    if holder is None or id(fn) in holder:
        return
    saved = holder[id(fn)] = []
    for label, value in _outside_containers(fn):
        try:
            saved.append((label, value, copy.deepcopy(value)))
        except Exception:  # an object that cannot be copied is not followed
            continue


def _equal_content(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and \
            a.shape == b.shape and a.dtype == b.dtype and np.array_equal(
                a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal_content(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(
            _equal_content(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except Exception:  # a comparison that numpy or the object refuses
        return False


def _put_back(value, saved) -> bool:
    """value (a container) given saved's content again, in place; False if it cannot be."""
    import copy

    content = copy.deepcopy(saved)
    if isinstance(value, dict):
        value.clear()
        value.update(content)
    elif isinstance(value, list):
        value[:] = content
    elif isinstance(value, set):
        value.clear()
        value.update(content)
    elif isinstance(value, np.ndarray) and value.shape == content.shape and \
            value.flags.writeable:
        value[...] = content
    else:
        return False
    return True


def _kept_from_earlier_calls(again: Callable[[], object]) -> str:
    """The names of the containers outside the learner's function that its calls changed, when
    running again() with them put back as they were before the check's first call passes
    (again() failed before); "" otherwise. They are left as the calls before again() left
    them, so that a checker's own diagnosis after this one sees what they hold."""
    import copy

    holder = _OUTSIDE.get()
    changed = [(label, value, saved) for entries in (holder or {}).values()
               for label, value, saved in entries if not _equal_content(value, saved)]
    try:
        now = [copy.deepcopy(value) for _, value, _ in changed]
    except Exception:  # an object that cannot be copied is not followed
        return ""
    if not changed:
        return ""
    try:
        if not all(_put_back(value, saved) for _, value, saved in changed):
            return ""
        try:
            again()
        except (Failure, NotYet):
            return ""
        return listing([label for label, _, _ in changed])
    finally:
        for (_, value, _), before in zip(changed, now, strict=True):
            _put_back(value, before)


def _return_not_reached(fn: Callable) -> str:
    """The first `return <value>` line of fn whose value cannot be None (a list, a tuple, an
    arithmetic expression: not a name, a call or None), when fn returned None: that line was not
    reached (a stub returns None, or raises); "" if there is none."""
    import inspect

    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return ""
    never_none = (ast.List, ast.ListComp, ast.Tuple, ast.BinOp, ast.UnaryOp, ast.Dict,
                  ast.Set, ast.SetComp, ast.DictComp)
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and isinstance(node.value, never_none):
            return source.splitlines()[node.lineno - 1].strip()
    return ""


def _returns_nothing(fn: Callable) -> bool:
    """Whether fn's source does work but has no return statement (not a stub, which has
    `return None` or `raise NotImplementedError`)."""
    import inspect

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(
        getattr(s, "value", None), ast.Constant))]
    has_return = any(isinstance(node, ast.Return) for node in ast.walk(tree))
    return len(statements) >= 2 and not has_return


# the pieces the learner's later functions call, with their parameters' names
PIECE_SIGNATURES = {
    "forward_step": ("x_t", "h_prev", "U", "W", "b"),
    "rnn_forward": ("X", "U", "W", "V", "b", "c"),
    "mse_loss": ("Y_hat", "Y"),
    "backward_step": ("dh_t", "h_t", "h_prev", "x_t", "W"),
    "bptt": ("dY_hat", "X", "states", "W", "V", "k"),
    "clip_gradients": ("grads", "threshold"),
}


# what the pieces return, in order, with each result's shape in symbols
PIECE_RESULTS = {
    "rnn_forward": (("Y_hat", "(N, O)"), ("states", "(T + 1, N, H)")),
    "mse_loss": (("loss", "()"), ("dY_hat", "(N, O)")),
    "backward_step": (("delta_t", "(N, H)"), ("dh_prev", "(N, H)"), ("dU_t", "(H, D)"),
                      ("dW_t", "(H, H)"), ("db_t", "(H,)")),
    "bptt": (("dU", "(H, D)"), ("dW", "(H, H)"), ("dV", "(O, H)"), ("db", "(H,)"),
             ("dc", "(O,)")),
}


def _size_of(symbols: str, sizes: dict[int, str]) -> tuple[int, ...] | None:
    """ "(T + 1, N, H)" -> (7, 3, 4) with the sizes' symbols; None if one is unknown."""
    atoms = {k: v for v, k in sizes.items()}
    shape = []
    for part in _symbols_of(symbols) if symbols != "()" else []:
        found = re.fullmatch(r"([A-Za-z]\w*)(?:\s*([+-])\s*(\d+))?", part)
        if not found or found.group(1) not in atoms:
            return None
        size = atoms[found.group(1)]
        if found.group(2):
            size += int(found.group(3)) * (1 if found.group(2) == "+" else -1)
        shape.append(size)
    return tuple(shape)


def _unpacked_in_another_order(exc: BaseException, line: str | None,
                               sizes: dict[int, str]) -> str:
    """ "your line `a, b = piece(...)` unpacks piece's results in another order ..." when the
    line that failed uses a name that the learner gave to another result of a course piece
    than the one of that name (dU_t for the result that is dW_t), and the value it holds has
    that other result's shape, not its name's (confirmed on the values); "" otherwise."""
    import inspect

    frame = _learner_frame(exc)
    if frame is None or not line:
        return ""
    try:
        source = textwrap.dedent(inspect.getsource(frame.tb_frame.f_code))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return ""
    local = frame.tb_frame.f_locals
    lines = source.splitlines()

    def base(name: str) -> str:
        return name.removesuffix("_t")

    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and
                len(node.targets) == 1 and isinstance(node.targets[0], ast.Tuple)):
            continue
        func = node.value.func
        piece = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        results = PIECE_RESULTS.get(piece)
        names = [t.id if isinstance(t, ast.Name) else None for t in node.targets[0].elts]
        if results is None or len(names) != len(results):
            continue
        bases = [base(r) for r, _ in results]
        for j, name in enumerate(names):
            if name is None or base(name) not in bases or bases.index(base(name)) == j:
                continue
            if not re.search(rf"\b{re.escape(name)}\b", line):
                continue
            i = bases.index(base(name))
            value = local.get(name)
            holds, wants = _size_of(results[j][1], sizes), _size_of(results[i][1], sizes)
            if not isinstance(value, np.ndarray) or holds is None or holds == wants or \
                    tuple(value.shape) != holds:
                continue
            order = ", ".join(r for r, _ in results)
            return (f"FAIL: your line `{lines[node.lineno - 1].strip()}` unpacks {piece}'s "
                    f"results in another order: they come as {order}, so your {name} holds "
                    f"{results[j][0]} {results[j][1]}, which numpy refused in your line "
                    f"`{line}`. Unpack them in that order")
    return ""


def swapped_arguments(fn: Callable) -> str:
    """ "your line `...` passes W where forward_step(x_t, h_prev, U, W, b) expects U, and U
    where it expects W: ..." for the first call in fn's source of a course piece whose plain
    name arguments are the piece's own parameter names in other places; "" if there is none.

    Only names that the signature itself uses count (U, W, Y, Y_hat, ...): an argument that is
    an expression, or a name of the learner's own, is never judged. The calls are read from
    fn's syntax tree, so commas and brackets inside an argument (X[:, :t + 1].sum(axis=1)) and
    keyword arguments are never mistaken for positions.
    """
    import inspect

    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return ""
    lines = source.splitlines()
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)),
                   key=lambda node: (node.lineno, node.col_offset))
    for call in calls:
        func = call.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in PIECE_SIGNATURES:
            continue
        params = PIECE_SIGNATURES[name]
        args = []
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                break
            args.append(arg.id if isinstance(arg, ast.Name) else None)
        wrong = [(a, p) for a, p in zip(args, params, strict=False)
                 if a in params and a != p]
        if wrong:
            places = "; ".join(f"{a} where it expects {p}" for a, p in wrong)
            signature = f"{name}({', '.join(params)})"
            return (f"your line `{lines[call.lineno - 1].strip()}` passes {places}, in the order "
                    f"of {signature}: pass the arguments in the signature's order")
    return ""


# --- the learner's source, read to confirm a cause that the values leave open -----------------

@dataclass(frozen=True)
class Source:
    """The learner's function as written: its lines (dedented) and its definition's syntax
    tree. A message quotes a line of it only as evidence of what the values showed."""

    lines: list[str]
    tree: ast.FunctionDef | ast.AsyncFunctionDef

    def line(self, node: ast.AST) -> str:
        """The stripped source line on which node starts: `grad = x`."""
        return self.lines[node.lineno - 1].strip()

    def params(self) -> list[str]:
        """The names of the function's parameters, in order."""
        return [a.arg for a in self.tree.args.posonlyargs + self.tree.args.args]


def learner_source(fn: Callable) -> Source | None:
    """fn's source, or None when it cannot be read (a lambda, a built-in, a console line)."""
    import inspect

    try:
        text = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(text)
    except (OSError, TypeError, SyntaxError):
        return None
    node = tree.body[0] if tree.body else None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    return Source(text.splitlines(), node)


def own_nodes(statements: Sequence[ast.AST]):
    """Every node under the statements, in source order, not inside a nested function, lambda
    or class (whose return is not the learner function's)."""
    found, todo = [], list(statements)
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda |
                          ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))
    return sorted((n for n in found if hasattr(n, "lineno")),
                  key=lambda n: (n.lineno, n.col_offset))


def size_read(node: ast.AST, tree: ast.AST) -> tuple[str, int, str] | None:
    """(array, axis, how) when node reads one size of a named array: X.shape[1], X.shape[-1]
    (axis -1), np.shape(X)[2], len(X) (axis 0), len(X[0]) (axis 1); a plain name is followed
    to the one assignment in tree that makes it (T = X.shape[1], or N, T, D = X.shape, whose
    T is axis 1). how is the source that reads it ("T = X.shape[-1]"). None otherwise."""
    def array_of(shape: ast.AST) -> str | None:
        if isinstance(shape, ast.Attribute) and shape.attr == "shape" and \
                isinstance(shape.value, ast.Name):
            return shape.value.id
        if isinstance(shape, ast.Call) and ast.unparse(shape.func) in ("np.shape",
                                                                        "numpy.shape") and \
                len(shape.args) == 1 and isinstance(shape.args[0], ast.Name):
            return shape.args[0].id
        return None

    def constant(index: ast.AST) -> int | None:
        if isinstance(index, ast.Constant) and isinstance(index.value, int):
            return index.value
        if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and \
                isinstance(index.operand, ast.Constant) and isinstance(index.operand.value, int):
            return -index.operand.value
        return None

    if isinstance(node, ast.Subscript) and array_of(node.value) and \
            constant(node.slice) is not None:
        return array_of(node.value), constant(node.slice), ast.unparse(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "len" and len(node.args) == 1:
        inner, depth = node.args[0], 0
        while isinstance(inner, ast.Subscript) and constant(inner.slice) is not None:
            inner, depth = inner.value, depth + 1
        if isinstance(inner, ast.Name):
            return inner.id, depth, ast.unparse(node)
    if not isinstance(node, ast.Name):
        return None
    made = []
    for statement in ast.walk(tree):
        if not isinstance(statement, ast.Assign | ast.AnnAssign):
            continue
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id == node.id:
                made.append((statement, None))
            elif isinstance(target, ast.Tuple | ast.List):
                for j, element in enumerate(target.elts):
                    if isinstance(element, ast.Name) and element.id == node.id:
                        made.append((statement, j))
    if len(made) != 1:
        return None
    statement, position = made[0]
    if statement.value is None:
        return None
    if position is None:
        read = size_read(statement.value, ast.Module(body=[], type_ignores=[]))
        return (read[0], read[1], ast.unparse(statement)) if read else None
    array = array_of(statement.value)
    return (array, position, ast.unparse(statement)) if array else None


@dataclass(frozen=True, eq=False)
class Case:
    """One input set of a checker: its sizes, and whether they are the course's own shapes.

    dims: symbol -> size, e.g. {"N": 3, "D": 2, "H": 4}; the message names the case by them.
    course: True for the course's own shapes (D = 1, O = 1, ...), which the notebooks use.
    extra: more sizes to name in messages, e.g. {7: "T + 1"}.
    seed: the seed of the case's inputs.
    text: how messages name the case, if not by its dims ("x of shape (4,), like b").
    """

    dims: dict[str, int]
    course: bool
    seed: int
    extra: dict[int, str | tuple[str, ...]] = field(default_factory=dict)
    text: str = ""

    def __getitem__(self, symbol: str) -> int:
        return self.dims[symbol]

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        return ", ".join(f"{k} = {v}" for k, v in self.dims.items())

    @property
    def sizes(self) -> Sizes:
        """size -> symbol for the sizes that name one dimension only (1 names none). An extra
        size with several names ({5: ("N - 1", "T + 1")}) maps to the first; the others are
        kept in the result's ``alternatives``, for ``shape_text`` to pick the one that fits
        an axis."""
        values = list(self.dims.values())
        named = {v: k for k, v in self.dims.items() if values.count(v) == 1 and v != 1}
        extra = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in self.extra.items()}
        sizes = Sizes({**named, **{k: v[0] for k, v in extra.items() if k not in named}})
        sizes.alternatives = {k: v for k, v in extra.items() if k not in named and len(v) > 1}
        return sizes


class Sizes(dict):
    """size -> symbol, as a plain dict, with ``alternatives``: size -> every name it has (when
    a derived size has several, as 5 = N - 1 = T + 1 can)."""

    alternatives: dict[int, tuple[str, ...]] = {}


def over_cases(cases: Sequence[Case], one: Callable[[Case], float]) -> float:
    """Run one(case) for every case; the largest relative error, or the first Failure.

    A failure on a later case, after the earlier ones passed, says so: the function is right on
    the checker's first inputs but wrong in the course's own shapes (or the other way round).
    """
    worst, passed = 0.0, []
    for case in cases:
        try:
            worst = max(worst, one(case))
        except Failure as failure:
            if not passed:
                raise
            right = "; ".join(c.label for c in passed)
            where = (f"in the course's own shapes ({case.label}), the ones the notebooks use"
                     if case.course else f"with {case.label}")
            # (a checker's own message about what is kept between calls says more)
            kept = "" if re.search(r"earlier call|one call to the next|first call",
                                   str(failure)) else \
                _kept_from_earlier_calls(lambda case=case: one(case))
            if kept:
                raise Failure(
                    f"FAIL: your function keeps something from one call to the next: it is "
                    f"right with {right}, then wrong {where}; but right there too once the "
                    f"checker put back {kept}, as it was before its first call. Your function "
                    f"changes it and reads it again on a later call, so it uses what an "
                    f"earlier call, on other inputs, left there (a cache filled once, a list "
                    f"added to). Make everything it changes inside the function, on every "
                    f"call") from None
            text = str(failure).removeprefix("FAIL: ")
            raise Failure(f"FAIL: your function is right with {right}, but not {where}: "
                          f"{text}") from None
        passed.append(case)
    return worst


# --- shapes in the course's terms ----------------------------------------------------------


def _symbols_of(symbols: str) -> list[str]:
    """ "(N, T, D)" -> ["N", "T", "D"]; "(H,)" -> ["H"]; "x's shape" -> []."""
    inner = symbols.strip()
    if not (inner.startswith("(") and inner.endswith(")")):
        return []
    return [p.strip() for p in inner[1:-1].split(",") if p.strip()]


def _bases(label: str) -> set[str]:
    """The symbols a label is made of: "T + 1" -> {"T"}, "N H" -> {"N", "H"}, "3H" -> {"H"}."""
    return set(re.findall(r"[A-Za-z]\w*", label))


def _products(size: int, sizes: dict[int, str]) -> str | None:
    """ "N H" when size is the product of the sizes of two symbols (and of no other pair)."""
    atoms = {v: k for v, k in sizes.items() if re.fullmatch(r"[A-Za-z]\w*", k) and v > 1}
    order = list(atoms.values())  # the case's own order of its symbols: "N H", not "H N"
    found = {tuple(sorted((atoms[a], atoms[size // a]), key=order.index)) for a in atoms
             if size % a == 0 and size // a in atoms}
    return " ".join(found.pop()) if len(found) == 1 else None


def shape_text(shape: tuple[int, ...], sizes: dict[int, str], symbols: str = "",
               expected: tuple[int, ...] = ()) -> str:
    """(3, 4) -> "(3, 4) = (N, H)" when sizes maps 3 to N and 4 to H; plain when none map.

    With the expected shape (its symbols, "(N, T, D)", and its sizes), each axis is named in
    the role that fits it: a size with several names takes the one made from the expected
    symbol of its axis (5 on T's axis is T + 1, not N - 1); a size is not named by a symbol of
    another axis that already holds its own size (a count of 2 on N's axis is not "D" when D
    is on its own axis, in an array of 3 axes or more); a size that no symbol names may be
    named as a product of two ("N H") when the array has as many axes as expected.
    """
    shape = tuple(int(s) for s in shape)
    plain = str(shape) if len(shape) != 1 else f"({shape[0]},)"
    wanted = _symbols_of(symbols) if expected else []
    if len(wanted) != len(expected) or len(shape) != len(expected):
        wanted = []  # roles fit axes only when the array has the expected number of axes
    alternatives = getattr(sizes, "alternatives", {})
    names = []
    for axis, size in enumerate(shape):
        labels = list(alternatives.get(size, ())) or ([sizes[size]] if size in sizes else [])
        if not wanted:
            names.append(labels[0] if labels else str(size))
            continue
        own = wanted[axis] if axis < len(wanted) else None

        def misplaced(label: str, axis: int = axis, own: str | None = own) -> bool:
            # in 2-D a repeated symbol is often true ((H, H) is W's shape, X.T @ X is (D, D));
            # from 3-D on, a size on N's axis that equals D is a count, not D; and when this
            # axis is the only one that differs, its size is a count of its own entries (2
            # states of T + 1 are not "D" because D = 2)
            if len(shape) < 3:
                return False
            if own is not None and not (_bases(label) & _bases(own)) and all(
                    shape[j] == expected[j] for j in range(len(shape)) if j != axis):
                return True
            return any(
                b == wanted[j] and j != axis and j < len(shape) and shape[j] == expected[j]
                for b in _bases(label) for j in range(len(wanted)))

        fitting = [label for label in labels if own in _bases(label)]
        usable = fitting or [label for label in labels if not misplaced(label)]
        if not labels and len(shape) == len(expected):
            product = _products(size, sizes)
            usable = [product] if product else []
        names.append(usable[0] if usable else str(size))
    if all(n == str(s) for n, s in zip(names, shape, strict=True)):
        return plain
    symbolic = f"({', '.join(names)})" if len(names) != 1 else f"({names[0]},)"
    return f"{plain} = {symbolic}"


def describe_value(value) -> str:
    """What a returned value is, in words: "one array of 33 values", "a tuple of 2 values"."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return "one number (a 0-d array)"
        return f"one array of shape {tuple(value.shape)} ({value.size} values)"
    if isinstance(value, int | float | np.floating | np.integer):
        return "one number"
    if isinstance(value, tuple | list):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a {type(value).__name__}"


# --- calling the learner's function --------------------------------------------------------


def _learner_frame(exc: BaseException):
    """The innermost frame of the learner's own code in the traceback (not numpy's, rnnlib's)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not (name.startswith(_PACKAGE_DIRS) or name == __file__):
            found = tb
        tb = tb.tb_next
    return found


def _learner_line(exc: BaseException) -> str | None:
    """The last line of the learner's own code in the traceback (not numpy's, not rnnlib's)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(_PACKAGE_DIRS) or frame.filename == __file__:
            continue
        return (frame.line or "").strip() or None
    return None


def _raised_in_rnnlib(exc: BaseException) -> bool:
    """Whether the innermost frame is rnnlib's: the learner called a piece that refused."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.startswith(_PACKAGE_DIRS[1])


def _changed_shapes(exc: BaseException, watch: dict, sizes: dict[int, str]) -> str:
    """ " In that line U has shape (3, 3) = (H, H), not (H, D) = (3, 1)." for watched locals."""
    frame = _learner_frame(exc)
    if frame is None or not watch:
        return ""
    found = []
    for name, (shape, symbols) in watch.items():
        value = frame.tb_frame.f_locals.get(name)
        if isinstance(shape, int):  # a size the learner computed, e.g. H
            if isinstance(value, int | np.integer) and int(value) != shape:
                named = f" = {sizes[int(value)]}" if int(value) in sizes else ""
                found.append(f"{name} is {int(value)}{named}, not {symbols} = {shape}")
            continue
        if isinstance(value, np.ndarray) and value.shape != tuple(shape):
            found.append(f"{name} has shape {shape_text(value.shape, sizes)}, not {symbols} = "
                         f"{tuple(shape)}")
    return f" There, {'; '.join(found)}." if found else ""


def _translate_shape_error(message: str, sizes: dict[int, str]) -> str | None:
    """numpy's shape error in the course's terms, or None if it is not one."""
    inner = re.search(r"size (\d+) is different from (\d+)", message)
    if "matmul" in message and inner:
        right, left = (int(g) for g in inner.groups())
        return (f"a matrix product A @ B whose inner sizes do not match (A's last axis has "
                f"{sizes.get(left, 'size')} = {left}, B's first has "
                f"{sizes.get(right, 'size')} = {right})")
    shapes = re.search(r"shapes ((?:\([\d,]*\)\s*)+)", message)
    if "broadcast" in message and shapes:
        found = [tuple(int(x) for x in s.split(",") if x)
                 for s in re.findall(r"\(([\d,]*)\)", shapes.group(1))]
        return "arrays of shapes " + " and ".join(shape_text(s, sizes) for s in found) + \
            " that cannot be added or multiplied elementwise"
    if "does not have enough dimensions" in message:
        return ("a matrix product (@) with an operand that has no axes left (a 0-d number: "
                "np.squeeze or [0, 0] on an array whose sizes are 1?)")
    if "shapes" in message and "not aligned" in message:
        return "a matrix product (np.dot) whose inner sizes do not match"
    return None


def require_function(fn, where: str = "the checker", signature: str = "") -> None:
    """A TypeError naming what was given, if fn is not callable (not the learner's slip)."""
    if not callable(fn):
        wanted = f" {signature}" if signature else ""
        raise TypeError(f"{where} needs the function itself{wanted} (a def, passed by its "
                        f"name without brackets), got {describe_value(fn)}: {fn!r:.60}")


def call(
    fn: Callable,
    args: dict[str, object],
    sizes: dict[int, str],
    roles: dict[str, str],
    hint: str = "",
    shared: tuple[str, ...] = (),
    watch: dict[str, tuple[tuple[int, ...] | int, str]] | None = None,
) -> object:
    """Call fn on copies of the named args; the result, or a Failure saying what went wrong.

    Parameters
    ----------
    fn : callable
        The learner's function.
    args : dict
        name -> value (arrays, lists of arrays, or anything else, passed as is), in the order
        of fn's parameters.
    sizes : dict
        Each dimension size of the inputs -> its symbol, for the messages.
    roles : dict
        name -> expected shape in symbols, e.g. "(N, H)", for the messages.
    hint : str
        What to check first when numpy raises a shape error.
    shared : tuple of str
        Arguments passed as they are, not copied (an array the function must perturb and
        restore); the others are copied, and changing one in place is a Failure.
    watch : dict, optional
        name -> (shape, symbols) of the learner's own variables: when fn raises, those of its
        local variables that have another shape are named (seen on the values, not guessed).

    Returns
    -------
    object
        What fn returned.

    Raises
    ------
    TypeError
        If fn is not callable (the checker was given something else than a function).
    Failure
        If fn raised, or changed one of its inputs in place.
    NotYet
        If fn raised NotImplementedError (the stub of the graders' convention).
    """
    require_function(fn)
    _remember_outside(fn)
    copies = {name: value if name in shared else _copy(value) for name, value in args.items()}
    if not _PASSED.get():
        _PASSED.set((fn, tuple(args)))
    if _BY_NAME.get():
        copies = _in_own_order(fn, copies)
    repeat = _REPEAT.get()
    before = {name: _copy(args[name]) for name in shared} if repeat else {}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*copies.values())
    except NotImplementedError:
        raise NotYet(NOT_YET_RAISES) from None
    except Exception as exc:  # the learner's code may raise anything
        raise Failure(_exception_text(exc, args, sizes, roles, hint, watch or {})) from None
    for name, value in args.items():
        if name not in shared and not _same(copies[name], value):
            raise Failure(
                f"FAIL: your function changed its input {name} in place. Leave the inputs "
                "as they were: compute new arrays (a = a * s, not a *= s; or work on a copy)"
            )
    # (a shared argument left changed is the checker's to report: the second call would differ)
    if repeat and all(_same(args[name], value) for name, value in before.items()):
        _REPEAT.set(False)
        again = {name: value if name in shared else _copy(value) for name, value in args.items()}
        if _BY_NAME.get():
            again = _in_own_order(fn, again)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                second = fn(*again.values())
        except Exception as exc:  # the learner's code may raise anything
            raise Failure("FAIL: " + KEEPS_STATE.format(
                why=f" (it raised {type(exc).__name__} the second time, not the first)")) from None
        if not _same_result(second, result):
            raise Failure("FAIL: " + (_uninitialised(fn) or KEEPS_STATE.format(why="")))
        if _reused(result, second, [args[name] for name in shared]):
            raise Failure(_reused_text(fn, args, shared, result))
    record = _RETURNED.get()
    if record is not None:
        if record and record[0][0] is not fn:  # another function: records are per function
            record.clear()
        record.append((fn, _scalars_text(args), result is None))
    return result


def _in_own_order(fn, copies: dict) -> dict:
    """copies reordered as fn's parameters name them (when they are the same names)."""
    import inspect

    try:
        params = [p.name for p in inspect.signature(fn).parameters.values()]
    except (TypeError, ValueError):
        return copies
    if sorted(params) != sorted(copies):
        return copies
    return {name: copies[name] for name in params}


def _uninitialised(fn) -> str:
    """The message when two calls on the same inputs gave two results, fn keeps nothing
    outside itself, and its source makes an array with np.empty (np.empty_like): what it
    returns holds values that were never written, whatever was in memory; "" otherwise."""
    source = learner_source(fn)
    if source is None or _outside_containers(fn):
        return ""
    made = [n for n in own_nodes(source.tree.body) if _np_call(n) in ("empty", "empty_like")]
    if not made:
        return ""
    return (f"your function gave another result when called a second time with the same "
            f"inputs, and it keeps nothing from one call to the next: your line "
            f"`{source.line(made[0])}` makes an array with np.{_np_call(made[0])}, which holds "
            "whatever was in memory (not zeros), and part of it was never written before it "
            "went into your result (a seed row that np.append or np.concatenate kept, an entry "
            "the loop skips). Write every entry, or make it with np.zeros")


def _arrays_in(value) -> list[np.ndarray]:
    """The arrays of a result: itself, or those of a list or tuple (nested), in order."""
    if isinstance(value, np.ndarray):
        return [value] if value.dtype != object else []
    if isinstance(value, list | tuple):
        return [a for v in value for a in _arrays_in(v)]
    return []


def _reused(first, second, inputs: Sequence) -> bool:
    """Whether two calls' results share memory (one array made once and returned, or written
    into, by every call), other than a view of an input that both calls were given."""
    given = [a for value in inputs for a in _arrays_in(value)]
    for a, b in zip(_arrays_in(first), _arrays_in(second), strict=False):
        if a.size and np.shares_memory(a, b) and not any(np.shares_memory(a, g) for g in given):
            return True
    return False


def _reused_text(fn, args, shared, result) -> str:
    """The message for results that share memory from call to call; "overwrote" only when a
    call on other inputs was seen to change the first call's result."""
    kept = [a.copy() for a in _arrays_in(result)]
    other = {name: value if name in shared else
             value * 0.5 + 0.25 if isinstance(value, np.ndarray) and value.dtype == np.float64
             else _copy(value) for name, value in args.items()}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            fn(*other.values())
        changed = any(not np.array_equal(a, k, equal_nan=True)
                      for a, k in zip(_arrays_in(result), kept, strict=True))
    except Exception:  # the learner's code may raise anything
        changed = False
    seen = ("a call on other inputs overwrote the result of the call before it" if changed
            else "the second call's result is the first call's array")
    return (f"FAIL: your function returns the same array on every call: {seen}. It writes into "
            "one array made once, outside the function (a buffer filled with out= or [...] =, "
            "a global), so a caller that keeps its results, as rnn_forward keeps every state, "
            "finds them all equal to the last one. Make a new array on each call (np.tanh(a), "
            "not np.tanh(a, out=buffer))")


def _same_result(a, b) -> bool:
    """Whether two results of the same call are equal: arrays, numbers, and lists or tuples of
    them, compared exactly (the same inputs give the same bits); anything else counts as equal."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape):
            return False
        if a.dtype == object or b.dtype == object:  # arrays of arrays: entry by entry
            return all(_same_result(x, y) for x, y in zip(a.ravel(), b.ravel(), strict=True))
        return np.array_equal(a, b, equal_nan=a.dtype.kind in "fc" and b.dtype.kind in "fc")
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same_result(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float | np.number) and isinstance(b, int | float | np.number):
        return a == b or (a != a and b != b)
    return True


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _same(a, b) -> bool:
    if isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(
            a, b, equal_nan=True)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(
            _same(x, y) for x, y in zip(a, b, strict=True))
    return True


def _mixed_lists(exc: BaseException, sizes: dict[int, str]) -> str:
    """ " There, your list states holds arrays of shapes (4,) and (3, 4)." (the learner's lists)"""
    frame = _learner_frame(exc)
    found = []
    for name, value in (frame.tb_frame.f_locals.items() if frame else ()):
        if isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            shapes = list(dict.fromkeys(tuple(v.shape) for v in value))
            if len(shapes) > 1:
                found.append(f"your list {name} holds arrays of shapes "
                             + " and ".join(shape_text(s, sizes) for s in shapes)
                             + f" (the first is {shape_text(value[0].shape, sizes)})")
    return f" There, {'; '.join(found)}." if found else ""


def _symbolic(shape: tuple[int, ...], sizes: dict[int, str]) -> str:
    """(4, 2) -> "(H, D)" when every size has a name; else the plain shape."""
    shape = tuple(int(s) for s in shape)
    if shape and all(s in sizes for s in shape):
        names = [sizes[s] for s in shape]
        return f"({', '.join(names)})" if len(names) != 1 else f"({names[0]},)"
    return str(shape) if len(shape) != 1 else f"({shape[0]},)"


def _array_lists(args: dict[str, object]) -> dict[str, list[np.ndarray]]:
    """The arguments that are lists (or tuples) of arrays, such as clip_gradients' grads."""
    return {name: list(value) for name, value in args.items()
            if isinstance(value, list | tuple) and value and
            all(isinstance(v, np.ndarray) for v in value)}


def _arguments_text(args, sizes, roles) -> str:
    """ " The arguments are X (N, T, D) = (3, 6, 2), grads: 5 arrays of shapes (H, D), ..."
    or "" when there are none to list (never an empty sentence)."""
    parts = [f"{name} {roles[name]} = {shape_text(value.shape, {})}" if roles[name]
             else f"{name} {shape_text(value.shape, {})}"
             for name, value in args.items() if isinstance(value, np.ndarray) and name in roles]
    for name, arrays in _array_lists(args).items():
        shapes = ", ".join(_symbolic(a.shape, sizes) for a in arrays)
        parts.append(f"{name}: {len(arrays)} arrays of shapes {shapes}" if len(arrays) > 1
                     else f"{name}: 1 array of shape {shapes}")
    return f" The arguments are {', '.join(parts)}." if parts else ""


def _mixed_sum(message: str, args, sizes) -> str:
    """ " The arrays of grads have different shapes ..." when numpy's broadcasting error is
    between arrays of a list argument whose arrays differ in shape (a sum over them)."""
    shapes = re.search(r"shapes ((?:\([\d,]*\)\s*)+)", message)
    if not shapes:
        return ""
    met = {tuple(int(x) for x in m.split(",") if x)
           for m in re.findall(r"\(([\d,]*)\)", shapes.group(1))}
    for name, arrays in _array_lists(args).items():
        own = {tuple(a.shape) for a in arrays}
        if len(own) > 1 and len(met & own) >= 2:
            return (f" The arrays of {name} have different shapes: make each one number "
                    "first (its sum of squares, np.sum(g ** 2)), then add those numbers.")
    return ""


def _read_only(exc, line) -> str | None:
    """The read-only error in the course's terms: an np.nditer made without readwrite, or a
    read-only view (np.broadcast_to, sliding_window_view) among the learner's variables."""
    frame = _learner_frame(exc)
    local = frame.tb_frame.f_locals if frame is not None else {}
    at = f"your line `{line}`" if line else "your function"
    views = [name for name, v in local.items() if isinstance(v, np.ndarray) and
             not v.flags.writeable and re.search(rf"\b{re.escape(name)}\b", line or "")]
    elements = [name for name in views if local[name].ndim == 0]
    if elements and any(isinstance(v, np.nditer) for v in local.values()):
        return (f"FAIL: {at} writes into an element of np.nditer, which gives read-only "
                "elements unless it is made with op_flags=[\"readwrite\"] (ValueError: "
                "assignment destination is read-only): np.nditer(x, flags=[\"multi_index\"], "
                "op_flags=[\"readwrite\"]); or index x directly, for i in np.ndindex(x.shape): "
                "x[i] = ...")
    views = [name for name in views if local[name].ndim]
    if views:
        return (f"FAIL: {at} writes into {listing(views)}, a read-only view (np.broadcast_to "
                "and sliding_window_view make those; ValueError: assignment destination is "
                "read-only): write into a copy, .copy(), or a new array")
    return None


def _exception_text(exc, args, sizes, roles, hint, watch) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else "(no message)"
    line = _learner_line(exc)
    where = f" in your line `{line}`" if line else ""
    changed = _changed_shapes(exc, watch, sizes)
    arguments = _arguments_text(args, sizes, roles)
    shapes = arguments.removeprefix(" The arguments are ").removesuffix(".")
    unpacked = _unpacked_in_another_order(exc, line, sizes)
    if unpacked:
        return unpacked
    for reading in (lambda: _buffer_of_another_size(exc, line, first, sizes, roles),
                    lambda: _ufunc_out_argument(line) if re.search(
                        r"output|ArrayType|\bout\b", first) else "",
                    lambda: _number_unpacked(exc, line, first),
                    lambda: _split_points(exc, first, sizes),
                    lambda: _iterator_used_up(exc, first),
                    lambda: _squeezed_input(exc, first, sizes)):
        named = reading()
        if named:
            return named
    for reading in (lambda: _callable_in_line(exc, line),
                    lambda: _shape_tuple_in_line(exc, line, sizes) if isinstance(
                        exc, TypeError | ValueError) else "",
                    lambda: _reshape_constant(exc, line, first, args, sizes, roles) if isinstance(
                        exc, ValueError) else ""):
        named = reading()
        if named:
            return named
    into = re.search(r"could not broadcast input array from shape \(([\d, ]*)\) into shape "
                     r"\(([\d, ]*)\)", first)
    if isinstance(exc, ValueError) and into:
        given, slot = (tuple(int(v) for v in g.split(",") if v.strip()) for g in into.groups())
        return (f"FAIL: your line `{line}` writes an array of shape {shape_text(given, sizes)} "
                f"into a place of shape {shape_text(slot, sizes)}: the array it writes into was "
                "made with another shape than what it must hold (a size typed in, such as 1 for "
                "D, or a shape taken from another array); make it with the shape of what goes "
                "in, e.g. np.zeros((N, T, D)) with D = series.shape[1]" if line else
                f"FAIL: your function raised ValueError: {first}")
    builtin = _builtin_on_arrays(exc, line, first)
    if builtin:
        return builtin
    if isinstance(exc, ValueError) and "shape-mismatch for sum" in first:
        default = _tensordot_default_axes(line)
        if default:
            return default
    math_call = _math_on_array(exc, line, first)
    if math_call:
        return math_call
    if isinstance(exc, TypeError) and "'bitwise_xor'" in first and "^" in (line or ""):
        return (f"FAIL: your line `{line}` uses ^, which in Python is the bitwise exclusive or, "
                "not a power: the square is h_t**2 (or np.square(h_t))")
    if isinstance(exc, TypeError) and _LIST_ARITHMETIC.search(first):
        on_list = _list_arithmetic(exc, line, first)
        if on_list:
            return on_list
    function_operand = re.search(r"unsupported operand type\(s\) for .+: 'function'", first)
    if isinstance(exc, TypeError) and function_operand:
        return (f"FAIL: your function raised TypeError{where}: {first}. A name there holds a "
                "function itself, not its value: call it, f() with the brackets (fp = f() after "
                "moving x[i], not fp = f)")
    if isinstance(exc, ZeroDivisionError):
        zero = ("; a norm is 0 when every gradient is 0, so divide by it only when it is larger "
                "than the threshold (if norm > threshold: ...)" if "norm" in (line or "") else "")
        return (f"FAIL: your function raised ZeroDivisionError{where}: {first}: with these "
                f"inputs the divisor is 0 (Python's / of floats raises where numpy's gives inf)"
                f"{zero}")
    if isinstance(exc, ValueError) and "Invalid norm order" in first and "vector" in first:
        return (f"FAIL: your function raised ValueError{where}: {first}. np.linalg.norm's "
                "orders 'fro' and 'nuc' are for matrices (2-D); the biases are 1-D. "
                "np.linalg.norm(g) with no order, or np.sqrt(np.sum(g**2)), works for any shape")
    if isinstance(exc, ValueError) and "read-only" in first:
        read_only = _read_only(exc, line)
        if read_only:
            return read_only
    translated = _translate_shape_error(first, sizes) if isinstance(exc, ValueError) else None
    if translated:
        message = (f"FAIL: numpy met {translated}{where}.{changed}"
                   f"{_mixed_sum(first, args, sizes)}{arguments}")
        return message + (f"\nHint: {hint}" if hint else "")
    if isinstance(exc, IndexError) and "flat iterator" in first:
        flat = _flat_indexed(line)
        who = f"your line `{line}`" if line else "your function"
        return (f"FAIL: {who} gives {flat}.flat a tuple index (IndexError: {first}): "
                f"{flat}.flat takes one flat index k ({flat}.flat[k], k from 0 to {flat}.size - "
                f"1); a tuple (i, j) indexes the array itself, {flat}[i, j] (or {flat}[idx] with "
                "idx from np.ndindex)")
    if isinstance(exc, IndexError) and "too many indices" in first:
        return (f"FAIL: your function raised IndexError{where}: {first}. An array there has "
                "fewer axes than the index it is given: one made from a single size (np.zeros("
                "x.shape[0]), np.zeros(len(x))) has one axis; make it with the whole shape, "
                "np.zeros_like(x) or np.zeros(x.shape)")
    if isinstance(exc, IndexError):
        return (f"FAIL: your function raised IndexError{where}: {first}. "
                + (f"The arguments are {shapes}: " if shapes else "")
                + "check the range of your loop and the axis you index."
                + (f"\nHint: {hint}" if hint else ""))
    gone = re.search(r"has no attribute '(\w+)'", first) if isinstance(exc, AttributeError) \
        else None
    if gone and gone.group(1) in _REMOVED_IN_NUMPY_2:
        who = f"your line `{line}`" if line else "your function"
        return (f"FAIL: {who} uses {gone.group(1)}, which NumPy 2 removed (AttributeError: "
                f"{first}): {_REMOVED_IN_NUMPY_2[gone.group(1)]}")
    cast = re.search(r"Cannot cast ufunc '\w+' output from dtype\('(\w+)'\) to dtype\('(\w+)'\)",
                     first)
    if cast and np.dtype(cast.group(2)).kind in "iub":
        return _integer_accumulator(exc, line, where, cast.group(1), cast.group(2))
    missing = re.search(r"missing \d+ required positional arguments?: (.+)$", first)
    if isinstance(exc, TypeError) and missing and line:
        return (f"FAIL: your line `{line}` calls a function without its argument "
                f"{missing.group(1)}: pass every argument, in the order of its signature")
    if isinstance(exc, ValueError) and "concatenation axis must match" in first:
        return (f"FAIL: np.concatenate met arrays of different shapes{where}: flatten each "
                "first, np.concatenate([g.ravel() for g in grads])")
    if isinstance(exc, ValueError) and "inhomogeneous" in first:
        return (f"FAIL: numpy could not make one array of arrays of different shapes{where} "
                "(np.array, np.linalg.norm or np.sum of a whole list of arrays does that). Take "
                "each array on its own, e.g. sum(np.sum(g**2) for g in grads)")
    if isinstance(exc, ValueError) and "remapped shapes" in first and "einsum" in (line or ""):
        return (f"FAIL: np.einsum's subscripts do not fit the shapes of its arrays in your line "
                f"`{line}`: each letter stands for one size, in the order of each array's axes."
                f"{arguments}" + (f"\nHint: {hint}" if hint else ""))
    if isinstance(exc, ValueError) and "need at least one array" in first:
        return (f"FAIL: np.stack (or np.concatenate) got an empty list{where}: your loop made "
                "no windows or steps at all. Count them from the inputs: the number of values "
                "L is series.shape[0] = len(series) (axis 0), and T is the argument T")
    if isinstance(exc, TypeError) and re.search(r"\bf\(\) takes 0 positional arguments", first):
        return (f"FAIL: your line `{line}` gives f an argument, but f takes no argument: it "
                "reads x itself. Move x in place (x[i] = saved + eps), then call f()")
    if isinstance(exc, ValueError) and "same shape" in first:
        return (f"FAIL: np.stack (or np.array) met arrays of different shapes{where}: every "
                f"item must have one shape.{_mixed_lists(exc, sizes)}"
                + (f"\nHint: {hint}" if hint else ""))
    if _raised_in_rnnlib(exc) and line:
        return (f"FAIL: the piece that your line `{line}` calls refused its arguments "
                f"({type(exc).__name__}: {first}).{changed}"
                + (f"\nHint: {hint}" if changed and hint else ""))
    return f"FAIL: your function raised {type(exc).__name__}{where}: {first}{changed}"


def _buffer_of_another_size(exc, line, first, sizes, roles=None) -> str:
    """ "dU was made with 1 row, O = V.shape[0], where H = 4 rows belong: H = W.shape[0]" when
    an accumulation `name += ...` in the learner's line cannot write into name (numpy's
    "non-broadcastable output operand"), name was made in the learner's function with a shape
    whose size on the wrong axis is a symbol of its own, and the frame's locals give that size
    (read from the source and the frame, not guessed); "" otherwise."""
    found = re.search(r"non-broadcastable output operand with shape \(([\d, ]*)\) doesn't match "
                      r"the broadcast shape \(([\d, ]*)\)", first)
    three = re.search(r"operands could not be broadcast together with shapes \(([\d, ]*)\) "
                      r"\(([\d, ]*)\) \(([\d, ]*)\)", first)
    tree = _line_tree(line)
    if not (found or three and three.group(1) == three.group(3)) or tree is None:
        return ""
    groups = found.groups() if found else three.groups()[:2]
    made_shape, wanted = (tuple(int(v) for v in g.split(",") if v.strip()) for g in groups)
    target = next((n.target.id for n in ast.walk(tree)
                   if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)), None)
    frame = _learner_frame(exc)
    source = _frame_source(frame) if frame else None
    if target is None or source is None or len(made_shape) != len(wanted):
        return ""
    axes = [a for a, (m, w) in enumerate(zip(made_shape, wanted, strict=True)) if m != w]
    if len(axes) != 1:
        return ""
    axis = axes[0]
    if wanted[axis] not in sizes:
        # what is added has a size that names no dimension (12 = N * H, a ravel): the added
        # array is the suspect, not the buffer
        return ""
    _, full = source
    shape_node = None
    for node in ast.walk(full):
        if not isinstance(node, ast.Assign):
            continue
        for tgt in node.targets:
            pairs = (list(zip(tgt.elts, node.value.elts, strict=False))
                     if isinstance(tgt, ast.Tuple) and isinstance(node.value, ast.Tuple)
                     else [(tgt, node.value)])
            for name, value in pairs:
                if isinstance(name, ast.Name) and name.id == target and \
                        _np_call(value) in ("zeros", "empty", "ones", "full") and value.args:
                    shape = value.args[0]
                    elts = shape.elts if isinstance(shape, ast.Tuple) else [shape]
                    if len(elts) == len(made_shape):
                        shape_node = elts[axis]
    if shape_node is None:
        return ""
    symbol = ast.unparse(shape_node)
    size = _frame_value(frame, shape_node)
    if not isinstance(size, int | np.integer) or int(size) != made_shape[axis]:
        return ""
    how = ""
    if isinstance(shape_node, ast.Name):
        assigned = [n for n in ast.walk(full) if isinstance(n, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == symbol for t in n.targets)]
        if len(assigned) == 1:
            how = f", from `{ast.unparse(assigned[0]).strip()}`"
            how += _shape_read_named(assigned[0].value, frame, made_shape[axis], roles or {})
    kind = {0: "row", 1: "column"}.get(axis, f"entry on axis {axis}")
    plural = "s" if made_shape[axis] != 1 else ""
    got_name = sizes.get(made_shape[axis])
    want_name = sizes.get(wanted[axis])
    got_text = f"{made_shape[axis]} {kind}{plural}" + (f" ({got_name})" if got_name else "")
    want_text = (f"{want_name} = " if want_name else "") + f"{wanted[axis]} {kind}s"
    return (f"FAIL: your line `{line}` adds an array of shape {shape_text(wanted, sizes)} into "
            f"{target}, but {target} was made with {got_text} on axis {axis}, its size "
            f"{symbol} = {int(size)}{how}, where {want_text} belong (numpy said: {first}). "
            f"Take {symbol} from an array that has it"
            + (f" ({want_name} = W.shape[0], the hidden size)" if want_name == "H" and
               getattr(frame.tb_frame.f_locals.get("W"), "shape", (None,))[0] == wanted[axis]
               else ""))


def _shape_read_named(node, frame, size: int, roles: dict[str, str]) -> str:
    """ ": V.shape[0] is O = 1" for the first read A.shape[k] in node, of an argument A with a
    role "(O, H)", whose value in the frame is size; "" if there is none."""
    for sub in ast.walk(node):
        if not (isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Attribute) and
                sub.value.attr == "shape" and isinstance(sub.value.value, ast.Name) and
                isinstance(sub.slice, ast.Constant) and isinstance(sub.slice.value, int)):
            continue
        name, k = sub.value.value.id, sub.slice.value
        array = frame.tb_frame.f_locals.get(name)
        symbols = _symbols_of(roles.get(name, ""))
        if isinstance(array, np.ndarray) and -array.ndim <= k < array.ndim and \
                array.shape[k] == size and len(symbols) == array.ndim:
            return f": {name}.shape[{k}] is {symbols[k]} = {size}"
    return ""


_MATH_TO_NUMPY = {"fsum": "np.sum", "fabs": "np.abs", "pow": "np.power", "prod": "np.prod"}


def _math_on_array(exc, line, first) -> str:
    """ "math.exp takes one number; for arrays use np.exp" when a math.* function in the learner's
    line met an array (TypeError "only 0-dimensional/length-1 arrays can be converted to Python
    scalars", or "must be real number, not ndarray"); "" otherwise. Read from the line's syntax
    tree: only a call math.f(...) counts."""
    if not isinstance(exc, TypeError) or not re.search(
            r"arrays can be converted to Python scalars|must be real number, not|"
            r"'numpy\.ndarray' object cannot be interpreted", first):
        return ""
    tree = _line_tree(line)
    if tree is None:
        return ""
    names = list(dict.fromkeys(
        node.func.attr for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "math"))
    if not names:
        return ""
    used = ", ".join(f"math.{n}" for n in names)
    numpy = ", ".join(_MATH_TO_NUMPY.get(n, f"np.{n}") for n in names)
    return (f"FAIL: your line `{line}` calls {used} on an array (TypeError: {first}): {used} "
            f"takes one number (a Python float); for arrays use {numpy}, which acts on every "
            "value at once")


# --- slips read from the learner's line and its frame: a ufunc's out, an iterator used up, ...

def _flat_indexed(line: str | None) -> str:
    """The name whose .flat the learner's line indexes ("x"), or "x" when not readable."""
    tree = _line_tree(line)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and \
                node.value.attr == "flat":
            return ast.unparse(node.value.value)
    return "x"


def _tensordot_default_axes(line: str | None) -> str:
    """What np.tensordot's default axes=2 does, when the learner's line calls it with two
    arrays and no axes; "" otherwise."""
    tree = _line_tree(line)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "tensordot" and len(node.args) == 2 and \
                not any(k.arg == "axes" for k in node.keywords):
            a, b = (ast.unparse(arg) for arg in node.args)
            return (f"FAIL: your line `{line}` calls np.tensordot without axes=: its default "
                    "axes=2 sums over the last two axes of the first array and the first two "
                    "of the second, which do not match here (ValueError: shape-mismatch for "
                    "sum). Give the axes to sum over, e.g. the records: "
                    f"np.tensordot({a}, {b}, axes=([0], [0])) (that is {a}.T @ {b})")
    return ""


_BUILTIN_ON_ARRAYS = {
    "max": "np.max(a, axis=1, keepdims=True) (the largest of each row)",
    "min": "np.min(a, axis=1, keepdims=True) (the smallest of each row)",
    "sorted": "np.sort(a, axis=1)",
    "any": "np.any(a) (or np.any(a, axis=...))",
    "all": "np.all(a) (or np.all(a, axis=...))",
}


def _builtin_on_arrays(exc, line, first) -> str:
    """What Python's max/min/sorted/any/all do with a 2-D array, when the learner's line calls
    one (the builtin itself, read in the frame) and numpy raised the ambiguous truth value;
    "" otherwise."""
    import builtins

    if not (isinstance(exc, ValueError) and "truth value of an array" in first):
        return ""
    tree = _line_tree(line)
    frame = _learner_frame(exc)
    for node in ast.walk(tree) if tree is not None and frame is not None else ():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in _BUILTIN_ON_ARRAYS):
            continue
        name = node.func.id
        scope = frame.tb_frame
        found = scope.f_locals.get(name, scope.f_globals.get(name, getattr(builtins, name)))
        if found is not getattr(builtins, name):
            continue
        return (f"FAIL: your line `{line}` gives Python's builtin {name} an array (ValueError: "
                f"{first}): the builtin walks along axis 0 and compares whole rows (arrays) "
                f"with each other, which has no single True or False. Use numpy's, "
                f"{_BUILTIN_ON_ARRAYS[name]}")
    return ""


def _np_call(node: ast.AST) -> str | None:
    """"add" for a call np.add(...) (numpy imported as np or numpy); None otherwise."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(
            node.func.value, ast.Name) and node.func.value.id in ("np", "numpy"):
        return node.func.attr
    return None


def _ufunc_out_argument(line: str | None) -> str:
    """The message when the learner's failing line calls a two-input ufunc (np.add,
    np.multiply, ...) with three positional arguments: the third is out, where the result is
    written, not a third term; "" if the line has no such call. (Read only for an error about
    the output, as numpy raises when out cannot hold the result.)"""
    tree = _line_tree(line)
    for node in ast.walk(tree) if tree else ():
        name = _np_call(node)
        ufunc = getattr(np, name, None) if name else None
        if not (isinstance(ufunc, np.ufunc) and ufunc.nin == 2 and len(node.args) == 3 and
                not any(isinstance(a, ast.Starred) for a in node.args)):
            continue
        first, second, third = (ast.unparse(a) for a in node.args)
        operator = {"add": "+", "multiply": "*", "subtract": "-"}.get(name)
        three = (f"{first} {operator} {second} {operator} {third}" if operator else
                 f"np.{name}(np.{name}({first}, {second}), {third})")
        return (f"FAIL: your line `{line}` calls np.{name} with three arguments, but np.{name} "
                f"takes two: its third positional argument is out, the array the result is "
                f"written into (so {third} is not used as a term: numpy tries to overwrite "
                f"it). Combine three terms with {three}, or np.{name}(np.{name}({first}, "
                f"{second}), {third})")
    return ""


def _number_unpacked(exc: BaseException, line: str | None, first: str) -> str:
    """The message when the learner's line unpacks what a function given as an argument (f)
    returned, and that is one number: `fp, _ = f()` where f() returns the loss only."""
    if not (isinstance(exc, TypeError) and "cannot unpack non-iterable" in first):
        return ""
    frame = _learner_frame(exc)
    tree = _line_tree(line)
    local = frame.tb_frame.f_locals if frame else {}
    params = frame.tb_frame.f_code.co_varnames[:frame.tb_frame.f_code.co_argcount] \
        if frame else ()
    for node in ast.walk(tree) if tree else ():
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Tuple | ast.List) and isinstance(node.value, ast.Call) and
                isinstance(node.value.func, ast.Name)):
            continue
        name = node.value.func.id
        if name not in params or not callable(local.get(name)):
            continue
        kept = ast.unparse(node.targets[0].elts[0]) if node.targets[0].elts else "value"
        count = len(node.targets[0].elts)
        return (f"FAIL: your line `{line}` unpacks what {name}() returns into "
                f"{count} name{'s' if count != 1 else ''}, but {name}() returns one number (the "
                f"loss alone, no gradient with it): {first}. Keep the one number, "
                f"{kept} = {ast.unparse(node.value)}")
    return ""


def _frame_value(frame, node: ast.AST):
    """The value of a small expression (H, 2 * H, [H, H]) of the learner's code, evaluated in
    its frame; None if it cannot be (a call, a name not there)."""
    if any(isinstance(n, ast.Call | ast.Lambda | ast.NamedExpr) for n in ast.walk(node)):
        return None
    try:
        return eval(compile(ast.Expression(node), "<learner>", "eval"),  # noqa: S307
                    {"__builtins__": {}}, dict(frame.tb_frame.f_locals))
    except Exception:  # noqa: BLE001 - any failure: the value is unknown
        return None


def _split_points(exc: BaseException, first: str, sizes: dict[int, str]) -> str:
    """The message when the learner's function cut an array with np.split (np.array_split)
    at points that are not increasing ([H, H]: sizes given as points), which makes an empty
    block, or into a count of pieces that its unpacking does not take; "" otherwise."""
    frame = _learner_frame(exc)
    found = _frame_source(frame) if frame else None
    if not found:
        return ""
    source_lines, tree = found
    empty = any(isinstance(v, np.ndarray) and 0 in v.shape and v.ndim >= 1
                for v in frame.tb_frame.f_locals.values())
    for node in ast.walk(tree):
        if _np_call(node) not in ("split", "array_split") or len(node.args) < 2:
            continue
        code = ast.unparse(node)
        points = _frame_value(frame, node.args[1])
        if isinstance(points, list | tuple) and len(points) >= 1 and all(
                isinstance(p, int | np.integer) for p in points):
            if empty and any(b <= a for a, b in zip(points, points[1:], strict=False)):
                array = ast.unparse(node.args[0])
                how = ("cuts twice at the same place" if len(set(points)) < len(points) else
                       "does not go up, so a block between them is empty")
                return (f"FAIL: your call `{code}` makes an empty block (an array with a 0 in "
                        f"its shape; then numpy said: {first}): np.split's second argument "
                        f"lists the points where it cuts, not the sizes of the blocks, so "
                        f"{[int(p) for p in points]} {how}. For three blocks of H rows cut at "
                        f"H and 2 H, np.split({array}, [H, 2 * H]), or ask for three equal "
                        f"blocks, np.split({array}, 3)")
        elif isinstance(points, int | np.integer) and "values to unpack" in first and \
                points != 3:
            return (f"FAIL: your call `{code}` cuts into {int(points)} equal pieces "
                    f"({first}): an int as np.split's second argument is the number of "
                    f"pieces, not their size. Three blocks are np.split"
                    f"({ast.unparse(node.args[0])}, 3)")
        elif isinstance(points, int | np.integer) and points > 1 and \
                "equal division" in first:
            across = _split_across(frame, node, int(points), sizes)
            if across:
                return f"FAIL: your call `{code}` {across} (numpy said: {first})"
    return ""


def _split_across(frame, node: ast.Call, pieces: int, sizes: dict[int, str]) -> str:
    """The part of the message when np.split(A, k, axis=a) cannot cut A's axis a into k equal
    blocks but another axis of A can (the blocks are stacked along that one); "" otherwise."""
    array = _frame_value(frame, node.args[0])
    axis = next((_frame_value(frame, k.value) for k in node.keywords if k.arg == "axis"),
                _frame_value(frame, node.args[2]) if len(node.args) > 2 else 0)
    if not isinstance(array, np.ndarray) or not isinstance(axis, int | np.integer) or \
            array.ndim < 2:
        return ""
    axis = int(axis) % array.ndim
    others = [a for a in range(array.ndim) if a != axis and array.shape[a] % pieces == 0]
    if array.shape[axis] % pieces == 0 or not others:
        return ""
    name = ast.unparse(node.args[0])
    other = others[0]
    kind = {0: "rows", 1: "columns"}
    shape = shape_text(tuple(array.shape), sizes)
    how = f"np.split({name}, {pieces})" + ("" if other == 0 else f", axis={other}")
    return (f"cuts {name}, {shape}, along axis {axis} ({kind.get(axis, 'that axis')}), whose "
            f"{array.shape[axis]} do not make {pieces} equal blocks: the {pieces} blocks are "
            f"stacked along axis {other}, blocks of {kind.get(other, 'that axis')}: {how} "
            f"(axis {other})")


def _iterator_read_twice_in(source_lines: list[str], tree: ast.AST) -> str:
    """The message part when a function binds a name to an iterator (a generator expression,
    map(...), zip(...), ...) and reads that name on two lines: the first pass uses it up, the
    second finds it empty; "" if the source shows none."""
    if isinstance(tree, ast.Module):  # a frame's source: the module of one definition
        tree = tree.body[0] if tree.body else tree
    body = getattr(tree, "body", [])
    nodes = list(own_nodes(body))
    for node in nodes:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and
                isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        if isinstance(value, ast.GeneratorExp):
            kind = "a generator expression, (... for ...)"
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                value.func.id in _ITERATORS:
            kind = f"{value.func.id}(...)"
        else:
            continue
        name = node.targets[0].id
        stores = [n for n in nodes if isinstance(n, ast.Name) and n.id == name and
                  isinstance(n.ctx, ast.Store)]
        reads = [n for n in nodes if isinstance(n, ast.Name) and n.id == name and
                 isinstance(n.ctx, ast.Load) and n.lineno >= node.lineno]
        if len(stores) != 1 or len(reads) < 2 or reads[0].lineno == reads[1].lineno:
            continue
        bound, used, again = (source_lines[n.lineno - 1].strip() for n in (node, *reads[:2]))
        return (f"{name} is an iterator ({kind}, in your line `{bound}`), which can be read "
                f"only once: your line `{used}` used it up, so your line `{again}` found it "
                f"empty. Make a list first, {name} = list(...) or [... for ...] in square "
                f"brackets, and read the list as often as you need")
    return ""


# the built-ins that return an iterator, read once (a second pass over it finds nothing)
_ITERATORS = ("map", "filter", "zip", "iter", "enumerate", "reversed")


def iterator_read_twice(fn: Callable) -> str:
    """The message part (see ``_iterator_read_twice_in``) for the learner's function fn."""
    source = learner_source(fn)
    if source is None:
        return ""
    return _iterator_read_twice_in(source.lines, source.tree)


def _iterator_used_up(exc: BaseException, first: str) -> str:
    """The message when the learner's function failed on an empty array (a reshape of size
    0, an empty stack) and its source reads one iterator twice."""
    if not re.search(r"size 0\b|need at least one array|zero-size|empty", first):
        return ""
    frame = _learner_frame(exc)
    found = _frame_source(frame) if frame else None
    twice = _iterator_read_twice_in(*found) if found else ""
    return f"FAIL: {twice} (then {type(exc).__name__}: {first})" if twice else ""


def _squeezed_input(exc: BaseException, first: str, sizes: dict[int, str]) -> str:
    """The message when np.stack met states of two shapes, one with an extra axis ((N, N, H)
    beside (N, H)), in a function that squeezes its input: what it made of X[:, t] is not
    (N, D)."""
    if not (isinstance(exc, ValueError) and "same shape" in first):
        return ""
    frame = _learner_frame(exc)
    found = _frame_source(frame) if frame else None
    if not found:
        return ""
    squeezes = [n for n in ast.walk(found[1]) if isinstance(n, ast.Call) and (
        _np_call(n) == "squeeze" or isinstance(n.func, ast.Attribute) and
        n.func.attr == "squeeze")]
    lists = [v for v in frame.tb_frame.f_locals.values() if isinstance(v, list) and v and
             all(isinstance(a, np.ndarray) for a in v)]
    grown = any(len({a.ndim for a in v}) > 1 and max(a.ndim for a in v) == 3 and
                any(a.ndim == 3 and a.shape[0] == a.shape[1] for a in v) for v in lists)
    if not (squeezes and grown):
        return ""
    code = found[0][squeezes[0].lineno - 1].strip()
    shapes = _mixed_lists(exc, sizes)
    return (f"FAIL: np.stack met states of different shapes.{shapes} Your line `{code}` squeezes "
            "the input: np.squeeze drops every axis of size 1 (D = 1, and N = 1 too), so what "
            "your loop makes of X[:, t] is not (N, D) for every input, and an input with an "
            "extra axis made a state (N, N, H). Keep X as it is and pass X[:, t], (N, D), for "
            "any D")


# --- the learner's failing line, read with its frame's locals ---------------------------------


def _overwritten_by_out(fn) -> str:
    """ "np.subtract(1.0, z, out=z) overwrites z, which your line `...` reads after: ..." when
    fn's source assigns a numpy call's result to a new name while the call's out= is one of its
    own inputs, and a later line reads that input again (expecting its old values); ""
    otherwise (read on the source: the check has already seen the values wrong)."""
    import inspect

    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return ""
    lines = source.splitlines()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call_node = node.value
        out = next((k.value for k in call_node.keywords if k.arg == "out"), None)
        if isinstance(out, ast.Tuple) and len(out.elts) == 1:
            out = out.elts[0]
        if not isinstance(out, ast.Name):
            continue
        inputs = {a.id for a in call_node.args if isinstance(a, ast.Name)}
        targets = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if out.id not in inputs or not targets or out.id in targets:
            continue
        end = getattr(node, "end_lineno", node.lineno)
        later = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == out.id
                 and isinstance(n.ctx, ast.Load) and n.lineno > end]
        if not later:
            continue
        first = min(later, key=lambda n: n.lineno)
        code = ast.get_source_segment(source, call_node) or "the call"
        reader = lines[first.lineno - 1].strip()
        target = sorted(targets)[0]
        return (f"`{code}` writes its result over {out.id}, so {out.id} and {target} are the "
                f"same array, and your line `{reader}` reads {out.id} after it, getting the new "
                f"values, not the old ones: compute into a new array ({target} = ... without "
                "out=)")
    return ""


def _frame_source(frame) -> tuple[list[str], ast.AST] | None:
    """The dedented source lines and syntax tree of the function whose frame this is."""
    import inspect

    try:
        source = textwrap.dedent(inspect.getsource(frame.tb_frame.f_code))
        return source.splitlines(), ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return None


def _line_tree(line: str | None) -> ast.AST | None:
    """The learner's one line as a syntax tree (a `return` or an `if` head parsed alone)."""
    text = (line or "").strip()
    for attempt in (text, text.rstrip(":") + ": pass", "def _f():\n " + text):
        try:
            return ast.parse(attempt)
        except SyntaxError:
            continue
    return None


def _callable_item(value) -> bool:
    """A function or a method held where a value belongs (not a class, not an array)."""
    return callable(value) and not isinstance(value, type | np.ndarray | np.generic) and \
        hasattr(value, "__name__")


def _uncalled(value, tree: ast.AST | None) -> str:
    """How the learner wrote the callable: "h.copy" (an attribute read, not called, in tree),
    else "a method copy" / "the function f"."""
    name = getattr(value, "__name__", "")
    if tree is not None:
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == name and id(node) not in called:
                return ast.unparse(node)
    owner = getattr(value, "__self__", None)
    if owner is not None and not isinstance(owner, type(np)):
        return f"a method, .{name} of a {type(owner).__name__}"
    return f"the function {name}"


def _callable_in_line(exc, line) -> str:
    """ "your list states holds h.copy, a method, not its value: call it, h.copy()" when the
    line that failed uses a list (or tuple) of the learner's that holds a function or method
    (the brackets of a call forgotten), or a name that holds one where numpy's or Python's
    error shows it met that method; "" otherwise."""
    frame = _learner_frame(exc)
    tree = _line_tree(line)
    if frame is None or tree is None:
        return ""
    local = frame.tb_frame.f_locals
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    found = _frame_source(frame)
    source = found[1] if found else None
    for name in sorted(used):
        value = local.get(name)
        if not isinstance(value, list | tuple) or not value:
            continue
        held = [i for i, v in enumerate(value) if _callable_item(v)]
        # a method of an array (h.copy), or functions among arrays: not a list of functions
        if not held or not (any(isinstance(getattr(value[i], "__self__", None), np.ndarray)
                                for i in held) or
                            any(isinstance(v, np.ndarray) for v in value)):
            continue
        item = value[held[0]]
        how = _uncalled(item, source)
        which = (f"item {held[0]}" if len(held) == 1 else
                 f"items {_index_ranges(held)} of {len(value)}")
        written = how if "." in how and " " not in how else ""
        fix = f": call it, {written}(), to store its value" if written else \
            ": call it, with the brackets, to store its value"
        return (f"FAIL: your line `{line}` fails on {name}, a {type(value).__name__} whose "
                f"{which} {'is' if len(held) == 1 else 'are'} {how}, a "
                f"{'method' if hasattr(item, '__self__') else 'function'} itself, not the "
                f"array it gives ({type(exc).__name__}: {str(exc).splitlines()[0]}){fix}")
    for name in sorted(used):
        value = local.get(name)
        # a local name that holds a method of an array: numpy reads it as a 0-d object
        if _callable_item(value) and isinstance(getattr(value, "__self__", None), np.ndarray):
            how = _uncalled(value, source)
            written = how if "." in how and " " not in how else f"{name}.{value.__name__}"
            return (f"FAIL: your line `{line}` fails on {name}, which holds {written}, a "
                    f"method itself, not the array it gives ({type(exc).__name__}: "
                    f"{str(exc).splitlines()[0]}): call it, {written}()")
    return ""


def _shape_tuple_in_line(exc, line, sizes) -> str:
    """ "N is the tuple (5, 3), a shape, not a number: N = Y.shape[0]" when the line that
    failed does arithmetic on (or counts a range with) a local name that holds a tuple of
    ints (seen in the frame's locals; the assignment that made it is quoted from the source)."""
    frame = _learner_frame(exc)
    tree = _line_tree(line)
    if frame is None or tree is None:
        return ""
    local = frame.tb_frame.f_locals

    def shape_like(value) -> bool:
        return isinstance(value, tuple) and bool(value) and all(
            isinstance(v, int | np.integer) and not isinstance(v, bool) for v in value)

    operands, counts = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp):
            operands += [node.left, node.right]
        elif isinstance(node, ast.AugAssign):
            operands += [node.target, node.value]
        elif isinstance(node, ast.UnaryOp):
            operands.append(node.operand)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "range":
            operands += list(node.args)
            counts |= {a.id for a in node.args if isinstance(a, ast.Name)}
    # tuple + tuple is a shape made longer, not arithmetic on a number
    joined = {id(side) for node in ast.walk(tree) if isinstance(node, ast.BinOp) and
              isinstance(node.op, ast.Add) for side in (node.left, node.right)
              if isinstance(node.left, ast.Tuple) or isinstance(node.right, ast.Tuple) or any(
                  isinstance(s, ast.Name) and isinstance(local.get(s.id), tuple) and
                  s is not side for s in (node.left, node.right))}
    names = [n.id for n in operands if isinstance(n, ast.Name) and id(n) not in joined and
             shape_like(local.get(n.id))]
    first = str(exc).splitlines()[0].strip() if str(exc) else ""
    # the error must be the tuple's: numpy read it as an array (len,), or Python named it
    names = [name for name in names if "'tuple'" in first or (
        "broadcast" in first and f"({len(local[name])},)" in first)]
    if not names:
        return ""
    name = names[0]
    value = tuple(int(v) for v in local[name])
    made, fix = "", ""
    found = _frame_source(frame)
    if found is not None:
        _, source = found
        for node in ast.walk(source):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name) and node.targets[0].id == name:
                made = f" (your line `{ast.unparse(node)}`)"
                shape = node.value
                if isinstance(shape, ast.Attribute) and shape.attr == "shape":
                    fix = ast.unparse(shape)
                elif isinstance(shape, ast.Call) and ast.unparse(shape.func) in (
                        "np.shape", "numpy.shape") and shape.args:
                    fix = f"{ast.unparse(shape.args[0])}.shape"
                break
    size = next((s for s, symbol in sizes.items() if symbol == name), None)
    axis = value.index(size) if size is not None and value.count(size) == 1 else None
    if fix:
        fix = (f": take the one size you mean, {name} = {fix}[{axis}]" if axis is not None else
               f": take the one size you mean, e.g. {name} = {fix}[0]")
    else:
        fix = ": take the one size you mean from the shape, e.g. .shape[0]"
    use = f"counts with {name}" if name in counts else f"does arithmetic with {name}"
    return (f"FAIL: your line `{line}` {use}, but {name} is the tuple "
            f"{value}, a shape, not a number{made} ({type(exc).__name__}: {first}){fix}")


def _reshape_constant(exc, line, first, args, sizes, roles) -> str:
    """ "the 1 in reshape(N, T, 1) stands for D, which is 2 here" when numpy could not reshape
    in the learner's line and one size written as a number is the one that does not fit: the
    array's size over the other sizes is a size of the course (named from the arguments)."""
    found = re.search(r"cannot reshape array of size (\d+) into shape \(([\d, ]*)\)", first)
    tree = _line_tree(line)
    if not found or tree is None:
        return ""
    total = int(found.group(1))
    target = tuple(int(v) for v in found.group(2).split(",") if v.strip())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "reshape"):
            continue
        parts = list(node.args)
        if ast.unparse(node.func) in ("np.reshape", "numpy.reshape"):
            parts = parts[1:]
        if len(parts) == 1 and isinstance(parts[0], ast.Tuple | ast.List):
            parts = list(parts[0].elts)
        if len(parts) != len(target):
            continue
        numbers = [i for i, p in enumerate(parts) if isinstance(p, ast.Constant) and
                   isinstance(p.value, int) and p.value >= 0]
        if len(numbers) != 1:
            continue
        i = numbers[0]
        rest = math.prod(s for j, s in enumerate(target) if j != i)
        if not rest or total % rest or total // rest == target[i]:
            continue
        size = total // rest
        symbol = sizes.get(size)
        if symbol is None or not re.fullmatch(r"[A-Za-z]\w*", symbol):
            continue
        read = ""
        for arg, symbols in roles.items():
            value = args.get(arg)
            axes = _symbols_of(symbols)
            if isinstance(value, np.ndarray) and symbol in axes and \
                    value.shape[axes.index(symbol)] == size:
                read = f" ({symbol} = {arg}.shape[{axes.index(symbol)}])"
                break
        written = "reshape(" + ", ".join(ast.unparse(p) for p in parts) + ")"
        fixed = "reshape(" + ", ".join(symbol if j == i else ast.unparse(p)
                                       for j, p in enumerate(parts)) + ")"
        return (f"FAIL: your line `{line}` cannot reshape {total} values into {target} "
                f"(ValueError: {first}): the {parts[i].value} in {written} stands for "
                f"{symbol}, which is {size} here: write {fixed}{read}, or no reshape where the "
                f"array has its shape already. A size typed in as a number holds for one input "
                f"only")
    return ""


# Python's errors for arithmetic on a list or tuple (which numpy would do elementwise)
_LIST_ARITHMETIC = re.compile(
    r"can't multiply sequence by non-int|unsupported operand type\(s\) for .*'(list|tuple)'|"
    r"can only concatenate (list|tuple)|bad operand type for unary .*'(list|tuple)'")


def _list_arithmetic(exc, line, first) -> str:
    """ "your line `...` does arithmetic on grads, a Python list ...: scale each array,
    [g * factor for g in grads]" when that line uses a list (or tuple) of the learner's that
    holds arrays; "" otherwise."""
    frame = _learner_frame(exc)
    local = frame.tb_frame.f_locals if frame is not None else {}
    names = [name for name, value in local.items() if isinstance(value, list | tuple) and
             value and all(isinstance(v, np.ndarray) for v in value) and
             re.search(rf"\b{re.escape(name)}\b", line or "")]
    if not names or not line:
        return ""
    name = names[0]
    kind = type(local[name]).__name__
    return (f"FAIL: your line `{line}` does arithmetic on {name}, a Python {kind} of "
            f"{len(local[name])} arrays (TypeError: {first}): *, /, + and - do not act on the "
            f"arrays of a {kind}. {name} is a {kind}: scale each array, "
            f"[g * factor for g in {name}] (and [g - h for g, h in zip(...)] for two of them)")


# names that NumPy 2 removed, as older tutorials use them, and what replaces each
_REMOVED_IN_NUMPY_2 = {
    "itemset": "write x.flat[i] = value (or x[i] = value with an index tuple i)",
    "newbyteorder": "use x.view(x.dtype.newbyteorder())",
    "ptp": "use np.ptp(x), or x.max() - x.min()",
    "float_": "use np.float64",
    "complex_": "use np.complex128",
    "NaN": "use np.nan",
    "NAN": "use np.nan",
    "Inf": "use np.inf",
    "Infinity": "use np.inf",
    "PINF": "use np.inf",
    "NINF": "use -np.inf",
    "product": "use np.prod",
    "cumproduct": "use np.cumprod",
    "alltrue": "use np.all",
    "sometrue": "use np.any",
    "asfarray": "use np.asarray(x, dtype=np.float64)",
    "round_": "use np.round",
    "mat": "use np.asarray: the course's arrays are plain ndarrays",
}


def _integer_accumulator(exc, line, where, source: str, target: str) -> str:
    """numpy's casting error (float results written into an integer array, as dU += ... into
    np.zeros(..., dtype=int) does) in the course's terms, naming the array when the line or the
    learner's variables show it."""
    names: list[str] = []
    try:
        statement = ast.parse(line or "").body[0]
    except (SyntaxError, IndexError):
        statement = None
    if isinstance(statement, ast.AugAssign):
        target_node = statement.target
        while isinstance(target_node, ast.Subscript | ast.Attribute):
            target_node = target_node.value
        if isinstance(target_node, ast.Name):
            names.append(target_node.id)
    for node in ast.walk(statement) if statement is not None else ():
        if isinstance(node, ast.keyword) and node.arg == "out" and isinstance(node.value, ast.Name):
            names.append(node.value.id)
    frame = _learner_frame(exc)
    local = frame.tb_frame.f_locals if frame is not None else {}
    if not names:
        names = [name for name, value in local.items() if isinstance(value, np.ndarray)
                 and value.dtype == np.dtype(target) and value.ndim >= 1]
    array = f"{listing(names)} {'is an array' if len(names) == 1 else 'are arrays'}" if names \
        else "the array it writes into is one"
    return (f"FAIL: numpy refused to write {source} values into integers{where}: {array} of "
            f"integers ({target}), made with an integer dtype (np.zeros(..., dtype=int), or "
            "np.zeros_like of an integer array). Make it float64: np.zeros(shape), or "
            "np.zeros_like(W, dtype=float)")


# --- where a wrong answer goes wrong: the same function on special inputs ---------------------


def agrees(fn: Callable, args: dict[str, object], expected: Sequence, count: int) -> bool:
    """Whether fn(*args) returns expected (a sequence of count arrays, or one array if 1)."""
    result = call(fn, args, {}, {})
    values = unpack(result, [f"output {i}" for i in range(count)])
    expected = [expected] if count == 1 else list(expected)
    for value, want in zip(values, expected, strict=True):
        require_float64(value, "output")
        got = np.asarray(value, dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if got.shape != want.shape or not relative_error(got, want) < 1e-9:
            return False
    return True


def localize(
    failure: Failure,
    probes: Sequence[tuple[str, Callable[[], bool]]],
    conclude: Callable[[set[str], set[str]], str | None] | None = None,
) -> Failure:
    """failure, with the special inputs on which the function is right and wrong added, when
    its message says only that the values are wrong (and some probe comes out right).

    Parameters
    ----------
    failure : Failure
        The checker's failure on its usual inputs.
    probes : sequence of (str, callable)
        (label, run) pairs; run() says whether the learner's function agrees with rnnlib's on
        the label's inputs ("with b = 0", "with k = 1").
    conclude : callable, optional
        (the labels of the probes that came out right, those that came out wrong) -> what that
        shows in the course's terms ("so the bias is what goes wrong: ..."), or None when it
        shows nothing for sure. A probe on which the function raised is in neither set.

    Returns
    -------
    Failure
    """
    text = str(failure)
    if "right shape but wrong values" not in text and "times the same factor" not in text:
        return failure
    right, wrong, raised = [], [], []
    for label, probe in probes:
        try:
            (right if probe() else wrong).append(label)
        except (Failure, NotYet):
            raised.append(label)
    conclusion = conclude(set(right), set(wrong)) if conclude else None
    if not right and not conclusion:
        return failure
    seen = (f"It is right {', '.join(right)}" + (f"; wrong {', '.join(wrong)}" if wrong else "")
            if right else f"It is wrong {', '.join(wrong)} too")
    if raised:
        seen += f" (it raises an error {', '.join(raised)})"
    if conclusion:  # the probes locate the part: the located line, after what was seen
        return Failure(f"{text}\n{WHERE} {seen[0].lower()}{seen[1:]}: {conclusion}.")
    return Failure(f"{text}\n{seen}.")


# --- where a wrong answer first departs: its parts compared one by one ------------------------

WHERE = "Where it goes wrong:"
# what a message says when it names no slip: only then is a located line added
_OBSERVED_ONLY = ("right shape but wrong values", "times the same factor",
                  "is wrong: relative error", "differs from the exact one")


def observed_only(text: str) -> bool:
    """Whether a FAIL message says only what it observed (no slip named, no part located)."""
    return WHERE not in text and any(o in text for o in _OBSERVED_ONLY)


@dataclass(frozen=True)
class Part:
    """One part of a learner's answer, compared with rnnlib's on its own.

    name: how messages name it ("delta_t", "dU's rows H:2H (the update gate z)", "states[2]").
    right: whether it matches (to TOLERANCE); None if it was not compared.
    needs: the names of the parts it is computed from (within the same answer).
    equation: the line of code that makes it, in the course's terms ("dW_t = delta_t.T @
    h_prev"): what the learner should look at when it is the first part to go wrong.
    """

    name: str
    right: bool | None
    needs: tuple[str, ...] = ()
    equation: str = ""


def listing(names: Sequence[str]) -> str:
    """ ["a"] -> "a"; ["a", "b", "c"] -> "a, b and c"."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def locate(parts: Sequence[Part], lead: str = "") -> str:
    """The "Where it goes wrong: ..." line for parts compared one by one, or "".

    The parts to look at are the wrong ones whose own inputs (needs) are all right: the first
    place where the answer departs from rnnlib's. Each is named with its equation; the wrong
    parts computed from them are listed as following from them (they may hold no slip of
    their own). Nothing is said when no part is wrong, or when every wrong part is computed
    from a part that was not compared.

    Parameters
    ----------
    parts : sequence of Part
        In the order the messages list them.
    lead : str
        An observation put first ("with k = 1 it is right").

    Returns
    -------
    str
        The line, or "" when the parts locate nothing.
    """
    known = {p.name: p for p in parts}
    wrong = [p for p in parts if p.right is False]
    first = [p for p in wrong if all(known[n].right is True for n in p.needs if n in known)]
    if not first:
        return ""
    right = [p.name for p in parts if p.right is True]
    after = [p.name for p in wrong if p not in first]
    text = f"{listing(right)} {'is' if len(right) == 1 else 'are'} right; " if right else ""
    made = sorted({n for p in first for n in p.needs if n in known}, key=list(known).index)
    text += listing([p.name for p in first])
    if made:
        text += f", made from {listing(made)},"
    text += f" {'is' if len(first) == 1 else 'are'} wrong"
    if after:
        text += (f" ({listing(after)}, made from {'it' if len(first) == 1 else 'them'}, "
                 f"{'follows' if len(after) == 1 else 'follow'})")
    equations = [p.equation for p in first if p.equation]
    if equations:
        text += ": look at " + "; and at ".join(equations)
    return f"{WHERE} {lead}{text}"


def _index_ranges(indices: Sequence[int]) -> str:
    """ [0, 1, 2, 5] -> "0 .. 2 and 5"."""
    runs, start = [], None
    for i, j in enumerate(indices):
        if start is None:
            start = j
        if i + 1 == len(indices) or indices[i + 1] != j + 1:
            runs.append(str(start) if start == j else f"{start} .. {j}")
            start = None
    return listing(runs)


def rows_or_columns(got: np.ndarray, expected: np.ndarray, rows: tuple[str, str, str],
                    columns: tuple[str, str, str]) -> str:
    """The located line when some rows (or columns) of a 2-D answer are right and the others
    hold zeros, as a loop over them that misses some leaves them; "" otherwise.

    Parameters
    ----------
    got, expected : numpy.ndarray
        The learner's answer and rnnlib's, of one shape (K, M).
    rows, columns : tuple of str
        How each axis is named: (the plural, what its size is, how a loop over it runs), e.g.
        ("units", "H", "for j in range(H), H = W.shape[0]").

    Returns
    -------
    str
    """
    if got.ndim != 2 or got.shape != expected.shape:
        return ""
    for axis, (plural, size, loop) in ((1, columns), (0, rows)):
        count = got.shape[axis]
        if count < 2:
            continue
        parts = [np.take(got, i, axis=axis) for i in range(count)]
        wants = [np.take(expected, i, axis=axis) for i in range(count)]
        wrong = [i for i in range(count) if relative_error(parts[i], wants[i]) >= TOLERANCE]
        if not wrong or len(wrong) == count:
            continue
        right = [i for i in range(count) if i not in wrong]
        kind = "column" if axis == 1 else "row"
        if any(np.any(parts[i]) for i in wrong):
            continue  # computed, but wrong: no sign of a loop that misses them
        held = (" and hold zeros, as if never computed" if len(wrong) > 1 else
                " and holds zeros, as if never computed")
        if wrong == list(range(count - len(wrong), count)):
            which = (f"the last {len(wrong)} of the {count}" if len(wrong) > 1 else
                     f"the last of the {count}, {kind} {size} - 1,")
            look = f"look at the range of your loop over the {plural} ({loop})"
        elif wrong == list(range(len(wrong))):
            which = (f"the first {len(wrong)}" if len(wrong) > 1 else f"the first, {kind} 0,")
            look = f"look at where your loop over the {plural} starts ({loop})"
        else:
            which = f"{kind}s {_index_ranges(wrong)}"
            look = f"look at how your code picks the {plural}"
        verb = "are" if len(wrong) > 1 else "is"
        good = (f"the {plural} ({kind}s) {_index_ranges(right)} are right" if len(right) > 1
                else f"{kind} {right[0]} is right")
        return f"{WHERE} {good}; {which} {verb} wrong{held}: {look}"
    return ""


def without_comment(line: str) -> str:
    """A source line without its trailing # comment (a # inside a string stays)."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return line
    comment = next((t for t in tokens if t.type == tokenize.COMMENT), None)
    return line[:comment.start[1]].rstrip() if comment else line


def with_location(failure: Failure, line: str) -> Failure:
    """failure with the located line added, if its message only says what it observed.

    Parameters
    ----------
    failure : Failure
        The checker's failure.
    line : str
        A "Where it goes wrong: ..." line (from ``locate`` or a checker's own), or "".

    Returns
    -------
    Failure
        failure itself when line is "" or failure already names a slip or a part.
    """
    text = str(failure)
    if not line or not observed_only(text):
        return failure
    return Failure(f"{text}\n{line}")


def matches(value, expected) -> bool | None:
    """Whether value equals expected to TOLERANCE; None if it is no float array of that shape.

    Parameters
    ----------
    value : object
        What the learner returned for one output (any array-like).
    expected : numpy.ndarray
        rnnlib's value, of any shape.

    Returns
    -------
    bool or None
        None when value is not numeric, has another shape or holds NaN or infinite values.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    expected = np.asarray(expected, dtype=np.float64)
    if array.shape != expected.shape or not np.all(np.isfinite(array)):
        return None
    return bool(relative_error(array, expected) < TOLERANCE)


def first_departure(got: np.ndarray, expected: np.ndarray) -> int | None:
    """The first index along axis 0 where got departs from expected (to TOLERANCE), or None.

    Parameters
    ----------
    got, expected : numpy.ndarray
        Of one shape (K, ...): states (T + 1, N, H), windows (N, T, D), targets (N, D), ...

    Returns
    -------
    int or None
    """
    for i in range(len(expected)):
        if relative_error(np.asarray(got[i]), np.asarray(expected[i])) >= TOLERANCE:
            return i
    return None


# --- reading what it returned ---------------------------------------------------------------


def expect_none_or(result) -> None:
    """NotYet if result is None and every call so far returned None (the stub); a Failure if
    an earlier call of this check returned something (a path of the function has no return)."""
    if result is None:
        record = _RETURNED.get() or []
        some = [where for _, where, none in record if not none]
        if some and record[-1][2]:
            nones = [where for _, where, none in record if none]
            this = nones[-1] if nones else ""
            with_this = f" with {this}" if this else " on one of the checker's input sets"
            other = f" (it returned values with {some[0]})" if some[0] and some[0] != this else (
                " (it returned values on another input set)")
            raise Failure(
                f"FAIL: your function returned None{with_this}{other}: a path of your function "
                "ends without a return (an if whose other branch has none?). Every path must "
                "return the result, e.g. the input unchanged where there is nothing to change")
        raise NotYet()


def unpack(result, names: Sequence[str], expected: Sequence | None = None) -> list:
    """The learner's result as a list of len(names) values, or a Failure saying what came back.

    With expected (rnnlib's values), values that are all there but in another order are named
    (confirmed on the values, not only on the shapes).
    """
    expect_none_or(result)
    listing = ", ".join(names)
    if len(names) == 1:
        if isinstance(result, tuple | list) and not _is_nested_numbers(result):
            raise Failure(
                f"FAIL: your function returned {describe_value(result)}; "
                f"return one array, {names[0]}")
        return [result]
    if not isinstance(result, tuple | list):
        raise Failure(
            f"FAIL: your function returned {describe_value(result)}; return {len(names)} "
            f"separate values as a tuple: return {listing}")
    if len(result) != len(names):
        raise Failure(
            f"FAIL: your function returned {describe_value(result)}; return exactly "
            f"{len(names)}: {listing}")
    missing = [n for n, r in zip(names, result, strict=True) if r is None]
    if missing:
        raise NotYet(f"NOT YET: your function returned None for {', '.join(missing)} — "
                     "write it above and run this cell again")
    if expected is not None:
        _check_order(list(result), list(expected), names)
    return list(result)


def _check_order(values: list, expected: list, names: Sequence[str]) -> None:
    def same(a, b) -> bool:
        try:
            a = np.asarray(a, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        b = np.asarray(b, dtype=np.float64)
        return a.shape == b.shape and bool(np.all(np.isfinite(a))) and \
            relative_error(a, b) < MATCH

    if all(same(v, e) for v, e in zip(values, expected, strict=True)):
        return
    where = [next((j for j, e in enumerate(expected) if same(v, e)), None) for v in values]
    if None not in where and sorted(where) == list(range(len(names))) and \
            where != list(range(len(names))):
        got = ", ".join(names[j] for j in where)
        raise Failure(f"FAIL: your function returns the right values in another order "
                      f"({got}): return {', '.join(names)}")
    for i, value in enumerate(values):
        if same(value, expected[i]):
            continue
        # only a result of another shape than its own: one of the same shape can be a slip in
        # its formula that happens to give another result's values (delta_t without the tanh
        # derivative is g_t)
        # and only the very same array returned twice (return dU, dU): one computed with
        # another input (d.T @ x_t for dW_t) has dU_t's values too, and its own hint
        other = next((j for j, e in enumerate(expected) if j != i and same(value, e) and
                      np.shape(e) != np.shape(expected[i]) and values[j] is value), None)
        if other is None or not same(values[other], expected[other]):
            continue
        summed = (np.ndim(values[other]) == np.ndim(expected[i]) + 1 and
                  same(np.sum(values[other], axis=0), expected[i]))
        raise Failure(
            f"FAIL: your {names[i]} is {names[other]}: it holds {names[other]}'s values (you "
            f"return {names[other]} twice: return {', '.join(names)})"
            + (f"; {names[i]} is {names[other]} summed over the records, "
               f"{names[other]}.sum(axis=0)" if summed else ""))


def _is_nested_numbers(value) -> bool:
    """A list of numbers (or of lists of numbers) that np.asarray reads as one array."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return array.ndim >= 1 and not any(isinstance(v, np.ndarray) for v in value)


_DIGITS = {"float16": 3, "float32": 7}  # decimal digits that each keeps


def require_float64(value, name: str) -> None:
    """A Failure if value is a float array or number of another dtype than float64."""
    raw = value if isinstance(value, np.ndarray | np.generic) else None
    if raw is None and isinstance(value, list | tuple):
        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):
            raw = None
    if isinstance(value, np.ndarray) and value.dtype == object:
        items = list(value.ravel()[:50])
        kind = ("Python lists" if all(isinstance(v, list | tuple) for v in items) else
                "arrays" if all(isinstance(v, np.ndarray) for v in items) else
                "numbers, each kept as a Python object" if all(
                    isinstance(v, int | float | np.number) for v in items) else "Python objects")
        own = name if name.isidentifier() else "..."
        raise Failure(
            f"FAIL: {name} is an object array (dtype=object, of {kind}), not a float64 "
            f"array: make it a float64 array, e.g. np.array({own}, dtype=float) or np.stack "
            "of the items (dtype=object keeps each item as a Python object, and numpy's "
            "arithmetic on it is slow and not float64)")
    if raw is not None and raw.dtype.kind in "iub":
        raise Failure(
            f"FAIL: {name} holds integers ({raw.dtype}): an array made with dtype=int (or "
            "np.zeros_like of an int array) cuts every value to a whole number. Make it "
            "float64, e.g. np.zeros((...))")
    if raw is not None and raw.dtype.kind in "fc" and raw.dtype != np.float64:
        raise Failure(
            f"FAIL: {name} is {raw.dtype} but must be float64 (numpy's default)."
            + (f" {raw.dtype} keeps about {_DIGITS[raw.dtype.name]} digits: too few for "
               "the checks here (which compare to 1e-10) and for gradient checks (notebook 03's "
               "then blames a correct BPTT)."
               if raw.dtype.name in _DIGITS else "")
            + f" Remove the .astype(np.{raw.dtype}) or dtype=np.{raw.dtype} that made it")


def confirmed(text: str, value) -> Callable[[np.ndarray], str | None]:
    """A shape hint for as_array that names its slip only if the learner's array is value."""
    value = np.asarray(value, dtype=np.float64)

    def hint(array: np.ndarray) -> str | None:
        same = array.shape == value.shape and relative_error(array, value) < MATCH
        return text if same else None

    return hint


def as_array(
    value,
    name: str,
    expected: np.ndarray,
    symbols: str,
    sizes: dict[int, str],
    shape_hints: dict[tuple[int, ...], str | Callable[[np.ndarray], str | None]] | None = None,
) -> np.ndarray:
    """value as a float64 array of expected's shape with finite values, or a Failure.

    Parameters
    ----------
    value : object
        What the learner returned for this output.
    name, symbols : str
        The output's name and its shape in symbols, for the messages.
    expected : numpy.ndarray
        rnnlib's answer: its shape is the one wanted.
    sizes : dict
        Each dimension size -> its symbol.
    shape_hints : dict, optional
        A wrong shape -> the slip that explains it, as a text, or as a function of the learner's
        array that returns the text only when the values confirm the slip (None otherwise, and
        the message then says what is observed).

    Returns
    -------
    numpy.ndarray
        value as float64.

    Raises
    ------
    Failure
        If value is not numeric, is float32 (or another dtype than float64), has another shape,
        or holds NaN or infinite values.
    """
    methods = _held_callables(value)
    if methods:
        raise Failure(f"FAIL: {name} {methods}")
    if isinstance(value, list | tuple):
        raise Failure(_python_list(value, name, expected, symbols, sizes))
    require_float64(value, name)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(
            f"FAIL: {name} should be an array of shape {symbols} = {tuple(expected.shape)}, "
            f"got {describe_value(value)}") from None
    shape = tuple(array.shape)
    if shape != expected.shape:
        raise Failure(_shape_message(array, name, expected, symbols, sizes, shape_hints or {}))
    if not np.all(np.isfinite(array)):
        raise Failure(f"FAIL: {name} holds NaN or infinite values")
    return array


def _held_callables(value) -> str:
    """ "holds 6 methods, .copy of an ndarray, ..." when a returned list or object array holds
    functions or methods where arrays belong (a call's brackets forgotten); "" otherwise."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        items = list(value.ravel())
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return ""
    held = [v for v in items if _callable_item(v)]
    if not held:
        return ""
    owner = getattr(held[0], "__self__", None)
    kind = "method" if owner is not None and not isinstance(owner, type(np)) else "function"
    how = (f".{held[0].__name__} of "
           f"{'an array' if isinstance(owner, np.ndarray) else 'a ' + type(owner).__name__}"
           if kind == "method" else held[0].__name__)
    count = (f"{len(held)} {kind}s" if len(held) > 1 else f"a {kind}") + f" ({how})"
    return (f"holds {count} where arrays belong: a {kind} named without its brackets (a.copy, "
            f"not a.copy()) is the {kind} itself, and a list, np.array or np.stack keeps it as "
            f"it is. Call it, with the brackets, to store the array it gives")


def _python_list(value, name, expected, symbols, sizes) -> str:
    """ "X is a Python list (of 6 arrays): return a numpy array, e.g. np.array(X)": a list or
    tuple where one array is expected (numpy would read it, the notebook's next cells would
    not: a list has no .shape, and + and * on it do not act on its numbers)."""
    kind = type(value).__name__
    items = list(value)
    if items and all(isinstance(v, np.ndarray) for v in items):
        inside = f"{len(items)} array{'s' if len(items) != 1 else ''}"
        shapes = list(dict.fromkeys(tuple(v.shape) for v in items))
        if len(shapes) == 1:
            inside += f" of shape {shape_text(shapes[0], sizes)}"
    elif items and all(isinstance(v, list | tuple) for v in items):
        inside = f"{len(items)} {kind}s"
    elif items and all(isinstance(v, int | float | np.number) for v in items):
        inside = f"{len(items)} number{'s' if len(items) != 1 else ''}"
    else:
        inside = f"{len(items)} value{'s' if len(items) != 1 else ''}"
    own = name if re.fullmatch(r"[A-Za-z_]\w*", name) else "..."
    return (f"FAIL: {name} is a Python {kind} (of {inside}), not a numpy array: return a numpy "
            f"array of shape {symbols} = {tuple(expected.shape)}, e.g. np.array({own}) (or "
            f"np.stack): a {kind} has no .shape, and + and * on it do not act on its numbers, "
            "so the notebook's next cells fail")


# what one entry along an axis of each symbol is, for the messages
_NOUNS = {"N": "record", "O": "output", "H": "unit", "D": "input", "T": "step"}


def _shape_message(array, name, expected, symbols, sizes, hints) -> str:
    shape = tuple(array.shape)
    message = (f"FAIL: {name} has shape {shape_text(shape, sizes, symbols, expected.shape)}, "
               f"expected {symbols} = {tuple(expected.shape)}")
    hint = hints.get(shape)
    if callable(hint):
        hint = hint(array)
    if hint:
        return f"{message}: {hint}"
    if array.ndim == 0 and expected.size > 1:
        total = float(np.sum(expected))
        how = ("the sum of the right values" if np.isclose(float(array), total, rtol=1e-9,
                                                            atol=0.0) else
               "the mean of the right values" if np.isclose(float(array), total / expected.size,
                                                             rtol=1e-9, atol=0.0) else "")
        seen = f" (it is {how})" if how else ""
        nouns = [_NOUNS.get(symbol) for symbol in _symbols_of(symbols)]
        each = (" and ".join(nouns) if nouns and None not in nouns else "position")
        return (f"{message}: {name} is one number{seen} where an array {symbols} is expected, "
                f"one entry for each {each}: a sum or mean over all its axes (np.sum or "
                "np.mean without axis=, or float()) is one too many; keep every entry")
    outer = _outer_of_records(array, expected)
    if outer:
        return f"{message}: {outer}"
    shares = _shares_not_summed(array, expected, sizes)
    if shares:
        return f"{message}: {shares}"
    if expected.ndim == 1 and array.ndim == 2 and shape in ((1, expected.shape[0]),
                                                           (expected.shape[0], 1)) and \
            np.allclose(array.ravel(), expected, rtol=1e-9, atol=0.0):
        return f"{message}: {_kept_as_2d(name, shape, symbols, expected)}"
    if expected.ndim >= 2 and shape == expected.shape[1:] and expected.shape[0] > 1 and \
            np.allclose(array, expected[0], rtol=1e-9, atol=0.0):
        return (f"{message}: it holds the first record's values only (row 0); return the "
                "rows of all N records")
    squeezed = tuple(s for s in expected.shape if s != 1)
    if shape == squeezed and len(shape) < expected.ndim:
        return (f"{message}: an axis of size 1 was dropped (np.squeeze, .ravel(), [:, 0] or a "
                "sum without keepdims). Keep every axis, even when a size is 1 as in the "
                "course's D = 1 and O = 1")
    n = expected.shape[0] if expected.ndim else 0
    if expected.ndim == 2 and expected.shape[1] == 1 and n > 1 and shape == (n, n):
        return (f"{message}: an (N,) array met an (N, 1) one, and numpy broadcast the two into "
                "an (N, N) table. Keep both as (N, 1) (no [:, 0], no .ravel())")
    if expected.ndim >= 1 and n > 1 and shape == (n,) + expected.shape:
        diagonal = array[np.arange(n), np.arange(n)]
        if np.allclose(diagonal, expected, rtol=1e-9, atol=0.0):
            axes = _symbolic(expected.shape, sizes)
            table = _symbolic(shape, sizes)
            return (f"{message}: numpy broadcast an array {axes} against one with a new axis "
                    f"(an [:, None], np.newaxis or reshape), into a table {table} that pairs "
                    f"every record with every other; its diagonal holds the right values. Use "
                    f"the arrays as they are, {axes} both (no [:, None])")
    if len(shape) == 2 and shape == expected.shape[::-1]:
        if np.allclose(array.T, expected, rtol=1e-9, atol=0.0):
            return f"{message}: that is its transpose"
        return message
    for axis in range(expected.ndim):
        if expected.shape[axis] < 2:
            continue
        symbol = symbols.strip("()").split(", ")[axis] if "," in symbols else "axis"
        for how, reduce in (("mean", np.mean), ("sum", np.sum)):
            for keep in (True, False):
                reduced = reduce(expected, axis=axis, keepdims=keep)
                if reduced.shape == shape and np.allclose(array, reduced, rtol=1e-9, atol=0.0):
                    return (f"{message}: it is the {how} of the right values over axis {axis} "
                            f"({symbol}): keep that axis, one entry for each of the "
                            f"{expected.shape[axis]}")
    if array.ndim == expected.ndim >= 3 and sorted(shape) == sorted(expected.shape):
        import itertools

        for order in itertools.permutations(range(expected.ndim)):
            moved = np.transpose(expected, order)
            if moved.shape == shape and np.allclose(array, moved, rtol=1e-9, atol=0.0):
                axes = ", ".join(str(order.index(i)) for i in range(expected.ndim))
                return (f"{message}: it holds the right values with the axes in another order; "
                        f"put them back with .transpose({axes}), or stack on the axis that "
                        f"{symbols} wants")
    if array.ndim == expected.ndim and array.ndim >= 1:
        differ = [i for i in range(array.ndim) if shape[i] != expected.shape[i]]
        if len(differ) == 1 and shape[differ[0]] < expected.shape[differ[0]]:
            axis, size = differ[0], shape[differ[0]]
            for part, which in ((slice(0, size), "first"), (slice(-size, None), "last")):
                index = [slice(None)] * array.ndim
                index[axis] = part
                if np.allclose(array, expected[tuple(index)], rtol=1e-9, atol=0.0):
                    symbol = symbols.strip("()").split(", ")[axis] if "," in symbols else "axis"
                    return (f"{message}: it holds only the {which} {size} of the "
                            f"{expected.shape[axis]} entries along axis {axis} ({symbol}); keep "
                            "them all")
    if array.ndim == expected.ndim >= 1 and shape[0] == expected.shape[0] + 1 and \
            shape[1:] == expected.shape[1:] and expected.shape[0] >= 1:
        noun = ("window" if name == "X" and symbols == "(N, T, D)" else
                _NOUNS.get(_symbols_of(symbols)[0], "item") if "," in symbols else "item")
        if np.allclose(array[1:], expected, rtol=1e-9, atol=0.0):
            copy = next((j for j in range(expected.shape[0]) if np.allclose(
                array[0], expected[j], rtol=1e-9, atol=0.0)), None)
            if copy is not None:
                return (f"{message}: {name}[1:] is right, and {name}[0] is a second copy of "
                        f"{name}[{copy}]: the first {noun} was put in before the loop and "
                        f"the loop adds it again. Make every {noun} in the loop only")
            seed = ("it is all zeros: " if not np.any(array[0]) else "")
            return (f"{message}: {name}[1:] is right, so the first {noun} ({name}[0]) is one "
                    f"too many and not one of the right ones ({seed}a seed made with np.empty "
                    f"or np.zeros that np.append or np.concatenate kept). Start from an empty "
                    f"list, append each {noun} and stack them once (np.stack, np.array), or "
                    f"drop the seed")
        if np.allclose(array[:-1], expected, rtol=1e-9, atol=0.0):
            return (f"{message}: {name}[:-1] is right, so the last {noun} is one too many: "
                    f"look at the range of your loop")
    if array.size == expected.size and array.size > 1 and np.allclose(
            array.reshape(expected.shape), expected, rtol=1e-9, atol=0.0):
        extra = [i for i, n in enumerate(array.shape) if n == 1 and
                 array.shape[:i] + array.shape[i + 1:] == expected.shape]
        if array.ndim == expected.ndim + 1 and extra:
            return (f"{message}: it holds the right values with an extra axis of length 1 "
                    f"(axis {extra[0]}, as a window over two axes or a [:, None] makes): "
                    f"drop it, np.squeeze({name}, axis={extra[0]}), or make {name} with the "
                    f"shape {symbols} from the start")
        return (f"{message}: it holds the right values, flattened or reshaped; keep the shape "
                f"{symbols} (no .ravel(), .flatten() or reshape)")
    return message


def _kept_as_2d(name: str, shape: tuple[int, ...], symbols: str, expected: np.ndarray) -> str:
    """What a 1-D result returned in 2-D with the right values is: a row (1, n) or a column
    (n, 1), and how it comes about."""
    inner = symbols.strip("()").rstrip(",").strip() or "n"
    n = expected.shape[0]
    what = ("a 2-D (1, 1) array" if n == 1 else
            f"a row (1, {inner})" if shape[0] == 1 else f"a column ({inner}, 1)")
    return (f"it holds the right values, as {what}: {name} is 1-D, {symbols}. A sum with "
            "keepdims=True keeps the summed axis, and [None, :], [:, None] or a reshape add "
            f"one: leave them out (e.g. .sum(axis=0), no keepdims), so that {name} comes out "
            "1-D")


def _outer_of_records(array: np.ndarray, expected: np.ndarray) -> str:
    """What np.outer of two (N, ...) arrays made, when array (K A, K B) is that table and
    expected (A, B) the sum over the K records of each record's outer product; "" otherwise."""
    if array.ndim != 2 or expected.ndim != 2:
        return ""
    for table, transposed in ((array, False), (array.T, True)):
        (rows, cols), (a, b) = table.shape, expected.shape
        k = cols // b
        if cols % b or k < 2 or rows % k or rows // k != a:
            continue
        # g blocks stacked along rows (a GRU's three gates, np.vstack of one np.outer each):
        # each block is (K A/g, K B); g = 1 is one plain np.outer
        found = False
        for g in (g for g in range(1, a + 1) if a % g == 0):
            blocks = table.reshape(g, k, a // g, k, b)
            summed = np.einsum("giaib->gab", blocks).reshape(a, b)
            if relative_error(summed, expected) < 1e-9:
                found = True
                break
        if found:
            turn = (" (and your factors are in the other order: the result is (A, B) for a.T @ b "
                    "with a (N, A), b (N, B))" if transposed else "")
            return ("np.outer flattens its arguments, so it multiplied every value of one "
                    "array by every value of the other, across all N records. The shares of all "
                    "N records together are a matrix product, a.T @ b (a sum over the records), "
                    f"or the sum of np.outer(a[n], b[n]) over the records n{turn}")
    return ""


def _shares_not_summed(array: np.ndarray, expected: np.ndarray, sizes: dict[int, str]) -> str:
    """ "one share per record, not summed: ..." when array has one more leading axis (of size
    >= 2) than expected and its sum over that axis is expected (its slices not all the same);
    "" otherwise."""
    if array.ndim != expected.ndim + 1 or array.shape[1:] != expected.shape or \
            array.shape[0] < 2 or not np.issubdtype(array.dtype, np.number) or \
            not np.any(expected):
        return ""
    if not np.all(np.isfinite(array)) or relative_error(array.sum(axis=0), expected) > 1e-9:
        return ""
    if np.allclose(array, array[:1], rtol=1e-9, atol=0.0):
        return ""
    symbol = sizes.get(array.shape[0], str(array.shape[0]))
    whose = "record" if symbol == "N" else "step" if symbol == "T" else "entry of axis 0"
    return (f"it holds one share per {whose} ({symbol} of them, along axis 0), not summed: "
            f"their sum over axis 0 is the right result. Sum over the {whose}s (np.sum(..., "
            "axis=0)), or let a matrix product do the sum (a.T @ b)")


def constant_factor(got: np.ndarray, expected: np.ndarray) -> str:
    """ "1/3", "-1", "sqrt(2)" when got is expected times one number (not 1), else ""; a number
    that is no simple fraction (nor its square root) is not printed: its digits could move."""
    scale = float(np.vdot(expected, expected))
    if scale == 0.0 or got.size < 2:
        return ""
    factor = float(np.vdot(got, expected)) / scale
    if abs(factor - 1.0) < 1e-6 or factor == 0.0 or relative_error(got, factor * expected) > 1e-9:
        return ""
    for value, root in ((factor, ""), (factor * abs(factor), "sqrt")):
        simple = Fraction(value).limit_denominator(64)
        if abs(float(simple) - value) < 1e-9 * abs(value) and abs(simple.numerator) <= 64:
            text = str(simple) if not root else f"sqrt({simple})"
            return f"-{text}" if root and factor < 0 else text
    return "one number, not a simple fraction"


def _clamped(got: np.ndarray, expected: np.ndarray) -> str:
    """ "the 11 of its 12 values beyond ±1 are cut to ±1 ..." when got is expected with the
    values beyond a bound c cut to ±c (np.clip), the others right; "" otherwise."""
    bound = float(np.max(np.abs(got))) if got.size else 0.0
    beyond = np.abs(expected) > bound * (1 + 1e-9)
    inside = ~beyond & (expected != 0)
    if bound == 0.0 or not beyond.any() or not inside.any() or \
            relative_error(got, np.clip(expected, -bound, bound)) >= MATCH:
        return ""
    c = f"{bound:g}" if abs(bound - round(bound, 2)) < 1e-9 * bound else "one bound"
    count = int(beyond.sum())
    return (f"the {count} of its {got.size} values that lie beyond ±{c} are cut to ±{c}, and "
            f"the others are right: a np.clip (or np.minimum / np.maximum) cuts them. Keep the "
            "values as computed: where the course clips, it scales the whole gradient by its "
            "norm, after BPTT (clip_gradients), and never cuts single values")


def shared_factor(values: Sequence, expected: Sequence) -> str:
    """ "1/3" when every value is its expected array times one and the same number (not 1),
    as constant_factor names it; "" otherwise (or when a value is no float array of its
    expected's shape)."""
    flat_got, flat_want = [], []
    for value, want in zip(values, expected, strict=True):
        if matches(value, want) is None:
            return ""
        flat_got.append(np.ravel(np.asarray(value, dtype=np.float64)))
        flat_want.append(np.ravel(np.asarray(want, dtype=np.float64)))
    if not flat_got:
        return ""
    return constant_factor(np.concatenate(flat_got), np.concatenate(flat_want))


def name_slip(
    name: str,
    got: np.ndarray,
    slips: Sequence[tuple[str, np.ndarray]],
    context: str = "",
    plural: bool = False,
    expected: np.ndarray | None = None,
) -> None:
    """A Failure naming the slip whose output got matches, if one does; else nothing.

    Several slips that match (they give the same values on these inputs) are all listed, and
    none is claimed. A slip whose output is the right answer on these inputs (to MATCH, as a
    scaling "although below the threshold" is where clipping must act) proves nothing and is
    never named.
    """
    matched = []
    for text, wrong in slips:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape != got.shape or not np.all(np.isfinite(wrong)) or text in matched:
            continue
        apart = relative_error(wrong, expected) if expected is not None else np.inf
        if apart <= TOLERANCE:
            continue  # the slip changes nothing on these inputs: it proves nothing
        # a slip whose values are close to the right ones (a float32 rounding) is named only
        # when the learner's values are far closer to it than it is to the right ones
        if relative_error(got, wrong) < min(MATCH, 1e-3 * apart):
            matched.append(text)
    verb = "are" if plural else "is"
    if len(matched) == 1:
        raise Failure(f"FAIL: {name} {verb} wrong{context}: {matched[0]}")
    if matched:
        either = "; or ".join(f"({i}) {text}" for i, text in enumerate(matched, 1))
        raise Failure(f"FAIL: {name} {verb} wrong{context}, in the way of one of these slips, "
                      f"which give the same values here: {either}")


def diagnose(
    name: str,
    got: np.ndarray,
    expected: np.ndarray,
    slips: Sequence[tuple[str, np.ndarray]] = (),
    context: str = "",
    plural: bool = False,
    observed: str = "",
    close: str = " or a small term left out",
) -> float:
    """The relative error of got, if it passes; else a Failure naming the slip it matches.

    Parameters
    ----------
    name : str
        What got is, for the message ("h_t", "the trained parameters").
    got, expected : numpy.ndarray
        The learner's answer and rnnlib's, of one shape.
    slips : sequence of (str, numpy.ndarray)
        The usual wrong variants on the same inputs: the text that names each, and its output.
        One that got matches to a relative 1e-6 is named; several that match (they give the
        same values on these inputs) are all listed, none claimed.
    context : str
        Appended to name in the message (" with k = 3 of T = 6 steps").
    plural : bool
        Whether name is plural ("are wrong").
    observed : str
        What the checker saw, added to the message when no slip matches ("states[0] ..
        states[2] are right").

    Returns
    -------
    float
        The relative error, below TOLERANCE.

    Raises
    ------
    Failure
        Naming the slip that got matches, or else saying how far off it is.
    """
    error = relative_error(got, expected)
    if passes(error):
        return error
    verb = "are" if plural else "is"
    name_slip(name, got, slips, context, plural, expected)
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and relative_error(
            expected, expected.T) > MATCH and relative_error(got, expected.T) < MATCH:
        raise Failure(f"FAIL: {name} {verb} wrong{context}: that is the transpose of the right "
                      "matrix (a product taken in the other order)")
    clamped = _clamped(got, expected)
    if clamped:
        raise Failure(f"FAIL: {name} {verb} wrong{context}: {clamped}")
    factor = constant_factor(got, expected)
    if factor:
        raise Failure(f"FAIL: {name} {verb} wrong{context}: every value is the right one times "
                      f"the same factor, {factor}: look for a factor that is missing, doubled, "
                      "inverted or of the wrong sign")
    for decimals in range(1, 9):  # rounded for printing (np.round(p, 3)), seen on the values
        rounded = np.round(expected, decimals)
        scale = float(np.max(np.abs(expected))) or 1.0
        if not np.array_equal(rounded, expected) and relative_error(got, rounded) < MATCH and \
                np.allclose(got, np.round(got, decimals), rtol=0.0, atol=1e-12 * scale):
            raise Failure(f"FAIL: {name} {verb} wrong{context}: {name} {verb} rounded to "
                          f"{decimals} decimal{'s' if decimals > 1 else ''} (np.round): keep "
                          "the values as computed; round only what you print")
    if error < FLOAT32 and np.array_equal(got.astype(np.float32).astype(np.float64), got):
        raise Failure(
            f"FAIL: {name} {verb} close but not equal to rnnlib's{context}: relative error "
            f"{magnitude(error)} (must be < {TOLERANCE_TEXT}), and every value is a float32 "
            f"number: look for a float32 step (np.float32, dtype=np.float32, .astype){close}")
    if error < FLOAT32:
        raise Failure(
            f"FAIL: {name} {verb} close but not equal to rnnlib's{context}: relative error "
            f"{magnitude(error)} (must be < {TOLERANCE_TEXT}): look for a small term left out "
            f"or added, or a value clamped or cut in a corner of the inputs{close}")
    have = "have" if plural else "has"
    raise Failure(f"FAIL: {name} {have} the right shape but wrong values{context}: relative "
                  f"error {magnitude(error)} (must be < {TOLERANCE_TEXT}){observed}")
