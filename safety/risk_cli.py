"""`warmline risk` (owned by the risk work; placeholder until it lands)."""

import typer


def risk_command(text: str = typer.Argument(None)) -> None:
    """Risk assessment as JSON."""
    typer.echo("warmline risk: not built yet", err=True)
    raise typer.Exit(2)
