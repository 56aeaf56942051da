"""Worry postponement: sort a worry into "can act on it" or "what-if", then act or park it for worry time."""

from __future__ import annotations

from dialogue.phrasing import is_safe, own_words
from dialogue.techniques.base import Step, Technique, is_clause, reflect_line
from dialogue.techniques.when import when_or_words
from dialogue.understanding import Understanding

KINDS = {
    "act": ("act", "do something", "can do", "something i can do", "practical", "real", "actual", "fix", "sort"),
    "whatif": ("what if", "what-if", "whatif", "can't do", "nothing i can", "might", "hypothetical", "worry",
               "out of my control", "can't control"),
}
KIND_OPTIONS = {
    "act": ("something i can do something about", "it's a real problem i can act on", "i can sort it"),
    "whatif": ("it's a what if", "i can't do anything about it", "it's out of my control", "it might happen"),
}


class Worry(Technique):
    name = "worry"
    label = "worry time"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.worry = ""
        self.parked = ""  # how the summary names it: "the worry, what if you lose your job, until six"

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("worry_start", [
            "Let's try something called worry time. What's the worry that keeps coming back?",
            "Worries can take over a whole day. Let's try putting one in its place. Which worry is loudest right now?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            w = own_words(u.text, max_words=10)
            # "the worry about money" reads well; "the worry about what if you lose your job" does not
            self.worry = f"the worry about {w}" if w and is_safe(w) and not is_clause(w) else "that worry"
            self.parked = f"the worry, {w}," if w and is_safe(w) and is_clause(w) else self.worry
            self.stage = 1
            return self.keep(Step([reflect_line(self.p, u.text, u.emotions, max_words=10),
                                   "Is it something you can act on now, or more of a what if?"],
                                  reflect=True, keywords=KINDS, options=KIND_OPTIONS))
        if self.stage == 1:
            if u.choice == "act" or u.answer == "yes":
                self.stage = 2
                return self.keep(Step(["Then let's make it practical.", "What's one small step you could take on it?"]))
            if u.choice == "whatif" or u.answer in ("no", "maybe", "dont_know"):
                self.stage = 3
                return self.keep(Step(["Then let's park it for later.", self.p.pick("worry_when", [
                    "When could you give it fifteen minutes of worry time, say early evening?",
                    "What time later could you set aside fifteen minutes just for worrying?"])]))
            return None
        if self.stage == 2:
            step = own_words(u.text, max_words=8)
            step = step if is_safe(step) and step else "that step"
            self.result = f"you found a step for {self.worry}: {step}"
            self.ctx.notes["next_step"] = step
            return Step([f"So your step is, {step}.", "Doing something small usually quietens a worry."], done=True)
        if self.stage == 3:
            self.when = when_or_words(u.text) if u.answer not in ("dont_know", "maybe") else "six this evening"
            self.stage = 4
            return self.keep(Step([f"Okay, worry time at {self.when}.",
                                   "Until then, when the worry shows up, notice it and tell it, later.",
                                   "Does that sound doable?"], yes_no=True))
        self.result = f"you parked {self.parked or self.worry} until {self.when}"
        self.ctx.notes["next_step"] = f"worry time at {self.when}"
        lead = "Good." if u.answer != "no" else "That's okay, it takes practice."
        return Step([lead, "Writing the worry down can help you leave it till then."], done=True)
