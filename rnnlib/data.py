"""Data: sine series, windows of past values with the next value as target, splits, scaling.

Shapes used throughout: a series is (L, D), L time steps of D channels; windows are inputs
X (N, T, D), N records of T consecutive steps, with targets Y (N, O), the value that follows
each window (O = D, or fewer channels when only some are predicted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnnlib._checks import as_float_array, finite_array, generator, positive_float, positive_int


def sine_series(
    length: int = 200,
    *,
    frequency: float = 1.0,
    phases: Sequence[float] = (0.0,),
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Sampled sine waves: value[n, d] = sin(frequency * n + phases[d]) for n = 0 .. length-1.

    The defaults give the tutorial's series, sin of the integers 0 .. 199, as shape (200, 1).
    One channel per phase. noise > 0 adds Gaussian noise of that standard deviation, drawn from
    rng (a numpy.random.Generator, required then).

    Parameters
    ----------
    length : int
        L >= 1, the number of time steps.
    frequency : float
        Angular frequency per step, finite and > 0.
    phases : sequence of float, shape (D,)
        One phase per channel, finite.
    noise : float
        Standard deviation of the added Gaussian noise, finite and >= 0 (0: no noise).
    rng : numpy.random.Generator or None
        Draws the noise; required when noise > 0, unused otherwise.

    Returns
    -------
    series : array (L, D)
        D = len(phases) channels.

    Raises
    ------
    TypeError
        For a length that is not an integer, a frequency or noise that is not a number, phases
        that are not real numbers, or noise > 0 without a numpy.random.Generator as rng.
    ValueError
        For length < 1, a frequency that is not finite and > 0, phases that are not a non-empty
        finite 1-D sequence, or noise that is negative or not finite.
    """
    L = positive_int(length, "length")
    w = positive_float(frequency, "frequency")
    phases = as_float_array(phases, "phases", 1, "(D,), one phase per channel")
    n = np.arange(L, dtype=np.float64)[:, None]
    series = np.sin(w * n + phases[None, :])
    if isinstance(noise, str | bytes | bool) or not isinstance(noise, int | float | np.number):
        raise TypeError(f"noise must be a number (a standard deviation >= 0), got {noise!r}")
    if noise < 0 or not np.isfinite(noise):
        raise ValueError(f"noise must be a finite standard deviation >= 0, got {noise!r}")
    if noise > 0:
        series = series + generator(rng).normal(0.0, noise, series.shape)
    return series


def _check_series(series) -> np.ndarray:
    return as_float_array(series, "series", 2, "(L, D): L time steps of D channels")


def _check_window(window, L: int) -> int:
    T = positive_int(window, "window")
    if T >= L:
        raise ValueError(
            f"window must be shorter than the series so that a target follows it: "
            f"window = {T}, series length L = {L}"
        )
    return T


def make_windows(
    series: np.ndarray,
    window: int,
    target_channels: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into every window of ``window`` consecutive steps and the value after it.

    Record i has inputs series[i : i + T] and target series[i + T]: all L - T windows, each
    sharing T - 1 values with the next.

    Parameters
    ----------
    series : array (L, D)
        L time steps of D channels, finite.
    window : int
        T, with 1 <= T < L (a target must follow every window).
    target_channels : sequence of int or None
        Which channels to predict, each in 0 .. D - 1 (default None: all D, in order).

    Returns
    -------
    X : array (L - T, T, D)
        The input windows (a contiguous copy).
    Y : array (L - T, O)
        The value after each window in the target channels, O = len(target_channels) (D if None).

    Raises
    ------
    TypeError
        For a series that is not real numbers, a window that is not an integer, or
        target_channels that is not a sequence of integers (e.g. a bare int, a string).
    ValueError
        For a series that is not a non-empty finite (L, D) array, a window < 1 or >= L, or
        target_channels that is empty or holds channel numbers outside 0 .. D - 1.
    """
    series = _check_series(series)
    L, D = series.shape
    T = _check_window(window, L)
    channels = (list(range(D)) if target_channels is None
                else _channel_list(target_channels, "target_channels", D, "the series"))
    X = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[: L - T]
    # sliding_window_view puts the window axis last: (N, D, T) -> (N, T, D), then copy
    X = np.ascontiguousarray(X.transpose(0, 2, 1))
    Y = series[T:, channels].copy()
    return X, Y


@dataclass(frozen=True)
class Split:
    """Training, validation and (optionally) test windows cut from one series, in time order.

    X_train (N, T, D), Y_train (N, O), X_val (M, T, D), Y_val (M, O), X_test (P, T, D),
    Y_test (P, O); P = 0 (empty arrays) when no test part was asked for.
    train_targets (N,), val_targets (M,), test_targets (P,): position in the series of each
    record's target.
    train_end: training uses only series[:train_end] (inputs and targets); fit any scaler there.
    Use the validation part to choose (a configuration, a number of epochs) and the test part,
    looked at once at the end, to report: a score that was used to choose is optimistic.
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_val: np.ndarray
    Y_val: np.ndarray
    train_targets: np.ndarray
    val_targets: np.ndarray
    train_end: int
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None
    test_targets: np.ndarray | None = None


def split_windows(
    series: np.ndarray,
    window: int,
    n_val: int,
    *,
    n_test: int = 0,
    disjoint: bool = True,
    target_channels: Sequence[int] | None = None,
) -> Split:
    """Chronological train/validation/test split of a series into windows.

    The test records are the latest ones, the validation records come just before them, training
    before that: every validation target comes after every training value, and every test target
    after every validation value.

    disjoint=True (the default): the series is cut into consecutive pieces, training
        series[:a], validation series[a:b], test series[b:] with b = L - T - n_test (b = L when
        n_test = 0) and a = b - T - n_val; each part's windows (inputs and targets) lie in its
        own piece, so no value is shared between parts.
    disjoint=False (walk-forward, the tutorial's arrangement when n_test = 0): all L - T
        consecutive windows, the last n_test for test, the n_val before them for validation.
        Targets are still unseen by the earlier parts, but the inputs of a validation (test)
        record include values that were earlier targets: observed past values, which is what a
        one-step forecaster reads in use.

    Parameters
    ----------
    series : array (L, D)
        L time steps of D channels, finite.
    window : int
        T >= 1, the window length.
    n_val : int
        M >= 1, the number of validation records.
    n_test : int
        P >= 0, the number of test records (default 0: no test part).
    disjoint : bool
        Whether the parts' windows share no value (see above).
    target_channels : sequence of int or None
        Which channels to predict, as in make_windows (default: all D).

    Returns
    -------
    Split
        X_train (N, T, D), Y_train (N, O), X_val (M, T, D), Y_val (M, O), X_test (P, T, D),
        Y_test (P, O) (empty when n_test = 0), the target positions train_targets (N,),
        val_targets (M,), test_targets (P,), and train_end. N = a - T when disjoint, else
        L - T - M - P.

    Raises
    ------
    TypeError
        For a series that is not real numbers, a window, n_val or n_test that is not an integer,
        or target_channels that is not a sequence.
    ValueError
        For a series that is not a non-empty finite (L, D) array, window < 1 or >= L, n_val < 1,
        n_test < 0, bad target_channels, or a series too short to leave at least one training
        window (disjoint: L >= 2T + M + 1, plus T + P with a test part; walk-forward:
        L - T >= M + P + 1).
    """
    series = _check_series(series)
    L = series.shape[0]
    T = _check_window(window, L)
    M = positive_int(n_val, "n_val")
    P = positive_int(n_test, "n_test", minimum=0)
    if disjoint:
        b = L - T - P if P else L
        a = b - T - M
        if a - T < 1:
            need = 2 * T + M + 1 + (T + P if P else 0)
            raise ValueError(
                f"series too short for a disjoint split: n_val = {M} validation windows of {T}"
                + (f", n_test = {P} test windows of {T}" if P else "")
                + f" plus one training window need L >= {need} values, got L = {L}"
            )
        X_train, Y_train = make_windows(series[:a], T, target_channels)
        X_val, Y_val = make_windows(series[a:b], T, target_channels)
        train_targets = np.arange(T, a)
        val_targets = np.arange(a + T, b)
        train_end = a
        if P:
            X_test, Y_test = make_windows(series[b:], T, target_channels)
            test_targets = np.arange(b + T, L)
    else:
        X, Y = make_windows(series, T, target_channels)
        N = X.shape[0] - M - P
        if N < 1:
            raise ValueError(
                f"n_val = {M}" + (f" with n_test = {P}" if P else "")
                + f" leaves no training window: the series has only {X.shape[0]} windows of {T}"
            )
        X_train, Y_train, X_val, Y_val = X[:N], Y[:N], X[N : N + M], Y[N : N + M]
        train_targets = np.arange(T, T + N)
        val_targets = np.arange(T + N, T + N + M)
        train_end = T + N
        if P:
            X_test, Y_test = X[N + M :], Y[N + M :]
            test_targets = np.arange(T + N + M, L)
    if not P:
        X_test = np.empty((0,) + X_val.shape[1:])
        Y_test = np.empty((0,) + Y_val.shape[1:])
        test_targets = np.arange(0)
    return Split(X_train, Y_train, X_val, Y_val, train_targets, val_targets, train_end,
                 X_test, Y_test, test_targets)


@dataclass(frozen=True)
class Scaler:
    """An affine rescaling per channel: transform(x) = (x - offset) / scale.

    offset, scale: (D,), one value per channel: each channel (temperature, humidity, ...) is
    scaled by its own numbers. Arrays whose last axis has D channels, e.g. a series (L, D),
    windows (N, T, D) or targets (N, D), can be (inverse) transformed; their values must be
    finite.
    """

    offset: np.ndarray
    scale: np.ndarray

    def __post_init__(self) -> None:
        offset = as_float_array(self.offset, "offset", 1, "(D,), one value per channel")
        scale = as_float_array(self.scale, "scale", 1, "(D,), one value per channel")
        if offset.shape != scale.shape:
            raise ValueError(
                f"offset and scale must both have shape (D,), got {offset.shape} and {scale.shape}"
            )
        if np.any(scale == 0):
            raise ValueError(f"scale must be non-zero in every channel, got {scale}")

    @property
    def channels(self) -> int:
        """D, the number of channels the scaler was fitted on."""
        return np.shape(self.offset)[0]

    def _check(self, x, name: str) -> np.ndarray:
        x = finite_array(x, name)
        D = self.channels
        if x.ndim == 0 or x.shape[-1] != D:
            raise ValueError(
                f"{name} must have its channels on the last axis, D = {D} as the scaler was "
                f"fitted on (e.g. (L, {D}) or (N, T, {D})), got shape {x.shape}"
            )
        return x

    def transform(self, x: np.ndarray) -> np.ndarray:
        """To scaled units: (x - offset) / scale, channel by channel.

        Parameters
        ----------
        x : array (..., D)
            Finite values with the D channels on the last axis, e.g. a series (L, D) or windows
            (N, T, D).

        Returns
        -------
        array (..., D)
            x in scaled units, a new array.

        Raises
        ------
        TypeError
            For x that is not real numbers.
        ValueError
            For x that is empty, not finite, or without D channels on its last axis.
        """
        return (self._check(x, "x") - self.offset) / self.scale

    def inverse_transform(self, x: np.ndarray) -> np.ndarray:
        """Back to original units: x * scale + offset, channel by channel.

        Parameters
        ----------
        x : array (..., D)
            Finite values in scaled units with the D channels on the last axis, e.g. predictions
            (N, D).

        Returns
        -------
        array (..., D)
            x in original units, a new array.

        Raises
        ------
        TypeError
            For x that is not real numbers.
        ValueError
            For x that is empty, not finite, or without D channels on its last axis.
        """
        return self._check(x, "x") * self.scale + self.offset

    def select(self, channels: Sequence[int]) -> Scaler:
        """The scaler of some channels only, e.g. for targets that predict channel 0 of D.

        Parameters
        ----------
        channels : sequence of int
            Channel numbers in 0 .. D - 1, e.g. the target_channels given to make_windows.

        Returns
        -------
        Scaler
            offset and scale (len(channels),), those of the chosen channels in the order given.

        Raises
        ------
        TypeError
            For channels that is not a sequence of integers (e.g. a bare int, a string).
        ValueError
            For channels that is empty or holds channel numbers outside 0 .. D - 1.
        """
        chosen = _channel_list(channels, "channels", self.channels, "the scaler")
        return Scaler(np.asarray(self.offset)[chosen], np.asarray(self.scale)[chosen])


def _channel_list(value, name: str, D: int, owner: str) -> list[int]:
    """Channel numbers in 0 .. D - 1 as a non-empty list: TypeError for anything but a sequence
    of integers (a bare int, a string, floats), ValueError for an empty list or numbers out of
    range."""
    if isinstance(value, str | bytes):
        raise TypeError(f"{name} must be a list of channel numbers, e.g. [0], got the string "
                        f"{value!r}")
    try:
        chosen = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list of channel numbers, e.g. [0], got {value!r}"
                        ) from None
    wrong = [c for c in chosen if isinstance(c, bool) or not isinstance(c, int | np.integer)]
    if wrong:
        raise TypeError(f"{name} must hold integer channel numbers, e.g. [0], got {wrong[0]!r} "
                        f"(a {type(wrong[0]).__name__}) in {value!r}")
    if not chosen or any(not 0 <= c < D for c in chosen):
        raise ValueError(f"{name} must name channels in 0 .. {D - 1} ({owner} has D = {D}), "
                         f"got {value!r}")
    return chosen


def fit_scaler(values: np.ndarray, method: str = "maxabs") -> Scaler:
    """Fit a Scaler on values (L, D), which should be the training part of a series only.

    Fitting on the whole series would let the validation and test values shape the scaling, a
    leak that makes their scores optimistic.

    method "maxabs": offset 0, scale max |x| per channel (values land in [-1, 1]); this is
        what the tutorial's undefined ``max_val`` stands for.
    method "standard": offset the mean, scale the standard deviation per channel.

    Parameters
    ----------
    values : array (L, D)
        Finite values, L time steps of D channels.
    method : str
        "maxabs" (the default) or "standard".

    Returns
    -------
    Scaler
        offset and scale (D,).

    Raises
    ------
    TypeError
        For values that are not real numbers, a method that is not a string.
    ValueError
        For values that are not a non-empty finite (L, D) array, an unknown method, or a channel
        whose scale would be 0 (all zero for "maxabs", constant for "standard").
    """
    values = as_float_array(values, "values", 2, "(L, D)")
    if not isinstance(method, str):
        raise TypeError(f"method must be 'maxabs' or 'standard', got {type(method).__name__}")
    if method == "maxabs":
        offset = np.zeros(values.shape[1])
        scale = np.max(np.abs(values), axis=0)
    elif method == "standard":
        offset = values.mean(axis=0)
        scale = values.std(axis=0)
    else:
        raise ValueError(f"method must be 'maxabs' or 'standard', got {method!r}")
    if np.any(scale == 0):
        channel = int(np.flatnonzero(scale == 0)[0])
        raise ValueError(
            f"cannot scale values: channel {channel} has scale 0 (all zero for 'maxabs', "
            f"constant for 'standard')"
        )
    return Scaler(offset, scale)


def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """One-hot rows for integer labels: (...) ints in 0 .. num_classes - 1 -> (..., num_classes).

    E.g. a DNA sequence coded A, C, G, T = 0, 1, 2, 3 as (N, T) ints becomes inputs (N, T, 4),
    and class labels (N,) become targets (N, O) for the softmax cross-entropy loss.

    Parameters
    ----------
    labels : array of int, any shape (...)
        Class numbers in 0 .. C - 1 (an integer dtype: floats, even whole ones, are refused).
    num_classes : int
        C >= 1.

    Returns
    -------
    array (..., C)
        Float64, 1.0 at each label's class and 0.0 elsewhere.

    Raises
    ------
    TypeError
        For a num_classes that is not an integer, labels that are not of an integer dtype.
    ValueError
        For num_classes < 1, ragged labels, or a label outside 0 .. C - 1.
    """
    C = positive_int(num_classes, "num_classes")
    try:
        labels = np.asarray(labels)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"labels must be a rectangular array of integers: {error}") from None
    if labels.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got an array of dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= C):
        raise ValueError(
            f"labels must lie in 0 .. {C - 1} (num_classes = {C}), "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return np.eye(C)[labels]

