"""A caller who just talks: statements instead of answers to the line's questions.

The line must follow them (no question three times in a row), never hang up on them (only an end
signal ends a call), and sum up in words that read naturally aloud (no raw clause spliced in)."""

from __future__ import annotations

import re

import pytest

from dialogue.techniques.base import said_back
from tests.dialogue.conftest import Convo

STATEMENTS = [
    "i've been feeling really anxious about work lately",
    "my manager keeps giving me more tasks and i can't keep up",
    "last night i couldn't sleep at all because my mind kept racing",
    "i guess i worry that everyone thinks i'm not good enough",
    "yesterday i went for a walk and that helped a little",
    "i keep thinking about the meeting on monday",
    "maybe i could write down what is bothering me before bed",
    "when i get home i just sit on the couch and scroll on my phone",
    "i want to feel less tired in the mornings",
]
AWKWARD = re.compile(r"\b(?:talked (?:about|through)|worry about) (?:maybe|you|when|if|what|i)\b")


def _question(text: str) -> str | None:
    if "?" not in text:
        return None
    return re.split(r"(?<=[.!])\s+", text[: text.rindex("?") + 1])[-1]


def _talk(convo, seed: int, lines: list[str]) -> Convo:
    c = convo(seed=seed)
    c.say("yes")
    c.script(lines)
    return c


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("offset", range(len(STATEMENTS)))
def test_a_caller_who_just_talks_is_followed_not_looped_or_hung_up_on(convo, seed, offset):
    lines = STATEMENTS[offset:] + STATEMENTS[:offset]
    c = _talk(convo, seed, lines + lines)  # eighteen statements, never an answer, never a goodbye
    texts = c.texts()
    qs = [_question(t) for t in texts]
    for a, b, q in zip(qs, qs[1:], qs[2:], strict=False):
        assert not (a and a == b == q), (a, texts)
    assert not any(r.end_call for r in c.replies), texts  # they never signalled an end
    for t in texts:
        assert not AWKWARD.search(t), t
        if "That sounds doable" in t:  # a next step read back is something they would do
            assert re.search(r"\b(?:you'll|you could|you might|you're going to|try|walk)\b", t), t
    c.assert_spoken_ok()
    # ... and when they do say goodbye, the line closes with how to reach help
    r = c.say("okay bye")
    assert r.end_call and "nine eight eight" in r.text and "person" in r.text


def test_two_misses_in_an_exercise_leave_it_and_follow_the_caller(convo):
    c = convo(seed=2)
    c.script(["yes", STATEMENTS[0], "about a four", "worry time"])
    assert c.last.state == "technique:worry"
    c.say(STATEMENTS[4])  # the worry
    assert "act on" in c.last.text
    r = c.say(STATEMENTS[5])  # not an answer: reflected, asked once more
    assert "monday" in r.text.lower() and "act on" in r.text and r.meta["reflect"]
    r = c.say(STATEMENTS[6])  # a second statement: put the exercise aside and follow their words
    assert "act on" not in r.text and "yes or no" not in r.text
    assert "exercise" in r.text and "write down what is bothering you" in r.text
    assert r.state == "technique:reflect" and not r.end_call
    c.assert_spoken_ok()


def test_mumbles_in_an_exercise_never_get_the_same_question_three_times(convo):
    c = convo(seed=1)
    c.script(["yes", STATEMENTS[0], "about a four", "worry time", "what if i lose my job"])
    qs = [_question(c.say(x).text) for x in ["um", "uh", "hmm", "mm", "um"]]
    for a, b, q in zip(qs, qs[1:], qs[2:], strict=False):
        assert not (a and a == b == q), qs
    assert not c.last.end_call


def _to_feedback(c: Convo) -> None:
    c.script(["yes", "im so stressed about work", "about a four", "the worry one", "what if i lose my job",
              "its more of a what if", "six in the evening", "yeah", "yes", "yeah"])
    assert c.last.state == "feedback", c.texts()


def test_new_words_after_the_feedback_question_are_reflected_not_hung_up_on(convo):
    c = convo(seed=1)
    _to_feedback(c)
    r = c.say("when i get home i just sit on the couch and scroll on my phone")
    assert not r.end_call and r.meta["reflect"] and "couch" in r.text
    r = c.say("yeah")  # yes, keep talking about it
    assert not r.end_call and r.state == "technique:reflect"
    r = c.say("i want to feel less tired in the mornings")
    assert not r.end_call and "tired" in r.text
    r = c.say("no that's all")
    assert r.end_call and "nine eight eight" in r.text and "person" in r.text


@pytest.mark.parametrize("answer", ["it helped a bit thanks", "good", "thank you", "not sure really"])
def test_feedback_is_not_a_goodbye(convo, answer):
    c = convo(seed=3)
    _to_feedback(c)
    r = c.say(answer)
    assert not r.end_call and r.state == "anything_else" and "anything else" in r.text
    r = c.say("no")
    assert r.end_call and "nine eight eight" in r.text


@pytest.mark.parametrize("answer", ["that's all thanks", "goodbye", "i'm done now"])
def test_an_end_signal_after_the_feedback_question_closes(convo, answer):
    c = convo(seed=3)
    _to_feedback(c)
    r = c.say(answer)
    assert r.end_call and "nine eight eight" in r.text and "person" in r.text


def test_a_statement_is_not_read_back_as_a_next_step(convo):
    c = convo(seed=4)
    c.script(["yes", "i cant sleep", "three", "just talk", "my mind races", "it's been weeks", "no"])
    while c.last.state != "next_step":
        c.say("yes")
    r = c.say("last night i couldn't sleep at all")
    assert "sounds doable" not in r.text and "couldn't sleep" in r.text
    assert "option" in r.text and r.state == "next_step" and not r.end_call
    r = c.say("yes")  # takes the suggestion
    assert "wind-down" in r.text and r.state == "feedback"


def test_an_action_is_kept_as_the_next_step(convo):
    c = convo(seed=4)
    c.script(["yes", "i cant sleep", "three", "just talk", "my mind races", "it's been weeks", "no"])
    while c.last.state != "next_step":
        c.say("yes")
    r = c.say("i'll write down what's bothering me before bed")
    assert "you'll write down what's bothering you" in r.text and "doable" in r.text and r.state == "feedback"


@pytest.mark.parametrize("said, spoken", [
    ("maybe you could write down what is bothering you", "you said maybe you could write down what is bothering you"),
    ("you've been anxious about work", "you said you've been anxious about work"),
    ("when you get home you sit on the couch", "you said when you get home you sit on the couch"),
    ("your exams", "you talked about your exams"),
    ("money", "you talked about money"),
])
def test_summaries_say_a_clause_as_said_and_a_topic_as_a_topic(said, spoken):
    assert said_back(said) == spoken
