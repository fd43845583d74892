"""Notebook 08's exercise: one step of the GRU for a batch.

gru_step(x_t, h_prev, U, W, b, b_n) -> h_t
    x_t (N, D), h_prev (N, H), U (3H, D), W (3H, H), b (3H,), b_n (H,) -> h_t (N, H), one step
    of rnnlib.gated's GRU, the variant of torch.nn.GRU (rows of U, W and b in the order r, z, n):

        r = sigmoid(x_t U_r^T + h_prev W_r^T + b_r)
        z = sigmoid(x_t U_z^T + h_prev W_z^T + b_z)
        n = tanh(x_t U_n^T + b_xn + r * (h_prev W_n^T + b_n))
        h_t = (1 - z) * n + z * h_prev

    Checked against rnnlib.gated.gru_forward run for one step from h_prev, with N = 3, D = 2,
    H = 4 (a transposed block that is not square fails on its shape) and the course's D = 1
    for one record and for a batch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from rnnlib.activations import sigmoid
from rnnlib.exercises._core import (
    WHERE,
    Case,
    Failure,
    NotYet,
    Verdict,
    agrees,
    as_array,
    call,
    checker,
    confirmed,
    diagnose,
    listing,
    localize,
    matches,
    observed_only,
    over_cases,
    pass_text,
    passes,
    rows_or_columns,
    run_checks,
    unpack,
    with_location,
)
from rnnlib.gated import GRUParams, gru_forward
from rnnlib.gradcheck import relative_error

N, D, H = 3, 2, 4
SEED = 2024
ROLES = {"x_t": "(N, D)", "h_prev": "(N, H)", "U": "(3H, D)", "W": "(3H, H)", "b": "(3H,)",
         "b_n": "(H,)"}
CASES = (
    Case({"N": N, "D": D, "H": H}, False, SEED, {3 * H: "3H"}),
    Case({"N": 1, "D": 1, "H": 3}, True, SEED + 100, {9: "3H"}),
    Case({"N": 5, "D": 1, "H": 3}, True, SEED + 200, {9: "3H"}),
)
HINT = ("rows are records, as in notebook 02: U_r x_t for every record is x_t @ U[:H].T, "
        "(N, D) @ (D, H) -> (N, H), and W_r h_prev is h_prev @ W[:H].T")


def inputs(case: Case = CASES[0]) -> tuple[np.ndarray, ...]:
    """x_t (N, D), h_prev (N, H), U (3H, D), W (3H, H), b (3H,), b_n (H,); default N=3, D=2, H=4."""
    n, d, h = case["N"], case["D"], case["H"]
    rng = np.random.default_rng(case.seed)
    return (rng.normal(0.0, 1.0, (n, d)), np.tanh(rng.normal(0.0, 1.0, (n, h))),
            rng.normal(0.0, 0.7, (3 * h, d)), rng.normal(0.0, 0.7, (3 * h, h)),
            rng.normal(0.0, 0.5, 3 * h), rng.normal(0.0, 0.5, h))


def reference(x_t, h_prev, U, W, b, b_n) -> np.ndarray:
    """rnnlib's version: rnnlib.gated.gru_forward run for one step from h_prev."""
    h = np.shape(h_prev)[1]
    params = GRUParams(U=U, W=W, b=b, b_n=b_n, V=np.zeros((1, h)), c=np.zeros(1))
    return gru_forward(params, np.asarray(x_t)[:, None, :], h0=h_prev)[1].states[1]


def _step(x_t, h_prev, U, W, b, b_n, order=(0, 1, 2), cho=False, swap_z=False,
          transpose_w=False, use_b=True, use_b_n=True, b_n_outside=False, gate=sigmoid,
          candidate=np.tanh, kept=1.0, reset_input=False, gates_see_h=True, z_w_block=1,
          transpose_n=False, bias_order=(0, 1, 2), return_n=False, b_n_gates=False,
          z_sees_h=True, mix_with_r=False, z_in_candidate=False, u_order=None,
          tanh_closed_early=False, use_b_xn=True, squash=False):
    """One GRU step with switches that make the usual wrong versions (see check)."""
    h = h_prev.shape[1]
    block = [slice(i * h, (i + 1) * h) for i in order]
    Wb = [W[s].T if not transpose_w else W[s] for s in block]
    if transpose_n:
        Wb[2] = W[block[2]]
    Wz = Wb[0] if z_w_block == 0 else Wb[1]
    bias = [b[slice(i * h, (i + 1) * h)] if use_b else 0.0 for i in bias_order] \
        if bias_order != (0, 1, 2) else [b[s] if use_b else 0.0 for s in block]
    bn = b_n if use_b_n else 0.0
    see = 1.0 if gates_see_h else 0.0
    extra = b_n if b_n_gates else 0.0
    ub = block if u_order is None else [slice(i * h, (i + 1) * h) for i in u_order]
    r = gate(x_t @ U[ub[0]].T + see * (h_prev @ Wb[0]) + bias[0] + extra)
    z = gate(x_t @ U[ub[1]].T + see * float(z_sees_h) * (h_prev @ Wz) + bias[1] + extra)
    if z_in_candidate:
        r = z
    if tanh_closed_early:
        n = candidate(x_t @ U[block[2]].T + bias[2]) + r * (h_prev @ Wb[2] + bn)
        return (1 - z) * n + z * h_prev
    if reset_input:
        n = candidate(r * (x_t @ U[block[2]].T + bias[2]) + h_prev @ Wb[2] + bn)
    elif cho:
        n = candidate(x_t @ U[block[2]].T + bias[2] + (r * h_prev) @ Wb[2] + bn)
    elif b_n_outside:
        n = candidate(x_t @ U[block[2]].T + bias[2] + r * (h_prev @ Wb[2]) + bn)
    else:
        n = candidate(x_t @ U[block[2]].T + bias[2] + r * (h_prev @ Wb[2] + bn))
    if not use_b_xn:
        n = candidate(x_t @ U[block[2]].T + r * (h_prev @ Wb[2] + bn))
    if squash:
        return np.tanh((1 - z) * n + z * h_prev)
    if return_n:
        return n
    if mix_with_r:
        return (1 - r) * n + r * h_prev
    return z * n + (1 - z) * h_prev if swap_z else (1 - z) * n + kept * z * h_prev


def slips(x_t, h_prev, U, W, b, b_n) -> list[tuple[str, np.ndarray]]:
    """The usual wrong GRU steps, each with the text that names it."""
    a = (x_t, h_prev, U, W, b, b_n)
    return [
        ("z and 1 - z are swapped: h_t = (1 - z) * n + z * h_prev, so that z close to 1 keeps "
         "the old state", _step(*a, swap_z=True)),
        ("the reset gate multiplies h_prev before the product, W_n (r * h_prev): that is Cho "
         "et al.'s original; rnnlib's (and PyTorch's) GRU multiplies after it, r * (h_prev "
         "@ W_n.T + b_n)", _step(*a, cho=True)),
        ("the gates are taken in the wrong order: the rows of U, W and b are r, z, n, so "
         "U[:H] is U_r and U[H:2*H] is U_z", _step(*a, order=(1, 0, 2))),
        ("the blocks are taken in the wrong order: U[:H] is U_r, U[H:2*H] U_z and U[2*H:] "
         "U_n (r, z, n)", _step(*a, order=(2, 1, 0))),
        ("the blocks are taken in the wrong order: the rows are r, z, n",
         _step(*a, order=(0, 2, 1))),
        ("the square blocks of W are not transposed: W_r h_prev for every record (as rows) "
         "is h_prev @ W[:H].T, not h_prev @ W[:H]", _step(*a, transpose_w=True)),
        ("the biases b are missing: r, z and n each add their part of b (b[:H], b[H:2*H], "
         "b[2*H:])", _step(*a, use_b=False)),
        ("the recurrent bias b_n is missing: n = tanh(U_n x + b_xn + r * (W_n h_prev + b_n))",
         _step(*a, use_b_n=False)),
        ("b_n is added outside the reset gate: it belongs inside, r * (h_prev @ W_n.T + b_n)",
         _step(*a, b_n_outside=True)),
        ("the gates use tanh: r and z are sigmoids, 1 / (1 + exp(-a)), between 0 and 1",
         _step(*a, gate=np.tanh)),
        ("the candidate n uses the sigmoid: n = tanh(...)", _step(*a, candidate=sigmoid)),
        ("the reset gate and b_n are missing: n = tanh(U_n x + b_xn + r * (W_n h_prev + b_n))",
         _step(*a, use_b_n=False, cho=True)),
        ("the reset gate is missing: n = tanh(U_n x + b_xn + r * (W_n h_prev + b_n))",
         _no_reset(*a)),
        ("b_n is added after the tanh: it belongs inside, n = tanh(U_n x + b_xn + r * (W_n "
         "h_prev + b_n))", _step(*a, use_b_n=False, candidate=lambda v: np.tanh(v) + b_n)),
        ("the gates r and z are float32: keep every array float64 (numpy's default); "
         "float32 keeps about 7 digits", _step(*a, gate=lambda v: sigmoid(v).astype(np.float32))),
        ("z uses the rows of W_r (W[:H]); its own block is W[H:2*H]: z = sigmoid(x_t @ "
         "U[H:2*H].T + h_prev @ W[H:2*H].T + b[H:2*H])", _step(*a, z_w_block=0)),
        ("the activations are swapped: the gates r and z are sigmoids, the candidate n is a "
         "tanh", _step(*a, gate=np.tanh, candidate=sigmoid)),
        ("W_n, the square block W[2*H:], is not transposed: W_n h_prev for every record is "
         "h_prev @ W[2*H:].T", _step(*a, transpose_n=True)),
        ("the biases of r and z are swapped: r adds b[:H], z adds b[H:2*H]",
         _step(*a, bias_order=(1, 0, 2))),
        ("it returns the candidate n: h_t mixes it with the old state, h_t = (1 - z) * n + "
         "z * h_prev", _step(*a, return_n=True)),
        ("two slips at once: the gates are taken in the wrong order (the rows are r, z, n: "
         "U[:H] is U_r), and z and 1 - z are swapped (h_t = (1 - z) * n + z * h_prev)",
         _step(*a, order=(1, 0, 2), swap_z=True)),
        ("b_n is added to the gates r and z too: it belongs to the candidate only, r * "
         "(h_prev @ W_n.T + b_n)", _step(*a, b_n_gates=True)),
        ("b_n is added twice, inside and outside the reset gate: once, r * (h_prev @ W_n.T + "
         "b_n)", _gru_b_n_twice(*a)),
        ("h_t is mixed with r, the reset gate: the update gate z mixes, h_t = (1 - z) * n + "
         "z * h_prev", _step(*a, mix_with_r=True)),
        ("the candidate leaves out its input bias b_xn = b[2*H:]: n = tanh(x_t @ U[2*H:].T + "
         "b[2*H:] + r * (h_prev @ W_n.T + b_n))", _step(*a, use_b_xn=False)),
        ("h_t is squashed by a tanh: h_t = (1 - z) * n + z * h_prev is already between -1 and "
         "1, with no tanh", _step(*a, squash=True)),
        ("z reads the input through U_r's rows (U[:H]); its own block is U[H:2*H]",
         _step(*a, u_order=(0, 0, 2))),
        ("the candidate uses z where the reset gate r belongs: n = tanh(U_n x + b_xn + "
         "r * (h_prev @ W_n.T + b_n))", _step(*a, z_in_candidate=True)),
        ("the input blocks of r and z are swapped: U[:H] is U_r, U[H:2*H] is U_z (the order "
         "r, z, n)", _step(*a, u_order=(1, 0, 2))),
        ("the tanh closes too early: the reset part goes inside it, n = tanh(U_n x + b_xn + "
         "r * (h_prev @ W_n.T + b_n))", _step(*a, tanh_closed_early=True)),
        ("z leaves out h_prev: z = sigmoid(x_t @ U[H:2*H].T + h_prev @ W[H:2*H].T + "
         "b[H:2*H])", _step(*a, z_sees_h=False)),
        ("the kept part z * h_prev is missing: h_t = (1 - z) * n + z * h_prev",
         _step(*a, kept=0.0)),
        ("the kept part is subtracted: h_t = (1 - z) * n + z * h_prev, a plus",
         _step(*a, kept=-1.0)),
        ("the reset gate multiplies the input's part: it multiplies the state's part, "
         "n = tanh(U_n x + b_xn + r * (h_prev @ W_n.T + b_n))", _step(*a, reset_input=True)),
        ("the gates are (tanh(a) + 1) / 2, which is sigmoid(2 a): the sigmoid is "
         "1 / (1 + exp(-a)), or (tanh(a / 2) + 1) / 2",
         _step(*a, gate=lambda v: (np.tanh(v) + 1) / 2)),
        ("the gates r and z leave out h_prev: each adds its own W block, W_r h_prev = "
         "h_prev @ W[:H].T and W_z h_prev = h_prev @ W[H:2*H].T", _step(*a, gates_see_h=False)),
        ("every gate uses the first block: r, z and n each have their own rows, U[:H], "
         "U[H:2*H] and U[2*H:] (the same for W and b)", _one_block(*a)),
        ("the gates' rows are taken every third row (U[0::3], U[1::3], U[2::3]): they are "
         "blocks of H rows, r = rows 0 .. H - 1 (U[:H]), z = rows H .. 2H - 1 (U[H:2*H]), "
         "n = rows 2H .. 3H - 1 (U[2*H:]), the same for W and b", _interleaved(*a)),
        ("b's gate biases are taken every third entry (b.reshape(H, 3).T, b[0::3], b[1::3], "
         "b[2::3]): b is three blocks of H, b_r = b[:H], b_z = b[H:2*H], b_xn = b[2*H:] (as "
         "U's and W's rows are)", _interleaved(*a, which="b")),
        ("the gates' rows of U and W are taken every third row (U[0::3], U[1::3], U[2::3]): "
         "they are blocks of H rows, U[:H], U[H:2*H] and U[2*H:], as b's are",
         _interleaved(*a, which="UW")),
        *_unbracketed_mix(*a),
    ]


def _unbracketed_mix(x_t, h_prev, U, W, b, b_n) -> list[tuple[str, np.ndarray]]:
    """The mix written without the brackets around 1 - z: 1 - z * n + z * h_prev is
    1 - (z * n) + z * h_prev (* binds before -), and the same with z and 1 - z swapped."""
    h = h_prev.shape[1]
    r = sigmoid(x_t @ U[:h].T + h_prev @ W[:h].T + b[:h])
    z = sigmoid(x_t @ U[h:2 * h].T + h_prev @ W[h:2 * h].T + b[h:2 * h])
    n = np.tanh(x_t @ U[2 * h:].T + b[2 * h:] + r * (h_prev @ W[2 * h:].T + b_n))
    text = ("the mix has no brackets around 1 - z: * is done before -, so 1 - z * n + z * "
            "h_prev is 1 - (z * n) + z * h_prev. Write h_t = (1 - z) * n + z * h_prev")
    return [(text, 1 - z * n + z * h_prev), (text, z * n + 1 - z * h_prev),
            (text, 1 - z * h_prev + z * n)]


def _interleaved(x_t, h_prev, U, W, b, b_n, which: str = "UWb") -> np.ndarray:
    """The step with each gate's rows taken as every third row of U, W and b (those of them
    in which), from row 0 (r), 1 (z) and 2 (n): rnnlib's step on the rows permuted into that
    order."""
    h = h_prev.shape[1]
    rows = [3 * k + gate for gate in range(3) for k in range(h)]
    U, W = (U[rows], W[rows]) if "U" in which else (U, W)
    return reference(x_t, h_prev, U, W, b[rows] if "b" in which else b, b_n)


# the labels of the special inputs (see _probes), also read by _conclusion
KEEP = "with z close to 1 (b_z = 30: h_t must be h_prev)"
NEW = "with z close to 0 (b_z = -30: h_t is the candidate n)"
CLOSED = "with r close to 0 (b_r = -30: the reset gate closed)"
ZERO_H = "with h_prev = 0"
# special inputs that single out one part (see _one_part): "r plays no part" is W_n chosen so
# that h_prev @ W_n.T + b_n = 0 (b_n kept, so that a b_n put elsewhere still shows)
FREE, NEW_FREE, R_FREE, NEW_CLOSED, NEW_OPEN = (
    "r and z play no part", "z close to 0, r no part", "r no part", "z and r close to 0",
    "z close to 0, r close to 1")
FREE0 = "W_n = 0, b_n = 0"


def _no_state_part(h_prev, b_n) -> np.ndarray:
    """W_n (H, H) with h_prev @ W_n.T + b_n = 0 for every record (N <= H, h_prev of full rank):
    the reset gate then multiplies zero."""
    target = -np.ones((h_prev.shape[0], 1)) * b_n[None, :]
    return (np.linalg.pinv(h_prev) @ target).T


def _probe(fn, x_t, h_prev, U, W, b, b_n, b_r=None, b_z=None, zero_h=False, free_r=False,
           h_is_n=False, zero_n=False):
    h = h_prev.shape[1]
    if zero_n:  # W_n = 0 and b_n = 0: the part that r multiplies is zero, however it is made
        W, b_n = W.copy(), np.zeros_like(b_n)
        W[2 * h:] = 0.0
    bb, WW, hp = b.copy(), W.copy(), np.zeros_like(h_prev) if zero_h else h_prev
    if b_r is not None:
        bb[:h] = b_r
    if b_z is not None:
        bb[h:2 * h] = b_z
    if h_is_n:  # h_prev = tanh(x_t @ U_n.T + b_xn): the candidate, once r plays no part
        hp = np.tanh(x_t @ U[2 * h:].T + bb[2 * h:])
    if free_r:
        WW[2 * h:] = _no_state_part(hp, b_n)
    args = {"x_t": x_t, "h_prev": hp, "U": U, "W": WW, "b": bb, "b_n": b_n}
    return lambda: agrees(fn, args, reference(*args.values()), 1)


def _probes(fn, *args):
    return [(KEEP, _probe(fn, *args, b_z=30.0)), (NEW, _probe(fn, *args, b_z=-30.0)),
            (CLOSED, _probe(fn, *args, b_r=-30.0)), (ZERO_H, _probe(fn, *args, zero_h=True))]


def _part_probes(fn, *args):
    x_t, h_prev, U, b = args[0], args[1], args[2], args[4]
    h = h_prev.shape[1]
    for hp in (h_prev, np.tanh(x_t @ U[2 * h:].T + b[2 * h:])):  # both states solved for
        if hp.shape[0] > h or np.linalg.matrix_rank(hp) < hp.shape[0]:
            return []
        if np.max(np.abs(hp @ _no_state_part(hp, args[5]).T + args[5])) > 1e-12:
            return []  # r would still play a part: these inputs prove nothing
    return [(KEEP, _probe(fn, *args, b_z=30.0)), (NEW, _probe(fn, *args, b_z=-30.0)),
            (FREE, _probe(fn, *args, free_r=True, h_is_n=True)),
            (FREE0, _probe(fn, *args, zero_n=True, h_is_n=True)),
            (NEW_FREE, _probe(fn, *args, b_z=-30.0, free_r=True)),
            (R_FREE, _probe(fn, *args, free_r=True)),
            (NEW_CLOSED, _probe(fn, *args, b_z=-30.0, b_r=-30.0)),
            (NEW_OPEN, _probe(fn, *args, b_z=-30.0, b_r=30.0))]


_R = "r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])"
_Z = "z = sigmoid(x_t @ U[H:2*H].T + h_prev @ W[H:2*H].T + b[H:2*H])"
_N = "n = tanh(x_t @ U[2*H:].T + b[2*H:] + r * (h_prev @ W[2*H:].T + b_n))"
_NO_R = "(W_n chosen so that h_prev @ W_n.T + b_n = 0)"
_NO_PART = "(W_n chosen so that h_prev @ W_n.T + b_n = 0, and h_prev = the candidate)"


def _one_part(fn, *args) -> str:
    """The located line when the special inputs single out one part (the candidate, z or r),
    h_prev being kept right where z is close to 1; "" when they do not single one out."""
    right, wrong = set(), set()
    for label, probe in _part_probes(fn, *args):
        try:
            (right if probe() else wrong).add(label)
        except (Failure, NotYet):
            pass
    if KEEP not in right:
        return ""
    kept = f"{WHERE} h_prev is kept right where z is close to 1 (b_z = 30)"
    if FREE in wrong and FREE0 in right:
        return (f"{kept} and with W_n = 0, b_n = 0, h_prev = the candidate, but not where "
                f"r and z play no part {_NO_PART}: so what goes wrong is the reset gate's part of "
                "the candidate, the part that r multiplies: look at r * (h_prev @ W[2*H:].T + "
                "b_n), b_n once, inside")
    if FREE in wrong and FREE0 in wrong:
        return (f"{kept}, but h_t is wrong where r and z play no part {_NO_PART}: so the "
                "candidate n is what goes wrong, even where the part that r multiplies is zero: "
                f"look at {_N}: its input part, its tanh, where r goes, and any term added to "
                "it")
    if FREE not in right:
        return ""
    if NEW_FREE in wrong:
        return (f"{kept} and where r and z play no part, but not with b_z = -30 "
                f"where r plays no part {_NO_R}: so z is what goes wrong, it is not close to 0 "
                f"there: look at {_Z}, and at the sigmoid 1 / (1 + np.exp(-a)) in it")
    if NEW_FREE not in right:
        return ""
    if R_FREE in wrong and NEW in wrong and {NEW_OPEN, NEW_CLOSED} <= right:
        return (f"{kept} or 0 (b_z = -30) where r plays no part {_NO_R}, and with r close to 0 "
                "or 1 (b_r = -30 or 30, b_z = -30), but not with z between 0 and 1, nor with r "
                f"between 0 and 1 (b_z = -30): so both gates go wrong: look at {_Z}; and at {_R}")
    if R_FREE in wrong:
        return (f"{kept} or 0 (b_z = -30) where r plays no part {_NO_R}, but not with z "
                f"between 0 and 1: so z is what goes wrong: look at {_Z}")
    if R_FREE not in right:
        return ""
    if NEW_OPEN in right and NEW_CLOSED in wrong:
        return (f"{kept}, where r plays no part {_NO_R}, and with r close to 1 (b_r = 30, "
                "b_z = -30), but not with r close to 0 (b_r = -30): so r is what goes wrong: "
                f"look at {_R}, and at the sigmoid 1 / (1 + np.exp(-a)) in it")
    if NEW_OPEN in right and NEW_CLOSED in right:
        return (f"{kept}, where r plays no part {_NO_R}, and with r close to 0 or 1 (b_r = "
                "-30 or 30, b_z = -30), but not with r between 0 and 1: so r is what goes "
                f"wrong: look at {_R}")
    return ""


def _conclusion(right: set[str], wrong: set[str]) -> str | None:
    keep, new, closed = KEEP in right, NEW in right, CLOSED in right
    if new and not keep:
        return ("so the candidate n is right, and the mix is what goes wrong: h_t = (1 - z) * n "
                "+ z * h_prev, with z = sigmoid(U_z x + W_z h_prev + b_z)")
    if keep and closed and not new:
        return ("so what goes wrong is the reset gate's part of the candidate: r * (h_prev @ "
                "W_n.T + b_n), or r itself (r = sigmoid(U_r x + W_r h_prev + b_r))")
    if keep and not new:
        return ("so h_prev is kept right where z is close to 1; what goes wrong is in the "
                "candidate n = tanh(U_n x + b_xn + r * (W_n h_prev + b_n)), in r, or in z away "
                "from 1")
    return None


# the blocks of the parameters, each with the gate that adds it (see _unused_blocks)
_BLOCKS = (("U", 0, "U[:H] (U_r)", "r"), ("W", 0, "W[:H] (W_r)", "r"), ("b", 0, "b[:H] (b_r)", "r"),
           ("U", 1, "U[H:2*H] (U_z)", "z"), ("W", 1, "W[H:2*H] (W_z)", "z"),
           ("b", 1, "b[H:2*H] (b_z)", "z"), ("U", 2, "U[2*H:] (U_n)", "n"),
           ("W", 2, "W[2*H:] (W_n)", "n"), ("b", 2, "b[2*H:] (b_xn)", "n"),
           ("b_n", 0, "b_n", "n"))
_GATES = {"r": _R, "z": _Z,
          "n": _N}


def _unused_blocks(fn, x_t, h_prev, U, W, b, b_n) -> str:
    """A named slip when the learner's h_t does not change at all as a block of U, W, b or b_n
    changes, while rnnlib's does: the block is left out of its gate. "" when every block is
    read (or the function raises)."""
    h = h_prev.shape[1]
    base = {"x_t": x_t, "h_prev": h_prev, "U": U, "W": W, "b": b, "b_n": b_n}
    try:
        before = np.asarray(call(fn, base, {}, {}), dtype=np.float64)
    except (Failure, NotYet, TypeError, ValueError):
        return ""
    rng = np.random.default_rng(SEED + 7)
    unused: dict[str, list[str]] = {}
    left_out: list[tuple[str, int, str]] = []
    for name, block, label, gate in _BLOCKS:
        args = dict(base)
        value = args[name].copy()
        rows = slice(block * h, (block + 1) * h)
        value[rows] = value[rows] + rng.normal(0.0, 0.5, value[rows].shape)
        args[name] = value
        moved = reference(*args.values())
        try:
            after = np.asarray(call(fn, args, {}, {}), dtype=np.float64)
        except (Failure, NotYet, TypeError, ValueError):
            return ""
        if after.shape != before.shape or relative_error(moved, reference(*base.values())) < 1e-6:
            return ""
        if np.array_equal(after, before):
            unused.setdefault(gate, []).append(label)
            left_out.append((name, block, label))
    if not unused:
        return ""
    borrowed = _borrowed_block(before, base, left_out, h)
    if borrowed:
        return borrowed
    which = "; ".join(f"{listing(labels)} in {gate}" for gate, labels in unused.items())
    verb = "changes" if sum(map(len, unused.values())) == 1 else "change"
    equations = "; ".join(_GATES[gate] for gate in unused)
    return (f"FAIL: h_t is wrong: your h_t stays the same when {which} {verb}, and rnnlib's "
            f"does not: your code leaves {'it' if verb == 'changes' else 'them'} out. Each "
            f"gate adds its own blocks: {equations}")


def _borrowed_block(got, base, left_out, h) -> str:
    """A named slip when the blocks the learner's code leaves out are each replaced by one and
    the same other block of their array (b[:H] added in z and n too): rnnlib's step with that
    block copied into their rows gives the learner's h_t. "" otherwise."""
    arrays = {name for name, _, _ in left_out}
    if len(arrays) != 1 or "b_n" in arrays:
        return ""
    (name,) = arrays
    blocks = {block for _, block, _ in left_out}
    for source in sorted({0, 1, 2} - blocks):
        args = dict(base)
        value = args[name].copy()
        for block in blocks:
            value[block * h:(block + 1) * h] = value[source * h:(source + 1) * h]
        args[name] = value
        if relative_error(got, reference(*args.values())) < 1e-9:
            used = next(label for n, block, label, _ in _BLOCKS if n == name and block == source)
            gates = listing([gate for n, block, _, gate in _BLOCKS
                             if n == name and block in blocks])
            own = listing([label for _, _, label in left_out])
            return (f"FAIL: h_t is wrong: your code adds {used} in {gates} too, where "
                    f"{own} {'belongs' if len(blocks) == 1 else 'belong'}: each gate has its "
                    "own block of rows, r = rows 0 .. H - 1, z = H .. 2H - 1, n = 2H .. 3H - 1")
    return ""


def _locate_z(fn, x_t, h_prev, U, W, b, b_n) -> str:
    """The located line when z moves the wrong way: with b_z = -30 (z close to 0, h_t the
    candidate) the learner's h_t is h_prev, which z close to 1 must give, and with b_z = 30
    it is not."""
    h = h_prev.shape[1]

    def run(value, learner):
        bb = b.copy()
        bb[h:2 * h] = value
        args = {"x_t": x_t, "h_prev": h_prev, "U": U, "W": W, "b": bb, "b_n": b_n}
        if not learner:
            return reference(*args.values())
        try:
            return np.asarray(call(fn, args, {}, {}), dtype=np.float64)
        except (Failure, NotYet, TypeError, ValueError):
            return None

    up, down = run(30.0, True), run(-30.0, True)
    if up is None or down is None:
        return ""
    if matches(down, h_prev) and not matches(up, h_prev):
        return (f"{WHERE} with b_z = -30 (z close to 0: h_t must be the candidate n) your h_t "
                "is h_prev, and with b_z = 30 (z close to 1) it is not: your z falls where it "
                "must rise: look at z = sigmoid(a_z) = 1 / (1 + np.exp(-a_z)), and at which of z "
                "and 1 - z multiplies h_prev in h_t = (1 - z) * n + z * h_prev")
    return ""


def _gru_b_n_twice(x_t, h_prev, U, W, b, b_n):
    h = h_prev.shape[1]
    r = sigmoid(x_t @ U[:h].T + h_prev @ W[:h].T + b[:h])
    z = sigmoid(x_t @ U[h:2 * h].T + h_prev @ W[h:2 * h].T + b[h:2 * h])
    n = np.tanh(x_t @ U[2 * h:].T + b[2 * h:] + r * (h_prev @ W[2 * h:].T + b_n) + b_n)
    return (1 - z) * n + z * h_prev


def _no_reset(x_t, h_prev, U, W, b, b_n):
    h = h_prev.shape[1]
    z = sigmoid(x_t @ U[h:2 * h].T + h_prev @ W[h:2 * h].T + b[h:2 * h])
    n = np.tanh(x_t @ U[2 * h:].T + b[2 * h:] + h_prev @ W[2 * h:].T + b_n)
    return (1 - z) * n + z * h_prev


def _one_block(x_t, h_prev, U, W, b, b_n):
    h = h_prev.shape[1]
    part = x_t @ U[:h].T + h_prev @ W[:h].T
    r, z = sigmoid(part + b[:h]), sigmoid(part + b[h:2 * h])
    n = np.tanh(x_t @ U[:h].T + b[2 * h:] + r * (h_prev @ W[:h].T + b_n))
    return (1 - z) * n + z * h_prev


@checker("Check the learner's gru_step(x_t, h_prev, U, W, b, b_n) -> h_t on every input "
         "set of CASES.")
def check(fn: Callable) -> Verdict:
    def one(case: Case) -> float:
        args = inputs(case)
        expected = reference(*args)
        n, h = case["N"], case["H"]
        result = call(fn, dict(zip(ROLES, args, strict=True)), case.sizes, ROLES, HINT,
                      watch={"H": (h, "H = h_prev.shape[1] (or U.shape[0] // 3)")})
        (h_t,) = unpack(result, ("h_t",))
        got = as_array(h_t, "h_t", expected, "(N, H)", case.sizes,
                       {(h, n): confirmed(f"that is its transpose: {HINT}",
                                          expected.T)}
                       if n != h else None)
        try:
            # the slips are made only for a wrong answer (a right one passes without them)
            wrong = not passes(relative_error(got, expected))
            return diagnose("h_t", got, expected, slips(*args) if wrong else ())
        except Failure as failure:
            line = rows_or_columns(got, expected, ("records", "N", "the rows of x_t, N = "
                                   "x_t.shape[0]"), ("units", "H", "for j in range(H), H = "
                                   "h_prev.shape[1]")) if observed_only(str(failure)) else ""
            if line:
                raise with_location(failure, line) from None
            unused = _unused_blocks(fn, *args) if observed_only(str(failure)) else ""
            if unused:
                raise Failure(unused) from None
            part = _one_part(fn, *args) if observed_only(str(failure)) else ""
            if part:
                raise with_location(failure, part) from None
            failure = localize(failure, _probes(fn, *args), _conclusion)
            raise with_location(failure, _locate_z(fn, *args)) from None

    return run_checks(lambda: pass_text(over_cases(CASES, one)), fn)
