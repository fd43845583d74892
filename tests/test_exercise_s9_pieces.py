"""Rules of the temperature, clipping and training checkers found wanting by the benchmark set
s13, each fed wrong answers written here as a learner would write them (not the benchmark's):
an argmax below some temperature, exp overflowing without the shift by each row's largest
score, an iterator read twice, a comprehension that never reads its own loop variable, a
factor other than 1 where clipping must not act, Adam's steps, the learning rate applied
twice, and the parameters unpacked in another order. Correct answers in other styles pass, and
no rule names its slip where it is not."""

import math

import exercise_solutions as sol
import numpy as np
import pytest
from exercise_solutions import failed, passed

pytestmark = pytest.mark.usefixtures("rnnlib_book")


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# --- 1. a one-hot (argmax) below some temperature ---------------------------------------------

ONE_HOT = ("every row of p is a one-hot, 1 at the row's largest score (the argmax)",
           "the softmax of y_hat / T at every T > 0")


def test_an_argmax_below_a_small_temperature_is_named_on_close_scores():
    def probabilities(y_hat, temperature):
        if temperature <= 0.1:  # "greedy: the largest score wins anyway"
            return (y_hat == y_hat.max(axis=1, keepdims=True)).astype(float)
        return softmax_rows(y_hat / temperature)

    failed("temperature_probabilities", probabilities, *ONE_HOT, "close scores",
           "right with N = 3, O = 5", absent=("top-k",))


def test_a_one_hot_from_np_eye_is_named_and_so_is_greedy_decoding_at_every_temperature():
    def below(y_hat, temperature):
        if temperature < 0.2:
            return np.eye(y_hat.shape[1])[np.argmax(y_hat, axis=1)]
        return softmax_rows(y_hat / temperature)

    def greedy(y_hat, temperature):
        return np.eye(y_hat.shape[1])[y_hat.argmax(axis=1)]

    failed("temperature_probabilities", below, *ONE_HOT)
    failed("temperature_probabilities", greedy, *ONE_HOT, "with N = 3, O = 5, T = 0.7")


def test_a_sharper_softmax_is_not_called_a_one_hot():
    def sharper(y_hat, temperature):  # a temperature floor the other way: not one-hot
        return softmax_rows(y_hat / min(temperature, 0.01))

    failed("temperature_probabilities", sharper, absent=("one-hot",))


# --- 2. exp overflowing without the shift by each row's largest score ----------------------------

OVERFLOW = ("exp(...) overflowed", "above 709", "Subtract each row's own largest score first")


def test_a_log_sum_exp_without_the_shift_is_named_as_an_overflow_not_a_loop_start():
    def probabilities(y_hat, temperature):
        z = y_hat / temperature
        log_p = z - np.log(np.exp(z).sum(axis=1))[:, None]
        return np.exp(log_p)

    failed("temperature_probabilities", probabilities, *OVERFLOW, "row 0 is wrong",
           "holds zeros where rnnlib's probabilities are above 0",
           absent=("never computed", "where your loop"))


def test_a_shift_by_the_row_mean_is_named_as_an_overflow():
    def probabilities(y_hat, temperature):
        e = np.exp((y_hat - y_hat.mean(axis=1, keepdims=True)) / temperature)
        return e / e.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", probabilities, *OVERFLOW[:1], OVERFLOW[2],
           "lie more than 709 apart")


def test_an_overflow_error_of_math_exp_gets_the_shift():
    def probabilities(y_hat, temperature):
        p = np.zeros_like(y_hat)
        for i, row in enumerate(y_hat):
            e = [math.exp(v / temperature) for v in row]
            p[i] = np.array(e) / math.fsum(e)
        return p

    failed("temperature_probabilities", probabilities, "OverflowError", OVERFLOW[2])


def test_a_row_never_computed_is_still_a_loop_start_where_nothing_overflows():
    def probabilities(y_hat, temperature):
        p = np.zeros_like(y_hat)
        for i in range(1, y_hat.shape[0]):
            p[i] = softmax_rows(y_hat[i:i + 1] / temperature)[0]
        return p

    failed("temperature_probabilities", probabilities, "never computed",
           absent=("overflow",))


def test_temperature_answers_in_other_styles_pass():
    def by_loops(y_hat, temperature):
        p = np.empty_like(y_hat)
        for i in range(y_hat.shape[0]):
            top = max(y_hat[i])
            e = [math.exp((v - top) / temperature) for v in y_hat[i]]
            total = math.fsum(e)
            p[i] = [v / total for v in e]
        return p

    def by_logsumexp(y_hat, temperature):
        z = y_hat / temperature
        top = z.max(axis=1, keepdims=True)
        return np.exp(z - top - np.log(np.exp(z - top).sum(axis=1, keepdims=True)))

    for fn in (by_loops, by_logsumexp, sol.temperature_probabilities):
        passed("temperature_probabilities", fn)


# --- 6. an iterator read twice -------------------------------------------------------------

USED_UP = ("is an iterator", "can be read only once", "used it up", "Make a list first")


def test_a_map_used_up_by_the_norm_is_named():
    def clip(grads, threshold):
        arrays = map(np.asarray, grads)
        norm = math.sqrt(sum(float(np.sum(a * a)) for a in arrays))
        factor = threshold / norm if norm > threshold else 1.0
        return [a * factor for a in arrays]

    failed("clip_gradients", clip, "a list of 0 arrays for 5 gradients", "arrays is an iterator",
           "map(...)", *USED_UP[1:])


def test_a_generator_used_up_before_the_norm_is_named():
    def clip(grads, threshold):
        copies = (np.array(g, dtype=float) for g in grads)
        out = [c for c in copies]
        norm = np.sqrt(sum(np.vdot(c, c) for c in copies))  # 0: copies is empty here
        return [o * (threshold / norm) if norm > threshold else o for o in out]

    failed("clip_gradients", clip, "unchanged although", "copies is an iterator",
           "a generator expression", *USED_UP[1:])


def test_a_zip_read_twice_is_named():
    def clip(grads, threshold):
        pairs = zip(range(len(grads)), grads, strict=True)
        norm = np.sqrt(sum(np.sum(g**2) for _, g in pairs))
        scale = min(1.0, threshold / norm)
        return [g * scale for _, g in pairs]

    failed("clip_gradients", clip, "pairs is an iterator", "zip(...)", *USED_UP[1:])


def test_lists_read_twice_pass_and_a_short_list_without_an_iterator_is_not_blamed_on_one():
    def from_a_list(grads, threshold):
        flat = list(map(np.ravel, grads))
        norm = np.sqrt(sum(float(v @ v) for v in flat))
        factor = threshold / norm if norm > threshold else 1.0
        return [v.reshape(g.shape) * factor for v, g in zip(flat, grads, strict=True)]

    def one_short(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        factor = threshold / norm if norm > threshold else 1.0
        return [g * factor for g in grads[:-1]]

    passed("clip_gradients", from_a_list)
    failed("clip_gradients", one_short, "a list of 4 arrays for 5 gradients",
           absent=("iterator",))


# --- 7. a comprehension that never reads its own loop variable -----------------------------------

SAME = "every array you return is the same one"


def test_a_comprehension_of_the_last_loop_item_is_named():
    def clip(grads, threshold):
        squares = 0.0
        for g in grads:
            squares += float(np.sum(g * g))
        norm = squares ** 0.5
        scale = threshold / norm if norm > threshold else 1.0
        return [g * scale for grad in grads]

    failed("clip_gradients", clip, SAME, "array 4 (dc)", "multiplies g, not its own loop "
           "variable grad", "still the last item of your loop `for g in grads:`",
           "[grad * scale for grad in grads]")


def test_a_comprehension_of_one_fixed_array_is_named_with_its_element():
    def clip(grads, threshold):
        norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
        factor = min(1.0, threshold / norm)
        return [factor * grads[0] for _ in range(len(grads))]

    failed("clip_gradients", clip, SAME, "array 0 (dU)", "never reads its own loop variable _",
           "factor * grads[0]")


def test_the_same_array_without_a_comprehension_is_named_on_the_values_only():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        last = grads[-1] * min(1.0, threshold / norm)
        return list(map(lambda g: last, grads))

    failed("clip_gradients", clip, SAME, "[g * factor for g in grads]",
           absent=("your comprehension",))


# --- 8. a factor other than 1 where clipping must not act ----------------------------------------

BELOW = ("below the threshold the gradients must come back unchanged (factor 1)",
         "Clip only if norm > threshold")


def test_a_factor_of_zero_below_the_threshold_is_named():
    def clip(grads, threshold):
        norm = math.sqrt(math.fsum(float(np.sum(g**2)) for g in grads))
        scale = threshold / norm if norm > threshold else 0.0
        return [scale * g for g in grads]

    failed("clip_gradients", clip, *BELOW, "yours are all 0", absent=("not all by the same",))


def test_zeros_returned_below_the_threshold_are_named():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        if norm <= threshold:
            return [np.zeros_like(g) for g in grads]  # "nothing to clip"
        return [g * (threshold / norm) for g in grads]

    failed("clip_gradients", clip, *BELOW, "yours are all 0")


def test_scaling_to_the_threshold_always_is_named():
    def clip(grads, threshold):
        norm = np.linalg.norm(np.concatenate([np.ravel(g) for g in grads]))
        return [g * (threshold / norm) for g in grads]

    # named already, among the slips (it changes the arrays where they must stay)
    failed("clip_gradients", clip, "scaled although their global norm is below the threshold",
           "leave them unchanged")


def test_dividing_by_the_norm_below_the_threshold_is_named():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.vdot(g, g) for g in grads))
        return [g * (threshold / norm) if norm > threshold else g / norm for g in grads]

    failed("clip_gradients", clip, *BELOW, "divided by the norm (scaled to global norm 1)")


def test_another_factor_below_the_threshold_is_named_with_it():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        factor = threshold / norm if norm > threshold else 0.5  # "halve them anyway"
        return [g * factor for g in grads]

    failed("clip_gradients", clip, *BELOW, "multiplied by one factor, 0.5")


def test_a_wrong_factor_above_the_threshold_is_not_called_a_below_the_threshold_slip():
    def clip(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        return [g * (threshold / norm) ** 0.5 if norm > threshold else g.copy() for g in grads]

    failed("clip_gradients", clip, absent=("below the threshold",))


def test_clipping_in_other_styles_passes():
    def by_loops(grads, threshold):
        total = 0.0
        for g in grads:
            for v in np.ravel(g):
                total += v * v
        norm = math.sqrt(total)
        out = []
        for g in grads:
            out.append(g * (threshold / norm) if norm > threshold else g.copy())
        return out

    def by_fsum(grads, threshold):
        norm = math.sqrt(math.fsum(float(x) ** 2 for g in grads for x in np.ravel(g)))
        return [g * min(1.0, threshold / norm) if norm else g.copy() for g in grads]

    def by_concatenate(grads, threshold):
        flat = np.concatenate([g.reshape(-1) for g in grads])
        norm = np.linalg.norm(flat)
        scale = threshold / norm if norm > threshold else 1.0
        return [np.multiply(g, scale) for g in grads]

    def list_before_the_norm(grads, threshold):
        arrays = [np.array(g, dtype=np.float64) for g in grads]
        norm = np.sqrt(sum(np.sum(a**2) for a in arrays))
        if norm > threshold:
            arrays = [a * (threshold / norm) for a in arrays]
        return arrays

    for fn in (by_loops, by_fsum, by_concatenate, list_before_the_norm, sol.clip_gradients):
        passed("clip_gradients", fn)


# --- 9. Adam's steps, the learning rate applied twice --------------------------------------------


def _gradients(U, W, V, b, c, X, Y, k, scale=1.0):
    Y_hat, states = sol.my.rnn_forward(X, U, W, V, b, c)
    _, dY_hat = sol.my.mse_loss(Y_hat, Y)
    return list(sol.my.bptt(scale * dY_hat, X, states, W, V, k))


ADAM = ("these are Adam's steps", "plain gradient descent")


def test_adam_with_a_dict_of_moments_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        theta = dict(zip("UWVbc", params, strict=True))
        m = {n: 0.0 for n in theta}
        v = {n: 0.0 for n in theta}
        for t in range(1, epochs + 1):
            grads = sol.my.clip_gradients(_gradients(*theta.values(), X, Y, k), threshold)
            for (n, p), g in zip(list(theta.items()), grads, strict=True):
                m[n] = 0.9 * m[n] + (1 - 0.9) * g
                v[n] = 0.999 * v[n] + (1 - 0.999) * g * g
                m_hat, v_hat = m[n] / (1 - 0.9**t), v[n] / (1 - 0.999**t)
                theta[n] = p - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
        return list(theta.values())

    failed("train_rnn", train, *ADAM, "with the clipped gradients")


def test_adam_without_clipping_and_eps_under_the_root_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        p = [np.array(a) for a in params]
        m = [np.zeros_like(a) for a in p]
        s = [np.zeros_like(a) for a in p]
        for t in range(epochs):
            for i, g in enumerate(_gradients(*p, X, Y, k)):
                m[i] = 0.9 * m[i] + 0.1 * g
                s[i] = 0.999 * s[i] + 0.001 * g**2
                step = (m[i] / (1 - 0.9 ** (t + 1))) / np.sqrt(s[i] / (1 - 0.999 ** (t + 1))
                                                               + 1e-8)
                p[i] = p[i] - learning_rate * step
        return p

    failed("train_rnn", train, *ADAM, "without clipping")


def test_the_learning_rate_in_the_gradients_and_in_the_update_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        for _ in range(epochs):
            grads = [learning_rate * g for g in _gradients(U, W, V, b, c, X, Y, k)]
            dU, dW, dV, db, dc = sol.my.clip_gradients(grads, threshold)
            U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
            b, c = b - learning_rate * db, c - learning_rate * dc
        return [U, W, V, b, c]

    failed("train_rnn", train, "the learning rate is applied twice",
           "multiplied by learning_rate before clipping")


def test_a_step_scaled_by_the_learning_rate_twice_is_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        p = list(params)
        for _ in range(epochs):
            clipped = sol.my.clip_gradients(_gradients(*p, X, Y, k), threshold)
            steps = [learning_rate * g for g in clipped]
            p = [a - learning_rate * s for a, s in zip(p, steps, strict=True)]
        return p

    failed("train_rnn", train, "the learning rate is applied twice",
           "(the step is learning_rate**2 * g)")


# --- 10. the parameters unpacked in another order ----------------------------------------------

ORDER = ("the parameters in another order than params holds them",
         "params is [U, W, V, b, c]", "U, W, V, b, c = params")


def _train_from(U, W, V, b, c, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        dU, dW, dV, db, dc = sol.my.clip_gradients(_gradients(U, W, V, b, c, X, Y, k), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


def test_u_and_v_swapped_in_the_unpacking_are_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, V, W, b, c = params
        return _train_from(U, W, V, b, c, X, Y, learning_rate, epochs, threshold, k)

    failed("train_rnn", train, *ORDER, "`U, V, W, b, c = params`", "your V is W", "your W is V")


def test_copies_unpacked_in_another_order_are_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, c, b = [p.copy() for p in params]
        return _train_from(U, W, V, b, c, X, Y, learning_rate, epochs, threshold, k)

    failed("train_rnn", train, *ORDER, "your c is b, of shape (H,) = (4,)")


def test_parameters_taken_by_index_in_another_order_are_named():
    def train(params, X, Y, learning_rate, epochs, threshold, k):
        U = params[0].copy()
        W = params[1].copy()
        b = np.array(params[2])
        V = np.array(params[3])
        c = params[4]
        return _train_from(U, W, V, b, c, X, Y, learning_rate, epochs, threshold, k)

    failed("train_rnn", train, *ORDER[:2], "`b = np.array(params[2])` and "
           "`V = np.array(params[3])`", "your b is V")


def test_the_course_order_and_other_names_pass_and_another_slip_is_not_an_order():
    def other_names(params, X, Y, learning_rate, epochs, threshold, k):
        Wxh, Whh, Why, bh, by = (np.array(p) for p in params)
        return _train_from(Wxh, Whh, Why, bh, by, X, Y, learning_rate, epochs, threshold, k)

    def by_map(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = map(np.copy, params)
        return _train_from(U, W, V, b, c, X, Y, learning_rate, epochs, threshold, k)

    def uphill(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, V, b, c = params
        return _train_from(U, W, V, b, c, X, Y, -learning_rate, epochs, threshold, k)

    def own_order_throughout(params, X, Y, learning_rate, epochs, threshold, k):
        U, W, b, V, c = params  # labels of its own order, used so everywhere
        for _ in range(epochs):
            Y_hat, states = sol.my.rnn_forward(X, U, W, b, V, c)
            _, dY_hat = sol.my.mse_loss(Y_hat, Y)
            dU, dW, db, dV, dc = sol.my.clip_gradients(
                list(sol.my.bptt(dY_hat, X, states, W, b, k)), threshold)
            U, W, b = U - learning_rate * dU, W - learning_rate * dW, b + learning_rate * db
            V, c = V - learning_rate * dV, c - learning_rate * dc  # b + ...: uphill
        return [U, W, b, V, c]

    passed("train_rnn", other_names)
    failed("train_rnn", own_order_throughout, absent=("another order",))
    passed("train_rnn", by_map)
    passed("train_rnn", sol.train_rnn)
    failed("train_rnn", uphill, "uphill", absent=("another order",))


def test_the_comprehension_named_is_the_one_that_made_the_result_or_none():
    def stale_with_a_list_of_factors(grads, threshold):
        total = 0.0
        for grad in grads:
            total += np.sum(grad**2)
        norm = np.sqrt(total)
        scales = [min(1.0, threshold / norm) for _ in grads]  # right: one factor per array
        return [grad * s for s in scales]  # grad: the last array, every time

    def two_candidates(grads, threshold):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads))
        factor = min(1.0, threshold / norm)
        firsts = [grads[0] for _ in grads]
        lasts = [grads[-1] * factor for _ in grads]
        return lasts if len(firsts) else firsts

    failed("clip_gradients", stale_with_a_list_of_factors, SAME, "array 4 (dc)",
           "your comprehension `[grad * s for s in scales]` multiplies grad",
           absent=("min(1.0",))
    failed("clip_gradients", two_candidates, SAME, "array 4 (dc)",
           absent=("your comprehension",))


# --- the checkers' own inputs and variants ------------------------------------------------------


def test_the_close_score_case_is_far_from_one_hot_and_does_not_overflow():
    from rnnlib.exercises import sampling

    (case,) = [c for c in sampling.CASES if "close scores" in c.label]
    y_hat, T = sampling.inputs(case)
    p = sampling.reference(y_hat, T)
    assert T == 0.05 and p.max() < 0.9  # an argmax one-hot is far off in every row
    assert not sampling._at_risk(y_hat, T).any()
    assert np.allclose(p, softmax_rows(y_hat / T), rtol=1e-12, atol=0.0)


def test_the_checkers_adam_is_rnnlibs_adam():
    from rnnlib.clipping import Clipping
    from rnnlib.exercises import training
    from rnnlib.gradcheck import relative_error
    from rnnlib.model import Params
    from rnnlib.training import train

    for case in training.CASES:
        params, X, Y, threshold = training.inputs(case)
        result = train(Params(*params), X, Y, learning_rate=case.learning_rate,
                       epochs=training.EPOCHS, truncation=training.K,
                       clipping=Clipping("norm", threshold), optimizer="adam")
        ours = training._adam(params, X, Y, case.learning_rate, threshold)
        for (_, a), b in zip(result.params.items(), ours, strict=True):
            assert relative_error(a, b) < 1e-12


# --- beyond the list: a norm of the last array only, powers of another base ------------------


def test_a_norm_of_the_last_array_only_is_named():
    def assigned(grads, threshold):
        total = 0.0
        for g in grads:
            total = float(np.sum(g * g))  # meant +=
        norm = math.sqrt(total)
        return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]

    def indexed(grads, threshold):
        norm = np.linalg.norm(grads[-1])
        factor = threshold / norm if norm > threshold else 1.0
        return [g * factor for g in grads]

    for fn in (assigned, indexed):
        failed("clip_gradients", fn, "the norm is that of the last array only (dc)",
               "total += np.sum(g**2)")


def test_a_norm_of_one_middle_array_is_named_with_it():
    def clip(grads, threshold):
        norm = np.sqrt(np.sum(grads[2] ** 2))
        return [g * min(1.0, threshold / norm) for g in grads]

    failed("clip_gradients", clip, "the norm is that of array 2 (dV) only")


def test_powers_of_two_or_ten_are_named_as_another_base():
    def base_two(y_hat, temperature):
        p = 2.0 ** ((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return p / p.sum(axis=1, keepdims=True)

    def base_ten(y_hat, temperature):
        p = np.power(10.0, (y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
        return p / p.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", base_two, "with powers of 2", "Use np.exp")
    failed("temperature_probabilities", base_ten, "with powers of 10", "Use np.exp")


def test_a_softmax_at_a_temperature_floor_is_named_as_another_temperature():
    def floored(y_hat, temperature):
        return softmax_rows(y_hat / max(temperature, 0.1))  # "T < 0.1 is unstable"

    failed("temperature_probabilities", floored, "close scores", "T' = 0.1, where T = 0.05 is given",
           absent=("powers of", "one-hot"))
