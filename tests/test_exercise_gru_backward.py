"""Notebook 08's GRU backward-step exercise: rnnlib's answer is the gradient (central differences
in float64), a correct learner's answer passes, the stub is NOT YET, each usual slip fails with
its name, and the comparison with the learner's own numerical gradient says which output is off.
The wrong answers are written here as a learner would write them."""

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib.exercises import gru_backward as gb
from rnnlib.gradcheck import numerical_gradient


@pytest.mark.parametrize("case", gb.CASES, ids=lambda c: c.label)
def test_rnnlibs_answer_is_the_gradient_by_central_differences(case):
    dh_t, x_t, h_prev, U, W, b, b_n = (a.copy() for a in gb.inputs(case))

    def loss():
        return float(np.sum(dh_t * sol.gru_step(x_t, h_prev, U, W, b, b_n)))

    expected = [numerical_gradient(loss, x) for x in (h_prev, U, W, b, b_n)]
    got = gb.reference(dh_t, x_t, h_prev, U, W, b, b_n)
    for g, e in zip(got, expected, strict=True):
        assert g.shape == e.shape
        assert np.max(np.abs(g - e)) < 1e-8 * max(1.0, np.max(np.abs(e)))


def learner(dh_t, x_t, h_prev, U, W, b, b_n, slip=""):
    """A learner's backward step, gate by gate, with one slip switched on by name."""
    H = h_prev.shape[1]
    Ur, Uz, Un = U[:H], U[H:2 * H], U[2 * H:]
    Wr, Wz, Wn = W[:H], W[H:2 * H], W[2 * H:]
    r = 1 / (1 + np.exp(-(x_t @ Ur.T + h_prev @ Wr.T + b[:H])))
    z = 1 / (1 + np.exp(-(x_t @ Uz.T + h_prev @ Wz.T + b[H:2 * H])))
    m = h_prev @ Wn.T + (0 if slip == "m without b_n" else b_n)
    n = np.tanh(x_t @ Un.T + b[2 * H:] + r * (h_prev @ Wn.T + b_n))
    dn = dh_t * (z if slip == "swap" else 1 - z)
    da_n = dn if slip == "no tanh'" else dn * (1 - n * n)
    dz = dh_t * (n - h_prev if slip == "sign" else h_prev - n)
    da_z = dz * z * (1 - z)
    dm = da_n if slip == "no r" else da_n * r
    da_r = da_n * m * r * (1 - r)
    dh_prev = (da_r @ Wr + da_z @ Wz + dm @ Wn)
    if slip != "no copy":
        dh_prev = dh_prev + dh_t * z
    dU = np.vstack([da_r.T @ x_t, da_z.T @ x_t, (dm if slip == "dm for U" else da_n).T @ x_t])
    dW = np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, dm.T @ h_prev])
    total = np.mean if slip == "mean" else np.sum
    db = np.concatenate([total(da_r, axis=0), total(da_z, axis=0), total(da_n, axis=0)])
    db_n = total(da_n if slip == "db_n" else dm, axis=0)
    return dh_prev, dU, dW, db, db_n


def test_a_learners_answer_passes_and_the_stub_is_not_yet():
    assert gb.check(learner).text.startswith("PASS: all five match")
    assert gb.check(sol.gru_step_backward).passed
    assert gb.check(lambda *a: None).status == "NOT YET"


@pytest.mark.parametrize("slip, fragment", [
    ("swap", "FAIL: dh_prev is wrong: z and 1 - z are swapped"),
    ("sign", "FAIL: dh_prev is wrong: the sign of dz is flipped"),
    ("no tanh'", "FAIL: dh_prev is wrong: tanh's derivative is missing"),
    ("no copy", "FAIL: dh_prev is wrong: the copy path is missing"),
    ("m without b_n", "FAIL: dh_prev is wrong: dr uses W_n h_prev without b_n"),
    ("no r", "the reset gate is missing on the way to W_n"),
    ("dm for U", "FAIL: dU is wrong: dU's n rows use dm"),
    ("mean", "FAIL: db is wrong: it is the mean over the records"),
    ("db_n", "db_n is the sum of da_n"),
])
def test_each_slip_is_named(slip, fragment):
    v = gb.check(lambda *a: learner(*a, slip=slip))
    assert v.status == "FAIL"
    assert fragment in v.text.replace("\n  ", " "), v.text


def test_transposed_outputs_and_an_unsummed_bias_are_named_by_shape():
    def transposed(*a):
        dh_prev, dU, dW, db, db_n = learner(*a)
        return dh_prev, dU.T, dW, db, db_n

    text = gb.check(transposed).text.replace("\n  ", " ")
    assert "dU has shape (2, 12) = (D, 3H), expected (3H, D) = (12, 2): that is its transpose" \
        in text, text


def test_the_learners_own_numerical_gradient_confirms_a_right_answer_and_finds_a_wrong_one():
    v = gb.compare_with_numerical(learner, sol.gru_step, numerical_gradient)
    assert v.text.startswith("PASS: all five agree with central differences"), v.text
    v = gb.compare_with_numerical(lambda *a: learner(*a, slip="dm for U"), sol.gru_step,
                                  numerical_gradient)
    assert v.status == "FAIL" and "in dU (above" in v.text.replace("\n  ", " ")
    assert "dh_prev" not in v.text  # the other outputs agree

    def doubled(f, x, eps=1e-6):
        return 2 * numerical_gradient(f, x, eps)

    v = gb.compare_with_numerical(learner, sol.gru_step, doubled)
    assert v.status == "FAIL"
    assert gb.compare_with_numerical(lambda *a: None, sol.gru_step,
                                     numerical_gradient).status == "NOT YET"
    with pytest.raises(TypeError, match="needs the function itself"):
        gb.compare_with_numerical(learner, 3, numerical_gradient)


def test_the_print_wrapper_prints_the_verdict(capsys):
    gb.check_gru_step_backward(learner)
    assert capsys.readouterr().out.startswith(
        "your gru_step_backward — PASS: all five match, largest relative error")
    gb.check_gru_step_backward(learner, who="reference solution")
    assert capsys.readouterr().out.startswith("reference solution — PASS: all five match")
