"""`warmline keys rotate`, `warmline purge`, `warmline operator add|list|disable`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

keys_app = typer.Typer(help="Encryption keys for records.", no_args_is_help=True)
operator_app = typer.Typer(help="Operator and supervisor accounts for the console.", no_args_is_help=True)


def _records():  # noqa: ANN202
    from safety.records.crypto import MasterKeyError
    from safety.records.service import get_records
    from safety.settings import get_settings

    try:
        return get_records(get_settings())
    except MasterKeyError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None


def rotate_keys(records, new_master: bytes) -> int:  # noqa: ANN001
    """Re-wrap every data key (calls, caller profiles, key material) under ``new_master`` in one
    transaction. Content is not touched. Returns how many keys were re-wrapped."""
    from sqlalchemy import select

    from safety.records.crypto import KeyRing
    from safety.records.models import AuditLog, Call, CallerProfile, KeyMaterial

    old = records.keys
    new = KeyRing(new_master)
    n = 0
    with records.db.session() as s:
        for model, col in ((Call, "wrapped_key"), (CallerProfile, "wrapped_key"), (KeyMaterial, "wrapped")):
            for row in s.scalars(select(model).with_for_update()):
                setattr(row, col, new.wrap(old.unwrap(getattr(row, col), row.key_id)))
                row.key_id = new.key_id
                n += 1
        s.add(AuditLog(actor="cli", action="keys.rotate", detail={"from": old.key_id, "to": new.key_id, "keys": n}))
    records.keys = new
    return n


@keys_app.command("rotate")
def rotate_command(
    key_file: Annotated[Path | None, typer.Option("--key-file", help="Where to write the new master key "
                                                  "(default: WARMLINE_DATA_KEY_FILE).")] = None,
) -> None:
    """Make a new master key and re-wrap every data key under it (content is not re-encrypted).

    Stop the server first: a running server still holds the old key. The new key is written to the
    key file (owner-only permissions); if you set WARMLINE_DATA_KEY yourself, put the new key there."""
    from safety.records.crypto import new_master_key, write_key_file
    from safety.settings import get_settings

    settings = get_settings()
    records = _records()
    target = Path(key_file or settings.data_key_file)
    new_master = new_master_key()
    old_id = records.keys.key_id
    # The new key is safely on disk (beside the target) before the database changes, and replaces
    # the old file only after the transaction commits: no moment exists where no key reads the data.
    staging = target.with_name(target.name + ".new")
    write_key_file(staging, new_master)
    try:
        n = rotate_keys(records, new_master)
    except Exception:
        staging.unlink(missing_ok=True)
        raise
    staging.replace(target)
    typer.echo(f"rotated master key {old_id} -> {records.keys.key_id}: re-wrapped {n} data keys")
    typer.echo(f"new key written to {target}")
    if settings.data_key:
        typer.echo("WARMLINE_DATA_KEY is set in the environment: replace it with the content of that file "
                   "before starting the server.", err=True)


def purge_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be deleted.")] = False,
) -> None:
    """Delete records past their retention period (WARMLINE_RETENTION_DAYS_*)."""
    from safety.records.retention import purge

    report = purge(_records(), dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    parts = ", ".join(f"{k}: {v}" for k, v in report.as_dict().items())
    typer.echo(f"purge {verb}: {parts}")


@operator_app.command("add")
def operator_add(
    username: Annotated[str, typer.Argument(help="Sign-in name (lower case).")],
    role: Annotated[str, typer.Option("--role", help="operator | supervisor")] = "operator",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin (first line).")] = False,
) -> None:
    """Create a console account. Operators read only calls put through to them; supervisors read all."""
    from safety.console.auth import MIN_PASSWORD, create_operator

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        typer.echo(f"error: password must be at least {MIN_PASSWORD} characters", err=True)
        raise typer.Exit(2)
    try:
        op = create_operator(_records(), username, password, role)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"added {op.role} {op.username}")


@operator_app.command("list")
def operator_list() -> None:
    """List console accounts."""
    from sqlalchemy import select

    from safety.records.models import Operator

    with _records().db.session() as s:
        for o in s.scalars(select(Operator).order_by(Operator.username)):
            state = "active" if o.active else "disabled"
            typer.echo(f"{o.username}\t{o.role}\t{state}")


@operator_app.command("disable")
def operator_disable(username: str) -> None:
    """Disable an account and end its sessions."""
    from sqlalchemy import delete, select

    from safety.records.access import audit
    from safety.records.models import Operator, OperatorSession

    with _records().db.session() as s:
        o = s.scalar(select(Operator).where(Operator.username == username.lower()))
        if o is None:
            typer.echo(f"error: no operator {username!r}", err=True)
            raise typer.Exit(2)
        o.active = False
        s.execute(delete(OperatorSession).where(OperatorSession.operator_id == o.id))
        audit(s, "cli", "operator.disable", target=o.username)
    typer.echo(f"disabled {username}")
