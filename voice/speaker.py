"""The line's voice for one call: reply parts -> TTS sentence by sentence -> 20 ms frames -> transport.

- A producer task synthesises ahead (sentence by sentence, ``Pause`` parts become real silence) while
  the sender paces frames in real time with a small lead, so a barge-in ``clear`` drops at most the
  lead's worth of queued audio at the far end and "what the caller heard" stays knowable.
- After each sentence a mark goes out. The transport reports a mark back once the caller has heard
  everything before it (Twilio echoes it; the PCM transport keeps a playout clock). When the caller
  barges in, the sentences whose marks came back count as said; the rest is dropped, never resumed.
- One utterance at a time (a lock): replies, transfer bridging words and prompts queue behind it.
- A ``protected`` utterance is a safety message (transfer words, the line's company, the error goodbye):
  the call loop's own words never cut it short (voice/call.py ``_make_way``); only the caller barging
  in, the end of the call or the line passing to a person stop it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import numpy as np

from dialogue.types import Pause
from voice.audio import Framer, pcm_to_bytes
from voice.fallback import SENTENCE_LOST
from voice.transports.base import FRAME_BYTES, FRAME_MS, OutboundSink
from voice.tts import FOLLOW_UP, split_sentences

log = logging.getLogger(__name__)

LEAD_S = 0.3  # how far ahead of real time audio may be sent
_SILENCE = bytes(FRAME_BYTES)
_ids = itertools.count(1)


@dataclass
class Utterance:
    """What happened to one thing the line said."""

    label: str
    sentences: list[str] = field(default_factory=list)  # every sentence in order
    heard: list[bool] = field(default_factory=list)  # per sentence: its mark came back before any cut
    t_start: float = 0.0  # speak() called
    t_first_frame: float | None = None  # first frame handed to the transport
    interrupted: bool = False
    skipped: bool = False  # never started: the caller had the floor
    frames_sent: int = 0
    protected: bool = False  # a safety message: see the module docstring

    @property
    def full_text(self) -> str:
        return " ".join(s for s in self.sentences if s).strip()

    @property
    def heard_text(self) -> str:
        return " ".join(s for s, h in zip(self.sentences, self.heard, strict=False) if h and s).strip()


class Speaker:
    def __init__(self, sink: OutboundSink, synthesizer, *, on_audio: Callable[[], None] | None = None) -> None:
        self.sink = sink
        self.tts = synthesizer
        self._on_audio = on_audio or (lambda: None)
        self._lock = asyncio.Lock()
        self.current: Utterance | None = None
        self._marks: dict[str, tuple[Utterance, int]] = {}
        self._stop = asyncio.Event()
        self._done_marks: asyncio.Event = asyncio.Event()
        self._play_end = 0.0  # when everything sent so far will have been played out

    @property
    def speaking(self) -> bool:
        return self.current is not None

    # -- marks ------------------------------------------------------------------------------
    def on_mark(self, name: str) -> None:
        entry = self._marks.pop(name, None)
        if entry is None:
            return  # a mark of an utterance already cut short (Twilio returns them after clear)
        utt, idx = entry
        if not utt.interrupted:
            utt.heard[idx] = True
        if not any(u is utt for u, _ in self._marks.values()):
            self._done_marks.set()

    # -- barge-in ---------------------------------------------------------------------------
    def interrupt(self) -> bool:
        """Stop the current utterance now. Returns True if something was playing or about to."""
        utt = self.current
        if utt is None or utt.interrupted:
            return False
        utt.interrupted = True
        self._stop.set()
        return True

    # -- speaking ---------------------------------------------------------------------------
    async def speak(self, parts: list[str | Pause] | str, *, label: str | None = None,
                    hold: Callable[[], Awaitable[bool]] | None = None, protected: bool = False) -> Utterance:
        """Say ``parts``; returns once the caller has heard it all, or when it was cut short.
        ``hold`` is asked just before the first frame: True means the caller has the floor now, so
        nothing is said at all (``skipped``). ``protected``: a safety message (``Utterance.protected``)."""
        if isinstance(parts, str):
            parts = [parts]
        async with self._lock:
            utt = Utterance(label=label or f"u{next(_ids)}", t_start=time.monotonic(), protected=protected)
            for p in parts:
                if isinstance(p, str):
                    utt.sentences.extend(split_sentences(p))
            utt.heard = [False] * len(utt.sentences)
            if not utt.sentences and not any(isinstance(p, Pause) for p in parts):
                return utt
            self.current = utt
            self._stop = asyncio.Event()
            self._done_marks = asyncio.Event()
            try:
                await self._play(utt, parts, hold)
            finally:
                self.current = None
                for name in [n for n, (u, _) in self._marks.items() if u is utt]:
                    del self._marks[name]
            return utt

    async def _play(self, utt: Utterance, parts: list[str | Pause],
                    hold: Callable[[], Awaitable[bool]] | None) -> None:
        queue: asyncio.Queue = asyncio.Queue(maxsize=8)
        producer = asyncio.get_running_loop().create_task(self._produce(parts, queue))
        stop_wait = asyncio.get_running_loop().create_task(self._stop.wait())
        try:
            sentence = 0
            framer = Framer(FRAME_BYTES)
            while True:
                if producer.done() and queue.empty():
                    # It died without its "end" (a TTS failure it could not step round): what was made
                    # has played; waiting for more would hold the line silent for good.
                    log.error("speaker: synthesis task failed (%s)", _exc_name(producer))
                    break
                get = asyncio.ensure_future(queue.get())
                waiters = {get, stop_wait} if producer.done() else {get, stop_wait, producer}
                done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                if stop_wait in done:
                    get.cancel()
                    break
                if get not in done:  # the producer finished: look again
                    get.cancel()
                    continue
                kind, value = get.result()
                if kind == "end":
                    break
                if kind == "audio":
                    frames = framer.push(value)
                elif kind == "silence":
                    frames = framer.flush() + [_SILENCE] * int(round(value * 1000 / FRAME_MS))
                else:  # "mark": the end of one sentence
                    frames = framer.flush()
                for frame in frames:
                    if utt.t_first_frame is None:
                        if hold is not None and await hold():
                            utt.skipped = True
                            utt.interrupted = True
                            return
                    if not await self._send_paced(frame):
                        break
                    if utt.t_first_frame is None:
                        utt.t_first_frame = time.monotonic()
                    utt.frames_sent += 1
                if self._stop.is_set():
                    break
                if kind == "mark":
                    if sentence < len(utt.sentences) and value != utt.sentences[sentence]:
                        utt.sentences[sentence] = value  # what was really said in its place (records)
                    name = f"{utt.label}.{sentence}"
                    self._marks[name] = (utt, sentence)
                    await self.sink.mark(name)
                    sentence += 1
            if utt.interrupted:
                await self.sink.clear()
                self._play_end = time.monotonic()
                return
            # Everything sent: wait until the caller has heard it (marks back), or a barge-in.
            if any(u is utt for u, _ in self._marks.values()):
                timeout = max(0.0, self._play_end - time.monotonic()) + 2.0
                marks = asyncio.ensure_future(self._done_marks.wait())
                done, _ = await asyncio.wait({marks, stop_wait}, timeout=timeout,
                                             return_when=asyncio.FIRST_COMPLETED)
                marks.cancel()
                if stop_wait in done and utt.interrupted:
                    await self.sink.clear()
                    self._play_end = time.monotonic()
                elif not done:
                    # No transport feedback in time: trust the clock (it has played by now).
                    for name, (u, idx) in list(self._marks.items()):
                        if u is utt:
                            u.heard[idx] = True
                            del self._marks[name]
        finally:
            producer.cancel()
            stop_wait.cancel()
            await asyncio.gather(producer, stop_wait, return_exceptions=True)

    async def _send_paced(self, frame: bytes) -> bool:
        now = time.monotonic()
        ahead = self._play_end - now
        if ahead > LEAD_S:
            try:
                await asyncio.wait_for(self._stop.wait(), ahead - LEAD_S)
                return False  # stopped while waiting
            except TimeoutError:
                pass
            now = time.monotonic()
        if self._stop.is_set():
            return False
        await self.sink.send_audio(frame)
        self._play_end = max(self._play_end, now) + FRAME_MS / 1000
        self._on_audio()
        return True

    async def _produce(self, parts: list[str | Pause], queue: asyncio.Queue) -> None:
        gap = getattr(self.tts, "sentence_gap", np.zeros(0, dtype=np.int16))
        first = True
        for part in parts:
            if isinstance(part, Pause):
                await queue.put(("silence", float(part.seconds)))
                continue
            for s in split_sentences(part):
                if not first and len(gap):
                    await queue.put(("audio", pcm_to_bytes(gap)))
                if not first:
                    FOLLOW_UP.set(True)  # this task only: other calls' first sentences go before ours
                first = False
                said = s
                if not await self._voice(s, queue):
                    # This sentence could not be voiced: a cached stand-in, and the reply goes on.
                    said = SENTENCE_LOST if await self._voice(SENTENCE_LOST, queue, fallback=True) else ""
                await queue.put(("mark", said))
        await queue.put(("end", None))

    async def _voice(self, sentence: str, queue: asyncio.Queue, *, fallback: bool = False) -> bool:
        """Synthesise one sentence into the queue. False (logged) if the voice failed on it."""
        try:
            async for chunk in self.tts.stream(sentence):
                await queue.put(("audio", pcm_to_bytes(np.asarray(chunk, dtype=np.int16))))
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("speaker: TTS failed on a %ssentence (%s)", "fallback " if fallback else "",
                      type(exc).__name__)
            return False

    async def play_raw(self, frame: bytes) -> None:
        """A frame from elsewhere (a human's voice in a warm transfer), passed straight through."""
        await self.sink.send_audio(frame)
        self._on_audio()

    @property
    def playing_until(self) -> float:
        return self._play_end


def _exc_name(task: asyncio.Task) -> str:
    if task.cancelled():
        return "cancelled"
    exc = task.exception()
    return type(exc).__name__ if exc is not None else "no end marker"
