"""Twilio's callbacks for the warm transfer: the human call's status, the caller's hold words, and the
caller's own call ending while they talk to the human in the conference.

Every request must carry a valid ``X-Twilio-Signature`` for the URL Twilio called (rebuilt from
``WARMLINE_PUBLIC_URL``); anything else gets 403 and changes nothing.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from safety.transfer.holdtalk import GROUNDING

log = logging.getLogger(__name__)

router = APIRouter()


def public_request_url(request: Request) -> str:
    base = request.app.state.safety.settings.public_url.rstrip("/")
    url = base + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


async def signed_form(request: Request) -> dict[str, str]:
    settings = request.app.state.safety.settings
    form = await request.form()
    params = {k: str(v) for k, v in form.multi_items()}
    token = settings.twilio_auth_token
    if not token:
        raise HTTPException(403, "Twilio callbacks need TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(token).validate(public_request_url(request), params, signature):
        log.warning("twilio callback with a bad signature on %s", request.url.path)
        raise HTTPException(403, "bad signature")
    return params


@router.post("/twilio/status")
async def twilio_status(request: Request, escalation: str = "", attempt: int = 0) -> Response:
    params = await signed_form(request)
    manager = request.app.state.safety.services.get("transfers")
    adapter = manager.adapters.get("twilio") if manager is not None else None
    if adapter is None or not adapter.on_status(escalation, attempt, params):
        log.info("twilio status for unknown escalation %s attempt %d", escalation, attempt)
    return Response(status_code=204)


# A caller's call that is over (Twilio sends only "completed" for a callback set on a live call).
CALLER_GONE = {"completed", "canceled", "failed", "busy", "no-answer"}


@router.post("/twilio/caller-status")
async def twilio_caller_status(request: Request, call: str = "") -> Response:
    """The caller's call, moved into the conference, has a status callback: when it completes, the
    live session (listening through the media fork) ends, whether or not the fork said stop."""
    params = await signed_form(request)
    link = (request.app.state.safety.services.get("calls") or {}).get(call)
    if params.get("CallStatus") not in CALLER_GONE or link is None:
        return Response(status_code=204)
    if getattr(link, "provider_call_sid", None) != params.get("CallSid"):
        log.warning("twilio caller status for call %s names another CallSid", call)
        return Response(status_code=204)
    hangup = getattr(link, "hangup", None)
    if hangup is not None:
        log.info("call %s: the caller's Twilio call completed", call)
        await hangup("hangup")
    return Response(status_code=204)


@router.post("/twilio/hold")
async def twilio_hold(request: Request) -> Response:
    """The conference's waitUrl: a few lines of company while the human hears the brief."""
    await signed_form(request)
    r = VoiceResponse()
    r.say("They're just getting a short summary, so you won't have to repeat yourself. I'm still here.")
    for line in GROUNDING[:3]:
        r.pause(length=1)
        r.say(line)
    return Response(str(r), media_type="application/xml")
