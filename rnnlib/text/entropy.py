"""The exact entropy rate of a grammar in bits per character: the floor no model can beat.

Computed from the rules (expected bits and characters per sentence by recursion) and the
Markov chain of the name in play (its stationary distribution), never by sampling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnnlib.text.grammar import Grammar, Table, grammar_or_default, is_symbol

Reward = Callable[[str, float, tuple[str, ...]], float]
"""What one choice adds: reward(symbol, probability of the option, the option's tokens)."""


def _expectation(table: Table, symbol: str, reward: Reward, memo: dict[str, float]) -> float:
    """E[sum of reward(symbol, p, tokens) over the choices made to derive ``symbol``].

    E(X) = sum_i p_i (reward(X, p_i, option i) + sum of E(Y) over the symbols Y in option i).
    """
    if symbol not in memo:
        memo[symbol] = math.fsum(
            p * (reward(symbol, p, tokens)
                 + math.fsum(_expectation(table, t, reward, memo) for t in tokens if is_symbol(t)))
            for p, tokens in table[symbol])
    return memo[symbol]


def _choice_bits(symbol: str, p: float, tokens: tuple[str, ...]) -> float:
    return -math.log2(p)


def _literal_chars(symbol: str, p: float, tokens: tuple[str, ...]) -> float:
    return sum(len(t) for t in tokens if not is_symbol(t))


def _introduction_of(grammar: Grammar, name: str) -> Reward:
    def introduced(symbol: str, p: float, tokens: tuple[str, ...]) -> float:
        return float(symbol in grammar.introduces and tokens == (name,))
    return introduced


@dataclass(frozen=True)
class SentenceChain:
    """The name in play as a Markov chain from sentence to sentence, and what each sentence costs.

    Attributes
    ----------
    states : tuple
        (S,) names in play: None (no name yet), then the grammar's names.
    transition : numpy.ndarray
        (S, S) P[i, j] = P(name j in play after a sentence | name i before it).
    stationary : numpy.ndarray
        (S,) pi with pi P = pi, sum 1.
    bits : numpy.ndarray
        (S,) H(sentence | name in play): expected bits of the choices of one sentence.
    chars : numpy.ndarray
        (S,) expected characters of one sentence with its space.
    """

    states: tuple[str | None, ...]
    transition: np.ndarray
    stationary: np.ndarray
    bits: np.ndarray
    chars: np.ndarray

    @property
    def bits_per_char(self) -> float:
        """The entropy rate: sum_s pi(s) bits(s) / sum_s pi(s) chars(s)."""
        return float(self.stationary @ self.bits / (self.stationary @ self.chars))


def _stationary(transition: np.ndarray) -> np.ndarray:
    """The unique pi with pi P = pi and sum(pi) = 1."""
    S = len(transition)
    if np.linalg.matrix_rank(transition.T - np.eye(S)) != S - 1:
        raise ValueError("the chain of names in play has no unique stationary distribution: "
                         "some names are never reached again from the others")
    system = np.vstack([transition.T - np.eye(S), np.ones((1, S))])
    pi = np.linalg.lstsq(system, np.r_[np.zeros(S), 1.0], rcond=None)[0]
    return np.clip(pi, 0.0, None) / np.clip(pi, 0.0, None).sum()


def sentence_chain(grammar: Grammar | None = None) -> SentenceChain:
    """The sentence-level Markov chain behind ``entropy_rate``, computed exactly.

    Parameters
    ----------
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    SentenceChain
        States (S,), transition (S, S), stationary (S,), bits (S,), chars (S,).

    Raises
    ------
    TypeError
        If ``grammar`` is not a Grammar.
    ValueError
        If the names in play have no unique stationary distribution.
    """
    grammar = grammar_or_default(grammar)
    states = grammar.states
    S = len(states)
    transition, bits, chars = np.zeros((S, S)), np.zeros(S), np.zeros(S)
    for i, name in enumerate(states):
        table, start = grammar.table(name), grammar.start_for(name)
        bits[i] = _expectation(table, start, _choice_bits, {})
        chars[i] = _expectation(table, start, _literal_chars, {}) + 1.0  # the space after it
        for j, new in enumerate(states[1:], start=1):
            transition[i, j] = _expectation(table, start, _introduction_of(grammar, new), {})
        transition[i, i] += 1.0 - transition[i].sum()  # no introduction: the name stays
    return SentenceChain(states, transition, _stationary(transition), bits, chars)


def entropy_rate(grammar: Grammar | None = None) -> float:
    """The grammar's entropy rate in bits per character, computed exactly (no sampling).

    Derivation. Let Z_k be the name in play before sentence k and S_k the sentence. S_k
    depends on the past only through Z_k, and Z_{k+1} is a function of (Z_k, S_k): (Z_k) is
    a Markov chain (``sentence_chain``). The stream determines its sentences (they end at
    '. ', '? ', '! ' only) and, the grammar being unambiguous, each sentence determines the
    choices that made it, so

        H(S_1 ... S_m) = sum_k H(S_k | S_1 ... S_{k-1}) = sum_k H(S_k | Z_k) = sum_k E[b(Z_k)],

    where b(z), the expected bits of the choices of one sentence with z in play, follows the
    rules: for a symbol X with options i of probability p_i,

        b(X) = sum_i p_i (-log2 p_i + sum of b(Y) over the symbols Y in option i).

    The same recursion with the option's literal characters in place of -log2 p_i gives the
    expected length c(z) (plus 1 for the space after a sentence), and with 1 where the name z'
    is chosen in an introducing symbol (0 elsewhere) it gives P(z -> z'). Over a long
    stream the chain visits z a fraction pi(z) of the time (pi P = pi), so bits and
    characters both accumulate at their stationary means (renewal-reward), and

        h = lim H(X_1 ... X_n) / n = sum_z pi(z) b(z) / sum_z pi(z) c(z).

    Parameters
    ----------
    grammar : Grammar or None
        None: ``english_grammar()``.

    Returns
    -------
    float
        Bits per character: no model of this text can average fewer on long held-out text.

    Raises
    ------
    TypeError
        If ``grammar`` is not a Grammar.
    ValueError
        If the names in play have no unique stationary distribution.
    """
    return sentence_chain(grammar).bits_per_char
