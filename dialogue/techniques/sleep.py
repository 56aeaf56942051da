"""Sleep wind-down: what happens at night, one or two sleep habits, and an optional short body relaxation
with real pauses."""

from __future__ import annotations

from dialogue.techniques.base import Step, Technique, reflect_line
from dialogue.types import Pause
from dialogue.understanding import Understanding


class Sleep(Technique):
    name = "sleep"
    label = "a sleep wind-down"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.picked: list[str] = []

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("sl_start", [
            "Sleep can be so hard when your mind is busy. What usually happens when you try to sleep?",
            "Let's look at your nights. What tends to happen when you go to bed?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            self.stage = 1
            return self.keep(Step([reflect_line(self.p, u.text, u.emotions, max_words=10),
                                   "One thing that helps is a wind-down hour, with screens away and lights low.",
                                   "Could you try that tonight?"], reflect=True, suggest=True, yes_no=True))
        if self.stage == 1:
            if u.answer in ("yes", "maybe"):
                self.picked.append("a wind-down hour before bed")
            self.stage = 2
            return self.keep(Step([self.p.pick("sl_ack", ["Okay.", "Alright."]),
                                   "Another tip: if you've been awake a while, get up, do something calm in dim light, "
                                   "and go back when sleepy.", "Does that sound worth trying?"], yes_no=True))
        if self.stage == 2:
            if u.answer in ("yes", "maybe"):
                self.picked.append("getting up when you can't sleep")
            self.stage = 3
            return self.keep(Step(["Would you like a short body relaxation now, to try at bedtime?"], yes_no=True))
        if self.stage == 3 and u.answer in ("yes", "maybe"):
            self.stage = 4
            pause = 5.0 if not self.ctx.slow else 6.5
            return self.keep(Step([
                "Let your shoulders drop.", Pause(pause), "Soften your jaw and your hands.", Pause(pause),
                "Let your legs feel heavy.", Pause(pause), "Breathe out slowly.", Pause(pause),
                "How was that?"]))
        self.result = "you picked " + (" and ".join(self.picked) if self.picked else "ways to wind down at night")
        if self.picked:
            self.ctx.notes["next_step"] = self.picked[0] + " tonight"
        return Step([self.p.pick("sl_end", ["Go gently with yourself tonight.", "I hope tonight is a bit easier."])],
                    done=True)
