"""rnnlib.activations: every form of tanh and sigmoid against numpy's, in place or not."""

import numpy as np
import pytest

from rnnlib.activations import (
    sigmoid,
    sigmoid_of_negated,
    tanh_of_scaled,
)

A = np.concatenate([np.linspace(-40.0, 40.0, 801), [-1e-3, 1e-3, -800.0, 800.0, 0.0]])


@pytest.mark.parametrize("in_place", [False, True])
def test_sigmoid_matches_the_logistic_function(in_place):
    expected = np.exp(-np.logaddexp(0.0, -A))  # 1 / (1 + exp(-a)) without overflow
    a = A.copy()
    out = sigmoid(a, out=a if in_place else None)
    assert np.max(np.abs(out - expected)) < 4e-16


def test_the_scaled_forms_of_the_recurrent_loops():
    """tanh_of_scaled(-2a) = tanh(a), sigmoid_of_negated(-a) = sigma(a), in place, with exp's
    overflow to inf giving the limits -1 and 0 (inside np.errstate(over="ignore"))."""
    with np.errstate(over="ignore"):
        t = tanh_of_scaled(-2.0 * A)
        s = sigmoid_of_negated(-A.copy())
    assert np.max(np.abs(t - np.tanh(A))) < 5e-16
    assert np.max(np.abs(s - np.exp(-np.logaddexp(0.0, -A)))) < 4e-16
    assert t[A == -800.0] == -1.0 and s[A == -800.0] == 0.0


def test_the_recurrent_loops_tanh_both_ways():
    """tanh_into gives np.tanh's values to 4e-16 in place and into another array, whichever
    way this CPU takes (numpy's tanh where it is vectorised, else tanh_of_scaled); both ways
    are tried here, and the plain cell's activation uses the same choice."""
    import rnnlib.activations as act

    chosen = act.NUMPY_TANH_VECTORISED
    try:
        for vectorised in (False, True):
            act.NUMPY_TANH_VECTORISED = vectorised
            with np.errstate(over="ignore"):
                into = act.tanh_into(A, np.empty_like(A))
                same = A.copy()
                act.tanh_into(same, same)
            assert np.max(np.abs(into - np.tanh(A))) < 5e-16
            assert np.array_equal(same, into)
    finally:
        act.NUMPY_TANH_VECTORISED = chosen
    f = act.get_activation("tanh")
    pre = f.scale * A
    with np.errstate(over="ignore"):
        f.of_scaled(pre)
    assert (f.scale, f.of_scaled) == ((1.0, act._numpy_tanh_in_place) if chosen else
                                     (-2.0, act.tanh_of_scaled))
    assert np.max(np.abs(pre - np.tanh(A))) < 5e-16
