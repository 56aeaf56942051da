"""Call-level risk: a rolling window across turns, a level that never goes down within a call,
walk-backs that keep the flag, and the policy from level to action (docs/architecture.md).

    state = CallRiskState(settings)
    decision = state.update(assess(text), final=True)

Final turns join a rolling window (the last ``risk_window_turns`` turns within
``risk_window_seconds``): their signals are combined as if said in one breath, so "i want to die"
followed by "i've got the pills here" is rated like one utterance. A partial transcript raises the
call only when it is already at ``risk_partial_min_level`` (a severe partial should not wait for the
final; a mild one might be an idiom still being spoken). A walk-back ("just kidding", "forget it",
"i didn't mean it") never lowers the level: it sets ``walked_back`` so the dialogue checks gently.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections import deque
from dataclasses import replace
from typing import NamedTuple

from safety import cssrs
from safety.risk import combine
from safety.risk.normalize import normalize
from safety.settings import Settings, get_settings
from safety.types import Action, Assessment, Decision, Kind, Level

WALK_BACK = re.compile(
    r"\b(just (kidding|joking)|only (kidding|joking)|i (was|am) (just )?(kidding|joking)|it was (just )?a joke|"
    r"(forget|ignore|scratch) (it|that|what i (just )?said|i said (that|anything))|never ?mind|nevermind|"
    r"i did not (really )?mean (it|that|what i said)|did not mean (it|that)|i (was|am) not (being )?serious|"
    r"i take (it|that) back|do not (worry|mind) about (it|that|me|what i said)|"
    r"i (am|will be) (fine|okay|ok|alright) (really|honestly|now|i promise|seriously)|"
    r"i was (just )?(exaggerating|being dramatic|venting)|not like i would (actually )?do (it|anything)|"
    r"i would not actually do (it|anything)|(that|it) (came out|sounded) wrong)\b"
)

_ORDER = [Kind.SUICIDE, Kind.SELF_HARM, Kind.MEDICAL, Kind.ABUSE, Kind.HARM_TO_OTHERS, Kind.THIRD_PARTY]


def action_for(level: Level, settings: Settings | None = None) -> Action:
    """The escalation policy; the thresholds are configuration (``WARMLINE_RISK_*_LEVEL``)."""
    s = settings or get_settings()
    if level == Level.NONE:
        return Action.CONTINUE
    if level >= Level(s.risk_emergency_level):
        return Action.EMERGENCY_GUIDANCE
    if level >= Level(s.risk_transfer_level):
        return Action.WARM_TRANSFER
    if level >= Level(s.risk_offer_human_level):
        return Action.OFFER_HUMAN
    if level >= Level(s.risk_check_in_level):
        return Action.CHECK_IN
    return Action.CONTINUE


def is_walk_back(text: str) -> bool:
    return bool(WALK_BACK.search(normalize(text)))


class Evidence(NamedTuple):
    """A turn that raised the call's level: (ts, text, level, signals)."""

    ts: float
    text: str
    level: Level
    signals: tuple[str, ...]


class CallRiskState:
    """One call's risk so far. ``update`` is cheap and thread-safe."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.crisis_line = self.settings.crisis_line
        self.level = Level.NONE
        self.kind = Kind.NONE
        self.signals: list[str] = []
        self.evidence: list[Evidence] = []
        self.walked_back = False  # the caller has taken something back at least once in this call
        # The highest level a person has already handled in this call (an escalation resolved by an
        # operator). The flag stays, but the same level no longer re-rings the human line on every turn.
        self.human_reviewed_level: Level | None = None
        self.decision = Decision()
        self._window: deque[tuple[float, tuple[str, ...]]] = deque(maxlen=max(1, self.settings.risk_window_turns))
        self._lock = threading.Lock()

    @property
    def action(self) -> Action:
        return self.decision.action

    def _action_now(self) -> Action:
        action = action_for(self.level, self.settings)
        reviewed = self.human_reviewed_level
        if (reviewed is not None and self.level <= reviewed
                and action in (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE)):
            # A person has handled this level already: keep offering one strongly (safety planning,
            # crisis line) rather than opening a new escalation; a higher level transfers again.
            return Action.OFFER_HUMAN
        return action

    def human_reviewed(self, level: Level) -> Decision:
        """An operator resolved an escalation at ``level``; the call's level itself never goes down."""
        with self._lock:
            if self.human_reviewed_level is None or level > self.human_reviewed_level:
                self.human_reviewed_level = level
            self.decision = replace(self.decision, action=self._action_now(), raised=False)
            return self.decision

    def _window_level(self, now: float) -> tuple[Level, Kind, tuple[str, ...]]:
        horizon = now - self.settings.risk_window_seconds
        sigs: list[str] = []
        for ts, turn_sigs in self._window:
            if ts >= horizon:
                sigs.extend(turn_sigs)
        level, kind = combine.level_of(sigs)
        return level, kind, tuple(dict.fromkeys(sigs))

    def update(self, assessment: Assessment, *, final: bool = True, ts: float | None = None) -> Decision:
        now = time.time() if ts is None else ts
        with self._lock:
            turn_level, turn_kind = assessment.level, assessment.kind
            candidate, cand_kind, cand_sigs = turn_level, turn_kind, assessment.signals
            if final:
                own = tuple(s for s in assessment.signals if combine.is_risk_signal(s))
                self._window.append((now, own))
                wl, wk, wsigs = self._window_level(now)
                if wl > candidate:
                    candidate, cand_kind = wl, wk
                    cand_sigs = tuple(dict.fromkeys(wsigs + assessment.signals))
            elif turn_level < Level(self.settings.risk_partial_min_level):
                candidate = Level.NONE  # mild partials wait for the final words
            raised = candidate > self.level
            if raised:
                self.level, self.kind = candidate, cand_kind
                self.evidence.append(Evidence(now, assessment.text, candidate, tuple(cand_sigs)))
                for s in cand_sigs:
                    if s not in self.signals:
                        self.signals.append(s)
            walked_back = final and self.level > Level.NONE and not raised and is_walk_back(assessment.text)
            self.walked_back = self.walked_back or walked_back
            self.decision = Decision(
                level=self.level,
                kind=self.kind,
                action=self._action_now(),
                signals=tuple(self.signals),
                raised=raised,
                walked_back=walked_back,
                turn_level=turn_level,
                quotes=tuple((e.ts, e.text) for e in self.evidence),
            )
            return self.decision

    def answer(self, question: str, text: str, *, ts: float | None = None) -> Decision:
        """The caller's answer to a C-SSRS question the line asked (``Reply.meta["asked"]``, e.g.
        ``"cssrs:method"``), read with that question in mind: a bare "yes" or "kind of" to "have you
        thought about how?" is moderate (safety/cssrs.py). Call it after ``update`` for the same final
        turn. It never lowers the level; when it does not raise it, the latest decision is returned as is."""
        if is_walk_back(text):
            return self.decision
        level, kind, signal = cssrs.answer_level(question, text)
        now = time.time() if ts is None else ts
        with self._lock:
            if signal is None or level <= self.level:
                if signal is not None and signal not in self.signals:
                    self.signals.append(signal)  # the answer is on record even when the level was higher
                    self.decision = dataclasses.replace(self.decision, signals=tuple(self.signals))
                return self.decision
            self.level = level
            self.kind = kind or (self.kind if self.kind != Kind.NONE else Kind.SUICIDE)
            self.evidence.append(Evidence(now, text, level, (signal,)))
            if signal not in self.signals:
                self.signals.append(signal)
            self.decision = Decision(
                level=self.level,
                kind=self.kind,
                action=self._action_now(),
                signals=tuple(self.signals),
                raised=True,
                walked_back=False,
                turn_level=level,
                quotes=tuple((e.ts, e.text) for e in self.evidence),
            )
            return self.decision
