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
import copy
import dataclasses
import logging
import threading
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
from safety.types import Action, Assessment, Decision, Level
from voice import fallback
from voice.speaker import Speaker, Utterance
from voice.tts import split_sentences
from voice.turns import Partial, Turn, TurnTaker
from voice.vad import BargeInDetector

if TYPE_CHECKING:
    from voice.switchboard import Switchboard
    from voice.transports.base import OutboundSink

log = logging.getLogger(__name__)

TRANSFER_ACTIONS = (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE)
# A Twilio warm transfer ended the call's media stream; this long for the fork to arrive before the
# call is given up as over (the caller's completed status callback ends it sooner).
FORK_WAIT_S = 15.0
# Safety events about this call that the caller's own client may see (ids and levels, no names).
_FORWARD = (ESCALATION_OPENED, TRANSFER_RINGING, TRANSFER_CONNECTED, TRANSFER_FAILED, ESCALATION_RESOLVED)
_FORWARD_KEYS = ("escalation_id", "level", "kind", "action", "attempt", "outcome", "reason", "error")

AudioCallback = Callable[[bytes], Awaitable[None]]
# Error paths (see _task_done and _keep_company): an escalated caller is never hung up on by the line.
COMPANY_GAP_S = 4.0  # the line's own company lines after this much quiet (plus a line's length: < 10 s)
TRANSFER_RETRY_S = 20.0  # how often a failed transfer is started again
REPLY_RESTARTS = 3  # an escalated call's reply loop is restarted this often; then the company loop alone
# The transfer's words wait at most this long for a caller who is mid-turn (speaking, or only pausing
# mid-sentence), as a reply would; a caller in crisis who keeps talking past it is spoken to anyway.
SAY_WAIT_S = 3.0


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
        # Twilio warm transfer: the conference replaces the media stream with a listen-only fork.
        self.awaiting_media_fork = False
        self._listen_only = False
        self._fork_arrived = asyncio.Event()
        self._listeners: list[AudioCallback] = []
        self._replies: asyncio.Queue[tuple[Turn, Decision, float] | None] = asyncio.Queue()
        self._tasks: set[asyncio.Task] = set()
        self._roles: dict[asyncio.Task, str] = {}
        self._reply_restarts = 0
        self._reply_dead = False  # the reply loop failed for good: the company loop speaks instead
        self._fallback = False  # escalated, and the transfer could not start or died: the line keeps company
        self._handover: Decision | None = None  # the decision that asked for a person (for retries)
        self._t_retry = 0.0
        self._heard = False  # the caller spoke while the line was keeping company
        self._seeking = fallback.Seeking(board.settings.crisis_line)
        self._turn_no = 0
        # Barge-in: fires at most once per caller turn (reset when the turn is over).
        self._barge = BargeInDetector()
        self._t_barge = 0.0  # when the caller last took the floor
        self._barge_turn = -1  # ... in which of their turns
        self._t_speech_start = 0.0
        # Speculative reply (PipelineConfig.speculative_reply): prepared on copies while the caller is
        # silent, adopted at turn end if the words held. ``_dlg_epoch`` counts the real dialogue's calls
        # (a copy taken before one of them is stale); ``_dlg_busy``: one is running in a thread now.
        self._spec_reply: SpecReply | None = None
        self._dlg_epoch = 0
        self._dlg_busy = False
        self.spec_stats = {"prepared": 0, "adopted": 0, "discarded": 0, "declined": 0}
        spec = self.pipeline.speculative_reply
        self.speaker = Speaker(sink, board.synthesizer, on_audio=self._touch)
        self.turns = TurnTaker(board.transcriber, self.pipeline, on_partial=self._on_partial,
                               on_turn=self._on_turn, on_speech_start=self._on_speech_start,
                               line_speaking=lambda: self.speaker.speaking,
                               on_speculative=self._on_speculative if spec else None,
                               on_speculative_dropped=self._drop_spec_reply if spec else None)
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
        self._spawn(self._forward_safety_events(sub), role="forward")
        self._spawn(self._reply_loop(), role="reply")

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

    # ---- media stream hand-over (Twilio warm transfer) -------------------------------------
    def expect_media_fork(self, expect: bool = True) -> None:
        """The Twilio adapter is about to move the caller into a conference: their bidirectional stream
        will end and a listen-only fork (``<Start><Stream>``) will carry their voice from then on."""
        self.awaiting_media_fork = expect

    def attach_media_fork(self, sink: OutboundSink) -> None:
        """The fork arrived: listen on it. Nothing is sent on it (Twilio rejects media there)."""
        self.speaker.interrupt()
        self._listen_only = True
        self.sink = sink
        self.speaker.sink = sink
        self._fork_arrived.set()

    async def stream_ended(self, reason: str, sink: OutboundSink) -> None:
        """A transport's stream for this call ended. That ends the call, unless it is a stream the call
        has already moved away from, or the bidirectional stream a warm transfer's conference replaced."""
        if self.ended or sink is not self.sink:
            return
        if self.awaiting_media_fork and not self._listen_only and reason in ("hangup", "disconnected"):
            self._listen_only = True  # until the fork arrives, nothing can reach the caller from us
            self.speaker.interrupt()
            log.info("call %s: media stream handed over to the conference; waiting for the fork", self.call_id)
            self._spawn(self._wait_for_fork(reason, sink))
            return
        await self.close(reason)

    async def _wait_for_fork(self, reason: str, old: OutboundSink) -> None:
        try:
            await asyncio.wait_for(self._fork_arrived.wait(), FORK_WAIT_S)
        except TimeoutError:
            pass
        if self.sink is old and not self.ended:
            log.warning("call %s: no media fork after the conference join; ending the call", self.call_id)
            await self.close(reason)

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
        spec = self._spec_reply
        same = spec is not None and spec.matches(turn, self._dlg_epoch)
        decision = await self._assess(turn.text, turn.index, final=True,
                                      assessment=spec.assessment if same and spec is not None else None)
        risk_ms = (time.monotonic() - t_risk) * 1000
        transfers = self.board.transfers
        if transfers is not None and transfers.is_active(self.call_id):
            await transfers.on_caller_turn(self.call_id, turn.text, decision)
            return
        if self._fallback or self._reply_dead:
            self._heard = True  # the company loop answers (the transfer or the dialogue failed)
            return
        if decision.action in TRANSFER_ACTIONS and transfers is not None:
            return  # _assess has handed the call over; the transfer decides what is said
        if self._human_connected:
            return
        if (turn.started_while_line_spoke and self._barge_turn != turn.index
                and decision.action == Action.CONTINUE):
            return  # a backchannel ("mm-hm") under the line's voice: heard and assessed, not answered
        self._replies.put_nowait((turn, decision, risk_ms))

    async def _assess(self, text: str, turn: int, *, final: bool, assessment: Assessment | None = None) -> Decision:
        """Risk first, always: assess, update the call's level, hand over to a human when needed.
        ``assessment``: the same words already assessed (purely) by a speculative reply."""
        board = self.board
        try:
            if assessment is None:
                assessment = await asyncio.to_thread(board.assess, text)
            decision = self.risk_state.update(assessment, final=final, ts=time.time())
            asked = getattr(self.dialogue, "asked", None) if final else None
            if asked:  # the line just asked a C-SSRS question: a bare "yes" is an answer (safety/cssrs.py)
                decision = self.risk_state.answer(asked, text, ts=time.time())
        except Exception:
            # A broken risk model must never silence the line: note it and keep the call's level. On a
            # final turn we cannot tell how the caller is, so fail safe: offer a person (the dialogue
            # does, with the crisis line); never less than what the call already had.
            log.exception("call %s: risk assessment failed", self.call_id)
            decision = self._risk_unknown(final)
            if final and decision.action in TRANSFER_ACTIONS:
                await self._hand_over(decision)
            return decision
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

    def _risk_unknown(self, final: bool) -> Decision:
        last = getattr(self.risk_state, "decision", None) or Decision()
        try:
            level, kind = Level(self.risk_state.level), self.risk_state.kind
        except Exception:
            level, kind = last.level, last.kind
        if not final or ACTION_ORDER.index(last.action) >= ACTION_ORDER.index(Action.OFFER_HUMAN):
            return dataclasses.replace(last, level=max(level, last.level), raised=False)
        return Decision(level=max(level, last.level), kind=kind, action=Action.OFFER_HUMAN,
                        signals=(*last.signals, "risk:unavailable"), quotes=last.quotes)

    async def _hand_over(self, decision: Decision) -> None:
        transfers = self.board.transfers
        if transfers is None or transfers.is_active(self.call_id) or self.ended:
            return
        self._handover = decision
        self._drop_spec_reply()
        if self._fallback:
            return  # the company loop is already keeping the caller company and retrying
        # What the line was saying no longer matters: stop it (unless it is a safety message, which the
        # transfer's words queue behind) and drop queued answers.
        self._drain_replies()
        self._make_way()
        self._ensure_company()
        try:
            await transfers.start(self, decision, self.risk_state)
            log.info("call %s: handed to the transfer manager", self.call_id)
        except Exception:
            log.exception("call %s: transfer start failed; the line keeps the caller company", self.call_id)
            await self._enter_fallback(decision, "transfer_start_failed")

    # ---- error paths: the caller is never left alone --------------------------------------
    def escalated(self) -> bool:
        """High risk or more, or a transfer running (or broken): the line never hangs up on its own."""
        transfers = self.board.transfers
        try:
            if Level(self.risk_state.level) >= Level.HIGH:
                return True
        except Exception:
            pass
        return (self._fallback or self._reply_dead
                or (transfers is not None and transfers.is_active(self.call_id)))

    def _ensure_company(self) -> None:
        if not self.ended and "company" not in self._roles.values():
            self._spawn(self._keep_company(), role="company")

    async def _enter_fallback(self, decision: Decision | None, error: str) -> None:
        """The transfer could not start, or died: tell the console, keep the caller company, retry."""
        if self._fallback or self.ended:
            return
        self._fallback = True
        self._heard = True  # say at once that a person is being sought (and the crisis line)
        self._t_retry = time.monotonic()
        self._ensure_company()
        transfers = self.board.transfers
        t = _transfer_of(transfers, self.call_id) if transfers is not None else None
        esc_id = getattr(getattr(t, "esc", None), "id", None)
        if esc_id:  # the console knows the escalation: tell it the transfer broke (the line is on it)
            event = Event(TRANSFER_FAILED, self.call_id, {"escalation_id": esc_id, "target": None, "reason": error})
            try:
                await self.board.runtime.bus.publish(event)
            except Exception:
                log.exception("call %s: could not publish the transfer failure", self.call_id)
        else:  # the manager never told the console: say it ourselves, with what went wrong
            d = decision or Decision()
            event = Event(ESCALATION_OPENED, self.call_id, {
                "escalation_id": uuid.uuid4().hex, "level": str(d.level), "kind": str(d.kind),
                "action": str(d.action), "signals": list(d.signals), "quotes": [list(q) for q in d.quotes],
                "transport": self.transport, "error": error,
            })
            try:
                await self.board.runtime.bus.publish(event)
            except Exception:
                log.exception("call %s: could not publish the escalation", self.call_id)
        log.error("call %s: transfer unavailable (%s); the line keeps the caller company", self.call_id, error)

    def _transfer_died(self) -> bool:
        """The transfer for this call ended without a person, a resolution or the caller leaving."""
        transfers = self.board.transfers
        if transfers is None or self._handover is None or transfers.is_active(self.call_id):
            return False
        t = _transfer_of(transfers, self.call_id)
        if t is None:
            return True
        if getattr(t, "resolved", False) or getattr(t, "caller_left", False):
            return False  # finished properly: the dialogue has the call again
        task = getattr(t, "task", None)
        return task is None or task.done()

    async def _keep_company(self) -> None:
        """Runs once a call is escalated. While the transfer is down (or the reply loop is dead) the line
        says a short line of company whenever the caller has heard nothing for ``COMPANY_GAP_S``, answers
        the caller's words, and starts the transfer again every ``TRANSFER_RETRY_S``."""
        while not self.ended:
            await asyncio.sleep(0.25)
            if self._human_connected or getattr(self, "_listen_only", False):
                continue  # a person has the caller (or, in a Twilio conference, only a person can reach them)
            transfers = self.board.transfers
            running = transfers is not None and transfers.is_active(self.call_id)
            if running:
                if self._fallback:
                    log.info("call %s: the transfer is running again", self.call_id)
                self._fallback = False
                continue
            if not self._fallback and self._transfer_died():
                log.error("call %s: the transfer task died; the line keeps the caller company", self.call_id)
                await self._enter_fallback(self._handover, "transfer_failed")
                self._t_retry = 0.0  # restart it at once
            if not (self._fallback or self._reply_dead):
                continue
            if self._fallback and transfers is not None and time.monotonic() - self._t_retry >= TRANSFER_RETRY_S:
                self._t_retry = time.monotonic()
                await self._retry_transfer()
                if transfers.is_active(self.call_id):
                    continue
            if self._heard and not self.turns.endpointer.in_speech:
                self._heard = False
                first = self._seeking.next_line() if self._seeking.fresh else None
                await self._say_company(first or self._seeking.heard())
            elif (self.seconds_since_audio() >= COMPANY_GAP_S and not self.speaker.speaking
                  and not self.turns.endpointer.in_speech):
                await self._say_company(self._seeking.next_line())

    async def _retry_transfer(self) -> None:
        decision = self._handover or getattr(self.risk_state, "decision", None) or Decision()
        if decision.action not in TRANSFER_ACTIONS:
            decision = dataclasses.replace(decision, action=Action.WARM_TRANSFER)
        try:
            await self.board.transfers.start(self, decision, self.risk_state)
            log.info("call %s: transfer started again", self.call_id)
        except Exception:
            log.exception("call %s: transfer restart failed", self.call_id)

    async def _say_company(self, text: str) -> None:
        utt = await self.speaker.speak([text], label=f"keep{self._turn_no}.", protected=True)
        await self._record_utterance(utt, turn=self._turn_no, source="fallback")

    async def _fail_and_end(self) -> None:
        """A call that is not escalated and cannot go on: one safe sentence with the crisis line, then end."""
        self._make_way()
        try:
            utt = await asyncio.wait_for(
                self.speaker.speak([fallback.fill(fallback.ERROR_GOODBYE, self.board.settings.crisis_line)],
                                   label=f"error{self._turn_no}.", protected=True), 15.0)
            await self._record_utterance(utt, turn=self._turn_no, source="error")
        except Exception:
            log.exception("call %s: could not say the error goodbye", self.call_id)
        if self.escalated():  # it escalated meanwhile: stay
            self._reply_dead = True
            self._ensure_company()
            return
        await self.hangup("error")

    def _drain_replies(self) -> None:
        while not self._replies.empty():
            self._replies.get_nowait()

    def _make_way(self) -> None:
        """Our own words need the line now: a dialogue reply stops at once. A safety message (transfer
        words, the line's company, the error goodbye: ``Utterance.protected``) is never cut short by our
        own code; whatever comes next queues behind it (the Speaker says one utterance at a time). Only
        the caller barging in, the call ending or a person taking the caller stop one."""
        current = self.speaker.current
        if current is not None and not current.protected:
            self.speaker.interrupt()

    async def _wait_for_caller(self, limit: float) -> None:
        """Hold our own words while the caller is mid-turn: speaking, or pausing mid-sentence (the
        endpointer has not ended their turn yet). At most ``limit`` seconds."""
        deadline = time.monotonic() + limit
        ep = self.turns.endpointer
        while ep.in_speech and not self.ended and not self._listen_only:
            if time.monotonic() >= deadline:
                log.info("call %s: the caller is still talking after %.1f s; the line speaks anyway",
                         self.call_id, limit)
                return
            await asyncio.sleep(0.02)

    # ---- replies ---------------------------------------------------------------------------
    async def _reply_loop(self, *, greet: bool = True) -> None:
        """Greeting, then one answer per turn, in order. A silent caller gets a gentle prompt."""
        self._dlg_epoch += 1
        greeting = self.board.greeting(self.dialogue) if greet else None
        if greeting is not None and not self._human_connected:
            await self._say_reply(greeting, turn=0, source="greeting")
        prompt_s = self.board.settings.silence_prompt_s
        while not self.ended:
            try:
                item = await asyncio.wait_for(self._replies.get(), timeout=1.0)
            except TimeoutError:
                if (prompt_s > 0 and self._idle() and time.monotonic() - self._t_activity >= prompt_s):
                    self._t_activity = time.monotonic()
                    try:
                        reply = await self._dialogue_call(self.dialogue.on_silence)
                    except Exception:
                        log.exception("call %s: silence prompt failed", self.call_id)
                        line = fallback.SEEKING[0] if self.escalated() else fallback.STILL_HERE
                        reply = Reply(parts=[fallback.fill(line, self.board.settings.crisis_line)])
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
                # Never leave the caller in silence because one reply failed; where risk is flagged the
                # apology keeps the way to a person and the crisis line in front of them.
                log.exception("call %s: answering turn %d failed", self.call_id, turn.index)
                flagged = decision.level > Level.NONE or decision.action != Action.CONTINUE
                text = fallback.SORRY_AGAIN_FLAGGED if flagged else fallback.SORRY_AGAIN
                await self._say_reply(Reply(parts=[fallback.fill(text, self.board.settings.crisis_line)]),
                                      turn=turn.index, source="fallback")

    def _idle(self) -> bool:
        transfers = self.board.transfers
        return (not self.speaker.speaking and not self._human_connected and not self._listen_only and not self.turns.endpointer.in_speech
                and not self._fallback and not (transfers is not None and transfers.is_active(self.call_id)))

    async def _answer(self, turn: Turn, decision: Decision, risk_ms: float) -> None:
        transfers = self.board.transfers
        if self._human_connected or self._listen_only or (transfers is not None and transfers.is_active(self.call_id)):
            return
        t0 = time.monotonic()
        reply = await self._adopt_spec_reply(turn, decision)
        if reply is None:
            reply = await self._dialogue_call(self.dialogue.respond, turn.text, decision)
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
            if self.escalated():
                log.info("call %s: goodbye said; an escalated caller hangs up themselves", self.call_id)
            else:
                await self.hangup("completed")

    async def _dialogue_call(self, fn: Callable[..., Reply], *args: Any) -> Reply:
        """The real dialogue, off the event loop. Any speculative copy taken before this is stale."""
        self._dlg_epoch += 1
        self._dlg_busy = True
        try:
            return await asyncio.to_thread(fn, *args)
        finally:
            self._dlg_busy = False

    # ---- speculative reply -----------------------------------------------------------------
    def _on_speculative(self, turn: int, gen: int, text: str) -> None:
        """The speculative transcript is in and the caller is still silent: prepare the reply now, on
        copies of the risk and dialogue state (the real ones are not touched until turn end)."""
        self._drop_spec_reply()
        transfers = self.board.transfers
        if (self.ended or self._listen_only or self._human_connected or self._fallback or self._reply_dead
                or self._dlg_busy or self.speaker.speaking or not self._replies.empty()
                or (transfers is not None and transfers.is_active(self.call_id))):
            return  # the normal path will answer (or nothing will): no speculation
        try:
            risk = _copy_risk(self.risk_state)
            dialogue, memory = _copy_dialogue(self.dialogue)
        except Exception:
            log.exception("call %s: speculative copy failed; the normal path answers", self.call_id)
            return
        spec = SpecReply(turn=turn, gen=gen, text=text, epoch=self._dlg_epoch, dialogue=dialogue, memory=memory)
        asked = getattr(self.dialogue, "asked", None)
        spec.task = self._spawn(self._prepare_reply(spec, risk, asked), role="speculative")
        self._spec_reply = spec

    async def _prepare_reply(self, spec: SpecReply, risk: Any, asked: str | None) -> None:
        try:
            def work() -> None:
                # Safety first here too: a copy of the call's risk state decides what the copy answers.
                assessment = self.board.assess(spec.text)
                spec.assessment = assessment
                ts = time.time()
                decision = risk.update(assessment, final=True, ts=ts)
                if asked:
                    decision = risk.answer(asked, spec.text, ts=ts)
                spec.decision = decision
                if decision.action in TRANSFER_ACTIONS:
                    self.spec_stats["declined"] += 1
                    return  # a person is needed: never a prepared normal reply
                spec.reply = spec.dialogue.respond(spec.text, decision)

            try:
                await asyncio.to_thread(work)
            finally:
                spec.ready.set()
            if spec.reply is None:
                return
            self.spec_stats["prepared"] += 1
            first = next((p for p in spec.reply.parts if not isinstance(p, Pause)), None)
            if spec.reply.parts and isinstance(spec.reply.parts[0], str) and first:
                sentences = split_sentences(first)
                prepare = getattr(self.board.synthesizer, "prepare_first", None)
                if sentences and prepare is not None:
                    # Into the phrase cache; if the turn ends first, the Speaker joins this synthesis.
                    await prepare(sentences[0])
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("call %s: speculative reply failed; the normal path answers", self.call_id)
            spec.reply = None

    def _drop_spec_reply(self) -> None:
        """Speech resumed (or the call moved on): forget the speculative reply; nothing real changed."""
        spec, self._spec_reply = self._spec_reply, None
        if spec is not None:
            self.spec_stats["discarded"] += 1
            if spec.task is not None and not spec.task.done():
                spec.task.cancel()

    async def _adopt_spec_reply(self, turn: Turn, decision: Decision) -> Reply | None:
        """The prepared reply for exactly these words, if its assumptions held; else None (and it is
        thrown away). Adopting it moves the dialogue copy in as the call's dialogue."""
        spec = self._spec_reply
        if spec is None:
            return None
        if not spec.matches(turn, self._dlg_epoch):
            self._drop_spec_reply()
            return None
        if spec.task is not None and not spec.task.done() and not spec.ready.is_set():
            # Risk and dialogue already under way on the copies: sooner than starting again. (Its
            # first sentence's synthesis need not be done: the Speaker joins it.)
            ready = asyncio.ensure_future(spec.ready.wait())
            await asyncio.wait({spec.task, ready}, return_when=asyncio.FIRST_COMPLETED)
            ready.cancel()
        if (self._spec_reply is not spec or spec.task is None or spec.task.cancelled()
                or spec.reply is None or spec.decision is None
                or not spec.matches(turn, self._dlg_epoch)
                or decision.action in TRANSFER_ACTIONS or _decision_key(spec.decision) != _decision_key(decision)):
            self._drop_spec_reply()
            return None
        self._spec_reply = None
        self._dlg_epoch += 1
        if spec.memory is not None:
            await asyncio.to_thread(spec.memory.commit, spec.dialogue)
        self.dialogue = spec.dialogue
        self.spec_stats["adopted"] += 1
        return spec.reply

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
        """The transfer's words. They do not start while the caller is mid-sentence (at most
        ``SAY_WAIT_S``), come before the rest of a dialogue reply, and queue behind a safety message
        already playing. Once started, only the caller (barge-in) or the end of the call stops them."""
        if self.ended or self._listen_only or not text.strip():
            return
        await self._wait_for_caller(SAY_WAIT_S)
        if self.ended or self._listen_only:
            return
        self._make_way()
        utt = await self.speaker.speak([text], label=f"say{self._turn_no}.", protected=True)
        await self._record_utterance(utt, turn=self._turn_no, source="transfer")

    def seconds_since_audio(self) -> float:
        return max(0.0, time.monotonic() - max(self._t_activity, self.speaker.playing_until))

    def set_human_connected(self, connected: bool) -> None:
        self._human_connected = connected
        if connected:
            self._drain_replies()
            # A person has the caller now: the line falls silent, whatever it was saying (the transfer
            # has said its own words in full before it connects; two voices at once help no one).
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

    def _spawn(self, coro, *, role: str = "task") -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        self._roles[task] = role
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task) -> None:
        """A call task ended. A failure is logged, never allowed to drop an escalated caller: what failed
        is restarted (or the company loop speaks instead). A call that is not escalated ends, but only
        after one safe sentence with the crisis line."""
        self._tasks.discard(task)
        role = self._roles.pop(task, "task")
        if task.cancelled() or self.ended:
            return
        exc = task.exception()
        if exc is None:
            if role == "company":  # it only returns when the call ends; if not, it is needed again
                self._ensure_company()
            return
        if role == "forward":  # only the caller's own copy of safety events: the call goes on without it
            log.error("call %s: safety event forwarding failed (%s)", self.call_id, type(exc).__name__,
                      exc_info=exc)
            return
        if role == "company":
            log.error("call %s: company loop failed (%s); restarting it", self.call_id, type(exc).__name__,
                      exc_info=exc)
            self._ensure_company()
            return
        if self.escalated():
            if role == "reply" and self._reply_restarts < REPLY_RESTARTS:
                self._reply_restarts += 1
                log.error("call %s: reply loop failed (%s); escalated call, restarting it", self.call_id,
                          type(exc).__name__, exc_info=exc)
                self._spawn(self._reply_loop(greet=False), role="reply")
            else:
                log.error("call %s: call task %s failed (%s); escalated call, the line keeps the caller company",
                          self.call_id, role, type(exc).__name__, exc_info=exc)
                self._reply_dead = self._reply_dead or role == "reply"
            self._ensure_company()
            return
        log.error("call %s: call task %s failed (%s); ending the call after a safe goodbye", self.call_id, role,
                  type(exc).__name__, exc_info=exc)
        self._spawn(self._fail_and_end(), role="ending")

    async def wait_closed(self) -> None:
        await self._closed.wait()


ACTION_ORDER = list(Action)


@dataclasses.dataclass(eq=False)
class SpecReply:
    """A reply prepared during the silence wait for the words ``text`` of turn ``turn``."""

    turn: int
    gen: int  # the speculative decode it came from (voice/turns.py)
    text: str
    epoch: int  # the real dialogue's call count when it was copied
    dialogue: Any  # the copy it was prepared on
    memory: DeferredMemory | None
    task: asyncio.Task | None = None
    assessment: Assessment | None = None
    decision: Decision | None = None  # what the copy of the risk state decided
    reply: Reply | None = None
    ready: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)  # risk + dialogue done

    def matches(self, turn: Turn, epoch: int) -> bool:
        return (turn.spec_gen == self.gen and turn.index == self.turn and turn.text == self.text
                and epoch == self.epoch)


class DeferredMemory:
    """Stands in for the caller memory store in a speculative dialogue copy: writes are held back and
    written to the real store only if the copy is adopted."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.puts: list[tuple[str, dict]] = []

    def get(self, caller_key: str) -> dict | None:
        for key, data in reversed(self.puts):
            if key == caller_key:
                return data
        return self.real.get(caller_key)

    def put(self, caller_key: str, data: dict) -> None:
        self.puts.append((caller_key, data))

    def commit(self, dialogue: Any) -> None:
        for key, data in self.puts:
            self.real.put(key, data)
        self.puts.clear()
        if getattr(dialogue, "memory", None) is self:
            dialogue.memory = self.real


def _copy_risk(state: Any) -> Any:
    """A private copy of a CallRiskState (its lock replaced, its settings shared)."""
    memo: dict[int, Any] = {}
    lock = getattr(state, "_lock", None)
    if lock is not None:
        memo[id(lock)] = threading.Lock()
    settings = getattr(state, "settings", None)
    if settings is not None:
        memo[id(settings)] = settings
    return copy.deepcopy(state, memo)


def _copy_dialogue(dialogue: Any) -> tuple[Any, DeferredMemory | None]:
    memo: dict[int, Any] = {}
    real = getattr(dialogue, "memory", None)
    proxy = None
    if real is not None:
        proxy = DeferredMemory(real)
        memo[id(real)] = proxy
    return copy.deepcopy(dialogue, memo), proxy


def _decision_key(d: Decision) -> tuple:
    """What the dialogue's answer depends on: a speculative reply is used only if these are the same."""
    return (d.level, d.kind, d.action, d.raised, d.walked_back, d.turn_level)


def _transfer_of(transfers: Any, call_id: str) -> Any:
    """The transfer manager's latest transfer for this call, if it has one (and says so)."""
    try:
        return transfers.transfer_for_call(call_id)
    except Exception:
        return None


def name_is_personal(event_name: str) -> bool:
    """Events whose data carries the caller's number (never sent back over the wire)."""
    return event_name == CALL_STARTED


__all__ = ["CallSession", "Pause"]
