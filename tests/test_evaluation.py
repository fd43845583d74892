"""RMSE, baselines, AR(p) and multi-step forecasting."""

import math

import numpy as np
import pytest

from rnnlib import (
    fit_ar,
    forecast,
    horizon_rmse,
    make_windows,
    predict_last,
    predict_zero,
    rmse,
    sine_series,
    split_windows,
)


def test_rmse():
    assert rmse(np.array([0.0, 0.0]), np.array([3.0, 4.0])) == pytest.approx(math.sqrt(12.5))


def test_zero_and_last_value_baselines():
    X = np.arange(24.0).reshape(2, 4, 3)
    np.testing.assert_array_equal(predict_zero(X), np.zeros((2, 3)))
    np.testing.assert_array_equal(predict_last(X), X[:, -1])


def test_ar2_is_exact_for_a_sampled_sine():
    split = split_windows(sine_series(), 50, 50)
    ar = fit_ar(split.X_train, split.Y_train, 2)
    # sin(n + 1) = 2 cos(1) sin(n) - sin(n - 1)
    np.testing.assert_allclose(ar.coef[:, 0, 0], [2 * math.cos(1), -1.0], atol=1e-9)
    assert abs(ar.intercept[0]) < 1e-9
    assert rmse(split.Y_val, ar.predict(split.X_val)) < 1e-9


def test_ar_fits_several_channels():
    s = sine_series(120, frequency=0.3, phases=(0.0, 1.0))
    X, Y = make_windows(s, 10)
    ar = fit_ar(X, Y, 2)
    assert ar.coef.shape == (2, 2, 2) and ar.order == 2
    assert rmse(Y, ar.predict(X)) < 1e-9


def test_forecast_feeds_predictions_back():
    s = sine_series(80)
    X, _ = make_windows(s[:60], 10)
    ar = fit_ar(X, s[10:60], 2)
    out = forecast(ar.predict, s[None, 50:60], 20)  # the window of positions 50 .. 59
    assert out.shape == (1, 20, 1)
    np.testing.assert_allclose(out[0, :, 0], s[60:80, 0], atol=1e-8)
    errors = horizon_rmse(out, s[None, 60:80])
    assert errors.shape == (20,) and errors.max() < 1e-8


def test_forecast_with_last_value_repeats_it():
    X = np.arange(6.0).reshape(1, 6, 1)
    np.testing.assert_array_equal(forecast(predict_last, X, 3)[0, :, 0], [5, 5, 5])


def test_horizon_rmse_averages_over_records_and_channels():
    f = np.zeros((2, 3, 1))
    truth = np.array([[[1.0], [2.0], [0.0]], [[1.0], [0.0], [0.0]]])
    np.testing.assert_allclose(horizon_rmse(f, truth), [1.0, math.sqrt(2.0), 0.0])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: rmse(np.zeros(3), np.zeros(4)), r"same shape, got \(3,\) and \(4,\)"),
        (lambda: predict_last(np.zeros((3, 4))), r"X must have shape \(N, T, D\), got shape \(3, 4\)"),
        (lambda: fit_ar(np.zeros((5, 3, 1)), np.zeros((5, 1)), 4), "order must be at most.*T = 3"),
        (lambda: fit_ar(np.zeros((5, 3, 1)), np.zeros((4, 1)), 2), r"Y must have N = 5 rows"),
        (lambda: forecast(lambda w: w[:, -1, :1], np.zeros((2, 4, 2)), 3), r"must return shape \(N, D\) = \(2, 2\)"),
        (lambda: forecast(predict_last, np.zeros((2, 4, 1)), 0), "steps must be an integer >= 1"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
