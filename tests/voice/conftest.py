"""Shared fixtures for the voice tests: real speech (Piper, espeak-ng, codec2 recordings) and the
real models, loaded once per test session. Helpers live in tests/voice/speech.py."""

from __future__ import annotations

import pytest

from tests.voice import speech as _speech


@pytest.fixture(scope="session")
def speech():
    """The speech helper module: ``speech.synth_speech(text, voice="piper"|"espeak")``,
    ``speech.phone_quality(pcm)``, ``speech.codec2_recording()``, ``speech.wer(ref, hyp)``,
    ``speech.frames(pcm)``, ``speech.silence(ms)``, ``speech.noise(ms)``, ``speech.concat(...)``."""
    return _speech


@pytest.fixture(scope="session")
def synth_speech():
    """``synth_speech(text, voice="piper"|"espeak", rate=16000) -> np.int16`` (cached)."""
    return _speech.synth_speech


@pytest.fixture(scope="session")
def codec2_speech():
    """(np.int16 16 kHz, text) of the real Harvard-sentence recording from codec2-examples."""
    return _speech.codec2_recording()


@pytest.fixture(scope="session")
def transcriber():
    """The process-wide batching Transcriber (bundled tiny.en), warmed up."""
    from voice.asr import get_transcriber

    tr = get_transcriber()
    tr.warmup()
    return tr


@pytest.fixture(scope="session")
def synthesizer():
    """The process-wide Synthesizer (bundled Piper voice) with its phrase cache."""
    from voice.tts import get_synthesizer

    return get_synthesizer()
