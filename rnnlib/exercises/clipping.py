"""Notebook 04's exercise: clipping by global norm.

clip_gradients(grads, threshold) -> clipped
    grads: a list of arrays of any shapes; threshold c > 0. Returns a new list of arrays of the
    same shapes: all multiplied by c / ||g|| when their global L2 norm ||g|| (over all elements
    of all arrays together) exceeds c, unchanged otherwise. The inputs are not modified.
    Checked against rnnlib.clipping.clip_by_norm where clipping must act, where it must not,
    and for all-zero gradients.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.clipping import clip_by_norm
from rnnlib.exercises._core import (
    Failure,
    Verdict,
    as_array,
    call,
    describe_value,
    diagnose,
    expect_none_or,
    pass_text,
    run_checks,
)
from rnnlib.model import Params

N, D, H = 3, 2, 4
SEED = 2026
NAMES = ("dU", "dW", "dV", "db", "dc")


def inputs() -> list[np.ndarray]:
    """Five arrays shaped like dU (4, 2), dW (4, 4), dV (1, 4), db (4,), dc (1,): 33 values.

    Their norms differ widely, so clipping each array by its own norm gives a wrong answer.
    """
    rng = np.random.default_rng(SEED)
    return [rng.normal(0.0, 2.0, (H, D)), rng.normal(0.0, 0.1, (H, H)),
            rng.normal(0.0, 1.0, (1, H)), rng.normal(0.0, 0.5, H), rng.normal(0.0, 1.0, 1)]


def global_norm(grads) -> float:
    return Params(*grads).norm()


def reference(grads: list[np.ndarray], threshold: float) -> list[np.ndarray]:
    """rnnlib's version: rnnlib.clip_by_norm on the five arrays, as a list."""
    clipped, _, _ = clip_by_norm(Params(*grads), threshold)
    return [a for _, a in clipped.items()]


def _reference_any(grads, threshold):
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    scale = threshold / norm if norm > threshold else 1.0
    return [np.asarray(g, dtype=np.float64) * scale for g in grads]


def check(fn: Callable) -> Verdict:
    grads = inputs()
    norm = global_norm(grads)
    count = len(grads)
    total = sum(g.size for g in grads)
    cases = [(round(norm / 3.0, 1), "clipping must act"),
             (round(norm * 2.0, 1), "nothing changes")]

    def one(grads, threshold, what) -> float:
        expected = _reference_any(grads, threshold)
        result = call(fn, {"grads": grads, "threshold": threshold}, {}, {})
        expect_none_or(result)
        if isinstance(result, np.ndarray):
            raise Failure(
                f"FAIL: your function returned {describe_value(result)}; return a list of "
                f"{count} arrays, one per gradient, each with its input's shape")
        try:
            result = list(result)
        except TypeError:
            raise Failure(f"FAIL: your function must return a list of {count} arrays, got "
                          f"{describe_value(result)}") from None
        if len(result) != count:
            raise Failure(f"FAIL: your function returned a list of {len(result)} arrays for "
                          f"{count} gradients; return one array per gradient")
        context = f" with threshold {threshold:.1f} (global norm {global_norm(grads):.2f}: {what})"
        worst = 0.0
        per_array = [g * min(1.0, threshold / np.linalg.norm(g)) if np.linalg.norm(g) else g
                     for g in grads]
        for i, (value, reference) in enumerate(zip(result, expected, strict=True)):
            name = f"array {i} ({NAMES[i]})" if count == len(NAMES) else f"array {i}"
            got = as_array(value, name, reference, "the input's shape", {})
            slips = [
                ("each array was clipped by its own norm; clip them all together by their "
                 "global norm (one factor for every array)", per_array[i]),
                ("the arrays were scaled although their global norm is below the threshold: "
                 "leave them unchanged then", grads[i] * threshold / max(global_norm(grads),
                                                                         1e-300)),
                ("this is clipping by value (np.clip); clip by the global norm instead",
                 np.clip(grads[i], -threshold, threshold)),
                ("the factor is upside down: multiply by threshold / norm",
                 grads[i] * global_norm(grads) / threshold),
            ]
            worst = max(worst, diagnose(name, got, reference, slips, context))
        return worst

    def body() -> str:
        worst = 0.0
        for threshold, what in cases:
            worst = max(worst, one(grads, threshold, what))
        zeros = [np.zeros_like(g) for g in grads]
        try:
            one(zeros, 1.0, "nothing changes")
        except Failure as failure:
            if "NaN" in str(failure):
                raise Failure("FAIL: with all-zero gradients (global norm 0) your function "
                              "returns NaN: it divides by the norm even when clipping must "
                              "not act; divide only when the norm exceeds the threshold") from None
            raise
        return pass_text(worst, f"all {total} values match in both cases, largest relative error")

    return run_checks(body)
