"""Understanding lowercase ASR text: rules plus semantic matching with the bundled MiniLM."""

from __future__ import annotations

import pytest

from dialogue.understanding import emotions_in, understand


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yes", "yes"), ("yeah", "yes"), ("yep sure", "yes"), ("uh huh", "yes"), ("okay then", "yes"),
        ("yeah go on", "yes"), ("i think so", "yes"), ("sure why not", None),
        ("no", "no"), ("nope", "no"), ("not really", "no"), ("no thanks", "no"), ("nah", "no"),
        ("maybe", "maybe"), ("i'm not sure", "maybe"), ("kind of", "maybe"),
        ("i dont know", "maybe"),
        ("say that again", "repeat"), ("sorry what was that", "repeat"), ("pardon", "repeat"),
        ("i didn't catch that", "repeat"), ("could you repeat the question", "repeat"),
        ("slow down", "slower"), ("you're talking too fast", "slower"), ("can you go slower please", "slower"),
        ("i want to talk to a person", "human"), ("can i speak to a real human", "human"),
        ("is there someone i can talk to", "human"), ("put me through to somebody", "human"),
        ("operator", "human"), ("a person please", "human"), ("are you a robot i want a human", "human"),
        ("stop", "stop"), ("please stop", "stop"), ("can we stop", "stop"),
        ("goodbye", "goodbye"), ("bye", "goodbye"), ("i have to go now", "goodbye"), ("good night", "goodbye"),
        ("delete what i said", "delete"), ("please erase everything", "delete"), ("forget me", "delete"),
        ("don't keep this", "delete"),
    ],
)
def test_rule_intents(text, intent):
    u = understand(text)
    if intent is None:
        assert u.intent in ("yes", None)
    else:
        assert u.intent == intent, (text, u)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("let me talk to someone real", "human"),
        ("i don't want to talk to a machine", "human"),
        ("sorry i missed what you said", "repeat"),
        ("can we change the subject", "switch"),
        ("wipe this conversation", "delete"),
    ],
)
def test_semantic_intents_catch_other_wordings(text, intent):
    assert understand(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "i want to end it all",  # never a goodbye (risk is the safety layer's job, not ours)
        "nobody listens to me",
        "i've been so tired lately",
        "my boss keeps shouting at me",
        "i feel like i'm going to fail my exams",
    ],
)
def test_stories_are_not_mistaken_for_commands(text):
    u = understand(text)
    assert u.intent not in ("goodbye", "stop", "human", "delete", "repeat", "slower"), u


def test_silence_and_mumbles():
    assert understand("").silence
    assert understand("   ").silence
    assert understand(None).silence
    for m in ("um", "uh uh", "hmm", "mm", "er the", "..."):
        u = understand(m)
        assert u.unclear, m


def test_emotions_from_speech():
    assert emotions_in("i've been really anxious and i cant sleep")[:2] == ["anxious", "tired"]
    assert "low" in emotions_in("not good to be honest")
    assert "good" not in emotions_in("not good to be honest")
    assert emotions_in("i'm fine just exhausted")[0] == "tired"
    assert emotions_in("i feel so lonely") == ["lonely"]
    assert "angry" in emotions_in("i'm so fed up")


def test_choices_among_offered_options():
    kw = {"breathing": ("breathing", "breathe", "breeding"), "thought_record": ("thought",),
          "reflect": ("talk", "just talk")}
    opts = {"breathing": ("a breathing exercise", "help me calm down"),
            "thought_record": ("look at my thoughts",), "reflect": ("just talk", "listen to me")}
    assert understand("the breeding one", keywords=kw).choice == "breathing"  # ASR for "breathing"
    assert understand("the first one", keywords=kw).choice == "breathing"
    assert understand("um the second", keywords=kw).choice == "thought_record"
    assert understand("the last one", keywords=kw).choice == "reflect"
    assert understand("not breathing the thought one", keywords=kw).choice == "thought_record"
    assert understand("i'd like to calm down a bit", keywords=kw, options=opts).choice == "breathing"
    assert understand("i just want someone to listen", keywords=kw, options=opts).choice == "reflect"
