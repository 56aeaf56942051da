"""The Recorder: turns bus events into rows, in the background, without ever slowing a call.

Events go from the bus into an in-memory queue (bounded: when full, the oldest record is dropped
and counted) and one writer thread applies them in batches, one transaction per batch. When the
database is unreachable (stopped, locked, network gone) the batch stays at the head of the queue
and is retried with back-off; the call goes on, and nothing is lost once the database is back
unless the queue overflowed (``stats()["dropped"]``).

Encryption happens in the writer thread, with each call's data key (see crypto.py). Event data is
never logged: log lines carry call ids and counts only.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import itertools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exc, select
from sqlalchemy.orm import Session

from safety import bus as ev
from safety.records import crypto
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
from safety.types import Level

if TYPE_CHECKING:
    from safety.bus import Bus, Event, Subscription
    from safety.records.service import Records

log = logging.getLogger(__name__)

BATCH = 200
# The transfer manager's audit steps that have no contract event of their own (safety/transfer).
TRANSFER_STEP = "transfer.step"
RECORDED_EVENTS = frozenset(ev.EVENT_NAMES) | {TRANSFER_STEP}
# Internal operations (not bus events) that share the same ordered queue.
MEMORY_PUT = "records.memory_put"
AUDIO = "records.audio"


@dataclass
class Op:
    name: str
    call_id: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0


def _level_max(a: str, b: str) -> str:
    try:
        return b if Level(b) > Level(a) else a
    except ValueError:
        return a


def _transient(e: BaseException) -> bool:
    """Errors that mean "the database is not there right now", worth retrying."""
    if isinstance(e, exc.DBAPIError):
        if e.connection_invalidated or isinstance(e, exc.OperationalError | exc.InterfaceError):
            return True
        orig = getattr(e, "orig", None)
        # psycopg: admin shutdown, cannot connect now, connection failure
        code = getattr(orig, "sqlstate", None) or ""
        return code.startswith(("08", "57P"))
    return isinstance(e, exc.TimeoutError | exc.DisconnectionError | ConnectionError | TimeoutError)


class Recorder:
    def __init__(self, records: Records, bus: Bus, *, runtime: Any = None, max_pending: int | None = None) -> None:
        self.records = records
        self.bus = bus
        self.runtime = runtime
        self.max_pending = max_pending or records.settings.records_queue_max
        self.pending: collections.deque[Op] = collections.deque()
        self._seq = itertools.count(1)
        self._wake = asyncio.Event()
        self._sub: Subscription | None = None
        self._tasks: list[asyncio.Task] = []
        self._exec = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="records-writer")
        self._busy = False
        self._deks: collections.OrderedDict[str, bytes] = collections.OrderedDict()  # writer thread only
        # call id -> caller id, in memory only, for "delete what I said" (recent calls)
        self._callers: collections.OrderedDict[str, str] = collections.OrderedDict()
        self._local_only = not isinstance(bus, ev.InProcessBus)
        self._local_calls: set[str] = set()
        # counters
        self.written = 0
        self.dropped = 0
        self.failed = 0
        self.retries = 0
        self.db_available = True
        self._backoff = 0.1
        self.max_backoff = 2.0  # seconds between retries while the database is away

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        if self._sub is not None:
            return
        self._sub = self.bus.subscribe(maxsize=max(self.max_pending, 1000))
        self._wake = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._consume(), name="records-consume"),
            asyncio.create_task(self._write_loop(), name="records-writer"),
        ]

    async def stop(self, deadline_s: float = 5.0) -> None:
        if self._sub is None:
            return
        self._drain_subscription()
        try:
            await self.flush(deadline_s)
        except TimeoutError:
            log.warning("records: stopping with %d records not yet written (database unavailable)", len(self.pending))
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self._sub.close()
        self._sub = None
        self._exec.shutdown(wait=False, cancel_futures=True)

    def stats(self) -> dict[str, Any]:
        return {
            "pending": len(self.pending), "written": self.written, "dropped": self.dropped,
            "failed": self.failed, "retries": self.retries, "database_available": self.db_available,
        }

    async def flush(self, deadline_s: float = 10.0) -> None:
        """Wait until every event published so far is written (tests, shutdown)."""
        deadline = time.monotonic() + deadline_s
        while True:
            self._drain_subscription()
            if not self.pending and not self._busy:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"records: {len(self.pending)} records still pending")
            self._wake.set()
            await asyncio.sleep(0.01)

    # -- intake (event loop; never blocks) ---------------------------------------------------
    def _drain_subscription(self) -> None:
        if self._sub is None:
            return
        while not self._sub.queue.empty():
            self.accept(self._sub.queue.get_nowait())

    async def _consume(self) -> None:
        assert self._sub is not None
        async for event in self._sub:
            try:
                self.accept(event)
            except Exception as e:  # a malformed event must not stop the recorder
                log.warning("records: ignored a malformed %s event for call %s (%s)", event.name, event.call_id, type(e).__name__)

    def accept(self, event: Event) -> None:
        """Queue one bus event for writing (only what records need; partial transcripts are not kept)."""
        name, d = event.name, event.data
        if self._local_only:
            # With a shared (Redis) bus every worker sees every call: record only this worker's calls.
            calls = (self.runtime.services.get("calls") if self.runtime is not None else None) or {}
            if name == ev.CALL_STARTED and event.call_id in calls:
                self._local_calls.add(event.call_id)
            if event.call_id not in self._local_calls:
                return
        if name == ev.CALL_TRANSCRIPT and not d.get("final", True):
            return
        if name == ev.RISK_ASSESSED and not d.get("final", True) and d.get("level", "none") == "none":
            return
        if name == ev.ESCALATION_RESOLVED and d.get("recorded"):
            return  # the console API already wrote it
        if name == ev.CALL_STARTED and d.get("caller"):
            self._callers[event.call_id] = str(d["caller"])
            while len(self._callers) > 5000:
                self._callers.popitem(last=False)
        if name not in RECORDED_EVENTS:
            return
        self.enqueue(Op(name, event.call_id, datetime.fromtimestamp(event.ts, UTC), dict(d)))

    def enqueue(self, op: Op) -> None:
        op.seq = next(self._seq)
        if len(self.pending) >= self.max_pending:
            self.pending.popleft()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error("records: queue full (%d); dropped %d oldest records so far", self.max_pending, self.dropped)
        self.pending.append(op)
        self._wake.set()

    def put_memory(self, caller_key: str, data: dict[str, Any]) -> None:
        self.enqueue(Op(MEMORY_PUT, "", utcnow(), {"caller_key": caller_key, "data": data}))

    def add_audio(self, call_id: str, pcm: bytes, sample_rate: int = 16000) -> None:
        """Keep a call's audio, encrypted; a no-op unless WARMLINE_STORE_AUDIO is on."""
        if self.records.settings.store_audio and pcm:
            self.enqueue(Op(AUDIO, call_id, utcnow(), {"pcm": bytes(pcm), "rate": sample_rate}))

    # -- writer --------------------------------------------------------------------------------
    async def _write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self.pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            batch = list(itertools.islice(self.pending, BATCH))
            self._busy = True
            try:
                written, bad = await loop.run_in_executor(self._exec, self._apply_batch, batch)
            except Exception as e:  # the database is away (or worse): keep the records, retry later
                self._busy = False
                self.retries += 1
                if self.db_available:
                    log.log(logging.WARNING if _transient(e) else logging.ERROR,
                            "records: database unavailable (%s); holding %d records in memory",
                            type(e).__name__, len(self.pending))
                self.db_available = False
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, self.max_backoff)
                continue
            self._busy = False
            if not self.db_available:
                log.warning("records: database back; writing %d queued records", len(self.pending))
            self.db_available = True
            self._backoff = 0.1
            self.written += written
            self.failed += bad
            last = batch[-1].seq
            while self.pending and self.pending[0].seq <= last:
                self.pending.popleft()

    def _apply_batch(self, batch: list[Op]) -> tuple[int, int]:
        """Writer thread: one transaction for the batch; on a non-transient error, op by op so one
        bad record cannot hold up the rest. Transient errors propagate (the batch is retried)."""
        db = self.records.db
        try:
            with db.session() as s:
                for op in batch:
                    self._apply(s, op)
            return len(batch), 0
        except Exception as e:
            self._deks.clear()  # a rolled-back call row may have taken its new key with it
            if _transient(e):
                raise
        ok = bad = 0
        for op in batch:
            try:
                with db.session() as s:
                    self._apply(s, op)
                ok += 1
            except Exception as e:
                self._deks.pop(op.call_id, None)
                if _transient(e):
                    raise
                bad += 1
                log.error("records: could not write a %s record for call %s (%s)", op.name, op.call_id, type(e).__name__)
        return ok, bad

    # -- applying one op (writer thread, inside a transaction) --------------------------------
    def _dek(self, s: Session, call: Call) -> bytes:
        key = self._deks.get(call.id)
        if key is None:
            key = self.records.keys.unwrap(call.wrapped_key, call.key_id)
            self._deks[call.id] = key
            while len(self._deks) > 2000:
                self._deks.popitem(last=False)
        else:
            self._deks.move_to_end(call.id)
        return key

    def _call(self, s: Session, op: Op) -> Call:
        call = s.get(Call, op.call_id)
        if call is None:
            dk = self.records.keys.new_data_key()
            call = Call(id=op.call_id, started_at=op.at, wrapped_key=dk.wrapped, key_id=dk.key_id, transport="")
            s.add(call)
            s.flush()
            self._deks[op.call_id] = dk.key
        return call

    def _enc(self, s: Session, call: Call, text: str, field: str) -> bytes:
        return crypto.encrypt(self._dek(s, call), text, owner=call.id, field=field)

    def _escalation(self, s: Session, call: Call, op: Op) -> Escalation:
        esc_id = str(op.data.get("escalation_id") or f"{call.id}-escalation")
        esc = s.get(Escalation, esc_id)
        if esc is None:
            esc = Escalation(id=esc_id, call_id=call.id, opened_at=op.at, signals=[], status="open")
            s.add(esc)
            s.flush()
        return esc

    def _apply(self, s: Session, op: Op) -> None:
        handler: Callable[[Session, Op], None] | None = _HANDLERS.get(op.name)
        if handler is not None:
            handler(self, s, op)

    def _on_started(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        d = op.data
        call.started_at = op.at
        call.transport = str(d.get("transport") or "")[:16]
        call.provider_call_sid = (str(d["provider_call_sid"])[:64] if d.get("provider_call_sid") else None)
        if d.get("caller"):
            call.caller_number_enc = self._enc(s, call, str(d["caller"]), "caller")

    def _on_transcript(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        text = str(op.data.get("text") or "")
        if text:
            s.add(Turn(call_id=call.id, turn=int(op.data.get("turn") or 0), role="caller", at=op.at,
                       text_enc=self._enc(s, call, text, "turn")))

    def _on_reply(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        text = str(op.data.get("text") or "")
        timings = op.data.get("timings")
        s.add(Turn(call_id=call.id, turn=int(op.data.get("turn") or 0), role="line", at=op.at,
                   text_enc=self._enc(s, call, text, "turn"),
                   timings={k: v for k, v in timings.items() if isinstance(v, int | float)} if isinstance(timings, dict) else None))

    def _on_risk(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        d = op.data
        row = RiskAssessment(
            call_id=call.id, turn=int(d.get("turn") or 0), final=bool(d.get("final", True)), at=op.at,
            level=str(d.get("level") or "none"), kind=str(d.get("kind") or "none"),
            signals=[str(x) for x in d.get("signals") or []],
            call_level=str(d.get("call_level") or d.get("level") or "none"),
            call_kind=str(d.get("call_kind") or d.get("kind") or "none"), action=str(d.get("action") or "continue"),
        )
        s.add(row)
        for lvl, kind in ((row.level, row.kind), (row.call_level, row.call_kind)):
            new = _level_max(call.max_level, lvl)
            if new != call.max_level:
                call.max_level, call.max_kind = new, kind

    def _on_escalation_opened(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        esc = self._escalation(s, call, op)
        d = op.data
        esc.opened_at = op.at
        esc.level = str(d.get("level") or "none")
        esc.kind = str(d.get("kind") or "none")
        esc.action = str(d.get("action") or "")
        esc.signals = [str(x) for x in d.get("signals") or []]
        quotes = d.get("quotes") or []
        if quotes:
            esc.quotes_enc = self._enc(s, call, json.dumps(quotes), f"quotes:{esc.id}")
        call.max_level = _level_max(call.max_level, esc.level)
        if call.max_level == esc.level:
            call.max_kind = esc.kind
        s.add(EscalationStep(escalation_id=esc.id, call_id=call.id, at=op.at, step="opened"))

    def _on_transfer(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        esc = self._escalation(s, call, op)
        d = op.data
        step = op.name.split(".", 1)[1]  # ringing | connected | failed
        if esc.status not in ("resolved", "connected") or step == "connected":
            esc.status = step
        operator = d.get("operator")
        if step == "connected" and operator:
            esc.operator = str(operator)[:64]
        s.add(EscalationStep(
            escalation_id=esc.id, call_id=call.id, at=op.at, step=step,
            target=str(d["target"])[:256] if d.get("target") else None,
            attempt=int(d["attempt"]) if isinstance(d.get("attempt"), int) else None,
            reason=str(d["reason"])[:256] if d.get("reason") else None,
            operator=str(operator)[:64] if operator else None,
        ))

    def _on_step(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        esc = self._escalation(s, call, op)
        d = op.data
        operator = d.get("operator")
        # only scalar facts, and never free text that could carry what the caller said
        detail = {k: v for k, v in d.items() if k not in ("escalation_id", "step", "operator", "target", "text",
                                                          "notes", "quotes", "brief", "caller")
                  and isinstance(v, bool | int | float | str) and len(str(v)) <= 64}
        s.add(EscalationStep(
            escalation_id=esc.id, call_id=call.id, at=op.at, step=str(d.get("step") or "step")[:32],
            target=str(d["target"])[:256] if d.get("target") else None,
            operator=str(operator)[:64] if operator else None, detail=detail or None,
        ))

    def _on_resolved(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        esc = self._escalation(s, call, op)
        apply_resolution(s, esc, op.at, outcome=op.data.get("outcome"), notes=op.data.get("notes"),
                         operator=op.data.get("operator"),
                         encrypt=lambda text, field: self._enc(s, call, text, field))

    def _on_ended(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        d = op.data
        call.ended_at = op.at
        call.end_reason = str(d.get("reason") or "")[:64] or None
        if isinstance(d.get("duration_s"), int | float):
            call.duration_s = float(d["duration_s"])
        caller = self._callers.get(call.id)  # not popped: a failed batch is retried
        if d.get("delete_content"):
            caller_key = self.records.caller_key(caller) if caller else None
            delete_call_content(s, call, op.at)
            if caller_key:  # opt-in memory is made of what they said, too
                s.execute(delete(CallerProfile).where(CallerProfile.caller_hash == caller_key))
                self.records.memory.forget(caller_key)
            s.add(AuditLog(at=op.at, actor="caller", action="content.deleted", call_id=call.id,
                           detail={"reason": "caller asked during the call"}))
            self._deks.pop(call.id, None)

    def _on_memory(self, s: Session, op: Op) -> None:
        self.records.memory.write(s, op.data["caller_key"], op.data["data"])

    def _on_audio(self, s: Session, op: Op) -> None:
        call = self._call(s, op)
        if call.content_deleted_at is not None:
            return
        key = self._dek(s, call)
        s.add(Recording(call_id=call.id, created_at=op.at, sample_rate=int(op.data["rate"]),
                        audio_enc=crypto.encrypt_bytes(key, op.data["pcm"], owner=call.id, field="audio")))


_HANDLERS: dict[str, Callable[[Recorder, Session, Op], None]] = {
    ev.CALL_STARTED: Recorder._on_started,
    ev.CALL_TRANSCRIPT: Recorder._on_transcript,
    ev.CALL_REPLY: Recorder._on_reply,
    ev.RISK_ASSESSED: Recorder._on_risk,
    ev.ESCALATION_OPENED: Recorder._on_escalation_opened,
    ev.TRANSFER_RINGING: Recorder._on_transfer,
    ev.TRANSFER_CONNECTED: Recorder._on_transfer,
    ev.TRANSFER_FAILED: Recorder._on_transfer,
    ev.ESCALATION_RESOLVED: Recorder._on_resolved,
    TRANSFER_STEP: Recorder._on_step,
    ev.CALL_ENDED: Recorder._on_ended,
    MEMORY_PUT: Recorder._on_memory,
    AUDIO: Recorder._on_audio,
}


def apply_resolution(s: Session, esc: Escalation, at: datetime, *, outcome: Any, notes: Any, operator: Any,
                     encrypt: Callable[[str, str], bytes]) -> None:
    """Mark an escalation resolved (shared by the recorder and the console API)."""
    esc.status = "resolved"
    esc.outcome = str(outcome or "")[:64] or None
    esc.resolved_at = at
    esc.resolved_by = str(operator)[:64] if operator else None
    if notes:
        esc.notes_enc = encrypt(str(notes), f"notes:{esc.id}")
    s.add(EscalationStep(escalation_id=esc.id, call_id=esc.call_id, at=at, step="resolved",
                         operator=esc.resolved_by))


def delete_call_content(s: Session, call: Call, at: datetime) -> None:
    """Delete what the caller said (and what the line said back, which mirrors it) and any audio;
    keep that the call happened, its risk levels and its escalations (for safety)."""
    s.execute(delete(Turn).where(Turn.call_id == call.id))
    s.execute(delete(Recording).where(Recording.call_id == call.id))
    for esc in s.scalars(select(Escalation).where(Escalation.call_id == call.id)):
        esc.quotes_enc = None
    call.content_deleted_at = at
