"""gru_step's checker singles out the one part that goes wrong (the candidate, z or r) from
special inputs, and names a block of U, W, b or b_n that the answer never reads. Each wrong
answer is written here as a learner might write it; the message must name the part."""

import numpy as np
import pytest

from rnnlib import exercises as ex


def _sig(a):
    return 1 / (1 + np.exp(-a))


def _gru(r_gate=_sig, z_gate=_sig, candidate=None, use_u_n=True, use_b_z=True):
    def gru_step(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        r = r_gate(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
        z = z_gate(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + (b[H:2 * H] if use_b_z else 0))
        inner = (x_t @ U[2 * H:].T if use_u_n else 0) + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n)
        n = np.tanh(inner) if candidate is None else candidate(inner)
        return (1 - z) * n + z * h_prev

    return gru_step


def text_of(fn):
    verdict = ex.EXERCISES["gru_step"].check(fn)
    assert verdict.status == "FAIL", verdict.text
    return verdict.text.replace("\n  ", " ")


@pytest.mark.parametrize("wrong, part", [
    (_gru(candidate=lambda v: np.tanh(2 * v)), "so the candidate n is what goes wrong, even where the part that r multiplies is zero"),
    (_gru(z_gate=lambda v: 1 / 1 + np.exp(-v)), "so z is what goes wrong, it is not close to 0"),
    (_gru(z_gate=lambda v: _sig(v) ** 2), "so z is what goes wrong: look at z = sigmoid("),
    (_gru(r_gate=lambda v: np.clip(0.5 + v / 4, 0, 1)),
     "but not with r between 0 and 1: so r is what goes wrong"),
    (_gru(r_gate=lambda v: np.clip(v, -1, 1)),
     "but not with r close to 0 (b_r = -30): so r is what goes wrong"),
])
def test_the_special_inputs_single_out_one_part(wrong, part):
    text = text_of(wrong)
    assert "Where it goes wrong: h_prev is kept right where z is close to 1" in text, text
    assert part in text, text
    assert "in r, or in z away from 1" not in text  # one part, not three places


@pytest.mark.parametrize("wrong, block", [
    (_gru(use_u_n=False), "stays the same when U[2*H:] (U_n) in n changes"),
    (_gru(use_b_z=False), "stays the same when b[H:2*H] (b_z) in z changes"),
])
def test_a_block_that_the_answer_never_reads_is_named(wrong, block):
    text = text_of(wrong)
    assert text.startswith("FAIL: h_t is wrong: your h_t " + block.split(" when")[0]), text
    assert block in text and "your code leaves it out" in text, text


def test_an_answer_that_reads_every_block_wrongly_is_not_called_one_that_leaves_one_out():
    text = text_of(_gru(candidate=lambda v: np.tanh(2 * v)))
    assert "stays the same" not in text


def test_correct_answers_in_other_styles_still_pass():
    def by_einsum(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        a = np.einsum("nd,gd->ng", x_t, U) + b
        s = np.einsum("nh,gh->ng", h_prev, W)
        r, z = (np.exp(v) / (1 + np.exp(v)) for v in (a[:, :H] + s[:, :H], a[:, H:2 * H] + s[:, H:2 * H]))
        n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
        return n + z * (h_prev - n)

    assert ex.EXERCISES["gru_step"].check(by_einsum).passed
    assert ex.EXERCISES["gru_step"].check(_gru(r_gate=lambda v: (np.tanh(v / 2) + 1) / 2)).passed


def test_a_slip_inside_the_part_that_r_multiplies_is_not_put_outside_r():
    def state_part_scaled(x_t, h_prev, U, W, b, b_n):
        H = h_prev.shape[1]
        r = _sig(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
        z = _sig(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
        n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n - 0.3 * b_n))
        return (1 - z) * n + z * h_prev

    text = text_of(state_part_scaled)
    assert "so what goes wrong is the reset gate's part of the candidate" in text and "even where" not in text, text
