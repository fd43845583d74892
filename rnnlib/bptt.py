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
For a loss at every step (targets (N, T, O)) k cuts the window into chunks of k steps:
rnnlib.cells defines it.
"""

from __future__ import annotations

import numpy as np

from rnnlib._checks import (
    check_targets,
    shape_of,
)
from rnnlib._threads import one_blas_thread
from rnnlib.activations import get_activation
from rnnlib.cells import (  # noqa: F401 (truncation_steps: its import path)
    Workspace,
    buffer,
    cell_loss_and_gradients,
    check_hidden,
    network_backward,
    network_gradients,
    truncation_steps,
)
from rnnlib.model import (
    ForwardCache,
    Params,
    check_params,
    joint_buffer,
    joint_inputs,
    run_states,
    time_major,
)


class PlainCell:
    """The plain (Elman) cell h_t = f(U x_t + W h_{t-1} + b) as a rnnlib.cells.Cell.

    Parameters
    ----------
    activation : str
        "tanh" (the default) or "sigmoid" (rnnlib.activations).
    """

    name = "plain"
    params_type = Params

    def __init__(self, activation: str = "tanh"):
        self.activation = get_activation(activation).name

    def shapes(self, D: int, H: int, O: int) -> dict[str, tuple[int, ...]]:
        """The shape table Params.SHAPES for sizes D, H, O (static features: Params).

        Parameters
        ----------
        D, H, O : int
            Input, hidden and output sizes.

        Returns
        -------
        dict of str to tuple of int
            {name: shape} of U (H, D), W (H, H), V (O, H), b (H,), c (O,), in Params order.
        """
        return {name: shape_of(what, {"D": D, "H": H, "O": O})
                for name, what in Params.SHAPES.items()}

    def forward(self, params: Params, Xt: np.ndarray, h0: np.ndarray | None = None,
                work: Workspace | None = None) -> tuple[np.ndarray, tuple]:
        """states (T + 1, N, H) from Xt (T, N, D) and h0 (N, H) (zeros if None); no checks.

        The states are a view of the rows [h_t, x_{t+1}, 1] that rnnlib.model.run_states
        fills; the cache is (Xt, those rows).

        Parameters
        ----------
        params : Params
            The model (its U, W, b; V and c are the read-out's).
        Xt : array (T, N, D)
            Time-major inputs.
        h0 : array (N, H) or None
            The state entering step 1, zeros if None.
        work : Workspace or None
            Buffers to reuse (the rows live in its "joint" buffer), fresh arrays if None.

        Returns
        -------
        states : array (T + 1, N, H)
            h_0 .. h_T, a view of the rows (not contiguous).
        cache : tuple
            (Xt, joint), joint (T + 1, N, H + D + 1) the rows [h_t, x_{t+1}, 1], for backward.
        """
        T, N, D = Xt.shape
        H = params.hidden_size
        joint = buffer(work, "joint", (T + 1, N, H + D + 1))
        joint[0, :, :H] = 0.0 if h0 is None else h0
        run_states(params, Xt, self.activation, joint)
        return joint[:, :, :H], (Xt, joint)

    def last_state(self, cache: tuple) -> np.ndarray:
        """h_T (N, H), a copy: the plain cell's state is h alone.

        Parameters
        ----------
        cache : tuple
            (Xt, joint) from forward.

        Returns
        -------
        array (N, H)
            h_T, a copy (the buffers may be reused by the next call).
        """
        H = cache[1].shape[2] - cache[0].shape[2] - 1
        return cache[1][-1, :, :H].copy()

    def check_state(self, state, N: int, H: int, name: str = "h0") -> np.ndarray | None:
        """Cell.check_state: h (N, H) as float64, or None (rnnlib.cells.check_hidden)."""
        return check_hidden(state, N, H, name)

    def backward(self, params: Params, cache: tuple, dh: np.ndarray, k: int,
                 work: Workspace | None = None) -> tuple[Params, np.ndarray]:
        """BPTT through the last k steps (see the module docstring); no checks.

        dh: (T + 1, N, H) dL/dh_t from the read-out (not modified). Returns (grads, g): grads
        with dU, dW, db and zeros for V, c; g (T + 1, N, H) with g_t = dL/dh_t for
        t = T-k .. T and zeros before.
        """
        Xt, joint = cache
        T, N, D = Xt.shape
        H = params.hidden_size
        states = joint[:, :, :H]
        derivative = get_activation(self.activation).derivative
        first = T - k  # index into deltas of the earliest step the error reaches
        deltas = buffer(work, "deltas", (T, N, H))  # deltas[t] = delta_{t+1} = dL/da_{t+1}
        g = buffer(work, "g", (T + 1, N, H))
        deltas[:first] = 0.0
        g[:first] = 0.0
        reached = deltas[first:]
        # f'(a_t) for every reached step at once, written into the buffer the deltas will fill
        derivative(states[first + 1 :], out=reached)
        g[T] = dh[T]
        losses_before = bool(dh[first:T].any())  # False for a many-to-one loss: g_T alone
        for t in range(T - 1, first - 1, -1):
            delta = deltas[t]
            delta *= g[t + 1]  # delta_t = g_t * f'(a_t)
            np.matmul(delta, params.W, out=g[t])  # g_{t-1} = delta_t W + dL/dh_{t-1}
            if losses_before:
                g[t] += dh[t]
        # [dW dU db] = sum over the reached steps of delta_{t+1}^T [h_t, x_{t+1}, 1]: the rows
        # of joint that made those steps, in one product
        flat = reached.reshape(k * N, H)
        shares = flat.T @ joint[first:T].reshape(k * N, H + D + 1)
        grads = Params(
            U=np.ascontiguousarray(shares[:, H : H + D]),
            W=np.ascontiguousarray(shares[:, :H]),
            V=np.zeros_like(params.V),
            b=shares[:, H + D].copy(),
            c=np.zeros_like(params.c),
        )
        return grads, g


def backward(
    dY_hat: np.ndarray,
    params: Params,
    cache: ForwardCache,
    truncation: int | None = None,
) -> tuple[Params, np.ndarray]:
    """Gradients of the loss from dL/dY_hat, by (truncated) BPTT.

    Parameters
    ----------
    dY_hat : array (N, O)
        Gradient of the loss with respect to the predictions.
    params : Params
        The model the forward pass used.
    cache : ForwardCache
        From ``rnnlib.forward``.
    truncation : int or None
        Depth k >= 1 (see the module docstring) or None for full BPTT.

    Returns
    -------
    grads : Params
        With the shapes of params.
    deltas : array (T, N, H)
        delta_t = dL/da_t for each step, zero for the steps the truncated error does not reach.

    Raises
    ------
    TypeError
        If params is not a Params or cache not a ForwardCache.
    ValueError
        If params do not match the cache, dY_hat has another shape, or truncation < 1.
    """
    params = check_params(params)
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
    cell = PlainCell(cache.activation)
    Xt = time_major(cache.X)
    joint = joint_buffer(T, N, H, D)  # the rows [h_t, x_{t+1}, 1] of the forward pass
    joint[:, :, :H] = cache.states
    joint_inputs(joint, Xt)
    with one_blas_thread():
        grads, g = network_backward(cell, params, (Xt, joint), cache.states, dY_hat, k,
                                    cache.static)
    deltas = get_activation(cache.activation).derivative(cache.states[1:]) * g[1:]
    deltas[: T - k] = 0.0  # g_{T-k} reaches the held state h_{T-k}, not a_{T-k}
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

    Parameters
    ----------
    params : Params
        The model.
    X : array (N, T, D)
        Inputs.
    Y : array (N, O) or (N, T, O)
        Targets (one-hot rows for "cross_entropy"): at the last step, or at every step
        (rnnlib.cells).
    activation : str
        "tanh" or "sigmoid".
    truncation : int or None
        BPTT depth k >= 1 (for a loss at every step: chunks of k steps, rnnlib.cells), None for
        full BPTT.
    static : array (N, S) or None
        Static features, required when params has A (see rnnlib.model).
    loss : str
        "mse" (half mean squared error) or "cross_entropy" (softmax), see rnnlib.losses.

    Returns
    -------
    loss : float
    grads : Params
        With the shapes of params.

    Raises
    ------
    TypeError
        For params, X, Y, activation, truncation, static or loss of the wrong kind.
    ValueError
        For wrong shapes or values (NaN or infinite X or Y, truncation < 1, an unknown loss or
        activation), or a loss or gradient that overflows float64.
    """
    return cell_loss_and_gradients(PlainCell(activation), check_params(params), X, Y,
                                   truncation, loss, static)
