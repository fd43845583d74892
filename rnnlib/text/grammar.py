"""A stochastic grammar of sentences: rules with weights, a name in play, the course's grammar.

A ``Grammar`` is data: symbol -> options (weight, expansion). The course's grammar
(``english_grammar``) writes English-like sentences whose structure reaches back: a name put in
play by an introduction is referred to again (by name and pronoun) in later sentences, verbs
agree with subjects a relative clause away, quotes and brackets close. The rules are not
recursive and each text has one derivation, which is what lets ``rnnlib.text.entropy`` compute
the entropy rate exactly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rnnlib.text.alphabet import build_alphabet

Table = dict[str, tuple[tuple[float, tuple[str, ...]], ...]]
"""Rules ready to use: symbol -> options (probability, tokens); probabilities sum to 1."""

_SYMBOL = re.compile(r"(<[^<>]+>)")


def is_symbol(token: str) -> bool:
    """Whether a token of an expansion is a symbol ('<...>'); any other token is literal text.

    Parameters
    ----------
    token : str
        A token of an expansion (from splitting it at its symbols).

    Returns
    -------
    bool
        True if it starts with '<'.
    """
    return token.startswith("<")


def _tokens(expansion: str) -> tuple[str, ...]:
    """'does <subject.sg> <vp.pl>?' -> ('does ', '<subject.sg>', ' ', '<vp.pl>', '?')."""
    return tuple(token for token in _SYMBOL.split(expansion) if token)


@dataclass(frozen=True)
class Grammar:
    """A stochastic grammar of sentences, with a name in play that sentences refer back to.

    Attributes
    ----------
    rules : Mapping[str, Sequence[tuple[float, str]]]
        Symbol -> options ``(weight, expansion)``. In an expansion, ``<...>`` is a symbol and
        everything else is literal text, e.g. ``(1, "does <subject.sg> <vp.pl>?")``. Weights
        are positive; a symbol's options are chosen with probability weight / sum of weights.
        The rules must not be recursive (each sentence is a finite tree).
    start : str
        The symbol of a sentence.
    first : str or None
        The symbol of a sentence said while no name is in play (the first of a stream);
        None: ``start``.
    names : Mapping[str, Mapping[str, str]]
        Name -> the text of the symbols bound to it while it is in play, e.g.
        ``{"ann": {"<name>": "ann", "<she>": "she", "<her>": "her"}}``.
    introduces : tuple[str, ...]
        Symbols whose options are names; the name chosen there is in play from then on.

    A stream is sentences, each followed by one space. The name in play before a sentence is
    the last one introduced (None before the first introduction); at most one name is
    introduced per sentence. A sentence ends with '.', '?' or '!' and nowhere else holds one
    of them followed by a space, so a stream splits into its sentences at '. ', '? ', '! '.
    """

    rules: Mapping[str, Sequence[tuple[float, str]]]
    start: str
    first: str | None = None
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    introduces: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_grammar(self)

    @property
    def states(self) -> tuple[str | None, ...]:
        """The possible names in play: None (no name yet), then every name."""
        return (None, *self.names)

    @property
    def alphabet(self) -> str:
        """Every character the grammar can write (the space between sentences included)."""
        literals = [t for options in self.rules.values() for _, e in options for t in _tokens(e)]
        literals += [text for bound in self.names.values() for text in bound.values()]
        return build_alphabet(" " + "".join(t for t in literals if not is_symbol(t)))

    def start_for(self, name: str | None) -> str:
        """The symbol of the next sentence when ``name`` is in play.

        Parameters
        ----------
        name : str or None
            The name in play, None before the first introduction.

        Returns
        -------
        str
            ``first`` when no name is in play and ``first`` is set, else ``start``.
        """
        return self.first if name is None and self.first is not None else self.start

    def table(self, name: str | None = None) -> Table:
        """The rules as probabilities, with the symbols bound to ``name`` (when not None).

        Parameters
        ----------
        name : str or None
            A name of ``names`` in play, whose bound symbols are added; None: the rules alone.

        Returns
        -------
        Table
            symbol -> options (probability, tokens), each symbol's probabilities summing to 1.

        Raises
        ------
        ValueError
            For a name that is not one of ``names``.
        """
        rules = dict(self.rules)
        if name is not None and name not in self.names:
            raise ValueError(f"name must be one of the grammar's names {sorted(self.names)}, "
                             f"got {name!r}")
        if name is not None:
            rules.update({symbol: [(1.0, text)] for symbol, text in self.names[name].items()})
        table = {}
        for symbol, options in rules.items():
            total = math.fsum(weight for weight, _ in options)
            table[symbol] = tuple((weight / total, _tokens(e)) for weight, e in options)
        return table


def _check_grammar(grammar: Grammar) -> None:
    """Kinds, weights, no undefined or recursive symbol: what sampling and the sums rely on."""
    _check_rules(grammar.rules)
    _check_names(grammar)
    for state in grammar.states:
        start = grammar.start_for(state)
        if not isinstance(start, str) or start not in grammar.rules:
            raise ValueError(f"start and first must be symbols that rules define, got {start!r}")
        table = grammar.table(state)
        _check_tree(table, start, state)
        most = _most_introductions(table, start, grammar.introduces, {})
        if most > 1:
            raise ValueError(f"a sentence may introduce one name at most, but {start} can "
                             f"introduce {most}")


def _check_rules(rules) -> None:
    if not isinstance(rules, Mapping) or not rules:
        raise TypeError(f"rules must be a non-empty dict of symbol -> options, got {rules!r}")
    for symbol, options in rules.items():
        if not (isinstance(symbol, str) and _SYMBOL.fullmatch(symbol)):
            raise ValueError(f"a rule's symbol must look like '<name>', got {symbol!r}")
        if isinstance(options, str) or not isinstance(options, Sequence) or not options:
            raise TypeError(f"rules[{symbol!r}] must be a non-empty list of (weight, text), "
                            f"got {options!r}")
        for option in options:
            if not (isinstance(option, tuple) and len(option) == 2 and isinstance(option[1], str)):
                raise TypeError(f"rules[{symbol!r}] holds {option!r}; an option is (weight, text)")
            weight, expansion = option
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise TypeError(f"rules[{symbol!r}]: a weight must be a number, got {weight!r}")
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(f"rules[{symbol!r}]: a weight must be positive and finite, "
                                 f"got {weight!r}")
            if any(mark in _SYMBOL.sub("", expansion) for mark in "<>"):
                raise ValueError(f"rules[{symbol!r}]: unmatched '<' or '>' in {expansion!r}")


def _check_names(grammar: Grammar) -> None:
    if not isinstance(grammar.names, Mapping):
        raise TypeError(f"names must be a dict of name -> bound symbols, got {grammar.names!r}")
    for name, bound in grammar.names.items():
        if not isinstance(bound, Mapping) or not all(
            isinstance(s, str) and _SYMBOL.fullmatch(s) and isinstance(t, str) and "<" not in t
            for s, t in bound.items()
        ):
            raise TypeError(f"names[{name!r}] must map symbols '<...>' to plain text, "
                            f"got {bound!r}")
        clash = set(bound) & set(grammar.rules)
        if clash:
            raise ValueError(f"names[{name!r}] binds {sorted(clash)}, which rules already define")
    for symbol in grammar.introduces:
        if symbol not in grammar.rules:
            raise ValueError(f"introduces names {symbol!r}, which rules do not define")
        for _, expansion in grammar.rules[symbol]:
            if expansion not in grammar.names:
                raise ValueError(f"every option of {symbol!r} (in introduces) must be one of the "
                                 f"names {sorted(grammar.names)}, got {expansion!r}")


def _check_tree(table: Table, start: str, state: str | None) -> None:
    """Every symbol reachable from start is defined, and none is reached again inside itself."""
    done: set[str] = set()

    def visit(symbol: str, path: tuple[str, ...]) -> None:
        if symbol in path:
            raise ValueError(f"the rules are recursive: {' -> '.join((*path, symbol))}")
        if symbol in done:
            return
        if symbol not in table:
            where = "while no name is in play" if state is None else f"with {state!r} in play"
            raise ValueError(f"{path[-1]} uses {symbol}, which is not defined {where}")
        for _, tokens in table[symbol]:
            for token in tokens:
                if is_symbol(token):
                    visit(token, (*path, symbol))
        done.add(symbol)

    visit(start, ())


def _most_introductions(table: Table, symbol: str, introduces: tuple[str, ...],
                        memo: dict[str, int]) -> int:
    """The most names that one derivation of ``symbol`` introduces."""
    if symbol not in memo:
        memo[symbol] = (symbol in introduces) + max(
            sum(_most_introductions(table, t, introduces, memo) for t in tokens if is_symbol(t))
            for _, tokens in table[symbol])
    return memo[symbol]


def english_grammar() -> Grammar:
    """The course's grammar: English-like sentences whose structure reaches back.

    What reaches back:
    - a name: "there is a girl called ann." puts ann in play; later sentences say ann, she and
      her (a boy: he, him) until another name is introduced;
    - agreement across a clause: "the dog that sees the cats runs." (the verb agrees with dog,
      not with cats next to it), "do the foxes ...?" / "does the fox ...?";
    - closing marks: a quote '"the dog runs," says ann.' and an aside "(as she says)" must close.

    Returns
    -------
    Grammar
        About 50 word forms; the alphabet is 22 lowercase letters, the space and . , ? " ( ).
    """
    rules = {
        "<sentence>": [(4, "<clause>."), (2, "<question>"), (2, '"<clause>," <speaker>.'),
                       (1, "<introduction>")],
        "<introduction>": [(1, "there is a girl called <girl>."),
                           (1, "there is a boy called <boy>.")],
        "<girl>": [(1, "ann"), (1, "lucy")],
        "<boy>": [(1, "bob"), (1, "tom")],
        "<speaker>": [(1, "says <name>"), (1, "<she> says")],
        "<question>": [(1, "does <subject.sg> <vp.pl>?"), (1, "do <subject.pl> <vp.pl>?")],
        "<clause>": [(1, "<subject.sg> <vp.sg>"), (1, "<subject.pl> <vp.pl>")],
        "<subject.sg>": [(2, "<np.sg><relative.sg><aside>"), (1, "<name><aside>"), (1, "<she>")],
        "<subject.pl>": [(1, "<np.pl><relative.pl><aside>")],
        "<relative.sg>": [(2, ""), (1, " that <vp.sg>"), (1, " that <inner>")],
        "<relative.pl>": [(2, ""), (1, " that <vp.pl>"), (1, " that <inner>")],
        "<inner>": [(1, "<np.sg> <tv.sg>"), (1, "<np.pl> <tv.pl>"), (1, "<name> <tv.sg>"),
                    (1, "<she> <tv.sg>")],
        "<aside>": [(4, ""), (1, " (as <name> says)"), (1, " (i think)")],
        "<vp.sg>": [(1, "<iv.sg>"), (1, "<tv.sg> <object>")],
        "<vp.pl>": [(1, "<iv.pl>"), (1, "<tv.pl> <object>")],
        "<object>": [(1, "<np.sg>"), (1, "<np.pl>"), (1, "<name>"), (1, "<her>")],
        "<np.sg>": [(1, "the <adjective><noun.sg>")],
        "<np.pl>": [(1, "the <adjective><noun.pl>")],
        "<adjective>": [(3, ""), (1, "big "), (1, "small "), (1, "old ")],
        "<noun.sg>": [(1, "dog"), (1, "cat"), (1, "bird"), (1, "fox")],
        "<noun.pl>": [(1, "dogs"), (1, "cats"), (1, "birds"), (1, "foxes")],
        "<iv.sg>": [(1, "runs"), (1, "sleeps"), (1, "sings")],
        "<iv.pl>": [(1, "run"), (1, "sleep"), (1, "sing")],
        "<tv.sg>": [(1, "sees"), (1, "likes"), (1, "chases"), (1, "watches")],
        "<tv.pl>": [(1, "see"), (1, "like"), (1, "chase"), (1, "watch")],
    }
    she, he = {"<she>": "she", "<her>": "her"}, {"<she>": "he", "<her>": "him"}
    names = {name: {"<name>": name, **pronouns}
             for name, pronouns in [("ann", she), ("lucy", she), ("bob", he), ("tom", he)]}
    return Grammar(rules, start="<sentence>", first="<introduction>", names=names,
                   introduces=("<girl>", "<boy>"))


def grammar_or_default(grammar: Grammar | None) -> Grammar:
    """``grammar``, checked to be a Grammar; None: ``english_grammar()``.

    Parameters
    ----------
    grammar : Grammar or None
        A grammar, or None for the course's.

    Returns
    -------
    Grammar
        ``grammar`` itself, or ``english_grammar()``.

    Raises
    ------
    TypeError
        For anything but a Grammar or None.
    """
    if grammar is None:
        return english_grammar()
    if not isinstance(grammar, Grammar):
        raise TypeError(f"grammar must be a Grammar (e.g. english_grammar()) or None, "
                        f"got {type(grammar).__name__}")
    return grammar
