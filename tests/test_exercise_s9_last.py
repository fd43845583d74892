"""Rules of the training, temperature and clipping checkers found wanting by the benchmark set
s14, each fed wrong answers written here as a learner would write them (not the benchmark's):
a prediction recomputed from the states without c or from the state before the last, a
uniform floor or smoothing mixed into the softmax, rows never written because the loop's name
is rebound, a norm made of variances, and a shift by the batch's largest score. Correct
answers in other styles pass, and no rule names its slip where it is not."""

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- J. train_rnn: the prediction recomputed from the states ------------------------------------

WITHOUT_C = ("the prediction given to my.mse_loss leaves out c", "Use the Y_hat that "
             "my.rnn_forward returns")


def _training(prediction):
    """A learner's train_rnn whose loss is taken of prediction(states, V, c, T)."""
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = [np.array(p, dtype=float) for p in params]
        for _ in range(epochs):
            _, states = my().rnn_forward(X, U, W, V, b, c)
            Y_hat = prediction(states, V, c, X.shape[1])
            _, dY_hat = my().mse_loss(Y_hat, Y)
            dU, dW, dV, db, dc = my().clip_gradients(list(my().bptt(dY_hat, X, states, W, V, k)),
                                                     threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    return train


def my():
    return sol.my


def test_a_prediction_without_c_is_named_in_other_spellings():
    for prediction in (lambda s, V, c, T: s[-1] @ V.T,
                       lambda s, V, c, T: np.einsum("nh,oh->no", s[T], V),
                       lambda s, V, c, T: np.dot(s[-1], V.T)):
        failed("train_rnn", _training(prediction), *WITHOUT_C, absent=("h_(T-1)",))


def test_a_prediction_from_the_state_before_the_last_is_named():
    for prediction in (lambda s, V, c, T: s[T - 1] @ V.T + c,
                       lambda s, V, c, T: s[-2] @ V.T + c):
        failed("train_rnn", _training(prediction), "made from states[-2], h_(T-1)",
               "states[T - 1] is not the last", absent=("leaves out c",))


def test_a_prediction_recomputed_right_passes():
    passed("train_rnn", _training(lambda s, V, c, T: s[-1] @ V.T + c))
    passed("train_rnn", _training(lambda s, V, c, T: np.einsum("nh,oh->no", s[T], V) + c))


# --- K. temperature_probabilities: a floor or smoothing mixed into the softmax ----------------

MIX = ("each row is the softmax mixed with the uniform distribution", "with nothing mixed in")


def test_a_uniform_floor_is_named_in_other_spellings():
    def mixed(y_hat, temperature):
        p = softmax_rows(y_hat / temperature)
        return 0.98 * p + 0.02 / y_hat.shape[1]

    def smoothed(y_hat, temperature):  # additive smoothing, renormalised
        q = softmax_rows(y_hat / temperature) + 1e-4
        return q / q.sum(axis=1, keepdims=True)

    def by_rows(y_hat, temperature):
        out = []
        for scores in y_hat:
            e = np.exp((scores - scores.max()) / temperature)
            row = e / e.sum()
            out.append(np.maximum(row, 0.0) * (1 - 0.05) + 0.05 / len(row))
        return np.array(out)

    failed("temperature_probabilities", mixed, *MIX, "1 - a = 0.02")
    failed("temperature_probabilities", smoothed, *MIX)
    failed("temperature_probabilities", by_rows, *MIX, "1 - a = 0.05")


def test_a_constant_added_without_renormalising_is_named():
    def floor(y_hat, temperature):
        return softmax_rows(y_hat / temperature) + 1e-3

    failed("temperature_probabilities", floor, "a constant, 0.001, is added to every "
           "probability", absent=MIX[:1])


def test_other_wrong_probabilities_are_not_called_a_mix():
    def sharper(y_hat, temperature):
        return softmax_rows(y_hat / (2 * temperature))

    def squared(y_hat, temperature):
        p = softmax_rows(y_hat / temperature) ** 2
        return p / p.sum(axis=1, keepdims=True)

    for fn in (sharper, squared):
        failed("temperature_probabilities", fn, absent=("mixed with the uniform", "is added to "
                                                        "every probability"))


# --- L. temperature_probabilities: rows never written (the loop's name rebound) ---------------

NEVER_WRITTEN = ("nothing is written into it", "gives the loop's name row a new array",
                 "Write into p: p[i] = ...")


def test_a_rebound_row_is_named_with_enumerate_and_with_a_plain_loop():
    def by_enumerate(y_hat, temperature):
        p = np.zeros((y_hat.shape[0], y_hat.shape[1]))
        for i, row in enumerate(p):
            z = y_hat[i] / temperature
            row = np.exp(z - z.max())
            row = row / row.sum()
        return p

    def plain(y_hat, temperature):
        p = np.ones_like(y_hat) / y_hat.shape[1]  # "start from the uniform distribution"
        i = 0
        for row in p:
            e = np.exp((y_hat[i] - y_hat[i].max()) / temperature)
            row = e / np.sum(e)  # noqa: F841
            i += 1
        return p

    text = failed("temperature_probabilities", by_enumerate, *NEVER_WRITTEN,
                  "every value of p is still 0", "`for i, row in enumerate(p):`",
                  "`p = np.zeros((y_hat.shape[0], y_hat.shape[1]))`")
    assert "`row = row / row.sum()`" in text or "`row = np.exp(z - z.max())`" in text, text
    failed("temperature_probabilities", plain, *NEVER_WRITTEN, "every value of p is still 0.2",
           "`row = e / np.sum(e)`", absent=("noqa",))


def test_rows_written_into_p_pass_and_a_row_read_again_is_not_a_rebinding():
    def in_place(y_hat, temperature):
        p = np.zeros_like(y_hat, dtype=float)
        for row, scores in zip(p, y_hat, strict=True):
            e = np.exp((scores - scores.max()) / temperature)
            row[:] = e / e.sum()
        return p

    def stored(y_hat, temperature):
        p = np.zeros_like(y_hat, dtype=float)
        for i, row in enumerate(p):
            e = np.exp((y_hat[i] - y_hat[i].max()) / temperature)
            row = e / e.sum()
            p[i] = row
        return p

    def stored_wrong(y_hat, temperature):  # the row is stored: a wrong formula, no rebinding
        p = np.zeros_like(y_hat, dtype=float)
        for i, row in enumerate(p):
            row = np.exp(y_hat[i] * temperature)
            p[i] = row / row.sum()
        return p

    passed("temperature_probabilities", in_place)
    passed("temperature_probabilities", stored)
    failed("temperature_probabilities", stored_wrong, absent=("nothing is written",))


# --- a shift by the largest score of the whole batch ------------------------------------------

def test_a_shift_by_the_batch_largest_score_is_named_where_a_row_underflows():
    def batch_max(y_hat, temperature):
        z = (y_hat - y_hat.max()) / temperature
        return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)

    failed("temperature_probabilities", batch_max, "the largest score of the whole batch, "
           "np.max(y_hat), not by each row's own", "0 / 0 is NaN",
           "y_hat.max(axis=1, keepdims=True)")


# --- M. clip_gradients: a norm made of variances -----------------------------------------------

def _clipping(norm_of):
    def clip(grads, threshold):
        norm = norm_of(grads)
        factor = threshold / norm if norm > threshold else 1.0
        return [g * factor for g in grads]

    return clip


def test_a_norm_made_of_variances_is_named_in_other_spellings():
    centred = ("var and std subtract each array's mean before squaring", "with no mean taken "
               "off")
    for norm_of in (lambda gs: np.sqrt(sum(np.var(g) * g.size for g in gs)),
                    lambda gs: np.sqrt(sum(np.sum((g - g.mean()) ** 2) for g in gs)),
                    lambda gs: np.sqrt(sum(np.linalg.norm(g - np.mean(g)) ** 2 for g in gs))):
        failed("clip_gradients", _clipping(norm_of), *centred)
    failed("clip_gradients", _clipping(lambda gs: np.sqrt(sum(g.var() for g in gs))),
           "np.sqrt(sum(g.var() for g in grads))", "a variance is a mean of squares")
    failed("clip_gradients", _clipping(lambda gs: np.std(np.concatenate([g.ravel() for g in gs]))
                                       * np.sqrt(sum(g.size for g in gs))),
           "the standard deviation of all the values", "np.std subtracts the mean")


def test_other_norms_pass_and_a_wrong_one_is_not_called_a_variance():
    passed("clip_gradients", _clipping(lambda gs: np.sqrt(sum(np.var(g) * g.size + g.mean() ** 2
                                                              * g.size for g in gs))))
    passed("clip_gradients", _clipping(lambda gs: np.linalg.norm(np.concatenate(
        [np.ravel(g) for g in gs]))))
    failed("clip_gradients", _clipping(lambda gs: sum(np.abs(g).sum() for g in gs)),
           absent=("variance", "np.std"))


# --- the temperature applied at some temperatures only ------------------------------------------

SOME = ("the temperature is applied at some temperatures only", "at every temperature T > 0")


def test_a_temperature_clamped_or_under_a_condition_is_named():
    def clamped(y_hat, temperature):
        return softmax_rows(y_hat / max(temperature, 1.0))  # "never sharper than the model"

    def capped(y_hat, temperature):
        return softmax_rows(y_hat / min(temperature, 1.0))

    def below_one_only(y_hat, temperature):
        if temperature < 1:
            return softmax_rows(y_hat / temperature)
        return softmax_rows(y_hat)

    failed("temperature_probabilities", clamped, *SOME, "right at T = 1.5, 2 and 3")
    failed("temperature_probabilities", capped, *SOME, "right at T = 0.5 and 0.7")
    failed("temperature_probabilities", below_one_only, *SOME, "right at T = 0.5 and 0.7")


def test_a_temperature_missing_everywhere_is_not_called_a_condition():
    def missing(y_hat, temperature):
        return softmax_rows(y_hat)

    def times(y_hat, temperature):
        return softmax_rows(y_hat * temperature)

    for fn in (missing, times):
        failed("temperature_probabilities", fn, absent=SOME[:1])


def test_an_inverse_temperature_by_floor_division_is_named_not_a_condition():
    def floored(y_hat, temperature):
        beta = 1 // temperature  # "the inverse temperature"
        return softmax_rows(beta * y_hat)

    failed("temperature_probabilities", floored, "a floor division, 1 // T", "use 1 / T",
           absent=SOME[:1] + ("the temperature has no effect",))
