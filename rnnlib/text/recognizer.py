"""The recognizer: is a sentence grammatical (e.g. a model's sample), and how probable is a text.

A sentence is parsed in every way the rules allow (a chart of the spans each symbol covers), so
the probability it gets is summed over its derivations, independently of how the sampler drew it.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np

from rnnlib.text.grammar import Grammar, Table, grammar_or_default, is_symbol


def _spans(table: Table, introduces: tuple[str, ...], symbol: str, text: str, start: int,
           memo: dict) -> dict[tuple[int, str | None], float]:
    """All ways ``symbol`` derives a piece of ``text`` that begins at ``start``.

    Returns {(end, name introduced or None): probability summed over the derivations}. Trying
    every option (not the first that fits) makes the sum the exact probability even for an
    ambiguous grammar.
    """
    key = (symbol, start)
    if key in memo:
        return memo[key]
    found: dict[tuple[int, str | None], float] = {}
    for probability, tokens in table[symbol]:
        partial = {(start, None): probability}  # the option's tokens matched so far
        for token in tokens:
            grown: dict[tuple[int, str | None], float] = {}
            for (position, name), p in partial.items():
                if is_symbol(token):
                    pieces = _spans(table, introduces, token, text, position, memo).items()
                elif text.startswith(token, position):  # a literal: one way, probability 1
                    pieces = [((position + len(token), None), 1.0)]
                else:
                    pieces = []
                for (end, inner_name), q in pieces:
                    after = (end, inner_name if inner_name is not None else name)
                    grown[after] = grown.get(after, 0.0) + p * q
            partial = grown
        for (end, name), p in partial.items():
            outcome = (end, tokens[0] if symbol in introduces else name)
            found[outcome] = found.get(outcome, 0.0) + p
    memo[key] = found
    return found


def _outcomes(grammar: Grammar, table: Table, name: str | None,
              sentence: str) -> dict[str | None, float]:
    """P(sentence | name in play), split by the name it introduces (None: it introduces none)."""
    spans = _spans(table, grammar.introduces, grammar.start_for(name), sentence, 0, {})
    outcomes: dict[str | None, float] = {}
    for (end, introduced), p in spans.items():
        if end == len(sentence):
            outcomes[introduced] = outcomes.get(introduced, 0.0) + p
    return outcomes


def _check_name(name, grammar: Grammar) -> str | None:
    if name is not None and name not in grammar.names:
        raise ValueError(f"name must be None or one of the grammar's names "
                         f"{sorted(grammar.names)}, got {name!r}")
    return name


def sentence_probability(sentence: str, name: str | None = None,
                         grammar: Grammar | None = None) -> float:
    """The probability that the grammar says ``sentence`` next, with ``name`` in play.

    Parameters
    ----------
    sentence : str
        One sentence; one trailing space (its separator in a stream) is ignored.
    name : str or None
        The name in play (introduced earlier); None: no name yet, so the sentence must
        introduce one.
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    float
        A probability in [0, 1]; 0 when the sentence is not grammatical there.

    Raises
    ------
    TypeError
        If ``sentence`` is not a str or ``grammar`` not a Grammar.
    ValueError
        If ``name`` is not one of the grammar's names.
    """
    grammar = grammar_or_default(grammar)
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    sentence = sentence.removesuffix(" ")
    _check_name(name, grammar)
    return math.fsum(_outcomes(grammar, grammar.table(name), name, sentence).values())


def accepts(sentence: str, name: str | None = None, grammar: Grammar | None = None) -> bool:
    """Whether ``sentence`` is grammatical when ``name`` is in play.

    Grammatical means: every word known, the verbs agree with their subjects, quotes and
    brackets closed, and the names and pronouns are those of the name in play (or the
    sentence introduces a name).

    Parameters
    ----------
    sentence : str
        One sentence, e.g. from a model's sample; one trailing space is ignored.
    name : str or None
        The name in play; None: no name yet (only an introduction is grammatical).
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``sentence`` is not a str or ``grammar`` not a Grammar.
    ValueError
        If ``name`` is not one of the grammar's names.
    """
    return sentence_probability(sentence, name, grammar) > 0.0


def split_sentences(text: str) -> tuple[list[str], str]:
    """Cut a stream into its sentences at every '. ', '? ' and '! '.

    Parameters
    ----------
    text : str
        A stream, e.g. ``sample_text(...)`` or a model's sample.

    Returns
    -------
    sentences : list of str
        The sentences that end with their space in ``text``, without it.
    rest : str
        What follows the last of them (unfinished, or a last sentence without its space).

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    *sentences, rest = re.split(r"(?<=[.?!]) ", text)
    return sentences, rest


class SentenceCheck(NamedTuple):
    """One sentence of a text, whether the grammar accepts it, and the name in play after it."""

    sentence: str
    accepted: bool
    name: str | None


def check_sentences(text: str, name: str | None = None,
                    grammar: Grammar | None = None) -> list[SentenceCheck]:
    """Judge each whole sentence of a text (e.g. a model's sample), carrying the name in play.

    An accepted introduction puts its name in play; a rejected sentence changes nothing.

    Parameters
    ----------
    text : str
        A stream; the unfinished rest after the last '. ', '? ' or '! ' is not judged.
    name : str or None
        The name in play before the text (e.g. at the end of the prompt).
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    list of SentenceCheck
        One ``(sentence, accepted, name)`` per whole sentence, ``name`` the name in play after it.

    Raises
    ------
    TypeError
        If ``text`` is not a str or ``grammar`` not a Grammar.
    ValueError
        If ``name`` is not one of the grammar's names.
    """
    grammar = grammar_or_default(grammar)
    _check_name(name, grammar)
    sentences, _ = split_sentences(text)
    tables = {state: grammar.table(state) for state in grammar.states}
    checks = []
    for sentence in sentences:
        outcomes = _outcomes(grammar, tables[name], name, sentence)
        if outcomes:
            introduced = max(outcomes, key=outcomes.__getitem__)
            name = introduced if introduced is not None else name
        checks.append(SentenceCheck(sentence, bool(outcomes), name))
    return checks


def log2_probability(text: str, grammar: Grammar | None = None) -> float:
    """log2 of the probability that a stream begins with ``text``, by parsing it.

    The name in play is followed through the text; were it ever uncertain (an ambiguous
    grammar), the sum runs over every way (the forward algorithm).

    Parameters
    ----------
    text : str
        Whole sentences, each followed by one space, from the stream's beginning (as
        ``sample_text(rng, n_sentences=...)`` makes).
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    float
        log2 p(text) <= 0; ``-inf`` if a sentence is not grammatical.

    Raises
    ------
    TypeError
        If ``text`` is not a str or ``grammar`` not a Grammar.
    ValueError
        If ``text`` does not end with a whole sentence and its space.
    """
    grammar = grammar_or_default(grammar)
    sentences, rest = split_sentences(text)
    if rest:
        raise ValueError(f"text must be whole sentences, each followed by one space; it ends with "
                         f"{rest[-40:]!r}")
    tables = {state: grammar.table(state) for state in grammar.states}
    log_alpha: dict[str | None, float] = {None: 0.0}  # log2 P(text so far, name in play)
    for sentence in sentences:
        grown: dict[str | None, float] = {}
        for name, log_p in log_alpha.items():
            for introduced, p in _outcomes(grammar, tables[name], name, sentence).items():
                after = introduced if introduced is not None else name
                grown[after] = np.logaddexp2(grown.get(after, -np.inf), log_p + math.log2(p))
        if not grown:
            return -math.inf
        log_alpha = grown
    return float(np.logaddexp2.reduce(list(log_alpha.values())))
