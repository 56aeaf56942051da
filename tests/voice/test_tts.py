"""voice/tts.py with the bundled Piper voice: intelligible (checked by the real recogniser),
streamed sentence by sentence, cached phrases free and identical, text said the way a person would."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.voice.speech import phone_quality, wer
from voice.tts import Synthesizer, get_synthesizer, normalize_for_speech, split_sentences

REPLY = (
    "That sounds really hard. It makes sense that you feel tired after a week like that. "
    "Would it help to talk about what happened on Monday?"
)


def test_split_sentences() -> None:
    assert split_sentences(REPLY) == [
        "That sounds really hard.",
        "It makes sense that you feel tired after a week like that.",
        "Would it help to talk about what happened on Monday?",
    ]
    assert split_sentences("Dr. Lee is here! Is that OK? Yes.") == ["Dr. Lee is here!", "Is that OK?", "Yes."]
    assert split_sentences("  ") == []
    assert split_sentences("no full stop") == ["no full stop"]


def test_normalize_for_speech() -> None:
    assert normalize_for_speech("Call or text 988.") == "Call or text nine eight eight."
    assert normalize_for_speech("We're here 24/7.") == "We're here twenty four seven."
    assert normalize_for_speech("Take 5 minutes.") == "Take five minutes."
    assert normalize_for_speech("1-800-273-8255") == "one, eight zero zero, two seven three, eight two five five"
    assert normalize_for_speech("About 1,200 people, 50% of them") == "About one thousand two hundred people, fifty percent of them"
    assert normalize_for_speech("Rest & sleep, e.g. a nap") == "Rest and sleep, for example a nap"


def test_speech_is_intelligible_even_over_the_phone(synthesizer, transcriber) -> None:
    audio = synthesizer.synthesize(REPLY)
    assert audio.dtype == np.int16
    seconds = len(audio) / 16000
    assert 5.0 < seconds < 12.0  # ~30 words at a calm speaking rate
    assert np.abs(audio).max() > 8000  # not silent, not clipped to nothing
    text = transcriber.transcribe_sync(audio).text
    assert wer(REPLY, text) <= 0.1, text
    phone_text = transcriber.transcribe_sync(phone_quality(audio)).text
    assert wer(REPLY, phone_text) <= 0.15, phone_text


def test_crisis_line_number_is_spoken_as_digits(synthesizer, transcriber) -> None:
    audio = synthesizer.synthesize("You can call or text 988 at any time.")
    text = transcriber.transcribe_sync(audio).text.lower()
    # "nine eight eight" (Whisper writes it 988), never "nine hundred and eighty-eight"
    assert "hundred" not in text and "eighty" not in text
    assert wer("you can call or text nine eight eight at any time", text) <= 0.2, text


async def test_stream_yields_first_sentence_before_the_reply_is_done(synthesizer) -> None:
    uncached = Synthesizer(synthesizer.voice_path, cache=False, voice=synthesizer.voice)
    t0 = time.perf_counter()
    stamps, chunks = [], []
    async for chunk in uncached.stream(REPLY + " Take your time."):
        stamps.append(time.perf_counter() - t0)
        chunks.append(chunk)
    assert len(chunks) == 4  # one per sentence
    assert all(c.dtype == np.int16 and len(c) > 4000 for c in chunks)
    # the first sentence was out while the other three were still being synthesised
    assert stamps[0] < 0.6 * stamps[-1]
    # and the whole reply is the same speech as the one-shot synthesis (Piper varies durations a little)
    whole = uncached.synthesize(REPLY + " Take your time.")
    assert abs(sum(len(c) for c in chunks) - len(whole)) < 0.05 * len(whole)


async def test_long_first_sentence_is_split_at_a_clause_for_fast_first_audio(synthesizer, transcriber) -> None:
    text = (
        "I'm really glad you called tonight, and I want you to know that you don't have to "
        "go through any of this on your own. Take a slow breath."
    )
    uncached = Synthesizer(synthesizer.voice_path, cache=False, voice=synthesizer.voice)
    units = uncached.speech_units(text)
    assert [u for u, _ in units] == [
        "I'm really glad you called tonight,",
        "and I want you to know that you don't have to go through any of this on your own.",
        "Take a slow breath.",
    ]
    chunks = [c async for c in uncached.stream(text)]
    assert len(chunks) == 3
    assert len(chunks[0]) < 0.5 * (len(chunks[0]) + len(chunks[1]))  # the first audio is just the first clause
    heard = transcriber.transcribe_sync(np.concatenate(chunks)).text
    assert wer(text, heard) <= 0.15, heard
    # a cached first sentence is played whole (it costs nothing anyway)
    await synthesizer.prewarm([text])
    assert [u for u, _ in synthesizer.speech_units(text)] == split_sentences(text)


def test_speech_starts_at_once(synthesizer) -> None:
    """Piper pads each sentence with ~200 ms of silence; the line trims it so the first word is heard
    sooner (and pauses between sentences are the ones we choose)."""
    audio = synthesizer.synth_sentence("Hello, thank you for calling.")
    loud = np.flatnonzero(np.abs(audio.astype(np.int32)) > 1000)
    assert loud[0] < 16 * 80  # first sound within 80 ms
    assert len(audio) - loud[-1] < 16 * 150


async def test_stream_closed_early_on_barge_in_is_clean(synthesizer) -> None:
    gen = synthesizer.stream("First sentence here. Second sentence here. Third one too.")
    first = await gen.__anext__()
    assert len(first) > 0
    await gen.aclose()  # the call loop stops reading on barge-in


async def test_prewarmed_phrase_is_identical_and_much_faster(synthesizer) -> None:
    phrase = "Hello, you've reached Warmline. I'm an automated assistant, not a therapist."
    uncached = Synthesizer(synthesizer.voice_path, cache=False, voice=synthesizer.voice)
    t0 = time.perf_counter()
    fresh = [c async for c in uncached.stream(phrase)]
    uncached_s = time.perf_counter() - t0
    assert await synthesizer.prewarm([phrase]) == 2
    assert all(synthesizer.is_cached(s) for s in split_sentences(phrase))
    t0 = time.perf_counter()
    cached = [c async for c in synthesizer.stream(phrase)]
    cached_s = time.perf_counter() - t0
    assert len(cached) == len(fresh) == 2
    # Piper adds noise, so only the cache can give the very same audio; the key ignores case and spacing
    again = [c async for c in synthesizer.stream("  " + phrase.upper().replace(" ", "  "))]
    for a, b in zip(cached, again, strict=True):
        assert np.array_equal(a, b)
    assert cached_s < uncached_s / 5
    assert cached_s < 0.05


async def test_cache_off_is_the_baseline(synthesizer) -> None:
    naive = get_synthesizer(cache=False)
    assert naive is not synthesizer and naive.voice is synthesizer.voice  # one voice per process
    assert await naive.prewarm(["Hello there."]) == 0
    assert not naive.is_cached("Hello there.")
    chunks = [c async for c in naive.stream("Hello there.")]
    assert len(chunks) == 1 and not naive.is_cached("Hello there.")


def test_lru_keeps_recent_dynamic_sentences(synthesizer) -> None:
    s = Synthesizer(synthesizer.voice_path, voice=synthesizer.voice, lru_size=2)
    for text in ["One moment.", "Two moments.", "Three moments."]:
        s.synth_sentence(text)
    assert not s.is_cached("One moment.")
    assert s.is_cached("Two moments.") and s.is_cached("Three moments.")


def test_bad_voice_path(monkeypatch, tmp_path) -> None:
    from safety.settings import Settings

    monkeypatch.setenv("WARMLINE_TTS_VOICE", str(tmp_path / "nope.onnx"))
    with pytest.raises(FileNotFoundError, match="WARMLINE_TTS_VOICE"):
        get_synthesizer(Settings())
