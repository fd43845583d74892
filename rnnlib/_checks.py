"""Input checks shared by rnnlib's public entry points.

Every check raises ``ValueError`` naming the argument, what was expected and what was given,
so that a learner never meets a broadcasting error from deep inside a computation.
"""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str, ndim: int, what: str) -> np.ndarray:
    """Return ``value`` as a float64 array of rank ``ndim``, finite and non-empty.

    ``what`` describes the expected shape in words, e.g. ``"(N, T, D)"``.
    """
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {what}, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, but it holds {bad} NaN or infinite value(s)")
    return array


def positive_int(value, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, checking that it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def positive_float(value, name: str) -> float:
    """Return ``value`` as a float, checking that it is finite and > 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def generator(rng, name: str = "rng") -> np.random.Generator:
    """Check that ``rng`` is a ``numpy.random.Generator`` (randomness is always explicit)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng
