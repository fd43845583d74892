"""The LSTM of rnnlib.lstm: the equations as the docstring writes them, every gradient against
central differences in float64 (with and without truncation, whose definition holds h_{T-k} and
c_{T-k}), training through rnnlib.train (the one loop for every cell), and bad inputs."""

import numpy as np
import pytest

import rnnlib
from rnnlib import Clipping, train
from rnnlib.gradcheck import numerical_gradient, relative_error
from rnnlib.lstm import (
    LSTM,
    LSTMParams,
    init_lstm,
    lstm_backward,
    lstm_forward,
    lstm_loss_and_gradients,
)
from rnnlib.memory import adding_problem
from rnnlib.rounding import ENV
from rnnlib.training import TrainingDiverged

TOLERANCE = 1e-7


def make_problem(D, H, O, N=4, T=6, seed=0):
    """A small LSTM with non-zero biases and weights big enough to leave the gates' linear range."""
    rng = np.random.default_rng(seed)
    params = init_lstm(D, H, O, rng)
    params.U *= 3.0
    params.W *= 3.0
    params.b = rng.normal(0.0, 0.5, 4 * H)
    params.c = rng.normal(0.0, 0.3, O)
    X = rng.normal(size=(N, T, D))
    Y = rng.normal(size=(N, O))
    return params, X, Y


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def reference(params, X, h0=None, c0=None):
    """The docstring's equations, one record at a time: states and cells, each (N, T + 1, H)."""
    N, T, _ = X.shape
    H = params.W.shape[1]
    U_i, U_f, U_g, U_o = (params.U[j * H : (j + 1) * H] for j in range(4))
    W_i, W_f, W_g, W_o = (params.W[j * H : (j + 1) * H] for j in range(4))
    b_i, b_f, b_g, b_o = (params.b[j * H : (j + 1) * H] for j in range(4))
    hs, cs = np.zeros((N, T + 1, H)), np.zeros((N, T + 1, H))
    for n in range(N):
        h = np.zeros(H) if h0 is None else h0[n]
        c = np.zeros(H) if c0 is None else c0[n]
        hs[n, 0], cs[n, 0] = h, c
        for t in range(T):
            x = X[n, t]
            i = sigma(U_i @ x + W_i @ h + b_i)
            f = sigma(U_f @ x + W_f @ h + b_f)
            g = np.tanh(U_g @ x + W_g @ h + b_g)
            o = sigma(U_o @ x + W_o @ h + b_o)
            c = f * c + i * g
            h = o * np.tanh(c)
            hs[n, t + 1], cs[n, t + 1] = h, c
    return hs, cs


def loss_from(params, X, Y, h0=None, c0=None):
    h_T = reference(params, X, h0, c0)[0][:, -1]
    diff = h_T @ params.V.T + params.c - Y
    return float(np.sum(diff**2) / (2 * X.shape[0]))


def test_forward_follows_the_docstring_equations():
    params, X, _ = make_problem(3, 4, 2, N=3, T=5)
    rng = np.random.default_rng(1)
    h0, c0 = rng.normal(0.0, 0.5, (3, 4)), rng.normal(0.0, 0.5, (3, 4))
    Y_hat, cache = lstm_forward(params, X, h0=h0, c0=c0)
    states, cells = reference(params, X, h0, c0)
    assert np.max(np.abs(cache.states.transpose(1, 0, 2) - states)) < 1e-14
    assert np.max(np.abs(cache.cells.transpose(1, 0, 2) - cells)) < 1e-14
    assert np.max(np.abs(Y_hat - (states[:, -1] @ params.V.T + params.c))) < 1e-14
    assert cache.gate_values.shape == (5, 3, 16)


def held_pair(params, X, k):
    """(h_{T-k}, c_{T-k}) at their unperturbed values, or (None, None) for full BPTT."""
    T = X.shape[1]
    if k >= T:
        return None, None
    states, cells = reference(params, X[:, : T - k])
    return states[:, -1], cells[:, -1]


@pytest.mark.parametrize("D, H, O", [(1, 3, 1), (2, 4, 2)])
@pytest.mark.parametrize("truncation", [None, 1, 2, 5, 6, 50])
def test_every_gradient_matches_central_differences(D, H, O, truncation):
    """The truncated loss holds both h_{T-k} and c_{T-k} constant (the module docstring)."""
    params, X, Y = make_problem(D, H, O)
    T = X.shape[1]
    k = T if truncation is None else min(truncation, T)
    loss, grads = lstm_loss_and_gradients(params, X, Y, truncation)
    assert abs(loss - loss_from(params, X, Y)) < 1e-14
    h, c = held_pair(params, X, k)
    work = params.copy()
    for name, g in grads.items():
        numerical = numerical_gradient(lambda: loss_from(work, X[:, T - k :], Y, h, c),
                                       getattr(work, name))
        assert relative_error(g, numerical) < TOLERANCE, name


def test_truncation_holds_the_memory_cell_too():
    """Holding h_{T-k} alone is a different loss: its gradient differs from what k gives."""
    params, X, Y = make_problem(2, 3, 1)
    T, k = X.shape[1], 2
    _, grads = lstm_loss_and_gradients(params, X, Y, k)
    h, _ = held_pair(params, X, k)
    _, cells = reference(params, X)
    work = params.copy()

    def h_held_only():  # c_{T-k} still a function of the weights
        c = reference(work, X[:, : T - k])[1][:, -1]
        return loss_from(work, X[:, T - k :], Y, h, c)

    assert relative_error(grads.W, numerical_gradient(h_held_only, work.W)) > 1e-3
    assert np.any(cells[:, T - k] != 0.0)


def test_state_gradients_match_central_differences():
    """g_t = dL/dh_t with c_t held: h_t perturbed, the steps after it rerun from (h_t, c_t)."""
    params, X, Y = make_problem(2, 3, 1, T=5)
    Y_hat, cache = lstm_forward(params, X)
    _, state_grads = lstm_backward((Y_hat - Y) / X.shape[0], params, cache)
    for t in range(X.shape[1] + 1):
        h_t, c_t = cache.states[t].copy(), cache.cells[t].copy()
        numerical = numerical_gradient(lambda h=h_t, c=c_t, t=t: loss_from(params, X[:, t:], Y, h, c),
                                       h_t)
        assert relative_error(state_grads[t], numerical) < TOLERANCE, t


def test_an_error_at_every_state_is_added_on_the_way_back():
    """The cell interface: dh may reach every h_t (as a loss at every step will); with
    L = sum_t <R_t, h_t> the cell's backward gives dL/dW etc. against central differences."""
    from rnnlib.model import time_major

    params, X, _ = make_problem(2, 3, 1, T=5)
    R = np.random.default_rng(4).normal(size=(6, 4, 3))
    states, cache = LSTM.forward(params, time_major(X))
    grads, _ = LSTM.backward(params, cache, R, 5)
    work = params.copy()

    def loss():
        return float(np.sum(R * reference(work, X)[0].transpose(1, 0, 2)))

    for name in "UWb":
        assert relative_error(getattr(grads, name),
                              numerical_gradient(loss, getattr(work, name))) < TOLERANCE, name


def test_truncation_zeroes_the_state_gradients_it_does_not_reach():
    params, X, Y = make_problem(2, 3, 1, T=6)
    Y_hat, cache = lstm_forward(params, X)
    _, full = lstm_backward((Y_hat - Y) / 4, params, cache)
    _, cut = lstm_backward((Y_hat - Y) / 4, params, cache, truncation=2)
    assert np.all(cut[:4] == 0.0)
    assert np.all(cut[4:] == full[4:])
    assert np.all(full[:4] != 0.0)


def test_forget_gate_one_and_input_gate_zero_keep_the_memory():
    """b_f huge, b_i very negative: f_t = 1 and i_t = 0 in float64, so c_t = c_0 at every step
    and h_t = o_t tanh(c_0)."""
    params, X, _ = make_problem(1, 3, 1, T=8)
    params.b[:3], params.b[3:6] = -50.0, 50.0
    c0 = np.random.default_rng(3).normal(size=(4, 3))
    _, cache = lstm_forward(params, X, c0=c0)
    assert np.all(cache.cells == c0)
    o = cache.gate_values[:, :, 9:]
    np.testing.assert_allclose(cache.states[1:], o * np.tanh(c0), rtol=1e-14, atol=1e-16)


def test_init_draws_the_documented_ranges_and_the_forget_bias(monkeypatch):
    monkeypatch.setenv(ENV, "1")  # the weights move; the constant biases do not
    params = init_lstm(2, 5, 3, np.random.default_rng(0), forget_bias=1.0)
    assert isinstance(params, LSTMParams)
    assert [(n, a.shape) for n, a in params.items()] == [
        ("U", (20, 2)), ("W", (20, 5)), ("b", (20,)), ("V", (3, 5)), ("c", (3,))]
    assert np.all(params.b[5:10] == 1.0)
    assert not np.any(params.b[:5]) and not np.any(params.b[10:]) and not np.any(params.c)
    for name in "UWV":
        a = getattr(params, name)
        assert np.max(np.abs(a)) <= 1 / np.sqrt(5) and np.min(np.abs(a)) > 0, name
    assert not np.any(init_lstm(2, 5, 3, np.random.default_rng(0)).b)
    assert LSTM.shapes(2, 5, 3) == {name: a.shape for name, a in params.items()}


# --- training through rnnlib.train ------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_lstm_learns_the_adding_problem_at_small_d(seed):
    """d = 10, 300 training records; solved means a test MSE below a tenth of the baseline's
    (always predicting the training targets' mean), on fresh records."""
    X, Y = adding_problem(300, 10, np.random.default_rng(100 + seed))
    X_test, Y_test = adding_problem(300, 10, np.random.default_rng(200 + seed))
    params = init_lstm(2, 8, 1, np.random.default_rng(seed), forget_bias=1.0)
    result = train(params, X, Y, learning_rate=0.02, epochs=300, optimizer="adam",
                   clipping=Clipping("norm", 1.0))
    test_mse = np.mean((rnnlib.lstm.lstm_predict(result.params, X_test) - Y_test) ** 2)
    baseline = np.mean((Y.mean() - Y_test) ** 2)
    assert test_mse < 0.1 * baseline, (test_mse, baseline)


def test_training_does_not_modify_its_input_and_returns_lstm_params():
    params, X, Y = make_problem(2, 4, 1, N=16, T=5)
    before = params.copy()
    result = train(params, X, Y, learning_rate=0.01, epochs=3, batch_size=8,
                   rng=np.random.default_rng(0), optimizer="adam")
    assert isinstance(result.params, LSTMParams) and result.history.epochs == 3
    assert all(np.array_equal(a, b)
               for (_, a), (_, b) in zip(params.items(), before.items(), strict=True))


@pytest.mark.parametrize("optimizer, lr, epochs", [
    ("sgd", 1e3, 1), ("sgd", 1e3, 10), ("adam", 10.0, 3), ("adam", 10.0, 10)])
def test_divergence_is_reported_for_every_optimizer_and_in_the_last_epoch(optimizer, lr, epochs):
    X, Y = adding_problem(200, 8, np.random.default_rng(0))
    params = init_lstm(2, 8, 1, np.random.default_rng(0))
    with pytest.raises(TrainingDiverged, match=r"Training diverged at epoch \d+: .*learning_rate"):
        train(params, X, Y, learning_rate=lr, epochs=epochs, optimizer=optimizer)
    result = train(params, X, Y, learning_rate=lr, epochs=epochs, optimizer=optimizer,
                   on_divergence="stop")
    assert result.history.diverged_epoch is not None


def test_targets_far_too_large_diverge():
    params, X, Y = make_problem(2, 4, 1, N=16, T=5)
    with pytest.raises(TrainingDiverged, match="learning_rate"):
        train(params, X, Y * 1e200, learning_rate=1.0, epochs=5)


@pytest.mark.parametrize("H", [3, 60])  # 60: big enough for the two-thread split (N // 2 * H)
def test_one_full_batch_epoch_is_one_sgd_step(H):
    rng = np.random.default_rng(5)
    params = init_lstm(2, H, 1, rng, forget_bias=1.0)
    X, Y = rng.normal(size=(90, 4, 2)), rng.normal(size=(90, 1))
    loss, grads = lstm_loss_and_gradients(params, X, Y)
    result = train(params, X, Y, learning_rate=0.1, epochs=1)
    for (name, before), (_, after), (_, g) in zip(
        params.items(), result.params.items(), grads.items(), strict=True
    ):
        np.testing.assert_allclose(after, before - 0.1 * g, rtol=1e-12, atol=1e-15, err_msg=name)
    assert result.history.initial_train_loss == pytest.approx(loss, rel=1e-12)
    assert result.history.train_loss == [
        pytest.approx(lstm_loss_and_gradients(result.params, X, Y)[0], rel=1e-12)]


def test_clipping_caps_the_lstm_step():
    params, X, Y = make_problem(2, 3, 1, N=12, T=5)
    _, grads = lstm_loss_and_gradients(params, X, Y)
    tiny = grads.norm() / 10
    result = train(params, X, Y, learning_rate=1.0, epochs=1, clipping=Clipping("norm", tiny))
    step = np.sqrt(sum(np.sum((a - b) ** 2) for (_, a), (_, b)
                       in zip(params.items(), result.params.items(), strict=True)))
    assert step == pytest.approx(tiny, rel=1e-9)
    assert result.history.grad_norm == [pytest.approx(grads.norm(), rel=1e-12)]


@pytest.mark.parametrize("truncation", [None, 2])
def test_cross_entropy_through_the_shared_network_matches_central_differences(truncation):
    """Every loss serves every cell: the LSTM's softmax cross-entropy gradients as rnnlib.train
    computes them (rnnlib.cells.network_gradients) against central differences."""
    from rnnlib.cells import network_gradients
    from rnnlib.losses import get_loss
    from rnnlib.model import time_major

    params, X, _ = make_problem(2, 3, 3, N=5, T=4)
    Y = np.eye(3)[np.random.default_rng(2).integers(0, 3, 5)]
    T = X.shape[1]
    k = T if truncation is None else truncation
    loss, grads, _ = network_gradients(LSTM, params, time_major(X), Y, get_loss("cross_entropy"), k)
    h, c = held_pair(params, X, k)
    work = params.copy()

    def cross_entropy():
        Z = reference(work, X[:, T - k :], h, c)[0][:, -1] @ work.V.T + work.c
        Z = Z - Z.max(axis=1, keepdims=True)
        return float(-np.sum(Y * (Z - np.log(np.exp(Z).sum(axis=1, keepdims=True)))) / 5)

    assert loss == pytest.approx(cross_entropy(), rel=1e-12)
    for name, g in grads.items():
        assert relative_error(g, numerical_gradient(cross_entropy, getattr(work, name))) \
            < TOLERANCE, name


# --- bad inputs --------------------------------------------------------------------------------


def test_bad_inputs_name_the_argument_and_the_shapes():
    params, X, Y = make_problem(2, 4, 1)
    with pytest.raises(ValueError, match=r"X must have shape \(N, T, D\) with D == 2.*\(4, 6, 3\)"):
        lstm_forward(params, np.zeros((4, 6, 3)))
    with pytest.raises(ValueError, match=r"Y must have shape \(N, O\) = \(4, 1\).*\(4, 2\)"):
        lstm_loss_and_gradients(params, X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(4, 4\), got \(4, 3\)"):
        lstm_forward(params, X, h0=np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"c0 must have shape \(N, H\) = \(4, 4\), got \(4, 3\)"):
        lstm_forward(params, X, c0=np.zeros((4, 3)))
    with pytest.raises(TypeError, match="c0 must be an array of numbers, got the string 'zeros'"):
        lstm_forward(params, X, c0="zeros")
    with pytest.raises(ValueError, match="truncation must be an integer >= 1, got 0"):
        lstm_loss_and_gradients(params, X, Y, truncation=0)
    bad = params.copy()
    bad.W = bad.W[:12]
    with pytest.raises(ValueError, match=r"W must have shape \(4H, H\) = \(16, 4\).*\(12, 4\)"):
        lstm_forward(bad, X)
    bad = params.copy()
    bad.b = bad.b[:12]
    with pytest.raises(ValueError, match=r"b must have shape \(4H,\) = \(16,\).*got \(12,\)"):
        lstm_forward(bad, X)
    bad = params.copy()
    bad.U[0, 0] = np.inf
    with pytest.raises(ValueError, match="U must be finite"):
        lstm_forward(bad, X)
    with pytest.raises(TypeError, match=r"params must be rnnlib.lstm.LSTMParams \(e.g. from "
                                        r"rnnlib.init_lstm\), got dict"):
        lstm_forward(dict(params.items()), X)
    Y_hat, cache = lstm_forward(params, X)
    with pytest.raises(ValueError, match=r"dY_hat must have shape \(N, O\) = \(4, 1\)"):
        lstm_backward(np.zeros((3, 1)), params, cache)
    with pytest.raises(ValueError, match=r"cache \(H = 4, D = 2\) does not match params \(H = 5"):
        lstm_backward(Y_hat, init_lstm(2, 5, 1, np.random.default_rng(0)), cache)
    with pytest.raises(TypeError, match="cache must be the LSTMCache from lstm_forward, got tuple"):
        lstm_backward(Y_hat, params, (cache,))
    with pytest.raises(ValueError, match="activation applies to the plain cell only"):
        train(params, X, Y, learning_rate=0.1, epochs=1, activation="sigmoid")
    with pytest.raises(ValueError, match="static was given but the model has no static"):
        train(params, X, Y, learning_rate=0.1, epochs=1, static=np.zeros((4, 2)))


@pytest.mark.parametrize("forget_bias, error, message", [
    ("1.0", TypeError, "forget_bias must be an array of numbers, got the string '1.0'"),
    (True, TypeError, "forget_bias must be a real number, got True"),
    (np.nan, ValueError, "forget_bias must be finite"),
    ([1.0, 2.0], ValueError, r"forget_bias must be one number, got an array of shape \(2,\)"),
])
def test_a_bad_forget_bias_is_refused(forget_bias, error, message):
    with pytest.raises(error, match=message):
        init_lstm(2, 3, 1, np.random.default_rng(0), forget_bias=forget_bias)


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="hidden_size must be an integer >= 1, got 0"):
        init_lstm(1, 0, 1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        init_lstm(1, 2, 1, 0)


def test_a_loss_at_every_step_matches_central_differences_for_the_lstm():
    """The per-step read-out of rnnlib.cells through the LSTM's backward pass (full BPTT)."""
    from rnnlib.sequence import sequence_loss_and_gradients

    params = rnnlib.init_lstm(3, 4, 3, np.random.default_rng(3), forget_bias=1.0)
    X = rnnlib.one_hot(np.random.default_rng(4).integers(0, 3, 10), 3).reshape(2, 5, 3)
    Y = np.roll(X, -1, axis=1)
    _, grads, _ = sequence_loss_and_gradients(params, X, Y)
    for name, array in params.items():
        numeric = numerical_gradient(lambda: sequence_loss_and_gradients(params, X, Y)[0], array)
        assert relative_error(getattr(grads, name), numeric) < 1e-7, name


def test_a_state_pair_with_none_in_it_is_refused_not_read_as_zeros():
    from rnnlib.lstm import check_state

    h = np.zeros((3, 4))
    for state, part in (((h, None), r"h0\[1\] \(c\)"), ((None, h), r"h0\[0\] \(h\)")):
        with pytest.raises(TypeError, match=part + r" must be an \(N, H\) = \(3, 4\) array, got None"):
            check_state(state, 3, 4)
    assert check_state(None, 3, 4) is None
