"""Caller pseudonyms, display masking, and no personal data in any log line of a whole call."""

from __future__ import annotations

import io
import logging

import httpx
import pytest
from fastapi import FastAPI

from safety.privacy import hash_caller_id, install_log_redaction, mask_number, redact
from tests.safety.records_util import CALLER_EMAIL, CALLER_TURNS, LINE_REPLIES, QUOTE, simulate_call


@pytest.mark.parametrize("text", [
    "+1 (555) 010-4477", "+15550104477", "555-010-4477", "(555) 010 4477", "555.010.4477", "020 7946 0958",
    "+44 20 7946 0958", "call me on 5550104477 tomorrow", "555-0104",
])
def test_phone_numbers_are_scrubbed(text: str) -> None:
    out = redact(text)
    assert "[phone]" in out and not any(ch.isdigit() for ch in out.replace("[phone]", "")), out


@pytest.mark.parametrize("text,expect", [
    ("card 4111 1111 1111 1111 ok", "card [card] ok"),
    ("4111-1111-1111-1111", "[card]"),
    ("5500005555555559", "[card]"),
    ("mail priscilla.quintana@example.org now", "mail [email] now"),
    ("sip:+15550104477@pbx.example.org", "sip:[user]@pbx.example.org"),
])
def test_emails_cards_and_sip_users_are_scrubbed(text: str, expect: str) -> None:
    assert redact(text) == expect


@pytest.mark.parametrize("text", [
    "call 6f1c2a9e-1d2b-4c4e-9f0a-2b7c8d9e0f11 ended after 42.0 s",
    "turn 3 took 717 ms (asr 280 ms)", "2024-05-01 12:34:56", "escalation call-7-e1 ringing attempt 2",
    "port 8000", "queue 20000 records",
])
def test_ordinary_log_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_hash_caller_id_is_stable_keyed_and_irreversible() -> None:
    a = hash_caller_id("+1 (555) 010-4477", "salt-1")
    assert a == hash_caller_id("+15550104477", "salt-1")
    assert a != hash_caller_id("+15550104477", "salt-2")
    assert a != hash_caller_id("+15550104478", "salt-1")
    assert len(a) == 64 and "5550104477" not in a
    with pytest.raises(ValueError):
        hash_caller_id("+15550104477", "")


def test_mask_number() -> None:
    assert mask_number("+1 (555) 010-4477") == "+•••••••••77"
    assert mask_number("5550104477", keep=4) == "••••••4477"
    assert mask_number(None) == "unknown"
    assert mask_number("1234") == "••••"
    assert mask_number("anonymous") == "••••••••"


async def test_no_personal_data_in_any_log_line_of_a_whole_call(runtime, caplog) -> None:
    """A whole call, its escalation, an operator reading and resolving it, with every logger at
    DEBUG (SQL echo included) and some careless log calls: no number, e-mail, card or caller
    word reaches any log line, whichever handler prints it."""
    from safety.console import api, auth

    records = runtime.services["records"]
    install_log_redaction()
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    # a logger that does not propagate to root, with its own handler (as uvicorn's are)
    side_stream = io.StringIO()
    side = logging.getLogger("warmline.test.sidechannel")
    side.propagate = False
    side.addHandler(logging.StreamHandler(side_stream))
    old_level = root.level
    root.setLevel(logging.DEBUG)
    sql = logging.getLogger("sqlalchemy.engine")
    old_sql_level = sql.level
    sql.setLevel(logging.INFO)  # SQL echo with parameters
    caplog.set_level(logging.DEBUG)
    try:
        auth.create_operator(records, "alice", "correct horse battery", "operator")
        app = FastAPI()
        app.state.safety = runtime
        app.include_router(api.router)
        esc = await simulate_call(runtime.bus, "call-logs", operator="alice")
        await records.recorder.flush()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            r = await c.post("/console/login", json={"username": "alice", "password": "correct horse battery"})
            csrf = r.json()["csrf_token"]
            assert (await c.get("/console/api/calls/call-logs/transcript")).status_code == 200
            r = await c.post(f"/console/api/escalations/{esc}/resolve", headers={"X-CSRF-Token": csrf},
                             json={"outcome": "safety_plan", "notes": "Call back on +1 555 010 4477"})
            assert r.status_code == 200
        # careless code elsewhere in the process
        careless = logging.getLogger("voice.call")
        careless.info("caller %s (%s) started", "+1 (555) 010-4477", CALLER_EMAIL)
        careless.warning("callback number 555.010.4477, card 4111 1111 1111 1111")
        side.error("sip user sip:+15550104477@pbx.example.org hung up; mail %s", CALLER_EMAIL)
        try:
            raise ValueError(f"bad caller id +15550104477 from {CALLER_EMAIL}")
        except ValueError:
            careless.exception("could not parse")
        await records.recorder.flush()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        sql.setLevel(old_sql_level)
        side.handlers.clear()
    text = "\n".join([stream.getvalue(), side_stream.getvalue(), caplog.text])
    assert "could not parse" in text and "[phone]" in text and "[email]" in text  # logging did happen
    assert "INSERT INTO turns" in text and "[parameters: " in text.replace("[generated in", "[parameters: ")
    low = text.lower()
    for bad in ["5550104477", "010-4477", "010 4477", "555.010", "4111 1111", "priscilla", "quintana",
                "quintana@example.org", "marmalade", "lighthouse", "zanzibar", "wheelbarrow", "tangerine", "correct horse"]:
        assert bad not in low, f"{bad!r} leaked into the logs"
    for said in CALLER_TURNS + LINE_REPLIES + [QUOTE]:
        assert said.lower()[:30] not in low


def test_uvicorn_access_log_is_formatted_and_scrubbed() -> None:
    """uvicorn's access formatter unpacks the record's five arguments: the redaction must keep them
    (it used to drop them, and every request printed a 'Logging error' traceback instead of a line)."""
    from uvicorn.logging import AccessFormatter

    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    access = logging.getLogger("uvicorn.access.test")
    access.propagate = False
    access.setLevel(logging.INFO)
    access.addHandler(handler)
    try:
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/healthz", "1.1", 200)
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5001", "GET", "/twilio/voice?From=%2B15550104477",
                    "1.1", 200)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.info("caller %s%s", "555010", "4477")  # a number only visible once rendered
    finally:
        access.handlers.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3, stream.getvalue()
    assert lines[0] == '127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200 OK'
    assert lines[1].startswith('127.0.0.1:5001 - "GET /twilio/voice?From=') and "4477" not in lines[1]
    assert lines[2] == "caller [phone]"
