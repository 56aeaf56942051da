"""`warmline keys rotate`, `warmline purge`, `warmline operator add` (placeholder until records land)."""

import typer

keys_app = typer.Typer(help="Encryption keys for records.")
operator_app = typer.Typer(help="Operator and supervisor accounts for the console.")


def purge_command() -> None:
    """Delete records past their retention period."""
    typer.echo("warmline purge: not built yet", err=True)
    raise typer.Exit(2)
