"""`warmline bench`: the smoke run against the real server, and the arithmetic behind its report.

Timing targets live in the benchmark itself (docs/performance.md), not here: this machine is shared,
so these tests check that what the bench measures is structurally right and physically plausible.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import psutil
import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from voice.bench import corpus, metrics
from voice.bench.report import RunResult, TurnResult, build_document, max_calls, percentiles, plot, ratio

ROOT = Path(__file__).resolve().parents[2]


# ---- the real thing: 1 call, 2 short turns, against a real `warmline serve` ------------------


def test_bench_smoke_one_call_two_turns(tmp_path: Path) -> None:
    out, png = tmp_path / "bench.json", tmp_path / "plot.png"
    env = dict(os.environ, WARMLINE_BENCH_CACHE=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, "-m", "voice.cli", "bench", "--calls", "1", "--turns", "2", "--quiet",
         "--json", str(out), "--plot", str(png)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = json.loads(out.read_text())

    assert doc["calls"] == 1
    assert doc["turns_planned"] == 2
    assert doc["turns"] == 2 and doc["unanswered"] == 0, doc
    lat = doc["turn_latency_ms"]
    assert lat["n"] == 2
    # A reply cannot start before the caller stops, and a 2-turn call on any box answers within 10 s.
    assert 0 < lat["min"] <= lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"] < 10_000
    # The first scripted turn holds one mid-sentence pause ("I've been feeling really ... anxious").
    assert doc["mid_sentence_pauses"] == 1
    assert 0 <= doc["false_cutins"] <= doc["mid_sentence_pauses"]
    assert doc["false_cutin_rate"] == doc["false_cutins"] / doc["mid_sentence_pauses"]
    # The server's own per-stage split of the same two turns.
    stages = doc["stages"]
    for stage in ("endpoint", "asr", "risk", "dialogue", "tts_first", "total"):
        assert stages[stage]["n"] == 2, stage
        assert stages[stage]["p50"] >= 0
    assert 0 < stages["total"]["p50"] < 10_000
    # The caller hears the reply after the server sends it (same host: at most ~0.5 s of clock skew).
    assert lat["p50"] >= stages["total"]["p50"] - 500
    cpu = doc["cpu"]
    assert cpu["server_cpu_s"] > 0 and cpu["wall_s"] > 5 and cpu["cores"] >= 1
    assert len(cpu["loadavg"]) == 3
    assert "baseline" not in doc and "ratio_p50" not in doc
    assert doc["meta"]["started_at"].startswith("20") and len(doc["meta"]["loadavg_start"]) == 3
    assert [t["turn"] for t in doc["per_turn"]] == [0, 1] and doc["per_turn"][0]["heard"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Turn latency" in proc.stdout and "p95" in proc.stdout
    assert _orphan_servers(env["WARMLINE_BENCH_CACHE"]) == []


def _orphan_servers(cache: str) -> list[int]:
    """`warmline serve` processes the bench started (recognised by our cache dir in their env) still alive."""
    left = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            cmd = p.info["cmdline"] or []
            if "voice.cli" in cmd and "serve" in cmd and p.environ().get("WARMLINE_BENCH_CACHE") == cache:
                left.append(p.pid)
        except psutil.Error:
            continue
    return left


# ---- what callers say ------------------------------------------------------------------------


def test_script_pauses_are_mid_sentence_and_in_range() -> None:
    pauses = [p for line in corpus.SCRIPT for p in line.pauses]
    assert len(pauses) >= 6
    assert all(0.5 <= p <= 1.2 for p in pauses)
    assert max(pauses) == 1.2  # the hardest case the target names is in the script
    # Every paused piece ends without a full stop: the caller is mid-sentence there.
    for line in corpus.SCRIPT:
        for piece in line.pieces[:-1]:
            assert not piece.rstrip().endswith((".", "?", "!")), piece
    with pytest.raises(ValueError):
        corpus.Line(("a", "b"), ())


def test_trim_cuts_silence_around_speech() -> None:
    rng = np.random.default_rng(0)
    voiced = (rng.standard_normal(8000) * 3000).astype(np.int16)
    pcm = np.concatenate([np.zeros(4800, np.int16), voiced, np.zeros(6400, np.int16)])
    out = corpus.trim(pcm)
    assert abs(len(out) - len(voiced)) <= 160
    assert np.abs(out[:160]).max() > 1000 and np.abs(out[-160:]).max() > 1000


def test_corpus_synthesises_once_and_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARMLINE_BENCH_CACHE", str(tmp_path))
    turns = corpus.build_turns(2, voice="espeak", offset=0)
    assert [t.mid_pauses for t in turns] == [1, 0]
    assert len(list(tmp_path.glob("espeak-*.wav"))) == 3  # two pieces + one whole sentence
    for t in turns:
        for seg in t.segments:
            assert seg.pcm.dtype == np.int16 and len(seg.pcm) > corpus.RATE // 2
            assert np.abs(seg.pcm[:160]).max() > 0 and np.abs(seg.pcm[-160:]).max() > 0
    assert turns[0].segments[0].pause_after_s == 0.8
    again = corpus.build_turns(2, voice="espeak", offset=0)
    assert np.array_equal(again[1].segments[0].pcm, turns[1].segments[0].pcm)


# ---- the server's histograms ------------------------------------------------------------------


def _histograms(values_s: dict[str, list[float]]) -> str:
    reg = CollectorRegistry()
    h = Histogram("warmline_turn_latency_seconds", "x", ["stage"], registry=reg,
                  buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0))
    for stage, vals in values_s.items():
        for v in vals:
            h.labels(stage).observe(v)
    return generate_latest(reg).decode()


def test_metrics_histogram_difference_and_quantiles() -> None:
    before = metrics.parse(_histograms({"total": [0.15] * 10}))
    after = metrics.parse(_histograms({"total": [0.15] * 10 + [0.45] * 90 + [1.2] * 10, "asr": [0.25] * 4}))
    rows = metrics.stage_summary(before, after)
    assert list(rows) == ["asr", "total"]  # in pipeline order
    assert rows["total"]["n"] == 100  # only what happened between the two snapshots
    assert rows["total"]["mean"] == pytest.approx((0.45 * 90 + 1.2 * 10) / 100 * 1000, abs=0.1)
    assert 400 <= rows["total"]["p50"] <= 500
    assert 1000 <= rows["total"]["p95"] <= 1500
    assert rows["asr"]["n"] == 4 and 200 <= rows["asr"]["p50"] <= 300


def test_metrics_quantile_empty_and_overflow() -> None:
    assert metrics.Hist().quantile(0.5) is None
    h = metrics.Hist({1.0: 0, float("inf"): 5}, count=5, sum=50, scale_ms=1000)
    assert h.quantile(0.99) == 1000.0  # past the last bucket: its bound is all we know


# ---- the report ---------------------------------------------------------------------------------


def _run(pipeline: str, calls: int, lats: list[float | None], cut: int = 0) -> RunResult:
    r = RunResult(pipeline=pipeline, calls=calls, turns_per_call=len(lats) // calls,
                  cpu={"server_mean_pct": 50.0, "loadavg": [1.0, 1.0, 1.0]})
    for i, v in enumerate(lats):
        r.turns.append(TurnResult(call=i % calls, turn=i, mid_pauses=1, latency_ms=v,
                                  cutin=i < cut, cutin_pauses=1 if i < cut else 0))
    return r


def test_document_baseline_ratio_cutins_and_sweep(tmp_path: Path) -> None:
    ours = _run("fast", 1, [400, 420, 450, 480, 900, None])
    naive = _run("naive", 1, [1200, 1300, 1250, 1400, 1500, 1350], cut=3)
    sweep = [ours, _run("fast", 2, [500, 600, 700, 1400]), _run("fast", 4, [900, 1600, 1700, 2500])]
    doc = build_document(ours, baseline=naive, sweep=sweep, meta={"cores": 2})
    assert doc["turns"] == 5 and doc["unanswered"] == 1 and doc["turns_planned"] == 6
    assert doc["turn_latency_ms"]["p50"] == 450
    assert doc["baseline"]["turn_latency_ms"]["p50"] == 1325
    assert doc["ratio_p50"] == round(1325 / 450, 2)
    assert doc["baseline"]["false_cutins"] == 3 and doc["baseline"]["false_cutin_rate"] == 0.5
    assert doc["false_cutins"] == 0
    assert [r["calls"] for r in doc["sweep"]] == [1, 2, 4]
    assert doc["max_calls_p95_under_ms"] == {"limit_ms": 1500.0, "calls": 2}
    json.dumps(doc)  # serialisable as is
    plot(doc, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 5000


def test_small_helpers() -> None:
    assert percentiles([])["p50"] is None
    p = percentiles([100.0] * 99 + [1000.0])
    assert p["p50"] == 100 and p["max"] == 1000 and p["n"] == 100
    assert ratio(1000, 400) == 2.5 and ratio(None, 400) is None and ratio(1000, 0) is None
    assert max_calls([{"calls": 1, "turn_latency_ms": {"p95": 1600}}]) is None
    assert max_calls([{"calls": 8, "turn_latency_ms": {"p95": 900}}, {"calls": 1, "turn_latency_ms": {"p95": 300}}]) == 8


def test_voices_option_chooses_the_callers_voices() -> None:
    """Callers alternate the default voices; --voices piper makes every caller the clean voice, and an
    unknown voice is a clear usage error (exit 2), not a crash mid-run."""
    assert [corpus.voice_for_call(i) for i in range(4)] == ["piper", "espeak", "piper", "espeak"]
    assert {corpus.voice_for_call(i, ("piper",)) for i in range(5)} == {"piper"}
    r = subprocess.run([sys.executable, "-m", "voice.cli", "bench", "--voices", "piper,robot", "--quiet"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--voices" in (r.stdout + r.stderr)
