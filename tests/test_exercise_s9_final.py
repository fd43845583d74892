"""Rules of the clipping and training checkers found wanting by the benchmark set s15, each fed
wrong answers written here as a learner would write them (not the benchmark's): np.einsum with
subscripts for matrices (or for vectors) on gradients of other numbers of axes, steps by the
sign of the gradient, training on a fixed part of the records, and targets made one column
(wrong only with O > 1, which the checker's last case has). Correct answers in other styles
pass, and no rule names its slip where it is not."""

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed

from rnnlib.exercises import training

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def my():
    return sol.my


# --- A. clip_gradients: np.einsum subscripts for one number of axes -----------------------------

def clip_with(square):
    """A learner's clip_gradients whose squared norm of each array is square(g)."""
    def clip(grads, threshold):
        total = 0.0
        for g in grads:
            total += square(g)
        norm = np.sqrt(total)
        if norm > threshold:
            return [g * (threshold / norm) for g in grads]
        return [g.copy() for g in grads]

    return clip


def test_einsum_for_matrices_is_named_on_the_biases():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.einsum("ij,ij", g, g) for g in grads))  # implicit output
        scale = min(1.0, threshold / norm) if norm else 1.0
        return [g * scale for g in grads]

    failed("clip_gradients", clip, "gives np.einsum the subscripts 'ij,ij', which are for 2-D",
           "db (4,) and dc (1,) are 1-D", "the biases' gradients are vectors",
           "np.sum(g * g) (or np.vdot(g, g)) works for any shape")


def test_einsum_of_one_operand_for_matrices_is_named():
    def clip(grads, threshold):
        squares = [np.einsum("ij->", g ** 2) for g in grads]
        norm = np.sqrt(np.sum(squares))
        return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]

    failed("clip_gradients", clip, "the subscripts 'ij->', which are for 2-D",
           "db (4,) and dc (1,) are 1-D")


def test_einsum_for_vectors_is_named_on_the_matrices():
    def clip(grads, threshold):
        total = 0.0
        for g in grads:
            total += np.einsum("i,i->", g, g)  # "a dot product of g with itself"
        norm = total ** 0.5
        if norm > threshold:
            return [g * (threshold / norm) for g in grads]
        return [g.copy() for g in grads]

    text = failed("clip_gradients", clip, "your line `total += np.einsum(\"i,i->\", g, g)`",
                  "the subscripts 'i,i->', which are for 1-D",
                  "dU (4, 2), dW (4, 4) and dV (1, 4) are 2-D",
                  absent=("biases' gradients are vectors",))
    assert "works for any shape" in text, text


def test_einsum_for_every_shape_passes():
    def by_ellipsis(grads, threshold):
        norm = np.sqrt(sum(np.sum(np.einsum("...,...->...", g, g)) for g in grads))
        return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]

    def by_ravel(grads, threshold):
        norm = np.sqrt(sum(np.einsum("i,i->", g.ravel(), g.ravel()) for g in grads))
        return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]

    passed("clip_gradients", by_ellipsis)
    passed("clip_gradients", by_ravel)
    passed("clip_gradients", clip_with(lambda g: float(np.vdot(g, g))))


def test_another_value_error_is_not_called_an_einsum():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g * g) for g in grads))
        factor = threshold / norm if norm > threshold else 1.0
        return [np.reshape(g * factor, (2, -1)) for g in grads]  # "as the rows of a table"

    text = sol.failed_text("clip_gradients", clip)
    assert "np.einsum" not in text, text


# --- B. train_rnn: the step, the records and the targets ----------------------------------------

def trainer(update=None, data=None, targets=None):
    """A learner's train_rnn: update(p, g, learning_rate) for each parameter, trained on
    data(X, Y) -> (X, Y), with targets(Y) given to the loss."""
    update = update or (lambda p, g, rate: p - rate * g)
    data = data or (lambda X, Y: (X, Y))
    targets = targets or (lambda Y: Y)

    def train(params, X, Y, learning_rate, epochs, threshold, k):
        p = [np.array(a, dtype=float) for a in params]
        X_used, Y_used = data(X, Y)
        Y_used = targets(Y_used)
        for _ in range(epochs):
            Y_hat, states = my().rnn_forward(X_used, *p)
            _, dY_hat = my().mse_loss(Y_hat, Y_used)
            grads = my().clip_gradients(list(my().bptt(dY_hat, X_used, states, p[1], p[2], k)),
                                        threshold)
            p = [update(a, g, learning_rate) for a, g in zip(p, grads, strict=True)]
        return p

    return train


SIGN = ("the steps are taken by the sign of the gradient, learning_rate * np.sign(g)",
        "the exercise steps by learning_rate * g")


@pytest.mark.parametrize("update", [
    lambda p, g, rate: p - rate * np.sign(g),
    lambda p, g, rate: p - rate * g / np.abs(g),  # "a unit step in each direction"
    lambda p, g, rate: np.subtract(p, np.copysign(rate, g)),
])
def test_steps_by_the_sign_of_the_gradient_are_named(update):
    failed("train_rnn", trainer(update=update), *SIGN)


def test_sign_steps_written_per_parameter_are_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = (np.copy(a) for a in params)
        for _ in range(epochs):
            Y_hat, states = my().rnn_forward(X, U, W, V, b, c)
            dY = my().mse_loss(Y_hat, Y)[1]
            dU, dW, dV, db, dc = my().clip_gradients(list(my().bptt(dY, X, states, W, V, k)),
                                                     threshold)
            U = U - learning_rate * np.sign(dU)
            W = W - learning_rate * np.sign(dW)
            V = V - learning_rate * np.sign(dV)
            b, c = b - learning_rate * np.sign(db), c - learning_rate * np.sign(dc)
        return [U, W, V, b, c]

    failed("train_rnn", train, *SIGN)


@pytest.mark.parametrize("data, fragment", [
    (lambda X, Y: (X[:-1], Y[:-1]), "it trains on 5 of the N = 6 records (X[:-1], Y[:-1]: the "
                                    "last record held out"),
    (lambda X, Y: (X[: len(X) - 1], Y[: len(Y) - 1]), "(X[:-1], Y[:-1]: the last record held"),
    (lambda X, Y: (X[1:], Y[1:]), "it trains on 5 of the N = 6 records (X[1:], Y[1:]: the first "
                                  "record left out"),
    (lambda X, Y: (X[:int(0.8 * len(X))], Y[:int(0.8 * len(Y))]),
     "it trains on 4 of the N = 6 records (X[:4], Y[:4]: the last 2 records held out"),
    (lambda X, Y: (X[::2], Y[::2]), "it trains on every other record only, X[0::2], Y[0::2] (3 "
                                    "of the N = 6 records"),
    (lambda X, Y: (X[1::2], Y[1::2]), "X[1::2], Y[1::2] (3 of the N = 6 records"),
])
def test_training_on_a_part_of_the_records_is_named(data, fragment):
    failed("train_rnn", trainer(data=data), fragment, "train on every record given",
           absent=SIGN)


def test_a_reordering_of_the_records_still_passes():
    # the full batch's gradient does not depend on the records' order
    passed("train_rnn", trainer(data=lambda X, Y: (X[::-1], Y[::-1])))


ONE_COLUMN = ("but not with N = 3, T = 5, D = 2, H = 3, O = 2", "makes the targets one column",
              "Y is already (N, O) = (3, 2)", "with O = 2 outputs they differ",
              "Give my.mse_loss Y as it is")


@pytest.mark.parametrize("targets, shape", [
    (lambda Y: Y.reshape(-1, 1), "(6, 1)"),
    (lambda Y: np.reshape(Y, (-1, 1)), "(6, 1)"),
    (lambda Y: Y.ravel()[:, None], "(6, 1)"),
    (lambda Y: Y[:, :1], "(3, 1)"),  # "the target is the first column"
])
def test_targets_made_one_column_fail_on_two_outputs(targets, shape):
    # made by a helper, the reshape is not in the function's own source: only the case shows
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        y = targets(Y)
        return trainer()(params, X, y, learning_rate, epochs, threshold, k)

    failed("train_rnn", train, "but not with N = 3, T = 5, D = 2, H = 3, O = 2", shape,
           absent=("one column",))


def test_targets_made_one_column_in_the_learners_line_are_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        targets = Y.reshape(-1, 1)  # "targets as a column vector"
        for _ in range(epochs):
            Y_hat, states = my().rnn_forward(X, U, W, V, b, c)
            _, dY_hat = my().mse_loss(Y_hat, targets)
            dU, dW, dV, db, dc = my().clip_gradients(
                list(my().bptt(dY_hat, X, states, W, V, k)), threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    failed("train_rnn", train, *ONE_COLUMN, "your line `targets = Y.reshape(-1, 1)`",
           "of shape (6, 1)")


def test_first_output_only_in_the_learners_line_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        first = Y[:, 0:1]  # "the target is the first column"
        for _ in range(epochs):
            Y_hat, states = my().rnn_forward(X, U, W, V, b, c)
            _, dY_hat = my().mse_loss(Y_hat, first)
            dU, dW, dV, db, dc = my().clip_gradients(
                list(my().bptt(dY_hat, X, states, W, V, k)), threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    failed("train_rnn", train, "your line `first = Y[:, 0:1]`", "of shape (3, 1)",
           "Y is already (N, O) = (3, 2)")


def test_targets_kept_as_they_are_in_other_styles_pass():
    passed("train_rnn", sol.train_rnn)
    passed("train_rnn", trainer(targets=lambda Y: Y.reshape(len(Y), -1)))
    passed("train_rnn", trainer(targets=lambda Y: np.atleast_2d(Y)))


def test_the_checker_has_a_case_with_two_outputs():
    assert any(case["O"] > 1 for case in training.CASES)
    assert all(case["O"] == 1 for case in training.CASES[:4])  # the notebook's messages


def test_one_column_is_not_named_where_the_source_reshapes_nothing():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        trained = sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)
        if Y.shape[1] > 1:  # wrong only with two outputs, but not by a column
            trained[4] = trained[4] + 0.1
        return trained

    failed("train_rnn", train, "O = 2", absent=("one column",))
