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
    """Root mean squared error over all elements of two arrays of one shape (finite values)."""
    y_true = real_array(y_true, "y_true")
    y_pred = real_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    y_true = finite_array(y_true, "y_true")
    y_pred = finite_array(y_pred, "y_pred")
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def accuracy(labels: np.ndarray, scores: np.ndarray) -> float:
    """Fraction of records whose highest score is at the true class.

    labels: (N,) integer classes, or (N, O) one-hot rows. scores: (N, O) logits or
    probabilities (the arg max is the same). Returns a number in [0, 1].
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
    """The zero baseline: (N, D) zeros for windows X (N, T, D)."""
    X = _check_windows(X)
    return np.zeros((X.shape[0], X.shape[2]))


def predict_last(X: np.ndarray) -> np.ndarray:
    """The last-value baseline: X[:, -1, :], shape (N, D)."""
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
        return self.coef.shape[0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions (N, O) for windows X (N, T, D) with T >= p."""
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
    """Least-squares AR(order) fit from training windows X (N, T, D) to targets Y (N, O)."""
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

    predict_next: maps windows (N, T, D) to next values (N, D) (a model predicting every
    channel). X: (N, T, D) starting windows. Returns (N, steps, D): entry [:, s] is the
    forecast s + 1 steps after each window.
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
    """RMSE per horizon: forecasts and truth (N, S, D) -> (S,), over records and channels."""
    forecasts = as_float_array(forecasts, "forecasts", 3, "(N, S, D)")
    truth = as_float_array(truth, "truth", 3, "(N, S, D)")
    if forecasts.shape != truth.shape:
        raise ValueError(
            f"forecasts and truth must have the same shape, got {forecasts.shape} and {truth.shape}"
        )
    return np.sqrt(np.mean((forecasts - truth) ** 2, axis=(0, 2)))
