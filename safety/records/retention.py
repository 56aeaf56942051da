"""Retention: how long each kind of record is kept, and the purge that enforces it.

Days per record type come from settings (``WARMLINE_RETENTION_DAYS_*``):
- transcripts (what was said: turns, replies, escalation quotes and notes, the caller's number): 30
- calls (that a call happened, its risk levels, escalations and their steps): 365
- audit log: 730
- opt-in caller memory, from its last update: 90
- audio (only stored when ``WARMLINE_STORE_AUDIO`` is on): 7
Expired console sessions go too. ``warmline purge`` runs it by hand; ``PurgeTask`` runs it at start-up
and then every ``WARMLINE_PURGE_INTERVAL_HOURS`` (24) in the server.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, or_, select, update

from safety.records.models import (
    AuditLog,
    Call,
    CallerProfile,
    Escalation,
    EscalationStep,
    OperatorSession,
    Recording,
    RiskAssessment,
    Turn,
    utcnow,
)

if TYPE_CHECKING:
    from safety.records.service import Records

log = logging.getLogger(__name__)


@dataclass
class PurgeReport:
    transcripts: int = 0  # calls whose content was deleted
    calls: int = 0
    audio: int = 0
    audit: int = 0
    memory: int = 0
    sessions: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def purge(records: Records, now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Delete everything past its retention period, in one transaction. Returns what went."""
    st = records.settings
    now = now or utcnow()
    r = PurgeReport()
    t_cut = now - timedelta(days=st.retention_days_transcripts)
    c_cut = now - timedelta(days=st.retention_days_calls)
    a_cut = now - timedelta(days=st.retention_days_audit)
    m_cut = now - timedelta(days=st.retention_days_memory)
    au_cut = now - timedelta(days=st.retention_days_audio)
    with records.db.session() as s:
        # 1. whole calls past the call retention (content included)
        old_calls = select(Call.id).where(Call.started_at < c_cut)
        r.calls = s.scalar(select(func.count()).select_from(old_calls.subquery())) or 0
        # 2. content of calls past the transcript retention
        has_content = or_(
            Call.caller_number_enc.is_not(None),
            Call.id.in_(select(Turn.call_id)),
            Call.id.in_(select(Recording.call_id)),
            Call.id.in_(select(Escalation.call_id).where(
                or_(Escalation.quotes_enc.is_not(None), Escalation.notes_enc.is_not(None)))),
        )
        content_calls = select(Call.id).where(Call.started_at < t_cut, Call.started_at >= c_cut, has_content)
        r.transcripts = s.scalar(select(func.count()).select_from(content_calls.subquery())) or 0
        r.audio = s.scalar(select(func.count(Recording.id)).where(
            or_(Recording.created_at < au_cut, Recording.call_id.in_(old_calls)))) or 0
        r.audit = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.at < a_cut)) or 0
        r.memory = s.scalar(select(func.count()).where(CallerProfile.updated_at < m_cut)) or 0
        r.sessions = s.scalar(select(func.count()).where(OperatorSession.expires_at < now)) or 0
        if dry_run:
            return r
        content_ids = list(s.scalars(content_calls))
        for chunk in _chunks(content_ids, 500):
            s.execute(delete(Turn).where(Turn.call_id.in_(chunk)))
            s.execute(delete(Recording).where(Recording.call_id.in_(chunk)))
            s.execute(update(Escalation).where(Escalation.call_id.in_(chunk)).values(quotes_enc=None, notes_enc=None))
            s.execute(update(Call).where(Call.id.in_(chunk)).values(caller_number_enc=None, content_purged_at=now))
        old_ids = list(s.scalars(old_calls))
        for chunk in _chunks(old_ids, 500):
            s.execute(delete(EscalationStep).where(EscalationStep.call_id.in_(chunk)))
            s.execute(delete(Escalation).where(Escalation.call_id.in_(chunk)))
            s.execute(delete(RiskAssessment).where(RiskAssessment.call_id.in_(chunk)))
            s.execute(delete(Turn).where(Turn.call_id.in_(chunk)))
            s.execute(delete(Recording).where(Recording.call_id.in_(chunk)))
            s.execute(delete(Call).where(Call.id.in_(chunk)))
        s.execute(delete(Recording).where(Recording.created_at < au_cut))
        s.execute(delete(AuditLog).where(AuditLog.at < a_cut))
        s.execute(delete(CallerProfile).where(CallerProfile.updated_at < m_cut))
        s.execute(delete(OperatorSession).where(OperatorSession.expires_at < now))
        s.add(AuditLog(at=now, actor="system", action="purge", detail=r.as_dict()))
    records.memory._cache.clear()
    return r


def _chunks(items: list[str], n: int) -> list[list[str]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


class PurgeTask:
    """Runs ``purge`` shortly after start-up and then every ``purge_interval_hours``, off the event loop."""

    def __init__(self, records: Records, first_delay_s: float = 5.0) -> None:
        self.records = records
        self.first_delay_s = first_delay_s
        self._task: asyncio.Task | None = None
        self.runs = 0
        self.last: PurgeReport | None = None

    async def start(self) -> None:
        hours = self.records.settings.purge_interval_hours
        if hours > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(hours * 3600.0), name="records-purge")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self, interval_s: float) -> None:
        await asyncio.sleep(self.first_delay_s)
        while True:
            try:
                self.last = await asyncio.to_thread(purge, self.records)
                self.runs += 1
                log.info("records: purge removed %s", self.last.as_dict())
            except Exception as e:  # the database may be away; try again next time
                log.warning("records: purge failed (%s); will retry", type(e).__name__)
            await asyncio.sleep(interval_s)
