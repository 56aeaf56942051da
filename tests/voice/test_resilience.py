"""Fault injection on the real server: when one of our own parts breaks mid-call, what does the caller
experience? Real models, real speech, the PCM and Twilio protocols; faults are injected in-process by
monkeypatching our own components (never a mock of what is being tested).

The rules (docs/architecture.md, the brief): an escalated caller is never hung up on by the line and
never left in silence for long; everyone else hears a safe sentence with the crisis line before a
broken call ends; a broken dialogue, risk model or voice degrades to a safe fallback, not silence.
"""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from dialogue.manager import DialogueManager
from dialogue.phrasing import is_safe
from safety.transfer import holdtalk
from safety.transfer.machine import Transfer
from tests.voice.live import LiveServer
from voice import fallback
from voice.call import SAY_WAIT_S
from voice.client import SimulatedCaller

HIGH_RISK = "I have a plan to kill myself tonight."
EVERYDAY = "I've been feeling anxious about work lately."
CRISIS_WORDS = ("988", "9 8 8", "nine eight eight")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # No human line configured: the transfer gives the crisis line and holds (nobody answers).
    with LiveServer(tmp_path_factory.mktemp("resilience")) as s:
        yield s


def _says_crisis(text: str) -> bool:
    return any(w in text.lower() for w in CRISIS_WORDS)


def _replies(caller: SimulatedCaller, after: float = 0.0) -> list[dict]:
    return [e for e in caller.events if e["event"] == "call.reply" and e["rx_s"] >= after]


def _longest_silence(caller: SimulatedCaller, start: float, end: float) -> float:
    """Longest stretch (s) between ``start`` and ``end`` on the call's clock with no audio from the line."""
    audio = caller.received_audio().astype(np.int32)
    win = 320  # 20 ms
    a, b = int(start * 16000), int(end * 16000)
    seg = np.zeros(max(0, b - a), np.int32)
    part = audio[a:b]
    seg[: len(part)] = part
    n = len(seg) // win
    loud = np.abs(seg[: n * win].reshape(n, win)).max(axis=1) > 300
    longest = run = 0
    for v in loud:
        run = 0 if v else run + 1
        longest = max(longest, run)
    return longest * win / 16000


async def _call(server, speech, text: str, protocol: str = "pcm") -> tuple[SimulatedCaller, float]:
    """Dial, say ``text`` over the greeting (a barge-in), return the caller and when they finished."""
    caller = SimulatedCaller(server.url, protocol=protocol, caller="+15550104444")
    await caller.connect()
    assert await caller.wait_event("call.started", within=5.0) is not None
    await caller.silence(0.4)
    t_end = await caller.speak(speech.phone_quality(speech.synth_speech(text, "piper")))
    return caller, t_end


def _session(server, caller: SimulatedCaller):
    return server.board.calls[caller.call_id]


async def test_dialogue_crash_gives_a_safe_fallback(server, speech, monkeypatch):
    def broken(self, text, decision=None):
        raise RuntimeError("injected: dialogue failure")

    monkeypatch.setattr(DialogueManager, "respond", broken)
    caller, t_end = await _call(server, speech, EVERYDAY)
    try:
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "fallback", within=3.0)
        await caller.silence(0.3)
        assert not caller.ended.is_set()  # the call goes on
    finally:
        await caller.hangup()
    assert reply is not None and reply["text"] == fallback.SORRY_AGAIN and is_safe(reply["text"])
    ended = await caller.wait_event("call.ended", within=3.0)
    assert ended is not None and ended["reason"] == "hangup"


async def test_risk_crash_on_a_final_turn_offers_a_person(server, speech, monkeypatch):
    def broken(text):
        raise RuntimeError("injected: risk model failure")

    monkeypatch.setattr(server.board, "assess", broken)
    caller, t_end = await _call(server, speech, EVERYDAY)
    try:
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
        level = _session(server, caller).risk_state.level
    finally:
        await caller.hangup()
    assert reply is not None, [e["event"] for e in caller.events]
    text = reply["text"].lower()
    # Fail safe: we cannot tell how the caller is, so the line offers a person and the crisis line.
    assert "person" in text and _says_crisis(text), text
    assert is_safe(text)
    assert str(level) == "none"  # the level is kept (nothing assessed it), not invented
    assert not [e for e in caller.events if e["event"] == "risk.assessed" and e.get("final")]


async def test_tts_failure_mid_reply_the_call_goes_on(server, speech, monkeypatch):
    synth = server.board.synthesizer
    real_stream = synth.stream
    failed: list[str] = []

    async def flaky(text):
        # The voice fails on the greeting's second sentence (the disclosure), in the middle of the reply.
        if "automated assistant" in text.lower():
            failed.append(text)
            raise RuntimeError("injected: TTS failure")
        async for chunk in real_stream(text):
            yield chunk

    monkeypatch.setattr(synth, "stream", flaky)
    caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550103333")
    await caller.connect()
    try:
        await caller.silence(6.0)  # past the failed sentence and its stand-in, into the rest
        t_first = caller.first_audio_after(0.0)
        t_speak = caller.now()
        t_end = await caller.speak(speech.phone_quality(speech.synth_speech("Yes, that's okay.", "piper")))
        greeting = await caller.wait_event("call.reply", lambda e: e.get("source") == "greeting", within=3.0)
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None  # the next turn is answered
        answer = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
    finally:
        await caller.hangup()
    assert failed, "the injected fault never fired"
    assert greeting is not None and answer is not None and answer["text"]
    # The failed sentence was replaced by the cached stand-in; what came after it was still said.
    said = greeting.get("full_text") or greeting["text"]  # all of it; "text" is what played before barge-in
    assert fallback.SENTENCE_LOST in greeting["text"], greeting
    assert "automated assistant" not in said.lower()
    assert "person" in said.lower() and _says_crisis(said), said
    # No hole where the sentence failed: the line kept talking until the caller took the floor.
    assert t_first is not None and _longest_silence(caller, t_first, t_speak) < 1.0


async def _keep_open_until(caller: SimulatedCaller, pred, within: float) -> dict | None:
    """Keep the line open (real-time silence) until a ``call.reply`` matching ``pred`` has arrived (it
    comes once the line has finished saying it, or it was cut short), at most ``within`` seconds."""
    t_stop = caller.now() + within
    while True:
        hit = next((e for e in caller.events if e["event"] == "call.reply" and pred(e)), None)
        if hit is not None or caller.now() >= t_stop:
            return hit
        await caller.silence(0.1)


async def _assert_kept_company(caller: SimulatedCaller, since: float, seconds: float) -> list[dict]:
    t0 = caller.now()
    await caller.keep_line_open(seconds)
    assert not caller.ended.is_set(), "the line hung up on an escalated caller"
    gap = _longest_silence(caller, t0, caller.now() - 0.5)
    assert gap < 9.0, f"the caller was left in silence for {gap:.1f} s"
    return _replies(caller, since)


async def test_transfer_start_failure_keeps_the_caller_company(server, speech, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("injected: transfer manager failure")

    monkeypatch.setattr(server.board.transfers, "start", broken)
    caller, t_end = await _call(server, speech, HIGH_RISK)
    try:
        opened = await caller.wait_event("escalation.opened", within=8.0)
        t_first = caller.first_audio_after(t_end)
        while t_first is None and caller.now() < t_end + 8.0:
            await caller.silence(0.1)
            t_first = caller.first_audio_after(t_end)
        await _assert_kept_company(caller, t_end, 12.0)
        # The caller speaks while the line keeps company: they are answered, not ignored.
        t_spoke = await caller.speak(speech.phone_quality(speech.synth_speech("I'm still here.", "piper")))
        assert await caller.wait_reply(t_spoke, start_timeout=6.0) is not None
    finally:
        await caller.hangup()
    assert opened is not None and opened.get("error") == "transfer_start_failed" and opened["level"] == "high"
    # Told at once (no waiting for a silence) that a person is being sought, with the crisis line.
    assert t_first is not None and t_first - t_end < 4.0, (t_end, t_first)
    replies = _replies(caller, t_end)
    company = [e for e in replies if e.get("source") == "fallback"]
    assert len(company) >= 3, [e["text"] for e in replies]  # the first line, check-ins, the answer
    first = company[0]
    assert "person" in first["text"] and _says_crisis(first["text"]), first
    assert all(is_safe(e["text"]) for e in replies)
    heard = [e for e in _replies(caller, t_spoke) if e.get("source") == "fallback"]
    assert heard and heard[0]["text"].startswith("I hear you"), [e["text"] for e in heard]
    ended = await caller.wait_event("call.ended", within=3.0)
    assert ended is not None and ended["reason"] == "hangup"  # the caller ended it, not the line


@pytest.mark.parametrize("where", ["task", "machine"])
async def test_transfer_dying_keeps_the_caller_company(server, speech, monkeypatch, where):
    """``task``: the transfer's task itself dies (the call loop notices, tells the console and takes
    over); ``machine``: the state machine raises inside (the transfer's own last resort keeps company)."""

    async def broken(self):
        raise RuntimeError("injected: transfer task failure")

    monkeypatch.setattr(Transfer, "run" if where == "task" else "_run", broken)
    caller, t_end = await _call(server, speech, HIGH_RISK, protocol="twilio")
    try:
        opened = await caller.wait_event("escalation.opened", within=8.0)
        await _assert_kept_company(caller, t_end, 10.0)
        # The first line (with the crisis line) starts once the caller's turn is over, not over their
        # last words, and is ~9 s long: it may still be playing. It is heard in full, never cut short.
        crisis = await _keep_open_until(caller, lambda e: e["rx_s"] >= t_end and _says_crisis(e["text"]), 8.0)
        replies = _replies(caller, t_end)
    finally:
        await caller.hangup()
    assert opened is not None and opened["level"] == "high" and not opened.get("error")
    texts = [e["text"] for e in replies]
    assert crisis is not None and not crisis.get("interrupted"), texts
    assert any(_says_crisis(t) for t in texts), texts
    assert any("person" in t.lower() or "someone" in t.lower() for t in texts), texts
    assert all(is_safe(t) for t in texts)
    if where == "task":
        # a later risky turn may open another escalation once the loop has taken over: match this one's id
        failed = await caller.wait_event(
            "transfer.failed",
            lambda e: e.get("reason") == "transfer_failed" and e.get("escalation_id") == opened["escalation_id"],
        )
        assert failed is not None
        assert any(e.get("source") == "fallback" for e in replies)
    ended = await caller.wait_event("call.ended", within=3.0)
    assert ended is not None and ended["reason"] == "hangup"


def _mid_sentence_risk(speech, more: str, pause_ms: int = 0):
    """A risky sentence that escalates on a partial transcript, then ``more`` words of the same turn
    after a ``pause_ms`` hesitation (shorter than any pause that ends a turn)."""
    first = speech.trim_silence(speech.synth_speech("I have a plan to kill myself tonight,", "piper"))
    rest = speech.trim_silence(speech.synth_speech(more, "piper"))
    return speech.phone_quality(speech.concat(first, speech.silence(pause_ms), rest, speech.silence(200)))


async def _greeted_caller(server) -> SimulatedCaller:
    """A caller who has heard the greeting to its end (so any audio after this is the line's answer)."""
    caller = SimulatedCaller(server.url, protocol="pcm", caller="+15550105555")
    await caller.connect()
    assert await caller.wait_event("call.started", within=5.0) is not None
    assert await caller.wait_reply(0.0, start_timeout=6.0) is not None
    await caller.silence(0.3)
    return caller


async def test_transfer_words_wait_for_a_caller_mid_sentence(server, speech):
    """The escalation opens on a partial transcript while the caller is still talking (and pausing
    mid-sentence). The transfer's first words wait for the caller's turn to end, as a reply would: the
    line never talks over them; then they are said at once, in full."""
    audio = _mid_sentence_risk(speech, "and I don't know what else to do.", pause_ms=250)
    caller = await _greeted_caller(server)
    try:
        t_start = caller.now()
        t_spoke = await caller.speak(audio)
        t_end = t_start + len(audio) / 16000  # the caller's last word (then 200 ms of silence)
        opened = await caller.wait_event("escalation.opened", within=8.0)
        words = await _keep_open_until(caller, lambda e: e.get("source") == "transfer", 15.0)
        t_first = caller.first_audio_after(t_start)
    finally:
        await caller.hangup()
    assert opened is not None and opened["level"] == "high"
    # Precondition: the escalation opened mid-turn, well before the caller had finished.
    assert opened["rx_s"] < t_end - 1.0, (opened["rx_s"], t_end)
    assert words is not None, [e["event"] for e in caller.events]
    assert holdtalk.BRIDGING.split(".")[0] in words["text"] and not words.get("interrupted"), words
    # Nothing from the line while the caller spoke; the words came once the turn was over.
    assert t_first is not None and t_first > t_end, (t_start, t_end, opened["rx_s"], t_first)
    assert t_first - t_spoke < 3.0, (t_spoke, t_first)


async def test_transfer_words_do_not_wait_long_for_a_caller_who_keeps_talking(server, speech):
    """A caller in crisis who keeps talking is not left without the line's words for long: after
    ``SAY_WAIT_S`` the transfer speaks anyway."""
    more = ("and I have been thinking about it for weeks and nobody knows about it and I am so tired "
            "of pretending to everyone that everything is fine all the time")
    audio = _mid_sentence_risk(speech, more)
    caller = await _greeted_caller(server)
    try:
        t_start = caller.now()
        await caller.speak(audio)
        t_end = t_start + len(audio) / 16000
        opened = await caller.wait_event("escalation.opened", within=8.0)
        words = await _keep_open_until(caller, lambda e: e.get("source") == "transfer", 15.0)
        t_first = caller.first_audio_after(t_start)
    finally:
        await caller.hangup()
    assert opened is not None and words is not None
    assert opened["rx_s"] + SAY_WAIT_S + 0.5 < t_end, "the caller did not keep talking past the wait"
    assert t_first is not None and t_first < t_end, (opened["rx_s"], t_first, t_end)
    assert t_first - opened["rx_s"] < SAY_WAIT_S + 1.0, (opened["rx_s"], t_first)


async def test_transfer_words_never_cut_the_lines_own_safety_message(server, speech, monkeypatch):
    """The transfer's words arrive while the line is giving its own safety message (the company line
    with the crisis line, after the transfer could not start): they queue behind it; it is not cut."""

    async def broken(*args, **kwargs):
        raise RuntimeError("injected: transfer manager failure")

    monkeypatch.setattr(server.board.transfers, "start", broken)
    caller, t_end = await _call(server, speech, HIGH_RISK)
    try:
        while caller.first_audio_after(t_end) is None and caller.now() < t_end + 8.0:
            await caller.silence(0.1)
        session = _session(server, caller)
        assert session.speaker.current is not None and session.speaker.current.protected
        loop = next(iter(session._tasks)).get_loop()
        said = asyncio.run_coroutine_threadsafe(session.say(holdtalk.RETRYING), loop)
        words = await _keep_open_until(caller, lambda e: e.get("source") == "transfer", 20.0)
        said.result(timeout=5.0)
    finally:
        await caller.hangup()
    replies = _replies(caller, t_end)
    first = next(e for e in replies if e.get("source") == "fallback")
    assert not first.get("interrupted") and _says_crisis(first["text"]), first
    assert words is not None and words["text"] == holdtalk.RETRYING and not words.get("interrupted"), words
    assert replies.index(first) < replies.index(words)


@pytest.mark.parametrize("escalated", [True, False], ids=["escalated", "not-escalated"])
async def test_a_failed_call_task(server, speech, escalated):
    """The call's reply task dies. An escalated caller stays on the line with company; anyone else hears
    a safe goodbye with the crisis line before the line ends the call."""
    caller, t_end = await _call(server, speech, HIGH_RISK if escalated else EVERYDAY)
    try:
        if escalated:
            assert await caller.wait_event("escalation.opened", within=8.0) is not None
        while caller.first_audio_after(t_end) is None and caller.now() < t_end + 8.0:
            await caller.silence(0.1)  # the line has started answering: break it now
        session = _session(server, caller)

        async def boom():
            raise RuntimeError("injected: reply task failure")

        session._replies.get = boom  # the reply loop's next poll raises (and every restart's)
        t_fault = caller.now()
        if escalated:
            replies = await _assert_kept_company(caller, t_fault, 8.0)
            assert caller.call_id in server.board.calls
        else:
            await caller.keep_line_open(1.0)
            ended = await caller.wait_event("call.ended", within=12.0)
    finally:
        await caller.hangup()
    if escalated:
        assert replies and all(is_safe(e["text"]) for e in replies)
        ended = await caller.wait_event("call.ended", within=3.0)
        assert ended is not None and ended["reason"] == "hangup"
    else:
        assert ended is not None and ended["reason"] == "error"
        goodbye = [e for e in _replies(caller, t_fault) if e.get("source") == "error"]
        assert goodbye and goodbye[0]["text"] == fallback.fill(fallback.ERROR_GOODBYE, "988")


async def test_an_escalated_caller_is_not_hung_up_after_a_goodbye(server, speech, monkeypatch):
    """No transfer service (or none left): the dialogue says goodbye to a high-risk caller; the line must
    still leave the hanging up to the caller."""
    from dialogue.types import Reply

    monkeypatch.delitem(server.board.runtime.services, "transfers")

    def goodbye(self, text, decision=None):
        return Reply(parts=["Thank you for calling. If things feel urgent, call 988. Take care."], end_call=True)

    monkeypatch.setattr(DialogueManager, "respond", goodbye)
    caller, t_end = await _call(server, speech, HIGH_RISK)
    try:
        assert await caller.wait_reply(t_end, start_timeout=8.0) is not None
        reply = await caller.wait_event("call.reply", lambda e: e.get("source") == "turn", within=3.0)
        await caller.keep_line_open(2.0)
        assert not caller.ended.is_set() and caller.call_id in server.board.calls
    finally:
        await caller.hangup()
    assert reply is not None and "Take care" in reply["text"]
    ended = await caller.wait_event("call.ended", within=3.0)
    assert ended is not None and ended["reason"] == "hangup"


async def test_server_still_healthy_after_faults(server):
    assert server.wait_no_calls()
    caller = SimulatedCaller(server.url, protocol="pcm")
    await caller.connect()
    try:
        assert await caller.wait_event("call.started", within=5.0) is not None
        await asyncio.sleep(0)
    finally:
        await caller.hangup()
