"""Suite-wide fixtures. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Each test gets its own SQLite file and key file, and fresh cached settings."""
    monkeypatch.setenv("WARMLINE_DATABASE_URL", f"sqlite:///{tmp_path}/warmline.db")
    monkeypatch.setenv("WARMLINE_DATA_KEY_FILE", str(tmp_path / "warmline.key"))
    from safety.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
