"""Thought record: situation, automatic thought, emotion and intensity, evidence for and against, a
more balanced thought, and a re-rating of the feeling."""

from __future__ import annotations

import re

from dialogue.numbers import number_words
from dialogue.phrasing import is_safe, own_words
from dialogue.techniques.base import Step, Technique, feeling_of
from dialogue.techniques.thinking_traps import TRAPS, detect
from dialogue.understanding import Understanding

SITUATION, THOUGHT, EMOTION, RATE, FOR, AGAINST, BALANCED, RERATE = range(8)


class ThoughtRecord(Technique):
    name = "thought_record"
    label = "a thought record"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.situation = self.thought = self.balanced = ""
        self.feeling: str | None = None
        self.before: int | None = None
        self.after: int | None = None
        self.trap: str | None = None

    def _words(self, u: Understanding, n: int = 12) -> str:
        w = own_words(u.text, max_words=n)
        return w if is_safe(w) else ""

    def start(self) -> Step:
        self.stage = SITUATION
        return self.keep(Step([self.p.pick("tr_start", [
            "Let's look at one thought together, step by step. Think of a recent moment you felt this way. What was happening?",
            "Let's try a thought record. Pick one recent moment that felt hard. Where were you, and what was going on?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == SITUATION:
            sit = re.sub(r"^(?:it was|it's|this was|that was|well|so|um|uh)\s+", "", u.text)
            sit = re.sub(r"^(?:it was|it's)\s+", "", sit)
            self.situation = self._words(Understanding(text=sit), 12)
            self.stage = THOUGHT
            if re.match(r"(?:in|at|on|when|after|before|during|last|this|yesterday|today|earlier)\b", self.situation):
                lead = f"So it was {self.situation}."
            else:
                lead = f"So it was when {self.situation}." if self.situation else "Okay."
            return self.keep(Step([lead, self.p.pick("tr_thought", [
                "What went through your mind right then?", "What thought popped into your head in that moment?"])],
                reflect=bool(self.situation)))
        if self.stage == THOUGHT:
            bare = re.sub(r"^(?:(?:um|uh|well|so|and|just)\s+)*(?:i (?:just )?(?:thought|think|was thinking|kept thinking|"
                          r"told myself|said to myself)(?: that)?|the thought was|my thought was)\s+", "", u.text)
            self.thought = self._words(Understanding(text=bare), 12)
            self.trap = detect(u.text)
            self.feeling = feeling_of(u)
            if self.feeling and u.number is not None:
                self.before = u.number
                return self._ask_for()
            if self.feeling:
                self.stage = RATE
                return self.keep(Step([f"The thought was, {self.thought or 'that'}, and you felt {self.feeling}.",
                                       "How strong was that feeling, from nought to ten?"], reflect=True, expect_number=True))
            self.stage = EMOTION
            return self.keep(Step([f"The thought was, {self.thought or 'that'}." if self.thought else "Okay.",
                                   self.p.pick("tr_emotion", ["What feeling came with that thought?",
                                                              "And how did that thought make you feel?"])],
                                  reflect=bool(self.thought)))
        if self.stage == EMOTION:
            self.feeling = feeling_of(u) or (self._words(u, 4) or "that")
            if u.number is not None:
                self.before = u.number
                return self._ask_for()
            self.stage = RATE
            return self.keep(Step([f"You felt {self.feeling}.", "How strong was it, from nought to ten?"],
                                  reflect=True, expect_number=True))
        if self.stage == RATE:
            if u.number is None:
                return None
            self.before = u.number
            return self._ask_for()
        if self.stage == FOR:
            self.stage = AGAINST
            return self.keep(Step([self.p.pick("tr_ack", ["Okay.", "Thank you.", "That makes sense."]),
                                   self.p.pick("tr_against", [
                                       "Is there anything that doesn't quite fit that thought?",
                                       "What might not fit with that thought, even a small thing?"])]))
        if self.stage == AGAINST:
            self.stage = BALANCED
            lead = []
            if self.trap:
                tr = TRAPS[self.trap]
                lead = [f"That thought might be {tr.name}, {tr.what}."]
            if u.answer in ("dont_know", "no", "maybe"):
                return self.keep(Step(lead + ["That's okay. If a good friend had that thought, what would you tell them?"]))
            return self.keep(Step(lead + [self.p.pick("tr_balanced", [
                "Putting both sides together, what might be a fairer way to see it?",
                "So with both sides in mind, what's a more balanced way to put it?"])]))
        if self.stage == BALANCED:
            self.balanced = self._words(u, 12)
            self.stage = RERATE
            lead = f"A fairer thought: {self.balanced}." if self.balanced else "That's a good start."
            return self.keep(Step([lead, "Holding that in mind, how strong is the feeling now, from nought to ten?"],
                                  reflect=bool(self.balanced), expect_number=True))
        # RERATE
        if u.number is None:
            return None
        self.after = u.number
        before = self.before
        if before is not None and self.after < before:
            line = f"It went from {number_words(before)} to {number_words(self.after)}. That's a real shift."
        elif before is not None:
            line = f"It's at {number_words(self.after)}, and that's okay. Thoughts take practice to shift."
        else:
            line = "Thank you for working through that."
        self.result = ("you looked at the thought, " + (self.thought or "that thought")
                       + (", and found a fairer one" if self.balanced else ""))
        return Step([line], done=True)

    def _ask_for(self) -> Step:
        self.stage = FOR
        return self.keep(Step([self.p.pick("tr_for", [
            "What makes that thought feel true?", "What's the evidence for that thought, as you see it?"])]))

    def simpler(self) -> Step:
        if self.stage in (RATE, RERATE):
            return self.keep(Step(["Let's try it another way. Is the feeling strong, medium, or mild?"],
                                  keywords={"8": ("strong", "high", "bad", "lot", "very"), "5": ("medium", "middle", "okay"),
                                            "2": ("mild", "low", "little", "bit", "weak")}, expect_number=True))
        return super().simpler()
