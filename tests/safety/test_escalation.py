"""Call-level risk: rolling window, never goes down, walk-backs keep the flag, policy, partials."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from safety.escalation import CallRiskState, action_for, is_walk_back
from safety.risk import assess
from safety.settings import Settings
from safety.types import Action, Kind, Level

ROOT = Path(__file__).resolve().parents[2]
WARMLINE = ROOT / ".venv" / "bin" / "warmline"


def _run(state: CallRiskState, texts: list[str]):
    return [state.update(assess(t), ts=1000.0 + i) for i, t in enumerate(texts)]


def test_rolling_window_joins_turns():
    state = CallRiskState(Settings())
    d1, d2 = _run(state, ["i want to die", "i've got the pills here"])
    assert d1.level == Level.LOW and d1.action == Action.CHECK_IN
    assert d2.level >= Level.HIGH and d2.raised and d2.kind == Kind.SUICIDE
    assert d2.action in (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE)
    assert [e.text for e in state.evidence] == ["i want to die", "i've got the pills here"]
    ts, text, level, signals = state.evidence[-1]
    assert "means:at_hand" in signals and level == d2.level


def test_window_vague_intent_after_ideation():
    state = CallRiskState(Settings())
    ds = _run(state, ["i really want to kill myself", "how was your day", "i'm going to do it"])
    assert ds[-1].level == Level.HIGH


def test_window_expires_by_turns():
    turns = ["sometimes i think about death a lot", "work was fine", "the weather is nice", "i will do it tomorrow"]
    joined = CallRiskState(Settings(risk_window_turns=6))
    _run(joined, turns)
    assert joined.level == Level.HIGH  # inside the window the vague "do it" joins the ideation
    state = CallRiskState(Settings(risk_window_turns=2))
    _run(state, turns)
    # outside it, only the turn's own reading counts (the learned layer hears some risk in it alone)
    assert Level.LOW <= state.level < Level.HIGH


def test_level_never_goes_down():
    state = CallRiskState(Settings())
    ds = _run(state, ["i tried to kill myself last week", "anyway work is fine", "i feel better now"])
    assert [d.level for d in ds] == [Level.HIGH] * 3
    assert ds[1].raised is False and ds[1].turn_level == Level.NONE


def test_walk_back_keeps_flag_and_sets_walked_back():
    state = CallRiskState(Settings())
    d1, d2, d3 = _run(state, ["i want to kill myself", "just kidding forget it", "i didn't mean it"])
    assert d1.level == d2.level == d3.level == Level.MODERATE
    assert d2.walked_back and d3.walked_back and state.walked_back
    assert d2.action == Action.OFFER_HUMAN


def test_walk_back_without_flag_is_nothing():
    state = CallRiskState(Settings())
    (d,) = _run(state, ["never mind"])
    assert d.level == Level.NONE and not d.walked_back
    assert is_walk_back("jk i was just joking")


def test_partials_raise_only_when_severe():
    state = CallRiskState(Settings())
    d = state.update(assess("i want to die"), final=False)
    assert d.level == Level.NONE  # a mild partial waits for the final words
    d = state.update(assess("i took all my pills"), final=False)
    assert d.level == Level.IMMINENT and d.action == Action.EMERGENCY_GUIDANCE


def test_policy_thresholds_are_configuration():
    s = Settings()
    assert action_for(Level.NONE, s) == Action.CONTINUE
    assert action_for(Level.LOW, s) == Action.CHECK_IN
    assert action_for(Level.MODERATE, s) == Action.OFFER_HUMAN
    assert action_for(Level.HIGH, s) == Action.WARM_TRANSFER
    assert action_for(Level.IMMINENT, s) == Action.EMERGENCY_GUIDANCE
    strict = Settings(risk_transfer_level="moderate", crisis_line="116123")
    assert action_for(Level.MODERATE, strict) == Action.WARM_TRANSFER
    assert CallRiskState(strict).crisis_line == "116123"


def test_third_party_does_not_flag_the_caller():
    state = CallRiskState(Settings())
    (d,) = _run(state, ["my friend said she wants to kill herself"])
    assert d.level == Level.NONE and d.action == Action.CONTINUE


def test_cli_text():
    out = subprocess.run([str(WARMLINE), "risk", "i've been saving up my pills"], capture_output=True,
                         text=True, timeout=60, check=True)
    obj = json.loads(out.stdout)
    assert set(obj) == {"text", "level", "kind", "signals"}
    assert obj["level"] == "high" and "preparation:stockpiling" in obj["signals"]


def test_cli_jsonl_with_a_bad_line(tmp_path):
    lines = ['{"text": "i want to die"}', "this is not json", '{"text": "this job is killing me"}',
             '{"nope": 1}', '{"text": "i took a whole bottle of pills"}']
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    for args, stdin in (([str(path)], None), (["-"], "\n".join(lines) + "\n")):
        out = subprocess.run([str(WARMLINE), "risk", "--jsonl", *args], input=stdin, capture_output=True,
                             text=True, timeout=60, check=True)
        rows = [json.loads(x) for x in out.stdout.splitlines()]
        assert len(rows) == 5
        assert rows[0]["level"] == "low"
        assert rows[1] == {"error": rows[1]["error"], "line": 2}
        assert rows[2]["level"] == "none" and rows[2]["text"] == "this job is killing me"
        assert rows[3]["line"] == 4 and "error" in rows[3]
        assert rows[4]["level"] == "imminent"


def test_cli_imports_no_whisper():
    code = ("import sys; from safety.risk_cli import risk_command; import safety.risk; "
            "assert 'faster_whisper' not in sys.modules and 'torch' not in sys.modules and 'voice' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, cwd=ROOT)


def test_human_review_keeps_the_level_and_only_softens_the_same_level():
    from safety.escalation import CallRiskState
    from safety.risk import assess
    from safety.types import Action, Level

    state = CallRiskState()
    state.update(assess("i am going to kill myself tonight"))
    assert state.action == Action.WARM_TRANSFER
    d = state.human_reviewed(Level.HIGH)
    assert d.level == Level.HIGH and d.action == Action.OFFER_HUMAN
    assert state.update(assess("thanks")).action == Action.OFFER_HUMAN
    assert state.update(assess("ive taken the whole bottle of pills now")).action == Action.EMERGENCY_GUIDANCE
