"""Notebook 02's exercises: one forward step, and the forward pass unrolled over a batch.

forward_step(x_t, h_prev, U, W, b) -> h_t
    x_t (N, D), h_prev (N, H), U (H, D), W (H, H), b (H,) -> h_t (N, H) =
    tanh(x_t U^T + h_prev W^T + b), i.e. h_t = tanh(U x_t + W h_{t-1} + b) for every record.

rnn_forward(X, U, W, V, b, c) -> (Y_hat, states)
    X (N, T, D) -> Y_hat (N, O) = h_T V^T + c and states (T + 1, N, H), time-major, with
    states[0] = h_0 = 0 and states[t] = h_t. Checked against rnnlib.forward.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.activations import tanh
from rnnlib.exercises._core import Verdict, as_array, call, diagnose, pass_text, run_checks, unpack
from rnnlib.model import Params, forward

# small and all different, so that a transposed matrix or a wrong axis fails on its shape
N, D, H = 3, 2, 4
SIZES = {N: "N", D: "D", H: "H"}
ROLES = {"x_t": "(N, D)", "h_prev": "(N, H)", "U": "(H, D)", "W": "(H, H)", "b": "(H,)"}
SEED = 2024


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# --- one forward step ------------------------------------------------------------------------


def step_inputs() -> tuple[np.ndarray, ...]:
    """x_t (3, 2), h_prev (3, 4), U (4, 2), W (4, 4), b (4,): N = 3, D = 2, H = 4."""
    rng = np.random.default_rng(SEED)
    x_t = rng.normal(0.0, 1.0, (N, D))
    h_prev = np.tanh(rng.normal(0.0, 1.0, (N, H)))
    U = rng.normal(0.0, 0.5, (H, D))
    W = rng.normal(0.0, 0.5, (H, H))
    b = rng.normal(0.0, 0.5, H)
    return x_t, h_prev, U, W, b


def reference_step(x_t, h_prev, U, W, b) -> np.ndarray:
    """rnnlib's version: rnnlib.forward run for one step from h_prev."""
    params = Params(U=U, W=W, V=np.zeros((1, W.shape[0])), b=b, c=np.zeros(1))
    _, cache = forward(params, np.asarray(x_t)[:, None, :], "tanh", h0=h_prev)
    return cache.states[1]


def reference_step_fast(x_t, h_prev, U, W, b) -> np.ndarray:
    """rnnlib's step without the checks of rnnlib.forward: the same formula and tanh."""
    return tanh(np.asarray(x_t) @ np.asarray(U).T + np.asarray(h_prev) @ np.asarray(W).T + b)


STEP_HINT = ("with records as rows, U x_t for every record is x_t @ U.T, (N, D) @ (D, H) -> "
             "(N, H), and W h_prev is h_prev @ W.T")


def check_step(fn: Callable) -> Verdict:
    x_t, h_prev, U, W, b = step_inputs()
    expected = reference_step(x_t, h_prev, U, W, b)
    slips = [
        ("W is not transposed: W h_prev for every record (as rows) is h_prev @ W.T, "
         "not h_prev @ W", np.tanh(x_t @ U.T + h_prev @ W + b)),
        ("the activation is missing: h_t = tanh(a_t), not the pre-activation a_t itself",
         x_t @ U.T + h_prev @ W.T + b),
        ("the bias b is missing", np.tanh(x_t @ U.T + h_prev @ W.T)),
        ("this is the sigmoid; the course's step uses tanh",
         _sigmoid(x_t @ U.T + h_prev @ W.T + b)),
        ("the tanh is applied to only part of the pre-activation: h_t = tanh(x_t U^T + "
         "h_prev W^T + b) as a whole", np.tanh(x_t @ U.T) + h_prev @ W.T + b),
        ("h_prev is missing: the step adds W h_prev (h_prev @ W.T) to the input's part",
         np.tanh(x_t @ U.T + b)),
    ]

    def body() -> str:
        result = call(fn, dict(zip(ROLES, (x_t, h_prev, U, W, b), strict=True)), SIZES, ROLES,
                      STEP_HINT)
        (h_t,) = unpack(result, ("h_t",))
        got = as_array(h_t, "h_t", expected, "(N, H)", SIZES, {
            (H, N): f"that is its transpose: rows must be records. {STEP_HINT}"})
        return pass_text(diagnose("h_t", got, expected, slips))

    return run_checks(body)


# --- the unrolled forward pass -----------------------------------------------------------------

T, O = 5, 1
SEQ_SIZES = {N: "N", D: "D", H: "H", T: "T", T + 1: "T + 1"}
SEQ_ROLES = {"X": "(N, T, D)", "U": "(H, D)", "W": "(H, H)", "V": "(O, H)", "b": "(H,)",
             "c": "(O,)"}


def sequence_inputs() -> tuple[np.ndarray, ...]:
    """X (3, 5, 2), U (4, 2), W (4, 4), V (1, 4), b (4,), c (1,): N = 3, T = 5, D = 2, H = 4."""
    rng = np.random.default_rng(SEED + 10)
    X = rng.normal(0.0, 1.0, (N, T, D))
    U = rng.normal(0.0, 0.5, (H, D))
    W = rng.normal(0.0, 0.5, (H, H))
    V = rng.normal(0.0, 0.5, (O, H))
    b = rng.normal(0.0, 0.5, H)
    c = rng.normal(0.0, 0.5, O)
    return X, U, W, V, b, c


def reference_forward(X, U, W, V, b, c) -> tuple[np.ndarray, np.ndarray]:
    """rnnlib's version: rnnlib.forward; returns (Y_hat (N, O), states (T + 1, N, H))."""
    Y_hat, cache = forward(Params(U=U, W=W, V=V, b=b, c=c), X, "tanh")
    return Y_hat, cache.states


def check_forward(fn: Callable) -> Verdict:
    X, U, W, V, b, c = sequence_inputs()
    Y_ref, states_ref = reference_forward(X, U, W, V, b, c)

    def body() -> str:
        result = call(fn, dict(zip(SEQ_ROLES, (X, U, W, V, b, c), strict=True)), SEQ_SIZES,
                      SEQ_ROLES, "the input at step t is X[:, t] (N, D); the prediction is "
                      "states[T] @ V.T + c, (N, H) @ (H, O) -> (N, O)")
        Y_hat, states = unpack(result, ("Y_hat", "states"))
        states = as_array(states, "states", states_ref, "(T + 1, N, H)", SEQ_SIZES, {
            (T, N, H): "h_0 is missing: states[0] must be the initial state h_0 = 0, and "
                       "states[t] = h_t for t = 1 .. T",
            (N, T + 1, H): "store the states time-major, one (N, H) array per step: "
                           "np.stack(list_of_states) with axis 0 over time",
            (N, T, H): "store them time-major, (T + 1, N, H), with h_0 = 0 first",
        })
        Y_hat = as_array(Y_hat, "Y_hat", Y_ref, "(N, O)", SEQ_SIZES, {
            (N,): "keep the output axis O: Y_hat = states[T] @ V.T + c has shape (N, O)"})
        diagnose("states", states, states_ref, [
            ("the first state is not zero: states[0] is h_0 = 0 and states[t] = h_t",
             np.concatenate([states_ref[1:2], states_ref[1:]])),
            ("W is not transposed in the step: each record's W h_(t-1) is h @ W.T",
             _states(X, U, W.T, b)),
        ])
        error = diagnose("Y_hat", Y_hat, Y_ref, [
            ("the output bias c is missing", states_ref[T] @ V.T),
            ("the prediction is read from h_1, not from the last state h_T = states[T]",
             states_ref[1] @ V.T + c),
            ("the prediction is read from h_(T-1): the last state is states[T]",
             states_ref[T - 1] @ V.T + c),
        ])
        return pass_text(error, "Y_hat and all states match, largest relative error")

    return run_checks(body)


def _states(X, U, W, b):
    """The states of the recurrence run with the given matrices (for the wrong variants)."""
    states = [np.zeros((X.shape[0], W.shape[0]))]
    for t in range(X.shape[1]):
        states.append(np.tanh(X[:, t] @ U.T + states[-1] @ W.T + b))
    return np.stack(states)
