"""Thinking traps (cognitive distortions): spot one in a thought and ask one Socratic question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dialogue.phrasing import is_safe, own_words
from dialogue.techniques.base import Step, Technique
from dialogue.understanding import Understanding


@dataclass(frozen=True)
class Trap:
    name: str  # spoken name
    what: str  # one plain clause
    question: str  # one Socratic question
    pattern: re.Pattern


def _rx(s: str) -> re.Pattern:
    return re.compile(s)


TRAPS: dict[str, Trap] = {
    "all_or_nothing": Trap("all or nothing thinking", "seeing things as total success or total failure",
                           "Is there anything in between those two?",
                           _rx(r"\b(?:complete|total|utter)(?:ly)? (?:failure|disaster|mess|waste)|\bperfect(?:ly)?\b|"
                               r"\beither\b.*\bor\b|\bruined\b|\bcompletely\b|\btotally\b")),
    "catastrophising": Trap("catastrophising", "jumping to the worst possible outcome",
                            "What's the most likely way this turns out?",
                            _rx(r"\b(?:disaster|catastroph\w*|the worst|awful|terrible|unbearable|the end of the world|"
                                r"can't cope|cant cope|can't handle|i'll lose everything|ruin(?:ed)?)\b")),
    "mind_reading": Trap("mind reading", "assuming we know what others think",
                         "What do you actually know about what they think?",
                         _rx(r"\b(?:they|he|she|everyone|people|my boss|my friends) (?:all )?(?:think|thinks|must think|"
                             r"probably think|hate|hates|don't like|doesn't like|are judging|is judging|judge)\b")),
    "fortune_telling": Trap("fortune telling", "predicting the future will go badly",
                            "What else could happen, apart from what you fear?",
                            _rx(r"\b(?:will|i'll|it'll|going to|gonna) (?:never|fail|go wrong|be a disaster|mess up|"
                                r"end badly|screw up|not work|get worse|be rejected)\b|\bnever going to\b|\bwon't ever\b")),
    "should": Trap("should statements", "holding ourselves to rigid rules",
                   "Where does that rule come from, and is it fair to you?",
                   _rx(r"\b(?:should|shouldn't|should've|must|mustn't|ought to|have to be|supposed to)\b")),
    "labelling": Trap("labelling", "calling ourselves a name instead of describing what happened",
                      "Would you call a friend that if they did the same?",
                      _rx(r"\bi(?:'m| am) (?:such )?(?:a |an )?(?:idiot|failure|loser|useless|worthless|stupid|"
                          r"pathetic|mess|joke|burden|disappointment|bad person)\b")),
    "personalisation": Trap("personalisation", "blaming ourselves for things that aren't all ours",
                            "What other things played a part in this?",
                            _rx(r"\b(?:my fault|all me|because of me|i caused|i made (?:him|her|them|it)|"
                                r"i'm to blame|i am to blame|i ruined)\b")),
    "overgeneralising": Trap("overgeneralising", "turning one event into always or never",
                             "Can you think of a time when that wasn't true?",
                             _rx(r"\b(?:always|never|every time|everyone|no one|nobody|nothing ever|everything)\b")),
    "mental_filter": Trap("a mental filter", "noticing only the bad parts",
                          "What went okay, even a little, that might be getting filtered out?",
                          _rx(r"\b(?:only (?:thing|bit) i (?:remember|notice)|all i can think about|nothing good|"
                              r"only the bad|just the bad|all went wrong)\b")),
    "emotional_reasoning": Trap("emotional reasoning", "treating a feeling as proof",
                                "If the feeling weren't there, what would the facts say?",
                                _rx(r"\bi feel (?:like )?(?:a |an )?(?:failure|stupid|useless|guilty|worthless)\b.*\b(?:so|must|"
                                    r"therefore)\b|\bi feel it so it\b|\bfeels true\b|\bi just know\b")),
    "discounting_positive": Trap("discounting the positive", "brushing off the good things",
                                 "What would it mean if that good thing did count?",
                                 _rx(r"\b(?:doesn't count|didn't count|just luck|only luck|anyone could|was a fluke|"
                                     r"they were just being nice|just being polite)\b")),
}
# When several match, the more specific trap wins.
_ORDER = ["labelling", "personalisation", "discounting_positive", "emotional_reasoning", "mental_filter",
          "mind_reading", "fortune_telling", "catastrophising", "all_or_nothing", "should", "overgeneralising"]


def detect(text: str) -> str | None:
    t = text.lower()
    for key in _ORDER:
        if TRAPS[key].pattern.search(t):
            return key
    return None


class ThinkingTraps(Technique):
    name = "thinking_traps"
    label = "spotting thinking traps"

    def start(self) -> Step:
        return self.keep(Step([self.p.pick("traps_start", [
            "Our minds fall into traps when we're stressed, and spotting them helps. What's a thought that keeps bothering you?",
            "Let's look for thinking traps, patterns our minds slip into. What thought has been bothering you most?",
        ])], suggest=True))

    def handle(self, u: Understanding) -> Step | None:
        if self.stage == 0:
            self.stage = 1
            self.thought = own_words(u.text, max_words=12)
            self.trap = detect(u.text)
            said = self.thought if self.thought and is_safe(self.thought) else "that"
            if self.trap:
                tr = TRAPS[self.trap]
                return self.keep(Step([f"So the thought is, {said}.", f"That might be {tr.name}, {tr.what}.",
                                       tr.question], reflect=True, suggest=True))
            return self.keep(Step([f"So the thought is, {said}.",
                                   "What would you say to a good friend who had that thought?"], reflect=True))
        self.stage = 2
        answer = own_words(u.text, max_words=12)
        if u.answer in ("dont_know", "maybe") or not answer or not is_safe(answer):
            self.result = "you looked at the thought, " + (self.thought or "that thought") + ", from another side"
            return Step([self.p.pick("traps_dk", [
                "That's okay. Just noticing the thought is a real step.",
                "That's alright. Noticing a trap is the hardest part.",
            ])], done=True)
        name = TRAPS[self.trap].name if self.trap else "a thinking trap"
        self.result = f"you spotted {name} in a thought, and found a kinder way to see it"
        return Step([self.p.pick("traps_end", [
            "That's a kinder way to see it: {a}.",
            "So another way to look at it is, {a}. That sounds fairer.",
        ], a=answer)], done=True, reflect=True)
