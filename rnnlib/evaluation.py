"""Evaluation: RMSE, the baselines an RNN must beat, and multi-step forecasting.

Baselines for next-value prediction from a window X (N, T, D):
- zero: always predict 0;
- last value: predict x_T, the window's last value ("tomorrow is like today");
- AR(p): a least-squares linear function of the last p values (with intercept). For a sampled
  sine, AR(2) is exact: sin(n + 1) = 2 cos(1) sin(n) - sin(n - 1), so the honest question is
  whether an RNN does as well as this linear model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnnlib._checks import as_float_array, finite_array, positive_int, real_array
from rnnlib._threads import one_blas_thread


def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root mean squared error over all elements of two arrays of one shape (finite values).

    Parameters
    ----------
    y_true, y_pred : array, any shape (one shape for both)
        Finite real numbers, e.g. targets and predictions (N, O).

    Returns
    -------
    float
        sqrt(mean((y_true - y_pred) ** 2)), in the units of the values.

    Raises
    ------
    TypeError
        For an argument that is not real numbers (a string, a complex array, ...).
    ValueError
        For arrays of different shapes, empty arrays, or a NaN or infinite value.
    """
    y_true = real_array(y_true, "y_true")
    y_pred = real_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    y_true = finite_array(y_true, "y_true")
    y_pred = finite_array(y_pred, "y_pred")
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def _first_bad_row(labels: np.ndarray) -> int:
    """The first row of (N, O) labels that is not one-hot."""
    bad = np.any((labels != 0) & (labels != 1), axis=1) | (labels.sum(axis=1) != 1)
    return int(np.argmax(bad))


def accuracy(labels: np.ndarray, scores: np.ndarray) -> float:
    """Fraction of records whose highest score is at the true class.

    Logits and probabilities have the same arg max, so either can be given as scores.

    Parameters
    ----------
    labels : array (N,) or (N, O)
        Integer classes in 0 .. O - 1, or one-hot rows (their arg max is taken as the class).
    scores : array (N, O)
        Finite logits or probabilities.

    Returns
    -------
    float
        A number in [0, 1].

    Raises
    ------
    TypeError
        For labels or scores that are not real numbers.
    ValueError
        For scores that are not a non-empty finite (N, O) array, or labels of another shape than
        (N,) or (N, O), (N,) labels that are not whole numbers in 0 .. O - 1, or (N, O) labels
        whose rows are not one-hot.
    """
    scores = as_float_array(scores, "scores", 2, "(N, O)")
    labels = real_array(labels, "labels")
    N, O = scores.shape
    if labels.ndim == 2:
        if labels.shape != (N, O):
            raise ValueError(
                f"labels given as one-hot rows must have the shape of scores {scores.shape}, "
                f"got {labels.shape}"
            )
        if np.any((labels != 0) & (labels != 1)) or np.any(labels.sum(axis=1) != 1):
            raise ValueError(
                "labels given as (N, O) rows must be one-hot (one 1 and zeros in each row): "
                f"row {_first_bad_row(labels)} is {labels[_first_bad_row(labels)].tolist()}"
            )
        labels = labels.argmax(axis=1)
    if labels.shape != (N,) or np.any(labels != np.round(labels)) or np.any(labels < 0) or np.any(
        labels >= O
    ):
        raise ValueError(
            f"labels must be (N,) = ({N},) integer classes in 0 .. {O - 1} or (N, O) one-hot "
            f"rows to match scores {scores.shape}, got shape {labels.shape}"
        )
    return float(np.mean(scores.argmax(axis=1) == labels))


def _check_windows(X) -> np.ndarray:
    return as_float_array(X, "X", 3, "(N, T, D)")


def predict_zero(X: np.ndarray) -> np.ndarray:
    """The zero baseline: always predict 0.

    Parameters
    ----------
    X : array (N, T, D)
        Windows, finite (checked, though unused beyond their shape).

    Returns
    -------
    array (N, D)
        Zeros.

    Raises
    ------
    TypeError
        For X that is not real numbers.
    ValueError
        For X that is not a non-empty finite (N, T, D) array.
    """
    X = _check_windows(X)
    return np.zeros((X.shape[0], X.shape[2]))


def predict_last(X: np.ndarray) -> np.ndarray:
    """The last-value baseline, "tomorrow is like today": X[:, -1, :].

    Parameters
    ----------
    X : array (N, T, D)
        Windows, finite.

    Returns
    -------
    array (N, D)
        Each window's last value (a copy).

    Raises
    ------
    TypeError
        For X that is not real numbers.
    ValueError
        For X that is not a non-empty finite (N, T, D) array.
    """
    return _check_windows(X)[:, -1, :].copy()


@dataclass(frozen=True)
class ARModel:
    """Linear autoregression on the last p steps: y = sum_j x_{T-j} A_j + intercept.

    coef: (p, D, O), coef[j] multiplies the value j steps before the last (j = 0: the last).
    intercept: (O,).
    """

    coef: np.ndarray
    intercept: np.ndarray

    @property
    def order(self) -> int:
        """p, the number of past steps the model reads (coef.shape[0])."""
        return self.coef.shape[0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions sum_j x_{T-j} coef[j] + intercept from each window's last p steps.

        Parameters
        ----------
        X : array (N, T, D)
            Windows with T >= p and the D channels the model was fitted on, finite.

        Returns
        -------
        array (N, O)
            The predicted next values.

        Raises
        ------
        TypeError
            For X that is not real numbers.
        ValueError
            For X that is not a non-empty finite (N, T, D) array, T < p, or another D.
        """
        X = _check_windows(X)
        p, D, _ = self.coef.shape
        if X.shape[1] < p or X.shape[2] != D:
            raise ValueError(
                f"X must have shape (N, T, D) with T >= {p} and D == {D}, got {X.shape}"
            )
        return _lags(X, p) @ self.coef.reshape(p * D, -1) + self.intercept


def _lags(X: np.ndarray, p: int) -> np.ndarray:
    """(N, p * D): the last p steps, newest first."""
    return X[:, ::-1, :][:, :p, :].reshape(X.shape[0], -1)


def fit_ar(X: np.ndarray, Y: np.ndarray, order: int) -> ARModel:
    """Least-squares AR(order) fit from training windows X (N, T, D) to targets Y (N, O).

    A linear function of the last p = order values with an intercept, solved by
    numpy.linalg.lstsq: the baseline an RNN has to beat.

    Parameters
    ----------
    X : array (N, T, D)
        Training windows, finite.
    Y : array (N, O)
        Their targets, finite.
    order : int
        p, with 1 <= p <= T; N >= p * D + 1 records are needed for a determined fit.

    Returns
    -------
    ARModel
        coef (p, D, O), intercept (O,).

    Raises
    ------
    TypeError
        For X or Y that are not real numbers, an order that is not an integer.
    ValueError
        For X or Y that are not non-empty finite arrays of rank 3 and 2, Y with another N than
        X, order < 1 or > T, or fewer than p * D + 1 records.
    """
    X = _check_windows(X)
    Y = as_float_array(Y, "Y", 2, "(N, O)")
    p = positive_int(order, "order")
    N, T, D = X.shape
    if Y.shape[0] != N:
        raise ValueError(f"Y must have N = {N} rows like X, got {Y.shape}")
    if p > T:
        raise ValueError(f"order must be at most the window length T = {T}, got {p}")
    if N < p * D + 1:
        raise ValueError(
            f"order = {p} with D = {D} channel(s) has p * D + 1 = {p * D + 1} unknowns per output "
            f"but X has only N = {N} records (equations); the fit would not be determined: "
            f"lower the order or give at least {p * D + 1} records"
        )
    design = np.hstack([_lags(X, p), np.ones((N, 1))])
    with one_blas_thread():  # a small system (rnnlib._threads)
        solution, *_ = np.linalg.lstsq(design, Y, rcond=None)
    return ARModel(coef=solution[:-1].reshape(p, D, -1), intercept=solution[-1])


def forecast(
    predict_next: Callable[[np.ndarray], np.ndarray], X: np.ndarray, steps: int
) -> np.ndarray:
    """Forecast ``steps`` values ahead by feeding each prediction back in as the newest input.

    Each step drops the window's oldest value and appends the prediction, so errors compound:
    compare horizons with horizon_rmse.

    Parameters
    ----------
    predict_next : callable
        Maps windows (N, T, D) to next values (N, D) (a model predicting every channel, so that
        its prediction can be fed back), e.g. ``lambda W: rnnlib.predict(params, W)``.
    X : array (N, T, D)
        Starting windows, finite.
    steps : int
        S >= 1, how many steps ahead.

    Returns
    -------
    array (N, S, D)
        Entry [:, s] is the forecast s + 1 steps after each window.

    Raises
    ------
    TypeError
        For a predict_next that is not callable, X that is not real numbers, steps that is not
        an integer, or a predict_next that returns something other than real numbers.
    ValueError
        For X that is not a non-empty finite (N, T, D) array, steps < 1, or a predict_next that
        returns another shape than (N, D).
    """
    if not callable(predict_next):
        raise TypeError(
            f"predict_next must be a function mapping windows (N, T, D) to next values (N, D), "
            f"e.g. lambda W: rnnlib.predict(params, W) (the order is forecast(predict_next, X, "
            f"steps)), got {type(predict_next).__name__}"
        )
    X = _check_windows(X)
    S = positive_int(steps, "steps")
    N, T, D = X.shape
    window = X.copy()
    out = np.empty((N, S, D))
    for s in range(S):
        nxt = real_array(predict_next(window), "the value predict_next returned")
        if nxt.shape != (N, D):
            raise ValueError(
                f"predict_next must return shape (N, D) = ({N}, {D}) (every channel, so the "
                f"prediction can be fed back), got {nxt.shape}"
            )
        out[:, s] = nxt
        window = np.concatenate([window[:, 1:], nxt[:, None, :]], axis=1)
    return out


def horizon_rmse(forecasts: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """RMSE per horizon, over records and channels: how the error grows with the steps ahead.

    Parameters
    ----------
    forecasts : array (N, S, D)
        E.g. from forecast, finite.
    truth : array (N, S, D)
        The true values, finite.

    Returns
    -------
    array (S,)
        At index s, the RMSE of the forecasts s + 1 steps ahead.

    Raises
    ------
    TypeError
        For arrays that are not real numbers.
    ValueError
        For arrays that are not non-empty finite (N, S, D) arrays, or of different shapes.
    """
    forecasts = as_float_array(forecasts, "forecasts", 3, "(N, S, D)")
    truth = as_float_array(truth, "truth", 3, "(N, S, D)")
    if forecasts.shape != truth.shape:
        raise ValueError(
            f"forecasts and truth must have the same shape, got {forecasts.shape} and {truth.shape}"
        )
    return np.sqrt(np.mean((forecasts - truth) ** 2, axis=(0, 2)))
