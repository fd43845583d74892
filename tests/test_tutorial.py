"""rnnlib.tutorial: the tutorial reproduced bug for bug, checked against a literal transcription.

Expected values come from the published article, from arithmetic about the algorithm (stated
next to each test), or from ``rnnlib/tutorial/literal.py``, a slow statement-by-statement
transcription of the article's code; never from the fast implementation's own output.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest

import rnnlib
from rnnlib.gradcheck import numerical_gradient, relative_error
from rnnlib.tutorial import (
    TutorialData,
    TutorialWeights,
    train_tutorial,
    train_tutorial_many,
    tutorial_data,
    tutorial_gradients,
    tutorial_init,
    tutorial_loss,
    tutorial_predict,
    tutorial_states,
)
from rnnlib.tutorial import literal as tutorial_literal
from rnnlib.tutorial import one_hot_inputs as tut_one_hot
from rnnlib.tutorial.literal import (
    literal_init,
    literal_loss,
    literal_predict,
    literal_record_gradients,
    literal_train,
)


def rel_diff(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


@pytest.fixture(scope="module")
def data() -> TutorialData:
    return tutorial_data()


@pytest.fixture(scope="module")
def weights0() -> TutorialWeights:
    return tutorial_init(np.random.default_rng(0))


@pytest.fixture(scope="module")
def published_run(data, weights0):
    return train_tutorial(weights0, data)


# --------------------------------------------------------------------------- data and init


def test_data_is_sin_of_the_integers_in_windows_of_50(data):
    wave = np.sin(np.arange(200.0))
    assert data.X.shape == (100, 50, 1) and data.Y.shape == (100, 1)
    assert data.X_val.shape == (50, 50, 1) and data.Y_val.shape == (50, 1)
    for i in (0, 1, 57, 99):
        np.testing.assert_array_equal(data.X[i, :, 0], wave[i : i + 50])
        assert data.Y[i, 0] == wave[i + 50]
    for j in (0, 49):
        np.testing.assert_array_equal(data.X_val[j, :, 0], wave[100 + j : 150 + j])
        assert data.Y_val[j, 0] == wave[150 + j]
    # the validation inputs re-use values that were training targets
    assert np.isin(data.X_val[0, :, 0], data.Y[:, 0]).sum() == 50


def test_init_is_uniform_0_1_with_the_articles_shapes_and_deterministic():
    w = tutorial_init(np.random.default_rng(3))
    assert (w.U.shape, w.W.shape, w.V.shape) == ((100, 50), (100, 100), (1, 100))
    for a in (w.U, w.W, w.V):
        assert a.min() >= 0.0 and a.max() < 1.0
        assert abs(a.mean() - 0.5) < 0.1
    again = tutorial_init(np.random.default_rng(3))
    np.testing.assert_array_equal(w.W, again.W)
    # drawn in the article's order U, W, V from one generator
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(w.U, rng.uniform(0, 1, (100, 50)))
    np.testing.assert_array_equal(w.W, rng.uniform(0, 1, (100, 100)))
    np.testing.assert_array_equal(w.V, rng.uniform(0, 1, (1, 100)))


# --------------------------------------------------------------------------- fast == literal


@pytest.mark.parametrize("clip_value", [None, 10.0])
@pytest.mark.parametrize("record", [0, 63])
def test_record_gradients_equal_the_literal_backward_pass(data, weights0, record, clip_value):
    g = tutorial_gradients(weights0, data.X[record], data.Y[record], clip_value=clip_value)
    dU, dW, dV = literal_record_gradients(
        weights0.U, weights0.W, weights0.V, data.X[record], data.Y[record], clip_value=clip_value
    )
    assert rel_diff(g.U, dU) <= 1e-9
    assert rel_diff(g.W, dW) <= 1e-9
    assert rel_diff(g.V, dV) <= 1e-9


def _mixed_weights(seed: int, hidden_dim: int, seq_len: int) -> TutorialWeights:
    # signed weights, so that the running sums of dU and dW change sign within a record
    rng = np.random.default_rng(seed)
    return TutorialWeights(U=rng.normal(0, 0.1, (hidden_dim, seq_len)),
                           W=rng.normal(0, 0.3, (hidden_dim, hidden_dim)),
                           V=rng.normal(0, 1, (1, hidden_dim)))


@pytest.mark.parametrize(
    ("seq_len", "bptt_truncate", "clip_value"),
    [(50, 5, 0.5), (7, 3, 0.5), (13, 2, 1.0), (1, 5, 0.5), (2, 1, 0.1), (11, 40, 2.0),
     (9, 0, 0.5), (23, 4, None)],
)
def test_record_gradients_equal_the_literal_ones_for_any_shape_and_clip(
    seq_len, bptt_truncate, clip_value
):
    # The fast version groups the time steps into blocks (padding the last one); these shapes
    # cover T a multiple of the block length or not, one step, truncation 0 and longer than T.
    # The tight clips make the clipped running sums hit both bounds and leave them again.
    w = _mixed_weights(seq_len, 6, seq_len)
    x = np.sin(np.arange(seq_len) + 0.5)[:, None]
    y = np.array([0.3])
    g = tutorial_gradients(w, x, y, bptt_truncate=bptt_truncate, clip_value=clip_value)
    dU, dW, dV = literal_record_gradients(w.U, w.W, w.V, x, y, bptt_truncate=bptt_truncate,
                                          clip_value=clip_value)
    for fast, slow in ((g.U, dU), (g.W, dW), (g.V, dV)):
        assert fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-12 * max(1.0, np.abs(slow).max()))
    if (seq_len, clip_value) == (50, 0.5):  # the case is not trivial: both bounds and between
        column = np.concatenate([dU[:, 0], dW[:, 0]])
        assert (column == 0.5).any() and (column == -0.5).any() and (np.abs(column) < 0.5).any()


def test_training_with_signed_weights_equals_the_literal_loop_side_by_side():
    # several runs side by side (the batched code path), T = 9 (blocks padded), a clip that
    # binds often, 7 epochs (the losses are measured in batches of epochs)
    d = tutorial_data(n_points=30, seq_len=9, n_val=6)
    ws = [_mixed_weights(seed, 5, 9) for seed in (1, 2, 3)]
    runs = train_tutorial_many(ws, d, learning_rate=1e-2, n_epochs=7, bptt_truncate=3,
                               clip_value=0.5)
    for w, run in zip(ws, runs, strict=True):
        tl, vl, U, W, V = literal_train(w.U, w.W, w.V, d.X, d.Y, d.X_val, d.Y_val,
                                        learning_rate=1e-2, n_epochs=7, bptt_truncate=3,
                                        clip_value=0.5)
        for fast, slow in ((run.train_loss, tl), (run.val_loss, vl), (run.weights.U, U),
                           (run.weights.W, W), (run.weights.V, V)):
            assert rel_diff(fast, slow) <= 1e-9


def test_training_equals_the_literal_loop_on_a_small_model():
    d = tutorial_data(n_points=40, seq_len=10, n_val=10)
    w = tutorial_init(np.random.default_rng(1), hidden_dim=12, seq_len=10)
    tl, vl, U, W, V = literal_train(w.U, w.W, w.V, d.X, d.Y, d.X_val, d.Y_val, n_epochs=12)
    run = train_tutorial(w, d, n_epochs=12)
    assert rel_diff(run.train_loss, tl) <= 1e-9
    assert rel_diff(run.val_loss, vl) <= 1e-9
    assert rel_diff(run.weights.U, U) <= 1e-9
    assert rel_diff(run.weights.W, W) <= 1e-9
    assert rel_diff(run.weights.V, V) <= 1e-9


def test_training_equals_the_literal_loop_at_full_size_for_one_epoch(data, weights0):
    # the article's model size (H = 100, T = 50); the literal loop takes a second or more per
    # epoch of 100 records at this size, so one epoch of the first 25 training records (and 10
    # validation records) here
    part = TutorialData(data.X[:25], data.Y[:25], data.X_val[:10], data.Y_val[:10])
    tl, vl, U, W, V = literal_train(
        weights0.U, weights0.W, weights0.V, part.X, part.Y, part.X_val, part.Y_val, n_epochs=1
    )
    run = train_tutorial(weights0, part, n_epochs=1)
    assert rel_diff(run.train_loss, tl) <= 1e-9
    assert rel_diff(run.val_loss, vl) <= 1e-9
    for fast, slow in ((run.weights.U, U), (run.weights.W, W), (run.weights.V, V)):
        assert rel_diff(fast, slow) <= 1e-9


def test_loss_and_predictions_equal_the_literal_ones(data, published_run):
    w = published_run.weights
    assert rel_diff(tutorial_loss(w, data.X, data.Y), literal_loss(w.U, w.W, w.V, data.X, data.Y)) <= 1e-9
    window = tutorial_predict(w, data.X_val)
    assert window.shape == (50, 1)
    assert rel_diff(window, literal_predict(w.U, w.W, w.V, data.X_val)[:, :, 0]) <= 1e-9
    one_hot = tutorial_predict(w, data.X_val, inputs="one_hot")
    per_record = [literal_loss(w.U, w.W, w.V, data.X_val[i : i + 1], np.zeros((1, 1)))
                  for i in range(50)]
    # literal_loss of a zero target is y_hat**2 / 2
    assert rel_diff(np.abs(one_hot[:, 0]), np.sqrt(2 * np.array(per_record))) <= 1e-9


def test_many_runs_side_by_side_equal_separate_runs():
    # the article's model size, 20 training windows
    data = tutorial_data(n_points=80, n_val=10)
    ws = [tutorial_init(np.random.default_rng(s)) for s in (4, 5)]
    together = train_tutorial_many(ws, data, n_epochs=2)
    for w, run in zip(ws, together, strict=True):
        alone = train_tutorial(w, data, n_epochs=2)
        assert rel_diff(run.train_loss, alone.train_loss) <= 1e-12
        assert rel_diff(run.weights.W, alone.weights.W) <= 1e-12
    quiet = train_tutorial_many(ws, data, n_epochs=2, track_loss=False)
    assert quiet[0].train_loss.shape == (0,)
    np.testing.assert_array_equal(quiet[1].weights.U, together[1].weights.U)


def test_training_is_deterministic_and_leaves_its_inputs_alone():
    data = tutorial_data(n_points=80, n_val=10)
    w = tutorial_init(np.random.default_rng(7))
    before = [a.copy() for a in (w.U, w.W, w.V)]
    a = train_tutorial(w, data, n_epochs=2)
    b = train_tutorial(w, data, n_epochs=2)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)
    np.testing.assert_array_equal(a.weights.W, b.weights.W)
    for orig, now in zip(before, (w.U, w.W, w.V), strict=True):
        np.testing.assert_array_equal(orig, now)


# --------------------------------------------------------------------------- published shape


def test_loss_curve_has_the_published_shape(published_run):
    train, val = published_run.train_loss, published_run.val_loss
    assert train.shape == val.shape == (25,)
    # article: 101 186 at epoch 1. With h ~ 1 everywhere y_hat ~ sum(V) ~ 50, and the loss is
    # about 100 records * 50**2 / 2 = 125 000, give or take the draw of V.
    assert 5e4 < train[0] < 2e5
    assert 0.45 < val[0] / train[0] < 0.55  # 50 validation records against 100
    # Every record moves each V entry by lr * clip = 1e-3 (dV is clipped at 10), so sum(V)
    # falls by 100 * 100 * 1e-3 = 10 per epoch while the states stay saturated, and the loss
    # 100 * s**2 / 2 has second differences 100 * 10**2 = 10 000: each epoch drops about
    # 10 000 less than the one before (article: 39 980, 29 980, 19 980, 9 980).
    second = np.diff(train[:5], 2)
    np.testing.assert_allclose(second, 1e4, rtol=0.02)
    np.testing.assert_allclose(np.diff(val[:5], 2), 5e3, rtol=0.02)
    # Plateau from epoch 7 on, near the loss of a constant prediction: the 100 targets have
    # sum((y - mean y)**2) / 2 of about 25 (article: about 17 and 8.5)
    assert np.all((train[6:] > 5) & (train[6:] < 40))
    assert np.all((val[6:] > 2.5) & (val[6:] < 20))
    assert np.ptp(train[6:]) < 5


# --------------------------------------------------------------------------- gradient check


def test_gradient_check_of_the_tutorials_backward_pass(data, weights0):
    """Measured against central differences of the tutorial's own per-record loss."""
    U, W, V = (a.copy() for a in (weights0.U, weights0.W, weights0.V))
    w = TutorialWeights(U, W, V)
    x, y = data.X[0], data.Y[0]
    g = tutorial_gradients(w, x, y)

    def loss() -> float:
        return tutorial_loss(w, x[None], y[None])

    num_V = numerical_gradient(loss, V)
    num_U = numerical_gradient(loss, U[:2])  # two rows each: enough, and fast
    num_W = numerical_gradient(loss, W[:2])
    rel_err = relative_error

    # dU and dW never see the error: their relative error is 1 (the numerical gradient is
    # tiny: the sigmoid is saturated, sigmoid'(~25) ~ 1e-11)
    assert rel_err(g.U[:2], num_U) > 0.999
    assert rel_err(g.W[:2], num_W) > 0.999
    # dV sums e h_t over all T = 50 steps where the loss has only e h_T: with saturated states
    # (h_t ~ 1 after the first step) it is about 50 times too large
    ratio = np.linalg.norm(g.V) / np.linalg.norm(num_V)
    assert 45 < ratio < 51
    np.testing.assert_allclose(g.V / ratio, num_V, rtol=0.05)


def test_tutorials_dU_and_dW_ignore_the_target_and_repeat_one_column(data, weights0):
    x = data.X[5]
    up = tutorial_gradients(weights0, x, np.array([1.0]))
    down = tutorial_gradients(weights0, x, np.array([-1.0]))
    np.testing.assert_array_equal(up.U, down.U)
    np.testing.assert_array_equal(up.W, down.W)
    assert not np.array_equal(up.V, down.V)
    assert np.all(up.U == up.U[:, :1]) and np.all(up.W == up.W[:, :1])


def test_without_inner_loop_dU_and_dW_vanish(data, weights0):
    # bptt_truncate = 0: range(t - 1, max(-1, t - 1), -1) is empty, the inner loop never runs
    g = tutorial_gradients(weights0, data.X[2], data.Y[2], bptt_truncate=0)
    assert not g.U.any() and not g.W.any() and g.V.any()


def test_clipping_bounds_every_element(data, weights0):
    g = tutorial_gradients(weights0, data.X[2], data.Y[2], clip_value=10.0)
    raw = tutorial_gradients(weights0, data.X[2], data.Y[2])
    for clipped, unclipped in ((g.U, raw.U), (g.W, raw.W), (g.V, raw.V)):
        assert np.abs(clipped).max() <= 10.0
        assert np.abs(unclipped).max() > 10.0


@pytest.mark.parametrize(("clip_value", "bptt_truncate"), [(0.1, 11), (7.0, 25), (0.7, 35)])
def test_clipped_gradients_never_exceed_the_clip_value(data, weights0, clip_value, bptt_truncate):
    # the fast version clips in units of n_max = min(bptt_truncate, T - 1) and scales back;
    # (c / n) * n can round above c, so the bound must be applied again (review finding)
    g = tutorial_gradients(weights0, data.X[0], data.Y[0], bptt_truncate=bptt_truncate,
                           clip_value=clip_value)
    for grad in (g.U, g.W, g.V):
        assert np.abs(grad).max() <= clip_value


def test_clip_value_of_another_type_is_converted_to_a_float(data, weights0):
    as_float = tutorial_gradients(weights0, data.X[0], data.Y[0], clip_value=float(np.float32(0.1)))
    as_float32 = tutorial_gradients(weights0, data.X[0], data.Y[0], clip_value=np.float32(0.1))
    for a, b in ((as_float.U, as_float32.U), (as_float.W, as_float32.W), (as_float.V, as_float32.V)):
        np.testing.assert_array_equal(a, b)


def test_an_overflowing_first_step_gives_no_nan_as_in_the_literal_version(weights0):
    # n_0 = 0: the tutorial never adds step 0, even when U[:, 0] x_0 overflows to inf
    U = weights0.U.copy()
    U[:, 0] = 1e200
    w = TutorialWeights(U, weights0.W, weights0.V)
    x = np.full((50, 1), 0.5)
    x[0] = 1e200
    with np.errstate(over="ignore"):  # both versions overflow computing U[:, 0] x_0
        g = tutorial_gradients(w, x, np.array([0.0]), clip_value=10.0)
        dU, dW, dV = literal_record_gradients(U, w.W, w.V, x, np.array([0.0]), clip_value=10.0)
    for fast, slow in ((g.U, dU), (g.W, dW), (g.V, dV)):
        assert np.all(np.isfinite(fast))
        assert rel_diff(fast, slow) <= 1e-9


# --------------------------------------------------------------------------- bad input


def raises(match: str, kind=ValueError):
    return pytest.raises(kind, match=re.escape(match))


def test_bad_weights_are_rejected(data, weights0):
    with raises("weights must be a TutorialWeights, got tuple", TypeError):
        train_tutorial((weights0.U, weights0.W, weights0.V), data)
    bad_W = TutorialWeights(weights0.U, weights0.W[:, :99], weights0.V)
    with raises("weights.W must have shape (H, H) = (100, 100) to match U (100, 50), got (100, 99)"):
        train_tutorial(bad_W, data)
    bad_V = TutorialWeights(weights0.U, weights0.W, weights0.V[0])
    with raises("weights.V must have shape (1, H), got shape (100,)"):
        tutorial_predict(bad_V, data.X)
    nan_U = TutorialWeights(np.full((100, 50), np.nan), weights0.W, weights0.V)
    with raises("weights.U must be finite"):
        tutorial_loss(nan_U, data.X, data.Y)


def test_bad_data_is_rejected(data, weights0):
    with raises("X must have shape (N, T, 1), got shape (100, 50)"):
        tutorial_predict(weights0, data.X[:, :, 0])
    with raises("X must have T = 50 steps, the number of columns of U"):
        tutorial_predict(weights0, data.X[:, :40])
    with raises("X must have shape (N, T, 1): the tutorial reads one series, got (100, 50, 2)"):
        tutorial_predict(weights0, np.repeat(data.X, 2, axis=2))
    with raises("Y must have shape (N, 1) = (100, 1) to match X, got (99, 1)"):
        tutorial_loss(weights0, data.X, data.Y[:99])
    short = TutorialData(data.X, data.Y[:50], data.X_val, data.Y_val)
    with raises("data.Y must have shape (N, 1) = (100, 1) to match data.X, got (50, 1)"):
        train_tutorial(weights0, short)
    with raises("data must be a TutorialData, got tuple", TypeError):
        train_tutorial(weights0, (data.X, data.Y, data.X_val, data.Y_val))
    with raises("x must have shape (T, 1) = (50, 1) to match U (100, 50), got (49, 1)"):
        tutorial_gradients(weights0, data.X[0, :49], data.Y[0])
    with raises("y must have shape (1,), the value after the window, got (2,)"):
        tutorial_gradients(weights0, data.X[0], np.zeros(2))


def test_bad_hyper_parameters_are_rejected(data, weights0):
    with raises("learning_rate must be a positive finite number, got 0"):
        train_tutorial(weights0, data, learning_rate=0)
    with raises("n_epochs must be an integer >= 1, got 0"):
        train_tutorial(weights0, data, n_epochs=0)
    with raises("bptt_truncate must be an integer >= 0, got -1"):
        train_tutorial(weights0, data, bptt_truncate=-1)
    with raises("clip_value must be a positive finite number, got -10"):
        train_tutorial(weights0, data, clip_value=-10)
    with raises("inputs must be 'window' or 'one_hot', got 'onehot'"):
        tutorial_predict(weights0, data.X, inputs="onehot")
    with raises("weights must be a non-empty sequence of TutorialWeights"):
        train_tutorial_many([], data)
    with raises("all weights must have the same shapes"):
        train_tutorial_many([weights0, tutorial_init(np.random.default_rng(0), 10, 50)], data)
    with raises("track_loss must be True or False, got 1", TypeError):
        train_tutorial_many([weights0], data, track_loss=1)


def test_bad_init_and_data_arguments_are_rejected():
    with pytest.raises(TypeError, match=re.escape(
            "rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), got int")):
        tutorial_init(0)
    with raises("hidden_dim must be an integer >= 1, got 0"):
        tutorial_init(np.random.default_rng(0), hidden_dim=0)
    with raises("n_points - seq_len - n_val must be >= 1 to leave a training window, got "
                "100 - 50 - 50 = 0"):
        tutorial_data(n_points=100)


def test_one_hot_inputs_make_rnnlib_compute_the_tutorials_forward_pass(data, weights0):
    X1 = tut_one_hot(data.X[:3])
    assert X1.shape == (3, 50, 50)
    assert X1[1, 7, 7] == data.X[1, 7, 0] and X1[1, 7].sum() == data.X[1, 7, 0]
    as_rnnlib = rnnlib.Params(weights0.U, weights0.W, weights0.V, np.zeros(100), np.zeros(1))
    expected = literal_predict_one_hot(weights0, data.X[:3])
    assert rel_diff(rnnlib.predict(as_rnnlib, X1, "sigmoid"), expected) <= 1e-9
    with raises("X must have shape (N, T, 1): the tutorial reads one series, got (3, 50, 2)"):
        tut_one_hot(np.repeat(data.X[:3], 2, axis=2))


def test_tutorial_states_are_the_last_hidden_states_of_training_time(data):
    # signed weights, so that the states are not all saturated: rnnlib's forward pass with
    # one-hot inputs (checked above against the literal code) gives h_T for every record
    w = _mixed_weights(3, 100, 50)
    as_rnnlib = rnnlib.Params(w.U, w.W, w.V, np.zeros(100), np.zeros(1))
    _, cache = rnnlib.forward(as_rnnlib, tut_one_hot(data.X[:7]), "sigmoid")
    states = tutorial_states(w, data.X[:7])
    assert states.shape == (7, 100)
    assert 0.001 < states.min() and states.max() < 0.999  # no unit saturated
    assert rel_diff(states, cache.states[-1]) <= 1e-12
    with raises("X must have T = 50 steps"):
        tutorial_states(w, data.X[:, :40])


def literal_predict_one_hot(w: TutorialWeights, X: np.ndarray) -> np.ndarray:
    """y_hat per record from the literal training-time forward pass: loss of target 0 is y_hat**2/2."""
    out = []
    for i in range(X.shape[0]):
        half_square = literal_loss(w.U, w.W, w.V, X[i : i + 1], np.zeros((1, 1)))
        out.append(np.sqrt(2 * half_square))
    # the sign is that of V h_T, positive for the all-positive initial weights
    return np.array(out)[:, None]


def test_literal_init_draws_what_tutorial_init_draws():
    U, W, V = literal_init(np.random.default_rng(5))
    w = tutorial_init(np.random.default_rng(5))
    for a, b in ((U, w.U), (W, w.W), (V, w.V)):
        np.testing.assert_array_equal(a, b)


def test_notebook_06_shows_the_articles_code_as_tutorial_literal_has_it():
    # every line of the article's code that notebook 06 shows is a line of rnnlib.tutorial_literal
    def code(line: str) -> str:
        return line.split("  #")[0].strip()

    # the article's draws pass through rnnlib.rounding.jittered, a no-op unless the robustness
    # test moves the initial weights: the notebook shows them without it
    module = {re.sub(r"jittered\((.*)\)$", r"\1", code(line))
              for line in inspect.getsource(tutorial_literal).splitlines()}
    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "06_fixing_the_tutorial.ipynb"
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             if c["id"].startswith("chaos-06-code-")]
    assert len(cells) == 7
    for cell in cells:
        block = "".join(cell["source"]).split("```python\n")[1].split("```")[0]
        for line in block.splitlines():
            if code(line) not in ("", "..."):
                assert code(line) in module, (cell["id"], line)


def test_train_tutorial_many_names_an_empty_list():
    data = tutorial_data()
    with pytest.raises(ValueError, match="non-empty sequence of TutorialWeights, got an empty list"):
        train_tutorial_many([], data)
