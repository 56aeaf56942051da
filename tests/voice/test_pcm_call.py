"""``WS /call``: raw PCM16 16 kHz in and out, the call's events in-band, ``{"event": "clear"}`` on
barge-in; and the Prometheus histograms fill from real turns."""

from __future__ import annotations

import asyncio
import json

import httpx
import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.voice.live import LiveServer
from voice.client import SimulatedCaller


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("pcm")) as s:
        yield s


async def test_pcm_call_with_barge_in_and_events(server, speech):
    said = "Sorry, I just need someone to talk to tonight."
    pcm = speech.phone_quality(speech.synth_speech(said, "piper"))
    caller = SimulatedCaller(server.url, protocol="pcm", caller="+15550107777")
    await caller.connect()
    try:
        started = await caller.wait_event("call.started", within=5.0)
        while caller.first_audio_after(0.0) is None:  # the greeting is playing
            await caller.silence(0.1)
        await caller.silence(0.5)
        t_speak = caller.now()
        t_end = await caller.speak(pcm)
        t_answer = await caller.wait_reply(t_end, start_timeout=8.0)
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
    finally:
        await caller.hangup()
    assert started is not None and "caller" not in started  # the number is not sent back
    assert caller.clear_times and t_speak < caller.clear_times[0] < t_speak + 1.2
    heard = " ".join(e["text"] for e in caller.events if e["event"] == "call.transcript" and e["final"])
    assert speech.wer(said, heard) <= 0.25, heard
    assert t_answer is not None and reply is not None and reply["text"]
    assert reply["timings"]["total_ms"] > 0
    greeting = next(e for e in caller.events if e["event"] == "call.reply" and e["source"] == "greeting")
    assert greeting.get("interrupted") is True
    ended = await caller.wait_event("call.ended", within=3.0)
    assert ended is not None and ended["reason"] == "hangup"
    assert np.abs(caller.received_audio()).max() > 1000
    async with httpx.AsyncClient() as c:
        metrics = (await c.get(server.url + "/metrics")).text
    assert 'warmline_calls_total{transport="pcm"} 1.0' in metrics
    assert 'warmline_turn_latency_seconds_count{stage="total"} 1.0' in metrics
    assert "warmline_barge_ins_total 1.0" in metrics
    assert "5550107777" not in metrics


@pytest.mark.parametrize("bad", ["not json", '{"event": "dance"}', b"\x00\x01\x02", b"\x00" * 70_000],
                         ids=["malformed", "unknown-event", "odd-bytes", "oversized"])
async def test_pcm_bad_input_ends_only_that_call(server, bad):
    good = SimulatedCaller(server.url, protocol="pcm")
    await good.connect()
    try:
        await good.wait_event("call.started", within=5.0)
        async with connect(server.url.replace("http", "ws") + "/call") as ws:
            await ws.send(json.dumps({"event": "start"}))
            await ws.send(bad)
            with pytest.raises(ConnectionClosed):
                while True:  # events and audio until the server closes the socket
                    await asyncio.wait_for(ws.recv(), 5.0)
            assert ws.close_code == 1008
        await good.silence(0.3)
        assert good.call_id in server.board.calls and len(server.board.calls) == 1
    finally:
        await good.hangup()
    assert server.wait_no_calls()
