"""``WS /call``: raw PCM16LE mono 16 kHz over a WebSocket, with the call's events as JSON text.

Client -> server: an optional ``{"event": "start", "caller": "+1..."}`` first, then binary frames of
audio (20 ms frames; any whole number of samples is accepted and re-framed), ``{"event": "stop"}`` to
hang up. Server -> client: the line's audio as binary frames (20 ms, same format),
``{"event": "clear"}`` on barge-in (drop what is buffered), and the call's events
``{"event": "call.transcript", ...}`` etc.

There are no marks on this protocol, so the sink keeps a playout clock: a mark counts as heard when
the audio sent before it has had time to play (the server paces audio in real time, see
voice/speaker.py). The browser softphone (voice/static/) speaks this protocol.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from voice.audio import Framer
from voice.transports.base import FRAME_BYTES, FRAME_MS, ProtocolError
from voice.transports.websocket import WebSocketSink, close_ws

if TYPE_CHECKING:
    from voice.switchboard import Switchboard

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024  # a second of PCM16 16 kHz is 32000 bytes
START_WAIT_S = 1.0  # how long the server waits for an optional start before opening the call


class PlayoutClock:
    """Marks for transports without them: a mark fires when everything sent before it has played."""

    def __init__(self) -> None:
        self.play_end = 0.0
        self._timers: list[asyncio.TimerHandle] = []
        self.on_mark = None

    def sent(self, seconds: float) -> None:
        self.play_end = max(self.play_end, time.monotonic()) + seconds

    def mark(self, name: str) -> None:
        if self.on_mark is None:
            return
        delay = max(0.0, self.play_end - time.monotonic())
        self._timers.append(asyncio.get_running_loop().call_later(delay, self.on_mark, name))
        self._timers = [t for t in self._timers if not t.cancelled()][-64:]

    def clear(self) -> None:
        for t in self._timers:
            t.cancel()
        self._timers.clear()
        self.play_end = time.monotonic()


class PcmSink(WebSocketSink):
    name = "pcm"

    def __init__(self, ws: WebSocket, transport: str = "pcm") -> None:
        super().__init__(ws)
        self.name = transport
        self.clock = PlayoutClock()

    async def send_audio(self, frame: bytes) -> None:
        await self._send(data=frame)
        self.clock.sent(len(frame) / 2 / 16000)

    async def clear(self) -> None:
        self.clock.clear()
        await self._send(text='{"event": "clear"}')

    async def mark(self, name: str) -> None:
        self.clock.mark(name)

    async def send_event(self, event: dict[str, Any]) -> None:
        await self._send(text=json.dumps(event, default=str))

    async def hangup(self) -> None:
        self.clock.clear()
        await super().hangup()


def parse_text(raw: str) -> dict[str, Any]:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {len(raw)} bytes exceeds {MAX_MESSAGE_BYTES}")
    try:
        msg = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise ProtocolError("malformed JSON") from None
    if not isinstance(msg, dict):
        raise ProtocolError("message is not a JSON object")
    if msg.get("event") not in ("start", "stop"):
        raise ProtocolError("unknown event")
    return msg


async def serve_pcm(ws: WebSocket, board: Switchboard, *, transport: str = "pcm") -> None:
    """Run one ``WS /call`` connection to its end. Bad input ends this call only."""
    await ws.accept()
    sink = PcmSink(ws, transport)
    framer = Framer(FRAME_BYTES)
    session = None
    started = False
    pending: asyncio.Future | None = None
    reason = "hangup"

    async def open_call(caller: str | None) -> Any:
        s = await board.open_call(sink, transport=transport, caller=caller, provider_call_sid=None)
        sink.clock.on_mark = s.on_mark
        return s

    try:
        # The start message is optional: a client that sends nothing for a second still gets the line.
        pending = asyncio.ensure_future(ws.receive())
        done, _ = await asyncio.wait({pending}, timeout=START_WAIT_S)
        if not done:
            session = await open_call(None)
        while True:
            msg = await pending if pending is not None else await ws.receive()
            pending = None
            if msg["type"] == "websocket.disconnect":
                reason = "disconnected"
                break
            data, text = msg.get("bytes"), msg.get("text")
            if data is not None:
                if len(data) > MAX_MESSAGE_BYTES:
                    raise ProtocolError(f"audio message of {len(data)} bytes exceeds {MAX_MESSAGE_BYTES}")
                if len(data) % 2:
                    raise ProtocolError("audio is not whole PCM16 samples")
                if session is None:
                    session = await open_call(None)
                for frame in framer.push(data):
                    await session.feed_audio(frame)
            else:
                m = parse_text(text or "")
                if m["event"] == "start":
                    if started:
                        raise ProtocolError("second start on one call")
                    started = True
                    caller = m.get("caller")
                    if session is None:
                        session = await open_call(str(caller) if caller else None)
                    # else: a start that came after the call had opened without one; its caller id is
                    # not applied retroactively (call.started has gone out)
                else:  # stop
                    reason = "hangup"
                    break
            if session is not None and session.ended:
                reason = session.end_reason or "ended"
                break
    except ProtocolError as e:
        reason = "protocol_error"
        board.metrics.protocol_errors.labels(transport).inc()
        log.warning("%s call %s: bad input, ending call: %s", transport,
                    session.call_id if session else "(not started)", e)
        await close_ws(ws, 1008, str(e)[:100])
    except WebSocketDisconnect:
        reason = "disconnected"
    except Exception:
        reason = "error"
        log.exception("%s call %s: unexpected error", transport, session.call_id if session else "(not started)")
        await close_ws(ws, 1011, "internal error")
    finally:
        if pending is not None and not pending.done():
            pending.cancel()
        if session is not None:
            await session.close(reason)
        await sink.hangup()




FRAME_S = FRAME_MS / 1000
