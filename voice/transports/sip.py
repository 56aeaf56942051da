"""SIP: any PBX or SIP trunk can send a phone number to Warmline (``WARMLINE_SIP_LISTEN``).

A pjsua2 user agent inside ``warmline serve`` (voice/transports/sip_stack.py) answers INVITEs,
negotiates G.722 / PCMU / PCMA, runs RTP through pjmedia's jitter buffer, takes RFC 4733 DTMF,
re-INVITEs and hold, and BYE from either side. Each answered call becomes a ``CallSession`` fed with
20 ms PCM16 16 kHz frames, like every other transport:

    RTP ─► pjmedia (decode, jitter buffer, 16 kHz bridge) ─► FramePort ─► loop ─► CallSession.feed_audio
    CallSession ─► Speaker ─► SipSink.send_audio ─► FrameQueue ─► bridge clock (20 ms) ─► RTP

``SipDialer`` places outbound calls for the warm transfer (``runtime.services["sip_dialer"]``, used by
safety/transfer/adapters/sip.py, which must not import this package).

A caller who vanishes without a BYE is noticed by an RTP watchdog (``WARMLINE_SIP_RTP_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from voice.transports.base import FRAME_BYTES, FRAME_MS
from voice.transports.sip_stack import SipConfig, SipLeg, SipStack

if TYPE_CHECKING:
    from safety.settings import Settings

log = logging.getLogger("warmline.sip")

INBOUND_QUEUE_FRAMES = 500  # 10 s of caller audio if the event loop ever stalls; older frames drop
WATCHDOG_INTERVAL_S = 1.0

_URI_USER = re.compile(r"(?:sips?|tel):([^@;>]+)", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9]{3,20}")


def caller_from_uri(uri: str) -> str | None:
    """The caller's number from the user part of their SIP URI (``sip:+15551234567@pbx``), or None
    when it is not a phone number (anonymous, a named SIP user): only a number is a callback number."""
    m = _URI_USER.search(uri or "")
    if not m:
        return None
    user = re.sub(r"[-.() ]|%20", "", m.group(1))
    return user if _PHONE.fullmatch(user) else None


class SipSink:
    """The call's voice towards a SIP caller (``OutboundSink``)."""

    name = "sip"

    def __init__(self, leg: SipLeg) -> None:
        self.leg = leg
        self.session: Any = None  # set once the CallSession exists (marks are reported to it)
        self._loop = asyncio.get_running_loop()

    async def send_audio(self, frame: bytes) -> None:
        self.leg.send(frame)

    async def clear(self) -> None:
        self.leg.queue.clear()

    async def mark(self, name: str) -> None:
        loop = self._loop

        def heard() -> None:  # runs on pjmedia's clock thread (or here, from clear())
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._marked, name)

        self.leg.queue.push_mark(heard)

    def _marked(self, name: str) -> None:
        if self.session is not None:
            self.session.on_mark(name)

    async def send_event(self, event: dict[str, Any]) -> None:
        return None  # SIP carries no call events

    async def hangup(self) -> None:
        with contextlib.suppress(RuntimeError):  # the stack is already gone at shutdown
            await self.leg.hangup()


class SipService:
    """The SIP line for one server process: registered as ``runtime.services["sip"]``."""

    def __init__(self, board: Any, settings: Settings) -> None:
        self.board = board
        self.settings = settings
        self.config = SipConfig.parse_listen(
            settings.sip_listen,
            public_address=settings.sip_public_address,
            rtp_port=settings.sip_rtp_port,
            rtp_port_range=settings.sip_rtp_port_range,
            max_calls=settings.sip_max_calls,
        )
        self.rtp_timeout_s = settings.sip_rtp_timeout_s
        self.stack = SipStack(self.config, self._on_incoming)
        self.dialer = SipDialer(self)
        self.sessions: dict[int, Any] = {}  # pjsua call slot -> CallSession
        self._tasks: set[asyncio.Task] = set()
        self.calls_answered = 0
        self.rtp_timeouts = 0

    async def start(self) -> None:
        await self.stack.start()

    async def stop(self) -> None:
        for session in list(self.sessions.values()):
            with contextlib.suppress(Exception):
                await session.close("shutdown")
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.stack.stop()

    def _spawn(self, coro: Any, name: str) -> None:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_incoming(self, leg: SipLeg) -> None:
        self.calls_answered += 1
        self._spawn(self._run_call(leg), f"sip-call-{leg.call_id}")

    async def _run_call(self, leg: SipLeg) -> None:
        """One inbound call, from answer to BYE (either side) or RTP timeout."""
        inbound: asyncio.Queue[bytes] = asyncio.Queue(maxsize=INBOUND_QUEUE_FRAMES)

        def on_audio(frame: bytes) -> None:
            if inbound.full():  # never let a stalled loop grow memory; keep the newest audio
                inbound.get_nowait()
            inbound.put_nowait(frame)

        leg.on_audio = on_audio
        sink = SipSink(leg)
        session = None
        reason = "hangup"
        try:
            session = await self.board.open_call(
                sink, transport="sip", caller=caller_from_uri(leg.remote_uri),
                provider_call_sid=leg.sip_call_id or None,
            )
            sink.session = session
            self.sessions[leg.call_id] = session
            leg.on_dtmf = session.on_dtmf
            leg.on_hold = lambda held: log.info("call %s: %s", session.call_id,
                                                "caller put the line on hold" if held else "caller resumed")
            pump = asyncio.ensure_future(self._pump(inbound, session))
            watchdog = asyncio.ensure_future(self._watch_rtp(leg))
            ended = asyncio.ensure_future(leg.ended.wait())
            closed = asyncio.ensure_future(session.wait_closed())
            try:
                done, _ = await asyncio.wait({pump, watchdog, ended, closed}, return_when=asyncio.FIRST_COMPLETED)
                if watchdog in done and watchdog.result():
                    reason = "rtp_timeout"
                    self.rtp_timeouts += 1
                    log.warning("call %s: no RTP for %.0f s, ending the call", session.call_id, self.rtp_timeout_s)
                elif ended in done:
                    reason = "hangup"
                elif closed in done:
                    reason = session.end_reason or "ended"
                elif pump in done and pump.exception() is not None:
                    reason = "error"
                    log.error("call %s: audio pump failed", session.call_id, exc_info=pump.exception())
            finally:
                for t in (pump, watchdog, ended, closed):
                    t.cancel()
                await asyncio.gather(pump, watchdog, ended, closed, return_exceptions=True)
        except asyncio.CancelledError:
            reason = "shutdown"
            raise
        except Exception:
            reason = "error"
            log.exception("sip call %s: unexpected error", leg.call_id)
        finally:
            if session is not None:
                self.sessions.pop(leg.call_id, None)
                with contextlib.suppress(Exception):
                    await session.close(reason)
            with contextlib.suppress(Exception):
                await asyncio.shield(leg.hangup(200 if leg.confirmed.is_set() else 480))

    async def _pump(self, inbound: asyncio.Queue[bytes], session: Any) -> None:
        while True:
            frame = await inbound.get()
            await session.feed_audio(frame)

    async def _watch_rtp(self, leg: SipLeg) -> bool:
        """True when the caller sent no RTP for ``rtp_timeout_s`` while not on hold."""
        last_count: int | None = None
        last_change = time.monotonic()
        while leg.active:
            await asyncio.sleep(WATCHDOG_INTERVAL_S)
            try:
                count = await leg.rx_packets()
            except RuntimeError:  # the stack is stopping
                return False
            now = time.monotonic()
            if leg.held or count is None or count != last_count:
                last_count = count
                last_change = now
                continue
            if now - last_change >= self.rtp_timeout_s:
                return True
        return False


class SipHumanCall:
    """An outbound call to a person (warm transfer), as the safety layer sees it.

    ``answered``/``ended`` are asyncio Events; ``end_code`` is the SIP status (486 busy, 408/480 no
    answer, 487 cancelled...). ``on_audio`` (sync, in the event loop) gets the human's 20 ms frames.
    """

    BRIDGE_LIMIT_FRAMES = 10  # 200 ms: a live bridge never builds up delay

    def __init__(self, service: SipService, leg: SipLeg) -> None:
        self._service = service
        self._leg = leg
        self.answered = leg.confirmed
        self.ended = leg.ended

    @property
    def end_code(self) -> int:
        return self._leg.end_code

    @property
    def active(self) -> bool:
        return self._leg.active

    @property
    def on_audio(self) -> Any:
        return self._leg.on_audio

    @on_audio.setter
    def on_audio(self, callback: Any) -> None:
        self._leg.on_audio = callback

    def send_audio(self, frame: bytes) -> None:
        self._leg.queue.limit = self.BRIDGE_LIMIT_FRAMES
        self._leg.send(frame)

    async def say(self, text: str) -> None:
        """Speak ``text`` to the human with the line's voice; returns once it has been played."""
        synth = self._service.board.synthesizer
        leg = self._leg
        leg.queue.limit = 0
        carry = b""
        frames = 0
        async for chunk in synth.stream(text):
            if not leg.active:
                return
            data = carry + np.asarray(chunk, dtype=np.int16).tobytes()
            n = len(data) // FRAME_BYTES * FRAME_BYTES
            for i in range(0, n, FRAME_BYTES):
                leg.send(data[i:i + FRAME_BYTES])
                frames += 1
            carry = data[n:]
        if carry:
            leg.send(carry + bytes(FRAME_BYTES - len(carry)))
            frames += 1
        played = asyncio.Event()
        loop = asyncio.get_running_loop()
        leg.queue.push_mark(lambda: loop.call_soon_threadsafe(played.set))
        ended = asyncio.ensure_future(leg.ended.wait())
        done_wait = asyncio.ensure_future(played.wait())
        try:
            await asyncio.wait({ended, done_wait}, timeout=frames * FRAME_MS / 1000 + 5.0,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
            done_wait.cancel()

    async def hangup(self) -> None:
        with contextlib.suppress(RuntimeError):
            await self._leg.hangup(487 if not self._leg.confirmed.is_set() else 200)


class SipDialer:
    """``runtime.services["sip_dialer"]``: ``await dial("sip:…")`` starts ringing a person."""

    def __init__(self, service: SipService) -> None:
        self._service = service

    async def dial(self, uri: str) -> SipHumanCall:
        service = self._service
        leg = await service.stack.dial(uri)
        service._spawn(self._watch(leg), f"sip-human-{leg.call_id}")
        return SipHumanCall(service, leg)

    async def _watch(self, leg: SipLeg) -> None:
        """A person's phone that vanishes without a BYE is hung up like a vanished caller, so the
        transfer hears they are gone instead of bridging the caller to silence."""
        ended = asyncio.ensure_future(leg.ended.wait())
        confirmed = asyncio.ensure_future(leg.confirmed.wait())
        try:
            await asyncio.wait({ended, confirmed}, return_when=asyncio.FIRST_COMPLETED)
            if leg.active and await self._service._watch_rtp(leg):
                self._service.rtp_timeouts += 1
                log.warning("sip: outbound call %s sent no RTP for %.0f s, hanging up",
                            leg.call_id, self._service.rtp_timeout_s)
                await leg.hangup()
        finally:
            ended.cancel()
            confirmed.cancel()


def setup(runtime: Any, board: Any) -> SipService | None:
    """Register the SIP line on the runtime when ``WARMLINE_SIP_LISTEN`` is set (the server calls
    this; ``runtime.start()`` then starts it). Also registers the transfer manager's SIP adapter."""
    settings = runtime.settings
    if not settings.sip_listen:
        return None
    service = SipService(board, settings)
    runtime.services["sip"] = service
    runtime.services["sip_dialer"] = service.dialer  # no start/stop of its own
    transfers = runtime.services.get("transfers")
    if transfers is not None and hasattr(transfers, "register_adapter"):
        from safety.transfer.adapters.sip import SipAdapter

        transfers.register_adapter(SipAdapter(transfers))
    return service
