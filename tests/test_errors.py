"""Bad input to the model's public entry points gets a clear ValueError, never a numpy error."""

import numpy as np
import pytest

from rnnlib import Params, backward, forward, init_params, loss_and_gradients, train


def model(D=1, H=4, O=1):
    return init_params(D, H, O, np.random.default_rng(0))


X = np.zeros((3, 5, 1))
Y = np.zeros((3, 1))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: forward(model(), np.zeros((3, 5))),
         r"X must have shape \(N, T, D\) with D == 1 \(the model's input size\), got shape \(3, 5\)"),
        (lambda: forward(model(), np.zeros((3, 5, 2))),
         r"X must have shape \(N, T, D\) with D == 1 \(the model's input size\), got \(3, 5, 2\)"),
        (lambda: forward(model(), np.zeros((0, 5, 1))), r"X must not be empty, got shape \(0, 5, 1\)"),
        (lambda: forward(model(), np.full((3, 5, 1), np.inf)), "X must be finite, but it holds 15 NaN or infinite"),
        (lambda: forward(model(), X, activation="relu"), "activation must be one of"),
        (lambda: forward(model(), X, h0=np.zeros((3, 5))), r"h0 must have shape \(N, H\) = \(3, 4\)"),
        (lambda: loss_and_gradients(model(), X, np.zeros((3, 2))), r"Y must have shape \(N, O\) = \(3, 1\)"),
        (lambda: loss_and_gradients(model(), X, np.zeros(3)), r"Y must have shape \(N, O\) with O == 1"),
        (lambda: loss_and_gradients(model(), X, Y, truncation=0), "truncation must be an integer >= 1, got 0"),
        (lambda: loss_and_gradients(model(), X, np.full((3, 1), np.nan)), "Y must be finite"),
        (lambda: backward(np.zeros((2, 1)), model(), forward(model(), X)[1]),
         r"dY_hat must have shape \(N, O\) = \(3, 1\)"),
        (lambda: train(model(), X, np.zeros((4, 1)), learning_rate=0.1, epochs=1),
         r"Y must have shape \(N, O\) = \(3, 1\)"),
        (lambda: init_params(1, 0, 1, np.random.default_rng(0)), "hidden_size must be an integer >= 1, got 0"),
        (lambda: init_params(1, 4, 1, np.random.default_rng(0), "xavier"), "scheme must be 'uniform' or 'tutorial'"),
    ],
)
def test_bad_model_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_an_integer_seed_where_a_generator_belongs_is_a_type_error():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator.*got int"):
        init_params(1, 4, 1, 0)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("W", np.zeros((4, 3)), r"W must have shape \(H, H\) = \(4, 4\) to match U \(4, 1\)"),
        ("V", np.zeros((1, 3)), r"V must have shape \(O, H\) = \(1, 4\)"),
        ("b", np.zeros(5), r"b must have shape \(H,\) = \(4,\)"),
        ("c", np.zeros(2), r"c must have shape \(O,\) = \(1,\)"),
        ("U", np.zeros(4), r"U must have shape \(H, D\), got shape \(4,\)"),
        ("W", np.full((4, 4), np.nan), "W must be finite"),
    ],
)
def test_mismatched_parameter_shapes(field, value, message):
    p = model()
    setattr(p, field, value)
    assert isinstance(p, Params)
    with pytest.raises(ValueError, match=message):
        forward(p, X)


# --- every kind of bad input an independent probe met (issue 12), each answered at the entry point

import rnnlib  # noqa: E402
from rnnlib import (  # noqa: E402
    Scaler,
    TrainingDiverged,
    fit_ar,
    fit_scaler,
    forecast,
    make_windows,
    one_hot,
    predict,
    rmse,
)
from rnnlib.gradcheck import gradient_errors, numerical_gradients  # noqa: E402


def sine_problem():
    series = rnnlib.sine_series(120)
    split = rnnlib.split_windows(series, 20, 20)
    scaler = fit_scaler(series[: split.train_end])
    return scaler.transform(split.X_train), scaler.transform(split.Y_train)


def as_dict(p):
    return dict(p.items())


def as_tuple(p):
    return tuple(a for _, a in p.items())


@pytest.mark.parametrize("epochs", [1, 2])
@pytest.mark.parametrize("lr", [1e3, 1e300])
def test_divergence_in_the_last_epoch_is_reported(lr, epochs):
    Xs, Ys = sine_problem()
    with pytest.raises(TrainingDiverged, match=f"epoch {epochs}.*learning_rate"):
        train(model(H=8), Xs, Ys, learning_rate=lr, epochs=epochs)


@pytest.mark.parametrize("lr", [1e2, 1e3, 1e30, 1e300])
@pytest.mark.parametrize("epochs", [1, 3])
def test_training_never_returns_bad_parameters_silently(lr, epochs):
    Xs, Ys = sine_problem()
    result = train(model(H=8), Xs, Ys, learning_rate=lr, epochs=epochs, on_divergence="stop")
    final = rnnlib.mse_loss(predict(result.params, Xs), Ys)[0] if all(
        np.all(np.isfinite(a)) for _, a in result.params.items()) else np.inf
    if not np.isfinite(final) or final > 1e3 * result.history.train_loss[0]:
        assert result.history.diverged_epoch is not None
        assert "diverged" in result.history.message


def test_an_exploding_validation_loss_is_detected():
    """Training moves the output towards +1, the validation targets are -1: the training loss
    falls while the validation loss grows past divergence_factor times its first value."""
    X = np.zeros((4, 3, 1))
    with pytest.raises(TrainingDiverged, match="validation loss grew to .* over 1.5 times"):
        train(model(), X, np.ones((4, 1)), X_val=X, Y_val=-np.ones((4, 1)), learning_rate=0.2,
              epochs=50, divergence_factor=1.5)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rmse_rejects_non_finite_values(bad):
    with pytest.raises(ValueError, match="y_pred must be finite"):
        rmse(np.zeros(3), np.array([0.0, bad, 1.0]))
    with pytest.raises(ValueError, match="y_true must be finite"):
        rmse(np.array([bad, 0.0]), np.zeros(2))


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_scaler_rejects_non_finite_values_and_other_channel_counts(method):
    scaler = fit_scaler(np.array([[1.0, 10.0], [2.0, 20.0]]))
    call = getattr(scaler, method)
    with pytest.raises(ValueError, match="x must be finite, but it holds 1 NaN"):
        call(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match=r"x must have its channels on the last axis, D = 2 .* got shape \(5, 3\)"):
        call(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"D = 2 .* got shape \(4, 1\)"):
        call(np.zeros((4, 1)))
    with pytest.raises(TypeError, match="x must be an array of numbers, got the string 'data.csv'"):
        call("data.csv")


def test_scaler_scales_each_channel_with_its_own_numbers():
    values = np.array([[1.0, -10.0], [2.0, 20.0], [-4.0, 5.0]])
    scaler = fit_scaler(values)
    np.testing.assert_array_equal(scaler.scale, [4.0, 20.0])
    np.testing.assert_allclose(scaler.transform(values), values / [4.0, 20.0], rtol=1e-15)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(values)), values,
                               rtol=1e-15)


def test_scaler_checks_its_own_numbers():
    with pytest.raises(ValueError, match="scale must be non-zero"):
        Scaler(np.zeros(2), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"offset and scale must both have shape \(D,\)"):
        Scaler(np.zeros(2), np.ones(3))


@pytest.mark.parametrize(
    "call",
    [
        lambda: train(model(), X + 1j, Y, learning_rate=0.1, epochs=1),
        lambda: loss_and_gradients(model(), X.astype(complex), Y),
        lambda: forward(model(), X * (1 + 0j)),
    ],
)
def test_complex_inputs_are_rejected(call):
    with pytest.raises(TypeError, match="X must hold real numbers, got a complex array"):
        call()


def test_complex_targets_are_rejected():
    with pytest.raises(TypeError, match="Y must hold real numbers"):
        loss_and_gradients(model(), X, Y + 1j)


def test_backward_checks_params_against_the_cache():
    _, cache = forward(model(H=4), X)
    with pytest.raises(ValueError, match=r"params do not match cache.*\(6, 3, 5\)"):
        backward(np.zeros((3, 1)), model(H=5), cache)
    with pytest.raises(ValueError, match="params do not match cache.*D = 2"):
        backward(np.zeros((3, 1)), model(D=2, H=4), cache)
    with pytest.raises(TypeError, match="cache must be the ForwardCache returned by rnnlib.forward"):
        backward(np.zeros((3, 1)), model(), {"X": X})
    static_model = init_params(1, 4, 1, np.random.default_rng(0), static_size=2)
    with pytest.raises(ValueError, match="params do not match cache.*static"):
        backward(np.zeros((3, 1)), static_model, cache)


@pytest.mark.parametrize("convert", [as_dict, as_tuple])
@pytest.mark.parametrize(
    "call",
    [
        lambda p: forward(p, X),
        lambda p: predict(p, X),
        lambda p: loss_and_gradients(p, X, Y),
        lambda p: train(p, X, Y, learning_rate=0.1, epochs=1),
        lambda p: backward(np.zeros((3, 1)), p, forward(model(), X)[1]),
        lambda p: numerical_gradients(p, X, Y),
    ],
)
def test_params_of_the_wrong_type(convert, call):
    with pytest.raises(TypeError, match=r"params must be a rnnlib Params \(e.g. from rnnlib.init_params\)"
                       r"(, GRUParams \(e.g. from rnnlib.init_gru\) or LSTMParams \(e.g. from "
                       r"rnnlib.init_lstm\))?, got (dict|tuple)"):
        call(convert(model()))


def test_gradient_errors_needs_params():
    with pytest.raises(TypeError, match="analytic must be rnnlib Params, GRUParams or LSTMParams "
                                        "of gradients, got dict"):
        gradient_errors(as_dict(model()), model())
    gru = rnnlib.init_gru(1, 4, 1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="analytic and numerical must be gradients of the same "
                                        "cell, got GRUParams and Params"):
        gradient_errors(gru, model())


def test_gradient_errors_takes_every_cell():
    """The relative error of each array, for the gated cells' gradients as for the plain one's."""
    for init in (rnnlib.init_gru, rnnlib.init_lstm):
        a = init(2, 3, 1, np.random.default_rng(0))
        b = a.copy()
        b.W[0, 0] += 1.0
        errors = gradient_errors(a, b)
        assert list(errors) == [name for name, _ in a.items()]
        assert errors["W"] > 1e-3 and errors["U"] == 0.0


@pytest.mark.parametrize("channels", ["0", b"0", ["a"], [0.0], [True]])
def test_channels_of_the_wrong_kind_are_a_type_error(channels):
    """A string, or a list of anything but integers, is the wrong kind of argument."""
    with pytest.raises(TypeError, match=r"target_channels must (be a list of channel numbers|hold "
                                        r"integer channel numbers)"):
        make_windows(np.zeros((10, 2)), 3, target_channels=channels)
    with pytest.raises(TypeError, match=r"channels must (be a list of channel numbers|hold "
                                        r"integer channel numbers)"):
        fit_scaler(np.ones((3, 2))).select(channels)


def test_truncated_loss_checks_its_inputs_and_targets():
    from rnnlib.gradcheck import truncated_loss

    p = model()
    X, Y = np.zeros((3, 4, 1)), np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"Y must have shape \(N, O\)"):
        truncated_loss(p, X, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="X must have shape"):
        truncated_loss(p, np.zeros((3, 4)), Y)
    with pytest.raises(TypeError, match="X must"):
        truncated_loss(p, "X", Y)
    with pytest.raises(ValueError, match="Y must hold class weights >= 0"):
        truncated_loss(rnnlib.init_params(1, 4, 2, np.random.default_rng(0)), X,
                       -np.ones((3, 2)), loss="cross_entropy")
    assert truncated_loss(p, X.tolist(), Y.tolist()) == truncated_loss(p, X, Y)  # lists convert


def test_accuracy_checks_one_hot_rows():
    scores = np.array([[2.0, 1.0], [0.0, 3.0]])
    assert rnnlib.accuracy(np.eye(2), scores) == 1.0
    for labels in ([[0.6, 0.4], [0.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 1.0]]):
        with pytest.raises(ValueError, match=r"labels given as \(N, O\) rows must be one-hot .*"
                                             r"row 0 is"):
            rnnlib.accuracy(np.array(labels), scores)


def test_forecast_with_its_arguments_swapped():
    p = model()
    with pytest.raises(TypeError, match="predict_next must be a function .* got Params"):
        forecast(p, X, 3)
    with pytest.raises(TypeError, match="predict_next must be a function .* got ndarray"):
        forecast(X, lambda w: predict(p, w), 3)


def test_a_non_callable_callback_is_rejected_before_training():
    with pytest.raises(TypeError, match="callback must be a function callback\\(epoch, history\\) or None, got list"):
        train(model(), X, Y, learning_rate=0.1, epochs=10**9, callback=[])


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: forward(model(), "windows.csv"), "X"),
        (lambda: train(model(), X, "targets.csv", learning_rate=0.1, epochs=1), "Y"),
        (lambda: fit_scaler("series.csv"), "values"),
        (lambda: make_windows("series.csv", 5), "series"),
        (lambda: rmse("a.csv", np.zeros(3)), "y_true"),
        (lambda: fit_ar("x.npy", Y, 1), "X"),
        (lambda: forward(model(), None), "X"),
        (lambda: forward(model(), {"x": 1}), "X"),
    ],
)
def test_a_file_name_or_other_object_where_an_array_belongs(call, name):
    with pytest.raises(TypeError, match=f"{name} must be an array of (real )?numbers, got"):
        call()


def test_ragged_lists_are_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match="series must be a rectangular array of numbers"):
        make_windows([[1.0], [2.0, 3.0]], 1)


def test_fit_ar_with_more_unknowns_than_equations():
    rng = np.random.default_rng(0)
    Xw, Yw = rng.normal(size=(5, 10, 1)), rng.normal(size=(5, 1))
    with pytest.raises(ValueError, match=r"order = 6 .* 7 unknowns .* only N = 5 records"):
        fit_ar(Xw, Yw, 6)
    fit_ar(Xw, Yw, 4)  # 5 unknowns, 5 equations: determined


@pytest.mark.parametrize(
    "call, exception, message",
    [
        (lambda: loss_and_gradients(model(), X, Y, loss="hinge"), ValueError,
         r"loss must be one of \('mse', 'cross_entropy'\), got 'hinge'"),
        (lambda: train(model(), X, Y, learning_rate=0.1, epochs=1, loss=None), TypeError,
         "loss must be one of .* got NoneType"),
        (lambda: forward(init_params(1, 4, 1, np.random.default_rng(0), static_size=2), X),
         ValueError, r"static must be given, shape \(N, S\) = \(3, 2\)"),
        (lambda: forward(init_params(1, 4, 1, np.random.default_rng(0), static_size=2), X,
                         static=np.zeros((3, 3))),
         ValueError, r"static must have shape \(N, S\) = \(3, 2\) .* got \(3, 3\)"),
        (lambda: forward(model(), X, static=np.zeros((3, 2))), ValueError,
         "static was given but the model has no static-feature weights"),
        (lambda: train(init_params(1, 4, 1, np.random.default_rng(0), static_size=2), X, Y,
                       static=np.zeros((3, 2)), X_val=X, Y_val=Y, learning_rate=0.1, epochs=1),
         ValueError, r"static_val must be given, shape \(N, S\) = \(3, 2\)"),
        (lambda: init_params(1, 4, 1, np.random.default_rng(0), static_size=-1), ValueError,
         "static_size must be an integer >= 0, got -1"),
        (lambda: one_hot([0, 4], 4), ValueError, r"labels must lie in 0 .. 3 \(num_classes = 4\)"),
        (lambda: one_hot([0.5], 4), TypeError, "labels must be integers, got an array of dtype"),
        (lambda: rnnlib.accuracy([0, 3], np.zeros((2, 3))), ValueError,
         r"labels must be \(N,\) = \(2,\) integer classes in 0 .. 2"),
        (lambda: train(model(), X, Y, learning_rate="0.1", epochs=1), TypeError,
         "learning_rate must be a positive number, got '0.1'"),
        (lambda: train(model(), X, Y, learning_rate=0.1, epochs=2.0), TypeError,
         "epochs must be an integer >= 1, got 2.0"),
        (lambda: train(model(), X, Y, learning_rate=True, epochs=1), TypeError,
         "learning_rate must be a positive number, got True"),
        (lambda: train(model(), X, Y, learning_rate=0.1, epochs=1, on_divergence=np.zeros(2)),
         ValueError, "on_divergence must be 'raise' or 'stop'"),
        (lambda: init_params(1, 4, 1, np.random.default_rng(0), np.zeros(2)), TypeError,
         "scheme must be 'uniform' or 'tutorial', got ndarray"),
        (lambda: fit_scaler(np.ones((3, 1)), ["maxabs"]), TypeError,
         "method must be 'maxabs' or 'standard', got list"),
        (lambda: fit_scaler(np.ones((3, 2))).select(0), TypeError,
         r"channels must be a list of channel numbers, e.g. \[0\], got 0"),
        (lambda: rnnlib.mse_loss(np.zeros((2, 1)) + 1j, np.zeros((2, 1))), TypeError,
         "Y_hat must hold real numbers"),
        (lambda: rnnlib.softmax_cross_entropy(np.zeros((2, 3)), np.zeros((2, 2))), ValueError,
         r"Z and Y must both have shape \(N, O\), got \(2, 3\) and \(2, 2\)"),
        (lambda: rnnlib.accuracy(np.eye(3), np.zeros((3, 2))), ValueError,
         r"labels given as one-hot rows must have the shape of scores \(3, 2\), got \(3, 3\)"),
        (lambda: one_hot([[0], [1, 2]], 3), ValueError, "labels must be a rectangular array"),
    ],
)
def test_other_bad_arguments(call, exception, message):
    with pytest.raises(exception, match=message):
        call()


def test_scaler_select_keeps_the_chosen_channels():
    scaler = fit_scaler(np.array([[1.0, 10.0, -3.0], [2.0, 20.0, 6.0]]))
    target = scaler.select([2])
    np.testing.assert_array_equal(target.scale, [6.0])
    np.testing.assert_allclose(target.transform(np.array([[3.0]])), [[0.5]], rtol=1e-15)
    with pytest.raises(ValueError, match=r"channels must name channels in 0 .. 2 \(the scaler has D = 3\), got \[3\]"):
        scaler.select([3])


@pytest.mark.parametrize("clip", [rnnlib.clip_by_value, rnnlib.clip_by_norm])
def test_clipping_needs_params(clip):
    with pytest.raises(TypeError, match="grads must be rnnlib Params, GRUParams or LSTMParams of gradients, got dict"):
        clip(as_dict(model()), 1.0)


def test_series_arguments_of_the_wrong_kind():
    with pytest.raises(TypeError, match="noise must be a number .* got '0.1'"):
        rnnlib.sine_series(noise="0.1")
    with pytest.raises(TypeError, match=r"target_channels must be a list of channel numbers, e.g. \[0\], got 0"):
        make_windows(np.zeros((10, 2)), 3, target_channels=0)
    with pytest.raises(TypeError, match=r"target_channels must hold integer channel numbers, "
                                        r"e.g. \[0\], got 'a' \(a str\) in \['a'\]"):
        make_windows(np.zeros((10, 2)), 3, target_channels=["a"])


# --- issue 20: one validation layer; each case the issue lists, answered at the entry point --


def test_params_given_as_lists_are_converted_to_float64_arrays():
    """A Params of Python lists once passed validate() and failed in forward with
    AttributeError: 'list' object has no attribute 'shape'."""
    p = model(H=3)
    as_lists = Params(*(a.tolist() for _, a in p.items()))
    np.testing.assert_array_equal(forward(as_lists, X)[0], forward(p, X)[0])
    assert all(isinstance(a, np.ndarray) and a.dtype == np.float64
               for _, a in as_lists.validate().items())
    trained = train(as_lists, X, Y, learning_rate=0.1, epochs=1).params
    np.testing.assert_array_equal(trained.W, train(p, X, Y, learning_rate=0.1, epochs=1).params.W)
    gru = rnnlib.init_gru(1, 2, 1, np.random.default_rng(0))
    gru_lists = rnnlib.GRUParams(*(a.tolist() for _, a in gru.items()))
    np.testing.assert_array_equal(rnnlib.gru_forward(gru_lists, X)[0], rnnlib.gru_forward(gru, X)[0])


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_losses_refuse_nan_and_inf(bad):
    Z = np.array([[0.0, bad], [1.0, 2.0]])
    ok = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="Y_hat must be finite, but it holds 1 NaN or infinite"):
        rnnlib.mse_loss(Z, ok)
    with pytest.raises(ValueError, match="Y must be finite"):
        rnnlib.mse_loss(ok, Z)
    with pytest.raises(ValueError, match="Z must be finite"):
        rnnlib.softmax_cross_entropy(Z, ok)
    with pytest.raises(ValueError, match="Z must be finite"):
        rnnlib.softmax(Z)


def test_cross_entropy_refuses_negative_class_weights():
    Z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="Y must hold class weights >= 0 .* minimum of -1"):
        rnnlib.softmax_cross_entropy(Z, np.array([[1.0, 0.0, 0.0], [-1.0, 1.0, 1.0]]))
    p = model(O=3)
    Y3 = np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 2.0], [0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match="Y must hold class weights >= 0"):
        train(p, X, Y3, learning_rate=0.1, epochs=1, loss="cross_entropy")
    with pytest.raises(ValueError, match="Y_val must hold class weights >= 0"):
        train(p, X, np.eye(3), X_val=X, Y_val=Y3, learning_rate=0.1, epochs=1,
              loss="cross_entropy")
    with pytest.raises(ValueError, match="Y must hold class weights >= 0"):
        loss_and_gradients(p, X, Y3, loss="cross_entropy")


def test_cross_entropy_with_one_output_is_refused():
    """With one class softmax is 1: the loss was -0 and every gradient 0, silently."""
    message = r"softmax cross-entropy needs at least 2 classes: Y must have shape \(N, O\) with O >= 2"
    with pytest.raises(ValueError, match=message):
        rnnlib.softmax_cross_entropy(np.zeros((3, 1)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=message):
        train(model(), X, np.ones((3, 1)), learning_rate=0.1, epochs=1, loss="cross_entropy")
    with pytest.raises(ValueError, match=message):
        loss_and_gradients(model(), X, np.ones((3, 1)), loss="cross_entropy")


def test_adam_takes_numpy_numbers_and_refuses_bools_and_strings():
    from rnnlib.optimizers import Adam

    adam = Adam(0.1, beta1=np.float32(0.9), beta2=np.float64(0.99))
    assert adam.beta1 == pytest.approx(0.9) and isinstance(adam.beta1, float)
    for bad in (False, True, np.bool_(False), "0.9", None):
        with pytest.raises(TypeError, match="beta1 must be a number in \\[0, 1\\), got"):
            Adam(0.1, beta1=bad)
    with pytest.raises(ValueError, match=r"beta2 must be a number in \[0, 1\), got 1.5"):
        Adam(0.1, beta2=1.5)


@pytest.mark.parametrize("make", ["sgd", "adam"])
def test_optimizer_steps_check_the_gradients_against_the_parameters(make):
    from rnnlib.optimizers import make_optimizer

    update = make_optimizer(make, 0.1)
    p = model()
    bad = p.copy()
    bad.W = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"the gradient of W must have its shape \(4, 4\), got \(4, 3\)"):
        update.step(p, bad)
    gru = rnnlib.init_gru(1, 4, 1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="grads must be a Params like params, got GRUParams"):
        update.step(p, gru)
    with pytest.raises(TypeError, match="grads must be a Params like params, got dict"):
        update.step(p, as_dict(p))
    static = rnnlib.init_params(1, 4, 1, np.random.default_rng(0), static_size=2)
    with pytest.raises(ValueError, match=r"grads must hold the arrays \['U', 'W', 'V', 'b', 'c', 'A', 'a'\]"):
        update.step(static, p)
    before = p.W.copy()
    with pytest.raises(ValueError):
        update.step(p, bad)
    np.testing.assert_array_equal(p.W, before)  # a refused step changes nothing


@pytest.mark.parametrize("cell", ["plain", "gru"])
@pytest.mark.parametrize("optimizer, lr, epochs", [
    ("sgd", 1e3, 1), ("sgd", 1e3, 5), ("adam", 10.0, 3), ("adam", 10.0, 20)])
def test_divergence_is_reported_for_every_cell_and_optimizer(cell, optimizer, lr, epochs):
    from rnnlib.memory import adding_problem, init_cell

    Xa, Ya = adding_problem(200, 8, np.random.default_rng(0))
    with pytest.raises(TrainingDiverged, match=r"Training diverged at epoch \d+: .*learning_rate"):
        train(init_cell(cell, 0), Xa, Ya, learning_rate=lr, epochs=epochs, optimizer=optimizer)


@pytest.mark.parametrize("name, kinds", [
    ("clipping", dict(clipping="norm")), ("callback", dict(callback=[])),
    ("rng", dict(rng=0, batch_size=2)), ("learning_rate", dict(learning_rate="0.1")),
    ("epochs", dict(epochs=2.0)), ("truncation", dict(truncation="5")),
    ("batch_size", dict(batch_size=True)), ("loss", dict(loss=None)),
    ("optimizer", dict(optimizer=None)), ("activation", dict(activation=1)),
    ("divergence_factor", dict(divergence_factor="big")),
])
def test_train_answers_a_wrong_kind_with_a_type_error_naming_the_argument(name, kinds):
    args = dict(learning_rate=0.1, epochs=1) | kinds
    with pytest.raises(TypeError, match=f"^{name} must be"):
        train(model(), X, Y, **args)


def test_a_clipping_kind_that_is_not_a_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"clipping kind must be one of \('value', 'norm'\) \(a string\), got int"):
        rnnlib.Clipping(1, 1.0)


@pytest.mark.parametrize("entry", ["loss_and_gradients", "gru_loss_and_gradients",
                                   "lstm_loss_and_gradients", "sequence_loss_and_gradients"])
def test_finite_weights_whose_loss_overflows_get_a_clear_error(entry):
    """Weights near float64's limit: the loss overflows to inf. Each gradient entry point says
    so (ValueError), instead of returning inf or NaN with numpy's overflow warnings."""
    from rnnlib.sequence import sequence_loss_and_gradients

    rng = np.random.default_rng(0)
    init = {"gru_loss_and_gradients": rnnlib.init_gru,
            "lstm_loss_and_gradients": rnnlib.init_lstm}.get(entry, rnnlib.init_params)
    params = init(2, 3, 1, rng)
    params.V[...] = 1e308
    params.c[...] = 1e308
    X = rng.normal(size=(2, 4, 2))
    function = (sequence_loss_and_gradients if entry == "sequence_loss_and_gradients"
                else getattr(rnnlib, entry))
    Y = -np.ones((2, 4, 1)) if entry == "sequence_loss_and_gradients" else -np.ones((2, 1))
    kwargs = {"loss": "mse"} if entry == "sequence_loss_and_gradients" else {}
    with pytest.raises(ValueError, match=r"the loss \(inf\) overflowed to inf or NaN .* largest"):
        function(params, X, Y, **kwargs)
    params.V[...] = 1.0  # the same call at ordinary weights gives finite numbers
    params.c[...] = 0.0
    loss, grads = function(params, X, Y, **kwargs)[:2]
    assert np.isfinite(loss) and all(np.all(np.isfinite(a)) for _, a in grads.items())
