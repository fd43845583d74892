"""What notebook 09 computes with: a character model's bits per character on a stream, its
samples judged by the grammar, and the temperature slider's text (rnnlib.text.models,
rnnlib.views.sampling)."""

import time

import numpy as np
import pytest

from rnnlib import init_gru, init_lstm, init_params
from rnnlib.sequence import next_step_streams, sequence_loss_and_gradients
from rnnlib.text import encode, english_grammar, sample_text
from rnnlib.text.models import acceptance, model_bits_per_char, write
from rnnlib.views.sampling import sample_text as slider_text

ALPHABET = english_grammar().alphabet
V = len(ALPHABET)


def stream(n=400, seed=0):
    return encode(sample_text(np.random.default_rng(seed), n), ALPHABET)


def test_a_model_with_zero_read_out_scores_log2_V_bits_per_character():
    params = init_params(V, 8, V, np.random.default_rng(0))
    params.V[:] = 0.0
    assert model_bits_per_char(params, stream()) == pytest.approx(np.log2(V), rel=1e-12)


@pytest.mark.parametrize("init", [init_params, init_gru, init_lstm])
def test_bits_per_char_is_the_loss_at_every_step_over_one_stream_in_bits(init):
    params = init(V, 7, V, np.random.default_rng(1))
    s = stream(300)
    X, Y = next_step_streams(s, V, 1)  # one stream: the whole text, state carried
    loss, _, _ = sequence_loss_and_gradients(params, X, Y)
    assert model_bits_per_char(params, s) == pytest.approx(loss / np.log(2), rel=1e-10)


def test_bits_per_char_refuses_what_is_not_a_character_model():
    with pytest.raises(ValueError, match="input_size == output_size"):
        model_bits_per_char(init_params(3, 4, 5, np.random.default_rng(0)), np.array([0, 1, 2]))
    params = init_params(V, 4, V, np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least 2 characters"):
        model_bits_per_char(params, np.array([3]))
    with pytest.raises(TypeError, match="got a str"):
        model_bits_per_char(params, "abc")


@pytest.mark.parametrize("init", [init_params, init_gru, init_lstm])
def test_write_judges_only_the_sentences_after_the_prompt_with_the_prompts_name_in_play(init):
    params = init(V, 6, V, np.random.default_rng(2))
    prompt = "there is a boy called tom. "
    s = write(params, ALPHABET, prompt, 400, temperature=1.0, rng=np.random.default_rng(3))
    assert len(s.text) == 400 and s.prompt == prompt
    joined = "".join(c.sentence + " " for c in s.checks)
    assert s.text.startswith(joined) and "called tom" not in joined[:25]
    assert s.accepted == sum(c.accepted for c in s.checks)


def test_acceptance_of_the_grammar_itself_is_one_and_of_an_untrained_model_near_zero():
    params = init_params(V, 6, V, np.random.default_rng(4))
    out = acceptance(params, ALPHABET, "the cat sleeps. ", 600, [1.0, 2.0], np.random.default_rng(5))
    assert set(out) == {1.0, 2.0}
    assert all(s.fraction < 0.2 for s in out.values() if s.checks)


def test_write_refuses_an_alphabet_the_model_does_not_predict():
    params = init_params(5, 4, 5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="alphabet has 29"):
        write(params, ALPHABET, "the", 5, temperature=1.0, rng=np.random.default_rng(0))


def test_the_sliders_text_names_unknown_prompt_characters_instead_of_raising():
    params = init_params(V, 6, V, np.random.default_rng(0))
    assert "does not know: 'Z'" in slider_text(params, ALPHABET, "Zebra", 1.0)
    assert slider_text(params, ALPHABET, "", 1.0).startswith("type a prompt")


def test_the_sliders_text_is_the_same_for_the_same_setting_and_counts_the_sentences():
    params = init_params(V, 16, V, np.random.default_rng(0))
    first = slider_text(params, ALPHABET, "there is a girl called ann. ", 0.7)
    assert first == slider_text(params, ALPHABET, "there is a girl called ann. ", 0.7)
    assert "temperature 0.7: the grammar accepts" in first
    assert all(len(line) <= 88 for line in first.splitlines())


def test_one_slider_change_costs_well_under_the_views_budget():
    params = init_gru(V, 32, V, np.random.default_rng(0))
    start = time.process_time()
    slider_text(params, ALPHABET, "there is a girl called ann. ", 1.0)
    assert time.process_time() - start < 0.3
