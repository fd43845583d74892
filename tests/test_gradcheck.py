"""The gradient-checking tools themselves, on functions whose gradient is known by hand."""

import numpy as np
import pytest

from rnnlib import numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    g = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(g, 3 * before**2, rtol=1e-9)
    np.testing.assert_array_equal(x, before)  # restored exactly


def test_relative_error():
    a = np.array([1.0, 0.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, np.array([1.0, 1e-8])) == pytest.approx(0.5e-8, rel=1e-6)
    assert relative_error(np.zeros(2), np.zeros(2)) == 0.0


def test_bad_input():
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="x must be a float64 numpy array.*int64"):
        numerical_gradient(lambda: 0.0, np.array([1, 2]))
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))


@pytest.mark.parametrize("eps, error", [(0.0, ValueError), (-1e-6, ValueError),
                                        (float("nan"), ValueError), ("1e-6", TypeError)])
def test_a_step_that_is_not_a_positive_number_is_refused(eps, error):
    x = np.array([1.0, 2.0])
    with pytest.raises(error, match="eps must be a positive"):
        numerical_gradient(lambda: float(np.sum(x**2)), x, eps=eps)
