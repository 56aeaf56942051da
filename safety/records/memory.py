"""Opt-in caller memory in the database (``dialogue.memory.MemoryStore`` protocol).

Keyed by the caller pseudonym (``Records.caller_key(number)``: a salted HMAC of the caller id),
never by the number. Each profile has its own data key; the content is AES-256-GCM encrypted.
Only the dialogue manager decides what goes in, and only when the caller has agreed to it.

``put`` never blocks the call: it updates a small in-process cache and hands the write to the
records writer (when the server's recorder runs; otherwise it writes directly). ``get`` is one
primary-key read, done once at the start of a call.
"""

from __future__ import annotations

import collections
import json
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from safety.records import crypto
from safety.records.models import CallerProfile, utcnow

if TYPE_CHECKING:
    from safety.records.service import Records

_MISSING = object()


def _owner(caller_key: str) -> str:
    return f"profile:{caller_key}"


class DbMemoryStore:
    def __init__(self, records: Records, cache_size: int = 1000) -> None:
        self.records = records
        self._cache: collections.OrderedDict[str, dict[str, Any] | None] = collections.OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def get(self, caller_key: str) -> dict[str, Any] | None:
        if not caller_key:
            return None
        with self._lock:
            hit = self._cache.get(caller_key, _MISSING)
        if hit is not _MISSING:
            return json.loads(json.dumps(hit)) if hit is not None else None
        rec = self.records.recorder
        if rec is not None and not rec.db_available:
            return None  # never hold a call up waiting for a database that is away
        with self.records.db.session() as s:
            row = s.get(CallerProfile, caller_key)
            data = None
            if row is not None:
                key = self.records.keys.unwrap(row.wrapped_key, row.key_id)
                data = json.loads(crypto.decrypt(key, row.data_enc, owner=_owner(caller_key), field="memory"))
        self._remember(caller_key, data)
        return data

    def put(self, caller_key: str, data: dict[str, Any]) -> None:
        if not caller_key:
            return
        data = json.loads(json.dumps(data))  # a private, JSON-safe copy
        self._remember(caller_key, data)
        rec = self.records.recorder
        if rec is not None and rec._sub is not None:
            rec.put_memory(caller_key, data)
        else:
            with self.records.db.session() as s:
                self.write(s, caller_key, data)

    def delete(self, caller_key: str) -> None:
        self.forget(caller_key)
        with self.records.db.session() as s:
            s.execute(delete(CallerProfile).where(CallerProfile.caller_hash == caller_key))

    def forget(self, caller_key: str) -> None:
        with self._lock:
            self._cache.pop(caller_key, None)

    def write(self, s: Session, caller_key: str, data: dict[str, Any]) -> None:
        """Upsert inside an open transaction (the records writer calls this)."""
        row = s.get(CallerProfile, caller_key)
        if row is None:
            dk = self.records.keys.new_data_key()
            row = CallerProfile(caller_hash=caller_key, wrapped_key=dk.wrapped, key_id=dk.key_id, data_enc=b"")
            s.add(row)
            key = dk.key
        else:
            key = self.records.keys.unwrap(row.wrapped_key, row.key_id)
        row.data_enc = crypto.encrypt(key, json.dumps(data), owner=_owner(caller_key), field="memory")
        row.updated_at = utcnow()

    def _remember(self, caller_key: str, data: dict[str, Any] | None) -> None:
        with self._lock:
            self._cache[caller_key] = data
            self._cache.move_to_end(caller_key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
