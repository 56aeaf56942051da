"""What every transport gives the call loop, and what the call loop gives back.

A transport decodes its wire format into 20 ms frames of PCM16LE mono 16 kHz (``FRAME_BYTES`` bytes)
and calls the session's ``feed_audio``; the session answers through the transport's ``OutboundSink``,
always in the same internal format, and the transport encodes for the wire (µ-law 8 kHz for Twilio,
PCM16 16 kHz for ``WS /call``, RTP for SIP).
"""

from __future__ import annotations

from typing import Any, Protocol

SAMPLE_RATE = 16_000
FRAME_MS = 20
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000  # 320
FRAME_BYTES = FRAME_SAMPLES * 2  # 640


class ProtocolError(Exception):
    """Bad input from the far end: ends that one call cleanly, never the server."""


class OutboundSink(Protocol):
    name: str  # "twilio" | "pcm" | "sip" | "browser"

    async def send_audio(self, frame: bytes) -> None:
        """One 20 ms PCM16 16 kHz frame of the line's voice towards the caller."""
        ...

    async def clear(self) -> None:
        """Barge-in: drop everything queued towards the caller at once (Twilio ``clear``)."""
        ...

    async def mark(self, name: str) -> None:
        """Ask to be told (``CallSession.on_mark``) when the caller has heard everything sent so far."""
        ...

    async def send_event(self, event: dict[str, Any]) -> None:
        """A call event for transports that carry them (``WS /call``); others ignore it."""
        ...

    async def hangup(self) -> None: ...
