"""The model: parameters, initialisation, the forward pass and the loss.

A many-to-one Elman RNN. For each record, with inputs x_1 .. x_T (each of size D),

    a_t = U x_t + W h_{t-1} + b        (H,)      pre-activation
    h_t = f(a_t)                       (H,)      hidden state, h_0 given (zeros by default)
    y_hat = V h_T + c                  (O,)      prediction, read from the last state only

The same U, W and b serve every time step (weight sharing). Over a batch of N records the
states form an array of shape (N, H) per step; rnnlib stores them time-major, (T + 1, N, H),
with the initial state at index 0.

Static features (optional). A record may come with S features that do not change over time
(a patient's age, a station's altitude). The model then starts from a learned initial state

    h_0 = tanh(A s + a)                (H,)      A: (H, S), a: (H,), s: (S,) the record's features

instead of zeros, so the features condition the whole sequence through the recurrence; A and
a are trained with the other weights (rnnlib.bptt gives their gradients). This is the standard
"conditional initial state" design (as in image captioning, where an image's features set the
RNN's first state): it adds H (S + 1) weights and no work per step. tanh keeps h_0 in the range
of every other state.

The loss over a batch is half the mean squared error summed over outputs,

    L = 1 / (2 N) * sum_n || y_hat_n - y_n ||^2 ,

whose gradient with respect to y_hat_n is simply (y_hat_n - y_n) / N: the 1/2 is there only
to cancel the 2 of the derivative. For classification, y_hat are logits and the loss is the
softmax cross-entropy; both are defined in rnnlib.losses (mse_loss is re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from rnnlib._checks import (  # noqa: F401 (check_inputs, check_targets: re-exported)
    check_h0,
    check_inputs,
    check_static,
    check_targets,
    generator,
    kind,
    positive_int,
    shaped_arrays,
)
from rnnlib._threads import one_blas_thread
from rnnlib.activations import get_activation
from rnnlib.cells import initial_state
from rnnlib.losses import mse_loss
from rnnlib.rounding import jittered

__all__ = ["ForwardCache", "Params", "check_inputs", "check_params", "check_static",
           "check_targets", "forward", "init_params", "initial_state", "mse_loss", "predict",
           "joint_buffer", "joint_inputs", "run_states", "time_major"]


@dataclass
class Params:
    """The RNN's parameters (also used for their gradients, which have the same shapes).

    U: (H, D) input-to-hidden weights       W: (H, H) hidden-to-hidden weights
    V: (O, H) hidden-to-output weights      b: (H,) hidden bias    c: (O,) output bias
    A: (H, S) static-features-to-h_0 weights and a: (H,) their bias, both None (the default)
    for a model without static features: h_0 = tanh(A s + a), see the module docstring.
    """

    U: np.ndarray
    W: np.ndarray
    V: np.ndarray
    b: np.ndarray
    c: np.ndarray
    A: np.ndarray | None = None
    a: np.ndarray | None = None

    # the shape table: every array's shape in terms of D, H, O (and S)
    SHAPES: ClassVar[dict[str, str]] = {"U": "(H, D)", "W": "(H, H)", "V": "(O, H)",
                                        "b": "(H,)", "c": "(O,)"}
    STATIC_SHAPES: ClassVar[dict[str, str]] = {"A": "(H, S)", "a": "(H,)"}

    @property
    def input_size(self) -> int:
        return self.U.shape[1]

    @property
    def hidden_size(self) -> int:
        return self.U.shape[0]

    @property
    def output_size(self) -> int:
        return self.V.shape[0]

    @property
    def static_size(self) -> int:
        """S, the number of static features (0 for a model without them)."""
        return 0 if self.A is None else np.shape(self.A)[1]

    def items(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) pairs in the order U, W, V, b, c (then A, a if the model has them).

        Returns
        -------
        list of (str, array)
            The arrays themselves, not copies; A and a only when they are not None.
        """
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if f.name in self.SHAPES or getattr(self, f.name) is not None]

    def copy(self) -> Params:
        """A copy with every array copied, as float64.

        Returns
        -------
        Params
            New arrays of the same shapes and values (A, a only if the model has them).
        """
        return Params(*(np.array(a, dtype=np.float64, copy=True) for _, a in self.items()))

    def norm(self) -> float:
        """Global L2 norm over all arrays together.

        Returns
        -------
        float
            sqrt of the sum of the squares of every element of every array (A, a included).
        """
        return float(np.sqrt(sum(float(np.vdot(a, a)) for _, a in self.items())))

    def validate(self) -> Params:
        """These parameters checked against SHAPES, as float64 arrays (a new Params).

        Raises TypeError for arrays that are not real numbers, ValueError for NaN or infinite
        values, a wrong rank, shapes that do not agree, or only one of A and a.

        Returns
        -------
        Params
            U (H, D), W (H, H), V (O, H), b (H,), c (O,) (and A (H, S), a (H,)) as float64
            arrays (not necessarily copies).
        """
        if (self.A is None) != (self.a is None):
            raise ValueError(
                "A and a (the static features' weights) must be given together or both be None, "
                f"got A {'None' if self.A is None else 'set'} and a "
                f"{'None' if self.a is None else 'set'}"
            )
        table, sizes = dict(self.SHAPES), {"H": ("U", 0), "D": ("U", 1), "O": ("V", 0)}
        if self.A is not None:
            table |= self.STATIC_SHAPES
            sizes["S"] = ("A", 1)
        return Params(**shaped_arrays(dict(self.items()), table, sizes))


def init_params(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
    scheme: str = "uniform",
    static_size: int = 0,
) -> Params:
    """Draw initial parameters of the plain cell.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        D, H, O >= 1.
    rng : numpy.random.Generator
        Draws U, W, V in that order (then A).
    scheme : str
        "uniform" (the default): U, W, V ~ uniform(-1/sqrt(H), 1/sqrt(H)), b = c = 0; with
        H = 100 every weight is at most 0.1 in size, so tanh starts in its linear range.
        "tutorial": U, W, V ~ uniform(0, 1), b = c = 0, as the tutorial "RNN from scratch in
        Python" draws them; all-positive weights push every unit towards saturation.
    static_size : int
        S >= 0; S > 0 adds A (H, S) ~ uniform(-1/sqrt(S), 1/sqrt(S)) and a = 0 for
        h_0 = tanh(A s + a), drawn after the other weights (so U, W, V are the same as without).

    Returns
    -------
    Params
        U (H, D), W (H, H), V (O, H), b (H,), c (O,) (and A (H, S), a (H,)).

    Raises
    ------
    TypeError
        For sizes that are not integers, an rng that is not a Generator, a scheme not a string.
    ValueError
        For sizes < 1 (static_size < 0) or an unknown scheme.
    """
    D = positive_int(input_size, "input_size")
    H = positive_int(hidden_size, "hidden_size")
    O = positive_int(output_size, "output_size")
    S = positive_int(static_size, "static_size", minimum=0)
    rng = generator(rng)
    if not isinstance(scheme, str):
        raise TypeError(f"scheme must be 'uniform' or 'tutorial', got {type(scheme).__name__}")
    if scheme == "uniform":
        low, high = -1.0 / np.sqrt(H), 1.0 / np.sqrt(H)
    elif scheme == "tutorial":
        low, high = 0.0, 1.0
    else:
        raise ValueError(f"scheme must be 'uniform' or 'tutorial', got {scheme!r}")
    params = Params(
        U=jittered(rng.uniform(low, high, (H, D))),
        W=jittered(rng.uniform(low, high, (H, H))),
        V=jittered(rng.uniform(low, high, (O, H))),
        b=np.zeros(H),
        c=np.zeros(O),
    )
    if S:
        params.A = jittered(rng.uniform(-1.0 / np.sqrt(S), 1.0 / np.sqrt(S), (H, S)))
        params.a = np.zeros(H)
    return params


def check_params(params, name: str = "params") -> Params:
    """``params`` checked as the plain cell's Params (Params.validate): float64 arrays.

    Raises TypeError for anything but a Params or arrays that are not real numbers, ValueError
    for inconsistent shapes or NaN or infinite values.

    Returns
    -------
    Params
        params.validate(): float64 arrays of consistent shapes.
    """
    kind(params, name, Params, "a rnnlib Params (e.g. from rnnlib.init_params)")
    return params.validate()


@dataclass
class ForwardCache:
    """What the backward pass needs from the forward pass.

    X: (N, T, D) inputs; states: (T + 1, N, H) hidden states h_0 .. h_T, time-major;
    activation: the activation's name; static: (N, S) static features when h_0 came from them.
    """

    X: np.ndarray
    states: np.ndarray
    activation: str
    static: np.ndarray | None = None


def time_major(X: np.ndarray) -> np.ndarray:
    """(N, T, D) -> a contiguous (T, N, D) copy: one time step's records sit together.

    Parameters
    ----------
    X : array (N, T, D)
        Record-major inputs.

    Returns
    -------
    array (T, N, D)
        C-contiguous, time-major.
    """
    return np.ascontiguousarray(X.transpose(1, 0, 2))


def joint_buffer(T: int, N: int, H: int, D: int) -> np.ndarray:
    """A (T + 1, N, H + D + 1) array for run_states: row t will hold [h_t, x_{t+1}, 1].

    Parameters
    ----------
    T, N, H, D : int
        Steps, records, hidden and input sizes.

    Returns
    -------
    array (T + 1, N, H + D + 1)
        Uninitialised (numpy.empty).
    """
    return np.empty((T + 1, N, H + D + 1))


def joint_inputs(joint: np.ndarray, Xt: np.ndarray) -> None:
    """Write x_{t+1} and 1 beside each h_t of a joint buffer: row t becomes [h_t, x_{t+1}, 1]
    (the last row, which has no next input, [h_T, 0, 0]); the states are left as they are.
    No checks.

    Parameters
    ----------
    joint : array (T + 1, N, H + D + 1)
        From joint_buffer (or a Workspace buffer of that shape), filled in place.
    Xt : array (T, N, D)
        Time-major inputs.
    """
    T, _, D = Xt.shape
    H = joint.shape[2] - D - 1
    joint[:T, :, H : H + D] = Xt
    joint[:, :, H + D] = 1.0
    joint[T, :, H:] = 0.0


def run_states(params: Params, Xt: np.ndarray, activation: str, joint: np.ndarray) -> None:
    """Fill the states h_1 .. h_T of ``joint`` from h_0: the recurrence, with no checks.

    Xt: (T, N, D) time-major inputs. joint: (T + 1, N, H + D + 1) (joint_buffer), with h_0
    already in joint[0, :, :H]; this writes x_{t+1} and 1 beside each h_t (joint_inputs): row t is
    [h_t, x_{t+1}, 1], and then the states: joint[:, :, :H] is h_0 .. h_T. Each step is then
    one matrix product with the joint weights [W U b] (H, H + D + 1), whose transpose
    multiplies the row:

        a_{t+1} = W h_t + U x_{t+1} + b = [W U b] [h_t; x_{t+1}; 1]

    the same pre-activation as rnnlib.model's equations, in one call instead of three (each
    numpy call costs a thread of the batch split a handover of Python's lock). The weights are
    scaled once by the activation's f.scale (exact, rnnlib.activations) so that the product
    is what the in-place f.of_scaled takes, in one contiguous scratch array (the activation's
    passes on the strided rows of joint were slower), copied into joint. The backward pass
    reads the same rows for [dW dU db] in one product (rnnlib.bptt.PlainCell.backward).

    Parameters
    ----------
    params : Params
        Its U (H, D), W (H, H) and b (H,) (V, c, A, a not used).
    Xt : array (T, N, D)
        Time-major inputs.
    activation : str
        "tanh" or "sigmoid".
    joint : array (T + 1, N, H + D + 1)
        From joint_buffer, with h_0 in joint[0, :, :H]; filled in place.
    """
    f = get_activation(activation)
    T, N, D = Xt.shape
    H = params.hidden_size
    joint_inputs(joint, Xt)
    weights = np.concatenate([params.W, params.U, params.b[:, None]], axis=1).T * f.scale
    with np.errstate(over="ignore"):  # exp overflows to inf on the way to the limits -1 and 0
        pre = np.empty((N, H))
        for t in range(T):
            np.matmul(joint[t], weights, out=pre)
            f.of_scaled(pre)
            joint[t + 1, :, :H] = pre


def forward(
    params: Params,
    X: np.ndarray,
    activation: str = "tanh",
    h0: np.ndarray | None = None,
    static: np.ndarray | None = None,
) -> tuple[np.ndarray, ForwardCache]:
    """Run the plain RNN over a batch of windows.

    Parameters
    ----------
    params : Params
        U (H, D), W (H, H), V (O, H), b (H,), c (O,) (and A (H, S), a (H,)).
    X : array (N, T, D)
        Inputs.
    activation : str
        "tanh" or "sigmoid".
    h0 : array (N, H) or None
        Initial states, zeros if None.
    static : array (N, S) or None
        Static features, required when the model has A (then h_0 = tanh(A s + a)) unless h0 is
        given (a state held fixed, as the truncated loss of rnnlib.gradcheck does; A unused).

    Returns
    -------
    Y_hat : array (N, O)
        h_T V^T + c.
    cache : ForwardCache
        With states (T + 1, N, H), for rnnlib.backward.

    Raises
    ------
    TypeError, ValueError
        For params that are not a consistent Params, inputs of the wrong kind or shape, or an
        unknown activation (rnnlib._checks).
    """
    params = check_params(params)
    get_activation(activation)
    X = check_inputs(params, X)
    N, T, _ = X.shape
    H = params.hidden_size
    if h0 is not None and static is None and params.A is not None:
        params = Params(params.U, params.W, params.V, params.b, params.c)  # h_0 given: A unused
    static = check_static(params, static, N)
    joint = joint_buffer(T, N, H, X.shape[2])
    if static is not None:
        if h0 is not None:
            raise ValueError("h0 must be None when the model computes h_0 from static features")
        joint[0, :, :H] = initial_state(params, static)
    elif h0 is None:
        joint[0, :, :H] = 0.0
    else:
        joint[0, :, :H] = check_h0(h0, N, H)
    with one_blas_thread():
        run_states(params, time_major(X), activation, joint)
    states = np.ascontiguousarray(joint[:, :, :H])
    Y_hat = states[T] @ params.V.T + params.c
    return Y_hat, ForwardCache(X=X, states=states, activation=activation, static=static)


def predict(
    params: Params, X: np.ndarray, activation: str = "tanh", static: np.ndarray | None = None
) -> np.ndarray:
    """Predictions of the plain RNN: ``forward`` without its cache.

    Parameters
    ----------
    params : Params
    X : array (N, T, D)
    activation : str
        "tanh" or "sigmoid".
    static : array (N, S) or None
        Static features, if the model has A.

    Returns
    -------
    array (N, O)
        The predictions; for a classifier the logits (see rnnlib.losses.softmax).
    """
    return forward(params, X, activation, static=static)[0]

