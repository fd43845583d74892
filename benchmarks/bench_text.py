"""The text of notebook 09: its exact entropy rate, the n-gram baselines against it, and timings.

Prints:
- the grammar (alphabet, vocabulary) and its exact entropy rate (rnnlib.text.entropy_rate);
- an independent check: -log2 p(text) / len(text) by parsing sampled streams, mean and standard
  error over streams (each stream's first sentence, the introduction, left out);
- n-gram bits per character for n = 1 .. 5 on a held-out stream, the discount chosen on
  validation text, perplexity and the gap to the floor;
- timings: sampling, the entropy rate, parsing, fitting and scoring 200k characters.
Asserts nothing. Run: python benchmarks/bench_text.py
"""

from __future__ import annotations

import re
import time

import numpy as np

from rnnlib.text import (
    bits_per_char,
    encode,
    english_grammar,
    entropy_rate,
    fit_ngram,
    log2_probability,
    sample_sentences,
    sample_text,
    sentence_chain,
    text_splits,
    tune_discount,
)

N_TRAIN, N_VALIDATION, N_TEST = 200_000, 50_000, 50_000
STREAMS, SENTENCES = 60, 500


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def sampling_check(grammar) -> tuple[float, float, float]:
    """Bits per character by the grammar's own probability of sampled streams (sum of bits over
    sum of characters), its standard error from the streams' spread, and the seconds it took."""
    start, bits, chars = time.perf_counter(), [], []
    for seed in range(STREAMS):
        sentences = sample_sentences(np.random.default_rng([2026, seed]), SENTENCES, grammar)
        first, text = sentences[0] + " ", "".join(s + " " for s in sentences)
        bits.append(log2_probability(first, grammar) - log2_probability(text, grammar))
        chars.append(len(text) - len(first))
    seconds = time.perf_counter() - start
    bits, chars = np.array(bits), np.array(chars)
    rate = bits.sum() / chars.sum()
    error = np.sqrt(STREAMS / (STREAMS - 1) * np.sum((bits - rate * chars) ** 2)) / chars.sum()
    return float(rate), float(error), seconds


def main() -> None:
    grammar = english_grammar()
    alphabet = grammar.alphabet
    words = set(re.findall(r"[a-z]+", sample_text(np.random.default_rng(0), n_sentences=5000)))
    print(f"alphabet: {len(alphabet)} characters {alphabet!r}; {len(words)} word forms")

    floor, seconds = timed(entropy_rate, grammar)
    chain = sentence_chain(grammar)
    by_name = ", ".join(f"{name} {chars:.3f}" for name, chars in
                        zip(chain.states[1:], chain.chars[1:], strict=True))
    print(f"exact entropy rate: {floor:.6f} bits/char ({seconds * 1e3:.1f} ms); per sentence "
          f"{chain.stationary @ chain.bits:.4f} bits over {chain.stationary @ chain.chars:.4f} "
          f"characters (by name in play: {by_name})")

    mean, error, seconds = sampling_check(grammar)
    print(f"sampled: -log2 p(text)/len over {STREAMS} streams x {SENTENCES} sentences = "
          f"{mean:.6f} +- {error:.6f} (z = {(mean - floor) / error:+.2f}; "
          f"{STREAMS * SENTENCES / seconds:,.0f} sentences/s sampled and parsed)")

    (train, validation, test), seconds = timed(text_splits, np.random.default_rng(0), N_TRAIN,
                                               N_VALIDATION, N_TEST)
    print(f"streams of {N_TRAIN:,} / {N_VALIDATION:,} / {N_TEST:,} characters sampled in "
          f"{seconds:.2f} s")
    train, validation, test = (encode(t, alphabet) for t in (train, validation, test))

    print(f"\n{'n':>2} {'discount':>8} {'val bpc':>8} {'test bpc':>8} {'perplexity':>10} "
          f"{'- floor':>8} {'tune s':>7}")
    total = 0.0
    for order in range(1, 6):
        (model, scores), seconds = timed(tune_discount, train, validation, order, len(alphabet))
        total += seconds
        bits = bits_per_char(model, test)
        print(f"{order:>2} {model.discount:>8.2f} {scores.min():>8.4f} {bits:>8.4f} "
              f"{2 ** bits:>10.3f} {bits - floor:>8.4f} {seconds:>7.3f}")
    print(f"floor {floor:.4f} bits/char (perplexity {2 ** floor:.3f}); tuning 20 discounts for "
          f"n = 1 .. 5 took {total:.2f} s")

    start = time.perf_counter()
    for order in range(1, 6):
        bits_per_char(fit_ngram(train, order, len(alphabet), 0.5), train)
    print(f"fit + score {N_TRAIN:,} characters, n = 1 .. 5: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
