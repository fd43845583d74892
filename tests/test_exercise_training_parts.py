"""train_rnn's checker names one update per record (a loop over the records in each epoch)
where each epoch must be one full-batch update. The wrong answer is written here as a learner
might write it."""

import exercise_solutions as sol
import pytest

from rnnlib import exercises as ex

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def test_one_update_per_record_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = (p.copy() for p in params)
        for _ in range(epochs):
            for x_n, y_n in zip(X, Y, strict=True):
                Y_hat, states = sol.my.rnn_forward(x_n[None], U, W, V, b, c)
                _, dY_hat = sol.my.mse_loss(Y_hat, y_n[None])
                grads = sol.my.clip_gradients(list(sol.my.bptt(dY_hat, x_n[None], states, W, V, k)),
                                              threshold)
                U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
        return [U, W, V, b, c]

    verdict = ex.EXERCISES["train_rnn"].check(train_rnn)
    assert verdict.status == "FAIL"
    assert "it makes one update per record" in verdict.text.replace("\n  ", " "), verdict.text


def test_the_full_batch_loop_still_passes():
    assert ex.EXERCISES["train_rnn"].check(sol.train_rnn).passed


def test_weight_decay_is_named():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        p = [a.copy() for a in params]
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, *p)
            grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, p[1], p[2], k)), threshold)
            p = [a * (1 - 1e-3) - learning_rate * g for a, g in zip(p, grads, strict=True)]
        return p

    verdict = ex.EXERCISES["train_rnn"].check(train_rnn)
    assert verdict.status == "FAIL"
    assert "also shrinks each parameter by a multiple of itself (weight decay" in verdict.text.replace("\n  ", " "), verdict.text


def test_parameters_replaced_by_the_step_are_not_called_weight_decay():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        p = [a.copy() for a in params]
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, *p)
            grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Y)[1], X, states, p[1], p[2], k)), threshold)
            p = [-learning_rate * g for g in grads]
        return p

    verdict = ex.EXERCISES["train_rnn"].check(train_rnn)
    assert verdict.status == "FAIL" and "weight decay" not in verdict.text, verdict.text


def test_one_update_per_mini_batch_is_named_with_its_size():
    def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
        p = [a.copy() for a in params]
        for _ in range(epochs):
            for start in range(0, len(X), 2):
                Xb, Yb = X[start:start + 2], Y[start:start + 2]
                Y_hat, states = sol.my.rnn_forward(Xb, *p)
                grads = sol.my.clip_gradients(list(sol.my.bptt(sol.my.mse_loss(Y_hat, Yb)[1], Xb, states, p[1], p[2], k)), threshold)
                p = [a - learning_rate * g for a, g in zip(p, grads, strict=True)]
        return p

    verdict = ex.EXERCISES["train_rnn"].check(train_rnn)
    assert verdict.status == "FAIL"
    assert "it makes one update per mini-batch of 2 records" in verdict.text.replace("\n  ", " "), verdict.text
