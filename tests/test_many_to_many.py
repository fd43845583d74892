"""A loss at every step and training in chunks (rnnlib.cells' definition), for every cell.

The references below are written from the docstrings' equations, one step at a time in plain
numpy; the gradients are central differences of those references in float64.
"""

import numpy as np
import pytest
from test_gated import make_problem, reference_states
from test_lstm import make_problem as make_lstm_problem
from test_lstm import reference as lstm_reference

import rnnlib
from rnnlib import init_gru, init_params, train
from rnnlib.gradcheck import numerical_gradient, relative_error
from rnnlib.sequence import next_step_streams, sequence_loss_and_gradients
from rnnlib.training import TrainingDiverged

TOLERANCE = 1e-7
LOSSES = ["cross_entropy", "mse"]


def plain_states(params, X, h0=None):
    """h_t = tanh(U x_t + W h_{t-1} + b), (N, T + 1, H), from h0 (zeros if None)."""
    N, T, _ = X.shape
    h = np.zeros((N, params.W.shape[0])) if h0 is None else h0
    out = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ params.U.T + h @ params.W.T + params.b)
        out.append(h)
    return np.stack(out, axis=1)


def lstm_states(params, X, state0=None):
    """The LSTM's h_0 .. h_T (N, T + 1, H) from its state (h0, c0) (zeros if None)."""
    h0, c0 = (None, None) if state0 is None else state0
    return lstm_reference(params, X, h0, c0)[0]


STATES = {"plain": plain_states, "gru": reference_states, "lstm": lstm_states}
CELLS = list(STATES)


def state_at(cell, params, X, state0, t):
    """The cell's whole state after t steps from state0: h (N, H), or the LSTM's pair (h, c)."""
    if cell == "lstm":
        h0, c0 = (None, None) if state0 is None else state0
        hs, cs = lstm_reference(params, X, h0, c0)
        return hs[:, t], cs[:, t]
    return STATES[cell](params, X, state0)[:, t]


def random_state(cell, N, H, seed):
    """An entering state: h (N, H), or (h, c) for the LSTM."""
    rng = np.random.default_rng(seed)
    h = rng.normal(0.0, 0.5, (N, H))
    return (h, rng.normal(0.0, 1.0, (N, H))) if cell == "lstm" else h


def step_loss(kind, states, params, Y):
    """The mean over records and steps of the loss of y_hat_t = V h_t + c, states (N, T + 1, H)."""
    Z = states[:, 1:] @ params.V.T + params.c  # (N, T, O)
    if kind == "mse":
        return float(np.sum((Z - Y) ** 2) / (2 * Y.shape[0] * Y.shape[1]))
    Z = Z - Z.max(axis=2, keepdims=True)
    log_p = Z - np.log(np.exp(Z).sum(axis=2, keepdims=True))
    return float(-np.sum(Y * log_p) / (Y.shape[0] * Y.shape[1]))


def truncated_loss(cell, kind, params, held_at, X, Y, k, h0=None):
    """The definition of rnnlib.cells, as written: the window cut into chunks of k steps, the
    sum over chunks of (chunk length / T) times the chunk's loss, in which the state entering
    the chunk is held constant (computed once at the parameters ``held_at``)."""
    T = X.shape[1]
    total = 0.0
    for start in range(0, T, k):
        stop = min(start + k, T)
        entering = state_at(cell, held_at, X, h0, start)  # the whole state: the LSTM's (h, c)
        states = STATES[cell](params, X[:, start:stop], entering)
        total += (stop - start) / T * step_loss(kind, states, params, Y[:, start:stop])
    return total


def problem(cell, O=3, N=3, T=5, seed=0):
    if cell == "gru":
        params, X, _ = make_problem(2, 3, O, N=N, T=T, seed=seed)
    elif cell == "lstm":
        params, X, _ = make_lstm_problem(2, 3, O, N=N, T=T, seed=seed)
    else:
        rng = np.random.default_rng(seed)
        params = init_params(2, 3, O, rng)
        params.U *= 3.0
        params.W *= 3.0
        params.b = rng.normal(0.0, 0.5, 3)
        params.c = rng.normal(0.0, 0.3, O)
        X = rng.normal(size=(N, T, 2))
    rng = np.random.default_rng(seed + 1)
    Y = np.eye(O)[rng.integers(0, O, (N, T))]
    return params, X, Y


def targets(kind, Y, seed=3):
    """One-hot rows for cross-entropy, real numbers for half MSE."""
    return Y if kind == "cross_entropy" else np.random.default_rng(seed).normal(size=Y.shape)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("kind", LOSSES)
@pytest.mark.parametrize("truncation", [None, 1, 2, 3, 5])
def test_gradients_of_a_loss_at_every_step_match_central_differences(cell, kind, truncation):
    """The gradient with truncation k is the gradient of the truncated loss as defined; k = 3
    does not divide T = 5 (a shorter last chunk), k = 5 = T is full BPTT."""
    params, X, Y = problem(cell)
    Y = targets(kind, Y)
    k = X.shape[1] if truncation is None else truncation
    loss, grads, h_T = sequence_loss_and_gradients(params, X, Y, truncation=truncation, loss=kind)
    held_at = params.copy()
    work = params.copy()

    def f():
        return truncated_loss(cell, kind, work, held_at, X, Y, k)

    # truncation changes the gradient, never the forward pass
    assert loss == pytest.approx(step_loss(kind, STATES[cell](params, X), params, Y), rel=1e-12)
    expected = state_at(cell, params, X, None, X.shape[1])
    for got, want in zip(h_T if cell == "lstm" else [h_T],
                         expected if cell == "lstm" else [expected], strict=True):
        assert np.allclose(got, want, rtol=0, atol=1e-12)
    for name, g in grads.items():
        numerical = numerical_gradient(f, getattr(work, name))
        assert relative_error(g, numerical) < TOLERANCE, name


@pytest.mark.parametrize("cell", CELLS)
def test_truncation_changes_the_gradient(cell):
    """The definition matters: chunks of 2 steps give another gradient than full BPTT."""
    params, X, Y = problem(cell)
    _, full, _ = sequence_loss_and_gradients(params, X, Y)
    _, cut, _ = sequence_loss_and_gradients(params, X, Y, truncation=2)
    assert relative_error(full.W, cut.W) > 1e-3
    assert relative_error(full.V, cut.V) < 1e-14  # the read-out sees no recurrence


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("truncation", [None, 2])
def test_a_chunk_is_the_gradient_of_its_loss_with_the_entering_state_held(cell, truncation):
    """A chunk of a stream entered with state h0: its gradient is the exact gradient of the
    chunk's loss with h0 a constant (not a function of the weights)."""
    params, X, Y = problem(cell, T=4)
    h0 = random_state(cell, 3, 3, 5)
    k = 4 if truncation is None else truncation
    _, grads, _ = sequence_loss_and_gradients(params, X, Y, truncation=truncation, h0=h0)
    held_at, work = params.copy(), params.copy()
    for name, g in grads.items():
        numerical = numerical_gradient(
            lambda: truncated_loss(cell, "cross_entropy", work, held_at, X, Y, k, h0),
            getattr(work, name))
        assert relative_error(g, numerical) < TOLERANCE, name


@pytest.mark.parametrize("cell", CELLS)
def test_the_state_gradients_follow_the_recursion_down_to_h0(cell):
    """g_{t-1} = W^T delta_t + V^T dL/dy_hat_{t-1} (rnnlib.cells), run down to g_0: the
    gradient with respect to the initial state, against central differences in h0."""
    from rnnlib.bptt import PlainCell
    from rnnlib.cells import segment_gradients
    from rnnlib.gated import GRU
    from rnnlib.losses import get_loss
    from rnnlib.lstm import LSTM
    from rnnlib.model import time_major

    params, X, Y = problem(cell)
    h0 = random_state(cell, 3, 3, 6)
    the_cell = {"gru": GRU, "lstm": LSTM, "plain": PlainCell()}[cell]
    _, _, g, _, _ = segment_gradients(the_cell, params, time_major(X), time_major(Y),
                                      get_loss("cross_entropy"), h0)
    work = (h0[0] if cell == "lstm" else h0).copy()  # the LSTM's g is dL/dh_0, c_0 held

    def f():
        state = (work, h0[1]) if cell == "lstm" else work
        return step_loss("cross_entropy", STATES[cell](params, X, state), params, Y)

    numerical = numerical_gradient(f, work)
    assert relative_error(g[0], numerical) < TOLERANCE


def test_the_plain_cell_entry_point_takes_targets_at_every_step():
    params, X, Y = problem("plain")
    loss, grads = rnnlib.loss_and_gradients(params, X, Y, truncation=2, loss="cross_entropy")
    expected, expected_grads, _ = sequence_loss_and_gradients(params, X, Y, truncation=2)
    assert loss == expected
    for (name, a), (_, b) in zip(grads.items(), expected_grads.items(), strict=True):
        assert np.array_equal(a, b), name


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("truncation", [None, 2])
def test_train_makes_the_update_of_the_defined_gradient(cell, truncation):
    """One full-batch SGD epoch with a loss at every step: params - lr * (central differences of
    the truncated loss)."""
    params, X, Y = problem(cell)
    k = X.shape[1] if truncation is None else truncation
    lr = 0.3
    result = train(params, X, Y, learning_rate=lr, epochs=1, truncation=truncation,
                   loss="cross_entropy")
    held_at, work = params.copy(), params.copy()
    for name, p in result.params.items():
        numerical = numerical_gradient(
            lambda: truncated_loss(cell, "cross_entropy", work, held_at, X, Y, k),
            getattr(work, name))
        assert np.allclose(p, getattr(params, name) - lr * numerical, rtol=0, atol=1e-8), name
    assert result.history.initial_train_loss == pytest.approx(
        step_loss("cross_entropy", STATES[cell](params, X), params, Y), rel=1e-12)


def chunk_gradients(cell, work, X, Y, k, h):
    """Central differences of one chunk's truncated loss, entered with state h (held)."""
    held_at = work.copy()
    return {name: numerical_gradient(
        lambda: truncated_loss(cell, "cross_entropy", work, held_at, X, Y, k, h), array)
        for name, array in work.items()}


@pytest.mark.parametrize("cell", CELLS)
def test_training_in_chunks_carries_the_state_and_holds_it_at_the_boundaries(cell):
    """carry_state=True, as the training module's docstring says: one SGD update per chunk of
    k steps, each by the gradient of the chunk's loss with the entering state held, that state
    being the last state of the previous chunk at the parameters before its update; each epoch
    starts again from h_0 = 0. The reference takes every gradient by central differences."""
    params, X, Y = problem(cell, N=2, T=7)
    k, lr, epochs = 3, 0.5, 2
    result = train(params, X, Y, learning_rate=lr, epochs=epochs, truncation=k,
                   carry_state=True, loss="cross_entropy")
    work = params.copy()
    losses = []
    for _ in range(epochs):
        h = None
        for start in range(0, 7, k):
            Xc, Yc = X[:, start : start + k], Y[:, start : start + k]
            grads = chunk_gradients(cell, work, Xc, Yc, k, h)
            h = state_at(cell, work, Xc, h, Xc.shape[1])  # before this update; LSTM: (h, c)
            for name, p in work.items():
                p -= lr * grads[name]
        losses.append(step_loss("cross_entropy", STATES[cell](work, X), work, Y))
    for (name, a), (_, b) in zip(result.params.items(), work.items(), strict=True):
        assert np.allclose(a, b, rtol=0, atol=1e-8), name
    # History: the loss over the whole streams, from h_0 = 0, at the parameters after each epoch
    assert result.history.train_loss == pytest.approx(losses, rel=1e-7)
    assert result.history.epochs == epochs and len(result.history.grad_norm) == epochs


def test_the_lstm_carries_its_memory_cell_between_chunks():
    """The LSTM's state is (h, c): a chunk entered with the carried h but c reset to zero gives
    another gradient, and sequence_loss_and_gradients returns the pair to pass on."""
    params, X, Y = problem("lstm", T=6)
    _, first, state = sequence_loss_and_gradients(params, X[:, :3], Y[:, :3])
    assert isinstance(state, tuple) and len(state) == 2
    h_3, c_3 = state_at("lstm", params, X, None, 3)
    assert np.allclose(state[0], h_3, rtol=0, atol=1e-12)
    assert np.allclose(state[1], c_3, rtol=0, atol=1e-12)
    loss, carried, _ = sequence_loss_and_gradients(params, X[:, 3:], Y[:, 3:], h0=state)
    _, reset_c, _ = sequence_loss_and_gradients(params, X[:, 3:], Y[:, 3:],
                                                h0=(state[0], np.zeros_like(state[1])))
    assert relative_error(carried.W, reset_c.W) > 1e-3
    # the two chunks, carried, are the whole window cut into chunks of 3
    whole_loss, whole, _ = sequence_loss_and_gradients(params, X, Y, truncation=3)
    assert whole_loss == pytest.approx(0.5 * (sequence_loss_and_gradients(
        params, X[:, :3], Y[:, :3])[0] + loss), rel=1e-12)
    for (name, a), (_, b), (_, c) in zip(whole.items(), first.items(), carried.items(),
                                         strict=True):
        assert np.allclose(a, 0.5 * (b + c), rtol=0, atol=1e-12), name


def test_an_lstm_state_that_is_not_a_pair_is_refused():
    params, X, Y = problem("lstm")
    with pytest.raises(TypeError, match=r"h0 must be the LSTM's state, the pair \(h, c\) of "
                                        r"\(N, H\) = \(3, 3\) arrays .*got an array of shape "
                                        r"\(3, 3\)"):
        sequence_loss_and_gradients(params, X, Y, h0=np.zeros((3, 3)))
    with pytest.raises(TypeError, match=r"h0 must be the LSTM's state, the pair .*got a tuple "
                                        r"of 1"):
        sequence_loss_and_gradients(params, X, Y, h0=(np.zeros((3, 3)),))
    with pytest.raises(ValueError, match=r"h0\[1\] \(c\) must have shape \(N, H\) = \(3, 3\), "
                                         r"got \(3, 2\)"):
        sequence_loss_and_gradients(params, X, Y, h0=(np.zeros((3, 3)), np.zeros((3, 2))))


def test_the_carried_state_is_not_reset_between_chunks():
    """The same run with the state reset at every chunk is a different run: what is carried
    reaches the next chunk's gradient (chunks of 2 steps cut as separate windows)."""
    params, X, Y = problem("plain", N=2, T=6)
    carried = train(params, X, Y, learning_rate=0.5, epochs=1, truncation=2, carry_state=True,
                    loss="cross_entropy").params
    work = params.copy()
    for start in range(0, 6, 2):  # reset: each chunk from h_0 = 0
        _, grads, _ = sequence_loss_and_gradients(work, X[:, start : start + 2],
                                                  Y[:, start : start + 2])
        for (_, p), (_, g) in zip(work.items(), grads.items(), strict=True):
            p -= 0.5 * g
    assert relative_error(carried.W, work.W) > 1e-4


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_a_character_model_learns_a_cycle_in_chunks(cell):
    """A stream repeating 0 1 2 3 4 is learnt by a gated cell trained in chunks: the
    per-character loss falls far below log 5, the uniform guess, and greedy sampling continues
    the cycle."""
    from rnnlib.sequence import sample

    indices = np.tile(np.arange(5), 60)
    X, Y = next_step_streams(indices, 5, streams=4)
    params = (init_gru(5, 8, 5, np.random.default_rng(0)) if cell == "gru"
              else rnnlib.init_lstm(5, 8, 5, np.random.default_rng(0), forget_bias=1.0))
    history = train(params, X, Y, learning_rate=0.05, epochs=15, truncation=8, carry_state=True,
                    loss="cross_entropy", optimizer="adam", X_val=X[:2], Y_val=Y[:2]).history
    assert history.initial_train_loss == pytest.approx(np.log(5), abs=0.1)
    assert history.train_loss[-1] < 0.1
    assert history.val_loss[-1] < 0.1
    trained = train(params, X, Y, learning_rate=0.05, epochs=15, truncation=8, carry_state=True,
                    loss="cross_entropy", optimizer="adam").params
    assert sample(trained, [2], 8, temperature=0).tolist() == [3, 4, 0, 1, 2, 3, 4, 0]


def test_training_in_chunks_that_diverges_says_so_and_stops():
    params, X, Y = problem("plain", N=2, T=12)
    params.W *= 3.0
    result = train(params, X, Y * 50.0, learning_rate=1e3, epochs=50, truncation=3,
                   carry_state=True, loss="mse", on_divergence="stop")
    assert result.history.diverged_epoch is not None
    assert "Training diverged at epoch" in result.history.message
    with pytest.raises(TrainingDiverged):
        train(params, X, Y * 50.0, learning_rate=1e3, epochs=50, truncation=3,
              carry_state=True, loss="mse")


def test_next_step_streams_cuts_the_sequence_into_streams_of_next_targets():
    indices = np.array([0, 1, 2, 0, 1, 2, 2, 1, 0, 1])  # L = 10, 3 streams of T = 3
    X, Y = next_step_streams(indices, 3, streams=3)
    assert X.shape == Y.shape == (3, 3, 3)
    assert X.argmax(axis=2).tolist() == [[0, 1, 2], [0, 1, 2], [2, 1, 0]]
    assert Y.argmax(axis=2).tolist() == [[1, 2, 0], [1, 2, 2], [1, 0, 1]]


# --- bad input: the error names the argument, what was expected and what was given ---------


def test_targets_of_a_wrong_shape_are_refused():
    params, X, Y = problem("plain")
    with pytest.raises(ValueError, match=r"Y must have shape \(N, T, O\) = \(3, 5, 3\) for a loss "
                                         r"at every step.*got \(3, 4, 3\)"):
        train(params, X, Y[:, :4], learning_rate=0.1, epochs=1, loss="cross_entropy")
    with pytest.raises(ValueError, match=r"Y must have shape \(N, O\) with O == 3 .* or "
                                         r"\(N, T, O\) = \(3, 5, 3\) .*got shape \(3,\)"):
        train(params, X, Y[:, 0, 0], learning_rate=0.1, epochs=1)
    with pytest.raises(ValueError, match=r"Y_val must have the rank of Y: \(M, T', O\)"):
        train(params, X, Y, X_val=X, Y_val=Y[:, -1], learning_rate=0.1, epochs=1)
    with pytest.raises(ValueError, match=r"Y must have shape \(N, T, O\) = \(3, 5, 3\) \(a target "
                                         r"at every step\), got \(3, 3\)"):
        sequence_loss_and_gradients(params, X, Y[:, -1])
    with pytest.raises(ValueError, match="Y must hold class weights >= 0"):
        sequence_loss_and_gradients(params, X, -Y)
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) = \(3, 3\), got \(3, 2\)"):
        sequence_loss_and_gradients(params, X, Y, h0=np.zeros((3, 2)))


def test_training_in_chunks_says_what_it_needs():
    params, X, Y = problem("plain")
    with pytest.raises(TypeError, match="carry_state must be True or False, got 'yes'"):
        train(params, X, Y, learning_rate=0.1, epochs=1, truncation=2, carry_state="yes")
    with pytest.raises(ValueError, match=r"carry_state=True trains on a loss at every step: Y "
                                         r"must have shape \(N, T, O\), got \(3, 3\)"):
        train(params, X, Y[:, -1], learning_rate=0.1, epochs=1, truncation=2, carry_state=True)
    with pytest.raises(ValueError, match="carry_state=True needs truncation=k, the chunk length"):
        train(params, X, Y, learning_rate=0.1, epochs=1, carry_state=True)
    with pytest.raises(ValueError, match="batch_size must be None with carry_state=True .*got 2"):
        train(params, X, Y, learning_rate=0.1, epochs=1, truncation=2, carry_state=True,
              batch_size=2, rng=np.random.default_rng(0))
    static_model = init_params(2, 3, 3, np.random.default_rng(0), static_size=2)
    with pytest.raises(ValueError, match="static features cannot be trained with carry_state"):
        train(static_model, X, Y, learning_rate=0.1, epochs=1, truncation=2, carry_state=True,
              static=np.ones((3, 2)))


def test_next_step_streams_refuses_what_it_cannot_cut():
    with pytest.raises(TypeError, match="indices must be integer indices, got the string 'abc'"):
        next_step_streams("abc", 3, 1)
    with pytest.raises(TypeError, match="indices must be integer indices, got an array of dtype "
                                        "float64"):
        next_step_streams([0.0, 1.0, 2.0], 3, 1)
    with pytest.raises(ValueError, match=r"indices must lie in 0 \.\. 2 .* from 0 to 3"):
        next_step_streams([0, 1, 3], 3, 1)
    with pytest.raises(ValueError, match=r"indices must be one-dimensional \(L,\), got shape "
                                         r"\(1, 3\)"):
        next_step_streams([[0, 1, 2]], 3, 1)
    with pytest.raises(ValueError, match="indices must hold at least streams \\+ 1 = 4 values"):
        next_step_streams([0, 1, 2], 3, 3)
    with pytest.raises(ValueError, match="num_classes must be an integer >= 2, got 1"):
        next_step_streams([0, 0, 0], 1, 1)


@pytest.mark.parametrize("truncation", [None, 2])
def test_static_features_with_a_loss_at_every_step(truncation):
    """h_0 = tanh(A s + a): A and a get the gradient of the loss at every step under full BPTT,
    and exactly zero when h_0 enters a chunk held constant (truncation < T)."""
    rng = np.random.default_rng(4)
    params = init_params(2, 3, 3, rng, static_size=2)
    params.a = rng.normal(0.0, 0.5, 3)
    _, X, Y = problem("plain")
    static = rng.normal(size=(3, 2))
    _, grads = rnnlib.loss_and_gradients(params, X, Y, truncation=truncation, static=static,
                                         loss="cross_entropy")
    work = params.copy()

    def f():
        h0 = np.tanh(static @ work.A.T + work.a)
        return step_loss("cross_entropy", plain_states(work, X, h0), work, Y)

    for name in ("A", "a"):
        numerical = numerical_gradient(f, getattr(work, name))
        if truncation is None:
            assert relative_error(getattr(grads, name), numerical) < TOLERANCE, name
        else:
            assert np.array_equal(getattr(grads, name), np.zeros_like(numerical)), name
            assert np.abs(numerical).max() > 1e-3  # what truncation drops is not nothing


def sgd_reference(params, X, Y, lr, truncation, batches):
    """SGD over the given record batches, each by sequence_loss_and_gradients (checked above
    against central differences)."""
    work = params.copy()
    for rows in batches:
        _, grads, _ = sequence_loss_and_gradients(work, X[rows], Y[rows], truncation=truncation)
        for (_, p), (_, g) in zip(work.items(), grads.items(), strict=True):
            p -= lr * g
    return work


def test_minibatches_with_a_loss_at_every_step():
    params, X, Y = problem("gru", N=6)
    result = train(params, X, Y, learning_rate=0.2, epochs=1, truncation=2, batch_size=4,
                   rng=np.random.default_rng(9), loss="cross_entropy")
    order = np.random.default_rng(9).permutation(6)
    expected = sgd_reference(params, X, Y, 0.2, 2, [order[:4], order[4:]])
    for (name, a), (_, b) in zip(result.params.items(), expected.items(), strict=True):
        assert np.allclose(a, b, rtol=0, atol=1e-12), name


def test_a_batch_split_over_two_threads_gives_the_same_update():
    """Above rnnlib.training.PARALLEL_MIN_STATES the batch runs in two halves; the targets at
    every step are split with their records."""
    from rnnlib.training import PARALLEL_MIN_STATES

    N, H = 100, 60
    assert (N // 2) * H >= PARALLEL_MIN_STATES
    rng = np.random.default_rng(0)
    params = init_params(3, H, 3, rng)
    X = rng.normal(size=(N, 4, 3))
    Y = np.eye(3)[rng.integers(0, 3, (N, 4))]
    result = train(params, X, Y, learning_rate=0.5, epochs=1, truncation=3, loss="cross_entropy")
    expected = sgd_reference(params, X, Y, 0.5, 3, [slice(None)])
    for (name, a), (_, b) in zip(result.params.items(), expected.items(), strict=True):
        assert np.allclose(a, b, rtol=0, atol=1e-12), name


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("setting", ["carry_state", "minibatches", "full batch"])
def test_the_training_loss_measured_after_the_last_epoch_only_trains_the_same(cell, setting):
    """train_loss_every_epoch=False skips the per-epoch loss pass and nothing else: the same
    parameters bit for bit, the same gradient norms, NaN where the training loss was not
    measured, the same last value (full batch measures it free: the same history)."""
    params, X, Y = problem(cell, N=4, T=6)
    settings = {"carry_state": {"truncation": 2, "carry_state": True},
                "minibatches": {"batch_size": 2, "rng": "seeded"},
                "full batch": {}}[setting]
    runs = []
    for every in (True, False):
        kwargs = dict(settings)
        if "rng" in kwargs:
            kwargs["rng"] = np.random.default_rng(5)
        runs.append(train(params, X, Y, learning_rate=0.3, epochs=3, loss="cross_entropy",
                          optimizer="adam", train_loss_every_epoch=every, **kwargs))
    every, last = runs
    for (name, a), (_, b) in zip(every.params.items(), last.params.items(), strict=True):
        assert np.array_equal(a, b), name
    assert last.history.grad_norm == every.history.grad_norm
    assert last.history.epochs == 3 and last.history.train_loss[-1] == every.history.train_loss[-1]
    if setting == "full batch":
        assert last.history.train_loss == every.history.train_loss
        assert last.history.initial_train_loss == every.history.initial_train_loss
    else:
        assert np.all(np.isnan(last.history.train_loss[:-1]))
        assert last.history.initial_train_loss is None


@pytest.mark.parametrize("cell", CELLS)
def test_a_last_update_that_explodes_is_reported_when_the_loss_is_measured_once(cell):
    """One chunk per epoch and one epoch: the only check after the one update is the training
    loss measured after the last epoch, which train_loss_every_epoch=False keeps."""
    params, X, Y = problem(cell, N=4, T=6)
    with pytest.raises(TrainingDiverged, match="epoch 1: after the last update"):
        train(params, X, Y, learning_rate=1e300, epochs=1, truncation=6,
              carry_state=True, loss="mse", train_loss_every_epoch=False)


def test_train_loss_every_epoch_must_be_a_bool():
    params, X, Y = problem("plain")
    with pytest.raises(TypeError, match="train_loss_every_epoch must be True or False, got 'no'"):
        train(params, X, Y, learning_rate=0.1, epochs=1, loss="cross_entropy",
              train_loss_every_epoch="no")
