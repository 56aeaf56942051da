"""The operator console: the page, its live event stream, escalation actions and the audio bridge.

- ``GET /console``: the single-page console (safety/console/static/, plain HTML/JS/CSS, no build step).
- ``WS /console/events``: signed-in operators only (safety/console/auth.py session cookie). First a
  ``snapshot`` (live calls, the escalation queue, the wallboard), then every bus event as JSON
  ``{"event": name, "call_id", "ts", ...}``, each followed by fresh ``escalation.state`` and
  ``wallboard`` messages when it concerns an escalation. Content is filtered by role (live.py).
- ``POST /console/api/escalations/{id}/accept`` | ``/listen`` | ``/ack``: take the caller over with your
  voice, listen in, or just silence the alarm. CSRF-checked like every state change.
- ``WS /console/audio/{call_id}?mode=talk|listen``: binary PCM16LE mono 16 kHz 20 ms frames both ways
  (caller -> browser always; browser -> caller only for the operator who accepted, once connected).
- ``GET /console/api/live``: the same snapshot over HTTP.
Resolving goes through ``POST /console/api/escalations/{id}/resolve`` (safety/console/api.py), whose
``escalation.resolved`` event the transfer manager follows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, WebSocket
from fastapi.responses import FileResponse
from starlette.websockets import WebSocketDisconnect, WebSocketState

from safety.console.auth import Operator, current_operator, websocket_operator
from safety.console.live import filter_event, may_see_content
from safety.transfer.adapters.console import AudioBridge
from safety.transfer.machine import State
from safety.transfer.manager import EscalationError
from safety.transfer.twilio_routes import router as twilio_router
from safety.websocket import until_disconnect

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
FRAME_BYTES = 640
STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}

router = APIRouter()
router.include_router(twilio_router)


def _runtime(conn: Request | WebSocket) -> Any:
    return conn.app.state.safety


def _manager(conn: Request | WebSocket) -> Any:
    return _runtime(conn).services.get("transfers")


def _live(conn: Request | WebSocket) -> Any:
    return _runtime(conn).services.get("console")


def escalation_view(esc: Any, op: Operator, manager: Any) -> dict[str, Any]:
    out = esc.to_json()
    if not may_see_content(op, esc.call_id, manager):
        out.pop("quotes", None)
        out.pop("brief", None)
        out["steps"] = [{k: v for k, v in s.items() if k in ("ts", "step")} for s in out["steps"]]
    return out


def snapshot(conn: Request | WebSocket, op: Operator) -> dict[str, Any]:
    manager, live = _manager(conn), _live(conn)
    calls = []
    if live is not None:
        calls = [c.to_json(may_see_content(op, c.call_id, manager)) for c in live.calls.values()]
    escalations = [escalation_view(e, op, manager) for e in manager.queue()] if manager is not None else []
    n_calls = len(live.calls) if live is not None else None
    return {
        "event": "snapshot",
        "me": {"username": op.username, "role": op.role},
        "calls": calls,
        "escalations": escalations,
        "wallboard": manager.wallboard(n_calls) if manager is not None else {},
    }


# ---- the page ----------------------------------------------------------------------------------
@router.get("/console", include_in_schema=False)
async def console_page() -> FileResponse:
    return FileResponse(STATIC / "console.html", media_type="text/html", headers={"Cache-Control": "no-store"})


@router.get("/console/static/{name}", include_in_schema=False)
async def console_static(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if path.parent != STATIC.resolve() or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise HTTPException(404)
    return FileResponse(path, media_type=STATIC_TYPES[path.suffix])


@router.get("/console/api/live")
async def live_snapshot(request: Request) -> dict[str, Any]:
    op = current_operator(request)
    return snapshot(request, op)


# ---- escalation actions ------------------------------------------------------------------------
async def _act(request: Request, esc_id: str, action: str) -> dict[str, Any]:
    op = current_operator(request)  # 401 unless signed in, 403 without the CSRF header
    manager = _manager(request)
    if manager is None:
        raise HTTPException(503, "transfers are not running")
    try:
        if action == "accept":
            esc = await manager.accept(esc_id, op.username)
        elif action == "listen":
            esc = manager.get(esc_id)
            if op.role != "supervisor" and op.username not in (esc.operator, manager.transfers[esc_id].accepted_by):
                raise HTTPException(403, "listening in is for supervisors or the operator on the call")
            esc = await manager.listen(esc_id, op.username)
        else:
            esc = await manager.acknowledge(esc_id, op.username)
    except EscalationError as exc:
        raise HTTPException(exc.status, str(exc)) from None
    return escalation_view(esc, op, manager)


@router.post("/console/api/escalations/{esc_id}/accept")
async def accept(esc_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, esc_id, "accept")


@router.post("/console/api/escalations/{esc_id}/listen")
async def listen(esc_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, esc_id, "listen")


@router.post("/console/api/escalations/{esc_id}/ack")
async def acknowledge(esc_id: str, request: Request) -> dict[str, Any]:
    return await _act(request, esc_id, "ack")


# ---- live events -------------------------------------------------------------------------------
@router.websocket("/console/events")
async def console_events(ws: WebSocket) -> None:
    op = websocket_operator(ws)
    await ws.accept()
    if op is None:
        await ws.close(4401, "sign in first")
        return
    runtime = _runtime(ws)
    manager = _manager(ws)
    sub = runtime.bus.subscribe()
    try:
        await ws.send_json(snapshot(ws, op))
        async with contextlib.aclosing(until_disconnect(ws, sub.get)) as events:
            async for event in events:
                out = filter_event(event, op, manager)
                if out is not None:
                    await ws.send_json(out)
                esc_id = event.data.get("escalation_id") if isinstance(event.data, dict) else None
                if manager is not None and esc_id in manager.escalations:
                    await ws.send_json({"event": "escalation.state", "call_id": event.call_id, "ts": event.ts,
                                        "escalation": escalation_view(manager.escalations[esc_id], op, manager)})
                if manager is not None and (esc_id or event.name in ("call.started", "call.ended")):
                    live = _live(ws)
                    await ws.send_json({"event": "wallboard", "call_id": "", "ts": event.ts,
                                        **manager.wallboard(len(live.calls) if live is not None else None)})
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        sub.close()


# ---- the operator's audio ----------------------------------------------------------------------
@router.websocket("/console/audio/{call_id}")
async def console_audio(ws: WebSocket, call_id: str) -> None:
    op = websocket_operator(ws)
    await ws.accept()
    if op is None:
        await ws.close(4401, "sign in first")
        return
    manager = _manager(ws)
    mode = ws.query_params.get("mode", "talk")
    transfer = manager.transfer_for_call(call_id) if manager is not None else None
    link = manager.link_for_call(call_id) if manager is not None else None
    if link is None or not link.active:
        await ws.close(4404, "no such live call")
        return
    mine = transfer is not None and op.username in (transfer.esc.operator, transfer.accepted_by)
    if mode == "talk" and not mine:
        await ws.close(4403, "accept the escalation first")
        return
    if mode == "listen" and not (mine or op.role == "supervisor"):
        await ws.close(4403, "listening in is for supervisors")
        return

    def may_talk() -> bool:
        esc = transfer.esc if transfer is not None else None
        return bool(esc and esc.state == State.CONNECTED and esc.connected_via == "console"
                    and esc.operator == op.username and not esc.resolved_at)

    async def send(frame: bytes) -> None:
        if ws.application_state == WebSocketState.CONNECTED:
            await ws.send_bytes(frame)

    bridge = AudioBridge(link, send, talk=(mode == "talk"), may_talk=may_talk, operator=op.username)
    manager.console.add_bridge(call_id, bridge)
    log.info("console audio: %s %s call %s", op.username, mode, call_id)
    pump = asyncio.ensure_future(bridge.pump_to_browser())
    try:
        while not bridge.closed.is_set():
            receive = asyncio.ensure_future(ws.receive())
            closed = asyncio.ensure_future(bridge.closed.wait())
            done, _ = await asyncio.wait({receive, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed in done:
                receive.cancel()
                break
            closed.cancel()
            msg = receive.result()
            if msg["type"] == "websocket.disconnect":
                break
            data = msg.get("bytes")
            if data and len(data) == FRAME_BYTES:
                await bridge.from_browser(data)
            # anything else (text, odd sizes) is ignored: a bad frame never reaches the caller
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        manager.console.remove_bridge(call_id, bridge)
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
        if ws.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(Exception):
                await ws.close(1000)
