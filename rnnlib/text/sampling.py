"""Sampling a stream of sentences from a grammar, and train / validation / test streams.

Randomness comes only from the ``numpy.random.Generator`` passed in: one seed, one text.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from rnnlib._checks import generator, positive_int
from rnnlib.text.grammar import Grammar, Table, grammar_or_default, is_symbol


def _derive(table: Table, cumulative: dict[str, list[float]], introduces: tuple[str, ...],
            symbol: str, rng: np.random.Generator) -> tuple[str, float, str | None]:
    """A random derivation of ``symbol``: its text, its choices' bits, the name it introduces."""
    options = table[symbol]
    i = 0 if len(options) == 1 else bisect.bisect(cumulative[symbol], rng.random())
    probability, tokens = options[i]
    bits = -math.log2(probability)
    if symbol in introduces:
        return tokens[0], bits, tokens[0]
    pieces, introduced = [], None
    for token in tokens:
        if is_symbol(token):
            text, more_bits, name = _derive(table, cumulative, introduces, token, rng)
            pieces.append(text)
            bits += more_bits
            introduced = name if name is not None else introduced
        else:
            pieces.append(token)
    return "".join(pieces), bits, introduced


def _cumulative(options: tuple[tuple[float, tuple[str, ...]], ...]) -> list[float]:
    """Upper ends of the options' intervals in [0, 1); the last is 1 exactly (no rounding gap)."""
    ends = list(itertools.accumulate(p for p, _ in options))
    ends[-1] = 1.0
    return ends


def _stream(grammar: Grammar, rng: np.random.Generator) -> Iterator[tuple[str, float]]:
    """Sentences (without their space) and the bits of their choices, one after another."""
    tables = {state: grammar.table(state) for state in grammar.states}
    cumulative = {state: {s: _cumulative(options) for s, options in table.items()}
                  for state, table in tables.items()}
    name = None
    while True:
        sentence, bits, introduced = _derive(tables[name], cumulative[name], grammar.introduces,
                                             grammar.start_for(name), rng)
        name = introduced if introduced is not None else name
        yield sentence, bits


def sample_sentences(rng: np.random.Generator, n_sentences: int,
                     grammar: Grammar | None = None) -> list[str]:
    """Draw the first ``n_sentences`` sentences of a stream (the first introduces a name).

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness: the same seed gives the same sentences.
    n_sentences : int
        How many sentences, >= 1.
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    list of str
        ``n_sentences`` sentences, each without the space that follows it in a stream.

    Raises
    ------
    TypeError
        If ``rng`` is not a Generator, ``n_sentences`` not an integer or ``grammar`` not a Grammar.
    ValueError
        If ``n_sentences`` < 1.
    """
    rng = generator(rng)
    n_sentences = positive_int(n_sentences, "n_sentences")
    return [s for s, _ in itertools.islice(_stream(grammar_or_default(grammar), rng), n_sentences)]


def sample_text(rng: np.random.Generator, n_chars: int | None = None, *,
                n_sentences: int | None = None, grammar: Grammar | None = None) -> str:
    """Draw a stream: sentences, each followed by one space, cut to ``n_chars`` characters.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness: the same seed gives the same text.
    n_chars : int or None
        Length of the text, >= 1 (the last sentence is usually cut off).
    n_sentences : int or None
        Instead of ``n_chars``: this many whole sentences, each with its space.
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    str
        A text of ``n_chars`` characters, or of ``n_sentences`` sentences.

    Raises
    ------
    TypeError
        If ``rng`` is not a Generator or a count is not an integer.
    ValueError
        If not exactly one of ``n_chars`` and ``n_sentences`` is given, or it is < 1.
    """
    rng = generator(rng)
    if (n_chars is None) == (n_sentences is None):
        raise ValueError(f"give exactly one of n_chars and n_sentences, got n_chars={n_chars!r}, "
                         f"n_sentences={n_sentences!r}")
    if n_sentences is not None:
        return "".join(s + " " for s in sample_sentences(rng, n_sentences, grammar))
    n_chars = positive_int(n_chars, "n_chars")
    pieces, length = [], 0
    for sentence, _ in _stream(grammar_or_default(grammar), rng):
        pieces.append(sentence + " ")
        length += len(sentence) + 1
        if length >= n_chars:
            return "".join(pieces)[:n_chars]
    raise AssertionError("unreachable: the stream is endless")


class TextSplits(NamedTuple):
    """Three streams drawn from three independent generators."""

    train: str
    validation: str
    test: str


def text_splits(rng: np.random.Generator, n_train: int, n_validation: int, n_test: int,
                grammar: Grammar | None = None) -> TextSplits:
    """Training, validation and test streams, each from its own child of ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Parent generator; ``rng.spawn(3)`` gives the three streams their own seeds.
    n_train, n_validation, n_test : int
        Lengths in characters, each >= 1.
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    TextSplits
        ``(train, validation, test)`` strings of the given lengths.

    Raises
    ------
    TypeError
        If ``rng`` is not a Generator or a length is not an integer.
    ValueError
        If a length is < 1.
    """
    rng = generator(rng)
    sizes = [positive_int(n, label) for n, label in
             [(n_train, "n_train"), (n_validation, "n_validation"), (n_test, "n_test")]]
    children = rng.spawn(3)
    return TextSplits(*(sample_text(child, n, grammar=grammar)
                        for child, n in zip(children, sizes, strict=True)))
