"""The GRU of rnnlib.gated: every gradient against central differences in float64, the
truncation definition, the equations as written in the docstring, training through
rnnlib.train (the one loop for every cell), and bad inputs."""

import numpy as np
import pytest

from rnnlib import Clipping, train
from rnnlib.gated import (
    GRU,
    GRUParams,
    gru_backward,
    gru_forward,
    gru_loss_and_gradients,
    init_gru,
)
from rnnlib.gradcheck import numerical_gradient, relative_error
from rnnlib.training import TrainingDiverged

TOLERANCE = 1e-7


def make_problem(D, H, O, N=4, T=6, seed=0):
    """A small GRU with non-zero biases and weights big enough to leave the gates' linear range."""
    rng = np.random.default_rng(seed)
    params = init_gru(D, H, O, rng)
    params.U *= 3.0
    params.W *= 3.0
    params.b = rng.normal(0.0, 0.5, 3 * H)
    params.b_n = rng.normal(0.0, 0.5, H)
    params.c = rng.normal(0.0, 0.3, O)
    X = rng.normal(size=(N, T, D))
    Y = rng.normal(size=(N, O))
    return params, X, Y


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


def reference_states(params, X, h0=None):
    """The docstring's equations, one record at a time, in plain numpy: (N, T + 1, H)."""
    N, T, _ = X.shape
    H = params.b_n.shape[0]
    U_r, U_z, U_n = params.U[:H], params.U[H : 2 * H], params.U[2 * H :]
    W_r, W_z, W_n = params.W[:H], params.W[H : 2 * H], params.W[2 * H :]
    b_r, b_z, b_xn = params.b[:H], params.b[H : 2 * H], params.b[2 * H :]
    out = np.zeros((N, T + 1, H))
    for i in range(N):
        h = np.zeros(H) if h0 is None else h0[i]
        out[i, 0] = h
        for t in range(T):
            x = X[i, t]
            r = sigma(U_r @ x + W_r @ h + b_r)
            z = sigma(U_z @ x + W_z @ h + b_z)
            n = np.tanh(U_n @ x + b_xn + r * (W_n @ h + params.b_n))
            h = (1 - z) * n + z * h
            out[i, t + 1] = h
    return out


def loss_from(params, X, Y, h0=None):
    h_T = reference_states(params, X, h0)[:, -1]
    diff = h_T @ params.V.T + params.c - Y
    return float(np.sum(diff**2) / (2 * X.shape[0]))


def test_forward_follows_the_docstring_equations():
    params, X, _ = make_problem(3, 4, 2, N=3, T=5)
    h0 = np.random.default_rng(1).normal(0.0, 0.5, (3, 4))
    Y_hat, cache = gru_forward(params, X, h0=h0)
    expected = reference_states(params, X, h0)
    assert np.max(np.abs(cache.states.transpose(1, 0, 2) - expected)) < 1e-14
    assert np.max(np.abs(Y_hat - (expected[:, -1] @ params.V.T + params.c))) < 1e-14


def truncated_numerical_gradients(params, X, Y, truncation):
    """Central differences of the loss with h_{T-k} held at its unperturbed value."""
    T = X.shape[1]
    k = T if truncation is None else min(truncation, T)
    held = reference_states(params, X[:, : T - k])[:, -1] if k < T else None
    work = params.copy()

    def loss():
        return loss_from(work, X[:, T - k :], Y, held)

    return {name: numerical_gradient(loss, array) for name, array in work.items()}


@pytest.mark.parametrize("D, H, O", [(1, 3, 1), (2, 4, 2)])
@pytest.mark.parametrize("truncation", [None, 1, 2, 5, 6, 50])
def test_every_gradient_matches_central_differences(D, H, O, truncation):
    params, X, Y = make_problem(D, H, O)
    loss, grads = gru_loss_and_gradients(params, X, Y, truncation)
    assert abs(loss - loss_from(params, X, Y)) < 1e-14
    numerical = truncated_numerical_gradients(params, X, Y, truncation)
    errors = {name: relative_error(g, numerical[name]) for name, g in grads.items()}
    assert max(errors.values()) < TOLERANCE, errors


def test_state_gradients_match_central_differences():
    """g_t = dL/dh_t, with h_t perturbed and the steps after it rerun."""
    params, X, Y = make_problem(2, 3, 1, T=5)
    Y_hat, cache = gru_forward(params, X)
    dY_hat = (Y_hat - Y) / X.shape[0]
    _, state_grads = gru_backward(dY_hat, params, cache)
    for t in range(X.shape[1] + 1):
        h_t = cache.states[t].copy()
        numerical = numerical_gradient(lambda h=h_t, t=t: loss_from(params, X[:, t:], Y, h), h_t)
        assert relative_error(state_grads[t], numerical) < TOLERANCE, t


def test_truncation_zeroes_the_state_gradients_it_does_not_reach():
    params, X, Y = make_problem(2, 3, 1, T=6)
    Y_hat, cache = gru_forward(params, X)
    _, full = gru_backward((Y_hat - Y) / 4, params, cache)
    _, cut = gru_backward((Y_hat - Y) / 4, params, cache, truncation=2)
    assert np.all(cut[:4] == 0.0)
    assert np.all(cut[4:] == full[4:])


def test_update_gate_near_one_copies_the_state_and_the_error():
    """With z_t = 1 exactly (b_z huge) h_t = h_{t-1} and dL/dh_{t-1} = dL/dh_t."""
    params, X, Y = make_problem(1, 3, 1, T=8)
    params.b[3:6] = 50.0
    Y_hat, cache = gru_forward(params, X)
    _, state_grads = gru_backward((Y_hat - Y) / 4, params, cache)
    assert np.all(cache.states == 0.0)
    assert np.max(np.abs(state_grads - state_grads[-1])) < 1e-15


def test_training_lowers_the_loss_and_does_not_modify_its_input():
    params, X, Y = make_problem(2, 4, 1, N=32, T=5)
    Y = np.tanh(X[:, 0, :1] * X[:, -1, 1:])  # needs the first and the last input
    before = params.copy()
    result = train(params, X, Y, learning_rate=0.01, epochs=60, batch_size=8,
                   rng=np.random.default_rng(0), optimizer="adam")
    history = result.history
    assert isinstance(result.params, GRUParams)
    assert history.epochs == 60
    assert history.train_loss[-1] < 0.3 * history.initial_train_loss
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(params.items(), before.items(), strict=True))


@pytest.mark.parametrize("batch_size", [None, 5])
def test_the_history_means_what_it_means_for_the_plain_cell(batch_size):
    """Losses at the parameters each epoch ends with (the same run cut short ends there),
    measured like gru_loss_and_gradients; epoch 0's before any update; clipping recorded."""
    params, X, Y = make_problem(2, 3, 1, N=12, T=5)
    kw = dict(learning_rate=0.05, batch_size=batch_size, clipping=Clipping("norm", 0.1),
              X_val=X[:4], Y_val=Y[:4])
    h = train(params, X, Y, epochs=3, rng=np.random.default_rng(1), **kw).history
    assert h.initial_train_loss == pytest.approx(gru_loss_and_gradients(params, X, Y)[0], rel=1e-12)
    assert h.initial_val_loss == pytest.approx(
        gru_loss_and_gradients(params, X[:4], Y[:4])[0], rel=1e-12)
    for epochs in (1, 2, 3):
        end = train(params, X, Y, epochs=epochs, rng=np.random.default_rng(1), **kw).params
        assert h.train_loss[epochs - 1] == pytest.approx(
            gru_loss_and_gradients(end, X, Y)[0], rel=1e-12)
        assert h.val_loss[epochs - 1] == pytest.approx(
            gru_loss_and_gradients(end, X[:4], Y[:4])[0], rel=1e-12)
    assert len(h.grad_norm) == len(h.clip_fraction) == 3 and h.clip_fraction == [1.0] * 3


def test_training_that_diverges_says_so():
    params, X, Y = make_problem(2, 4, 1, N=16, T=5)
    with pytest.raises(TrainingDiverged, match="learning_rate"):
        train(params, X, Y * 1e200, learning_rate=1.0, epochs=5, optimizer="sgd")


def adding_records(n=200, d=8):
    from rnnlib.memory import adding_problem

    return adding_problem(n, d, np.random.default_rng(0))


@pytest.mark.parametrize("optimizer, lr, epochs", [
    ("sgd", 1e3, 1), ("sgd", 1e3, 10), ("adam", 10.0, 3), ("adam", 10.0, 10)])
def test_divergence_is_reported_for_every_optimizer_and_in_the_last_epoch(optimizer, lr, epochs):
    """Issue 20: SGD at 1e3 returned a loss of 1e128 and Adam's loss rose 0.26 -> 1.4e4,
    both silently; the rule of rnnlib.train now holds for the GRU too, also when the last
    update is the one that explodes (SGD with epochs=1; Adam's loss passes 1e3 times its first
    value in epoch 3)."""
    X, Y = adding_records()
    params = init_gru(2, 8, 1, np.random.default_rng(0))
    with pytest.raises(TrainingDiverged, match=r"Training diverged at epoch \d+: .*learning_rate"):
        train(params, X, Y, learning_rate=lr, epochs=epochs, optimizer=optimizer)
    result = train(params, X, Y, learning_rate=lr, epochs=epochs, optimizer=optimizer,
                   on_divergence="stop")
    assert result.history.diverged_epoch is not None


def test_clipping_caps_the_gru_step():
    params, X, Y = make_problem(2, 3, 1, N=12, T=5)
    _, grads = gru_loss_and_gradients(params, X, Y)
    tiny = grads.norm() / 10
    result = train(params, X, Y, learning_rate=1.0, epochs=1, clipping=Clipping("norm", tiny))
    step = np.sqrt(sum(np.sum((a - b) ** 2) for (_, a), (_, b)
                       in zip(params.items(), result.params.items(), strict=True)))
    assert step == pytest.approx(tiny, rel=1e-9)
    assert result.history.grad_norm == [pytest.approx(grads.norm(), rel=1e-12)]


def test_the_cells_shape_table_is_the_params_shapes():
    params = init_gru(2, 5, 3, np.random.default_rng(0))
    assert GRU.shapes(2, 5, 3) == {name: a.shape for name, a in params.items()}


def test_bad_inputs_name_the_argument_and_the_shapes():
    params, X, Y = make_problem(2, 4, 1)
    with pytest.raises(ValueError, match=r"X must have shape \(N, T, D\) with D == 2.*\(4, 6, 3\)"):
        gru_forward(params, np.zeros((4, 6, 3)))
    with pytest.raises(ValueError, match=r"X must have shape.*got shape \(6, 2\)"):
        gru_forward(params, np.zeros((6, 2)))
    with pytest.raises(ValueError, match=r"Y must have shape \(N, O\) = \(4, 1\).*\(4, 2\)"):
        gru_loss_and_gradients(params, X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(4, 4\), got \(4, 3\)"):
        gru_forward(params, X, h0=np.zeros((4, 3)))
    with pytest.raises(ValueError, match="truncation must be an integer >= 1, got 0"):
        gru_loss_and_gradients(params, X, Y, truncation=0)
    bad = params.copy()
    bad.W = bad.W[:4]
    with pytest.raises(ValueError, match=r"W must have shape \(3H, H\) = \(12, 4\).*\(4, 4\)"):
        gru_forward(bad, X)
    bad = params.copy()
    bad.U[0, 0] = np.nan
    with pytest.raises(ValueError, match="U must be finite"):
        gru_forward(bad, X)
    with pytest.raises(TypeError, match=r"params must be rnnlib.gated.GRUParams \(e.g. from rnnlib.init_gru\), got dict"):
        gru_forward(dict(params.items()), X)
    Y_hat, cache = gru_forward(params, X)
    with pytest.raises(ValueError, match=r"dY_hat must have shape \(N, O\) = \(4, 1\)"):
        gru_backward(np.zeros((3, 1)), params, cache)
    other = init_gru(2, 5, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="cache .* does not match params"):
        gru_backward(Y_hat, other, cache)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        train(params, X, Y, learning_rate=0.1, epochs=1, optimizer="rmsprop")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        train(params, X, Y, learning_rate=0.1, epochs=1, batch_size=2)
    with pytest.raises(ValueError, match="activation applies to the plain cell only"):
        train(params, X, Y, learning_rate=0.1, epochs=1, activation="sigmoid")
    with pytest.raises(ValueError, match="static was given but the model has no static"):
        train(params, X, Y, learning_rate=0.1, epochs=1, static=np.zeros((4, 2)))
    with pytest.raises(ValueError, match="hidden_size must be an integer >= 1, got 0"):
        init_gru(1, 0, 1, np.random.default_rng(0))


def test_params_shapes_and_names():
    params = init_gru(2, 5, 3, np.random.default_rng(0))
    assert isinstance(params, GRUParams)
    assert [(n, a.shape) for n, a in params.items()] == [
        ("U", (15, 2)), ("W", (15, 5)), ("b", (15,)), ("b_n", (5,)), ("V", (3, 5)), ("c", (3,))]
    assert np.max(np.abs(params.W)) <= 1 / np.sqrt(5)


# --- notebook 08's measurements (rnnlib.memory); its exercise checker is tested in
# tests/test_exercise_checkers.py ---------------------------------------------------------------


def test_adding_problem_is_as_documented():
    from rnnlib.memory import adding_problem

    X, Y = adding_problem(500, 9, np.random.default_rng(0))
    assert X.shape == (500, 9, 2) and Y.shape == (500, 1)
    markers = X[:, :, 1]
    assert np.all(markers[:, :4].sum(axis=1) == 1) and np.all(markers[:, 4:].sum(axis=1) == 1)
    np.testing.assert_allclose(Y[:, 0], (X[:, :, 0] * markers).sum(axis=1), rtol=1e-15)
    assert np.all((X[:, :, 0] >= 0) & (X[:, :, 0] < 1))
    with pytest.raises(ValueError, match="d must be an integer >= 2, got 1"):
        adding_problem(5, 1, np.random.default_rng(0))


@pytest.mark.parametrize("cell", ["plain", "gru"])
def test_reach_is_the_state_gradient_norm_ratio(cell):
    """dL/dh_t by central differences (rerun the steps after t from a perturbed h_t)."""
    import rnnlib
    from rnnlib.memory import adding_problem, init_cell, reach, state_gradients

    params = init_cell(cell, 3)
    X, Y = adding_problem(3, 6, np.random.default_rng(1))
    g = state_gradients(params, X, Y)
    run = rnnlib.forward if cell == "plain" else gru_forward
    states = run(params, X)[1].states
    for t in (0, 3, 6):
        h = states[t].copy()

        def loss(h=h, t=t):
            return rnnlib.mse_loss(run(params, X[:, t:], h0=h)[0], Y)[0] if t < 6 else \
                rnnlib.mse_loss(h @ params.V.T + params.c, Y)[0]

        assert relative_error(g[t], numerical_gradient(loss, h)) < TOLERANCE
    curve = reach(params, X, Y)
    assert curve[0] == 1.0
    np.testing.assert_allclose(curve[6], np.linalg.norm(g[0]) / np.linalg.norm(g[6]), rtol=1e-12)


def test_reach_widget_says_how_to_make_it_live_before_it_runs():
    pytest.importorskip("ipywidgets")
    from rnnlib.views.reach import reach_widget

    bundle = reach_widget()._repr_mimebundle_()
    assert bundle["text/plain"] == (
        "[distance slider and cell buttons: run this cell (Shift+Enter) to make them live]")
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("H", [3, 60])  # 60: big enough for the two-thread split (N // 2 * H)
def test_one_full_batch_epoch_is_one_sgd_step(H):
    rng = np.random.default_rng(5)
    params = init_gru(2, H, 1, rng)
    X, Y = rng.normal(size=(90, 4, 2)), rng.normal(size=(90, 1))
    loss, grads = gru_loss_and_gradients(params, X, Y)
    result = train(params, X, Y, learning_rate=0.1, epochs=1)
    for (name, before), (_, after), (_, g) in zip(
        params.items(), result.params.items(), grads.items(), strict=True
    ):
        np.testing.assert_allclose(after, before - 0.1 * g, rtol=1e-12, atol=1e-15, err_msg=name)
    assert result.history.initial_train_loss == pytest.approx(loss, rel=1e-12)
    assert result.history.train_loss == [
        pytest.approx(gru_loss_and_gradients(result.params, X, Y)[0], rel=1e-12)]


@pytest.mark.parametrize("truncation", [None, 2])
def test_the_gru_with_cross_entropy_through_the_shared_network_matches_central_differences(
        truncation):
    """Every loss serves every cell: the GRU's gradients of the softmax cross-entropy, as
    rnnlib.train computes them (rnnlib.cells.network_gradients), against central differences
    of the loss written from the docstring's equations."""
    from rnnlib.cells import network_gradients
    from rnnlib.losses import get_loss
    from rnnlib.model import time_major

    params, X, _ = make_problem(2, 3, 3, N=5, T=4)
    Y = np.eye(3)[np.random.default_rng(2).integers(0, 3, 5)]
    T = X.shape[1]
    k = T if truncation is None else truncation
    loss, grads, _ = network_gradients(GRU, params, time_major(X), Y, get_loss("cross_entropy"), k)
    held = reference_states(params, X[:, : T - k])[:, -1] if k < T else None
    work = params.copy()

    def cross_entropy():
        Z = reference_states(work, X[:, T - k :], held)[:, -1] @ work.V.T + work.c
        Z = Z - Z.max(axis=1, keepdims=True)
        return float(-np.sum(Y * (Z - np.log(np.exp(Z).sum(axis=1, keepdims=True)))) / 5)

    assert loss == pytest.approx(cross_entropy(), rel=1e-12)
    for name, g in grads.items():
        numerical = numerical_gradient(cross_entropy, getattr(work, name))
        assert relative_error(g, numerical) < TOLERANCE, name


def test_a_gru_classifier_trains_with_cross_entropy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5, 2))
    Y = np.eye(2)[(X[:, 0, 0] > 0).astype(int)]  # the class is the sign of the first input
    params = init_gru(2, 6, 2, np.random.default_rng(1))
    h = train(params, X, Y, learning_rate=0.05, epochs=40, optimizer="adam",
              loss="cross_entropy").history
    assert h.train_loss[-1] < 0.3 * h.initial_train_loss
