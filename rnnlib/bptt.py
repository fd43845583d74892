"""Backpropagation through time (BPTT) for a many-to-one loss (rnnlib.losses).

Notation as in rnnlib.model: a_t = U x_t + W h_{t-1} + b, h_t = f(a_t), y_hat = V h_T + c.
Going backwards from the loss, with delta_t = dL/da_t (N, H) and g_t = dL/dh_t (N, H):

    g_T     = dL/dy_hat V                    (the loss sees only the last state; dL/dy_hat
                                              comes from the loss, see rnnlib.losses)
    delta_t = g_t * f'(a_t)                  (elementwise; f' written through h_t)
    g_{t-1} = delta_t W                      (the error flows one step further back)

and each step that the error reaches adds its share to the shared weights:

    dU = sum_t delta_t^T x_t,   dW = sum_t delta_t^T h_{t-1},   db = sum_t delta_t,
    dV = dL/dy_hat^T h_T,       dc = sum over records of dL/dy_hat.

Static features: h_0 = tanh(A s + a)
------------------------------------
When the model computes its initial state from static features s (rnnlib.model), the error
that reaches h_0 is g_0 = delta_1 W, and

    delta_0 = g_0 * (1 - h_0^2),   dA = delta_0^T s,   da = sum over records of delta_0.

What the truncation depth k (defined below) means for h_0: the error flows back through the
last k steps and h_{T-k} is held constant. h_0 is h_{T-k} only when k >= T, so A and a receive
a gradient only under full BPTT (k >= T or None); for k < T their gradients are exactly zero,
the gradient of the truncated loss, in which h_{T-k} no longer depends on A or a. To train A
and a, use full BPTT (or windows no longer than k).

Truncation depth k (the definition used everywhere in this course)
-------------------------------------------------------------------
With truncation depth k, the error flows back through the last k steps only: the sums above
run over t = T-k+1 .. T. This equals the exact gradient of the loss in which the state
h_{T-k} is held constant (treated as an input, not as a function of U, W, b). k = 1 keeps
only the last step (dW = delta_T^T h_{T-1}); k >= T, or k = None, is full BPTT.
"""

from __future__ import annotations

import numpy as np

from rnnlib._checks import positive_int
from rnnlib._threads import one_blas_thread
from rnnlib.activations import get_activation
from rnnlib.losses import get_loss
from rnnlib.model import (
    ForwardCache,
    Params,
    check_inputs,
    check_params,
    check_static,
    check_targets,
    forward,
    time_major,
)


def truncation_steps(truncation: int | None, T: int) -> int:
    """Number of steps k the error flows back through: min(truncation, T); T if None."""
    if truncation is None:
        return T
    return min(positive_int(truncation, "truncation"), T)


def backward_into(
    dY_hat: np.ndarray,
    params: Params,
    Xt: np.ndarray,
    states: np.ndarray,
    activation: str,
    k: int,
    deltas: np.ndarray,
    static: np.ndarray | None = None,
) -> Params:
    """BPTT with no checks, writing delta_t into ``deltas``; used by ``backward`` and training.

    dY_hat: (N, O); Xt: (T, N, D) time-major inputs; states: (T + 1, N, H);
    k: steps to backpropagate through, 1 <= k <= T; deltas: (T, N, H) buffer, whose first
    T - k steps are set to zero; static: (N, S) features that made h_0 (when params has A).
    Returns the gradients as Params.
    """
    T, N, H = deltas.shape
    D = Xt.shape[2]
    derivative = get_activation(activation).derivative
    first = T - k  # index into deltas of the earliest step the error reaches
    deltas[:first] = 0.0
    reached = deltas[first:]
    # f'(a_t) for every reached step at once, written into the buffer the deltas will fill
    derivative(states[first + 1 :], out=reached)
    g = dY_hat @ params.V
    for t in range(T - 1, first - 1, -1):
        reached_t = deltas[t]
        reached_t *= g
        if t > first:
            g = reached_t @ params.W
    flat = reached.reshape(k * N, H)
    grads = Params(
        U=flat.T @ Xt[first:].reshape(k * N, D),
        W=flat.T @ states[first:T].reshape(k * N, H),
        V=dY_hat.T @ states[T],
        b=flat.sum(axis=0),
        c=dY_hat.sum(axis=0),
    )
    if params.A is not None:
        if first == 0:  # the error reaches h_0 = tanh(A s + a)
            delta_0 = (deltas[0] @ params.W) * (1.0 - states[0] ** 2)
            grads.A, grads.a = delta_0.T @ static, delta_0.sum(axis=0)
        else:  # h_{T-k} is held constant: A and a do not affect the truncated loss
            grads.A, grads.a = np.zeros_like(params.A), np.zeros_like(params.a)
    return grads


def backward(
    dY_hat: np.ndarray,
    params: Params,
    cache: ForwardCache,
    truncation: int | None = None,
) -> tuple[Params, np.ndarray]:
    """Gradients of the loss from dL/dY_hat, by (truncated) BPTT.

    dY_hat: (N, O) gradient of the loss with respect to the predictions.
    params: the model the forward pass used. cache: from ``forward``.
    truncation: depth k >= 1 (see the module docstring) or None for full BPTT.
    Returns (grads, deltas): grads with the shapes of params; deltas (T, N, H) holds
    delta_t = dL/da_t for each step, zero for the steps the truncated error does not reach.
    """
    check_params(params)
    if not isinstance(cache, ForwardCache):
        raise TypeError(
            f"cache must be the ForwardCache returned by rnnlib.forward, got {type(cache).__name__}"
        )
    N, T, D = cache.X.shape
    H = params.hidden_size
    if D != params.input_size or cache.states.shape != (T + 1, N, H):
        raise ValueError(
            f"params do not match cache: the cache holds inputs of shape {cache.X.shape} and "
            f"states of shape {cache.states.shape}, params expect D = {params.input_size} and "
            f"states (T + 1, N, H) = ({T + 1}, {N}, {H}); pass the params the forward pass used"
        )
    if (params.A is None) != (cache.static is None):
        raise ValueError(
            "params do not match cache: "
            + ("params have static-feature weights A but the forward pass had no static features"
               if cache.static is None else
               "the forward pass used static features but params have no A, a")
        )
    if cache.static is not None and cache.static.shape[1] != params.static_size:
        raise ValueError(
            f"params do not match cache: A expects S = {params.static_size} static features, "
            f"the cache holds {cache.static.shape[1]}"
        )
    k = truncation_steps(truncation, T)
    dY_hat = check_targets(params, dY_hat, N, "dY_hat")
    deltas = np.empty((T, N, H))
    with one_blas_thread():
        grads = backward_into(
            dY_hat, params, time_major(cache.X), cache.states, cache.activation, k, deltas,
            cache.static,
        )
    return grads, deltas


def loss_and_gradients(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    truncation: int | None = None,
    *,
    static: np.ndarray | None = None,
    loss: str = "mse",
) -> tuple[float, Params]:
    """The loss and its (truncated) BPTT gradients for one batch.

    X: (N, T, D) inputs; Y: (N, O) targets (one-hot rows for "cross_entropy").
    static: (N, S) static features, required when params has A (see rnnlib.model).
    loss: "mse" (half mean squared error) or "cross_entropy" (softmax), see rnnlib.losses.
    Returns (loss, grads).
    """
    check_params(params)
    loss_function = get_loss(loss)
    X = check_inputs(params, X)
    Y = check_targets(params, Y, X.shape[0])
    check_static(params, static, X.shape[0])
    truncation_steps(truncation, X.shape[1])
    Y_hat, cache = forward(params, X, activation, static=static)
    value, dY_hat = loss_function(Y_hat, Y)
    grads, _ = backward(dY_hat, params, cache, truncation)
    return value, grads
