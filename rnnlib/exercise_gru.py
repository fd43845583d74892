"""The checker of notebook 08's "your turn" cell: one step of the GRU for a batch.

check_gru_step(fn)
    fn(x_t, h_prev, U, W, b, b_n) -> h_t
    x_t (N, D), h_prev (N, H), U (3H, D), W (3H, H), b (3H,), b_n (H,)  ->  h_t (N, H), one step
    of rnnlib.gated's GRU (its docstring holds the equations; rows of U, W, b in the order r, z, n).
    Compared with rnnlib.gated.gru_forward run for one step from h_prev.

It prints one line in the course's checker format, "PASS: ...", "FAIL: ..." or "NOT YET: ...",
and returns True only on PASS. Errors below 1e-12 are rounding only and print as "< 1e-12", so
that the line is the same on every machine.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from rnnlib.gated import GRUParams, gru_forward
from rnnlib.gradcheck import relative_error

N, D, H = 3, 2, 4  # all different, so that a transposed matrix fails on its shape
SEED = 2024
TOLERANCE, TOLERANCE_TEXT, FLOOR = 1e-7, "1e-7", 1e-12
NOT_YET = "NOT YET: your function returned None — write it above and run this cell again"


def gru_step_inputs() -> tuple[np.ndarray, ...]:
    """The fixed inputs: x_t (3, 2), h_prev (3, 4), U (12, 2), W (12, 4), b (12,), b_n (4,)."""
    rng = np.random.default_rng(SEED)
    return (rng.normal(0.0, 1.0, (N, D)), np.tanh(rng.normal(0.0, 1.0, (N, H))),
            rng.normal(0.0, 0.7, (3 * H, D)), rng.normal(0.0, 0.7, (3 * H, H)),
            rng.normal(0.0, 0.5, 3 * H), rng.normal(0.0, 0.5, H))


def _format(error: float) -> str:
    return "< 1e-12" if error < FLOOR else f"{error:.1e}"


def _verdict(fn: Callable) -> str:
    x_t, h_prev, U, W, b, b_n = inputs = gru_step_inputs()
    params = GRUParams(U=U, W=W, b=b, b_n=b_n, V=np.zeros((1, H)), c=np.zeros(1))
    expected = gru_forward(params, x_t[:, None, :], h0=h_prev)[1].states[1]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*(np.copy(a) for a in inputs))
    except Exception as exc:  # the learner's code may raise anything
        text = str(exc).strip()
        return f"FAIL: your function raised {type(exc).__name__}: " + (
            text.splitlines()[0] if text else "(no message)")
    if result is None:
        return NOT_YET
    try:
        got = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        return (f"FAIL: h_t should be an array of shape (N, H) = {(N, H)}, "
                f"got {type(result).__name__}")
    if got.shape != (N, H):
        return f"FAIL: h_t has shape {got.shape}, expected (N, H) = {(N, H)}"
    if not np.all(np.isfinite(got)):
        return "FAIL: h_t holds NaN or infinite values"
    error = relative_error(got, expected)
    if not error < TOLERANCE:
        hint = ""
        # two usual slips: Cho et al.'s variant (r before the product), and z and 1 - z swapped
        r = 1 / (1 + np.exp(-(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])))
        z = 1 / (1 + np.exp(-(x_t @ U[H : 2 * H].T + h_prev @ W[H : 2 * H].T + b[H : 2 * H])))
        n_cho = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + (r * h_prev) @ W[2 * H :].T + b_n)
        n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + r * (h_prev @ W[2 * H :].T + b_n))
        if relative_error(got, (1 - z) * n_cho + z * h_prev) < TOLERANCE:
            hint = "; that is Cho et al.'s variant, here r multiplies (W_n h_prev + b_n)"
        elif relative_error(got, z * n + (1 - z) * h_prev) < TOLERANCE:
            hint = "; z and 1 - z are swapped: h_t = (1 - z) * n + z * h_prev"
        return (f"FAIL: h_t has the right shape but wrong values: relative error {_format(error)} "
                f"(must be < {TOLERANCE_TEXT}){hint}")
    return f"PASS: relative error {_format(error)} (must be < {TOLERANCE_TEXT})"


def check_gru_step(fn: Callable[..., np.ndarray | None]) -> bool:
    """Check a learner's GRU step fn(x_t, h_prev, U, W, b, b_n) -> h_t; print one verdict line;
    return True only on PASS."""
    line = _verdict(fn)
    print(line)
    return line.startswith("PASS")
