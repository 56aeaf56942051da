"""Simulated callers at real-time pace, and the bench's phases (ours, the naive baseline, a sweep).

Each caller is a ``voice.client`` Twilio caller: it streams 20 ms µ-law frames continuously (speech,
mid-sentence pauses, silence, as a phone does), plays the line's audio out in real time and echoes
marks when played. The bench stamps, at the caller's side, when each speech segment starts and when the
last voiced frame of a turn leaves, and when each reply media frame arrives. From those:

- turn latency = first reply frame after the turn's last voiced frame - that frame's send time;
- a false cut-in = reply audio that starts during a mid-sentence pause (or while the caller, having
  resumed, finishes the sentence that pause interrupted).

The server's own per-stage timings come from the ``call.reply`` events of each call (the client's
event tap) and, as a cross-check, from the ``/metrics`` histograms.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from voice.bench import corpus, metrics
from voice.bench.report import RunResult, TurnResult, build_document, percentiles, plot, print_report
from voice.bench.server import CpuWatch, ServerProcess, ServerStartError
from voice.client import SimulatedCaller

REPLY_TIMEOUT_S = 10.0  # a turn with no reply audio after this is "unanswered"
QUIET_S = 0.5  # the line counts as done talking after its audio has played and this much silence
GREETING_TIMEOUT_S = 30.0
STAGES = ("endpoint", "asr", "risk", "dialogue", "tts_first", "total")


@dataclass
class BenchOptions:
    calls: int = 1
    turns: int = 6
    url: str | None = None
    baseline: bool = False
    baseline_url: str | None = None
    sweep: list[int] = field(default_factory=list)
    json_path: Path | None = None
    plot_path: Path | None = None
    progress: bool = True
    voices: tuple[str, ...] = corpus.VOICES  # callers take these in turn (--voices piper: the clean voice only)


@dataclass
class _TurnClock:
    """What the caller's side saw during one turn (call-clock seconds)."""

    pause_starts: list[float] = field(default_factory=list)  # when each mid-sentence pause began
    end_of_speech: float = 0.0  # when the last voiced frame left


class CallerScript:
    """Drives one simulated call: waits for the greeting, then speaks each turn and times the reply."""

    def __init__(self, caller: SimulatedCaller, turns: list[corpus.Turn], call_index: int,
                 on_turn: Callable[[], None], voices: tuple[str, ...] = corpus.VOICES):
        self.caller = caller
        self.voice = corpus.voice_for_call(call_index, voices)
        self.turns = turns
        self.call_index = call_index
        self.on_turn = on_turn
        self.results: list[TurnResult] = []

    async def run(self) -> list[TurnResult]:
        c = self.caller
        # The greeting (with the disclosure): listen to it all, as a caller would.
        await c.wait_reply(0.0, start_timeout=GREETING_TIMEOUT_S, idle=QUIET_S)
        for turn in self.turns:
            await c.silence(corpus.turn_gap(turn.index + self.call_index))
            n_events = len(c.events)
            clock = await self._speak(turn)
            # Keeps sending silence (a phone never stops streaming) until the answer has played out.
            first = await c.wait_reply(clock.end_of_speech, start_timeout=REPLY_TIMEOUT_S, idle=QUIET_S)
            result = self._judge(turn, clock, first)
            # What the line made of it (its final transcripts): shows where a cut-in split a sentence.
            await _reply_event(c, n_events)
            new = c.events[n_events:]
            result.heard = [e.get("text", "") for e in new
                            if e.get("event") == "call.transcript" and e.get("final")]
            result.server = next((dict(e["timings"]) for e in new if e.get("event") == "call.reply"
                                  and e.get("source") == "turn" and e.get("timings")), {})
            self.results.append(result)
            self.on_turn()
        return self.results

    async def _speak(self, turn: corpus.Turn) -> _TurnClock:
        clock = _TurnClock()
        c = self.caller
        for i, seg in enumerate(turn.segments):
            end = await c.speak(seg.pcm)
            if i == len(turn.segments) - 1:
                clock.end_of_speech = end
            else:
                clock.pause_starts.append(end)
                await c.silence(seg.pause_after_s)
        return clock

    def _judge(self, turn: corpus.Turn, clock: _TurnClock, first: float | None) -> TurnResult:
        c = self.caller
        eos = clock.end_of_speech
        # Reply audio that started inside a pause, or while the caller finished the sentence that pause
        # interrupted: the line took a hesitation for the end of the turn.
        bounds = [*clock.pause_starts, eos]
        cut_pauses = 0
        for k, p0 in enumerate(clock.pause_starts):
            rx = c.first_audio_after(p0)
            if rx is not None and rx < bounds[k + 1]:
                cut_pauses += 1
        # Audio arriving in the last 100 ms before the end: the line was already talking (a cut-in's
        # reply still playing), so "first reply frame after the end" would not measure a turn.
        rx = c.first_audio_after(eos - 0.1)
        talking = rx is not None and rx < eos
        return TurnResult(
            call=self.call_index,
            turn=turn.index,
            mid_pauses=turn.mid_pauses,
            latency_ms=None if first is None else (first - eos) * 1000.0,
            cutin=cut_pauses > 0,
            cutin_pauses=cut_pauses,
            talking_over=talking,
            script=turn.text,
            voice=self.voice,
        )


async def _reply_event(c: SimulatedCaller, since: int, max_s: float = 1.0) -> None:
    """Give the line's ``call.reply`` event (sent once its audio has played) a moment to arrive,
    streaming silence meanwhile as a phone would."""
    for _ in range(int(max_s / 0.04)):
        if any(e.get("event") == "call.reply" for e in c.events[since:]):
            return
        await c.silence(0.04)


async def _one_call(base_url: str, turns: list[corpus.Turn], index: int, on_turn: Callable[[], None],
                    delay: float, server_timings: list[dict],
                    voices: tuple[str, ...] = corpus.VOICES) -> tuple[list[TurnResult], str | None]:
    await asyncio.sleep(delay)
    caller = SimulatedCaller(base_url, protocol="twilio", caller=f"+1555010{index % 10}{index // 10 % 10}")
    script = CallerScript(caller, turns, index, on_turn, voices)
    try:
        await caller.connect()
        try:
            return await script.run(), None
        finally:
            await caller.hangup()
            server_timings.extend(
                dict(e["timings"]) for e in caller.events
                if e.get("event") == "call.reply" and e.get("source") == "turn" and e.get("timings")
            )
    except Exception as e:  # one failed call is reported (with the turns it did); the run goes on
        return script.results, f"call {index} after {len(script.results)} turns: {type(e).__name__}: {e}"


def _stage_table(timings: list[dict]) -> dict[str, dict]:
    out = {}
    for stage in STAGES:
        vals = [float(t[f"{stage}_ms"]) for t in timings if t.get(f"{stage}_ms") is not None]
        if vals:
            p = percentiles(vals)
            out[stage] = {k: p[k] for k in ("n", "p50", "p95", "p99", "mean")}
    return out


async def run_phase(
    name: str,
    base_url: str,
    n_calls: int,
    n_turns: int,
    *,
    server: ServerProcess | None,
    on_turn: Callable[[], None] = lambda: None,
    voices: tuple[str, ...] = corpus.VOICES,
) -> RunResult:
    """``n_calls`` concurrent callers, ``n_turns`` turns each, against one server."""
    scripts = await asyncio.to_thread(corpus.prepare, n_calls, n_turns, voices)
    before = await asyncio.to_thread(metrics.snapshot, base_url)
    watch = CpuWatch(server.psutil_process() if server else None)
    watch.start()
    t0 = time.monotonic()
    server_timings: list[dict] = []
    # Callers join over ~1.5 s, as real calls do, so their turns do not all end in the same 20 ms.
    spread = 1.5 / max(1, n_calls)
    outcomes = await asyncio.gather(
        *(_one_call(base_url, scripts[i], i, on_turn, i * spread, server_timings, voices) for i in range(n_calls))
    )
    wall = time.monotonic() - t0
    cpu = watch.stop()
    after = await asyncio.to_thread(metrics.snapshot, base_url)
    result = RunResult(pipeline=name, calls=n_calls, turns_per_call=n_turns, wall_s=wall, cpu=cpu)
    for turns, err in outcomes:
        result.turns.extend(turns)
        if err:
            result.errors.append(err)
    result.stages = _stage_table(server_timings)
    result.stages_source = "call.reply events"
    hist = metrics.stage_summary(before, after)
    if not result.stages:  # no event tap: fall back on the /metrics histograms
        result.stages, result.stages_source = hist, "/metrics histogram buckets"
    else:
        result.stages_histograms = hist
    if server is None:  # a remote server (--url): only the machine-wide figures mean anything
        for k in ("server_cpu_s", "server_mean_pct", "server_peak_pct"):
            result.cpu[k] = None
        result.cpu["note"] = "--url: the server's own CPU is not measured"
    return result


def _meta(opts: BenchOptions, started: str, load_start: tuple[float, ...]) -> dict[str, Any]:
    argv = ["warmline", "bench", "--calls", str(opts.calls), "--turns", str(opts.turns)]
    if opts.baseline:
        argv.append("--baseline")
    if opts.sweep:
        argv += ["--sweep", ",".join(map(str, opts.sweep))]
    if tuple(opts.voices) != corpus.VOICES:
        argv += ["--voices", ",".join(opts.voices)]
    return {
        "command": " ".join(argv),
        "started_at": started,
        "cores": psutil.cpu_count() or 1,
        "loadavg_start": [round(x, 2) for x in load_start],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "python_pid": os.getpid(),
    }


async def _bench(opts: BenchOptions, progress) -> dict[str, Any]:
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_start = os.getloadavg()
    servers: list[ServerProcess] = []
    try:
        ours_srv = base_srv = None
        ours_url, base_url = opts.url, opts.baseline_url
        if not opts.url:
            ours_srv = ServerProcess("fast", env={"WARMLINE_PIPELINE": "fast"})
            servers.append(ours_srv)
            if opts.baseline:
                base_srv = ServerProcess("naive", env={"WARMLINE_PIPELINE": "naive"})
                servers.append(base_srv)
            task = progress.add_task("starting server(s)", total=None)
            # Both finish starting (or failing) before any error is raised, so `finally` stops them all.
            outcomes = await asyncio.gather(*(asyncio.to_thread(s.start) for s in servers),
                                            return_exceptions=True)
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    raise outcome
            progress.remove_task(task)
            ours_url = ours_srv.url
            base_url = base_srv.url if base_srv else None
        assert ours_url is not None

        levels = list(opts.sweep)
        total_turns = opts.turns * (opts.calls * (2 if base_url else 1) + sum(x for x in levels if x != opts.calls))
        bar = progress.add_task("calls", total=total_turns)

        async def phase(name: str, url: str, n: int, srv: ServerProcess | None) -> RunResult:
            progress.update(bar, description=f"{name}: {n} call(s) x {opts.turns} turns")
            return await run_phase(name, url, n, opts.turns, server=srv,
                                   on_turn=lambda: progress.advance(bar), voices=tuple(opts.voices))

        # Ours, then the baseline right after (same machine, same moment), then the rest of the sweep.
        main = await phase("fast", ours_url, opts.calls, ours_srv)
        baseline = await phase("naive", base_url, opts.calls, base_srv) if base_url else None
        if base_srv is not None:
            base_srv.stop()  # frees its memory before the sweep
        sweep: list[RunResult] = [main] if opts.calls in levels else []
        for n in levels:
            if n == opts.calls:
                continue
            if any(r.calls < n and (r.to_json()["turn_latency_ms"]["p95"] or 0) > 1500 for r in sweep):
                progress.advance(bar, n * opts.turns)  # already past the limit at a lower load
                continue
            sweep.append(await phase("fast", ours_url, n, ours_srv))
        return build_document(main, baseline=baseline, sweep=sweep if levels else [],
                              meta=_meta(opts, started, load_start))
    finally:
        for s in servers:
            s.stop()


def run_bench(opts: BenchOptions) -> int:
    """Run the whole bench; prints the tables, writes JSON / plot. Exit code 0 unless nothing worked."""
    import json

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not opts.progress, transient=True,
    ) as progress:
        try:
            doc = asyncio.run(_bench(opts, progress))
        except ServerStartError as e:
            console.print(f"[red]warmline bench: {e}[/red]")
            return 2
    out = Console() if sys.stdout.isatty() else Console(width=130)  # files and pipes get whole tables
    print_report(doc, out)
    if opts.json_path:
        Path(opts.json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(opts.json_path).write_text(json.dumps(doc, indent=2) + "\n")
    if opts.plot_path:
        plot(doc, opts.plot_path)
    return 0 if doc["turns"] > 0 else 1

