"""Evaluate ``assess`` on a labelled JSONL set ({"text", "level", "kind"} per line).

    python -m safety.risk.evaluate tests/data/risk_dev.jsonl [--no-semantic] [--errors]

Reports per-level precision and recall, and the four targets from the issue:
high/imminent rated >= high, any risk rated >= low, risk-free rated >= low, risk-free rated >= high.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from safety.types import Level

LEVELS = list(Level)


@dataclass
class Report:
    n: int = 0
    per_level: dict[str, dict[str, float]] = field(default_factory=dict)
    severe_recall: float = 1.0  # labelled high/imminent, rated >= high
    risk_recall: float = 1.0  # labelled >= low, rated >= low
    free_flagged: float = 0.0  # labelled none, rated >= low
    free_high: int = 0  # labelled none, rated >= high
    kind_accuracy: float = 1.0  # on items labelled >= low (kind right)
    errors: list[tuple[str, str, str, str, tuple[str, ...]]] = field(default_factory=list)

    def table(self) -> str:
        rows = ["| level | n | precision | recall |", "|---|---|---|---|"]
        for lvl in LEVELS:
            d = self.per_level[lvl.value]
            rows.append(f"| {lvl.value} | {int(d['n'])} | {d['precision']:.3f} | {d['recall']:.3f} |")
        rows.append("")
        rows.append(f"- high/imminent rated >= high: {self.severe_recall:.1%}")
        rows.append(f"- any risk rated >= low: {self.risk_recall:.1%}")
        rows.append(f"- risk-free rated >= low: {self.free_flagged:.1%}")
        rows.append(f"- risk-free rated >= high: {self.free_high}")
        rows.append(f"- kind right on risky items: {self.kind_accuracy:.1%}")
        return "\n".join(rows)


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(items: list[dict], predict=None) -> Report:
    if predict is None:
        from safety.risk import assess

        def predict(t):
            a = assess(t)
            return a.level, a.kind.value, a.signals

    rep = Report(n=len(items))
    gold_pred = []
    for it in items:
        lvl, kind, sigs = predict(it["text"])
        gold = Level(it["level"])
        gold_pred.append((gold, Level(lvl), it.get("kind", ""), kind))
        if gold != lvl:
            rep.errors.append((it["text"], gold.value, Level(lvl).value, kind, tuple(sigs)))
    for lvl in LEVELS:
        tp = sum(1 for g, p, *_ in gold_pred if g == lvl and p == lvl)
        n_gold = sum(1 for g, *_ in gold_pred if g == lvl)
        n_pred = sum(1 for _, p, *_ in gold_pred if p == lvl)
        rep.per_level[lvl.value] = {
            "n": n_gold,
            "precision": tp / n_pred if n_pred else 1.0,
            "recall": tp / n_gold if n_gold else 1.0,
        }
    severe = [(g, p) for g, p, *_ in gold_pred if g >= Level.HIGH]
    risky = [(g, p, gk, pk) for g, p, gk, pk in gold_pred if g >= Level.LOW]
    free = [(g, p) for g, p, *_ in gold_pred if g == Level.NONE]
    if severe:
        rep.severe_recall = sum(p >= Level.HIGH for _, p in severe) / len(severe)
    if risky:
        rep.risk_recall = sum(p >= Level.LOW for _, p, *_ in risky) / len(risky)
        rep.kind_accuracy = sum(gk == pk for *_, gk, pk in risky) / len(risky)
    if free:
        rep.free_flagged = sum(p >= Level.LOW for _, p in free) / len(free)
        rep.free_high = sum(p >= Level.HIGH for _, p in free)
    return rep


def main(argv: list[str]) -> int:
    path = next((a for a in argv if not a.startswith("--")), "tests/data/risk_dev.jsonl")
    semantic = "--no-semantic" not in argv
    from safety.risk import assess

    def predict(t):
        a = assess(t, semantic=semantic)
        return a.level, a.kind.value, a.signals

    rep = evaluate(load(path), predict)
    print(f"{path}: {rep.n} utterances")
    print(rep.table())
    if "--errors" in argv:
        for text, gold, pred, kind, sigs in rep.errors:
            print(f"  gold={gold:8s} pred={pred:8s} {kind:14s} {text!r} {list(sigs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
