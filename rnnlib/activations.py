"""Activation functions of the hidden layer and their derivatives.

The recurrent step is ``h_t = f(a_t)`` with pre-activation ``a_t``. Backpropagation needs
``f'(a_t)``; for both activations here it is a function of the output ``h_t`` alone, so the
backward pass never has to keep ``a_t``:

- tanh:    f(a) = tanh(a),          f'(a) = 1 - h**2
- sigmoid: f(a) = 1 / (1 + e^(-a)), f'(a) = h * (1 - h)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def sigmoid(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-a)) elementwise, any shape.

    Computed as ``(1 + np.tanh(a / 2)) / 2``, which is exact algebra and never overflows
    (the naive formula warns for a < -709). Absolute error below 3e-16; for very negative a,
    where the value is below 1e-16, that is all of it (it returns 0 from about a = -38 on).
    Nothing is checked. (tanh itself is numpy's np.tanh; the recurrent loops use the in-place
    forms below.)

    Parameters
    ----------
    a : array, any shape
        Pre-activations, real numbers (a / 2 is a new array, so integer arrays, lists, Python
        scalars and out=a work).
    out : array of float64, a's shape, or None
        Where to write the result (may be ``a`` itself); a new array if None.

    Returns
    -------
    array of a's shape
        ``out``, holding sigmoid(a).
    """
    out = np.tanh(np.multiply(a, 0.5), out=out)
    out += 1.0
    out *= 0.5
    return out


def tanh_derivative(h: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """tanh'(a) written through the output h = tanh(a): 1 - h**2.

    The backward pass keeps h_t, not a_t: the derivative needs nothing else. Nothing is checked.

    Parameters
    ----------
    h : array, any shape
        Outputs tanh(a).
    out : array of float64, h's shape, or None
        Where to write the result (may be ``h`` itself); a new array if None.

    Returns
    -------
    array of h's shape
        1 - h**2.
    """
    out = np.multiply(h, h, out=out)
    np.subtract(1.0, out, out=out)
    return out


def sigmoid_derivative(h: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """sigmoid'(a) written through the output h = sigmoid(a): h * (1 - h).

    The backward pass keeps h_t, not a_t: the derivative needs nothing else. Nothing is checked.

    Parameters
    ----------
    h : array, any shape
        Outputs sigmoid(a).
    out : array of float64, h's shape, or None
        Where to write the result (not ``h`` itself: h is read after out is written); a new
        array if None.

    Returns
    -------
    array of h's shape
        h * (1 - h).
    """
    out = np.subtract(1.0, h, out=out)
    out *= h
    return out


def sigmoid_of_negated(a: np.ndarray) -> np.ndarray:
    """In place: ``a`` holds -x, and becomes sigma(x) = 1 / (1 + exp(-x)); returns ``a``.

    The recurrent loops negate their weights' sigmoid rows once, so that a step's matrix
    product gives -x directly. exp may overflow to inf, which gives the right limit 0: call
    inside np.errstate(over="ignore"). Nothing is checked (a float64 array).

    Parameters
    ----------
    a : array of float64, any shape
        -x, overwritten with sigma(x).

    Returns
    -------
    array of a's shape
        ``a`` itself, holding sigma(x).
    """
    np.exp(a, out=a)
    a += 1.0
    return np.reciprocal(a, out=a)


def tanh_of_scaled(a: np.ndarray) -> np.ndarray:
    """In place: ``a`` holds -2x, and becomes tanh(x) = 2 / (1 + exp(-2x)) - 1; returns ``a``.

    The recurrent loops scale their weights by -2 once (exact in floating point), so that a
    step's matrix product gives -2x directly: one exp and three cheap passes, no temporary.
    Where numpy's float64 tanh is not vectorised (AVX2 CPUs: about twice exp's time, see
    TOOLING.md) this is the fastest tanh; see ``NUMPY_TANH_VECTORISED`` for the others. The
    values agree with np.tanh to about 4e-16 in absolute terms; relatively, near 0, where
    1 - exp(-2x) cancels, the error grows like 1e-16 / |x| (1e-12 at |x| = 1e-4), harmless for
    a hidden state, whose absolute error is what reaches the next step. Overflow as above.

    Parameters
    ----------
    a : array of float64, any shape
        -2x, overwritten with tanh(x).

    Returns
    -------
    array of a's shape
        ``a`` itself, holding tanh(x).
    """
    np.exp(a, out=a)
    a += 1.0
    np.divide(2.0, a, out=a)
    a -= 1.0
    return a


def _numpy_tanh_vectorised() -> bool:
    """Whether numpy runs float64 tanh through its AVX-512 kernel on this CPU (as numpy's own
    dispatch report, numpy.lib.introspect.opt_func_info, says)."""
    try:
        from numpy.lib.introspect import opt_func_info

        target = opt_func_info(func_name="^tanh$", signature="float64")["tanh"]["dd"]["current"]
    except (ImportError, KeyError, TypeError):
        return False
    return target == "X86_V4" or target.startswith("AVX512")


# The recurrent loops' tanh. numpy's float64 tanh has a vectorised kernel for AVX-512 only: there
# one np.tanh pass is faster than tanh_of_scaled's four (100 x 100: about 12 against 17 us) and,
# with the batch split in two threads, costs each thread fewer handovers of Python's lock per
# step (bench_epoch's 2-thread epoch 7 % shorter on an AVX-512 host); elsewhere np.tanh is
# scalar code, about twice exp's time, and tanh_of_scaled is used. The two agree to about 4e-16.
NUMPY_TANH_VECTORISED = _numpy_tanh_vectorised()


def _numpy_tanh_in_place(a: np.ndarray) -> np.ndarray:
    return np.tanh(a, out=a)


def tanh_into(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = tanh(a), with the recurrent loops' tanh (``NUMPY_TANH_VECTORISED``); ``out`` may be
    ``a``. Nothing is checked (float64 arrays of one shape); call inside
    np.errstate(over="ignore") (tanh_of_scaled's exp overflows to inf for large negative a).

    Parameters
    ----------
    a : array of float64, any shape
        Pre-activations (not modified unless ``out`` is ``a``).
    out : array of float64, a's shape
        Where to write the result (may be ``a`` itself).

    Returns
    -------
    array of a's shape
        ``out``, holding tanh(a).
    """
    if NUMPY_TANH_VECTORISED:
        return np.tanh(a, out=out)
    np.multiply(a, -2.0, out=out)
    return tanh_of_scaled(out)


@dataclass(frozen=True)
class Activation:
    """A hidden-layer activation as the recurrent loops use it: ``of_scaled(scale * a)``, in
    place, is f(a) (np.tanh, tanh_of_scaled, sigmoid_of_negated), and ``derivative(h, out)`` is
    f'(a) from h = f(a)."""

    name: str
    derivative: Callable[..., np.ndarray]
    scale: float
    of_scaled: Callable[[np.ndarray], np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "tanh": (Activation("tanh", tanh_derivative, 1.0, _numpy_tanh_in_place)
             if NUMPY_TANH_VECTORISED else
             Activation("tanh", tanh_derivative, -2.0, tanh_of_scaled)),
    "sigmoid": Activation("sigmoid", sigmoid_derivative, -1.0, sigmoid_of_negated),
}


def get_activation(name: str) -> Activation:
    """Look up an activation by name.

    Parameters
    ----------
    name : str
        "tanh" or "sigmoid".

    Returns
    -------
    Activation
        Its name, ``derivative(h, out)``, ``scale`` and ``of_scaled``.

    Raises
    ------
    TypeError
        For a name that is not a string.
    ValueError
        For an unknown name.
    """
    if not isinstance(name, str):
        raise TypeError(f"activation must be one of {sorted(ACTIVATIONS)} (a string), "
                        f"got {type(name).__name__}")
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}"
        ) from None
