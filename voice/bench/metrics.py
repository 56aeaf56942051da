"""The server's own per-stage timings, read from its Prometheus ``/metrics`` histograms.

A snapshot is taken before and after the calls; the difference is what those calls did. Percentiles
come from the buckets the way Prometheus' ``histogram_quantile`` computes them (linear inside a
bucket), so they are estimates at bucket resolution; the mean (sum / count) is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import httpx
from prometheus_client.parser import text_string_to_metric_families

# Stage label values we expect, in the order the report shows them (others are appended).
STAGE_ORDER = ("endpoint", "asr", "risk", "dialogue", "tts_first", "total")


@dataclass
class Hist:
    buckets: dict[float, float] = field(default_factory=dict)  # upper bound -> cumulative count
    count: float = 0.0
    sum: float = 0.0
    scale_ms: float = 1.0  # multiply by this to get milliseconds

    def minus(self, other: Hist | None) -> Hist:
        if other is None:
            return self
        return Hist(
            {le: c - other.buckets.get(le, 0.0) for le, c in self.buckets.items()},
            self.count - other.count,
            self.sum - other.sum,
            self.scale_ms,
        )

    def quantile(self, q: float) -> float | None:
        """``histogram_quantile`` in milliseconds; None when there are no observations."""
        if self.count <= 0 or not self.buckets:
            return None
        rank = q * self.count
        prev_le, prev_c = 0.0, 0.0
        for le in sorted(self.buckets):
            c = self.buckets[le]
            if c >= rank:
                if math.isinf(le):  # beyond the last finite bucket: the best we can say is its bound
                    return prev_le * self.scale_ms
                if c == prev_c:
                    return le * self.scale_ms
                return (prev_le + (le - prev_le) * (rank - prev_c) / (c - prev_c)) * self.scale_ms
            prev_le, prev_c = le, c
        return prev_le * self.scale_ms

    @property
    def mean_ms(self) -> float | None:
        return self.sum / self.count * self.scale_ms if self.count > 0 else None


def _scale(name: str, unit: str) -> float:
    n = f"{name} {unit}".lower()
    if "seconds" in n or n.endswith("_s") or unit == "seconds":
        return 1000.0
    return 1.0  # *_ms and unitless are taken as milliseconds


def _is_turn_histogram(name: str) -> bool:
    n = name.lower()
    return any(k in n for k in ("turn", "stage", "latency")) and "transfer" not in n


def parse(text: str) -> dict[str, Hist]:
    """Per-stage turn histograms, keyed by stage (the ``stage`` label, else the metric's name)."""
    out: dict[str, Hist] = {}
    for fam in text_string_to_metric_families(text):
        if fam.type != "histogram" or not _is_turn_histogram(fam.name):
            continue
        scale = _scale(fam.name, fam.unit)
        for s in fam.samples:
            labels = dict(s.labels)
            le = labels.pop("le", None)
            stage = labels.get("stage") or _stage_from_name(fam.name)
            h = out.setdefault(stage, Hist(scale_ms=scale))
            if s.name.endswith("_bucket") and le is not None:
                b = float("inf") if le in ("+Inf", "inf") else float(le)
                h.buckets[b] = h.buckets.get(b, 0.0) + s.value
            elif s.name.endswith("_count"):
                h.count += s.value
            elif s.name.endswith("_sum"):
                h.sum += s.value
    return out


def _stage_from_name(name: str) -> str:
    n = name.lower()
    for prefix in ("warmline_", "turn_", "stage_"):
        n = n.removeprefix(prefix)
    for suffix in ("_seconds", "_milliseconds", "_ms", "_latency", "_duration"):
        n = n.removesuffix(suffix)
    return n or name


def snapshot(base_url: str) -> dict[str, Hist]:
    """Current histograms from ``base_url``/metrics (empty when the server exposes none)."""
    try:
        r = httpx.get(f"{base_url.rstrip('/')}/metrics", timeout=10.0)
        r.raise_for_status()
    except httpx.HTTPError:
        return {}
    return parse(r.text)


def stage_summary(before: dict[str, Hist], after: dict[str, Hist]) -> dict[str, dict]:
    """``{stage: {"n", "mean", "p50", "p95", "p99"}}`` in ms for what happened between two snapshots."""
    rows: dict[str, dict] = {}
    names = [s for s in STAGE_ORDER if s in after] + sorted(s for s in after if s not in STAGE_ORDER)
    for stage in names:
        h = after[stage].minus(before.get(stage))
        if h.count <= 0:
            continue
        rows[stage] = {
            "n": int(h.count),
            "mean": _r(h.mean_ms),
            "p50": _r(h.quantile(0.50)),
            "p95": _r(h.quantile(0.95)),
            "p99": _r(h.quantile(0.99)),
        }
    return rows


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
