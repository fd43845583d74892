"""Notebook 08's second exercise: one step of the GRU's backward pass for a batch (CS231n-style).

gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n) -> (dh_prev, dU, dW, db, db_n)
    dh_t = dL/dh_t (N, H), x_t (N, D), h_prev (N, H), U (3H, D), W (3H, H), b (3H,), b_n (H,),
    rows of U, W and b in the order r, z, n as in gru_step (rnnlib.gated's GRU). Recompute the
    step's forward pass, then, with m = h_prev W_n^T + b_n (rows are records):

        dn   = dh_t * (1 - z)            da_n = dn * (1 - n**2)
        dz   = dh_t * (h_prev - n)       da_z = dz * z * (1 - z)
        dm   = da_n * r                  da_r = da_n * m * r * (1 - r)
        dh_prev = dh_t * z + [da_r, da_z, dm] @ W
        dU = [da_r, da_z, da_n]^T x_t    dW = [da_r, da_z, dm]^T h_prev
        db = [da_r, da_z, da_n] summed over records,   db_n = dm summed over records

    Returns dh_prev (N, H), dU (3H, D), dW (3H, H), db (3H,), db_n (H,): the step's shares of
    the gradient of any loss L whose gradient at h_t is dh_t.

Checked against rnnlib.gated.gru_backward (one step from h_prev, read out by V = I, so that
dL/dY_hat = dh_t reaches h_t unchanged), with N = 3, D = 2, H = 4 and the course's D = 1 for one
record and for a batch. ``compare_with_numerical`` checks it against the learner's own central
differences of their own forward step (notebook 03's numerical_gradient, notebook 08's gru_step).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.activations import sigmoid
from rnnlib.exercises._core import (
    Case,
    Failure,
    Part,
    Verdict,
    as_array,
    call,
    checker,
    confirmed,
    diagnose,
    labelled,
    locate,
    magnitude,
    matches,
    over_cases,
    pass_text,
    require_function,
    run_checks,
    shared_factor,
    unpack,
    with_location,
)
from rnnlib.gated import GRUParams, gru_backward, gru_forward
from rnnlib.gradcheck import relative_error

N, D, H = 3, 2, 4
SEED = 2026
ROLES = {"dh_t": "(N, H)", "x_t": "(N, D)", "h_prev": "(N, H)", "U": "(3H, D)",
         "W": "(3H, H)", "b": "(3H,)", "b_n": "(H,)"}
NAMES = ("dh_prev", "dU", "dW", "db", "db_n")
SYMBOLS = {"dh_prev": "(N, H)", "dU": "(3H, D)", "dW": "(3H, H)", "db": "(3H,)", "db_n": "(H,)"}
CASES = (
    Case({"N": N, "D": D, "H": H}, False, SEED, {3 * H: "3H", 3 * D: ("3D", "N D")}),
    Case({"N": 1, "D": 1, "H": 3}, True, SEED + 100, {9: "3H"}),
    Case({"N": 5, "D": 1, "H": 3}, True, SEED + 200, {9: "3H"}),
)
HINT = ("rows are records: W^T d for every record is d @ W, and the sum over records of "
        "d x_t^T is d.T @ x_t")
NUMERICAL_TOLERANCE = 1e-7  # central differences with eps = 1e-6 in float64: about 1e-9


def inputs(case: Case = CASES[0]) -> tuple[np.ndarray, ...]:
    """dh_t (N, H), x_t (N, D), h_prev (N, H), U (3H, D), W (3H, H), b (3H,), b_n (H,)."""
    n, d, h = case["N"], case["D"], case["H"]
    rng = np.random.default_rng(case.seed)
    return (rng.normal(0.0, 1.0, (n, h)), rng.normal(0.0, 1.0, (n, d)),
            np.tanh(rng.normal(0.0, 1.0, (n, h))), rng.normal(0.0, 0.7, (3 * h, d)),
            rng.normal(0.0, 0.7, (3 * h, h)), rng.normal(0.0, 0.5, 3 * h),
            rng.normal(0.0, 0.5, h))


def reference(dh_t, x_t, h_prev, U, W, b, b_n) -> tuple[np.ndarray, ...]:
    """rnnlib's version: rnnlib.gated.gru_backward of one step from h_prev, read out by V = I."""
    h = np.shape(h_prev)[1]
    params = GRUParams(U=np.asarray(U), W=np.asarray(W), b=np.asarray(b), b_n=np.asarray(b_n),
                       V=np.eye(h), c=np.zeros(h))
    _, cache = gru_forward(params, np.asarray(x_t)[:, None, :], h0=np.asarray(h_prev))
    grads, state_grads = gru_backward(np.asarray(dh_t), params, cache)
    return state_grads[0], grads.U, grads.W, grads.b, grads.b_n


def _step(dh_t, x_t, h_prev, U, W, b, b_n, *, swap_z=False, z_sign=False, no_tanh=False,
          tanh_of_n=False, no_sigmoid=False, no_r=False, m_without_b_n=False, no_copy=False,
          copy_one_minus=False, dm_for_u=False, da_n_for_w=False, mean=False,
          db_n_from_da_n=False):
    """The step's gradients, with switches that make the usual wrong versions (see slips)."""
    h = h_prev.shape[1]
    a = x_t @ U.T + b  # (N, 3H)
    rec = h_prev @ W.T
    r = sigmoid(a[:, :h] + rec[:, :h])
    z = sigmoid(a[:, h : 2 * h] + rec[:, h : 2 * h])
    m = rec[:, 2 * h :] + b_n
    n = np.tanh(a[:, 2 * h :] + r * m)
    dn = dh_t * (z if swap_z else 1.0 - z)
    da_n = dn if no_tanh else dn * (1.0 - (np.tanh(n) if tanh_of_n else n) ** 2)
    dz = dh_t * ((n - h_prev) if z_sign else (h_prev - n))
    da_z = dz if no_sigmoid else dz * z * (1.0 - z)
    dm = da_n if no_r else da_n * r
    dr = da_n * (rec[:, 2 * h :] if m_without_b_n else m)
    da_r = dr if no_sigmoid else dr * r * (1.0 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)  # what meets W and h_prev
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)  # what meets U, x_t and b
    copy = 0.0 if no_copy else dh_t * ((1.0 - z) if copy_one_minus else z)
    dh_prev = copy + d_rec @ W
    dU = (d_rec if dm_for_u else d_in).T @ x_t
    dW = (d_in if da_n_for_w else d_rec).T @ h_prev
    total = (lambda v: v.mean(axis=0)) if mean else (lambda v: v.sum(axis=0))
    db = total(d_in)
    db_n = total(da_n if db_n_from_da_n else dm)
    return dh_prev, dU, dW, db, db_n


SWAP = ("z and 1 - z are swapped: with h_t = (1 - z) * n + z * h_prev, the candidate's share is "
        "dn = dh_t * (1 - z) and the copy's is dh_t * z")
SIGN = ("the sign of dz is flipped: h_t = n + z * (h_prev - n), so dz = dh_t * (h_prev - n)")
NO_TANH = "tanh's derivative is missing: da_n = dn * (1 - n**2)"
TANH_OF_N = ("tanh' is applied to n as if it were the pre-activation: n is already tanh(a_n), "
             "so the factor is 1 - n**2 (no second tanh)")
NO_SIGMOID = ("the sigmoid's derivative is missing: da_z = dz * z * (1 - z), da_r = dr * r * "
              "(1 - r)")
NO_R = ("the reset gate is missing on the way to W_n: n = tanh(... + r * m), so dm = da_n * r "
        "(and that dm, not da_n, meets W_n, h_prev and b_n)")
M_WITHOUT_BN = ("dr uses W_n h_prev without b_n: the reset gate multiplies m = h_prev @ W_n.T + "
                "b_n, so dr = da_n * m")
NO_COPY = ("the copy path is missing: h_t = ... + z * h_prev reaches h_prev directly, so dh_prev "
           "= dh_t * z + [da_r, da_z, dm] @ W")
COPY_ONE_MINUS = ("the copy path has 1 - z: the old state's weight in h_t is z, so dh_prev "
                  "starts with dh_t * z")
DM_FOR_U = ("dU's n rows use dm: the reset gate multiplies only the recurrent part, so U_n x_t "
            "meets da_n, not da_n * r")
DA_N_FOR_W = ("dW's n rows use da_n: W_n h_prev sits inside r * (...), so it meets dm = da_n * r")
MEAN = ("it is the mean over the records: the shares are SUMS (the 1/N is already in dh_t)")
DB_N = ("db_n is the sum of da_n: b_n sits inside the reset gate, r * (W_n h_prev + b_n), so "
        "db_n sums dm = da_n * r")


def slips(dh_t, x_t, h_prev, U, W, b, b_n) -> dict[str, list[tuple[str, np.ndarray]]]:
    """The usual wrong answers for each output, each with the text that names it."""
    a = (dh_t, x_t, h_prev, U, W, b, b_n)
    variants = [(SWAP, {"swap_z": True}), (SIGN, {"z_sign": True}), (NO_TANH, {"no_tanh": True}),
                (TANH_OF_N, {"tanh_of_n": True}), (NO_SIGMOID, {"no_sigmoid": True}),
                (NO_R, {"no_r": True}), (M_WITHOUT_BN, {"m_without_b_n": True}),
                (NO_COPY, {"no_copy": True}), (COPY_ONE_MINUS, {"copy_one_minus": True}),
                (DM_FOR_U, {"dm_for_u": True}), (DA_N_FOR_W, {"da_n_for_w": True}),
                (MEAN, {"mean": True}), (DB_N, {"db_n_from_da_n": True})]
    found: dict[str, list[tuple[str, np.ndarray]]] = {name: [] for name in NAMES}
    for text, switch in variants:
        for name, value in zip(NAMES, _step(*a, **switch), strict=True):
            found[name].append((text, value))
    found["dh_prev"].append(("W's square blocks are transposed the wrong way: W^T d for every "
                             "record (as rows) is d @ W, (N, 3H) @ (3H, H), each block W_r, W_z, "
                             "W_n as it is", _wrong_w(*a)))
    return found


def _wrong_w(dh_t, x_t, h_prev, U, W, b, b_n):
    """dh_prev with each square block of W transposed, d_r @ W_r.T + ... (the shapes still fit)."""
    h = h_prev.shape[1]
    da_r, da_z, da_n = _pieces(dh_t, x_t, h_prev, U, W, b, b_n)
    r = sigmoid((x_t @ U.T + b)[:, :h] + h_prev @ W[:h].T)
    z = sigmoid((x_t @ U.T + b)[:, h : 2 * h] + h_prev @ W[h : 2 * h].T)
    d = [da_r, da_z, da_n * r]
    return dh_t * z + sum(d[i] @ W[i * h : (i + 1) * h].T for i in range(3))


_OUTPUTS = {"dh_prev": "dh_prev = dh_t * z + [da_r, da_z, dm] @ W",
            "dU": "dU = [da_r, da_z, da_n].T @ x_t", "dW": "dW = [da_r, da_z, dm].T @ h_prev",
            "db": "db = [da_r, da_z, da_n].sum(axis=0)", "db_n": "db_n = dm.sum(axis=0)"}


def _parts(values, expected, h) -> list[Part]:
    """The step's gradients compared block by block (r, z, n rows of dU, dW and db): each
    block belongs to one of da_r, da_z, da_n, dm. When the blocks of one of them disagree (one
    right, another wrong), the outputs themselves are compared instead."""
    rows = {"r": slice(0, h), "z": slice(h, 2 * h), "n": slice(2 * h, 3 * h)}

    def block(i, gate):
        try:
            got = np.asarray(values[i], dtype=np.float64)[rows[gate]]
        except (TypeError, ValueError, IndexError):
            return None
        return matches(got, np.asarray(expected[i])[rows[gate]])

    # (name, [(output index, gate or None for all)], needs, equation)
    pieces = [
        ("da_z", [(1, "z"), (2, "z"), (3, "z")], (),
         "da_z = dz * z * (1 - z) with dz = dh_t * (h_prev - n)"),
        ("da_n", [(1, "n"), (3, "n")], (),
         "da_n = dn * (1 - n**2) with dn = dh_t * (1 - z)"),
        ("dm", [(2, "n"), (4, None)],
         ("da_n",), "dm = da_n * r"),
        ("da_r", [(1, "r"), (2, "r"), (3, "r")],
         ("da_n",),
         "da_r = da_n * m * r * (1 - r) with m = h_prev @ W_n.T + b_n"),
    ]
    parts, consistent = [], True
    for name, where, needs, equation in pieces:
        seen = [matches(values[i], expected[i]) if gate is None else block(i, gate)
                for i, gate in where]
        if None in seen:
            return []
        if len(set(seen)) > 1:
            consistent = False
        parts.append(Part(name, all(seen), needs, equation))
    if consistent:
        return parts + [Part("dh_prev", matches(values[0], expected[0]),
                             tuple(p.name for p in parts), _OUTPUTS["dh_prev"])]
    return [Part(n, matches(v, e), (), _OUTPUTS[n])
            for n, v, e in zip(NAMES, values, expected, strict=True)]


@checker("Check the learner's gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n) -> (dh_prev, "
         "dU, dW, db, db_n) on every input set of CASES.")
def check(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        args = inputs(case)
        expected = reference(*args)
        n, d, h = case["N"], case["D"], case["H"]
        named = slips(*args)
        result = call(fn, dict(zip(ROLES, args, strict=True)), case.sizes, ROLES, HINT)
        values = unpack(result, NAMES, expected)
        side = ("the three gates' blocks (r, z, n) are right but stand side by side (np.hstack "
                "or axis=1): stack them along the rows, np.vstack or np.concatenate(axis=0), ")
        hints = {"dU": {(d, 3 * h): confirmed("that is its transpose: dU = d.T @ x_t, (3H, N) @ "
                                              "(N, D) -> (3H, D)", expected[1].T),
                        (h, 3 * d): confirmed(side + "(3H, D)",
                                              np.hstack(np.split(expected[1], 3)))},
                 "dW": {(h, 3 * h): confirmed(side + "(3H, H)",
                                              np.hstack(np.split(expected[2], 3)))},
                 "db": {(n, 3 * h): confirmed("sum it over the records (axis 0)",
                                              np.concatenate(_pieces(*args), axis=1))}}
        # a bias's gradient summed over the units (axis 1), one value per record
        for name, error in _per_record_errors(*args).items():
            if error.shape[1] != n:
                hints.setdefault(name, {})[(n,)] = _over_units(name, error)
        worst = 0.0
        for name, value, right in zip(NAMES, values, expected, strict=True):
            got = as_array(value, name, right, SYMBOLS[name], case.sizes, hints.get(name))
            try:
                worst = max(worst, diagnose(name, got, right, named[name]))
            except Failure as failure:
                common = shared_factor(values[1:], expected[1:]) if matches(
                    values[0], expected[0]) else ""
                if common:
                    raise Failure(_scaled_shares(common, n)) from None
                parts = _parts(values, expected, h)
                lead = ("comparing the r, z and n rows of dU, dW and db (each one gate's error "
                        "da_r, da_z, da_n; dW's n rows and db_n are dm's): "
                        if parts and parts[0].name == "da_z" else "")
                raise with_location(failure, locate(parts, lead)) from None
        return worst

    return run_checks(lambda: pass_text(over_cases(CASES, one),
                                        "all five match, largest relative error"))


def _scaled_shares(factor: str, n: int) -> str:
    """The message for parameter gradients that are all the right ones times one factor while
    dh_prev is right (so every gate error da_r, da_z, da_n, dm is right)."""
    lead = (f"FAIL: dh_prev is right, but dU, dW, db and db_n are each the right ones times "
            f"{factor}, one common factor")
    if factor == f"1/{n}" and n > 1:
        return (f"FAIL: dh_prev is right, but dU, dW, db and db_n are all divided by N = {n}: "
                "a step's parameter gradients are sums "
                "over the records (the 1/N of the mean loss is already in dh_t); drop the "
                "division (no / N, no np.mean over the records)")
    return (f"{lead}: the gate errors da_r, da_z, da_n and dm are right (dh_prev is made from "
            "them), so look at a factor applied to the parameter gradients after them: dU = "
            "[da_r, da_z, da_n].T @ x_t, dW = [da_r, da_z, dm].T @ h_prev, and their sums")


def check_gru_step_backward(fn: Callable, who: str = "your gru_step_backward") -> None:
    """Check gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n) -> (dh_prev, dU, dW, db, db_n)
    (notebook 08) and print the verdict, labelled with whose it is.

    Parameters
    ----------
    fn : callable
        The function to check.
    who : str, optional
        Whose function it is, printed before the verdict ("reference solution").

    Raises
    ------
    TypeError
        If fn is not callable.
    """
    require_function(fn, "check_gru_step_backward", "gru_step_backward(dh_t, x_t, h_prev, U, "
                     "W, b, b_n) -> (dh_prev, dU, dW, db, db_n)")
    print(labelled(check(fn), who))


def _per_record_errors(dh_t, x_t, h_prev, U, W, b, b_n) -> dict[str, np.ndarray]:
    """Each bias's error for every record before the sum over records: db's [da_r, da_z, da_n]
    (N, 3H) and db_n's dm = da_n * r (N, H)."""
    h = h_prev.shape[1]
    pieces = _pieces(dh_t, x_t, h_prev, U, W, b, b_n)
    r = sigmoid((x_t @ U.T + b)[:, :h] + (h_prev @ W.T)[:, :h])
    return {"db": np.concatenate(pieces, axis=1), "db_n": pieces[2] * r}


def _over_units(name: str, error: np.ndarray) -> Callable[[np.ndarray], str | None]:
    """A shape hint for a bias's gradient of shape (N,): it names a sum (or a mean) over axis 1,
    the units, when the learner's values are that of the right per-record error."""
    what = "dm = da_n * r" if name == "db_n" else "[da_r, da_z, da_n]"

    def hint(array: np.ndarray) -> str | None:
        for verb, value in (("summed", error.sum(axis=1)), ("averaged", error.mean(axis=1))):
            if array.shape == value.shape and relative_error(array, value) < 1e-9:
                return (f"it is {what} {verb} over axis 1 (the units), one value per record; a "
                        f"bias's gradient sums over the records, axis=0: {name} = "
                        f"{'dm' if name == 'db_n' else what}.sum(axis=0)")
        return None

    return hint


def _pieces(dh_t, x_t, h_prev, U, W, b, b_n):
    """[da_r, da_z, da_n], each (N, H)."""
    h = h_prev.shape[1]
    a = x_t @ U.T + b
    rec = h_prev @ W.T
    r = sigmoid(a[:, :h] + rec[:, :h])
    z = sigmoid(a[:, h : 2 * h] + rec[:, h : 2 * h])
    m = rec[:, 2 * h :] + b_n
    n = np.tanh(a[:, 2 * h :] + r * m)
    da_n = dh_t * (1.0 - z) * (1.0 - n**2)
    return [da_n * m * r * (1.0 - r), dh_t * (h_prev - n) * z * (1.0 - z), da_n]


def numerical_shares(forward_step: Callable, numerical_gradient: Callable,
                     case: Case = CASES[0]) -> tuple[np.ndarray, ...]:
    """Central differences of L = sum(dh_t * forward_step(x_t, h_prev, U, W, b, b_n)) with
    respect to h_prev, U, W, b and b_n: what gru_step_backward must return, found numerically.

    Parameters
    ----------
    forward_step : callable
        gru_step(x_t, h_prev, U, W, b, b_n) -> h_t (N, H), e.g. the learner's my.gru_step.
    numerical_gradient : callable
        numerical_gradient(f, x) -> grad, central differences that perturb x in place (notebook
        03's exercise, e.g. the learner's my.numerical_gradient).
    case : Case
        The inputs' sizes and seed (default N = 3, D = 2, H = 4).

    Returns
    -------
    tuple of arrays
        dL/dh_prev (N, H), dL/dU (3H, D), dL/dW (3H, H), dL/db (3H,), dL/db_n (H,).
    """
    dh_t, x_t, h_prev, U, W, b, b_n = (a.copy() for a in inputs(case))

    def loss() -> float:
        return float(np.sum(dh_t * forward_step(x_t, h_prev, U, W, b, b_n)))

    return tuple(np.asarray(numerical_gradient(loss, x), dtype=np.float64)
                 for x in (h_prev, U, W, b, b_n))


def compare_with_numerical(fn: Callable, forward_step: Callable,
                           numerical_gradient: Callable) -> Verdict:
    """The learner's backward step against central differences of a forward step.

    Parameters
    ----------
    fn : callable
        gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n) -> (dh_prev, dU, dW, db, db_n).
    forward_step, numerical_gradient : callable
        As numerical_shares (the learner's own, or rnnlib's versions in their place).

    Returns
    -------
    Verdict
        PASS if every output agrees with the numerical gradient to NUMERICAL_TOLERANCE (the
        error printed as a bound), FAIL naming the outputs that do not, NOT YET for a stub.

    Raises
    ------
    TypeError
        If an argument is not callable.
    """
    for name, f in (("fn", fn), ("forward_step", forward_step),
                    ("numerical_gradient", numerical_gradient)):
        require_function(f, f"compare_with_numerical's {name}")
    args = inputs(CASES[0])

    def body() -> str:
        numerical = numerical_shares(forward_step, numerical_gradient)
        expected = reference(*args)
        values = unpack(call(fn, dict(zip(ROLES, args, strict=True)), CASES[0].sizes, ROLES,
                             HINT), NAMES, expected)
        errors = {}
        for name, value, num in zip(NAMES, values, numerical, strict=True):
            got = as_array(value, name, num, SYMBOLS[name], CASES[0].sizes)
            errors[name] = relative_error(got, num)
        wrong = [f"{name} ({magnitude(e)})" for name, e in errors.items()
                 if not e < NUMERICAL_TOLERANCE]
        if wrong:
            raise Failure("FAIL: your backward step disagrees with central differences of "
                          f"the forward step in {', '.join(wrong)}; every output must agree to "
                          "1e-07")
        return ("PASS: all five agree with central differences of the forward step, largest "
                "relative error below 1e-07")

    return run_checks(body)
