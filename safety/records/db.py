"""Database engine and sessions: SQLite (WAL) with no setup by default, PostgreSQL via psycopg 3 when
``WARMLINE_DATABASE_URL`` is ``postgresql+psycopg://user@host/db``. The schema is brought to the
latest Alembic revision programmatically at start-up (``Database.migrate``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# How long a SQLite writer waits for a lock before giving up (the records writer then retries later).
SQLITE_BUSY_TIMEOUT_MS = 2000


def normalize_url(url: str) -> str:
    """Accept the common spellings of a PostgreSQL URL and always use the psycopg 3 driver."""
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten, not left in free pages
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.close()

        return engine
    if u.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_recycle=1800,
            connect_args={"connect_timeout": 5},
        )
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One engine + session factory per database URL."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions() as s, s.begin():
            yield s

    def migrate(self) -> None:
        """``alembic upgrade head``, run in-process against this engine."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        self.engine.dispose()


_lock = threading.Lock()
_databases: dict[str, Database] = {}


def get_database(url: str, *, migrate: bool = True) -> Database:
    """The process-wide ``Database`` for ``url`` (migrated to head on first use)."""
    url = normalize_url(url)
    with _lock:
        db = _databases.get(url)
        if db is None:
            db = Database(url)
            if migrate:
                db.migrate()
            _databases[url] = db
        return db


def forget_database(url: str) -> None:
    """Drop the cached engine for ``url`` (tests, and after the database was replaced)."""
    with _lock:
        db = _databases.pop(normalize_url(url), None)
    if db is not None:
        db.dispose()
