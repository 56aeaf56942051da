"""The SIP stack on its own (voice/transports/sip_stack.py, pjsua2) against a real baresip phone:
audio both ways through RTP and the jitter buffer at 20 ms PCM16 16 kHz, G.711 and G.722, RFC 4733
DTMF, hold/resume by re-INVITE, BYE from either side, and outbound calls. No call loop here: an echo
application sends back what it hears, and ASR checks what the phone recorded."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from tests.voice.sip_peer import BaresipPeer, free_port, free_port_range, require_baresip
from voice.transports.base import FRAME_BYTES
from voice.transports.sip_stack import SipConfig, SipLeg, SipStack

pytestmark = [pytest.mark.sip, pytest.mark.timeout(120)]

SENTENCE = "Glue the sheet to the dark blue background. It is easy to tell the depth of a well."


class EchoApp:
    """Sends every frame a caller sends back to them, and records what happened."""

    def __init__(self) -> None:
        self.legs: list[SipLeg] = []
        self.dtmf: list[str] = []
        self.holds: list[bool] = []
        self.frames_in = 0
        self.voiced_frames_in = 0
        self.new_leg = asyncio.Event()

    def on_incoming(self, leg: SipLeg) -> None:
        self.legs.append(leg)

        def on_audio(frame: bytes) -> None:
            assert len(frame) == FRAME_BYTES
            self.frames_in += 1
            if np.abs(np.frombuffer(frame, dtype=np.int16)).max() > 1000:
                self.voiced_frames_in += 1
            leg.send(frame)

        leg.on_audio = on_audio
        leg.on_dtmf = self.dtmf.append
        leg.on_hold = self.holds.append
        self.new_leg.set()


@pytest.fixture(scope="module")
def stack_port():
    require_baresip()
    return free_port()


@pytest.fixture
async def echo_stack(stack_port):
    app = EchoApp()
    cfg = SipConfig(host="127.0.0.1", port=stack_port, rtp_port=free_port_range(40), rtp_port_range=40)
    stack = SipStack(cfg, app.on_incoming)
    await stack.start()
    try:
        yield stack, app
    finally:
        await stack.stop()


async def wait_for(pred, within: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if pred():
            return True
        await asyncio.sleep(step)
    return bool(pred())


def _mic(synth_speech, lead_s: float = 0.5, tail_s: float = 8.0) -> np.ndarray:
    speech = synth_speech(SENTENCE)
    return np.concatenate([np.zeros(int(16000 * lead_s), np.int16), speech,
                           np.zeros(int(16000 * tail_s), np.int16)])


async def _transcribe(transcriber, pcm: np.ndarray) -> str:
    res = await transcriber.transcribe(pcm)
    return res.text if res is not None else ""


@pytest.mark.parametrize("codec", ["PCMU/8000/1", "PCMA/8000/1", "G722/16000/1"])
async def test_echo_call_audio_dtmf_hold_and_bye(echo_stack, tmp_path, synth_speech, transcriber, speech, codec):
    stack, app = echo_stack
    peer = BaresipPeer(tmp_path, "caller", _mic(synth_speech), codec=codec).start()
    try:
        peer.dial(f"sip:line@127.0.0.1:{stack.config.port}")
        assert await asyncio.to_thread(peer.established, 10), peer.log()
        assert await wait_for(lambda: app.legs, 5)
        leg = app.legs[0]
        assert await wait_for(lambda: leg.codec, 5)
        assert leg.codec.upper() == codec.split("/")[0]
        # the sentence goes out and comes straight back; wait until it has played through
        assert await wait_for(lambda: app.voiced_frames_in > 50, 10), app.frames_in
        settled = 0
        while settled < 10:  # 1 s with no new voiced frames
            before = app.voiced_frames_in
            await asyncio.sleep(0.1)
            settled = settled + 1 if app.voiced_frames_in == before else 0
        await asyncio.to_thread(peer.dtmf, "1#")
        assert await wait_for(lambda: app.dtmf == ["1", "#"], 5), app.dtmf
        peer.hold()
        assert await wait_for(lambda: leg.held, 5), "re-INVITE to hold was not seen"
        peer.resume()
        assert await wait_for(lambda: not leg.held, 5), "re-INVITE to resume was not seen"
        assert app.holds == [True, False]
        peer.hangup()
        assert await wait_for(leg.ended.is_set, 5), "BYE from the phone did not end the leg"
        assert stack.active_calls == 0 or await wait_for(lambda: stack.active_calls == 0, 2)
    finally:
        peer.stop()
    heard = peer.heard()
    assert heard.size > 16000 * 3, f"the phone recorded only {heard.size / 16000:.1f} s"
    text = await _transcribe(transcriber, heard)
    assert speech.wer(SENTENCE, text) <= 0.3, text


async def test_a_calls_bridge_port_outlives_it_and_serves_the_next_call(echo_stack, tmp_path, synth_speech):
    """pjsip 2.15 frees a deleted bridge port while its clock thread still uses it, which corrupted
    the heap now and then at the end of a call (and took the server down). Ports are lent per call
    and taken back, never deleted: the next caller gets the same port, and it carries audio both ways."""
    stack, app = echo_stack
    lent = []
    for n in range(2):
        peer = BaresipPeer(tmp_path, f"caller{n}", _mic(synth_speech, tail_s=3.0)).start()
        try:
            peer.dial(f"sip:line@127.0.0.1:{stack.config.port}")
            assert await asyncio.to_thread(peer.established, 10), peer.log()
            assert await wait_for(lambda n=n: len(app.legs) == n + 1, 5)
            leg = app.legs[n]
            voiced_before = app.voiced_frames_in
            assert await wait_for(lambda v=voiced_before: app.voiced_frames_in > v + 50, 10), app.frames_in
            port = await stack.run(lambda call_id=leg.call_id: stack._calls[call_id].port)
            assert port is not None and port.queue is leg.queue
            lent.append(port)
            await asyncio.sleep(1.0)  # let the echo play back to the phone
            peer.hangup()
            assert await wait_for(leg.ended.is_set, 5)
            assert await wait_for(lambda: stack.active_calls == 0, 2)
        finally:
            peer.stop()
        assert port.queue is None, "a port given back still feeds the old call"
        heard = peer.heard()
        assert heard.size and int(np.abs(heard).max()) > 1000, "the phone heard no echo through the port"
        await asyncio.sleep(stack._ports.quarantine_s + 0.1)
    assert lent[0] is lent[1], "the second call did not reuse the first call's port"
    assert stack._ports.size == 1


async def test_outbound_call_hangup_and_unreachable(echo_stack, tmp_path, synth_speech, transcriber, speech):
    stack, _app = echo_stack
    human = BaresipPeer(tmp_path, "human", np.zeros(16000 * 30, np.int16), auto_answer=True).start()
    try:
        leg = await stack.dial(human.uri)
        await asyncio.wait_for(leg.confirmed.wait(), 10)
        await asyncio.wait_for(leg.media_ready.wait(), 5)
        # speak a sentence to the person, in 20 ms frames, as the transfer's brief does
        pcm = np.concatenate([synth_speech(SENTENCE), np.zeros(8000, np.int16)])
        data = pcm.tobytes()
        for i in range(0, len(data) - FRAME_BYTES + 1, FRAME_BYTES):
            leg.send(data[i:i + FRAME_BYTES])
        played = asyncio.Event()
        loop = asyncio.get_running_loop()
        leg.queue.push_mark(lambda: loop.call_soon_threadsafe(played.set))
        await asyncio.wait_for(played.wait(), 15)  # the bridge clock took the last frame
        await asyncio.sleep(0.5)
        await leg.hangup()
        await asyncio.wait_for(leg.ended.wait(), 5)
        assert await asyncio.to_thread(human.terminated, 5), human.log()
    finally:
        human.stop()
    text = await _transcribe(transcriber, human.heard())
    assert speech.wer(SENTENCE, text) <= 0.3, text

    # nobody listening on that port: the attempt ends with a failure code, nothing hangs
    dead = await stack.dial(f"sip:nobody@127.0.0.1:{free_port()};transport=tcp")
    await asyncio.wait_for(dead.ended.wait(), 10)
    assert not dead.confirmed.is_set()
    assert dead.end_code >= 400


async def test_person_whose_phone_vanishes_is_hung_up_by_the_rtp_watchdog(tmp_path):
    """The dialer the warm transfer uses (voice/transports/sip.py): an answered person whose phone
    dies without a BYE is hung up after WARMLINE_SIP_RTP_TIMEOUT_S, so the transfer hears they left."""
    from safety.settings import Settings
    from voice.transports.sip import SipService

    settings = Settings(sip_listen=f"127.0.0.1:{free_port()}", sip_rtp_port=free_port_range(20),
                        sip_rtp_port_range=20, sip_rtp_timeout_s=2.0)
    service = SipService(board=None, settings=settings)  # no call loop needed to dial out
    await service.start()
    human = BaresipPeer(tmp_path, "human", np.zeros(16000 * 60, np.int16), auto_answer=True).start()
    try:
        call = await service.dialer.dial(human.uri)
        await asyncio.wait_for(call.answered.wait(), 10)
        await asyncio.sleep(1.5)
        assert call.active
        human.kill()
        await asyncio.wait_for(call.ended.wait(), 10)
        assert service.rtp_timeouts == 1
    finally:
        human.stop()
        await service.stop()


async def test_calls_beyond_max_calls_get_busy_here(tmp_path):
    """WARMLINE_SIP_MAX_CALLS: the next caller gets 486 Busy Here (Kamailio then tries another worker)."""
    app = EchoApp()
    cfg = SipConfig(host="127.0.0.1", port=free_port(), rtp_port=free_port_range(20), rtp_port_range=20, max_calls=1)
    stack = SipStack(cfg, app.on_incoming)
    await stack.start()
    first = BaresipPeer(tmp_path, "first", np.zeros(16000 * 30, np.int16)).start()
    second = BaresipPeer(tmp_path, "second", np.zeros(16000 * 30, np.int16)).start()
    try:
        first.dial(f"sip:line@127.0.0.1:{cfg.port}")
        assert await asyncio.to_thread(first.established, 10), first.log()
        second.dial(f"sip:line@127.0.0.1:{cfg.port}")
        assert await asyncio.to_thread(second.wait_log, "486", 10), second.log()
        assert len(app.legs) == 1 and app.legs[0].active
    finally:
        first.stop()
        second.stop()
        await stack.stop()
