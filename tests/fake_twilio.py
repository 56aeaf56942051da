"""A small local fake of Twilio's REST API: the only mock in the suite, at the HTTP boundary.

It serves the two requests the warm transfer makes (create a call, update a call) under
``/2010-04-01/Accounts/{AccountSid}/Calls[...].json`` with HTTP basic auth, records every request, and
posts SIGNED status callbacks (``X-Twilio-Signature`` computed with ``twilio.request_validator``) to the
``StatusCallback`` URL it was given, the way Twilio does: ``initiated``, ``ringing``, then what the test
scripted for that number (``in-progress`` for an answer, or ``no-answer``/``busy``/``failed``), and
``completed`` when a call ends. It runs on its own thread and event loop, so a test's loop (and a server
in another thread) never waits on it.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from twilio.request_validator import RequestValidator

EVENT_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress", "completed": "completed"}


@dataclass
class FakeCall:
    sid: str
    to: str
    from_: str
    twiml: str
    status_callback: str | None
    events: list[str]
    created_at: float
    status: str = "queued"
    updates: list[dict[str, str]] = field(default_factory=list)


@dataclass
class LogEntry:
    seq: int
    ts: float
    kind: str  # "create" | "update" | "callback"
    sid: str
    data: dict[str, Any]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeTwilio:
    def __init__(self, account_sid: str = "AC" + "f" * 32, auth_token: str = "fake-auth-token") -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.calls: dict[str, FakeCall] = {}
        self.requests: list[dict[str, Any]] = []
        self.log: list[LogEntry] = []
        # what happens after "ringing", per number: "answer", "no-answer", "busy", "failed", or "manual"
        self.plans: dict[str, str] = {}
        self.default_plan = "manual"
        self.ring_s = 0.3  # time between progress callbacks
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = self._make_app()

    # ---- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeTwilio:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._loop.call_soon(ready.set)
            self._loop.run_until_complete(self._server.serve())

        self._thread = threading.Thread(target=run, name="fake-twilio", daemon=True)
        self._thread.start()
        ready.wait(5)
        deadline = time.time() + 10
        while not self._server.started and time.time() < deadline:
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- test-side helpers (thread-safe) -------------------------------------------------------
    def _record(self, kind: str, sid: str, **data: Any) -> None:
        with self._lock:
            self.log.append(LogEntry(next(self._seq), time.time(), kind, sid, data))

    def created(self) -> list[FakeCall]:
        return sorted(self.calls.values(), key=lambda c: c.created_at)

    def entries(self, kind: str | None = None, sid: str | None = None) -> list[LogEntry]:
        with self._lock:
            return [e for e in self.log if (kind is None or e.kind == kind) and (sid is None or e.sid == sid)]

    def post_status(self, sid: str, status: str) -> int:
        """Post a signed status callback for ``sid`` now; returns the HTTP status our server gave."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(self._callback(self.calls[sid], status), self._loop).result(10)

    def post_raw(self, url: str, params: dict[str, str], signature: str) -> int:
        """Post a callback with any signature (to check that forgeries are refused)."""
        r = httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)
        return r.status_code

    def signature(self, url: str, params: dict[str, str]) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    # ---- the fake API --------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        want = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("authorization", "") == f"Basic {want}"

    def _make_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/2010-04-01/Accounts/{account}/Calls.json")
        async def create_call(account: str, request: Request) -> JSONResponse:
            form = await request.form()
            self.requests.append({"method": "POST", "path": request.url.path, "form": list(form.multi_items())})
            if account != self.account_sid or not self._authorised(request):
                return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
            if not form.get("To") or not form.get("From") or not (form.get("Twiml") or form.get("Url")):
                return JSONResponse({"code": 21201, "message": "missing parameter", "status": 400}, status_code=400)
            call = FakeCall(
                sid="CA" + secrets.token_hex(16),
                to=str(form["To"]),
                from_=str(form["From"]),
                twiml=str(form.get("Twiml") or ""),
                status_callback=str(form["StatusCallback"]) if form.get("StatusCallback") else None,
                events=[str(v) for k, v in form.multi_items() if k == "StatusCallbackEvent"],
                created_at=time.time(),
            )
            self.calls[call.sid] = call
            self._record("create", call.sid, to=call.to, twiml=call.twiml, status_callback=call.status_callback)
            plan = self.plans.get(call.to, self.default_plan)
            asyncio.get_running_loop().create_task(self._progress(call, plan))
            return JSONResponse(self._resource(call.sid, call.to, call.from_, "queued"), status_code=201)

        @app.post("/2010-04-01/Accounts/{account}/Calls/{sid}.json")
        async def update_call(account: str, sid: str, request: Request) -> JSONResponse:
            form = await request.form()
            params = {k: str(v) for k, v in form.multi_items()}
            self.requests.append({"method": "POST", "path": request.url.path, "form": list(form.multi_items())})
            if account != self.account_sid or not self._authorised(request):
                return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, status_code=401)
            self._record("update", sid, **params)
            call = self.calls.get(sid)
            if call is not None:  # one of ours (a human line)
                call.updates.append(params)
                if params.get("Status") in ("canceled", "completed") and call.status not in ("completed",):
                    call.status = params["Status"]
            # the caller's own call came in through Twilio, not through this API: accept updates to it
            return JSONResponse(self._resource(sid, "", "", "in-progress"))

        return app

    def _resource(self, sid: str, to: str, from_: str, status: str) -> dict[str, Any]:
        return {
            "sid": sid, "account_sid": self.account_sid, "to": to, "from": from_, "status": status,
            "direction": "outbound-api", "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Calls/{sid}.json",
        }

    async def _progress(self, call: FakeCall, plan: str) -> None:
        for status in ("initiated", "ringing"):
            await asyncio.sleep(self.ring_s)
            if call.status in ("canceled", "completed"):
                return
            await self._callback(call, status)
        if plan == "manual":
            return
        await asyncio.sleep(self.ring_s)
        if call.status in ("canceled", "completed"):
            return
        await self._callback(call, "in-progress" if plan == "answer" else plan)

    async def _callback(self, call: FakeCall, status: str) -> int:
        call.status = status
        event = {v: k for k, v in EVENT_STATUS.items()}.get(status, "completed")
        if not call.status_callback or (event != "completed" and event not in call.events):
            return 0
        params = {
            "AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "CallSid": call.sid,
            "CallStatus": status, "Direction": "outbound-api", "From": call.from_, "To": call.to,
            "CallbackSource": "call-progress-events", "SequenceNumber": str(len(call.updates)),
            "Timestamp": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()),
        }
        sig = self.signature(call.status_callback, params)
        async with httpx.AsyncClient(timeout=10) as client:
            r = await client.post(call.status_callback, data=params, headers={"X-Twilio-Signature": sig})
        self._record("callback", call.sid, status=status, http=r.status_code)
        return r.status_code
