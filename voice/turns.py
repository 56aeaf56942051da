"""Turn-taking for one call: caller frames in, partial transcripts and finished turns out.

The endpointer (voice/vad.py) says when speech starts, pauses, resumes and when the turn is over.
On top of it this processor
- asks for partial transcripts at a bounded rate (at most one per ``partial_interval_ms``, dropped by
  the recogniser when it is busy), so CPU stays flat with many calls;
- on ``SILENCE_START`` starts the final decode speculatively, so the endpointing wait and the decode
  overlap; on ``SPEECH_RESUMED`` forgets it; on ``TURN_END`` uses it if no speech came after it;
- feeds the speculative words back to the endpointer (``set_text`` + ``poll``), which may then end the
  turn early because the words look complete.

Times are ``time.monotonic()`` seconds; each frame's arrival time is kept so that turn latency can be
measured from the arrival of the turn's last voiced frame (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import numpy as np

from voice.pipeline import PipelineConfig
from voice.vad import FRAME_MS, Endpointer, VadConfig, VadEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Partial:
    turn: int
    text: str


@dataclass(frozen=True)
class Turn:
    """A finished caller turn with the timestamps that turn latency is built from."""

    index: int
    text: str
    audio_ms: int
    t_last_voice: float  # arrival of the end of the turn's last voiced frame
    t_end: float  # the endpointer declared the turn over
    t_text: float  # the final transcript was in hand
    asr_decode_ms: float  # the recogniser's own time for the transcript used (queueing included)
    speculative: bool  # the transcript came from the decode started when silence began
    started_while_line_spoke: bool = False
    spec_gen: int | None = None  # which speculative decode the transcript came from (see ``on_speculative``)

    @property
    def endpoint_ms(self) -> float:
        return (self.t_end - self.t_last_voice) * 1000

    @property
    def asr_ms(self) -> float:
        """The part of recognition not hidden behind the endpointing wait."""
        return (self.t_text - self.t_end) * 1000


def vad_config_for(pipeline: PipelineConfig) -> VadConfig:
    if pipeline.endpointing == "fixed":
        return VadConfig.baseline(pipeline.fixed_silence_ms)
    return VadConfig()


class TurnTaker:
    """Feed ``push(frame, t)`` with every caller frame; ``on_partial`` and ``on_turn`` are awaited from
    tasks of this processor (never from inside ``push``, which must stay cheap)."""

    def __init__(
        self,
        transcriber,
        pipeline: PipelineConfig,
        *,
        on_partial: Callable[[Partial], Awaitable[None]],
        on_turn: Callable[[Turn], Awaitable[None]],
        on_speech_start: Callable[[], None] | None = None,
        line_speaking: Callable[[], bool] | None = None,
        vad_config: VadConfig | None = None,
        on_speculative: Callable[[int, int, str], None] | None = None,
        on_speculative_dropped: Callable[[], None] | None = None,
    ) -> None:
        self.asr = transcriber
        self.pipeline = pipeline
        self.endpointer = Endpointer(vad_config or vad_config_for(pipeline))
        self._on_partial = on_partial
        self._on_turn = on_turn
        self._on_speech_start = on_speech_start
        self._line_speaking = line_speaking or (lambda: False)
        # (turn, generation, words): the speculative transcript is in and the caller is still silent;
        # the call may prepare its reply now. Dropped when speech resumes (the words will change).
        self._on_speculative = on_speculative
        self._on_speculative_dropped = on_speculative_dropped
        self._arrivals: deque[float] = deque(maxlen=2000)  # arrival time of each frame (40 s)
        self._frames = 0
        self.turn_index = 0
        self._started_while_line_spoke = False
        self._last_partial_t = 0.0
        self._partial_busy = False
        # speculative final decode: (generation, stream ms it covers, task)
        self._spec_gen = 0
        self._spec: tuple[int, int, asyncio.Task] | None = None
        self._tasks: set[asyncio.Task] = set()
        self.closed = False

    # -- frames -----------------------------------------------------------------------------
    def push(self, frame: bytes, t: float | None = None) -> None:
        if self.closed:
            return
        t = time.monotonic() if t is None else t
        self._arrivals.append(t)
        self._frames += 1
        ep = self.endpointer
        for ev in ep.push(frame):
            self._handle(ev, t)
        if ep.in_speech and not ep.paused and self.pipeline.partials:
            self._maybe_partial(t)

    def _handle(self, ev: VadEvent, t: float) -> None:
        if ev is VadEvent.SPEECH_START:
            self.turn_index += 1
            self._started_while_line_spoke = self._line_speaking()
            self._last_partial_t = t
            self._drop_speculative()
            if self._on_speech_start:
                self._on_speech_start()
        elif ev is VadEvent.SILENCE_START:
            if self.pipeline.speculative_decode:
                self._start_speculative()
        elif ev is VadEvent.SPEECH_RESUMED:
            self._drop_speculative()
        elif ev is VadEvent.TURN_END:
            self._turn_ended(t)

    def _time_of(self, stream_ms: int) -> float:
        """Arrival time of the frame that ended at ``stream_ms``."""
        idx = stream_ms // FRAME_MS  # frames counted from 1
        back = self._frames - idx
        if back < 0 or back >= len(self._arrivals):
            return self._arrivals[-1] if self._arrivals else time.monotonic()
        return self._arrivals[-1 - back]

    # -- partials ---------------------------------------------------------------------------
    def _maybe_partial(self, t: float) -> None:
        if self._partial_busy or (t - self._last_partial_t) * 1000 < self.pipeline.partial_interval_ms:
            return
        audio = self.endpointer.utterance()
        if len(audio) < 16000 // 2:  # under half a second: nothing worth reading yet
            return
        self._last_partial_t = t
        self._partial_busy = True
        self._spawn(self._partial(self.turn_index, audio.copy()))

    async def _partial(self, turn: int, audio: np.ndarray) -> None:
        try:
            res = await self.asr.transcribe(audio, partial=True)
        finally:
            self._partial_busy = False
        if res is None or not res.text.strip() or self.closed or turn != self.turn_index:
            return
        ep = self.endpointer
        if ep.in_speech and not ep.paused:
            upto = ep.speech_start_ms + int(len(audio) * 1000 / 16000) if ep.speech_start_ms is not None else None
            ep.set_text(res.text, upto_ms=upto, avg_logprob=res.avg_logprob, end_prob=res.end_prob)
        await self._on_partial(Partial(turn, res.text.strip()))

    # -- speculative final ------------------------------------------------------------------
    def _start_speculative(self) -> None:
        ep = self.endpointer
        self._spec_gen += 1
        gen, upto = self._spec_gen, ep.now_ms
        task = self._spawn(self._speculative(gen, upto, ep.utterance().copy()))
        self._spec = (gen, upto, task)

    async def _speculative(self, gen: int, upto: int, audio: np.ndarray):
        res = await self.asr.transcribe(audio, partial=False)
        ep = self.endpointer
        # Still the same pause? Then these words may let the endpointer end the turn now.
        if not self.closed and gen == self._spec_gen and ep.in_speech and ep.paused:
            ep.set_text(res.text, upto_ms=upto, avg_logprob=res.avg_logprob, end_prob=res.end_prob)
            if self._on_speculative is not None and res.text.strip():
                self._on_speculative(self.turn_index, gen, res.text.strip())
            for ev in ep.poll():
                self._handle(ev, time.monotonic())
        return res

    def _drop_speculative(self) -> None:
        self._spec_gen += 1
        self._spec = None
        if self._on_speculative_dropped is not None:
            self._on_speculative_dropped()

    # -- turn end ---------------------------------------------------------------------------
    def _turn_ended(self, t: float) -> None:
        ep = self.endpointer
        audio = ep.utterance().copy()
        t_last_voice = self._time_of(ep.last_voiced_ms)
        spec = self._spec if self._spec and self._spec[0] == self._spec_gen else None
        self._spec = None
        self._spec_gen += 1
        # The speculative decode is good if it covered everything up to the last voiced frame.
        usable = spec if spec is not None and spec[1] >= ep.last_voiced_ms else None
        self._spawn(self._finish(self.turn_index, audio, t_last_voice, t, usable[2] if usable else None,
                                 self._started_while_line_spoke, usable[0] if usable else None))

    async def _finish(self, index: int, audio: np.ndarray, t_last_voice: float, t_end: float,
                      spec: asyncio.Task | None, overlapped: bool, spec_gen: int | None = None) -> None:
        res = await spec if spec is not None else await self.asr.transcribe(audio, partial=False)
        t_text = time.monotonic()
        if self.closed:
            return
        await self._on_turn(Turn(
            index=index, text=(res.text if res else "").strip(), audio_ms=int(len(audio) / 16),
            t_last_voice=t_last_voice, t_end=t_end, t_text=max(t_text, t_end),
            asr_decode_ms=res.decode_ms if res else 0.0, speculative=spec is not None,
            started_while_line_spoke=overlapped, spec_gen=spec_gen,
        ))

    # -- housekeeping -----------------------------------------------------------------------
    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("turn-taking task failed: %r", task.exception().__class__.__name__,
                      exc_info=task.exception())

    async def close(self) -> None:
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
