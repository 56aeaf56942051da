"""A real, independent SIP phone for the SIP tests: Debian's baresip, run headless.

Each ``BaresipPeer`` gets its own config directory (``baresip -f DIR``): a WAV file is its microphone
(``ausrc aufile``; the file's rate must equal the codec's: 8 kHz for G.711, 16 kHz for G.722), the
ALSA null device is its loudspeaker, and the ``sndfile`` filter writes what it heard to
``dump-*-dec.wav``. It is driven through stdin (baresip's ``stdio`` + ``menu`` modules): ``/dial URI``,
digits send RFC 4733 DTMF, ``x``/``X`` hold and resume, ``b`` hangs up, ``q`` quits. Every peer is
killed by ``stop()`` (tests call it in ``finally``/fixtures).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import numpy as np

from voice.audio import read_wav, resample, write_wav

BARESIP = "baresip"


def require_baresip() -> str:
    """baresip is a declared test dependency (Makefile DEB_PACKAGES): missing means failure, not skip."""
    exe = shutil.which(BARESIP)
    if exe is None:
        raise RuntimeError("baresip is not installed: `apt-get install baresip-core` (make sysdeps does it)")
    return exe


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A loopback port free for both UDP and TCP right now."""
    for _ in range(200):
        port = random.randint(20000, 45000)
        ok = True
        for k in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, k)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                ok = False
            finally:
                s.close()
        if ok:
            return port
    raise RuntimeError("no free port")


def free_port_range(size: int = 40) -> int:
    """The first port of ``size`` consecutive free UDP ports on loopback."""
    for _ in range(200):
        base = random.randrange(46000, 60000 - size, 2)
        socks = []
        try:
            for p in range(base, base + size):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port range")


class BaresipPeer:
    def __init__(self, workdir: Path, name: str, source: np.ndarray, *, codec: str = "PCMU/8000/1",
                 auto_answer: bool = False, sip_port: int | None = None) -> None:
        self.exe = require_baresip()
        self.dir = workdir / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.codec = codec
        self.rate = int(codec.split("/")[1])
        self.auto_answer = auto_answer
        self.sip_port = sip_port or free_port()
        self.rtp_base = free_port_range(20)
        self.source_path = self.dir / "mic.wav"
        write_wav(self.source_path, resample(np.asarray(source, dtype=np.int16), 16000, self.rate)
                  if self.rate != 16000 else np.asarray(source, dtype=np.int16), self.rate)
        self.log_path = self.dir / "baresip.log"
        self.proc: subprocess.Popen | None = None
        self._write_config()

    @property
    def uri(self) -> str:
        return f"sip:{self.name}@127.0.0.1:{self.sip_port}"

    def _write_config(self) -> None:
        codec_module = "g722.so" if self.codec.upper().startswith("G722") else "g711.so"
        config = f"""
poll_method epoll
sip_listen 127.0.0.1:{self.sip_port}
net_interface 127.0.0.1
call_local_timeout 60
audio_player alsa,null
audio_alert alsa,null
audio_source aufile,{self.source_path}
audio_buffer 20-160
rtp_ports {self.rtp_base}-{self.rtp_base + 19}
jitter_buffer_delay 1-10
module_path /usr/lib/baresip/modules
module stdio.so
module {codec_module}
module aufile.so
module alsa.so
module sndfile.so
module_tmp account.so
module_app menu.so
snd_path {self.dir}
"""
        (self.dir / "config").write_text(config)
        answer = ";answermode=auto" if self.auto_answer else ""
        (self.dir / "accounts").write_text(
            f"<sip:{self.name}@127.0.0.1:{self.sip_port}>;regint=0{answer};audio_codecs={self.codec}\n")

    def start(self) -> BaresipPeer:
        self.proc = subprocess.Popen(
            [self.exe, "-f", str(self.dir)],
            stdin=subprocess.PIPE, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_log("baresip is ready", 10)
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_bytes().decode("utf-8", "replace").replace("\r", "\n")
        except FileNotFoundError:
            return ""

    def wait_log(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return True
            if self.proc is not None and self.proc.poll() is not None:
                break
            time.sleep(0.1)
        return text in self.log()

    def command(self, keys: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(keys.encode())
        self.proc.stdin.flush()

    def dial(self, uri: str) -> None:
        self.command(f"/dial {uri}\n")

    def dtmf(self, digits: str, gap_s: float = 0.4) -> None:
        for d in digits:
            self.command(d)
            time.sleep(gap_s)

    def hold(self) -> None:
        self.command("x")

    def resume(self) -> None:
        self.command("X")

    def hangup(self) -> None:
        self.command("b")

    def established(self, timeout: float) -> bool:
        return self.wait_log("Call established", timeout)

    def terminated(self, timeout: float) -> bool:
        return self.wait_log("terminated", timeout) or self.wait_log("session closed", 0.1)

    def heard(self) -> np.ndarray:
        """What this phone heard (decoded far-end audio), as np.int16 at 16 kHz."""
        dumps = sorted(self.dir.glob("dump-*-dec.wav"))
        if not dumps:
            return np.zeros(0, dtype=np.int16)
        pcm, rate = read_wav(dumps[-1])
        return resample(pcm, rate, 16000) if rate != 16000 else pcm

    def kill(self) -> None:
        """Vanish without a BYE (a phone that lost power)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.command("q")
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(Exception):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
