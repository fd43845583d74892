"""Gradient checking: compare an analytic gradient with central differences.

The numerical gradient of a scalar function f with respect to an array x is, element by element,

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error shrinks like eps**2. Use float64: in float32 the rounding error of f swamps it.
Two gradients a and b agree when their relative error

    ||a - b|| / max(||a|| + ||b||, tiny)

(L2 norms over all elements) is small: below about 1e-7 for a correct gradient in float64.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib._checks import check_inputs, check_static, check_targets, real_array
from rnnlib.bptt import truncation_steps
from rnnlib.losses import check_loss_targets, get_loss
from rnnlib.model import Params, check_params, forward


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to the array ``x``.

    f: a function of no arguments that reads ``x`` (e.g. a closure). x: a float64 array of any
    shape, perturbed in place one element at a time and restored exactly afterwards.
    Returns an array of x's shape.
    """
    if not callable(f):
        raise TypeError(
            f"f must be a function of no arguments returning the loss, got {type(f).__name__}"
        )
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"{type(x).__name__} of {getattr(x, 'dtype', type(x).__name__)}"
        raise TypeError(
            f"x must be a float64 numpy array that f reads (it is perturbed in place), got {got}"
        )
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        f_plus = f()
        flat[i] = saved - eps
        f_minus = f()
        flat[i] = saved
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / max(||a|| + ||b||, 1e-300), norms over all elements; a and b of one shape."""
    a = real_array(a, "a")
    b = real_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


def truncated_loss(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    truncation: int | None = None,
    held_state: np.ndarray | None = None,
    *,
    static: np.ndarray | None = None,
    loss: str = "mse",
) -> float:
    """The loss as a function of params with h_{T-k} held constant (k = truncation depth).

    X: (N, T, D), Y: (N, O). held_state: (N, H), the value of h_{T-k} to hold; if None it is
    computed from params (pass it explicitly when differentiating numerically, so that it
    stays fixed while params are perturbed). With k = T (or None) this is the ordinary loss.
    static: (N, S) features for h_0 = tanh(A s + a) when params has A (with k = T, h_0 is
    recomputed from them, so the loss depends on A and a; with k < T it does not).
    loss: "mse" or "cross_entropy" (rnnlib.losses).
    """
    T = X.shape[1]
    k = truncation_steps(truncation, T)
    if held_state is None and k < T:
        held_state = forward(params, X[:, : T - k], activation, static=static)[1].states[-1]
    if held_state is not None:
        Y_hat, _ = forward(params, X[:, T - k :], activation, h0=held_state)
    else:
        Y_hat, _ = forward(params, X, activation, static=static)
    return get_loss(loss)(Y_hat, Y)[0]


def numerical_gradients(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    truncation: int | None = None,
    eps: float = 1e-6,
    *,
    static: np.ndarray | None = None,
    loss: str = "mse",
) -> Params:
    """Central-difference gradients of the (truncated) loss for every parameter.

    The truncated loss holds h_{T-k} at its value under the unperturbed params, which is the
    definition of truncated BPTT in rnnlib.bptt. static, loss: as in rnnlib.bptt's
    loss_and_gradients. Returns Params of gradients. Slow: two forward passes per parameter
    element; meant for small models.
    """
    params = check_params(params).copy()
    get_loss(loss)
    X = check_inputs(params, X)
    Y = check_loss_targets(loss, check_targets(params, Y, X.shape[0]))
    static = check_static(params, static, X.shape[0])
    T = X.shape[1]
    k = truncation_steps(truncation, T)
    held = (forward(params, X[:, : T - k], activation, static=static)[1].states[-1]
            if k < T else None)

    def value() -> float:
        return truncated_loss(params, X, Y, activation, k, held_state=held, static=static,
                              loss=loss)

    return Params(*(numerical_gradient(value, array, eps) for _, array in params.items()))


def gradient_errors(analytic: Params, numerical: Params) -> dict[str, float]:
    """Relative error per parameter name between two sets of gradients."""
    for name, grads in (("analytic", analytic), ("numerical", numerical)):
        if not isinstance(grads, Params):
            raise TypeError(
                f"{name} must be a rnnlib Params of gradients, got {type(grads).__name__}"
            )
    if [n for n, _ in analytic.items()] != [n for n, _ in numerical.items()]:
        raise ValueError(
            f"analytic and numerical must hold the same arrays, got "
            f"{[n for n, _ in analytic.items()]} and {[n for n, _ in numerical.items()]}"
        )
    return {
        name: relative_error(a, b)
        for (name, a), (_, b) in zip(analytic.items(), numerical.items(), strict=True)
    }
