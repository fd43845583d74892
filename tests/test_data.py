"""Data: the sine series, windows, splits and scaling."""

import math

import numpy as np
import pytest

from rnnlib import fit_scaler, make_windows, sine_series, split_windows


def test_default_series_is_the_tutorials():
    s = sine_series()
    assert s.shape == (200, 1)
    assert s[7, 0] == math.sin(7) and s[199, 0] == math.sin(199)


def test_variants_frequency_phases_noise():
    s = sine_series(10, frequency=0.5, phases=(0.0, math.pi / 2))
    assert s.shape == (10, 2)
    np.testing.assert_allclose(s[:, 1], np.cos(0.5 * np.arange(10)), atol=1e-15)
    a = sine_series(50, noise=0.1, rng=np.random.default_rng(0))
    b = sine_series(50, noise=0.1, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a, b)
    assert 0.05 < np.std(a - sine_series(50)) < 0.15


def test_windows_hold_past_values_and_the_next_one():
    s = np.arange(10.0)[:, None] * np.array([[1.0, -1.0]])
    X, Y = make_windows(s, 4)
    assert X.shape == (6, 4, 2) and Y.shape == (6, 2)
    np.testing.assert_array_equal(X[2, :, 0], [2, 3, 4, 5])
    np.testing.assert_array_equal(Y[2], [6, -6])
    _, Y1 = make_windows(s, 4, target_channels=[1])
    np.testing.assert_array_equal(Y1[:, 0], -np.arange(4.0, 10.0))


def used_positions(targets, window):
    """Series positions a set of records reads: each target and the window before it."""
    return {int(p) for t in targets for p in range(t - window, t + 1)}


def test_disjoint_split_keeps_every_validation_value_out_of_training():
    s = sine_series()
    split = split_windows(s, 50, 50)
    assert split.X_train.shape == (50, 50, 1) and split.X_val.shape == (50, 50, 1)
    train = used_positions(split.train_targets, 50)
    val = used_positions(split.val_targets, 50)
    assert not train & val
    assert max(train) < split.train_end <= min(val)
    # the records really are the windows at those positions
    np.testing.assert_array_equal(split.Y_val[:, 0], s[split.val_targets, 0])
    np.testing.assert_array_equal(split.X_train[3, :, 0], s[3:53, 0])


def test_tutorial_split_reproduces_the_articles_arrangement():
    s = sine_series()
    split = split_windows(s, 50, 50, disjoint=False)
    assert split.X_train.shape == (100, 50, 1) and split.X_val.shape == (50, 50, 1)
    np.testing.assert_array_equal(split.Y_val[:, 0], s[150:, 0])
    # validation targets are never training values, but validation inputs re-use 50 of them
    train = used_positions(split.train_targets, 50)
    assert not set(split.val_targets.tolist()) & train
    shared = set(split.train_targets.tolist()) & used_positions(split.val_targets - 1, 49)
    assert len(shared) == 50


def test_without_a_test_part_the_split_is_unchanged_and_the_test_arrays_are_empty():
    s = sine_series()
    split = split_windows(s, 50, 50)
    assert split.X_test.shape == (0, 50, 1) and split.Y_test.shape == (0, 1)
    assert split.test_targets.shape == (0,)
    assert split.train_end == 100
    np.testing.assert_array_equal(split.val_targets, np.arange(150, 200))


def test_disjoint_test_part_comes_after_validation_and_shares_no_value():
    s = sine_series(300)
    split = split_windows(s, 50, 50, n_test=50)
    # the first 200 values are the tutorial's series: training and validation as without a test
    plain = split_windows(s[:200], 50, 50)
    np.testing.assert_array_equal(split.X_train, plain.X_train)
    np.testing.assert_array_equal(split.X_val, plain.X_val)
    assert split.train_end == plain.train_end == 100
    assert split.X_test.shape == (50, 50, 1) and split.Y_test.shape == (50, 1)
    np.testing.assert_array_equal(split.test_targets, np.arange(250, 300))
    np.testing.assert_array_equal(split.Y_test[:, 0], s[250:, 0])
    np.testing.assert_array_equal(split.X_test[0, :, 0], s[200:250, 0])
    train = used_positions(split.train_targets, 50)
    val = used_positions(split.val_targets, 50)
    test = used_positions(split.test_targets, 50)
    assert not train & val and not val & test and not train & test
    assert max(train) < min(val) and max(val) < min(test)


def test_walk_forward_test_part_holds_the_latest_windows():
    s = sine_series()
    split = split_windows(s, 50, 40, n_test=30, disjoint=False)
    assert split.X_train.shape[0] == 150 - 40 - 30
    np.testing.assert_array_equal(split.val_targets, np.arange(130, 170))
    np.testing.assert_array_equal(split.test_targets, np.arange(170, 200))
    np.testing.assert_array_equal(split.Y_test[:, 0], s[170:, 0])
    np.testing.assert_array_equal(split.X_test[-1, :, 0], s[149:199, 0])
    # every test target comes after every validation value and every training value
    assert min(split.test_targets) > max(split.val_targets) > max(split.train_targets)


def test_scaler_fits_and_inverts():
    values = np.array([[1.0, 10.0], [-2.0, 30.0]])
    sc = fit_scaler(values)
    np.testing.assert_allclose(sc.scale, [2.0, 30.0])
    np.testing.assert_allclose(sc.inverse_transform(sc.transform(values)), values)
    st = fit_scaler(values, "standard")
    np.testing.assert_allclose(st.transform(values).mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(st.transform(values).std(axis=0), 1)
    X = np.ones((3, 4, 2))
    assert sc.transform(X).shape == (3, 4, 2)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_windows(np.zeros(10), 3), r"series must have shape \(L, D\).*got shape \(10,\)"),
        (lambda: make_windows(np.zeros((10, 1)), 10), "window must be shorter.*window = 10.*L = 10"),
        (lambda: make_windows(np.zeros((10, 1)), 0), "window must be an integer >= 1, got 0"),
        (lambda: make_windows(np.full((5, 1), np.nan), 2), "series must be finite.*5 NaN"),
        (lambda: make_windows(np.zeros((0, 1)), 2), "series must not be empty"),
        (lambda: make_windows(np.zeros((5, 1)), 2, [1]), "target_channels must name channels in 0 .. 0"),
        (lambda: split_windows(sine_series(), 50, 100), r"too short for a disjoint split.*need L >= 201"),
        (lambda: split_windows(sine_series(60), 50, 10, disjoint=False), "leaves no training window"),
        (lambda: split_windows(sine_series(), 50, 50, n_test=1), r"n_test = 1 test windows of 50 plus one training window need L >= 202"),
        (lambda: split_windows(sine_series(), 50, 50, n_test=100, disjoint=False), "n_val = 50 with n_test = 100 leaves no training window"),
        (lambda: split_windows(sine_series(), 50, 50, n_test=-1), "n_test must be an integer >= 0"),
        (lambda: sine_series(0), "length must be an integer >= 1"),
        (lambda: fit_scaler(np.zeros((4, 1))), "channel 0 has scale 0"),
        (lambda: fit_scaler(np.ones((4, 1)), "standard"), "channel 0 has scale 0"),
        (lambda: fit_scaler(np.ones((4, 1)), "minmax"), "method must be 'maxabs' or 'standard'"),
    ],
)
def test_bad_input_is_named_in_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_arguments_of_the_wrong_kind_are_type_errors():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        sine_series(10, noise=0.1)
    with pytest.raises(TypeError, match="n_test must be an integer >= 0, got 2.5"):
        split_windows(sine_series(), 50, 50, n_test=2.5)
