"""``TransferManager``: starts a warm transfer for an escalated call and answers the console.

The call loop calls ``start(link, decision, risk)`` when the escalation policy says warm transfer (or
emergency guidance); it returns the escalation id at once, after ``escalation.opened`` is on the bus,
and the transfer runs in its own task. While ``is_active(call_id)`` the transfer decides what the line
says; the call loop passes the caller's turns to ``on_caller_turn`` and the hang-up to ``on_call_ended``.

``start()`` with no arguments is the service start-up hook ``SafetyRuntime.start()`` calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import statistics
import uuid
from typing import Any

from safety.bus import ESCALATION_OPENED, ESCALATION_RESOLVED, Event
from safety.transfer.adapters import Adapter
from safety.transfer.adapters.console import ConsoleAdapter
from safety.transfer.brief import build_brief
from safety.transfer.clock import Clock, RealClock
from safety.transfer.holdtalk import HoldTalk
from safety.transfer.machine import Escalation, State, Transfer, publish_resolved
from safety.types import Level

log = logging.getLogger(__name__)


class EscalationError(Exception):
    """A console request that cannot be honoured (unknown id, already taken, already resolved)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


class TransferManager:
    def __init__(self, runtime: Any, *, clock: Clock | None = None, holdtalk_seed: int | None = None) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.bus = runtime.bus
        self.clock: Clock = clock or RealClock()
        self.holdtalk_seed = holdtalk_seed
        self.adapters: dict[str, Adapter] = {}
        self.console = ConsoleAdapter(self)
        self.register_adapter(self.console)
        self.escalations: dict[str, Escalation] = {}
        self.transfers: dict[str, Transfer] = {}  # escalation id -> transfer
        self._by_call: dict[str, str] = {}  # call id -> latest escalation id
        self._risk_by_call: dict[str, Any] = {}  # call id -> its CallRiskState (told when a person resolves)
        self._follower: asyncio.Task[None] | None = None
        with contextlib.suppress(Exception):  # import the dialogue's hold talk now, not on a caller's time
            import dialogue.manager  # noqa: F401

    # ---- adapters ------------------------------------------------------------------------------
    def register_adapter(self, adapter: Adapter) -> None:
        """Add a human-line adapter (e.g. SIP); targets are offered to adapters in this order."""
        self.adapters[adapter.name] = adapter

    def adapter_for(self, target: str, link: Any) -> Adapter | None:
        if target == "console":
            return self.console
        for adapter in self.adapters.values():
            if adapter.name != "console" and adapter.can_dial(target, link):
                return adapter
        return None

    def plan_for(self, link: Any) -> list[str]:
        """The fallback chain: WARMLINE_HUMAN_LINE in order, then WARMLINE_CRISIS_LINE."""
        plan = list(self.settings.human_lines)
        crisis = self.settings.crisis_line
        if crisis and crisis not in plan:
            plan.append(crisis)
        return plan

    # ---- lifecycle -----------------------------------------------------------------------------
    async def start(self, link: Any = None, decision: Any = None, risk: Any = None) -> str:
        if link is None:  # SafetyRuntime.start(): follow resolutions made elsewhere (console REST API)
            if self._follower is None:
                sub = self.bus.subscribe([ESCALATION_RESOLVED])
                self._follower = asyncio.create_task(self._follow_resolutions(sub), name="transfer-resolutions")
            return ""
        return await self.open(link, decision, risk)

    async def _follow_resolutions(self, sub: Any) -> None:
        try:
            async for event in sub:
                esc = self.escalations.get(event.data.get("escalation_id", ""))
                if esc is not None and esc.resolved_at is None:
                    self._mark_resolved(esc, event.data.get("outcome") or "resolved", event.data.get("notes"),
                                        event.data.get("operator") or "?")
        finally:
            sub.close()

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._follower
            self._follower = None
        tasks = [t.task for t in self.transfers.values() if t.task is not None and not t.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def publish(self, event: Event) -> None:
        await self.bus.publish(event)

    async def open(self, link: Any, decision: Any, risk: Any) -> str:
        existing = self._by_call.get(link.call_id)
        if existing and self.transfers[existing].active:
            return existing  # one transfer per call at a time
        esc_id = uuid.uuid4().hex
        opened = self.clock.wall()
        if risk is not None:
            self._risk_by_call[link.call_id] = risk
        brief = build_brief(
            escalation_id=esc_id,
            call_id=link.call_id,
            decision=decision,
            risk=risk,
            transport=link.transport,
            callback_number=link.caller_number,
            opened_at=opened,
        )
        quotes = [[q.ts, q.text] for q in brief.quotes]
        esc = Escalation(
            id=esc_id,
            call_id=link.call_id,
            level=brief.level,
            kind=brief.kind,
            action=brief.action,
            signals=list(brief.signals),
            quotes=quotes,
            opened_at=opened,
            transport=link.transport,
            brief=brief,
        )
        self.escalations[esc_id] = esc
        talk = HoldTalk(seed=self.holdtalk_seed, crisis_line=self.settings.crisis_line)
        transfer = Transfer(esc, link, self, clock=self.clock, holdtalk=talk)
        self.transfers[esc_id] = transfer
        self._by_call[link.call_id] = esc_id
        esc.steps.append({"ts": opened, "step": ESCALATION_OPENED})
        await self.publish(
            Event(
                ESCALATION_OPENED,
                link.call_id,
                {
                    "escalation_id": esc_id,
                    "level": esc.level,
                    "kind": esc.kind,
                    "action": esc.action,
                    "signals": esc.signals,
                    "quotes": quotes,
                    "transport": link.transport,
                },
                ts=opened,
            )
        )
        log.info("escalation %s opened for call %s (%s/%s)", esc_id, link.call_id, esc.level, esc.kind)
        transfer.task = asyncio.create_task(transfer.run(), name=f"transfer-{esc_id}")
        return esc_id

    def is_active(self, call_id: str) -> bool:
        t = self.transfer_for_call(call_id)
        return t is not None and t.active

    def transfer_for_call(self, call_id: str) -> Transfer | None:
        esc_id = self._by_call.get(call_id)
        return self.transfers.get(esc_id) if esc_id else None

    def link_for_call(self, call_id: str) -> Any:
        t = self.transfer_for_call(call_id)
        if t is not None:
            return t.link
        calls = self.runtime.services.get("calls") or {}
        return calls.get(call_id)

    async def on_caller_turn(self, call_id: str, text: str, decision: Any) -> None:
        t = self.transfer_for_call(call_id)
        if t is not None and t.active:
            t.caller_turn(text, decision)

    async def on_call_ended(self, call_id: str) -> None:
        self._risk_by_call.pop(call_id, None)
        t = self.transfer_for_call(call_id)
        if t is None:
            return
        t.caller_gone()
        if t.task is not None and not t.task.done():
            try:
                await asyncio.wait_for(asyncio.shield(t.task), 5.0)
            except TimeoutError:
                log.warning("escalation %s: transfer did not stop in time", t.esc.id)

    # ---- console actions -----------------------------------------------------------------------
    def get(self, esc_id: str) -> Escalation:
        esc = self.escalations.get(esc_id)
        if esc is None:
            raise EscalationError("no such escalation", 404)
        return esc

    async def acknowledge(self, esc_id: str, operator: str) -> Escalation:
        esc = self.get(esc_id)
        if esc.acknowledged_at is None:
            esc.acknowledged_at = self.clock.wall()
            esc.acknowledged_by = operator
            await self.transfers[esc_id].step("acknowledged", operator=operator)
        return esc

    async def accept(self, esc_id: str, operator: str) -> Escalation:
        esc = self.get(esc_id)
        t = self.transfers[esc_id]
        if esc.resolved_at is not None:
            raise EscalationError("already resolved")
        if t.accepted_by is not None or esc.connected_at is not None:
            if operator in (t.accepted_by, esc.operator):
                return esc
            raise EscalationError("already taken by another operator")
        if not t.active:
            raise EscalationError("the caller is no longer on the line", 410)
        await self.acknowledge(esc_id, operator)
        await t.step("accepted", operator=operator)
        t.operator_accepts(operator)
        return esc

    async def listen(self, esc_id: str, operator: str) -> Escalation:
        esc = self.get(esc_id)
        await self.acknowledge(esc_id, operator)
        if operator not in esc.listeners:
            esc.listeners.append(operator)
        await self.transfers[esc_id].step("listening", operator=operator)
        return esc

    async def resolve(self, esc_id: str, outcome: str, notes: str | None, operator: str) -> Escalation:
        esc = self.get(esc_id)
        if esc.resolved_at is not None:
            raise EscalationError("already resolved")
        self._mark_resolved(esc, outcome, notes, operator)
        await publish_resolved(self, esc, esc.resolved_at or self.clock.wall())
        return esc

    def _mark_resolved(self, esc: Escalation, outcome: str, notes: str | None, operator: str) -> None:
        esc.resolved_at = self.clock.wall()
        esc.outcome = outcome
        esc.notes = notes
        esc.resolved_by = operator
        esc.state = State.RESOLVED
        esc.steps.append({"ts": esc.resolved_at, "step": "resolved", "operator": operator, "outcome": outcome})
        log.info("escalation %s resolved (%s)", esc.id, outcome)
        risk = self._risk_by_call.get(esc.call_id)
        if risk is not None and hasattr(risk, "human_reviewed"):
            with contextlib.suppress(ValueError):
                risk.human_reviewed(Level(esc.level))
        self.transfers[esc.id].resolve()

    # ---- views ---------------------------------------------------------------------------------
    def queue(self) -> list[Escalation]:
        """Open escalations: waiting ones first, by risk then by waiting time (longest first)."""
        from safety.types import Level

        open_ = [e for e in self.escalations.values() if e.resolved_at is None]
        return sorted(open_, key=lambda e: (not e.waiting, -Level(e.level).rank, e.opened_at))

    def wallboard(self, active_calls: int | None = None) -> dict[str, Any]:
        escs = list(self.escalations.values())
        answered = [e for e in escs if e.connected_at is not None]
        waits = [e.connected_at - e.opened_at for e in answered if e.connected_at is not None]
        if active_calls is None:
            active_calls = len(self.runtime.services.get("calls") or {})
        return {
            "active_calls": active_calls,
            "waiting": sum(1 for e in escs if e.waiting and e.resolved_at is None),
            "answered": len(answered),
            "abandoned": sum(1 for e in escs if e.abandoned),
            "median_answer_s": round(statistics.median(waits), 1) if waits else None,
        }
