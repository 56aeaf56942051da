"""`warmline serve` and `warmline call` (owned by the call-loop work; placeholder until it lands)."""

import typer


def serve_command() -> None:
    """Run the HTTP + WebSocket server."""
    typer.echo("warmline serve: not built yet", err=True)
    raise typer.Exit(2)


def call_command(audio: str = typer.Argument(...)) -> None:
    """Place a call from a WAV file."""
    typer.echo("warmline call: not built yet", err=True)
    raise typer.Exit(2)
