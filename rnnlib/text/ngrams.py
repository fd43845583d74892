"""Character n-gram models fitted by counting: the baselines an RNN language model must beat.

Interpolated absolute discounting (one discount d, chosen on validation text), n = 1, 2, ...;
scored in bits per character (and perplexity) on held-out text. Counting and scoring are
vectorised: every (context, character) pair is one int64 code, counted with ``numpy.unique``
and looked up with ``numpy.searchsorted``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from rnnlib._checks import positive_int
from rnnlib.text.alphabet import check_indices


@dataclass(frozen=True)
class OrderCounts:
    """What an n-gram model counted for contexts of one length k - 1 (codes: ``_context_codes``).

    Attributes
    ----------
    pairs, pair_counts : numpy.ndarray
        (P,) sorted codes of the (context h, next character c) pairs seen, and N(h, c).
    contexts, context_counts, context_types : numpy.ndarray
        (C,) sorted codes of the contexts seen, N(h) = sum_c N(h, c), and T(h), the number
        of distinct characters seen after h.
    """

    pairs: np.ndarray
    pair_counts: np.ndarray
    contexts: np.ndarray
    context_counts: np.ndarray
    context_types: np.ndarray


@dataclass(frozen=True)
class NGramModel:
    """A character n-gram model: counts for every order 1 .. n and one discount.

    P_k(c | h) = (max(N(h, c) - d, 0) + d T(h) P_{k-1}(c | h')) / N(h), where h' is h
    without its oldest character and P_0 = 1/V; an unseen context (N(h) = 0) uses
    P_{k-1}. For d in [0, 1] each P_k sums to 1 over the alphabet: the discounted mass d T(h)
    is exactly what the lower order receives (interpolated absolute discounting). The text is
    preceded by n - 1 start marks, so its first characters have contexts too.

    Attributes
    ----------
    order : int
        n: a character is predicted from the n - 1 before it.
    alphabet_size : int
        V.
    discount : float
        d in [0, 1]; 0 is maximum likelihood (unseen characters get probability 0).
    counts : tuple of OrderCounts
        (n,) the counts of orders 1 .. n.
    """

    order: int
    alphabet_size: int
    discount: float
    counts: tuple[OrderCounts, ...]


def _windows(indices: np.ndarray, order: int, alphabet_size: int) -> np.ndarray:
    """(n, order): row t holds the order - 1 characters before t (V: before the text), then t."""
    padded = np.concatenate([np.full(order - 1, alphabet_size, dtype=np.int64), indices])
    return np.lib.stride_tricks.sliding_window_view(padded, order)


def _context_codes(windows: np.ndarray, k: int, alphabet_size: int) -> np.ndarray:
    """(M,) one integer per row for its last k - 1 context characters (base V + 1: start mark V)."""
    context = windows[:, windows.shape[1] - k:-1]
    return context @ (alphabet_size + 1) ** np.arange(k - 2, -1, -1, dtype=np.int64)


def _check_discount(discount) -> float:
    if isinstance(discount, bool) or not isinstance(discount, int | float | np.number):
        raise TypeError(f"discount must be a number in [0, 1], got {discount!r}")
    if not 0.0 <= discount <= 1.0:
        raise ValueError(f"discount must be in [0, 1], got {discount!r}")
    return float(discount)


def fit_ngram(indices: np.ndarray, order: int, alphabet_size: int,
              discount: float = 0.75) -> NGramModel:
    """Count the n-grams of a text: a character model of order n = ``order``.

    Parameters
    ----------
    indices : numpy.ndarray
        (n,) training text as int indices in 0 .. V - 1 (``encode``).
    order : int
        n >= 1: 1 is the unigram (character frequencies), 5 reads the 4 characters before.
    alphabet_size : int
        V, the number of characters (``len(alphabet)``).
    discount : float
        d in [0, 1], subtracted from every count seen (``NGramModel``); ``tune_discount``
        chooses it on validation text.

    Returns
    -------
    NGramModel

    Raises
    ------
    TypeError
        If ``indices`` are not integers, or ``order``, ``alphabet_size``, ``discount`` are of
        the wrong kind.
    ValueError
        If ``indices`` are empty, not (n,) or outside 0 .. V - 1, ``order`` < 1, ``discount``
        outside [0, 1], or (V + 1)^(n - 1) V exceeds int64.
    """
    order = positive_int(order, "order")
    V = positive_int(alphabet_size, "alphabet_size")
    indices = check_indices(indices, "indices", V)
    if (V + 1) ** (order - 1) * V >= 2**62:
        raise ValueError(f"order {order} with alphabet_size {V} gives n-gram codes beyond int64; "
                         f"use a lower order")
    windows = _windows(indices, order, V)
    counts = []
    for k in range(1, order + 1):
        contexts = _context_codes(windows, k, V)
        pairs, pair_counts = np.unique(contexts * V + windows[:, -1], return_counts=True)
        seen, context_counts = np.unique(contexts, return_counts=True)
        _, context_types = np.unique(pairs // V, return_counts=True)  # same sorted contexts
        counts.append(OrderCounts(pairs, pair_counts, seen, context_counts, context_types))
    return NGramModel(order, V, _check_discount(discount), tuple(counts))


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """values[keys == query] for each query, 0 where the query is not among the sorted keys."""
    i = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[i] == queries, values[i], 0)


def _lookups(model: NGramModel, windows: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """N(h, c), N(h), T(h) for every row and order: what the probabilities need, for any d."""
    V, found = model.alphabet_size, []
    for k, counts in enumerate(model.counts, start=1):
        contexts = _context_codes(windows, k, V)
        found.append((_lookup(counts.pairs, counts.pair_counts, contexts * V + windows[:, -1]),
                      _lookup(counts.contexts, counts.context_counts, contexts),
                      _lookup(counts.contexts, counts.context_types, contexts)))
    return found


def _interpolate(lookups: list[tuple[np.ndarray, ...]], discount: float,
                 alphabet_size: int) -> np.ndarray:
    """P_n(c | h) for every row: the recursion of ``NGramModel`` from P_0 = 1/V up."""
    p = np.full(len(lookups[0][0]), 1.0 / alphabet_size)
    for pair_count, context_count, context_types in lookups:
        mixed = (np.maximum(pair_count - discount, 0.0) + discount * context_types * p)
        p = np.where(context_count > 0, mixed / np.maximum(context_count, 1), p)
    return p


def _bits(p: np.ndarray) -> float:
    with np.errstate(divide="ignore"):  # p = 0 (d = 0, unseen) is an infinite cost, said as inf
        return float(-np.mean(np.log2(p)))


def next_char_probabilities(model: NGramModel, context: np.ndarray) -> np.ndarray:
    """The model's distribution of the next character after ``context``.

    Parameters
    ----------
    model : NGramModel
    context : numpy.ndarray
        (m,) int indices, m >= 0; only the last n - 1 count (fewer: the start of a text).

    Returns
    -------
    numpy.ndarray
        (V,) probabilities summing to 1 (for any context, seen or not).

    Raises
    ------
    TypeError
        If ``model`` is not an NGramModel or ``context`` not integers.
    ValueError
        If ``context`` is not (m,) or lies outside 0 .. V - 1.
    """
    model = _model(model)
    V, n = model.alphabet_size, model.order
    context = check_indices(context, "context", V, allow_empty=True)
    recent = np.concatenate([np.full(n - 1, V, dtype=np.int64), context])[len(context):]
    windows = np.column_stack([np.tile(recent, (V, 1)), np.arange(V)])
    return _interpolate(_lookups(model, windows), model.discount, V)


def _model(model) -> NGramModel:
    if not isinstance(model, NGramModel):
        raise TypeError(f"model must be an NGramModel (from fit_ngram), got {type(model).__name__}")
    return model


def bits_per_char(model: NGramModel, indices: np.ndarray) -> float:
    """Average -log2 P(x_t | the n - 1 characters before) over a text: the model's cross-entropy.

    Parameters
    ----------
    model : NGramModel
    indices : numpy.ndarray
        (n,) held-out text as int indices in 0 .. V - 1.

    Returns
    -------
    float
        Bits per character (``inf`` if d = 0 and a character was never seen in its context);
        the perplexity is 2 ** bits.

    Raises
    ------
    TypeError
        If ``model`` is not an NGramModel or ``indices`` not integers.
    ValueError
        If ``indices`` are empty, not (n,) or outside 0 .. V - 1.
    """
    model = _model(model)
    indices = check_indices(indices, "indices", model.alphabet_size)
    windows = _windows(indices, model.order, model.alphabet_size)
    return _bits(_interpolate(_lookups(model, windows), model.discount, model.alphabet_size))


def perplexity(model: NGramModel, indices: np.ndarray) -> float:
    """2 ** ``bits_per_char``: the model is as unsure as a fair pick among that many characters.

    Parameters
    ----------
    model : NGramModel
    indices : numpy.ndarray
        (n,) held-out text as int indices in 0 .. V - 1.

    Returns
    -------
    float
        >= 1 (``inf`` where ``bits_per_char`` is).

    Raises
    ------
    TypeError, ValueError
        As ``bits_per_char``.
    """
    return float(2.0 ** bits_per_char(model, indices))


DISCOUNTS = tuple(np.round(np.arange(0.05, 1.0001, 0.05), 2).tolist())
"""The discounts ``tune_discount`` tries by default: 0.05, 0.10, ..., 1.00."""


def tune_discount(train: np.ndarray, validation: np.ndarray, order: int, alphabet_size: int,
                  discounts: Sequence[float] = DISCOUNTS) -> tuple[NGramModel, np.ndarray]:
    """Fit an n-gram model and choose its discount by bits per character on validation text.

    Parameters
    ----------
    train, validation : numpy.ndarray
        (n_train,), (n_val,) int indices in 0 .. V - 1.
    order : int
        n >= 1.
    alphabet_size : int
        V.
    discounts : sequence of float
        (K,) candidates in [0, 1].

    Returns
    -------
    model : NGramModel
        Fitted on ``train`` with the discount of lowest validation bits per character.
    validation_bits : numpy.ndarray
        (K,) validation bits per character for each candidate.

    Raises
    ------
    TypeError, ValueError
        As ``fit_ngram`` for the text, order and size; ValueError if ``discounts`` is empty.
    """
    model = fit_ngram(train, order, alphabet_size)
    validation = check_indices(validation, "validation", model.alphabet_size)
    candidates = [_check_discount(d) for d in discounts]
    if not candidates:
        raise ValueError("discounts must hold at least one candidate in [0, 1], got none")
    lookups = _lookups(model, _windows(validation, model.order, model.alphabet_size))
    scores = np.array([_bits(_interpolate(lookups, d, model.alphabet_size)) for d in candidates])
    return replace(model, discount=candidates[int(np.argmin(scores))]), scores
