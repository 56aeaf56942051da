"""The warm-transfer state machine: one ``Transfer`` per escalation, running in its own task.

    opened -> announcing -> ringing(target 1) -> ringing(target 2) ... -> ringing(crisis line)
       ^                         |  answered                                   | all failed
       |                         v                                             v
       |                     connected -> resolved                  holding (safety planning)
       +-------------------------- retry after WARMLINE_TRANSFER_RETRY_INTERVAL_S ----+

Rules the code keeps: the line tells the caller before every change (bridging words, next target, the
crisis line); while anything rings it keeps the caller company and never lets a silence run past about
five seconds; it never hangs up (there is no hang-up in ``CallerLink`` on purpose); an operator who
accepts in the console is connected whatever else is ringing at that moment. Every step is appended to
``Escalation.steps`` (the audit trail) and published on the bus: the contract's events for ringing,
connected, failed and resolved, and ``transfer.step`` for the rest.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from safety.bus import (
    ESCALATION_RESOLVED,
    TRANSFER_CONNECTED,
    TRANSFER_FAILED,
    TRANSFER_RINGING,
    Event,
)
from safety.transfer import holdtalk as words
from safety.transfer.adapters import ANSWERED, CANCELED, TIMEOUT, Attempt
from safety.transfer.brief import HandoffBrief, target_label
from safety.types import Action, Level

if TYPE_CHECKING:
    from safety.transfer.clock import Clock
    from safety.transfer.link import CallerLink
    from safety.transfer.manager import TransferManager

log = logging.getLogger(__name__)

TRANSFER_STEP = "transfer.step"  # audit steps that have no contract event of their own

# Say something after this much quiet; with a short line taking ~2-4 s, no gap passes ~5 s.
HOLD_GAP_S = 3.0
POLL_S = 0.25


class State(StrEnum):
    OPENED = "opened"
    ANNOUNCING = "announcing"
    RINGING = "ringing"
    CONNECTED = "connected"
    HOLDING = "holding"  # every target failed: safety planning, then retry
    RESOLVED = "resolved"
    CALLER_LEFT = "caller_left"


@dataclass
class Escalation:
    """What the console and records see of one escalation."""

    id: str
    call_id: str
    level: str
    kind: str
    action: str
    signals: list[str]
    quotes: list[list[Any]]
    opened_at: float  # unix time
    transport: str
    brief: HandoffBrief
    state: State = State.OPENED
    target: str | None = None
    attempts: int = 0
    operator: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: float | None = None
    listeners: list[str] = field(default_factory=list)
    connected_at: float | None = None
    connected_via: str | None = None
    caller_left_at: float | None = None
    resolved_at: float | None = None
    outcome: str | None = None
    notes: str | None = None
    resolved_by: str | None = None
    hold_lines: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        """In the queue: nobody has the caller yet and the caller is still there."""
        return self.state not in (State.CONNECTED, State.RESOLVED, State.CALLER_LEFT) and self.connected_at is None

    @property
    def abandoned(self) -> bool:
        return self.caller_left_at is not None and self.connected_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "escalation_id": self.id,
            "call_id": self.call_id,
            "level": self.level,
            "kind": self.kind,
            "action": self.action,
            "signals": list(self.signals),
            "quotes": [list(q) for q in self.quotes],
            "opened_at": self.opened_at,
            "transport": self.transport,
            "state": self.state.value,
            "waiting": self.waiting,
            "target": self.target,
            "attempts": self.attempts,
            "operator": self.operator,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": self.acknowledged_at,
            "listeners": list(self.listeners),
            "connected_at": self.connected_at,
            "connected_via": self.connected_via,
            "caller_left_at": self.caller_left_at,
            "resolved_at": self.resolved_at,
            "outcome": self.outcome,
            "notes": self.notes,
            "brief": self.brief.to_json(),
            "steps": list(self.steps),
        }


class Transfer:
    def __init__(
        self,
        esc: Escalation,
        link: CallerLink,
        manager: TransferManager,
        *,
        clock: Clock,
        holdtalk: words.HoldTalk,
    ) -> None:
        self.esc = esc
        self.link = link
        self.manager = manager
        self.settings = manager.settings
        self.clock = clock
        self.talk = holdtalk
        self.wake = asyncio.Event()
        self.attempt: Attempt | None = None
        self.connected_attempt: Attempt | None = None
        self.console_accept: str | None = None  # operator who accepted while something else rang
        self.accepted_by: str | None = None  # the operator who took this caller in the console
        self.pending_turns: list[tuple[str, Any]] = []
        self._in_last_resort = False
        self.caller_left = False
        self.resolved = False
        self.emergency_given = False
        self.task: asyncio.Task[None] | None = None
        self._attempt_no = 0

    # ---- inputs from outside (manager, console, adapters) -------------------------------------
    def caller_turn(self, text: str, decision: Any) -> None:
        urgent = getattr(decision, "action", None) == Action.EMERGENCY_GUIDANCE and not self.emergency_given
        if not urgent and self._announcing_pending() and (not self._in_last_resort or self._opening_words(text)):
            # most likely the final transcript of the very words that opened the escalation (it was
            # opened on a partial); the bridging words that are about to play answer it. The brief
            # keeps the final words rather than the partial's. (In the last resort no bridging words
            # come: only those opening words are skipped; anything new is answered.)
            self._prefer_final_quote(text)
            return
        self.pending_turns.append((text, decision))
        self.wake.set()

    def _opening_words(self, text: str) -> bool:
        """``text`` starts as the quote that opened the escalation (its final transcript, most likely)."""
        quotes = self.esc.brief.quotes
        head = quotes[-1].text.lower().split()[:2] if quotes else []
        return bool(head) and text.lower().split()[:2] == head

    def _prefer_final_quote(self, text: str) -> None:
        quotes = self.esc.brief.quotes
        if not quotes or not text.strip():
            return
        last = quotes[-1]
        if self._opening_words(text) and last.text != text:
            quotes[-1] = type(last)(last.ts, text, last.level, last.signals)
            self.esc.quotes = [[q.ts, q.text] for q in quotes]

    def operator_accepts(self, operator: str) -> None:
        self.accepted_by = operator
        a = self.attempt
        if a is not None and a.adapter == "console" and a.outcome is None:
            a.finish(ANSWERED, operator=operator)
        else:
            self.console_accept = operator
        self.wake.set()

    def caller_gone(self) -> None:
        self.caller_left = True
        self.wake.set()

    def resolve(self) -> None:
        self.resolved = True
        self.wake.set()

    @property
    def active(self) -> bool:
        """The transfer decides what the line says (the call loop holds its own dialogue)."""
        return not self.resolved and not self.caller_left and self.task is not None and not self.task.done()

    # ---- audit ---------------------------------------------------------------------------------
    async def step(self, name: str, *, event: str | None = None, publish: bool = True, **data: Any) -> None:
        ts = self.clock.wall()
        self.esc.steps.append({"ts": ts, "step": name, **data})
        if publish:
            payload = {"escalation_id": self.esc.id, **data}
            if event is None:
                event, payload = TRANSFER_STEP, {"escalation_id": self.esc.id, "step": name, **data}
            await self.manager.publish(Event(event, self.esc.call_id, payload, ts=ts))
        log.info("escalation %s call %s step %s", self.esc.id, self.esc.call_id, name)

    def _set(self, state: State) -> None:
        self.esc.state = state

    # ---- the machine ---------------------------------------------------------------------------
    def _going(self) -> bool:
        return not self.caller_left and not self.resolved and self.link.active

    async def run(self) -> None:
        try:
            await self._run()
        except asyncio.CancelledError:
            raise
        except Exception:
            # Whatever broke, the caller is not left alone: plain company until they or a person end it.
            log.exception("transfer %s failed; keeping the caller company", self.esc.id)
            try:
                await self.step("error_fallback")
            except Exception:  # the audit step must not stop the company below
                log.exception("transfer %s: error_fallback step failed", self.esc.id)
            await self._last_resort()
        finally:
            if self.attempt is not None and self.attempt.outcome is None:
                await self._cancel(self.attempt)
            if self.caller_left or not self.link.active:
                await self._on_caller_left()

    async def _run(self) -> None:
        round_no = 0
        while self._going():
            round_no += 1
            if round_no > 1:
                await self.step("retry", round=round_no)
                await self._say(words.RETRYING)
            plan = self.manager.plan_for(self.link)
            for i, target in enumerate(plan):
                if not self._going():
                    break
                if self.console_accept:
                    break
                crisis = target == self.settings.crisis_line
                adapter = self.manager.adapter_for(target, self.link)
                if crisis and adapter is None:
                    # a web or SIP caller: we cannot dial the crisis line for them, so we give it to them
                    await self._announce()
                    await self.step("crisis_line_given", target=target)
                    self.esc.brief.done.append(f"gave the caller the crisis line {target}")
                    await self._say(words.CRISIS_LINE_SELF.format(crisis=_spoken(target)))
                    continue
                if crisis:
                    await self.step("crisis_line_next", target=target)
                    await self._say(words.CRISIS_LINE_NEXT.format(crisis=_spoken(target)))
                outcome = await self._ring(target, adapter)
                if outcome == ANSWERED:
                    await self._stay_connected()
                    return
                if self.console_accept or not self._going():
                    break
                more = any(t != self.settings.crisis_line for t in plan[i + 1 :])
                if more and adapter is not None:
                    await self._say(words.TRYING_NEXT)
            if self.console_accept and self._going():
                await self._connect_console_late()
                return
            if not self._going():
                break
            await self._announce()
            outcome = await self._hold_with_safety_plan(round_no)
            if outcome == "console":
                await self._connect_console_late()
                return

    def _announcing_pending(self) -> bool:
        return not any(s["step"] == "announced" for s in self.esc.steps)

    async def _announce(self) -> None:
        if not self._announcing_pending():
            return
        emergency = self.esc.action == Action.EMERGENCY_GUIDANCE or self.esc.level == Level.IMMINENT
        text = words.BRIDGING
        if emergency:
            text = words.EMERGENCY.format(emergency=self.settings_emergency()) + text
            self.emergency_given = True
        await self._say(text)
        done = "told the caller a person is being brought in and that the line stays"
        if emergency:
            done = "gave emergency guidance; " + done
        self.esc.brief.done.append(done)
        await self.step("announced", emergency_guidance=emergency)

    def settings_emergency(self) -> str:
        return getattr(self.settings, "emergency_number", "") or "911"

    async def _ring(self, target: str, adapter: Any) -> str:
        self._attempt_no += 1
        self.esc.attempts = self._attempt_no
        self.esc.target = target
        attempt = Attempt(
            escalation_id=self.esc.id,
            call_id=self.esc.call_id,
            target=target,
            number=self._attempt_no,
            adapter=adapter.name if adapter else "none",
            wake=self.wake,
        )
        self.attempt = attempt
        shown = _target_for_event(target)
        if adapter is None:
            attempt.finish("failed", reason="no-adapter")
            await self.step(TRANSFER_FAILED, event=TRANSFER_FAILED, target=shown, reason="no-adapter")
            return attempt.outcome or "failed"
        self._set(State.RINGING)
        await self.step(TRANSFER_RINGING, event=TRANSFER_RINGING, target=shown, attempt=self._attempt_no)
        try:
            await adapter.dial(attempt, self.esc.brief, self.link)
        except Exception as exc:
            log.warning("escalation %s: dial via %s failed: %s", self.esc.id, adapter.name, type(exc).__name__)
            attempt.finish("failed", reason=f"dial-error:{type(exc).__name__}")
        deadline = self.clock.now() + self.settings.transfer_ring_timeout_s
        await self._announce()  # the first target rings while the caller hears what is happening
        outcome = await self._keep_company(deadline, attempt=attempt)
        if outcome == ANSWERED:
            await self._connected(attempt, adapter)
            return ANSWERED
        if attempt.outcome is None:
            attempt.finish(TIMEOUT if outcome == TIMEOUT else CANCELED, reason=outcome)
            await self._cancel(attempt)
        reason = attempt.reason
        who = target_label(target, self.settings.crisis_line)
        self.esc.brief.done.append(f"tried {who}: {reason}")
        await self.step(TRANSFER_FAILED, event=TRANSFER_FAILED, target=shown, reason=reason)
        self.attempt = None
        return attempt.outcome or "failed"

    async def _cancel(self, attempt: Attempt) -> None:
        adapter = self.manager.adapters.get(attempt.adapter)
        if adapter is None:
            return
        try:
            await adapter.cancel(attempt)
        except Exception:
            log.exception("escalation %s: cancel failed", self.esc.id)

    async def _keep_company(self, deadline: float, *, attempt: Attempt | None = None, plan: bool = False) -> str:
        """Hold talk until the deadline, an outcome, a console accept, or the caller leaving."""
        use_plan = plan
        while True:
            if not self._going():
                return "caller_left" if (self.caller_left or not self.link.active) else "resolved"
            if attempt is not None and attempt.outcome is not None:
                return attempt.outcome
            if self.console_accept:
                if attempt is not None and attempt.adapter != "console":
                    attempt.finish(CANCELED, reason="operator-accepted")
                    await self._cancel(attempt)
                return "console"
            now = self.clock.now()
            if now >= deadline:
                return TIMEOUT
            if self.pending_turns:
                await self._answer_turn()
                continue
            if self.link.seconds_since_audio() >= HOLD_GAP_S:
                if plan and use_plan:
                    line = self.talk.next_plan_step()
                else:
                    line = self.talk.next_line()
                use_plan = not use_plan
                self.esc.hold_lines += 1
                self.esc.steps.append({"ts": self.clock.wall(), "step": "hold_talk", "plan": plan})
                await self._say(line)
                continue
            self.wake.clear()
            await self.clock.wait(self.wake, min(POLL_S, deadline - now))

    async def _answer_turn(self) -> None:
        _text, decision = self.pending_turns.pop(0)
        self.pending_turns.clear()  # one acknowledgement for a burst of turns
        action = getattr(decision, "action", None)
        if action == Action.EMERGENCY_GUIDANCE and not self.emergency_given:
            self.emergency_given = True
            self.esc.level = Level.IMMINENT.value
            self.esc.brief.level = Level.IMMINENT.value
            await self.step("emergency_guidance")
            await self._say(words.EMERGENCY.format(emergency=self.settings_emergency()) + words.CALLER_SPOKE[0], ack=True)
            return
        if decision is not None and getattr(decision, "raised", False):
            await self.step("risk_raised", level=str(getattr(decision.level, "value", decision.level)))
        await self._say(self.talk.caller_spoke(), ack=True)

    async def _hold_with_safety_plan(self, round_no: int) -> str:
        self._set(State.HOLDING)
        await self.step("safety_planning", round=round_no)
        self.esc.brief.done.append("nobody answered; did safety-planning steps with the caller and kept retrying")
        await self._say(words.ALL_BUSY if round_no == 1 else words.STILL_TRYING)
        deadline = self.clock.now() + self.settings.transfer_retry_interval_s
        return await self._keep_company(deadline, plan=True)

    async def _connected(self, attempt: Attempt, adapter: Any) -> None:
        phone = adapter.name != "console"
        await self._say(words.CONNECTING_PHONE if phone else words.CONNECTED)
        self.link.set_human_connected(True)
        await adapter.connect(attempt, self.link)
        self.connected_attempt = attempt
        self._set(State.CONNECTED)
        self.esc.connected_at = self.clock.wall()
        self.esc.connected_via = adapter.name
        self.esc.operator = attempt.operator
        self.esc.brief.done.append("connected the caller to a person")
        await self.step(
            TRANSFER_CONNECTED,
            event=TRANSFER_CONNECTED,
            target=_target_for_event(attempt.target),
            operator=attempt.operator,
        )

    async def _connect_console_late(self) -> None:
        """An operator accepted in the console while another target rang or while holding."""
        adapter = self.manager.adapters["console"]
        self._attempt_no += 1
        attempt = Attempt(
            escalation_id=self.esc.id,
            call_id=self.esc.call_id,
            target="console",
            number=self._attempt_no,
            adapter="console",
            wake=self.wake,
        )
        attempt.finish(ANSWERED, operator=self.console_accept)
        self.console_accept = None
        await self._connected(attempt, adapter)
        await self._stay_connected()

    async def _stay_connected(self) -> None:
        while not self.resolved and not self.caller_left and self.link.active:
            turns, self.pending_turns = self.pending_turns, []  # the human answers now; turns go to the record
            await self._note_raised_risk(turns)
            self.wake.clear()
            await self.clock.wait(self.wake, 5.0)
        attempt = self.connected_attempt
        if attempt is not None:
            adapter = self.manager.adapters.get(attempt.adapter)
            if adapter is not None:
                try:
                    await adapter.release(attempt, self.link)
                except Exception:
                    log.exception("escalation %s: release failed", self.esc.id)
        if self.resolved and self.link.active and not self.caller_left:
            self.link.set_human_connected(False)
            if self.esc.connected_via == "console":
                await self._say(words.HUMAN_LEFT)

    async def _note_raised_risk(self, turns: list[tuple[str, Any]]) -> None:
        """The caller's risk rose while a person has them: the line stays silent, but the escalation
        (queue order, records) carries the new level. ``risk.assessed`` already told the console."""
        for _text, decision in turns:
            level = getattr(decision, "level", None)
            if level is None or not getattr(decision, "raised", False):
                continue
            if Level(str(level)).rank > Level(self.esc.level).rank:
                self.esc.level = self.esc.brief.level = Level(str(level)).value
                await self.step("risk_raised", level=self.esc.level)

    async def _last_resort(self) -> None:
        # The transfer broke: the escalation is still in the console's queue and the caller gets the
        # crisis line at once, then company, with the crisis line again every fourth line, and at once
        # again if the caller spoke over it (a barge-in cuts it short: they may not have the number).
        # An operator who accepts in the console is still connected.
        n = 0
        again = False
        self._in_last_resort = True
        while self._going():
            if self.console_accept:
                try:
                    await self._connect_console_late()
                    return
                except Exception:
                    log.exception("transfer %s: console connect in last resort failed", self.esc.id)
                    self.console_accept = None
            if n == 0 or self.link.seconds_since_audio() >= HOLD_GAP_S:
                if again or n % 4 == 0:
                    await self._say(words.LAST_RESORT.format(crisis=_spoken(self.settings.crisis_line)))
                    again = bool(self.pending_turns)  # they talked while it played
                else:
                    await self._say(self.talk.next_line())
                n += 1
            self.wake.clear()
            await self.clock.wait(self.wake, POLL_S)

    async def _on_caller_left(self) -> None:
        if self.esc.caller_left_at is not None:
            return
        self.esc.caller_left_at = self.clock.wall()
        if self.esc.state not in (State.RESOLVED,):
            handed_off = self.esc.connected_via not in (None, "console")
            if not handed_off and self.esc.state != State.CONNECTED:
                self._set(State.CALLER_LEFT)
        await self.step("caller_left", connected=self.esc.connected_at is not None)

    async def _say(self, text: str, *, ack: bool = False) -> None:
        if not self.link.active:
            return
        if self.pending_turns and not ack:  # the caller spoke: answer them before anything scripted
            await self._answer_turn()
        try:
            await self.link.say(text)
        except Exception:
            log.exception("escalation %s: say failed", self.esc.id)
            await self.clock.sleep(1.0)  # do not spin if the link keeps failing


def _spoken(number: str) -> str:
    """'988' -> '9 8 8' so TTS reads digits, not 'nine hundred eighty-eight'."""
    return " ".join(number) if number.isdigit() and len(number) <= 4 else number


def _target_for_event(target: str) -> str:
    return target


async def publish_resolved(manager: TransferManager, esc: Escalation, ts: float) -> None:
    await manager.publish(
        Event(
            ESCALATION_RESOLVED,
            esc.call_id,
            {"escalation_id": esc.id, "outcome": esc.outcome, "notes": esc.notes, "operator": esc.resolved_by},
            ts=ts,
        )
    )
