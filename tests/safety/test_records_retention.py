"""Retention purge, the daily purge task, audio, and the caller's "delete what I said"."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import func, select, update
from typer.testing import CliRunner

from safety.records import access
from safety.records.models import (
    AuditLog,
    Call,
    CallerProfile,
    Escalation,
    EscalationStep,
    Recording,
    RiskAssessment,
    Turn,
    utcnow,
)
from safety.records.retention import PurgeTask, purge
from tests.safety.records_util import CALLER_NUMBER, simulate_call

SUPERVISOR = access.Operator(id=0, username="sue", role="supervisor")
DAY = 86400.0


def count(records, model, **where) -> int:  # noqa: ANN001
    with records.db.session() as s:
        q = select(func.count()).select_from(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return s.scalar(q)


async def test_purge_deletes_expired_content_calls_audit_and_memory(runtime) -> None:
    from voice.cli import app as cli

    records = runtime.services["records"]
    now = time.time()
    await simulate_call(runtime.bus, "recent", t0=now - 2 * DAY, resolve=True)
    await simulate_call(runtime.bus, "month-old", t0=now - 40 * DAY, resolve=True)  # past transcripts (30)
    await simulate_call(runtime.bus, "year-old", t0=now - 400 * DAY)  # past calls (365)
    old_key, new_key = records.caller_key("+15550000001"), records.caller_key("+15550000002")
    records.memory.put(old_key, {"x": 1})
    records.memory.put(new_key, {"x": 2})
    await records.recorder.flush()
    with records.db.session() as s:
        s.execute(update(CallerProfile).where(CallerProfile.caller_hash == old_key)
                  .values(updated_at=utcnow() - timedelta(days=100)))
        s.add(AuditLog(at=utcnow() - timedelta(days=800), actor="sue", action="transcript.read", call_id="gone"))

    dry = CliRunner().invoke(cli, ["purge", "--dry-run"])
    assert dry.exit_code == 0 and "would delete: transcripts: 1, calls: 1" in dry.output, dry.output
    assert count(records, Turn, call_id="month-old") == 6  # a dry run deletes nothing

    res = CliRunner().invoke(cli, ["purge"])
    assert res.exit_code == 0, res.output
    assert "deleted: transcripts: 1, calls: 1, audio: 0, audit: 1, memory: 1" in res.output
    # the year-old call is gone entirely
    for model in (Call, Escalation, RiskAssessment, Turn):
        assert count(records, model, **({"id": "year-old"} if model is Call else {"call_id": "year-old"})) == 0
    assert count(records, EscalationStep, call_id="year-old") == 0
    # the month-old call keeps its facts but loses what was said
    assert count(records, Turn, call_id="month-old") == 0
    with records.db.session() as s:
        call = s.get(Call, "month-old")
        assert call.content_purged_at is not None and call.caller_number_enc is None and call.max_level == "high"
        esc = s.scalars(select(Escalation).where(Escalation.call_id == "month-old")).one()
        assert esc.quotes_enc is None and esc.notes_enc is None and esc.outcome == "safety_plan"
        assert count(records, RiskAssessment, call_id="month-old") == 3
    got = access.read_transcript(records, SUPERVISOR, "month-old")
    assert got["turns"] == [] and got["content_purged"] and got["caller"] is None
    # the recent call is untouched
    assert count(records, Turn, call_id="recent") == 6
    assert access.read_transcript(records, SUPERVISOR, "recent")["caller"] == CALLER_NUMBER
    records.memory.forget(old_key)
    records.memory.forget(new_key)
    assert records.memory.get(old_key) is None and records.memory.get(new_key) == {"x": 2}
    assert count(records, AuditLog, call_id="gone") == 0
    assert count(records, AuditLog, action="purge") == 1
    # a second purge finds nothing more
    assert purge(records).as_dict() == {"transcripts": 0, "calls": 0, "audio": 0, "audit": 0, "memory": 0,
                                        "sessions": 0}


async def test_delete_what_i_said_keeps_the_call_and_escalation(runtime) -> None:
    records = runtime.services["records"]
    key = records.caller_key(CALLER_NUMBER)
    records.memory.put(key, {"name": "Priscilla"})
    esc = await simulate_call(runtime.bus, "delete-me", operator="alice", resolve=True, delete_content=True)
    await simulate_call(runtime.bus, "keep-me", operator="alice", caller="+15550009999")
    await records.recorder.flush()
    assert count(records, Turn, call_id="delete-me") == 0
    assert count(records, Turn, call_id="keep-me") == 6
    with records.db.session() as s:
        call = s.get(Call, "delete-me")
        assert call.content_deleted_at is not None and call.ended_at is not None and call.max_level == "high"
        e = s.get(Escalation, esc)
        assert (e.level, e.kind, e.status, e.operator, e.outcome) == ("high", "suicide", "resolved", "alice", "safety_plan")
        assert e.quotes_enc is None
        assert [x.step for x in e.steps] == ["opened", "ringing", "connected", "resolved"]
        assert s.get(CallerProfile, key) is None  # their opt-in memory was made of what they said too
    assert records.memory.get(key) is None
    got = access.read_transcript(records, SUPERVISOR, "delete-me")
    assert got["turns"] == [] and got["content_deleted"] and got["escalations"][0]["quotes"] == []
    assert count(records, AuditLog, action="content.deleted", call_id="delete-me") == 1


async def test_daily_purge_task_runs_in_the_background(runtime) -> None:
    records = runtime.services["records"]
    await simulate_call(runtime.bus, "old", t0=time.time() - 45 * DAY)
    await records.recorder.flush()
    task = PurgeTask(records, first_delay_s=0)
    records.settings.purge_interval_hours = 24
    try:
        await task.start()
        for _ in range(200):
            if task.runs:
                break
            await asyncio.sleep(0.02)
    finally:
        await task.stop()
    assert task.runs == 1 and task.last.transcripts == 1
    assert count(records, Turn, call_id="old") == 0


async def test_audio_is_kept_only_when_configured(runtime) -> None:
    records = runtime.services["records"]
    rec = records.recorder
    await simulate_call(runtime.bus, "a1", escalate=False)
    pcm = bytes(range(256)) * 10
    rec.add_audio("a1", pcm)
    await rec.flush()
    assert count(records, Recording) == 0  # WARMLINE_STORE_AUDIO is off by default
    records.settings.store_audio = True
    rec.add_audio("a1", pcm)
    await rec.flush()
    with records.db.session() as s:
        row = s.scalars(select(Recording)).one()
        assert pcm[:64] not in row.audio_enc
        row.created_at = utcnow() - timedelta(days=8)  # past WARMLINE_RETENTION_DAYS_AUDIO (7)
    assert purge(records).audio == 1 and count(records, Recording) == 0
