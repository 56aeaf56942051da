"""Returning-caller memory, only with the caller's consent.

Keyed by a salted hash of the caller ID that the caller of this module computes
(``safety.privacy.hash_caller_id``); the dialogue never sees a phone number. What is kept is small:
the last agreed next step, the last mood rating and when. The database-backed store lives in
``safety.records.memory.DbMemoryStore`` and has the same two methods.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class MemoryStore(Protocol):
    def get(self, caller_key: str) -> dict | None: ...

    def put(self, caller_key: str, data: dict) -> None: ...


class InMemoryStore:
    """A process-local MemoryStore (tests, `warmline chat`). Putting an empty dict forgets the caller."""

    def __init__(self) -> None:
        self._data: dict[str, dict] = {}
        self._lock = threading.Lock()

    def get(self, caller_key: str) -> dict | None:
        with self._lock:
            d = self._data.get(caller_key)
            return dict(d) if d else None

    def put(self, caller_key: str, data: dict) -> None:
        with self._lock:
            if data:
                self._data[caller_key] = dict(data)
            else:
                self._data.pop(caller_key, None)


def remembered(store: MemoryStore | None, caller_key: str | None) -> dict | None:
    """What we may use from a previous call: only a record the caller consented to."""
    if store is None or not caller_key:
        return None
    try:
        data = store.get(caller_key)
    except Exception:  # a memory outage must never break a call
        return None
    if not data or not data.get("consent"):
        return None
    return data


def remember(store: MemoryStore | None, caller_key: str | None, *, next_step: str | None, mood: int | None) -> bool:
    if store is None or not caller_key:
        return False
    try:
        store.put(caller_key, {"consent": True, "next_step": next_step, "mood": mood, "ts": time.time()})
        return True
    except Exception:
        return False


def forget(store: MemoryStore | None, caller_key: str | None) -> None:
    if store is None or not caller_key:
        return
    try:
        store.put(caller_key, {})
    except Exception:
        pass
