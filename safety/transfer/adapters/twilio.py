"""Warm transfer over Twilio: the human's phone joins a conference with the caller.

(a) ``dial`` creates the human's call (``To`` = the target) with TwiML that speaks the handoff brief and
then joins conference ``warmline-<caller CallSid>``, with a ``StatusCallback`` on ``WARMLINE_PUBLIC_URL``;
(b) only when that callback, signature checked (safety/transfer/twilio_routes.py), says the human
answered does ``connect`` update the caller's call with TwiML that joins the same conference. While the
human hears the brief, the caller hears our hold lines (the conference's ``waitUrl``, never music);
when the human leaves, the caller's TwiML goes back to the line (``<Redirect>`` to /twilio/voice), so
nobody is hung up on. (c) No-answer, busy, failed, or the machine's timeout: the next target.

Moving the caller into the conference ends their bidirectional media stream, so the same TwiML first
forks the caller's audio back to us with ``<Start><Stream track="inbound_track">`` (unidirectional, a
``<Parameter>`` names our call id): recognition, risk tracking and records go on for the same call while
the human talks (voice/transports/twilio.py attaches the fork, listen-only, to the live session). The
call's ``StatusCallback`` (``POST /twilio/caller-status``) ends the session when the caller hangs up.

REST calls go through the ``twilio`` library's async client; ``WARMLINE_TWILIO_API_BASE`` points it at
another base URL (tests use tests/fake_twilio.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from twilio.twiml.voice_response import Dial, Start, Stop, VoiceResponse

from safety.transfer.adapters import ANSWERED, CANCELED, FAILED, Attempt, is_phone_number

if TYPE_CHECKING:
    from safety.transfer.brief import HandoffBrief
    from safety.transfer.manager import TransferManager

log = logging.getLogger(__name__)

FINAL_FAILURES = {"busy", "no-answer", "failed", "canceled"}
# The <Parameter> on the caller's forked stream that names our call (voice/transports/twilio.py).
FORK_PARAMETER = "warmline_call_id"


def conference_name(caller_sid: str) -> str:
    return f"warmline-{caller_sid}"


def fork_name(call_id: str) -> str:
    return f"warmline-fork-{call_id}"


class TwilioAdapter:
    name = "twilio"

    def __init__(self, manager: TransferManager) -> None:
        self.manager = manager
        self.settings = manager.settings
        self._client: Any = None
        self.pending: dict[tuple[str, int], Attempt] = {}

    # ---- REST client -------------------------------------------------------------------------
    def client(self) -> Any:
        if self._client is None:
            from twilio.http.async_http_client import AsyncTwilioHttpClient
            from twilio.rest import Client

            self._client = Client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token,
                http_client=AsyncTwilioHttpClient(),
            )
            if self.settings.twilio_api_base:
                self._client.api.base_url = self.settings.twilio_api_base.rstrip("/")
        return self._client

    def public_url(self, path: str) -> str:
        return self.settings.public_url.rstrip("/") + path

    def media_url(self) -> str:
        """The fork's WebSocket URL: WARMLINE_PUBLIC_URL as ws(s)://, no query string (Twilio signs the
        handshake against this URL and <Stream> takes custom data only as <Parameter>s)."""
        base = self.settings.public_url.rstrip("/")
        return base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + "/twilio/media"

    # ---- TwiML ---------------------------------------------------------------------------------
    def human_twiml(self, brief: HandoffBrief, conference: str) -> str:
        r = VoiceResponse()
        r.say(brief.text())
        r.say("Connecting you to the caller now.")
        dial = Dial()
        dial.conference(
            conference, start_conference_on_enter=True, end_conference_on_exit=True, beep=False, wait_url=""
        )
        r.append(dial)
        return str(r)

    def caller_twiml(self, conference: str, call_id: str) -> str:
        r = VoiceResponse()
        # Joining the conference ends the caller's bidirectional stream: fork their voice to us first
        # (unidirectional, inbound only) so recognition and risk tracking go on while the human talks.
        start = Start()
        stream = start.stream(name=fork_name(call_id), url=self.media_url(), track="inbound_track")
        stream.parameter(name=FORK_PARAMETER, value=call_id)
        r.append(start)
        dial = Dial()
        dial.conference(
            conference,
            start_conference_on_enter=False,  # the conference starts when the human has heard the brief
            end_conference_on_exit=True,
            beep=False,
            wait_url=self.public_url("/twilio/hold"),  # our words while waiting, never music
            wait_method="POST",
        )
        r.append(dial)
        # the human hung up: stop the fork (its session ends) and go back to the line, never a hang-up
        stop = Stop()
        stop.stream(name=fork_name(call_id))
        r.append(stop)
        r.redirect(self.public_url("/twilio/voice"), method="POST")
        return str(r)

    # ---- Adapter -------------------------------------------------------------------------------
    def can_dial(self, target: str, link: Any) -> bool:
        s = self.settings
        return bool(
            getattr(link, "transport", None) == "twilio"
            and getattr(link, "provider_call_sid", None)
            and s.twilio_account_sid
            and s.twilio_auth_token
            and s.public_url
            and s.twilio_from_number
            and is_phone_number(target)
        )

    async def dial(self, attempt: Attempt, brief: HandoffBrief, link: Any) -> None:
        conference = conference_name(link.provider_call_sid)
        callback = self.public_url(f"/twilio/status?escalation={attempt.escalation_id}&attempt={attempt.number}")
        self.pending[(attempt.escalation_id, attempt.number)] = attempt
        call = await self.client().calls.create_async(
            to=attempt.target,
            from_=self.settings.twilio_from_number,
            twiml=self.human_twiml(brief, conference),
            status_callback=callback,
            status_callback_event=["initiated", "ringing", "answered", "completed"],
            status_callback_method="POST",
            timeout=max(5, int(self.settings.transfer_ring_timeout_s)),
        )
        attempt.meta["human_sid"] = call.sid
        attempt.meta["conference"] = conference
        log.info("escalation %s: human call %s created (attempt %d)", attempt.escalation_id, call.sid, attempt.number)

    async def cancel(self, attempt: Attempt) -> None:
        self.pending.pop((attempt.escalation_id, attempt.number), None)
        sid = attempt.meta.get("human_sid")
        if not sid or attempt.meta.get("final"):
            return
        try:  # stop it ringing (or hang up a human who answered too late)
            await self.client().calls(sid).update_async(status="canceled" if attempt.outcome != ANSWERED else "completed")
        except Exception as exc:
            log.warning("escalation %s: cancel of human call failed: %s", attempt.escalation_id, type(exc).__name__)

    async def connect(self, attempt: Attempt, link: Any) -> None:
        conference = attempt.meta.get("conference") or conference_name(link.provider_call_sid)
        expect_fork = getattr(link, "expect_media_fork", None)  # voice/call.py: keep the call through the swap
        if expect_fork is not None:
            expect_fork(True)
        try:
            await self.client().calls(link.provider_call_sid).update_async(
                twiml=self.caller_twiml(conference, link.call_id),
                # Twilio sends only "completed" for a callback set on a live call: the caller hung up
                status_callback=self.public_url(f"/twilio/caller-status?call={link.call_id}"),
                status_callback_method="POST",
            )
        except Exception:
            if expect_fork is not None:
                expect_fork(False)  # the bidirectional stream stays; its end is the call's end again
            raise
        attempt.meta["caller_joined"] = True
        log.info("escalation %s: caller %s joined the conference", attempt.escalation_id, link.call_id)

    async def release(self, attempt: Attempt, link: Any) -> None:
        self.pending.pop((attempt.escalation_id, attempt.number), None)

    # ---- status callbacks (already signature-checked by the route) ------------------------------
    def on_status(self, escalation_id: str, attempt_no: int, params: dict[str, str]) -> bool:
        attempt = self.pending.get((escalation_id, attempt_no))
        if attempt is None:
            return False
        status = params.get("CallStatus", "")
        sid = params.get("CallSid")
        if sid and attempt.meta.get("human_sid") not in (None, sid):
            log.warning("escalation %s: status for an unexpected call", escalation_id)
            return False
        if status in ("in-progress", "answered"):
            attempt.finish(ANSWERED)
        elif status in FINAL_FAILURES:
            attempt.meta["final"] = True
            attempt.finish(status if status != "canceled" else CANCELED, reason=status)
        elif status == "completed":
            attempt.meta["final"] = True
            if attempt.outcome is None:
                attempt.finish(FAILED, reason="completed-before-answer")
            else:
                self.pending.pop((escalation_id, attempt_no), None)
        log.info("escalation %s attempt %d: human call %s", escalation_id, attempt_no, status or "?")
        return True
