"""The pieces between pjmedia's clock thread and asyncio (voice/transports/sip_media.py): the outbound
frame queue (barge-in clear, marks, hold, the live-bridge limit), reading SWIG byte vectors, and the
SIP settings parsing. The same code runs under real calls in test_sip_stack.py and test_sip_e2e.py."""

from __future__ import annotations

import threading

import pjsua2 as pj
import pytest

from voice.transports.base import FRAME_BYTES
from voice.transports.sip import caller_from_uri
from voice.transports.sip_media import FrameQueue, _vector_bytes_fast, _vector_bytes_slow, vector_bytes
from voice.transports.sip_stack import SipConfig


def frame(n: int) -> bytes:
    return bytes([n % 256]) * FRAME_BYTES


def test_frames_and_marks_come_out_in_order():
    q = FrameQueue()
    heard: list[str] = []
    q.push(frame(1))
    q.push_mark(lambda: heard.append("s1"))
    q.push(frame(2))
    q.push_mark(lambda: heard.append("s2"))
    assert q.queued_frames == 2
    assert q.next_frame() == frame(1) and heard == []
    assert q.next_frame() == frame(2) and heard == ["s1"]  # s1 fires as the frame after it is taken
    assert q.next_frame() is None and heard == ["s1", "s2"]
    with pytest.raises(ValueError):
        q.push(b"short")


def test_barge_in_clear_drops_audio_at_once_and_still_answers_marks():
    q = FrameQueue()
    heard: list[str] = []
    for i in range(50):
        q.push(frame(i))
    q.push_mark(lambda: heard.append("end"))
    q.clear()
    assert q.queued_frames == 0 and q.next_frame() is None
    assert heard == ["end"]


def test_hold_keeps_audio_until_resumed():
    q = FrameQueue()
    q.push(frame(7))
    q.paused = True
    assert q.next_frame() is None and q.queued_frames == 1
    q.paused = False
    assert q.next_frame() == frame(7)


def test_live_bridge_limit_drops_the_oldest_frames():
    q = FrameQueue(limit=3)
    for i in range(10):
        q.push(frame(i))
    assert q.queued_frames == 3 and q.dropped == 7
    assert [q.next_frame() for _ in range(3)] == [frame(7), frame(8), frame(9)]


def test_queue_is_safe_across_threads():
    q = FrameQueue()
    got: list[bytes] = []

    def producer() -> None:
        for i in range(5000):
            q.push(frame(i))

    t = threading.Thread(target=producer)
    t.start()
    while t.is_alive() or q.queued_frames:
        f = q.next_frame()
        if f is not None:
            got.append(f)
    t.join()
    assert len(got) == 5000 and got[:3] == [frame(0), frame(1), frame(2)]


def test_vector_reader_matches_the_safe_path():
    data = bytes(range(256)) * 2 + bytes(128)
    vec = pj.ByteVector(data)
    assert _vector_bytes_slow(vec) == data
    assert _vector_bytes_fast(vec) == data
    assert vector_bytes(vec) == data
    assert vector_bytes(pj.ByteVector()) == b""
    f = pj.MediaFrame()
    f.buf = pj.ByteVector(data)
    assert vector_bytes(f.buf) == data


def test_listen_setting_parsing():
    c = SipConfig.parse_listen("0.0.0.0:5060", public_address="203.0.113.10")
    assert (c.host, c.port, c.advertised_host) == ("0.0.0.0", 5060, "203.0.113.10")
    assert SipConfig.parse_listen("127.0.0.1:5070").advertised_host == "127.0.0.1"
    assert SipConfig.parse_listen("0.0.0.0:5060").advertised_host == ""
    for bad in ("5060", "host:", "host:99999", "[::]:5060", "host:abc"):
        with pytest.raises(ValueError):
            SipConfig.parse_listen(bad)


def test_caller_number_only_from_a_numeric_user_part():
    assert caller_from_uri("sip:+15551234567@pbx.example.org") == "+15551234567"
    assert caller_from_uri('"Front desk" <sip:1001@10.0.0.1;user=phone>') == "1001"
    assert caller_from_uri("tel:+1-555-123-4567") == "+15551234567"
    assert caller_from_uri("sip:anonymous@anonymous.invalid") is None
    assert caller_from_uri("sip:alice@pbx") is None
    assert caller_from_uri("") is None
