"""What every checker shares: calling the learner's function safely, reading what it returned,
and turning a wrong answer into a message in the course's terms.

A checker runs the learner's function on fixed, seeded inputs and returns a Verdict whose text
starts with PASS, FAIL or NOT YET. To say *why* an answer is wrong, it also runs the usual wrong
variants (a missing transpose, a missing derivative factor, ...) on the same inputs and names
the one whose output the learner's matches. Every printed error is a bound ("< 1e-12",
"above 1e-02"), never digits that rounding on another CPU could move.
"""

from __future__ import annotations

import math
import re
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnlib.gradcheck import relative_error

TOLERANCE = 1e-7
TOLERANCE_TEXT = "1e-7"
FLOOR = 1e-12  # errors below this are rounding only and are printed as "< 1e-12"
MATCH = 1e-6  # a learner's output this close to a known wrong variant is that variant

NOT_YET = "NOT YET: your function returned None — write it above and run this cell again"

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


def run_checks(body: Callable[[], str]) -> Verdict:
    """Run a checker's body; its return value is the PASS text, a Failure or NotYet the rest."""
    try:
        return Verdict("PASS", body())
    except NotYet as not_yet:
        return Verdict("NOT YET", str(not_yet))
    except Failure as failure:
        return Verdict("FAIL", str(failure))


# --- shapes in the course's terms ----------------------------------------------------------


def shape_text(shape: tuple[int, ...], sizes: dict[int, str]) -> str:
    """(3, 4) -> "(3, 4) = (N, H)" when sizes maps 3 to N and 4 to H; plain when none map."""
    shape = tuple(int(s) for s in shape)
    plain = str(shape) if len(shape) != 1 else f"({shape[0]},)"
    names = [sizes.get(s, str(s)) for s in shape]
    if not any(s in sizes for s in shape):
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


def _learner_line(exc: BaseException) -> str | None:
    """The last line of the learner's own code in the traceback (not numpy's, not rnnlib's)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.startswith(_PACKAGE_DIRS) or frame.filename == __file__:
            continue
        return (frame.line or "").strip() or None
    return None


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
    if "shapes" in message and "not aligned" in message:
        return "a matrix product (np.dot) whose inner sizes do not match"
    return None


def call(
    fn: Callable,
    args: dict[str, object],
    sizes: dict[int, str],
    roles: dict[str, str],
    hint: str = "",
    shared: tuple[str, ...] = (),
) -> object:
    """Call fn on copies of the named args; the result, or a Failure saying what went wrong.

    args: name -> value (arrays, lists of arrays, or anything else, passed as is).
    sizes: each dimension size of the inputs -> its symbol (all different by construction).
    roles: name -> expected shape in symbols, e.g. "(N, H)", for the messages.
    hint: what to check first when numpy raises a shape error.
    Also fails if the function changed one of its array inputs in place, except those named in
    shared, which are passed as they are (an array that the function must perturb and restore).
    """
    copies = {name: value if name in shared else _copy(value) for name, value in args.items()}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*copies.values())
    except Exception as exc:  # the learner's code may raise anything
        raise Failure(_exception_text(exc, args, sizes, roles, hint)) from None
    for name, value in args.items():
        if name not in shared and not _same(copies[name], value):
            raise Failure(
                f"FAIL: your function changed its input {name} in place. Leave the inputs "
                "as they were: compute new arrays (a = a * s, not a *= s; or work on a copy)"
            )
    return result


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


def _exception_text(exc, args, sizes, roles, hint) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else "(no message)"
    line = _learner_line(exc)
    where = f" in your line `{line}`" if line else ""
    shapes = ", ".join(
        f"{name} {roles[name]} = {shape_text(value.shape, {}).strip()}"
        for name, value in args.items() if isinstance(value, np.ndarray) and name in roles)
    translated = _translate_shape_error(first, sizes) if isinstance(exc, ValueError) else None
    if translated:
        message = f"FAIL: numpy met {translated}{where}. The arguments are {shapes}."
        return message + (f"\nHint: {hint}" if hint else "")
    if isinstance(exc, IndexError):
        return (f"FAIL: your function raised IndexError{where}: {first}. "
                f"The arguments are {shapes}: check the range of your loop and the axis you index.")
    return f"FAIL: your function raised {type(exc).__name__}{where}: {first}"


# --- reading what it returned ---------------------------------------------------------------


def expect_none_or(result) -> None:
    if result is None:
        raise NotYet()


def unpack(result, names: Sequence[str]) -> list:
    """The learner's result as a list of len(names) values, or a Failure saying what came back."""
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
    return list(result)


def _is_nested_numbers(value) -> bool:
    """A list of numbers (or of lists of numbers) that np.asarray reads as one array."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return array.ndim >= 1 and not any(isinstance(v, np.ndarray) for v in value)


def as_array(
    value,
    name: str,
    expected: np.ndarray,
    symbols: str,
    sizes: dict[int, str],
    shape_hints: dict[tuple[int, ...], str] | None = None,
) -> np.ndarray:
    """value as a float64 array of expected's shape with finite values, or a Failure."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(
            f"FAIL: {name} should be an array of shape {symbols} = {tuple(expected.shape)}, "
            f"got {describe_value(value)}") from None
    shape = tuple(array.shape)
    if shape != expected.shape:
        hints = shape_hints or {}
        message = (f"FAIL: {name} has shape {shape_text(shape, sizes)}, expected {symbols} "
                   f"= {tuple(expected.shape)}")
        if shape in hints:
            message += f": {hints[shape]}"
        elif len(shape) == 2 and shape == expected.shape[::-1]:
            message += ": that is its transpose"
        raise Failure(message)
    if not np.all(np.isfinite(array)):
        raise Failure(f"FAIL: {name} holds NaN or infinite values")
    return array


def diagnose(
    name: str,
    got: np.ndarray,
    expected: np.ndarray,
    slips: Sequence[tuple[str, np.ndarray]] = (),
    context: str = "",
) -> float:
    """The relative error of got, if it passes; else a Failure naming the slip it matches."""
    error = relative_error(got, expected)
    if passes(error):
        return error
    for text, wrong in slips:
        wrong = np.asarray(wrong, dtype=np.float64)
        if wrong.shape == got.shape and np.all(np.isfinite(wrong)) and \
                relative_error(got, wrong) < MATCH:
            raise Failure(f"FAIL: {name} is wrong{context}: {text}")
    raise Failure(f"FAIL: {name} has the right shape but wrong values{context}: relative error "
                  f"{magnitude(error)} (must be < {TOLERANCE_TEXT})")
