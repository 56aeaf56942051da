"""The contract between a live call (implemented in ``voice/call.py``) and the safety layer.

``safety`` never imports ``voice``; the call loop hands each call's ``CallerLink`` to the transfer
manager and the console, which only ever talk to the caller through it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

# 20 ms frames of PCM16LE mono 16 kHz, the format inside the process (640 bytes).
AudioCallback = Callable[[bytes], Awaitable[None]]


@runtime_checkable
class CallerLink(Protocol):
    call_id: str
    transport: str  # "twilio" | "pcm" | "sip" | "browser"
    caller_number: str | None  # as given by the transport; never logged
    provider_call_sid: str | None  # Twilio's CallSid when transport == "twilio"

    @property
    def active(self) -> bool:
        """False once the caller has hung up or the call has ended."""
        ...

    async def say(self, text: str) -> None:
        """Speak ``text`` to the caller through the line's TTS; returns when it has been played
        (or cut short by barge-in). Raises nothing if the call has ended."""
        ...

    def seconds_since_audio(self) -> float:
        """Seconds since the caller last heard the line or a human speak, or spoke themselves:
        hold-talk uses it to keep silences under about five seconds."""
        ...

    def set_human_connected(self, connected: bool) -> None:
        """While True the line's own dialogue falls silent (no replies, no greeting); recognition,
        risk tracking and records go on."""
        ...

    async def play_human_audio(self, frame: bytes) -> None:
        """Send one 20 ms PCM16 16 kHz frame of the human's voice to the caller."""
        ...

    def add_audio_listener(self, callback: AudioCallback) -> None:
        """Forward every inbound 20 ms PCM16 16 kHz frame of the caller's voice to ``callback``."""
        ...

    def remove_audio_listener(self, callback: AudioCallback) -> None: ...
