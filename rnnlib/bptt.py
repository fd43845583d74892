"""Backpropagation through time (BPTT) for the many-to-one squared-error loss.

Notation as in rnnlib.model: a_t = U x_t + W h_{t-1} + b, h_t = f(a_t), y_hat = V h_T + c.
Going backwards from the loss, with delta_t = dL/da_t (N, H) and g_t = dL/dh_t (N, H):

    g_T     = dL/dy_hat V                    (the loss sees only the last state)
    delta_t = g_t * f'(a_t)                  (elementwise; f' written through h_t)
    g_{t-1} = delta_t W                      (the error flows one step further back)

and each step that the error reaches adds its share to the shared weights:

    dU = sum_t delta_t^T x_t,   dW = sum_t delta_t^T h_{t-1},   db = sum_t delta_t,
    dV = dL/dy_hat^T h_T,       dc = sum over records of dL/dy_hat.

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
from rnnlib.activations import get_activation
from rnnlib.model import (
    ForwardCache,
    Params,
    check_inputs,
    check_targets,
    forward,
    mse_loss,
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
) -> Params:
    """BPTT with no checks, writing delta_t into ``deltas``; used by ``backward`` and training.

    dY_hat: (N, O); Xt: (T, N, D) time-major inputs; states: (T + 1, N, H);
    k: steps to backpropagate through, 1 <= k <= T; deltas: (T, N, H) buffer, whose first
    T - k steps are set to zero. Returns the gradients as Params.
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
    return Params(
        U=flat.T @ Xt[first:].reshape(k * N, D),
        W=flat.T @ states[first:T].reshape(k * N, H),
        V=dY_hat.T @ states[T],
        b=flat.sum(axis=0),
        c=dY_hat.sum(axis=0),
    )


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
    N, T, _ = cache.X.shape
    k = truncation_steps(truncation, T)
    dY_hat = check_targets(params, dY_hat, N, "dY_hat")
    deltas = np.empty((T, N, params.hidden_size))
    grads = backward_into(
        dY_hat, params, time_major(cache.X), cache.states, cache.activation, k, deltas
    )
    return grads, deltas


def loss_and_gradients(
    params: Params,
    X: np.ndarray,
    Y: np.ndarray,
    activation: str = "tanh",
    truncation: int | None = None,
) -> tuple[float, Params]:
    """The loss (see rnnlib.model.mse_loss) and its (truncated) BPTT gradients for one batch.

    X: (N, T, D) inputs; Y: (N, O) targets. Returns (loss, grads).
    """
    params.validate()
    X = check_inputs(params, X)
    Y = check_targets(params, Y, X.shape[0])
    truncation_steps(truncation, X.shape[1])
    Y_hat, cache = forward(params, X, activation)
    loss, dY_hat = mse_loss(Y_hat, Y)
    grads, _ = backward(dY_hat, params, cache, truncation)
    return loss, grads
