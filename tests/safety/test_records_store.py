"""Records written from the bus, encrypted at rest, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func, inspect, select, text

from safety.records import access
from safety.records.models import Call, CallerProfile, Escalation, EscalationStep, RiskAssessment, Turn
from tests.safety.records_util import (
    CALLER_TURNS,
    LINE_REPLIES,
    QUOTE,
    SECRET_WORDS,
    simulate_call,
)

SUPERVISOR = access.Operator(id=0, username="sue", role="supervisor")


def raw_database_text(records) -> bytes:  # noqa: ANN001
    """Everything the database holds, as an attacker with the files (SQLite) or a dump (PostgreSQL) sees it."""
    db = records.db
    if db.dialect == "sqlite":
        path = Path(db.engine.url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    chunks = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for (row,) in conn.execute(text(f'SELECT t::text FROM "{table}" t')):
                chunks.append(row)
    dump = "\n".join(chunks)
    # bytea columns come out hex-encoded: decode them too, so plaintext hiding in bytea is found.
    decoded = b"".join(bytes.fromhex(h) for h in re.findall(r"\\\\x([0-9a-f]+)", dump))
    assert len(decoded) > 500  # the ciphertext columns were found and decoded
    return dump.encode() + decoded


def _assert_no_words(blob: bytes) -> None:
    low = blob.lower()
    for w in SECRET_WORDS + ["hopeless", "5550104477", "010-4477", "priscilla.quintana"]:
        assert w.lower().encode() not in low, f"{w!r} found in the raw database"


async def test_a_whole_call_is_recorded(runtime) -> None:
    records = runtime.services["records"]
    esc = await simulate_call(runtime.bus, "call-1", operator="alice", resolve=True)
    await records.recorder.flush()
    assert records.recorder.stats()["dropped"] == 0
    with records.db.session() as s:
        call = s.get(Call, "call-1")
        assert call.transport == "twilio" and call.ended_at is not None and call.duration_s == 42.0
        assert (call.max_level, call.max_kind) == ("high", "suicide")
        turns = list(s.scalars(select(Turn).where(Turn.call_id == "call-1").order_by(Turn.id)))
        assert [t.role for t in turns] == ["caller", "line"] * 3  # partial transcripts are not kept
        assert turns[1].timings["total_ms"] == 717
        # partials at level none are not kept; finals are
        risks = list(s.scalars(select(RiskAssessment).where(RiskAssessment.call_id == "call-1")))
        assert len(risks) == 3 and {r.level for r in risks} == {"none", "high"}
        e = s.get(Escalation, esc)
        assert (e.status, e.operator, e.outcome, e.resolved_by) == ("resolved", "alice", "safety_plan", "alice")
        steps = [x.step for x in s.scalars(select(EscalationStep).where(EscalationStep.escalation_id == esc)
                                           .order_by(EscalationStep.id))]
        assert steps == ["opened", "ringing", "connected", "resolved"]
    got = access.read_transcript(records, SUPERVISOR, "call-1")
    assert [t["text"] for t in got["turns"] if t["role"] == "caller"] == CALLER_TURNS
    assert [t["text"] for t in got["turns"] if t["role"] == "line"] == LINE_REPLIES
    assert got["escalations"][0]["quotes"][0][1] == QUOTE
    assert "lighthouse" in got["escalations"][0]["notes"]
    assert got["caller"] == "+1 (555) 010-4477"


async def test_raw_database_holds_none_of_the_callers_words(runtime) -> None:
    records = runtime.services["records"]
    await simulate_call(runtime.bus, "call-raw", resolve=True)
    await simulate_call(runtime.bus, "call-raw-2", operator=None)
    records.memory.put(records.caller_key("+15550104477"), {"name": "Priscilla", "likes": "marmalade"})
    await records.recorder.flush()
    with records.db.session() as s:
        assert s.scalar(select(func.count(Turn.id))) == 12
        assert s.scalar(select(func.count()).select_from(CallerProfile)) == 1
    if records.db.dialect == "sqlite":
        with records.db.engine.connect() as c:  # push the WAL into the main file as well
            c.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    blob = raw_database_text(records)
    assert len(blob) > 1000
    _assert_no_words(blob)
    # and the decrypted view does have them: the test is not vacuous
    got = json.dumps(access.read_transcript(records, SUPERVISOR, "call-raw"))
    assert all(w.lower() in got.lower() for w in SECRET_WORDS)


async def test_ciphertext_is_bound_to_its_call(runtime) -> None:
    """Moving an encrypted turn to another call must not decrypt: GCM's associated data binds it."""
    import pytest

    from safety.records.crypto import DecryptError

    records = runtime.services["records"]
    await simulate_call(runtime.bus, "call-a", escalate=False)
    await simulate_call(runtime.bus, "call-b", escalate=False)
    await records.recorder.flush()
    with records.db.session() as s:
        a = s.scalars(select(Turn).where(Turn.call_id == "call-a")).first()
        b = s.scalars(select(Turn).where(Turn.call_id == "call-b")).first()
        b.text_enc = a.text_enc
    with pytest.raises(DecryptError):
        access.read_transcript(records, SUPERVISOR, "call-b")


async def test_migrations_run_at_start_and_are_idempotent(records) -> None:
    records.db.migrate()
    records.db.migrate()
    with records.db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        names = set(inspect(c).get_table_names())
    assert {"calls", "turns", "risk_assessments", "escalations", "escalation_steps", "operators", "audit_log",
            "caller_profiles", "operator_sessions", "key_material", "recordings"} <= names
    if records.db.dialect == "sqlite":
        with records.db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


async def test_memory_store_round_trip_and_caller_key(records) -> None:
    key = records.caller_key("+1 555 010 4477")
    assert key == records.caller_key("+15550104477") and len(key) == 64 and "4477" not in key
    assert records.memory.get(key) is None
    records.memory.put(key, {"name": "Priscilla", "helped": ["breathing"]})
    records.memory.forget(key)  # force a database read
    assert records.memory.get(key) == {"name": "Priscilla", "helped": ["breathing"]}
    with records.db.session() as s:
        row = s.get(CallerProfile, key)
        assert b"Priscilla" not in row.data_enc
    records.memory.delete(key)
    assert records.memory.get(key) is None


async def test_a_malformed_event_does_not_stop_the_recorder(runtime) -> None:
    from safety.bus import Event

    records = runtime.services["records"]
    await runtime.bus.publish(Event("call.transcript", "bad", {"text": "x", "final": True, "turn": "not-a-number"}))
    await simulate_call(runtime.bus, "good", escalate=False)
    await records.recorder.flush()
    with records.db.session() as s:
        assert s.get(Call, "good").ended_at is not None
    assert records.recorder.stats()["failed"] == 1
