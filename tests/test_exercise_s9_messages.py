"""Three train_rnn slips that the held-out set s11 found accepted or misnamed: mini-batches of a
fixed size (every case had N < 10, where that is one full batch), a stop when the loss rises (no
case made it rise), and training on the data kept from an earlier call (the message showed the
X shape a piece refused, not the cause). Each wrong answer is written here as a learner would
write it; correct answers in other styles must still pass."""

import functools

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib.exercises import training

pytestmark = pytest.mark.usefixtures("rnnlib_book")


passed = functools.partial(sol.passed, "train_rnn")
failed = functools.partial(sol.failed, "train_rnn")


def gradients(U, W, V, b, c, X, Y, k):
    Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
    loss, dY_hat = sol.my.mse_loss(Y_hat, Y)
    return loss, list(sol.my.bptt(dY_hat, X, states, W, V, k))


# --- the case that shows them -------------------------------------------------------------------


def _losses(case):
    """The loss before the first update and after each update, by the course's own pieces (not
    by the checker's reference)."""
    params, X, Y, threshold = training.inputs(case)
    U, W, V, b, c = params
    losses = []
    for _ in range(training.EPOCHS + 1):
        loss, grads = gradients(U, W, V, b, c, X, Y, training.K)
        losses.append(loss)
        dU, dW, dV, db, dc = sol.my.clip_gradients(grads, threshold)
        rate = case.learning_rate
        U, W, V, b, c = U - rate * dU, W - rate * dW, V - rate * dV, b - rate * db, c - rate * dc
    return losses


def test_a_case_has_more_records_than_a_mini_batch_of_ten():
    assert max(c["N"] for c in training.CASES) > 10


def test_in_one_case_the_loss_rises_in_an_epoch_and_falls_again_but_not_to_its_lowest():
    rising = [c for c in training.CASES if (lambda L: L[2] > 1.1 * L[1])(_losses(c))]
    assert len(rising) == 1
    losses = _losses(rising[0])
    assert losses[1] < 0.9 * losses[0] and losses[3] < 0.9 * losses[2]  # a rise, not divergence
    assert losses[3] > 1.1 * losses[1]  # the lowest loss is after epoch 1: the best is not the last
    # in the other cases the loss only falls: a stop when it rises changes nothing there
    for case in training.CASES:
        if case is not rising[0]:
            L = _losses(case)
            assert all(after < before for before, after in zip(L, L[1:], strict=False)), L


# --- mini-batches of a fixed size ---------------------------------------------------------------


def _mini_batches(size):
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            for start in range(0, len(X), size):
                Xb, Yb = X[start:start + size], Y[start:start + size]
                _, grads = gradients(*trained, Xb, Yb, k)
                grads = sol.my.clip_gradients(grads, threshold)
                trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
        return trained

    return train_rnn


@pytest.mark.parametrize("size", [8, 10])
def test_mini_batches_of_a_fixed_size_are_named(size):
    text = failed(_mini_batches(size), f"one update per mini-batch of {size} records",
                  "each epoch is one full-batch update", "but not with N = 12")
    assert "stops when the loss rises" not in text


def test_mini_batches_drawn_with_np_array_split_are_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            for Xb, Yb in zip(np.array_split(X, 2), np.array_split(Y, 2), strict=True):
                _, grads = gradients(U, W, V, b, c, Xb, Yb, k)
                dU, dW, dV, db, dc = sol.my.clip_gradients(grads, threshold)
                U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
                b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    # two halves of the 6 records of the first case: mini-batches of 3
    failed(train_rnn, "one update per mini-batch of 3 records")


# --- a stop when the loss rises -----------------------------------------------------------------


def test_a_break_when_the_loss_goes_up_is_named_with_the_epochs_it_ran():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = (p.copy() for p in params)
        best = np.inf
        for _ in range(epochs):
            loss, grads = gradients(U, W, V, b, c, X, Y, k)
            if loss > best:
                break  # early stopping
            best = loss
            dU, dW, dV, db, dc = sol.my.clip_gradients(grads, threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    text = failed(train_rnn, "it stops when the loss rises: the exercise runs every epoch",
                  "the loss goes up in epoch 2", "after 2 of the 3 epochs")
    assert "one epoch too few" not in text  # on the other cases it ran every epoch


def test_going_back_to_the_best_parameters_is_named_too():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        current = list(params)
        best, best_loss = list(params), np.inf
        for _ in range(epochs):
            loss, grads = gradients(*current, X, Y, k)
            if loss < best_loss:
                best, best_loss = current, loss
            grads = sol.my.clip_gradients(grads, threshold)
            current = [p - learning_rate * g for p, g in zip(current, grads, strict=True)]
        loss, _ = gradients(*current, X, Y, k)
        return current if loss < best_loss else best

    failed(train_rnn, "it stops when the loss rises", "no going back to the best parameters",
           "after 1 of the 3 epochs")


def test_one_epoch_too_few_is_still_named_so():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        return sol.train_rnn(params, X, Y, learning_rate, epochs - 1, threshold, k)

    text = failed(train_rnn, "one epoch too few")
    assert "loss rises" not in text


# --- the data of an earlier call ----------------------------------------------------------------

_TRAINING_DATA = None  # the learner's global, set by the first call


def test_data_kept_in_a_global_from_the_first_call_is_named():
    global _TRAINING_DATA
    _TRAINING_DATA = None

    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        global _TRAINING_DATA
        if _TRAINING_DATA is None:
            _TRAINING_DATA = (X, Y)
        X_train, Y_train = _TRAINING_DATA
        return sol.train_rnn(params, X_train, Y_train, learning_rate, epochs, threshold, k)

    text = failed(train_rnn, "keeps the data of an earlier call: train on the X and Y you are "
                  "given", "the X and Y of that first call")
    assert "refused its arguments" not in text
    _TRAINING_DATA = None


def test_data_kept_in_a_default_argument_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k, data={}):  # noqa: B006
        X_train = data.setdefault("X", X)
        Y_train = data.setdefault("Y", Y)
        return sol.train_rnn(params, X_train, Y_train, learning_rate, epochs, threshold, k)

    failed(train_rnn, "keeps the data of an earlier call", "a default argument")


def test_only_x_kept_from_the_first_call_is_named():
    kept = {}

    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        if "X" not in kept:
            kept["X"] = X.copy()
        return sol.train_rnn(params, kept["X"], Y, learning_rate, epochs, threshold, k)

    failed(train_rnn, "keeps the data of an earlier call", "the X (with the Y given) of that "
           "first call")


def test_a_slip_that_uses_the_data_given_is_not_said_to_keep_it():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):  # clipping left out
        U, W, V, b, c = params
        for _ in range(epochs):
            _, (dU, dW, dV, db, dc) = gradients(U, W, V, b, c, X, Y, k)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    text = failed(train_rnn, "clipping is missing")
    assert "earlier call" not in text


# --- correct answers in other styles still pass ---------------------------------------------------


def test_the_reference_and_the_loop_of_the_solutions_pass():
    passed(training.reference)
    passed(sol.train_rnn)


def test_a_loop_that_records_the_loss_without_stopping_passes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [np.array(p, dtype=np.float64) for p in params]
        history = []
        epoch = 0
        while epoch < epochs:
            loss, grads = gradients(*trained, X, Y, k)
            history.append(loss)  # only recorded, never acted on
            clipped = sol.my.clip_gradients(grads, threshold)
            trained = [p - learning_rate * g for p, g in zip(trained, clipped, strict=True)]
            epoch += 1
        return trained

    passed(train_rnn)


def test_a_loop_over_one_full_batch_written_as_mini_batches_of_n_passes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        batch_size = len(X)  # one batch: all records
        U, W, V, b, c = params
        for _ in range(epochs):
            for start in range(0, len(X), batch_size):
                Xb, Yb = X[start:start + batch_size], Y[start:start + batch_size]
                _, grads = gradients(U, W, V, b, c, Xb, Yb, k)
                dU, dW, dV, db, dc = sol.my.clip_gradients(grads, threshold)
                U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
                b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    passed(train_rnn)
