"""Five-four-three-two-one grounding, one sense at a time, with real pauses to notice."""

from __future__ import annotations

from dialogue.techniques.base import Step, Technique
from dialogue.types import Pause
from dialogue.understanding import Understanding

SENSES = [
    ("five things you can see", 8.0),
    ("four things you can touch or feel, like your feet on the floor", 7.0),
    ("three things you can hear", 6.0),
    ("two things you can smell, or two smells you like", 5.0),
    ("one thing you can taste, or one kind thing to say to yourself", 4.0),
]
DONE_PROMPTS = ["Say done when you're ready.", "Just tell me when you've got them.", "Take your time, then say done."]


class Grounding(Technique):
    name = "grounding"
    label = "a grounding exercise"

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("gr_start", [
            "Let's try grounding, noticing what's around you to come back to right now. Shall we?",
            "Grounding can help when everything feels too much. It uses your senses. Would you like to try?",
        ])], suggest=True, yes_no=True))

    def _sense(self, i: int) -> Step:
        what, pause = SENSES[i]
        lead = ["Look around you, and quietly name", "Good. Now notice", "Now", "Nearly there. Now", "And last,"][i]
        return self.keep(Step([f"{lead} {what}.", Pause(pause * (1.3 if self.ctx.slow else 1.0)),
                               self.p.pick("gr_done", DONE_PROMPTS)]))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            if u.answer == "no":
                return Step(["That's fine, we can skip it."], done=True)
            self.stage = 1
            return self._sense(0)
        if 1 <= self.stage <= 4:
            self.stage += 1
            return self._sense(self.stage - 1)
        if self.stage == 5:
            self.stage = 6
            return self.keep(Step([self.p.pick("gr_how", ["How are you feeling now, compared with before?",
                                                          "How does that leave you feeling?"])]))
        better = any(e in ("good", "okay") for e in u.emotions) or u.answer == "yes"
        self.result = "you grounded yourself, with five things you could see down to one you could taste"
        self.ctx.notes.setdefault("next_step_idea", "five four three two one grounding when things feel too much")
        lead = "I'm glad." if better else "Thank you for doing that with me."
        return Step([lead, "You can do it anywhere, five things you see, down to one you taste."], done=True)
