"""Risk detection: per-level precision/recall on the labelled development set against the issue's
targets, the held-out set (reported, checked against the same targets), and the scope mechanisms."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety.risk import assess
from safety.risk.evaluate import evaluate, load
from safety.risk.normalize import normalize
from safety.types import Kind, Level

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def dev_report():
    items = load(DATA / "risk_dev.jsonl")
    assert len(items) >= 400
    return evaluate(items)


def test_dev_set_covers_every_level_and_kind():
    items = load(DATA / "risk_dev.jsonl")
    assert {it["level"] for it in items} == {lvl.value for lvl in Level}
    assert {it["kind"] for it in items} == {k.value for k in Kind}


def test_dev_targets(dev_report):
    print("\n" + dev_report.table())
    assert dev_report.severe_recall >= 0.98
    assert dev_report.risk_recall >= 0.95
    assert dev_report.free_flagged <= 0.05
    assert dev_report.free_high == 0


def test_dev_per_level_precision_recall(dev_report):
    for lvl, d in dev_report.per_level.items():
        assert d["recall"] >= 0.9, (lvl, d)
        assert d["precision"] >= 0.9, (lvl, d)
    assert dev_report.kind_accuracy >= 0.95


def _report(name: str):
    items = load(DATA / name)
    rep = evaluate(items)
    print(f"\n{name}\n" + rep.table())
    for text, gold, pred, kind, sigs in rep.errors:
        print(f"  gold={gold} pred={pred} {kind} {text!r} {list(sigs)}")
    return items, rep


def test_holdout_targets():
    items, rep = _report("risk_holdout.jsonl")
    assert len(items) >= 150
    # This set was SEEN during tuning by both risk engineers (docs/risk.md, "Results"): the asserts are
    # the measured level minus a small margin, to catch regressions, not evidence of generalisation.
    assert rep.free_high == 0
    assert rep.free_flagged <= 0.05
    assert rep.severe_recall >= 0.96
    assert rep.risk_recall >= 0.92


def test_holdout2_floors():
    items, rep = _report("risk_holdout2.jsonl")
    assert len(items) >= 200
    assert {it["level"] for it in items} == {lvl.value for lvl in Level}
    assert {it["kind"] for it in items} == {k.value for k in Kind}
    # Written before any change of the second pass; its baseline was measured once, unseen (52.4 % /
    # 57.8 %). It was written by the engineer who then wrote the lexicons, so it is not independent.
    # The recall targets are NOT met on it: these are honest floors below the measured level.
    assert rep.free_high == 0
    assert rep.free_flagged <= 0.05
    assert rep.severe_recall >= 0.88
    assert rep.risk_recall >= 0.87


@pytest.mark.parametrize(
    "text",
    [
        "ive necked the whole strip of amitriptyline",
        "been squirrelling away my tramadol for when i do it",
        "got a stash of zopiclone ready for tonight",
        "gun in my lap and its loaded",
        "stood on the platform and this is it",
        "the belt is round my neck",
    ],
)
def test_category_composition_rates_high(text):
    assert assess(text).level >= Level.HIGH, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "i took all my meds this morning like i am supposed to",
        "i'm on the platform waiting for the 8 15 it's late again",
        "i've been saving up for a holiday",
        "i need rope for the tent this weekend",
        "my mind's made up i'm leaving that job friday",
        "this is the last time i lend him money",
        "i wrote my will last year like you do at my age",
    ],
)
def test_category_words_in_ordinary_use_stay_calm(text):
    assert assess(text).level < Level.HIGH, assess(text)
    assert assess(text).level == Level.NONE, assess(text)


@pytest.mark.parametrize(
    "text",
    [
        "this job is killing me",
        "i'm dying to see that movie",
        "i killed it at work today",
        "i'm dead tired",
        "i could murder a coffee",
        "how do i kill a python process",
        "my mom is gonna kill me when she sees my grades",
        "i could kill my brother for eating my fries",
        "i was so embarrassed i wanted to die",
        "i'll die if i don't get this job",
        "i want to dye my hair",
    ],
)
def test_idioms_do_not_flag(text):
    a = assess(text)
    assert a.level == Level.NONE, a


@pytest.mark.parametrize(
    "text",
    [
        "i would never kill myself",
        "i'm not suicidal",
        "i don't want to die",
        "i have no intention of hurting myself",
        "killing myself isn't something i'd ever do",
        "i wouldn't do anything to hurt myself",
    ],
)
def test_negations_do_not_flag(text):
    a = assess(text)
    assert a.level == Level.NONE, a
    assert "negated" in a.signals


def test_negation_scope_is_local():
    assert assess("i'm not okay i want to die").level >= Level.LOW
    assert assess("i don't want to die but i don't want to live like this").level == Level.LOW
    assert assess("i'm not suicidal but sometimes i wish i wasn't here").level == Level.LOW


def test_third_party_and_reported_speech():
    a = assess("my friend said she wants to kill herself")
    assert (a.level, a.kind) == (Level.NONE, Kind.THIRD_PARTY)
    assert "third_party" in a.signals
    a = assess("my therapist asked if i ever wanted to kill myself")
    assert a.level == Level.NONE and "reported_speech" in a.signals
    # someone else in danger right now still needs a human
    a = assess("my friend just told me she took a whole bottle of pills")
    assert a.level == Level.HIGH and a.kind == Kind.THIRD_PARTY
    # the caller's own words stay the caller's even when reported
    assert assess("i told my doctor i want to kill myself").level >= Level.MODERATE


def test_topic_and_bereavement():
    for t in ("i watched a documentary about suicide prevention", "my dad died by suicide last year",
              "what is suicide", "suicide rates among veterans are really high"):
        assert assess(t).level == Level.NONE, t


def test_speech_normalisation():
    assert normalize("Um, I-I wanna like, kill my self") == "i want to kill myself"
    assert normalize("im gonna take a hole bottle") == "i am going to take a whole bottle"
    assert assess("i took a hole bottle of tylenol like ten minutes ago").level == Level.IMMINENT
    assert assess("im gonna kill my self tonite").level >= Level.HIGH
    assert assess("i dont wanna be alive").level == Level.LOW


def test_signals_explain_the_level():
    a = assess("i've been saving up my sleeping pills")
    assert a.level == Level.HIGH and "preparation:stockpiling" in a.signals
    a = assess("i'm going to kill myself tonight")
    assert {"intent:future", "time:tonight"} <= set(a.signals)
    a = assess("i tried to kill myself when i was sixteen")
    assert a.level == Level.MODERATE and "time:past_distant" in a.signals
    assert assess("i tried to kill myself last week").level == Level.HIGH


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x07\x1b[31m", "😭😭😭", "estoy muy triste hoy", "我很好", "a" * 100_000,
     ("i had a long day at work " * 5000), "\ud800 broken surrogate"],
)
def test_bad_input_never_crashes(text):
    a = assess(text)
    assert a.level == Level.NONE


def test_long_text_is_windowed_but_still_read():
    text = "i had a long day at work and " * 3000 + "i took all my pills an hour ago"
    a = assess(text)
    assert a.level == Level.IMMINENT


def test_growing_prefix_is_cheap_and_consistent():
    words = "um so i i've been thinking and i took a whole bottle of pills ten minutes ago".split()
    levels = [assess(" ".join(words[: i + 1])).level for i in range(len(words))]
    assert levels[-1] == Level.IMMINENT
    assert assess(" ".join(words)).level == Level.IMMINENT  # cached
