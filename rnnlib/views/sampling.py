"""Notebook 09's view: what a character model writes after a prompt at a temperature, and which
of its sentences the grammar accepts (rnnlib.text.models.write computes both).

One change draws SAMPLE_CHARS characters (one forward step each; the view's settings are in
rnnlib.settings), parses the sentences and draws one bar chart (the distribution of the first
character after the prompt), within the views' 0.3 s.
"""

from __future__ import annotations

import textwrap

import numpy as np

from rnnlib.settings import (
    PROMPT_DEFAULT,
    SAMPLE_CHARS,
    SAMPLE_FIGSIZE,
    SAMPLE_SEED,
    TEMPERATURE_DEFAULT,
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    TEMPERATURE_STEP,
    TEXT_WIDTH,
    TOP,
)
from rnnlib.text.models import next_char_probabilities, write
from rnnlib.views.widgets import SLIDER_LAYOUT, figure_png, sliders


def sample_text(params, alphabet: str, prompt: str, temperature: float,
                n_chars: int = SAMPLE_CHARS, seed: int = SAMPLE_SEED) -> str:
    """The slider's text: the prompt, what the model wrote after it, and the grammar's verdict.

    Parameters
    ----------
    params : Params or GRUParams
        A character model over ``alphabet``.
    alphabet : str
        (V,) its characters.
    prompt : str
        What the model reads first; characters outside the alphabet are named, not raised.
    temperature : float
        > 0.
    n_chars : int
        Characters to draw.
    seed : int
        Seed of the draws (the same setting gives the same text).

    Returns
    -------
    str
        Lines wrapped at TEXT_WIDTH: the sample, how many whole sentences the grammar accepts,
        and the ones it rejects.

    Raises
    ------
    TypeError, ValueError
        For params and alphabet that do not belong together, a temperature that is not > 0.
    """
    if not prompt:
        return "type a prompt (at least one character) and press Enter"
    outside = sorted({c for c in prompt if c not in alphabet})
    if outside:
        return (f"the prompt holds characters the model does not know: {''.join(outside)!r}; "
                f"it knows {alphabet!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    sample = write(params, alphabet, prompt, n_chars, temperature=temperature,
                   rng=np.random.default_rng(seed))
    lines = textwrap.wrap(f"[{prompt.strip()}] {sample.text}", TEXT_WIDTH,
                          break_long_words=True, replace_whitespace=False, drop_whitespace=False)
    lines = [line.rstrip() for line in lines]
    n = len(sample.checks)
    lines.append("")
    lines.append(f"temperature {temperature:.1f}: the grammar accepts {sample.accepted} of the {n} "
                 f"whole sentences written after the prompt")
    rejected = [c.sentence for c in sample.checks if not c.accepted]
    for sentence in rejected:
        lines += textwrap.wrap(f"  not grammatical: {sentence}", TEXT_WIDTH,
                               subsequent_indent="    ")
    return "\n".join(lines)


def plot_next(params, alphabet: str, prompt: str, temperature: float):
    """A matplotlib Figure (not pyplot): the probabilities of the TOP most likely characters to
    come first after the prompt, at the temperature and at T = 1.

    Parameters
    ----------
    params, alphabet, prompt, temperature
        As sample_text (a prompt the model cannot read draws an empty chart).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=SAMPLE_FIGSIZE)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.86)
    ax = fig.add_subplot()
    x = np.arange(TOP)
    labels = [""] * TOP
    if prompt and all(c in alphabet for c in prompt) and temperature > 0:
        p = next_char_probabilities(params, alphabet, prompt, temperature)
        top = np.argsort(-p, kind="stable")[:TOP]  # few labels: drawing text is what costs
        ax.bar(x - 0.2, next_char_probabilities(params, alphabet, prompt, 1.0)[top], 0.4,
               color="0.7")
        ax.bar(x + 0.2, p[top], 0.4)
        labels = [repr(alphabet[i]) for i in top]
    ax.set_xticks(x, labels)
    ax.set_yticks([0, 0.5, 1])
    ax.set_ylim(0, 1)
    ax.set_title(f"the first character after the prompt: T = 1 (grey), T = {temperature:.1f}",
                 fontsize=9)
    return fig


def show_sample(params, alphabet: str, prompt: str, temperature: float) -> None:
    """Print sample_text(...) and display plot_next(...) (the slider's output).

    Parameters
    ----------
    params, alphabet, prompt, temperature
        As sample_text.

    Raises
    ------
    TypeError, ValueError
        As sample_text.
    """
    from IPython.display import Image, display

    print(sample_text(params, alphabet, prompt, temperature))
    display(Image(data=figure_png(plot_next(params, alphabet, prompt, temperature)),
                  format="png"))


def sampling_widget(params, alphabet: str):
    """Slider "temperature" and a "prompt" text box whose output is show_sample.

    Like the other views' sliders, its text form (what a stored notebook shows before the cell
    has run) says how to make it live.

    Parameters
    ----------
    params : Params or GRUParams
        A character model over ``alphabet``.
    alphabet : str
        (V,) its characters.

    Returns
    -------
    ipywidgets.interactive
        From rnnlib.views.widgets.sliders.
    """
    import ipywidgets as widgets

    slider = widgets.FloatSlider(
        value=TEMPERATURE_DEFAULT, min=TEMPERATURE_MIN, max=TEMPERATURE_MAX,
        step=TEMPERATURE_STEP, description="temperature", readout_format=".1f",
        continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(**SLIDER_LAYOUT),
    )
    prompt = widgets.Text(value=PROMPT_DEFAULT, description="prompt", continuous_update=False,
                          layout=widgets.Layout(**SLIDER_LAYOUT))

    def view(temperature: float, prompt: str) -> None:
        show_sample(params, alphabet, prompt, round(temperature, 1))

    return sliders(view, "temperature slider and prompt box", temperature=slider, prompt=prompt)
