"""What every technique flow shares: the context it speaks through, the step it hands back, and the
reflection line (feeling + content, in the caller's own words) that comes before any suggestion."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dialogue.numbers import digits_words
from dialogue.phrasing import Phraser, is_safe, own_words
from dialogue.types import Pause
from dialogue.understanding import DISTRESS, FEELING_WORDS, Understanding


@dataclass
class Ctx:
    """What a flow may use: wording, the crisis line as spoken, and what the caller has told us."""

    p: Phraser
    crisis_line: str = "988"
    slow: bool = False
    notes: dict = field(default_factory=dict)  # caller's words kept for the summary (focus, feeling, ...)

    @property
    def crisis(self) -> str:
        line = self.crisis_line.strip()
        return digits_words(line) if line.replace(" ", "").isdigit() else line


@dataclass
class Step:
    parts: list[str | Pause]
    done: bool = False
    reflect: bool = False  # this reply reflects the caller's feeling/content in their words
    suggest: bool = False  # this reply suggests something (an exercise, an action)
    expect_number: bool = False
    keywords: dict[str, tuple[str, ...]] | None = None
    options: dict[str, tuple[str, ...]] | None = None
    yes_no: bool = False  # the question asked can be answered yes or no
    human: bool = False  # the caller has agreed to be put through to a person
    keep: bool = False  # say every part of this step (a score, a plan): never trimmed to fit a summary in


class Technique:
    """One small flow. ``start`` speaks first; ``handle`` takes each caller turn until ``done``."""

    name = "technique"
    label = "an exercise"  # how the line names it: "we tried {label}"

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.p = ctx.p
        self.stage = 0
        self.last: Step | None = None
        self.result: str | None = None  # a short line for the closing summary, caller's words turned round

    def start(self) -> Step:
        raise NotImplementedError

    def handle(self, u: Understanding) -> Step | None:
        raise NotImplementedError

    def reprompt(self, misses: int) -> Step:
        """The caller was not understood ``misses`` times in a row. After two, change approach."""
        last = self.last
        if last is None:
            return self.start()
        if misses >= 2:
            return self.simpler()
        lead = self.p.pick("reprompt", ["Sorry, I didn't quite catch that.", "I missed that, sorry.",
                                        "Sorry, that didn't come through clearly."])
        return Step([lead, *_last_question(last.parts)], expect_number=last.expect_number, keywords=last.keywords,
                    options=last.options, yes_no=last.yes_no)

    def simpler(self) -> Step:
        """A different way in after two misses: a yes-or-no question by default."""
        return Step([self.p.pick("simpler", ["Let's keep it simple.", "Let me put it another way."]),
                     "Would you like to carry on with this, yes or no?"], yes_no=True)

    def keep(self, step: Step) -> Step:
        self.last = step
        return step


def _last_question(parts: list[str | Pause]) -> list[str | Pause]:
    texts = [x for x in parts if isinstance(x, str)]
    for t in reversed(texts):
        if "?" in t:
            return [t[t.rfind(". ", 0, t.index("?")) + 2 if ". " in t[: t.index("?")] else 0:]]
    return texts[-1:] if texts else []


def feeling_of(u: Understanding) -> str | None:
    for e in u.emotions:
        if e in FEELING_WORDS:
            return FEELING_WORDS[e]
    return None


class Reflection(str):
    """A reflection line; ``real`` is False for the plain acknowledgement used when there was nothing
    to reflect (no content we may say back, no feeling)."""

    real: bool = True
    source: tuple[str, tuple[str, ...], int] | None = None  # (text, emotions, max_words): to say it shorter


def shorter(p: Phraser, r: Reflection) -> Reflection | None:
    """The same reflection in fewer of the caller's words (a reply must fit forty spoken words), or None."""
    if not r.real or r.source is None or r.source[2] <= 4:
        return None
    text, emotions, n = r.source
    return reflect_line(p, text, list(emotions), max_words=max(4, n - 3))


def _ack(text: str) -> Reflection:
    r = Reflection(text)
    r.real = False
    return r


_EMPTY_WORDS = {"really", "just", "that", "this", "there", "then", "than", "what", "when", "with", "about", "maybe",
                "okay", "yeah", "sure", "well", "like", "some", "much", "very", "thing", "things", "know", "think",
                "please", "thanks", "thank", "again", "sorry", "would", "could", "should", "nothing", "none", "more", "less", "good", "fine", "alright", "right", "mean", "guess", "dont", "don't", "didn't"}


# A content that is already a clause is said back as it is; only a bare noun phrase ("money", "my exams")
# gets "... is on your mind" after it.
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|keeps?|kept|does|did|do|can't|won't|don't|doesn't|didn't|"
                     r"isn't|wasn't|couldn't|wouldn't|shouldn't|haven't|hasn't|weren't|feels?|felt|hates?|thinks?|died|left|said|says|went|goes|got|gets|makes?|made|"
                     r"needs?|wants?|shouted|yelled|never|always)\b")
_CLAUSE_START = re.compile(r"^(?:when|if|because|since|after|before|while|how|what|that)\b")


_YOU_FORMS = ("you", "your", "you're", "you've", "you'd", "you'll")
_MODAL = re.compile(r"\b(?:could|would|should|can|will|might|must|may|want|wanted|went|sit|sat|get|go|feel|"
                    r"think|worry|need|keep)\b")


def is_clause(content: str) -> bool:
    """True when the caller's words are a whole clause ("maybe you could write it down"), not a noun
    phrase ("money", "my exams"): a clause is said back after "you said", never after "about"."""
    if not content:
        return False
    first = content.split()[0]
    if first == "your" and not _FINITE.search(content):
        return False
    return (first in _YOU_FORMS or first in ("maybe", "i", "if", "what") or bool(_FINITE.search(content))
            or bool(_CLAUSE_START.match(content)) or bool(_MODAL.search(content)))


def said_back(content: str) -> str:
    """The caller's words for a spoken summary: "you said you've been anxious about work" for a clause,
    "you talked about your exams" for a noun phrase (no raw clause spliced after "about")."""
    return f"you said {content}" if is_clause(content) else f"you talked about {content}"


def reflect_line(p: Phraser, text: str, emotions: list[str], max_words: int = 12) -> Reflection:
    """Feeling + content in the caller's words: "It sounds like your mind keeps racing at night, and
    you're feeling worn out." Never echoes words that are unsafe to say back."""
    r = _reflect_line(p, text, emotions, max_words)
    if r.real:
        r.source = (text, tuple(emotions), max_words)
    return r


def _reflect_line(p: Phraser, text: str, emotions: list[str], max_words: int) -> Reflection:
    content = own_words(text, max_words=max_words)
    you_first = bool(content) and content.split()[0] in ("you", "your", "you're", "you've", "you'd", "you'll")
    meaningful = [w for w in content.split() if len(w) >= 4 and w not in _EMPTY_WORDS]
    if content and (not is_safe(content) or (not you_first and (len(content.split()) < 2 or not meaningful))
                    or content in ("you", "it", "that")):
        content = ""
    feeling = next((FEELING_WORDS[e] for e in emotions if e in FEELING_WORDS), None)
    if feeling and content and feeling.split()[-1] in content:
        feeling = None
    distress = any(e in DISTRESS for e in emotions)
    if content:
        if not you_first and _CLAUSE_START.match(content):
            # "when you stop eating" is not a sentence of its own: name it as theirs
            line = p.pick("mention", ["You mentioned {c}.", "You said {c}."], c=content)
            return Reflection(line + (f" And you're feeling {feeling}." if feeling else ""))
        if you_first and content.split()[0] == "your" and not _FINITE.search(content):
            you_first = False  # "your exams": a noun phrase, not a sentence
        if not you_first and _FINITE.search(content):
            pass  # a whole clause ("work has been relentless") reads on its own after "it sounds like"
        elif not you_first:
            content = p.pick("about", ["you've been thinking about {c}", "you've got {c} on your mind"], c=content)
        if feeling:
            return Reflection(p.pick("reflect_fc", [
                "It sounds like {c}, and you're feeling {f}.",
                "So {c}, and that's left you feeling {f}.",
                "I'm hearing that {c}, and you feel {f}.",
            ], c=content, f=feeling))
        return Reflection(p.pick("reflect_c", [
            "It sounds like {c}.",
            "So {c}." if not distress else "So {c}. That sounds hard.",
            "I'm hearing that {c}.",
        ], c=content))
    if feeling:
        return Reflection(p.pick("reflect_f", ["It sounds like you're feeling {f}.", "So you're feeling {f} right now.",
                                               "You're feeling {f}, then."], f=feeling))
    return _ack(p.pick("reflect_none", ["Thank you for telling me that.", "I'm glad you said that.",
                                        "Thanks for sharing that with me."]))
