"""The ``warmline`` command. Each area keeps its own commands next to its code; this only gathers
them (imports stay lazy inside the commands, so ``warmline risk`` never loads Whisper)."""

from __future__ import annotations

import typer

from dialogue.chat import chat_command
from safety.records.cli import keys_app, operator_app, purge_command
from safety.risk_cli import risk_command
from voice.bench import bench_command
from voice.commands import call_command, serve_command

app = typer.Typer(
    help="Warmline: a voice-first support line (an automated assistant, not a therapist or an emergency service).",
    no_args_is_help=True,
    add_completion=False,
)
app.command("serve")(serve_command)
app.command("call")(call_command)
app.command("chat")(chat_command)
app.command("risk")(risk_command)
app.command("bench")(bench_command)
app.command("purge")(purge_command)
app.add_typer(keys_app, name="keys")
app.add_typer(operator_app, name="operator")

if __name__ == "__main__":
    app()
