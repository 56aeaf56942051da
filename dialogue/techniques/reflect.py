"""Reflective listening: reflect feeling and content in the caller's own words, then one open question."""

from __future__ import annotations

from dialogue.phrasing import own_words
from dialogue.techniques.base import Step, Technique, reflect_line, said_back
from dialogue.understanding import Understanding

OPEN_QUESTIONS = [
    "What's the hardest part of that for you?",
    "How long has it been feeling like this?",
    "What would make even a small difference right now?",
    "What else is going on for you?",
    "How has that been affecting you day to day?",
    "What do you make of that?",
]


class Listening(Technique):
    name = "reflect"
    label = "just talking it through"
    TURNS = 3

    def start(self) -> Step:
        return self.keep(Step([self.p.pick("listen_start", [
            "Okay, let's just talk. What's been on your mind most?",
            "Sure, we can just talk. What feels most important to say?",
            "Of course. I'm listening. Where would you like to start?",
        ])]))

    def handle(self, u: Understanding) -> Step | None:
        self.stage += 1
        if self.stage == 1:
            self.ctx.notes.setdefault("topic", own_words(u.text, max_words=10))
        if u.answer in ("no",) and u.words <= 3 or self.stage > self.TURNS:
            topic = self.ctx.notes.get("topic")
            self.result = said_back(topic) if topic else "you talked through what's been happening"
            return Step([reflect_line(self.p, u.text, u.emotions)], done=True, reflect=True)
        q = self.p.pick("open_q", OPEN_QUESTIONS)
        return self.keep(Step([reflect_line(self.p, u.text, u.emotions), q], reflect=True))
