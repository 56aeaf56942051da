"""Who may read what, and the audit trail of every read.

- A **supervisor** may read every call's transcript.
- An **operator** may read a call's transcript only when one of its escalations was put through
  to them (``transfer.connected`` / ``transfer.ringing`` naming them) or resolved by them.
- Everyone signed in sees call metadata in the escalation queue (level, kind, status, times),
  never content, unless the rule above allows it.
Every transcript read, allowed or refused, is written to the audit log with who and when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safety.records import crypto
from safety.records.models import AuditLog, Call, Escalation, EscalationStep, RiskAssessment, Turn, utcnow
from safety.records.recorder import apply_resolution
from safety.records.service import Records

ROLES = ("operator", "supervisor")


@dataclass(frozen=True)
class Operator:
    """The signed-in console user (what ``safety.console.auth.current_operator`` returns)."""

    id: int
    username: str
    role: str
    csrf_token: str = ""

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


# Escalation steps that put a call through to an operator (acknowledging an alarm does not).
HANDLING_STEPS = ("ringing", "connected", "accepted", "listening", "resolved")


def involved_call_ids(username: str):  # noqa: ANN201 - a SQL select
    """Calls whose escalation was put through to (rung, accepted, connected, listened in) or
    resolved by ``username``."""
    return select(Escalation.call_id).where(
        or_(
            Escalation.operator == username,
            Escalation.resolved_by == username,
            Escalation.id.in_(select(EscalationStep.escalation_id).where(
                EscalationStep.operator == username, EscalationStep.step.in_(HANDLING_STEPS))),
        )
    )


def can_read_transcript(s: Session, op: Operator, call_id: str) -> bool:
    if op.is_supervisor:
        return True
    return s.scalar(select(Call.id).where(Call.id == call_id, Call.id.in_(involved_call_ids(op.username)))) is not None


def audit(s: Session, actor: str, action: str, *, call_id: str | None = None, target: str | None = None,
          detail: dict[str, Any] | None = None, ip: str | None = None) -> None:
    s.add(AuditLog(at=utcnow(), actor=actor, action=action, call_id=call_id, target=target, detail=detail, ip=ip))


def _escalation_meta(e: Escalation) -> dict[str, Any]:
    return {
        "id": e.id, "call_id": e.call_id, "opened_at": _iso(e.opened_at), "level": e.level, "kind": e.kind,
        "action": e.action, "signals": list(e.signals or []), "status": e.status, "operator": e.operator,
        "outcome": e.outcome, "resolved_at": _iso(e.resolved_at), "resolved_by": e.resolved_by,
    }


def _call_meta(c: Call, can_read: bool) -> dict[str, Any]:
    return {
        "id": c.id, "started_at": _iso(c.started_at), "ended_at": _iso(c.ended_at), "transport": c.transport,
        "duration_s": c.duration_s, "end_reason": c.end_reason, "max_level": c.max_level, "max_kind": c.max_kind,
        "content_deleted": c.content_deleted_at is not None, "content_purged": c.content_purged_at is not None,
        "escalations": [_escalation_meta(e) for e in sorted(c.escalations, key=lambda e: e.opened_at)],
        "can_read_transcript": can_read,
    }


def list_calls(records: Records, op: Operator, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Newest first. Supervisors: every call. Operators: calls they handled, and calls with an
    escalation still waiting for someone (metadata only)."""
    with records.db.session() as s:
        q = select(Call).order_by(Call.started_at.desc()).limit(max(1, min(limit, 500))).offset(max(0, offset))
        mine = set()
        if not op.is_supervisor:
            mine = set(s.scalars(involved_call_ids(op.username)))
            waiting = select(Escalation.call_id).where(Escalation.status.in_(("open", "ringing", "failed")))
            q = q.where(or_(Call.id.in_(involved_call_ids(op.username)), Call.id.in_(waiting)))
        calls = list(s.scalars(q))
        return [_call_meta(c, op.is_supervisor or c.id in mine) for c in calls]


def list_escalations(records: Records, op: Operator, *, status: str = "open", limit: int = 100) -> list[dict[str, Any]]:
    """The queue: highest level first, then longest waiting. Metadata only."""
    from safety.types import Level

    with records.db.session() as s:
        q = select(Escalation)
        if status == "open":
            q = q.where(Escalation.status != "resolved")
        elif status != "all":
            q = q.where(Escalation.status == status)
        rows = list(s.scalars(q.order_by(Escalation.opened_at.desc()).limit(max(1, min(limit, 500)))))
        rank = {lvl.value: lvl.rank for lvl in Level}
        rows.sort(key=lambda e: (-rank.get(e.level, 0), e.opened_at))
        return [_escalation_meta(e) for e in rows]


def call_detail(records: Records, op: Operator, call_id: str) -> dict[str, Any]:
    """Metadata and the risk timeline (levels and signal names per turn; no words)."""
    with records.db.session() as s:
        c = s.get(Call, call_id)
        if c is None:
            raise NotFound(call_id)
        allowed = can_read_transcript(s, op, call_id)
        if not allowed:
            waiting = any(e.status != "resolved" for e in c.escalations)
            if not waiting:
                raise Forbidden(call_id)
        out = _call_meta(c, allowed)
        risk = s.scalars(select(RiskAssessment).where(RiskAssessment.call_id == call_id).order_by(RiskAssessment.id))
        out["risk"] = [
            {"turn": r.turn, "final": r.final, "at": _iso(r.at), "level": r.level, "kind": r.kind,
             "signals": list(r.signals or []), "call_level": r.call_level, "action": r.action}
            for r in risk
        ]
        return out


def read_transcript(records: Records, op: Operator, call_id: str, *, ip: str | None = None) -> dict[str, Any]:
    """Decrypt a call's transcript for ``op`` if allowed; audit the attempt either way."""
    with records.db.session() as s:
        c = s.get(Call, call_id)
        if c is None:
            raise NotFound(call_id)
        if not can_read_transcript(s, op, call_id):
            audit(s, op.username, "transcript.denied", call_id=call_id, ip=ip)
            denied = True
        else:
            denied = False
            audit(s, op.username, "transcript.read", call_id=call_id, detail={"role": op.role}, ip=ip)
            key = records.keys.unwrap(c.wrapped_key, c.key_id)
            turns = s.scalars(select(Turn).where(Turn.call_id == call_id).order_by(Turn.at, Turn.id))
            out_turns = [
                {"turn": t.turn, "role": t.role, "at": _iso(t.at),
                 "text": crypto.decrypt(key, t.text_enc, owner=call_id, field="turn"), "timings": t.timings}
                for t in turns
            ]
            escs = []
            for e in sorted(c.escalations, key=lambda e: e.opened_at):
                m = _escalation_meta(e)
                m["quotes"] = (json.loads(crypto.decrypt(key, e.quotes_enc, owner=call_id, field=f"quotes:{e.id}"))
                               if e.quotes_enc else [])
                m["notes"] = (crypto.decrypt(key, e.notes_enc, owner=call_id, field=f"notes:{e.id}")
                              if e.notes_enc else None)
                m["steps"] = [{"at": _iso(x.at), "step": x.step, "target": x.target, "attempt": x.attempt,
                               "reason": x.reason, "operator": x.operator, "detail": x.detail} for x in e.steps]
                escs.append(m)
            caller = (crypto.decrypt(key, c.caller_number_enc, owner=call_id, field="caller")
                      if c.caller_number_enc else None)
            result = {
                **_call_meta(c, True), "caller": caller, "turns": out_turns, "escalations": escs,
            }
    if denied:
        raise Forbidden(call_id)
    return result


def resolve_escalation(records: Records, op: Operator, escalation_id: str, *, outcome: str, notes: str | None,
                       ip: str | None = None) -> dict[str, Any]:
    """Resolve with an outcome and (encrypted) notes: supervisors, or the operator it was put through to."""
    with records.db.session() as s:
        e = s.get(Escalation, escalation_id)
        if e is None:
            raise NotFound(escalation_id)
        if not (op.is_supervisor or can_read_transcript(s, op, e.call_id)):
            audit(s, op.username, "escalation.resolve.denied", call_id=e.call_id, target=e.id, ip=ip)
            denied = True
        else:
            denied = False
            c = s.get(Call, e.call_id)
            key = records.keys.unwrap(c.wrapped_key, c.key_id)
            apply_resolution(s, e, utcnow(), outcome=outcome, notes=notes, operator=op.username,
                             encrypt=lambda text, field: crypto.encrypt(key, text, owner=e.call_id, field=field))
            audit(s, op.username, "escalation.resolve", call_id=e.call_id, target=e.id,
                  detail={"outcome": e.outcome}, ip=ip)
            result = _escalation_meta(e)
    if denied:
        raise Forbidden(escalation_id)
    return result


def audit_entries(records: Records, *, limit: int = 200, call_id: str | None = None) -> list[dict[str, Any]]:
    with records.db.session() as s:
        q = select(AuditLog).order_by(AuditLog.id.desc()).limit(max(1, min(limit, 1000)))
        if call_id:
            q = q.where(AuditLog.call_id == call_id)
        return [{"at": _iso(a.at), "actor": a.actor, "action": a.action, "call_id": a.call_id,
                 "target": a.target, "detail": a.detail, "ip": a.ip} for a in s.scalars(q)]
