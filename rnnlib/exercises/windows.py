"""Notebook 01's exercise: cut a series into windows and targets.

make_windows(series, T) -> (X, Y)
    series (L, D); returns X (N, T, D) with N = L - T, record i holding series[i : i + T], and
    Y (N, D), record i's target series[i + T]. Checked against rnnlib.make_windows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.data import make_windows as rnnlib_make_windows
from rnnlib.exercises._core import Verdict, as_array, call, diagnose, pass_text, run_checks, unpack

L, T, D = 10, 4, 2
N = L - T
SIZES = {L: "L", T: "T", D: "D", N: "N", N + 1: "N + 1", N - 1: "N - 1"}
SEED = 2031


def inputs() -> tuple[np.ndarray, int]:
    """A series (10, 2) of distinct values and T = 4: N = 6 windows."""
    rng = np.random.default_rng(SEED)
    return rng.normal(0.0, 1.0, (L, D)), T


def reference(series: np.ndarray, T: int) -> tuple[np.ndarray, np.ndarray]:
    """rnnlib's version: rnnlib.make_windows(series, T)."""
    return rnnlib_make_windows(series, T)


def check(fn: Callable) -> Verdict:
    series, window = inputs()
    X_ref, Y_ref = reference(series, window)

    def body() -> str:
        result = call(fn, {"series": series, "T": window}, SIZES,
                      {"series": "(L, D)"},
                      hint="record i is series[i : i + T] (shape (T, D)), its target series[i + T]")
        X, Y = unpack(result, ("X", "Y"))
        X = as_array(X, "X", X_ref, "(N, T, D)", SIZES, {
            (N + 1, T, D): "one window too many: the last window must still have a target "
                           "after it, so there are N = L - T windows (i = 0 .. L - T - 1)",
            (N - 1, T, D): "one window too few: there are N = L - T windows, i = 0 .. L - T - 1",
            (N, D, T): "the time and channel axes are swapped; keep each window as "
                       "series[i : i + T]",
            (N, T): "the channel axis D is missing: keep it even when D = 1",
            (N, T * D): "each window was flattened: keep it as a (T, D) block",
        })
        Y = as_array(Y, "Y", Y_ref, "(N, D)", SIZES, {
            (N + 1, D): "one target too many: every target must follow a full window",
            (N - 1, D): "one target too few: the last window's target is series[L - 1]",
            (N,): "the channel axis D is missing: Y[i] should be series[i + T], a row of D values",
        })
        diagnose("X", X, X_ref, [
            ("window i starts one step late: record i holds series[i : i + T]",
             np.stack([series[i + 1: i + 1 + T] for i in range(N - 1)] + [X_ref[-1]])),
        ])
        error = diagnose("Y", Y, Y_ref, [
            ("your targets are the last value of each window; the target is the value AFTER "
             "it, series[i + T]", series[T - 1: L - 1]),
            ("your targets are two steps after the window; the target of series[i : i + T] "
             "is series[i + T]", np.vstack([series[T + 1:], series[-1:]])),
        ])
        return pass_text(error, "X and Y match, relative error")

    return run_checks(body)
