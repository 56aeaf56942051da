"""Paced breathing: in for four, out for six, with the count spoken and real pauses between."""

from __future__ import annotations

from dialogue.techniques.base import Step, Technique
from dialogue.types import Pause
from dialogue.understanding import Understanding

MAX_ROUNDS = 3


def paced_round(first: bool, slow: bool = False) -> list:
    """One spoken set of breaths. The first is counted aloud; the rest leave the count to silence."""
    beat = 1.0 if not slow else 1.3
    if first:
        parts: list = ["Breathe in gently,"]
        for n in ("two,", "three,", "four."):
            parts += [Pause(beat * 0.6), n]
        parts += [Pause(0.5), "And slowly out,"]
        for n in ("two,", "three,", "four,", "five,", "six."):
            parts += [Pause(beat * 0.6), n]
        parts += [Pause(1.0), "Again. In,", Pause(4.0), "and out.", Pause(6.0)]
    else:
        parts = ["In,", Pause(4.0), "and out.", Pause(6.0), "Once more, in,", Pause(4.0), "and out.", Pause(6.0)]
    return parts


class Breathing(Technique):
    name = "breathing"
    label = "some slow breathing"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.rounds = 0

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("br_start", [
            "Let's slow your breathing together. In for four, and out for six. Ready when you are?",
            "Slow breathing can calm the body down. We'll breathe in for four and out for six. Shall we start?",
        ])], suggest=True, yes_no=True))

    def _round(self) -> Step:
        self.rounds += 1
        self.stage = 1
        lead = [self.p.pick("br_lead", ["Okay.", "Alright, here we go."])] if self.rounds == 1 else \
            [self.p.pick("br_again", ["Let's go again.", "One more round."])]
        after = self.p.pick("br_after", ["How does that feel now?", "How's your body feeling now?",
                                         "How are you feeling after that?"])
        return self.keep(Step([*lead, *paced_round(self.rounds == 1, self.ctx.slow), after]))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            if u.answer == "no":
                self.result = None
                return Step(["That's okay, we don't have to."], done=True)
            return self._round()
        if self.stage == 1:
            better = any(e in ("good", "okay") for e in u.emotions) or u.answer == "yes"
            lead = "I'm glad it helped a little." if better else "Thank you for trying it with me."
            if self.rounds >= MAX_ROUNDS:
                return self._finish(lead)
            self.stage = 2
            return self.keep(Step([lead, self.p.pick("br_more", [
                "Would you like another round?", "Shall we do a few more breaths?"])], yes_no=True))
        if u.answer in ("yes", "maybe") or u.choice == "more":
            return self._round()
        return self._finish(self.p.pick("br_end", ["Okay, we'll leave it there.", "Alright."]))

    def _finish(self, lead: str) -> Step:
        self.result = "you slowed your breathing down, in for four and out for six"
        self.ctx.notes.setdefault("next_step_idea", "a few slow breaths, in for four and out for six")
        return Step([lead, "You can use this breathing any time, just in for four and out for six."], done=True)
