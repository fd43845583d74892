"""Notebook 08's cell diagrams: they draw without warnings and show each cell's equations and
its copy path."""

import matplotlib

matplotlib.use("Agg")

import pytest

from rnnlib import diagrams
from rnnlib.views.widgets import figure_png


@pytest.mark.parametrize("draw, title, must_show", [
    (diagrams.draw_gru_cell, "One step of the GRU",
     ["$r_t", "$z_t", "$n_t", "(1 - z_t) \\odot n_t + z_t \\odot h_{t-1}", "copy path: $z_t"]),
    (diagrams.draw_lstm_cell, "One step of the LSTM",
     ["$i_t", "$f_t", "$g_t", "$o_t", "f_t \\odot c_{t-1} + i_t \\odot g_t", "copy path: $f_t"]),
])
def test_gate_diagrams_draw_their_equations_and_copy_path(draw, title, must_show):
    fig = draw()  # pyproject turns every warning into an error
    ax = fig.axes[0]
    assert ax.get_title() == title
    texts = " ".join(t.get_text() for t in ax.texts)
    for piece in must_show:
        assert piece in texts, piece
    assert all(t.get_fontsize() >= 9 for t in ax.texts)  # readable at 100 % zoom
    assert figure_png(fig).startswith(b"\x89PNG")
