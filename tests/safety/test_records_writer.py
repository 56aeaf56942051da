"""The background writer: a call never waits for the database, and an outage loses nothing.

SQLite: another connection holds an exclusive lock mid-call. PostgreSQL: the test's own throwaway
database stops accepting connections and its sessions are terminated (the shared server stays up).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

from sqlalchemy import func, select

from safety.bus import Event
from safety.records.models import Call, Escalation, EscalationStep, Turn
from tests.safety.conftest import pg_admin
from tests.safety.records_util import simulate_call


@contextlib.contextmanager
def database_down(records):  # noqa: ANN001
    """Make the records database unusable for writers until the block ends."""
    db = records.db
    if db.dialect == "sqlite":
        lock = sqlite3.connect(Path(db.engine.url.database), timeout=0, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        return
    name = db.engine.url.database
    admin = pg_admin()
    admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                  (name,))
    try:
        yield
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()


async def _loop_lag_watch(stop: asyncio.Event, gaps: list[float]) -> None:
    last = time.monotonic()
    while not stop.is_set():
        await asyncio.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now


async def test_calls_go_on_while_the_database_is_down_and_nothing_is_lost(runtime) -> None:
    records = runtime.services["records"]
    rec = records.recorder
    await simulate_call(runtime.bus, "before", escalate=False)
    await rec.flush()
    stop, gaps = asyncio.Event(), []
    watcher = asyncio.create_task(_loop_lag_watch(stop, gaps))
    with database_down(records):
        t0 = time.monotonic()
        esc = await simulate_call(runtime.bus, "during", operator="alice", resolve=True)
        publish_s = time.monotonic() - t0
        # the writer has tried, failed, and is holding the records in memory
        deadline = time.monotonic() + 20
        while rec.stats()["retries"] < 2 and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        stats = rec.stats()
        assert stats["retries"] >= 2 and not stats["database_available"], stats
        assert stats["pending"] > 0 and stats["dropped"] == 0
        await runtime.bus.publish(Event("call.transcript", "during-2", {"text": "still talking", "final": True, "turn": 1}))
    stop.set()
    await watcher
    # publishing a whole call took no time and the event loop never stalled on the database
    assert publish_s < 0.5, publish_s
    assert max(gaps) < 0.5, max(gaps)
    await rec.flush(30)
    assert rec.stats()["database_available"] and rec.stats()["pending"] == 0
    with records.db.session() as s:
        assert s.scalar(select(func.count(Turn.id)).where(Turn.call_id == "during")) == 6
        assert s.scalar(select(func.count(Turn.id)).where(Turn.call_id == "during-2")) == 1
        assert s.get(Call, "during").ended_at is not None
        e = s.get(Escalation, esc)
        assert (e.status, e.operator) == ("resolved", "alice")
        steps = s.scalars(select(EscalationStep.step).where(EscalationStep.escalation_id == esc)
                          .order_by(EscalationStep.id))
        assert list(steps) == ["opened", "ringing", "connected", "resolved"]  # exactly once each, in order


async def test_queue_is_bounded_and_drops_oldest_first(records) -> None:
    from safety.bus import InProcessBus
    from safety.records.recorder import Recorder

    rec = Recorder(records, InProcessBus(), max_pending=10)
    for i in range(30):
        rec.accept(Event("call.transcript", "c", {"text": f"t{i}", "final": True, "turn": i}))
    assert len(rec.pending) == 10 and rec.dropped == 20
    assert [op.data["turn"] for op in rec.pending] == list(range(20, 30))


async def test_stop_flushes_what_is_queued(db_url: str) -> None:
    import safety.records
    from safety.runtime import SafetyRuntime
    from safety.settings import get_settings

    rt = SafetyRuntime(get_settings())
    records = safety.records.setup(rt)
    await rt.start()
    await simulate_call(rt.bus, "at-shutdown", escalate=False)
    await rt.stop()  # no explicit flush: shutting down must write what was published
    with records.db.session() as s:
        assert s.scalar(select(func.count(Turn.id)).where(Turn.call_id == "at-shutdown")) == 6
