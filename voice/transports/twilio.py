"""Twilio Media Streams (bidirectional), exactly as Twilio speaks it.

In: ``connected``, ``start`` (streamSid, callSid, customParameters, mediaFormat), ``media`` (base64
µ-law 8 kHz), ``dtmf``, ``mark`` (echoed back once the caller has heard everything before it, or at
once after a ``clear``), ``stop``. Out: ``media`` with the streamSid, ``mark``, ``clear``.

``TwilioSerializer`` is pure (wire JSON <-> typed messages); ``TwilioSink`` is the call's outbound
side; ``serve_twilio`` runs one WebSocket. Any bad input raises ``ProtocolError``, which ends that
one call cleanly.

Media fork: when a warm transfer moves a Twilio caller into a conference with a human, that ends the
call's bidirectional stream; the TwiML that does it first opens a unidirectional ``<Start><Stream
track="inbound_track">`` back here, with ``customParameters.warmline_call_id`` naming our call
(safety/transfer/adapters/twilio.py). Its ``start`` (``tracks: ["inbound"]``) attaches to that live
session instead of opening a new call, listen-only (``ForkSink``: Twilio rejects media on a
unidirectional stream), and its ``stop`` ends the call.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from starlette.websockets import WebSocket, WebSocketDisconnect

from voice.audio import Framer, bytes_to_pcm, pcm_to_bytes, ulaw_decode, ulaw_encode
from voice.transports.base import FRAME_BYTES, ProtocolError
from voice.transports.narrowband import Downsampler, Upsampler
from voice.transports.websocket import WebSocketSink, close_ws

if TYPE_CHECKING:
    from voice.switchboard import Switchboard

log = logging.getLogger(__name__)

TWILIO_RATE = 8000
# A 20 ms media message is ~250 bytes of JSON; nothing legitimate comes near this.
MAX_MESSAGE_BYTES = 64 * 1024
# Query/custom parameter our own simulated caller uses to follow its call's events (voice/client.py).
TAP_PARAMETER = "warmline_tap"
# Custom parameter on a warm transfer's media fork: the live call it belongs to.
FORK_PARAMETER = "warmline_call_id"


@dataclass(frozen=True)
class Connected:
    protocol: str = ""


@dataclass(frozen=True)
class Start:
    stream_sid: str
    call_sid: str
    account_sid: str = ""
    custom_parameters: dict[str, str] = field(default_factory=dict)
    media_format: dict[str, Any] = field(default_factory=dict)
    tracks: tuple[str, ...] = ("inbound",)


@dataclass(frozen=True)
class Media:
    payload: bytes  # µ-law bytes
    track: str = "inbound"


@dataclass(frozen=True)
class Dtmf:
    digit: str


@dataclass(frozen=True)
class Mark:
    name: str


@dataclass(frozen=True)
class Stop:
    pass


Inbound = Connected | Start | Media | Dtmf | Mark | Stop


def _obj(msg: dict, key: str) -> dict:
    value = msg.get(key)
    if not isinstance(value, dict):
        raise ProtocolError(f"'{key}' must be an object")
    return value


class TwilioSerializer:
    """Twilio Media Streams wire format. One per stream (it remembers the streamSid)."""

    def __init__(self) -> None:
        self.stream_sid: str | None = None

    def parse(self, raw: str | bytes) -> Inbound:
        if isinstance(raw, bytes | bytearray):
            raise ProtocolError("binary frame on a Twilio Media Stream")
        if len(raw) > MAX_MESSAGE_BYTES:
            raise ProtocolError(f"message of {len(raw)} bytes exceeds {MAX_MESSAGE_BYTES}")
        try:
            msg = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as e:
            raise ProtocolError(f"malformed JSON: {e.__class__.__name__}") from None
        if not isinstance(msg, dict):
            raise ProtocolError("message is not a JSON object")
        event = msg.get("event")
        if event == "connected":
            return Connected(protocol=str(msg.get("protocol", "")))
        if event == "start":
            start = _obj(msg, "start")
            sid = start.get("streamSid") or msg.get("streamSid")
            if not isinstance(sid, str) or not sid:
                raise ProtocolError("start without streamSid")
            fmt = start.get("mediaFormat") or {}
            if not isinstance(fmt, dict):
                raise ProtocolError("'mediaFormat' must be an object")
            encoding = str(fmt.get("encoding", "audio/x-mulaw")).lower()
            if encoding != "audio/x-mulaw" or int(fmt.get("sampleRate", TWILIO_RATE)) != TWILIO_RATE:
                raise ProtocolError("unsupported mediaFormat (expected audio/x-mulaw at 8000 Hz)")
            params = start.get("customParameters") or {}
            if not isinstance(params, dict):
                raise ProtocolError("'customParameters' must be an object")
            tracks = start.get("tracks") or ["inbound"]
            if not isinstance(tracks, list) or not all(isinstance(t, str) for t in tracks):
                raise ProtocolError("'tracks' must be a list of names")
            self.stream_sid = sid
            return Start(
                stream_sid=sid,
                call_sid=str(start.get("callSid") or ""),
                account_sid=str(start.get("accountSid") or ""),
                custom_parameters={str(k): str(v) for k, v in params.items()},
                media_format=fmt,
                tracks=tuple(tracks),
            )
        if event == "media":
            media = _obj(msg, "media")
            payload = media.get("payload")
            if not isinstance(payload, str):
                raise ProtocolError("media without payload")
            try:
                data = base64.b64decode(payload, validate=True)
            except (binascii.Error, ValueError):
                raise ProtocolError("media payload is not base64") from None
            return Media(payload=data, track=str(media.get("track", "inbound")))
        if event == "dtmf":
            digit = _obj(msg, "dtmf").get("digit")
            if not isinstance(digit, str) or len(digit) != 1:
                raise ProtocolError("dtmf without a digit")
            return Dtmf(digit=digit)
        if event == "mark":
            name = _obj(msg, "mark").get("name")
            if not isinstance(name, str):
                raise ProtocolError("mark without a name")
            return Mark(name=name)
        if event == "stop":
            return Stop()
        raise ProtocolError("unknown event")  # its name is not echoed: it could be anything

    # --- outbound -----------------------------------------------------------------------------
    def media(self, ulaw: bytes) -> str:
        return json.dumps({"event": "media", "streamSid": self.stream_sid,
                           "media": {"payload": base64.b64encode(ulaw).decode("ascii")}})

    def mark(self, name: str) -> str:
        return json.dumps({"event": "mark", "streamSid": self.stream_sid, "mark": {"name": name}})

    def clear(self) -> str:
        return json.dumps({"event": "clear", "streamSid": self.stream_sid})


class TwilioSink(WebSocketSink):
    """The call's voice towards Twilio: 16 kHz PCM16 frames -> 8 kHz µ-law media messages."""

    name = "twilio"

    def __init__(self, ws: WebSocket, serializer: TwilioSerializer) -> None:
        super().__init__(ws)
        self._ser = serializer
        self._down = Downsampler()

    async def send_audio(self, frame: bytes) -> None:
        pcm8 = self._down.process(bytes_to_pcm(frame))
        if pcm8.size:
            await self._send(text=self._ser.media(ulaw_encode(pcm8)))

    async def clear(self) -> None:
        self._down = Downsampler()  # drop the filter's tail too
        await self._send(text=self._ser.clear())

    async def mark(self, name: str) -> None:
        await self._send(text=self._ser.mark(name))

    async def send_event(self, event: dict[str, Any]) -> None:
        return None  # the Twilio socket carries only Twilio's own messages



class ForkSink(TwilioSink):
    """A unidirectional fork of the caller's audio (``<Start><Stream>``): we only listen. Twilio does
    not accept media, mark or clear on it, so nothing is ever sent; ``sent`` counts what was dropped."""

    name = "twilio-fork"
    listen_only = True

    def __init__(self, ws: WebSocket, serializer: TwilioSerializer) -> None:
        super().__init__(ws, serializer)
        self.dropped = 0

    async def send_audio(self, frame: bytes) -> None:
        self.dropped += 1

    async def clear(self) -> None:
        return None

    async def mark(self, name: str) -> None:
        return None


class InboundAudio:
    """Caller audio from the wire (µ-law 8 kHz, any chunk size) to 20 ms PCM16 16 kHz frames."""

    def __init__(self) -> None:
        self._up = Upsampler()
        self._framer = Framer(FRAME_BYTES)

    def push(self, ulaw: bytes) -> list[bytes]:
        pcm16 = self._up.process(ulaw_decode(ulaw))
        return self._framer.push(pcm_to_bytes(np.asarray(pcm16, dtype=np.int16)))


async def serve_twilio(ws: WebSocket, board: Switchboard) -> None:
    """Run one Twilio Media Stream to its end. Bad input ends this call only."""
    await ws.accept()
    ser = TwilioSerializer()
    sink: TwilioSink = TwilioSink(ws, ser)
    inbound = InboundAudio()
    session = None
    reason = "hangup"
    try:
        while True:
            msg = await ws.receive()
            if msg["type"] == "websocket.disconnect":
                reason = "disconnected"
                break
            if msg.get("bytes") is not None:
                raise ProtocolError("binary frame on a Twilio Media Stream")
            m = ser.parse(msg.get("text") or "")
            if isinstance(m, Media):
                if session is None:
                    raise ProtocolError("media before start")
                if m.track not in ("inbound", "inbound_track"):
                    continue
                for frame in inbound.push(m.payload):
                    await session.feed_audio(frame)
            elif isinstance(m, Mark):
                if session is None:
                    raise ProtocolError("mark before start")
                session.on_mark(m.name)
            elif isinstance(m, Start):
                if session is not None:
                    raise ProtocolError("second start on one stream")
                params = dict(m.custom_parameters)
                if FORK_PARAMETER in params:
                    sink = ForkSink(ws, ser)
                    session = _fork_target(board, params[FORK_PARAMETER], m.call_sid)
                    if session is None:
                        raise ProtocolError("media fork for no call awaiting one")
                    session.attach_media_fork(sink)
                    log.info("twilio stream: media fork attached to call %s", session.call_id)
                    continue
                caller = params.get("From") or params.get("from") or None
                session = await board.open_call(
                    sink, transport="twilio", caller=caller, provider_call_sid=m.call_sid or None,
                    tap=params.get(TAP_PARAMETER),
                )
            elif isinstance(m, Dtmf):
                if session is None:
                    raise ProtocolError("dtmf before start")
                session.on_dtmf(m.digit)
            elif isinstance(m, Stop):
                reason = "hangup"
                break
            # Connected: nothing to do
            if session is not None and session.ended:
                reason = session.end_reason or "ended"
                break
    except ProtocolError as e:
        reason = "protocol_error"
        board.metrics.protocol_errors.labels("twilio").inc()
        log.warning("twilio stream %s: bad input, ending call: %s",
                    session.call_id if session else "(not started)", e)
        await close_ws(ws, 1008, str(e)[:100])
    except WebSocketDisconnect:
        reason = "disconnected"
    except Exception:
        reason = "error"
        log.exception("twilio stream %s: unexpected error", session.call_id if session else "(not started)")
        await close_ws(ws, 1011, "internal error")
    finally:
        if session is not None:
            # Usually the call's end. Not when a warm transfer's conference ended the bidirectional
            # stream: the fork takes over, and the fork's own end is the call's (voice/call.py).
            await session.stream_ended(reason, sink)
        await sink.hangup()


def _fork_target(board: Switchboard, call_id: str, call_sid: str) -> Any:
    """The live Twilio call a fork belongs to: same call id AND same CallSid, and a warm transfer has
    told it to expect one. Anything else is refused (a guessed id attaches to nothing)."""
    session = board.calls.get(call_id)
    if (session is None or getattr(session, "ended", True) or session.transport != "twilio"
            or not call_sid or session.provider_call_sid != call_sid
            or not getattr(session, "awaiting_media_fork", False)):
        return None
    return session


