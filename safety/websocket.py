"""What the server's event-streaming WebSockets share (the console's live events, a caller's event tap):
send items as they come while the client stays connected; the client's own messages are only pings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def until_disconnect(ws: Any, get: Callable[[], Awaitable[T]]) -> AsyncIterator[T]:
    """Yield ``await get()`` items until the client disconnects. Use with ``contextlib.aclosing`` so
    the pending receive is cancelled as soon as the caller stops iterating."""
    receiver = asyncio.ensure_future(ws.receive())
    try:
        while True:
            getter = asyncio.ensure_future(get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                getter.cancel()
                if receiver.result()["type"] == "websocket.disconnect":
                    return
                receiver = asyncio.ensure_future(ws.receive())  # pings from the client: ignored
                continue
            yield getter.result()
    finally:
        receiver.cancel()
