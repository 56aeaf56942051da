"""Waiting-list support: what a first appointment is usually like, and how to use the wait."""

from __future__ import annotations

from dialogue.techniques.base import Step, Technique, reflect_line
from dialogue.understanding import Understanding

IDEAS = {"diary": ("diary", "note", "notes", "write", "writing", "journal", "track", "first"),
         "ask": ("ask", "service", "call them", "worse", "second", "phone them")}


class WaitingList(Technique):
    name = "waiting_list"
    label = "how to use the wait"

    def start(self) -> Step:
        self.stage = 0
        return self.keep(Step([self.p.pick("wl_start", [
            "Waiting can feel really long. What are you waiting for, therapy or something else?",
            "Being on a waiting list is hard. What kind of appointment are you waiting for?",
        ])], suggest=False))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            self.stage = 1
            return self.keep(Step([reflect_line(self.p, u.text, u.emotions, max_words=8),
                                   "A first appointment usually asks what's been happening and what you'd like to change.",
                                   "It's fine not to have the answers. Would some ideas for the wait help?"],
                                  reflect=True, suggest=True, yes_no=True))
        if self.stage == 1:
            if u.answer == "no":
                return self._finish("That's okay.")
            self.stage = 2
            return self.keep(Step(["One idea is a short daily note of your mood and what helps, to bring along.",
                                   "Another is asking the service what to do if things get worse while you wait.",
                                   "Which sounds more useful?"], keywords=IDEAS, suggest=True))
        if self.stage == 2:
            if u.choice == "ask":
                self.ctx.notes["next_step"] = "asking the service what to do if things get worse"
            elif u.choice == "diary" or u.answer in ("yes",):
                self.ctx.notes["next_step"] = "a short daily mood note"
            elif u.answer in ("no",):
                pass
            elif u.choice is None and u.answer is None and not u.text:
                return None
            return self._finish(self.p.pick("wl_ack", ["Good plan.", "That sounds useful."]))
        return self._finish("Okay.")

    def _finish(self, lead: str) -> Step:
        self.result = "you talked about the wait, and what a first appointment is like"
        return Step([lead, f"While you wait, you can call this line any time, or {self.ctx.crisis} if things feel urgent."],
                    done=True)
