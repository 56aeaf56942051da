"""Real speech for the voice tests: the bundled Piper voice, espeak-ng, and codec2's real recordings.

Everything returns np.int16 mono at 16 kHz unless a rate is given. Import from tests as
``from tests.voice.speech import synth_speech, phone_quality, wer, ...`` or use the fixtures in
tests/voice/conftest.py.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from voice.audio import read_wav, resample, ulaw_decode, ulaw_encode

RATE = 16_000
FRAME_SAMPLES = 320  # 20 ms at 16 kHz

CODEC2_16K = Path("/usr/share/codec2/raw/speech_orig_16k.wav")
# The four Harvard sentences spoken in speech_orig_16k.wav (10.8 s, one male speaker).
CODEC2_16K_TEXT = (
    "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. "
    "It's easy to tell the depth of a well. Four hours of steady work faced us."
)
CODEC2_8K_DIR = Path("/usr/share/codec2/wav")
# Short 8 kHz recordings with their (Harvard sentence) texts.
CODEC2_8K_TEXTS = {
    "hts1a": "The navy attacked the big task force.",
    "hts2a": "These days a chicken leg is a rare dish.",
    "forig": "Don't throw trash on the street.",
    "morig": "That frog jumped through the weeds.",
    "cross": "They took the cross town bus.",
    "mmt1": "It's easy to tell the depth of a well.",
}


@functools.lru_cache(maxsize=1)
def _piper():
    from voice.tts import bundled_voice_path, load_piper_voice

    return load_piper_voice(bundled_voice_path())


@functools.lru_cache(maxsize=256)
def _synth_cached(text: str, voice: str, rate: int, natural: bool) -> bytes:
    if voice == "piper":
        from piper.config import SynthesisConfig

        v = _piper()
        # Piper samples noise inside the model, so the same text sounds a little different each time;
        # tests get one fixed rendering (noise off) unless they ask for natural variation.
        cfg = None if natural else SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        chunks = [c.audio_int16_array for c in v.synthesize(text, cfg)]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        src = int(v.config.sample_rate)
    elif voice == "espeak":
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise RuntimeError("espeak-ng is not installed (Makefile DEB_PACKAGES installs it)")
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            subprocess.run([exe, "-v", "en-us", "-s", "160", "-w", f.name, text], check=True, capture_output=True)
            audio, src = read_wav(f.name)
    else:
        raise ValueError(f"unknown voice {voice!r}: piper or espeak")
    return resample(audio, src, rate).tobytes()


def synth_speech(text: str, voice: str = "piper", rate: int = RATE, *, natural: bool = False) -> np.ndarray:
    """Speech for ``text`` as np.int16 mono at ``rate`` (cached per process; returns a copy).
    Piper speech is deterministic (the same audio in every run) unless ``natural=True``, which
    gives Piper's usual run-to-run variation in timing and timbre; espeak-ng is always deterministic."""
    return np.frombuffer(_synth_cached(text, voice, rate, natural), dtype=np.int16).copy()


def silence(ms: int, rate: int = RATE) -> np.ndarray:
    return np.zeros(rate * ms // 1000, dtype=np.int16)


def noise(ms: int, rms: float = 300.0, seed: int = 0, rate: int = RATE) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(rng.standard_normal(rate * ms // 1000) * rms, -32768, 32767).astype(np.int16)


def click(ms: int = 60) -> np.ndarray:
    """A train of sharp clicks (a handset knock, line crackle)."""
    x = np.zeros(RATE * ms // 1000)
    x[::40], x[1::40] = 20000, -20000
    return x.astype(np.int16)


def cough(ms: int = 400, seed: int = 0) -> np.ndarray:
    """A cough-like burst: loud, broadband, fast attack, decaying, and with no pitch."""
    rng = np.random.default_rng(seed)
    n = RATE * ms // 1000
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    x = np.fft.irfft(spec * (np.exp(-(((f - 800) / 1500) ** 2)) + 0.3), n)
    env = np.exp(-np.arange(n) / (n / 4)) * np.minimum(1, np.arange(n) / 160)
    return (x / np.abs(x).max() * 20000 * env).astype(np.int16)


def trim_silence(pcm: np.ndarray, threshold: int = 300) -> np.ndarray:
    """Cut leading/trailing near-silence (Piper pads sentences) so pauses in tests are exact."""
    idx = np.flatnonzero(np.abs(pcm.astype(np.int32)) > threshold)
    return pcm[idx[0] : idx[-1] + 1] if idx.size else pcm[:0]


def concat(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=np.int16) for p in parts])


def phone_quality(pcm: np.ndarray, rate: int = RATE) -> np.ndarray:
    """What a caller sounds like after the phone network: 8 kHz G.711 µ-law, back to ``rate``."""
    narrow = resample(pcm, rate, 8000)
    return resample(ulaw_decode(ulaw_encode(narrow)), 8000, rate)


def codec2_recording(rate: int = RATE) -> tuple[np.ndarray, str]:
    """The real 16 kHz Harvard-sentence recording and its text."""
    pcm, src = read_wav(CODEC2_16K)
    return resample(pcm, src, rate), CODEC2_16K_TEXT


def codec2_8k(name: str, rate: int = RATE) -> tuple[np.ndarray, str]:
    pcm, src = read_wav(CODEC2_8K_DIR / f"{name}.wav")
    return resample(pcm, src, rate), CODEC2_8K_TEXTS[name]


def frames(pcm: np.ndarray, pad: bool = True) -> list[bytes]:
    """20 ms PCM16LE frames (640 bytes) of a 16 kHz signal; the last one zero-padded."""
    pcm = np.asarray(pcm, dtype=np.int16)
    rem = len(pcm) % FRAME_SAMPLES
    if rem and pad:
        pcm = np.concatenate([pcm, np.zeros(FRAME_SAMPLES - rem, np.int16)])
    n = len(pcm) // FRAME_SAMPLES
    return [pcm[i * FRAME_SAMPLES : (i + 1) * FRAME_SAMPLES].tobytes() for i in range(n)]


_NUM = {
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four",
    "5": "five", "6": "six", "7": "seven", "8": "eight", "9": "nine",
}  # fmt: skip


def normalize_words(text: str) -> list[str]:
    t = text.lower().replace("’", "'")
    t = re.sub(r"\d", lambda m: f" {_NUM[m.group(0)]} ", t)
    t = re.sub(r"[^a-z' ]+", " ", t)
    return [w.strip("'") for w in t.split() if w.strip("'")]


def wer(ref: str, hyp: str) -> float:
    """Word error rate (substitutions + deletions + insertions) / reference words, on normalised words."""
    r, h = normalize_words(ref), normalize_words(hyp)
    if not r:
        return 0.0 if not h else 1.0
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        cur = [i] + [0] * len(h)
        for j, hw in enumerate(h, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rw != hw))
        prev = cur
    return prev[-1] / len(r)
