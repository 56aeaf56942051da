"""End to end over real SIP: ``warmline serve`` with ``WARMLINE_SIP_LISTEN`` on a loopback port, called
by Debian's baresip (an independent SIP phone) with speech as its microphone. What the phone heard is
checked with the real ASR (voice/asr.py, tiny.en).

1. A caller is greeted (with the disclosure) and answered about what they said.
2. A high-risk caller is warm-transferred: the first human line fails (nobody there), the fallback
   chain moves on to the second, a baresip that auto-answers: the human hears the handoff brief, and
   the human's voice reaches the caller.
3. Bad SIP input (garbage datagrams, no common codec, a BYE for no call, a caller who vanishes
   without BYE) never takes the server down; the RTP watchdog ends the vanished call.

One server for the module (models load once); every process started here is killed at the end.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.voice.sip_peer import BaresipPeer, free_port, free_port_range, require_baresip

pytestmark = [pytest.mark.sip, pytest.mark.timeout(240)]

RATE = 16000
RTP_TIMEOUT_S = 4
HUMAN_WORDS = "Hi, my name is Sam. I am a volunteer with the crisis team, and I am here with you now."
CALLER_NUMBER = "15550100"


class Server:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        self.http_port = free_port()
        self.sip_port = free_port()
        self.human_port = free_port()
        self.dead_port = free_port()  # the first human line: nobody there (connection refused)
        self.rtp_base = free_port_range(60)
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sip_uri(self) -> str:
        return f"sip:warmline@127.0.0.1:{self.sip_port}"

    def start(self) -> None:
        env = dict(os.environ)
        env.update({
            "WARMLINE_SIP_LISTEN": f"127.0.0.1:{self.sip_port}",
            "WARMLINE_SIP_RTP_PORT": str(self.rtp_base),
            "WARMLINE_SIP_RTP_PORT_RANGE": "60",
            "WARMLINE_SIP_RTP_TIMEOUT_S": str(RTP_TIMEOUT_S),
            "WARMLINE_HUMAN_LINE": (f"sip:nobody@127.0.0.1:{self.dead_port};transport=tcp,"
                                    f"sip:human@127.0.0.1:{self.human_port}"),
            "WARMLINE_DATABASE_URL": f"sqlite:///{self.dir}/warmline.db",
            "WARMLINE_DATA_KEY_FILE": str(self.dir / "warmline.key"),
            "WARMLINE_LOG_LEVEL": "info",
        })
        exe = Path(sys.executable).with_name("warmline")
        self.proc = subprocess.Popen(
            [str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.http_port)],
            env=env, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"warmline serve exited ({self.proc.returncode}):\n{self.log()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200 and "sip: listening" in self.log():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"warmline serve did not become ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_log(self, pattern: str, timeout: float, count: int = 1) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(re.findall(pattern, self.log())) >= count:
                return True
            time.sleep(0.2)
        return False

    def healthy(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and \
            httpx.get(self.url + "/healthz", timeout=5).status_code == 200

    def died(self) -> str:
        """"" while the server runs; otherwise its exit code and the end of its log (a crash
        prints every thread's Python stack there: the server runs with faulthandler on)."""
        if self.proc is None or self.proc.poll() is None:
            return ""
        return f"warmline serve died (exit {self.proc.returncode}):\n{self.log()[-6000:]}"

    def metric(self, name: str, **labels: str) -> float:
        text = httpx.get(self.url + "/metrics", timeout=5).text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name + "{") and not line.startswith(name + " "):
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_baresip()
    srv = Server(tmp_path_factory.mktemp("sip-server"))
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture(autouse=True)
def _server_survives(server):
    """Whatever a test checked, the server must outlive it: if it died, say so with its last words."""
    if server.died():
        pytest.fail(server.died())
    yield
    if server.died():
        pytest.fail(server.died())


@pytest.fixture(scope="module")
def greeting_s(synth_speech) -> float:
    """How long the line's greeting lasts, so a caller can wait for it before speaking."""
    from dialogue.manager import DialogueManager

    text = DialogueManager(crisis_line="988").greeting()
    spoken = " ".join(p for p in text.parts if isinstance(p, str))
    return len(synth_speech(spoken)) / RATE


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds), np.int16)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z']+", text.lower()))


def _transcribe_windows(transcriber, pcm: np.ndarray, window_s: float = 20.0, hop_s: float = 10.0) -> str:
    """The whole recording as text, in overlapping windows (tiny.en reads at most 30 s at a time)."""
    texts = []
    step, size = int(RATE * hop_s), int(RATE * window_s)
    for start in range(0, max(1, len(pcm) - step), step):
        res = transcriber.transcribe_sync(pcm[start:start + size])
        if res is not None and res.text:
            texts.append(res.text)
    return " ".join(texts)


def test_caller_is_greeted_and_answered(server, tmp_path, synth_speech, transcriber, greeting_s):
    said = "Yes. I have been feeling really stressed about work and I can't sleep."
    utterance = synth_speech(said)
    lead = greeting_s + 1.5
    mic = np.concatenate([_silence(lead), utterance, _silence(12)])
    caller = BaresipPeer(tmp_path, CALLER_NUMBER, mic).start()
    try:
        caller.dial(server.sip_uri)
        assert caller.established(10), caller.log()
        # the phone hangs up by itself when its microphone file ends
        assert caller.terminated(len(mic) / RATE + 15), caller.log()
    finally:
        caller.stop()
    heard = caller.heard()
    assert len(heard) > RATE * (len(mic) / RATE - 3), f"recorded only {len(heard) / RATE:.1f} s"
    greeting = transcriber.transcribe_sync(heard[: int(RATE * lead)]).text
    reply = transcriber.transcribe_sync(heard[int(RATE * lead) + len(utterance):]).text
    print(f"baresip heard, greeting: {greeting!r}\nbaresip heard, reply: {reply!r}")
    g = _words(greeting)
    assert {"automated", "assistant"} <= g, greeting
    assert {"therapist", "emergency"} & g, greeting
    r = _words(reply)
    assert len(r) >= 5, reply
    assert {"stressed", "stress", "work", "sleep"} & r, f"the reply does not answer what was said: {reply!r}"
    assert server.wait_log(r"call \S+ ended: hangup", 10)
    assert server.healthy()


def test_high_risk_caller_is_bridged_to_a_sip_human(server, tmp_path, synth_speech, transcriber, greeting_s):
    human_voice = synth_speech(HUMAN_WORDS)
    human_mic = np.concatenate([np.concatenate([human_voice, _silence(1.5)])] * 25)
    human = BaresipPeer(tmp_path, "human", human_mic, auto_answer=True, sip_port=server.human_port).start()
    said = "Yes. I have pills saved up and I am going to take them all tonight."
    utterance = synth_speech(said)
    mic = np.concatenate([_silence(greeting_s + 1.5), utterance, _silence(120)])
    caller = BaresipPeer(tmp_path, CALLER_NUMBER, mic).start()
    try:
        caller.dial(server.sip_uri)
        assert caller.established(10), caller.log()
        assert human.established(greeting_s + 30), "the human line was never rung:\n" + server.log()[-3000:]
        assert server.wait_log(r"escalation \S+ opened", 5)
        assert server.wait_log(r"step transfer\.failed", 5), "the dead first target was not reported failed"
        # the brief is spoken to the human first; then the two calls are bridged inside Warmline
        assert server.wait_log(r"caller bridged to the SIP human line", 60), server.log()[-3000:]
        time.sleep(len(human_voice) / RATE * 2 + 3)  # the human's words, at least once in full
        caller.hangup()
        assert caller.terminated(5)
        # the caller left: Warmline hangs up on the human too
        assert human.terminated(10), human.log()
    finally:
        caller.stop()
        human.stop()
    brief = _transcribe_windows(transcriber, human.heard())
    heard = _transcribe_windows(transcriber, caller.heard())
    print(f"the human heard: {brief!r}\nthe caller heard: {heard!r}")
    b = _words(brief)
    assert {"handoff", "risk", "level", "high"} & b and "caller" in b, brief
    h = _words(heard)
    assert {"bringing", "person"} <= h, f"the caller was not told a person is coming: {heard!r}"
    assert {"volunteer", "sam"} & h and {"crisis", "team"} & h, f"the human's voice did not reach the caller: {heard!r}"
    assert server.healthy()


def _sip_request(port: int, method: str, *, body: str = "", to_tag: str | None = None, tcp: bool = False) -> list[int]:
    """Send one SIP request over UDP (or TCP) and return the status codes of the responses (up to the final)."""
    if tcp:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
    lp = s.getsockname()[1]
    to = f"<sip:warmline@127.0.0.1:{port}>" + (f";tag={to_tag}" if to_tag else "")
    msg = (
        f"{method} sip:warmline@127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/{'TCP' if tcp else 'UDP'} 127.0.0.1:{lp};branch=z9hG4bK{uuid.uuid4().hex[:16]};rport\r\n"
        f"Max-Forwards: 70\r\nFrom: <sip:{CALLER_NUMBER}@127.0.0.1:{lp}>;tag={uuid.uuid4().hex[:8]}\r\n"
        f"To: {to}\r\nCall-ID: {uuid.uuid4().hex}\r\nCSeq: 1 {method}\r\n"
        f"Contact: <sip:{CALLER_NUMBER}@127.0.0.1:{lp}>\r\n"
        + ("Content-Type: application/sdp\r\n" if body else "")
        + f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
    )
    codes: list[int] = []
    s.settimeout(5)
    try:
        if tcp:
            s.sendall(msg.encode())
        else:
            s.sendto(msg.encode(), ("127.0.0.1", port))
        while True:
            data = s.recv(65535)
            if not data:
                break
            codes.extend(int(m) for m in re.findall(rb"^SIP/2\.0 (\d{3})", data, re.MULTILINE))
            if codes and codes[-1] >= 200:
                break
    except TimeoutError:
        pass
    finally:
        s.close()
    return codes


NO_COMMON_CODEC_SDP = (
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 3 98\r\na=rtpmap:3 GSM/8000\r\na=rtpmap:98 FOO/8000\r\n"
)


def test_bad_sip_input_never_takes_the_server_down(server, tmp_path):
    port = server.sip_port
    assert _sip_request(port, "OPTIONS")[-1:] == [200]
    assert _sip_request(port, "OPTIONS", tcp=True)[-1:] == [200]

    # garbage datagrams: random bytes, a broken request, a stray response, empty keep-alives
    rng = random.Random(8)
    g = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _ in range(300):
            g.sendto(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 1400))), ("127.0.0.1", port))
        for junk in (b"INVITE sip:x SIP/2.0\r\nVia: garbage\r\n\r\n", b"\r\n\r\n", b"SIP/2.0 200 OK\r\n\r\n",
                     b"INVITE " + b"A" * 60000 + b" SIP/2.0\r\n\r\n"):
            g.sendto(junk, ("127.0.0.1", port))
    finally:
        g.close()
    assert _sip_request(port, "OPTIONS")[-1:] == [200], "the SIP stack stopped answering after garbage"

    # an offer with no codec in common: 488 Not Acceptable Here; a BYE for no call: 481
    assert _sip_request(port, "INVITE", body=NO_COMMON_CODEC_SDP)[-1:] == [488]
    assert _sip_request(port, "BYE", to_tag="nosuchdialog")[-1:] == [481]
    assert _sip_request(port, "INVITE", body="this is not SDP")[-1] in (400, 488)

    # a caller who vanishes without a BYE (the phone loses power): the RTP watchdog ends the call
    before = server.metric("warmline_calls_ended_total", reason="rtp_timeout")
    caller = BaresipPeer(tmp_path, CALLER_NUMBER, _silence(60)).start()
    try:
        caller.dial(server.sip_uri)
        assert caller.established(10), caller.log()
        assert server.wait_log(r"call \S+ started \(sip\)", 5, count=1)
        time.sleep(1.5)
        caller.kill()
        deadline = time.monotonic() + RTP_TIMEOUT_S + 10
        while time.monotonic() < deadline:
            if server.metric("warmline_calls_ended_total", reason="rtp_timeout") > before:
                break
            time.sleep(0.5)
        assert server.metric("warmline_calls_ended_total", reason="rtp_timeout") == before + 1, server.log()[-2000:]
    finally:
        caller.stop()
    assert server.healthy()
    assert httpx.get(server.url + "/healthz", timeout=5).json()["calls"] == 0
    assert _sip_request(port, "OPTIONS")[-1:] == [200]


REPO = Path(__file__).resolve().parents[2]


def test_calls_reach_warmline_through_the_kamailio_example(server, tmp_path, transcriber):
    """deploy/kamailio/kamailio.cfg as shipped, with a dispatcher list whose first worker is dead:
    Kamailio fails over to the live worker, the caller is greeted, and the BYE (routed by Kamailio's
    Record-Route) ends the call on Warmline."""
    exe = shutil.which("kamailio")
    if exe is None:
        raise RuntimeError("kamailio is not installed: `apt-get install kamailio` (make sysdeps does it)")
    kport = free_port()
    dead = free_port()
    (tmp_path / "dispatcher.list").write_text(
        f"1 sip:127.0.0.1:{dead} 0 10 duid=dead\n1 sip:127.0.0.1:{server.sip_port} 0 5 duid=live\n")
    rundir = tmp_path / "run"
    rundir.mkdir()
    kam_log = tmp_path / "kamailio.log"
    kam = subprocess.Popen(
        [exe, "-DD", "-E", "-f", str(REPO / "deploy/kamailio/kamailio.cfg"), "-Y", str(rundir), "-w", str(tmp_path),
         "-A", f"LISTEN=udp:127.0.0.1:{kport}", "-A", f'DISPATCHER_LIST="{tmp_path / "dispatcher.list"}"',
         "-A", 'DS_ALG="8"'],
        stdout=open(kam_log, "wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    ended_before = len(re.findall(r"call \S+ ended: hangup", server.log()))
    caller = BaresipPeer(tmp_path, CALLER_NUMBER, _silence(30))
    try:
        time.sleep(1.0)
        assert kam.poll() is None, kam_log.read_text(errors="replace")[-2000:]
        caller.start()
        caller.dial(f"sip:warmline@127.0.0.1:{kport}")
        assert caller.established(15), caller.log() + kam_log.read_text(errors="replace")[-2000:]
        time.sleep(7)  # the start of the greeting
        caller.hangup()
        assert caller.terminated(5)
        assert server.wait_log(r"call \S+ ended: hangup", 10, count=ended_before + 1), server.log()[-2000:]
    finally:
        caller.stop()
        os.killpg(kam.pid, signal.SIGTERM)
        try:
            kam.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(kam.pid, signal.SIGKILL)
            kam.wait(5)
    assert f"sip:127.0.0.1:{dead} failed" in kam_log.read_text(errors="replace"), "no failover to the live worker"
    heard = transcriber.transcribe_sync(caller.heard()).text
    print(f"baresip via Kamailio heard: {heard!r}")
    assert {"automated", "assistant"} <= _words(heard) or {"warm", "line", "warmline"} & _words(heard), heard
