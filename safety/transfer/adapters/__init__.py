"""Human-line adapters: how a ring attempt reaches a person (operator console, Twilio, SIP).

An adapter starts ringing in ``dial`` and returns at once; the outcome arrives later from outside
(an operator's click, a Twilio status callback) through ``Attempt.finish``, which wakes the machine.
The machine owns all timing (ring timeout, hold talk), so adapters stay small.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from safety.transfer.brief import HandoffBrief
    from safety.transfer.link import CallerLink

ANSWERED = "answered"
NO_ANSWER = "no-answer"
BUSY = "busy"
FAILED = "failed"
TIMEOUT = "timeout"
CANCELED = "canceled"


@dataclass
class Attempt:
    escalation_id: str
    call_id: str
    target: str
    number: int  # 1, 2, ... across the whole escalation
    adapter: str
    wake: asyncio.Event  # the machine's wake-up event
    outcome: str | None = None
    reason: str = ""
    operator: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # adapter state (e.g. Twilio's human CallSid)

    def finish(self, outcome: str, *, reason: str = "", operator: str | None = None) -> bool:
        """First outcome wins; returns False if the attempt had already finished."""
        if self.outcome is not None:
            return False
        self.outcome = outcome
        self.reason = reason or outcome
        self.operator = operator
        self.wake.set()
        return True


class Adapter(Protocol):
    name: str

    def can_dial(self, target: str, link: CallerLink) -> bool:
        """Whether this adapter can reach ``target`` for a call that arrived like ``link``."""
        ...

    async def dial(self, attempt: Attempt, brief: HandoffBrief, link: CallerLink) -> None:
        """Start ringing; return at once. Call ``attempt.finish(...)`` when the outcome is known;
        raise to report an immediate failure."""
        ...

    async def cancel(self, attempt: Attempt) -> None:
        """Stop ringing (timeout, or the caller hung up)."""
        ...

    async def connect(self, attempt: Attempt, link: CallerLink) -> None:
        """The human answered: bridge the caller to them (after the line told the caller)."""
        ...

    async def release(self, attempt: Attempt, link: CallerLink) -> None:
        """The escalation was resolved or the call ended: undo the bridge."""
        ...


def is_phone_number(target: str) -> bool:
    t = target.strip().replace(" ", "").replace("-", "")
    return t.lstrip("+").isdigit() and len(t.lstrip("+")) >= 3
