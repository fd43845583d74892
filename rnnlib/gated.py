"""A gated recurrent unit (GRU): forward pass, truncated BPTT and a small training loop.

Why a GRU: it is the smaller of the two classic gated cells (two gates and no separate memory
cell, against the LSTM's three gates and cell), and it has the same cure for the vanishing
gradient: a path from h_{t-1} to h_t that is a gated copy rather than a squashed matrix product.

The variant is PyTorch's and cuDNN's (torch.nn.GRU), in which the reset gate multiplies the
recurrent matrix product after it is taken, r * (W_n h_{t-1} + b_n); in the original of Cho et
al. (2014) r multiplies h_{t-1} before the product, W_n (r * h_{t-1}). For each record, with
sigma the logistic function and * elementwise:

    r_t = sigma(U_r x_t + W_r h_{t-1} + b_r)                  (H,)  reset gate
    z_t = sigma(U_z x_t + W_z h_{t-1} + b_z)                  (H,)  update gate
    n_t = tanh(U_n x_t + b_xn + r_t * (W_n h_{t-1} + b_n))     (H,)  candidate state
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                     (H,)  new state, h_0 = 0
    y_hat = V h_T + c                                         (O,)  read from the last state

The three input matrices are stacked as U = [U_r; U_z; U_n] (3H, D), the three recurrent ones as
W = [W_r; W_z; W_n] (3H, H), and b = [b_r; b_z; b_xn] (3H,); b_n (H,) is the recurrent bias
inside the reset gate. (torch.nn.GRU has two bias vectors b_ih, b_hh of size 3H: its b_ih +
b_hh on the r and z rows is our b_r, b_z; its b_ih on the n rows is our b_xn, its b_hh there our
b_n.) When z_t is near 1 the state is copied, and dh_t/dh_{t-1} is near the identity: the error
travels back undiminished.

The loss is rnnlib.model's half mean squared error. BPTT runs backwards with g_t = dL/dh_t,
g_T = dL/dy_hat V, and for t = T, T-1, ...:

    dn = g_t * (1 - z_t),          da_n = dn * (1 - n_t**2)              (through tanh)
    dz = g_t * (h_{t-1} - n_t),    da_z = dz * z_t * (1 - z_t)
    dm = da_n * r_t                (m_t = W_n h_{t-1} + b_n)
    dr = da_n * m_t,               da_r = dr * r_t * (1 - r_t)
    g_{t-1} = g_t * z_t + [da_r, da_z, dm] W

and step t adds [da_r, da_z, da_n]^T x_t to dU, [da_r, da_z, dm]^T h_{t-1} to dW, [da_r, da_z,
da_n] to db, dm to db_n (summed over records).

Truncation depth k has rnnlib.bptt's definition: the error flows through the last k steps
only, t = T-k+1 .. T, which is the exact gradient of the loss with h_{T-k} held constant.
k = None (or k >= T) is full BPTT.

The cell is GRU, a rnnlib.cells.Cell: rnnlib.train trains GRUParams as it trains the plain
cell's Params, with the same losses, optimizers, clipping, divergence rule and History.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rnnlib._checks import (
    check_h0,
    check_inputs,
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
class GRUParams(CellParams):
    """The GRU's parameters (also used for their gradients, which have the same shapes).

    U: (3H, D) input weights [U_r; U_z; U_n]     W: (3H, H) recurrent weights [W_r; W_z; W_n]
    b: (3H,) input-side biases [b_r; b_z; b_xn]  b_n: (H,) recurrent bias inside the reset gate
    V: (O, H) output weights                     c: (O,) output bias

    items(), copy(), norm(), validate() and the sizes come from rnnlib.cells.CellParams.
    """

    U: np.ndarray
    W: np.ndarray
    b: np.ndarray
    b_n: np.ndarray
    V: np.ndarray
    c: np.ndarray

    # the shape table: every array's shape in terms of D, H, O, and where each size is read
    SHAPES: ClassVar[dict[str, str]] = {"U": "(3H, D)", "W": "(3H, H)", "b": "(3H,)",
                                        "b_n": "(H,)", "V": "(O, H)", "c": "(O,)"}
    SIZES: ClassVar[dict[str, tuple[str, int]]] = {"H": ("b_n", 0), "D": ("U", 1),
                                                   "O": ("V", 0)}


def _check_params(params) -> GRUParams:
    kind(params, "params", GRUParams, "rnnlib.gated.GRUParams (e.g. from rnnlib.init_gru)")
    return params.validate()


def init_gru(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
) -> GRUParams:
    """Draw initial GRU parameters: U, W, V ~ uniform(-1/sqrt(H), 1/sqrt(H)), biases zero.

    (The same range as rnnlib.model.init_params's "uniform" scheme and torch.nn.GRU's weights.)

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H, O >= 1.
    rng : numpy.random.Generator
        Draws U, W, V in that order.

    Returns
    -------
    GRUParams
        U (3H, D), W (3H, H), b (3H,), b_n (H,), V (O, H), c (O,).

    Raises
    ------
    TypeError, ValueError
        For sizes that are not integers >= 1, an rng that is not a Generator.
    """
    D = positive_int(input_size, "input_size")
    H = positive_int(hidden_size, "hidden_size")
    O = positive_int(output_size, "output_size")
    rng = generator(rng)
    bound = 1.0 / np.sqrt(H)
    return GRUParams(
        U=jittered(rng.uniform(-bound, bound, (3 * H, D))),
        W=jittered(rng.uniform(-bound, bound, (3 * H, H))),
        b=np.zeros(3 * H),
        b_n=np.zeros(H),
        V=jittered(rng.uniform(-bound, bound, (O, H))),
        c=np.zeros(O),
    )


@dataclass
class GRUCache:
    """What the backward pass needs from the forward pass, one entry per step.

    Inside, the records run along the last axis: each step's gates are a (3H, N) array whose r,
    z and n blocks are contiguous, so that numpy's elementwise operations run at full speed.
    Xt (T, N, D) inputs; hidden (T + 1, H, N) h_0 .. h_T; pre (T, 3H, N) [r_t; z_t; n_t];
    m (T, H, N) m_t = W_n h_{t-1} + b_n; diff (T, H, N) h_{t-1} - n_t.
    The properties states (T + 1, N, H) and gates (T, N, 3H) give them with records first, as
    in the rest of rnnlib (views, no copies).
    """

    Xt: np.ndarray
    hidden: np.ndarray
    pre: np.ndarray
    m: np.ndarray
    diff: np.ndarray

    @property
    def states(self) -> np.ndarray:
        """(T + 1, N, H): h_0 .. h_T."""
        return self.hidden.transpose(0, 2, 1)

    @property
    def gates(self) -> np.ndarray:
        """(T, N, 3H): [r_t, z_t, n_t] for each step."""
        return self.pre.transpose(0, 2, 1)


def _run(params: GRUParams, Xt: np.ndarray, h0: np.ndarray | None = None,
         work: Workspace | None = None) -> GRUCache:
    """The recurrence with no checks. Xt: (T, N, D); h0: (N, H) or None for zeros; work:
    buffers to reuse (the cache then lives in them until the next call), or None.

    sigma and tanh are rnnlib.activations' in-place forms (sigmoid_of_negated, tanh_into; exp
    may overflow to inf, which gives the right limits 0 and -1, so its warning is silenced).
    The r and z rows of U, b and W are negated once, so that each step's matrix product gives
    -a for them directly.
    """
    T, N, _ = Xt.shape
    H = params.hidden_size
    hidden = buffer(work, "hidden", (T + 1, H, N))
    pre = buffer(work, "pre", (T, 3 * H, N))
    m = buffer(work, "m", (T, H, N))
    diff = buffer(work, "diff", (T, H, N))
    recurrent = buffer(work, "recurrent", (3 * H, N))
    scratch = buffer(work, "scratch", (H, N))
    hidden[0] = 0.0 if h0 is None else h0.T
    sign = np.ones((3 * H, 1))
    sign[: 2 * H] = -1.0
    # the inputs' part of every step at once, written into pre: -(U_r x_t + b_r),
    # -(U_z x_t + b_z), U_n x_t + b_xn
    np.matmul(params.U * sign, Xt.transpose(0, 2, 1), out=pre)
    pre += (params.b * sign[:, 0])[:, None]
    W = params.W * sign  # -W_r, -W_z, W_n
    b_n = params.b_n[:, None]
    with np.errstate(over="ignore"):
        for t in range(T):
            h = hidden[t]
            p = pre[t]
            np.matmul(W, h, out=recurrent)
            rz = p[: 2 * H]  # r, z = sigma(a), from -a
            rz += recurrent[: 2 * H]
            sigmoid_of_negated(rz)
            m_t = m[t]
            np.add(recurrent[2 * H :], b_n, out=m_t)
            n = p[2 * H :]  # n = tanh(a), a = U_n x + b_xn + r m
            np.multiply(p[:H], m_t, out=scratch)
            n += scratch
            tanh_into(n, n)
            d_t = diff[t]  # h_t = n + z (h_{t-1} - n)
            np.subtract(h, n, out=d_t)
            h_new = hidden[t + 1]
            np.multiply(d_t, p[H : 2 * H], out=h_new)
            h_new += n
    return GRUCache(Xt=Xt, hidden=hidden, pre=pre, m=m, diff=diff)


def _backward(params: GRUParams, cache: GRUCache, dh: np.ndarray, k: int,
              work: Workspace | None = None) -> tuple[GRUParams, np.ndarray]:
    """BPTT through the last k steps with no checks (equations in the module docstring).

    dh: (T + 1, N, H) dL/dh_t from the read-out (not modified). Returns (grads, g): grads with
    zeros for V, c (the read-out's); g (T + 1, N, H) the state gradients, zeros before T-k.
    """
    Xt, hidden, pre, m, diff = cache.Xt, cache.hidden, cache.pre, cache.m, cache.diff
    T, H, N = m.shape
    first = T - k
    WT = params.W.T
    # per reached step: d = [da_r; da_z; dm] (what meets W and h_{t-1}); da_n separately
    dGh = buffer(work, "dGh", (k, 3 * H, N))
    da_n = buffer(work, "da_n", (k, H, N))
    one_minus = buffer(work, "one_minus", (2 * H, N))  # per step: 1 - r, 1 - z
    scratch = buffer(work, "g_scratch", (H, N))  # 1 - n^2, then g z
    product = buffer(work, "product", (3 * H, H))
    dW = np.zeros((3 * H, H))
    g = buffer(work, "g", (T + 1, H, N))  # g_t = dL/dh_t, records last
    g[:first] = 0.0
    dh = dh.transpose(0, 2, 1)
    g[T] = dh[T]
    losses_before = bool(dh[first:T].any())  # False for a many-to-one loss: g_T alone
    for t in range(T - 1, first - 1, -1):
        i = t - first
        p = pre[t]
        r, z, n = p[:H], p[H : 2 * H], p[2 * H :]
        g_t = g[t + 1]
        d = dGh[i]
        d_r, d_z, d_m, dan = d[:H], d[H : 2 * H], d[2 * H :], da_n[i]
        np.subtract(1.0, p[: 2 * H], out=one_minus)
        np.multiply(n, n, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(g_t, one_minus[H:], out=dan)  # da_n = g (1 - z) (1 - n^2)
        dan *= scratch
        np.multiply(dan, r, out=d_m)  # dm = da_n r
        np.multiply(d_m, m[t], out=d_r)  # da_r = da_n r m (1 - r)
        np.multiply(g_t, diff[t], out=d_z)  # da_z = g (h_{t-1} - n) z (1 - z)
        d_z *= z
        d[: 2 * H] *= one_minus
        np.matmul(d, hidden[t].T, out=product)  # dW += d h_{t-1}^T
        dW += product
        g_next = g[t]  # g_{t-1} = g_t z + W^T d + dL/dh_{t-1}
        np.matmul(WT, d, out=g_next)
        np.multiply(g_t, z, out=scratch)
        g_next += scratch
        if losses_before:
            g_next += dh[t]
    # U and b meet [da_r; da_z; da_n]: d's r and z blocks, then da_n in place of dm
    inputs = Xt[first:]  # (k, N, D)
    dU = np.matmul(dGh, inputs).sum(axis=0)
    dU[2 * H :] = np.matmul(da_n, inputs).sum(axis=0)
    sums = dGh.sum(axis=(0, 2))  # (3H,)
    db = sums.copy()
    db[2 * H :] = da_n.sum(axis=(0, 2))
    grads = GRUParams(U=dU, W=dW, b=db, b_n=sums[2 * H :].copy(),
                      V=np.zeros_like(params.V), c=np.zeros_like(params.c))
    return grads, g.transpose(0, 2, 1)


# the GRU as a rnnlib.cells.Cell (equations in the module docstring)
GRU = GatedCell("gru", GRUParams, GRUCache, _run, _backward)


def gru_forward(
    params: GRUParams,
    X: np.ndarray,
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, GRUCache]:
    """Run the GRU over a batch of windows.

    Parameters
    ----------
    params : GRUParams
        The model (see the class).
    X : array (N, T, D)
        Inputs.
    h0 : array (N, H) or None
        Initial states, zeros if None.

    Returns
    -------
    Y_hat : array (N, O)
        h_T V^T + c.
    cache : GRUCache
        states (T + 1, N, H), gates (T, N, 3H), and what gru_backward needs.

    Raises
    ------
    TypeError, ValueError
        For params that are not GRUParams or of inconsistent shapes, X or h0 of the wrong shape.
    """
    params = _check_params(params)
    X = check_inputs(params, X)
    h0 = check_h0(h0, X.shape[0], params.hidden_size)
    with one_blas_thread():
        states, cache = GRU.forward(params, time_major(X), h0)
    return states[-1] @ params.V.T + params.c, cache


def gru_backward(
    dY_hat: np.ndarray,
    params: GRUParams,
    cache: GRUCache,
    truncation: int | None = None,
) -> tuple[GRUParams, np.ndarray]:
    """Gradients of the loss from dL/dY_hat by (truncated) BPTT through the GRU.

    Parameters
    ----------
    dY_hat : array (N, O)
        Gradient of the loss with respect to the predictions.
    params : GRUParams
        The model the forward pass used.
    cache : GRUCache
        From gru_forward.
    truncation : int or None
        Depth k >= 1 (see the module docstring) or None for full BPTT.

    Returns
    -------
    grads : GRUParams
        With the shapes of params.
    state_grads : array (T + 1, N, H)
        g_t = dL/dh_t for t = T-k .. T (at T-k: what reaches the held state), zeros before.

    Raises
    ------
    TypeError, ValueError
        For a cache that is not a GRUCache or does not match params, dY_hat of the wrong shape.
    """
    return cell_backward(GRU, _check_params(params), cache, dY_hat, truncation)


def gru_loss_and_gradients(
    params: GRUParams,
    X: np.ndarray,
    Y: np.ndarray,
    truncation: int | None = None,
    *,
    loss: str = "mse",
) -> tuple[float, GRUParams]:
    """The loss and its (truncated) BPTT gradients for one batch, as rnnlib.loss_and_gradients.

    Parameters
    ----------
    params : GRUParams
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
    grads : GRUParams
        With the shapes of params.

    Raises
    ------
    TypeError
        For params, X, Y, truncation or loss of the wrong kind.
    ValueError
        For wrong shapes or values (NaN or infinite X or Y, truncation < 1, an unknown loss),
        or a loss or gradient that overflows float64.
    """
    return cell_loss_and_gradients(GRU, _check_params(params), X, Y, truncation, loss)


def gru_predict(params: GRUParams, X: np.ndarray) -> np.ndarray:
    """Predictions (N, O) for inputs X (N, T, D); the forward pass without its cache.

    Parameters
    ----------
    params : GRUParams
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
        For params that are not GRUParams or of inconsistent shapes, X of the wrong shape
        (as gru_forward).
    """
    return gru_forward(params, X)[0]
