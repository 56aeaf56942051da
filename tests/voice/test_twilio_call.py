"""Real calls over the Twilio Media Streams protocol against a real server: real speech in (Piper and
espeak-ng through 8 kHz µ-law), real models, µ-law replies out, marks, barge-in."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from tests.voice.live import LiveServer
from voice.client import SimulatedCaller, split_turns


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("twilio")) as s:
        yield s


async def test_conversation_over_twilio(server, speech):
    """Greeting, two turns: what the line hears matches what was said, answers come back as µ-law
    media on our streamSid, marks return, and every turn carries its per-stage timings."""
    said = ["Yes, that's okay.", "I have been feeling anxious about work lately."]
    turns = [speech.synth_speech(said[0], "piper"), speech.synth_speech(said[1], "espeak")]
    caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
    await caller.connect()
    try:
        results = await caller.run_turns(turns)
    finally:
        await caller.hangup()
    res = caller.result(results)

    # Twilio's protocol on the wire: media for our stream only, marks echoed back after playout.
    assert caller.media_stream_sids == {caller.stream_sid}
    assert res.media_in > 100
    assert caller.marks_received and caller.marks_echoed >= len(caller.marks_received) - 1
    # The greeting says what the line is.
    assert "automated assistant" in res.greeting and "not a therapist" in res.greeting
    # What the line heard, turn by turn.
    for text, turn in zip(said, res.turns, strict=True):
        assert speech.wer(text, turn.heard) <= 0.25, (text, turn.heard)
        assert turn.reply, "the line answered"
        assert turn.latency_ms is not None and turn.latency_ms > 0
        assert set(turn.timings) >= {"endpoint_ms", "asr_ms", "risk_ms", "dialogue_ms", "tts_first_ms", "total_ms"}
        stages = sum(turn.timings[k] for k in ("endpoint_ms", "asr_ms", "risk_ms", "dialogue_ms", "tts_first_ms"))
        # The stages tile the turn; what is left is hand-offs between threads (more on a busy box).
        assert stages - 5 <= turn.timings["total_ms"] <= stages + 300, turn.timings
    # Safety before dialogue: every final transcript was assessed before the reply went out.
    names = res.event_names()
    assert names[0] == "call.started" and names[-1] == "call.ended"
    ev = res.events
    for i, e in enumerate(ev):
        if e["event"] == "call.transcript" and e["final"]:
            risk = next(j for j, r in enumerate(ev) if r["event"] == "risk.assessed" and r["final"]
                        and r["turn"] == e["turn"])
            reply = next(j for j, r in enumerate(ev) if r["event"] == "call.reply" and r["turn"] == e["turn"])
            assert i < risk < reply, "risk was not assessed before the reply"
    # The caller's number never travels back to the client.
    assert "+15550104477" not in json.dumps(res.events)
    # The saved audio is speech the recogniser can read back.
    assert np.abs(res.audio).max() > 1000
    assert len(split_turns(res.audio, min_gap_ms=1500)) >= 3  # greeting + two answers
    assert server.wait_no_calls()


async def test_greeting_is_understandable(server, speech, transcriber):
    """The line's µ-law audio, as the caller heard it, transcribes back to the greeting's words."""
    caller = SimulatedCaller(server.url, protocol="twilio")
    await caller.connect()
    try:
        await caller.wait_reply(0.0, start_timeout=6.0)
        await caller.wait_event("call.reply", lambda e: e.get("source") == "greeting", within=3.0)
    finally:
        await caller.hangup()
    res = caller.result([])
    heard = await transcriber.transcribe(res.audio)
    assert speech.wer(res.greeting, heard.text) <= 0.3, (res.greeting, heard.text)


async def test_barge_in_clears_and_is_not_resumed(server, speech):
    """The caller talks over the greeting: the line sends ``clear`` at once, stops, answers the caller,
    and records only what was heard of the greeting."""
    interruption = speech.synth_speech("Sorry, can I just say something?", "piper")
    caller = SimulatedCaller(server.url, protocol="twilio")
    await caller.connect()
    try:
        t_first = None
        while t_first is None:  # wait until the greeting is playing
            await caller.silence(0.1)
            t_first = caller.first_audio_after(0.0)
        await caller.silence(1.0)
        t_speak = caller.now()
        await caller.speak(interruption)
        t_answer = await caller.wait_reply(caller.now(), start_timeout=8.0)
        await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
    finally:
        await caller.hangup()
    res = caller.result([])
    assert caller.clear_times, "no clear after the caller barged in"
    t_clear = caller.clear_times[0]
    # webrtcvad needs ~200 ms of voiced speech; Piper starts with ~100 ms of silence; the rest is slack
    # for a busy machine. The real figure is in the benchmark, not here.
    assert t_speak < t_clear < t_speak + 1.2
    greeting = next(e for e in res.events if e["event"] == "call.reply" and e["source"] == "greeting")
    assert greeting["interrupted"] is True
    assert len(greeting["text"]) < len(greeting["full_text"])  # the unheard rest is not counted as said
    assert t_answer is not None, "the line answered the caller who interrupted"
    # After the clear, not one more frame of the greeting: the next audio is the answer.
    rx_after = [t for t in caller._audio_rx_times if t_clear + 0.05 < t < t_answer]
    assert not rx_after, "greeting audio kept coming after the barge-in"
    assert t_answer > t_speak + len(interruption) / 16000
    assert server.board.metrics.barge_ins._value.get() >= 1


def test_media_messages_are_twilio_shaped(server):
    """Outbound messages are exactly Twilio's: media with streamSid and base64 µ-law payload."""
    from voice.transports.twilio import TwilioSerializer

    ser = TwilioSerializer()
    ser.stream_sid = "MZ123"
    m = json.loads(ser.media(b"\xff" * 160))
    assert m == {"event": "media", "streamSid": "MZ123", "media": {"payload": base64.b64encode(b"\xff" * 160).decode()}}
    assert json.loads(ser.mark("g0.1")) == {"event": "mark", "streamSid": "MZ123", "mark": {"name": "g0.1"}}
    assert json.loads(ser.clear()) == {"event": "clear", "streamSid": "MZ123"}
