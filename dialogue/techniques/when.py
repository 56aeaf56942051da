"""Finding a "when" in what the caller said: "tomorrow after work", "at six", "tonight"."""

from __future__ import annotations

import re

from dialogue.phrasing import own_words

_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUMS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}(?::\d\d)?"
_WHEN = re.compile(
    rf"\b(?:{_NUMS})(?:\s+(?:o'clock|thirty|pm|am|p m|a m))?\s+(?:in the (?:morning|afternoon|evening)|tonight|today|"
    rf"tomorrow(?: morning| afternoon| evening)?|this (?:morning|afternoon|evening))\b"
    rf"|\b(?:{_NUMS})\s+(?:o'clock|pm|am|p m|a m)\b"
    rf"|\b(?:(?:tomorrow|this|on|next)\s+)?(?:{_DAYS}|morning|afternoon|evening|night|weekend|tonight|today|"
    rf"tomorrow|lunchtime|bedtime)(?:\s+(?:morning|afternoon|evening|night))?"
    rf"(?:\s+(?:at\s+(?:{_NUMS})(?:\s+(?:o'clock|thirty|pm|am|p m|a m))?|after\s+\w+|before\s+\w+))?"
    rf"|\b(?:after|before)\s+(?:work|lunch|breakfast|dinner|tea|school|bed|the kids|my shift|college)\b"
    rf"|\bat\s+(?:{_NUMS})(?:\s+(?:o'clock|thirty|pm|am|p m|a m|in the (?:morning|afternoon|evening)))?"
    rf"|\b(?:first thing|right now|straight away|later on|later today|this week|in the (?:morning|afternoon|evening))\b"
)


def find_when(text: str) -> str | None:
    m = _WHEN.search(text.lower())
    return m.group(0).strip() if m else None


def when_or_words(text: str) -> str:
    return find_when(text) or own_words(text, max_words=6)
