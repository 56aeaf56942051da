"""Answers to the C-SSRS screener questions the line asks ("Have you thought about how you might do
it?"). A bare "yes", "yeah i have" or "kind of" carries no risk words of its own, so ``safety.risk``
rates it none; read against the question that was asked, it is a C-SSRS answer with a level.

The dialogue names the question it asked (``Reply.meta["asked"]``, e.g. ``"cssrs:method"``) and the call
loop passes it with the caller's next words to ``CallRiskState.answer``. For safety, anything that is
not a clear "no" counts as a yes ("i don't know", "maybe", "sort of", "not yet", "no but sometimes",
"i'd rather not say"); only non-answers (silence, a mumble, "say that again", "what do you mean") and
walk-backs leave the level alone. This module is pure string work and imports nothing from dialogue/.
"""

from __future__ import annotations

import re
from typing import Literal

from safety.types import Kind, Level

# question key -> (level for a yes, kind). Levels follow docs/architecture.md (C-SSRS aligned).
QUESTIONS: dict[str, tuple[Level, Kind]] = {
    "cssrs:wish_dead": (Level.LOW, Kind.SUICIDE),  # wish to be dead (passive)
    "cssrs:ideation": (Level.LOW, Kind.SUICIDE),  # non-specific active thoughts
    "cssrs:method": (Level.MODERATE, Kind.SUICIDE),  # thought about how, without intent
    "cssrs:attempt": (Level.MODERATE, Kind.SUICIDE),  # ever attempted (not recent)
    "cssrs:intent": (Level.HIGH, Kind.SUICIDE),
    "cssrs:plan": (Level.HIGH, Kind.SUICIDE),
    "cssrs:preparation": (Level.HIGH, Kind.SUICIDE),  # done or started anything, past three months
    "cssrs:attempt_recent": (Level.HIGH, Kind.SUICIDE),  # attempt in the last three months
}
# Questions where "no" is the risky answer ("Are you safe right now?"): level for a no or an unsure.
REVERSED: dict[str, Level] = {"safety:safe_now": Level.MODERATE}

Reading = Literal["yes", "unsure", "no", "none"]

_FILLER = r"(?:um+|uh+|erm|er|ah|oh|well|so|hmm+|mm+|honestly|i mean|like|okay|ok|yeah)"
# A clear no, said as the whole answer (with fillers and trailing softeners).
_NO = re.compile(
    rf"^(?:{_FILLER} )*(?:no+|nope|nah|na|never|not really|not at all|definitely not|absolutely not|of course not|"
    r"god no|no way|not like that|not in that way|i have not|i havent|no i havent|i dont|no i dont|"
    r"i didnt|no i didnt|i am not|im not|no im not|i wouldnt|i would not|i would never|i wouldnt ever|"
    r"no never|never have|not me|no i have not|i do not|certainly not|no thank god|nothing like that|"
    r"not anymore|not any more|no not really|i dont think so|dont think so|i do not think so)"
    r"(?: (?:no+|never|not really|not at all|thanks|thank you|really|honestly|i havent|i have not|i dont|"
    r"i didnt|i wouldnt|i would never|im okay|im fine|i am okay|i am fine|not like that|nothing like that|"
    r"i promise|at all|ever|not ever|thank god|i havent thought about it|i wouldnt do that|"
    r"i would never do that|i dont think so|not at the moment|not now|not at this point|thought about it|"
    r"thought about that|thought of it|thought of that|nothing like that))*$"
)
# A question back, a repair request or a bare mumble: not an answer at all.
_NON_ANSWER = re.compile(
    r"^(?:(?:um+|uh+|erm|er|ah|oh|hmm+|mm+|huh|eh|what|sorry|pardon)\s*)*$|"
    r"\b(?:say (?:that|it) again|repeat (?:that|it|the question)|what did you (?:say|ask)|what was (?:that|the question)|"
    r"what do you mean|i didnt (?:catch|hear|get) (?:that|it|you)|come again|can you say|could you say|"
    r"slow down|too fast|why do you (?:ask|want to know|need to know)|^why$)\b"
)
_UNSURE = re.compile(
    r"\b(?:maybe|perhaps|possibly|i dont know|i do not know|dunno|not sure|unsure|kind of|kinda|sort of|sorta|"
    r"a bit|a little|i guess|i suppose|might|could be|not yet|sometimes|at times|now and then|on and off|"
    r"once or twice|rather not|dont want to (?:say|talk|answer)|hard to say|i think so|probably|a few times|"
    r"not really sure|depends)\b"
)
_YES = re.compile(
    r"\b(?:yes|yeah|yea|yep|yup|ya|aye|sure|mhm|uh huh|mm hmm|i have|i had|i do|i did|i am|i was|i will|"
    r"ive|id|i would|i could|true|right|correct|a lot|all the time|every day|every night|constantly|often|"
    r"of course|definitely|absolutely|fine|okay|alright|all right|safe|im good|i am good)\b"
)


def _plain(text: str) -> str:
    t = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", t).split())


def read_answer(text: str) -> Reading:
    """How the caller answered a yes/no question: "yes", "unsure" (counts as yes for safety), "no",
    or "none" (not an answer: silence, a mumble, "say that again")."""
    t = _plain(text)
    if re.fullmatch(r"(?:mhm+|uh huh|mm+ ?hm+|uh hum|yes+)", t):
        return "yes"
    if not t or _NON_ANSWER.search(t):
        return "none"
    if _NO.match(t):
        return "no"
    if _UNSURE.search(t):
        return "unsure"
    if _YES.search(t):
        return "yes"
    # Something else, said instead of a no ("i think about it", "it's been getting worse"): for
    # safety a non-negative answer counts, but as unsure.
    return "unsure"


_NOT_SAFE = re.compile(r"\b(?:not (?:really |very |totally |completely )?(?:safe|okay|ok|fine|alright|good)|unsafe|"
                       r"dont feel safe|do not feel safe|not feeling safe|scared of myself|no im not|i am not)\b")


def answer_level(question: str, text: str) -> tuple[Level, Kind | None, str | None]:
    """The level the caller's answer to ``question`` gives (``Level.NONE`` when none), its kind (None:
    keep the call's kind) and the signal to record, e.g. ``cssrs:method_yes``."""
    reading = read_answer(text)
    if reading == "none":
        return Level.NONE, None, None
    if question in REVERSED:
        if _NOT_SAFE.search(_plain(text)):
            reading = "no"
        elif reading == "yes":
            return Level.NONE, None, None
        return REVERSED[question], None, f"{question}_{reading}"
    if question not in QUESTIONS or reading == "no":
        return Level.NONE, None, None
    level, kind = QUESTIONS[question]
    return level, kind, f"{question}_{reading}"
