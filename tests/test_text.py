"""Text for a character language model: the grammar, its recognizer, its exact entropy rate,
the alphabet and the n-gram baselines (rnnlib.text)."""

import math
import re
import string

import numpy as np
import pytest

from rnnlib import one_hot
from rnnlib.text import (
    Grammar,
    accepts,
    bits_per_char,
    build_alphabet,
    check_sentences,
    decode,
    encode,
    english_grammar,
    entropy_rate,
    fit_ngram,
    log2_probability,
    next_char_probabilities,
    perplexity,
    read_text,
    sample_sentences,
    sample_text,
    sentence_chain,
    sentence_probability,
    split_sentences,
    text_splits,
    tune_discount,
)
from rnnlib.text.sampling import _stream

GRAMMAR = english_grammar()
ALPHABET = GRAMMAR.alphabet

# Two grammars small enough to compute by hand.
# ONE_BIT: "a." or "bb.", a fair coin: 1 bit per sentence of 3 or 4 characters with its space.
ONE_BIT = Grammar({"<s>": [(1, "a."), (1, "bb.")]}, start="<s>")
# NAMES: "x" or "yy" in play; 3 times in 4 the sentence repeats it ("x."), else introduces a name
# ("new x." or "new yy.", 3 : 1).
NAMES = Grammar(
    {"<s>": [(3, "<name>."), (1, "new <new>.")], "<intro>": [(1, "new <new>.")],
     "<new>": [(3, "x"), (1, "yy")]},
    start="<s>", first="<intro>", names={"x": {"<name>": "x"}, "yy": {"<name>": "yy"}},
    introduces=("<new>",))


def H(*p):
    return -sum(q * math.log2(q) for q in p)


# --- the grammar and its streams ---------------------------------------------------------------


def test_alphabet_is_lowercase_letters_space_and_punctuation():
    assert set(ALPHABET) <= set(string.ascii_lowercase + ' .,?"()')
    assert " " in ALPHABET and set('.,?"()') <= set(ALPHABET)
    assert len(ALPHABET) == 29 and ALPHABET == "".join(sorted(ALPHABET))


def test_vocabulary_is_a_few_dozen_words():
    text = sample_text(np.random.default_rng(0), n_sentences=2000)
    words = set(re.findall(r"[a-z]+", text))
    assert 30 <= len(words) <= 60, sorted(words)
    assert {"ann", "lucy", "bob", "tom", "she", "he", "her", "him", "that"} <= words


def test_a_seed_gives_one_stream_and_other_seeds_others():
    a = sample_text(np.random.default_rng(7), 5000)
    assert a == sample_text(np.random.default_rng(7), 5000)
    assert a != sample_text(np.random.default_rng(8), 5000)
    assert len(a) == 5000 and set(a) <= set(ALPHABET)
    # n characters are the beginning of the same stream as whole sentences
    whole = sample_text(np.random.default_rng(7), n_sentences=400)
    assert whole.startswith(a) and whole[-2:] in (". ", "? ")


def test_sentences_are_the_stream_cut_at_its_sentence_ends():
    sentences = sample_sentences(np.random.default_rng(3), 50)
    text = sample_text(np.random.default_rng(3), n_sentences=50)
    assert text == "".join(s + " " for s in sentences)
    assert split_sentences(text) == (sentences, "")
    assert sentences[0].startswith("there is a ")  # no name in play yet: an introduction


def test_splits_are_three_different_streams_of_the_lengths_asked():
    splits = text_splits(np.random.default_rng(0), 3000, 1000, 2000)
    assert [len(s) for s in splits] == [3000, 1000, 2000]
    assert len({s[:1000] for s in splits}) == 3
    assert splits == text_splits(np.random.default_rng(0), 3000, 1000, 2000)


# --- the recognizer -----------------------------------------------------------------------------


def test_every_generated_sentence_is_accepted_and_the_name_followed():
    text = sample_text(np.random.default_rng(1), n_sentences=400)
    checks = check_sentences(text)
    assert len(checks) == 400 and all(c.accepted for c in checks)
    for check in checks:  # a name said is the name in play
        named = set(re.findall(r"\b(ann|lucy|bob|tom)\b", check.sentence))
        assert named == set() or named == {check.name}, check


@pytest.mark.parametrize("sentence, name, expected", [
    ("there is a girl called ann.", None, True),
    ("ann runs.", None, False),  # no name in play yet
    ("there is a boy called ann.", None, False),  # ann is a girl
    ('"the dog runs," says ann.', "ann", True),
    ('"the dog runs, says ann.', "ann", False),  # unclosed quote
    ('the dog runs," says ann.', "ann", False),  # a quote closed, never opened
    ("the dog (as ann says) runs.", "ann", True),
    ("the dog (as ann says runs.", "ann", False),  # unclosed bracket
    ("the dog as ann says) runs.", "ann", False),
    ("the dog that sees the cats runs.", "ann", True),
    ("the dog that sees the cats run.", "ann", False),  # agrees with cats, not with dog
    ("the dogs that the cat sees run.", "ann", True),
    ("the dogs that the cat sees runs.", "ann", False),
    ("do the foxes sleep?", "ann", True),
    ("does the foxes sleep?", "ann", False),
    ("does the fox sleeps?", "ann", False),
    ("the cow runs.", "ann", False),  # unknown word
    ("the dog runs", "ann", False),  # no full stop
    ("ann runs.", "ann", True),
    ("bob runs.", "ann", False),  # not the name in play
    ("she likes her.", "ann", True),
    ("he likes her.", "ann", False),  # ann is a girl
    ('"the dog runs," he says.', "tom", True),
    ('"the dog runs," she says.', "tom", False),
    ("there is a boy called tom.", "ann", True),  # a new name
])
def test_accepts_the_grammar_and_rejects_its_corruptions(sentence, name, expected):
    assert accepts(sentence, name) is expected
    assert accepts(sentence + " ", name) is expected  # its space in a stream is no matter


def test_check_sentences_carries_the_name_and_skips_the_unfinished_rest():
    text = ("there is a girl called lucy. she runs. bob runs. there is a boy called bob. "
            "bob runs. he sees the do")
    checks = check_sentences(text)
    assert [(c.accepted, c.name) for c in checks] == [
        (True, "lucy"), (True, "lucy"), (False, "lucy"), (True, "bob"), (True, "bob")]
    assert split_sentences(text)[1] == "he sees the do"
    assert [c.accepted for c in check_sentences("she runs. he runs. ", name="tom")] == [False, True]


def test_each_text_has_one_derivation():
    """The parser, trying every option, finds for each sampled sentence exactly the probability
    of the choices the sampler made: no second derivation (what entropy_rate relies on)."""
    stream = _stream(GRAMMAR, np.random.default_rng(5))
    name = None
    for _ in range(300):
        sentence, bits = next(stream)
        p = sentence_probability(sentence, name, GRAMMAR)
        assert -math.log2(p) == pytest.approx(bits, abs=1e-9), sentence
        introduction = re.fullmatch(r"there is a (?:girl|boy) called (\w+)\.", sentence)
        name = introduction[1] if introduction else name


def test_probability_is_summed_over_every_derivation():
    ambiguous = Grammar({"<s>": [(1, "<a><a>.")], "<a>": [(1, "x"), (1, "")]}, start="<s>")
    assert sentence_probability("x.", grammar=ambiguous) == 0.5  # x then "", or "" then x
    assert sentence_probability("xx.", grammar=ambiguous) == 0.25
    assert sentence_probability("xxx.", grammar=ambiguous) == 0.0


def test_log2_probability_of_a_text_by_hand():
    text = "new x. x. new yy. yy. "
    assert log2_probability(text, NAMES) == pytest.approx(math.log2(3 / 4 * 3 / 4 * 1 / 16 * 3 / 4))
    assert log2_probability("new x. yy. ", NAMES) == -math.inf  # yy is not in play
    assert log2_probability("", NAMES) == 0.0
    with pytest.raises(ValueError, match="whole sentences, each followed by one space.*'new x.'"):
        log2_probability("new x.", NAMES)


# --- the entropy rate ---------------------------------------------------------------------------


def test_entropy_rate_of_a_coin_between_two_sentences():
    assert entropy_rate(ONE_BIT) == pytest.approx(1 / 3.5, rel=1e-15)


def test_entropy_rate_with_a_name_in_play_by_hand():
    chain = sentence_chain(NAMES)
    assert chain.states == (None, "x", "yy")
    np.testing.assert_allclose(chain.transition, [[0, 3 / 4, 1 / 4],
                                                  [0, 15 / 16, 1 / 16],
                                                  [0, 3 / 16, 13 / 16]], atol=1e-15)
    np.testing.assert_allclose(chain.stationary, [0, 3 / 4, 1 / 4], atol=1e-12)
    choice = H(3 / 4, 1 / 4)
    np.testing.assert_allclose(chain.bits, [choice, 1.25 * choice, 1.25 * choice], rtol=1e-15)
    # "x." 2 or "new x." 6, "new yy." 7 characters, each with its space
    np.testing.assert_allclose(chain.chars, [7.25, 4.0625, 4.8125], rtol=1e-15)
    assert entropy_rate(NAMES) == pytest.approx(1.25 * choice / 4.25, rel=1e-12)


def test_the_course_grammars_chain_of_names():
    chain = sentence_chain()
    assert chain.states == (None, "ann", "lucy", "bob", "tom")
    np.testing.assert_allclose(chain.transition.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(chain.transition[0], [0, 1 / 4, 1 / 4, 1 / 4, 1 / 4])  # introduces
    np.testing.assert_allclose(chain.stationary, [0, 1 / 4, 1 / 4, 1 / 4, 1 / 4], atol=1e-12)
    assert chain.bits[0] == 2.0 and np.all(chain.bits[1:] == chain.bits[1])  # same choices for all
    assert chain.chars[2] > chain.chars[1] > chain.chars[3] == chain.chars[4]  # lucy, she > he
    assert entropy_rate() == pytest.approx(chain.bits[1] / chain.chars[1:].mean(), rel=1e-12)


def test_entropy_rate_agrees_with_the_probability_of_sampled_text():
    """An independent estimate: -log2 p(text) / len(text) by parsing 12 streams of 200 sentences,
    after each stream's first sentence (the introduction puts the chain in its stationary law)."""
    rates = []
    for seed in range(12):
        sentences = sample_sentences(np.random.default_rng([21, seed]), 200)
        first, text = sentences[0] + " ", "".join(s + " " for s in sentences)
        bits = log2_probability(first) - log2_probability(text)
        rates.append(bits / (len(text) - len(first)))
    mean, error = np.mean(rates), np.std(rates, ddof=1) / np.sqrt(len(rates))
    exact = entropy_rate()
    assert abs(mean - exact) < 4 * error, (exact, mean, error)
    assert 0.005 > error > 0.0005 and 0.3 < exact < 0.6


def test_bad_grammars_are_refused_with_what_is_wrong():
    with pytest.raises(ValueError, match="<s> uses <t>, which is not defined"):
        Grammar({"<s>": [(1, "a<t>.")]}, start="<s>")
    with pytest.raises(ValueError, match=r"recursive: <s> -> <t> -> <s>"):
        Grammar({"<s>": [(1, "a<t>.")], "<t>": [(1, "<s>")]}, start="<s>")
    with pytest.raises(ValueError, match="weight must be positive and finite, got 0"):
        Grammar({"<s>": [(0, "a.")]}, start="<s>")
    with pytest.raises(TypeError, match="weight must be a number, got '1'"):
        Grammar({"<s>": [("1", "a.")]}, start="<s>")
    with pytest.raises(ValueError, match="must be one of the names"):
        Grammar({"<s>": [(1, "<n>.")], "<n>": [(1, "z")]}, start="<s>", introduces=("<n>",))
    with pytest.raises(ValueError, match="introduce one name at most, but <s> can introduce 2"):
        Grammar({"<s>": [(1, "<n> and <n>.")], "<n>": [(1, "x")]}, start="<s>",
                names={"x": {}}, introduces=("<n>",))
    with pytest.raises(ValueError, match="not defined while no name is in play"):
        Grammar({"<s>": [(1, "<name>.")]}, start="<s>", names={"x": {"<name>": "x"}})
    with pytest.raises(ValueError, match="no unique stationary distribution"):
        entropy_rate(Grammar({"<s>": [(1, "<name>.")], "<i>": [(1, "<n>.")],
                              "<n>": [(1, "x"), (1, "y")]}, start="<s>", first="<i>",
                             names={"x": {"<name>": "x"}, "y": {"<name>": "y"}},
                             introduces=("<n>",)))
    with pytest.raises(TypeError, match="grammar must be a Grammar"):
        entropy_rate({"<s>": [(1, "a.")]})


# --- the alphabet -------------------------------------------------------------------------------


def test_encode_decode_and_one_hot():
    text = sample_text(np.random.default_rng(0), 500)
    indices = encode(text, ALPHABET)
    assert indices.shape == (500,) and indices.dtype == np.int64
    assert decode(indices, ALPHABET) == text
    assert ALPHABET[indices[3]] == text[3]
    assert one_hot(indices, len(ALPHABET)).shape == (500, 29)
    assert build_alphabet("abba!") == "!ab"


def test_encode_names_the_characters_outside_the_alphabet():
    with pytest.raises(ValueError, match=r"text holds 2 character\(s\) outside the alphabet .*'DT', "
                                         r"the first at line 1, column 10; lower-case"):
        encode("the dog. Dog runs. The", ALPHABET)
    with pytest.raises(ValueError, match=r"outside the alphabet 'ab\\n': 'X', the first at line 3, column 2"):
        encode("ab\nab\naXb", "ab\n")
    with pytest.raises(ValueError, match=r"repeated: \['a'\]"):
        encode("a", "aba")
    with pytest.raises(TypeError, match="alphabet must be a str"):
        encode("a", ["a"])


def test_read_text_of_ones_own(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("Shall I compare thee\nto a summer's day?\n", encoding="utf-8")
    own = read_text(path)
    assert own.alphabet == build_alphabet(own.text) and decode(own.indices, own.alphabet) == own.text
    with pytest.raises(ValueError, match=r"the file '.*poem.txt' holds 5 character\(s\) outside the "
                                         r"alphabet .*\"\\n'IS\", the first at line 1, column 1"):
        read_text(path, ALPHABET)
    path.write_text("ann runs. ", encoding="utf-8")
    np.testing.assert_array_equal(read_text(str(path), ALPHABET).indices, encode("ann runs. ", ALPHABET))
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(ValueError, match="empty.txt' is empty"):
        read_text(tmp_path / "empty.txt")
    with pytest.raises(FileNotFoundError):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(TypeError, match="path must be a file name"):
        read_text(3)


# --- n-gram models ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grammar_texts():
    """Train, validation and test streams; the test stream is whole sentences (for log2_probability)."""
    train, validation, _ = text_splits(np.random.default_rng(11), 60_000, 20_000, 1)
    test = sample_text(np.random.default_rng(12), n_sentences=1500)
    return encode(train, ALPHABET), encode(validation, ALPHABET), test


@pytest.mark.parametrize("discount", [0.0, 0.3, 1.0])
def test_probabilities_sum_to_one_after_every_context(discount):
    rng = np.random.default_rng(0)
    text = rng.integers(0, 3, 200)
    text[text == 2] = 1  # character 2 never seen: only smoothing gives it mass
    for order in (1, 2, 3):
        model = fit_ngram(text, order, 4, discount)
        for length in range(order + 1):  # every context, the start of a text and unseen ones
            for context in np.ndindex(*(4,) * length):
                p = next_char_probabilities(model, np.array(context, dtype=np.int64))
                assert p.shape == (4,) and np.all(p >= 0)
                assert p.sum() == pytest.approx(1.0, abs=1e-12), (order, context)


def test_probabilities_sum_to_one_for_the_grammar_models(grammar_texts):
    train, _, _ = grammar_texts
    rng = np.random.default_rng(1)
    model = fit_ngram(train, 5, len(ALPHABET), 0.2)
    for context in [*(train[i:i + 4] for i in rng.integers(0, 50_000, 20)),
                    *(rng.integers(0, 29, 4) for _ in range(20))]:
        assert next_char_probabilities(model, context).sum() == pytest.approx(1.0, abs=1e-12)


def test_a_bigram_by_hand():
    """Text abab (a = 0, b = 1) after a start mark S, d = 1/2: the unigram has N(a) = N(b) = 2,
    so P1 = 1/2; after a, b came twice (N = 2, T = 1): P(b | a) = (2 - 1/2 + 1/2 * 1/2) / 2."""
    model = fit_ngram(np.array([0, 1, 0, 1]), 2, 2, 0.5)
    np.testing.assert_allclose(next_char_probabilities(model, np.array([0])), [1 / 8, 7 / 8])
    # after S (the start) and after b, one character was seen once: P = (1 - 1/2 + 1/2 * 1/2) / 1
    np.testing.assert_allclose(next_char_probabilities(model, np.array([], dtype=int)), [3 / 4, 1 / 4])
    np.testing.assert_allclose(next_char_probabilities(model, np.array([1, 1])), [3 / 4, 1 / 4])
    expected = -np.mean(np.log2([3 / 4, 7 / 8, 3 / 4, 7 / 8]))  # S->a, a->b, b->a, a->b
    assert bits_per_char(model, np.array([0, 1, 0, 1])) == pytest.approx(expected)


def test_unigram_bits_per_char_is_the_empirical_entropy():
    text = encode("the cat sees the dogs. ", ALPHABET)
    counts = np.bincount(text)
    p = counts[counts > 0] / len(text)
    model = fit_ngram(text, 1, len(ALPHABET), discount=0.0)
    assert bits_per_char(model, text) == pytest.approx(-np.sum(p * np.log2(p)), rel=1e-12)
    assert perplexity(model, text) == pytest.approx(2 ** -np.sum(p * np.log2(p)), rel=1e-12)


@pytest.mark.parametrize("order", [2, 3, 5])
def test_a_periodic_text_costs_almost_nothing(order):
    short, long = (np.tile([0, 1, 2], n) for n in (300, 3000))
    bits = [bits_per_char(fit_ngram(text, order, 3, 0.5), text) for text in (short, long)]
    assert bits[1] < bits[0] < 0.02 and bits[1] < 0.002, bits


def test_an_ngram_that_is_the_true_model_reaches_the_floor():
    """In ONE_BIT's stream two characters tell what comes next: a trigram is the true model."""
    train, validation = (encode(sample_text(np.random.default_rng(s), 30_000, grammar=ONE_BIT), "ab. ")
                         for s in (1, 2))
    test = sample_text(np.random.default_rng(3), n_sentences=8000, grammar=ONE_BIT)
    model, _ = tune_discount(train, validation, 3, 4)
    bits, floor = bits_per_char(model, encode(test, "ab. ")), entropy_rate(ONE_BIT)
    noise = 4 * floor * 0.5 / 3.5 / np.sqrt(8000)  # 4 standard errors of the sentence lengths
    assert floor - noise < bits < floor + noise + 0.002, (bits, floor)


def test_ngrams_on_the_grammar_stay_above_its_entropy_rate(grammar_texts):
    train, validation, test = grammar_texts
    floor = entropy_rate()
    true_model = -log2_probability(test) / len(test)  # the grammar's own code length on this text
    assert abs(true_model - floor) < 0.02
    bits = []
    for order in range(1, 6):
        model, scores = tune_discount(train, validation, order, len(ALPHABET))
        assert model.discount == pytest.approx([0.05 * (i + 1) for i in range(20)][np.argmin(scores)])
        bits.append(bits_per_char(model, encode(test, ALPHABET)))
    assert all(b > true_model - 0.005 for b in bits), (bits, true_model)
    assert bits == sorted(bits, reverse=True), bits  # each order helps up to 5
    assert min(bits) > floor + 0.1, f"best n-gram {min(bits):.3f} bits/char, floor {floor:.3f}"


def test_tune_discount_returns_the_best_of_its_candidates():
    train, validation = np.tile([0, 1, 2, 1], 50), np.array([0, 1, 2, 0, 1, 2, 1])
    model, scores = tune_discount(train, validation, 2, 3, discounts=(0.1, 0.5, 0.9))
    assert scores.shape == (3,) and model.discount == (0.1, 0.5, 0.9)[int(np.argmin(scores))]
    assert scores[list((0.1, 0.5, 0.9)).index(model.discount)] == bits_per_char(model, validation)


@pytest.mark.parametrize("call, error, message", [
    (lambda: fit_ngram("abc", 2, 3), TypeError, "indices must be an array of character indices, got a str"),
    (lambda: fit_ngram(np.array([0.0, 1.0]), 2, 3), TypeError, "integer indices, got an array of dtype float64"),
    (lambda: fit_ngram(np.array([0, 3]), 2, 3), ValueError, r"lie in 0 \.\. 2 \(alphabet_size = 3\), got values from 0 to 3"),
    (lambda: fit_ngram(np.zeros((2, 2), int), 2, 3), ValueError, r"shape \(n,\) with n >= 1, got shape \(2, 2\)"),
    (lambda: fit_ngram(np.array([], int), 2, 3), ValueError, r"got shape \(0,\)"),
    (lambda: fit_ngram(np.array([0, 1]), 0, 3), ValueError, "order must be an integer >= 1, got 0"),
    (lambda: fit_ngram(np.array([0, 1]), 2.0, 3), TypeError, "order must be an integer >= 1, got 2.0"),
    (lambda: fit_ngram(np.array([0, 1]), 2, 3, 1.5), ValueError, r"discount must be in \[0, 1\], got 1.5"),
    (lambda: fit_ngram(np.array([0, 1]), 2, 3, "0.5"), TypeError, "discount must be a number"),
    (lambda: fit_ngram(np.array([0, 1]), 20, 200), ValueError, "beyond int64"),
    (lambda: tune_discount(np.array([0, 1]), np.array([0]), 2, 3, ()), ValueError, "at least one candidate"),
    (lambda: bits_per_char("model", np.array([0])), TypeError, "model must be an NGramModel"),
    (lambda: sample_text(np.random.default_rng(0)), ValueError, "exactly one of n_chars and n_sentences"),
    (lambda: sample_text(0, 10), TypeError, "rng must be a numpy.random.Generator"),
    (lambda: sample_text(np.random.default_rng(0), 0), ValueError, "n_chars must be an integer >= 1, got 0"),
    (lambda: sample_sentences(np.random.default_rng(0), 2.5), TypeError, "n_sentences must be an integer"),
    (lambda: accepts(b"ann runs.", "ann"), TypeError, "sentence must be a str, got bytes"),
    (lambda: accepts("ann runs.", "eve"), ValueError, r"one of the grammar's names \['ann', 'bob', 'lucy', 'tom'\], got 'eve'"),
    (lambda: check_sentences(["ann runs."]), TypeError, "text must be a str, got list"),
])
def test_bad_input_is_named_with_what_was_expected(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_table_for_an_unknown_name_and_an_empty_index_array_name_what_is_wrong():
    from rnnlib.text.alphabet import check_indices

    grammar = english_grammar()
    with pytest.raises(ValueError, match="name must be one of the grammar's names .*got 'zed'"):
        grammar.table("zed")  # was a bare KeyError
    with pytest.raises(ValueError, match=r"with n >= 0, got shape \(2, 2\)"):
        check_indices(np.zeros((2, 2), dtype=int), "indices", 5, allow_empty=True)
    with pytest.raises(ValueError, match=r"with n >= 1, got shape \(0,\)"):
        check_indices(np.zeros(0, dtype=int), "indices", 5)


def test_an_empty_list_of_indices_is_empty_not_a_wrong_kind():
    from rnnlib.text.alphabet import check_indices

    assert check_indices([], "indices", 5, allow_empty=True).dtype == np.int64
    with pytest.raises(ValueError, match=r"with n >= 1, got shape \(0,\)"):
        check_indices([], "indices", 5)  # was a TypeError about float64
