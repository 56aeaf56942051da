"""The SIP human line: ring ``WARMLINE_HUMAN_LINE`` targets that are SIP URIs (``sip:…``).

Ringing is a new outbound call placed by the SIP stack in ``voice`` (``safety`` never imports
``voice``): the server registers a dialer as ``runtime.services["sip_dialer"]`` that follows the
``SipDialer`` protocol below. When the person answers, they first hear the handoff brief in the
line's voice (while the caller is kept company by the state machine's hold talk); only then does the
attempt count as answered. ``connect`` bridges the two calls' audio inside Warmline, through the
caller's ``CallerLink``, so recognition, risk tracking and records go on, and it works whichever way
the caller arrived (SIP, Twilio, browser). If the person hangs up later, the escalation is resolved
as ``human_hung_up`` and the line tells the caller it is still there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from safety.transfer.adapters import ANSWERED, BUSY, CANCELED, FAILED, NO_ANSWER, Attempt

if TYPE_CHECKING:
    from safety.transfer.brief import HandoffBrief
    from safety.transfer.link import CallerLink
    from safety.transfer.manager import TransferManager

log = logging.getLogger(__name__)

HUMAN_LEFT_WORDS = "The person has left the call. I'm still here with you."
BRIEF_END = "You are now connected to the caller."
# Report "answered" this long before the machine's ring timeout even if the brief is still playing,
# so a long brief never turns an answered call into a timeout; connect() waits for the brief to end.
ANSWER_MARGIN_S = 3.0
BRIEF_WAIT_MAX_S = 60.0


class HumanCall(Protocol):
    answered: asyncio.Event
    ended: asyncio.Event
    on_audio: Callable[[bytes], Any] | None  # sync, in the event loop: one 20 ms PCM16 16 kHz frame

    @property
    def end_code(self) -> int: ...

    @property
    def active(self) -> bool: ...

    def send_audio(self, frame: bytes) -> None: ...

    async def say(self, text: str) -> None: ...

    async def hangup(self) -> None: ...


class SipDialer(Protocol):
    async def dial(self, uri: str) -> HumanCall: ...


def is_sip_uri(target: str) -> bool:
    t = target.strip().lower()
    return t.startswith(("sip:", "sips:")) and len(t.split(":", 1)[1]) > 0


def outcome_for(code: int) -> str:
    """SIP final status of an unanswered call -> the machine's outcome."""
    if code in (486, 600, 603):
        return BUSY
    if code in (408, 480, 487):
        return NO_ANSWER
    return FAILED


class _Leg:
    """Adapter state for one attempt (kept in ``attempt.meta["sip"]``)."""

    def __init__(self, call: HumanCall) -> None:
        self.call = call
        self.brief_done = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.bridge_task: asyncio.Task | None = None
        self.listener: Callable[[bytes], Any] | None = None
        self.connected = False
        self.released = False
        self.left_task: asyncio.Future | None = None


class SipAdapter:
    name = "sip"

    def __init__(self, manager: TransferManager) -> None:
        self.manager = manager

    @property
    def dialer(self) -> SipDialer | None:
        return self.manager.runtime.services.get("sip_dialer")

    def can_dial(self, target: str, link: Any) -> bool:
        return is_sip_uri(target) and self.dialer is not None

    async def dial(self, attempt: Attempt, brief: HandoffBrief, link: CallerLink) -> None:
        dialer = self.dialer
        if dialer is None:
            raise RuntimeError("the SIP line is not running")
        call = await dialer.dial(attempt.target)
        leg = _Leg(call)
        attempt.meta["sip"] = leg
        deadline = self.manager.clock.now() + self.manager.settings.transfer_ring_timeout_s - ANSWER_MARGIN_S
        leg.task = asyncio.create_task(self._follow(attempt, leg, brief, link, deadline),
                                       name=f"sip-attempt-{attempt.escalation_id}-{attempt.number}")

    async def _follow(self, attempt: Attempt, leg: _Leg, brief: HandoffBrief, link: CallerLink,
                      deadline: float) -> None:
        call = leg.call
        answered = asyncio.ensure_future(call.answered.wait())
        ended = asyncio.ensure_future(call.ended.wait())
        try:
            await asyncio.wait({answered, ended}, return_when=asyncio.FIRST_COMPLETED)
            if not call.answered.is_set():
                attempt.finish(outcome_for(call.end_code), reason=f"sip-{call.end_code}")
                return
            log.info("escalation %s: SIP human line answered; speaking the brief", attempt.escalation_id)
            say = asyncio.ensure_future(call.say(brief.text() + " " + BRIEF_END))
            say.add_done_callback(lambda _t: leg.brief_done.set())
            budget = max(0.5, deadline - self.manager.clock.now())
            await asyncio.wait({say, ended}, timeout=budget, return_when=asyncio.FIRST_COMPLETED)
            if call.ended.is_set() or not call.active:
                say.cancel()
                attempt.finish(FAILED, reason=f"human-hung-up-{call.end_code}")
                return
            # The brief may still be playing if it is long: connect() waits for its end.
            attempt.finish(ANSWERED, operator=None)
            await call.ended.wait()
            if leg.connected and not leg.released:
                await self._human_left(attempt, link)
        finally:
            answered.cancel()
            ended.cancel()

    async def _human_left(self, attempt: Attempt, link: CallerLink) -> None:
        leg: _Leg = attempt.meta["sip"]
        if leg.released:
            return
        log.info("escalation %s: the SIP human line hung up", attempt.escalation_id)
        self._unbridge(leg, link)
        if link.active:
            link.set_human_connected(False)
            await link.say(HUMAN_LEFT_WORDS)
        with contextlib.suppress(Exception):  # already resolved by an operator: fine
            await self.manager.resolve(attempt.escalation_id, "human_hung_up", "", "sip")

    async def cancel(self, attempt: Attempt) -> None:
        leg: _Leg | None = attempt.meta.get("sip")
        if leg is None:
            return
        if leg.task is not None and leg.task is not asyncio.current_task():
            leg.task.cancel()
        await leg.call.hangup()

    async def connect(self, attempt: Attempt, link: CallerLink) -> None:
        leg: _Leg = attempt.meta["sip"]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(leg.brief_done.wait(), BRIEF_WAIT_MAX_S)
        call = leg.call
        to_caller: asyncio.Queue[bytes] = asyncio.Queue(maxsize=25)

        def from_human(frame: bytes) -> None:  # the human's voice, 20 ms at a time
            if to_caller.full():
                to_caller.get_nowait()
            to_caller.put_nowait(frame)

        async def to_human(frame: bytes) -> None:  # the caller's voice (the line keeps hearing it too)
            call.send_audio(frame)

        async def pump() -> None:
            while True:
                frame = await to_caller.get()
                await link.play_human_audio(frame)

        call.on_audio = from_human
        leg.listener = to_human
        link.add_audio_listener(to_human)
        leg.bridge_task = asyncio.create_task(pump(), name=f"sip-bridge-{attempt.escalation_id}")
        leg.connected = True
        log.info("escalation %s: caller bridged to the SIP human line", attempt.escalation_id)
        if not call.active:
            # They hung up between answering and now: runs once the machine has marked the call
            # connected, so the caller is told and the line takes over again.
            leg.left_task = asyncio.ensure_future(self._human_left(attempt, link))

    def _unbridge(self, leg: _Leg, link: CallerLink) -> None:
        leg.released = True
        if leg.listener is not None:
            with contextlib.suppress(Exception):
                link.remove_audio_listener(leg.listener)
            leg.listener = None
        leg.call.on_audio = None
        if leg.bridge_task is not None:
            leg.bridge_task.cancel()
            leg.bridge_task = None

    async def release(self, attempt: Attempt, link: CallerLink) -> None:
        leg: _Leg | None = attempt.meta.get("sip")
        if leg is None:
            return
        human_left = leg.released  # _human_left is finishing (resolving): let it, do not cancel it
        self._unbridge(leg, link)
        if not human_left and leg.task is not None and leg.task is not asyncio.current_task():
            leg.task.cancel()
        await leg.call.hangup()


__all__ = ["ANSWERED", "BUSY", "CANCELED", "FAILED", "NO_ANSWER", "SipAdapter", "is_sip_uri", "outcome_for"]
