"""Losses for many-to-one prediction: each returns (loss, dL/d_output).

(A loss at every step applies them to the T N rows of the outputs at every step: rnnlib.cells.)

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

from rnnlib._checks import finite_array

LossFunction = Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]


def _pair(Y_hat, Y, name: str = "Y_hat") -> tuple[np.ndarray, np.ndarray]:
    Y_hat = finite_array(Y_hat, name)
    Y = finite_array(Y, "Y")
    if Y_hat.ndim != 2 or Y_hat.shape != Y.shape:
        raise ValueError(
            f"{name} and Y must both have shape (N, O), got {Y_hat.shape} and {Y.shape}"
        )
    return Y_hat, Y


def check_class_weights(Y: np.ndarray, name: str = "Y") -> np.ndarray:
    """Targets for softmax cross-entropy: (N, O), or (N, T, O) for a loss at every step, with
    O >= 2 classes and no negative weight.

    Parameters
    ----------
    Y : array (N, O) or (N, T, O)
        Targets, a numpy array (not converted): one-hot rows or non-negative class weights.
    name : str
        Their name in error messages.

    Returns
    -------
    array (N, O) or (N, T, O)
        ``Y`` itself.

    Raises
    ------
    ValueError
        For a rank other than 2 or 3, fewer than 2 classes (O < 2), or a negative weight.
    """
    if Y.ndim not in (2, 3) or Y.shape[-1] < 2:
        raise ValueError(
            f"softmax cross-entropy needs at least 2 classes: {name} must have shape (N, O) with "
            f"O >= 2 (one-hot rows; (N, T, O) for a loss at every step), got {Y.shape} (with one "
            f"class every loss is 0)"
        )
    if np.any(Y < 0):
        raise ValueError(f"{name} must hold class weights >= 0 (one-hot rows), got a minimum of "
                         f"{Y.min():g}")
    return Y


def _half_mse(Y_hat: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    N = Y.shape[0]
    diff = Y_hat - Y
    return float(np.vdot(diff, diff)) / (2 * N), diff / N


def _log_softmax(Z: np.ndarray) -> np.ndarray:
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _cross_entropy(Z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    # one exp: with s = z - max z and S = sum exp(s) per row, log p = s - log S, so that
    # L = (sum_n w_n log S_n - sum Y s) / N (both terms >= 0: no cancellation), w_n = sum_o y_no
    N = Y.shape[0]
    shifted = Z - Z.max(axis=-1, keepdims=True)
    p = np.exp(shifted)
    total = p.sum(axis=-1, keepdims=True)
    weights = Y.sum(axis=-1, keepdims=True)
    loss = (float(np.vdot(weights, np.log(total))) - float(np.vdot(Y, shifted))) / N
    p /= total  # softmax(Z)
    p *= weights
    p -= Y
    p /= N
    return loss, p


def mse_loss(Y_hat: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Half mean squared error over records and its gradient (see the module docstring).

    Parameters
    ----------
    Y_hat, Y : arrays (N, O)
        Predictions and targets, finite.

    Returns
    -------
    loss : float
        sum((Y_hat - Y)**2) / (2 N).
    dY_hat : array (N, O)
        (Y_hat - Y) / N.

    Raises
    ------
    TypeError
        For arguments that are not arrays of real numbers.
    ValueError
        For NaN or infinite values or shapes that are not the same (N, O).
    """
    return _half_mse(*_pair(Y_hat, Y))


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax of finite logits Z (..., O), stable for large logits.

    Parameters
    ----------
    Z : array (..., O)
        Logits, finite, any number of leading axes.

    Returns
    -------
    array of Z's shape
        log p, each row's log class probabilities.

    Raises
    ------
    TypeError
        For a Z that is not an array of real numbers.
    ValueError
        For an empty Z or NaN or infinite values.
    """
    return _log_softmax(finite_array(Z, "Z"))


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of finite logits Z (..., O): class probabilities, each row summing to 1.

    Parameters
    ----------
    Z : array (..., O)
        Logits, finite, any number of leading axes.

    Returns
    -------
    array of Z's shape
        p, each row summing to 1.

    Raises
    ------
    TypeError
        For a Z that is not an array of real numbers.
    ValueError
        For an empty Z or NaN or infinite values.
    """
    return np.exp(log_softmax(Z))


def softmax_cross_entropy(Z: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy over records and its gradient (see the module docstring).

    Parameters
    ----------
    Z : array (N, O)
        Logits, finite, O >= 2 classes.
    Y : array (N, O)
        One-hot targets (or non-negative class weights).

    Returns
    -------
    loss : float
        -sum(Y * log_softmax(Z)) / N.
    dZ : array (N, O)
        (softmax(Z) * Y.sum(1) - Y) / N.

    Raises
    ------
    TypeError
        For arguments that are not arrays of real numbers.
    ValueError
        For NaN or infinite values, shapes that differ, O < 2 or a negative class weight.
    """
    Z, Y = _pair(Z, Y, "Z")
    return _cross_entropy(Z, check_class_weights(Y))


# the training loop's versions, without checks: a diverging run's outputs may be infinite, and
# the divergence rule (rnnlib.training) reports that
LOSSES: dict[str, LossFunction] = {"mse": _half_mse, "cross_entropy": _cross_entropy}


def check_loss_targets(loss: str, Y: np.ndarray, name: str = "Y") -> np.ndarray:
    """Targets Y (N, O) or (N, T, O) checked for the loss called ``loss`` (class weights for
    cross-entropy).

    Parameters
    ----------
    loss : str
        "mse" (nothing is checked) or "cross_entropy" (check_class_weights).
    Y : array (N, O) or (N, T, O)
        Targets, a numpy array.
    name : str
        Their name in error messages.

    Returns
    -------
    array (N, O) or (N, T, O)
        ``Y`` itself.

    Raises
    ------
    ValueError
        For cross-entropy: fewer than 2 classes or a negative class weight (check_class_weights).
    """
    return check_class_weights(Y, name) if loss == "cross_entropy" else Y


def get_loss(name: str) -> LossFunction:
    """The loss function called ``name``, unchecked: "mse" (half MSE) or "cross_entropy".

    Parameters
    ----------
    name : str
        "mse" or "cross_entropy".

    Returns
    -------
    LossFunction
        (Z (N, O), Y (N, O)) -> (loss, dL/dZ (N, O)), with no checks of its arguments.

    Raises
    ------
    TypeError
        For a name that is not a string.
    ValueError
        For an unknown name.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"loss must be one of {tuple(LOSSES)} (a string), got {type(name).__name__}"
        )
    if name not in LOSSES:
        raise ValueError(f"loss must be one of {tuple(LOSSES)}, got {name!r}")
    return LOSSES[name]
