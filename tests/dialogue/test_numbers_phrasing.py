"""Spoken numbers both ways, the caller's words turned round, and the checks every reply passes."""

from __future__ import annotations

import pytest

from dialogue.numbers import digits_words, number_words, parse_rating, speakable
from dialogue.phrasing import (
    UNSAFE_PHRASES,
    Phraser,
    check_reply,
    is_safe,
    own_words,
    second_person,
    unsafe_phrases,
)


@pytest.mark.parametrize(
    ("text", "expecting", "want"),
    [
        ("about a six", False, 6),
        ("seven out of ten", False, 7),
        ("a sex out of ten", False, 6),  # ASR misrecognition of "six"
        ("maybe for out of ten", False, 4),
        ("ate out of ten", False, 8),
        ("i'd say a three", False, 3),
        ("its like a three or four", False, 3),
        ("6", True, 6),
        ("six", True, 6),
        ("sex", True, 6),
        ("um nothing", True, 0),
        ("ten", True, 10),
        ("eleven", True, None),
        ("twelve out of ten", False, None),
        ("six", False, None),  # a bare number with no question asked is not a rating
        ("i've been waiting four months", False, None),
        ("i've been waiting four months", True, None),
        ("i went to the shop", True, None),  # "to" is not "two" inside a sentence
        ("i have 3 kids", True, None),
        ("fine thanks", True, None),
    ],
)
def test_parse_rating(text, expecting, want):
    assert parse_rating(text, expecting=expecting) == want


def test_numbers_are_written_to_be_spoken():
    assert number_words(6) == "six"
    assert number_words(42) == "forty two"
    assert digits_words("988") == "nine eight eight"
    assert speakable("call 988 or 116 123 at 6:30, it's 4 of 10") == (
        "call nine eight eight or one one six one two three at six thirty, it's four of ten"
    )


def test_second_person_and_own_words():
    assert second_person("i am scared of my boss") == "you are scared of your boss"
    assert second_person("you never listen to me") == "I never listen to you"
    assert own_words("um im feeling really low my boss shouted at me and i think im useless") == (
        "you're feeling really low, your boss shouted at you")
    assert own_words("yeah i cant sleep because you know my mind keeps racing at night and i just lie there") == (
        "you can't sleep because your mind keeps racing at night")
    assert own_words("i dont know im just tired") == "you're just tired"
    # trimmed at a clause, never ending on a dangling word
    w = own_words("my partner left me last week and i just keep crying all the time and i can't eat anything")
    assert w == "your partner left you last week"


@pytest.mark.parametrize("phrase", ["committed suicide", "suicide is a solution", "lethal dose", "how many pills"])
def test_unsafe_phrases_are_caught(phrase):
    assert phrase in UNSAFE_PHRASES
    text = f"Some people say {phrase} and that is that."
    assert not is_safe(text)
    assert unsafe_phrases(text)
    assert any("unsafe" in p for p in check_reply(text))


def test_safe_text_passes_and_checks_find_problems():
    assert check_reply("It sounds like work has been heavy. What's the hardest part?") == []
    assert "more than one question" in check_reply("How are you? What happened?")
    assert any("words" in p for p in check_reply(" ".join(["word"] * 41)))
    assert any("digits" in p for p in check_reply("Call 988."))
    assert any("markup" in p for p in check_reply("**Breathe** in."))
    assert any("markup" in p for p in check_reply("1. breathe\n2. relax"))


def test_phraser_never_repeats_a_line_in_a_row():
    p = Phraser(seed=3)
    opts = ["a", "b", "c"]
    picks = [p.pick("k", opts) for _ in range(200)]
    assert all(x != y for x, y in zip(picks, picks[1:], strict=False))
    assert set(picks) == set(opts)
