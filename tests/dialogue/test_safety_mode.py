"""Safety mode: the dialogue follows the safety layer's Decision; it never judges risk itself."""

from __future__ import annotations

from dialogue.manager import DialogueManager
from dialogue.phrasing import check_reply
from dialogue.types import Pause
from safety.escalation import CallRiskState
from safety.risk import assess
from tests.dialogue.conftest import decision

LOW = decision("check_in", "low", "suicide", raised=True)
MODERATE = decision("offer_human", "moderate", "suicide", raised=True)


def test_check_in_asks_cssrs_follow_ups_one_at_a_time_and_offers_a_person(convo):
    c = convo(seed=1)
    c.say("yes")
    r = c.say("sometimes i wish i could just disappear", LOW)
    assert r.state == "safety" and "person" in r.text and "thoughts of ending your life" in r.text
    assert r.text.count("?") == 1
    r = c.say("yeah sometimes", LOW)
    assert "thought about how" in r.text
    r = c.say("yes", LOW)
    assert "intention of acting" in r.text
    r = c.say("no", LOW)  # a yes to "how" still gets the strong offer of a person
    assert "talk with a person" in r.text and "Shall I get someone" in r.text
    r = c.say("yes please", LOW)
    assert r.wants_human and r.state == "transfer"
    c.assert_spoken_ok()


def test_check_in_no_keeps_the_door_open_and_carries_on(convo):
    c = convo(seed=2)
    c.say("yes")
    c.say("i feel like whats the point", LOW)
    r = c.say("no not like that", LOW)
    assert "nine eight eight" in r.text and "person" in r.text and r.state == "checkin"
    # the same call-level decision on later turns does not restart the check-in
    r = c.say("work has just been relentless", LOW)
    assert r.state == "mood" and r.meta["reflect"]
    c.assert_spoken_ok()


def test_check_in_for_self_harm_asks_about_safety_now(convo):
    c = convo(seed=3)
    c.say("yes")
    r = c.say("i've been hurting myself again", decision("check_in", "low", "self_harm"))
    assert "safe right now" in r.text and "person" in r.text
    r = c.say("i'm not sure", decision("check_in", "low", "self_harm"))
    assert "talk with a person" in r.text


def test_offer_human_then_stanley_brown_safety_plan(convo):
    c = convo(seed=4)
    c.say("yes")
    r = c.say("i've thought about how i'd do it", MODERATE)
    assert "person" in r.text and "nine eight eight" in r.text and r.text.endswith("?")
    answers = ["no not yet", "when i stop answering my phone", "going for a run", "my friend's flat",
               "my sister", "i see a gp", "yes my flatmate could"]
    seen = []
    for a in answers:
        r = c.say(a, MODERATE)
        seen.append(r.text)
        assert r.text.count("?") <= 1
    joined = " ".join(seen).lower()
    for step in ("signs", "on your own", "take your mind off", "ask for help", "doctor or a service", "safer"):
        assert step in joined, step
    assert "your sister" in seen[-1] and "bring in a person" in seen[-1]
    r = c.say("yes", MODERATE)
    assert r.wants_human
    c.assert_spoken_ok()


def test_warm_transfer_and_emergency_bring_a_person_in(convo):
    for action, level in (("warm_transfer", "high"), ("emergency_guidance", "imminent")):
        c = convo(seed=5)
        c.say("yes")
        d = decision(action, level, "suicide", raised=True)
        r = c.say("i've decided to do it tonight", d)
        assert r.wants_human and r.state == "transfer" and "person" in r.text and "stay on the line" in r.text
        r = c.say("okay", d)
        assert not r.end_call and r.state == "transfer"
        r = c.say("bye", d)
        assert not r.end_call and "nine eight eight" in r.text  # never drops the caller
        c.assert_spoken_ok()


def test_safety_outranks_a_goodbye(convo):
    c = convo(seed=6)
    c.say("yes")
    r = c.say("i want to end it all goodbye", decision("offer_human", "moderate", "suicide", raised=True))
    assert not r.end_call and "person" in r.text


def test_walked_back_is_a_gentle_check_that_keeps_the_door_open(convo):
    c = convo(seed=7)
    c.say("yes")
    c.say("i wish i was dead", LOW)
    r = c.say("just kidding i didnt mean it", decision("check_in", "low", "suicide", walked_back=True))
    assert r.meta["safety"] == "walked_back"
    assert "nine eight eight" in r.text and "person" in r.text and r.text.endswith("?")
    c.assert_spoken_ok()


def test_hold_talk_is_varied_and_sometimes_paced():
    m = DialogueManager(seed=8)
    lines = [m.hold_talk() for _ in range(40)]
    texts = [r.text for r in lines]
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False))
    assert len(set(texts)) >= 5
    assert any(isinstance(p, Pause) for r in lines for p in r.parts)
    assert all(check_reply(t) == [] for t in texts)


def test_with_the_real_safety_layer():
    """The order the call loop uses: assess -> CallRiskState.update -> respond."""
    m = DialogueManager(seed=9)
    risk = CallRiskState()
    m.greeting()

    def turn(text):
        d = risk.update(assess(text))
        return m.respond(text, d), d

    r, d = turn("yes")
    assert d.action.value == "continue"
    r, d = turn("sometimes i wish i wasnt here")
    assert d.action.value == "check_in" and r.state == "safety" and "person" in r.text
    r, d = turn("i have the pills in my hand right now")
    assert d.action.value in ("warm_transfer", "emergency_guidance")
    assert r.wants_human and r.state == "transfer"
    r, d = turn("just kidding")
    assert d.level.value in ("high", "imminent")  # stays flagged
    assert r.state == "transfer" and not r.end_call
    assert check_reply(r.text) == []
