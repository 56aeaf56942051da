"""Prometheus metrics for ``GET /metrics``: calls, per-stage turn latency, barge-ins, escalations.

One registry per app (tests build several apps in one process). Labels are never personal: a
transport name, a stage name, a risk level, an end reason — no numbers, no call ids, no text.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

STAGES = ("endpoint", "asr", "risk", "dialogue", "tts_first", "total")
# Turn latency lives between a few ms (risk) and a few seconds (a busy box).
_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.calls = Counter("warmline_calls", "Calls started", ["transport"], registry=r)
        self.calls_ended = Counter("warmline_calls_ended", "Calls ended, by reason", ["reason"], registry=r)
        self.active = Gauge("warmline_calls_active", "Calls in progress", registry=r)
        self.turns = Counter("warmline_turns", "Caller turns answered", registry=r)
        self.turn_latency = Histogram(
            "warmline_turn_latency_seconds",
            "Turn latency per stage (total: last voiced caller frame to first reply frame out)",
            ["stage"], buckets=_BUCKETS_S, registry=r,
        )
        self.barge_ins = Counter("warmline_barge_ins", "Replies cut short by the caller", registry=r)
        self.escalations = Counter("warmline_escalations", "Escalations opened", ["level", "action"], registry=r)
        self.protocol_errors = Counter("warmline_protocol_errors", "Calls ended by bad input", ["transport"],
                                       registry=r)

    def observe_turn(self, timings_ms: dict[str, float]) -> None:
        self.turns.inc()
        for stage in STAGES:
            value = timings_ms.get(f"{stage}_ms")
            if value is not None:
                self.turn_latency.labels(stage).observe(max(0.0, value) / 1000.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
