"""`warmline chat` (owned by the dialogue work; placeholder until it lands)."""

import typer


def chat_command() -> None:
    """Talk to the dialogue manager and safety layer as text."""
    typer.echo("warmline chat: not built yet", err=True)
    raise typer.Exit(2)
