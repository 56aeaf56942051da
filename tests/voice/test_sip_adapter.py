"""The SIP human-line adapter (safety/transfer/adapters/sip.py) inside the real transfer state machine,
on simulated time, with doubles of OUR OWN interfaces only: the CallerLink (tests/safety/transfer_doubles)
and the dialer protocol the SIP stack registers as ``runtime.services["sip_dialer"]``. The real SIP
stack and real phones are in test_sip_e2e.py; these cover the paths a phone test cannot make cheaply:
busy and failing targets, a person who hangs up after being connected."""

from __future__ import annotations

import asyncio

from safety.bus import ESCALATION_RESOLVED, TRANSFER_CONNECTED, TRANSFER_FAILED
from safety.transfer.adapters import ANSWERED, BUSY, FAILED, NO_ANSWER
from safety.transfer.adapters.sip import HUMAN_LEFT_WORDS, SipAdapter, is_sip_uri, outcome_for
from safety.transfer.clock import SimClock
from safety.transfer.machine import State
from tests.safety.transfer_doubles import FakeLink, drain, high_risk, make_manager, run_until

FRAME = bytes(640)


class FakeHumanCall:
    def __init__(self) -> None:
        self.answered = asyncio.Event()
        self.ended = asyncio.Event()
        self.end_code = 0
        self.on_audio = None
        self.sent: list[bytes] = []
        self.said: list[str] = []
        self.hung_up = False

    @property
    def active(self) -> bool:
        return not self.ended.is_set()

    def send_audio(self, frame: bytes) -> None:
        self.sent.append(frame)

    async def say(self, text: str) -> None:
        self.said.append(text)
        await asyncio.sleep(0)

    async def hangup(self) -> None:
        self.hung_up = True
        if not self.ended.is_set():
            self.end_code = 200 if self.answered.is_set() else 487
            self.ended.set()

    def end(self, code: int) -> None:
        self.end_code = code
        self.ended.set()


class FakeDialer:
    """``behaviour[uri]`` is "answer" or a SIP status code the far end gives instead."""

    def __init__(self, behaviour: dict[str, object]) -> None:
        self.behaviour = behaviour
        self.calls: dict[str, FakeHumanCall] = {}

    async def dial(self, uri: str) -> FakeHumanCall:
        call = FakeHumanCall()
        self.calls[uri] = call
        what = self.behaviour[uri]
        loop = asyncio.get_running_loop()
        if what == "answer":
            loop.call_soon(call.answered.set)
        else:
            loop.call_soon(call.end, int(what))
        return call


def _setup(human_line: str, dialer: FakeDialer):
    clock = SimClock()
    manager, runtime = make_manager(clock, human_line=human_line)
    runtime.services["sip_dialer"] = dialer
    manager.register_adapter(SipAdapter(manager))
    return clock, manager, runtime


def test_targets_and_outcomes():
    assert is_sip_uri("sip:crisis@10.0.0.1:5060") and is_sip_uri("SIPS:team@pbx") and is_sip_uri("sip:2001@pbx")
    assert not is_sip_uri("+15551234567") and not is_sip_uri("console") and not is_sip_uri("sip:")
    assert outcome_for(486) == BUSY and outcome_for(603) == BUSY
    assert outcome_for(480) == NO_ANSWER and outcome_for(408) == NO_ANSWER
    assert outcome_for(503) == FAILED and outcome_for(404) == FAILED


async def test_busy_target_then_answer_brief_bridge_and_human_hangs_up():
    dialer = FakeDialer({"sip:busy@pbx": 486, "sip:team@pbx": "answer"})
    clock, manager, runtime = _setup("sip:busy@pbx,sip:team@pbx", dialer)
    sub = runtime.bus.subscribe()
    link = FakeLink(clock, transport="sip")
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    esc = manager.get(esc_id)
    await run_until(clock, 120.0, cond=lambda: esc.state == State.CONNECTED)
    assert esc.state == State.CONNECTED and esc.connected_via == "sip"

    events = drain(sub)
    failed = [e for e in events if e.name == TRANSFER_FAILED]
    assert [(e.data["target"], e.data["reason"]) for e in failed] == [("sip:busy@pbx", "sip-486")]
    assert any(e.name == TRANSFER_CONNECTED for e in events)
    team = dialer.calls["sip:team@pbx"]
    # the person heard the brief (with the caller's words) before being connected
    assert len(team.said) == 1 and "Warmline handoff" in team.said[0] and "I have a plan" in team.said[0]
    assert team.said[0].endswith("You are now connected to the caller.")
    assert dialer.calls["sip:busy@pbx"].ended.is_set()

    # audio is bridged inside Warmline, both ways, through the CallerLink
    assert len(link.listeners) == 1
    await link.listeners[0](FRAME)
    assert team.sent == [FRAME]
    team.on_audio(b"\x01" * 640)
    await run_until(clock, clock.now() + 1, cond=lambda: link.human_frames)
    assert link.human_frames == [b"\x01" * 640]
    assert link.human_connected[-1][1] is True

    # the person hangs up: the caller is told the line is still there, never hung up on
    team.end(200)
    await run_until(clock, clock.now() + 60, cond=lambda: esc.resolved_at is not None)
    assert esc.outcome == "human_hung_up"
    assert link.listeners == []
    assert link.human_connected[-1][1] is False
    assert link.said[-1][2] == HUMAN_LEFT_WORDS
    assert link.active and link.hangups == 0
    assert any(e.name == ESCALATION_RESOLVED for e in drain(sub))


async def test_caller_leaving_hangs_up_the_person_and_unanswered_targets_are_cancelled():
    dialer = FakeDialer({"sip:team@pbx": "answer"})
    clock, manager, _runtime = _setup("sip:team@pbx", dialer)
    link = FakeLink(clock, transport="twilio")  # a SIP human works for any caller transport
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    esc = manager.get(esc_id)
    await run_until(clock, 120.0, cond=lambda: esc.state == State.CONNECTED)
    team = dialer.calls["sip:team@pbx"]
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)
    await run_until(clock, clock.now() + 30, cond=lambda: team.hung_up)
    assert team.hung_up and link.listeners == []


async def test_no_dialer_means_the_target_is_skipped_not_stuck():
    clock = SimClock()
    manager, runtime = make_manager(clock, human_line="sip:team@pbx")
    manager.register_adapter(SipAdapter(manager))  # but the SIP line is not running
    link = FakeLink(clock, transport="twilio")
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    sub = runtime.bus.subscribe()
    await run_until(clock, 20.0)
    esc = manager.get(esc_id)
    assert esc.state != State.CONNECTED and link.active and link.hangups == 0
    assert any(s.get("reason") == "no-adapter" for s in esc.steps), esc.steps
    drain(sub)
    await manager.on_call_ended(link.call_id)
    link.hang_up_by_caller()


async def test_person_hanging_up_right_after_the_brief_does_not_leave_the_caller_in_silence():
    dialer = FakeDialer({"sip:team@pbx": "answer"})
    clock, manager, _runtime = _setup("sip:team@pbx", dialer)
    link = FakeLink(clock, transport="sip")
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    esc = manager.get(esc_id)
    transfer = manager.transfers[esc_id]
    await run_until(clock, 60.0, cond=lambda: transfer.attempt is not None and transfer.attempt.outcome == ANSWERED)
    dialer.calls["sip:team@pbx"].end(200)  # gone while the line tells the caller it is connecting
    await run_until(clock, clock.now() + 60, cond=lambda: esc.resolved_at is not None)
    assert esc.outcome == "human_hung_up"
    assert link.human_connected[-1][1] is False
    assert any(text == HUMAN_LEFT_WORDS for _, _, text in link.said)
    assert link.active and link.hangups == 0 and link.listeners == []
