"""Optional PHQ-2 and GAD-2 check (Kroenke et al. 2003, 2007): four questions about the last two weeks,
each scored 0-3; a score of 3 or more on either pair is the published cut-off for following up. It is a
check, never called a diagnosis."""

from __future__ import annotations

import re

from dialogue.numbers import number_words
from dialogue.techniques.base import Step, Technique
from dialogue.understanding import Understanding

CUTOFF = 3
ITEMS = [
    ("phq", "little interest or pleasure in doing things"),
    ("phq", "feeling down, depressed or hopeless"),
    ("gad", "feeling nervous, anxious or on edge"),
    ("gad", "not being able to stop or control worrying"),
]
_ANSWERS = [
    (3, r"\b(?:nearly every ?day|near(?:ly)? every|almost every ?day|every ?day|all the time|always|constantly|"
        r"every single day|daily)\b"),
    (2, r"\b(?:more than half|over half|half the (?:days|time)|most days|most of the time|often|a lot|loads|"
        r"more than (?:a )?half|mostly)\b"),
    (1, r"\b(?:several days|several|some days|a few days|a few|sometimes|a couple|now and then|once or twice|"
        r"occasionally|a bit|a little|some of the time|few days)\b"),
    (0, r"\b(?:not at all|never|none|no days|not really|hardly|no not|nope|zero|not once)\b|^no$"),
]
_SIMPLE = {"0": ("not at all", "never", "none"), "1": ("some days", "some", "sometimes"),
           "2": ("most days", "most", "a lot", "often")}


def score_answer(text: str) -> int | None:
    t = text.lower()
    for score, rx in _ANSWERS:
        if re.search(rx, t):
            return score
    m = re.fullmatch(r"\s*(zero|one|two|three|[0-3])\s*", t)
    if m:
        g = m.group(1)
        return int(g) if g.isdigit() else {"zero": 0, "one": 1, "two": 2, "three": 3}[g]
    return None


def interpret(phq: int, gad: int) -> str:
    if phq >= CUTOFF and gad >= CUTOFF:
        return "Both are three or more, the usual point where it's worth talking to your doctor."
    if phq >= CUTOFF:
        return "Mood is three or more, the usual point where it's worth talking to your doctor."
    if gad >= CUTOFF:
        return "Worry is three or more, the usual point where it's worth talking to your doctor."
    return "Both are under three, the usual point for following up."


class Screening(Technique):
    name = "screening"
    label = "a short mood and worry check"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.scores: list[int] = []
        self.simple = False

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step(["These are four standard questions about the last two weeks.",
                               "It's a check, not a diagnosis. Shall we start?"], suggest=True, yes_no=True))

    def _item(self, i: int) -> Step:
        what = ITEMS[i][1]
        if i == 0:
            q = (f"Over the last two weeks, how often have you had {what}: not at all, several days, "
                 "more than half the days, or nearly every day?")
        else:
            q = self.p.pick("scr_item", ["And how often have you been bothered by {w}?",
                                         "How often have you had {w}, over those two weeks?"], w=what)
        self.simple = False
        return self.keep(Step([q]))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            if u.answer == "no":
                return Step(["That's fine, we'll skip it."], done=True)
            self.stage = 1
            return self._item(0)
        score = score_answer(u.text)
        if score is None and self.simple and u.choice is not None:
            score = int(u.choice)
        if score is None:
            return None
        self.scores.append(score)
        if len(self.scores) < len(ITEMS):
            self.stage += 1
            return self._item(len(self.scores))
        phq, gad = sum(self.scores[:2]), sum(self.scores[2:])
        self.result = "you did a short mood and worry check"
        self.ctx.notes["screening"] = {"phq2": phq, "gad2": gad}
        return Step([f"Thank you. Mood came to {number_words(phq)} out of six, and worry to {number_words(gad)}.",
                     interpret(phq, gad), "It's a check, not a diagnosis."], done=True, keep=True)

    def simpler(self) -> Step:
        if self.stage >= 1:
            self.simple = True
            return self.keep(Step(["Let's make it easier. Would you say not at all, some days, or most days?"],
                                  keywords=_SIMPLE))
        return super().simpler()
