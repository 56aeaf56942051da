"""Bad input ends one call cleanly - closed with a clear code, ``call.ended`` emitted, resources
freed, logged by call id - while another call on the same server carries on and is answered."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.voice.live import LiveServer
from voice.client import SimulatedCaller


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("bad")) as s:
        yield s


def _media(sid: str, payload: str) -> str:
    return json.dumps({"event": "media", "streamSid": sid, "media": {"track": "inbound", "payload": payload}})


BAD_AFTER_START = {
    "malformed JSON": lambda sid: '{"event": "media", "media": {',
    "unknown event": lambda sid: json.dumps({"event": "dance", "streamSid": sid}),
    "binary frame": lambda sid: b"\x00\x01" * 160,
    "payload not base64": lambda sid: _media(sid, "this is !!! not base64"),
    "oversized message": lambda sid: _media(sid, "A" * 200_000),
    "JSON that is not an object": lambda sid: "[1, 2, 3]",
}


async def _bad_call(server, what: str) -> SimulatedCaller:
    c = SimulatedCaller(server.url, protocol="twilio", caller="+15550109999")
    await c.connect()
    await c.wait_event("call.started", within=5.0)
    await c.silence(0.2)
    if what == "abrupt disconnect":
        c._ws.transport.abort()  # no close frame, no stop: the caller's phone just died
    else:
        await c.send_raw(BAD_AFTER_START[what](c.stream_sid))
    await asyncio.wait_for(c.ended.wait(), 10.0)
    if what != "abrupt disconnect":
        await asyncio.wait_for(c._ws.wait_closed(), 5.0)
        c.close_code = c._ws.close_code
    await c.close()
    return c


async def test_each_bad_input_ends_only_its_own_call(server, speech, caplog):
    caplog.set_level(logging.INFO)
    good = SimulatedCaller(server.url, protocol="twilio")
    await good.connect()
    turn = speech.synth_speech("I have had a really long day at work.", "piper")
    try:
        started = await good.wait_event("call.started", within=5.0)
        assert started is not None
        listening = asyncio.ensure_future(good.silence(60.0))  # a phone keeps streaming while it listens
        try:
            media_before = good.media_in
            for what in [*BAD_AFTER_START, "abrupt disconnect"]:
                bad = await _bad_call(server, what)
                ended = next((e for e in bad.events if e["event"] == "call.ended"), None)
                assert ended is not None, f"{what}: no call.ended"
                expected = "disconnected" if what == "abrupt disconnect" else "protocol_error"
                assert ended["reason"] == expected, what
                assert bad.call_id not in server.board.calls, f"{what}: call not freed"
                if what != "abrupt disconnect":
                    assert bad.close_code == 1008, f"{what}: closed with {bad.close_code}"
                    assert any(bad.call_id in r.getMessage() and "bad input" in r.getMessage()
                               for r in caplog.records), f"{what}: not logged by call id"
                # the good call is still up and still hearing the line
                assert started["call_id"] in server.board.calls
            assert good.media_in > media_before, "the good call stopped receiving audio"
        finally:
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)
        # ... and it is still answered.
        await good.wait_reply(0.0, start_timeout=1.0, max_s=20)
        t = await good.speak(turn)
        assert await good.wait_reply(t, start_timeout=8.0) is not None
        final = await good.wait_event("call.transcript", lambda e: e.get("final"), within=5.0)
        assert final is not None and speech.wer("I have had a really long day at work.", final["text"]) <= 0.3
    finally:
        await good.hangup()
    assert server.wait_no_calls()
    # Nothing personal in the logs: no caller number, no transcript words.
    for r in caplog.records:
        msg = r.getMessage()
        assert "5550109999" not in msg and "long day at work" not in msg


@pytest.mark.parametrize("first", ["media", "mark", "dtmf"])
async def test_messages_before_start_are_refused(server, first):
    async with connect(server.url.replace("http", "ws") + "/twilio/media") as ws:
        await ws.send(json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
        msg = {"media": json.loads(_media("MZ1", "//8=")),
               "mark": {"event": "mark", "streamSid": "MZ1", "mark": {"name": "x"}},
               "dtmf": {"event": "dtmf", "streamSid": "MZ1", "dtmf": {"digit": "1"}}}[first]
        await ws.send(json.dumps(msg))
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5.0)
        assert ws.close_code == 1008
    assert not server.board.calls
    # the server is still up
    import httpx

    async with httpx.AsyncClient() as client:
        assert (await client.get(server.url + "/healthz")).json()["status"] == "ok"


def test_serializer_rejects_bad_messages():
    """The same rules, without a server: every bad shape raises ProtocolError with a reason."""
    from voice.transports.base import ProtocolError
    from voice.transports.twilio import Media, Start, TwilioSerializer

    ser = TwilioSerializer()
    bad = ['{"event": ', "42", '{"event": "media"}', '{"event": "media", "media": {"payload": 7}}',
           '{"event": "start", "start": {}}', '{"event": "mark", "mark": {}}',
           '{"event": "dtmf", "dtmf": {"digit": "12"}}', b"\x00",
           json.dumps({"event": "start", "start": {"streamSid": "MZ1", "mediaFormat": {
               "encoding": "audio/l16", "sampleRate": 16000}}})]
    for raw in bad:
        with pytest.raises(ProtocolError):
            ser.parse(raw)
    start = ser.parse(json.dumps({"event": "start", "streamSid": "MZ9", "start": {
        "streamSid": "MZ9", "callSid": "CA1", "customParameters": {"From": "+1"},
        "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}}))
    assert isinstance(start, Start) and start.stream_sid == "MZ9" and start.custom_parameters == {"From": "+1"}
    assert ser.parse(_media("MZ9", "//8=")) == Media(payload=b"\xff\xff")
