"""The model: parameters, initialisation, the forward pass and the loss.

A many-to-one Elman RNN. For each record, with inputs x_1 .. x_T (each of size D),

    a_t = U x_t + W h_{t-1} + b        (H,)      pre-activation
    h_t = f(a_t)                       (H,)      hidden state, h_0 given (zeros by default)
    y_hat = V h_T + c                  (O,)      prediction, read from the last state only

The same U, W and b serve every time step (weight sharing). Over a batch of N records the
states form an array of shape (N, H) per step; rnnlib stores them time-major, (T + 1, N, H),
with the initial state at index 0.

The loss over a batch is half the mean squared error summed over outputs,

    L = 1 / (2 N) * sum_n || y_hat_n - y_n ||^2 ,

whose gradient with respect to y_hat_n is simply (y_hat_n - y_n) / N: the 1/2 is there only
to cancel the 2 of the derivative.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from rnnlib._checks import as_float_array, generator, positive_int
from rnnlib.activations import get_activation

PARAM_NAMES = ("U", "W", "V", "b", "c")


@dataclass
class Params:
    """The RNN's parameters (also used for their gradients, which have the same shapes).

    U: (H, D) input-to-hidden weights       W: (H, H) hidden-to-hidden weights
    V: (O, H) hidden-to-output weights      b: (H,) hidden bias    c: (O,) output bias
    """

    U: np.ndarray
    W: np.ndarray
    V: np.ndarray
    b: np.ndarray
    c: np.ndarray

    @property
    def input_size(self) -> int:
        return self.U.shape[1]

    @property
    def hidden_size(self) -> int:
        return self.U.shape[0]

    @property
    def output_size(self) -> int:
        return self.V.shape[0]

    def items(self) -> list[tuple[str, np.ndarray]]:
        """(name, array) pairs in the order U, W, V, b, c."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def copy(self) -> Params:
        return Params(*(np.array(a, dtype=np.float64, copy=True) for _, a in self.items()))

    def norm(self) -> float:
        """Global L2 norm over all five arrays together."""
        return float(np.sqrt(sum(float(np.vdot(a, a)) for _, a in self.items())))

    def validate(self) -> Params:
        """Check rank, finiteness and the agreement of the shapes; return self."""
        H, D = as_float_array(self.U, "U", 2, "(H, D)").shape
        O = as_float_array(self.V, "V", 2, "(O, H)").shape[0]
        expected = {"W": ((H, H), "(H, H)"), "V": ((O, H), "(O, H)"), "b": ((H,), "(H,)"),
                    "c": ((O,), "(O,)")}
        for name, (shape, what) in expected.items():
            array = as_float_array(getattr(self, name), name, len(shape), what)
            if array.shape != shape:
                raise ValueError(
                    f"{name} must have shape {what} = {shape} to match U {self.U.shape} "
                    f"(H = {H}) and V (O = {O}), got {array.shape}"
                )
        return self


def init_params(
    input_size: int,
    hidden_size: int,
    output_size: int,
    rng: np.random.Generator,
    scheme: str = "uniform",
) -> Params:
    """Draw initial parameters.

    scheme "uniform" (the default): U, W, V ~ uniform(-1/sqrt(H), 1/sqrt(H)), b = c = 0.
        With H = 100 every weight is at most 0.1 in size, so tanh starts in its linear range.
    scheme "tutorial": U, W, V ~ uniform(0, 1), b = c = 0, as the tutorial "RNN from scratch
        in Python" draws them. All-positive weights push every unit towards saturation.

    Returns Params with U (H, D), W (H, H), V (O, H), b (H,), c (O,).
    """
    D = positive_int(input_size, "input_size")
    H = positive_int(hidden_size, "hidden_size")
    O = positive_int(output_size, "output_size")
    rng = generator(rng)
    if scheme == "uniform":
        low, high = -1.0 / np.sqrt(H), 1.0 / np.sqrt(H)
    elif scheme == "tutorial":
        low, high = 0.0, 1.0
    else:
        raise ValueError(f"scheme must be 'uniform' or 'tutorial', got {scheme!r}")
    return Params(
        U=rng.uniform(low, high, (H, D)),
        W=rng.uniform(low, high, (H, H)),
        V=rng.uniform(low, high, (O, H)),
        b=np.zeros(H),
        c=np.zeros(O),
    )


@dataclass
class ForwardCache:
    """What the backward pass needs from the forward pass.

    X: (N, T, D) inputs; states: (T + 1, N, H) hidden states h_0 .. h_T, time-major;
    activation: the activation's name.
    """

    X: np.ndarray
    states: np.ndarray
    activation: str


def check_inputs(params: Params, X, name: str = "X") -> np.ndarray:
    """Validate a batch of input windows against the model; return it as float64 (N, T, D)."""
    what = f"(N, T, D) with D == {params.input_size} (the model's input size)"
    X = as_float_array(X, name, 3, what)
    if X.shape[2] != params.input_size:
        raise ValueError(f"{name} must have shape {what}, got {X.shape}")
    return X


def check_targets(params: Params, Y, N: int, name: str = "Y") -> np.ndarray:
    """Validate targets against the model and the number of records; return float64 (N, O)."""
    O = params.output_size
    Y = as_float_array(Y, name, 2, f"(N, O) with O == {O} (the model's output size)")
    if Y.shape != (N, O):
        raise ValueError(
            f"{name} must have shape (N, O) = ({N}, {O}) to match the inputs' N and the "
            f"model's output size, got {Y.shape}"
        )
    return Y


def time_major(X: np.ndarray) -> np.ndarray:
    """(N, T, D) -> a contiguous (T, N, D) copy: one time step's records sit together."""
    return np.ascontiguousarray(X.transpose(1, 0, 2))


def run_states(
    params: Params,
    Xt: np.ndarray,
    activation: str,
    states: np.ndarray,
    inputs: np.ndarray | None = None,
) -> None:
    """Fill ``states[1:]`` from ``states[0]``: the recurrence, with no checks.

    Xt: (T, N, D) time-major inputs. states: (T + 1, N, H), states[0] = h_0 already set.
    inputs: optional (T, N, H) scratch buffer (reused across calls by the training loop).
    The inputs' part U x_t + b is computed for all steps in one matrix product; only the
    recurrence itself loops over time, writing into preallocated arrays.
    """
    f = get_activation(activation).apply
    T, N, D = Xt.shape
    H = params.hidden_size
    if inputs is None:
        inputs = np.empty((T, N, H))
    np.matmul(Xt.reshape(T * N, D), params.U.T, out=inputs.reshape(T * N, H))
    inputs += params.b
    WT = params.W.T
    for t in range(T):
        pre = inputs[t]
        pre += states[t] @ WT
        f(pre, out=states[t + 1])


def forward(
    params: Params,
    X: np.ndarray,
    activation: str = "tanh",
    h0: np.ndarray | None = None,
) -> tuple[np.ndarray, ForwardCache]:
    """Run the RNN over a batch of windows.

    params: the model, U (H, D), W (H, H), V (O, H), b (H,), c (O,).
    X: (N, T, D) inputs. h0: (N, H) initial states, zeros if None.
    Returns Y_hat (N, O) = h_T V^T + c, and a ForwardCache with states (T + 1, N, H).
    """
    params.validate()
    get_activation(activation)
    X = check_inputs(params, X)
    N, T, _ = X.shape
    H = params.hidden_size
    states = np.empty((T + 1, N, H))
    if h0 is None:
        states[0] = 0.0
    else:
        h0 = as_float_array(h0, "h0", 2, f"(N, H) = ({N}, {H})")
        if h0.shape != (N, H):
            raise ValueError(f"h0 must have shape (N, H) = ({N}, {H}), got {h0.shape}")
        states[0] = h0
    run_states(params, time_major(X), activation, states)
    Y_hat = states[T] @ params.V.T + params.c
    return Y_hat, ForwardCache(X=X, states=states, activation=activation)


def predict(params: Params, X: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """Predictions (N, O) for inputs X (N, T, D); the forward pass without its cache."""
    return forward(params, X, activation)[0]


def mse_loss(Y_hat: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Half mean squared error over records and its gradient.

    Y_hat, Y: (N, O). Returns L = sum((Y_hat - Y)**2) / (2 N) and dL/dY_hat = (Y_hat - Y) / N.
    """
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if Y_hat.ndim != 2 or Y_hat.shape != Y.shape:
        raise ValueError(
            f"Y_hat and Y must both have shape (N, O), got {Y_hat.shape} and {Y.shape}"
        )
    N = Y.shape[0]
    diff = Y_hat - Y
    return float(np.vdot(diff, diff)) / (2 * N), diff / N
