"""Latency benchmark of ``assess`` (embedding included): ``python -m safety.risk.bench``.

Runs every utterance of the labelled sets cold (caches cleared, the model and exemplar bank loaded
first), then a growing-prefix pass (a partial transcript assessed word by word), and the XSTest
`safe` prompts as an external false-positive probe. Prints p50/p95/max per pass.
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
XSTEST = Path("/work/shared/data/xstest/xstest_prompts.csv")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def _clear() -> None:
    from safety.embedding import _cached_embed
    from safety.risk import _cached, _patterns
    from safety.risk.semantic import nearest

    _cached.cache_clear()
    _patterns.cache_clear()
    nearest.cache_clear()
    _cached_embed.cache_clear()


def main(argv: list[str]) -> int:
    from safety.risk import assess
    from safety.risk.semantic import warm

    warm()
    texts = []
    for name in ("risk_dev.jsonl", "risk_holdout.jsonl"):
        p = ROOT / "tests" / "data" / name
        if p.exists():
            texts += [json.loads(line)["text"] for line in p.open() if line.strip()]
    _clear()
    times = []
    for t in texts:
        t0 = time.perf_counter()
        assess(t)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"cold, {len(texts)} utterances: p50 {_pct(times, .5):.2f} ms  p95 {_pct(times, .95):.2f} ms  "
          f"max {max(times):.2f} ms  mean {statistics.mean(times):.2f} ms")
    # the share of the MiniLM run itself (uncached, on the text the layers embed): on a CPU without AVX2 its fp32
    # matmuls already run near one core's peak, so this line is the floor of the one above (docs/risk.md)
    from safety.embedding import get_embedder
    from safety.risk.normalize import normalize
    from safety.risk.semantic import _focus

    emb = get_embedder()
    etimes = []
    for t in texts:
        focus = _focus(normalize(t))
        t0 = time.perf_counter()
        emb.embed([focus])
        etimes.append((time.perf_counter() - t0) * 1000)
    print(f"embedding alone, {len(etimes)} runs: p50 {_pct(etimes, .5):.2f} ms  p95 {_pct(etimes, .95):.2f} ms")
    _clear()
    ptimes = []
    for t in texts[:150]:
        words = t.split()
        for i in range(1, len(words) + 1):
            t0 = time.perf_counter()
            assess(" ".join(words[:i]))
            ptimes.append((time.perf_counter() - t0) * 1000)
    print(f"growing prefixes, {len(ptimes)} partials: p50 {_pct(ptimes, .5):.2f} ms  p95 {_pct(ptimes, .95):.2f} ms")
    if XSTEST.exists():
        rows = [r for r in csv.DictReader(XSTEST.open()) if r["label"] == "safe"]
        flagged = [(r["prompt"], assess(r["prompt"])) for r in rows]
        low = [(p, a) for p, a in flagged if a.level != "none"]
        high = [(p, a) for p, a in flagged if a.level in ("high", "imminent")]
        print(f"xstest safe prompts: {len(rows)}; rated >= low: {len(low)} ({len(low) / len(rows):.1%}); "
              f">= high: {len(high)}")
        if "-v" in argv:
            for p, a in low:
                print(f"  {a.level.value:9s} {p!r} {list(a.signals)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
