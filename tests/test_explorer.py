"""The slider views behind notebooks 03-05: their text against independent rnnlib computations,
and the widgets' sliders and output.

Each view trains the course's small model on the tutorial's data; the tests redo the same
computation with rnnlib's public functions and compare the printed figures.
"""

import subprocess
import sys

import numpy as np
import pytest

from rnnlib import (
    Clipping,
    analysis,
    fit_scaler,
    init_params,
    loss_and_gradients,
    predict,
    rmse,
    settings,
    sine_series,
    split_windows,
    train,
)
from rnnlib.views import explorer, learning_rate, truncation, widgets


@pytest.fixture(scope="module")
def data():
    series = sine_series(200)
    split = split_windows(series, 50, 50)
    scaler = fit_scaler(series[: split.train_end])
    return {
        "series": series,
        "split": split,
        "scaler": scaler,
        "X": scaler.transform(split.X_train),
        "Y": scaler.transform(split.Y_train),
        "X_val": scaler.transform(split.X_val),
        "Y_val": scaler.transform(split.Y_val),
    }


def params0():
    return init_params(1, 16, 1, np.random.default_rng(0))


def flat(grads):
    return np.concatenate([a.ravel() for _, a in grads.items()])


def line(text, start):
    """The one line of text that starts with ``start``."""
    found = [row for row in text.splitlines() if row.startswith(start)]
    assert len(found) == 1, text
    return found[0]


@pytest.fixture(scope="module")
def truncation5():
    return analysis.truncation_result(5)


@pytest.fixture(scope="module")
def truncation50():
    return analysis.truncation_result(50)


# --- import -----------------------------------------------------------------------------------


def test_importing_rnnlib_and_the_views_needs_only_numpy():
    code = (
        "import sys, rnnlib, rnnlib.analysis, rnnlib.views.explorer; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- truncation view --------------------------------------------------------------------------


def test_truncation_difference_is_exactly_zero_for_full_depth(truncation50):
    text = truncation.format_truncation(truncation50)
    assert truncation50.relative_difference == 0.0
    assert "||grad_k - grad_full|| / ||grad_full|| = 0.000e+00" in text
    assert "k >= T: this is full BPTT, the difference is exactly 0" in text


def test_truncation_difference_matches_rnnlib_gradients(data, truncation5):
    _, g_full = loss_and_gradients(params0(), data["X"], data["Y"])
    _, g_5 = loss_and_gradients(params0(), data["X"], data["Y"], truncation=5)
    a, b = flat(g_5), flat(g_full)
    expected = np.linalg.norm(a - b) / np.linalg.norm(b)
    assert truncation5.relative_difference == pytest.approx(expected, rel=1e-12)
    assert 0.01 < expected < 0.5  # k = 5 really changes the gradient here
    text = truncation.truncation_text(5)
    assert f"||grad_k - grad_full|| / ||grad_full|| = {expected:.3e}" in text
    assert f"cosine(grad_k, grad_full) = {a @ b / (np.linalg.norm(a) * np.linalg.norm(b)):.6f}" in text


def test_step_contributions_are_what_truncation_drops(data, truncation5):
    # Dropping only the first step (k = T - 1) removes exactly that step's share (index j = 49).
    _, g_full = loss_and_gradients(params0(), data["X"], data["Y"])
    _, g_49 = loss_and_gradients(params0(), data["X"], data["Y"], truncation=49)
    dropped = np.linalg.norm(flat(g_full) - flat(g_49))
    assert truncation5.contributions[49] == pytest.approx(dropped, rel=1e-9)
    # Keeping only the last step (k = 1): V and c aside, the gradient is step T's share.
    _, g_1 = loss_and_gradients(params0(), data["X"], data["Y"], truncation=1)
    last = np.sqrt(sum(np.sum(getattr(g_1, n) ** 2) for n in ("U", "W", "b")))
    assert truncation5.contributions[0] == pytest.approx(last, rel=1e-12)
    # The error signal fades going back in time (tanh, small initial weights).
    assert truncation5.contributions[0] > 1e3 * truncation5.contributions[20]


def test_truncation_training_curve_matches_rnnlib_train(data, truncation5):
    run = train(params0(), data["X"], data["Y"], learning_rate=0.3, epochs=settings.TRUNCATION_EPOCHS,
                truncation=5, clipping=Clipping("norm", 1.0))
    full = train(params0(), data["X"], data["Y"], learning_rate=0.3,
                 epochs=settings.TRUNCATION_EPOCHS, clipping=Clipping("norm", 1.0))
    np.testing.assert_array_equal(truncation5.train_loss, run.history.train_loss)
    np.testing.assert_array_equal(truncation5.full_train_loss, full.history.train_loss)
    text = one_line(truncation.format_truncation(truncation5))
    assert (f"final training loss {run.history.train_loss[-1]:.2e} with k = 5, "
            f"{full.history.train_loss[-1]:.2e} with full BPTT") in text


def test_truncation_reports_k1_and_the_vanished_gradient():
    text1 = truncation.truncation_text(1)
    assert "k = 1: only the last step counts" in text1
    assert "gradient vanished" not in text1
    result = analysis.truncation_result(40)
    assert result.vanish_steps < 40
    assert (f"gradient vanished: steps j >= {result.vanish_steps} contribute less than 1e-6"
            in truncation.format_truncation(result))
    relative = result.contributions / result.contributions.max()
    assert np.all(relative[result.vanish_steps:] < 1e-6)
    assert relative[result.vanish_steps - 1] >= 1e-6


def one_line(text: str) -> str:
    """The explorer's text with its wrapped lines joined again."""
    return text.replace("\n    ", " ")


def test_text_is_deterministic(truncation5):
    assert truncation.truncation_text(5) == truncation.format_truncation(truncation5)


def test_bad_slider_values_are_refused_with_a_message():
    with pytest.raises(ValueError, match="truncation must be an integer >= 1, got 0"):
        truncation.truncation_text(0)
    with pytest.raises(ValueError, match="learning_rate must be a positive finite number"):
        learning_rate.learning_rate_text(-0.1, 1.0)
    with pytest.raises(ValueError, match="clip_threshold must be a positive finite number"):
        learning_rate.learning_rate_text(0.1, 0.0)


# --- learning-rate view -----------------------------------------------------------------------


def test_learning_rate_text_matches_rnnlib_train(data):
    text = learning_rate.learning_rate_text(0.1, 1.0)
    run = train(params0(), data["X"], data["Y"], learning_rate=0.1,
                epochs=settings.LEARNING_RATE_EPOCHS, clipping=Clipping("norm", 1.0))
    losses = run.history.train_loss
    assert line(text, "  training loss").split() == [
        "training", "loss", *(f"{losses[e - 1]:.2e}" for e in settings.LISTED_EPOCHS)
    ]
    initial = run.history.initial_train_loss
    assert one_line(text).endswith(
        f"learning: the training loss fell by a factor {initial / losses[-1]:.1e}, "
        f"from {initial:.2e} before training to {losses[-1]:.2e} after "
        f"{settings.LEARNING_RATE_EPOCHS} epochs; by a factor {losses[-11] / losses[-1]:.1e} over the "
        f"last 10 epochs: still falling".replace("e+0", "e")
    )


def test_huge_learning_rate_reports_divergence_with_its_epoch(data):
    result = analysis.learning_rate_result(100.0, 1.0)
    run = train(params0(), data["X"], data["Y"], learning_rate=100.0,
                epochs=settings.LEARNING_RATE_EPOCHS,
                clipping=Clipping("norm", 1.0), on_divergence="stop")
    epoch = run.history.diverged_epoch
    assert epoch is not None and result.diverged_epoch == epoch
    text = learning_rate.format_learning_rate(result)
    assert f"\ndiverged at epoch {epoch}: the training loss grew to" in text
    assert len(result.train_loss) == epoch


def test_tiny_learning_rate_and_tight_clipping_barely_learn():
    assert "\nbarely learning: the training loss fell only" in learning_rate.learning_rate_text(1e-3, 1.0)
    text = one_line(learning_rate.learning_rate_text(0.3, 0.01))
    epochs = settings.LEARNING_RATE_EPOCHS
    assert f"clipping acted in {epochs} of {epochs} updates" in text
    assert "barely learning" in text


def test_status_words_say_what_is_measured():
    """'learning ... still falling' while the loss falls steeply at the end, never 'converged'."""
    from rnnlib.training import History

    h = History(train_loss=[1e-1, 1e-2, 1e-3], grad_norm=[1.0] * 3, clip_fraction=[0.0] * 3,
                initial_train_loss=1.0)
    assert analysis.run_status(h) == (
        "learning: the training loss fell by a factor 1.0e3, from 1.00e+00 before training to "
        "1.00e-03 after 3 epochs; by a factor 1.0e3 over the last 3 epochs: still falling")
    h10 = History(train_loss=[0.5] * 9 + [0.46] * 3, grad_norm=[1.0] * 12,
                  clip_fraction=[0.0] * 12, initial_train_loss=1.0)
    assert analysis.run_status(h10).endswith("by a factor 1.1 over the last 10 epochs: levelling off")
    rose = History(train_loss=[2.0], grad_norm=[1.0], clip_fraction=[0.0], initial_train_loss=1.0)
    assert analysis.run_status(rose).startswith("not learning: the training loss rose from 1.00e+00")


def test_text_lines_wrap_between_words_only():
    for text in (truncation.truncation_text(5), explorer.explorer_text(10, 3.0), learning_rate.learning_rate_text(1e-3, 1.0)):
        for row in text.splitlines():
            assert len(row) <= settings.TEXT_WIDTH + 2, row  # tables may be two longer
        assert " =\n" not in text and "\n    = " not in text


def test_off_scale_predictions_are_noted():
    text = one_line(explorer.explorer_text(10, 3.0))
    assert "predictions lie outside the predictions panel's range -1.6 .. 1.9" in text
    assert "outside" not in explorer.explorer_text(10, 0.1)


def test_widgets_say_how_to_make_them_live_before_they_run():
    for make in (truncation.truncation_widget, learning_rate.learning_rate_widget, explorer.explorer_widget):
        bundle = make()._repr_mimebundle_()
        assert "run this cell" in bundle["text/plain"]
        assert "application/vnd.jupyter.widget-view+json" in bundle


# --- explorer ---------------------------------------------------------------------------------


def test_explorer_rmse_matches_rnnlib_in_original_units(data):
    k, lr = settings.EXPLORER_TRUNCATION_DEFAULT, settings.EXPLORER_LEARNING_RATE_DEFAULT
    text = explorer.explorer_text(k, lr)
    run = train(params0(), data["X"], data["Y"], learning_rate=lr, epochs=settings.EXPLORER_EPOCHS,
                X_val=data["X_val"], Y_val=data["Y_val"], truncation=k,
                clipping=Clipping("norm", 1.0))
    pred = data["scaler"].inverse_transform(predict(run.params, data["X_val"]))
    expected = rmse(pred, data["split"].Y_val)
    assert expected < 0.05  # the default setting learns the sine
    assert f"validation RMSE (original units): {expected:.2e}" in text
    assert (f"training {run.history.train_loss[-1]:.2e}, "
            f"validation {run.history.val_loss[-1]:.2e}") in text
    assert text == explorer.explorer_text()  # the defaults


def test_explorer_diverging_run_reports_instead_of_raising():
    result = analysis.explorer_result(50, 100.0)
    text = explorer.format_explorer(result)
    assert f"\ndiverged at epoch {result.diverged_epoch}: " in text


# --- drawing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: truncation.plot_truncation(analysis.truncation_result(1), pyplot=False),
        lambda: learning_rate.plot_learning_rate(analysis.learning_rate_result(100.0, 100.0), pyplot=False),
        lambda: explorer.plot_explorer(analysis.explorer_result(50, 100.0), pyplot=False),
    ],
    ids=["truncation k=1", "learning rate diverging", "explorer diverging"],
)
def test_figures_render_without_warnings(make):
    # pyproject turns every warning into an error, so a warning here fails the test
    fig = make()
    plots = [ax for ax in fig.axes if ax.axison]  # the truncation view adds a diagram strip
    assert len(plots) == 2 and len(fig.axes) <= 3
    assert all(ax.get_title() and ax.get_xlabel() and ax.get_ylabel() for ax in plots)
    assert all(ax.get_legend() is not None for ax in plots)
    assert widgets.figure_png(fig).startswith(b"\x89PNG")


# --- widgets ----------------------------------------------------------------------------------


def sliders(widget):
    return {child.description: child for child in widget.children if hasattr(child, "min")}


def printed(capsys):
    """What was printed since the last call, without the terminal codes that clear_output
    writes when there is no notebook front end."""
    return capsys.readouterr().out.replace("\x1b[2K\r", "")


@pytest.fixture
def shown(monkeypatch):
    """Capture what the widgets display (the figure) instead of printing its repr."""
    import IPython.display

    images = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: images.append(obj))
    return images


def test_truncation_widget_slider_and_output(shown, capsys, truncation5, truncation50):
    widget = truncation.truncation_widget()
    slider = sliders(widget)["truncation k"]
    assert (slider.min, slider.max, slider.value, slider.step) == (1, 50, 5, 1)
    assert slider.continuous_update is False
    assert type(slider).__name__ == "IntSlider"
    assert printed(capsys) == truncation.format_truncation(truncation5) + "\n"
    slider.value = 50  # what moving the slider does: the callback runs with the new value
    out = printed(capsys)
    assert out.startswith("note: truncation k = 50 is the slider's largest value")  # its end
    assert out.endswith("\n" + truncation.format_truncation(truncation50) + "\n")
    assert len(shown) == 2 and shown[-1].data.startswith(b"\x89PNG")


def test_learning_rate_widget_sliders_and_output(shown, capsys):
    widget = learning_rate.learning_rate_widget()
    found = sliders(widget)
    lr, clip = found["learning rate"], found["clip threshold"]
    assert type(lr).__name__ == type(clip).__name__ == "FloatLogSlider"
    assert (lr.base, lr.min, lr.max, lr.value) == (10, -3.0, 2.0, 0.1)
    assert (clip.base, clip.min, clip.max, clip.value) == (10, -2.0, 2.0, 1.0)
    assert lr.continuous_update is False and clip.continuous_update is False
    assert printed(capsys) == learning_rate.learning_rate_text(0.1, 1.0) + "\n"
    lr.value = 100.0  # the top of the range diverges
    out = printed(capsys)
    assert out.endswith("\n" + learning_rate.learning_rate_text(100.0, 1.0) + "\n")
    assert "diverged at epoch" in out
    assert len(shown) == 2


@pytest.mark.parametrize("typed, shown_value, end, side", [
    (1000.0, "100", "largest", "larger"), (1e-6, "0.001", "smallest", "smaller")])
def test_a_value_beyond_the_sliders_range_is_not_clamped_silently(shown, capsys, typed,
                                                                 shown_value, end, side):
    """ipywidgets sets a value beyond the range to the range's end without a word (in the
    browser before the kernel sees it): the view's output says so at either end."""
    widget = learning_rate.learning_rate_widget()
    lr = sliders(widget)["learning rate"]
    assert printed(capsys).startswith("learning rate 0.1")  # inside the range: no note
    lr.value = typed
    assert lr.value == float(shown_value)  # ipywidgets' clamping, which the note reports
    note, _, rest = one_line(printed(capsys)).partition("\n")
    assert note == (
        f"note: learning rate = {shown_value} is the slider's {end} value (its range is "
        f"0.001 .. 100); a {side} value typed into its box is set to {shown_value}, and this "
        f"view shows {shown_value}")
    assert rest == one_line(learning_rate.learning_rate_text(float(shown_value), 1.0) + "\n")


def test_the_range_note_names_each_slider_at_its_end(shown, capsys):
    widget = explorer.explorer_widget()
    found = sliders(widget)
    printed(capsys)
    found["truncation k"].value = 80
    out = printed(capsys)
    assert found["truncation k"].value == 50
    assert out.startswith("note: truncation k = 50 is the slider's largest value (its range is "
                          "1 .. 50)")
    assert "learning rate = " not in out.split("\ntruncation k = 50 (full BPTT)")[0]
    found["truncation k"].value = 49
    assert not printed(capsys).startswith("note:")


def test_explorer_widget_sliders_and_output(shown, capsys):
    widget = explorer.explorer_widget()
    found = sliders(widget)
    k, lr = found["truncation k"], found["learning rate"]
    assert (k.min, k.max, k.value) == (1, 50, settings.EXPLORER_TRUNCATION_DEFAULT)
    assert (lr.min, lr.max, lr.value) == (-3.0, 2.0, settings.EXPLORER_LEARNING_RATE_DEFAULT)
    assert k.continuous_update is False and lr.continuous_update is False
    assert printed(capsys) == explorer.explorer_text(10, 0.1) + "\n"
    k.value = 2
    assert printed(capsys) == explorer.explorer_text(2, 0.1) + "\n"
    assert len(shown) == 2


@pytest.mark.parametrize("view, args", [
    ("truncation_result", (3,)),
    ("learning_rate_result", (0.2, 1.0)),
    ("explorer_result", (7, 0.2)),
])
def test_results_are_remembered_and_read_only(view, args):
    """A setting shown once answers at once: the same result object, whose arrays no caller can
    change (so what is remembered stays what was computed); bad values are still refused."""
    compute = getattr(analysis, view)
    first = compute(*args)
    assert compute(*args) is first
    arrays = [v for v in vars(first).values() if isinstance(v, np.ndarray)]
    assert arrays and not any(a.flags.writeable for a in arrays)
    analysis.clear_results()
    again = compute(*args)  # computed anew after clear_results, to the same values
    assert again is not first
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(
        (v for v in vars(again).values() if isinstance(v, np.ndarray)), arrays, strict=True))
    with pytest.raises(ValueError):
        compute(*((0,) + args[1:]))


# --- readable figures, and the reused figure of the sliders -----------------------------------


FIGURES = {
    "truncation k=1": (truncation, lambda: analysis.truncation_result(1)),
    "truncation k=10": (truncation, lambda: analysis.truncation_result(10)),
    "learning rate 3": (learning_rate, lambda: analysis.learning_rate_result(3.0, 1.0)),
    "learning rate 100": (learning_rate, lambda: analysis.learning_rate_result(100.0, 1.0)),
    "explorer 10, 3": (explorer, lambda: analysis.explorer_result(10, 3.0)),
    "explorer default": (explorer, lambda: analysis.explorer_result(10, 0.1)),
}


def plot(view, result):
    name = {truncation: "plot_truncation", learning_rate: "plot_learning_rate",
            explorer: "plot_explorer"}[view]
    return getattr(view, name)(result, pyplot=False)


@pytest.mark.parametrize("name", FIGURES)
def test_view_figures_are_readable_and_legends_cover_no_data(name):
    from test_diagrams import small_texts

    view, result = FIGURES[name]
    fig = plot(view, result())
    assert small_texts(fig) == []  # draws the figure
    renderer = fig.canvas.get_renderer()
    for ax in (ax for ax in fig.axes if ax.axison):
        legend = ax.get_legend().get_window_extent(renderer)
        # outside the panel (so over no data), under the title, inside the figure
        assert not legend.overlaps(ax.get_window_extent(renderer)), ax.get_title()
        assert not legend.overlaps(ax.title.get_window_extent(renderer)), ax.get_title()
        assert legend.x0 >= 0 and legend.x1 <= fig.bbox.width


def test_the_legend_test_can_fail():
    fig = plot(learning_rate, analysis.learning_rate_result(3.0, 1.0))
    left = fig.axes[0]
    left.legend(loc="upper right")  # where the old figure put it: over the rising curve
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert left.get_legend().get_window_extent(renderer).overlaps(left.get_window_extent(renderer))


def test_a_run_stopped_after_a_few_epochs_shows_its_points_and_ticks():
    """Learning rate 100 diverges within a few epochs: each point has a marker, and each log axis
    labels at least two ticks inside its limits."""
    result = analysis.learning_rate_result(100.0, 1.0)
    assert len(result.train_loss) <= settings.FEW_POINTS
    fig = plot(learning_rate, result)
    widgets.figure_png(fig)
    for ax in fig.axes:
        (curve,) = [line for line in ax.get_lines() if len(line.get_xdata()) > 2 or
                    line.get_label().startswith(("training", "gradient"))]
        assert curve.get_marker() == "o"
        low, high = ax.get_ylim()
        ticks = [t for t in ax.get_yticks() if low <= t <= high]
        assert len(ticks) >= 2, (ax.get_title(), ticks)
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert len(labels) >= 2


@pytest.mark.parametrize("view, results", [
    (truncation, [(1,), (10,), (50,)]),
    (learning_rate, [(100.0, 1.0), (0.1, 1.0), (3.0, 100.0)]),
    (explorer, [(10, 3.0), (50, 100.0), (10, 0.1)]),
])
def test_the_sliders_reused_figure_draws_what_a_new_one_draws(view, results):
    """A slider change redraws the view's one figure, only where the result changes it (faster):
    after any earlier settings it shows, pixel for pixel, what a new figure of the result shows."""
    from io import BytesIO

    from PIL import Image

    compute = {truncation: analysis.truncation_result, learning_rate: analysis.learning_rate_result,
               explorer: analysis.explorer_result}[view]

    def pixels(png):
        return np.asarray(Image.open(BytesIO(png)).convert("RGB"))

    computed = {args: compute(*args) for args in results}  # each trained once
    for args in results + results[::-1]:  # each setting after another, redrawn in part
        result = computed[args]
        np.testing.assert_array_equal(pixels(view.slider_png(result)),
                                      pixels(widgets.figure_png(plot(view, result))))
