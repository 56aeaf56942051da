"""End to end over Twilio: a caller on the real server (Twilio Media Streams, real speech, real models)
says something high-risk; the Twilio adapter works through the human lines against the fake Twilio REST
API (tests/fake_twilio.py, which posts SIGNED status callbacks back to the real server): no answer,
no answer, then the crisis line answers, and only then is the caller's call moved into the conference."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time

import numpy as np

from tests.fake_twilio import FakeTwilio
from tests.voice.live import LiveServer
from tests.voice.speech import normalize_words, synth_speech
from voice.client import SimulatedCaller, split_turns

HIGH_RISK = "I have a plan to kill myself tonight."


async def wait_until(cond, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cond():
            return True
        await asyncio.sleep(0.05)
    return bool(cond())


async def test_twilio_warm_transfer_down_the_list_to_the_crisis_line(tmp_path):
    with FakeTwilio() as fake:
        fake.plans = {"+15550001111": "no-answer", "+15550002222": "no-answer", "988": "answer"}
        fake.ring_s = 0.5
        with LiveServer(tmp_path, human_line="+15550001111,+15550002222", crisis_line="988",
                        transfer_ring_timeout_s=20.0, twilio_api_base=fake.base_url,
                        twilio_account_sid=fake.account_sid, twilio_auth_token=fake.auth_token,
                        twilio_from_number="+15557770000") as server:
            server.settings.public_url = server.url  # where the fake posts its callbacks
            manager = server.app.state.safety.services["transfers"]
            assert "twilio" in manager.adapters
            caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
            await caller.connect()
            filler = None
            try:
                await caller.wait_reply(0.0, start_timeout=8.0)
                pcm = synth_speech(HIGH_RISK, "espeak")
                segs = split_turns(pcm, min_gap_ms=10_000, min_speech_ms=0)
                await caller.speak(pcm[: segs[-1].end])
                speech_end_wall = time.time()  # the last voiced frame has just gone out (paced in real time)
                filler = asyncio.create_task(caller.keep_line_open(60.0))
                opened = await caller.wait_event("escalation.opened", within=10.0)
                assert opened is not None, [e for e in caller.events if e["event"] in ("call.transcript", "risk.assessed")]
                assert opened["ts"] - speech_end_wall <= 1.0, opened["ts"] - speech_end_wall
                esc_id = opened["escalation_id"]

                assert await wait_until(lambda: fake.entries("update", caller.call_sid), 45), \
                    [(e.kind, e.data.get("status")) for e in fake.log]
                human_calls = fake.created()
                assert [c.to for c in human_calls] == ["+15550001111", "+15550002222", "988"]
                conference = f"warmline-{caller.call_sid}"
                for c in human_calls:
                    # the human hears the brief first, then joins the caller's conference
                    assert c.twiml.index("<Say>Warmline handoff. Risk level") < c.twiml.index(f">{conference}</Conference>")
                    assert "kill myself" in c.twiml.lower()
                    assert c.status_callback.startswith(f"{server.url}/twilio/status?escalation={esc_id}")
                # the caller joined the same conference, and only after the signed "answered" callback
                answered = [e for e in fake.entries("callback", human_calls[2].sid) if e.data["status"] == "in-progress"]
                assert answered and answered[0].data["http"] == 204
                update = fake.entries("update", caller.call_sid)[0]
                assert update.seq > answered[0].seq
                assert f">{conference}</Conference>" in update.data["Twiml"]
                for c in human_calls[:2]:  # each no-answer was a signed callback the server accepted
                    [na] = [e for e in fake.entries("callback", c.sid) if e.data["status"] == "no-answer"]
                    assert na.data["http"] == 204 and na.seq < fake.entries("create", human_calls[2].sid)[0].seq

                connected = await caller.wait_event("transfer.connected", within=5.0)
                assert connected is not None
                failed = [e for e in caller.events if e["event"] == "transfer.failed"]
                assert [e["reason"] for e in failed] == ["no-answer", "no-answer"]
                rings = [e for e in caller.events if e["event"] == "transfer.ringing"]
                assert [e["attempt"] for e in rings] == [1, 2, 3]
                # the caller was told before the crisis line was tried
                said = [e["text"] for e in caller.events if e["event"] == "call.reply" and e.get("source") == "transfer"]
                assert any("crisis line" in t for t in said), said
                heard = " ".join(normalize_words(" ".join(said)))
                assert re.search(r"bringing in (a|the) person", heard), heard
                assert np.abs(caller.received_audio()).max() > 1000
            finally:
                if filler is not None:
                    filler.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await filler
                await caller.hangup()  # Twilio ends the media stream once the call is in the conference
            # ...which does not end the call (a media fork takes over: test_transfer_twilio_fork.py); the
            # caller hanging up does: Twilio's signed "completed" callback for the caller's own call
            assert server.board.calls and manager.get(esc_id).caller_left_at is None
            update = fake.entries("update", caller.call_sid)[0]
            url = update.data["StatusCallback"]
            params = {"CallSid": caller.call_sid, "CallStatus": "completed", "AccountSid": fake.account_sid}
            assert await asyncio.to_thread(fake.post_raw, url, params, fake.signature(url, params)) == 204
            assert await wait_until(lambda: manager.get(esc_id).caller_left_at is not None, 5)
            esc = manager.get(esc_id)
            assert esc.connected_via == "twilio" and not esc.abandoned and esc.target == "988"
