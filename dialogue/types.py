"""What the dialogue manager hands back: spoken text, with real pauses where an exercise needs them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pause:
    """A deliberate silence inside a reply (paced breathing, grounding)."""

    seconds: float


@dataclass
class Reply:
    # Spoken text in order, with pauses; ``text`` joins the spoken parts for transcripts and logs.
    parts: list[str | Pause]
    state: str = ""
    end_call: bool = False  # the conversation has closed; the line may hang up after speaking
    wants_human: bool = False  # the caller asked for a person
    delete_request: bool = False  # the caller asked for what they said to be deleted
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if isinstance(p, str)).strip()
