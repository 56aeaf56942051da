"""Second-pass fixes: C-SSRS answers reach the call's risk level, transfer replies stay whole, walk-backs
during a transfer are acknowledged, and reflections read naturally when spoken."""

from __future__ import annotations

import io
import json

import pytest

from dialogue.chat import ChatSession, run_jsonl
from dialogue.manager import DialogueManager
from dialogue.phrasing import check_reply, own_words
from dialogue.safety_mode import HOLD_TALK
from dialogue.types import Pause
from safety.cssrs import answer_level, read_answer
from safety.escalation import CallRiskState
from safety.risk import assess
from safety.types import Action, Kind, Level
from tests.dialogue.conftest import decision


@pytest.mark.parametrize("text,reading", [
    ("yes", "yes"), ("yeah i have", "yes"), ("yes ive thought about how", "yes"), ("mm hmm", "yes"),
    ("kind of", "unsure"), ("kinda", "unsure"), ("i dont know", "unsure"), ("maybe", "unsure"),
    ("sort of yeah", "unsure"), ("not yet", "unsure"), ("no but sometimes", "unsure"),
    ("i'd rather not say", "unsure"), ("it's been getting worse", "unsure"),
    ("no", "no"), ("nope", "no"), ("not really", "no"), ("no i haven't", "no"), ("no not like that", "no"),
    ("um no never", "no"), ("i don't think so", "no"),
    ("", "none"), ("um", "none"), ("say that again", "none"), ("what do you mean", "none"),
])
def test_yes_no_reading_counts_unsure_as_yes_for_safety(text, reading):
    assert read_answer(text) == reading


@pytest.mark.parametrize("question,level", [
    ("cssrs:ideation", Level.LOW), ("cssrs:method", Level.MODERATE), ("cssrs:intent", Level.HIGH),
    ("cssrs:plan", Level.HIGH), ("cssrs:preparation", Level.HIGH), ("cssrs:attempt_recent", Level.HIGH),
    ("cssrs:attempt", Level.MODERATE),
])
def test_a_bare_yes_to_a_cssrs_question_sets_its_level(question, level):
    risk = CallRiskState()
    d = risk.update(assess("yes"))
    assert d.level == Level.NONE  # the words alone carry nothing
    d = risk.answer(question, "yes", ts=100.0)
    assert d.level == level and d.kind == Kind.SUICIDE and d.raised
    assert f"{question}_yes" in d.signals
    assert risk.evidence[-1].text == "yes" and risk.evidence[-1].level == level
    assert d.quotes[-1] == (100.0, "yes")


def test_answers_never_lower_and_a_no_or_non_answer_changes_nothing():
    risk = CallRiskState()
    risk.update(assess("i dont want to be here anymore"))
    before = risk.level
    assert before == Level.LOW
    for q, text in (("cssrs:method", "no"), ("cssrs:intent", "not really"), ("cssrs:method", "say that again"),
                    ("cssrs:method", ""), ("cssrs:method", "just kidding"), ("cssrs:unknown", "yes")):
        risk.update(assess(text))  # as the call loop does: update, then the answer, for one final turn
        d = risk.answer(q, text)
        assert d.level == before and not d.raised, (q, text)
    d = risk.answer("cssrs:intent", "maybe")
    assert d.level == Level.HIGH and d.action == Action.WARM_TRANSFER and "cssrs:intent_unsure" in d.signals
    d = risk.answer("cssrs:ideation", "yes")  # a lower answer later keeps the call high
    assert d.level == Level.HIGH and "cssrs:ideation_yes" in d.signals


def test_are_you_safe_right_now_reads_no_as_the_risky_answer():
    for text, level in (("no", Level.MODERATE), ("i'm not sure", Level.MODERATE), ("not really safe", Level.MODERATE),
                        ("yes", Level.NONE), ("yeah i'm safe", Level.NONE), ("i'm okay", Level.NONE)):
        assert answer_level("safety:safe_now", text)[0] == level, text


def test_the_dialogue_marks_each_screening_question_it_asks(convo):
    c = convo(seed=1)
    c.say("yes")
    r = c.say("sometimes i wish i wasnt here", decision("check_in", "low", "suicide", raised=True))
    assert r.meta["asked"] == "cssrs:ideation" and c.m.asked == "cssrs:ideation"
    r = c.say("yes", decision("check_in", "low", "suicide"))
    assert r.meta["asked"] == "cssrs:method"
    r = c.say("say that again", decision("check_in", "low", "suicide"))
    assert r.meta["asked"] == "cssrs:method"  # asked again: still that question
    r = c.say("no", decision("check_in", "low", "suicide"))
    assert r.meta["asked"] == "cssrs:intent"
    r = c.say("no", decision("check_in", "low", "suicide"))
    assert "asked" not in r.meta and c.m.asked is None
    c2 = convo(seed=2)
    c2.say("yes")
    r = c2.say("i've been hurting myself again", decision("check_in", "low", "self_harm", raised=True))
    assert r.meta["asked"] == "safety:safe_now"


def _chat(lines: list[str], seed: int = 3) -> list[dict]:
    out = io.StringIO()
    run_jsonl(io.StringIO("\n".join(lines) + "\n"), out, seed=seed)
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_bare_answers_to_the_screener_raise_the_call_in_warmline_chat():
    rows = _chat(["yes", "honestly i dont want to be here anymore", "yes", "yeah i have", "kind of"])
    assert rows[2]["risk"]["level"] == "low" and rows[2]["action"] == "check_in"
    assert rows[3]["risk"]["level"] == "low"  # "yes" to thoughts of ending your life: low (already)
    # "yeah i have" to "have you thought about how": moderate, and the screener still asks about intent
    assert rows[4]["risk"]["level"] == "moderate" and rows[4]["action"] == "offer_human"
    assert "intention" in rows[4]["reply"] and "person" in rows[4]["reply"]
    # "kind of" to intent: high, a person is brought in
    assert rows[5]["risk"]["level"] == "high" and rows[5]["action"] == "warm_transfer"
    assert rows[5]["state"] == "transfer" and "person" in rows[5]["reply"]


def test_the_screener_answer_stays_recorded_after_a_walk_back():
    s = ChatSession(seed=1)
    s.greeting()
    for line in ("yes", "i wish i could disappear", "yes", "yes"):
        s.turn(line)
    assert s.risk.level == Level.MODERATE and "cssrs:method_yes" in s.risk.signals
    reply, level, _, _ = s.turn("just kidding")
    assert level == "moderate" and "person" in reply.text


SCRIPT = ["yes", "im feeling really low, i lost my job and i cant sleep", "maybe a three", "i just feel like a failure",
          "honestly i dont want to be here anymore", "yes ive thought about how", "ive been saving my pills",
          "just kidding", "okay", "are they coming", "hmm", "i dont know", "still here"]


def _has_whole_hold_talk(parts: list) -> bool:
    for line in HOLD_TALK:
        n = len(line)
        if any(parts[i:i + n] == line for i in range(len(parts) - n + 1)):
            return True
    return False


@pytest.mark.parametrize("seed", range(8))
def test_transfer_replies_keep_hold_talk_whole_with_its_pauses(seed):
    """Regression: "Let's breathe together while we wait. In, If we get cut off, ..." lost "and out."
    and both pauses, because only the first part of the hold-talk line was kept."""
    m = DialogueManager(seed=seed)
    risk = CallRiskState()
    m.greeting()
    replies = []
    for line in SCRIPT:
        asked = m.asked
        d = risk.update(assess(line))
        if asked:
            d = risk.answer(asked, line)
        replies.append(m.respond(line, d))
    assert risk.level >= Level.HIGH
    tx = [r for r in replies if r.state == "transfer"]
    assert len(tx) >= 5
    for r in tx[1:]:
        assert not r.end_call and check_reply(r.text) == []
        if r.meta.get("safety") == "transfer":
            assert _has_whole_hold_talk(r.parts), r.parts
        assert not r.meta.get("trimmed"), r.text
    for r in replies:
        assert not r.text.endswith("In,") and "In, If" not in r.text


def test_breathing_hold_talk_in_a_transfer_is_spoken_with_both_pauses():
    m = DialogueManager(seed=0)
    m.greeting()
    d = decision("warm_transfer", "high", "suicide", raised=True)
    m.respond("yes", None)
    m.respond("i'm going to do it tonight", d)
    seen = []
    for _ in range(30):
        r = m.respond("okay", d)
        if "breathe together" in r.text:
            seen.append(r)
    assert seen
    for r in seen:
        i = r.parts.index("Let's breathe together while we wait. In,")
        assert isinstance(r.parts[i + 1], Pause) and r.parts[i + 2] == "and out." and isinstance(r.parts[i + 3], Pause)


def test_a_walk_back_during_a_transfer_is_acknowledged_and_the_person_still_comes():
    m = DialogueManager(seed=4)
    risk = CallRiskState()
    m.greeting()
    for line in ("yes", "i want to kill myself tonight, i have the pills here"):
        r = m.respond(line, risk.update(assess(line)))
    assert r.state == "transfer"
    d = risk.update(assess("just kidding i didnt mean it"))
    assert d.walked_back and d.level >= Level.HIGH
    r = m.respond("just kidding i didnt mean it", d)
    assert r.state == "transfer" and not r.end_call and r.meta["safety"] == "walked_back"
    t = r.text.lower()
    assert ("thank you for telling me" in t or "i hear you" in t) and "person" in t and "stay on the line" in t


@pytest.mark.parametrize("said,heard", [
    ("im feeling really low, i lost my job and i cant sleep",
     "you're feeling really low, you lost your job and you can't sleep"),
    ("i lost my keys my mum is ill", "you lost your keys, your mum is ill"),
    ("i feel so lost my boss hates me", "you feel so lost, your boss hates you"),
    ("i just feel like everything i do goes wrong at work", "you just feel like everything you do goes wrong at work"),
    ("work is awful my manager keeps piling it on", "work is awful, your manager keeps piling it on"),
    ("i have nothing to look forward to", "you have nothing to look forward to"),
    ("i failed my exam my parents are angry", "your exam, your parents are angry"),
])
def test_reflections_read_naturally(said, heard):
    assert heard in own_words(said)


def test_abuse_gets_a_safety_question_not_the_suicide_safety_plan(convo):
    c = convo(seed=7)
    c.say("yes")
    d = decision("offer_human", "moderate", "abuse", raised=True)
    c.say("my dad hits me when hes drunk", d)
    r = c.say("no", d)
    assert "safe where you are" in r.text and r.meta["asked"] == "safety:safe_now"
    r = c.say("no", d)
    assert "talk with a person" in r.text
    r = c.say("no", d)
    texts = " ".join(c.texts()).lower()
    assert "hurt yourself" not in texts and "plan for staying safe" not in texts
    assert "nine eight eight" in r.text and "person" in r.text and not r.end_call
    c.assert_spoken_ok()


def test_repeated_misses_change_approach_instead_of_repeating(convo):
    c = convo(seed=4)
    c.say("yes")
    c.say("i feel rubbish")
    for _ in range(4):
        r = c.say("music")
    assert r.state == "focus"  # no number after three tries: it moves on without one
    texts = c.texts()
    assert not any(t.startswith(("Once more.", "Let me ask again.")) for t in texts), texts
    c.assert_spoken_ok()
