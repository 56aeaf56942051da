"""Semantic layer: similarity to a bank of exemplars (exemplars.json) with the bundled MiniLM
(safety/embedding.py), so paraphrases nobody wrote a pattern for are still caught.

Each exemplar group stands for a pattern signal (combine.SEMANTIC_EQUIV). The utterance is embedded
once; it fires the nearest risk group when that similarity clears ``THRESHOLD`` and beats the
nearest risk-free exemplar (idioms, negations, topic talk, third parties, ordinary distress) by
``MARGIN``: MiniLM is blind to negation and hyperbole, so the risk-free neighbours are its brake.
The layer catches what the patterns missed, so it only runs when they found nothing: not when they
already rated the text, not when they scoped the words away (negated, idiom, topic, reported speech,
bereavement, third party), and not for text without a single risk-relevant word (GATE). On its own it
concludes at most ``SOLO_CAP`` (moderate: a strong check-in and offer of a human, never a transfer);
its signal still joins the call's rolling window, where it combines with later words.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from safety.types import Level

THRESHOLD = 0.72
MARGIN = 0.10
SOLO_CAP = Level.MODERATE  # what the semantic layer may conclude on its own, without any pattern
MAX_WORDS = 24  # embed at most this many words: the tail, where a growing utterance adds risk

# Words without which no risk statement is made (a recall safety net is the pattern layer anyway).
GATE = re.compile(
    r"\b(die|died|dying|dead|death|kill|killing|killed|suicid\w*|end|ending|alive|live|living|life|"
    r"exist\w*|gone|wake|sleep|asleep|burden|better off|pills?|tablets?|meds|overdos\w*|rope|gun|knife|"
    r"blade|razor|bridge|roof|jump\w*|cut\w*|hurt\w*|harm\w*|bleed\w*|blood|breathe?|chest|heart|"
    r"hit|hits|beat\w*|abus\w*|threat\w*|scared|afraid|murder|stab|shoot|goodbye|letters?|note|"
    r"plan\w*|ready|tonight|anymore|point|disappear|over|stop|pain|hang|drown|poison|bleach|"
    r"swallow\w*|took|taken|stash\w*|sav(e|ed|ing)|collect\w*|gave|giving|will|last|forever|"
    r"miss|hospital|attempt\w*|tried|do it|away|bruis\w*|burn\w*|scratch\w*|strangl\w*|chok\w*|"
    r"weapon|trigger|edge|ledge|cliff|train|traffic|tracks|carbon|exhaust|car|garage|doing it|charcoal|"
    r"breathing|throat|around|hoard\w*|lethal|affairs|stroke|seizure|touch\w*|push\w*|slap\w*|go on|"
    r"born|happier|keep going|waking|dark|darkness|escape|peace|rest|done|enough|quit|give up|giving up)\b"
)

_BLOCKERS = {"negated", "idiom", "topic", "reported_speech", "bereavement", "panic"}
_lock = threading.Lock()
_bank: tuple[np.ndarray, list[str], np.ndarray] | None = None


def _load_bank() -> tuple[np.ndarray, list[str], np.ndarray]:
    global _bank
    with _lock:
        if _bank is None:
            from safety.embedding import get_embedder

            data = json.loads((Path(__file__).with_name("exemplars.json")).read_text(encoding="utf-8"))
            texts: list[str] = []
            groups: list[str] = []
            for group, items in data.items():
                for t in items:
                    texts.append(t)
                    groups.append(group)
            mat = get_embedder().embed(texts)
            is_neg = np.array([g.startswith("neg:") for g in groups])
            _bank = (mat, groups, is_neg)
        return _bank


def warm() -> None:
    """Load the model and embed the bank now (about a second) instead of on the first call."""
    _load_bank()


def _focus(norm: str) -> str:
    words = [w for w in norm.split(" ") if w != "|"]
    return " ".join(words[-MAX_WORDS:])


@lru_cache(maxsize=4096)
def nearest(text: str) -> tuple[str, float, float]:
    """(best risk group, its similarity, best risk-free similarity) for normalised text."""
    from safety.embedding import get_embedder

    mat, groups, is_neg = _load_bank()
    vec = get_embedder().embed([text])[0]
    sims = mat @ vec
    risk_sims = np.where(is_neg, -1.0, sims)
    neg_sims = np.where(is_neg, sims, -1.0)
    i = int(np.argmax(risk_sims))
    return groups[i], float(risk_sims[i]), float(neg_sims.max())


def should_run(norm: str, level: Level, mods: set[str], third: bool) -> bool:
    if level > Level.NONE or third or (mods & _BLOCKERS):
        return False
    return bool(GATE.search(norm))


def semantic_signals(norm: str, level: Level, mods: set[str], third: bool) -> list[str]:
    if not should_run(norm, level, mods, third):
        return []
    group, sim, neg = nearest(_focus(norm))
    if sim >= THRESHOLD and sim - neg >= MARGIN:
        return [f"semantic:{group}"]
    return []
