"""Behavioural activation: one small, specific activity, with a when."""

from __future__ import annotations

from dialogue.phrasing import is_safe, own_words
from dialogue.techniques.base import Step, Technique
from dialogue.techniques.when import find_when, when_or_words
from dialogue.understanding import Understanding

IDEAS = {"walk": ("walk", "outside", "fresh air"), "shower": ("shower", "bath", "wash"),
         "call": ("call", "phone", "text", "friend", "ring")}
IDEA_WORDS = {"walk": "a short walk outside", "shower": "a warm shower", "call": "texting a friend"}


class Activation(Technique):
    name = "activation"
    label = "planning one small activity"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.activity = ""
        self.when = ""

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("act_start", [
            "When mood is low, doing one small thing can lift it a little. What's something small you used to enjoy?",
            "Small actions can nudge mood up. What's one little thing you've been meaning to do, or used to enjoy?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage in (0, 1):
            if self.stage == 1 and u.choice:
                self.activity = IDEA_WORDS[u.choice]
            elif u.answer in ("dont_know", "no", "maybe") or not own_words(u.text):
                self.stage = 1
                return self.keep(Step(["That's okay, it can be hard to think of one.",
                                       "Would a short walk, a warm shower, or texting a friend work?"],
                                      keywords=IDEAS, suggest=True))
            else:
                words = own_words(u.text, max_words=8)
                self.activity = words if is_safe(words) else "that"
            when = find_when(u.text)
            if when:
                self.when = when
                return self._likely()
            self.stage = 2
            return self.keep(Step([self.p.pick("act_ack", ["{a}, that's a good one.", "{a}. I like that."],
                                               a=self.activity[:1].upper() + self.activity[1:]),
                                   "When could you do it, for example tomorrow morning?"], reflect=True))
        if self.stage == 2:
            self.when = when_or_words(u.text) if u.answer not in ("dont_know", "maybe") else "tomorrow"
            if not self.when.strip(" ,.") or u.answer == "yes":
                self.when = "tomorrow morning"  # "okay" agrees with the example the line gave
            return self._likely()
        if self.stage == 3:
            n = u.number
            if n is None and u.answer == "yes":
                n = 7
            if n is None and u.answer in ("no", "dont_know", "maybe"):
                n = 3
            if n is None:
                return None
            if n >= 6:
                return self._finish("That sounds doable. Go gently with yourself.")
            self.stage = 4
            return self.keep(Step(["Let's make it smaller, so it's easy to start.",
                                   "What's a tiny first piece of it?"]))
        small = own_words(u.text, max_words=8)
        if small and is_safe(small) and u.answer is None:
            self.activity = small
        return self._finish("Good. Starting small is how it works.")

    def _likely(self) -> Step:
        self.stage = 3
        return self.keep(Step([f"So, {self.activity}, {self.when}.",
                               "How likely are you to do it, from nought to ten?"], expect_number=True))

    def _finish(self, line: str) -> Step:
        self.result = f"you planned {self.activity}, {self.when}"
        self.ctx.notes["next_step"] = f"{self.activity}, {self.when}"
        return Step([line], done=True)
