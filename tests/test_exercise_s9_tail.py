"""The forward_step, gru_step_backward and temperature_probabilities checkers found wanting by
the benchmark set s16, each fed wrong answers written here as a learner would write them (not
the benchmark's): the joint matrix's blocks in another order than the joint input's, an (H, N)
result laid out as (N, H) by reshape, a wrong step that no single special input locates, a
bias's gradient summed over the units, and the cumulative sums returned for the
probabilities. Each rule names its slip only where it is there (a look-alike that is not that
slip is not named), and correct answers in other styles still pass."""

import numpy as np
import pytest
from exercise_solutions import failed, passed, sigmoid

pytestmark = pytest.mark.usefixtures("rnnlib_book")


# --- A: forward_step, the joint form with its blocks out of order ---------------------------------

JOINT = "the joint matrix's blocks are in another order than the joint input's"


def test_joint_blocks_in_another_order_are_named():
    def input_first_matrix_state_first(x_t, h_prev, U, W, b):
        z = np.concatenate([x_t, h_prev], axis=1)
        M = np.concatenate([W, U], axis=1)
        return np.tanh(z @ M.T + b)

    def state_first_input_matrix_first(x_t, h_prev, U, W, b):
        z = np.hstack((h_prev, x_t))
        return np.tanh(np.dot(z, np.hstack((U, W)).T) + b)

    def by_einsum(x_t, h_prev, U, W, b):
        z = np.hstack([x_t, h_prev])
        return np.tanh(np.einsum("nk,hk->nh", z, np.hstack([W, U])) + b)

    for fn in (input_first_matrix_state_first, state_first_input_matrix_first, by_einsum):
        failed("forward_step", fn, JOINT, "np.hstack([U, W])")


def test_joint_forms_in_a_matching_order_pass():
    def input_first(x_t, h_prev, U, W, b):
        return np.tanh(np.hstack([x_t, h_prev]) @ np.hstack([U, W]).T + b)

    def state_first(x_t, h_prev, U, W, b):
        return np.tanh(np.concatenate([h_prev, x_t], axis=1) @ np.concatenate([W, U], 1).T + b)

    passed("forward_step", input_first)
    passed("forward_step", state_first)


def test_a_wrong_step_no_single_probe_locates_still_gets_a_located_line():
    def joint_input_centred(x_t, h_prev, U, W, b):
        z = np.hstack([x_t, h_prev])
        z = z - z.mean(axis=1, keepdims=True)  # "normalised" joint input
        return np.tanh(z @ np.hstack([U, W]).T + b)

    def bias_squared(x_t, h_prev, U, W, b):
        return np.tanh(x_t @ U.T + h_prev @ W.T + b * np.abs(b) + 0.5 * x_t.sum())

    text = failed("forward_step", joint_input_centred, "Where it goes wrong:",
                  "right with x_t = 0 and h_prev = 0", "what goes wrong is in the matrix products",
                  absent=(JOINT,))
    assert "another order" not in text
    failed("forward_step", bias_squared, "Where it goes wrong:",
           "wrong already with x_t = 0 and h_prev = 0", absent=("is in the matrix products",))


# --- B: forward_step, reshape where a transpose belongs -----------------------------------------

RESHAPED = ".reshape(N, H) of an (H, N) array is not its transpose; use .T"


def test_an_h_by_n_result_reshaped_is_named():
    def inner_weights_first(x_t, h_prev, U, W, b):
        a = np.inner(U, x_t) + np.inner(W, h_prev)  # (H, N)
        return np.tanh(a + b[:, None]).reshape(x_t.shape[0], -1)

    def columns_as_records(x_t, h_prev, U, W, b):
        a = U @ x_t.T + W @ h_prev.T + b.reshape(-1, 1)  # (H, N), one column per record
        return np.tanh(a).reshape(len(x_t), len(b))

    def reshaped_before_tanh(x_t, h_prev, U, W, b):
        a = (np.dot(U, x_t.T) + np.dot(W, h_prev.T)).reshape(x_t.shape[0], W.shape[0])
        return np.tanh(a + b)

    failed("forward_step", inner_weights_first, RESHAPED)
    failed("forward_step", columns_as_records, RESHAPED)
    # the bias added after the reshape is not the right values reordered: not named
    failed("forward_step", reshaped_before_tanh, absent=(RESHAPED,))


def test_a_transpose_where_a_transpose_belongs_passes():
    def columns_then_transposed(x_t, h_prev, U, W, b):
        return np.tanh(U @ x_t.T + W @ h_prev.T + b[:, None]).T

    def inner_records_first(x_t, h_prev, U, W, b):
        return np.tanh(np.inner(x_t, U) + np.inner(h_prev, W) + b)

    passed("forward_step", columns_then_transposed)
    passed("forward_step", inner_records_first)


# --- H: gru_step_backward, a bias's gradient summed over the units ------------------------------


def gru_backward(dh_t, x_t, h_prev, U, W, b, b_n, *, over=0, db_over=0, mean=False,
                 db_n_of_da_n=False):
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    rec = h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    total = np.mean if mean else np.sum
    return (dh_t * z + d_rec @ W, d_in.T @ x_t, d_rec.T @ h_prev, total(d_in, axis=db_over),
            total(da_n if db_n_of_da_n else dm, axis=over))


OVER_UNITS = ("over axis 1 (the units), one value per record; a bias's gradient sums over "
              "the records")


def test_a_bias_gradient_summed_over_the_units_is_named():
    failed("gru_step_backward", lambda *a: gru_backward(*a, over=1), OVER_UNITS,
           "dm = da_n * r summed", "db_n = dm.sum(axis=0)")
    failed("gru_step_backward", lambda *a: gru_backward(*a, over=-1), OVER_UNITS)
    failed("gru_step_backward", lambda *a: gru_backward(*a, db_over=1), OVER_UNITS,
           "[da_r, da_z, da_n] summed")
    failed("gru_step_backward", lambda *a: gru_backward(*a, over=1, db_over=1, mean=True),
           "averaged over axis 1 (the units)")


def test_a_per_record_bias_of_other_values_is_not_said_summed_over_units():
    # da_n (not dm) summed over the units: the shape is (N,) but the values are not dm's
    failed("gru_step_backward", lambda *a: gru_backward(*a, over=1, db_n_of_da_n=True),
           "db_n has shape", absent=(OVER_UNITS,))


def test_gru_step_backward_in_other_styles_passes():
    passed("gru_step_backward", gru_backward)
    passed("gru_step_backward",
           lambda *a: tuple(np.add.reduce(v, axis=0) if v.ndim == 2 and i >= 3 else v
                            for i, v in enumerate(gru_backward(*a))))


# --- J: temperature_probabilities, the cumulative sums returned ---------------------------------

CDF = "p holds the cumulative sums of the probabilities along each row"


def softmax_rows(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_the_cumulative_sums_are_named():
    def cdf_by_cumsum(y_hat, temperature):
        return np.cumsum(softmax_rows(y_hat, temperature), axis=1)

    def cdf_by_accumulate(y_hat, temperature):
        return np.add.accumulate(softmax_rows(y_hat, temperature), axis=-1)

    def cdf_from_the_last_score(y_hat, temperature):
        p = softmax_rows(y_hat, temperature)
        return np.cumsum(p[:, ::-1], axis=1)[:, ::-1]

    failed("temperature_probabilities", cdf_by_cumsum, CDF, "np.cumsum(p, axis=1)",
           absent=("do not sum to 1",))
    failed("temperature_probabilities", cdf_by_accumulate, CDF)
    failed("temperature_probabilities", cdf_from_the_last_score, CDF, "from the last score")


def test_a_cumulative_sum_of_something_else_is_not_named():
    def cumsum_down_the_streams(y_hat, temperature):
        return np.cumsum(softmax_rows(y_hat, temperature), axis=0)

    def cumsum_of_the_scores(y_hat, temperature):
        e = np.exp(np.cumsum(y_hat / temperature, axis=1))
        return e / e.sum(axis=1, keepdims=True)

    failed("temperature_probabilities", cumsum_down_the_streams, absent=(CDF,))
    failed("temperature_probabilities", cumsum_of_the_scores, absent=(CDF,))


def test_temperature_probabilities_in_other_styles_pass():
    def from_differences_of_a_cdf(y_hat, temperature):
        c = np.cumsum(softmax_rows(y_hat, temperature), axis=1)
        return np.diff(c, axis=1, prepend=0.0)

    def by_log_sum_exp(y_hat, temperature):
        a = y_hat / temperature
        top = a.max(axis=1, keepdims=True)
        return np.exp(a - top - np.log(np.exp(a - top).sum(axis=1, keepdims=True)))

    passed("temperature_probabilities", softmax_rows)
    passed("temperature_probabilities", from_differences_of_a_cdf)
    passed("temperature_probabilities", by_log_sum_exp)
