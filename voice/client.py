"""A simulated caller: places a call over the Twilio Media Streams protocol (as Twilio would) or over
``WS /call`` (raw PCM), speaks real audio at real-time pace, and records what it heard and when.

It behaves like a phone: received audio goes into a playout buffer that plays in real time, marks are
echoed when the audio before them has played, and a ``clear`` empties the buffer (pending marks are
echoed at once, as Twilio does). ``received_audio()`` is what the caller heard, on the call's clock.

Texts: over ``WS /call`` the call's events come in-band. The Twilio socket carries only Twilio's own
messages, so over Twilio the client opens ``WS /call/events?tap=TOKEN`` first and passes the random
TOKEN as a ``customParameters`` entry of its ``start`` message (Twilio's own mechanism); the server
then streams that one call's events to whoever holds the token, i.e. the caller who placed it.

Used by ``warmline call``, the benchmark (voice/bench) and the tests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import webrtcvad
from websockets.asyncio.client import ClientConnection, connect

from voice.audio import ulaw_decode, ulaw_encode
from voice.transports.narrowband import Downsampler, Upsampler

RATE = 16_000
FRAME = 320  # samples per 20 ms at 16 kHz
FRAME_S = 0.02


# ---- splitting a recording into turns --------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    start: int  # sample index (16 kHz) where the turn's audio starts
    end: int  # sample index just after its last voiced frame


def split_turns(pcm: np.ndarray, *, min_gap_ms: int = 1500, aggressiveness: int = 2,
                min_speech_ms: int = 200) -> list[Segment]:
    """Cut a recording into turns at silences of at least ``min_gap_ms`` (shorter pauses stay inside a
    turn, like a caller pausing mid-sentence)."""
    vad = webrtcvad.Vad(aggressiveness)
    pcm = np.asarray(pcm, dtype=np.int16)
    n = len(pcm) // FRAME
    voiced = [vad.is_speech(pcm[i * FRAME:(i + 1) * FRAME].tobytes(), RATE) for i in range(n)]
    segs: list[Segment] = []
    start = last = None
    gap_frames = min_gap_ms // 20
    for i, v in enumerate(voiced):
        if v:
            if start is None:
                start = i
            last = i
        elif start is not None and i - last > gap_frames:
            segs.append(Segment(start * FRAME, (last + 1) * FRAME))
            start = last = None
    if start is not None:
        segs.append(Segment(start * FRAME, (last + 1) * FRAME))
    return [s for s in segs if (s.end - s.start) * 1000 // RATE >= min_speech_ms]


# ---- results ---------------------------------------------------------------------------------


@dataclass
class TurnResult:
    index: int
    speech_end_s: float  # call clock: when the turn's last voiced frame was sent
    reply_start_s: float | None = None  # first reply audio received after that
    heard: str = ""  # the line's final transcript(s) of this turn (events)
    reply: str = ""  # what the line said in answer (events)
    timings: dict[str, float] = field(default_factory=dict)  # the server's per-stage timings

    @property
    def latency_ms(self) -> float | None:
        if self.reply_start_s is None:
            return None
        return (self.reply_start_s - self.speech_end_s) * 1000


@dataclass
class CallResult:
    protocol: str
    call_id: str | None
    stream_sid: str | None
    turns: list[TurnResult]
    events: list[dict[str, Any]]
    audio: np.ndarray  # what the caller heard, 16 kHz, on the call's clock
    clears: int
    marks_echoed: int
    media_in: int  # audio messages received
    duration_s: float
    close_code: int | None = None

    def event_names(self) -> list[str]:
        return [e.get("event", "") for e in self.events]

    @property
    def greeting(self) -> str:
        for e in self.events:
            if e.get("event") == "call.reply" and e.get("source") == "greeting":
                return e.get("text", "")
        return ""


# ---- the caller ------------------------------------------------------------------------------


class SimulatedCaller:
    """One call. Use ``async with SimulatedCaller(url) as c:`` then ``await c.speak(pcm)``,
    ``await c.wait_reply(...)``, ... or the all-in-one ``run_turns``/``run_recording``."""

    def __init__(self, url: str = "http://127.0.0.1:8000", *, protocol: str = "twilio",
                 caller: str | None = "+15550100", events: bool = True, realtime: bool = True) -> None:
        if protocol not in ("twilio", "pcm"):
            raise ValueError("protocol must be 'twilio' or 'pcm'")
        base = url.rstrip("/")
        self.ws_base = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        self.protocol = protocol
        self.caller = caller
        self.want_events = events
        self.realtime = realtime
        self.stream_sid = "MZ" + uuid.uuid4().hex
        self.call_sid = "CA" + uuid.uuid4().hex
        self.events: list[dict[str, Any]] = []
        self.call_id: str | None = None
        self.ended = asyncio.Event()
        self.close_code: int | None = None
        # playout model
        self._t0 = 0.0
        self._play_end = 0.0  # call clock when the buffered audio will have played
        self._segments: list[list[Any]] = []  # [start_s, np.int16 16 kHz]
        self._pending_marks: list[tuple[float, str]] = []
        self._last_audio_rx = -1.0
        self._audio_rx_times: list[float] = []
        self.clears = 0
        self.clear_times: list[float] = []
        self.marks_echoed = 0
        self.marks_received: list[str] = []
        self.media_in = 0
        self.media_stream_sids: set[str] = set()
        self._ws: ClientConnection | None = None
        self._tap: ClientConnection | None = None
        self._tasks: list[asyncio.Task] = []
        self._seq = 0
        self._chunk = 0
        self._next_send = 0.0
        self._send_lock = asyncio.Lock()
        self._event_cond = asyncio.Condition()
        self._down = Downsampler()  # streaming, ~3 ms delay, no clicks at frame edges
        self._up = Upsampler()

    # ---- clock -------------------------------------------------------------------------------
    def now(self) -> float:
        return time.monotonic() - self._t0

    # ---- connection --------------------------------------------------------------------------
    async def __aenter__(self) -> SimulatedCaller:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.hangup()

    async def connect(self) -> None:
        self._t0 = time.monotonic()
        token = None
        if self.protocol == "twilio" and self.want_events:
            token = secrets.token_urlsafe(24)
            self._tap = await connect(f"{self.ws_base}/call/events?tap={token}", max_size=None)
            ready = json.loads(await self._tap.recv())
            if ready.get("event") != "tap.ready":
                raise RuntimeError("event tap did not open")
            self._tasks.append(asyncio.ensure_future(self._read_tap()))
        path = "/twilio/media" if self.protocol == "twilio" else "/call"
        # No permessage-deflate, as a phone carrier's media socket: compressing every 20 ms frame cost the
        # server ~4% of a core per 8 calls for nothing (voice/bench profile).
        self._ws = await connect(self.ws_base + path, max_size=None, compression=None)
        self._tasks.append(asyncio.ensure_future(self._read()))
        self._tasks.append(asyncio.ensure_future(self._echo_marks()))
        if self.protocol == "twilio":
            params = {"From": self.caller} if self.caller else {}
            if token:
                params["warmline_tap"] = token
            await self._send_json({"event": "connected", "protocol": "Call", "version": "1.0.0"})
            await self._send_json({
                "event": "start", "sequenceNumber": self._next_seq(), "streamSid": self.stream_sid,
                "start": {"accountSid": "AC" + "0" * 32, "streamSid": self.stream_sid,
                          "callSid": self.call_sid, "tracks": ["inbound"], "customParameters": params,
                          "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}},
            })
        else:
            await self._send_json({"event": "start", "caller": self.caller})
        self._next_send = time.monotonic()

    async def hangup(self) -> None:
        """Say goodbye the protocol's way, then wait briefly for the line's ``call.ended``."""
        if self._ws is not None:
            with contextlib.suppress(Exception):
                if self.protocol == "twilio":
                    await self._send_json({"event": "stop", "sequenceNumber": self._next_seq(),
                                           "streamSid": self.stream_sid,
                                           "stop": {"accountSid": "AC" + "0" * 32, "callSid": self.call_sid}})
                else:
                    await self._send_json({"event": "stop"})
            if self.want_events:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.ended.wait(), 3.0)
            with contextlib.suppress(Exception):
                await self._ws.close()
        await self.close()

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for ws in (self._ws, self._tap):
            if ws is not None:
                with contextlib.suppress(Exception):
                    await ws.close()

    # ---- sending -----------------------------------------------------------------------------
    def _next_seq(self) -> str:
        self._seq += 1
        return str(self._seq)

    async def _send_json(self, obj: dict) -> None:
        await self.send_raw(json.dumps(obj))

    async def send_raw(self, data: str | bytes) -> None:
        """Send anything (tests use it for bad input)."""
        assert self._ws is not None
        async with self._send_lock:
            await self._ws.send(data)

    async def _send_frame(self, frame16: np.ndarray) -> None:
        if self.realtime:
            delay = self._next_send - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                self._next_send = time.monotonic()  # fell behind: don't burst to catch up
            self._next_send += FRAME_S
        if self.protocol == "twilio":
            ulaw = ulaw_encode(self._down.process(frame16))
            if not ulaw:  # the resampler's start-up delay
                return
            payload = base64.b64encode(ulaw).decode()
            self._chunk += 1
            await self._send_json({
                "event": "media", "sequenceNumber": self._next_seq(), "streamSid": self.stream_sid,
                "media": {"track": "inbound", "chunk": str(self._chunk),
                          "timestamp": str(self._chunk * 20), "payload": payload},
            })
        else:
            await self.send_raw(np.asarray(frame16, dtype="<i2").tobytes())

    async def speak(self, pcm: np.ndarray) -> float:
        """Send 16 kHz PCM in real time. Returns the call-clock time the audio finished sending."""
        pcm = np.asarray(pcm, dtype=np.int16)
        if len(pcm) % FRAME:
            pcm = np.concatenate([pcm, np.zeros(FRAME - len(pcm) % FRAME, np.int16)])
        for i in range(0, len(pcm), FRAME):
            await self._send_frame(pcm[i:i + FRAME])
        return self.now()

    async def silence(self, seconds: float) -> None:
        await self.speak(np.zeros(int(seconds * RATE), np.int16))

    async def send_dtmf(self, digit: str) -> None:
        await self._send_json({"event": "dtmf", "streamSid": self.stream_sid, "sequenceNumber": self._next_seq(),
                               "dtmf": {"track": "inbound_track", "digit": digit}})

    # ---- receiving ---------------------------------------------------------------------------
    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for msg in self._ws:
                t = self.now()
                if isinstance(msg, bytes):
                    self._on_audio(np.frombuffer(msg, dtype="<i2").astype(np.int16), t)
                    continue
                obj = json.loads(msg)
                ev = obj.get("event")
                if self.protocol == "twilio":
                    sid = obj.get("streamSid")
                    if ev == "media":
                        self.media_stream_sids.add(sid)
                        pcm8 = ulaw_decode(base64.b64decode(obj["media"]["payload"]))
                        self._on_audio(self._up.process(pcm8), t)
                    elif ev == "mark":
                        self.marks_received.append(obj["mark"]["name"])
                        self._pending_marks.append((max(self._play_end, t), obj["mark"]["name"]))
                    elif ev == "clear":
                        self._on_clear(t)
                else:
                    if ev == "clear":
                        self._on_clear(t)
                    elif ev:
                        await self._on_event(obj)
        except Exception:
            pass
        finally:
            self.close_code = getattr(self._ws, "close_code", None)
            if not self.want_events or self.protocol == "pcm":
                self.ended.set()

    async def _read_tap(self) -> None:
        assert self._tap is not None
        try:
            async for msg in self._tap:
                await self._on_event(json.loads(msg))
        except Exception:
            pass
        finally:
            self.ended.set()

    async def _on_event(self, obj: dict) -> None:
        obj = dict(obj)
        obj["rx_s"] = self.now()
        async with self._event_cond:
            self.events.append(obj)
            if obj.get("call_id"):
                self.call_id = obj["call_id"]
            self._event_cond.notify_all()
        if obj.get("event") == "call.ended":
            self.ended.set()

    def _on_audio(self, pcm16: np.ndarray, t: float) -> None:
        self.media_in += 1
        self._audio_rx_times.append(t)
        self._last_audio_rx = t
        start = max(self._play_end, t)
        self._segments.append([start, pcm16])
        self._play_end = start + len(pcm16) / RATE

    def _on_clear(self, t: float) -> None:
        self.clears += 1
        self.clear_times.append(t)
        # Whatever had not played yet is never heard.
        kept = []
        for start, pcm in self._segments:
            if start >= t:
                continue
            end = start + len(pcm) / RATE
            if end > t:
                pcm = pcm[: int((t - start) * RATE)]
            kept.append([start, pcm])
        self._segments = kept
        self._play_end = t
        # Twilio returns the marks of cleared audio at once.
        self._pending_marks = [(t, name) for _, name in self._pending_marks]

    async def _echo_marks(self) -> None:
        while True:
            await asyncio.sleep(0.01)
            if self.protocol != "twilio" or not self._pending_marks:
                continue
            t = self.now()
            due = [m for m in self._pending_marks if m[0] <= t]
            if not due:
                continue
            self._pending_marks = [m for m in self._pending_marks if m[0] > t]
            for _, name in due:
                with contextlib.suppress(Exception):
                    await self._send_json({"event": "mark", "sequenceNumber": self._next_seq(),
                                           "streamSid": self.stream_sid, "mark": {"name": name}})
                    self.marks_echoed += 1

    # ---- waiting -----------------------------------------------------------------------------
    def first_audio_after(self, t: float) -> float | None:
        for rx in self._audio_rx_times:
            if rx >= t:
                return rx
        return None

    @property
    def playing(self) -> bool:
        return self._play_end > self.now()

    async def keep_line_open(self, seconds: float) -> None:
        """Real-time silence (a phone keeps sending audio while the caller listens)."""
        await self.silence(seconds)

    async def wait_reply(self, after: float, *, start_timeout: float = 8.0, idle: float = 0.6,
                         max_s: float = 60.0) -> float | None:
        """Send silence until a reply starts (after call-clock ``after``) and has finished playing.
        Returns the call-clock time the reply's first audio arrived, or None."""
        t_end = self.now() + max_s
        start = None
        while self.now() < t_end:
            if start is None:
                start = self.first_audio_after(after)
                if start is None and self.now() - after > start_timeout:
                    return None
            elif not self.playing and self.now() - max(self._last_audio_rx, self._play_end) >= idle:
                return start
            await self._send_frame(np.zeros(FRAME, np.int16))
        return start

    async def wait_event(self, name: str, pred=None, within: float = 5.0) -> dict | None:
        deadline = time.monotonic() + within

        def find() -> dict | None:
            for e in self.events:
                if e.get("event") == name and (pred is None or pred(e)):
                    return e
            return None

        async with self._event_cond:
            while True:
                hit = find()
                if hit is not None:
                    return hit
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._event_cond.wait(), left)

    # ---- whole calls -------------------------------------------------------------------------
    async def run_turns(self, turns: list[np.ndarray], *, wait_greeting: bool = True,
                        lead_silence_s: float = 0.3, reply_timeout_s: float = 10.0) -> list[TurnResult]:
        """Speak each turn (16 kHz PCM, may hold pauses), wait for the line's answer to finish, go on."""
        results: list[TurnResult] = []
        if wait_greeting:
            await self.wait_reply(0.0, start_timeout=6.0)
        for i, pcm in enumerate(turns):
            await self.silence(lead_silence_s)
            t_speak = self.now()
            # The turn's end is its last voiced frame, not any trailing silence in the clip.
            segs = split_turns(pcm, min_gap_ms=10_000, min_speech_ms=0)
            last_voiced = segs[-1].end if segs else len(pcm)
            await self.speak(pcm[:last_voiced])
            speech_end = self.now()
            await self.speak(pcm[last_voiced:])
            tr = TurnResult(index=i + 1, speech_end_s=speech_end)
            tr.reply_start_s = await self.wait_reply(speech_end, start_timeout=reply_timeout_s)
            if self.want_events:
                await self.wait_event("call.reply", lambda e, t=t_speak: e["rx_s"] >= t
                                      and e.get("source") in ("turn", "transfer", "fallback"), within=2.0)
            tr._t_speak = t_speak  # type: ignore[attr-defined]
            results.append(tr)
        self._attach_texts(results)
        return results

    def _attach_texts(self, results: list[TurnResult]) -> None:
        """Events to turns by time: a turn owns what arrived after it began and before the next."""
        starts = [getattr(r, "_t_speak", r.speech_end_s) for r in results]
        for e in self.events:
            rx = e.get("rx_s", 0.0)
            idx = None
            for i, s in enumerate(starts):
                if rx >= s:
                    idx = i
            if idx is None:
                continue
            r = results[idx]
            if e.get("event") == "call.transcript" and e.get("final"):
                r.heard = (r.heard + " " + e.get("text", "")).strip()
            elif e.get("event") == "call.reply" and e.get("source") != "greeting":
                r.reply = (r.reply + " " + e.get("text", "")).strip()
                if e.get("timings") and not r.timings:
                    r.timings = dict(e["timings"])

    def received_audio(self) -> np.ndarray:
        """What the caller heard, 16 kHz, placed on the call's clock (silence in between)."""
        if not self._segments:
            return np.zeros(0, np.int16)
        end = max(s + len(p) / RATE for s, p in self._segments)
        out = np.zeros(int(end * RATE) + 1, np.int16)
        for s, p in self._segments:
            i = int(s * RATE)
            out[i:i + len(p)] = p[: len(out) - i]
        return out

    def result(self, turns: list[TurnResult]) -> CallResult:
        return CallResult(protocol=self.protocol, call_id=self.call_id, stream_sid=self.stream_sid,
                          turns=turns, events=list(self.events), audio=self.received_audio(),
                          clears=self.clears, marks_echoed=self.marks_echoed, media_in=self.media_in,
                          duration_s=self.now(), close_code=self.close_code)


async def call_with_turns(url: str, turns: list[np.ndarray], *, protocol: str = "twilio",
                          caller: str | None = "+15550100", **kw: Any) -> CallResult:
    """Place one call, speak ``turns`` waiting for each answer, hang up; everything that happened."""
    c = SimulatedCaller(url, protocol=protocol, caller=caller)
    await c.connect()
    try:
        results = await c.run_turns(turns, **kw)
    finally:
        await c.hangup()
    return c.result(results)


async def call_with_recording(url: str, pcm: np.ndarray, *, protocol: str = "twilio",
                              caller: str | None = "+15550100", min_gap_ms: int = 1500, **kw: Any) -> CallResult:
    """Split a recording into turns at long silences and play it as a conversation."""
    segs = split_turns(pcm, min_gap_ms=min_gap_ms)
    pad = RATE // 10  # keep 100 ms around each turn so no syllable is clipped
    turns = [pcm[max(0, s.start - pad): min(len(pcm), s.end + pad)] for s in segs]
    return await call_with_turns(url, turns, protocol=protocol, caller=caller, **kw)
