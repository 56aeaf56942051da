"""The default human line: an operator in the web console.

Ringing puts the escalation at the top of the console's queue (with a sound and a timer in the page).
An operator's "accept" finishes the attempt; their microphone and speaker are then bridged to the call by
``AudioBridge`` over ``WS /console/audio/{call_id}`` (safety/console/routes.py): caller frames go to
the browser through ``CallerLink.add_audio_listener`` and the operator's frames go to the caller through
``CallerLink.play_human_audio``, but only once the line has finished its hand-over words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from safety.transfer.adapters import Attempt

if TYPE_CHECKING:
    from safety.transfer.brief import HandoffBrief
    from safety.transfer.link import CallerLink
    from safety.transfer.manager import TransferManager

log = logging.getLogger(__name__)


class AudioBridge:
    """One browser's audio connection to one call. ``talk`` is False for listen-in."""

    def __init__(
        self,
        link: CallerLink,
        send: Callable[[bytes], Awaitable[None]],
        *,
        talk: bool,
        may_talk: Callable[[], bool],
        operator: str,
    ) -> None:
        self.link = link
        self.talk = talk
        self.operator = operator
        self._send = send
        self._may_talk = may_talk
        self._out: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=100)  # 2 s of caller audio
        self.frames_in = 0
        self.frames_out = 0
        self.closed = asyncio.Event()

    async def _on_caller_frame(self, frame: bytes) -> None:
        if self._out.full():  # a slow browser loses old audio, never slows the call
            self._out.get_nowait()
        self._out.put_nowait(frame)

    async def pump_to_browser(self) -> None:
        while True:
            frame = await self._out.get()
            if frame is None:
                return
            await self._send(frame)
            self.frames_out += 1

    async def from_browser(self, frame: bytes) -> None:
        if not self.talk or not self._may_talk() or not self.link.active:
            return
        await self.link.play_human_audio(frame)
        self.frames_in += 1

    def open(self) -> None:
        self.link.add_audio_listener(self._on_caller_frame)

    def close(self) -> None:
        try:
            self.link.remove_audio_listener(self._on_caller_frame)
        except Exception:
            log.debug("remove_audio_listener failed", exc_info=True)
        if not self.closed.is_set():
            self.closed.set()
            try:
                self._out.put_nowait(None)
            except asyncio.QueueFull:
                self._out.get_nowait()
                self._out.put_nowait(None)


class ConsoleAdapter:
    name = "console"

    def __init__(self, manager: TransferManager) -> None:
        self.manager = manager
        self.bridges: dict[str, set[AudioBridge]] = {}

    def can_dial(self, target: str, link: Any) -> bool:
        return target == "console"

    async def dial(self, attempt: Attempt, brief: HandoffBrief, link: Any) -> None:
        # The escalation is already in the console's queue; the page rings. Nothing to send.
        return None

    async def cancel(self, attempt: Attempt) -> None:
        return None

    async def connect(self, attempt: Attempt, link: Any) -> None:
        return None

    async def release(self, attempt: Attempt, link: Any) -> None:
        for bridge in list(self.bridges.get(attempt.call_id, ())):
            if bridge.talk:
                bridge.close()

    # used by the console routes
    def add_bridge(self, call_id: str, bridge: AudioBridge) -> None:
        self.bridges.setdefault(call_id, set()).add(bridge)
        bridge.open()

    def remove_bridge(self, call_id: str, bridge: AudioBridge) -> None:
        bridge.close()
        self.bridges.get(call_id, set()).discard(bridge)
