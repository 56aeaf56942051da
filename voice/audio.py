"""Audio plumbing: G.711 µ-law, resampling, 20 ms framing and WAV files.

Everything inside the process is PCM16 (``np.int16``) mono; transports convert at the edge.
µ-law uses lookup tables built once from the G.711 reference algorithm (bit-exact with Sun's
``g711.c`` and Python's old ``audioop``), so encoding a second of audio is a single numpy take.
Resampling uses soxr (one-shot and streaming, so a live call has no block-edge clicks).
"""

from __future__ import annotations

import os
import struct
import wave
from pathlib import Path

import numpy as np
import soxr

__all__ = [
    "Framer",
    "StreamResampler",
    "bytes_to_pcm",
    "load_audio",
    "pcm_to_bytes",
    "read_wav",
    "resample",
    "ulaw_decode",
    "ulaw_encode",
    "write_wav",
]

# --- G.711 µ-law -----------------------------------------------------------------------------

_ULAW_BIAS = 0x84  # 132, added to the 16-bit magnitude before finding the segment
_ULAW_CLIP = 32635


def _build_ulaw_encode_table() -> np.ndarray:
    """Table of the µ-law byte for each of the 65536 int16 values (indexed by value as uint16)."""
    pcm = np.arange(-32768, 32768, dtype=np.int32)
    # G.711 works on 14-bit magnitudes: shift first (arithmetic, as in g711.c), then take sign.
    val = pcm >> 2
    mask = np.where(val < 0, 0x7F, 0xFF)
    mag = np.minimum(np.abs(val), 8159) + (_ULAW_BIAS >> 2)
    # Segment: position of the highest set bit above bit 5 (seg_uend = 0x3F, 0x7F, ... 0x1FFF).
    seg = np.zeros_like(mag)
    for s, end in enumerate((0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)):
        seg = np.where((mag > end) & (seg == s), s + 1, seg)
    uval = np.where(seg >= 8, 0x7F, (seg << 4) | ((mag >> (seg + 1)) & 0x0F))
    out = (uval ^ mask).astype(np.uint8)
    # Reorder so that index = value as uint16 (0..32767 then -32768..-1).
    return np.concatenate([out[32768:], out[:32768]])


def _build_ulaw_decode_table() -> np.ndarray:
    u = (~np.arange(256, dtype=np.int32)) & 0xFF
    t = ((u & 0x0F) << 3) + _ULAW_BIAS
    t = t << ((u & 0x70) >> 4)
    return np.where(u & 0x80, _ULAW_BIAS - t, t - _ULAW_BIAS).astype(np.int16)


_ULAW_ENC = _build_ulaw_encode_table()
_ULAW_DEC = _build_ulaw_decode_table()


def ulaw_encode(pcm: np.ndarray | bytes) -> bytes:
    """PCM16 samples (np.int16, or little-endian bytes) -> G.711 µ-law bytes, one per sample."""
    samples = bytes_to_pcm(pcm) if isinstance(pcm, bytes | bytearray | memoryview) else pcm
    samples = np.asarray(samples)
    if samples.dtype != np.int16:
        raise TypeError(f"ulaw_encode expects int16 samples, got {samples.dtype}")
    return _ULAW_ENC[samples.view(np.uint16)].tobytes()


def ulaw_decode(data: bytes | bytearray | memoryview) -> np.ndarray:
    """G.711 µ-law bytes -> np.int16 samples."""
    return _ULAW_DEC[np.frombuffer(data, dtype=np.uint8)]


# --- PCM16 bytes <-> numpy -------------------------------------------------------------------


def bytes_to_pcm(data: bytes | bytearray | memoryview) -> np.ndarray:
    """PCM16LE bytes -> np.int16 (a copy-free view when possible)."""
    if len(data) % 2:
        raise ValueError("PCM16 data must have an even number of bytes")
    return np.frombuffer(data, dtype="<i2").astype(np.int16, copy=False)


def pcm_to_bytes(pcm: np.ndarray) -> bytes:
    return np.asarray(pcm, dtype="<i2").tobytes()


def _as_int16(x: np.ndarray) -> np.ndarray:
    if x.dtype == np.int16:
        return x
    if np.issubdtype(x.dtype, np.floating):
        return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)
    return np.clip(x, -32768, 32767).astype(np.int16)


# --- resampling ------------------------------------------------------------------------------


def resample(pcm: np.ndarray, src_rate: int, dst_rate: int, *, quality: str = "HQ") -> np.ndarray:
    """One-shot resampling of a whole signal (int16 in -> int16 out; float in -> float out)."""
    pcm = np.asarray(pcm)
    if src_rate == dst_rate or pcm.size == 0:
        return pcm.copy()
    return soxr.resample(pcm, src_rate, dst_rate, quality=quality)


class StreamResampler:
    """Streaming resampler for live audio: keeps the filter state between blocks, so chunk edges
    are seamless. Output length trails input by the filter delay; call ``flush()`` at the end."""

    def __init__(self, src_rate: int, dst_rate: int, *, quality: str = "HQ") -> None:
        self.src_rate = src_rate
        self.dst_rate = dst_rate
        self._passthrough = src_rate == dst_rate
        self._rs = (
            None
            if self._passthrough
            else soxr.ResampleStream(src_rate, dst_rate, 1, dtype="int16", quality=quality)
        )

    def process(self, pcm: np.ndarray | bytes, last: bool = False) -> np.ndarray:
        samples = bytes_to_pcm(pcm) if isinstance(pcm, bytes | bytearray | memoryview) else pcm
        samples = _as_int16(np.asarray(samples))
        if self._rs is None:
            return samples.copy()
        return self._rs.resample_chunk(samples, last=last)

    def flush(self) -> np.ndarray:
        return self.process(np.zeros(0, dtype=np.int16), last=True)


# --- framing ---------------------------------------------------------------------------------


class Framer:
    """Cuts a byte stream into fixed-size frames (e.g. 640 bytes = 20 ms PCM16 at 16 kHz),
    holding the remainder until the next push."""

    def __init__(self, frame_bytes: int) -> None:
        if frame_bytes <= 0:
            raise ValueError("frame_bytes must be positive")
        self.frame_bytes = frame_bytes
        self._buf = bytearray()

    def push(self, data: bytes | bytearray | memoryview | np.ndarray) -> list[bytes]:
        if isinstance(data, np.ndarray):
            data = pcm_to_bytes(data)
        self._buf += data
        n = len(self._buf) // self.frame_bytes
        if not n:
            return []
        cut = n * self.frame_bytes
        out = [bytes(self._buf[i : i + self.frame_bytes]) for i in range(0, cut, self.frame_bytes)]
        del self._buf[:cut]
        return out

    def flush(self, pad: bool = True) -> list[bytes]:
        """The leftover partial frame, zero-padded to a full frame (or dropped when pad=False)."""
        if not self._buf:
            return []
        rest = bytes(self._buf)
        self._buf.clear()
        if not pad:
            return []
        return [rest + bytes(self.frame_bytes - len(rest))]

    @property
    def pending(self) -> int:
        return len(self._buf)


# --- WAV files -------------------------------------------------------------------------------

_WAVE_PCM, _WAVE_FLOAT, _WAVE_ALAW, _WAVE_ULAW, _WAVE_EXTENSIBLE = 1, 3, 6, 7, 0xFFFE


def _alaw_decode(data: bytes) -> np.ndarray:
    a = np.frombuffer(data, dtype=np.uint8).astype(np.int32) ^ 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    t = np.where(seg == 0, t + 8, np.where(seg == 1, t + 0x108, (t + 0x108) << np.maximum(seg - 1, 0)))
    return np.where(a & 0x80, t, -t).astype(np.int16)


def read_wav(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Read a WAV file of any rate, channel count and sample format (8/16/24/32-bit PCM, 32/64-bit
    float, µ-law, A-law) and return ``(np.int16 mono, sample_rate)``. Channels are averaged."""
    raw = Path(path).read_bytes()
    if len(raw) < 12 or raw[:4] not in (b"RIFF", b"RF64") or raw[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    fmt: tuple[int, int, int, int] | None = None
    data: bytes | None = None
    pos = 12
    while pos + 8 <= len(raw):
        cid, size = raw[pos : pos + 4], struct.unpack("<I", raw[pos + 4 : pos + 8])[0]
        body = raw[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            tag, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag == _WAVE_EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the SubFormat GUID
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            data = body  # a truncated last chunk (streamed WAV) is read as far as it goes
        pos += 8 + size + (size & 1)
    if fmt is None or data is None:
        raise ValueError(f"{path}: WAV file without fmt or data chunk")
    tag, channels, rate, bits = fmt
    if channels < 1:
        raise ValueError(f"{path}: bad channel count {channels}")
    width = bits // 8
    frame = width * channels
    data = data[: len(data) - len(data) % frame] if frame else data
    if tag == _WAVE_PCM:
        if width == 1:
            x = (np.frombuffer(data, np.uint8).astype(np.int32) - 128) << 8
        elif width == 2:
            x = np.frombuffer(data, "<i2").astype(np.int32)
        elif width == 3:
            b = np.frombuffer(data, np.uint8).reshape(-1, 3).astype(np.int32)
            x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8) >> 16  # sign-extend, keep top 16
        elif width == 4:
            x = np.frombuffer(data, "<i4").astype(np.int64) >> 16
        else:
            raise ValueError(f"{path}: unsupported PCM width {bits} bits")
        x = x.astype(np.float64)
    elif tag == _WAVE_FLOAT:
        if width not in (4, 8):
            raise ValueError(f"{path}: unsupported float width {bits} bits")
        x = np.frombuffer(data, "<f4" if width == 4 else "<f8").astype(np.float64) * 32767.0
    elif tag == _WAVE_ULAW:
        x = ulaw_decode(data).astype(np.float64)
    elif tag == _WAVE_ALAW:
        x = _alaw_decode(data).astype(np.float64)
    else:
        raise ValueError(f"{path}: unsupported WAV format tag {tag:#x}")
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    return np.clip(np.round(x), -32768, 32767).astype(np.int16), int(rate)


def write_wav(path: str | os.PathLike, pcm: np.ndarray, rate: int) -> None:
    """Write mono PCM16 (np.int16; floats in [-1, 1] are converted) as a WAV file."""
    samples = _as_int16(np.asarray(pcm).reshape(-1))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm_to_bytes(samples))


def load_audio(path: str | os.PathLike, rate: int = 16_000) -> np.ndarray:
    """A WAV file as np.int16 mono at ``rate`` (resampled when needed)."""
    pcm, src = read_wav(path)
    return resample(pcm, src, rate)
