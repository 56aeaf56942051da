"""`warmline risk TEXT` and `warmline risk --jsonl FILE|-` (docs/architecture.md).

One JSON object per input: {"text", "level", "kind", "signals"}. With --jsonl each input line is
{"text": ...}; a line that is not such an object gives {"error": ..., "line": n} for that line only
and the rest go on, in order. Imports stay light: no Whisper, no server, only the risk package
(and onnxruntime for the semantic layer).
"""

from __future__ import annotations

import json
import sys
from typing import IO

import typer


def _result(text: str, semantic: bool) -> dict:
    from safety.risk import assess

    return assess(text, semantic=semantic).to_json()


def _process_line(raw: str, n: int, semantic: bool) -> dict:
    line = raw.rstrip("\r\n")
    if not line.strip():
        return {"error": "empty line", "line": n}
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return {"error": f"invalid JSON: {exc.msg if hasattr(exc, 'msg') else 'too deep'}", "line": n}
    if not isinstance(obj, dict) or "text" not in obj:
        return {"error": 'expected an object with a "text" field', "line": n}
    text = obj["text"]
    if text is None:
        text = ""
    if not isinstance(text, str):
        return {"error": '"text" must be a string', "line": n}
    out = _result(text, semantic)
    if "id" in obj:
        out["id"] = obj["id"]
    return out


def _run_jsonl(stream: IO[str], semantic: bool) -> None:
    out = sys.stdout
    for n, raw in enumerate(stream, start=1):
        try:
            res = _process_line(raw, n, semantic)
        except Exception as exc:  # one bad line never stops the rest
            res = {"error": f"{type(exc).__name__}", "line": n}
        out.write(json.dumps(res, ensure_ascii=False) + "\n")
        out.flush()


def risk_command(
    text: str = typer.Argument(None, help="Text to assess (omit when using --jsonl)."),
    jsonl: str = typer.Option(None, "--jsonl", help='File of {"text": ...} lines, or - for stdin.'),
    no_semantic: bool = typer.Option(False, "--no-semantic", help="Patterns only (skip the MiniLM layer)."),
) -> None:
    """Risk assessment as JSON: {"text", "level", "kind", "signals"}, one object per input line."""
    semantic = not no_semantic
    if jsonl is not None:
        if jsonl == "-":
            _run_jsonl(sys.stdin, semantic)
            return
        try:
            fh = open(jsonl, encoding="utf-8", errors="replace")
        except OSError as exc:
            typer.echo(f"warmline risk: cannot read {jsonl}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
        with fh:
            _run_jsonl(fh, semantic)
        return
    if text is None:
        typer.echo("warmline risk: give TEXT or --jsonl FILE|-", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(_result(text, semantic), ensure_ascii=False))
