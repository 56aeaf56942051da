"""A test double of OUR OWN CallerLink interface (safety/transfer/link.py), on simulated time, for
unit tests of the transfer machine. End-to-end tests use the real call loop instead."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from safety.bus import InProcessBus
from safety.runtime import SafetyRuntime
from safety.settings import Settings
from safety.transfer.clock import SimClock
from safety.transfer.manager import TransferManager
from safety.types import Action, Decision, Kind, Level

WORDS_PER_S = 2.7  # a calm speaking rate, as Piper speaks our lines


class FakeLink:
    def __init__(self, clock, *, call_id: str = "call-1", transport: str = "pcm",
                 caller_number: str | None = "+15551234567", sid: str | None = None,
                 words_per_s: float = WORDS_PER_S) -> None:
        self.clock = clock
        self.words_per_s = words_per_s
        self.call_id = call_id
        self.transport = transport
        self.caller_number = caller_number
        self.provider_call_sid = sid
        self.said: list[tuple[float, float, str]] = []  # (start, end, text) in simulated seconds
        self.human_connected: list[tuple[float, bool]] = []
        self.human_frames: list[bytes] = []
        self.listeners: list = []
        self.hangups = 0
        self.speaking_since: float | None = None
        self._active = True
        self._last_audio = clock.now()

    @property
    def active(self) -> bool:
        return self._active

    def hang_up_by_caller(self) -> None:
        self._active = False

    async def say(self, text: str) -> None:
        if not self._active:
            return
        start = self.speaking_since = self.clock.now()
        await self.clock.sleep(len(text.split()) / self.words_per_s)
        self.said.append((start, self.clock.now(), text))
        self._last_audio = self.clock.now()
        self.speaking_since = None

    def caller_speaks(self) -> None:
        self._last_audio = self.clock.now()

    def seconds_since_audio(self) -> float:
        return self.clock.now() - self._last_audio

    def set_human_connected(self, connected: bool) -> None:
        self.human_connected.append((self.clock.now(), connected))

    async def play_human_audio(self, frame: bytes) -> None:
        self.human_frames.append(frame)
        self._last_audio = self.clock.now()

    def add_audio_listener(self, callback) -> None:
        self.listeners.append(callback)

    def remove_audio_listener(self, callback) -> None:
        self.listeners.remove(callback)

    async def hangup(self) -> None:  # not part of CallerLink: the machine must never find a way to hang up
        self.hangups += 1
        self._active = False


def high_risk(level: Level = Level.HIGH, action: Action = Action.WARM_TRANSFER):
    quote_ts = SimClock.EPOCH - 5
    decision = Decision(level=level, kind=Kind.SUICIDE, action=action, signals=("intent", "plan"),
                        raised=True, turn_level=level, quotes=((quote_ts, "I have a plan to end it tonight"),))
    risk = SimpleNamespace(level=level, kind=Kind.SUICIDE, decision=decision,
                           evidence=[(quote_ts, "I have a plan to end it tonight", level, ("intent", "plan"))])
    return decision, risk


def make_manager(clock, **settings) -> tuple[TransferManager, SafetyRuntime]:
    base = {"human_line": "console", "crisis_line": "988", "transfer_ring_timeout_s": 30.0,
            "transfer_retry_interval_s": 60.0}
    base.update(settings)
    runtime = SafetyRuntime(Settings(**base), bus=InProcessBus())
    runtime.services["calls"] = {}
    manager = TransferManager(runtime, clock=clock, holdtalk_seed=1)
    runtime.services["transfers"] = manager
    return manager, runtime


async def run_until(clock: SimClock, t: float, cond=None, max_spins: int = 200_000) -> None:
    """Let the machine run until simulated time ``t`` (or ``cond()``)."""
    for _ in range(max_spins):
        if clock.now() >= t or (cond is not None and cond()):
            return
        await asyncio.sleep(0)
    raise AssertionError(f"simulated time stuck at {clock.now():.2f}s")


def drain(sub) -> list:
    out = []
    while not sub.queue.empty():
        out.append(sub.queue.get_nowait())
    return out
