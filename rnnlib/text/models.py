"""A character model judged on text: its bits per character on a held-out stream, its samples,
and which of its sampled sentences the grammar accepts (what a slider of notebook 09 shows).

The model is any cell rnnlib trains on one-hot characters (D == O == len(alphabet)): the plain
cell's Params, the GRU's GRUParams or the LSTM's LSTMParams. A held-out stream is scored the way
it is read: from the zero state (h_0 = 0; the LSTM's c_0 = 0 too), the state carried through the
whole stream, each character predicted from all before it,

    bits per character = -1 / (n - 1) * sum_{t=1}^{n-1} log2 softmax(V h_t + c)[s_t],

where h_t has read s_0 .. s_{t-1}. That is the n-gram models' measure too
(rnnlib.text.ngrams.bits_per_char, which scores s_1 .. s_{n-1} as well), so the two compare
like with like.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from rnnlib._checks import positive_float
from rnnlib.gated import GRUParams
from rnnlib.lstm import LSTMParams
from rnnlib.model import Params
from rnnlib.sequence import sample, tempered
from rnnlib.text.alphabet import _alphabet, _encode, check_indices, decode
from rnnlib.text.grammar import Grammar, grammar_or_default
from rnnlib.text.recognizer import SentenceCheck, check_sentences
from rnnlib.training import cell_for


def _model(params, alphabet: str):
    """(cell, params) of a character model over ``alphabet``, checked (cell_for, _vocabulary)."""
    cell, params = cell_for(params, "tanh")
    _vocabulary(params, alphabet)
    return cell, params


def _prompt(prompt, alphabet: str) -> np.ndarray:
    """The prompt's indices: TypeError if it is not a str, ValueError if empty or outside."""
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a str, got {type(prompt).__name__}")
    if not prompt:
        raise ValueError("prompt must hold at least one character, got ''")
    return _encode(prompt, alphabet, "prompt")


def _vocabulary(params, alphabet: str | None = None) -> int:
    if params.input_size != params.output_size:
        raise ValueError(f"a character model reads and predicts one alphabet: it needs "
                         f"input_size == output_size, got D = {params.input_size}, "
                         f"O = {params.output_size}")
    if alphabet is not None and len(alphabet) != params.output_size:
        raise ValueError(f"the model predicts {params.output_size} characters but the alphabet "
                         f"has {len(alphabet)}: {alphabet!r}")
    return params.output_size


def model_bits_per_char(params: Params | GRUParams | LSTMParams, indices: np.ndarray) -> float:
    """Bits per character of a model on a stream, read from h_0 = 0 with the state carried.

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        A model with D == O == V (one-hot characters in, scores over them out).
    indices : numpy.ndarray
        (n,) int, n >= 2, characters coded 0 .. V - 1 (``encode``).

    Returns
    -------
    float
        The mean of -log2 p(s_t | s_0 .. s_{t-1}) over t = 1 .. n - 1 (module docstring).

    Raises
    ------
    TypeError
        For params that are not a model, indices that are not integers.
    ValueError
        For D != O, indices not (n,) with n >= 2 or outside 0 .. V - 1.
    """
    cell, params = cell_for(params, "tanh")
    V = _vocabulary(params)
    s = check_indices(indices, "indices", V)
    if s.size < 2:
        raise ValueError(f"indices must hold at least 2 characters (one to read, one to "
                         f"predict), got {s.size}")
    states, _ = cell.forward(params, np.eye(V)[s[:-1]][:, None, :], None)
    scores = states[1:, 0] @ params.V.T + params.c  # (n - 1, V)
    scores -= scores.max(axis=1, keepdims=True)
    log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(s.size - 1), s[1:]].mean() / np.log(2.0))


class Sample(NamedTuple):
    """What a model wrote after a prompt, and the grammar's verdict on each whole sentence."""

    prompt: str
    text: str
    checks: list[SentenceCheck]

    @property
    def accepted(self) -> int:
        """How many of the whole sentences the grammar accepts."""
        return sum(check.accepted for check in self.checks)

    @property
    def fraction(self) -> float:
        """accepted / number of whole sentences (NaN if there is none)."""
        return self.accepted / len(self.checks) if self.checks else float("nan")


def write(params: Params | GRUParams | LSTMParams, alphabet: str, prompt: str, n_chars: int, *,
          temperature: float, rng: np.random.Generator | None,
          grammar: Grammar | None = None) -> Sample:
    """Feed ``prompt``, draw ``n_chars`` characters at ``temperature`` (rnnlib.sequence.sample),
    and check each whole sentence that the model wrote after the prompt.

    The sentences are checked with the name in play at the end of the prompt (the prompt's own
    sentences are followed by the recognizer first), so that "he" after "there is a boy called
    tom. " is judged as the grammar would. The unfinished rest after the last whole sentence is
    not judged. If the prompt does not end with a sentence and its space, the model's first
    sentence continues the prompt's unfinished one, and is judged whole.

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        A character model over ``alphabet`` (D == O == len(alphabet)).
    alphabet : str
        (V,) its characters.
    prompt : str
        At least one character, every one in ``alphabet``.
    n_chars : int
        Characters to draw, >= 0.
    temperature : float
        >= 0 (0: always the most likely character).
    rng : numpy.random.Generator or None
        The draws' randomness; required when temperature > 0.
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    Sample
        ``(prompt, text, checks)``: the drawn text (prompt not included) and one SentenceCheck
        per whole sentence written after the prompt.

    Raises
    ------
    TypeError
        For params that are not a model, an alphabet or prompt that is not a str, and the
        wrong kinds rnnlib.sequence.sample refuses (n_chars, temperature, rng).
    ValueError
        For an alphabet the model does not predict, an empty prompt or one with characters
        outside the alphabet, and the values sample refuses (n_chars < 0, a negative, NaN or
        infinite temperature).
    """
    alphabet = _alphabet(alphabet)
    _model(params, alphabet)
    indices = _prompt(prompt, alphabet)
    grammar = grammar_or_default(grammar)
    drawn = sample(params, indices, n_chars, temperature=temperature, rng=rng)
    text = decode(drawn, alphabet)
    before = check_sentences(prompt, None, grammar)
    name = before[-1].name if before else None
    cut = sum(len(c.sentence) + 1 for c in before)  # the prompt's whole sentences
    return Sample(prompt, text, check_sentences(prompt[cut:] + text, name, grammar))


def acceptance(params: Params | GRUParams | LSTMParams, alphabet: str, prompt: str, n_chars: int,
               temperatures, rng: np.random.Generator,
               grammar: Grammar | None = None) -> dict[float, Sample]:
    """``write`` at each temperature, one after another from the same Generator.

    Parameters
    ----------
    params, alphabet, prompt, n_chars, grammar
        As ``write``.
    temperatures : sequence of float
        Each > 0.
    rng : numpy.random.Generator
        Draws every sample in turn.

    Returns
    -------
    dict of float to Sample
        temperature -> what the model wrote; ``.fraction`` is the share of its whole sentences
        that the grammar accepts.

    Raises
    ------
    TypeError
        For temperatures that are not a sequence; otherwise as ``write``.
    ValueError
        As ``write``.
    """
    if isinstance(temperatures, str) or not isinstance(temperatures, Iterable):
        raise TypeError(f"temperatures must be a sequence of numbers > 0, got "
                        f"{type(temperatures).__name__} {temperatures!r:.60}")
    samples = {}
    for T in temperatures:
        drawn = write(params, alphabet, prompt, n_chars, temperature=T, rng=rng, grammar=grammar)
        samples[float(T)] = drawn  # write has checked T
    return samples


def next_char_probabilities(params: Params | GRUParams | LSTMParams, alphabet: str, prompt: str,
                            temperature: float) -> np.ndarray:
    """The distribution the first character after ``prompt`` is drawn from at ``temperature``.

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        A character model over ``alphabet``.
    alphabet : str
        (V,) its characters.
    prompt : str
        At least one character, every one in ``alphabet``; read from h_0 = 0.
    temperature : float
        > 0.

    Returns
    -------
    numpy.ndarray
        (V,) softmax(y_hat / temperature) after the prompt's last character, summing to 1.

    Raises
    ------
    TypeError
        For params that are not a model, an alphabet or prompt that is not a str, a
        temperature that is not a number.
    ValueError
        For an alphabet the model does not predict, an empty prompt or one with characters
        outside the alphabet, a temperature that is not finite and > 0.
    """
    alphabet = _alphabet(alphabet)
    cell, params = _model(params, alphabet)
    indices = _prompt(prompt, alphabet)
    temperature = positive_float(temperature, "temperature")
    states, _ = cell.forward(params, np.eye(len(alphabet))[indices][:, None, :], None)
    p = tempered(states[-1, 0] @ params.V.T + params.c, temperature)
    return p / p.sum()
