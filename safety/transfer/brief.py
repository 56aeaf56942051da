"""The handoff brief: what a human needs before they speak to the caller, so the caller need not
repeat themselves. The console shows it, the Twilio adapter speaks it to the human before joining.

It holds the caller's own words and callback number, so it is never logged: ``repr`` and
``log_safe()`` mask the number and leave the words out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from safety.privacy import mask_number as _mask
from safety.types import Level


def mask_number(number: str | None) -> str | None:
    """A caller or target number for display: only the last four digits show (safety.privacy)."""
    if not number:
        return None
    return _mask(number, keep=4 if len(number) >= 8 else 2)


def target_label(target: str, crisis_line: str | None = None) -> str:
    """How the brief and the console name a transfer target, readable when spoken aloud."""
    if target == "console":
        return "the operator console"
    if crisis_line and target == crisis_line:
        return "the crisis line"
    if target.lower().startswith(("sip:", "sips:")):
        return "a SIP line"
    return f"the number ending {' '.join(target[-2:])}" if len(target) >= 4 else "a phone line"


@dataclass(frozen=True)
class Quote:
    ts: float  # unix time
    text: str
    level: str = ""
    signals: tuple[str, ...] = ()


@dataclass
class HandoffBrief:
    escalation_id: str
    call_id: str
    level: str
    kind: str
    action: str
    signals: tuple[str, ...] = ()
    quotes: list[Quote] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # what the line has already done, in order
    callback_number: str | None = None
    transport: str = ""
    opened_at: float = field(default_factory=time.time)

    def __repr__(self) -> str:  # never show words or the number in a log or traceback
        return f"HandoffBrief({self.log_safe()})"

    def log_safe(self) -> dict[str, Any]:
        return {
            "escalation_id": self.escalation_id,
            "call_id": self.call_id,
            "level": self.level,
            "kind": self.kind,
            "signals": list(self.signals),
            "quotes": len(self.quotes),
            "callback": mask_number(self.callback_number),
        }

    def to_json(self) -> dict[str, Any]:
        """Full brief for the console (authenticated operators only)."""
        return {
            "escalation_id": self.escalation_id,
            "call_id": self.call_id,
            "level": self.level,
            "kind": self.kind,
            "action": self.action,
            "signals": list(self.signals),
            "quotes": [[q.ts, q.text] for q in self.quotes],
            "done": list(self.done),
            "callback_number": self.callback_number,
            "transport": self.transport,
            "opened_at": self.opened_at,
            "text": self.text(),
        }

    def text(self, now: float | None = None) -> str:
        """The brief as plain sentences, to read on screen or speak to the human line."""
        now = time.time() if now is None else now
        kind = self.kind.replace("_", " ")
        lines = [
            "Warmline handoff.",
            f"Risk level {self.level}, {kind}." if self.kind != "none" else f"Risk level {self.level}.",
        ]
        if self.level == Level.IMMINENT:
            lines.append("The caller may be in danger right now; emergency guidance has been given.")
        if self.signals:
            lines.append("Signals: " + ", ".join(s.replace("_", " ").replace(":", " ") for s in self.signals) + ".")
        for q in self.quotes[-4:]:
            ago = max(0, int(now - q.ts))
            when = f"{ago} seconds ago" if ago < 120 else f"{ago // 60} minutes ago"
            lines.append(f'{when} the caller said: "{q.text}"')
        if self.done:
            lines.append("So far the line has: " + "; ".join(self.done) + ".")
        if self.callback_number:
            spaced = " ".join(self.callback_number.lstrip("+"))
            lines.append(f"Callback number: {spaced}.")
        else:
            lines.append("No callback number.")
        return " ".join(lines)


def build_brief(
    *,
    escalation_id: str,
    call_id: str,
    decision: Any,
    risk: Any,
    transport: str,
    callback_number: str | None,
    opened_at: float,
) -> HandoffBrief:
    """From the escalation's Decision and the call's CallRiskState (its ``evidence`` list of
    (ts, text, level, signals) holds the words that raised the level; ``decision.quotes`` as fallback)."""
    quotes: list[Quote] = []
    for item in getattr(risk, "evidence", None) or []:
        ts, text, level, signals = (tuple(item) + (None, None, None, None))[:4]
        quotes.append(Quote(float(ts or opened_at), str(text), str(level or ""), tuple(signals or ())))
    if not quotes:
        for ts, text in getattr(decision, "quotes", ()) or ():
            quotes.append(Quote(float(ts), str(text)))
    level = getattr(risk, "level", None) or decision.level
    kind = getattr(risk, "kind", None) or decision.kind
    return HandoffBrief(
        escalation_id=escalation_id,
        call_id=call_id,
        level=str(getattr(level, "value", level)),
        kind=str(getattr(kind, "value", kind)),
        action=str(getattr(decision.action, "value", decision.action)),
        signals=tuple(decision.signals),
        quotes=quotes,
        callback_number=callback_number,
        transport=transport,
        opened_at=opened_at,
    )
