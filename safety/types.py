"""Shared vocabulary of the safety layer: risk levels and kinds (C-SSRS aligned, as in
docs/architecture.md), escalation actions, and the result types that pass between packages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    IMMINENT = "imminent"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    def __lt__(self, other: object) -> bool:  # str's ordering would be alphabetical
        return self.rank < Level(other).rank

    def __le__(self, other: object) -> bool:
        return self.rank <= Level(other).rank

    def __gt__(self, other: object) -> bool:
        return self.rank > Level(other).rank

    def __ge__(self, other: object) -> bool:
        return self.rank >= Level(other).rank


_LEVEL_RANK = {lvl: i for i, lvl in enumerate(Level)}


class Kind(StrEnum):
    NONE = "none"
    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    ABUSE = "abuse"
    MEDICAL = "medical"
    THIRD_PARTY = "third_party"


class Action(StrEnum):
    """What the escalation policy asks of the line (docs/architecture.md, "Escalation policy")."""

    CONTINUE = "continue"
    CHECK_IN = "check_in"  # low: gentle check-in and an offer of a human
    OFFER_HUMAN = "offer_human"  # moderate: safety-planning steps and a strong offer of a human
    WARM_TRANSFER = "warm_transfer"  # high: warm transfer now
    EMERGENCY_GUIDANCE = "emergency_guidance"  # imminent: warm transfer now and emergency guidance


@dataclass(frozen=True)
class Assessment:
    """One utterance's risk, explained by named signals such as ``method:medication``."""

    text: str
    level: Level = Level.NONE
    kind: Kind = Kind.NONE
    signals: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"text": self.text, "level": self.level.value, "kind": self.kind.value, "signals": list(self.signals)}


@dataclass(frozen=True)
class Decision:
    """The call-level verdict after a turn: the call's level so far (never goes down) and the action."""

    level: Level = Level.NONE
    kind: Kind = Kind.NONE
    action: Action = Action.CONTINUE
    signals: tuple[str, ...] = ()
    raised: bool = False  # the call's level went up on this turn
    walked_back: bool = False  # the caller took back something risky ("just kidding")
    turn_level: Level = Level.NONE  # this turn's own level, before the call-level maximum
    quotes: tuple[tuple[float, str], ...] = field(default=())  # (unix time, words) that raised the level
