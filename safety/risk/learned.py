"""Learned layer: a small logistic model over the MiniLM embedding and the pattern layer's named signals.

Four one-vs-rest logistic regressions give P(level >= low|moderate|high|imminent); a softmax gives the
kind. Weights and the thresholds chosen by leave-one-set-out cross-validation live in ``bank/model.npz``
(written by ``python -m safety.risk.train``); run time reads only that file, plain numpy, no training code.

The pattern layer stays in charge of scope: when it heard a negation, an idiom, reported speech, topic talk,
bereavement, a third party, an ordinary purpose (benign use, travel, resolved history) or a hypothetical,
the learned level may not exceed the patterns' level unless the model is extremely confident (``veto``).
The learned layer concludes at most ``high`` on its own (a transfer to a person, never emergency guidance).
"""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

import numpy as np

from safety.types import Kind, Level

MODEL_PATH = Path(__file__).with_name("bank") / "model.npz"
THRESHOLD_LEVELS = (Level.LOW, Level.MODERATE, Level.HIGH, Level.IMMINENT)
KINDS = ("suicide", "self_harm", "harm_to_others", "abuse", "medical")
SCOPES = frozenset({"negated", "idiom", "reported_speech", "topic", "bereavement", "panic", "benign_use", "resolved",
                    "travel", "third_party", "hypothetical", "life_event", "explained", "work"})
ORDINARY = frozenset({"travel", "life_event", "explained", "work"})
CAP = Level.HIGH
BRAKE = 0.02  # P(>= low) below this turns the other layers' `high` into `moderate` (see risk/__init__.py)


def signal_tokens(signals: tuple[str, ...] | list[str]) -> set[str]:
    """A signal and its family ("method:rope" -> also "method:"), so unseen leaves still share a feature."""
    out: set[str] = set()
    for s in signals:
        out.add(s)
        if ":" in s:
            out.add(s.split(":", 1)[0] + ":")
    return out


def ngram_counts(norm: str, n_hash: int) -> np.ndarray:
    """Hashed word unigrams and bigrams (crc32, stable across runs), binary, L2-normalised."""
    out = np.zeros(n_hash, dtype=np.float32)
    if n_hash <= 0:
        return out
    words = [w for w in norm.split(" ") if w and w != "|"]
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for g in grams:
        out[zlib.crc32(g.encode("utf-8")) % n_hash] = 1.0
    norm2 = float(np.linalg.norm(out))
    return out / norm2 if norm2 else out


def features(vec: np.ndarray, signals: tuple[str, ...] | list[str], vocab: list[str] | tuple[str, ...],
             norm: str = "", n_hash: int = 0) -> np.ndarray:
    toks = signal_tokens(signals)
    sig = np.fromiter((1.0 if v in toks else 0.0 for v in vocab), dtype=np.float32, count=len(vocab))
    parts = [np.asarray(vec, dtype=np.float32), sig]
    if n_hash:
        parts.append(ngram_counts(norm, n_hash))
    return np.concatenate(parts)


def is_scoped(signals: tuple[str, ...] | list[str], pattern_level: Level) -> bool:
    """The patterns heard a scope, or heard cues that combine.py deliberately rated as no risk without context
    ("i bought rope for the boat", "my mind's made up, i'm leaving him"): either way the learned level is capped."""
    if SCOPES & set(signals) or any(s.startswith("third_party") for s in signals):
        return True
    from .combine import is_risk_signal

    return pattern_level == Level.NONE and any(is_risk_signal(s) for s in signals)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def probs(W: np.ndarray, b: np.ndarray, X: np.ndarray, hidden: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(n, 4) P(>= low, moderate, high, imminent), made monotone (a higher bar is never likelier).
    With ``hidden`` = (W1, b1) the features first pass one ReLU layer (the shipped model); without, it is the
    plain logistic model (kept for the stacking check and experiments)."""
    if hidden is not None:
        X = np.maximum(X @ hidden[0] + hidden[1], 0.0)
    p = sigmoid(X @ W.T + b)
    return np.minimum.accumulate(p, axis=1)


def decide(p: np.ndarray, thresholds: np.ndarray, pattern_level: Level, scoped: bool, veto: float,
           flagged: bool = False) -> Level:
    """The learned level for one utterance (capped at ``CAP``; scope caps it at the patterns' level).

    ``thresholds`` = bars for P(>= low), P(>= moderate), P(>= high), and a lower bar for P(>= high) when the
    other two layers already rated the utterance >= low (``flagged``): risk already heard, is it severe?"""
    level = Level.NONE
    low_ok = p[0] >= thresholds[0]
    if low_ok:
        level = Level.LOW
    if (low_ok or flagged) and p[1] >= thresholds[1]:  # moderate only on top of a low reading
        level = Level.MODERATE
    if p[2] >= (min(thresholds[2], thresholds[3]) if flagged else thresholds[2]):
        level = Level.HIGH
    if scoped and level > pattern_level:
        # a scope the patterns heard wins unless the model is extremely sure of this level
        keep = Level.NONE
        for lvl, pi in zip(THRESHOLD_LEVELS, p, strict=False):
            if lvl <= level and pi >= veto:
                keep = lvl
        level = max(pattern_level, keep)
    return level


def cap_ordinary(level: Level, signals: tuple[str, ...] | list[str], pattern_level: Level) -> Level:
    """An ordinary purpose the patterns heard (hunting season, a nurse's shift, moving house, "do it tonight ... ask
    her out") holds the learned layer at moderate at most, however sure it is: its probabilities are sharp even
    on text it has never seen, and a false transfer there costs the caller's trust."""
    if ORDINARY & set(signals) and level > max(pattern_level, Level.MODERATE):
        return max(pattern_level, Level.MODERATE)
    return level


class Model:
    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path, allow_pickle=False) as z:
            self.W = z["W"].astype(np.float32)
            # one hidden ReLU layer (fifth pass); older model files have none
            self.hidden = (z["W1"].astype(np.float32), z["b1"].astype(np.float32)) if "W1" in z else None
            self.b = z["b"].astype(np.float32)
            self.Wk = z["Wk"].astype(np.float32)
            self.bk = z["bk"].astype(np.float32)
            self.vocab = [str(v) for v in z["vocab"]]
            self.thresholds = z["thresholds"].astype(np.float32)
            self.veto = float(z["veto"])
            self.n_hash = int(z["n_hash"]) if "n_hash" in z else 0

    def predict(self, vec: np.ndarray, signals: tuple[str, ...], norm: str = "") -> tuple[np.ndarray, Kind]:
        x = features(vec, signals, self.vocab, norm, self.n_hash)[None, :]
        p = probs(self.W, self.b, x, self.hidden)[0]
        k = KINDS[int(np.argmax(x @ self.Wk.T + self.bk))]
        return p, Kind(k)

    def brake_applies(self, p: np.ndarray) -> bool:
        return self.hidden is not None and float(p[0]) < BRAKE

    def assess(self, vec: np.ndarray, signals: tuple[str, ...], pattern_level: Level,
               norm: str = "", flagged: bool = False) -> tuple[Level, Kind, float]:
        """(learned level, kind, probability of that level)."""
        p, kind = self.predict(vec, signals, norm)
        scoped = is_scoped(signals, pattern_level)
        level = cap_ordinary(decide(p, self.thresholds, pattern_level, scoped, self.veto, flagged), signals, pattern_level)
        prob = float(p[THRESHOLD_LEVELS.index(level)]) if level > Level.NONE else float(1.0 - p[0])
        return level, kind, prob


_lock = threading.Lock()
_model: Model | None = None
_missing = False


def get_model() -> Model | None:
    """The shipped model, or None when bank/model.npz has not been trained (patterns + kNN still run)."""
    global _model, _missing
    if _model is None and not _missing:
        with _lock:
            if _model is None and not _missing:
                if MODEL_PATH.exists():
                    _model = Model(MODEL_PATH)
                else:
                    _missing = True
    return _model
