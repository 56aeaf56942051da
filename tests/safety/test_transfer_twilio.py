"""The Twilio adapter against the fake Twilio REST API (tests/fake_twilio.py), with its status
callbacks going to the real callback routes over HTTP and checked for Twilio's signature."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI

from safety.bus import TRANSFER_CONNECTED, TRANSFER_FAILED, TRANSFER_RINGING
from safety.transfer import holdtalk
from safety.transfer.adapters.twilio import TwilioAdapter
from safety.transfer.clock import RealClock
from safety.transfer.twilio_routes import router as twilio_router
from tests.fake_twilio import FakeTwilio, free_port
from tests.safety.transfer_doubles import FakeLink, drain, high_risk, make_manager

CALLER_SID = "CA" + "c" * 32


class CallbackServer:
    """Just the transfer's Twilio routes, served over real HTTP for the fake to call."""

    def __init__(self, runtime, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        app = FastAPI()
        app.state.safety = runtime
        app.include_router(twilio_router)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started and time.time() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def fake():
    with FakeTwilio() as f:
        yield f


async def wait_for(cond, within: float = 10.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cond():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def drain_until(sub, name: str, within: float = 10.0) -> list:
    """Every event so far, waiting until one called `name` has arrived."""
    events: list = []
    deadline = time.monotonic() + within
    while not any(e.name == name for e in events):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {name} event in time; got {[e.name for e in events]}")
        events += drain(sub)
        await asyncio.sleep(0.02)
    return events


def setup_transfer(fake: FakeTwilio, port: int, **extra):
    settings = dict(
        human_line="+15550001111,+15550002222", crisis_line="988", transfer_ring_timeout_s=20.0,
        twilio_api_base=fake.base_url, public_url=f"http://127.0.0.1:{port}", twilio_from_number="+15557770000",
        twilio_account_sid=fake.account_sid, twilio_auth_token=fake.auth_token,
    )
    settings.update(extra)
    manager, runtime = make_manager(RealClock(), **settings)
    manager.register_adapter(TwilioAdapter(manager))
    return manager, runtime


async def test_no_answer_then_busy_then_crisis_line_answers_and_caller_joins_only_after_signed_callback(fake):
    fake.plans = {"+15550001111": "no-answer", "+15550002222": "busy", "988": "manual"}
    port = free_port()
    manager, runtime = setup_transfer(fake, port)
    with CallbackServer(runtime, port):
        sub = runtime.bus.subscribe()
        link = FakeLink(RealClock(), transport="twilio", sid=CALLER_SID, words_per_s=200.0)
        esc_id = await manager.start(link, *high_risk())

        await wait_for(lambda: len(fake.calls) == 3 and fake.created()[-1].status == "ringing", 15)
        first, second, crisis = fake.created()
        assert [c.to for c in (first, second, crisis)] == ["+15550001111", "+15550002222", "988"]
        # the human's call speaks the brief, then joins the caller's conference
        for c in (first, second, crisis):
            assert c.from_ == "+15557770000"
            assert "<Say>Warmline handoff. Risk level high, suicide." in c.twiml
            assert "I have a plan to end it tonight" in c.twiml
            assert f">warmline-{CALLER_SID}</Conference>" in c.twiml
            assert c.twiml.index("<Say>") < c.twiml.index("<Conference")
            assert c.status_callback.startswith(f"http://127.0.0.1:{port}/twilio/status?escalation={esc_id}")
            assert set(c.events) >= {"answered", "completed"}
        assert "Callback number: 1 5 5 5 1 2 3 4 5 6 7." in first.twiml
        # the brief to a later target says what has been tried already
        assert "tried the number ending 1 1: no-answer" in crisis.twiml and "busy" in crisis.twiml
        # nothing has touched the caller's call yet
        assert fake.entries("update", CALLER_SID) == []

        # a forged "answered" callback is refused and changes nothing
        params = {"CallSid": crisis.sid, "CallStatus": "in-progress", "AccountSid": fake.account_sid}
        assert await asyncio.to_thread(fake.post_raw, crisis.status_callback, params, "bm90IGEgc2lnbmF0dXJl") == 403
        assert await asyncio.to_thread(fake.post_raw, crisis.status_callback, params, "") == 403
        await asyncio.sleep(0.3)
        assert fake.entries("update", CALLER_SID) == [] and manager.get(esc_id).connected_at is None

        # the signed one connects: the caller's call is updated into the same conference
        assert await asyncio.to_thread(fake.post_status, crisis.sid, "in-progress") == 204
        await wait_for(lambda: fake.entries("update", CALLER_SID), 10)
        update = fake.entries("update", CALLER_SID)[0]
        answered = [e for e in fake.entries("callback", crisis.sid) if e.data["status"] == "in-progress"][0]
        assert update.seq > answered.seq
        twiml = update.data["Twiml"]
        assert f">warmline-{CALLER_SID}</Conference>" in twiml
        assert f'waitUrl="http://127.0.0.1:{port}/twilio/hold"' in twiml and "/twilio/voice" in twiml

        # the connected event is published just after the caller's update returns
        events = await drain_until(sub, TRANSFER_CONNECTED)
        rings = [e.data["target"] for e in events if e.name == TRANSFER_RINGING]
        failed = [(e.data["target"], e.data["reason"]) for e in events if e.name == TRANSFER_FAILED]
        connected = [e.data for e in events if e.name == TRANSFER_CONNECTED]
        assert rings == ["+15550001111", "+15550002222", "988"]
        assert failed == [("+15550001111", "no-answer"), ("+15550002222", "busy")]
        assert connected == [{"escalation_id": esc_id, "target": "988", "operator": None}]
        said = [t for _, _, t in link.said]
        assert said[0] == holdtalk.BRIDGING
        assert holdtalk.TRYING_NEXT in said
        assert holdtalk.CRISIS_LINE_NEXT.format(crisis="9 8 8") in said
        assert said.index(holdtalk.CRISIS_LINE_NEXT.format(crisis="9 8 8")) < said.index(holdtalk.CONNECTING_PHONE)
        assert link.human_connected[-1][1] is True

        # the media stream ends when the caller moves into the conference: a hand-off, not an abandon
        link.hang_up_by_caller()
        await manager.on_call_ended(link.call_id)
        esc = manager.get(esc_id)
        assert esc.connected_via == "twilio" and not esc.abandoned
        assert manager.wallboard(active_calls=0)["answered"] == 1


async def test_ring_timeout_cancels_the_human_call_and_moves_on(fake):
    fake.plans = {"+15550001111": "manual", "+15550002222": "answer"}
    port = free_port()
    manager, runtime = setup_transfer(fake, port, transfer_ring_timeout_s=1.5)
    with CallbackServer(runtime, port):
        sub = runtime.bus.subscribe([TRANSFER_FAILED, TRANSFER_CONNECTED])
        link = FakeLink(RealClock(), transport="twilio", sid=CALLER_SID, words_per_s=200.0)
        await manager.start(link, *high_risk())
        events = await drain_until(sub, TRANSFER_CONNECTED, 15)
        first, second = fake.created()
        assert first.updates and first.updates[-1]["Status"] == "canceled"
        assert (events[0].name, events[0].data["reason"]) == (TRANSFER_FAILED, "timeout")
        assert events[1].name == TRANSFER_CONNECTED and events[1].data["target"] == "+15550002222"
        assert fake.entries("update", CALLER_SID)
        link.hang_up_by_caller()
        await manager.on_call_ended(link.call_id)


async def test_hold_words_for_the_conference_need_a_signature(fake):
    port = free_port()
    manager, runtime = setup_transfer(fake, port)
    with CallbackServer(runtime, port):
        url = f"http://127.0.0.1:{port}/twilio/hold"
        params = {"CallSid": CALLER_SID, "ConferenceSid": "CF1"}
        assert await asyncio.to_thread(fake.post_raw, url, params, "bad") == 403
        import httpx

        async with httpx.AsyncClient() as client:
            r = await client.post(url, data=params, headers={"X-Twilio-Signature": fake.signature(url, params)})
        assert r.status_code == 200 and "<Say>" in r.text and "<Play" not in r.text
