"""The server's plain HTTP side: health, metrics, the Twilio webhook (TwiML + signature check), and
the browser softphone page."""

from __future__ import annotations

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.voice.live import LiveServer

TOKEN = "test-auth-token-0123456789abcdef"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("server"), TWILIO_AUTH_TOKEN=TOKEN) as s:
        yield s


async def test_healthz_once_models_are_loaded(server):
    async with httpx.AsyncClient() as c:
        r = await c.get(server.url + "/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["pipeline"] == "fast" and body["calls"] == 0
    assert body["models"]["tts"].endswith(".onnx")


async def test_metrics_are_prometheus_text(server):
    async with httpx.AsyncClient() as c:
        r = await c.get(server.url + "/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    for name in ("warmline_calls_total", "warmline_calls_active", "warmline_turn_latency_seconds_bucket",
                 "warmline_barge_ins_total", "warmline_escalations_total"):
        assert name in r.text or name.replace("_bucket", "") in r.text, name


def _signed(url: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}


async def test_twilio_webhook_returns_twiml_for_a_valid_signature(server):
    params = {"CallSid": "CA123", "From": "+15550104477", "To": "+15550000000", "AccountSid": "AC1"}
    url = server.url + "/twilio/voice"
    async with httpx.AsyncClient() as c:
        r = await c.post(url, data=params, headers=_signed(url, params))
    assert r.status_code == 200 and "xml" in r.headers["content-type"]
    assert f'<Connect><Stream url="ws://127.0.0.1:{server.port}/twilio/media">' in r.text
    assert '<Parameter name="From" value="+15550104477" />' in r.text


@pytest.mark.parametrize("headers", [{}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}], ids=["missing", "wrong"])
async def test_twilio_webhook_refuses_a_bad_signature(server, headers):
    params = {"CallSid": "CA123", "From": "+15550104477"}
    async with httpx.AsyncClient() as c:
        r = await c.post(server.url + "/twilio/voice", data=params, headers=headers)
    assert r.status_code == 403
    assert "<Response>" not in r.text


async def test_twilio_webhook_refuses_tampered_parameters(server):
    params = {"CallSid": "CA123", "From": "+15550104477"}
    url = server.url + "/twilio/voice"
    headers = _signed(url, params)
    async with httpx.AsyncClient() as c:
        r = await c.post(url, data={**params, "From": "+15550000001"}, headers=headers)
    assert r.status_code == 403


async def test_softphone_page_and_scripts(server):
    async with httpx.AsyncClient() as c:
        page = await c.get(server.url + "/")
        js = await c.get(server.url + "/static/softphone.js")
        worklet = await c.get(server.url + "/static/pcm-worklet.js")
    assert page.status_code == 200 and "not a therapist" in page.text and "softphone.js" in page.text
    assert js.status_code == 200 and "/call" in js.text and '"clear"' in js.text
    assert worklet.status_code == 200 and "registerProcessor" in worklet.text


def test_twiml_uses_public_url_when_set(tmp_path):
    """Behind a proxy Twilio signs the public URL, and the stream must point at it too."""
    from fastapi.testclient import TestClient

    from safety.settings import Settings
    from voice.server import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path}/w.db", data_key_file=str(tmp_path / "k"),
                        public_url="https://line.example.org", TWILIO_AUTH_TOKEN=TOKEN)
    app = create_app(settings)
    params = {"CallSid": "CA9", "From": "+15550100000"}
    headers = _signed("https://line.example.org/twilio/voice", params)
    with TestClient(app) as client:  # runs the lifespan: models load, as in production
        r = client.post("/twilio/voice", data=params, headers=headers)
    assert r.status_code == 200
    assert '<Stream url="wss://line.example.org/twilio/media">' in r.text


def test_pipeline_setting_selects_the_baseline():
    from safety.settings import Settings
    from voice.pipeline import PipelineConfig

    naive = PipelineConfig.from_settings(Settings(pipeline="naive"))
    assert (naive.endpointing, naive.fixed_silence_ms, naive.speculative_decode, naive.phrase_cache,
            naive.asr_batching) == ("fixed", 800, False, False, False)
    fast = PipelineConfig.from_settings(Settings())
    assert fast.endpointing == "adaptive" and fast.speculative_decode and fast.phrase_cache and fast.asr_batching
    with pytest.raises(ValueError):
        PipelineConfig.from_name("turbo")
