"""End to end, with every part real: a caller on the Twilio Media Streams protocol says something
high-risk in real speech; the line opens an escalation at once and tells the caller it is bringing in
a person; in real headless Chromium (fake microphone from a WAV of spoken words) an operator signs in,
sees the escalation ring, accepts it, and their voice reaches the caller's audio stream, where the
real recogniser reads it back; then the operator resolves it. Screenshots go to docs/img/."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from pathlib import Path

import numpy as np
import pytest

from safety.console import auth
from tests.voice.live import LiveServer
from tests.voice.speech import normalize_words, silence, synth_speech
from voice.audio import write_wav
from voice.client import SimulatedCaller, split_turns

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
PASSWORD = "correct horse battery"
HIGH_RISK = "I have a plan to kill myself tonight."
OPERATOR_SAYS = "Hello, my name is Sam. Thank you for waiting. Can you tell me where you are right now?"


def words(text: str) -> str:
    return " ".join(normalize_words(text))


def transcribe(pcm: np.ndarray) -> str:
    from voice.asr import get_transcriber

    result = get_transcriber().transcribe_sync(pcm.astype(np.int16))
    return result.text if result else ""


async def wait_until(cond, within: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if cond():
            return True
        await asyncio.sleep(step)
    return bool(cond())


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path, human_line="console", transfer_ring_timeout_s=120.0) as s:
        auth.create_operator(s.app.state.safety.services["records"], "alice", PASSWORD, "operator")
        yield s


async def test_escalation_to_an_operator_in_a_real_browser(server, tmp_path):
    from playwright.async_api import async_playwright

    mic = tmp_path / "operator.wav"
    write_wav(mic, np.concatenate([silence(600), synth_speech(OPERATOR_SAYS, "piper"), silence(900)]), 16000)
    manager = server.app.state.safety.services["transfers"]

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={mic}", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required",
        ])
        page = await (await browser.new_context(viewport={"width": 1360, "height": 860})).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            # the operator signs in
            await page.goto(server.url + "/console")
            await page.fill("#username", "alice")
            await page.fill("#password", PASSWORD)
            await page.click("#signin-button")
            await page.wait_for_selector("#app:not([hidden])", timeout=10_000)
            assert "alice (operator)" in await page.inner_text("#me-name")

            # the caller rings in over Twilio and, after the greeting, says something high-risk
            caller = SimulatedCaller(server.url, protocol="twilio", caller="+15550104477")
            await caller.connect()
            filler = None
            try:
                await caller.wait_reply(0.0, start_timeout=8.0)
                pcm = synth_speech(HIGH_RISK, "piper")
                segs = split_turns(pcm, min_gap_ms=10_000, min_speech_ms=0)
                await caller.speak(pcm[: segs[-1].end])
                speech_end = caller.now()
                speech_end_wall = time.time()  # the last voiced frame has just gone out (paced in real time)
                filler = asyncio.create_task(caller.keep_line_open(150.0))  # a phone keeps sending audio

                opened = await caller.wait_event("escalation.opened", within=10.0)
                assert opened is not None, "no escalation for a high-risk utterance"
                opened_after = opened["ts"] - speech_end_wall  # the server's publish time
                assert opened_after <= 1.0, f"escalation.opened {opened_after:.2f}s after the utterance"
                assert opened["level"] in ("high", "imminent") and opened["action"] in ("warm_transfer", "emergency_guidance")
                esc_id = opened["escalation_id"]

                # the console rings: the escalation is in the queue with a timer and the alarm on
                await page.wait_for_selector(f'.esc[data-esc="{esc_id}"] button[data-act="accept"]', timeout=10_000)
                assert await page.is_visible("#alarm")
                assert (await page.inner_text("#wb-waiting")).strip() == "1"

                # the caller hears the bridging words
                esc = manager.get(esc_id)
                assert await wait_until(lambda: any(s["step"] == "announced" for s in esc.steps), 20)
                heard = words(transcribe(caller.received_audio()[int(speech_end * 16000):]))
                assert re.search(r"bringing in (a|the) person", heard) and "stay" in heard, heard

                await page.click(f'.esc[data-esc="{esc_id}"]')  # select it: its details, no words yet
                await asyncio.sleep(1.2)  # let the waiting timer tick on screen
                await page.screenshot(path=str(DOCS_IMG / "console-queue.png"))

                # accept: the line hands over, then the operator's microphone reaches the caller
                await page.click(f'.esc[data-esc="{esc_id}"] button[data-act="accept"]')
                connected = await caller.wait_event("transfer.connected", within=30.0)
                assert connected is not None
                t_connected = connected["rx_s"]
                assert manager.get(esc_id).operator == "alice"
                await page.wait_for_function("window.warmlineAudio && window.warmlineAudio.sent > 50", timeout=15_000)
                await asyncio.sleep(9.0)  # the WAV loops: at least one whole sentence from the operator
                op_audio = caller.received_audio()[int(t_connected * 16000):]
                assert np.abs(op_audio).max() > 1000, "no operator audio reached the caller"
                heard_op = words(transcribe(op_audio[: 16000 * 25]))
                hits = [p for p in ("my name is sam", "thank you for waiting", "where you are") if p in heard_op]
                assert len(hits) >= 2, heard_op
                # and the caller's voice reached the operator's browser
                assert await page.evaluate("window.warmlineAudio.heard") > 50

                # the operator now sees the words, the brief and the risk strip
                await page.wait_for_selector("#brief:not([hidden])", timeout=5_000)
                assert "kill myself tonight" in (await page.inner_text("#transcript")).lower()
                assert "Risk level" in await page.inner_text("#brief")
                assert await page.locator("#riskstrip i").count() >= 1
                await page.fill("#notes", "Talked it through; agreed a safety plan and will call her sister.")
                await page.screenshot(path=str(DOCS_IMG / "console-call.png"))

                # resolve
                await page.select_option("#outcome", "safe_plan")
                await page.click("#resolve-button")
                resolved = await caller.wait_event("escalation.resolved", within=10.0)
                assert resolved is not None and resolved["outcome"] == "safe_plan"
                assert await wait_until(lambda: manager.get(esc_id).resolved_by == "alice", 5)
                await page.wait_for_function("document.querySelector('#wb-answered').textContent.trim() === '1'",
                                             timeout=5_000)
                await page.wait_for_selector("#queue-empty:not([hidden])", timeout=5_000)
                await page.screenshot(path=str(DOCS_IMG / "console-resolved.png"))
                print(f"\nescalation.opened {opened_after * 1000:.0f} ms after the utterance; "
                      f"answered in {manager.get(esc_id).connected_at - manager.get(esc_id).opened_at:.1f} s; "
                      f"operator heard as: {heard_op!r}")
            finally:
                if filler is not None:
                    filler.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await filler
                await caller.hangup()
            assert not errors, errors
        finally:
            await browser.close()
