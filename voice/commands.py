"""``warmline serve`` (the server) and ``warmline call`` (place a call from a WAV file)."""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path
from typing import Annotated

import typer


def serve_command(
    host: Annotated[str | None, typer.Option("--host", help="Address (default WARMLINE_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default WARMLINE_PORT or 8000).")] = None,
) -> None:
    """Run the HTTP + WebSocket server (Twilio, raw PCM, browser softphone, operator console)."""
    import faulthandler
    import logging

    import uvicorn

    from safety.settings import get_settings
    from voice.server import create_app

    # A crash in native code (pjsip, the models) prints every thread's Python stack (code locations
    # only, no call data) to stderr, so the log says where the server died.
    faulthandler.enable()
    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_level=settings.log_level,
                ws_max_size=1 << 20)


def call_command(
    audio: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A WAV file (any rate) of speech.")],
    url: Annotated[str, typer.Option("--url", help="The line's base URL.")] = "http://127.0.0.1:8000",
    protocol: Annotated[str, typer.Option("--protocol", help="twilio (Media Streams) or pcm (WS /call).")] = "twilio",
    out: Annotated[Path | None, typer.Option("--out", help="Save what the line said, as the caller heard it.")] = None,
    gap_ms: Annotated[int, typer.Option("--gap-ms", help="Silence that separates two turns in the WAV.")] = 1500,
    caller: Annotated[str, typer.Option("--caller", help="Caller id to present.")] = "+15550100",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write per-turn results as JSON.")] = None,
) -> None:
    """Place a call from a WAV file in real time: print each turn's transcript, reply and latency.

    The WAV is cut into turns at silences of --gap-ms or more; each turn is spoken at real-time pace,
    then the caller listens until the line's answer has finished, as a person would."""
    import json

    from rich.console import Console
    from rich.table import Table

    from voice.audio import load_audio, write_wav
    from voice.client import RATE, call_with_recording

    if protocol not in ("twilio", "pcm"):
        raise typer.BadParameter("--protocol must be twilio or pcm")
    console = Console()
    pcm = load_audio(audio, RATE)
    with console.status(f"calling {url} over {protocol} ..."):
        try:
            result = asyncio.run(call_with_recording(url, pcm, protocol=protocol, caller=caller, min_gap_ms=gap_ms))
        except OSError as e:
            console.print(f"[red]could not reach the line at {url}: {e}[/red]")
            raise typer.Exit(1) from None
    if result.greeting:
        console.print(f"[bold]line:[/bold] {result.greeting}")
    table = Table(title=f"call {result.call_id or '?'} ({protocol})")
    for col in ("turn", "the line heard", "the line said", "latency ms", "endpoint", "asr", "risk", "dialogue",
                "tts first"):
        table.add_column(col, overflow="fold")
    for t in result.turns:
        tm = t.timings
        table.add_row(
            str(t.index), t.heard or "-", t.reply or "-",
            f"{t.latency_ms:.0f}" if t.latency_ms is not None else "no reply",
            *(f"{tm[k]:.0f}" if k in tm else "-" for k in ("endpoint_ms", "asr_ms", "risk_ms", "dialogue_ms",
                                                           "tts_first_ms")),
        )
    console.print(table)
    lat = [t.latency_ms for t in result.turns if t.latency_ms is not None]
    if lat:
        lat_sorted = sorted(lat)
        p95 = lat_sorted[min(len(lat_sorted) - 1, int(round(0.95 * (len(lat_sorted) - 1))))]
        console.print(f"turn latency (caller side): median {statistics.median(lat):.0f} ms, p95 {p95:.0f} ms, "
                      f"{len(lat)}/{len(result.turns)} turns answered")
    if out is not None:
        write_wav(out, result.audio, RATE)
        console.print(f"saved what the line said to {out}")
    if json_out is not None:
        json_out.write_text(json.dumps({
            "call_id": result.call_id, "protocol": protocol,
            "turns": [{"turn": t.index, "heard": t.heard, "reply": t.reply, "latency_ms": t.latency_ms,
                       "timings": t.timings} for t in result.turns],
        }, indent=2))
    if not result.turns:
        console.print("[yellow]no speech found in the WAV[/yellow]")
