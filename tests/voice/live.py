"""A real Warmline server for tests: ``create_app`` under uvicorn on a free port, in a thread with its
own event loop (as in production), so tests talk to it over real sockets."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from safety.settings import Settings
from voice.pipeline import PipelineConfig
from voice.server import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, tmp: Path, *, pipeline: PipelineConfig | None = None, **settings: object) -> None:
        self.settings = Settings(database_url=f"sqlite:///{tmp}/warmline.db", data_key_file=str(tmp / "warmline.key"),
                                 silence_prompt_s=0, **settings)
        self.app = create_app(self.settings, pipeline=pipeline)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                                     ws_max_size=1 << 20))
        self._thread = threading.Thread(target=self._server.run, name="warmline-test-server", daemon=True)

    @property
    def board(self):
        return self.app.state.board

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 120
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_no_calls(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.board.calls and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.board.calls
