"""Sequences: a loss at every step, streams cut for training in chunks, and sampling.

For any cell (the plain cell's Params, the GRU's GRUParams, the LSTM's LSTMParams), three
things a character-level language model needs; the loss at every step, its backward recursion
and its truncation are defined once, in rnnlib.cells, and rnnlib.train trains on them
(carry_state=True for chunks):

    sequence_loss_and_gradients   the loss at every step of one chunk, its truncated gradient,
                                  and the last state (to carry into the next chunk)
    next_step_streams             a long index sequence (e.g. characters) as B streams side by
                                  side: one-hot inputs x_t and targets y_t = x_{t+1}
    sample                        feed a prompt, then draw characters from softmax(y_hat / T)

Sampling at temperature T > 0 draws each next index i with probability

    p_i = exp(y_hat_i / T) / sum_j exp(y_hat_j / T),        y_hat = V h_t + c,

computed as exp((y_hat_i - max_j y_hat_j) / T) (so no exp overflows, however small T), by
inverting the cumulative distribution at one uniform number u ~ rng.random(). T = 1 is the
model's own distribution; T -> 0 tends to the argmax (greedy decoding), which T = 0 is
exactly, drawing nothing; T > 1 flattens the distribution towards uniform.

The state carried from chunk to chunk and from draw to draw is the cell's whole state
(rnnlib.cells): h (N, H) for the plain cell and the GRU, the pair (h, c) for the LSTM.
"""

from __future__ import annotations

import numpy as np

from rnnlib._checks import (
    check_any_targets,
    check_inputs,
    finite_result,
    generator,
    positive_int,
    real_number,
)
from rnnlib._threads import one_blas_thread
from rnnlib.bptt import truncation_steps
from rnnlib.cells import sequence_gradients
from rnnlib.gated import GRUParams
from rnnlib.losses import check_loss_targets, get_loss
from rnnlib.lstm import LSTMParams
from rnnlib.model import Params, time_major
from rnnlib.training import cell_for

__all__ = ["next_step_streams", "sample", "sequence_loss_and_gradients"]


def sequence_loss_and_gradients(
    params: Params | GRUParams | LSTMParams,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    truncation: int | None = None,
    h0=None,
    loss: str = "cross_entropy",
    activation: str = "tanh",
) -> tuple[float, Params | GRUParams | LSTMParams, object]:
    """The loss at every step of a batch of windows (or one chunk of streams), its gradient with
    truncation as defined in rnnlib.cells, and the last state.

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        The model (any cell).
    X : array (N, T, D)
        Inputs.
    Y : array (N, T, O)
        A target at every step (one-hot rows for "cross_entropy").
    truncation : int or None
        Chunk length k >= 1 (rnnlib.cells: the state entering each chunk of k steps is held
        constant), None for full BPTT over the T steps.
    h0 : array (N, H), for the LSTM a pair (h0, c0) of (N, H) arrays, or None
        The cell's state entering the window, held constant (e.g. the state returned for the
        previous chunk); zeros if None.
    loss : str
        "cross_entropy" (the default) or "mse", applied at every step.
    activation : str
        The plain cell's activation ("tanh" only for the GRU).

    Returns
    -------
    loss : float
        The mean over the N T outputs (nats per step for cross-entropy).
    grads : Params, GRUParams or LSTMParams
        Of the type and shapes of params.
    state : array (N, H), for the LSTM a pair (h_T, c_T) of (N, H) arrays
        The last state (copies), to pass as h0 with the next chunk of the same streams.

    Raises
    ------
    TypeError
        For params that are not Params, GRUParams or LSTMParams, arrays that are not real
        numbers, an LSTM's h0 that is not a pair (h0, c0).
    ValueError
        For shapes that do not match (Y must be (N, T, O)), a truncation < 1, a model with
        static features (use h0), a negative class weight.
    """
    cell, params = cell_for(params, activation)
    if params.static_size:
        raise ValueError("sequence_loss_and_gradients takes no static features: pass the "
                         "initial state as h0 (held constant)")
    loss_function = get_loss(loss)
    X = check_inputs(params, X)
    Y = check_loss_targets(loss, check_any_targets(params, Y, X.shape))
    if Y.ndim != 3:
        raise ValueError(f"Y must have shape (N, T, O) = ({X.shape[0]}, {X.shape[1]}, "
                         f"{params.output_size}) (a target at every step), got {Y.shape}")
    h0 = cell.check_state(h0, X.shape[0], params.hidden_size)
    k = truncation_steps(truncation, X.shape[1])
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
        value, grads, state = sequence_gradients(cell, params, time_major(X), time_major(Y),
                                                 loss_function, k, h0)
    return (*finite_result(value, grads, params), state)


def next_step_streams(indices, num_classes: int, streams: int) -> tuple[np.ndarray, np.ndarray]:
    """A long sequence of class indices as ``streams`` streams side by side, for next-step
    prediction in chunks (rnnlib.train with carry_state=True).

    The sequence s_0 .. s_{L-1} is cut into B = streams consecutive pieces of T = (L - 1) // B
    steps (the few left over at the end are dropped): stream b's inputs are
    s_{bT} .. s_{bT+T-1} and its targets the next indices s_{bT+1} .. s_{bT+T}, both one-hot.

    Parameters
    ----------
    indices : array of int (L,)
        E.g. characters coded 0 .. num_classes - 1.
    num_classes : int
        The vocabulary size V >= 2.
    streams : int
        B >= 1, with (L - 1) // B >= 1.

    Returns
    -------
    X, Y : arrays (B, T, V)
        One-hot inputs and next-step targets.

    Raises
    ------
    TypeError
        For indices that are not integers, sizes that are not integers.
    ValueError
        For indices not one-dimensional or outside 0 .. V - 1, V < 2, too few indices.
    """
    V = positive_int(num_classes, "num_classes", minimum=2)
    B = positive_int(streams, "streams")
    s = _indices(indices, V, "indices")
    T = (s.size - 1) // B
    if T < 1:
        raise ValueError(f"indices must hold at least streams + 1 = {B + 1} values to make "
                         f"{B} streams of at least one step, got {s.size}")
    eye = np.eye(V)
    return eye[s[: B * T].reshape(B, T)], eye[s[1 : B * T + 1].reshape(B, T)]


def _indices(values, V: int, name: str) -> np.ndarray:
    """A one-dimensional integer array with values in 0 .. V - 1."""
    if isinstance(values, str | bytes):
        raise TypeError(f"{name} must be integer indices, got the string {values!r} (code its "
                        f"characters first, e.g. [vocabulary.index(ch) for ch in text])")
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a one-dimensional array of integers: {error}") from None
    if array.size == 0 and array.dtype.kind == "f":  # [] is read as float64
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer indices, got an array of dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (L,), got shape {array.shape}")
    if array.size and (array.min() < 0 or array.max() >= V):
        raise ValueError(f"{name} must lie in 0 .. {V - 1} (the vocabulary size is {V}), got "
                         f"values from {array.min()} to {array.max()}")
    return array.astype(np.int64)


def _temperature(value) -> float:
    number = real_number(value, "temperature", "a number >= 0")
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"temperature must be a finite number >= 0 (0: always the most likely "
                         f"index), got {value!r}")
    return number


def tempered(y_hat: np.ndarray, temperature: float) -> np.ndarray:
    """exp((y_hat - max y_hat) / T), (O,) from scores (O,), T > 0: softmax(y_hat / T) before
    its normalisation; the largest is exp(0) = 1, so no T overflows or gives NaN.

    Parameters
    ----------
    y_hat : array (O,)
        Scores (logits) of the O classes.
    temperature : float
        T > 0 (not checked).

    Returns
    -------
    array (O,)
        The unnormalised probabilities, in [0, 1], the largest 1 (the least likely may
        underflow to 0).
    """
    with np.errstate(over="ignore", under="ignore"):
        return np.exp((y_hat - y_hat.max()) / temperature)


def sample(
    params: Params | GRUParams | LSTMParams,
    prompt,
    n: int,
    *,
    temperature: float = 1.0,
    rng: np.random.Generator | None = None,
    activation: str = "tanh",
) -> np.ndarray:
    """Feed ``prompt`` to the model, then draw ``n`` indices one at a time, each fed back as
    the next input (module docstring: softmax of y_hat / temperature).

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        A model whose inputs and outputs are the same one-hot vocabulary (D == O).
    prompt : sequence of int (P,)
        P >= 1 indices in 0 .. O - 1, fed from the zero state; the first draw follows its last
        index.
    n : int
        Number of indices to draw, >= 0.
    temperature : float
        T >= 0; 0 takes the most likely index at every step (greedy) and draws nothing.
    rng : numpy.random.Generator or None
        Draws one uniform number per index; required when temperature > 0.
    activation : str
        The plain cell's activation ("tanh" only for the GRU).

    Returns
    -------
    array of int (n,)
        The drawn indices (the prompt not included).

    Raises
    ------
    TypeError
        For params that are not Params, GRUParams or LSTMParams, a prompt that is not
        integers, n not an integer, a temperature that is not a number, an rng that is not a
        Generator.
    ValueError
        For a model with D != O or static features, an empty prompt or one outside
        0 .. O - 1, n < 0, a negative, NaN or infinite temperature.
    """
    cell, params = cell_for(params, activation)
    D, O = params.input_size, params.output_size
    if D != O:
        raise ValueError(f"sample feeds each drawn index back as the next input: the model needs "
                         f"input_size == output_size (one vocabulary), got D = {D}, O = {O}")
    if params.static_size:
        raise ValueError("sample starts from h_0 = 0: the model must have no static features")
    prompt = _indices(prompt, O, "prompt")
    if prompt.size == 0:
        raise ValueError("prompt must hold at least one index (the first input), got none")
    n = positive_int(n, "n", minimum=0)
    T = _temperature(temperature)
    if T > 0:
        rng = generator(rng)
    eye = np.eye(O)
    drawn = np.empty(n, dtype=np.int64)
    with one_blas_thread():
        states, cache = cell.forward(params, eye[prompt][:, None, :], None)
        h, state = states[-1, 0].copy(), cell.last_state(cache)  # the read-out's h, the whole state
        for i in range(n):
            y_hat = h @ params.V.T + params.c
            if T == 0:
                drawn[i] = int(np.argmax(y_hat))
            else:
                p = tempered(y_hat, T)
                cumulative = np.cumsum(p)
                drawn[i] = min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1],
                                                   side="right")), O - 1)
            states, cache = cell.forward(params, eye[drawn[i]][None, None, :], state)
            h, state = states[-1, 0].copy(), cell.last_state(cache)
    return drawn
