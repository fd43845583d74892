"""Notebook 05's exercise: an SGD training loop with truncated BPTT and global-norm clipping.

train_rnn(params, X, Y, learning_rate, epochs, threshold, k) -> trained
    params: a list [U, W, V, b, c]; X (N, T, D), Y (N, O). Each of the epochs is one full-batch
    update: forward pass, loss and gradient, BPTT with truncation depth k, clipping of all five
    gradients together by global norm at threshold, then p <- p - learning_rate * g for each
    parameter. Returns a new list of the five trained arrays; the inputs are not modified.
    Checked against rnnlib.train(..., truncation=k, clipping=Clipping("norm", threshold)).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.bptt import loss_and_gradients
from rnnlib.clipping import Clipping, clip_by_norm
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
from rnnlib.training import train

N, T, D, H, O = 4, 5, 1, 3, 1
SEED = 2027
LEARNING_RATE, EPOCHS, K = 0.5, 3, 2
NAMES = ("U", "W", "V", "b", "c")
SYMBOLS = ("(H, D)", "(H, H)", "(O, H)", "(H,)", "(O,)")


def inputs() -> tuple[list[np.ndarray], np.ndarray, np.ndarray, float]:
    """(params [U (3, 1), W (3, 3), V (1, 3), b (3,), c (1,)], X (4, 5, 1), Y (4, 1), threshold).

    The threshold is half the first gradient's norm, so clipping acts in the first update.
    """
    rng = np.random.default_rng(SEED)
    params = [rng.normal(0.0, 0.7, (H, D)), rng.normal(0.0, 0.7, (H, H)),
              rng.normal(0.0, 0.7, (O, H)), rng.normal(0.0, 0.3, H), rng.normal(0.0, 0.3, O)]
    X = rng.normal(0.0, 1.0, (N, T, D))
    Y = rng.normal(0.0, 1.0, (N, O))
    _, grads = loss_and_gradients(Params(*params), X, Y, truncation=K)
    return params, X, Y, round(grads.norm() / 2.0, 2)


def reference(params, X, Y, learning_rate, epochs, threshold, k) -> list[np.ndarray]:
    """rnnlib's version: rnnlib.train, full batch, truncation k, norm clipping at threshold."""
    result = train(Params(*params), X, Y, learning_rate=learning_rate, epochs=epochs,
                   truncation=k, clipping=Clipping("norm", threshold))
    return [a for _, a in result.params.items()]


def loop(params, X, Y, learning_rate, epochs, threshold, k, sign=1.0, clip=True):
    """The same loop written plainly, with rnnlib's pieces; sign and clip make wrong variants."""
    p = Params(*(np.array(a, dtype=np.float64) for a in params))
    for _ in range(epochs):
        _, grads = loss_and_gradients(p, X, Y, truncation=k)
        if clip:
            grads, _, _ = clip_by_norm(grads, threshold)
        p = Params(*(a - sign * learning_rate * g for (_, a), (_, g) in zip(
            p.items(), grads.items(), strict=True)))
    return [a for _, a in p.items()]


def check(fn: Callable) -> Verdict:
    params, X, Y, threshold = inputs()
    expected = reference(params, X, Y, LEARNING_RATE, EPOCHS, threshold, K)

    def flat(arrays):
        return np.concatenate([np.ravel(a) for a in arrays])

    variants = [
        ("clipping is missing: clip all five gradients together by their global norm "
         "before each update", loop(params, X, Y, LEARNING_RATE, EPOCHS, threshold, K,
                                    clip=False)),
        ("the truncation depth k is not passed on: BPTT must use k",
         loop(params, X, Y, LEARNING_RATE, EPOCHS, threshold, T)),
        (f"one epoch too few: run exactly epochs = {EPOCHS} updates",
         loop(params, X, Y, LEARNING_RATE, EPOCHS - 1, threshold, K)),
        (f"one epoch too many: run exactly epochs = {EPOCHS} updates",
         loop(params, X, Y, LEARNING_RATE, EPOCHS + 1, threshold, K)),
        ("the update goes uphill: p <- p - learning_rate * g (minus)",
         loop(params, X, Y, LEARNING_RATE, EPOCHS, threshold, K, sign=-1.0)),
        ("the parameters did not change: assign the updated arrays back before the next epoch",
         params),
        ("only the first update took effect: each epoch must start from the parameters the "
         "previous one produced", loop(params, X, Y, LEARNING_RATE, 1, threshold, K)),
    ]

    def body() -> str:
        args = {"params": params, "X": X, "Y": Y, "learning_rate": LEARNING_RATE,
                "epochs": EPOCHS, "threshold": threshold, "k": K}
        result = call(fn, args, {N: "N", T: "T", H: "H"},
                      {"X": "(N, T, D)", "Y": "(N, O)"})
        expect_none_or(result)
        if not isinstance(result, list | tuple) or len(result) != len(NAMES):
            raise Failure(f"FAIL: your function returned {describe_value(result)}; return a "
                          f"list of the five trained arrays [U, W, V, b, c]")
        got = [as_array(v, n, e, s, {H: "H", D: "D"})
               for v, n, e, s in zip(result, NAMES, expected, SYMBOLS, strict=True)]
        diagnose("the trained parameters", flat(got), flat(expected),
                 [(text, flat(v)) for text, v in variants],
                 f" after {EPOCHS} epochs (k = {K}, threshold {threshold:.2f})")
        worst = max(float(np.linalg.norm(g - e) / (np.linalg.norm(g) + np.linalg.norm(e)))
                    for g, e in zip(got, expected, strict=True))
        return pass_text(worst, "all five trained arrays match rnnlib.train, largest relative "
                                "error")

    return run_checks(body)
