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
    cell.forward(params, Xt, state0, work)   -> (states, cache)
        Xt (T, N, D) time-major inputs; state0 the state entering step 1, or None for zeros;
        states (T + 1, N, H): h_0 .. h_T; cache: what backward needs
    cell.last_state(cache)         the state leaving step T (copies), to enter the next chunk
    cell.check_state(state, N, H, name)   a given state checked and converted (public entry
                                   points), None stays None
    cell.backward(params, cache, dh, k, work)   -> (grads, g)
        dh (T + 1, N, H): dL/dh_t that reaches each state straight from the read-out (read
        only); k: the truncation depth of rnnlib.bptt (the error flows back through steps
        T-k+1 .. T only, h_{T-k} held constant); grads: params_type, the recurrence's
        gradients (V and c are the read-out's: zeros here, filled in by network_backward);
        g (T + 1, N, H): the state gradients g_t = dL/dh_t for t = T-k .. T, zeros before.

The state is what the recurrence carries from one step to the next: h_t (N, H) for the plain
cell and the GRU, the pair (h_t, c_t) of (N, H) arrays for the LSTM (its memory cell c_t). Only
a cell reads its state; the rest of rnnlib hands it on as it gets it (chunks of a stream,
sampling), so that every cell's whole state is carried, never h_t alone. The read-out sees h_t
only: states holds h_0 .. h_T for every cell.

``work`` is a Workspace whose buffers the cell may reuse between calls (the training loop passes
one per run, so that an epoch allocates no large arrays), or None for fresh arrays.

The plain cell is rnnlib.bptt.PlainCell(activation); the GRU is rnnlib.gated.GRU; the LSTM is
rnnlib.lstm.LSTM (the gated cells share CellParams and GatedCell, at the end of this module).
What comes next fits without a new loop:
- an LSTM is a third cell: its params type (with a SHAPES table), forward and backward, and
  its state (h, c); dL/dc_t stays inside its backward, the read-out sees h_t only;
  rnnlib.training.cell_for learns its params type;
- a loss at every step (many-to-many) changes only the read-out: see below.

A loss at every step (many-to-many)
-----------------------------------
The targets' rank chooses the loss, once for every entry point: Y (N, O) is the loss at the
last step (above); Y (N, T, O) is a loss at every step, on each step's output

    y_hat_t = V h_t + c,   L = 1 / (N T) * sum_n sum_t loss_t(y_hat_nt, y_nt)        (N, T, O)

with loss_t rnnlib.losses' half squared error or softmax cross-entropy (one-hot rows y_nt,
e.g. the next character), averaged over records and steps: for text, L is in nats per
character. Its backward fills every row of dh: dh_t = V^T dL/dy_hat_t, which the cells add to
g_t at every step, so that (plain cell, delta_t = g_t * f'(a_t))

    g_{t-1} = W^T delta_t + V^T dL/dy_hat_{t-1},     g_T = V^T dL/dy_hat_T,
    dV = sum_t dL/dy_hat_t^T h_t,   dc = sum_t sum over records of dL/dy_hat_t.

Truncation for a loss at every step (the definition, written here only)
----------------------------------------------------------------------
rnnlib uses the k-steps-per-chunk special case of Williams and Peng's BPTT(k1, k2), k1 = k2 = k:
the window (or stream) of T steps is cut into consecutive chunks of k steps, t = 1 .. k,
k+1 .. 2k, ... (the last one shorter if k does not divide T). The gradient with truncation k is
the sum over chunks of the exact gradient of that chunk's share of L, in which the state that
enters the chunk (h_0, h_k, h_2k, ...) is held constant: treated as an input, not as a
function of the weights (what frameworks call detaching it). Inside a chunk the error flows
back through every step (full BPTT); it never crosses a chunk boundary. So the loss at step t
sends its error back to the start of its own chunk, 1 to k steps. The forward pass, and so the
loss, is not changed by truncation. k >= T, or None, is full BPTT. (For the loss at the last
step only, rnnlib.bptt's depth k keeps the last k steps; the chunks here start at t = 1, as a
stream's do, so the two agree when k divides T, not otherwise.)

Training in chunks (rnnlib.train with carry_state=True) applies the same definition to a long
stream: one update per chunk, and the state that leaves a chunk enters the next one, held
constant there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import ClassVar, Protocol

import numpy as np

from rnnlib._checks import (
    check_any_targets,
    check_h0,
    check_inputs,
    check_static,
    check_targets,
    finite_result,
    positive_int,
    shape_of,
    shaped_arrays,
)
from rnnlib._threads import one_blas_thread
from rnnlib.losses import LossFunction, check_loss_targets, get_loss


class Cell(Protocol):
    """What a recurrent cell provides (see the module docstring)."""

    name: str
    params_type: type

    def shapes(self, D: int, H: int, O: int) -> dict[str, tuple[int, ...]]:
        """The shape table: the shape of every array of params_type, in its items() order.

        Parameters
        ----------
        D, H, O : int
            Input, hidden and output sizes.

        Returns
        -------
        dict of str to tuple of int
            {name: shape}, V (O, H) and c (O,) among them.
        """
        ...

    def forward(self, params, Xt: np.ndarray, state0=None,
                work: Workspace | None = None) -> tuple[np.ndarray, object]:
        """Run the recurrence over a window; no checks.

        Parameters
        ----------
        params : params_type
            The cell's parameters.
        Xt : array (T, N, D)
            Time-major inputs.
        state0 : the cell's state or None
            The state entering step 1 (h_0 (N, H); the LSTM's pair (h_0, c_0)), zeros if None.
        work : Workspace or None
            Buffers the cell may reuse, fresh arrays if None.

        Returns
        -------
        states : array (T + 1, N, H)
            h_0 .. h_T (possibly a view into ``work``'s buffers).
        cache : object
            What backward and last_state need.
        """
        ...

    def backward(self, params, cache, dh: np.ndarray, k: int,
                 work: Workspace | None = None) -> tuple[object, np.ndarray]:
        """BPTT through the last k steps (steps T-k+1 .. T, h_{T-k} held constant); no checks.

        Parameters
        ----------
        params : params_type
            The parameters of the forward pass.
        cache : object
            From forward.
        dh : array (T + 1, N, H)
            dL/dh_t that reaches each state straight from the read-out (read only).
        k : int
            Truncation depth, 1 <= k <= T.
        work : Workspace or None
            Buffers the cell may reuse, fresh arrays if None.

        Returns
        -------
        grads : params_type
            The recurrence's gradients; zeros for V and c (network_backward fills them in).
        g : array (T + 1, N, H)
            State gradients g_t = dL/dh_t for t = T-k .. T, zeros before.
        """
        ...

    def last_state(self, cache):
        """The state leaving step T, copies, to enter the next chunk.

        Parameters
        ----------
        cache : object
            From forward.

        Returns
        -------
        the cell's state
            h_T (N, H) (plain cell, GRU) or the pair (h_T, c_T) of (N, H) arrays (LSTM).
        """
        ...

    def check_state(self, state, N: int, H: int, name: str = "h0"):
        """A given state checked and converted to float64 (public entry points).

        Parameters
        ----------
        state : the cell's state or None
            h (N, H), or the LSTM's pair (h, c); None for zeros.
        N, H : int
            The batch and hidden sizes it must have.
        name : str
            Its name in error messages.

        Returns
        -------
        the cell's state or None
            As float64 arrays (N, H); None stays None.

        Raises
        ------
        TypeError
            For a state of the wrong kind.
        ValueError
            For arrays of the wrong shape or with NaN or infinite values.
        """
        ...


class Workspace:
    """Named buffers kept between calls, so that a training run allocates its large arrays once
    (fresh pages cost page faults): ``get`` returns the same array for the same name and shape,
    zeros when it is new."""

    def __init__(self):
        self._arrays: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The buffer called ``name`` of this shape: zeros when new, else what it last held.

        Parameters
        ----------
        name : str
            The buffer's name (one per use, e.g. "joint", "g").
        shape : tuple of int
            Its shape; a new shape under the same name is a different buffer.

        Returns
        -------
        array of float64, shape ``shape``
            The same array at every call with this name and shape.
        """
        key = (name, shape)
        if key not in self._arrays:
            self._arrays[key] = np.zeros(shape)
        return self._arrays[key]


def buffer(work: Workspace | None, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A (shape) array: ``work``'s buffer of that name if given (zeros when new, else what it
    last held), else fresh zeros.

    Parameters
    ----------
    work : Workspace or None
        Where the buffer lives; None for fresh zeros.
    name : str
        The buffer's name.
    shape : tuple of int
        Its shape.

    Returns
    -------
    array of float64, shape ``shape``
    """
    return np.zeros(shape) if work is None else work.get(name, shape)


def truncation_steps(truncation: int | None, T: int) -> int:
    """Number of steps k the error flows back through: min(truncation, T); T if None.

    Parameters
    ----------
    truncation : int or None
        The truncation depth, >= 1, or None for full BPTT.
    T : int
        The window's number of steps.

    Returns
    -------
    int
        k, 1 <= k <= T (for T >= 1).

    Raises
    ------
    TypeError
        For a truncation that is not an integer (or None).
    ValueError
        For a truncation < 1.
    """
    if truncation is None:
        return T
    return min(positive_int(truncation, "truncation"), T)


def initial_state(params, static: np.ndarray | None) -> np.ndarray | None:
    """h_0 = tanh(static A^T + a), (N, H), for static features (N, S); None without them.

    Parameters
    ----------
    params : Params
        With A (H, S) and a (H,) when static is given (not read otherwise).
    static : array (N, S) or None
        Static features.

    Returns
    -------
    array (N, H) or None
        h_0, or None when static is None.
    """
    if static is None:
        return None
    return np.tanh(static @ params.A.T + params.a)


def outputs(params, states: np.ndarray) -> np.ndarray:
    """The read-out y_hat = h_T V^T + c, (N, O), from states (T + 1, N, H).

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        Its V (O, H) and c (O,).
    states : array (T + 1, N, H)
        h_0 .. h_T.

    Returns
    -------
    array (N, O)
        y_hat, from h_T alone.
    """
    return states[-1] @ params.V.T + params.c


def step_outputs(params, states: np.ndarray) -> np.ndarray:
    """The read-out at every step, y_hat_t = h_t V^T + c, (T, N, O), from states (T + 1, N, H).

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        Its V (O, H) and c (O,).
    states : array (T + 1, N, H)
        h_0 .. h_T (h_0 has no output).

    Returns
    -------
    array (T, N, O)
        y_hat_1 .. y_hat_T, time-major.
    """
    T_1, N, H = states.shape
    # one matrix product over all T N rows (a stack of T products costs T calls)
    y_hat = states[1:].reshape((T_1 - 1) * N, H) @ params.V.T
    y_hat += params.c
    return y_hat.reshape(T_1 - 1, N, -1)


def network_loss(cell: Cell, params, Xt: np.ndarray, Y: np.ndarray, loss: LossFunction,
                 static: np.ndarray | None = None, work: Workspace | None = None,
                 chunk: int | None = None) -> float:
    """The loss of one batch, no gradients: Xt (T, N, D), static (N, S) or None; Y (N, O) for
    the loss at the last step, or time-major Yt (T, N, O) for a loss at every step, computed
    ``chunk`` steps at a time (the state carried; None: all at once) to bound the memory.

    Parameters
    ----------
    cell : Cell
        The recurrence.
    params : the cell's params_type
        The model, checked.
    Xt : array (T, N, D)
        Time-major inputs.
    Y : array (N, O) or (T, N, O)
        Targets: at the last step, or time-major at every step.
    loss : LossFunction
        A rnnlib.losses function, (outputs, targets) -> (loss, gradient).
    static : array (N, S) or None
        Static features, when params has A.
    work : Workspace or None
        Buffers to reuse, fresh arrays if None.
    chunk : int or None
        Steps per forward pass for a loss at every step (>= 1), None for all T at once;
        not used for Y (N, O).

    Returns
    -------
    float
        The loss (for a loss at every step, the mean over all T N outputs).
    """
    h0 = initial_state(params, static)
    if Y.ndim == 2:
        states, _ = cell.forward(params, Xt, h0, work)
        return float(loss(outputs(params, states), Y)[0])
    T = Xt.shape[0]
    chunk = T if chunk is None else chunk
    total, state = 0.0, h0
    for start in range(0, T, chunk):
        stop = min(start + chunk, T)
        states, cache = cell.forward(params, Xt[start:stop], state, work)
        y_hat = step_outputs(params, states)
        total += (stop - start) / T * float(loss(_rows(y_hat), _rows(Y[start:stop]))[0])
        state = cell.last_state(cache)  # copies: the buffers are reused by the next chunk
    return total


def _rows(A: np.ndarray) -> np.ndarray:
    """(T, N, O) -> (T N, O): one row per step and record, as the losses take them."""
    return A.reshape(-1, A.shape[-1])


def _add(total, more) -> None:
    """total += more, array by array (two gradient sets of the same cell)."""
    for (_, a), (_, b) in zip(total.items(), more.items(), strict=True):
        a += b


def segment_gradients(cell: Cell, params, Xt: np.ndarray, Yt: np.ndarray, loss: LossFunction,
                      h0, weight: float = 1.0, work: Workspace | None = None
                      ) -> tuple[float, object, np.ndarray, np.ndarray, object]:
    """One chunk of a loss at every step, by full BPTT with its entering state held constant;
    no checks.

    Xt (T, N, D), Yt (T, N, O) time-major; h0 the cell's entering state (h0 (N, H), the LSTM's
    (h0, c0)) or None for zeros; the chunk's loss (a mean over its T N outputs) is scaled by
    ``weight`` (its share of a longer window's loss). Returns (loss, grads, g, states, cache):
    g (T + 1, N, H) the state gradients (g[0]: what reaches h0), states (T + 1, N, H); g,
    states and cache may live in ``work``'s buffers until the next call.

    Parameters
    ----------
    cell : Cell
        The recurrence.
    params : the cell's params_type
        The model, checked.
    Xt : array (T, N, D)
        The chunk's time-major inputs.
    Yt : array (T, N, O)
        The chunk's time-major targets, one per step.
    loss : LossFunction
        A rnnlib.losses function, (outputs, targets) -> (loss, gradient).
    h0 : the cell's state or None
        The entering state, held constant; zeros if None.
    weight : float
        The factor of the chunk's loss and gradients.
    work : Workspace or None
        Buffers to reuse, fresh arrays if None.

    Returns
    -------
    loss : float
        ``weight`` times the chunk's mean loss.
    grads : the cell's params_type
        Its gradients, read-out (V, c) included.
    g : array (T + 1, N, H)
        State gradients g_t = dL/dh_t.
    states : array (T + 1, N, H)
        h_0 .. h_T.
    cache : object
        The cell's forward cache (for cell.last_state).
    """
    states, cache = cell.forward(params, Xt, h0, work)
    value, dY = loss(_rows(step_outputs(params, states)), _rows(Yt))  # dY (T N, O)
    if weight != 1.0:
        dY *= weight
    dh = buffer(work, "dh_steps", states.shape)  # not "dh": that one's rows must stay zero
    dh[0] = 0.0
    np.matmul(dY, params.V, out=_rows(dh[1:]))
    grads, g = cell.backward(params, cache, dh, Xt.shape[0], work)
    grads.V = dY.T @ _rows(states[1:])
    grads.c = dY.sum(axis=0)
    return weight * value, grads, g, states, cache


def sequence_gradients(cell: Cell, params, Xt: np.ndarray, Yt: np.ndarray, loss: LossFunction,
                       k: int, h0=None,
                       work: Workspace | None = None) -> tuple[float, object, object]:
    """A loss at every step and its gradient with truncation k (module docstring); no checks.

    Xt (T, N, D), Yt (T, N, O) time-major; h0 the cell's entering state, held constant (None:
    zeros); k >= 1. Returns (loss, grads, state): grads of the cell's params type (read-out
    included), state the cell's last state (h_T (N, H); the LSTM's (h_T, c_T)), copies, to
    carry into the next chunk of a stream.

    Parameters
    ----------
    cell : Cell
        The recurrence.
    params : the cell's params_type
        The model, checked.
    Xt : array (T, N, D)
        Time-major inputs.
    Yt : array (T, N, O)
        Time-major targets, one per step.
    loss : LossFunction
        A rnnlib.losses function, (outputs, targets) -> (loss, gradient).
    k : int
        Steps per chunk, >= 1.
    h0 : the cell's state or None
        The entering state, held constant; zeros if None.
    work : Workspace or None
        Buffers to reuse, fresh arrays if None.

    Returns
    -------
    loss : float
        The mean loss over the T N outputs.
    grads : the cell's params_type
        The gradient with truncation k, read-out included.
    state : the cell's state
        The state leaving step T (copies).
    """
    T = Xt.shape[0]
    total_loss, total, state = 0.0, None, h0
    for start in range(0, T, k):
        stop = min(start + k, T)
        value, grads, _, _, cache = segment_gradients(cell, params, Xt[start:stop],
                                                      Yt[start:stop], loss, state,
                                                      (stop - start) / T, work)
        total_loss += value
        if total is None:
            total = grads
        else:
            _add(total, grads)
        state = cell.last_state(cache)
    return total_loss, total, state


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
    _static_gradients(params, grads, g, states, static, k == states.shape[0] - 1)
    return grads, g


def _static_gradients(params, grads, g, states, static, full: bool) -> None:
    """dA, da into grads: from g_0 (full BPTT) or zeros (h_0 held constant); none without static."""
    if static is None:
        return
    if full:
        delta_0 = g[0] * (1.0 - states[0] ** 2)
        grads.A, grads.a = delta_0.T @ static, delta_0.sum(axis=0)
    else:  # h_0 is held constant: A and a do not affect the truncated loss
        grads.A, grads.a = np.zeros_like(params.A), np.zeros_like(params.a)


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

    Xt: (T, N, D) time-major inputs; Y: (N, O) targets for the loss at the last step, or
    time-major Yt (T, N, O) for a loss at every step (module docstring); loss: a rnnlib.losses
    function; k: truncation depth, 1 <= k <= T; static: (N, S) or None. Returns (loss, grads, g)
    with g (T + 1, N, H) the state gradients (see network_backward); for a loss at every step g
    is None when k < T (each chunk has its own).
    """
    if Y.ndim == 3:
        h0 = initial_state(params, static)
        if k < Xt.shape[0]:
            value, grads, _ = sequence_gradients(cell, params, Xt, Y, loss, k, h0, work)
            g = None
        else:
            value, grads, g, states, _ = segment_gradients(cell, params, Xt, Y, loss, h0, 1.0,
                                                           work)
        _static_gradients(params, grads, g, None if g is None else states, static, g is not None)
        return value, grads, g
    states, cache = cell.forward(params, Xt, initial_state(params, static), work)
    value, dY_hat = loss(outputs(params, states), Y)
    grads, g = network_backward(cell, params, cache, states, dY_hat, k, static, work)
    return value, grads, g


# --- what the gated cells' parameter sets and passes share (rnnlib.gated, rnnlib.lstm) ----------


class CellParams:
    """The methods every gated cell's parameter dataclass shares, defined from two tables.

    SHAPES: {name: symbolic shape} of every array, in field order, e.g. {"U": "(4H, D)", ...};
    SIZES: {symbol: (name, axis)}, the array whose size defines each of D, H and O.
    The dataclass's fields are its arrays (also used for gradients, of the same shapes).
    """

    SHAPES: ClassVar[dict[str, str]]
    SIZES: ClassVar[dict[str, tuple[str, int]]]

    def _size(self, symbol: str) -> int:
        name, axis = self.SIZES[symbol]
        return getattr(self, name).shape[axis]

    @property
    def input_size(self) -> int:
        return self._size("D")

    @property
    def hidden_size(self) -> int:
        return self._size("H")

    @property
    def output_size(self) -> int:
        return self._size("O")

    @property
    def static_size(self) -> int:
        """0: the gated cells take no static features (h_0 is given or zero)."""
        return 0

    def items(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) pairs in SHAPES order.

        Returns
        -------
        list of (str, array)
            Every field's name and array (the arrays themselves, not copies).
        """
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def copy(self):
        """A copy with every array copied, as float64.

        Returns
        -------
        the same type as self
            New arrays of the same shapes and values.
        """
        return type(self)(*(np.array(a, dtype=np.float64, copy=True) for _, a in self.items()))

    def norm(self) -> float:
        """Global L2 norm over all arrays together.

        Returns
        -------
        float
            sqrt of the sum of the squares of every element of every array.
        """
        return float(np.sqrt(sum(float(np.vdot(a, a)) for _, a in self.items())))

    def validate(self):
        """These parameters checked against SHAPES, as float64 arrays (a new instance).

        Raises TypeError for arrays that are not real numbers, ValueError for NaN or infinite
        values, a wrong rank or shapes that do not agree.

        Returns
        -------
        the same type as self
            With float64 arrays (not necessarily copies).
        """
        return type(self)(**shaped_arrays(dict(self.items()), self.SHAPES, self.SIZES))

    @classmethod
    def shape_table(cls, D: int, H: int, O: int) -> dict[str, tuple[int, ...]]:
        """SHAPES for sizes D, H, O: {name: shape}.

        Parameters
        ----------
        D, H, O : int
            Input, hidden and output sizes.

        Returns
        -------
        dict of str to tuple of int
            {name: shape}, in SHAPES order, e.g. {"U": (4H, D), ...}.
        """
        return {name: shape_of(what, {"D": D, "H": H, "O": O}) for name, what in cls.SHAPES.items()}


def last_hidden(cache):
    """The state h_T (N, H), a copy, of a cell whose state is h alone (cache.states).

    Parameters
    ----------
    cache : object
        A forward cache with ``states`` (T + 1, N, H).

    Returns
    -------
    array (N, H)
        h_T, a copy.
    """
    return cache.states[-1].copy()


def check_hidden(state, N: int, H: int, name: str = "h0") -> np.ndarray | None:
    """A state h (N, H) checked as float64, or None (the plain cell and the GRU).

    Parameters
    ----------
    state : array (N, H) or None
        The entering state h_0.
    N, H : int
        The batch and hidden sizes it must have.
    name : str
        Its name in error messages.

    Returns
    -------
    array (N, H) or None
        The state as float64, or None for None.

    Raises
    ------
    TypeError
        For a state that is not an array of real numbers.
    ValueError
        For a state of another shape, or with NaN or infinite values.
    """
    return check_h0(state, N, H, name)


@dataclass(frozen=True)
class GatedCell:
    """A gated cell as a Cell, from its types and its two passes (rnnlib.gated, rnnlib.lstm).

    run(params, Xt, state0, work) -> cache, with cache.states (T + 1, N, H) and cache.Xt;
    backward_pass(params, cache, dh, k, work) -> (grads, g): the Cell's backward;
    final_state(cache) -> the state leaving step T (copies); state_check(state, N, H, name):
    the Cell's check_state. The last two default to a state that is h alone (the GRU's).
    """

    name: str
    params_type: type
    cache_type: type
    run: Callable
    backward_pass: Callable
    final_state: Callable = last_hidden
    state_check: Callable = check_hidden

    # The Cell interface (its contract and shapes are documented on Cell above), through the
    # fields: forward by run, backward by backward_pass, last_state by final_state, check_state
    # by state_check, shapes by params_type.shape_table.

    def last_state(self, cache):
        """Cell.last_state: the state leaving step T (copies), by final_state."""
        return self.final_state(cache)

    def check_state(self, state, N: int, H: int, name: str = "h0"):
        """Cell.check_state: the entering state checked as float64 (None stays None)."""
        return self.state_check(state, N, H, name)

    def shapes(self, D: int, H: int, O: int) -> dict[str, tuple[int, ...]]:
        """Cell.shapes: params_type.SHAPES for sizes D, H, O."""
        return self.params_type.shape_table(D, H, O)

    def forward(self, params, Xt: np.ndarray, state0=None,
                work: Workspace | None = None) -> tuple[np.ndarray, object]:
        """Cell.forward: (cache.states (T + 1, N, H), cache) from run; no checks."""
        cache = self.run(params, Xt, state0, work)
        return cache.states, cache

    def backward(self, params, cache, dh: np.ndarray, k: int,
                 work: Workspace | None = None) -> tuple[object, np.ndarray]:
        """Cell.backward: (grads, g (T + 1, N, H)) from backward_pass; no checks."""
        return self.backward_pass(params, cache, dh, k, work)

def cell_backward(cell: Cell, params, cache, dY_hat: np.ndarray,
                  truncation: int | None) -> tuple[object, np.ndarray]:
    """What gru_backward and lstm_backward do, for params already checked: the cache checked
    (cell.cache_type, from cell's forward pass, of params' sizes H and D), truncation and
    dY_hat (N, O) checked, then network_backward. Returns (grads, g (T + 1, N, H)).

    Parameters
    ----------
    cell : GatedCell
        The GRU or the LSTM (its cache_type and name are read).
    params : the cell's params_type
        Already checked.
    cache : cell.cache_type
        From the cell's forward pass with params.
    dY_hat : array (N, O)
        Gradient of the loss with respect to the predictions.
    truncation : int or None
        Depth k >= 1, None for full BPTT.

    Returns
    -------
    grads : the cell's params_type
        With the shapes of params.
    g : array (T + 1, N, H)
        State gradients g_t = dL/dh_t.

    Raises
    ------
    TypeError
        For a cache that is not a cell.cache_type, a truncation that is not an integer, or a
        dY_hat that is not an array of real numbers.
    ValueError
        For a cache whose H or D differ from params', truncation < 1, or a dY_hat that is not
        finite or not of shape (N, O).
    """
    if not isinstance(cache, cell.cache_type):
        raise TypeError(f"cache must be the {cell.cache_type.__name__} from {cell.name}_forward, "
                        f"got {type(cache).__name__}")
    T_1, N, H = cache.states.shape
    D = cache.Xt.shape[2]
    if H != params.hidden_size or D != params.input_size:
        raise ValueError(
            f"cache (H = {H}, D = {D}) does not match params (H = {params.hidden_size}, "
            f"D = {params.input_size}): pass the params of the forward pass"
        )
    k = truncation_steps(truncation, T_1 - 1)
    dY_hat = check_targets(params, dY_hat, N, "dY_hat")
    with one_blas_thread():
        return network_backward(cell, params, cache, cache.states, dY_hat, k)


def cell_loss_and_gradients(cell: Cell, params, X: np.ndarray, Y: np.ndarray,
                            truncation: int | None, loss: str = "mse",
                            static: np.ndarray | None = None) -> tuple[float, object]:
    """What loss_and_gradients, gru_loss_and_gradients and lstm_loss_and_gradients do, for
    params already checked: X (N, T, D), Y (N, O) or (N, T, O) (the targets' rank chooses the
    loss, module docstring), static (N, S) or None and truncation checked, then the loss called
    ``loss`` (rnnlib.losses) and its gradients by network_gradients.

    Parameters
    ----------
    cell : Cell
        The recurrence.
    params : the cell's params_type
        Already checked.
    X : array (N, T, D)
        Inputs.
    Y : array (N, O) or (N, T, O)
        Targets: at the last step, or at every step.
    truncation : int or None
        Depth k >= 1 (for a loss at every step: chunks of k steps), None for full BPTT.
    loss : str
        "mse" or "cross_entropy" (rnnlib.losses).
    static : array (N, S) or None
        Static features, required when params has A.

    Returns
    -------
    loss : float
    grads : the cell's params_type
        With the shapes of params.

    Raises
    ------
    TypeError
        For X, Y, static, truncation or loss of the wrong kind.
    ValueError
        For wrong shapes or values (NaN or infinite X or Y, truncation < 1, an unknown loss,
        targets unfit for cross-entropy, static given or missing against A), or a loss or
        gradient that overflows float64.
    """
    loss_function = get_loss(loss)
    X = check_inputs(params, X)
    Y = check_loss_targets(loss, check_any_targets(params, Y, X.shape))
    static = check_static(params, static, X.shape[0])
    k = truncation_steps(truncation, X.shape[1])
    Xt = np.ascontiguousarray(X.transpose(1, 0, 2))  # time-major (T, N, D)
    if Y.ndim == 3:
        Y = np.ascontiguousarray(Y.transpose(1, 0, 2))
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
        value, grads, _ = network_gradients(cell, params, Xt, Y, loss_function, k, static)
    return finite_result(value, grads, params)
