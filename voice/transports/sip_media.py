"""Audio between pjsua2's conference bridge and asyncio, 20 ms PCM16 mono 16 kHz each way.

pjmedia's conference bridge runs on its own clock thread (the null sound device ticks it every
20 ms). A ``FramePort`` is one bridge port per call leg: the bridge hands it the far end's decoded,
de-jittered audio (``onFrameReceived``) and asks it for the audio to send (``onFrameRequested``).
Both callbacks run on pjmedia's thread, so they only touch thread-safe things: a ``deque`` of
outbound frames and a callback that must hand inbound frames to the event loop without blocking
(``loop.call_soon_threadsafe``). Marks are placed in the same deque, so "the caller has heard
everything up to here" fires exactly when the bridge takes the frame after it.
"""

from __future__ import annotations

import ctypes
import logging
import time
from collections import deque
from collections.abc import Callable

import pjsua2 as pj

from voice.transports.base import FRAME_BYTES, FRAME_MS, SAMPLE_RATE

log = logging.getLogger("warmline.sip")

_SILENCE = bytes(FRAME_BYTES)


def _vector_bytes_slow(vec: pj.ByteVector) -> bytes:
    return bytes(tuple(vec))  # SWIG iterates element by element: ~250 µs for 640 bytes


def _vector_bytes_fast(vec: pj.ByteVector) -> bytes:
    # libstdc++'s std::vector is three pointers (begin, end, end of storage); SWIG's ``this`` is the
    # address of the vector. Reading the storage directly costs < 1 µs instead of ~250 µs per frame.
    addr = int(vec.this)
    begin = ctypes.c_void_p.from_address(addr).value or 0
    end = ctypes.c_void_p.from_address(addr + ctypes.sizeof(ctypes.c_void_p)).value or 0
    if begin == 0 or end < begin or end - begin > 1 << 20:
        return _vector_bytes_slow(vec)
    return ctypes.string_at(begin, end - begin)


def _pick_vector_reader() -> Callable[[pj.ByteVector], bytes]:
    """Use the fast reader only if it reads back exactly what the slow, safe one does."""
    probe = bytes(range(256)) * 2 + bytes(range(128))
    try:
        vec = pj.ByteVector(probe)
        empty = pj.ByteVector()
        if _vector_bytes_fast(vec) == probe and _vector_bytes_fast(empty) == b"":
            return _vector_bytes_fast
    except Exception:  # any surprise in the layout: stay on the safe path
        pass
    log.info("sip: using the slow ByteVector reader")
    return _vector_bytes_slow


vector_bytes = _pick_vector_reader()


class _Mark:
    __slots__ = ("callback",)

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback


class FrameQueue:
    """Outbound frames for one leg, plain Python so the asyncio side can hold it without holding
    any pjsua2 object (those must be created and destroyed on pjsip's own threads).

    ``push``/``clear``/``push_mark`` may be called from any thread; ``next_frame`` runs on the
    bridge's clock thread. Mark callbacks run on whichever thread passes them: they must be cheap
    and thread-safe (``loop.call_soon_threadsafe``).
    """

    def __init__(self, limit: int = 0) -> None:
        self._out: deque[bytes | _Mark] = deque()
        self.paused = False  # remote hold: keep what is queued until the far end is back
        # >0: a live bridge (caller <-> human) keeps at most this many frames, dropping the oldest,
        # so clock drift between two networks never builds up delay.
        self.limit = limit
        self.dropped = 0

    def push(self, frame: bytes) -> None:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"frame must be {FRAME_BYTES} bytes, got {len(frame)}")
        if self.limit and len(self._out) >= self.limit:
            try:
                old = self._out.popleft()
            except IndexError:
                pass
            else:
                if isinstance(old, _Mark):
                    old.callback()
                else:
                    self.dropped += 1
        self._out.append(frame)

    def push_mark(self, callback: Callable[[], None]) -> None:
        self._out.append(_Mark(callback))

    def clear(self) -> None:
        """Drop queued audio at once; marks still fire (that audio will never be heard)."""
        marks = []
        while True:
            try:
                item = self._out.popleft()
            except IndexError:
                break
            if isinstance(item, _Mark):
                marks.append(item)
        for m in marks:
            m.callback()

    @property
    def queued_frames(self) -> int:
        return sum(1 for item in list(self._out) if not isinstance(item, _Mark))

    def next_frame(self) -> bytes | None:
        if self.paused:
            return None
        while True:
            try:
                item = self._out.popleft()
            except IndexError:
                return None
            if isinstance(item, _Mark):
                item.callback()
                continue
            return item


class FramePort(pj.AudioMediaPort):
    """One conference-bridge port, lent to one call leg (caller or human) at a time. Lives on
    pjsip's threads.

    ``on_frame(bytes)`` is called on pjmedia's clock thread with every 20 ms frame the far end sent;
    it must not block. Outbound audio comes from ``queue``. A detached port (between calls) sends
    nothing and drops what it hears.

    Ports are never destroyed while pjsua runs (``PortPool``): in pjsip 2.15 the bridge removes a
    port asynchronously, on its clock thread, but ``~AudioMediaPort`` frees the port's memory at
    once, so the clock thread then writes into freed memory (pjproject PR #4200, fixed after 2.15.1,
    the newest binding on PyPI). That corrupted the heap now and then at the end of a call.
    """

    def __init__(self, name: str, queue: FrameQueue | None = None,
                 on_frame: Callable[[bytes], None] | None = None) -> None:
        super().__init__()
        self.queue = queue
        self._on_frame = on_frame
        self.frames_in = 0
        self.frames_out = 0
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, SAMPLE_RATE, 1, FRAME_MS * 1000, 16)
        self.createPort(name, fmt)

    def attach(self, queue: FrameQueue, on_frame: Callable[[bytes], None]) -> None:
        self.frames_in = self.frames_out = 0
        self.queue, self._on_frame = queue, on_frame

    def detach(self) -> None:
        self.queue, self._on_frame = None, None

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2's name)
        try:
            queue = self.queue
            data = queue.next_frame() if queue is not None else None
            if data is None:
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE
                return
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
            frame.buf = pj.ByteVector(data)
            frame.size = len(data)
            self.frames_out += 1
        except Exception:  # an exception escaping into C++ would take the process down
            log.exception("sip: frame request failed")

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # noqa: N802 (pjsua2's name)
        try:
            on_frame = self._on_frame
            if on_frame is None:
                return
            if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO:
                data = _SILENCE
            else:
                data = vector_bytes(frame.buf)
                if len(data) != FRAME_BYTES:
                    data = (data + _SILENCE)[:FRAME_BYTES]
            self.frames_in += 1
            on_frame(data)
        except Exception:
            log.exception("sip: frame receive failed")


class PortPool:
    """Bridge ports lent to call legs and taken back, never destroyed while pjsua runs (see
    ``FramePort``). Use on the pjsip thread only. A returned port rests ``quarantine_s`` before it is
    lent again, so a frame still in flight from the old call can never reach the next caller."""

    def __init__(self, quarantine_s: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.quarantine_s = quarantine_s
        self._clock = clock
        self._resting: deque[tuple[float, FramePort]] = deque()
        self._all: list[FramePort] = []

    @property
    def size(self) -> int:
        return len(self._all)

    def lend(self, queue: FrameQueue, on_frame: Callable[[bytes], None]) -> FramePort:
        if self._resting and self._clock() - self._resting[0][0] >= self.quarantine_s:
            port = self._resting.popleft()[1]
        else:
            port = FramePort(f"port{len(self._all)}")
            self._all.append(port)
        port.attach(queue, on_frame)
        return port

    def give_back(self, port: FramePort) -> None:
        port.detach()
        self._resting.append((self._clock(), port))

    def abandon(self) -> None:
        """At shutdown: hand every port to C++ so that Python never runs ``~AudioMediaPort``
        (the memory goes back with the process)."""
        for port in self._all:
            port.detach()
            port.__disown__()
        self._all.clear()
        self._resting.clear()
