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
