"""The handoff brief and the words the transfer says."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from safety.transfer import holdtalk
from safety.transfer.brief import build_brief, mask_number, target_label
from safety.types import Action, Decision, Kind, Level


def test_brief_carries_what_a_human_needs_and_never_logs_it(caplog):
    decision = Decision(level=Level.HIGH, kind=Kind.SUICIDE, action=Action.WARM_TRANSFER, signals=("plan", "time:tonight"))
    risk = SimpleNamespace(level=Level.HIGH, kind=Kind.SUICIDE, evidence=[
        (1000.0, "I keep thinking about it", Level.LOW, ("ideation:passive",)),
        (1090.0, "I have a plan for tonight", Level.HIGH, ("plan",)),
    ])
    brief = build_brief(escalation_id="e1", call_id="c1", decision=decision, risk=risk, transport="twilio",
                        callback_number="+15551234567", opened_at=1100.0)
    brief.done.append("told the caller a person is coming")
    text = brief.text(now=1100.0)
    assert "Risk level high, suicide." in text and "Signals: plan, time tonight." in text
    assert '10 seconds ago the caller said: "I have a plan for tonight"' in text
    assert '100 seconds ago the caller said: "I keep thinking about it"' in text
    assert "So far the line has: told the caller a person is coming." in text
    assert "Callback number: 1 5 5 5 1 2 3 4 5 6 7." in text
    assert brief.to_json()["quotes"] == [[1000.0, "I keep thinking about it"], [1090.0, "I have a plan for tonight"]]
    with caplog.at_level(logging.INFO):
        logging.getLogger("test").info("brief %r %s", brief, brief.log_safe())
    assert "5551234567" not in caplog.text and "plan for tonight" not in caplog.text
    assert "+•••••••4567" in caplog.text


def test_mask_number():
    assert mask_number("+15551234567") == "+•••••••4567"
    assert mask_number("988") == "•••"
    assert mask_number(None) is None and mask_number("") is None


def test_what_the_line_says_follows_safe_messaging():
    lines = [holdtalk.BRIDGING, holdtalk.EMERGENCY, holdtalk.CONNECTED, holdtalk.CONNECTING_PHONE,
             holdtalk.TRYING_NEXT, holdtalk.CRISIS_LINE_NEXT, holdtalk.CRISIS_LINE_SELF, holdtalk.ALL_BUSY,
             holdtalk.STILL_TRYING, holdtalk.RETRYING, holdtalk.HUMAN_LEFT,
             *holdtalk.CALLER_SPOKE, *holdtalk.GROUNDING, *holdtalk.SAFETY_PLAN]
    banned = ("committed suicide", "overdose", "pills", "rope", "gun", "jump", "how would you", "how will you",
              "music", "goodbye", "hang up")
    for line in lines:
        low = line.lower()
        assert not any(b in low for b in banned), line
        assert len(line.split()) <= 40, line  # short, plain sentences
    assert "stay" in holdtalk.BRIDGING and "person" in holdtalk.BRIDGING


def test_hold_talk_never_repeats_a_line_back_to_back():
    talk = holdtalk.HoldTalk(source=lambda: "I'm still here with you.", seed=3)
    said = [talk.next_line() for _ in range(30)]
    assert all(a != b for a, b in zip(said, said[1:], strict=False))
    assert len(set(said)) >= 8


def test_target_label_reads_aloud_without_uris():
    assert target_label("console") == "the operator console"
    assert target_label("988", crisis_line="988") == "the crisis line"
    assert target_label("sip:team@pbx.example.org;transport=tcp") == "a SIP line"
    assert target_label("+15551234577") == "the number ending 7 7"
