"""What all calls of one server share: settings, the pipeline choice, the models, the safety runtime,
metrics, and the table of live calls. Transports ask it to ``open_call``.

The recogniser and the voice are process-wide (voice/asr.py, voice/tts.py); the switchboard only picks
the variant its pipeline wants (batching and phrase cache on for "fast", off for "naive").
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from dialogue.types import Reply
from safety.runtime import SafetyRuntime
from safety.settings import Settings
from safety.types import Assessment
from voice.metrics import Metrics
from voice.pipeline import PipelineConfig

log = logging.getLogger(__name__)


class Switchboard:
    def __init__(self, settings: Settings, runtime: SafetyRuntime, *, pipeline: PipelineConfig | None = None,
                 metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.runtime = runtime
        self.pipeline = pipeline or PipelineConfig.from_settings(settings)
        self.metrics = metrics or Metrics()
        self.transcriber: Any = None
        self.synthesizer: Any = None
        self.calls: dict[str, Any] = runtime.services.setdefault("calls", {})
        self.taps: dict[str, asyncio.Queue] = {}
        self.ready = False
        self.load_s: float | None = None

    # ---- models ----------------------------------------------------------------------------
    async def load(self) -> None:
        """Load (or reuse) the models, warm them up and synthesise the fixed phrases."""
        from voice.asr import get_transcriber
        from voice.tts import get_synthesizer

        t0 = time.perf_counter()
        p = self.pipeline
        self.transcriber = await asyncio.to_thread(get_transcriber, self.settings, batching=p.asr_batching)
        self.synthesizer = await asyncio.to_thread(get_synthesizer, self.settings, cache=p.phrase_cache)
        await asyncio.to_thread(self.transcriber.warmup)
        await asyncio.to_thread(self.synthesizer.warmup)
        # The risk model and the dialogue's understanding load lazily: pay for it now, not on a turn.
        await asyncio.to_thread(self.assess, "hello")
        await asyncio.to_thread(_warm_risk_bank)
        await asyncio.to_thread(self._warm_dialogue)
        if p.phrase_cache:
            n = await self.synthesizer.prewarm(self.fixed_phrases())
            log.info("phrase cache: %d sentences", n)
        self.load_s = time.perf_counter() - t0
        self.ready = True
        log.info("models ready in %.1f s (pipeline %s)", self.load_s, p.name)

    def _warm_dialogue(self) -> None:
        from dialogue.manager import DialogueManager

        dm = DialogueManager(crisis_line=self.settings.crisis_line, seed=0)
        dm.greeting()
        for text in ("Yes, that's okay.", "I have been feeling anxious about work lately."):
            dm.respond(text, None)

    def fixed_phrases(self) -> list[str]:
        phrases: list[str] = []
        # The greeting's wording varies a little between calls: cache every variant we can find.
        from dialogue.manager import DialogueManager

        for seed in range(16):
            dm = DialogueManager(crisis_line=self.settings.crisis_line, seed=seed)
            greeting = self.greeting(dm)
            if greeting is not None and greeting.text not in phrases:
                phrases.append(greeting.text)
        try:
            import dialogue.manager as dm

            phrases.extend(getattr(dm, "FIXED_PHRASES", ()))
        except ImportError:
            pass
        from voice.fallback import all_lines  # the error paths' lines must play even when the voice fails

        phrases.extend(all_lines(self.settings.crisis_line))
        return phrases

    # ---- the other packages, through their agreed interfaces --------------------------------
    @property
    def transfers(self) -> Any:
        return self.runtime.services.get("transfers")

    def assess(self, text: str) -> Assessment:
        from safety.risk import assess

        return assess(text)

    def new_risk_state(self) -> Any:
        from safety.escalation import CallRiskState

        return CallRiskState(self.settings)

    def new_dialogue(self, caller: str | None) -> Any:
        from dialogue.manager import DialogueManager

        caller_key = None
        records = self.runtime.services.get("records")
        memory = getattr(records, "memory", None) or self.runtime.services.get("memory")
        if caller:
            try:
                if records is not None and hasattr(records, "caller_key"):
                    caller_key = records.caller_key(caller)
                elif self.settings.caller_id_salt:
                    from safety.privacy import hash_caller_id

                    caller_key = hash_caller_id(caller, self.settings.caller_id_salt)
            except Exception:
                # No memory of past calls is a loss; failing the call would be worse.
                log.exception("caller pseudonym unavailable; this call has no memory")
        return DialogueManager(crisis_line=self.settings.crisis_line, caller_key=caller_key, memory=memory)

    def greeting(self, dialogue: Any) -> Reply | None:
        try:
            return dialogue.greeting()
        except Exception:
            log.exception("dialogue greeting failed")
            return None

    # ---- calls -----------------------------------------------------------------------------
    async def open_call(self, sink: Any, *, transport: str, caller: str | None,
                        provider_call_sid: str | None, tap: str | None = None) -> Any:
        from voice.call import CallSession

        queue = self.taps.get(tap) if tap else None
        session = CallSession(self, sink, transport=transport, caller=caller,
                              provider_call_sid=provider_call_sid, tap=queue)
        await session.start()
        return session

    def open_tap(self, token: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=10_000)
        self.taps[token] = queue
        return queue

    def close_tap(self, token: str) -> None:
        self.taps.pop(token, None)

    def forget_tap(self, session: Any) -> None:
        if session.tap is not None:
            for token, q in list(self.taps.items()):
                if q is session.tap:
                    # the tap socket drains what is queued and then closes (it saw call.ended)
                    del self.taps[token]

    async def close_all(self, reason: str = "server_shutdown") -> None:
        sessions = list(self.calls.values())
        for s in sessions:
            if hasattr(s, "hangup"):
                try:
                    await s.hangup(reason)
                except Exception:
                    log.exception("call %s: hangup at shutdown failed", getattr(s, "call_id", "?"))


def _warm_risk_bank() -> None:
    """The risk model's semantic bank loads on the first text that passes its word gate ("hello" does
    not): embedding it then cost a caller's first turn 4.6 s (voice/bench). Pay for it at start-up."""
    try:
        from safety.risk.semantic import warm
    except ImportError:
        return
    warm()
