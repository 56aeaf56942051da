"""The warm-transfer state machine on simulated time, with a double of our own CallerLink."""

from __future__ import annotations

import asyncio

from safety.bus import (
    ESCALATION_OPENED,
    ESCALATION_RESOLVED,
    TRANSFER_CONNECTED,
    TRANSFER_FAILED,
    TRANSFER_RINGING,
)
from safety.transfer import holdtalk
from safety.transfer.clock import SimClock
from safety.transfer.machine import TRANSFER_STEP, State
from safety.types import Action, Level
from tests.safety.transfer_doubles import FakeLink, drain, high_risk, make_manager, run_until


def gaps(link: FakeLink, until: float) -> list[float]:
    """Silences the caller sat through: from the end of one line to the start of the next."""
    out, last_end = [], 0.0
    for start, end, _ in link.said:
        out.append(start - last_end)
        last_end = end
    out.append(0.0 if link.speaking_since is not None else until - last_end)
    return out


async def test_nobody_answers_for_three_minutes_caller_kept_company_never_hung_up():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    sub = runtime.bus.subscribe()
    link = FakeLink(clock)
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    assert esc_id and manager.is_active(link.call_id)

    await run_until(clock, 180.0)

    # still there, still in charge of the line, never hung up
    assert manager.is_active(link.call_id)
    assert link.active and link.hangups == 0
    assert not any(c for _, c in link.human_connected)
    # the caller first hears that a person is coming and the line stays
    assert link.said[0][0] == 0.0 and "bringing in a person" in link.said[0][2]
    # never more than about five seconds of silence, over three whole minutes
    assert max(gaps(link, clock.now())) <= 5.0, gaps(link, clock.now())
    texts = [t for _, _, t in link.said]
    # the crisis line was offered (a web caller: we cannot dial it, so we give it), then safety planning
    assert any("9 8 8" in t for t in texts)
    assert any(t in holdtalk.SAFETY_PLAN for t in texts)
    assert holdtalk.ALL_BUSY in texts
    # company is varied, never the same line twice in a row, and never music (only words were played)
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False))
    assert len(set(texts)) >= 8
    # it kept retrying: the console rang more than once
    events = drain(sub)
    rings = [e for e in events if e.name == TRANSFER_RINGING]
    assert len(rings) >= 2 and [e.data["attempt"] for e in rings] == list(range(1, len(rings) + 1))
    assert all(e.data["reason"] == "timeout" for e in events if e.name == TRANSFER_FAILED)
    steps = [e.data["step"] for e in events if e.name == TRANSFER_STEP]
    assert steps[:3] == ["announced", "crisis_line_given", "safety_planning"]
    assert [e.name for e in events[:3]] == [ESCALATION_OPENED, TRANSFER_RINGING, TRANSFER_STEP]
    assert "retry" in steps
    assert events[0].name == ESCALATION_OPENED
    esc = manager.get(esc_id)
    assert esc.waiting and esc.state in (State.RINGING, State.HOLDING)
    assert "safety-planning" in " ".join(esc.brief.done)
    board = manager.wallboard(active_calls=1)
    assert board["waiting"] == 1 and board["answered"] == 0 and board["median_answer_s"] is None

    await manager.on_call_ended(link.call_id)
    link.hang_up_by_caller()


async def test_escalation_opened_at_once_with_quotes():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    sub = runtime.bus.subscribe([ESCALATION_OPENED])
    link = FakeLink(clock)
    decision, risk = high_risk()
    esc_id = await manager.start(link, decision, risk)
    ev = sub.queue.get_nowait()  # published before start() returned
    assert ev.data["escalation_id"] == esc_id and ev.call_id == link.call_id
    assert ev.data["level"] == "high" and ev.data["kind"] == "suicide" and ev.data["action"] == "warm_transfer"
    assert ev.data["signals"] == ["intent", "plan"]
    assert ev.data["quotes"][0][1] == "I have a plan to end it tonight"
    # starting again for the same call does not open a second escalation
    assert await manager.start(link, decision, risk) == esc_id
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_operator_accepts_while_console_rings():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    sub = runtime.bus.subscribe()
    link = FakeLink(clock)
    esc_id = await manager.start(link, *high_risk())
    clock.at(12.0, lambda: asyncio.ensure_future(manager.accept(esc_id, "alice")))
    await run_until(clock, 40.0, cond=lambda: manager.get(esc_id).connected_at is not None)
    await run_until(clock, clock.now() + 10)
    esc = manager.get(esc_id)
    assert esc.state == State.CONNECTED and esc.operator == "alice" and esc.connected_via == "console"
    assert 12.0 <= esc.connected_at - esc.opened_at < 20.0
    assert link.human_connected and link.human_connected[-1][1] is True
    assert holdtalk.CONNECTED in [t for _, _, t in link.said]
    n_said = len(link.said)
    await run_until(clock, clock.now() + 30)
    assert len(link.said) == n_said  # the line falls silent while the human talks
    events = drain(sub)
    connected = [e for e in events if e.name == TRANSFER_CONNECTED]
    assert connected and connected[0].data == {"escalation_id": esc_id, "target": "console", "operator": "alice"}
    steps = [e.data.get("step") for e in events if e.name == TRANSFER_STEP]
    assert "acknowledged" in steps and "accepted" in steps
    # a second operator cannot take it
    try:
        await manager.accept(esc_id, "bob")
        raise AssertionError("expected a conflict")
    except Exception as exc:  # EscalationError
        assert getattr(exc, "status", None) == 409
    # resolve: the human leaves, the line says so and gives the call back to the dialogue
    await manager.resolve(esc_id, "safe_plan", "agreed to call sister", "alice")
    await run_until(clock, clock.now() + 20, cond=lambda: link.said[-1][2] == holdtalk.HUMAN_LEFT)
    assert link.human_connected[-1][1] is False
    assert not manager.is_active(link.call_id)
    resolved = [e for e in drain(sub) if e.name == ESCALATION_RESOLVED]
    assert resolved[0].data == {"escalation_id": esc_id, "outcome": "safe_plan",
                                "notes": "agreed to call sister", "operator": "alice"}
    board = manager.wallboard(active_calls=1)
    assert board["answered"] == 1 and board["waiting"] == 0 and 12 <= board["median_answer_s"] < 20
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_operator_accepting_during_safety_planning_is_connected_at_once():
    clock = SimClock()
    manager, runtime = make_manager(clock, transfer_ring_timeout_s=10.0)
    link = FakeLink(clock)
    esc_id = await manager.start(link, *high_risk())
    clock.at(70.0, lambda: asyncio.ensure_future(manager.accept(esc_id, "carol")))
    await run_until(clock, 120.0, cond=lambda: manager.get(esc_id).connected_at is not None)
    esc = manager.get(esc_id)
    assert esc.operator == "carol" and esc.connected_at is not None
    assert any(s["step"] == "safety_planning" for s in esc.steps)
    assert esc.connected_at - esc.opened_at < 70.0 + 15.0  # at most one line finishing first
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_imminent_gets_emergency_guidance_first_and_caller_turns_are_acknowledged():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    link = FakeLink(clock)
    decision, risk = high_risk(Level.IMMINENT, Action.EMERGENCY_GUIDANCE)
    esc_id = await manager.start(link, decision, risk)
    await run_until(clock, 30.0, cond=lambda: bool(link.said))
    first = link.said[0][2]
    assert first.startswith("If you are in danger right now") and "911" in first and "bringing in a person" in first
    assert "emergency guidance" in manager.get(esc_id).brief.done[0]

    def caller_says() -> None:
        link.caller_speaks()
        asyncio.ensure_future(manager.on_caller_turn(link.call_id, "i don't know if anyone will come", decision))

    clock.at(35.0, caller_says)
    await run_until(clock, 60.0)
    assert any(t in holdtalk.CALLER_SPOKE for _, _, t in link.said)
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_caller_hanging_up_while_it_rings_counts_as_abandoned():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    sub = runtime.bus.subscribe()
    link = FakeLink(clock)
    esc_id = await manager.start(link, *high_risk())
    await run_until(clock, 15.0)
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)
    esc = manager.get(esc_id)
    assert esc.state == State.CALLER_LEFT and esc.abandoned and not manager.is_active(link.call_id)
    events = drain(sub)
    failed = [e for e in events if e.name == TRANSFER_FAILED]
    assert failed and failed[-1].data["reason"] == "caller_left"
    assert manager.wallboard(active_calls=0)["abandoned"] == 1
    # still listed for an operator to resolve
    assert [e.id for e in manager.queue()] == [esc_id]


async def test_phone_target_on_a_web_call_is_skipped_then_console():
    clock = SimClock()
    manager, runtime = make_manager(clock, human_line="+15550001111,console")
    sub = runtime.bus.subscribe([TRANSFER_RINGING, TRANSFER_FAILED])
    link = FakeLink(clock)
    await manager.start(link, *high_risk())
    await run_until(clock, 5.0)
    events = drain(sub)
    assert events[0].name == TRANSFER_FAILED and events[0].data["reason"] == "no-adapter"
    assert events[1].name == TRANSFER_RINGING and events[1].data["target"] == "console"
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_queue_orders_by_risk_then_waiting_time():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    a, b, c = (FakeLink(clock, call_id=f"c{i}") for i in range(3))
    id_a = await manager.start(a, *high_risk(Level.HIGH))
    clock.advance(1)
    id_b = await manager.start(b, *high_risk(Level.IMMINENT, Action.EMERGENCY_GUIDANCE))
    clock.advance(1)
    id_c = await manager.start(c, *high_risk(Level.HIGH))
    assert [e.id for e in manager.queue()] == [id_b, id_a, id_c]
    for link in (a, b, c):
        link.hang_up_by_caller()
        await manager.on_call_ended(link.call_id)


async def test_final_words_of_the_triggering_turn_replace_the_partial_in_the_brief():
    clock = SimClock()
    manager, runtime = make_manager(clock)
    link = FakeLink(clock)
    decision, risk = high_risk()
    risk.evidence = [(SimClock.EPOCH, "I have a plan to come", "high", ("plan",))]  # a misheard partial
    esc_id = await manager.start(link, decision, risk)
    await manager.on_caller_turn(link.call_id, "I have a plan to kill myself tonight.", decision)
    await run_until(clock, 20.0)
    esc = manager.get(esc_id)
    assert esc.brief.quotes[-1].text == "I have a plan to kill myself tonight."
    assert "I have a plan to kill myself tonight." in esc.brief.text()
    assert not any(t in holdtalk.CALLER_SPOKE for _, _, t in link.said)  # the bridging words answer it
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_after_a_person_resolves_the_same_level_offers_a_human_instead_of_re_ringing():
    from safety.escalation import CallRiskState
    from safety.risk import assess

    clock = SimClock()
    manager, runtime = make_manager(clock)
    link = FakeLink(clock)
    risk = CallRiskState(runtime.settings)
    decision = risk.update(assess("i have a plan to kill myself tonight"))
    assert decision.action == Action.WARM_TRANSFER
    esc_id = await manager.start(link, decision, risk)
    clock.at(5.0, lambda: asyncio.ensure_future(manager.accept(esc_id, "alice")))
    await run_until(clock, 30.0, cond=lambda: manager.get(esc_id).connected_at is not None)
    await manager.resolve(esc_id, "safe_plan", "agreed a plan", "alice")
    await run_until(clock, clock.now() + 20, cond=lambda: not manager.is_active(link.call_id))
    # The flag stays high, but another turn at that level is a strong offer, not a new escalation.
    again = risk.update(assess("i still think about it, i do have a plan"))
    assert again.level == Level.HIGH and again.action == Action.OFFER_HUMAN
    # Something worse than what the person handled transfers again.
    worse = risk.update(assess("i have taken all the pills just now"))
    assert worse.level == Level.IMMINENT and worse.action == Action.EMERGENCY_GUIDANCE
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)


async def test_last_resort_says_the_crisis_line_again_when_the_caller_spoke_over_it(monkeypatch):
    """The transfer broke: the crisis line comes first, then company with it every fourth line. A
    caller who talks over it (a barge-in cuts it short on a real call) hears it again straight after
    the acknowledgement, not four lines later."""
    from safety.transfer.machine import Transfer

    async def broken(self):
        raise RuntimeError("injected: transfer failure")

    monkeypatch.setattr(Transfer, "_run", broken)
    clock = SimClock()
    manager, runtime = make_manager(clock)
    link = FakeLink(clock)
    decision, risk = high_risk()

    def caller_talks_over_it() -> None:  # 2 s into the first line (simulated time)
        assert link.speaking_since is not None
        link.caller_speaks()
        manager.transfer_for_call(link.call_id).caller_turn("what was that number", decision)

    clock.at(2.0, caller_talks_over_it)
    await manager.start(link, decision, risk)
    await run_until(clock, 60.0)
    said = [t for _, _, t in link.said]
    crisis = [i for i, t in enumerate(said) if t.startswith("I'm still here with you") and "9 8 8" in t]
    assert crisis[:1] == [0], said
    ack = next(i for i, t in enumerate(said) if t in holdtalk.CALLER_SPOKE)
    assert ack == 1 and crisis[1] == 2, said  # acknowledged, then the number again at once
    # and then company, with the crisis line back on its every-fourth-line rhythm
    assert said[3] not in holdtalk.CALLER_SPOKE and not said[3].startswith("I'm still here with you"), said
    link.hang_up_by_caller()
    await manager.on_call_ended(link.call_id)
