"""The course's slider views, one module per notebook's view, and one widget helper.

    truncation     notebook 03: the BPTT truncation depth k
    learning_rate  notebook 04: a learning rate and a clipping threshold
    explorer       notebook 05: truncation depth and learning rate, retrained, with predictions
    reach          notebook 08: how far back the error reaches, by distance d and cell
    sampling       notebook 09: what a character model writes at a temperature after a prompt
    widgets        what they share: text, figures, PNG rendering, the slider widget

A view only formats and draws: what it shows is computed in rnnlib.analysis (03-05),
rnnlib.memory (08) and rnnlib.text.models (09), with the settings of rnnlib.settings. Each has
``format_*``/``*_text`` (deterministic text), ``plot_*`` (one figure), ``show_*`` (both, what a
slider change shows)
and ``*_widget`` (the sliders). The views of 03-05 also have ``slider_png``: the figure's PNG
as a slider change draws it, into one reused figure where only what changes is drawn again
(widgets.Redraw), pixel for pixel what ``plot_*`` draws.
"""
