"""Notebook 01's exercise: cut a series into windows and targets.

make_windows(series, T) -> (X, Y)
    series (L, D); returns X (N, T, D) with N = L - T, record i holding series[i : i + T], and
    Y (N, D), record i's target series[i + T]. Checked against rnnlib.make_windows, on a series
    with D = 2 (so that swapped axes fail on their shape) and on one with the course's D = 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.data import make_windows as rnnlib_make_windows
from rnnlib.exercises._core import (
    WHERE,
    Case,
    Failure,
    Verdict,
    as_array,
    call,
    checker,
    diagnose,
    first_departure,
    iterator_read_twice,
    over_cases,
    pass_text,
    run_checks,
    unpack,
    with_location,
)
from rnnlib.gradcheck import relative_error

L, T, D = 10, 4, 2
N = L - T
SIZES = {L: "L", T: "T", D: "D", N: "N", N + 1: "N + 1", N - 1: "N - 1"}
SEED = 2031


def _case(length: int, window: int, channels: int, course: bool, seed: int) -> Case:
    n = length - window
    extra: dict[int, str | tuple[str, ...]] = {n + 1: "N + 1", n - 1: "N - 1"}
    # a size with two names keeps both: the message picks the one of its axis
    extra[window + 1] = (extra[window + 1], "T + 1") if window + 1 in extra else "T + 1"
    return Case({"L": length, "T": window, "D": channels, "N": n}, course, seed, extra)


CASES = (_case(L, T, D, False, SEED), _case(9, 3, 1, True, SEED + 100))


def inputs(case: Case = CASES[0]) -> tuple[np.ndarray, int]:
    """A series (L, D) of distinct values and T (default (10, 2) and T = 4: N = 6 windows)."""
    rng = np.random.default_rng(case.seed)
    return rng.normal(0.0, 1.0, (case["L"], case["D"])), case["T"]


def reference(series: np.ndarray, T: int) -> tuple[np.ndarray, np.ndarray]:
    """rnnlib's version: rnnlib.make_windows(series, T)."""
    return rnnlib_make_windows(series, T)


def _numeric_empty(value) -> bool:
    try:
        return np.asarray(value, dtype=np.float64).size == 0
    except (TypeError, ValueError):
        return False


def _close(a, b) -> bool:
    return np.shape(a) == np.shape(b) and relative_error(np.asarray(a), np.asarray(b)) < 1e-12


def _hints(series, X_ref, Y_ref, case):
    """Hints for wrong shapes of X and Y, each confirmed on the values."""
    n, t, d = case["N"], case["T"], case["D"]

    def too_many(X):
        if _close(X[:n], X_ref):
            return ("one window too many: the last window must still have a target after it, "
                    "so there are N = L - T windows (i = 0 .. L - T - 1)")
        return None

    def too_few(X):
        if _close(X, X_ref[:-1]):
            return ("one window too few: the last window is series[L - T - 1 : L - 1], so "
                    "i = 0 .. L - T - 1, range(L - T)")
        if _close(X, X_ref[1:]):
            return "the first window is missing: i starts at 0, series[0 : T]"
        return None

    def long_windows(X):
        if _close(X[:, :t], X_ref[: len(X)]):
            return "each window holds T + 1 values, its target too: X[i] is series[i : i + T]"
        return None

    def flat(X):
        if _close(X, X_ref.reshape(n, t * d)) and d > 1:
            return "each window was flattened: keep it as a (T, D) block"
        if _close(X, X_ref[:, :, 0]):
            return "the channel axis D is missing: keep it even when D = 1 (no [:, 0], no squeeze)"
        return None

    def few(X):
        if _close(X, X_ref[:: t][: len(X)]):
            return ("the windows do not overlap: there is one window for every start i = 0 .. "
                    "L - T - 1, each shifted by one step from the one before")
        for stride in range(2, t):
            if _close(X, X_ref[::stride]):
                nth = {2: "second", 3: "third"}.get(stride, f"{stride}th")
                return (f"every {nth} window only (the starts step by {stride}): there is "
                        "one window for every start i = 0 .. L - T - 1, step 1")
        return None

    def differences(X):
        if _close(X, reference(np.diff(series, axis=0), t)[0]):
            return ("the windows are cut from np.diff(series), the differences: make_windows "
                    "cuts the series as it is")
        return None

    def values(X):
        if _close(X, series[:n]):
            return ("X holds one value per record, series[i], not a window: X[i] is "
                    "series[i : i + T], shape (T, D)")
        return None

    def view(X):
        if _close(X, np.lib.stride_tricks.sliding_window_view(series, t, axis=0)):
            return ("np.lib.stride_tricks.sliding_window_view puts the window's steps last and "
                    "cuts one window too many: transpose it to (N, T, D) and drop the last one "
                    "(it has no target)")
        return None

    def short_windows(X):
        if _close(X, X_ref[:, : t - 1]):
            return "each window holds T - 1 values: series[i : i + T] has T (the end is exclusive)"
        return None

    def first_ones(X):
        k = len(X)
        if not _close(X, X_ref[:k]):
            return None
        if k == len(series) // t:
            return (f"it holds the first {k} windows only, len(series) // T of them, as many "
                    "as fit side by side without overlapping: the windows overlap, one for "
                    "every start i = 0 .. L - T - 1, so there are N = len(series) - T")
        return (f"it holds the first {k} windows only: there is one window for every start "
                "i = 0 .. L - T - 1, so there are N = len(series) - T; look at the range of "
                "your loop")

    def long_cut_channels(X):
        # windows of T + 1 values (target too) with channels cut: a slice such as [:, :-1] of
        # sliding_window_view's (N, D, T + 1) windows cuts the channel axis, not the time axis
        long = np.stack([series[i: i + t + 1] for i in range(n)])
        k = X.shape[2]
        if _close(X, long[:, :, :k]) or _close(X, long[:, :, d - k:]):
            return (f"each window holds T + 1 values (its target too) and only {k} of the D "
                    f"channels: the slice that was meant to drop the last step cut the channel "
                    "axis. sliding_window_view(series, T + 1, axis=0) puts the steps on the "
                    "last axis, (N, D, T + 1): cut that one, view[..., :T] (and the target is "
                    "view[..., T])")
        return None

    def wrapped(X):
        # windows that run past the end and wrap around to the start (an index % L): X[:N]
        # right, the extra ones series[(j + arange(T)) % L]
        length = series.shape[0]
        k = X.shape[0]
        circular = np.stack([series[(j + np.arange(t)) % length] for j in range(k)])
        if _close(X, circular):
            return (f"{k} windows, not N = L - T = {n}: X[:N] is right, and the last {k - n} "
                    f"run past the end and wrap around to the start (an index % L). Stop at "
                    f"L - T: for i in range(len(series) - T)")
        return None

    x_hints = {(n, t - 1, d): short_windows, (n + 1, d, t): view,
               **{(len(X_ref[::s]), t, d): few for s in range(2, t + 1)},
               (n + 1, t, d): too_many, (n, t + 1, d): long_windows,
               (n - 1, t + 1, d): long_windows, (n, t * d): flat, (n, t): flat}
    x_hints[(n - 1, t, d)] = lambda X: too_few(X) or differences(X)
    for key, more in [*(((k, t, d), first_ones) for k in range(1, n - 1)),
                      *(((n, t + 1, k), long_cut_channels) for k in range(1, d)),
                      *(((k, t, d), wrapped) for k in range(n + 1, n + t + 1))]:
        before = x_hints.get(key)
        x_hints[key] = more if before is None else (
            lambda X, before=before, more=more: before(X) or more(X))
    if d != t:
        x_hints[(n, d)] = values
    if t != n:
        x_hints[(t, n, d)] = lambda X: (
            "the windows are stacked along axis 1 (time first): stack them on axis 0, "
            "np.stack(windows), so that X[i] is window i" if _close(
                X, X_ref.transpose(1, 0, 2)) else None)
    if d != t:
        x_hints[(n, d, t)] = lambda X: (
            "the time and channel axes are swapped; keep each window as series[i : i + T]"
            if _close(X.transpose(0, 2, 1), X_ref) else None)

    def y_early(Y):
        if _close(Y, series[t - 1:]):
            return "the targets start one step early: Y[i] = series[i + T], so Y = series[T:]"
        return None

    def y_short(Y):
        if _close(Y, series[t + 1:]):
            return ("the targets are one step late: Y[i] is series[i + T], right after "
                    "window i; yours is series[i + T + 1]")
        if _close(Y, Y_ref[:-1]):
            return "one target too few: the last window's target is series[L - 1]"
        return None

    def y_windows(Y):
        if _close(Y, np.stack([series[i + 1: i + 1 + t] for i in range(n)])):
            return ("each target is a whole window (series[i + 1 : i + T + 1]); the target is "
                    "the one row after window i, Y[i] = series[i + T], so Y = series[T:]")
        return None

    y_hints = {(n + 1, d): y_early, (n - 1, d): y_short, (n, t, d): y_windows}
    if d > 1:
        y_hints[(n,)] = lambda Y: ("only the first channel: Y[i] is the whole row "
                                   "series[i + T], D values" if _close(Y, Y_ref[:, 0]) else None)
    if d == 1:
        y_hints[(n,)] = lambda Y: ("the channel axis D is missing: Y[i] should be "
                                   "series[i + T], a row of D values" if _close(
                                       Y, Y_ref[:, 0]) else None)
    return x_hints, y_hints


@checker("Check the learner's make_windows(series, T) -> (X, Y) on every input set of "
         "CASES.")
def check(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        series, window = inputs(case)
        X_ref, Y_ref = reference(series, window)
        n, t = case["N"], case["T"]
        x_hints, y_hints = _hints(series, X_ref, Y_ref, case)
        result = call(fn, {"series": series, "T": window}, case.sizes, {"series": "(L, D)"},
                      hint="record i is series[i : i + T] (shape (T, D)), its target series[i + T]")
        X, Y = unpack(result, ("X", "Y"), (X_ref, Y_ref))
        if _numeric_empty(X):
            twice = iterator_read_twice(fn)
            if twice:
                raise Failure(f"FAIL: X holds no windows (shape {np.shape(X)}): {twice}")
            raise Failure(
                f"FAIL: X holds no windows (shape {np.shape(X)}): there are N = L - T = {n} "
                "here, with L = series.shape[0] = len(series), the number of values, and T the "
                "argument T (not a number from the notebook)")
        X = as_array(X, "X", X_ref, "(N, T, D)", case.sizes, x_hints)
        Y = as_array(Y, "Y", Y_ref, "(N, D)", case.sizes, y_hints)
        try:
            _diagnose_x(X, X_ref, series, n, t)
        except Failure as failure:
            raise with_location(failure, _locate_x(X, X_ref, series, t)) from None
        try:
            error = _diagnose_y(Y, Y_ref, series, n, t)
        except Failure as failure:
            raise with_location(failure, _locate_y(Y, Y_ref, series, t)) from None
        return max(error, relative_error(X, X_ref))

    return run_checks(lambda: pass_text(over_cases(CASES, one), "X and Y match, relative error"),
                      fn)


def _locate_x(X, X_ref, series, t) -> str:
    """The located line of wrong windows: the first window that departs, and what it holds."""
    i = first_departure(X, X_ref)
    if i is None:
        return ""
    right = ("" if i == 0 else "window 0 is right; " if i == 1 else
             f"windows 0 .. {i - 1} are right; ")
    L = len(series)
    starts = [j for j in range(L - t + 1) if relative_error(X[i], series[j: j + t]) < 1e-9]
    if starts and starts[0] != i:
        j = starts[0]
        return (f"{WHERE} {right}window {i} is the first that is wrong: it holds series[{j} : "
                f"{j} + T], the window that starts at {j}; window {i} starts at {i}, "
                f"series[{i} : {i} + T]")
    step = first_departure(X[i], X_ref[i])
    inside = (f"its steps 0 .. {step - 1} are right and step {step} is not" if step else
              "its first step is wrong already")
    return (f"{WHERE} {right}window {i} is the first that is wrong ({inside}): look at how "
            f"record {i} is cut, X[{i}] = series[{i} : {i} + T]")


def _locate_y(Y, Y_ref, series, t) -> str:
    """The located line of wrong targets (the windows X are right when it is asked)."""
    i = first_departure(Y, Y_ref)
    if i is None:
        return ""
    right = "" if i == 0 else "Y[0] is right; " if i == 1 else f"Y[0] .. Y[{i - 1}] are right; "
    found = [j for j in range(len(series)) if relative_error(Y[i], series[j]) < 1e-9]
    if found:
        return (f"{WHERE} X is right; {right}Y[{i}] is the first wrong target, and it is "
                f"series[{found[0]}]: the target of window {i} is the value after it, "
                f"series[{i} + T] = series[{i + t}]")
    return (f"{WHERE} X is right; {right}Y[{i}] is the first wrong target: look at how Y is "
            "made, Y[i] = series[i + T] for every window i, the value as it is")


def _diagnose_x(X, X_ref, series, n, t) -> None:
    diagnose("X", X, X_ref, [
        ("the windows are in reverse order: record i holds series[i : i + T], for "
         "i = 0, 1, ..., oldest first", X_ref[::-1]),
        ("each window runs backwards in time: keep series[i : i + T] in its order, "
         "oldest value first", X_ref[:, ::-1]),
        ("the windows were reshaped from (N, D, T) to (N, T, D): reshape refills the "
         "values in order, it does not swap axes; transpose them instead, "
         ".transpose(0, 2, 1)", X_ref.transpose(0, 2, 1).reshape(X_ref.shape)),
        ("the windows are cut from the reversed series (series[::-1]): cut them from "
         "series itself, oldest value first", reference(series[::-1], t)[0]),
        ("the windows are standardized (minus the mean, divided by the standard "
         "deviation): make_windows cuts the series as it is (scaling comes before, fitted "
         "on the training values only)", reference(
             (series - series.mean(axis=0)) / series.std(axis=0), t)[0]),
        ("each window is centred (its own mean subtracted): make_windows cuts the series as "
         "it is", X_ref - X_ref.mean(axis=1, keepdims=True)),
        ("the windows are scaled (divided by the largest absolute value): make_windows "
         "cuts the series as it is (scaling comes before, fitted on the training values "
         "only)", reference(series / np.abs(series).max(axis=0), t)[0]),
        ("window i starts one step late, at series[i + 1]: record i holds series[i : i + T]",
         np.stack([series[i + 1: i + 1 + t] for i in range(n)])),
        ("window i starts one step late: record i holds series[i : i + T]",
         np.stack([series[i + 1: i + 1 + t] for i in range(n - 1)] + [X_ref[-1]])),
    ])


def _diagnose_y(Y, Y_ref, series, n, t) -> float:
    return diagnose("Y", Y, Y_ref, [
        ("the targets are in reverse order: Y[i] = series[i + T], oldest first",
         Y_ref[::-1]),
        ("your targets are the last value of each window; the target is the value AFTER "
         "it, series[i + T]", series[t - 1: -1]),
        ("your targets are two steps after the window; the target of series[i : i + T] "
         "is series[i + T]", np.vstack([series[t + 1:], series[-1:]])),
        ("every record has the same target, series[T]: Y[i] = series[i + T], one for each "
         "window (Y = series[T:])", np.repeat(series[t: t + 1], n, axis=0)),
        ("the targets are differences, series[i + T] - series[i + T - 1]: the target is "
         "the value itself, Y[i] = series[i + T]", series[t:] - series[t - 1: -1]),
        ("your targets are the first value of each window; the target is the value after "
         "it, series[i + T]", series[:n]),
    ])
