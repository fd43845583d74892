"""The course's pictures: they draw without warnings, and the backward diagram marks exactly the
steps that truncation depth k keeps (rnnlib.bptt's definition: the last k of T)."""

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgba

from rnnlib import diagrams
from rnnlib.views.widgets import figure_png


@pytest.mark.parametrize("draw", [diagrams.draw_cell, diagrams.draw_unrolled,
                                  lambda: diagrams.draw_backward(5)])
def test_diagrams_draw_without_warnings(draw):
    # pyproject turns every warning into an error
    fig = draw()
    assert fig.axes[0].get_title()
    assert figure_png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("k, T, kept", [(5, 50, 5), (1, 50, 1), (None, 50, 50), (80, 50, 50),
                                        (3, 8, 3)])
def test_backward_diagram_marks_the_last_k_steps(k, T, kept):
    fig = diagrams.draw_backward(k, T)
    (boxes,) = [c for c in fig.axes[0].collections if isinstance(c, PatchCollection)]
    edges = [tuple(e) for e in boxes.get_edgecolor()]
    assert len(edges) == T
    red = to_rgba(diagrams.ERROR)
    assert [e == red for e in edges] == [False] * (T - kept) + [True] * kept
    assert f"truncation depth k = {kept}" in fig.axes[0].get_title()


def test_backward_diagram_refuses_a_bad_depth():
    with pytest.raises(ValueError, match="truncation must be an integer >= 1, got 0"):
        diagrams.draw_backward(0)


# --- readable at 100 % in JupyterLab ----------------------------------------------------------


def small_texts(fig):
    """The visible texts of a drawn figure smaller than settings.MIN_TEXT_PX pixels as shown: the
    size in points x dpi / 72, scaled down as JupyterLab does when the figure is wider than
    settings.OUTPUT_WIDTH_PX."""
    from matplotlib.text import Text

    from rnnlib import settings

    figure_png(fig)  # draws it: tick labels exist only after a draw
    width_px = fig.get_figwidth() * fig.dpi
    scale = min(1.0, settings.OUTPUT_WIDTH_PX / width_px)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
             and (t.axes is None or t.axes.get_visible())]
    assert texts
    return [(t.get_text(), round(float(t.get_fontsize() * fig.dpi / 72 * scale), 1)) for t in texts
            if t.get_fontsize() * fig.dpi / 72 * scale < settings.MIN_TEXT_PX]


@pytest.mark.parametrize("draw", [diagrams.draw_cell, diagrams.draw_unrolled,
                                  lambda: diagrams.draw_backward(None),
                                  lambda: diagrams.draw_backward(5),
                                  lambda: diagrams.draw_backward(28)])
def test_every_text_of_a_diagram_is_readable(draw):
    assert small_texts(draw()) == []


def test_the_readability_floor_can_fail():
    fig = diagrams.draw_backward(5)
    fig.axes[0].text(0, 0, "tiny", fontsize=5)
    assert small_texts(fig) == [("tiny", 6.2)]  # 5 pt at 100 dpi, 1000 px shown at 900


def test_the_backward_strip_numbers_its_steps_outside_the_boxes():
    """The step numbers (1, the first step the error reaches, T) sit under the boxes, which are
    too narrow to hold a readable number."""
    fig = diagrams.draw_backward(10, 50)
    ax = fig.axes[0]
    numbers = [t for t in ax.texts if t.get_text() in {"1", "41", "50"}]
    assert sorted(t.get_text() for t in numbers) == ["1", "41", "50"]
    assert all(t.get_position()[1] <= -0.3 and t.get_va() == "top" for t in numbers)
    assert [t.get_text() for t in ax.texts if "held constant" in t.get_text()] == [
        "h₄₀ held constant"]


def test_the_spectrogram_of_notebook_07_has_a_colour_bar():
    """Notebook 07's audio input is drawn with a colour bar naming what the colours mean."""
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "07_your_own_data.ipynb"
    cells = {c.get("id"): c for c in json.loads(notebook.read_text())["cells"]}
    cell = cells["owndata-07-audio-plot"]
    source = "".join(cell["source"])
    assert "imshow(" in source and "fig.colorbar(image, ax=ax, label=" in source
    assert any("image/png" in out.get("data", {}) for out in cell["outputs"])
