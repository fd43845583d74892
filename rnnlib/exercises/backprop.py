"""Notebook 03's exercises: the loss and its gradient, one backward step, BPTT with truncation,
and a central-difference gradient.

mse_loss(Y_hat, Y) -> (L, dY_hat)
    Y_hat, Y (N, O); L = sum((Y_hat - Y)**2) / (2 N), one number; dY_hat = (Y_hat - Y) / N.

backward_step(dh_t, h_t, h_prev, x_t, W) -> (delta_t, dh_prev, dU_t, dW_t, db_t)
    One step back through h_t = tanh(a_t), a_t = U x_t + W h_(t-1) + b, for a batch (rows are
    records): dh_t = dL/dh_t (N, H), h_t (N, H), h_prev (N, H), x_t (N, D), W (H, H). Returns
    delta_t = dL/da_t = dh_t * (1 - h_t**2) (N, H), dh_prev = dL/dh_(t-1) = delta_t W (N, H),
    and the step's shares dU_t = delta_t^T x_t (H, D), dW_t = delta_t^T h_prev (H, H),
    db_t = sum over records of delta_t (H,).

bptt(dY_hat, X, states, W, V, k) -> (dU, dW, dV, db, dc)
    dY_hat (N, O), X (N, T, D), states (T + 1, N, H) as rnn_forward returns them, W (H, H),
    V (O, H), truncation depth k (1 <= k <= T) as rnnlib.bptt defines it: the error flows back
    through the last k steps, t = T-k+1 .. T, and only those steps add their shares.
    Returns dU (H, D), dW (H, H), dV (O, H), db (H,), dc (O,). Checked against rnnlib.backward.

numerical_gradient(f, x, eps=1e-6) -> grad
    Central differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every element of the
    float64 array x, which f() reads; x is perturbed in place and restored exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.bptt import backward
from rnnlib.exercises._core import (
    Failure,
    Verdict,
    as_array,
    call,
    describe_value,
    diagnose,
    expect_none_or,
    magnitude,
    pass_text,
    run_checks,
    unpack,
)
from rnnlib.gradcheck import numerical_gradient as rnnlib_numerical_gradient
from rnnlib.gradcheck import relative_error
from rnnlib.model import ForwardCache, Params, forward, mse_loss

SEED = 2025

# --- the loss and its gradient -------------------------------------------------------------

LN, LO = 5, 3
LOSS_SIZES = {LN: "N", LO: "O"}


def loss_inputs() -> tuple[np.ndarray, np.ndarray]:
    """Y_hat, Y of shape (5, 3): N = 5 records, O = 3 outputs."""
    rng = np.random.default_rng(SEED)
    return rng.normal(0.0, 1.0, (LN, LO)), rng.normal(0.0, 1.0, (LN, LO))


def reference_loss(Y_hat, Y) -> tuple[float, np.ndarray]:
    """rnnlib's version: rnnlib.mse_loss."""
    return mse_loss(Y_hat, Y)


_LOSS_FACTORS = (
    (LN, "the 1/N is missing: L is the MEAN over the N records, sum(...) / (2 N)"),
    (2.0, "the 1/2 is missing: L = sum((Y_hat - Y)**2) / (2 N)"),
    (2.0 * LN, "both the 1/2 and the 1/N are missing: L = sum((Y_hat - Y)**2) / (2 N)"),
    (1.0 / LO, "you divided by N * O (np.mean over all elements averages the outputs too): "
               "sum over the outputs, divide by 2 N"),
    (2.0 / LO, "np.mean over all elements without the 1/2: L = sum((Y_hat - Y)**2) / (2 N)"),
)
_GRAD_FACTORS = (
    (-1.0, "the sign is wrong: dL/dY_hat = (Y_hat - Y) / N, prediction minus target"),
    (LN, "the 1/N is missing: dY_hat = (Y_hat - Y) / N"),
    (2.0, "the 2 of the square should cancel the 1/2: dY_hat = (Y_hat - Y) / N"),
    (1.0 / LO, "you divided by N * O: dY_hat = (Y_hat - Y) / N"),
    (-float(LN), "the sign is wrong and the 1/N is missing: dY_hat = (Y_hat - Y) / N"),
)


def check_loss(fn: Callable) -> Verdict:
    Y_hat, Y = loss_inputs()
    L_ref, dY_ref = reference_loss(Y_hat, Y)

    def body() -> str:
        result = call(fn, {"Y_hat": Y_hat, "Y": Y}, LOSS_SIZES, {"Y_hat": "(N, O)", "Y": "(N, O)"})
        L, dY_hat = unpack(result, ("L", "dY_hat"))
        if isinstance(L, np.ndarray) and L.shape == (LN, LO) and np.ndim(dY_hat) == 0:
            raise Failure("FAIL: the order is swapped: return L, dY_hat (the loss first)")
        array = np.asarray(L, dtype=np.float64) if _numeric(L) else None
        if array is None or array.size != 1:
            where = ""
            if array is not None and array.shape == (LO,):
                where = ": you summed over the records only; sum over the outputs too"
            elif array is not None and array.shape == (LN,):
                where = ": one value per record; average them over the records"
            raise Failure(f"FAIL: L must be one number, got {describe_value(L)}{where}")
        loss = float(array.reshape(()))
        if not np.isfinite(loss):
            raise Failure("FAIL: L is NaN or infinite")
        if abs(loss - L_ref) > 1e-7 * abs(L_ref):
            for factor, text in _LOSS_FACTORS:
                if abs(loss - factor * L_ref) < 1e-9 * abs(L_ref) * factor:
                    raise Failure(f"FAIL: L is wrong: {text}")
            error = magnitude(abs(loss - L_ref) / L_ref)
            raise Failure(f"FAIL: L is wrong: relative error {error}")
        grad = as_array(dY_hat, "dY_hat", dY_ref, "(N, O)", LOSS_SIZES)
        error = diagnose("dY_hat", grad, dY_ref, [(t, f * dY_ref) for f, t in _GRAD_FACTORS])
        return pass_text(max(error, abs(loss - L_ref) / L_ref), "L and dY_hat match, "
                         "largest relative error")

    return run_checks(body)


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True


# --- one backward step ---------------------------------------------------------------------

N, D, H = 3, 2, 4
SIZES = {N: "N", D: "D", H: "H"}
STEP_ROLES = {"dh_t": "(N, H)", "h_t": "(N, H)", "h_prev": "(N, H)", "x_t": "(N, D)",
              "W": "(H, H)"}
STEP_NAMES = ("delta_t", "dh_prev", "dU_t", "dW_t", "db_t")


def step_inputs() -> tuple[np.ndarray, ...]:
    """(dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0): the states of a two-step tanh RNN.

    The first five are what the learner's function receives: dh_t, h_t, h_prev (3, 4),
    x_t (3, 2), W (4, 4).
    """
    rng = np.random.default_rng(SEED + 1)
    U = rng.normal(0.0, 0.5, (H, D))
    W = rng.normal(0.0, 0.5, (H, H))
    b = rng.normal(0.0, 0.5, H)
    X = rng.normal(0.0, 1.0, (N, 2, D))
    h0 = np.tanh(rng.normal(0.0, 1.0, (N, H)))
    dh_t = rng.normal(0.0, 1.0, (N, H))
    params = Params(U=U, W=W, V=np.eye(H), b=b, c=np.zeros(H))
    _, cache = forward(params, X, "tanh", h0=h0)
    return dh_t, cache.states[2], cache.states[1], X[:, 1], W, U, b, X[:, 0], h0


def step_reference() -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """(the learner's inputs, the expected outputs), from rnnlib's BPTT.

    With V = I the loss's gradient dL/dY_hat = dh_t reaches h_2 = h_t unchanged. Truncation
    depth 1 gives exactly the last step's shares and delta_t; full BPTT's
    delta_1 = dL/dh_1 * (1 - h_1**2) gives dL/dh_prev.
    """
    dh_t, h_t, h_prev, x_t, W, U, b, x_prev, h0 = step_inputs()
    params = Params(U=U, W=W, V=np.eye(H), b=b, c=np.zeros(H))
    X = np.stack([x_prev, x_t], axis=1)
    _, cache = forward(params, X, "tanh", h0=h0)
    last, _ = backward(dh_t, params, cache, truncation=1)
    _, deltas = backward(dh_t, params, cache, truncation=None)
    dh_prev = deltas[0] / (1.0 - h_prev**2)
    return (dh_t, h_t, h_prev, x_t, W), (deltas[1], dh_prev, last.U, last.W, last.b)


def reference_step(dh_t, h_t, h_prev, x_t, W) -> tuple[np.ndarray, ...]:
    """rnnlib's version of one backward step (the formulas of rnnlib.bptt for one step)."""
    delta_t = dh_t * (1.0 - h_t**2)
    return delta_t, delta_t @ W, delta_t.T @ x_t, delta_t.T @ h_prev, delta_t.sum(axis=0)


def check_step(fn: Callable) -> Verdict:
    inputs, expected = step_reference()
    dh_t, h_t, h_prev, x_t, W = inputs
    delta = expected[0]
    slips = {
        "delta_t": [
            ("the derivative factor is missing: delta_t = dh_t * (1 - h_t**2), the error "
             "times tanh'(a_t)", dh_t),
            ("tanh' is applied to h_t as if it were the pre-activation: h_t is already "
             "tanh(a_t), so tanh'(a_t) = 1 - h_t**2 (no second tanh)",
             dh_t * (1.0 - np.tanh(h_t) ** 2)),
            ("this is the sigmoid's derivative h (1 - h); for tanh it is 1 - h_t**2",
             dh_t * h_t * (1.0 - h_t)),
            ("the brackets: (1 - h_t)**2 is not 1 - h_t**2", dh_t * (1.0 - h_t) ** 2),
            ("the derivative is taken at h_prev; this step's is 1 - h_t**2",
             dh_t * (1.0 - h_prev**2)),
        ],
        "dh_prev": [
            ("W is transposed the wrong way: W^T delta_t for every record (as rows) is "
             "delta_t @ W", delta @ W.T),
            ("the activation's derivative is skipped: use delta_t, not dh_t (dh_prev = "
             "delta_t @ W)", dh_t @ W),
            ("the activation's derivative is skipped and W is transposed the wrong way: "
             "dh_prev = delta_t @ W", dh_t @ W.T),
            ("W is missing: the error reaches h_prev through a_t = ... + W h_prev, "
             "so dh_prev = delta_t @ W", delta),
        ],
        "dU_t": [
            ("divided by N: the shares are SUMS over the records (the 1/N is already in dh_t)",
             delta.T @ x_t / N),
            ("dh_t is used instead of delta_t", dh_t.T @ x_t),
        ],
        "dW_t": [
            ("it uses h_t; W multiplies h_prev, so dW_t = delta_t.T @ h_prev", delta.T @ h_t),
            ("it is transposed: dW_t = delta_t.T @ h_prev, not h_prev.T @ delta_t",
             h_prev.T @ delta),
            ("divided by N: the shares are SUMS over the records (the 1/N is already in dh_t)",
             delta.T @ h_prev / N),
            ("dh_t is used instead of delta_t", dh_t.T @ h_prev),
        ],
        "db_t": [
            ("it is the mean over the records: the shares are SUMS (the 1/N is already in dh_t)",
             delta.mean(axis=0)),
            ("dh_t is used instead of delta_t", dh_t.sum(axis=0)),
        ],
    }
    symbols = {"delta_t": "(N, H)", "dh_prev": "(N, H)", "dU_t": "(H, D)", "dW_t": "(H, H)",
               "db_t": "(H,)"}
    shape_hints = {"dU_t": {(D, H): "that is its transpose: dU_t = delta_t.T @ x_t, "
                                    "(H, N) @ (N, D) -> (H, D)"},
                   "db_t": {(N,): "you summed over the units (axis 1); sum over the "
                                  "records, axis 0",
                            (N, H): "sum it over the records (axis 0)",
                            (): "you summed over both axes; sum over the records only, axis 0"}}

    def body() -> str:
        result = call(fn, dict(zip(STEP_ROLES, inputs, strict=True)), SIZES, STEP_ROLES,
                      "rows are records: W^T delta for every row is delta_t @ W, and "
                      "sum_n delta x^T is delta_t.T @ x_t")
        values = unpack(result, STEP_NAMES)
        worst = 0.0
        for name, value, reference in zip(STEP_NAMES, values, expected, strict=True):
            got = as_array(value, name, reference, symbols[name], SIZES, shape_hints.get(name))
            worst = max(worst, diagnose(name, got, reference, slips[name]))
        return pass_text(worst, "all five match, largest relative error")

    return run_checks(body)


# --- BPTT with truncation ------------------------------------------------------------------

T, O = 6, 1
K = 3
BPTT_SIZES = {N: "N", D: "D", H: "H", T: "T", T + 1: "T + 1"}
BPTT_ROLES = {"dY_hat": "(N, O)", "X": "(N, T, D)", "states": "(T + 1, N, H)", "W": "(H, H)",
              "V": "(O, H)", "k": "k"}
BPTT_NAMES = ("dU", "dW", "dV", "db", "dc")


def bptt_inputs() -> tuple[np.ndarray, ...]:
    """(dY_hat (3, 1), X (3, 6, 2), states (7, 3, 4), W (4, 4), V (1, 4), U (4, 2), b (4,))."""
    rng = np.random.default_rng(SEED + 2)
    U = rng.normal(0.0, 0.6, (H, D))
    W = rng.normal(0.0, 0.6, (H, H))
    V = rng.normal(0.0, 0.6, (O, H))
    b = rng.normal(0.0, 0.3, H)
    X = rng.normal(0.0, 1.0, (N, T, D))
    dY_hat = rng.normal(0.0, 1.0, (N, O))
    _, cache = forward(Params(U=U, W=W, V=V, b=b, c=np.zeros(O)), X, "tanh")
    return dY_hat, X, cache.states, W, V, U, b


def reference_bptt(dY_hat, X, states, W, V, k) -> tuple[np.ndarray, ...]:
    """rnnlib's version: rnnlib.backward with truncation=k; returns (dU, dW, dV, db, dc)."""
    X = np.asarray(X, dtype=np.float64)
    H_ = np.shape(W)[0]
    params = Params(U=np.zeros((H_, X.shape[2])), W=W, V=V, b=np.zeros(H_),
                    c=np.zeros(np.shape(V)[0]))
    grads, _ = backward(dY_hat, params, ForwardCache(X=X, states=states, activation="tanh"),
                        truncation=int(k))
    return grads.U, grads.W, grads.V, grads.b, grads.c


def check_bptt(fn: Callable) -> Verdict:
    dY_hat, X, states, W, V, _, _ = bptt_inputs()
    symbols = {"dU": "(H, D)", "dW": "(H, H)", "dV": "(O, H)", "db": "(H,)", "dc": "(O,)"}
    hints = {"dc": {(N, O): "sum it over the records (axis 0)", (N,): "sum over the records"},
             "db": {(N, H): "sum it over the records and the steps"},
             "dU": {(D, H): "that is its transpose: sum of delta_t.T @ x_t"}}

    def one(k: int, label: str) -> float:
        expected = reference_bptt(dY_hat, X, states, W, V, k)
        args = {"dY_hat": dY_hat, "X": X, "states": states, "W": W, "V": V, "k": k}
        result = call(fn, args, BPTT_SIZES, BPTT_ROLES,
                      "step t's input is X[:, t - 1] and its states are states[t] (h_t) and "
                      "states[t - 1] (h_prev); the error entering h_T is dY_hat @ V")
        values = unpack(result, BPTT_NAMES)
        got = [as_array(v, n, e, symbols[n], BPTT_SIZES, hints.get(n))
               for n, v, e in zip(BPTT_NAMES, values, expected, strict=True)]
        flat = np.concatenate([g.ravel() for g in got])
        if relative_error(flat, np.concatenate([e.ravel() for e in expected])) >= 1e-7:
            _diagnose_bptt(got, expected, flat, dY_hat, X, states, W, V, k, label)
        return max(relative_error(g, e) for g, e in zip(got, expected, strict=True))

    def body() -> str:
        worst = one(K, f"with k = {K} of T = {T} steps")
        worst = max(worst, one(T, f"with k = T = {T} (full BPTT)"))
        worst = max(worst, one(1, "with k = 1 (the last step only)"))
        return pass_text(worst, "k = 3, k = T and k = 1 match, largest relative error")

    return run_checks(body)


def _diagnose_bptt(got, expected, flat, dY_hat, X, states, W, V, k, label) -> None:
    def variant(kk):
        return np.concatenate([a.ravel() for a in reference_bptt(dY_hat, X, states, W, V, kk)])

    T_ = X.shape[1]
    close = {kk: relative_error(flat, variant(kk)) < 1e-6 for kk in range(1, T_ + 1)}
    if close.get(k + 1):
        raise Failure(f"FAIL: your gradients {label} are those of k + 1 = {k + 1} steps: an "
                      f"off-by-one in the truncation window; the error flows back through "
                      f"t = T, T-1, ..., T-k+1, which is k steps (range(T, T - k, -1))")
    if close.get(k - 1):
        raise Failure(f"FAIL: your gradients {label} are those of k - 1 = {k - 1} steps: an "
                      f"off-by-one in the truncation window; the error flows back through "
                      f"t = T, T-1, ..., T-k+1, which is k steps (range(T, T - k, -1))")
    if k < T_ and close.get(T_):
        raise Failure(f"FAIL: your gradients {label} are the full-BPTT ones: the truncation "
                      "depth k is ignored; stop the backward loop after k steps")
    # one step's share only, at the earliest step reached
    names = ("dU", "dW", "dV", "db", "dc")
    for name, g, e in zip(names, got, expected, strict=True):
        if relative_error(g, e) >= 1e-7:
            slips = []
            if name == "dV":
                slips.append(("dV = dY_hat.T @ h_T: only the last state is read out",
                              sum(dY_hat.T @ states[t] for t in range(1, T_ + 1))))
            if name == "dc":
                slips.append(("dc is the sum of dY_hat over the records", dY_hat.mean(axis=0)))
            diagnose(name, g, e, slips, f" {label}")


# --- a central-difference gradient ----------------------------------------------------------

GN, GD = 3, 2


def gradient_inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x (3, 2), A (3, 2), B (3, 2)) for f(x) = sum(A sin(x)) + sum(B x**3) / 3."""
    rng = np.random.default_rng(SEED + 3)
    return (rng.normal(0.0, 1.0, (GN, GD)), rng.normal(0.0, 1.0, (GN, GD)),
            rng.normal(0.0, 1.0, (GN, GD)))


def reference_numerical_gradient(f: Callable[[], float], x: np.ndarray,
                                 eps: float = 1e-6) -> np.ndarray:
    """rnnlib's version: rnnlib.numerical_gradient."""
    return rnnlib_numerical_gradient(f, x, eps)


GRADIENT_TOLERANCE = 1e-8


def check_numerical_gradient(fn: Callable) -> Verdict:
    x0, A, B = gradient_inputs()
    exact = A * np.cos(x0) + B * x0**2

    def body() -> str:
        x = x0.copy()

        def f() -> float:
            return float(np.sum(A * np.sin(x)) + np.sum(B * x**3) / 3.0)

        eps = 1e-6
        result = call(fn, {"f": f, "x": x}, {GN: "N", GD: "D"}, {"x": "(3, 2)"},
                      shared=("x",))
        expect_none_or(result)
        if not np.array_equal(x, x0):
            worst = float(np.max(np.abs(x - x0)))
            if worst > 1e-12:
                raise Failure("FAIL: x is left changed after your function returns: restore "
                              "each element after perturbing it (save it first, put it back "
                              "after the two calls of f)")
            x[...] = x0
        got = as_array(result, "the gradient", exact, "x's shape", {GN: "N", GD: "D"},
                       {(GN * GD,): "reshape it to x's shape (np.empty_like(x) from the start)"})
        forward_diff = _difference(f, x, eps, "forward")
        backward_diff = _difference(f, x, eps, "backward")
        slips = [
            ("it is zero everywhere: f() did not see your perturbation. f reads x itself, so "
             "change x in place (x[i] = x[i] + eps), not a copy of it", np.zeros_like(exact)),
            ("a forward difference (f(x + eps) - f(x)) / eps: its error shrinks only like eps; "
             "the central difference (f(x + eps) - f(x - eps)) / (2 eps) is far more accurate",
             forward_diff),
            ("a backward difference (f(x) - f(x - eps)) / eps: use the central difference "
             "(f(x + eps) - f(x - eps)) / (2 eps)", backward_diff),
            ("twice the gradient: divide by 2 eps, the distance between x + eps and x - eps",
             2 * exact),
            ("half the gradient: divide by 2 eps, not 4 eps", 0.5 * exact),
        ]
        error = relative_error(got, exact)
        if error >= GRADIENT_TOLERANCE:
            for text, wrong in slips:
                if relative_error(got, wrong) < (1e-9 if text.startswith("a ") else 1e-6):
                    raise Failure(f"FAIL: your gradient is wrong: {text}")
            raise Failure(f"FAIL: your gradient differs from the exact one: relative error "
                          f"{magnitude(error)} (must be < 1e-8)")
        return "PASS: relative error to the exact gradient < 1e-8"

    return run_checks(body)


def _difference(f, x, eps, kind) -> np.ndarray:
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        f0 = f()
        flat[i] = saved + eps if kind == "forward" else saved - eps
        f1 = f()
        flat[i] = saved
        gflat[i] = (f1 - f0) / eps if kind == "forward" else (f0 - f1) / eps
    return grad
