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

from rnnlib._checks import check_inputs, check_static, check_targets, positive_float, real_array
from rnnlib.bptt import truncation_steps
from rnnlib.losses import check_loss_targets, get_loss
from rnnlib.model import Params, check_params, forward


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to the array ``x``.

    Each element of x is perturbed in place, by +eps and -eps, and restored exactly afterwards;
    f must read x (e.g. a closure over it), so that it sees the perturbation. Two calls of f per
    element: meant for small arrays.

    Parameters
    ----------
    f : callable
        A function of no arguments returning a float, e.g. the loss, that reads ``x``.
    x : array, any shape
        A float64 numpy array, contiguous (it is perturbed in place through a flat view).
    eps : float
        The step (default 1e-6), finite and > 0.

    Returns
    -------
    array of x's shape
        (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) at each element i.

    Raises
    ------
    TypeError
        For an f that is not callable, an x that is not a float64 numpy array, an eps that is
        not a number.
    ValueError
        For an x that is not contiguous, an eps that is not finite and > 0.
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
    eps = positive_float(eps, "eps")
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
    """||a - b|| / max(||a|| + ||b||, 1e-300), L2 norms over all elements.

    Relative, so that one threshold (about 1e-7 in float64) judges gradients of any size; the
    floor 1e-300 makes two zero arrays agree (0) instead of dividing by zero.

    Parameters
    ----------
    a, b : array, any shape (one shape for both)
        Real numbers (NaN allowed: the result is then NaN).

    Returns
    -------
    float
        0 for equal arrays, at most 1.

    Raises
    ------
    TypeError
        For an argument that is not real numbers.
    ValueError
        For a and b of different shapes (or ragged nested lists).
    """
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

    With held_state None it is computed from params; pass it explicitly when differentiating
    numerically, so that it stays fixed while params are perturbed: then the numerical gradient
    is that of truncated BPTT (rnnlib.bptt). With k = T (or None) this is the ordinary loss.

    Parameters
    ----------
    params : Params
        The plain cell's parameters.
    X : array (N, T, D)
        Inputs.
    Y : array (N, O)
        Targets (one-hot rows, or class weights >= 0, for "cross_entropy").
    activation : str
        "tanh" or "sigmoid".
    truncation : int or None
        k >= 1, the truncation depth (None or k >= T: full BPTT).
    held_state : array (N, H) or None
        The value of h_{T-k} to hold. Used as the state before the last k steps whenever given,
        also with k = T (then as h_0).
    static : array (N, S) or None
        Features for h_0 = tanh(A s + a) when params has A (with k = T and no held_state, h_0 is
        recomputed from them, so the loss depends on A and a; with k < T it does not).
    loss : str
        "mse" or "cross_entropy" (rnnlib.losses).

    Returns
    -------
    float
        The loss of the predictions from h_T.

    Raises
    ------
    TypeError, ValueError
        For a truncation that is not an integer >= 1, an unknown loss, or params, X, Y, static,
        held_state or activation of the wrong kind or shape (rnnlib._checks).
    """
    loss_function = get_loss(loss)
    X = check_inputs(check_params(params), X)
    Y = check_loss_targets(loss, check_targets(params, Y, X.shape[0]))
    T = X.shape[1]
    k = truncation_steps(truncation, T)
    if held_state is None and k < T:
        held_state = forward(params, X[:, : T - k], activation, static=static)[1].states[-1]
    if held_state is not None:
        Y_hat, _ = forward(params, X[:, T - k :], activation, h0=held_state)
    else:
        Y_hat, _ = forward(params, X, activation, static=static)
    return loss_function(Y_hat, Y)[0]


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
    definition of truncated BPTT in rnnlib.bptt, so the result can be compared with
    rnnlib.loss_and_gradients at the same truncation (gradient_errors). Slow: two forward passes
    per parameter element; meant for small models.

    Parameters
    ----------
    params : Params
        The plain cell's parameters (not modified: a copy is perturbed).
    X : array (N, T, D)
        Inputs.
    Y : array (N, O)
        Targets (for "cross_entropy": class weights >= 0, O >= 2 classes).
    activation : str
        "tanh" or "sigmoid".
    truncation : int or None
        k >= 1, the truncation depth (None or k >= T: full BPTT).
    eps : float
        The central-difference step (default 1e-6), finite and > 0.
    static : array (N, S) or None
        Static features, required when params has A, as in rnnlib.bptt's loss_and_gradients.
    loss : str
        "mse" (the default) or "cross_entropy".

    Returns
    -------
    Params
        Gradients of the arrays of params, of their shapes: U (H, D), W (H, H), V (O, H), b (H,),
        c (O,) (and A (H, S), a (H,)).

    Raises
    ------
    TypeError, ValueError
        For params that are not a consistent Params, inputs, targets or static features of the
        wrong kind or shape, an unknown loss or activation, or a truncation that is not an
        integer >= 1 (rnnlib._checks).
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


def gradient_errors(analytic, numerical) -> dict[str, float]:
    """Relative error per parameter name between two sets of gradients, of any cell.

    Parameters
    ----------
    analytic, numerical : Params, GRUParams or LSTMParams
        Gradients of the same cell holding the same arrays (for Params both with or both
        without A, a), e.g. from rnnlib.loss_and_gradients and numerical_gradients.

    Returns
    -------
    dict of str to float
        relative_error of each array, keyed by its name ("U", "W", "V", "b", "c", ...).

    Raises
    ------
    TypeError
        For an argument that is not a Params, GRUParams or LSTMParams, two of different cells,
        or arrays that are not real numbers.
    ValueError
        For gradients holding different arrays, or arrays of different shapes.
    """
    from rnnlib.gated import GRUParams
    from rnnlib.lstm import LSTMParams

    for name, grads in (("analytic", analytic), ("numerical", numerical)):
        if not isinstance(grads, Params | GRUParams | LSTMParams):
            raise TypeError(
                f"{name} must be rnnlib Params, GRUParams or LSTMParams of gradients, got "
                f"{type(grads).__name__}"
            )
    if type(analytic) is not type(numerical):
        raise TypeError(f"analytic and numerical must be gradients of the same cell, got "
                        f"{type(analytic).__name__} and {type(numerical).__name__}")
    if [n for n, _ in analytic.items()] != [n for n, _ in numerical.items()]:
        raise ValueError(
            f"analytic and numerical must hold the same arrays, got "
            f"{[n for n, _ in analytic.items()]} and {[n for n, _ in numerical.items()]}"
        )
    return {
        name: relative_error(a, b)
        for (name, a), (_, b) in zip(analytic.items(), numerical.items(), strict=True)
    }
