"""Console sign-in and the records API, called as each role, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, WebSocket
from sqlalchemy import select

from safety.console import api, auth
from safety.records.models import AuditLog, Escalation
from tests.safety.records_util import simulate_call

PASSWORD = "correct horse battery"


def make_app(runtime) -> FastAPI:  # noqa: ANN001
    app = FastAPI()
    app.state.safety = runtime
    app.include_router(api.router)
    return app


@functools.cache
def password_hash() -> str:
    return auth.hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for the whole module


def add_operator(records, username: str, role: str) -> None:  # noqa: ANN001
    from safety.records.models import Operator

    with records.db.session() as s:
        s.add(Operator(username=username, password_hash=password_hash(), role=role))


@pytest.fixture
async def app(runtime):  # noqa: ANN001, ANN201
    records = runtime.services["records"]
    add_operator(records, "alice", "operator")
    add_operator(records, "bob", "operator")
    add_operator(records, "sue", "supervisor")
    return make_app(runtime)


def client(app: FastAPI, base: str = "http://testserver") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base)


@contextlib.asynccontextmanager
async def signed_in(app: FastAPI, username: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    async with client(app) as c:
        r = await c.post("/console/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield c, r.json()["csrf_token"]


def audit_rows(records, action: str | None = None) -> list[tuple]:  # noqa: ANN001
    with records.db.session() as s:
        q = select(AuditLog).order_by(AuditLog.id)
        if action:
            q = q.where(AuditLog.action == action)
        return [(a.actor, a.action, a.call_id) for a in s.scalars(q)]


async def test_login_sets_strict_httponly_cookies_and_secure_on_https(app: FastAPI, runtime) -> None:
    async with client(app) as c:
        assert (await c.get("/console/api/me")).status_code == 401
        bad = await c.post("/console/login", json={"username": "alice", "password": "nope nope nope"})
        assert bad.status_code == 401
        r = await c.post("/console/login", json={"username": "Alice", "password": PASSWORD})
        assert r.status_code == 200 and r.json()["role"] == "operator" and len(r.json()["csrf_token"]) > 30
        cookies = r.headers.get_list("set-cookie")
        session = next(h for h in cookies if h.startswith(auth.SESSION_COOKIE + "="))
        assert "httponly" in session.lower() and "samesite=strict" in session.lower()
        assert "secure" not in session.lower()  # plain http on a laptop: a Secure cookie would never come back
        me = await c.get("/console/api/me")
        assert me.json() == {"username": "alice", "role": "operator", "csrf_token": r.json()["csrf_token"]}
    async with client(app, "https://testserver") as c:
        r = await c.post("/console/login", json={"username": "sue", "password": PASSWORD})
        session = next(h for h in r.headers.get_list("set-cookie") if h.startswith(auth.SESSION_COOKIE + "="))
        assert "; secure" in session.lower()
    records = runtime.services["records"]
    assert ("alice", "login.failed", None) in audit_rows(records)
    assert ("alice", "login", None) in audit_rows(records)
    # only a hash of the session token is stored
    from safety.records.models import OperatorSession

    token = session.split(";", 1)[0].split("=", 1)[1]
    with records.db.session() as s:
        hashes = list(s.scalars(select(OperatorSession.token_hash)))
    assert token not in hashes and auth._token_hash(token) in hashes


async def test_state_changing_requests_need_the_csrf_token(app: FastAPI, runtime) -> None:
    esc = await simulate_call(runtime.bus, "call-csrf", operator="alice")
    async with signed_in(app, "alice") as (c, csrf):
        body = {"outcome": "safety_plan", "notes": "ok"}
        r = await c.post(f"/console/api/escalations/{esc}/resolve", json=body)
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        r = await c.post(f"/console/api/escalations/{esc}/resolve", json=body, headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403
        assert (await c.post("/console/logout")).status_code == 403
        r = await c.post(f"/console/api/escalations/{esc}/resolve", json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json()["status"] == "resolved"
        r = await c.post("/console/logout", headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200
        assert (await c.get("/console/api/me")).status_code == 401  # the session is gone server-side


async def test_login_rate_limit_per_username_and_ip(app: FastAPI, runtime) -> None:
    limit = runtime.settings.login_max_failures
    async with client(app) as c:
        for _ in range(limit):
            r = await c.post("/console/login", json={"username": "bob", "password": "wrong password!"})
            assert r.status_code == 401
        r = await c.post("/console/login", json={"username": "bob", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right password waits
        r = await c.post("/console/login", json={"username": "alice", "password": PASSWORD})
        assert r.status_code == 200  # another account from the same address is not locked out


async def test_operators_read_only_their_calls_supervisors_all_and_every_read_is_audited(app: FastAPI, runtime) -> None:
    records = runtime.services["records"]
    await simulate_call(runtime.bus, "call-alice", operator="alice")
    await simulate_call(runtime.bus, "call-bob", operator="bob")
    async with signed_in(app, "alice") as (alice, _), signed_in(app, "sue") as (sue, _):
        r = await alice.get("/console/api/calls/call-alice/transcript")
        assert r.status_code == 200
        body = r.json()
        assert body["turns"][0]["role"] == "caller" and "Priscilla" in body["turns"][0]["text"]
        assert body["escalations"][0]["operator"] == "alice" and body["escalations"][0]["quotes"]
        r = await alice.get("/console/api/calls/call-bob/transcript")
        assert r.status_code == 403 and "Priscilla" not in r.text
        assert (await alice.get("/console/api/calls/nope/transcript")).status_code == 404
        listed = (await alice.get("/console/api/calls")).json()["calls"]
        assert [(x["id"], x["can_read_transcript"]) for x in listed] == [("call-alice", True)]
        assert (await alice.get("/console/api/audit")).status_code == 403
        for call in ("call-alice", "call-bob"):
            r = await sue.get(f"/console/api/calls/{call}/transcript")
            assert r.status_code == 200 and len(r.json()["turns"]) == 6
        assert {x["id"] for x in (await sue.get("/console/api/calls")).json()["calls"]} == {"call-alice", "call-bob"}
        detail = (await sue.get("/console/api/calls/call-bob")).json()
        assert detail["max_level"] == "high" and any(x["level"] == "high" for x in detail["risk"])
        assert "turns" not in detail  # metadata only
        audit = (await sue.get("/console/api/audit", params={"limit": 50})).json()["entries"]
    reads = audit_rows(records, "transcript.read")
    assert reads == [("alice", "transcript.read", "call-alice"), ("sue", "transcript.read", "call-alice"),
                     ("sue", "transcript.read", "call-bob")]
    assert audit_rows(records, "transcript.denied") == [("alice", "transcript.denied", "call-bob")]
    assert {(e["actor"], e["action"], e["call_id"]) for e in audit} >= set(reads)
    assert all(e["at"] for e in audit)


async def test_waiting_escalation_is_visible_without_content_and_resolve_is_role_checked(app: FastAPI, runtime) -> None:
    records = runtime.services["records"]
    esc = await simulate_call(runtime.bus, "call-waiting", operator=None)  # nobody answered yet
    sub = runtime.bus.subscribe(["escalation.resolved"])
    async with signed_in(app, "bob") as (bob, bob_csrf), signed_in(app, "sue") as (sue, sue_csrf):
        queue = (await bob.get("/console/api/escalations")).json()["escalations"]
        assert [(q["id"], q["level"], q["status"]) for q in queue] == [(esc, "high", "failed")]
        assert "quotes" not in queue[0]
        calls = (await bob.get("/console/api/calls")).json()["calls"]
        assert [(x["id"], x["can_read_transcript"]) for x in calls] == [("call-waiting", False)]
        assert (await bob.get("/console/api/calls/call-waiting/transcript")).status_code == 403
        body = {"outcome": "emergency_services", "notes": "Sent help to the lighthouse"}
        r = await bob.post(f"/console/api/escalations/{esc}/resolve", json=body, headers={"X-CSRF-Token": bob_csrf})
        assert r.status_code == 403
        r = await sue.post(f"/console/api/escalations/{esc}/resolve", json=body, headers={"X-CSRF-Token": sue_csrf})
        assert r.status_code == 200 and r.json()["resolved_by"] == "sue"
    event = await sub.get()
    assert event.data["escalation_id"] == esc and event.data["operator"] == "sue" and event.data["recorded"]
    await records.recorder.flush()
    with records.db.session() as s:
        e = s.get(Escalation, esc)
        assert (e.status, e.outcome) == ("resolved", "emergency_services")
        assert e.notes_enc and b"lighthouse" not in e.notes_enc
        assert [x.step for x in e.steps].count("resolved") == 1  # the recorder did not write it twice
    assert ("sue", "escalation.resolve", "call-waiting") in audit_rows(records)


async def test_operator_add_cli_and_sign_in(runtime) -> None:
    from typer.testing import CliRunner

    from voice.cli import app as cli

    res = CliRunner().invoke(cli, ["operator", "add", "carol", "--role", "supervisor", "--password-stdin"],
                             input=PASSWORD + "\n")
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["operator", "add", "dave", "--password-stdin"], input="short\n")
    assert res.exit_code == 2 and "at least" in res.output
    res = CliRunner().invoke(cli, ["operator", "add", "carol", "--password-stdin"], input=PASSWORD + "\n")
    assert res.exit_code == 2 and "exists" in res.output
    res = CliRunner().invoke(cli, ["operator", "list"])
    assert "carol\tsupervisor\tactive" in res.output
    app = make_app(runtime)
    async with client(app) as c:
        r = await c.post("/console/login", json={"username": "carol", "password": PASSWORD})
        assert r.status_code == 200 and r.json()["role"] == "supervisor"
    with runtime.services["records"].db.session() as s:
        from safety.records.models import Operator

        row = s.scalar(select(Operator).where(Operator.username == "carol"))
        assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    res = CliRunner().invoke(cli, ["operator", "disable", "carol"])
    assert res.exit_code == 0
    async with client(app) as c:
        r = await c.post("/console/login", json={"username": "carol", "password": PASSWORD})
        assert r.status_code == 401


async def test_websocket_helper_checks_session_and_origin(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        op = auth.websocket_operator(websocket)
        await websocket.accept()
        await websocket.send_json({"op": op.username if op else None})
        await websocket.close()

    async with client(app) as c:
        r = await c.post("/console/login", json={"username": "alice", "password": PASSWORD})
        token = r.cookies[auth.SESSION_COOKIE]
    cookie = {"cookie": f"{auth.SESSION_COOKIE}={token}"}
    with TestClient(app) as tc:
        with tc.websocket_connect("/ws", headers={**cookie, "origin": "http://testserver"}) as w:
            assert w.receive_json() == {"op": "alice"}
        with tc.websocket_connect("/ws", headers={**cookie, "origin": "https://evil.example"}) as w:
            assert w.receive_json() == {"op": None}  # cross-site socket riding on the cookie
        with tc.websocket_connect("/ws", headers={"origin": "http://testserver"}) as w:
            assert w.receive_json() == {"op": None}  # not signed in


async def test_accepting_in_the_console_grants_access_acknowledging_does_not(app: FastAPI, runtime) -> None:
    from safety.bus import Event

    esc = await simulate_call(runtime.bus, "call-accept", operator=None)
    step = {"escalation_id": esc, "operator": "bob"}
    await runtime.bus.publish(Event("transfer.step", "call-accept", {**step, "step": "acknowledged"}))
    await runtime.bus.publish(Event("transfer.step", "call-accept", {"escalation_id": esc, "step": "retry", "round": 2,
                                                                      "text": "Priscilla said"}))
    async with signed_in(app, "bob") as (bob, _):
        assert (await bob.get("/console/api/calls/call-accept/transcript")).status_code == 403
        await runtime.bus.publish(Event("transfer.step", "call-accept", {**step, "step": "accepted"}))
        r = await bob.get("/console/api/calls/call-accept/transcript")
        assert r.status_code == 200
    steps = [(x["step"], x["operator"], x["detail"]) for x in r.json()["escalations"][0]["steps"]]
    assert steps == [("opened", None, None), ("ringing", None, None), ("failed", None, None),
                     ("acknowledged", "bob", None), ("retry", None, {"round": 2}), ("accepted", "bob", None)]
