"""``warmline bench``: turn latency and concurrent calls with real speech, against a naive baseline.

Modules: ``corpus`` (what callers say, synthesised once and cached), ``server`` (the server under
test as a subprocess, its CPU), ``runner`` (simulated callers over the Twilio protocol at real-time
pace), ``metrics`` (the server's per-stage histograms), ``report`` (percentiles, JSON, tables, plot).
Heavy imports stay inside the command so ``warmline --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer


def _parse_sweep(value: str | None) -> list[int]:
    if not value:
        return []
    try:
        levels = sorted({int(x) for x in value.split(",") if x.strip()})
    except ValueError:
        raise typer.BadParameter("--sweep takes comma-separated call counts, e.g. 1,2,4,8") from None
    if not levels or levels[0] < 1:
        raise typer.BadParameter("--sweep levels must be >= 1")
    return levels


def bench_command(
    calls: int = typer.Option(1, "--calls", min=1, help="Concurrent simulated callers."),
    url: str | None = typer.Option(None, "--url", help="Bench a running server instead of starting one."),
    baseline: bool = typer.Option(
        False, "--baseline", help="Also run the same calls through the naive pipeline (WARMLINE_PIPELINE=naive)."
    ),
    baseline_url: str | None = typer.Option(
        None, "--baseline-url", help="With --url: a running server with the naive pipeline."
    ),
    turns: int = typer.Option(6, "--turns", min=1, help="Turns each caller speaks."),
    json_path: str | None = typer.Option(None, "--json", help="Write the results as JSON to FILE."),
    plot_path: str | None = typer.Option(None, "--plot", help="Draw latency against concurrent calls (PNG)."),
    sweep: str | None = typer.Option(
        None, "--sweep", help="Comma-separated call counts (e.g. 1,2,4,8); stops after p95 passes 1.5 s."
    ),
    voices: str = typer.Option(
        "piper,espeak", "--voices",
        help="Caller voices, taken in turn (piper: clean; espeak: robotic, the hard case for tiny.en).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Load test with real speech: per-stage latency percentiles, false cut-ins, CPU, naive ratio."""
    from voice.bench.runner import BenchOptions, run_bench

    if baseline_url and not url:
        raise typer.BadParameter("--baseline-url needs --url")
    from voice.bench.corpus import VOICES

    chosen = tuple(v.strip() for v in voices.split(",") if v.strip())
    if not chosen or any(v not in VOICES for v in chosen):
        raise typer.BadParameter(f"--voices takes a comma list of {', '.join(VOICES)}")
    opts = BenchOptions(
        calls=calls,
        turns=turns,
        url=url,
        baseline=baseline or bool(baseline_url),
        baseline_url=baseline_url,
        sweep=_parse_sweep(sweep),
        json_path=Path(json_path) if json_path else None,
        plot_path=Path(plot_path) if plot_path else None,
        progress=not quiet,
        voices=chosen,
    )
    code = run_bench(opts)
    raise typer.Exit(code)
