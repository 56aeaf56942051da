"""The console's routes over real HTTP and WebSockets (uvicorn on the test's own loop): sign-in gates,
role filtering of live events, accept/listen/ack, the operator audio bridge, and resolving through the
records API. The call is our own CallerLink double; the browser test drives a real call end to end."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

import safety.records
import safety.transfer
from safety.bus import CALL_STARTED, CALL_TRANSCRIPT, RISK_ASSESSED, Event
from safety.console import api, auth, routes
from safety.runtime import SafetyRuntime
from safety.settings import get_settings
from safety.transfer.clock import RealClock
from tests.fake_twilio import free_port
from tests.safety.transfer_doubles import FakeLink, high_risk

PASSWORD = "correct horse battery"
SAID = "I have a plan to end it tonight"


@pytest.fixture
async def server(monkeypatch):
    monkeypatch.setenv("WARMLINE_TRANSFER_RING_TIMEOUT_S", "60")
    runtime = SafetyRuntime(get_settings())
    records = safety.records.setup(runtime)
    safety.transfer.setup(runtime)
    runtime.services["calls"] = {}
    for name, role in (("alice", "operator"), ("bob", "operator"), ("sue", "supervisor")):
        auth.create_operator(records, name, PASSWORD, role)
    app = FastAPI()
    app.state.safety = runtime
    app.include_router(routes.router)
    app.include_router(api.router)
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    await runtime.start()
    task = asyncio.create_task(srv.serve())
    for _ in range(500):
        if srv.started:
            break
        await asyncio.sleep(0.02)
    srv.url = f"http://127.0.0.1:{port}"
    srv.runtime = runtime
    try:
        yield srv
    finally:
        srv.should_exit = True
        await task
        await runtime.stop()


@contextlib.asynccontextmanager
async def signed_in(url: str, username: str):
    async with httpx.AsyncClient(base_url=url) as c:
        r = await c.post("/console/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield c, r.json()["csrf_token"]


def ws_url(url: str, path: str) -> str:
    return url.replace("http://", "ws://") + path


def cookie_header(c: httpx.AsyncClient) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in c.cookies.items())}


async def next_event(ws, name: str, within: float = 5.0, pred=None) -> dict:
    async with asyncio.timeout(within):
        while True:
            msg = json.loads(await ws.recv())
            if msg["event"] == name and (pred is None or pred(msg)):
                return msg


async def open_escalation(runtime, call_id: str = "call-1") -> tuple[FakeLink, str]:
    link = FakeLink(RealClock(), call_id=call_id, words_per_s=400.0)
    runtime.services["calls"][call_id] = link
    bus = runtime.bus
    await bus.publish(Event(CALL_STARTED, call_id, {"transport": "pcm", "caller": "+15551234567"}))
    await bus.publish(Event(CALL_TRANSCRIPT, call_id, {"text": SAID, "final": True, "turn": 1}))
    await bus.publish(Event(RISK_ASSESSED, call_id, {"turn": 1, "final": True, "text": SAID, "level": "high",
                                                     "kind": "suicide", "signals": ["plan"], "call_level": "high",
                                                     "call_kind": "suicide", "action": "warm_transfer"}))
    esc_id = await runtime.services["transfers"].start(link, *high_risk())
    return link, esc_id


async def test_console_page_and_events_need_a_session(server):
    async with httpx.AsyncClient(base_url=server.url) as c:
        page = await c.get("/console")
        assert page.status_code == 200 and "Warmline" in page.text and "console.js" in page.text
        js = await c.get("/console/static/console.js")
        assert js.status_code == 200 and "getUserMedia" in js.text
        assert (await c.get("/console/static/..%2Fapi.py")).status_code == 404
        assert (await c.get("/console/api/live")).status_code == 401
        assert (await c.post("/console/api/escalations/x/accept")).status_code == 401
    for path in ("/console/events", "/console/audio/call-1?mode=listen"):
        async with connect(ws_url(server.url, path)) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            assert closed.value.rcvd.code == 4401


async def test_operator_sees_metadata_then_content_after_accepting_and_talks_to_the_caller(server):
    runtime = server.runtime
    async with signed_in(server.url, "alice") as (alice, csrf), signed_in(server.url, "bob") as (bob, bob_csrf):
        async with connect(ws_url(server.url, "/console/events"), additional_headers=cookie_header(alice)) as ws:
            snap = json.loads(await ws.recv())
            assert snap["event"] == "snapshot" and snap["me"] == {"username": "alice", "role": "operator"}
            link, esc_id = await open_escalation(runtime)
            started = await next_event(ws, "call.started")
            assert started["caller"] == "+•••••••4567"  # masked even for operators
            opened = await next_event(ws, "escalation.opened")
            assert opened["escalation_id"] == esc_id and opened["level"] == "high" and "quotes" not in opened
            state = await next_event(ws, "escalation.state")
            assert state["escalation"]["waiting"] and "brief" not in state["escalation"]
            board = await next_event(ws, "wallboard")
            assert board["waiting"] == 1 and board["active_calls"] == 1

            # before accepting: no words, no audio
            r = await alice.get("/console/api/live")
            call = r.json()["calls"][0]
            assert call["level"] == "high" and "lines" not in call
            async with connect(ws_url(server.url, "/console/audio/call-1?mode=talk"),
                               additional_headers=cookie_header(alice)) as audio:
                with pytest.raises(ConnectionClosed) as closed:
                    await audio.recv()
                assert closed.value.rcvd.code == 4403

            # accepting needs the CSRF token; a second operator is refused
            assert (await alice.post(f"/console/api/escalations/{esc_id}/accept")).status_code == 403
            r = await alice.post(f"/console/api/escalations/{esc_id}/accept", headers={"X-CSRF-Token": csrf})
            assert r.status_code == 200, r.text
            assert r.json()["brief"]["quotes"][0][1] == SAID
            assert "Callback number: 1 5 5 5 1 2 3 4 5 6 7." in r.json()["brief"]["text"]
            r = await bob.post(f"/console/api/escalations/{esc_id}/accept", headers={"X-CSRF-Token": bob_csrf})
            assert r.status_code == 409
            r = await bob.post(f"/console/api/escalations/{esc_id}/listen", headers={"X-CSRF-Token": bob_csrf})
            assert r.status_code == 403  # listening in is for supervisors

            connected = await next_event(ws, "transfer.connected", within=10)
            assert connected["operator"] == "alice" and connected["target"] == "console"
            r = await alice.get("/console/api/live")
            assert r.json()["calls"][0]["lines"][0]["text"] == SAID  # now alice may read it

            # the audio bridge: caller frames reach the browser, the operator's frames reach the caller
            async with connect(ws_url(server.url, "/console/audio/call-1?mode=talk"),
                               additional_headers=cookie_header(alice)) as audio:
                for _ in range(50):
                    if link.listeners:
                        break
                    await asyncio.sleep(0.02)
                caller_frame = bytes(range(256)) * 2 + bytes(128)
                await link.listeners[0](caller_frame)
                assert await asyncio.wait_for(audio.recv(), 5) == caller_frame
                op_frame = b"\x01\x02" * 320
                await audio.send(op_frame)
                await audio.send(b"\x00" * 100)  # a malformed frame is dropped, the bridge stays up
                await audio.send(op_frame)
                for _ in range(100):
                    if len(link.human_frames) >= 2:
                        break
                    await asyncio.sleep(0.02)
                assert link.human_frames == [op_frame, op_frame]

            # bob (not on the call) still sees no words in the live stream
            async with connect(ws_url(server.url, "/console/events"), additional_headers=cookie_header(bob)) as bws:
                bsnap = json.loads(await bws.recv())
                assert "lines" not in bsnap["calls"][0]
                assert all("brief" not in e for e in bsnap["escalations"])

            # resolving through the records API reaches the transfer: the line takes the call back
            await runtime.services["records"].recorder.flush()
            r = await alice.post(f"/console/api/escalations/{esc_id}/resolve", headers={"X-CSRF-Token": csrf},
                                 json={"outcome": "safe_plan", "notes": "will call her sister"})
            assert r.status_code == 200, r.text
            resolved = await next_event(ws, "escalation.resolved")
            assert resolved["outcome"] == "safe_plan"
            for _ in range(200):
                if not runtime.services["transfers"].is_active("call-1"):
                    break
                await asyncio.sleep(0.02)
            esc = runtime.services["transfers"].get(esc_id)
            assert esc.resolved_by == "alice" and esc.outcome == "safe_plan"
            assert link.human_connected[-1] == (pytest.approx(link.human_connected[-1][0]), False)
            link.hang_up_by_caller()
            await runtime.services["transfers"].on_call_ended("call-1")


async def test_supervisor_sees_everything_and_can_listen_in(server):
    runtime = server.runtime
    async with signed_in(server.url, "sue") as (sue, csrf):
        async with connect(ws_url(server.url, "/console/events"), additional_headers=cookie_header(sue)) as ws:
            await ws.recv()
            link, esc_id = await open_escalation(runtime, "call-2")
            transcript = await next_event(ws, "call.transcript")
            assert transcript["text"] == SAID
            opened = await next_event(ws, "escalation.opened")
            assert opened["quotes"][0][1] == SAID
            r = await sue.post(f"/console/api/escalations/{esc_id}/ack", headers={"X-CSRF-Token": csrf})
            assert r.status_code == 200 and r.json()["acknowledged_by"] == "sue" and r.json()["waiting"]
            r = await sue.post(f"/console/api/escalations/{esc_id}/listen", headers={"X-CSRF-Token": csrf})
            assert r.status_code == 200 and r.json()["listeners"] == ["sue"]
            async with connect(ws_url(server.url, "/console/audio/call-2?mode=listen"),
                               additional_headers=cookie_header(sue)) as audio:
                for _ in range(50):
                    if link.listeners:
                        break
                    await asyncio.sleep(0.02)
                frame = b"\x05\x00" * 320
                await link.listeners[0](frame)
                assert await asyncio.wait_for(audio.recv(), 5) == frame
                await audio.send(frame)  # listening in never speaks to the caller
                await asyncio.sleep(0.2)
                assert link.human_frames == []
        link.hang_up_by_caller()
        await runtime.services["transfers"].on_call_ended("call-2")
        assert runtime.services["transfers"].wallboard(0)["abandoned"] == 1
