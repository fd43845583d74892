"""Stand-ins for another CPU's rounding: every initial weight moved by a relative 1e-12.

NumPy and BLAS pick their SIMD kernels at run time, and different kernels round the last bits of a
result differently; a long or chaotic training run amplifies that to the first digits. The course's
stored outputs must therefore hold on every CPU by construction: a printed digit, a status word or
a verdict must not change when the initial weights change in their twelfth digit.

The test of that (``tests/variants.py``, README "The same digits on every CPU"; the hook itself in
``tests/test_rounding.py``) runs every notebook with the environment variable
``RNNLIB_INIT_JITTER`` set to an integer seed. Then every function that draws initial weights
(``init_params``, ``init_gru``, ``init_lstm`` and, through them, the tutorial's and the explorer's
initialisations; ``rnnlib.tutorial.literal.literal_init``) returns each weight array W multiplied
elementwise by 1 + 1e-12 u, with u ~ uniform(-1, 1) drawn from a ``numpy.random.Generator``
seeded by the jitter seed and the array's own bytes: a random direction that differs between
arrays and between seeds, the same in every run. Zero biases stay zero. The random numbers the
caller's generator yields are not changed. Unset, nothing happens.
"""

from __future__ import annotations

import os
import zlib

import numpy as np

ENV = "RNNLIB_INIT_JITTER"
RELATIVE = 1e-12


def jitter_seed() -> int | None:
    """The seed in RNNLIB_INIT_JITTER, or None when it is unset or empty.

    Returns
    -------
    int or None
        The variable's value (surrounding whitespace ignored) as an int, None if unset or empty.

    Raises
    ------
    ValueError
        For a value that is not an integer.
    """
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{ENV} must be an integer seed, got {value!r}") from None


def moved(weights: np.ndarray, seed: int) -> np.ndarray:
    """``weights`` moved by a relative 1e-12 in the random direction numbered ``seed``.

    Parameters
    ----------
    weights : numpy.ndarray
        Any shape, float64.
    seed : int
        Picks the direction, together with the array's own bytes.

    Returns
    -------
    numpy.ndarray
        A new array of the same shape, ``weights * (1 + 1e-12 * u)`` with u ~ uniform(-1, 1)
        elementwise, drawn from ``default_rng([seed, crc32(weights.tobytes())])``.
    """
    weights = np.asarray(weights, dtype=np.float64)
    direction = np.random.default_rng([seed, zlib.crc32(weights.tobytes())])
    return weights * (1.0 + RELATIVE * direction.uniform(-1.0, 1.0, weights.shape))


def jittered(weights: np.ndarray) -> np.ndarray:
    """``weights`` moved by a relative 1e-12 in a random direction if RNNLIB_INIT_JITTER is set.

    Parameters
    ----------
    weights : numpy.ndarray
        Freshly drawn initial weights, any shape, float64.

    Returns
    -------
    numpy.ndarray
        The same array when the variable is unset; else ``moved(weights, seed)``.
    """
    seed = jitter_seed()
    return weights if seed is None else moved(weights, seed)
