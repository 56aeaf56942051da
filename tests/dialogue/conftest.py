"""Helpers for driving the dialogue manager like a caller would (lowercase ASR-style text)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dialogue.manager import DialogueManager
from dialogue.phrasing import check_reply
from dialogue.types import Reply
from safety.types import Action, Decision, Kind, Level

DISCLOSURE = ("automated assistant", "not a therapist", "emergency service")


def decision(action: str = "continue", level: str = "none", kind: str = "none", **kw) -> Decision:
    return Decision(level=Level(level), kind=Kind(kind), action=Action(action), **kw)


@dataclass
class Convo:
    m: DialogueManager
    replies: list[Reply] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.replies.append(self.m.greeting())

    def say(self, text: str, d: Decision | None = None) -> Reply:
        r = self.m.respond(text, d)
        self.replies.append(r)
        return r

    def script(self, lines: list[str]) -> list[Reply]:
        return [self.say(x) for x in lines]

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    def texts(self) -> list[str]:
        return [r.text for r in self.replies]

    def assert_spoken_ok(self) -> None:
        for r in self.replies:
            assert check_reply(r.text) == [], (r.text, check_reply(r.text))
        for a, b in zip(self.replies, self.replies[1:], strict=False):
            assert a.text != b.text, f"same words twice in a row: {a.text!r}"


@pytest.fixture
def convo():
    def make(seed: int = 0, **kw) -> Convo:
        return Convo(DialogueManager(seed=seed, **kw))

    return make
