"""The server under test: a ``warmline serve`` subprocess on a free port, its CPU use, and a clean stop.

The bench starts its own servers so that what it measures is what a deployment runs (a separate
process, real sockets), and so the naive baseline is the same code with ``WARMLINE_PIPELINE=naive``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class CpuSample:
    cpu_s: float  # user + system seconds of the server and its children
    wall: float


@dataclass
class CpuWatch:
    """Samples a process tree's CPU while calls run: mean and peak percent of one core."""

    proc: psutil.Process | None
    interval: float = 0.5
    samples: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _start: CpuSample | None = None
    _end: CpuSample | None = None
    _own_start: float = 0.0

    def _tree_cpu(self) -> float:
        if self.proc is None:
            return 0.0
        total = 0.0
        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return 0.0
        for p in procs:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        last = CpuSample(self._tree_cpu(), time.monotonic())
        while not self._stop.wait(self.interval):
            now = CpuSample(self._tree_cpu(), time.monotonic())
            if now.wall > last.wall:
                self.samples.append(100.0 * (now.cpu_s - last.cpu_s) / (now.wall - last.wall))
            last = now

    def _own_cpu(self) -> float:
        t = psutil.Process().cpu_times()
        return t.user + t.system

    def start(self) -> None:
        self._own_start = self._own_cpu()
        self._start = CpuSample(self._tree_cpu(), time.monotonic())
        psutil.cpu_percent(None)  # prime the machine-wide counter
        self._thread = threading.Thread(target=self._run, name="bench-cpu", daemon=True)
        self._thread.start()

    def stop(self) -> dict:
        self._end = CpuSample(self._tree_cpu(), time.monotonic())
        machine = psutil.cpu_percent(None)
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        assert self._start is not None
        wall = max(1e-6, self._end.wall - self._start.wall)
        used = self._end.cpu_s - self._start.cpu_s
        return {
            "server_cpu_s": round(used, 2),
            "wall_s": round(wall, 2),
            "server_mean_pct": round(100.0 * used / wall, 1),  # percent of ONE core
            "server_peak_pct": round(max(self.samples), 1) if self.samples else None,
            "machine_pct": round(machine, 1),  # all cores, everyone's processes
            # the simulated callers themselves (this process): they share the machine with the server
            "bench_mean_pct": round(100.0 * (self._own_cpu() - self._own_start) / wall, 1),
            "cores": psutil.cpu_count() or 1,
            "loadavg": [round(x, 2) for x in os.getloadavg()],
        }


class ServerStartError(RuntimeError):
    """The server under test did not come up (its log's tail is in the message)."""


class ServerProcess:
    """``warmline serve`` on 127.0.0.1:<free port> with its own database, key and log file."""

    def __init__(self, name: str, *, env: dict[str, str] | None = None, workdir: Path | None = None):
        self.name = name
        self.extra_env = env or {}
        self._own_dir = workdir is None  # a temp dir of ours: removed (database, key, log) on stop
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix=f"warmline-bench-{name}-"))
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "server.log"
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self, timeout: float = 180.0) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "WARMLINE_DATABASE_URL": f"sqlite:///{self.workdir}/warmline.db",
                "WARMLINE_DATA_KEY_FILE": str(self.workdir / "warmline.key"),
                "WARMLINE_LOG_LEVEL": env.get("WARMLINE_LOG_LEVEL", "warning"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "voice.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            cwd=str(self.workdir),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends exactly this tree
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                msg = f"server {self.name!r} exited with {self.proc.returncode}; log:\n{self.tail_log()}"
                self.stop()
                raise ServerStartError(msg)
            try:
                r = httpx.get(f"{self.url}/healthz", timeout=2.0)
                if r.status_code == 200 and r.json().get("status") == "ok":
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.3)
        msg = f"server {self.name!r} not healthy after {timeout:.0f} s; log:\n{self.tail_log()}"
        self.stop()
        raise ServerStartError(msg)

    def tail_log(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, 9)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        if self._log:
            self._log.close()
            self._log = None
        if self._own_dir and (self.proc is None or self.proc.poll() is not None):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def psutil_process(self) -> psutil.Process | None:
        try:
            return psutil.Process(self.proc.pid) if self.proc else None
        except psutil.Error:
            return None

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
