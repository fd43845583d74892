"""Notebook 09's exercise: one backward step of a loss at every step (many-to-many), plain cell.

sequence_backward_step(dh_next, dy_hat_t, h_t, W, V) -> (g_t, delta_t, dh_prev, dV_t)
    One step back through y_hat_t = V h_t + c and h_t = tanh(a_t), a_t = U x_t + W h_(t-1) + b,
    for a batch (rows are records or streams), when every step has its own loss:

        g_t     = dh_next + dy_hat_t V         dL/dh_t: from the later steps and from step t's
                                               own output (the V^T dL/dy_hat_t of notebook 09)
        delta_t = g_t * (1 - h_t**2)           dL/da_t
        dh_prev = delta_t W                    what step t sends back to h_(t-1)
        dV_t    = dy_hat_t^T h_t               step t's share of dV

    dh_next (N, H) is what step t + 1 sent back (its dh_prev; zeros at t = T), dy_hat_t (N, O)
    = dL/dy_hat_t, h_t (N, H), W (H, H), V (O, H); returns g_t, delta_t, dh_prev (N, H) and
    dV_t (O, H). A loop of this step from t = T down to 1 is rnnlib's loss at every step
    (rnnlib.cells; tests/test_exercise_sequence.py checks that against
    rnnlib.sequence.sequence_loss_and_gradients).

    Checked with N = 3, H = 4, O = 5 (a missing transpose of V fails on its shape) and with the
    shapes of notebook 09's character model (O = 29 characters), one stream and a batch, and
    at the last step t = T, where dh_next is exactly 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.exercises._core import (
    Case,
    Failure,
    Part,
    Verdict,
    agrees,
    as_array,
    call,
    checker,
    confirmed,
    diagnose,
    localize,
    locate,
    matches,
    over_cases,
    pass_text,
    run_checks,
    unpack,
    with_location,
)

SEED = 2029
NAMES = ("g_t", "delta_t", "dh_prev", "dV_t")
SYMBOLS = {"g_t": "(N, H)", "delta_t": "(N, H)", "dh_prev": "(N, H)", "dV_t": "(O, H)"}
ROLES = {"dh_next": "(N, H)", "dy_hat_t": "(N, O)", "h_t": "(N, H)", "W": "(H, H)",
         "V": "(O, H)"}
CASES = (
    Case({"N": 3, "H": 4, "O": 5}, False, SEED),
    Case({"N": 1, "H": 6, "O": 29}, True, SEED + 100),
    Case({"N": 8, "H": 6, "O": 29}, True, SEED + 200),
    # the course's last step, t = T, where nothing comes back from later steps: dh_next is 0
    Case({"N": 4, "H": 6, "O": 29}, True, SEED + 300,
         text="the last step t = T, where dh_next = 0, with N = 4, H = 6, O = 29"),
)
TOP = SEED + 300  # the seed of the case whose dh_next is exactly 0
HINT = ("rows are records: V^T dL/dy_hat_t for every row is dy_hat_t @ V, (N, O) @ (O, H) -> "
        "(N, H), and W^T delta_t is delta_t @ W")


def inputs(case: Case = CASES[0]) -> tuple[np.ndarray, ...]:
    """dh_next (N, H), dy_hat_t (N, O), h_t (N, H), W (H, H), V (O, H); default N=3, H=4, O=5.

    dy_hat_t is a softmax cross-entropy's gradient, softmax(scores) - one_hot(target), over N.
    """
    n, h, o = case["N"], case["H"], case["O"]
    rng = np.random.default_rng(case.seed)
    scores = rng.normal(0.0, 1.0, (n, o))
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dy = (p - np.eye(o)[rng.integers(0, o, n)]) / n
    dh_next = rng.normal(0.0, 0.3, (n, h))
    if case.seed == TOP:
        dh_next = np.zeros_like(dh_next)
    return (dh_next, dy, np.tanh(rng.normal(0.0, 1.0, (n, h))),
            rng.normal(0.0, 0.5, (h, h)), rng.normal(0.0, 0.5, (o, h)))


def reference(dh_next, dy_hat_t, h_t, W, V) -> tuple[np.ndarray, ...]:
    """rnnlib's step (the module docstring's four lines)."""
    g = dh_next + dy_hat_t @ V
    delta = g * (1.0 - h_t**2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


def _slips(dh_next, dy_hat_t, h_t, W, V) -> dict[str, list[tuple[str, np.ndarray]]]:
    g, delta, _, _ = reference(dh_next, dy_hat_t, h_t, W, V)
    top = [] if np.any(dh_next) else [
        ("it is all zeros at the last step t = T, where dh_next = 0: only what comes back from "
         "later steps is 0 there; step T's own loss still flows back, g_t = dh_next + "
         "dy_hat_t @ V, delta_t = g_t * (1 - h_t**2), dh_prev = delta_t @ W (no early return "
         "when dh_next is 0)", np.zeros_like(dh_next))]
    return {
        "g_t": [
            *top,
            ("step t's own loss is missing: with a loss at every step, g_t = dh_next + "
             "dy_hat_t @ V (the error from the later steps plus V^T dL/dy_hat_t)", dh_next),
            ("the error from the later steps is missing: g_t = dh_next + dy_hat_t @ V; "
             "dy_hat_t @ V alone is the loss at the last step only", dy_hat_t @ V),
        ],
        "delta_t": [
            *top,
            ("the tanh derivative is missing: delta_t = g_t * (1 - h_t**2)", g),
            ("the tanh derivative is 1 - h_t**2 (squared), not 1 - h_t", g * (1.0 - h_t)),
            ("the derivative is taken of h_t again: tanh'(a_t) = 1 - h_t**2 is written in "
             "h_t itself, no tanh on top", g * (1.0 - np.tanh(h_t) ** 2)),
        ],
        "dh_prev": [
            *top,
            ("W is not transposed: W^T delta_t for every record (as rows) is delta_t @ W, not "
             "delta_t @ W.T", delta @ W.T),
            ("dh_prev skips the tanh derivative: it is delta_t @ W (with delta_t = g_t * "
             "(1 - h_t**2)), not g_t @ W", g @ W),
            ("dh_prev adds V^T dL/dy_hat_t again: step t - 1's own loss is added at step t - 1 "
             "(as its g_t); here dh_prev = delta_t @ W only", delta @ W + dy_hat_t @ V),
        ],
        "dV_t": [
            ("dV_t uses the error instead of the state: dV_t = dy_hat_t.T @ h_t",
             dy_hat_t.T @ g),
        ],
    }


def _probes(fn, dh_next, dy_hat_t, h_t, W, V):
    def probe(**changes):
        args = {"dh_next": dh_next, "dy_hat_t": dy_hat_t, "h_t": h_t, "W": W, "V": V, **changes}
        return lambda: agrees(fn, args, reference(*args.values()), 4)

    return [("with dh_next = 0 (the last step, t = T)", probe(dh_next=np.zeros_like(dh_next))),
            ("with dy_hat_t = 0 (no loss at this step)", probe(dy_hat_t=np.zeros_like(dy_hat_t))),
            ("with h_t = 0 (tanh' = 1)", probe(h_t=np.zeros_like(h_t)))]


def _conclusion(right: set[str], wrong: set[str]) -> str | None:
    last, no_loss, flat = (label in right for label in (
        "with dh_next = 0 (the last step, t = T)", "with dy_hat_t = 0 (no loss at this step)",
        "with h_t = 0 (tanh' = 1)"))
    if last and not no_loss:
        return "so step t's own loss is handled right, and the error from the later steps is not"
    if no_loss and not last:
        return ("so the error from the later steps is handled right, and step t's own loss, "
                "dy_hat_t @ V, is not")
    if flat and not (last or no_loss):
        return "so what goes wrong is the tanh derivative, 1 - h_t**2"
    return None


@checker("Check the learner's sequence_backward_step(dh_next, dy_hat_t, h_t, W, V) -> "
         "(g_t, delta_t, dh_prev, dV_t) on every input set of CASES.")
def check(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        args = inputs(case)
        expected = reference(*args)
        h, o = case["H"], case["O"]
        slips = _slips(*args)
        hints = {"dV_t": {(h, o): confirmed("that is its transpose: dV_t = dy_hat_t.T @ h_t, "
                                            "(O, N) @ (N, H) -> (O, H)", expected[3].T)}}
        result = call(fn, dict(zip(ROLES, args, strict=True)), case.sizes, ROLES, HINT)
        values = unpack(result, NAMES, expected)
        worst = 0.0
        for name, value, want in zip(NAMES, values, expected, strict=True):
            got = as_array(value, name, want, SYMBOLS[name], case.sizes, hints.get(name))
            try:
                worst = max(worst, diagnose(name, got, want, slips[name]))
            except Failure as failure:
                line = locate(_parts(values, expected))
                raise with_location(localize(failure, _probes(fn, *args),
                                             None if line else _conclusion), line) from None
        return worst

    return run_checks(lambda: pass_text(over_cases(CASES, one),
                                        "all four match, largest relative error"))


_EQUATIONS = {"g_t": "g_t = dh_next + dy_hat_t @ V", "delta_t": "delta_t = g_t * (1 - h_t**2)",
              "dh_prev": "dh_prev = delta_t @ W", "dV_t": "dV_t = dy_hat_t.T @ h_t"}
_NEEDS = {"g_t": (), "delta_t": ("g_t",), "dh_prev": ("delta_t",), "dV_t": ()}


def _parts(values, expected) -> list[Part]:
    """The step's four outputs compared one by one, each with what it is made from."""
    return [Part(n, matches(v, e), _NEEDS[n], _EQUATIONS[n])
            for n, v, e in zip(NAMES, values, expected, strict=True)]


def check_sequence_backward_step(fn: Callable, who: str | None = None) -> None:
    """Check sequence_backward_step(dh_next, dy_hat_t, h_t, W, V) -> (g_t, delta_t, dh_prev,
    dV_t) (notebook 09) and print the verdict, labelled with
    whose it is.

    Parameters
    ----------
    fn : callable
        The function to check.
    who : str, optional
        Whose function it is, printed before the verdict ("reference solution"); default
        "your <name>".

    Raises
    ------
    TypeError
        If fn is not callable.
    """
    from rnnlib.exercises import check as print_check

    print_check("sequence_backward_step", fn, who)
