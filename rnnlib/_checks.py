"""Input checks shared by rnnlib's public entry points.

Every check raises ``ValueError`` (a bad value or shape) or ``TypeError`` (a wrong kind of
object: a string, a dict, a complex array, something not callable) naming the argument, what was
expected and what was given, so that a learner never meets a broadcasting error from deep inside
a computation.
"""

from __future__ import annotations

import numpy as np


def real_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a float64 array of any shape (real numbers only, NaN allowed).

    TypeError for strings (e.g. a file name where an array belongs), complex numbers (their
    imaginary part would be dropped), None, dicts and other objects that are not numbers;
    ValueError for ragged nested lists.
    """
    if isinstance(value, str | bytes):
        raise TypeError(
            f"{name} must be an array of numbers, got the string {value!r} (to use a file, "
            f"read it first, e.g. numpy.loadtxt(path, delimiter=','))"
        )
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must hold real numbers, got a complex array (dtype {array.dtype}); "
            f"pass its real part or its magnitude explicitly"
        )
    if kind not in "biuf":
        got = type(value).__name__ if array.ndim == 0 else f"an array of dtype {array.dtype}"
        raise TypeError(f"{name} must be an array of real numbers, got {got}")
    return array.astype(np.float64, copy=False)


def finite_array(value, name: str) -> np.ndarray:
    """``real_array`` that must also be non-empty and hold no NaN or infinite value."""
    array = real_array(value, name)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, but it holds {bad} NaN or infinite value(s)")
    return array


def as_float_array(value, name: str, ndim: int, what: str) -> np.ndarray:
    """Return ``value`` as a float64 array of rank ``ndim``, finite and non-empty.

    ``what`` describes the expected shape in words, e.g. ``"(N, T, D)"``.
    """
    array = real_array(value, name)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {what}, got shape {array.shape}")
    return finite_array(array, name)


def positive_int(value, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, checking that it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def positive_float(value, name: str) -> float:
    """Return ``value`` as a float, checking that it is finite and > 0."""
    if isinstance(value, str | bytes | bool | complex | np.bool_ | np.complexfloating):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a positive number, got {value!r}") from None
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def generator(rng, name: str = "rng") -> np.random.Generator:
    """Check that ``rng`` is a ``numpy.random.Generator`` (randomness is always explicit)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng


def callable_or_none(value, name: str, what: str):
    """Check that ``value`` is None or callable (``what`` says how it is called); return it."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function {what} or None, got {type(value).__name__}")
    return value
