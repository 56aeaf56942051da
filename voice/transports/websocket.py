"""What the WebSocket transports (Twilio Media Streams, raw PCM) share: one writer at a time on the
socket, a far end that may vanish at any moment, and a clean close."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import WebSocket
from starlette.websockets import WebSocketState


class WebSocketSink:
    """Base of the outbound sinks that write to a WebSocket. A failed send marks the sink closed;
    the transport's receive loop then ends the call."""

    def __init__(self, ws: WebSocket) -> None:
        self._ws = ws
        self._lock = asyncio.Lock()  # one writer at a time on the socket
        self.closed = False

    async def _send(self, *, text: str | None = None, data: bytes | None = None) -> None:
        if self.closed:
            return
        async with self._lock:
            try:
                if data is not None:
                    await self._ws.send_bytes(data)
                else:
                    await self._ws.send_text(text or "")
            except Exception:  # the far end went away
                self.closed = True

    async def hangup(self) -> None:
        if self.closed:
            return
        self.closed = True
        async with self._lock:
            await close_ws(self._ws, 1000, "")


async def close_ws(ws: WebSocket, code: int, why: str) -> None:
    """Close the socket if it is still open; a socket that is already gone is not an error."""
    with contextlib.suppress(Exception):
        if ws.application_state == WebSocketState.CONNECTED:
            await ws.close(code, reason=why)
