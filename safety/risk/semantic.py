"""Semantic layer: similarity to a bank of exemplars (bank/*.jsonl, inside the package) with the bundled MiniLM
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

import contextlib
import hashlib
import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from safety.types import Level

THRESHOLD = 0.72
MARGIN = 0.10
STRONG = 0.83  # a near-paraphrase of a high/imminent exemplar, with every scope check clear, may rate high
STRONG_MARGIN = 0.08
K = 5
SOLO_CAP = Level.MODERATE  # what a weak semantic match may conclude on its own, without any pattern
STRONG_CAP = Level.HIGH  # what a strong one may (a transfer to a person; never emergency guidance alone)
MAX_WORDS = 24  # embed at most this many words: the tail, where a growing utterance adds risk
BANK_DIR = Path(__file__).with_name("bank")  # exemplars.jsonl + labelled_*.jsonl; nothing is read from tests/

# (level, kind) of each exemplar group, and the group that stands for a labelled (level, kind)
GROUP_LEVEL = {
    "passive": "low", "active": "moderate", "intent": "high", "plan": "high", "preparation": "high",
    "attempt_now": "imminent", "attempt_past": "moderate", "self_harm": "moderate", "threat": "high",
    "danger": "high", "abuse": "moderate", "medical": "imminent",
}
_LABEL_GROUP = {
    ("low", "suicide"): "passive", ("moderate", "suicide"): "active", ("high", "suicide"): "intent",
    ("imminent", "suicide"): "attempt_now", ("low", "self_harm"): "", ("moderate", "self_harm"): "self_harm",
    ("high", "self_harm"): "self_harm", ("imminent", "self_harm"): "attempt_now",
    ("moderate", "harm_to_others"): "threat", ("high", "harm_to_others"): "threat",
    ("moderate", "abuse"): "abuse", ("high", "abuse"): "danger", ("imminent", "abuse"): "danger",
    ("imminent", "medical"): "medical", ("high", "medical"): "medical",
}
_FIRST_PERSON = re.compile(r"\b(i|me|my|myself|im)\b")

# Words without which no risk statement is made (a recall safety net is the pattern layer anyway).
GATE = re.compile(
    r"\b(die|died|dying|dead|death|kill|killing|killed|suicid\w*|end|ending|alive|live|living|life|"
    r"exist\w*|gone|wake|sleep|asleep|burden|better off|pills?|tablets?|meds|overdos\w*|rope|gun|knife|"
    r"blade|razor|bridge|roof|jump\w*|cut\w*|hurt\w*|harm\w*|bleed\w*|blood|breathe?|chest|heart|"
    r"hit|hits|hitting|beat\w*|abus\w*|threat\w*|scared|afraid|murder|stab|shoot|goodbye|letters?|note|"
    r"plan\w*|ready|tonight|anymore|point|disappear|over|stop|pain|hang|drown|poison|bleach|"
    r"swallow\w*|took|taken|stash\w*|sav(e|ed|ing)|collect\w*|gave|giving|will|last|forever|"
    r"miss|hospital|attempt\w*|tried|do it|away|bruis\w*|burn\w*|scratch\w*|strangl\w*|chok\w*|"
    r"weapon|trigger|edge|ledge|cliff|train|traffic|tracks|carbon|exhaust|car|garage|doing it|charcoal|"
    r"breathing|throat|around|hoard\w*|lethal|affairs|stroke|seizure|touch\w*|push\w*|slap\w*|go on|"
    r"born|happier|keep going|waking|dark|darkness|escape|peace|rest|done|enough|quit|give up|giving up)\b"
)

_BLOCKERS = {"negated", "idiom", "topic", "reported_speech", "bereavement", "panic", "benign_use", "resolved", "travel"}
_lock = threading.Lock()
_bank: tuple[np.ndarray, list[str], np.ndarray] | None = None


def _bank_items() -> list[tuple[str, str]]:
    """(text, group) pairs: the hand-written exemplars plus the labelled utterances of earlier sets."""
    items: list[tuple[str, str]] = []
    for path in sorted(BANK_DIR.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            if not line.strip():
                continue
            row = json.loads(line)
            if "group" in row:
                items.append((row["text"], row["group"]))
            elif row["level"] == "none":
                items.append((row["text"], "neg:labelled"))
            elif row.get("kind") == "third_party":
                continue  # someone else's risk: the pattern layer's whose-risk scope decides it
            else:
                group = _LABEL_GROUP.get((row["level"], row.get("kind", "")), "")
                if group:
                    items.append((row["text"], group))
    return items


def _load_bank() -> tuple[np.ndarray, list[str], np.ndarray]:
    global _bank
    with _lock:
        if _bank is None:
            from safety.embedding import get_embedder

            from .normalize import normalize

            items = _bank_items()
            texts = [_focus(normalize(t)) for t, _ in items]
            groups = [g for _, g in items]
            mat = _bank_vectors(get_embedder(), texts)
            is_neg = np.array([g.startswith("neg:") for g in groups])
            _bank = (mat, groups, is_neg)
        return _bank


def _bank_vectors(emb: Any, texts: list[str]) -> np.ndarray:
    """The bank's embeddings, from the cache when they were made before for exactly these texts with exactly this
    model (``WARMLINE_CACHE_DIR``); a missing, unreadable or mismatched file is made again."""
    from safety.embedding import cache_dir

    folder = cache_dir()
    path = None
    if folder is not None:
        key = hashlib.sha256(emb.identity.encode() + b"\0" + "\n".join(texts).encode()).hexdigest()[:32]
        path = folder / f"risk-bank-{key}.npy"
        with contextlib.suppress(OSError, ValueError):
            mat = np.load(path, allow_pickle=False)
            if mat.shape == (len(texts), emb.dim) and mat.dtype == np.float32 and np.isfinite(mat).all():
                return mat
    mat = emb.embed_many(texts)
    if path is not None:
        with contextlib.suppress(OSError):  # a read-only home only costs the next start the same ~4 s
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                np.save(f, mat, allow_pickle=False)
            os.replace(tmp, path)
    return mat


def warm() -> None:
    """Load the model and embed the bank now (about a second) instead of on the first call."""
    _load_bank()


def _focus(norm: str) -> str:
    words = [w for w in norm.split(" ") if w != "|"]
    return " ".join(words[-MAX_WORDS:])


@lru_cache(maxsize=4096)
def nearest(text: str) -> tuple[str, float, float]:
    """(voted risk group, best risk similarity, best risk-free similarity) for normalised text.

    The group is a similarity-weighted vote of the K nearest risk exemplars that are close to the best
    one, so one odd neighbour does not decide the level."""
    from safety.embedding import get_embedder

    mat, groups, is_neg = _load_bank()
    vec = get_embedder().embed_one(text)
    sims = mat @ vec
    risk_sims = np.where(is_neg, -1.0, sims)
    neg_best = float(np.where(is_neg, sims, -1.0).max())
    top = np.argsort(-risk_sims)[:K]
    best = float(risk_sims[top[0]])
    votes: dict[str, float] = {}
    for i in top:
        if risk_sims[i] >= best - 0.06:
            votes[groups[i]] = votes.get(groups[i], 0.0) + float(risk_sims[i])
    return max(votes, key=votes.__getitem__), best, neg_best


def should_run(norm: str, level: Level, mods: set[str], third: bool) -> bool:
    """Run whenever the patterns did not already rate it high, nothing scoped the words away, and a
    risk-relevant or distress word is there (a cheap, generous gate)."""
    if level >= Level.HIGH or third or (mods & _BLOCKERS):
        return False
    return bool(GATE.search(norm))


def semantic_signals(norm: str, level: Level, mods: set[str], third: bool) -> tuple[list[str], Level]:
    """(signals, the highest level they may conclude on their own)."""
    if not should_run(norm, level, mods, third):
        return [], Level.NONE
    group, sim, neg = nearest(_focus(norm))
    if (sim >= STRONG and sim - neg >= STRONG_MARGIN and _FIRST_PERSON.search(norm)
            and Level(GROUP_LEVEL[group]) >= Level.HIGH):
        return [f"semantic:{group}"], STRONG_CAP
    if sim >= THRESHOLD and sim - neg >= MARGIN:
        return [f"semantic:{group}"], SOLO_CAP
    return [], Level.NONE
