"""The rules found wanting by the held-out set s17 (session 11), each fed wrong answers written
here as a learner would write them (not the benchmark's): a state list one too long, scores cut
at a ceiling before exp, log-probabilities returned, gradients summed over the epochs, the
learning rate and threshold swapped, records and targets paired wrongly. Each rule names its
slip only where it is there, and correct answers in other styles still pass."""

import numpy as np
import pytest
from exercise_solutions import failed, passed

from rnnlib import reference as ref

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- rnn_forward: T + 2 states --------------------------------------------------------------


def test_one_state_too_many_is_named_by_what_the_values_show():
    def extra_step_at_the_end(X, U, W, V, b, c):
        N, T, _ = X.shape
        states = [np.zeros((N, W.shape[0]))]
        for t in range(T):
            states.append(np.tanh(X[:, t] @ U.T + states[-1] @ W.T + b))
        states.append(np.tanh(X[:, -1] @ U.T + states[-1] @ W.T + b))  # "one more, the last"
        return states[-2] @ V.T + c, np.array(states)

    def first_step_reads_the_last_input(X, U, W, V, b, c):
        N, T, _ = X.shape
        h = np.zeros((N, W.shape[0]))
        states = [h]
        for t in range(T + 1):
            h = np.tanh(X[:, t - 1] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    def two_zero_states_first(X, U, W, V, b, c):
        N, T, _ = X.shape
        h = np.zeros((N, W.shape[0]))
        states = [h, h]  # "h_0 and h_-1"
        for t in range(T):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
            states.append(h)
        return h @ V.T + c, np.stack(states)

    failed("rnn_forward", extra_step_at_the_end, "one state too many after h_T",
           "range(T)", absent=("X[:, -1] (the last input",))
    failed("rnn_forward", first_step_reads_the_last_input, "its first reads X[:, -1]",
           "Python's index from the end", absent=("one state too many after h_T",))
    failed("rnn_forward", two_zero_states_first, "it holds T + 2 states, one too many",
           absent=("one state too many after h_T", "X[:, -1] (the last input"))


# --- temperature_probabilities: a ceiling on the scores; log-probabilities -----------------


def test_scores_cut_at_a_ceiling_are_named_and_a_row_max_shift_passes():
    def minimum_against_overflow(y_hat, temperature):
        s = np.minimum(y_hat / temperature, 300.0)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def clip_both_ways(y_hat, temperature):
        e = np.exp(np.clip(y_hat / temperature, -700, 700))
        return e / np.sum(e, axis=1)[:, None]

    for fn in (minimum_against_overflow, clip_both_ways):
        failed("temperature_probabilities", fn, "the two largest scores of a row get the same "
               "probability", "cut at a ceiling")

    def shift_by_each_rows_max_in_a_loop(y_hat, temperature):
        p = np.empty_like(y_hat)
        for i, row in enumerate(y_hat):
            e = np.exp((row - row.max()) / temperature)
            p[i] = e / e.sum()
        return p

    passed("temperature_probabilities", shift_by_each_rows_max_in_a_loop)


def test_log_probabilities_are_named():
    def log_softmax(y_hat, temperature):
        s = y_hat / temperature
        s = s - s.max(axis=1, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=1, keepdims=True))

    failed("temperature_probabilities", log_softmax, "p holds the log-probabilities")

    def probabilities_by_exp_of_the_log_softmax(y_hat, temperature):
        return np.exp(log_softmax(y_hat, temperature))

    passed("temperature_probabilities", probabilities_by_exp_of_the_log_softmax)


# --- train_rnn: sums over epochs, swapped arguments, records paired with other targets ------


def _step(p, X, Y, learning_rate, threshold, k, grads=None):
    _, g = ref.loss_and_gradients(*p, X, Y, k)
    if grads is not None:
        g = [a + b for a, b in zip(grads, g, strict=True)]
    return g, [a - learning_rate * d for a, d in zip(p, ref.clip_by_norm(g, threshold),
                                                     strict=True)]


def test_gradients_summed_over_the_epochs_are_named():
    def running_sums_made_once(params, X, Y, learning_rate, epochs, threshold, k):
        p = [np.array(a, dtype=float) for a in params]
        sums = None
        for _ in range(epochs):
            sums, p = _step(p, X, Y, learning_rate, threshold, k, sums)
        return p

    failed("train_rnn", running_sums_made_once, "the gradients add up over the epochs")


def test_learning_rate_and_threshold_swapped_are_named():
    def swapped(params, X, Y, learning_rate, epochs, threshold, k):
        p = list(params)
        for _ in range(epochs):
            _, p = _step(p, X, Y, threshold, learning_rate, k)
        return p

    failed("train_rnn", swapped, "learning_rate and threshold are swapped")


def test_records_paired_with_other_targets_are_named_from_the_same_target_probe():
    def targets_reversed(params, X, Y, learning_rate, epochs, threshold, k):
        p = list(params)
        for _ in range(epochs):
            _, p = _step(p, X, Y[::-1], learning_rate, threshold, k)  # "newest first"
        return p

    def shuffled_with_two_generators(params, X, Y, learning_rate, epochs, threshold, k):
        rx, ry = np.random.default_rng(1), np.random.default_rng(2)
        p = list(params)
        for _ in range(epochs):
            _, p = _step(p, X[rx.permutation(len(X))], Y[ry.permutation(len(Y))],
                         learning_rate, threshold, k)
        return p

    for fn in (targets_reversed, shuffled_with_two_generators):
        failed("train_rnn", fn, "it is right with the same target for every record",
               "how the records meet their targets")

    def shuffled_together(params, X, Y, learning_rate, epochs, threshold, k):
        rng = np.random.default_rng(0)
        p = list(params)
        for _ in range(epochs):
            order = rng.permutation(len(X))
            _, p = _step(p, X[order], Y[order], learning_rate, threshold, k)
        return p

    passed("train_rnn", shuffled_together)

    def no_clipping(params, X, Y, learning_rate, epochs, threshold, k):  # a look-alike
        return _step(params, X, Y, learning_rate, 1e9, k)[1] if epochs == 1 else \
            no_clipping(_step(params, X, Y, learning_rate, 1e9, k)[1], X, Y, learning_rate,
                        epochs - 1, threshold, k)

    failed("train_rnn", no_clipping, absent=("how the records meet their targets",))


# --- the float64 rule's reason fits every exercise -------------------------------------------


def test_the_float32_reason_is_not_about_notebook_03_alone():
    def in_float32(y_hat, temperature):
        s = (y_hat / temperature).astype(np.float32)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", in_float32, "p is float32 but must be float64",
           "the checks here (which compare to 1e-10)")


# --- an extra axis of length 1; a share returned unsummed --------------------------------------


def test_an_extra_axis_of_length_one_is_named_with_its_axis():
    def windows_with_a_new_axis(series, T):
        N = len(series) - T
        X = np.stack([series[i : i + T][None] for i in range(N)])  # (N, 1, T, D)
        return X, series[T:].copy()

    failed("make_windows", windows_with_a_new_axis, "an extra axis of length 1 (axis 1",
           "np.squeeze(X, axis=1)")

    def windows_flattened(series, T):  # a look-alike: reshaped, no axis of length 1 added
        N, D = len(series) - T, series.shape[1]
        X = np.stack([series[i : i + T] for i in range(N)]).reshape(N, T * D)
        return X, series[T:].copy()

    failed("make_windows", windows_flattened, absent=("an extra axis of length 1",))


def test_a_bias_share_returned_as_delta_itself_says_to_sum_it():
    def db_left_unsummed(dh_t, h_t, h_prev, x_t, W):
        delta = dh_t * (1 - h_t**2)
        return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta

    failed("backward_step", db_left_unsummed, "db_t is delta_t summed over the records",
           "delta_t.sum(axis=0)")
