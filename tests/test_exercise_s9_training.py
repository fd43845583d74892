"""Two train_rnn slips that the held-out set s12 found without a message that says what to fix:
a parameter of the function (k, the truncation depth; threshold) given a new value inside it,
so that later epochs train with another one, and an X changed (standardised, scaled,
reordered) before training. Each is named only when the learner's source shows it and the values
agree; each wrong answer here is written as a learner would write it, and correct answers in
other styles (a loop variable with another name, a harmless reassignment) must still pass."""

import functools

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.exercises import training

pytestmark = pytest.mark.usefixtures("rnnlib_book")


passed = functools.partial(sol.passed, "train_rnn")
failed = functools.partial(sol.failed, "train_rnn")


def gradients(U, W, V, b, c, X, Y, k):
    Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
    _, dY_hat = sol.my.mse_loss(Y_hat, Y)
    return list(sol.my.bptt(dY_hat, X, states, W, V, k))


# --- k, the truncation depth, rebound -----------------------------------------------------------


def test_k_rebound_by_enumerate_is_named_with_its_line_and_the_k_that_bptt_gets():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*trained, X, Y, k), threshold)
            for k, (p, g) in enumerate(zip(trained, grads, strict=True)):
                trained[k] = p - learning_rate * g
        return trained

    # five parameters: the loop leaves k = 4, and epoch 1 ran with the k given
    text = failed(train_rnn, "your line `for k, (p, g) in enumerate(zip(trained, grads, "
                  "strict=True)):` rebinds k, the truncation depth",
                  "from epoch 2 on my.bptt gets k = 4", "name the loop variable differently")
    assert "Where it goes wrong" not in text


def test_k_rebound_by_a_range_loop_over_the_parameters_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        current = [U, W, V, b, c]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*current, X, Y, k), threshold)
            for k in range(len(current)):
                current[k] = current[k] - learning_rate * grads[k]
        return current

    failed(train_rnn, "your line `for k in range(len(current)):` rebinds k",
           "from epoch 2 on my.bptt gets k = 4", "name the loop variable differently")


def test_the_rebinding_in_the_loop_is_quoted_not_a_harmless_one_before_it():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        k = int(k)
        trained = [np.array(p, dtype=float) for p in params]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*trained, X, Y, k), threshold)
            for k, g in enumerate(grads):
                trained[k] -= learning_rate * g
        return trained

    text = failed(train_rnn, "your line `for k, g in enumerate(grads):` rebinds k",
                  "from epoch 2 on my.bptt gets k = 4")
    assert "int(k)" not in text


def test_k_rebound_to_a_key_that_bptt_refuses_is_named_after_a_right_first_epoch():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        theta = dict(zip("UWVbc", params, strict=True))
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*theta.values(), X, Y, k), threshold)
            for k, g in zip("UWVbc", grads, strict=True):  # k for "key"
                theta[k] = theta[k] - learning_rate * g
        return list(theta.values())

    failed(train_rnn, "your function raises an error: ", "your line `for k, g in "
           "zip(\"UWVbc\", grads, strict=True):` rebinds k", "from epoch 2 on my.bptt gets "
           "k = 'c' (str) and raises an error", "name the loop variable differently")


def test_k_replaced_by_the_whole_length_is_named_in_every_epoch():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        k = X.shape[1]  # "truncation makes it worse: use every step"
        return sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)

    failed(train_rnn, "your line `k = X.shape[1]` rebinds k", "in every epoch my.bptt gets "
           "k = 5 (BPTT through all T = 5 steps)", "give the new value another name and leave "
           "k as it was given")


# --- threshold rebound --------------------------------------------------------------------------


def test_threshold_rebound_to_the_gradients_norm_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            grads = gradients(*trained, X, Y, k)
            threshold = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
            grads = sol.my.clip_gradients(grads, threshold)
            trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
        return trained

    text = failed(train_rnn, "your line `threshold = np.linalg.norm(np.concatenate([g.ravel() "
                  "for g in grads]))` rebinds threshold, the clipping threshold", "in every "
                  "epoch my.clip_gradients gets another threshold, so clipping never acts",
                  "give the new value another name")
    assert "clipping is missing" not in text


def test_threshold_lowered_after_each_update_is_named_from_the_epoch_it_changes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            grads = gradients(*trained, X, Y, k)
            grads = sol.my.clip_gradients(grads, threshold)
            trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
            # "clip next time at least as hard as this time"
            threshold = 0.9 * np.sqrt(sum(np.sum(g**2) for g in grads))
        return trained

    # the clipped norm is the threshold: 0.9 times it from epoch 2 on
    params, X, Y, threshold = training.inputs(training.CASES[0])
    failed(train_rnn, "your line `threshold = 0.9 * np.sqrt(sum(np.sum(g**2) for g in "
           "grads))` rebinds threshold", "from epoch 2 on my.clip_gradients gets another "
           f"threshold, threshold = {0.9 * threshold:.3g} where {threshold:.3g} was given")


# --- X changed before training ------------------------------------------------------------------

_X_CHANGES = {
    "standardised": ("X = (X - X.mean()) / X.std()", "it was standardised before training, "
                     "to mean 0 and standard deviation 1"),
    "per input": ("flat = X.reshape(-1, X.shape[2])\n"
                  "    X = ((flat - flat.mean(axis=0)) / flat.std(axis=0)).reshape(X.shape)",
                  "it was standardised for each input (over records and steps)"),
    "min-max": ("X = (X - X.min()) / (X.max() - X.min())", "rescaled to the range 0 to 1"),
    "scaled": ("X = X / 2.0", "it was scaled (times 0.5)"),
    "time-major and back": ("X_time = X.transpose(1, 0, 2)  # (T, N, D)\n"
                            "    X = X_time.reshape(X.shape)  # back to (N, T, D)",
                            "it holds the same values in another order"),
}


def _with_x_changed(change):
    source = (f"def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):\n"
              f"    {change}\n"
              "    return sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)\n")
    namespace = {"np": np, "sol": sol}
    exec(compile(source, "<learner's cell>", "exec"), namespace)
    return namespace["train_rnn"]


@pytest.mark.parametrize("kind", list(_X_CHANGES))
def test_x_changed_before_training_is_named(kind):
    change, how = _X_CHANGES[kind]
    text = failed(_with_x_changed(change), "the X your function passes to my.rnn_forward is "
                  "not the X it was given", how, "Train on X as it is given")
    assert "Where it goes wrong" not in text


def test_x_standardised_in_a_loop_written_out_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        X_train = (X - X.mean(axis=(0, 1))) / X.std(axis=(0, 1))  # "always standardise"
        U, W, V, b, c = params
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X_train, U, W, V, b, c)
            _, dY_hat = sol.my.mse_loss(Y_hat, Y)
            grads = sol.my.bptt(dY_hat, X_train, states, W, V, k)
            dU, dW, dV, db, dc = sol.my.clip_gradients(list(grads), threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    failed(train_rnn, "the X your function passes to my.rnn_forward is not the X it was given",
           "standardised for each input")


def test_x_changed_is_seen_through_a_workbook_whose_rnn_forward_is_the_learners(tmp_path,
                                                                                 capsys):
    """As in a notebook: `my` is a global of the learner's cell, and my.rnn_forward is the
    learner's own function (here under another name), checked in before."""
    book = ex.Workbook(5, path=tmp_path / "my_rnn.py")

    def forward_all(X, U, W, V, b, c):
        return sol.rnn_forward(X, U, W, V, b, c)

    sol.bind(book)
    book.check("rnn_forward", forward_all)
    assert book.owner("rnn_forward") == "yours", capsys.readouterr().out
    source = ("def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):\n"
              "    X = X / X.std()\n"
              "    return sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)\n")
    namespace = {"np": np, "sol": sol, "my": book}
    exec(compile(source, "<learner's cell>", "exec"), namespace)
    failed(namespace["train_rnn"], "the X your function passes to my.rnn_forward is not the X "
           "it was given", "it was scaled (times ")


# --- what is not there is not named -------------------------------------------------------------


def test_a_harmless_rebinding_with_another_slip_is_not_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        k, threshold = int(k), float(threshold)
        U, W, V, b, c = params
        for _ in range(epochs):
            dU, dW, dV, db, dc = gradients(U, W, V, b, c, X, Y, k)  # no clipping
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    text = failed(train_rnn, "clipping is missing")
    assert "rebinds" not in text


def test_a_harmless_rebinding_of_k_with_k_plus_one_given_to_bptt_is_not_named_a_rebinding():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        k = int(k)
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, *trained)
            _, dY_hat = sol.my.mse_loss(Y_hat, Y)
            grads = sol.my.bptt(dY_hat, X, states, trained[1], trained[2], k + 1)
            grads = sol.my.clip_gradients(list(grads), threshold)
            trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
        return trained

    # my.bptt gets 3 in every epoch, but the learner's k is 2 there: not the rebinding
    text = failed(train_rnn, "BPTT runs with k + 1 steps")
    assert "rebinds" not in text


def test_another_slip_with_the_x_given_is_not_said_to_change_x():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        X = np.asarray(X, dtype=np.float64)
        return sol.train_rnn(params, X, Y, 0.9 * learning_rate, epochs, threshold, k)

    text = failed(train_rnn)
    assert "passes to my.rnn_forward" not in text and "rebinds" not in text


# --- correct answers in other styles ------------------------------------------------------------


def test_the_reference_and_the_course_loop_pass():
    passed(training.reference)
    passed(sol.train_rnn)


def test_a_loop_variable_named_differently_passes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*trained, X, Y, k), threshold)
            for i, g in enumerate(grads):
                trained[i] = trained[i] - learning_rate * g
        return trained

    passed(train_rnn)


def test_k_as_a_comprehension_variable_is_no_rebinding_and_passes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        trained = [p.copy() for p in params]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*trained, X, Y, k), threshold)
            trained = [trained[k] - learning_rate * grads[k] for k in range(len(trained))]
        return trained

    passed(train_rnn)


def test_harmless_reassignments_of_the_parameters_pass():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        learning_rate = float(learning_rate)
        threshold, k = float(threshold), int(k)
        X = np.asarray(X, dtype=np.float64)
        params = [np.array(p, dtype=np.float64) for p in params]
        for _ in range(epochs):
            grads = sol.my.clip_gradients(gradients(*params, X, Y, k), threshold)
            params = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
        return params

    passed(train_rnn)


def test_x_made_time_major_and_transposed_back_passes():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        X_time = X.transpose(1, 0, 2)  # (T, N, D)
        X = X_time.transpose(1, 0, 2)  # (N, T, D) again
        return sol.train_rnn(params, X, Y, learning_rate, epochs, threshold, k)

    passed(train_rnn)
