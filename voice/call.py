"""``CallSession``: one live call, from the first frame to ``call.ended``.

The pipeline, one small processor each, joined here::

    transport ──frames──► TurnTaker (voice/turns.py: endpointing, partials, speculative final)
                             │ Partial ─► risk only (safety.risk + CallRiskState, final=False)
                             │ Turn    ─► risk ─► (transfer | dialogue) ─► Speaker
    transport ◄──frames── Speaker (voice/speaker.py: TTS by sentence, pacing, marks, barge-in)

Safety always comes first: every transcript, partial or final, is assessed before anything else
happens, and as soon as the escalation policy says warm transfer (or emergency guidance) the call is
handed to the transfer manager, which decides what the line says from then on. Barge-in (the caller
speaks while the line talks) stops our audio at once; what the caller heard counts as said.

The session is also the call's ``safety.transfer.link.CallerLink``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from dialogue.types import Pause, Reply
from safety.bus import (
    CALL_ENDED,
    CALL_REPLY,
    CALL_STARTED,
    CALL_TRANSCRIPT,
    ESCALATION_OPENED,
    ESCALATION_RESOLVED,
    RISK_ASSESSED,
    TRANSFER_CONNECTED,
    TRANSFER_FAILED,
    TRANSFER_RINGING,
    Event,
)
from safety.types import Action, Decision
from voice.speaker import Speaker, Utterance
from voice.turns import Partial, Turn, TurnTaker
from voice.vad import BargeInDetector

if TYPE_CHECKING:
    from voice.switchboard import Switchboard
    from voice.transports.base import OutboundSink

log = logging.getLogger(__name__)

TRANSFER_ACTIONS = (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE)
# Safety events about this call that the caller's own client may see (ids and levels, no names).
_FORWARD = (ESCALATION_OPENED, TRANSFER_RINGING, TRANSFER_CONNECTED, TRANSFER_FAILED, ESCALATION_RESOLVED)
_FORWARD_KEYS = ("escalation_id", "level", "kind", "action", "attempt", "outcome", "reason")

AudioCallback = Callable[[bytes], Awaitable[None]]
_SORRY = "I'm sorry, I lost my thread for a moment. Could you say that again?"


class CallSession:
    def __init__(self, board: Switchboard, sink: OutboundSink, *, transport: str, caller: str | None,
                 provider_call_sid: str | None, tap: asyncio.Queue | None = None) -> None:
        self.board = board
        self.sink = sink
        self.call_id = uuid.uuid4().hex
        self.transport = transport
        self.caller_number = caller
        self.provider_call_sid = provider_call_sid
        self.pipeline = board.pipeline
        self.tap = tap
        self._t0 = time.monotonic()
        self._wall0 = time.time()
        self._t_activity = self._t0
        self.ended = False
        self.end_reason: str | None = None
        self._delete_content = False
        self._human_connected = False
        self._listeners: list[AudioCallback] = []
        self._replies: asyncio.Queue[tuple[Turn, Decision, float] | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task] = set()
        self._turn_no = 0
        # Barge-in: fires at most once per caller turn (reset when the turn is over).
        self._barge = BargeInDetector()
        self._t_barge = 0.0  # when the caller last took the floor
        self._barge_turn = -1  # ... in which of their turns
        self._t_speech_start = 0.0
        self.speaker = Speaker(sink, board.synthesizer, on_audio=self._touch)
        self.turns = TurnTaker(board.transcriber, self.pipeline, on_partial=self._on_partial,
                               on_turn=self._on_turn, on_speech_start=self._on_speech_start,
                               line_speaking=lambda: self.speaker.speaking)
        self.risk_state = board.new_risk_state()
        self.dialogue = board.new_dialogue(caller)
        self._closed = asyncio.Event()

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        self.board.calls[self.call_id] = self
        self.board.metrics.calls.labels(self.transport).inc()
        self.board.metrics.active.inc()
        log.info("call %s started (%s)", self.call_id, self.transport)
        await self._emit(CALL_STARTED, {"transport": self.transport, "caller": self.caller_number,
                                        "provider_call_sid": self.provider_call_sid,
                                        "pipeline": self.pipeline.name})
        sub = self.board.runtime.bus.subscribe(_FORWARD, maxsize=100)
        self._spawn(self._forward_safety_events(sub))
        self._spawn(self._reply_loop())

    async def close(self, reason: str) -> None:
        """End the call (idempotent): stop tasks, tell the transfer manager, emit ``call.ended``."""
        if self.ended:
            return
        self.ended = True
        self.end_reason = reason
        self.speaker.interrupt()
        await self.turns.close()
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        await asyncio.gather(*(t for t in self._tasks if t is not current), return_exceptions=True)
        transfers = self.board.transfers
        if transfers is not None:
            try:
                await transfers.on_call_ended(self.call_id)
            except Exception:
                log.exception("call %s: transfer manager failed on call end", self.call_id)
        self.board.calls.pop(self.call_id, None)
        self.board.metrics.active.dec()
        self.board.metrics.calls_ended.labels(reason).inc()
        duration = round(time.monotonic() - self._t0, 3)
        await self._emit(CALL_ENDED, {"reason": reason, "duration_s": duration,
                                      "delete_content": self._delete_content})
        self.board.forget_tap(self)
        self._closed.set()
        log.info("call %s ended: %s after %.1f s", self.call_id, reason, duration)

    async def hangup(self, reason: str = "line_hangup") -> None:
        await self.close(reason)
        await self.sink.hangup()

    # ---- inbound ---------------------------------------------------------------------------
    async def feed_audio(self, frame: bytes) -> None:
        """One 20 ms PCM16 16 kHz frame of the caller's voice."""
        if self.ended:
            return
        t = time.monotonic()
        for cb in list(self._listeners):
            try:
                await cb(frame)
            except Exception:
                log.exception("call %s: audio listener failed; removed", self.call_id)
                self.remove_audio_listener(cb)
        if self._barge.push(frame):
            self._on_barge_in(t)
        self.turns.push(frame, t)
        if self.turns.endpointer.in_speech:
            self._t_activity = t
        elif self._barge.fired:
            self._barge.reset()  # that turn is over; the next one may barge in again

    def on_mark(self, name: str) -> None:
        self.speaker.on_mark(name)

    def on_dtmf(self, digit: str) -> None:
        log.info("call %s: keypad press", self.call_id)  # the digit itself is the caller's business

    # ---- turn-taking -----------------------------------------------------------------------
    def _on_speech_start(self) -> None:
        self._t_activity = self._t_speech_start = time.monotonic()

    def _on_barge_in(self, t: float) -> None:
        """Sustained caller speech: the caller has the floor. Stop the line if it is talking; a reply
        still being prepared will not start (see ``_answer``)."""
        self._t_barge = t
        self._barge_turn = self.turns.turn_index
        if self.speaker.interrupt():
            self.board.metrics.barge_ins.inc()
            log.info("call %s: barge-in, line stopped", self.call_id)

    async def _on_partial(self, p: Partial) -> None:
        await self._emit(CALL_TRANSCRIPT, {"text": p.text, "final": False, "turn": p.turn})
        await self._assess(p.text, p.turn, final=False)

    async def _on_turn(self, turn: Turn) -> None:
        if not turn.text:
            return  # noise, a cough: nothing was said
        self._turn_no = turn.index
        await self._emit(CALL_TRANSCRIPT, {"text": turn.text, "final": True, "turn": turn.index})
        t_risk = time.monotonic()
        decision = await self._assess(turn.text, turn.index, final=True)
        risk_ms = (time.monotonic() - t_risk) * 1000
        transfers = self.board.transfers
        if transfers is not None and transfers.is_active(self.call_id):
            await transfers.on_caller_turn(self.call_id, turn.text, decision)
            return
        if decision.action in TRANSFER_ACTIONS and transfers is not None:
            return  # _assess has handed the call over; the transfer decides what is said
        if self._human_connected:
            return
        if (turn.started_while_line_spoke and self._barge_turn != turn.index
                and decision.action == Action.CONTINUE):
            return  # a backchannel ("mm-hm") under the line's voice: heard and assessed, not answered
        self._replies.put_nowait((turn, decision, risk_ms))

    async def _assess(self, text: str, turn: int, *, final: bool) -> Decision:
        """Risk first, always: assess, update the call's level, hand over to a human when needed."""
        board = self.board
        try:
            assessment = await asyncio.to_thread(board.assess, text)
            decision = self.risk_state.update(assessment, final=final, ts=time.time())
            asked = getattr(self.dialogue, "asked", None) if final else None
            if asked:  # the line just asked a C-SSRS question: a bare "yes" is an answer (safety/cssrs.py)
                decision = self.risk_state.answer(asked, text, ts=time.time())
        except Exception:
            # A broken risk model must never silence the line: note it and keep the call's level.
            log.exception("call %s: risk assessment failed", self.call_id)
            return getattr(self.risk_state, "decision", None) or Decision()
        await self._emit(RISK_ASSESSED, {
            "turn": turn, "final": final, "text": text, "level": str(assessment.level),
            "kind": str(assessment.kind), "signals": list(assessment.signals),
            "call_level": str(decision.level), "call_kind": str(decision.kind), "action": str(decision.action),
        })
        if decision.raised:
            board.metrics.escalations.labels(str(decision.level), str(decision.action)).inc()
        if decision.action in TRANSFER_ACTIONS:
            await self._hand_over(decision)
        return decision

    async def _hand_over(self, decision: Decision) -> None:
        transfers = self.board.transfers
        if transfers is None or transfers.is_active(self.call_id) or self.ended:
            return
        # What the line was saying no longer matters: stop it and drop queued answers.
        self._drain_replies()
        self.speaker.interrupt()
        try:
            await transfers.start(self, decision, self.risk_state)
            log.info("call %s: handed to the transfer manager", self.call_id)
        except Exception:
            log.exception("call %s: transfer start failed; the line keeps talking", self.call_id)

    def _drain_replies(self) -> None:
        while not self._replies.empty():
            self._replies.get_nowait()

    # ---- replies ---------------------------------------------------------------------------
    async def _reply_loop(self) -> None:
        """Greeting, then one answer per turn, in order. A silent caller gets a gentle prompt."""
        greeting = self.board.greeting(self.dialogue)
        if greeting is not None and not self._human_connected:
            await self._say_reply(greeting, turn=0, source="greeting")
        prompt_s = self.board.settings.silence_prompt_s
        while not self.ended:
            try:
                item = await asyncio.wait_for(self._replies.get(), timeout=1.0)
            except TimeoutError:
                if (prompt_s > 0 and self._idle() and time.monotonic() - self._t_activity >= prompt_s):
                    self._t_activity = time.monotonic()
                    reply = await asyncio.to_thread(self.dialogue.on_silence)
                    if self._idle():
                        await self._say_reply(reply, turn=self._turn_no, source="prompt")
                continue
            if item is None:
                return
            # Turns that queued up while the line was busy are answered together, once.
            items = [item]
            while not self._replies.empty():
                nxt = self._replies.get_nowait()
                if nxt is not None:
                    items.append(nxt)
            turn, decision, risk_ms = items[-1]
            if len(items) > 1:
                turn = dataclasses.replace(turn, text=" ".join(i[0].text for i in items))
            try:
                await self._answer(turn, decision, risk_ms)
            except Exception:
                # Never leave the caller in silence because one reply failed.
                log.exception("call %s: answering turn %d failed", self.call_id, turn.index)
                await self._say_reply(Reply(parts=[_SORRY]), turn=turn.index, source="fallback")

    def _idle(self) -> bool:
        transfers = self.board.transfers
        return (not self.speaker.speaking and not self._human_connected and not self.turns.endpointer.in_speech
                and not (transfers is not None and transfers.is_active(self.call_id)))

    async def _answer(self, turn: Turn, decision: Decision, risk_ms: float) -> None:
        transfers = self.board.transfers
        if self._human_connected or (transfers is not None and transfers.is_active(self.call_id)):
            return
        t0 = time.monotonic()
        reply: Reply = await asyncio.to_thread(self.dialogue.respond, turn.text, decision)
        t_dialogue = time.monotonic()
        if transfers is not None and transfers.is_active(self.call_id):
            return  # a partial escalated while the dialogue thought: the transfer speaks now
        if reply.delete_request:
            self._delete_content = True
        timing = {"turn": turn, "risk_ms": risk_ms, "dialogue_ms": (t_dialogue - t0) * 1000,
                  "t_dialogue": t_dialogue}
        # Said only if the caller has not taken the floor since the turn ended (nor queued a new turn).
        await self._say_reply(reply, turn=turn.index, source="turn", timing=timing,
                              hold=lambda: self._caller_has_floor(turn.t_end))
        if reply.wants_human and transfers is not None and not transfers.is_active(self.call_id):
            # The caller asked for a person: the same warm transfer as for risk, whatever the level.
            wanted = Decision(level=decision.level, kind=decision.kind, action=Action.WARM_TRANSFER,
                              signals=(*decision.signals, "request:human"), quotes=decision.quotes)
            await self._hand_over(wanted)
        if reply.end_call and not self.ended:
            await self.hangup("completed")

    async def _caller_has_floor(self, since: float) -> bool:
        """Asked just before an answer's first frame. True (say nothing) when the caller has taken the
        floor since their turn ended (barge-in fired) or a newer turn is queued. If they have only just
        started speaking again, wait a moment to see whether it is real speech or a cough."""
        deadline = time.monotonic() + 0.6
        while True:
            if self._t_barge > since or not self._replies.empty() or self.ended:
                return True
            ep = self.turns.endpointer
            speaking_now = ep.in_speech and not ep.paused and self._t_speech_start > since
            if not speaking_now or time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)

    async def _say_reply(self, reply: Reply, *, turn: int, source: str, timing: dict | None = None,
                         hold: Callable[[], Awaitable[bool]] | None = None) -> Utterance:
        utt = await self.speaker.speak(reply.parts, label=f"{source}{turn}", hold=hold)
        await self._record_utterance(utt, turn=turn, source=source, timing=timing)
        return utt

    async def _record_utterance(self, utt: Utterance, *, turn: int, source: str,
                                timing: dict | None = None) -> None:
        """``call.reply`` for what the caller actually heard (all of it, or up to a barge-in)."""
        timings: dict[str, float] = {}
        if timing is not None and utt.t_first_frame is not None:
            t: Turn = timing["turn"]
            timings = {
                "endpoint_ms": t.endpoint_ms,
                "asr_ms": t.asr_ms,
                "risk_ms": timing["risk_ms"],
                "dialogue_ms": timing["dialogue_ms"],
                "tts_first_ms": (utt.t_first_frame - timing["t_dialogue"]) * 1000,
                "total_ms": (utt.t_first_frame - t.t_last_voice) * 1000,
            }
            timings = {k: round(v, 1) for k, v in timings.items()}
            self.board.metrics.observe_turn(timings)
            timings["asr_decode_ms"] = round(t.asr_decode_ms, 1)
        if utt.t_first_frame is None:
            return  # nothing reached the caller (they had the floor, or the call ended)
        text = utt.full_text if not utt.interrupted else utt.heard_text
        data: dict[str, Any] = {"text": text, "turn": turn, "timings": timings, "source": source}
        if utt.interrupted:
            data.update(interrupted=True, full_text=utt.full_text)
        await self._emit(CALL_REPLY, data)

    # ---- events ----------------------------------------------------------------------------
    async def _emit(self, name: str, data: dict[str, Any]) -> None:
        event = Event(name, self.call_id, data)
        try:
            await self.board.runtime.bus.publish(event)
        except Exception:
            log.exception("call %s: bus publish of %s failed", self.call_id, name)
        await self._to_client(event)

    async def _to_client(self, event: Event) -> None:
        payload = event.to_json()
        if name_is_personal(event.name):
            payload.pop("caller", None)
        try:
            await self.sink.send_event(payload)
        except Exception:
            pass
        if self.tap is not None:
            try:
                self.tap.put_nowait(payload)
            except asyncio.QueueFull:
                pass

    async def _forward_safety_events(self, sub) -> None:
        try:
            async for event in sub:
                if event.call_id != self.call_id:
                    continue
                data = {k: event.data[k] for k in _FORWARD_KEYS if k in event.data}
                await self._to_client(Event(event.name, event.call_id, data, event.ts))
        finally:
            sub.close()

    # ---- CallerLink ------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return not self.ended

    async def say(self, text: str) -> None:
        if self.ended or not text.strip():
            return
        if self.speaker.current is not None and not self.speaker.current.label.startswith("say"):
            self.speaker.interrupt()  # the transfer's words come before the rest of a dialogue reply
        utt = await self.speaker.speak([text], label=f"say{self._turn_no}.")
        await self._record_utterance(utt, turn=self._turn_no, source="transfer")

    def seconds_since_audio(self) -> float:
        return max(0.0, time.monotonic() - max(self._t_activity, self.speaker.playing_until))

    def set_human_connected(self, connected: bool) -> None:
        self._human_connected = connected
        if connected:
            self._drain_replies()
            self.speaker.interrupt()

    async def play_human_audio(self, frame: bytes) -> None:
        if not self.ended:
            await self.speaker.play_raw(frame)

    def add_audio_listener(self, callback: AudioCallback) -> None:
        if callback not in self._listeners:
            self._listeners.append(callback)

    def remove_audio_listener(self, callback: AudioCallback) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    # ---- housekeeping ----------------------------------------------------------------------
    def _touch(self) -> None:
        self._t_activity = time.monotonic()

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None and not self.ended:
            log.error("call %s: call task failed (%s); ending the call", self.call_id,
                      exc.__class__.__name__, exc_info=exc)
            asyncio.get_running_loop().create_task(self.hangup("error"))

    async def wait_closed(self) -> None:
        await self._closed.wait()


def name_is_personal(event_name: str) -> bool:
    """Events whose data carries the caller's number (never sent back over the wire)."""
    return event_name == CALL_STARTED


__all__ = ["CallSession", "Pause"]
