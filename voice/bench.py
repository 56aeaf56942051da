"""`warmline bench` (owned by the benchmark work; placeholder until it lands)."""

import typer


def bench_command(calls: int = typer.Option(1, "--calls")) -> None:
    """Load test with real speech."""
    typer.echo("warmline bench: not built yet", err=True)
    raise typer.Exit(2)
