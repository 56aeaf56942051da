"""Turning measured turns into the bench's numbers: percentiles, the JSON document, tables and the plot."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

P95_LIMIT_MS = 1500.0  # "how many calls the machine holds": the largest load with p95 under this


@dataclass
class TurnResult:
    call: int
    turn: int
    mid_pauses: int  # pauses inside the caller's sentence
    latency_ms: float | None  # end of caller speech -> first reply audio frame; None: no answer
    cutin: bool = False  # reply audio started while the caller was only pausing mid-sentence
    cutin_pauses: int = 0  # how many of this turn's mid-sentence pauses were talked over
    talking_over: bool = False  # the line was already talking when the caller finished
    script: str = ""  # the scripted line the caller spoke (synthetic, never a real caller's words)
    voice: str = ""
    heard: list[str] = field(default_factory=list)  # the line's final transcripts during this turn
    server: dict[str, float] = field(default_factory=dict)  # the line's own timings of its answer


@dataclass
class RunResult:
    """One load level through one pipeline."""

    pipeline: str
    calls: int
    turns_per_call: int
    turns: list[TurnResult] = field(default_factory=list)
    stages: dict[str, dict] = field(default_factory=dict)
    stages_source: str = ""
    stages_histograms: dict[str, dict] = field(default_factory=dict)  # /metrics, as a cross-check
    cpu: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def latencies(self) -> list[float]:
        return [t.latency_ms for t in self.turns if t.latency_ms is not None and not t.talking_over]

    @property
    def mid_sentence_pauses(self) -> int:
        return sum(t.mid_pauses for t in self.turns)

    @property
    def false_cutins(self) -> int:
        return sum(t.cutin_pauses for t in self.turns)

    def by_voice(self) -> dict[str, dict[str, Any]]:
        """Per caller voice: espeak-ng is far harder for tiny.en than Piper (or a person), so a voice's
        own cut-in rate says whether a fault is the line's timing or the recogniser's mishearing."""
        out: dict[str, dict[str, Any]] = {}
        for voice in sorted({t.voice for t in self.turns}):
            ts = [t for t in self.turns if t.voice == voice]
            lat = [t.latency_ms for t in ts if t.latency_ms is not None and not t.talking_over]
            p = percentiles(lat)
            pauses = sum(t.mid_pauses for t in ts)
            cut = sum(t.cutin_pauses for t in ts)
            out[voice] = {"turns": len(lat), "p50": p["p50"], "p95": p["p95"], "false_cutins": cut,
                          "mid_sentence_pauses": pauses, "false_cutin_rate": round(cut / pauses, 4) if pauses else 0.0}
        return out

    def to_json(self) -> dict[str, Any]:
        pauses = self.mid_sentence_pauses
        return {
            "pipeline": self.pipeline,
            "calls": self.calls,
            "turns": len(self.latencies),
            "turns_planned": self.calls * self.turns_per_call,
            "unanswered": sum(1 for t in self.turns if t.latency_ms is None),
            "turn_latency_ms": percentiles(self.latencies),
            "stages": self.stages,
            "stages_source": self.stages_source,
            "stages_histograms": self.stages_histograms,
            "false_cutins": self.false_cutins,
            "mid_sentence_pauses": pauses,
            "false_cutin_rate": round(self.false_cutins / pauses, 4) if pauses else 0.0,
            "cpu": self.cpu,
            "wall_s": round(self.wall_s, 1),
            "errors": self.errors,
            "by_voice": self.by_voice(),
            "per_turn": [
                {"call": t.call, "turn": t.turn, "voice": t.voice, "script": t.script,
                 "latency_ms": None if t.latency_ms is None else round(t.latency_ms, 1),
                 "mid_pauses": t.mid_pauses, "cutin_pauses": t.cutin_pauses, "talking_over": t.talking_over,
                 "heard": t.heard, "server": t.server}
                for t in self.turns
            ],
        }


def percentiles(values: Sequence[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "mean": None, "min": None, "max": None}
    a = np.asarray(values, dtype=float)
    return {
        "n": int(a.size),
        "p50": round(float(np.percentile(a, 50)), 1),
        "p95": round(float(np.percentile(a, 95)), 1),
        "p99": round(float(np.percentile(a, 99)), 1),
        "mean": round(float(a.mean()), 1),
        "min": round(float(a.min()), 1),
        "max": round(float(a.max()), 1),
    }


def ratio(baseline: float | None, ours: float | None) -> float | None:
    """How many times faster we are than the baseline (>= 2 is the target)."""
    if not baseline or not ours or ours <= 0:
        return None
    return round(baseline / ours, 2)


def max_calls(sweep: list[dict[str, Any]], limit_ms: float = P95_LIMIT_MS) -> int | None:
    """The largest number of concurrent calls before the first level whose p95 passes ``limit_ms``."""
    best = None
    for row in sorted(sweep, key=lambda r: r["calls"]):
        p95 = row["turn_latency_ms"]["p95"]
        if p95 is None or p95 > limit_ms:
            break
        best = row["calls"]
    return best


def build_document(
    main: RunResult,
    *,
    baseline: RunResult | None,
    sweep: list[RunResult],
    meta: dict[str, Any],
) -> dict[str, Any]:
    doc = main.to_json()
    if baseline is not None:
        b = baseline.to_json()
        doc["baseline"] = b
        doc["ratio_p50"] = ratio(b["turn_latency_ms"]["p50"], doc["turn_latency_ms"]["p50"])
        doc["ratio_p95"] = ratio(b["turn_latency_ms"]["p95"], doc["turn_latency_ms"]["p95"])
    if sweep:
        rows = [r.to_json() for r in sorted(sweep, key=lambda r: r.calls)]
        doc["sweep"] = rows
        doc["max_calls_p95_under_ms"] = {"limit_ms": P95_LIMIT_MS, "calls": max_calls(rows)}
    # Cut-ins over every run of our pipeline (the main one and the sweep): more pauses, a steadier rate.
    ours = [main] + [r for r in sweep if r is not main]
    pauses = sum(r.mid_sentence_pauses for r in ours)
    cut = sum(r.false_cutins for r in ours)
    doc["false_cutins_all_runs"] = {"false_cutins": cut, "mid_sentence_pauses": pauses,
                                    "rate": round(cut / pauses, 4) if pauses else 0.0}
    doc["meta"] = meta
    return doc


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.0f}" if abs(x) >= 10 else f"{x:.1f}"
    return str(x)


def print_report(doc: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    runs = [("ours", doc)] + ([("naive", doc["baseline"])] if "baseline" in doc else [])

    t = Table(title=f"Turn latency at the caller's side, {doc['calls']} concurrent call(s) (ms)")
    for col in ("pipeline", "turns", "p50", "p95", "p99", "mean", "max", "false cut-ins", "server CPU"):
        t.add_column(col, justify="right" if col != "pipeline" else "left")
    for name, r in runs:
        lat = r["turn_latency_ms"]
        cut = f"{r['false_cutins']}/{r['mid_sentence_pauses']} ({100 * r['false_cutin_rate']:.1f}%)"
        cpu = r["cpu"].get("server_mean_pct")
        t.add_row(
            f"{name} ({r['pipeline']})", str(r["turns"]), _fmt(lat["p50"]), _fmt(lat["p95"]),
            _fmt(lat["p99"]), _fmt(lat["mean"]), _fmt(lat["max"]), cut,
            f"{cpu:.0f}% of a core" if cpu is not None else "-",
        )
    console.print(t)
    for name, r in runs:
        if len(r.get("by_voice", {})) > 1:
            console.print(f"{name} by caller voice: " + "; ".join(
                f"{v} p50 {_fmt(b['p50'])} p95 {_fmt(b['p95'])} ms, cut-ins {b['false_cutins']}/{b['mid_sentence_pauses']}"
                for v, b in r["by_voice"].items()))
    if "ratio_p50" in doc:
        console.print(
            f"naive / ours: p50 x{_fmt(doc['ratio_p50'])}, p95 x{_fmt(doc.get('ratio_p95'))} "
            "(same machine, same run; higher is better)"
        )

    src = doc.get("stages_source") or "server"
    st = Table(title=f"Server-side stages per turn (ms; from {src})")
    st.add_column("stage")
    for name, _ in runs:
        for col in ("p50", "p95", "p99", "mean"):
            st.add_column(f"{name} {col}", justify="right")
    stages = list(doc["stages"]) + [s for s in doc.get("baseline", {}).get("stages", {}) if s not in doc["stages"]]
    for s in stages:
        row = [s]
        for _, r in runs:
            v = r["stages"].get(s, {})
            row += [_fmt(v.get("p50")), _fmt(v.get("p95")), _fmt(v.get("p99")), _fmt(v.get("mean"))]
        st.add_row(*row)
    if stages:
        console.print(st)
    else:
        console.print("[yellow]the server exposed no per-stage histograms at /metrics[/yellow]")

    if "sweep" in doc:
        a = doc["false_cutins_all_runs"]
        console.print(f"false cut-ins over all our runs: {a['false_cutins']}/{a['mid_sentence_pauses']} "
                      f"mid-sentence pauses ({100 * a['rate']:.1f}%)")
        sw = Table(title="Concurrent calls (ours)")
        for col in ("calls", "turns", "p50", "p95", "p99", "false cut-ins", "server CPU", "load avg"):
            sw.add_column(col, justify="right")
        for r in doc["sweep"]:
            lat = r["turn_latency_ms"]
            cpu = r["cpu"].get("server_mean_pct")
            sw.add_row(
                str(r["calls"]), str(r["turns"]), _fmt(lat["p50"]), _fmt(lat["p95"]), _fmt(lat["p99"]),
                f"{r['false_cutins']}/{r['mid_sentence_pauses']}",
                f"{cpu:.0f}%" if cpu is not None else "-",
                " ".join(f"{x:.2f}" for x in r["cpu"].get("loadavg", [])),
            )
        console.print(sw)
        m = doc["max_calls_p95_under_ms"]
        console.print(f"calls held with p95 <= {m['limit_ms']:.0f} ms: {m['calls'] if m['calls'] else 'none'}")
    for _, r in runs:
        for e in r.get("errors", [])[:5]:
            console.print(f"[red]{r['pipeline']}: {e}[/red]")


def plot(doc: dict[str, Any], path: str | Path) -> None:
    """Latency against concurrent calls (p50 and p95), with the 1.5 s line and the naive baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = doc.get("sweep") or [doc]
    rows = [r for r in rows if r["turn_latency_ms"]["p50"] is not None]
    xs = [r["calls"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    ax.plot(xs, [r["turn_latency_ms"]["p50"] for r in rows], "o-", label="ours p50")
    ax.plot(xs, [r["turn_latency_ms"]["p95"] for r in rows], "s-", label="ours p95")
    b = doc.get("baseline")
    if b and b["turn_latency_ms"]["p50"] is not None:
        ax.plot([b["calls"]], [b["turn_latency_ms"]["p50"]], "x", ms=10, color="tab:red", label="naive p50")
        ax.plot([b["calls"]], [b["turn_latency_ms"]["p95"]], "+", ms=12, color="tab:red", label="naive p95")
    ax.axhline(P95_LIMIT_MS, ls="--", color="grey", lw=1, label="1.5 s")
    ax.axhline(500, ls=":", color="green", lw=1, label="0.5 s")
    ax.set_xlabel("concurrent calls")
    ax.set_ylabel("turn latency at the caller (ms)")
    ax.set_xscale("log", base=2)
    ax.set_xticks(xs, [str(x) for x in xs])
    top = max([P95_LIMIT_MS] + [r["turn_latency_ms"]["p95"] or 0 for r in rows])
    if b and b["turn_latency_ms"]["p95"]:
        top = max(top, b["turn_latency_ms"]["p95"])
    ax.set_ylim(0, math.ceil(top * 1.1 / 100) * 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right", ncol=2)
    load = doc.get("meta", {}).get("loadavg_start")
    ax.set_title(
        f"Warmline turn latency vs concurrent calls ({doc.get('meta', {}).get('cores', '?')} cores"
        + (f", load {load[0]:.1f}" if load else "") + ")",
        fontsize=10,
    )
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
