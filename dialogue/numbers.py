"""Spoken numbers, both ways: read a 0-10 rating out of ASR text ("about a six", "seven out of ten",
"a sex out of ten"), and write numbers the way they should be spoken ("nine eight eight")."""

from __future__ import annotations

import re

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_TEENS = {11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen",
          17: "seventeen", 18: "eighteen", 19: "nineteen"}
_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
         90: "ninety"}

_EXACT = {w: i for i, w in enumerate(WORDS)}
_EXACT.update({"nought": 0, "naught": 0, "nothing": 0, "none": 0, "oh": 0, "nil": 0})
# Misrecognitions seen from small ASR models on phone audio. Only trusted when the turn is clearly a
# rating: "out of ten" is said, or we asked for a number and the turn is short.
_SOUNDALIKE = {
    "won": 1, "wan": 1, "to": 2, "too": 2, "tu": 2, "tree": 3, "free": 3, "for": 4, "fore": 4, "far": 4,
    "fife": 5, "fi": 5, "sex": 6, "sax": 6, "sick": 6, "sicks": 6, "sucks": 6, "seben": 7, "heaven": 7,
    "ate": 8, "eat": 8, "eighth": 8, "nein": 9, "night": 9, "mine": 9, "tin": 10, "tan": 10, "then": 10,
    "tent": 10, "hen": 10,
}
_OUT_OF_TEN = re.compile(r"\bout\s+(?:of\s+)?(?:ten|10|tin|tan|then)\b")


_UNITS = {"months", "month", "weeks", "week", "days", "day", "years", "year", "hours", "hour", "minutes", "minute",
          "times", "time", "kids", "children", "people", "o'clock", "oclock", "pm", "am", "am.", "nights", "night",
          "pills", "tablets", "drinks", "pounds", "dollars", "quid", "bucks", "percent", "miles", "of", "thirty",
          "fifteen", "forty", "clock", "jobs", "things", "projects", "sessions", "appointments", "ago"}
_RATING_LEAD = {"a", "an", "about", "around", "maybe", "like", "probably", "roughly", "mood", "at", "is", "say",
                "it's", "its", "i'm", "im", "give", "rate", "feel", "feeling"}


def parse_rating(text: str, *, expecting: bool = False, top: int = 10) -> int | None:
    """A 0..top rating from spoken text, or None. ``expecting``: we just asked for a number, so a bare
    "six" counts; otherwise a number must look like a rating ("about a six", "seven out of ten"), never
    "four months"."""
    t = text.lower().strip()
    if not t:
        return None
    rated = bool(_OUT_OF_TEN.search(t))
    body = _OUT_OF_TEN.sub(" ### ", t)
    tokens = re.findall(r"[a-z']+|\d+(?:\.5)?|###", body)
    short = len([x for x in tokens if x != "###"]) <= 6
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        prev = tokens[i - 1] if i > 0 else ""
        if nxt in _UNITS:
            continue
        if tok[0].isdigit():
            n = int(float(tok))
        elif tok in _EXACT and tok not in ("oh", "none", "nothing", "nil"):
            n = _EXACT[tok]
        elif tok in _SOUNDALIKE and (rated and nxt == "###" or expecting and short):
            # "to"/"for" are everywhere in speech; trust them only right before "out of ten" or alone
            if tok in ("to", "too", "for", "then", "night", "mine", "eat") and not (nxt == "###" or len(tokens) <= 2):
                continue
            n = _SOUNDALIKE[tok]
        else:
            continue
        if n > top:
            continue
        if expecting or nxt == "###" or prev in _RATING_LEAD or (nxt in ("or", "to") and i + 2 < len(tokens)):
            return n
    if expecting and short and re.fullmatch(r"(?:um |uh )?(?:nothing|none|zero|nil)", t.strip(" .")):
        return 0
    return None


def number_words(n: int) -> str:
    """0..999 as words: 6 -> "six", 42 -> "forty two"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n <= 10:
        return WORDS[n]
    if n < 20:
        return _TEENS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return _TENS[tens * 10] + ("" if unit == 0 else " " + WORDS[unit])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return WORDS[hundreds] + " hundred" + ("" if rest == 0 else " and " + number_words(rest))
    return digits_words(str(n))


def digits_words(s: str) -> str:
    """A phone number digit by digit: "988" -> "nine eight eight"."""
    return " ".join(WORDS[int(c)] for c in s if c.isdigit())


_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_NUMBER = re.compile(r"\d+")


def speakable(text: str) -> str:
    """Rewrite digits for the ear: times as "six thirty", three or more digits (phone numbers) digit by
    digit, smaller numbers as words."""

    def time_sub(m: re.Match) -> str:
        h, mnt = int(m.group(1)), int(m.group(2))
        return number_words(h) + ("" if mnt == 0 else (" oh " + WORDS[mnt] if mnt < 10 else " " + number_words(mnt)))

    text = _TIME.sub(time_sub, text)

    def num_sub(m: re.Match) -> str:
        s = m.group(0)
        return digits_words(s) if len(s) >= 3 else number_words(int(s))

    return _NUMBER.sub(num_sub, text)
