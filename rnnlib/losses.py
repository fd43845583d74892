"""Losses for many-to-one prediction: each returns (loss, dL/d_output).

Both take the model's outputs Z (N, O) for a batch of N records and targets Y (N, O), and
average over records, so that the gradient of a batch is the mean of its records' gradients.

Half mean squared error (regression; rnnlib's default, the tutorial's loss):

    L = 1 / (2 N) * sum_n || z_n - y_n ||^2 ,         dL/dz_n = (z_n - y_n) / N .

    The 1/2 is there only to cancel the 2 of the derivative.

Softmax cross-entropy (classification into O classes; Z are the logits, Y one-hot rows or,
more generally, rows of non-negative class weights):

    p_n = softmax(z_n),  p_no = exp(z_no) / sum_j exp(z_nj)
    L = -1 / N * sum_n sum_o y_no log p_no ,          dL/dz_n = (p_n * sum_o y_no - y_n) / N ,

    which for one-hot (or any probability) rows is the familiar (p_n - y_n) / N.
    Numerically stable for large logits: log p_no = (z_no - m_n) - log sum_j exp(z_nj - m_n)
    with m_n = max_j z_nj, so no exp ever overflows and log never sees 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib._checks import real_array

LossFunction = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]


def _pair(Y_hat, Y, name: str = "Y_hat") -> tuple[np.ndarray, np.ndarray]:
    Y_hat = real_array(Y_hat, name)
    Y = real_array(Y, "Y")
    if Y_hat.ndim != 2 or Y_hat.shape != Y.shape:
        raise ValueError(
            f"{name} and Y must both have shape (N, O), got {Y_hat.shape} and {Y.shape}"
        )
    return Y_hat, Y


def mse_loss(Y_hat: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Half mean squared error over records and its gradient (see the module docstring).

    Y_hat, Y: (N, O). Returns L = sum((Y_hat - Y)**2) / (2 N) and dL/dY_hat = (Y_hat - Y) / N.
    """
    Y_hat, Y = _pair(Y_hat, Y)
    N = Y.shape[0]
    diff = Y_hat - Y
    return float(np.vdot(diff, diff)) / (2 * N), diff / N


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax of logits Z (N, O), stable for large logits (max subtracted)."""
    Z = real_array(Z, "Z")
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits Z (N, O): class probabilities, each row summing to 1."""
    return np.exp(log_softmax(Z))


def softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy over records and its gradient (see the module docstring).

    Z: (N, O) logits; Y: (N, O) one-hot targets (or non-negative class weights).
    Returns L = -sum(Y * log_softmax(Z)) / N and dL/dZ = (softmax(Z) * Y.sum(1) - Y) / N.
    """
    Z, Y = _pair(Z, Y, "Z")
    N = Y.shape[0]
    log_p = log_softmax(Z)
    loss = -float(np.vdot(Y, log_p)) / N
    return loss, (np.exp(log_p) * Y.sum(axis=1, keepdims=True) - Y) / N


LOSSES: dict[str, LossFunction] = {"mse": mse_loss, "cross_entropy": softmax_cross_entropy}


def get_loss(name: str) -> LossFunction:
    """The loss function called ``name``: "mse" (half MSE) or "cross_entropy" (softmax)."""
    if not isinstance(name, str):
        raise TypeError(
            f"loss must be one of {tuple(LOSSES)} (a string), got {type(name).__name__}"
        )
    if name not in LOSSES:
        raise ValueError(f"loss must be one of {tuple(LOSSES)}, got {name!r}")
    return LOSSES[name]
