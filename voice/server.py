"""The HTTP + WebSocket server: ``create_app(settings)``.

Endpoints (docs/architecture.md): ``GET /healthz``, ``GET /metrics``, ``POST /twilio/voice`` (TwiML),
``WS /twilio/media`` (Twilio Media Streams), ``WS /call`` (raw PCM), ``GET /`` (browser softphone),
and the operator console's routers. ``WS /call/events?tap=TOKEN`` streams one call's events to the
simulated caller that started it (voice/client.py) - see docs/voice.md.
"""

from __future__ import annotations

import contextlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.websockets import WebSocketDisconnect

import safety.records as records
import safety.transfer as transfer
from safety.console import api as console_api
from safety.console import routes as console_routes
from safety.privacy import install_log_redaction
from safety.runtime import SafetyRuntime
from safety.settings import Settings, get_settings
from safety.websocket import until_disconnect
from voice.pipeline import PipelineConfig
from voice.switchboard import Switchboard
from voice.transports.pcm import serve_pcm
from voice.transports.twilio import serve_twilio

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MIN_TAP_TOKEN = 16


def _setup_safety(runtime: SafetyRuntime) -> None:
    records.setup(runtime)  # the recorder writes every call from the bus (safety/records)
    transfer.setup(runtime)  # warm transfer and the console's live state (safety/transfer)
    runtime.services["calls"] = {}


def create_app(settings: Settings | None = None, *, pipeline: PipelineConfig | None = None,
               runtime: SafetyRuntime | None = None) -> FastAPI:
    settings = settings or get_settings()
    install_log_redaction()
    runtime = runtime or SafetyRuntime(settings)
    _setup_safety(runtime)
    board = Switchboard(settings, runtime, pipeline=pipeline)
    if settings.sip_listen:  # the SIP line (docs/sip.md); runtime.start() starts it after the models load
        from voice.transports.sip import setup as setup_sip

        setup_sip(runtime, board)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await board.load()
        await runtime.start()
        try:
            yield
        finally:
            await board.close_all()
            await runtime.stop()

    app = FastAPI(title="Warmline", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.safety = runtime
    app.state.board = board
    app.state.settings = settings
    app.include_router(console_routes.router)
    app.include_router(console_api.router)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        body = {"status": "ok" if board.ready else "loading", "pipeline": board.pipeline.name,
                "calls": len(board.calls)}
        if board.ready:
            body["models"] = {"asr": Path(str(board.transcriber.model_path)).name,
                              "tts": Path(str(board.synthesizer.voice_path)).name}
        return JSONResponse(body, status_code=200 if board.ready else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(board.metrics.render(), media_type=board.metrics.content_type)

    @app.post("/twilio/voice")
    async def twilio_voice(request: Request) -> Response:
        from twilio.request_validator import RequestValidator
        from twilio.twiml.voice_response import Connect, VoiceResponse

        form = await request.form()
        params = {k: str(v) for k, v in form.items()}
        token = settings.twilio_auth_token
        if token:
            signature = request.headers.get("X-Twilio-Signature", "")
            if not RequestValidator(token).validate(_public_url(request, settings), params, signature):
                log.warning("POST /twilio/voice: bad or missing X-Twilio-Signature")
                return Response("invalid signature", status_code=403, media_type="text/plain")
        resp = VoiceResponse()
        connect = Connect()
        stream = connect.stream(url=_media_url(request, settings))
        if params.get("From"):
            stream.parameter(name="From", value=params["From"])
        resp.append(connect)
        return Response(str(resp), media_type="application/xml")

    @app.websocket("/twilio/media")
    async def twilio_media(ws: WebSocket) -> None:
        await serve_twilio(ws, board)

    @app.websocket("/call")
    async def call(ws: WebSocket) -> None:
        await serve_pcm(ws, board)

    @app.websocket("/call/events")
    async def call_events(ws: WebSocket) -> None:
        await _serve_tap(ws, board)

    @app.get("/")
    async def softphone() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="voice-static")
    return app


def _public_url(request: Request, settings: Settings) -> str:
    """The URL Twilio signed: WARMLINE_PUBLIC_URL + path when set (behind a proxy), else the request's."""
    if settings.public_url:
        url = settings.public_url.rstrip("/") + request.url.path
        return url + ("?" + request.url.query if request.url.query else "")
    url = str(request.url)
    proto = request.headers.get("x-forwarded-proto")
    if proto and url.startswith("http://") and proto == "https":
        url = "https://" + url[len("http://"):]
    return url


def _media_url(request: Request, settings: Settings) -> str:
    if settings.public_url:
        base = settings.public_url.rstrip("/")
    else:
        proto = request.headers.get("x-forwarded-proto", request.url.scheme)
        base = f"{'https' if proto == 'https' else 'http'}://{request.headers.get('host', request.url.netloc)}"
    base = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return base + "/twilio/media"


async def _serve_tap(ws: WebSocket, board: Switchboard) -> None:
    """One call's events for the client that started it with ``customParameters.warmline_tap``.
    The token is the client's own secret, so only the caller who placed the call sees its events."""
    token = ws.query_params.get("tap", "")
    await ws.accept()
    if len(token) < MIN_TAP_TOKEN:
        await ws.close(1008, "tap token too short")
        return
    queue = board.open_tap(token)
    try:
        await ws.send_json({"event": "tap.ready"})
        async with contextlib.aclosing(until_disconnect(ws, queue.get)) as events:
            async for event in events:
                await ws.send_json(event)
                if event.get("event") == "call.ended":
                    await ws.close(1000)
                    return
    except (WebSocketDisconnect, RuntimeError):
        return
    finally:
        board.close_tap(token)
