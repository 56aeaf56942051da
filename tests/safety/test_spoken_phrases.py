"""Every fixed line the line can speak passes the safe-messaging rules (the brief; dialogue/phrasing.py):
no method details, no "committed suicide", never suicide as a solution; the lines said where risk is
flagged give the crisis line and a way to a person; short sentences meant for the ear.

The phrase banks are collected from the source (every string literal that reads as speech in the
dialogue, the transfer's hold talk and the voice's error paths), so a line added later is checked too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dialogue.phrasing import unsafe_phrases
from safety.transfer import holdtalk
from voice import fallback

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "dialogue").glob("*.py")),
    *sorted((ROOT / "dialogue" / "techniques").glob("*.py")),
    ROOT / "safety" / "transfer" / "holdtalk.py",
    ROOT / "safety" / "transfer" / "machine.py",
    ROOT / "voice" / "fallback.py",
    ROOT / "voice" / "call.py",
]
_SPEECH = re.compile(r"^[A-Z\"'][^\n]*\b\w+\b \b\w+\b \b\w+\b")  # capitalised, three words or more


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def spoken_literals() -> list[tuple[str, str]]:
    """(file, text) for every string literal in SOURCES that reads as a spoken line."""
    out = []
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):  # f-strings: the literal parts, with a stand-in
                text = "".join(v.value if isinstance(v, ast.Constant) else "988" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                text = node.value
            else:
                continue
            if _SPEECH.match(text.strip()) and "%s" not in text:
                out.append((path.relative_to(ROOT).as_posix(), text))
    return out


LINES = spoken_literals()


def test_the_collector_finds_the_phrase_banks():
    texts = {t for _, t in LINES}
    # Sanity: the scan sees the lines from each bank (so the checks below cannot pass by finding nothing).
    assert fallback.SEEKING_FIRST in texts and fallback.ERROR_GOODBYE in texts
    assert holdtalk.BRIDGING in {t for _, t in LINES} or any("I'm bringing in a person" in t for t in texts)
    assert any("thoughts of ending your life" in t for t in texts)
    assert len(LINES) > 150


@pytest.mark.parametrize("where,text", LINES, ids=[f"{w}:{t[:30]}" for w, t in LINES])
def test_no_unsafe_phrase(where, text):
    assert not unsafe_phrases(text), (where, text)


def _banks() -> list[str]:
    lines = [*fallback.all_lines("988"), *holdtalk.GROUNDING, *holdtalk.SAFETY_PLAN, *holdtalk.CALLER_SPOKE]
    for name in ("BRIDGING", "EMERGENCY", "CONNECTED", "CONNECTING_PHONE", "TRYING_NEXT", "CRISIS_LINE_NEXT",
                 "CRISIS_LINE_SELF", "LAST_RESORT", "ALL_BUSY", "RETRYING", "STILL_TRYING", "HUMAN_LEFT"):
        lines.append(getattr(holdtalk, name).format(crisis="988", emergency="911"))
    from dialogue.safety_mode import CSSRS, HOLD_TALK, PLAN_STEPS

    lines += list(CSSRS.values()) + [q for _, q in PLAN_STEPS]
    lines += [p for parts in HOLD_TALK for p in parts if isinstance(p, str)]
    return lines


def test_phrase_banks_are_safe_and_short():
    for line in _banks():
        assert not unsafe_phrases(line), line
        for sentence in re.split(r"(?<=[.!?;])\s+", line):
            assert len(sentence.split()) <= 25, sentence  # warm, short sentences for the ear
        assert "suicide" not in line.lower(), line  # never named as an act or an option in fixed lines


def _crisis(text: str) -> bool:
    return any(w in text.lower() for w in ("988", "9 8 8", "nine eight eight"))


def test_where_risk_is_flagged_the_crisis_line_and_a_person_are_offered():
    f = fallback
    for text in (f.SORRY_AGAIN_FLAGGED, f.ERROR_GOODBYE, f.RISK_UNKNOWN, f.SEEKING_FIRST):
        line = f.fill(text, "988")
        assert _crisis(line), line
        assert any(w in line.lower() for w in ("person", "someone")), line
    seeking = f.Seeking("988")
    said = [seeking.next_line() for _ in range(7)]
    assert _crisis(said[0]) and "person" in said[0]
    for i in range(len(said) - 2):  # the crisis line at least every third company line
        assert any(_crisis(s) for s in said[i:i + 3]), said
    assert f.spoken_number("988") == "nine eight eight" and "{crisis}" not in " ".join(f.all_lines("741741"))
    for text in (holdtalk.CRISIS_LINE_SELF, holdtalk.CRISIS_LINE_NEXT, holdtalk.LAST_RESORT):
        assert _crisis(text.format(crisis="9 8 8"))
    assert "911" in holdtalk.EMERGENCY.format(emergency="911")
