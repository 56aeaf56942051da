"""Encryption at rest: envelope encryption with AES-256-GCM.

Each call (and each caller profile) gets its own random 256-bit data key. Content is encrypted
under that data key; the data key is stored *wrapped* (AES-256-GCM encrypted) by the master key,
which never touches the database. ``warmline keys rotate`` therefore only re-wraps the small data
keys under a new master key; content is never re-encrypted. Every ciphertext is bound to where it
belongs (call id and field) through GCM's associated data, so blobs cannot be swapped between rows.

The master key comes from ``WARMLINE_DATA_KEY`` (base64 of 32 bytes) or, when that is empty, from
``WARMLINE_DATA_KEY_FILE``, which is created on first run with a loud warning.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"  # first byte of every blob, so the format can change later
_WRAP_AAD = b"warmline:data-key:v1"


class MasterKeyError(Exception):
    """The master key is missing, malformed, or not the one the records were written under."""


class DecryptError(Exception):
    """A ciphertext failed authentication (wrong key, or tampered / moved data)."""


def key_id(master: bytes) -> str:
    """A short public fingerprint of a master key (not enough to recover it)."""
    return hashlib.sha256(b"warmline:key-id:" + master).hexdigest()[:16]


def new_master_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def encode_key(master: bytes) -> str:
    return base64.b64encode(master).decode()


def decode_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as e:
        raise MasterKeyError("the master key is not valid base64") from e
    if len(raw) != KEY_BYTES:
        raise MasterKeyError(f"the master key must be {KEY_BYTES} bytes (base64 of 32 random bytes), got {len(raw)}")
    return raw


def write_key_file(path: str | Path, master: bytes) -> None:
    """Write a key file readable by its owner only, atomically."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(encode_key(master) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, p)


def load_master_key(data_key: str, key_file: str, *, create: bool = True) -> bytes:
    """The master key: from ``data_key`` (base64) if set, else the key file, created when missing."""
    if data_key:
        return decode_key(data_key)
    p = Path(key_file)
    if p.exists():
        return decode_key(p.read_text())
    if not create:
        raise MasterKeyError(f"no master key: WARMLINE_DATA_KEY is empty and {p} does not exist")
    master = new_master_key()
    write_key_file(p, master)
    banner = "!" * 78
    log.warning(
        "\n%s\nWARMLINE CREATED A NEW MASTER ENCRYPTION KEY at %s (key id %s).\n"
        "Every transcript is encrypted under it. KEEP IT SAFE AND BACK IT UP apart from the database:\n"
        "without it the records cannot be read; with it and the database, anyone can read them.\n"
        "In production set WARMLINE_DATA_KEY from a secret store instead.\n%s",
        banner, p.resolve(), key_id(master), banner,
    )
    return master


@dataclass(frozen=True)
class DataKey:
    """A per-call (or per-profile) data key: the plaintext key in memory, and its stored form."""

    key: bytes
    wrapped: bytes
    key_id: str


class KeyRing:
    """The master key, and the operations that need it."""

    def __init__(self, master: bytes) -> None:
        if len(master) != KEY_BYTES:
            raise MasterKeyError("the master key must be 32 bytes")
        self._master = AESGCM(master)
        self.key_id = key_id(master)

    @classmethod
    def from_settings(cls, settings, *, create: bool = True) -> KeyRing:  # noqa: ANN001
        return cls(load_master_key(settings.data_key, settings.data_key_file, create=create))

    def wrap(self, key: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return VERSION + nonce + self._master.encrypt(nonce, key, _WRAP_AAD)

    def unwrap(self, wrapped: bytes, stored_key_id: str | None = None) -> bytes:
        if stored_key_id and stored_key_id != self.key_id:
            raise MasterKeyError(
                f"these records were written under master key {stored_key_id}, but the configured key is "
                f"{self.key_id}: set WARMLINE_DATA_KEY (or WARMLINE_DATA_KEY_FILE) to the right key"
            )
        try:
            return self._master.decrypt(wrapped[1 : 1 + NONCE_BYTES], wrapped[1 + NONCE_BYTES :], _WRAP_AAD)
        except InvalidTag as e:
            raise MasterKeyError("the master key does not unwrap this data key (wrong key?)") from e

    def new_data_key(self) -> DataKey:
        key = AESGCM.generate_key(bit_length=256)
        return DataKey(key=key, wrapped=self.wrap(key), key_id=self.key_id)

    def open_data_key(self, wrapped: bytes, stored_key_id: str | None) -> DataKey:
        return DataKey(key=self.unwrap(wrapped, stored_key_id), wrapped=wrapped, key_id=self.key_id)


def _aad(owner: str, field: str) -> bytes:
    return f"warmline:{owner}:{field}".encode()


def encrypt(key: bytes, plaintext: str, *, owner: str, field: str) -> bytes:
    """AES-256-GCM under a data key; ``owner`` (call id) and ``field`` are bound as associated data."""
    return encrypt_bytes(key, plaintext.encode(), owner=owner, field=field)


def decrypt(key: bytes, blob: bytes, *, owner: str, field: str) -> str:
    return decrypt_bytes(key, blob, owner=owner, field=field).decode()


def encrypt_bytes(key: bytes, data: bytes, *, owner: str, field: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, data, _aad(owner, field))


def decrypt_bytes(key: bytes, blob: bytes, *, owner: str, field: str) -> bytes:
    if not blob or blob[:1] != VERSION:
        raise DecryptError("unknown ciphertext format")
    try:
        return AESGCM(key).decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], _aad(owner, field))
    except InvalidTag as e:
        raise DecryptError("ciphertext failed authentication") from e
