"""The endpointer's "unsure ending" rule: a sentence that looks finished but whose last words the
recogniser was unsure of (AsrResult.end_prob below VadConfig.unsure_end_prob) waits the unsure
silence, long enough to ride out a 1.2 s mid-sentence hesitation; a sure one ends after the short
silence. And end_prob itself: the lowest probability among the last word tokens, punctuation skipped
(Whisper hedges its full stop on finished sentences too). Calibration: voice/bench/endpoint_calibration.py."""

from __future__ import annotations

import numpy as np
import pytest

from tests.voice.speech import concat, frames, phone_quality, silence, synth_speech, trim_silence
from voice.asr import END_TOKENS, _end_prob
from voice.vad import Endpointer, VadConfig, VadEvent

COMPLETE = "I guess I will be there."  # what "I guess I worry that ..." was misheard as


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return trim_silence(phone_quality(synth_speech("I guess I worry that")))


def silence_at_turn_end(speech: np.ndarray, config: VadConfig, **words) -> int:
    """Feed speech then 3 s of silence; hand the words in at SILENCE_START (as the speculative decode
    does); return how much silence ended the turn."""
    ep = Endpointer(config)
    for f in frames(concat(silence(400), speech, silence(3000))):
        events = ep.push(f)
        if VadEvent.SILENCE_START in events:
            ep.set_text(COMPLETE, upto_ms=ep.now_ms, **words)
            events += ep.poll()
        if VadEvent.TURN_END in events:
            return ep.silence_ms
    raise AssertionError("the turn never ended")


def test_unsure_ending_waits_past_a_hesitation(speech) -> None:
    config = VadConfig()
    assert config.unsure_end_prob == pytest.approx(0.5)
    # calibration: a 1.2 s hesitation counts as up to 1240 ms of silence; the unsure wait must outlast it
    assert 1300 <= config.unsure_silence_ms <= config.incomplete_silence_ms
    sure = silence_at_turn_end(speech, config, avg_logprob=-0.2, end_prob=0.9)
    unsure = silence_at_turn_end(speech, config, avg_logprob=-0.2, end_prob=0.3)
    assert sure == config.complete_silence_ms
    assert unsure == config.unsure_silence_ms
    # the bar is strict: exactly even odds is trusted, just below it is not
    assert silence_at_turn_end(speech, config, avg_logprob=-0.2, end_prob=0.5) == config.complete_silence_ms
    assert silence_at_turn_end(speech, config, avg_logprob=-0.2, end_prob=0.49) == config.unsure_silence_ms
    # a low average log-prob is unsure too, and waits the same
    assert silence_at_turn_end(speech, config, avg_logprob=-1.0, end_prob=0.9) == config.unsure_silence_ms


def test_required_silence_follows_end_prob(speech) -> None:
    config = VadConfig()
    ep = Endpointer(config)
    for f in frames(concat(silence(300), speech, silence(200))):
        ep.push(f)
    ep.set_text(COMPLETE, avg_logprob=-0.2, end_prob=0.2)
    assert ep.required_silence_ms() == config.unsure_silence_ms
    ep.set_text(COMPLETE, avg_logprob=-0.2, end_prob=0.8)
    assert ep.required_silence_ms() == config.complete_silence_ms
    ep.set_text(COMPLETE, avg_logprob=-0.2)  # no end_prob (e.g. a test double): judged by the words
    assert ep.required_silence_ms() == config.complete_silence_ms
    ep.set_text("I guess I worry that", avg_logprob=-0.2, end_prob=0.9)  # incomplete: the long wait
    assert ep.required_silence_ms() == config.incomplete_silence_ms


# --- end_prob ---------------------------------------------------------------------------------

PUNCT = 9  # token id standing for "."


def _logits(tokens: list[int], probs: list[float], vocab: int = 10) -> list[np.ndarray]:
    """Per-step logits whose softmax gives each chosen token the wanted probability."""
    rows = []
    for tok, p in zip(tokens, probs, strict=True):
        row = np.full(vocab, (1 - p) / (vocab - 1))
        row[tok] = p
        rows.append(np.log(row))
    return rows


def _is_punct(tok: int) -> bool:
    return tok == PUNCT


def test_end_prob_is_the_least_sure_of_the_last_word_tokens() -> None:
    tokens = [1, 2, 3, 4, PUNCT]
    probs = [0.9, 0.95, 0.4, 0.8, 0.3]
    # the full stop's 0.3 is skipped; the least sure of the last three words is 0.4
    assert _end_prob(tokens, _logits(tokens, probs), _is_punct) == pytest.approx(0.4)
    # without skipping punctuation it would be the full stop
    assert _end_prob(tokens, _logits(tokens, probs)) == pytest.approx(0.3)


def test_end_prob_looks_only_at_the_last_few_words() -> None:
    assert END_TOKENS == 3
    tokens = [1, 2, PUNCT, 3, 4, 5, PUNCT]
    probs = [0.1, 0.9, 0.2, 0.8, 0.9, 0.95, 0.3]  # the unsure word is 4 words back
    assert _end_prob(tokens, _logits(tokens, probs), _is_punct) == pytest.approx(0.8)
    assert _end_prob([], [], _is_punct) == 1.0
    assert _end_prob([PUNCT], _logits([PUNCT], [0.2]), _is_punct) == 1.0


def test_the_model_knows_its_punctuation_tokens(transcriber) -> None:
    model = transcriber._model
    enc = model.tokenizer.encode
    for p in (".", ",", "?", "!", "..."):
        assert all(model.is_punct(t) for t in enc(p)), p
    for w in (" that", " the", "I", " 10", " there"):
        assert not any(model.is_punct(t) for t in enc(w)), w
