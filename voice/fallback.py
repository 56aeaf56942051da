"""What the line says when one of its own parts has failed: the error paths' phrase bank.

These lines are spoken when the dialogue, the risk model, the voice or the transfer manager broke, so
they depend on none of them: plain text, the crisis line filled in, cached by the phrase cache at
start-up (voice/switchboard.py) so that a failing voice model still has something ready to play.

Safe-messaging: warm, short, no method words, always a way to a person, and the crisis line wherever
risk may be in play (tests/safety/test_spoken_phrases.py checks every line here).
"""

from __future__ import annotations

import itertools

# A reply could not be made (the dialogue raised): ask again, and keep the door to a person open.
SORRY_AGAIN = "I'm sorry, I lost my thread for a moment. Could you say that again?"
SORRY_AGAIN_FLAGGED = (
    "I'm sorry, I lost my thread for a moment. If you'd like a person, just say so, or call {crisis}. "
    "Could you say that again?"
)
# The dialogue could not make its gentle prompt for a silent caller.
STILL_HERE = "I'm still here. Take your time."
# One sentence of a reply could not be voiced: said in its place, then the reply goes on.
SENTENCE_LOST = "Sorry, I lost a few words there."
# A call that is not escalated cannot go on: say this, then end it.
ERROR_GOODBYE = (
    "I'm sorry, something went wrong on my side. If you need to talk to someone now, call {crisis}."
)
# The risk model failed on the caller's words: we cannot tell how they are, so offer a person.
RISK_UNKNOWN = (
    "Thank you for telling me. If you'd like to talk with a person, I can bring one in, "
    "or you can call {crisis} any time. Would you like me to get someone?"
)
# An escalated caller and the transfer manager failed (or a call task died): the line keeps company.
SEEKING_FIRST = (
    "I'm still here with you, and I'm trying to reach a person for you now. "
    "If you need someone straight away, you can call or text {crisis}."
)
SEEKING = (
    "I'm still here with you. I'm trying to reach a person for you.",
    "You're not alone. I'm staying on the line while I find someone.",
    "I'm still looking for a person for you. You can also call or text {crisis} at any time.",
    "Take your time. I'm right here, and someone is being found for you.",
    "Let's breathe slowly together while we wait. In, and out. I'm still here.",
    "I'm still trying to reach a person. If we get cut off, please call {crisis}.",
)
HEARD_YOU = "I hear you. Thank you for telling me. I'm staying with you, and I'm still trying to reach a person."


def spoken_number(number: str) -> str:
    """'988' -> 'nine eight eight': a short number read digit by digit (TTS would say a quantity)."""
    names = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    if number.isdigit() and len(number) <= 4:
        return " ".join(names[int(d)] for d in number)
    return number


def fill(text: str, crisis: str) -> str:
    return text.format(crisis=spoken_number(crisis))


class Seeking:
    """The fallback company lines for one call: the full line first, then the others in turn, the crisis
    line at least every third line."""

    def __init__(self, crisis: str) -> None:
        self.crisis = crisis
        self._first = True
        self._cycle = itertools.cycle(SEEKING)

    @property
    def fresh(self) -> bool:
        """Nothing said yet: the next line is the full one (a person is being sought, the crisis line)."""
        return self._first

    def next_line(self) -> str:
        if self._first:
            self._first = False
            return fill(SEEKING_FIRST, self.crisis)
        return fill(next(self._cycle), self.crisis)

    def heard(self) -> str:
        return fill(HEARD_YOU, self.crisis)


def all_lines(crisis: str = "988") -> list[str]:
    """Every line in this bank, filled in (for the phrase cache and the safe-messaging test)."""
    bank = [SORRY_AGAIN, SORRY_AGAIN_FLAGGED, STILL_HERE, SENTENCE_LOST, ERROR_GOODBYE, RISK_UNKNOWN, SEEKING_FIRST,
            *SEEKING, HEARD_YOU]
    return [fill(t, crisis) for t in bank]
