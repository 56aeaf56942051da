"""Time for the transfer machine, injectable so that tests can run minutes of ringing in milliseconds.

``RealClock`` is asyncio's own time. ``SimClock`` is simulated time for tests: sleeping or waiting
advances it at once, and callbacks scheduled with ``at`` fire as it passes them (that is how a test
makes "an operator accepts at t=95 s" happen).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def wall(self) -> float:
        """Unix time, for records and events."""
        ...

    async def sleep(self, seconds: float) -> None: ...

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        """Wait until ``event`` is set or ``seconds`` pass; True if it was set."""
        ...


class RealClock:
    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        if event.is_set():
            return True
        try:
            await asyncio.wait_for(event.wait(), max(0.0, seconds))
        except TimeoutError:
            return event.is_set()
        return True


class SimClock:
    """Simulated time: never really sleeps. Scheduled callbacks run when time reaches them."""

    EPOCH = 1_700_000_000.0

    def __init__(self, start: float = 0.0) -> None:
        self.t = start
        self._timers: list[tuple[float, int, Callable[[], object]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self.t

    def wall(self) -> float:
        return self.EPOCH + self.t

    def at(self, t: float, fn: Callable[[], object]) -> None:
        heapq.heappush(self._timers, (t, next(self._seq), fn))

    def advance(self, seconds: float) -> None:
        target = self.t + max(0.0, seconds)
        while self._timers and self._timers[0][0] <= target:
            when, _, fn = heapq.heappop(self._timers)
            self.t = max(self.t, when)
            fn()
        self.t = target

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)
        await asyncio.sleep(0)

    async def wait(self, event: asyncio.Event, seconds: float) -> bool:
        if event.is_set():
            return True
        target = self.t + max(0.0, seconds)
        # stop at the first timer that sets the event, as a real wait would
        while self._timers and self._timers[0][0] <= target and not event.is_set():
            when, _, fn = heapq.heappop(self._timers)
            self.t = max(self.t, when)
            fn()
        if not event.is_set():
            self.t = target
        await asyncio.sleep(0)
        return event.is_set()
