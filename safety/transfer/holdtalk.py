"""What the line says while a person is being brought in: plain, warm, short, never music.

Hold-talk lines come from the dialogue manager's ``hold_talk()`` when it is there (so the voice stays
the same as the rest of the call), else from the grounding and check-in lines below. Safety-planning
steps follow the Stanley-Brown safety plan; none of them asks for or gives method details.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable

log = logging.getLogger(__name__)

# Said at once when the transfer starts: what is happening and that the line stays.
BRIDGING = (
    "Thank you for telling me. I'm bringing in a person to talk with you now, "
    "and I'll stay right here on the line with you until they join."
)
# Imminent risk: emergency guidance first, then the same promise.
EMERGENCY = (
    "If you are in danger right now, or you have already hurt yourself, "
    "please call {emergency} now, or ask someone near you to call. "
)
CONNECTED = "Someone from our team is here with you now. I'll be quiet and let you two talk."
CONNECTING_PHONE = (
    "Someone has picked up. They're getting a short summary, so you won't have to repeat yourself. "
    "I'm connecting you now."
)
TRYING_NEXT = "They didn't pick up. I'm trying someone else now, and I'm still here with you."
CRISIS_LINE_NEXT = (
    "I'm going to try the crisis line next, {crisis}. It's free and open all night. "
    "I'll stay on the line while it rings."
)
CRISIS_LINE_SELF = (
    "You can also call or text {crisis} yourself at any time; it's free and open all night. "
    "I'm staying right here with you."
)
# The transfer itself broke: the escalation stays in the console's queue, and the caller gets the crisis line.
LAST_RESORT = (
    "I'm still here with you, and someone from our team has been asked to join us. "
    "You can also call or text {crisis} yourself at any time; it's free and open all night."
)
ALL_BUSY = (
    "Nobody has picked up yet, and I'm sorry you're waiting. I'm not going anywhere. "
    "I'll keep trying, and while I do, let's take some small steps together."
)
RETRYING = "I'm trying to reach a person again now. I'm still here with you."
STILL_TRYING = "Still nobody free yet. I'm staying with you, and I'll keep trying. Let's keep going together."
HUMAN_LEFT = (
    "The person you were talking with has left the call. I'm still here if you'd like to keep talking."
)
CALLER_SPOKE = (
    "I hear you. Thank you for telling me. Someone is on the way, and I'm staying right here with you.",
    "I'm listening. You're not alone in this. A person will be with you soon.",
    "Thank you. I've heard that, and I'll pass it on so you don't have to say it again.",
)

GROUNDING = (
    "I'm still here with you.",
    "Let's breathe together. In slowly through your nose... and out through your mouth.",
    "Can you feel your feet on the floor? Press them down gently. I'm right here.",
    "Take your time. You don't have to say anything. I'm staying on the line.",
    "Try naming one thing you can see around you. Just notice it.",
    "Someone is on the way. You did the right thing by calling.",
    "Breathe in for four... hold for a moment... and slowly out.",
    "Notice one sound you can hear right now. I'm still with you.",
    "If you can, take a sip of water, or hold something that feels steady.",
    "You're not alone right now. I'm here, and a person is coming.",
)

SAFETY_PLAN = (
    "What are some things that tend to tell you a hard moment is coming? You can just think about it.",
    "What's one thing that has helped you get through a moment like this before, even a little?",
    "Is there a place, or a person, that helps take your mind off things, even for a few minutes?",
    "Is there someone you trust who you could call or text tonight, a friend or someone in your family?",
    "If there's anything nearby you could use to hurt yourself, could you put it in another room for now?",
    "What's one reason, big or small, to get through tonight? It can be anything.",
    "Let's keep your breathing slow. In for four, and out for six.",
)


class HoldTalk:
    """Varied lines of company, never the same line twice in a row."""

    def __init__(self, source: Callable[[], str | None] | None = None, seed: int | None = None,
                 crisis_line: str = "988") -> None:
        self._source = source or _dialogue_hold_talk(seed, crisis_line)
        self._rng = random.Random(seed)
        self._last = ""
        self._bag: list[str] = []
        self._plan_i = 0
        self._spoke_i = 0

    def next_line(self) -> str:
        line = None
        if self._source is not None:
            try:
                line = self._source()
            except Exception:  # the dialogue layer must never leave a caller in silence
                log.exception("hold_talk source failed; using built-in lines")
        if not line or line == self._last:
            line = self._from_bag()
        self._last = line
        return line

    def _from_bag(self) -> str:
        """A shuffled bag of the built-in lines: every line once before any repeats, never the last one."""
        for _ in range(2):
            if not self._bag:
                self._bag = list(GROUNDING)
                self._rng.shuffle(self._bag)
            candidates = [g for g in self._bag if g != self._last]
            if candidates:
                line = candidates[-1]
                self._bag.remove(line)
                return line
            self._bag = []
        return GROUNDING[0] if GROUNDING[0] != self._last else GROUNDING[1]

    def next_plan_step(self) -> str:
        step = SAFETY_PLAN[self._plan_i % len(SAFETY_PLAN)]
        self._plan_i += 1
        return step

    def caller_spoke(self) -> str:
        line = CALLER_SPOKE[self._spoke_i % len(CALLER_SPOKE)]
        self._spoke_i += 1
        return line


def _dialogue_hold_talk(seed: int | None = None, crisis_line: str = "988") -> Callable[[], str | None] | None:
    """The dialogue manager's hold_talk(), as text, when dialogue provides it."""
    try:
        from dialogue.manager import DialogueManager
    except Exception:
        return None
    if not hasattr(DialogueManager, "hold_talk"):
        return None
    try:
        dm = DialogueManager(crisis_line=crisis_line, seed=seed)
    except Exception:
        log.exception("could not build a DialogueManager for hold talk")
        return None

    def source() -> str | None:
        reply = dm.hold_talk()
        text = " ".join(p for p in getattr(reply, "parts", []) if isinstance(p, str)).strip()
        return text or None

    return source
