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

train_gru trains one network; train_grus trains several of the same shape side by side (one per
seed, say), each step's numpy operations serving all of them, with the result train_gru gives
each alone.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields

import numpy as np

from rnnlib._checks import as_float_array, generator, positive_float, positive_int
from rnnlib._threads import one_blas_thread
from rnnlib.bptt import truncation_steps
from rnnlib.model import check_inputs, check_targets, mse_loss, time_major
from rnnlib.optimizers import make_optimizer
from rnnlib.rounding import jittered
from rnnlib.training import History, TrainingDiverged

GRU_PARAM_NAMES = ("U", "W", "b", "b_n", "V", "c")


@dataclass
class GRUParams:
    """The GRU's parameters (also used for their gradients, which have the same shapes).

    U: (3H, D) input weights [U_r; U_z; U_n]     W: (3H, H) recurrent weights [W_r; W_z; W_n]
    b: (3H,) input-side biases [b_r; b_z; b_xn]  b_n: (H,) recurrent bias inside the reset gate
    V: (O, H) output weights                     c: (O,) output bias
    """

    U: np.ndarray
    W: np.ndarray
    b: np.ndarray
    b_n: np.ndarray
    V: np.ndarray
    c: np.ndarray

    @property
    def input_size(self) -> int:
        return self.U.shape[1]

    @property
    def hidden_size(self) -> int:
        return self.b_n.shape[0]

    @property
    def output_size(self) -> int:
        return self.V.shape[0]

    def items(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) pairs in the order U, W, b, b_n, V, c."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def copy(self) -> GRUParams:
        return GRUParams(*(np.array(a, dtype=np.float64, copy=True) for _, a in self.items()))

    def norm(self) -> float:
        """Global L2 norm over all six arrays together."""
        return float(np.sqrt(sum(float(np.vdot(a, a)) for _, a in self.items())))

    def validate(self) -> GRUParams:
        """Check rank, finiteness and the agreement of the shapes; return self."""
        H = as_float_array(self.b_n, "b_n", 1, "(H,)").shape[0]
        D = as_float_array(self.U, "U", 2, "(3H, D)").shape[1]
        O = as_float_array(self.V, "V", 2, "(O, H)").shape[0]
        expected = {"U": ((3 * H, D), "(3H, D)"), "W": ((3 * H, H), "(3H, H)"),
                    "b": ((3 * H,), "(3H,)"), "V": ((O, H), "(O, H)"), "c": ((O,), "(O,)")}
        for name, (shape, what) in expected.items():
            array = as_float_array(getattr(self, name), name, len(shape), what)
            if array.shape != shape:
                raise ValueError(
                    f"{name} must have shape {what} = {shape} to match b_n (H = {H}), "
                    f"U (D = {D}) and V (O = {O}), got {array.shape}"
                )
        return self


def _check_params(params) -> GRUParams:
    if not isinstance(params, GRUParams):
        raise TypeError(f"params must be rnnlib.gated.GRUParams, got {type(params).__name__}")
    return params.validate()


def init_gru(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
) -> GRUParams:
    """Draw initial parameters: U, W, V ~ uniform(-1/sqrt(H), 1/sqrt(H)), all biases zero.

    (The same range as rnnlib.model.init_params's "uniform" scheme and torch.nn.GRU's weights.)
    Returns GRUParams with U (3H, D), W (3H, H), b (3H,), b_n (H,), V (O, H), c (O,).
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

    Inside, the S networks trained side by side (S = 1 for gru_forward) and the records run
    along the last axes: each step's gates are a (3H, S, N) array whose r, z and n blocks are
    contiguous, so that numpy's elementwise operations run at full speed.
    Xt (T, S, N, D) inputs; hidden (T + 1, H, S, N) h_0 .. h_T; pre (T, 3H, S, N) [r_t; z_t;
    n_t]; m (T, H, S, N) m_t = W_n h_{t-1} + b_n; diff (T, H, S, N) h_{t-1} - n_t.
    The properties states (T + 1, N, H) and gates (T, N, 3H) give the first network's numbers
    with records first, as in the rest of rnnlib (views, no copies).
    """

    Xt: np.ndarray
    hidden: np.ndarray
    pre: np.ndarray
    m: np.ndarray
    diff: np.ndarray

    @property
    def states(self) -> np.ndarray:
        """(T + 1, N, H): h_0 .. h_T."""
        return self.hidden[:, :, 0].transpose(0, 2, 1)

    @property
    def gates(self) -> np.ndarray:
        """(T, N, 3H): [r_t, z_t, n_t] for each step."""
        return self.pre[:, :, 0].transpose(0, 2, 1)


class _Workspace:
    """Buffers for _run and _backward, kept between the batches of a training run so that an
    epoch allocates no large arrays (fresh pages cost page faults). One per thread."""

    def __init__(self):
        self._arrays: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        key = (name, shape)
        if key not in self._arrays:
            self._arrays[key] = np.empty(shape)
        return self._arrays[key]


def _stack(params_list: list[GRUParams]) -> GRUParams:
    """S networks' parameters as one GRUParams whose arrays have a leading axis S."""
    return GRUParams(*(np.stack(arrays) for arrays in zip(
        *([a for _, a in p.items()] for p in params_list), strict=True)))


def _unstack(stacked: GRUParams, s: int) -> GRUParams:
    """Network s of a stacked GRUParams (copies)."""
    return GRUParams(*(np.array(a[s]) for _, a in stacked.items()))


def _run(
    params: GRUParams, Xt: np.ndarray, h0: np.ndarray | None = None, work: _Workspace | None = None
) -> GRUCache:
    """The recurrence with no checks, for S networks side by side. params: stacked (_stack);
    Xt: (T, S, N, D); h0: (S, N, H) or None for zeros; work: buffers to reuse (the cache then
    lives in them until the next call), or None for fresh arrays.

    sigma(a) = 1 / (1 + exp(-a)) and tanh(a) = 2 / (1 + exp(-2a)) - 1 are written out with
    numpy's exp, in place (exp may overflow to inf, which gives the right limits 0 and -1, so its
    warning is silenced). The r and z rows of U, b and W are negated once, so that each step's
    matrix product gives -a for them directly.
    """
    T, S, N, D = Xt.shape
    H = params.b_n.shape[1]
    work = _Workspace() if work is None else work
    hidden = work.get("hidden", (T + 1, H, S, N))
    pre = work.get("pre", (T, 3 * H, S, N))
    m = work.get("m", (T, H, S, N))
    diff = work.get("diff", (T, H, S, N))
    recurrent = work.get("recurrent", (3 * H, S, N))
    scratch = work.get("scratch", (H, S, N))
    hidden[0] = 0.0 if h0 is None else h0.transpose(2, 0, 1)
    sign = np.ones((3 * H, 1))
    sign[: 2 * H] = -1.0
    # the inputs' part of every step at once, written into pre: -(U_r x_t + b_r),
    # -(U_z x_t + b_z), U_n x_t + b_xn
    np.matmul(params.U * sign, Xt.transpose(0, 1, 3, 2), out=pre.transpose(0, 2, 1, 3))
    pre += (params.b * sign[:, 0]).T[:, :, None]
    W = params.W * sign  # (S, 3H, H): -W_r, -W_z, W_n
    b_n = params.b_n.T[:, :, None]
    products = recurrent.transpose(1, 0, 2)  # (S, 3H, N): one matrix product per network
    with np.errstate(over="ignore"):
        for t in range(T):
            h = hidden[t]
            p = pre[t]
            np.matmul(W, h.transpose(1, 0, 2), out=products)
            rz = p[: 2 * H]  # r, z = sigma(a) = 1 / (1 + exp(-a))
            rz += recurrent[: 2 * H]
            np.exp(rz, out=rz)
            rz += 1.0
            np.reciprocal(rz, out=rz)
            m_t = m[t]
            np.add(recurrent[2 * H :], b_n, out=m_t)
            n = p[2 * H :]  # n = tanh(a) = 2 / (1 + exp(-2 a)), a = U_n x + b_xn + r m
            np.multiply(p[:H], m_t, out=scratch)
            n += scratch
            n *= -2.0
            np.exp(n, out=n)
            n += 1.0
            np.divide(2.0, n, out=n)
            n -= 1.0
            d_t = diff[t]  # h_t = n + z (h_{t-1} - n)
            np.subtract(h, n, out=d_t)
            h_new = hidden[t + 1]
            np.multiply(d_t, p[H : 2 * H], out=h_new)
            h_new += n
    return GRUCache(Xt=Xt, hidden=hidden, pre=pre, m=m, diff=diff)


def gru_forward(
    params: GRUParams,
    X: np.ndarray,
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, GRUCache]:
    """Run the GRU over a batch of windows.

    params: GRUParams (see the class). X: (N, T, D) inputs. h0: (N, H) initial states, zeros if
    None. Returns Y_hat (N, O) = h_T V^T + c and a GRUCache (states (T + 1, N, H), ...).
    """
    params = _check_params(params)
    X = check_inputs(params, X)
    N, T, _ = X.shape
    H = params.hidden_size
    if h0 is not None:
        h0 = as_float_array(h0, "h0", 2, f"(N, H) = ({N}, {H})")
        if h0.shape != (N, H):
            raise ValueError(f"h0 must have shape (N, H) = ({N}, {H}), got {h0.shape}")
    with one_blas_thread():
        cache = _run(_stack([params]), time_major(X)[:, None], None if h0 is None else h0[None])
    return cache.states[T] @ params.V.T + params.c, cache


def gru_predict(params: GRUParams, X: np.ndarray) -> np.ndarray:
    """Predictions (N, O) for inputs X (N, T, D); the forward pass without its cache."""
    return gru_forward(params, X)[0]


def _backward(
    dY_hat: np.ndarray,
    params: GRUParams,
    cache: GRUCache,
    k: int,
    work: _Workspace | None = None,
    keep_state_grads: bool = True,
) -> tuple[GRUParams, np.ndarray | None]:
    """BPTT with no checks, for S networks side by side (see gru_backward). dY_hat: (S, N, O);
    params: stacked; work: buffers to reuse or None. Returns stacked grads and, if
    keep_state_grads, the state gradients (T + 1, H, S, N) (else None)."""
    Xt, hidden, pre, m, diff = cache.Xt, cache.hidden, cache.pre, cache.m, cache.diff
    T, H, S, N = m.shape
    first = T - k
    WT = params.W.transpose(0, 2, 1)
    work = _Workspace() if work is None else work
    # per reached step: d = [da_r; da_z; dm] (what meets W and h_{t-1}); da_n separately
    dGh = work.get("dGh", (k, 3 * H, S, N))
    da_n = work.get("da_n", (k, H, S, N))
    one_minus = work.get("one_minus", (2 * H, S, N))  # scratch, reused per step: 1 - r, 1 - z
    scratch = work.get("scratch", (H, S, N))  # 1 - n^2, then g z
    dW = np.zeros((S, 3 * H, H))
    product = work.get("product", (S, 3 * H, H))
    if keep_state_grads:
        state_grads = np.zeros((T + 1, H, S, N))
        g_buffers = state_grads[::-1]  # g_t is written into state_grads[t]
    else:
        state_grads = None
        pair = work.get("g_pair", (2, H, S, N))
        g_buffers = [pair[i % 2] for i in range(T + 1)]
    g = g_buffers[0]
    np.matmul(params.V.transpose(0, 2, 1), dY_hat.transpose(0, 2, 1), out=g.transpose(1, 0, 2))
    for t in range(T - 1, first - 1, -1):
        i = t - first
        p = pre[t]
        r, z, n = p[:H], p[H : 2 * H], p[2 * H :]
        d = dGh[i]
        d_r, d_z, d_m, dan = d[:H], d[H : 2 * H], d[2 * H :], da_n[i]
        np.subtract(1.0, p[: 2 * H], out=one_minus)
        np.multiply(n, n, out=scratch)
        np.subtract(1.0, scratch, out=scratch)
        np.multiply(g, one_minus[H:], out=dan)  # da_n = g (1 - z) (1 - n^2)
        dan *= scratch
        np.multiply(dan, r, out=d_m)  # dm = da_n r
        np.multiply(d_m, m[t], out=d_r)  # da_r = da_n r m (1 - r)
        np.multiply(g, diff[t], out=d_z)  # da_z = g (h_{t-1} - n) z (1 - z)
        d_z *= z
        d[: 2 * H] *= one_minus
        per_network = d.transpose(1, 0, 2)  # (S, 3H, N)
        np.matmul(per_network, hidden[t].transpose(1, 2, 0), out=product)  # dW += d h_{t-1}^T
        dW += product
        g_next = g_buffers[T - t]  # g_{t-1} = g_t z + W^T d
        np.matmul(WT, per_network, out=g_next.transpose(1, 0, 2))
        np.multiply(g, z, out=scratch)
        g_next += scratch
        g = g_next
    # U and b meet [da_r; da_z; da_n]: d's r and z blocks, then da_n in place of dm
    inputs = Xt[first:]  # (k, S, N, D)
    dU = np.matmul(dGh.transpose(0, 2, 1, 3), inputs).sum(axis=0)
    dU[:, 2 * H :] = np.matmul(da_n.transpose(0, 2, 1, 3), inputs).sum(axis=0)
    sums = dGh.sum(axis=(0, 3)).T  # (S, 3H)
    db = sums.copy()
    db[:, 2 * H :] = da_n.sum(axis=(0, 3)).T
    grads = GRUParams(
        U=dU,
        W=dW,
        b=db,
        b_n=sums[:, 2 * H :].copy(),
        V=np.matmul(dY_hat.transpose(0, 2, 1), hidden[T].transpose(1, 2, 0)),
        c=dY_hat.sum(axis=1),
    )
    return grads, state_grads


def gru_backward(
    dY_hat: np.ndarray,
    params: GRUParams,
    cache: GRUCache,
    truncation: int | None = None,
) -> tuple[GRUParams, np.ndarray]:
    """Gradients of the loss from dL/dY_hat by (truncated) BPTT through the GRU.

    dY_hat: (N, O); params: the model the forward pass used; cache: from gru_forward;
    truncation: depth k >= 1 (see the module docstring) or None for full BPTT.
    Returns (grads, state_grads): grads with the shapes of params; state_grads (T + 1, N, H)
    holds g_t = dL/dh_t for t = T-k .. T (at T-k: what reaches the held state) and zeros before.
    """
    params = _check_params(params)
    if not isinstance(cache, GRUCache):
        raise TypeError(f"cache must be the GRUCache from gru_forward, got {type(cache).__name__}")
    T, H, _, N = cache.m.shape
    if H != params.hidden_size or cache.Xt.shape[3] != params.input_size:
        raise ValueError(
            f"cache (H = {H}, D = {cache.Xt.shape[3]}) does not match params "
            f"(H = {params.hidden_size}, D = {params.input_size}): pass the params of the "
            "forward pass"
        )
    k = truncation_steps(truncation, T)
    dY_hat = check_targets(params, dY_hat, N, "dY_hat")
    with one_blas_thread():
        grads, state_grads = _backward(dY_hat[None], _stack([params]), cache, k)
    return _unstack(grads, 0), state_grads[:, :, 0].transpose(0, 2, 1)


def gru_loss_and_gradients(
    params: GRUParams,
    X: np.ndarray,
    Y: np.ndarray,
    truncation: int | None = None,
) -> tuple[float, GRUParams]:
    """The loss (half MSE, rnnlib.model.mse_loss) and its (truncated) BPTT gradients.

    X: (N, T, D) inputs; Y: (N, O) targets. Returns (loss, grads).
    """
    params = _check_params(params)
    X = check_inputs(params, X)
    Y = check_targets(params, Y, X.shape[0])
    k = truncation_steps(truncation, X.shape[1])
    Y_hat, cache = gru_forward(params, X)
    loss, dY_hat = mse_loss(Y_hat, Y)
    with one_blas_thread():
        grads = _backward(dY_hat[None], _stack([params]), cache, k, keep_state_grads=False)[0]
    return loss, _unstack(grads, 0)


# A batch is split over two threads when each half holds at least this many state values per
# step (networks x records x hidden units), as in rnnlib.training.
PARALLEL_MIN_STATES = 2500


def _batch_gradient(
    params: GRUParams,
    Xt: np.ndarray,
    Y: np.ndarray,
    k: int,
    pool: ThreadPoolExecutor,
    works: tuple[_Workspace, _Workspace],
) -> tuple[np.ndarray, GRUParams]:
    """Losses (S,) and stacked gradients of one batch for S networks side by side: Xt
    (T, S, N, D), Y (S, N, O). Both halves of a large batch run side by side (the loss is a sum
    over records, dL/dY_hat of a record is (Y_hat - Y) / N), each in its own workspace."""
    T, S, N, _ = Xt.shape
    H = params.b_n.shape[1]
    VT = params.V.transpose(0, 2, 1)

    def part(rows: slice, work: _Workspace) -> tuple[np.ndarray, GRUParams]:
        with np.errstate(over="ignore", invalid="ignore"):  # errstate is per thread
            cache = _run(params, Xt[:, :, rows], work=work)
            Y_hat = np.matmul(cache.hidden[T].transpose(1, 2, 0), VT) + params.c[:, None]
            diff = Y_hat - Y[:, rows]
            grads = _backward(diff / N, params, cache, k, work, keep_state_grads=False)[0]
            return np.einsum("sno,sno->s", diff, diff), grads

    if S * (N // 2) * H < PARALLEL_MIN_STATES:
        squares, grads = part(slice(0, N), works[0])
        return squares / (2 * N), grads
    (squares0, first), (squares1, second) = pool.map(
        part, (slice(0, N // 2), slice(N // 2, N)), works)
    return (squares0 + squares1) / (2 * N), GRUParams(
        *(a + b for (_, a), (_, b) in zip(first.items(), second.items(), strict=True)))


def train_gru(
    params: GRUParams,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float,
    epochs: int,
    optimizer: str = "adam",
    batch_size: int | None = None,
    rng: np.random.Generator | None = None,
    truncation: int | None = None,
) -> tuple[GRUParams, History]:
    """Train a copy of ``params`` on windows X (N, T, D) with targets Y (N, O).

    The loop of rnnlib.training.train, kept short for the gated cell: each epoch visits every
    record once, full batch (batch_size None) or in minibatches shuffled by rng; each batch
    makes one update by ``optimizer`` ("adam", the default here, or "sgd"; rnnlib.optimizers).
    history.train_loss holds each epoch's mean batch loss, each taken before its update.
    A NaN or infinite loss or gradient raises rnnlib.training.TrainingDiverged.
    Returns (trained params, history); the params passed in are not modified.
    """
    return train_grus([params], X, Y, learning_rate=learning_rate, epochs=epochs,
                      optimizer=optimizer, batch_size=batch_size, rngs=[rng],
                      truncation=truncation)[0]


def train_grus(
    params_list: list[GRUParams],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float,
    epochs: int,
    optimizer: str = "adam",
    batch_size: int | None = None,
    rngs: list[np.random.Generator | None] | None = None,
    truncation: int | None = None,
) -> list[tuple[GRUParams, History]]:
    """Train S GRUs of the same shape side by side, as train_gru trains one: network s starts
    from params_list[s] and shuffles with rngs[s] (needed when batch_size < N), and its result
    is train_gru's with the same arguments, up to rounding. Each step's numpy operations serve
    all S networks at once: for small networks, whose time goes to each operation's fixed cost,
    S networks cost little more than one (e.g. one network over several seeds).
    Returns [(trained params, history)] in the order of params_list.
    """
    if not isinstance(params_list, list | tuple) or not params_list:
        raise ValueError("params_list must be a non-empty list of GRUParams")
    params_list = [_check_params(p).copy() for p in params_list]
    S = len(params_list)
    shape = [a.shape for _, a in params_list[0].items()]
    for s, p in enumerate(params_list):
        if [a.shape for _, a in p.items()] != shape:
            raise ValueError(f"params_list[{s}] has other shapes than params_list[0]: "
                             "networks trained side by side must have the same sizes")
    X = check_inputs(params_list[0], X)
    Y = check_targets(params_list[0], Y, X.shape[0])
    N, T, _ = X.shape
    epochs = positive_int(epochs, "epochs")
    k = truncation_steps(truncation, T)
    update = make_optimizer(optimizer, positive_float(learning_rate, "learning_rate"))
    batch = N if batch_size is None else min(positive_int(batch_size, "batch_size"), N)
    rngs = [None] * S if rngs is None else list(rngs)
    if len(rngs) != S:
        raise ValueError(f"rngs must hold one generator per network ({S}), got {len(rngs)}")
    if batch < N:
        rngs = [generator(r) for r in rngs]
    params = _stack(params_list)
    Xt = time_major(X)
    histories = [History() for _ in range(S)]
    works = (_Workspace(), _Workspace())
    # as in rnnlib.training: one BLAS thread (the matrices are small), and a large batch split
    # into two halves of records whose passes run in two threads, one per core
    with one_blas_thread(), ThreadPoolExecutor(max_workers=2) as pool:
        for epoch in range(1, epochs + 1):
            orders = (np.broadcast_to(np.arange(N), (S, N)) if batch == N
                      else np.stack([r.permutation(N) for r in rngs]))
            losses, norms = [], []
            for start in range(0, N, batch):
                rows = orders[:, start : start + batch]  # (S, B): each network's records
                loss, grads = _batch_gradient(params, Xt[:, rows], Y[rows], k, pool, works)
                with np.errstate(over="ignore", invalid="ignore"):
                    norm = np.sqrt(sum((a * a).reshape(len(a), -1).sum(axis=1)
                                       for _, a in grads.items()))
                losses.append(loss)
                norms.append(norm)
                bad = ~(np.isfinite(loss) & np.isfinite(norm))
                if bad.any():
                    s = int(np.flatnonzero(bad)[0])
                    history = histories[s]
                    history.train_loss.append(float(np.mean([x[s] for x in losses])))
                    history.grad_norm.append(float(np.mean([x[s] for x in norms])))
                    history.diverged_epoch = epoch
                    value = loss[s] if not np.isfinite(loss[s]) else norm[s]
                    which = f" (network {s})" if S > 1 else ""
                    history.message = (
                        f"Training diverged at epoch {epoch}{which}: the loss or gradient became "
                        f"{value}; try a smaller learning_rate (now {learning_rate:g})."
                    )
                    raise TrainingDiverged(history.message, history)
                update.step(params, grads)
            for s, history in enumerate(histories):
                history.train_loss.append(float(np.mean([x[s] for x in losses])))
                history.grad_norm.append(float(np.mean([x[s] for x in norms])))
    return [(_unstack(params, s), histories[s]) for s in range(S)]
