"""Property tests over many generated conversations (ASR-style turns, random safety decisions)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogue.manager import DialogueManager
from dialogue.phrasing import check_reply
from safety.types import Action, Decision, Kind, Level
from tests.dialogue.conftest import DISCLOSURE

UTTERANCES = [
    # consent, yes/no/maybe
    "yes", "yeah", "okay", "sure", "no", "nope", "not really", "maybe", "i dont know", "i guess",
    # stories and feelings
    "i've been really anxious about work", "im feeling really low my boss shouted at me",
    "i cant sleep my mind keeps racing", "i've been on the waiting list for four months",
    "my mum died last month and i cant stop crying", "i feel so lonely since my sister moved",
    "everyone thinks im useless", "i'm going to fail my exams", "im such an idiot",
    "i'm worried about money all the time", "i feel numb", "im fine just tired",
    # words that must never be echoed back
    "i keep thinking about the bridge", "i looked up how many pills it would take", "i bought a rope",
    # numbers, including misrecognitions
    "about a six", "seven out of ten", "a sex out of ten", "for", "ate", "two", "ten", "maybe a three or four",
    # choices
    "the first one", "the second", "breathing", "the breeding one", "the thought one", "just talk",
    "worry time", "sleep", "the wait", "grounding", "the mood check", "problem", "thinking traps",
    "can we do something else", "can we do grounding instead",
    # answers inside exercises
    "done", "a walk", "tomorrow morning", "six in the evening", "more than half the days", "nearly every day",
    "several days", "not at all", "calmer", "a bit better", "my sister", "going for a run",
    # repair and control
    "say that again", "sorry what", "slow down", "you're going too fast", "stop", "delete what i said",
    "i want to talk to a person", "thank you", "goodbye", "bye",
    # silence and mumbles
    "", "", "um", "uh", "hmm", "mm the",
]

# What a caller in UTTERANCES says to end a call (or to turn the call down).
END_SIGNALS = {"no", "nope", "not really", "not at all", "stop", "goodbye", "bye"}


def _question(text: str) -> str | None:
    if "?" not in text:
        return None
    head = text[: text.rindex("?") + 1]
    return re.split(r"(?<=[.!])\s+", head)[-1].lower()


ACTIONS = [Action.CONTINUE] * 8 + [Action.CHECK_IN, Action.OFFER_HUMAN, Action.WARM_TRANSFER,
                                   Action.EMERGENCY_GUIDANCE]
LEVEL_FOR = {Action.CONTINUE: Level.NONE, Action.CHECK_IN: Level.LOW, Action.OFFER_HUMAN: Level.MODERATE,
             Action.WARM_TRANSFER: Level.HIGH, Action.EMERGENCY_GUIDANCE: Level.IMMINENT}
RANK = {a: i for i, a in enumerate([Action.CONTINUE, Action.CHECK_IN, Action.OFFER_HUMAN, Action.WARM_TRANSFER,
                                    Action.EMERGENCY_GUIDANCE])}

turns = st.lists(
    st.tuples(st.sampled_from(UTTERANCES), st.sampled_from(ACTIONS), st.booleans(), st.integers(0, 9)),
    min_size=1, max_size=22,
)


def run(seed: int, script, with_safety: bool, end_with_goodbye: bool):
    m = DialogueManager(seed=seed)
    replies = [m.greeting()]
    said: list[str] = []
    current = Action.CONTINUE
    for text, action, walked_back, silent in script:
        if with_safety and RANK[action] > RANK[current] and silent == 0:
            current = action  # the call's action never goes down, like CallRiskState
        d = Decision(level=LEVEL_FOR[current], kind=Kind.SUICIDE if current != Action.CONTINUE else Kind.NONE,
                     action=current, walked_back=walked_back and current != Action.CONTINUE and silent == 1)
        replies.append(m.on_silence() if silent == 9 else m.respond(text, d if with_safety else None))
        replies[-1].meta["heard"] = list(said)
        replies[-1].meta["caller"] = text if silent != 9 else ""
        if silent != 9:
            said.append(text)
        if replies[-1].end_call:
            break
    if end_with_goodbye and not replies[-1].end_call:
        replies.append(m.respond("goodbye", None))
        replies[-1].meta["caller"] = "goodbye"
    return m, replies


@settings(max_examples=int(__import__("os").environ.get("DIALOGUE_EXAMPLES", "250")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), script=turns, with_safety=st.booleans(), bye=st.booleans())
def test_every_generated_conversation_is_safe_and_spoken(seed, script, with_safety, bye):
    m, replies = run(seed, script, with_safety, bye)

    # disclosure in the first reply
    first = replies[0].text.lower()
    assert all(d in first for d in DISCLOSURE) and "person" in first

    for r in replies:
        # at most one question, at most forty words, no unsafe phrase, nothing for the eye only
        assert check_reply(r.text) == [], (r.text, check_reply(r.text))
        # ... and fits them by design: the forty-word net never had to cut a reply (or an exercise) short
        assert not r.meta.get("trimmed"), r.text
    for a, b in zip(replies, replies[1:], strict=False):
        assert a.text != b.text, a.text

    # a reflection before the first suggestion, and a reflection uses the caller's own words or feeling
    for r in replies:
        if r.meta.get("reflect"):
            heard = {w for line in r.meta["heard"] + [r.meta.get("caller", "")] for w in line.replace("'", " ").split()
                     if len(w) >= 4}
            spoken = set(r.text.lower().replace("'", " ").replace(",", " ").replace(".", " ").split())
            assert heard & spoken or "feeling" in spoken or "you'd like" in r.text.lower(), (r.text, heard)
            break
        assert not r.meta.get("suggest"), [x.text for x in replies]

    # the same question is never asked three times in a row (unless the caller asked to hear it again)
    asked = [None if r.meta.get("repeat") or r.meta.get("silence") else _question(r.text) for r in replies]
    for a, b, c in zip(asked, asked[1:], asked[2:], strict=False):
        assert not (a and a == b == c), (a, [r.text for r in replies])

    # the line hangs up only after the caller signalled an end (a goodbye, stop, a clear no)
    for i, r in enumerate(replies):
        if r.end_call:
            closed_before = i > 1 and replies[i - 1].state == "closed"
            assert closed_before or r.meta.get("caller") in END_SIGNALS, (r.meta.get("caller"), r.text)

    # every ended conversation closes with how to reach help
    for r in replies:
        if r.end_call:
            t = r.text.lower()
            assert "nine eight eight" in t and "person" in t, r.text
    if bye and m.state not in ("transfer",):
        assert replies[-1].end_call or m.state == "transfer"


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), crisis=st.sampled_from(["988", "116 123", "0800 1111"]))
def test_crisis_line_is_configurable_and_spoken(seed, crisis):
    from dialogue.numbers import digits_words

    m = DialogueManager(seed=seed, crisis_line=crisis)
    g = m.greeting()
    assert digits_words(crisis) in g.text and not any(ch.isdigit() for ch in g.text)
    r = m.respond("goodbye")
    assert r.end_call and digits_words(crisis) in r.text
