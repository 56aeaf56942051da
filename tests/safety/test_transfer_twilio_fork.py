"""Twilio warm transfer, after the human answers: the caller's call moves into the conference, which
ends its bidirectional media stream, and the same TwiML forks the caller's voice back to us with
``<Start><Stream track="inbound_track">``. The fork attaches to the SAME live call: recognition and
risk tracking go on (the console sees the raised level), nothing is sent back on the fork, and the
call ends once, when the fork stops. Real server, real models, real speech; the only fake is Twilio's
REST API (tests/fake_twilio.py, which posts signed status callbacks)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import re
import time
import uuid

import httpx
import numpy as np
from websockets.asyncio.client import connect

from tests.fake_twilio import FakeTwilio
from tests.voice.live import LiveServer
from tests.voice.speech import normalize_words, synth_speech
from voice.audio import ulaw_encode
from voice.client import SimulatedCaller, split_turns

HIGH_RISK = "I have a plan to kill myself tonight."
IN_CONFERENCE = "I have the pills in my hand right now."
HUMAN = "+15550001111"


async def wait_until(cond, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cond():
            return True
        await asyncio.sleep(0.05)
    return bool(cond())


class TwilioFork:
    """What Twilio opens for ``<Start><Stream>``: a unidirectional stream of the caller's inbound track."""

    def __init__(self, ws_url: str, call_sid: str, params: dict[str, str]) -> None:
        self.ws_url = ws_url
        self.call_sid = call_sid
        self.params = params
        self.stream_sid = "MZ" + uuid.uuid4().hex
        self.received: list[str] = []
        self._seq = 0
        self._chunk = 0
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def _send(self, obj: dict) -> None:
        self._seq += 1
        await self._ws.send(json.dumps({"sequenceNumber": str(self._seq), **obj}))

    async def open(self) -> None:
        self._ws = await connect(self.ws_url, max_size=None, compression=None)
        self._reader = asyncio.create_task(self._read())
        await self._ws.send(json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
        await self._send({
            "event": "start", "streamSid": self.stream_sid,
            "start": {"accountSid": "AC" + "0" * 32, "streamSid": self.stream_sid, "callSid": self.call_sid,
                      "tracks": ["inbound"], "customParameters": self.params,
                      "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}},
        })

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for msg in self._ws:
                self.received.append(msg if isinstance(msg, str) else "<binary>")

    async def send_8k(self, pcm8) -> None:
        """8 kHz PCM as 20 ms inbound-track media messages, in real time."""
        t_next = time.monotonic()
        for i in range(0, len(pcm8) - 159, 160):
            self._chunk += 1
            await self._send({"event": "media", "streamSid": self.stream_sid,
                              "media": {"track": "inbound", "chunk": str(self._chunk),
                                        "timestamp": str(self._chunk * 20),
                                        "payload": base64.b64encode(ulaw_encode(pcm8[i:i + 160])).decode()}})
            t_next += 0.02
            await asyncio.sleep(max(0.0, t_next - time.monotonic()))

    async def stop(self) -> None:
        await self._send({"event": "stop", "streamSid": self.stream_sid,
                          "stop": {"accountSid": "AC" + "0" * 32, "callSid": self.call_sid}})

    async def closed_by_server(self, within: float = 5.0) -> int | None:
        await asyncio.wait_for(self._reader, within)
        return self._ws.close_code

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)


async def test_conference_fork_keeps_recognition_and_risk_on_the_same_call(tmp_path):
    with FakeTwilio() as fake:
        fake.plans = {HUMAN: "answer"}
        fake.ring_s = 0.3
        with LiveServer(tmp_path, human_line=HUMAN, crisis_line="988", transfer_ring_timeout_s=20.0,
                        twilio_api_base=fake.base_url, twilio_account_sid=fake.account_sid,
                        twilio_auth_token=fake.auth_token, twilio_from_number="+15557770000") as server:
            server.settings.public_url = server.url  # where the fake posts callbacks; the fork's ws:// base
            manager = server.app.state.safety.services["transfers"]
            caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
            await caller.connect()
            filler = fork = None
            try:
                await caller.wait_reply(0.0, start_timeout=8.0)
                pcm = synth_speech(HIGH_RISK, "piper")
                await caller.speak(pcm[: split_turns(pcm, min_gap_ms=10_000, min_speech_ms=0)[-1].end])
                filler = asyncio.create_task(caller.keep_line_open(60.0))
                opened = await caller.wait_event("escalation.opened", within=10.0)
                assert opened is not None
                call_id = opened["call_id"]

                # the human answers (signed callback): the caller's call gets the fork, then the conference
                assert await wait_until(lambda: fake.entries("update", caller.call_sid), 40)
                update = fake.entries("update", caller.call_sid)[0].data
                twiml = update["Twiml"]
                ws_url = server.url.replace("http://", "ws://") + "/twilio/media"
                start = re.search(r"<Start><Stream ([^>]*)>(.*?)</Stream></Start>", twiml)
                assert start is not None, twiml
                assert 'track="inbound_track"' in start.group(1) and f'url="{ws_url}"' in start.group(1)
                assert f'<Parameter name="warmline_call_id" value="{call_id}" />' in start.group(2)
                assert start.start() < twiml.index(f">warmline-{caller.call_sid}</Conference></Dial>")
                assert update["StatusCallback"] == f"{server.url}/twilio/caller-status?call={call_id}"
                assert await caller.wait_event("transfer.connected", within=10.0) is not None

                # Twilio ends the bidirectional stream once the caller is in the conference...
                filler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await filler
                await caller._send_json({"event": "stop", "streamSid": caller.stream_sid,
                                         "stop": {"accountSid": "AC" + "0" * 32, "callSid": caller.call_sid}})
                await caller._ws.close()
                await asyncio.sleep(1.0)
                # ...which is not the end of the call
                assert call_id in server.board.calls
                assert not [e for e in caller.events if e["event"] == "call.ended"]

                # the fork, as Twilio opens it: the caller keeps talking, to the human
                n_before = len(caller.events)
                fork = TwilioFork(ws_url, caller.call_sid, {"warmline_call_id": call_id})
                await fork.open()
                await fork.send_8k(synth_speech(IN_CONFERENCE, "piper", rate=8000))
                await fork.send_8k(np.zeros(8000 * 2, dtype=np.int16))  # a phone keeps sending while listening

                def later(name):
                    return [e for e in caller.events[n_before:] if e["event"] == name and e["call_id"] == call_id]

                assert await wait_until(lambda: any(
                    e["final"] and "pills" in normalize_words(e["text"]) for e in later("call.transcript")), 15), \
                    later("call.transcript")
                assert await wait_until(lambda: any(
                    e["call_level"] == "imminent" for e in later("risk.assessed")), 5), \
                    [(e["text"], e["call_level"], e["signals"]) for e in caller.events if e["event"] == "risk.assessed"]
                final = [e for e in later("risk.assessed") if e["final"] and e["call_level"] == "imminent"]
                assert final and "pills" in normalize_words(final[0]["text"])
                # the line stays silent for the human conversation: nothing said, nothing sent on the fork
                assert not later("call.reply")
                assert fork.received == []
                esc = manager.get(opened["escalation_id"])
                assert esc.level == "imminent" and any(s["step"] == "risk_raised" for s in esc.steps)

                # the caller leaves the conference: Twilio stops the fork, and the call ends, once
                await fork.stop()
                assert await wait_until(lambda: call_id not in server.board.calls, 10)
                await asyncio.wait_for(caller.ended.wait(), 5)
                ended = [e for e in caller.events if e["event"] == "call.ended"]
                assert len(ended) == 1 and ended[0]["call_id"] == call_id and ended[0]["reason"] == "hangup"
                await fork.close()
                assert fork.received == []
                assert await wait_until(lambda: manager.get(esc.id).caller_left_at is not None, 5)
                assert manager.get(esc.id).connected_via == "twilio"
            finally:
                if filler is not None and not filler.done():
                    filler.cancel()
                if fork is not None:
                    await fork.close()
                await caller.close()


async def test_fork_with_an_unknown_call_id_attaches_to_nothing(tmp_path):
    """A stream that names a call it does not belong to (wrong CallSid, or a call expecting no fork)
    is refused, and the live call is untouched."""
    with LiveServer(tmp_path) as server:
        caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
        await caller.connect()
        try:
            await caller.wait_event("call.started", within=10.0)
            call_id = caller.call_id
            ws_url = server.url.replace("http://", "ws://") + "/twilio/media"
            for sid, cid in ((caller.call_sid, call_id), ("CA" + "9" * 32, call_id), (caller.call_sid, "nope")):
                fork = TwilioFork(ws_url, sid, {"warmline_call_id": cid})
                await fork.open()
                assert await fork.closed_by_server() == 1008, (sid, cid)
            assert call_id in server.board.calls
            assert not [e for e in caller.events if e["event"] == "call.ended"]
        finally:
            await caller.hangup()


async def test_caller_status_completed_ends_a_call_in_the_conference(tmp_path):
    """The signed status callback for the caller's own call (set when it joined the conference) ends
    the session even if no fork ever said stop; unsigned ones change nothing."""
    with FakeTwilio() as fake:
        with LiveServer(tmp_path, twilio_auth_token=fake.auth_token) as server:
            server.settings.public_url = server.url
            caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
            await caller.connect()
            try:
                await caller.wait_event("call.started", within=10.0)
                url = f"{server.url}/twilio/caller-status?call={caller.call_id}"
                params = {"CallSid": caller.call_sid, "CallStatus": "completed", "AccountSid": fake.account_sid}
                async with httpx.AsyncClient(timeout=10) as http:
                    r = await http.post(url, data=params, headers={"X-Twilio-Signature": "forged"})
                    assert r.status_code == 403
                    assert caller.call_id in server.board.calls
                    r = await http.post(url, data=params,
                                        headers={"X-Twilio-Signature": fake.signature(url, params)})
                    assert r.status_code == 204
                assert await wait_until(lambda: caller.call_id not in server.board.calls, 5)
                ended = await caller.wait_event("call.ended", within=5.0)
                assert ended is not None and ended["reason"] == "hangup"
            finally:
                await caller.close()
