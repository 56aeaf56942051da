"""The records schema (SQLAlchemy 2, typed). Changes go through an Alembic migration in
``safety/records/migrations/versions``.

What a caller said (transcript turns, the line's replies, escalation quotes, operator notes, the
caller's number, opt-in memory, audio) is stored only as AES-256-GCM ciphertext (``*_enc`` columns,
see crypto.py). Everything else is metadata: times, risk levels, signal names, outcomes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ended_at: Mapped[datetime | None]
    transport: Mapped[str] = mapped_column(String(16), default="")
    provider_call_sid: Mapped[str | None] = mapped_column(String(64))
    caller_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    end_reason: Mapped[str | None] = mapped_column(String(64))
    duration_s: Mapped[float | None] = mapped_column(Float)
    max_level: Mapped[str] = mapped_column(String(16), default="none")
    max_kind: Mapped[str] = mapped_column(String(24), default="none")
    content_deleted_at: Mapped[datetime | None]  # the caller asked: "delete what I said"
    content_purged_at: Mapped[datetime | None]  # transcript retention ran out

    turns: Mapped[list[Turn]] = relationship(back_populates="call", cascade="all, delete-orphan", passive_deletes=True)
    escalations: Mapped[list[Escalation]] = relationship(
        back_populates="call", cascade="all, delete-orphan", passive_deletes=True
    )


class Turn(Base):
    """One final utterance: the caller's (``role="caller"``) or the line's reply (``role="line"``)."""

    __tablename__ = "turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    turn: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text_enc: Mapped[bytes] = mapped_column(LargeBinary)
    timings: Mapped[dict[str, Any] | None]

    call: Mapped[Call] = relationship(back_populates="turns")


class RiskAssessment(Base):
    """Risk per utterance (no text: the words live, encrypted, in ``turns``)."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    turn: Mapped[int] = mapped_column(Integer, default=0)
    final: Mapped[bool] = mapped_column(Boolean, default=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))
    signals: Mapped[list[Any]] = mapped_column(default=list)
    call_level: Mapped[str] = mapped_column(String(16), default="none")
    call_kind: Mapped[str] = mapped_column(String(24), default="none")
    action: Mapped[str] = mapped_column(String(32), default="continue")


class Escalation(Base):
    __tablename__ = "escalations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    level: Mapped[str] = mapped_column(String(16), default="none")
    kind: Mapped[str] = mapped_column(String(24), default="none")
    action: Mapped[str] = mapped_column(String(32), default="")
    signals: Mapped[list[Any]] = mapped_column(default=list)
    quotes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # JSON [[ts, text], ...], encrypted
    status: Mapped[str] = mapped_column(String(16), default="open")  # open ringing connected failed resolved
    operator: Mapped[str | None] = mapped_column(String(64), index=True)  # who took the call
    outcome: Mapped[str | None] = mapped_column(String(64))
    notes_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(64))

    call: Mapped[Call] = relationship(back_populates="escalations")
    steps: Mapped[list[EscalationStep]] = relationship(
        back_populates="escalation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="EscalationStep.id",
    )


class EscalationStep(Base):
    """Every step of a warm transfer, for the audit trail: opened, ringing, connected, failed, resolved,
    and the transfer manager's own ``transfer.step`` events (accepted, listening, announced, retry, ...)."""

    __tablename__ = "escalation_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    escalation_id: Mapped[str] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    step: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(256))  # the human line tried (staff, not the caller)
    attempt: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(256))
    operator: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any] | None]  # other scalar facts of a transfer.step (round, level, ...)

    escalation: Mapped[Escalation] = relationship(back_populates="steps")


class Operator(Base):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="operator")  # operator | supervisor
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class OperatorSession(Base):
    """Server-side console sessions. Only a SHA-256 of the cookie's token is stored."""

    __tablename__ = "operator_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class AuditLog(Base):
    """Who did what, when: every transcript read, sign-in, resolution, purge and key rotation.
    Never holds content; kept for ``retention_days_audit`` and outlives the calls it mentions."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48), index=True)
    call_id: Mapped[str | None] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(128))
    detail: Mapped[dict[str, Any] | None]
    ip: Mapped[str | None] = mapped_column(String(64))


class CallerProfile(Base):
    """Opt-in memory between calls, keyed by a salted HMAC of the caller id (never the number)."""

    __tablename__ = "caller_profiles"

    caller_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)


class Recording(Base):
    """Call audio, only when ``WARMLINE_STORE_AUDIO`` is on; encrypted like the transcript."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sample_rate: Mapped[int] = mapped_column(Integer, default=16000)
    audio_enc: Mapped[bytes] = mapped_column(LargeBinary)


class KeyMaterial(Base):
    """Small secrets wrapped by the master key: a key check (so a wrong key fails loudly at start)
    and the caller-id salt. Re-wrapped by ``warmline keys rotate`` like the data keys."""

    __tablename__ = "key_material"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
