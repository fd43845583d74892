"""A long short-term memory (LSTM) cell: forward pass and truncated BPTT, as a cell of rnnlib.cells.

Why an LSTM: it is the other classic gated cell (Hochreiter & Schmidhuber, 1997, with the forget
gate of Gers et al., 2000). Besides the state h_t it carries a memory cell c_t, and c_t's path
through time is a gated copy, c_t = f_t * c_{t-1} + ..., so the error can travel back along it
undiminished while the forget gate f_t stays near 1.

The gate convention is PyTorch's (torch.nn.LSTM): the gates are stacked in the order i, f, g, o.
For each record, with sigma the logistic function and * elementwise:

    i_t = sigma(U_i x_t + W_i h_{t-1} + b_i)     (H,)  input gate
    f_t = sigma(U_f x_t + W_f h_{t-1} + b_f)     (H,)  forget gate
    g_t = tanh(U_g x_t + W_g h_{t-1} + b_g)      (H,)  candidate (PyTorch's name for it)
    o_t = sigma(U_o x_t + W_o h_{t-1} + b_o)     (H,)  output gate
    c_t = f_t * c_{t-1} + i_t * g_t              (H,)  memory cell, c_0 = 0
    h_t = o_t * tanh(c_t)                        (H,)  state, h_0 = 0 (or given)
    y_hat = V h_T + c                            (O,)  read from the last state only

U = [U_i; U_f; U_g; U_o] (4H, D), W = [W_i; W_f; W_g; W_o] (4H, H), b = [b_i; b_f; b_g; b_o]
(4H,), in torch.nn.LSTM's layout (weight_ih_l0, weight_hh_l0); torch's two biases add up to
ours, b = bias_ih_l0 + bias_hh_l0. The read-out sees h_t only; c_t stays inside the cell.
A positive forget-gate bias b_f (init_lstm's forget_bias, e.g. 1.0; Gers et al. 2000,
Jozefowicz et al. 2015) starts f_t near 1: the memory is kept unless the data say otherwise.

BPTT runs backwards with dh_t = dL/dh_t (rnnlib.cells calls it g_t; here g is the candidate)
and dc_t = dL/dc_t, from dh_T = dL/dy_hat V; for t = T, T-1, ..., with a_* each gate's
pre-activation (dc_{t+1} * f_{t+1} is the memory's gated copy: the error's undiminished path):

    dc_t  = dc_{t+1} * f_{t+1} + dh_t * o_t * (1 - tanh(c_t)**2)   (first term 0 at t = T)
    da_i  = dc_t * g_t * i_t (1 - i_t)
    da_f  = dc_t * c_{t-1} * f_t (1 - f_t)
    da_g  = dc_t * i_t * (1 - g_t**2)
    da_o  = dh_t * tanh(c_t) * o_t (1 - o_t)
    dh_{t-1} = [da_i, da_f, da_g, da_o] W   (+ dL/dh_{t-1} from the read-out, if any)

and step t adds da^T x_t to dU, da^T h_{t-1} to dW, da to db (da = [da_i, da_f, da_g, da_o],
(N, 4H), summed over records).

Truncation depth k has rnnlib.bptt's definition, for the state pair (h, c): the error flows
through the last k steps only, t = T-k+1 .. T, which is the exact gradient of the loss with
both h_{T-k} and c_{T-k} held constant (treated as inputs, not as functions of U, W, b).
The state the cell carries (rnnlib.cells) is the pair (h_t, c_t): a chunk of a stream is entered
with the previous chunk's (h, c), both held constant, and sampling carries both.
k = 1 keeps only the last step; k = None (or k >= T) is full BPTT. The state gradients returned
are those of h (g_{T-k} = dL/dh_{T-k}: what reaches the held h_{T-k}); dL/dc_t stays inside.
Like the GRU the LSTM takes no static features (its state (h_0, c_0) is zero or given).

The cell is LSTM, a rnnlib.cells.Cell: rnnlib.train trains LSTMParams as it trains the other
cells' parameters, with the same losses, optimizers, clipping, divergence rule and History.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rnnlib._checks import (
    check_h0,
    check_inputs,
    finite_array,
    generator,
    kind,
    positive_int,
)
from rnnlib._threads import one_blas_thread
from rnnlib.activations import sigmoid_of_negated, tanh_into
from rnnlib.cells import (
    CellParams,
    GatedCell,
    Workspace,
    buffer,
    cell_backward,
    cell_loss_and_gradients,
)
from rnnlib.model import time_major
from rnnlib.rounding import jittered


@dataclass
class LSTMParams(CellParams):
    """The LSTM's parameters (also used for their gradients, which have the same shapes).

    U: (4H, D) input weights [U_i; U_f; U_g; U_o]    W: (4H, H) recurrent weights, same order
    b: (4H,) biases [b_i; b_f; b_g; b_o]             V: (O, H) output weights   c: (O,) output bias

    items(), copy(), norm(), validate() and the sizes come from rnnlib.cells.CellParams.
    """

    U: np.ndarray
    W: np.ndarray
    b: np.ndarray
    V: np.ndarray
    c: np.ndarray

    # the shape table: every array's shape in terms of D, H, O, and where each size is read
    SHAPES: ClassVar[dict[str, str]] = {"U": "(4H, D)", "W": "(4H, H)", "b": "(4H,)",
                                        "V": "(O, H)", "c": "(O,)"}
    SIZES: ClassVar[dict[str, tuple[str, int]]] = {"H": ("W", 1), "D": ("U", 1), "O": ("V", 0)}


def _check_params(params) -> LSTMParams:
    kind(params, "params", LSTMParams, "rnnlib.lstm.LSTMParams (e.g. from rnnlib.init_lstm)")
    return params.validate()


def init_lstm(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
    forget_bias: float = 0.0,
) -> LSTMParams:
    """Draw initial LSTM parameters: U, W, V ~ uniform(-1/sqrt(H), 1/sqrt(H)), biases constant.

    (The weights' range is torch.nn.LSTM's and rnnlib.init_gru's.)

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H, O >= 1.
    rng : numpy.random.Generator
        Draws U, W, V in that order.
    forget_bias : float
        The forget gate's bias b_f (H entries); every other bias is 0. 1.0 is the usual choice
        for long memories (the module docstring); 0.0, the default, starts f_t at 1/2.

    Returns
    -------
    LSTMParams
        U (4H, D), W (4H, H), b (4H,), V (O, H), c (O,).

    Raises
    ------
    TypeError, ValueError
        For sizes that are not integers >= 1, an rng that is not a Generator, a forget_bias that
        is not one finite real number.
    """
    D = positive_int(input_size, "input_size")
    H = positive_int(hidden_size, "hidden_size")
    O = positive_int(output_size, "output_size")
    rng = generator(rng)
    if isinstance(forget_bias, bool | np.bool_):
        raise TypeError(f"forget_bias must be a real number, got {forget_bias!r}")
    bias = finite_array(forget_bias, "forget_bias")
    if bias.ndim != 0:
        raise ValueError(f"forget_bias must be one number, got an array of shape {bias.shape}")
    bound = 1.0 / np.sqrt(H)
    b = np.zeros(4 * H)
    b[H : 2 * H] = float(bias)
    return LSTMParams(
        U=jittered(rng.uniform(-bound, bound, (4 * H, D))),
        W=jittered(rng.uniform(-bound, bound, (4 * H, H))),
        b=b,
        V=jittered(rng.uniform(-bound, bound, (O, H))),
        c=np.zeros(O),
    )


@dataclass
class LSTMCache:
    """What the backward pass needs from the forward pass, one entry per step.

    Inside, the records run along the last axis, so that each gate's block of a step is one
    contiguous (H, N) array. Xt (T, N, D) inputs; hidden (T + 1, H, N) h_0 .. h_T; memory
    (T + 1, H, N) c_0 .. c_T; gates (T, 4H, N) [i_t; f_t; g_t; o_t]; tanh_c (T, H, N) tanh(c_t).
    The properties states, cells (T + 1, N, H) and gate_values (T, N, 4H) give them with records
    first, as in the rest of rnnlib (views, no copies).
    """

    Xt: np.ndarray
    hidden: np.ndarray
    memory: np.ndarray
    gates: np.ndarray
    tanh_c: np.ndarray

    @property
    def states(self) -> np.ndarray:
        """(T + 1, N, H): h_0 .. h_T."""
        return self.hidden.transpose(0, 2, 1)

    @property
    def cells(self) -> np.ndarray:
        """(T + 1, N, H): c_0 .. c_T."""
        return self.memory.transpose(0, 2, 1)

    @property
    def gate_values(self) -> np.ndarray:
        """(T, N, 4H): [i_t, f_t, g_t, o_t] for each step."""
        return self.gates.transpose(0, 2, 1)


def _run(params: LSTMParams, Xt: np.ndarray, h0: np.ndarray | None = None,
         work: Workspace | None = None, c0: np.ndarray | None = None) -> LSTMCache:
    """The recurrence with no checks. Xt: (T, N, D); h0, c0: (N, H) or None for zeros; work:
    buffers to reuse (the cache then lives in them until the next call), or None.

    The weights' rows are scaled once so that a step's matrix product gives what
    rnnlib.activations.sigmoid_of_negated expects for every gate: -a on the i, f, o rows and -2a
    on the g rows, for which sigma(2a) = (1 + tanh(a)) / 2 gives g = 2 sigma(2a) - 1.
    """
    T, N, _ = Xt.shape
    H = params.hidden_size
    hidden = buffer(work, "hidden", (T + 1, H, N))
    memory = buffer(work, "memory", (T + 1, H, N))
    gates = buffer(work, "gates", (T, 4 * H, N))
    tanh_c = buffer(work, "tanh_c", (T, H, N))
    recurrent = buffer(work, "recurrent", (4 * H, N))
    scratch = buffer(work, "scratch", (H, N))
    hidden[0] = 0.0 if h0 is None else h0.T
    memory[0] = 0.0 if c0 is None else c0.T
    scale = np.full((4 * H, 1), -1.0)
    scale[2 * H : 3 * H] = -2.0
    # the inputs' part of every step at once, written into gates
    np.matmul(params.U * scale, Xt.transpose(0, 2, 1), out=gates)
    gates += params.b[:, None] * scale
    W = params.W * scale
    with np.errstate(over="ignore"):
        for t in range(T):
            p = gates[t]
            np.matmul(W, hidden[t], out=recurrent)
            p += recurrent
            sigmoid_of_negated(p)  # i, f, o; and sigma(2 a_g) on the g rows
            i, f, g, o = p[:H], p[H : 2 * H], p[2 * H : 3 * H], p[3 * H :]
            g *= 2.0
            g -= 1.0
            c = memory[t + 1]  # c_t = f c_{t-1} + i g
            np.multiply(f, memory[t], out=c)
            np.multiply(i, g, out=scratch)
            c += scratch
            tc = tanh_c[t]  # h_t = o tanh(c_t)
            tanh_into(c, tc)
            np.multiply(o, tc, out=hidden[t + 1])
    return LSTMCache(Xt=Xt, hidden=hidden, memory=memory, gates=gates, tanh_c=tanh_c)


def _backward(params: LSTMParams, cache: LSTMCache, dh: np.ndarray, k: int,
              work: Workspace | None = None) -> tuple[LSTMParams, np.ndarray]:
    """BPTT through the last k steps with no checks (equations in the module docstring).

    dh: (T + 1, N, H) dL/dh_t from the read-out (not modified). Returns (grads, g): grads with
    zeros for V, c (the read-out's); g (T + 1, N, H) the state gradients dL/dh_t, zeros before T-k.

    Every factor of da that does not depend on dh_t or dc_t is computed for all reached steps
    at once, before the loop: da_i = dc_t * [g i (1 - i)], da_f = dc_t * [c_{t-1} f (1 - f)],
    da_g = dc_t * [i (1 - g^2)], da_o = dh_t * [tanh(c) o (1 - o)], and dc_t gains
    dh_t * [o (1 - tanh(c)^2)]. The loop then only multiplies.
    """
    Xt, hidden, memory, gates, tanh_c = (cache.Xt, cache.hidden, cache.memory, cache.gates,
                                         cache.tanh_c)
    T, H, N = tanh_c.shape
    first = T - k
    G = gates[first:]  # (k, 4H, N) the reached steps' gates
    i, f, g, o = G[:, :H], G[:, H : 2 * H], G[:, 2 * H : 3 * H], G[:, 3 * H :]
    da = buffer(work, "da", (k, 4 * H, N))  # the factors above, then da in place
    np.subtract(1.0, G, out=da)
    da *= G  # sigma' = s (1 - s) on every row; the g rows are redone below
    np.multiply(g, g, out=da[:, 2 * H : 3 * H])
    np.subtract(1.0, da[:, 2 * H : 3 * H], out=da[:, 2 * H : 3 * H])
    da[:, :H] *= g
    da[:, H : 2 * H] *= memory[first:T]
    da[:, 2 * H : 3 * H] *= i
    da[:, 3 * H :] *= tanh_c[first:]
    dc_dh = buffer(work, "dc_dh", (k, H, N))  # o (1 - tanh(c)^2)
    np.multiply(tanh_c[first:], tanh_c[first:], out=dc_dh)
    np.subtract(1.0, dc_dh, out=dc_dh)
    dc_dh *= o
    WT = params.W.T
    dc = buffer(work, "dc", (H, N))  # dL/dc_t, carried back
    dc[:] = 0.0
    scratch = buffer(work, "g_scratch", (H, N))
    product = buffer(work, "product", (4 * H, H))
    dW = np.zeros((4 * H, H))
    gh = buffer(work, "g", (T + 1, H, N))  # dL/dh_t, records last
    gh[:first] = 0.0
    dh = dh.transpose(0, 2, 1)
    gh[T] = dh[T]
    losses_before = bool(dh[first:T].any())  # False for a many-to-one loss: g_T alone
    for t in range(T - 1, first - 1, -1):
        s = t - first
        d, dh_t = da[s], gh[t + 1]
        np.multiply(dh_t, dc_dh[s], out=scratch)
        dc += scratch
        by_dc = d[: 3 * H].reshape(3, H, N)  # da_i, da_f, da_g (a view)
        by_dc *= dc
        d[3 * H :] *= dh_t  # da_o
        dc *= f[s]  # dc_{t-1} = dc_t f_t
        np.matmul(d, hidden[t].T, out=product)  # dW += da h_{t-1}^T
        dW += product
        np.matmul(WT, d, out=gh[t])  # dh_{t-1} = W^T da + dL/dh_{t-1}
        if losses_before:
            gh[t] += dh[t]
    grads = LSTMParams(U=np.matmul(da, Xt[first:]).sum(axis=0), W=dW, b=da.sum(axis=(0, 2)),
                       V=np.zeros_like(params.V), c=np.zeros_like(params.c))
    return grads, gh.transpose(0, 2, 1)


def _run_state(params: LSTMParams, Xt: np.ndarray, state=None,
               work: Workspace | None = None) -> LSTMCache:
    """_run from the LSTM's state: the pair (h_0, c_0), or None for zeros."""
    h0, c0 = (None, None) if state is None else state
    return _run(params, Xt, h0, work, c0)


def _last_state(cache: LSTMCache) -> tuple[np.ndarray, np.ndarray]:
    """The state leaving step T: (h_T, c_T), each (N, H), copies."""
    return cache.hidden[-1].T.copy(), cache.memory[-1].T.copy()


def check_state(state, N: int, H: int, name: str = "h0") -> tuple[np.ndarray, np.ndarray] | None:
    """The LSTM's state (h, c) checked: a pair of float64 (N, H) arrays, or None for zeros.

    Raises TypeError for anything but a pair (a lone h would leave c undefined), a None in it,
    or arrays that are not real numbers, ValueError for arrays of the wrong shape, empty, or
    with NaN or infinite values (with check_h0's messages).

    Parameters
    ----------
    state : pair of arrays (N, H), or None
        (h, c), a tuple or a list.
    N, H : int
        The batch and hidden sizes each array must have.
    name : str
        The state's name in error messages.

    Returns
    -------
    tuple of two arrays (N, H), or None
        (h, c) as float64, or None for None.
    """
    if state is None:
        return None
    if not isinstance(state, tuple | list) or len(state) != 2:
        what = (f"an array of shape {np.shape(state)}" if isinstance(state, np.ndarray)
                else f"a {type(state).__name__} of {len(state)}"
                if isinstance(state, tuple | list) else type(state).__name__)
        raise TypeError(f"{name} must be the LSTM's state, the pair (h, c) of (N, H) = ({N}, "
                        f"{H}) arrays (e.g. the state returned for the previous chunk), got "
                        f"{what}")
    for i, part in enumerate("hc"):
        if state[i] is None:  # check_h0 would read None as zeros
            raise TypeError(f"{name}[{i}] ({part}) must be an (N, H) = ({N}, {H}) array, got "
                            f"None (pass None for the whole state to start from zeros)")
    return check_h0(state[0], N, H, f"{name}[0] (h)"), check_h0(state[1], N, H, f"{name}[1] (c)")


# the LSTM as a rnnlib.cells.Cell (equations in the module docstring); its state is (h, c)
LSTM = GatedCell("lstm", LSTMParams, LSTMCache, _run_state, _backward, _last_state, check_state)


def lstm_forward(
    params: LSTMParams,
    X: np.ndarray,
    h0: np.ndarray | None = None,
    c0: np.ndarray | None = None,
) -> tuple[np.ndarray, LSTMCache]:
    """Run the LSTM over a batch of windows.

    Parameters
    ----------
    params : LSTMParams
        The model (see the class).
    X : array (N, T, D)
        Inputs.
    h0, c0 : arrays (N, H) or None
        Initial state and memory cell, zeros if None.

    Returns
    -------
    Y_hat : array (N, O)
        h_T V^T + c.
    cache : LSTMCache
        states, cells (T + 1, N, H), gate_values (T, N, 4H), and what lstm_backward needs.

    Raises
    ------
    TypeError
        For params that are not LSTMParams, X, h0 or c0 that are not arrays of numbers (h0 the
        pair (h, c) too).
    ValueError
        For params of inconsistent shapes, X, h0 or c0 of the wrong shape or not finite.
    """
    params = _check_params(params)
    X = check_inputs(params, X)
    N, H = X.shape[0], params.hidden_size
    if isinstance(h0, tuple) and len(h0) == 2:
        raise TypeError(f"h0 must be an (N, H) = ({N}, {H}) array, got a tuple of 2: "
                        f"lstm_forward takes the state's parts apart, h0=h, c0=c")
    h0 = check_h0(h0, N, H)
    c0 = check_h0(c0, N, H, "c0")
    with one_blas_thread():
        cache = _run(params, time_major(X), h0, c0=c0)
    return cache.states[-1] @ params.V.T + params.c, cache


def lstm_backward(
    dY_hat: np.ndarray,
    params: LSTMParams,
    cache: LSTMCache,
    truncation: int | None = None,
) -> tuple[LSTMParams, np.ndarray]:
    """Gradients of the loss from dL/dY_hat by (truncated) BPTT through the LSTM.

    Parameters
    ----------
    dY_hat : array (N, O)
        Gradient of the loss with respect to the predictions.
    params : LSTMParams
        The model the forward pass used.
    cache : LSTMCache
        From lstm_forward.
    truncation : int or None
        Depth k >= 1 (see the module docstring: h_{T-k} and c_{T-k} held) or None for full BPTT.

    Returns
    -------
    grads : LSTMParams
        With the shapes of params.
    state_grads : array (T + 1, N, H)
        dL/dh_t for t = T-k .. T (at T-k: what reaches the held state), zeros before.

    Raises
    ------
    TypeError, ValueError
        For a cache that is not an LSTMCache or does not match params, dY_hat of the wrong
        shape, a truncation that is not an integer >= 1.
    """
    return cell_backward(LSTM, _check_params(params), cache, dY_hat, truncation)


def lstm_loss_and_gradients(
    params: LSTMParams,
    X: np.ndarray,
    Y: np.ndarray,
    truncation: int | None = None,
    *,
    loss: str = "mse",
) -> tuple[float, LSTMParams]:
    """The loss and its (truncated) BPTT gradients for one batch, as rnnlib.loss_and_gradients.

    Parameters
    ----------
    params : LSTMParams
        The model.
    X : array (N, T, D)
        Inputs.
    Y : array (N, O) or (N, T, O)
        Targets (one-hot rows for "cross_entropy"): at the last step, or at every step
        (rnnlib.cells).
    truncation : int or None
        BPTT depth k >= 1 (for a loss at every step: chunks of k steps, rnnlib.cells), None for
        full BPTT.
    loss : str
        "mse" (half mean squared error) or "cross_entropy" (softmax), see rnnlib.losses.

    Returns
    -------
    loss : float
    grads : LSTMParams
        With the shapes of params.

    Raises
    ------
    TypeError
        For params, X, Y, truncation or loss of the wrong kind.
    ValueError
        For wrong shapes or values (NaN or infinite X or Y, truncation < 1, an unknown loss),
        or a loss or gradient that overflows float64.
    """
    return cell_loss_and_gradients(LSTM, _check_params(params), X, Y, truncation, loss)


def lstm_predict(params: LSTMParams, X: np.ndarray) -> np.ndarray:
    """Predictions (N, O) for inputs X (N, T, D); the forward pass without its cache.

    Parameters
    ----------
    params : LSTMParams
        The model.
    X : array (N, T, D)
        Inputs.

    Returns
    -------
    array (N, O)
        h_T V^T + c; for a classifier the logits (see rnnlib.losses.softmax).

    Raises
    ------
    TypeError, ValueError
        For params that are not LSTMParams or of inconsistent shapes, X of the wrong shape
        (as lstm_forward).
    """
    return lstm_forward(params, X)[0]
