"""The console's REST API (see docs/records.md for the full contract).

Sign-in: ``POST /console/login``, ``POST /console/logout``, ``GET /console/api/me``.
Records: ``GET /console/api/calls``, ``GET /console/api/calls/{id}``, ``GET /console/api/calls/{id}/transcript``
(decrypted, role-checked, audited), ``GET /console/api/escalations``,
``POST /console/api/escalations/{id}/resolve``, ``GET /console/api/audit`` (supervisors).
Every state-changing request needs the ``X-CSRF-Token`` header (see auth.py).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from safety.bus import ESCALATION_RESOLVED, Event
from safety.console import auth
from safety.console.auth import Operator, current_operator, require_role
from safety.records import access

log = logging.getLogger(__name__)

router = APIRouter(tags=["console"])

OperatorDep = Annotated[Operator, Depends(current_operator)]


class LoginBody(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class ResolveBody(BaseModel):
    outcome: str = Field(min_length=1, max_length=64)
    notes: str | None = Field(default=None, max_length=8000)


async def _settle(request: Request) -> None:
    """Let the background writer catch up with events already published (an accept that just
    happened must count), without waiting long if the database is slow."""
    rec = auth.records_for(request).recorder
    if rec is not None:
        try:
            await rec.flush(2.0)
        except TimeoutError:
            pass


def _me(op: Operator) -> dict[str, Any]:
    return {"username": op.username, "role": op.role, "csrf_token": op.csrf_token}


@router.post("/console/login")
async def login(body: LoginBody, request: Request, response: Response) -> dict[str, Any]:
    records = auth.records_for(request)
    try:
        token, op = await asyncio.to_thread(
            auth.login, records, auth.limiter_for(request), body.username, body.password, auth.client_ip(request)
        )
    except auth.RateLimited as e:
        raise HTTPException(status_code=429, detail="too many sign-in attempts; try again later",
                            headers={"Retry-After": str(int(e.retry_after) + 1)}) from None
    except auth.AuthError:
        raise HTTPException(status_code=401, detail="wrong username or password") from None
    auth.set_session_cookies(response, request, token, op.csrf_token, int(records.settings.session_hours * 3600))
    return _me(op)


@router.post("/console/logout")
async def logout(request: Request, response: Response, op: OperatorDep) -> dict[str, Any]:
    await asyncio.to_thread(auth.logout, auth.records_for(request), request.cookies.get(auth.SESSION_COOKIE),
                            op.username, auth.client_ip(request))
    auth.clear_session_cookies(response, request)
    return {"ok": True}


@router.get("/console/api/me")
async def me(op: OperatorDep) -> dict[str, Any]:
    return _me(op)


@router.get("/console/api/calls")
async def calls(request: Request, op: OperatorDep, limit: int = Query(50, ge=1, le=500),
                offset: int = Query(0, ge=0)) -> dict[str, Any]:
    await _settle(request)
    items = await asyncio.to_thread(access.list_calls, auth.records_for(request), op, limit=limit, offset=offset)
    return {"calls": items}


@router.get("/console/api/calls/{call_id}")
async def call_detail(call_id: str, request: Request, op: OperatorDep) -> dict[str, Any]:
    await _settle(request)
    try:
        return await asyncio.to_thread(access.call_detail, auth.records_for(request), op, call_id)
    except access.NotFound:
        raise HTTPException(404, "no such call") from None
    except access.Forbidden:
        raise HTTPException(403, "not your call") from None


@router.get("/console/api/calls/{call_id}/transcript")
async def transcript(call_id: str, request: Request, op: OperatorDep) -> dict[str, Any]:
    await _settle(request)
    try:
        return await asyncio.to_thread(access.read_transcript, auth.records_for(request), op, call_id,
                                       ip=auth.client_ip(request))
    except access.NotFound:
        raise HTTPException(404, "no such call") from None
    except access.Forbidden:
        raise HTTPException(403, "operators may read only calls put through to them") from None


@router.get("/console/api/escalations")
async def escalations(request: Request, op: OperatorDep,
                      status: str = Query("open", pattern="^(open|all|ringing|connected|failed|resolved)$"),
                      limit: int = Query(100, ge=1, le=500)) -> dict[str, Any]:
    await _settle(request)
    items = await asyncio.to_thread(access.list_escalations, auth.records_for(request), op, status=status, limit=limit)
    return {"escalations": items}


@router.post("/console/api/escalations/{escalation_id}/resolve")
async def resolve(escalation_id: str, body: ResolveBody, request: Request, op: OperatorDep) -> dict[str, Any]:
    await _settle(request)
    try:
        result = await asyncio.to_thread(access.resolve_escalation, auth.records_for(request), op, escalation_id,
                                         outcome=body.outcome, notes=body.notes, ip=auth.client_ip(request))
    except access.NotFound:
        raise HTTPException(404, "no such escalation") from None
    except access.Forbidden:
        raise HTTPException(403, "only the operator it was put through to, or a supervisor") from None
    rt = getattr(request.app.state, "safety", None)
    if rt is not None:  # tell the console and the transfer manager; the recorder skips it ("recorded")
        await rt.bus.publish(Event(ESCALATION_RESOLVED, result["call_id"], {
            "escalation_id": escalation_id, "outcome": result["outcome"], "notes": body.notes,
            "operator": op.username, "recorded": True,
        }))
    return result


@router.get("/console/api/audit")
async def audit_log(request: Request, op: Annotated[Operator, Depends(require_role("supervisor"))],
                    limit: int = Query(200, ge=1, le=1000), call_id: str | None = None) -> dict[str, Any]:
    items = await asyncio.to_thread(access.audit_entries, auth.records_for(request), limit=limit, call_id=call_id)
    return {"entries": items}
