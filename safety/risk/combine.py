"""From named signals to a level and a kind (docs/architecture.md, C-SSRS aligned).

The same function rates one utterance and the rolling window of a call (safety/escalation.py), so
"i want to die" followed by "i've got the pills here" combines exactly as if said in one breath.

- imminent: an attempt in progress, or means at hand with suicidal context, a medical emergency,
  or someone with a weapon at the caller now;
- high: intent, a plan, preparation, an attempt in the last three months, an active wish with a
  method or a time ("tonight"), a credible threat to or from another person;
- moderate: an active wish ("i want to kill myself", "i'm suicidal"), thinking about a method,
  a past attempt, current self-harm or its urge, fear or control at home, a wish to hurt someone;
  (ongoing violence at home is high: a credible threat from another person)
- low: a passive wish to be dead, non-specific thoughts of suicide, past self-harm.
A method, a plan word or a time word alone is not risk: they only count with suicidal context.
Someone else's risk (``third_party``) is not the caller's: it rates high only when that person is in
danger right now, low for their intent or plan, and none for thoughts, history or bereavement.
"""

from __future__ import annotations

from collections.abc import Iterable

from safety.types import Kind, Level

# What each semantic exemplar group stands for, in pattern-signal terms.
SEMANTIC_EQUIV: dict[str, str] = {
    "semantic:passive": "ideation:passive",
    "semantic:active": "ideation:active",
    "semantic:intent": "intent:future",
    "semantic:plan": "plan",
    "semantic:preparation": "preparation:stockpiling",
    "semantic:attempt_now": "attempt:in_progress",
    "semantic:attempt_past": "attempt:past",
    "semantic:self_harm": "self_harm:current",
    "semantic:threat": "threat:others",
    "semantic:danger": "danger:from_other",
    "semantic:abuse": "abuse:ongoing",
    "semantic:medical": "medical:emergency",
}

RISK_PREFIXES = ("ideation:", "intent:", "plan", "preparation:", "method:", "attempt:", "means:", "self_harm:",
                 "threat:", "danger:", "abuse:", "medical:", "semantic:", "location:")


def is_risk_signal(sig: str) -> bool:
    return sig.startswith(RISK_PREFIXES)


def _canon(signals: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for s in signals:
        out.add(s)
        if s in SEMANTIC_EQUIV:
            out.add(SEMANTIC_EQUIV[s])
    return out


def level_of(signals: Iterable[str], strong_threat: bool = False, weapon_now: bool = False) -> tuple[Level, Kind]:
    """The caller's own level and kind from a set of (non-third-party) signals."""
    s = _canon(signals)
    has = s.__contains__
    ideation = any(has(x) for x in ("ideation:passive", "ideation:active", "ideation:nonspecific"))
    active = has("ideation:active")
    access = has("means:access") or has("means:at_hand")
    method = any(x.startswith("method:") for x in s) or access
    intent = has("intent:future")
    vague_intent = has("intent:vague")
    decided = has("intent:decided")  # "i have decided", "not telling anyone", "i am done": only with another cue
    prep_explicit = has("preparation:stockpiling") or has("preparation:note")
    prep_context = any(has(x) for x in ("preparation:giving_away", "preparation:research", "preparation:letters",
                                        "preparation:acquired", "plan"))
    attempt_past = has("attempt:past")
    suicidal = ideation or intent or prep_explicit or attempt_past or has("attempt:in_progress")
    context = suicidal or method
    recent = has("time:past_recent") and not has("time:past_distant")
    soon = has("time:tonight")

    cands: list[tuple[Level, Kind]] = []
    add = cands.append
    # suicide
    if has("attempt:in_progress") or has("means:ready"):
        add((Level.IMMINENT, Kind.SUICIDE))
    if has("means:at_hand") and (suicidal or vague_intent or prep_context):
        add((Level.IMMINENT, Kind.SUICIDE))
    if has("location:height") and (suicidal or vague_intent or has("method:height")):
        add((Level.IMMINENT, Kind.SUICIDE))
    if intent or prep_explicit or has("plan"):
        add((Level.HIGH, Kind.SUICIDE))
    if (vague_intent and prep_context) or (vague_intent and soon and access):
        add((Level.HIGH, Kind.SUICIDE))  # preparation with a decided, final tone ("... after i'm gone")
    if (vague_intent or prep_context) and context:
        add((Level.HIGH, Kind.SUICIDE))
    if access and (ideation or vague_intent):
        add((Level.HIGH, Kind.SUICIDE))
    if attempt_past and recent:
        add((Level.HIGH, Kind.SUICIDE))
    if active and (method or soon):
        add((Level.HIGH, Kind.SUICIDE))
    if vague_intent and ideation:
        add((Level.HIGH, Kind.SUICIDE))
    if decided and (vague_intent or prep_context or prep_explicit or access):
        add((Level.HIGH, Kind.SUICIDE))
    if has("means:at_hand") and has("time:now"):
        add((Level.HIGH, Kind.SUICIDE))  # a lethal means in hand right now: a person should hear this
    if active or attempt_past or (ideation and method):
        add((Level.MODERATE, Kind.SUICIDE))
    if has("means:at_hand"):
        add((Level.MODERATE, Kind.SUICIDE))
    if ideation or has("preparation:giving_away"):
        add((Level.LOW, Kind.SUICIDE))
    # self-harm
    dated_past = has("time:past_distant") and not has("time:now") and not has("time:past_recent")
    past_only = has("self_harm:past") and not (has("time:now") or has("time:past_recent") or soon)
    if has("self_harm:in_progress"):
        add((Level.IMMINENT, Kind.SELF_HARM))  # "i'm cutting right now as we speak": an act in progress
    if has("self_harm:current") and (dated_past or past_only) and not has("intent:self_harm"):
        add((Level.LOW, Kind.SELF_HARM))  # "i cut myself back in school": past self-harm
    elif has("self_harm:current") or has("intent:self_harm"):
        add((Level.HIGH if (soon and has("intent:self_harm")) else Level.MODERATE, Kind.SELF_HARM))
    if has("self_harm:past"):
        add((Level.LOW, Kind.SELF_HARM))
    # others
    if has("threat:others"):
        add((Level.HIGH if strong_threat or soon or has("method:firearm") or has("threat:armed") or has("threat:plan")
             else Level.MODERATE,
             Kind.HARM_TO_OTHERS))
    # a weapon in someone's hands is danger only when they are a danger to the caller
    armed = has("danger:weapon") and (has("danger:from_other") or has("abuse:ongoing"))
    if has("danger:from_other"):
        add((Level.IMMINENT if (weapon_now or armed or has("time:now")) else Level.HIGH, Kind.ABUSE))
    if has("abuse:ongoing"):
        # violence from someone the caller lives with is a credible threat from another person (high); fear or
        # control without it ("scared to go home", "he took my passport") is a strong offer of a person (moderate)
        add((Level.IMMINENT if (armed or has("time:now")) else Level.HIGH if has("abuse:violence") else Level.MODERATE,
             Kind.ABUSE))
    if has("medical:emergency"):
        add((Level.IMMINENT, Kind.SUICIDE if suicidal else Kind.MEDICAL))
    if not cands:
        return Level.NONE, Kind.NONE
    if has("threat:others") and not (ideation or intent or attempt_past or has("attempt:in_progress")
                                     or has("intent:self_harm") or has("self_harm:current")):
        # "i've got a knife ready for when i see him": the means and the preparation are for the threat, not for the
        # caller's own life; same level, the other kind
        cands = [(lvl, Kind.HARM_TO_OTHERS if k == Kind.SUICIDE else k) for lvl, k in cands]
    order = [Kind.SUICIDE, Kind.SELF_HARM, Kind.MEDICAL, Kind.ABUSE, Kind.HARM_TO_OTHERS]
    best = max(cands, key=lambda c: (c[0].rank, -order.index(c[1])))
    return best


def third_party_level(signals: Iterable[str]) -> Level:
    """Someone else's risk: high only when they are in danger now; low for their intent or plan."""
    s = _canon(signals)
    if {"attempt:in_progress", "means:ready", "medical:emergency"} & s:
        return Level.HIGH
    if "danger:from_other" in s and "time:now" in s:
        return Level.HIGH  # someone being attacked within the caller's earshot right now
    if {"means:at_hand", "location:height"} & s and ({"intent:future", "intent:vague", "method:height"} & s or any(
        x.startswith("ideation:") for x in s
    )):
        return Level.HIGH
    if {"intent:future", "intent:vague"} & s and "time:now" in s:
        return Level.HIGH  # "he's heading for the main road now saying he's gonna walk in front of a lorry"
    if {"intent:future", "intent:vague", "plan", "danger:from_other"} & s or any(x.startswith("preparation:") for x in s):
        return Level.LOW  # their intent, plan or preparation: letters, a rope bought, research, a date
    if ("time:tonight" in s) and any(x.startswith("ideation:") for x in s):
        return Level.LOW
    return Level.NONE
