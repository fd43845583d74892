"""Clipping by value and by global norm, as defined in rnnlib.clipping's docstring."""

import numpy as np
import pytest

from rnnlib import Clipping, Params, clip_by_norm, clip_by_value


def grads():
    return Params(
        U=np.array([[3.0], [-4.0]]), W=np.zeros((2, 2)), V=np.array([[12.0, 0.0]]),
        b=np.zeros(2), c=np.array([0.0]),
    )  # global norm sqrt(9 + 16 + 144) = 13


def test_value_clipping_cuts_each_element_and_changes_direction():
    g = grads()
    clipped, norm, acted = clip_by_value(g, 5.0)
    assert norm == pytest.approx(13.0) and acted
    np.testing.assert_array_equal(clipped.U, [[3.0], [-4.0]])
    np.testing.assert_array_equal(clipped.V, [[5.0, 0.0]])
    flat = np.concatenate([a.ravel() for _, a in g.items()])
    flat_c = np.concatenate([a.ravel() for _, a in clipped.items()])
    cosine = flat @ flat_c / (np.linalg.norm(flat) * np.linalg.norm(flat_c))
    assert cosine < 0.97  # (9 + 16 + 60) / (13 * sqrt(50)) = 0.9247
    assert cosine == pytest.approx(85 / (13 * np.sqrt(50)))
    np.testing.assert_array_equal(g.V, [[12.0, 0.0]])  # input untouched


def test_norm_clipping_rescales_to_the_threshold_and_keeps_direction():
    clipped, norm, acted = clip_by_norm(grads(), 6.5)
    assert norm == pytest.approx(13.0) and acted
    assert clipped.norm() == pytest.approx(6.5)
    np.testing.assert_allclose(clipped.V, [[6.0, 0.0]])
    np.testing.assert_allclose(clipped.U, [[1.5], [-2.0]])


def test_no_clipping_below_the_threshold():
    for clip in (clip_by_norm, clip_by_value):
        clipped, norm, acted = clip(grads(), 20.0)
        assert not acted and norm == pytest.approx(13.0)
        np.testing.assert_array_equal(clipped.V, grads().V)


def test_clipping_rule_dispatches():
    assert Clipping("norm", 6.5).apply(grads())[0].norm() == pytest.approx(6.5)
    assert Clipping("value", 5).apply(grads())[0].V[0, 0] == 5.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: Clipping("norm", 0.0), "threshold must be a positive finite number, got 0.0"),
        (lambda: Clipping("norm", -1), "threshold must be a positive finite number, got -1"),
        (lambda: Clipping("elementwise", 1.0), "clipping kind must be one of"),
        (lambda: clip_by_value(grads(), float("nan")), "threshold must be a positive finite"),
    ],
)
def test_bad_thresholds(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_threshold_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="threshold must be a positive number, got 'big'"):
        clip_by_norm(grads(), "big")
