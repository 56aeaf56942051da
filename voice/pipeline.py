"""How a call's pipeline is tuned: the fast path we ship and the naive baseline the benchmark compares
against (docs/performance.md). One ``PipelineConfig`` per server, chosen by ``WARMLINE_PIPELINE``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from safety.settings import Settings


@dataclass(frozen=True)
class PipelineConfig:
    name: str = "fast"
    # "adaptive": short silence when the words look complete, long when they don't (voice/vad.py);
    # "fixed": always wait ``fixed_silence_ms`` (the classic 800 ms endpoint).
    endpointing: Literal["adaptive", "fixed"] = "adaptive"
    fixed_silence_ms: int = 800
    # Start the final decode when silence begins, so the endpointing wait and the decode overlap.
    speculative_decode: bool = True
    # When that speculative transcript is in during the silence wait, prepare the reply on copies of the
    # risk and dialogue state (and synthesise its first sentence); adopt it at turn end if the words held.
    speculative_reply: bool = True
    # Fixed phrases (greeting, prompts) synthesised once at start-up.
    phrase_cache: bool = True
    # Batch recognition across calls whose turns end together.
    asr_batching: bool = True
    # Partial transcripts while the caller speaks (risk is checked on them), at most one per interval.
    partials: bool = True
    partial_interval_ms: int = 800

    @classmethod
    def fast(cls) -> PipelineConfig:
        return cls()

    @classmethod
    def naive(cls) -> PipelineConfig:
        # Decode only after a fixed 800 ms silence, nothing cached, nothing batched. Partials stay on:
        # they are a safety feature (risk on partial words), not a latency trick.
        return cls(name="naive", endpointing="fixed", speculative_decode=False, phrase_cache=False,
                   asr_batching=False, speculative_reply=False)

    @classmethod
    def from_name(cls, name: str) -> PipelineConfig:
        name = (name or "fast").strip().lower()
        if name == "fast":
            return cls.fast()
        if name == "naive":
            return cls.naive()
        raise ValueError(f"unknown pipeline {name!r}: expected 'fast' or 'naive'")

    @classmethod
    def from_settings(cls, settings: Settings) -> PipelineConfig:
        return cls.from_name(getattr(settings, "pipeline", "fast"))

    def with_(self, **changes: object) -> PipelineConfig:
        return replace(self, **changes)  # type: ignore[arg-type]
