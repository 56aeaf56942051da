"""Master key handling and `warmline keys rotate`."""

from __future__ import annotations

import base64
import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from safety.records import access, crypto
from safety.records.db import forget_database
from safety.records.models import AuditLog, Call, Turn
from safety.records.service import Records, forget_records
from safety.settings import Settings, get_settings
from tests.safety.records_util import CALLER_TURNS, simulate_call

SUPERVISOR = access.Operator(id=0, username="sue", role="supervisor")


def read_key(path: Path) -> bytes:
    return crypto.decode_key(path.read_text())


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _fresh_records() -> Records:
    forget_records()
    get_settings.cache_clear()
    return Records(get_settings())


async def test_rotate_rewraps_data_keys_without_touching_content(runtime, monkeypatch) -> None:
    from voice.cli import app as cli

    records = runtime.services["records"]
    await simulate_call(runtime.bus, "call-k", resolve=True)
    key = records.caller_key("+15550104477")
    records.memory.put(key, {"name": "Priscilla"})
    await records.recorder.flush()
    await runtime.stop()
    key_file = Path(os.environ["WARMLINE_DATA_KEY_FILE"])
    old_master = read_key(key_file)
    with records.db.session() as s:
        before_turns = [t.text_enc for t in s.scalars(select(Turn).order_by(Turn.id))]
        before_wrapped = s.get(Call, "call-k").wrapped_key
    forget_records()

    res = CliRunner().invoke(cli, ["keys", "rotate"])
    assert res.exit_code == 0, res.output
    assert "re-wrapped 4 data keys" in res.output  # the call, the profile, the key check, the caller salt
    new_master = read_key(key_file)
    assert new_master != old_master
    assert file_mode(key_file) == 0o600

    fresh = _fresh_records()
    with fresh.db.session() as s:
        assert [t.text_enc for t in s.scalars(select(Turn).order_by(Turn.id))] == before_turns  # not re-encrypted
        call = s.get(Call, "call-k")
        assert call.wrapped_key != before_wrapped and call.key_id == crypto.key_id(new_master)
        assert s.scalar(select(AuditLog).where(AuditLog.action == "keys.rotate")).detail["keys"] == 4
    got = access.read_transcript(fresh, SUPERVISOR, "call-k")
    assert [t["text"] for t in got["turns"] if t["role"] == "caller"] == CALLER_TURNS
    fresh.memory.forget(key)
    assert fresh.caller_key("+15550104477") == key  # the caller salt survived the rotation
    assert fresh.memory.get(key) == {"name": "Priscilla"}

    # the old key no longer opens anything
    with pytest.raises(crypto.MasterKeyError):
        crypto.KeyRing(old_master).unwrap(call.wrapped_key)
    with pytest.raises(crypto.MasterKeyError):
        crypto.KeyRing(old_master).unwrap(call.wrapped_key, call.key_id)
    monkeypatch.setenv("WARMLINE_DATA_KEY", crypto.encode_key(old_master))
    with pytest.raises(crypto.MasterKeyError, match="master key"):
        _fresh_records()


def test_a_lost_key_file_is_an_error_not_a_new_key(db_url: str, tmp_path: Path) -> None:
    first = _fresh_records()
    first.caller_salt()
    Path(os.environ["WARMLINE_DATA_KEY_FILE"]).unlink()
    forget_database(db_url)
    with pytest.raises(crypto.MasterKeyError, match="does not exist"):
        _fresh_records()
    assert not Path(os.environ["WARMLINE_DATA_KEY_FILE"]).exists()


def test_first_run_creates_a_private_key_file_with_a_loud_warning(db_url: str, caplog) -> None:
    caplog.set_level(logging.WARNING)
    key_file = Path(os.environ["WARMLINE_DATA_KEY_FILE"])
    assert not key_file.exists()
    _fresh_records()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(base64.b64decode(key_file.read_text())) == 32
    assert any("KEEP IT SAFE" in r.getMessage() for r in caplog.records)


def test_data_key_from_the_environment(monkeypatch, tmp_path: Path) -> None:
    master = crypto.new_master_key()
    monkeypatch.setenv("WARMLINE_DATA_KEY", crypto.encode_key(master))
    rec = _fresh_records()
    assert rec.keys.key_id == crypto.key_id(master)
    assert not Path(os.environ["WARMLINE_DATA_KEY_FILE"]).exists()  # nothing written when the key is given
    for bad, msg in (("not base64!!", "base64"), (base64.b64encode(b"short").decode(), "32 bytes")):
        with pytest.raises(crypto.MasterKeyError, match=msg):
            crypto.KeyRing.from_settings(Settings(data_key=bad))


def test_envelope_encryption_primitives() -> None:
    ring = crypto.KeyRing(crypto.new_master_key())
    dk = ring.new_data_key()
    blob = crypto.encrypt(dk.key, "I feel alone", owner="c1", field="turn")
    assert b"alone" not in blob and blob != crypto.encrypt(dk.key, "I feel alone", owner="c1", field="turn")
    assert crypto.decrypt(ring.unwrap(dk.wrapped, dk.key_id), blob, owner="c1", field="turn") == "I feel alone"
    with pytest.raises(crypto.DecryptError):
        crypto.decrypt(dk.key, blob, owner="c2", field="turn")
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(crypto.DecryptError):
        crypto.decrypt(dk.key, tampered, owner="c1", field="turn")
