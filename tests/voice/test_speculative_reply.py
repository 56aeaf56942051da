"""Speculative reply (PipelineConfig.speculative_reply, voice/call.py): the reply is prepared on copies of
the risk and dialogue state while the caller is silent, adopted at turn end only if the words held and
safety agrees, and thrown away without a trace when the caller goes on. Real server, real models."""

from __future__ import annotations

import time

import pytest

from tests.voice.live import LiveServer
from voice.client import SimulatedCaller
from voice.pipeline import PipelineConfig


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("spec")) as s:
        yield s


@pytest.fixture(scope="module")
def final_only_server(tmp_path_factory):
    # No partials: the final words are the first the risk model hears, so the speculative path meets the
    # risk before anything else has escalated the call.
    with LiveServer(tmp_path_factory.mktemp("spec-final"), pipeline=PipelineConfig.fast().with_(partials=False)) as s:
        yield s


def _caller_lines(session) -> list[str]:
    return [text for who, text in session.dialogue.history if who == "caller"]


async def _open(server) -> tuple[SimulatedCaller, object]:
    caller = SimulatedCaller(server.url, protocol="twilio")
    await caller.connect()
    await caller.wait_event("call.started", within=5.0)
    assert await caller.wait_reply(0.0, start_timeout=8.0) is not None  # the whole greeting
    await caller.silence(0.3)
    return caller, server.board.calls[caller.call_id]


async def test_prepared_reply_is_used_when_the_caller_stays_silent(server, speech):
    said = "I have been feeling anxious about work lately."
    caller, session = await _open(server)
    try:
        original = session.dialogue
        before = _caller_lines(session)
        stats = dict(session.spec_stats)
        t_end = await caller.speak(speech.trim_silence(speech.synth_speech(said, "piper")))
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
        final = await caller.wait_event("call.transcript", lambda e: e.get("final"), within=1.0)
    finally:
        await caller.hangup()
    assert reply is not None and reply["text"] and final is not None
    assert session.spec_stats["adopted"] == stats["adopted"] + 1, session.spec_stats
    # The copy became the call's dialogue, and it took the caller's words exactly once.
    assert session.dialogue is not original
    assert _caller_lines(session) == [*before, final["text"]]
    assert speech.wer(said, final["text"]) <= 0.25, final["text"]
    assert reply["timings"]["total_ms"] > 0


async def test_caller_going_on_leaves_no_trace_and_the_whole_utterance_is_answered(server, speech):
    first, rest = "I keep worrying about my job because", "my manager never answers my emails."
    caller, session = await _open(server)
    try:
        original = session.dialogue
        before = _caller_lines(session)
        window = list(session.risk_state._window)
        evidence = list(session.risk_state.evidence)
        level = session.risk_state.level
        stats = dict(session.spec_stats)
        await caller.speak(speech.trim_silence(speech.synth_speech(first, "piper")))
        # The words look unfinished, so the line waits the long silence; the reply is prepared meanwhile.
        deadline = time.monotonic() + 1.2
        while session.spec_stats["prepared"] == stats["prepared"] and time.monotonic() < deadline:
            await caller.silence(0.02)
        assert session.spec_stats["prepared"] > stats["prepared"], "no reply was prepared in the pause"
        # Prepared, not applied: the real dialogue and risk state are as they were.
        assert session.dialogue is original and _caller_lines(session) == before
        assert list(session.risk_state._window) == window and list(session.risk_state.evidence) == evidence
        assert session.risk_state.level == level
        assert not caller.first_audio_after(caller.now() - 1.0)  # and nothing was said
        t_end = await caller.speak(speech.trim_silence(speech.synth_speech(rest, "piper")))
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
        finals = [e for e in caller.events if e["event"] == "call.transcript" and e["final"]]
    finally:
        await caller.hangup()
    assert session.spec_stats["discarded"] > stats["discarded"], session.spec_stats
    assert reply is not None and reply["text"]
    assert len(finals) == 1, finals  # one turn, not two
    heard = finals[0]["text"]
    assert speech.wer(f"{first} {rest}", heard) <= 0.3, heard
    # The dialogue took the whole utterance, once, and the risk state saw one final turn.
    assert _caller_lines(session) == [*before, heard]
    assert len(session.risk_state._window) == len(window) + 1


async def test_high_risk_never_plays_a_speculative_normal_reply(final_only_server, speech):
    said = "I want to kill myself tonight."
    caller, session = await _open(final_only_server)
    try:
        stats = dict(session.spec_stats)
        await caller.speak(speech.trim_silence(speech.synth_speech(said, "piper")))
        await caller.silence(3.0)  # the turn ends; whatever the line says now is the transfer's
        opened = await caller.wait_event("escalation.opened", within=5.0)
        final = await caller.wait_event("call.transcript", lambda e: e.get("final"), within=1.0)
    finally:
        await caller.hangup()
    assert opened is not None and opened["action"] in ("warm_transfer", "emergency_guidance")
    assert final is not None and "kill" in final["text"].lower(), final
    # The copy of the risk state said "transfer" too: nothing normal was prepared, nothing adopted.
    assert session.spec_stats["declined"] > stats["declined"], session.spec_stats
    assert session.spec_stats["prepared"] == stats["prepared"]
    assert session.spec_stats["adopted"] == stats["adopted"]
    turn_replies = [e for e in caller.events if e["event"] == "call.reply" and e.get("source") == "turn"]
    assert not turn_replies, turn_replies
    assert session.risk_state.level >= "high"

