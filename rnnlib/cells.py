"""The cell interface: the one thing rnnlib.train needs to know about a recurrent cell.

A network is a cell run over the window, a read-out and a loss:

    h_0 = 0, or tanh(A s + a) from static features s (rnnlib.model)        (N, H)
    h_t = cell(x_t, h_{t-1}),  t = 1 .. T                                    (N, H)
    y_hat = V h_T + c                                                        (N, O) read-out
    L = loss(y_hat, y)                                                       rnnlib.losses

The training loop (rnnlib.training), the losses, the optimizers, clipping and the divergence rule
are written once, here and there, for every cell. A cell brings only its recurrence:

    cell.params_type               its parameter dataclass (items(), copy(), norm(), validate();
                                   V (O, H) and c (O,) among its arrays, for the read-out)
    cell.shapes(D, H, O)           the shape table: {name: shape} of every array, in items() order
    cell.forward(params, Xt, h0, work)   -> (states, cache)
        Xt (T, N, D) time-major inputs, h0 (N, H) or None for zeros;
        states (T + 1, N, H): h_0 .. h_T; cache: what backward needs
    cell.backward(params, cache, dh, k, work)   -> (grads, g)
        dh (T + 1, N, H): dL/dh_t that reaches each state straight from the read-out (read
        only); k: the truncation depth of rnnlib.bptt (the error flows back through steps
        T-k+1 .. T only, h_{T-k} held constant); grads: params_type, the recurrence's
        gradients (V and c are the read-out's: zeros here, filled in by network_backward);
        g (T + 1, N, H): the state gradients g_t = dL/dh_t for t = T-k .. T, zeros before.

``work`` is a Workspace whose buffers the cell may reuse between calls (the training loop passes
one per run, so that an epoch allocates no large arrays), or None for fresh arrays.

The plain cell is rnnlib.bptt.PlainCell(activation); the GRU is rnnlib.gated.GRU. What comes
next fits without a new loop:
- an LSTM is a third cell: its params type (with a SHAPES table), forward and backward; its
  memory cell c_t and dL/dc_t stay inside its cache and its backward, the read-out sees h_t only;
  rnnlib.training.cell_for learns its params type;
- a loss at every step (many-to-many) changes only the read-out: y_hat_t = V h_t + c for every
  t, targets Y (N, T, O), and its backward fills every row of dh instead of the last one (the
  cells already add dh[t] to g_t at every step); outputs() and network_backward() choose the
  read-out by the targets' rank. With truncation, each step's error would flow back k steps
  from its own output: that is a choice of definition still to be made (rnnlib.bptt defines k
  for the many-to-one loss).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from rnnlib.losses import LossFunction


class Cell(Protocol):
    """What a recurrent cell provides (see the module docstring)."""

    name: str
    params_type: type

    def shapes(self, D: int, H: int, O: int) -> dict[str, tuple[int, ...]]: ...

    def forward(self, params, Xt: np.ndarray, h0: np.ndarray | None = None,
                work: Workspace | None = None) -> tuple[np.ndarray, object]: ...

    def backward(self, params, cache, dh: np.ndarray, k: int,
                 work: Workspace | None = None) -> tuple[object, np.ndarray]: ...


class Workspace:
    """Named buffers kept between calls, so that a training run allocates its large arrays once
    (fresh pages cost page faults): ``get`` returns the same array for the same name and shape,
    zeros when it is new."""

    def __init__(self):
        self._arrays: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        key = (name, shape)
        if key not in self._arrays:
            self._arrays[key] = np.zeros(shape)
        return self._arrays[key]


def buffer(work: Workspace | None, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A (shape) array: ``work``'s buffer of that name if given (zeros when new, else what it
    last held), else fresh zeros."""
    return np.zeros(shape) if work is None else work.get(name, shape)


def initial_state(params, static: np.ndarray | None) -> np.ndarray | None:
    """h_0 = tanh(static A^T + a), (N, H), for static features (N, S); None without them."""
    if static is None:
        return None
    return np.tanh(static @ params.A.T + params.a)


def outputs(params, states: np.ndarray) -> np.ndarray:
    """The read-out y_hat = h_T V^T + c, (N, O), from states (T + 1, N, H)."""
    return states[-1] @ params.V.T + params.c


def network_loss(cell: Cell, params, Xt: np.ndarray, Y: np.ndarray, loss: LossFunction,
                 static: np.ndarray | None = None, work: Workspace | None = None) -> float:
    """The loss of one batch, no gradients: Xt (T, N, D), Y (N, O), static (N, S) or None."""
    states, _ = cell.forward(params, Xt, initial_state(params, static), work)
    return float(loss(outputs(params, states), Y)[0])


def network_backward(
    cell: Cell,
    params,
    cache,
    states: np.ndarray,
    dY_hat: np.ndarray,
    k: int,
    static: np.ndarray | None = None,
    work: Workspace | None = None,
) -> tuple[object, np.ndarray]:
    """Gradients from dL/dY_hat (N, O) through the read-out and the cell; no checks.

    cache, states (T + 1, N, H): the cell's forward pass; k: truncation depth, 1 <= k <= T;
    static: (N, S) static features when params has A, a. Returns (grads, g), g (T + 1, N, H)
    the state gradients g_t = dL/dh_t. With static features the error that reaches
    h_0 = tanh(A s + a) (only when k == T, see rnnlib.bptt) gives dA = delta_0^T s and
    da = sum over records of delta_0, delta_0 = g_0 * (1 - h_0^2).
    """
    # the many-to-one read-out reaches h_T only: rows 0 .. T-1 of dh stay zero
    dh = buffer(work, "dh", states.shape)
    np.matmul(dY_hat, params.V, out=dh[-1])
    grads, g = cell.backward(params, cache, dh, k, work)
    grads.V = dY_hat.T @ states[-1]
    grads.c = dY_hat.sum(axis=0)
    if static is not None:
        if k == states.shape[0] - 1:
            delta_0 = g[0] * (1.0 - states[0] ** 2)
            grads.A, grads.a = delta_0.T @ static, delta_0.sum(axis=0)
        else:  # h_{T-k} is held constant: A and a do not affect the truncated loss
            grads.A, grads.a = np.zeros_like(params.A), np.zeros_like(params.a)
    return grads, g


def network_gradients(
    cell: Cell,
    params,
    Xt: np.ndarray,
    Y: np.ndarray,
    loss: LossFunction,
    k: int,
    static: np.ndarray | None = None,
    work: Workspace | None = None,
) -> tuple[float, object, np.ndarray]:
    """Loss, gradients and state gradients of one batch, for any cell; no checks.

    Xt: (T, N, D) time-major inputs; Y: (N, O) targets; loss: a rnnlib.losses function;
    k: truncation depth, 1 <= k <= T; static: (N, S) or None. Returns (loss, grads, g) with
    g (T + 1, N, H) the state gradients (see network_backward).
    """
    states, cache = cell.forward(params, Xt, initial_state(params, static), work)
    value, dY_hat = loss(outputs(params, states), Y)
    grads, g = network_backward(cell, params, cache, states, dY_hat, k, static, work)
    return value, grads, g
