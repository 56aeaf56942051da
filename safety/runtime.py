"""Everything the safety layer runs for a server process, built from settings: the event bus and the
services that hang off it (records writer, transfer manager, console state). The server creates one
``SafetyRuntime`` at start-up and stops it at shutdown; calls reach it through ``voice/call.py``.
"""

from __future__ import annotations

from typing import Any

from safety.bus import Bus, make_bus
from safety.settings import Settings


class SafetyRuntime:
    def __init__(self, settings: Settings, bus: Bus | None = None) -> None:
        self.settings = settings
        self.bus: Bus = bus or make_bus(settings.bus_url)
        # Services register here by name (e.g. "records", "transfers", "console") so the server and
        # tests can reach them without importing every module up front.
        self.services: dict[str, Any] = {}
        self._started: list[Any] = []

    async def start(self) -> None:
        await self.bus.start()
        for svc in self.services.values():
            if hasattr(svc, "start"):
                await svc.start()
                self._started.append(svc)

    async def stop(self) -> None:
        for svc in reversed(self._started):
            if hasattr(svc, "stop"):
                await svc.stop()
        self._started.clear()
        await self.bus.stop()
