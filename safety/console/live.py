"""What the console shows live, kept in memory from the bus: calls in progress (risk badge, a short
transcript tail, risk over time) and who may see what.

Role rule (the same as safety/records/access.py): supervisors see everything; an operator sees call
metadata (level, kind, signals, times) for every call, and content (what the caller said, quotes, the
handoff brief with the callback number) only for calls put through to them (they accepted the
escalation). Caller numbers are always masked in the live views.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from safety.bus import (
    CALL_ENDED,
    CALL_REPLY,
    CALL_STARTED,
    CALL_TRANSCRIPT,
    ESCALATION_OPENED,
    RISK_ASSESSED,
    Event,
)
from safety.transfer.brief import mask_number

log = logging.getLogger(__name__)

TAIL = 60  # transcript lines kept per live call


@dataclass
class LiveCall:
    call_id: str
    started_at: float
    transport: str = ""
    caller: str | None = None  # masked
    level: str = "none"
    kind: str = "none"
    signals: list[str] = field(default_factory=list)
    risk: list[list[Any]] = field(default_factory=list)  # [ts, turn, level] per final assessment
    lines: deque = field(default_factory=lambda: deque(maxlen=TAIL))  # {ts, who, text, turn, level, signals}
    escalation_id: str | None = None

    def to_json(self, content: bool) -> dict[str, Any]:
        out = {
            "call_id": self.call_id, "started_at": self.started_at, "transport": self.transport,
            "caller": self.caller, "level": self.level, "kind": self.kind, "signals": list(self.signals),
            "risk": [list(r) for r in self.risk], "escalation_id": self.escalation_id,
        }
        if content:
            out["lines"] = list(self.lines)
        return out


class LiveState:
    """Registered as ``runtime.services["console"]``; subscribes to the bus while the server runs."""

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.calls: dict[str, LiveCall] = {}
        self._task: asyncio.Task[None] | None = None
        self._sub = None

    async def start(self) -> None:
        if self._task is None:
            self._sub = self.runtime.bus.subscribe()
            self._task = asyncio.create_task(self._run(), name="console-live-state")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._sub is not None:
            self._sub.close()

    async def _run(self) -> None:
        assert self._sub is not None
        async for event in self._sub:
            try:
                self.apply(event)
            except Exception:
                log.exception("console state: could not apply %s", event.name)

    def apply(self, e: Event) -> None:
        d = e.data
        if e.name == CALL_STARTED:
            self.calls[e.call_id] = LiveCall(e.call_id, e.ts, d.get("transport", ""), mask_number(d.get("caller")))
            return
        if e.name == CALL_ENDED:
            self.calls.pop(e.call_id, None)
            return
        call = self.calls.get(e.call_id)
        if call is None:
            if e.name not in (CALL_TRANSCRIPT, CALL_REPLY, RISK_ASSESSED, ESCALATION_OPENED):
                return
            call = self.calls[e.call_id] = LiveCall(e.call_id, e.ts)
        if e.name == CALL_TRANSCRIPT and d.get("final"):
            call.lines.append({"ts": e.ts, "who": "caller", "text": d.get("text", ""), "turn": d.get("turn")})
        elif e.name == CALL_REPLY:
            call.lines.append({"ts": e.ts, "who": "line", "text": d.get("text", ""), "turn": d.get("turn")})
        elif e.name == RISK_ASSESSED:
            call.level = d.get("call_level", call.level) or call.level
            call.kind = d.get("call_kind", call.kind) or call.kind
            if d.get("final", True):
                call.risk.append([e.ts, d.get("turn"), d.get("level", "none")])
                for line in reversed(call.lines):
                    if line["who"] == "caller" and line.get("turn") == d.get("turn"):
                        line["level"], line["signals"] = d.get("level"), list(d.get("signals") or [])
                        break
            for s in d.get("signals") or []:
                if s not in call.signals:
                    call.signals.append(s)
        elif e.name == ESCALATION_OPENED:
            call.escalation_id = d.get("escalation_id")
            call.level = d.get("level", call.level)
            call.kind = d.get("kind", call.kind)


def may_see_content(op: Any, call_id: str, manager: Any) -> bool:
    if getattr(op, "role", "") == "supervisor":
        return True
    if manager is None:
        return False
    t = manager.transfer_for_call(call_id)
    if t is None:
        return False
    esc = t.esc
    return op.username in (esc.operator, esc.resolved_by, t.accepted_by)


def filter_event(event: Event, op: Any, manager: Any) -> dict[str, Any] | None:
    """The event as this operator may see it (content removed when not theirs)."""
    out = event.to_json()
    if "caller" in out:
        out["caller"] = mask_number(out.get("caller"))
    if may_see_content(op, event.call_id, manager):
        return out
    if event.name in (CALL_TRANSCRIPT, CALL_REPLY):
        return None
    if event.name == RISK_ASSESSED:
        out.pop("text", None)
    if event.name == ESCALATION_OPENED:
        out.pop("quotes", None)
    return out
