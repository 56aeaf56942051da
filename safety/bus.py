"""Event bus: async publish/subscribe of the events in docs/architecture.md.

In-process by default; ``WARMLINE_BUS_URL=redis://...`` selects the Redis implementation (see
``safety/bus_redis.py``) when several workers share one console. Every event carries ``call_id`` and
a timestamp. Subscribers get their own bounded queue, so a slow console never slows a call: when a
queue is full the oldest event is dropped for that subscriber only and counted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)

# The contract's event names.
CALL_STARTED = "call.started"
CALL_TRANSCRIPT = "call.transcript"
CALL_REPLY = "call.reply"
RISK_ASSESSED = "risk.assessed"
ESCALATION_OPENED = "escalation.opened"
TRANSFER_RINGING = "transfer.ringing"
TRANSFER_CONNECTED = "transfer.connected"
TRANSFER_FAILED = "transfer.failed"
ESCALATION_RESOLVED = "escalation.resolved"
CALL_ENDED = "call.ended"
EVENT_NAMES = (
    CALL_STARTED, CALL_TRANSCRIPT, CALL_REPLY, RISK_ASSESSED, ESCALATION_OPENED, TRANSFER_RINGING,
    TRANSFER_CONNECTED, TRANSFER_FAILED, ESCALATION_RESOLVED, CALL_ENDED,
)


@dataclass(frozen=True)
class Event:
    name: str
    call_id: str
    data: dict[str, Any] = field(default_factory=dict)
    ts: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        # data first so that the envelope's own keys always win
        return {**self.data, "event": self.name, "call_id": self.call_id, "ts": self.ts}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Event:
        data = {k: v for k, v in obj.items() if k not in ("event", "call_id", "ts")}
        return cls(name=obj["event"], call_id=obj["call_id"], data=data, ts=float(obj["ts"]))


class Subscription:
    """An async iterator of events for one subscriber; close it (or use ``async with``) when done."""

    def __init__(self, bus: InProcessBus, names: frozenset[str] | None, maxsize: int) -> None:
        self._bus = bus
        self.names = names
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize)
        self.dropped = 0

    def offer(self, event: Event) -> None:
        if self.names is not None and event.name not in self.names:
            return
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    async def get(self) -> Event:
        return await self.queue.get()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self

    async def __anext__(self) -> Event:
        return await self.queue.get()

    def close(self) -> None:
        self._bus._subs.discard(self)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class Bus(Protocol):
    async def publish(self, event: Event) -> None: ...
    def subscribe(self, names: Iterable[str] | None = None, maxsize: int = 1000) -> Subscription: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class InProcessBus:
    """Fan-out inside one process. ``publish`` never blocks and never raises on a subscriber's behalf."""

    def __init__(self) -> None:
        self._subs: set[Subscription] = set()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        self._subs.clear()

    def subscribe(self, names: Iterable[str] | None = None, maxsize: int = 1000) -> Subscription:
        sub = Subscription(self, frozenset(names) if names is not None else None, maxsize)
        self._subs.add(sub)
        return sub

    async def publish(self, event: Event) -> None:
        self.deliver(event)

    def deliver(self, event: Event) -> None:
        for sub in list(self._subs):
            sub.offer(event)


def make_bus(url: str) -> Bus:
    if url.startswith("redis://") or url.startswith("rediss://"):
        from safety.bus_redis import RedisBus

        return RedisBus(url)
    return InProcessBus()
