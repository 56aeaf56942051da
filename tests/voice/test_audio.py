"""voice/audio.py: µ-law, resampling, framing and WAV io on real signals."""

from __future__ import annotations

import warnings
import wave

import numpy as np
import pytest

from voice.audio import (
    Framer,
    StreamResampler,
    load_audio,
    read_wav,
    resample,
    ulaw_decode,
    ulaw_encode,
    write_wav,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import audioop  # the stdlib's G.711 (Python <= 3.12): an independent reference
    except ImportError:  # pragma: no cover - Python 3.13+
        audioop = None


def tone(freq: float, seconds: float, rate: int, amp: float = 12000.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def dominant_freq(x: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(x.astype(np.float64) * np.hanning(len(x))))
    return float(np.argmax(spec) * rate / len(x))


# --- µ-law -------------------------------------------------------------------------------------


def test_ulaw_known_values() -> None:
    # G.711 values: silence is 0xFF, full scale 0x80 / 0x00, -1 is 0x7E (0x7F is "negative zero").
    enc = ulaw_encode(np.array([0, 32767, -32768, -1, 1000, -1000], dtype=np.int16))
    assert enc == bytes([0xFF, 0x80, 0x00, 0x7E, 0xCE, 0x4E])
    dec = ulaw_decode(bytes([0xFF, 0x7F, 0x80, 0x00, 0xCE, 0x4E]))
    assert dec.tolist() == [0, 0, 32124, -32124, 988, -988]
    assert dec.dtype == np.int16


@pytest.mark.skipif(audioop is None, reason="audioop was removed in Python 3.13")
def test_ulaw_bit_exact_against_audioop() -> None:
    every = np.arange(-32768, 32768, dtype=np.int16)
    assert ulaw_encode(every) == audioop.lin2ulaw(every.tobytes(), 2)
    codes = bytes(range(256))
    assert ulaw_decode(codes).tobytes() == audioop.ulaw2lin(codes, 2)


def test_ulaw_round_trip_is_close_and_stable() -> None:
    x = tone(440, 0.5, 8000)
    y = ulaw_decode(ulaw_encode(x))
    # µ-law keeps ~38 dB SNR on a loud tone
    err = (x.astype(np.float64) - y) ** 2
    snr = 10 * np.log10(np.mean(x.astype(np.float64) ** 2) / np.mean(err))
    assert snr > 30
    # decoding and re-encoding a µ-law stream changes nothing
    codes = bytes(range(256))
    assert ulaw_encode(ulaw_decode(codes)) == codes.replace(b"\x7f", b"\xff")  # -0 becomes +0
    # bytes input works the same as an array
    assert ulaw_encode(x.tobytes()) == ulaw_encode(x)
    with pytest.raises(TypeError):
        ulaw_encode(np.zeros(4, dtype=np.float32))


# --- resampling --------------------------------------------------------------------------------


@pytest.mark.parametrize(("src", "dst"), [(8000, 16000), (16000, 8000), (22050, 16000), (16000, 22050)])
def test_resample_preserves_frequency_and_duration(src: int, dst: int) -> None:
    x = tone(440, 1.0, src)
    y = resample(x, src, dst)
    assert y.dtype == np.int16
    assert abs(len(y) - dst) <= 2
    assert abs(dominant_freq(y, dst) - 440) < 3
    # amplitude kept (soxr is a proper band-limited resampler)
    assert abs(np.abs(y[100:-100]).max() - 12000) < 600


def test_stream_resampler_matches_one_shot_without_edge_clicks() -> None:
    x = tone(300, 1.0, 8000)
    rs = StreamResampler(8000, 16000)
    out = [rs.process(x[i : i + 160]) for i in range(0, len(x), 160)]  # 20 ms blocks
    out.append(rs.flush())
    y = np.concatenate(out)
    assert abs(len(y) - 16000) <= 2
    assert abs(dominant_freq(y, 16000) - 300) < 3
    # a seamless stream: no sample-to-sample jump bigger than a pure 300 Hz tone can make
    max_step = 12000 * 2 * np.pi * 300 / 16000
    assert np.abs(np.diff(y[200:-200].astype(np.int32))).max() < max_step * 1.1
    ref = resample(x, 8000, 16000)
    n = min(len(ref), len(y)) - 400
    assert np.abs(ref[200:n].astype(np.int32) - y[200:n]).max() < 200
    # same-rate passthrough accepts bytes
    same = StreamResampler(16000, 16000)
    assert same.process(x.tobytes()).tolist() == x.tolist()


# --- framing -----------------------------------------------------------------------------------


def test_framer_cuts_exact_frames_and_keeps_remainder() -> None:
    f = Framer(640)
    data = bytes(range(256)) * 10  # 2560 bytes
    assert f.push(data[:500]) == []
    assert f.pending == 500
    frames = f.push(data[500:2000])
    assert [len(fr) for fr in frames] == [640, 640, 640]
    assert f.pending == 2000 - 1920
    frames += f.push(data[2000:])
    assert len(frames) == 4 and f.pending == 0
    assert b"".join(frames) == data
    f.push(b"\x01\x02\x03")
    tail = f.flush()
    assert tail == [b"\x01\x02\x03" + bytes(637)]
    assert f.flush() == []
    with pytest.raises(ValueError):
        Framer(0)


def test_framer_accepts_arrays() -> None:
    f = Framer(640)
    out = f.push(np.arange(800, dtype=np.int16))
    assert len(out) == 2 and f.pending == 320
    assert np.frombuffer(out[1], np.int16)[0] == 320


# --- WAV ---------------------------------------------------------------------------------------


def test_wav_round_trip(tmp_path) -> None:
    x = tone(440, 0.25, 16000)
    p = tmp_path / "a.wav"
    write_wav(p, x, 16000)
    y, rate = read_wav(p)
    assert rate == 16000 and y.tolist() == x.tolist()
    # floats in [-1, 1] are written as int16
    write_wav(p, x.astype(np.float32) / 32767.0, 16000)
    y, _ = read_wav(p)
    assert np.abs(y.astype(np.int32) - x).max() <= 1


def _write_raw_wav(path, data: bytes, *, tag: int, channels: int, rate: int, bits: int) -> None:
    import struct

    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def test_read_wav_any_format(tmp_path) -> None:
    x = tone(440, 0.1, 8000)
    stereo = np.stack([x, x], axis=1)
    # 16-bit stereo -> mono
    p = tmp_path / "stereo.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(stereo.astype("<i2").tobytes())
    y, rate = read_wav(p)
    assert rate == 8000 and y.tolist() == x.tolist()
    # 32-bit float
    p = tmp_path / "float.wav"
    _write_raw_wav(p, (x / 32767.0).astype("<f4").tobytes(), tag=3, channels=1, rate=8000, bits=32)
    y, _ = read_wav(p)
    assert np.abs(y.astype(np.int32) - x).max() <= 1
    # 24-bit PCM
    p = tmp_path / "pcm24.wav"
    v = x.astype(np.int32) << 8
    b24 = np.stack([v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF], axis=1).astype(np.uint8).tobytes()
    _write_raw_wav(p, b24, tag=1, channels=1, rate=8000, bits=24)
    y, _ = read_wav(p)
    assert y.tolist() == x.tolist()
    # 8-bit unsigned
    p = tmp_path / "pcm8.wav"
    _write_raw_wav(p, ((x >> 8) + 128).astype(np.uint8).tobytes(), tag=1, channels=1, rate=8000, bits=8)
    y, _ = read_wav(p)
    assert np.abs(y.astype(np.int32) - x).max() <= 256
    # µ-law WAV (as Twilio recordings are)
    p = tmp_path / "ulaw.wav"
    _write_raw_wav(p, ulaw_encode(x), tag=7, channels=1, rate=8000, bits=8)
    y, _ = read_wav(p)
    assert y.tolist() == ulaw_decode(ulaw_encode(x)).tolist()
    # WAVE_FORMAT_EXTENSIBLE (what many recorders write), 16-bit stereo at 48 kHz
    import struct

    p = tmp_path / "ext.wav"
    guid_pcm = struct.pack("<H", 1) + bytes.fromhex("000000001000800000aa00389b71")
    fmt = struct.pack("<HHIIHH", 0xFFFE, 2, 48000, 48000 * 4, 4, 16) + struct.pack("<HHI", 22, 16, 3) + guid_pcm
    data = stereo.astype("<i2").tobytes()
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    p.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    y, rate = read_wav(p)
    assert rate == 48000 and y.tolist() == x.tolist()
    # garbage is a clear error
    p = tmp_path / "bad.wav"
    p.write_bytes(b"not a wav file at all")
    with pytest.raises(ValueError, match="RIFF"):
        read_wav(p)


def test_real_recording_loads_at_any_rate() -> None:
    pcm, rate = read_wav("/usr/share/codec2/wav/hts1a.wav")
    assert rate == 8000 and len(pcm) == 24000 and np.abs(pcm).max() > 1000
    up = load_audio("/usr/share/codec2/wav/hts1a.wav", 16000)
    assert abs(len(up) - 48000) <= 2
