"""Fixtures for the safety tests: real databases for records.

``postgres_url`` creates a throwaway database on the PostgreSQL server at 127.0.0.1:5432 (user
postgres, trust auth; override with WARMLINE_TEST_PG_ADMIN) and drops it afterwards. When no server
can be reached the test is SKIPPED with a clear message on a laptop, and FAILS in CI (CI=true).
``db_url`` runs a test against SQLite and against PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import IN_CI

PG_ADMIN = os.environ.get("WARMLINE_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


def pg_admin():  # noqa: ANN201 - a psycopg connection
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        msg = (f"PostgreSQL is not reachable at {PG_ADMIN} ({str(e).strip().splitlines()[0]}); "
               "start it (e.g. `pg_ctlcluster 15 main start`) to run the PostgreSQL records tests")
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests: " + msg)
        pytest.skip(msg)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    admin = pg_admin()
    name = f"warmline_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    host = PG_ADMIN.split("@", 1)[-1].rsplit("/", 1)[0]
    user = PG_ADMIN.split("://", 1)[1].split("@", 1)[0]
    url = f"postgresql+psycopg://{user}@{host}/{name}"
    try:
        yield url
    finally:
        from safety.records.db import forget_database

        forget_database(url)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test's database: its own SQLite file, or a throwaway PostgreSQL database."""
    from safety.records.db import forget_database
    from safety.records.service import forget_records
    from safety.settings import get_settings

    if request.param == "sqlite":
        url = os.environ["WARMLINE_DATABASE_URL"]
    else:
        url = request.getfixturevalue("postgres_url")
        monkeypatch.setenv("WARMLINE_DATABASE_URL", url)
    monkeypatch.setenv("WARMLINE_PURGE_INTERVAL_HOURS", "0")
    get_settings.cache_clear()
    forget_records()
    yield url
    forget_records()
    forget_database(url)


@pytest.fixture
def records(db_url: str):  # noqa: ANN201
    from safety.records.service import get_records
    from safety.settings import get_settings

    return get_records(get_settings())


@pytest.fixture
async def runtime(db_url: str) -> AsyncIterator:
    """A started SafetyRuntime with the records service (recorder on the in-process bus)."""
    import safety.records
    from safety.runtime import SafetyRuntime
    from safety.settings import get_settings

    rt = SafetyRuntime(get_settings())
    safety.records.setup(rt)
    rt.services["calls"] = {}
    await rt.start()
    try:
        yield rt
    finally:
        await rt.stop()
