"""Diagnoses that read what the learner's code computes: numerical_gradient's formula, read
from where it calls f and the weight it gives each value; rnn_forward's read-out that adds b
where c belongs. Each wrong answer is written here as a learner might write it."""

import exercise_solutions as sol
import numpy as np

from rnnlib import exercises as ex


def _gradient(points, denominator):
    """A numerical gradient sum(w f(x + k eps)) / (denominator * eps), entry by entry."""
    def numerical_gradient(f, x, eps=1e-6):
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            saved = x[i]
            total = 0.0
            for k, w in points:
                x[i] = saved + k * eps
                total += w * f()
            x[i] = saved
            grad[i] = total / (denominator * eps)
        return grad

    return numerical_gradient


def test_a_formula_on_other_points_is_spelled_out():
    text = sol.failed_text("numerical_gradient", _gradient([(1, 1.0), (-3, -1.0)], 4))
    assert "it is (f(x + eps) - f(x - 3 eps)) / (4 eps), read from where your code calls f" in text, text


def test_a_formula_with_a_weight_of_the_wrong_sign_is_spelled_out():
    text = sol.failed_text("numerical_gradient", _gradient([(2, -1.0), (1, 8.0), (-1, -8.0), (-2, -1.0)], 12))
    assert "it is (-f(x + 2 eps) + 8 f(x + eps) - 8 f(x - eps) - f(x - 2 eps)) / (12 eps)" in text, text


def test_the_right_difference_over_another_denominator_points_at_the_division():
    text = sol.failed_text("numerical_gradient", _gradient([(1, 1.0), (-1, -1.0)], 2 + 1e-3))
    assert "it takes f(x + eps) - f(x - eps), as it should, but divides it by something other than 2 eps" in text, text


def test_the_central_difference_written_as_weights_still_passes():
    assert ex.EXERCISES["numerical_gradient"].check(_gradient([(1, 0.5), (-1, -0.5)], 1)).passed


def test_b_and_c_swapped_are_named_from_the_read_out_shape():
    def rnn_forward(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + c)
            states.append(h)
        return h @ V.T + b, np.array(states)

    text = sol.failed_text("rnn_forward", rnn_forward)
    assert "the read-out adds b (H,), the steps' bias, where c (O,) belongs" in text, text
    assert "b and c are swapped" in text


def test_b_in_the_read_out_alone_is_named_without_the_steps():
    def rnn_forward(X, U, W, V, b, c):
        h = np.zeros((X.shape[0], W.shape[0]))
        states = [h]
        for t in range(X.shape[1]):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + b, np.array(states)

    text = sol.failed_text("rnn_forward", rnn_forward)
    assert "the read-out adds b (H,), the steps' bias, where c (O,) belongs" in text, text
    assert "swapped" not in text
