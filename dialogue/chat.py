"""`warmline chat`: talk to the dialogue manager and the safety layer as text.

In a terminal it is interactive. When stdin is not a terminal it follows the contract in
docs/architecture.md exactly, so scripted conversations can be checked: the first output line is the
greeting, then one line per input line, each a JSON object
``{"reply": ..., "state": ..., "risk": {"level": ..., "kind": ...}, "action": ...}`` where ``risk`` is
the call's level so far and ``action`` what the escalation policy chose. (The greeting line has the
same shape, with no risk yet.) Each turn goes through the same order as the call loop: safety first
(``safety.risk.assess`` then ``CallRiskState.update``), then the dialogue.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

import typer

from dialogue.types import Pause, Reply


def _row(reply: Reply, level: str, kind: str, action: str) -> str:
    return json.dumps({"reply": reply.text, "state": reply.state, "risk": {"level": level, "kind": kind},
                       "action": action}, ensure_ascii=False)


class ChatSession:
    """One text conversation: safety first on every line, then the dialogue (as the call loop does)."""

    def __init__(self, *, crisis_line: str | None = None, seed: int | None = None) -> None:
        from dialogue.manager import DialogueManager, warm_up
        from safety.escalation import CallRiskState
        from safety.settings import get_settings

        settings = get_settings()
        self.risk = CallRiskState(settings)
        self.manager = DialogueManager(crisis_line=crisis_line or settings.crisis_line, seed=seed)
        warm_up()

    def greeting(self) -> Reply:
        return self.manager.greeting()

    def turn(self, text: str) -> tuple[Reply, str, str, str]:
        from safety.risk import assess

        asked = self.manager.asked  # a screening question the line just asked ("cssrs:method")
        decision = self.risk.update(assess(text), final=True)
        if asked:
            # A bare "yes" to "have you thought about how?" has no risk words of its own: read it as the
            # answer to that question. The state keeps the higher level, so this decision is the stronger.
            decision = self.risk.answer(asked, text)
        reply = self.manager.respond(text, decision)
        return reply, decision.level.value, decision.kind.value, decision.action.value


def run_jsonl(inp: TextIO, out: TextIO, *, crisis_line: str | None = None, seed: int | None = None) -> int:
    """The scripted mode: returns the number of caller lines handled."""
    session = ChatSession(crisis_line=crisis_line, seed=seed)
    out.write(_row(session.greeting(), "none", "none", "continue") + "\n")
    out.flush()
    n = 0
    for raw in inp:
        reply, level, kind, action = session.turn(raw.rstrip("\r\n"))
        out.write(_row(reply, level, kind, action) + "\n")
        out.flush()
        n += 1
    return n


def _spoken(reply: Reply) -> str:
    bits = []
    for p in reply.parts:
        bits.append(f"[dim](pause {p.seconds:g}s)[/dim]" if isinstance(p, Pause) else p)
    return " ".join(bits)


def run_interactive(*, crisis_line: str | None = None, seed: int | None = None) -> None:
    from rich.console import Console
    from rich.prompt import Prompt

    console = Console()
    console.print("[dim]Warmline chat: type as a caller would speak. Empty line = silence. Ctrl-D to hang up.[/dim]")
    session = ChatSession(crisis_line=crisis_line, seed=seed)
    console.print(f"[bold green]line[/bold green]  {_spoken(session.greeting())}")
    while True:
        try:
            text = Prompt.ask("[bold cyan]you[/bold cyan] ", console=console, default="", show_default=False)
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        reply, level, kind, action = session.turn(text)
        console.print(f"[bold green]line[/bold green]  {_spoken(reply)}")
        tags = [f"state={reply.state}", f"risk={level}/{kind}", f"action={action}"]
        if reply.wants_human:
            tags.append("wants_human")
        if reply.delete_request:
            tags.append("delete_request")
        console.print("[dim]" + "  ".join(tags) + "[/dim]")
        if reply.end_call:
            console.print("[dim](the line would hang up now)[/dim]")
            break


def chat_command(
    crisis_line: str = typer.Option(None, "--crisis-line", help="Crisis line to speak (default WARMLINE_CRISIS_LINE or 988)."),
    seed: int = typer.Option(None, "--seed", help="Fix the choice of wording, for reproducible transcripts."),
) -> None:
    """Talk to the dialogue manager and safety layer as text (JSON lines when stdin is not a terminal)."""
    if sys.stdin.isatty():
        run_interactive(crisis_line=crisis_line, seed=seed)
    else:
        run_jsonl(sys.stdin, sys.stdout, crisis_line=crisis_line, seed=seed)
