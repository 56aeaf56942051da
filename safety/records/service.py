"""``Records``: the database, the key ring and the background services of the records layer, as one
object. The server registers it as ``runtime.services["records"]`` (see ``safety.records.setup``);
the console API and the CLI reach the same object through ``get_records(settings)``."""

from __future__ import annotations

import logging
import secrets
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from safety.privacy import hash_caller_id
from safety.records import crypto
from safety.records.db import Database, get_database
from safety.records.models import KeyMaterial
from safety.settings import Settings, get_settings

if TYPE_CHECKING:
    from safety.bus import Bus
    from safety.records.memory import DbMemoryStore
    from safety.records.recorder import Recorder
    from safety.records.retention import PurgeTask

log = logging.getLogger(__name__)

_CHECK = b"warmline key check v1"


def open_keyring(db: Database, settings: Settings) -> crypto.KeyRing:
    """Load the master key and make sure it is the one the records were written under.

    A missing key file is only created when the database holds no encrypted records yet: a
    lost key must fail loudly, never be silently replaced by a new one that cannot read them.
    """
    with db.session() as s:
        check = s.get(KeyMaterial, "check")
        stored = (check.wrapped, check.key_id) if check else None
    keys = crypto.KeyRing.from_settings(settings, create=stored is None)
    if stored is None:
        with db.session() as s:
            if s.get(KeyMaterial, "check") is None:
                s.add(KeyMaterial(name="check", wrapped=keys.wrap(_CHECK), key_id=keys.key_id))
        return keys
    if keys.unwrap(stored[0], stored[1]) != _CHECK:
        raise crypto.MasterKeyError("the master key check failed")
    return keys


class Records:
    """Everything records needs at run time. ``start``/``stop`` run the recorder and purge task."""

    def __init__(self, settings: Settings | None = None, *, bus: Bus | None = None, runtime: Any = None) -> None:
        self.settings = settings or get_settings()
        self.db = get_database(self.settings.database_url)
        self.keys = open_keyring(self.db, self.settings)
        self._salt: str | None = None
        self._salt_lock = threading.Lock()
        from safety.records.memory import DbMemoryStore
        from safety.records.recorder import Recorder
        from safety.records.retention import PurgeTask

        self.recorder: Recorder | None = Recorder(self, bus, runtime=runtime) if bus is not None else None
        self.memory: DbMemoryStore = DbMemoryStore(self)
        self.purger: PurgeTask = PurgeTask(self)

    # -- caller pseudonyms -------------------------------------------------------------------
    def caller_salt(self) -> str:
        """``WARMLINE_CALLER_ID_SALT`` or a random salt kept wrapped in the database."""
        if self.settings.caller_id_salt:
            return self.settings.caller_id_salt
        with self._salt_lock:
            if self._salt is None:
                with self.db.session() as s:
                    row = s.get(KeyMaterial, "caller_salt")
                    if row is None:
                        salt = secrets.token_bytes(32)
                        s.add(KeyMaterial(name="caller_salt", wrapped=self.keys.wrap(salt), key_id=self.keys.key_id))
                    else:
                        salt = self.keys.unwrap(row.wrapped, row.key_id)
                self._salt = salt.hex()
            return self._salt

    def caller_key(self, number: str | None) -> str | None:
        """The pseudonymous key for opt-in caller memory (``DialogueManager(caller_key=...)``)."""
        if not number:
            return None
        return hash_caller_id(number, self.caller_salt())

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        if self.recorder is not None:
            await self.recorder.start()
        await self.purger.start()

    async def stop(self) -> None:
        await self.purger.stop()
        if self.recorder is not None:
            await self.recorder.stop()

    def key_ids_in_use(self) -> set[str]:
        from safety.records.models import Call, CallerProfile

        with self.db.session() as s:
            ids = set(s.scalars(select(Call.key_id).distinct()))
            ids |= set(s.scalars(select(CallerProfile.key_id).distinct()))
            ids |= set(s.scalars(select(KeyMaterial.key_id).distinct()))
        return ids


_lock = threading.Lock()
_cache: dict[tuple[str, str, str], Records] = {}


def get_records(settings: Settings | None = None) -> Records:
    """A process-wide ``Records`` without a recorder (for the API, CLI and privacy helpers)."""
    settings = settings or get_settings()
    k = (settings.database_url, settings.data_key, settings.data_key_file)
    with _lock:
        rec = _cache.get(k)
        if rec is None:
            rec = _cache[k] = Records(settings)
        return rec


def forget_records() -> None:
    with _lock:
        _cache.clear()
