"""`warmline chat`: the JSON-lines contract, and the five example conversations in docs/examples/."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dialogue.chat import run_jsonl
from dialogue.phrasing import check_reply

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
NAMES = ["check-in", "thought-record", "breathing", "waiting-list", "asks-for-a-person"]


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_cli_json_lines_contract_when_stdin_is_not_a_terminal():
    script = "yes\nsometimes i wish i wasnt here\n\nsay that again\ni want to talk to a person\n"
    out = subprocess.run(
        [sys.executable, "-m", "voice.cli", "chat", "--seed", "3"], input=script, capture_output=True, text=True,
        timeout=120, cwd=ROOT, check=True,
    ).stdout
    rows = _rows(out)
    assert len(rows) == 1 + script.count("\n")  # the greeting, then one line per input line (blank = silence)
    for row in rows:
        assert set(row) == {"reply", "state", "risk", "action"}
        assert set(row["risk"]) == {"level", "kind"}
        assert check_reply(row["reply"]) == []
    assert "automated assistant" in rows[0]["reply"]
    assert rows[2]["risk"] == {"level": "low", "kind": "suicide"} and rows[2]["action"] == "check_in"
    # the call's level so far: it never goes down on later lines
    assert all(r["risk"]["level"] == "low" for r in rows[2:])
    assert rows[-1]["state"] in ("human", "transfer") and "person" in rows[-1]["reply"].lower()


def test_each_action_gets_its_words():
    """Whatever the safety layer decides, the line follows it (the dialogue never judges risk)."""
    out = io.StringIO()
    lines = ["yes", "i took an overdose an hour ago", "just kidding"]
    run_jsonl(io.StringIO("\n".join(lines) + "\n"), out, seed=1)
    rows = _rows(out.getvalue())
    act = rows[2]["action"]
    assert act != "continue"
    want = {"check_in": "safety", "offer_human": "safety", "warm_transfer": "transfer",
            "emergency_guidance": "transfer"}[act]
    assert rows[2]["state"] == want and "person" in rows[2]["reply"]
    assert rows[3]["risk"]["level"] == rows[2]["risk"]["level"]  # a walk-back does not lower it


@pytest.mark.parametrize("name", NAMES)
def test_examples_are_what_warmline_chat_says(name):
    """docs/examples/<name>.jsonl was made with `warmline chat --seed 1 < docs/examples/<name>.txt`."""
    src = (EXAMPLES / f"{name}.txt").read_text()
    out = io.StringIO()
    run_jsonl(io.StringIO(src), out, seed=1)
    assert out.getvalue() == (EXAMPLES / f"{name}.jsonl").read_text()
    rows = _rows(out.getvalue())
    assert "not a therapist" in rows[0]["reply"]
    assert all(check_reply(r["reply"]) == [] for r in rows)


def test_example_endings():
    rows = {n: _rows((EXAMPLES / f"{n}.jsonl").read_text()) for n in NAMES}
    for n in ("check-in", "thought-record", "breathing", "waiting-list"):
        assert rows[n][-1]["state"] == "closed" and "nine eight eight" in rows[n][-1]["reply"]
        assert any(r["state"] == "summary" for r in rows[n])
    assert any(r["state"] == "technique:thought_record" for r in rows["thought-record"])
    assert any(r["state"] == "technique:breathing" for r in rows["breathing"])
    assert any(r["state"] == "technique:waiting_list" for r in rows["waiting-list"])
    assert any(r["state"] == "human" for r in rows["asks-for-a-person"])
