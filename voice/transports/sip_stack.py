"""pjsua2 (pjsip) on its own thread, and ``SipLeg``: one call leg as the asyncio side sees it.

Threading, the one rule: every pjsua2 object is created, used and destroyed on the "pjsip" thread
this module starts (it owns the ``Endpoint`` and polls ``libHandleEvents``), apart from the media
callbacks that pjmedia's own clock thread makes into ``FramePort``. The asyncio side never touches
pjsua2: it submits work with ``await stack.run(fn)`` and hears back through
``loop.call_soon_threadsafe``. Nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pjsua2 as pj

from voice.transports.sip_media import FramePort, FrameQueue, PortPool

log = logging.getLogger("warmline.sip")

# Wideband first when the far end offers it; G.711 otherwise. Everything else is switched off so an
# offer of only (say) GSM gets 488 Not Acceptable Here rather than a codec nobody tested.
CODEC_PRIORITY = {"G722/16000": 255, "PCMU/8000": 254, "PCMA/8000": 253}
MAX_CALLS = 32  # pjsua's compiled-in ceiling (PJSUA_MAX_CALLS)
STALE_AFTER_HOLD_FRAMES = 50  # more than 1 s of the line's audio queued during a hold is dropped


@dataclass
class SipConfig:
    host: str = "0.0.0.0"
    port: int = 5060
    public_address: str = ""  # the address written into Contact and SDP (NAT); "" = automatic
    rtp_port: int = 16000  # first RTP port; each call takes two (RTP + RTCP)
    rtp_port_range: int = 2000
    max_calls: int = MAX_CALLS
    user: str = "warmline"

    @classmethod
    def parse_listen(cls, listen: str, **kw: Any) -> SipConfig:
        host, sep, port = listen.strip().rpartition(":")
        if not sep or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"WARMLINE_SIP_LISTEN must be HOST:PORT, got {listen!r}")
        if ":" in host:
            raise ValueError("WARMLINE_SIP_LISTEN: IPv6 addresses are not supported yet; use an IPv4 address")
        return cls(host=host or "0.0.0.0", port=int(port), **kw)

    @property
    def advertised_host(self) -> str:
        if self.public_address:
            return self.public_address
        return "" if self.host in ("0.0.0.0", "::", "") else self.host


class SipLeg:
    """One call leg (an inbound caller or an outbound call to a human), seen from asyncio.

    The pjsip thread reports into it with ``call_soon_threadsafe``; its owner sets ``on_audio``
    (called in the event loop with each 20 ms frame from the far end), ``on_dtmf``, ``on_hold``.
    """

    def __init__(self, stack: SipStack, call_id: int, direction: str, remote_uri: str) -> None:
        self.stack = stack
        self.call_id = call_id  # pjsua's call slot; unique while the leg lives
        self.direction = direction  # "in" | "out"
        self.remote_uri = remote_uri  # may hold a phone number: never log it
        self.sip_call_id = ""
        self.queue = FrameQueue()
        self.on_audio: Callable[[bytes], Any] | None = None
        self.on_dtmf: Callable[[str], Any] | None = None
        self.on_hold: Callable[[bool], Any] | None = None
        self.confirmed = asyncio.Event()
        self.media_ready = asyncio.Event()
        self.ended = asyncio.Event()
        self.end_code: int = 0
        self.end_reason: str = ""
        self.held = False
        self.codec = ""
        self._early: list[bytes] = []  # audio that arrived before the owner attached (<= 1 s)

    # --- called in the event loop (scheduled by the pjsip thread) ----------------------------
    def _rx(self, frame: bytes) -> None:
        cb = self.on_audio
        if cb is None:
            if len(self._early) < 50:
                self._early.append(frame)
            return
        if self._early:
            early, self._early = self._early, []
            for f in early:
                cb(f)
        cb(frame)

    def _confirmed(self) -> None:
        self.confirmed.set()

    def _media(self, held: bool, codec: str) -> None:
        self.codec = codec or self.codec
        self.media_ready.set()
        if held != self.held:
            self.held = held
            if self.on_hold:
                self.on_hold(held)

    def _dtmf(self, digit: str) -> None:
        if self.on_dtmf:
            self.on_dtmf(digit)

    def _ended(self, code: int, reason: str) -> None:
        self.end_code, self.end_reason = code, reason
        self.ended.set()

    # --- asyncio API -----------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return not self.ended.is_set()

    def send(self, frame: bytes) -> None:
        """Queue one 20 ms PCM16 16 kHz frame towards the far end (thread-safe, never blocks)."""
        if not self.ended.is_set():
            self.queue.push(frame)

    async def hangup(self, code: int = 200) -> None:
        if self.ended.is_set():
            return
        await self.stack.run(self.stack._hangup, self.call_id, code)

    async def rx_packets(self) -> int | None:
        """RTP packets received so far (None when there is no active stream)."""
        if self.ended.is_set():
            return None
        return await self.stack.run(self.stack._rx_packets, self.call_id)


class _PjCall(pj.Call):
    """pjsua2's call object; lives on the pjsip thread only."""

    def __init__(self, stack: SipStack, acc: pj.Account, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(acc, call_id)
        self.stack = stack
        self.leg: SipLeg | None = None
        self.port: FramePort | None = None
        self.connected_slot = -1

    def onCallState(self, prm: pj.OnCallStateParam) -> None:  # noqa: N802
        try:
            self.stack._on_call_state(self)
        except Exception:
            log.exception("sip: call state handler failed")

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:  # noqa: N802
        try:
            self.stack._on_media_state(self)
        except Exception:
            log.exception("sip: media state handler failed")

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:  # noqa: N802
        leg = self.leg
        if leg is not None:
            self.stack._post(leg._dtmf, str(prm.digit))


class _Account(pj.Account):
    def __init__(self, stack: SipStack) -> None:
        super().__init__()
        self.stack = stack

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:  # noqa: N802
        try:
            self.stack._on_incoming(self, prm.callId)
        except Exception:
            log.exception("sip: incoming call handler failed")


class _LogWriter(pj.LogWriter):
    """pjsip's own log lines, warnings and errors only, without SIP message dumps (which carry
    phone numbers) into Python logging, where the privacy filter also applies. A flood of garbage
    datagrams would otherwise flood the log: at most ``PER_SECOND`` lines a second."""

    PER_SECOND = 20

    def __init__(self) -> None:
        super().__init__()
        self._window = 0
        self._count = 0
        self._dropped = 0

    def write(self, entry: pj.LogEntry) -> None:
        with contextlib.suppress(Exception):
            now = int(time.monotonic())
            if now != self._window:
                if self._dropped:
                    log.warning("pjsip: %d more log lines suppressed", self._dropped)
                self._window, self._count, self._dropped = now, 0, 0
            self._count += 1
            if self._count > self.PER_SECOND:
                self._dropped += 1
                return
            level = logging.ERROR if entry.level <= 1 else logging.WARNING
            log.log(level, "pjsip: %s", entry.msg.rstrip())


class SipStack:
    """Owns the pjsip thread. ``on_incoming(leg)`` is called in the event loop for each answered
    inbound call."""

    def __init__(self, config: SipConfig, on_incoming: Callable[[SipLeg], Any]) -> None:
        self.config = config
        self.on_incoming = on_incoming
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._commands: queue.SimpleQueue[tuple[Callable[..., Any], tuple, asyncio.Future | None]] = (
            queue.SimpleQueue()
        )
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._error: BaseException | None = None
        # pjsip-thread state
        self._ep: pj.Endpoint | None = None
        self._acc: _Account | None = None
        self._calls: dict[int, _PjCall] = {}
        self._graveyard: list[Any] = []
        self._ports = PortPool()
        self._log_writer: _LogWriter | None = None

    # --- lifecycle (event loop) ------------------------------------------------------------------
    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._main, name="pjsip", daemon=True)
        self._thread.start()
        ok = await asyncio.to_thread(self._ready.wait, 15.0)
        if self._error is not None:
            raise RuntimeError(f"SIP stack failed to start: {self._error}") from self._error
        if not ok:
            raise RuntimeError("SIP stack did not start within 15 s")

    async def stop(self) -> None:
        if self._thread is None:
            return
        self._stopping.set()
        await asyncio.to_thread(self._thread.join, 10.0)
        self._thread = None

    @property
    def active_calls(self) -> int:
        return len(self._calls)

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on the pjsip thread and return its result (or raise its error)."""
        if self._thread is None or self._stopping.is_set():
            raise RuntimeError("SIP stack is not running")
        fut = asyncio.get_running_loop().create_future()
        self._commands.put((fn, args, fut))
        return await fut

    def _post(self, fn: Callable[..., Any], *args: Any) -> None:
        """From the pjsip (or media) thread into the event loop, never blocking."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop closing under us at shutdown
                loop.call_soon_threadsafe(fn, *args)

    # --- the pjsip thread --------------------------------------------------------------------------
    def _main(self) -> None:
        try:
            self._init()
        except BaseException as e:  # reported to start()
            self._error = e
            self._ready.set()
            self._teardown()
            return
        self._ready.set()
        try:
            while not self._stopping.is_set():
                self._drain_commands()
                self._ep.libHandleEvents(10)
                if self._graveyard:
                    self._graveyard.clear()
        except BaseException:
            log.exception("sip: pjsip thread crashed")
        finally:
            self._shutdown_calls()
            self._teardown()

    def _init(self) -> None:
        cfg = self.config
        ep = pj.Endpoint()
        self._ep = ep
        ep.libCreate()
        ec = pj.EpConfig()
        ec.uaConfig.threadCnt = 0  # this thread polls; no hidden pjsua worker threads
        ec.uaConfig.mainThreadOnly = False
        ec.uaConfig.maxCalls = min(cfg.max_calls, MAX_CALLS)
        ec.uaConfig.userAgent = "Warmline"
        self._log_writer = _LogWriter()
        ec.logConfig.writer = self._log_writer
        ec.logConfig.level = 2
        ec.logConfig.consoleLevel = 2
        ec.logConfig.msgLogging = False
        ec.logConfig.decor = 0
        mc = ec.medConfig
        mc.clockRate = 16000  # the bridge runs at the call loop's rate: no resampling at our port
        mc.sndClockRate = 16000
        mc.channelCount = 1
        mc.audioFramePtime = 20
        mc.ptime = 20
        mc.noVad = True  # keep RTP flowing in silence (the far end's RTP timeout, and ours)
        mc.ecTailLen = 0  # no echo canceller: there is no loudspeaker
        mc.threadCnt = 1
        ep.libInit(ec)
        ep.audDevManager().setNullDev()  # no sound card: the null device only clocks the bridge

        for info in ep.codecEnum2():  # ids look like "PCMU/8000/1"
            name = "/".join(str(info.codecId).split("/")[:2])
            ep.codecSetPriority(info.codecId, CODEC_PRIORITY.get(name, 0))

        tc = pj.TransportConfig()
        tc.port = cfg.port
        if cfg.host not in ("0.0.0.0", ""):
            tc.boundAddress = cfg.host
        if cfg.advertised_host:
            tc.publicAddress = cfg.advertised_host
        ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
        ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tc)
        ep.libStart()

        ac = pj.AccountConfig()
        host = cfg.advertised_host or "127.0.0.1"
        ac.idUri = f"sip:{cfg.user}@{host}:{cfg.port}"
        mt = ac.mediaConfig.transportConfig
        mt.port = cfg.rtp_port
        mt.portRange = cfg.rtp_port_range
        if cfg.host not in ("0.0.0.0", ""):
            mt.boundAddress = cfg.host
        if cfg.advertised_host:
            mt.publicAddress = cfg.advertised_host  # the c= line of our SDP
        ac.natConfig.sdpNatRewriteUse = 0
        ac.natConfig.contactRewriteUse = 0
        ac.natConfig.viaRewriteUse = 0
        ac.natConfig.iceEnabled = False
        acc = _Account(self)
        acc.create(ac, True)
        self._acc = acc
        log.info("sip: listening on %s:%d (udp, tcp)", cfg.host, cfg.port)

    def _drain_commands(self) -> None:
        while True:
            try:
                fn, args, fut = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                result = fn(*args)
            except BaseException as e:
                if fut is not None:
                    self._post(_set_exception, fut, e)
            else:
                if fut is not None:
                    self._post(_set_result, fut, result)

    def _shutdown_calls(self) -> None:
        ep = self._ep
        if ep is None:
            return
        with contextlib.suppress(Exception):
            ep.hangupAllCalls()
        deadline = time.monotonic() + 2.0
        while self._calls and time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                ep.libHandleEvents(20)
        for call in list(self._calls.values()):
            self._release(call)
        self._calls.clear()
        # Anything still waiting on a command hears that the stack is gone.
        while True:
            try:
                _, _, fut = self._commands.get_nowait()
            except queue.Empty:
                break
            if fut is not None:
                self._post(_set_exception, fut, RuntimeError("SIP stack stopped"))

    def _teardown(self) -> None:
        self._graveyard.clear()
        self._ports.abandon()
        if self._acc is not None:
            with contextlib.suppress(Exception):
                self._acc.shutdown()
            self._acc = None
        gc.collect()  # destroy pjsua2 objects here, on the thread that owns them
        if self._ep is not None:
            with contextlib.suppress(Exception):
                self._ep.libDestroy()
            self._ep = None

    # --- pjsip callbacks (pjsip thread) ----------------------------------------------------------
    def _on_incoming(self, acc: _Account, call_id: int) -> None:
        call = _PjCall(self, acc, call_id)
        info = call.getInfo()
        self._calls[info.id] = call
        prm = pj.CallOpParam()
        if self._stopping.is_set() or sum(1 for c in self._calls.values() if c.leg) >= self.config.max_calls:
            prm.statusCode = 486  # Busy Here: the PBX can route elsewhere
            call.hangup(prm)
            return
        leg = SipLeg(self, info.id, "in", info.remoteUri)
        leg.sip_call_id = info.callIdString
        call.leg = leg
        prm.statusCode = 200
        call.answer(prm)
        log.info("sip: call %s answered", info.id)
        self._post(self.on_incoming, leg)

    def _on_call_state(self, call: _PjCall) -> None:
        info = call.getInfo()
        leg = call.leg
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED and leg is not None:
            self._post(leg._confirmed)
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            log.info("sip: call %s ended (%s)", info.id, info.lastStatusCode)
            if leg is not None:
                self._post(leg._ended, int(info.lastStatusCode), str(info.lastReason))
            self._calls.pop(info.id, None)
            self._release(call)

    def _release(self, call: _PjCall) -> None:
        # The call is deleted on a later loop turn, never inside pjsua2's own callback; its bridge
        # port goes back to the pool (never deleted: see FramePort).
        if call.port is not None:
            self._ports.give_back(call.port)
            call.port = None
        self._graveyard.append(call)

    def _on_media_state(self, call: _PjCall) -> None:
        info = call.getInfo()
        leg = call.leg
        if leg is None:
            return
        for mi in info.media:
            if mi.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            held = mi.status in (pj.PJSUA_CALL_MEDIA_REMOTE_HOLD, pj.PJSUA_CALL_MEDIA_NONE)
            if leg.queue.paused and not held and leg.queue.queued_frames > STALE_AFTER_HOLD_FRAMES:
                leg.queue.clear()  # back from hold: what piled up meanwhile is stale, not said
            leg.queue.paused = held
            if mi.status in (pj.PJSUA_CALL_MEDIA_ACTIVE, pj.PJSUA_CALL_MEDIA_REMOTE_HOLD):
                aud = call.getAudioMedia(mi.index)
                if call.port is None:
                    call.port = self._ports.lend(leg.queue, functools.partial(self._post, leg._rx))
                if mi.audioConfSlot != call.connected_slot:
                    # A new stream (first answer, or a re-INVITE that changed codec): wire it both ways.
                    aud.startTransmit(call.port)
                    call.port.startTransmit(aud)
                    call.connected_slot = mi.audioConfSlot
            codec = ""
            with contextlib.suppress(Exception):
                codec = str(call.getStreamInfo(mi.index).codecName)
            self._post(leg._media, held, codec)
            break

    # --- commands (pjsip thread) ----------------------------------------------------------------
    def _hangup(self, call_id: int, code: int) -> None:
        call = self._calls.get(call_id)
        if call is None:
            return
        prm = pj.CallOpParam()
        prm.statusCode = code
        with contextlib.suppress(pj.Error):
            call.hangup(prm)

    def _rx_packets(self, call_id: int) -> int | None:
        call = self._calls.get(call_id)
        if call is None or call.connected_slot < 0:
            return None
        try:
            return int(call.getStreamStat(0).rtcp.rxStat.pkt)
        except pj.Error:
            return None

    def _make_call(self, uri: str) -> SipLeg:
        if self._acc is None:
            raise RuntimeError("SIP stack is not running")
        call = _PjCall(self, self._acc)
        prm = pj.CallOpParam(True)
        call.makeCall(uri, prm)
        info = call.getInfo()
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self._release(call)
            raise RuntimeError(f"outbound call failed at once ({info.lastStatusCode})")
        leg = SipLeg(self, info.id, "out", uri)
        leg.sip_call_id = info.callIdString
        call.leg = leg
        self._calls[info.id] = call
        return leg

    async def dial(self, uri: str) -> SipLeg:
        """Start an outbound call; await ``leg.confirmed`` / ``leg.ended`` for the outcome."""
        return await self.run(self._make_call, uri)


def _set_result(fut: asyncio.Future, value: Any) -> None:
    if not fut.done():
        fut.set_result(value)


def _set_exception(fut: asyncio.Future, exc: BaseException) -> None:
    if not fut.done():
        fut.set_exception(exc)
