"""Simple problem solving: name the problem, two options, pick one, the first step and when."""

from __future__ import annotations

from dialogue.phrasing import is_safe, own_words
from dialogue.techniques.base import Step, Technique, reflect_line
from dialogue.techniques.when import find_when
from dialogue.understanding import Understanding


class ProblemSolving(Technique):
    name = "problem_solving"
    label = "breaking a problem down"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.problem = ""
        self.options: list[str] = []
        self.chosen = ""

    def _w(self, u: Understanding, n: int = 8) -> str:
        w = own_words(u.text, max_words=n)
        return w if w and is_safe(w) else ""

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("ps_start", [
            "Let's take one problem and break it down. In a sentence, what's the problem?",
            "Let's pick one problem and make it smaller. What's the problem, in a few words?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            self.problem = self._w(u, 10) or "this problem"
            self.stage = 1
            return self.keep(Step([reflect_line(self.p, u.text, u.emotions, max_words=10),
                                   "What's one thing you could try, even a small one?"], reflect=True))
        if self.stage == 1:
            self.options.append(self._w(u) or "the first idea")
            self.stage = 2
            return self.keep(Step(["Okay, that's one.", "What's another option, even one that seems silly?"]))
        if self.stage == 2:
            if u.answer in ("no", "dont_know") and u.words <= 4:
                self.chosen = self.options[0]
                return self._first_step()
            self.options.append(self._w(u) or "the second idea")
            self.stage = 3
            a, b = self.options
            return self.keep(Step([f"So you could {a}, or {b}." if not a.startswith("you") else f"So, {a}, or {b}.",
                                   "Which feels more doable?"],
                                  keywords={"a": tuple(a.split()[-2:]) if len(a.split()) >= 2 else (a,),
                                            "b": tuple(b.split()[-2:]) if len(b.split()) >= 2 else (b,)}))
        if self.stage == 3:
            if u.choice == "b" or "second" in u.text or "other" in u.text or "last" in u.text:
                self.chosen = self.options[1]
            else:
                self.chosen = self.options[0]
            return self._first_step()
        when = find_when(u.text)
        step = self._w(u) or self.chosen
        self.result = f"you broke down {self.problem}, and chose {self.chosen}"
        self.ctx.notes["next_step"] = step + (f", {when}" if when and when not in step else "")
        return Step([f"So the first step is {step}." if not step.startswith("you") else f"So, {step}.",
                     "That's a clear place to start."], done=True, reflect=True)

    def _first_step(self) -> Step:
        self.stage = 4
        return self.keep(Step(["Good choice.", "What's the very first step, and when will you take it?"]))
