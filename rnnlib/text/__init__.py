"""Text for a character-level language model, and the scores it must be judged against.

One module per concept:
    grammar      a small stochastic grammar of English-like sentences whose structure reaches
                 back (a name that recurs, agreement across a clause, quotes and brackets)
    sampling     a stream of its sentences from a seeded Generator; train / validation / test
    recognizer   is a sentence grammatical? the exact probability of a text, by parsing
    entropy      the exact entropy rate in bits per character: the floor no model can beat
    alphabet     characters <-> indices (one-hot ready), reading a learner's own text file
    ngrams       character n-gram models fitted by counting (n = 1 .. 5, smoothing chosen on
                 validation text): the baselines, in bits per character and perplexity
    models       a trained character model (rnnlib.text.models, imported on its own): its bits
                 per character on a stream, its samples and which sentences the grammar accepts

A typical use::

    rng = np.random.default_rng(0)
    train, validation, test = text_splits(rng, 200_000, 50_000, 50_000)
    alphabet = english_grammar().alphabet
    floor = entropy_rate()                                   # bits per character
    model, _ = tune_discount(encode(train, alphabet), encode(validation, alphabet), 5,
                             len(alphabet))
    bits_per_char(model, encode(test, alphabet))             # above the floor
    check_sentences(model_sample)                            # which sentences are grammatical
"""

from rnnlib.text.alphabet import EncodedText, build_alphabet, decode, encode, read_text
from rnnlib.text.entropy import SentenceChain, entropy_rate, sentence_chain
from rnnlib.text.grammar import Grammar, english_grammar
from rnnlib.text.ngrams import (
    DISCOUNTS,
    NGramModel,
    OrderCounts,
    bits_per_char,
    fit_ngram,
    next_char_probabilities,
    perplexity,
    tune_discount,
)
from rnnlib.text.recognizer import (
    SentenceCheck,
    accepts,
    check_sentences,
    log2_probability,
    sentence_probability,
    split_sentences,
)
from rnnlib.text.sampling import TextSplits, sample_sentences, sample_text, text_splits

__all__ = [
    "DISCOUNTS", "EncodedText", "Grammar", "NGramModel", "OrderCounts", "SentenceChain",
    "SentenceCheck", "TextSplits", "accepts", "bits_per_char", "build_alphabet",
    "check_sentences", "decode", "encode", "english_grammar", "entropy_rate", "fit_ngram",
    "log2_probability", "next_char_probabilities", "perplexity", "read_text", "sample_sentences",
    "sample_text", "sentence_chain", "sentence_probability", "split_sentences", "text_splits",
    "tune_discount",
]
