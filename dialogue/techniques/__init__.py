"""One small module per CBT flow. ``FLOWS`` maps a flow name to its class."""

from __future__ import annotations

from dialogue.techniques.activation import Activation
from dialogue.techniques.base import Ctx, Step, Technique
from dialogue.techniques.breathing import Breathing
from dialogue.techniques.grounding import Grounding
from dialogue.techniques.problem_solving import ProblemSolving
from dialogue.techniques.reflect import Listening
from dialogue.techniques.screening import Screening
from dialogue.techniques.sleep import Sleep
from dialogue.techniques.thinking_traps import ThinkingTraps
from dialogue.techniques.thought_record import ThoughtRecord
from dialogue.techniques.waiting_list import WaitingList
from dialogue.techniques.worry import Worry

FLOWS: dict[str, type[Technique]] = {
    cls.name: cls
    for cls in (Listening, ThoughtRecord, ThinkingTraps, Activation, Breathing, Grounding, Worry, ProblemSolving,
                Sleep, WaitingList, Screening)
}

__all__ = ["FLOWS", "Ctx", "Step", "Technique"]
