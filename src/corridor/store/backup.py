"""Backups of a corridor database and their restore, and the state hash that shows two databases hold the same views.

- SQLite: an online copy with SQLite's backup API (one read transaction: a consistent snapshot while a server
  keeps writing, since WAL readers do not block the writer), written beside the target and renamed into place.
- PostgreSQL: `pg_dump` (custom format) in the snapshot of the transaction that verifies the ledger and computes
  the state hash, so the figures printed are those of the dump; `pg_restore` to restore.

A backup holds the whole database: the hash-chained ledger, the views, accounts, device tokens, the access log and
the households' wrapped data keys. It never holds the master key: personal fields stay sealed in it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from ..domain.errors import CorridorError
from .crypto import stored_key_id
from .ledger import Verification, verify
from .tables import VIEW_TABLES, ledger, ledger_head

SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupRefused(CorridorError):
    """A backup or restore that cannot be done as asked; nothing was changed."""

    status = 409
    title = "Backup or restore refused"
    slug = "backup-refused"


@dataclass(frozen=True)
class Summary:
    """What a backup or a database holds: its ledger (verified), the state hash of its views, its key id."""

    events: int
    head: str
    state_hash: str
    key_id: str | None


# --- the state hash ------------------------------------------------------------------------------

def _plain(value):
    """A value of a view cell in a form that JSON writes the same way every time, on SQLite and PostgreSQL."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def state_hash(conn: Connection) -> str:
    """SHA-256 over every row of every view, in a defined order.

    Tables by name; in each, the cells of a row in the table's column order as a JSON array (datetimes in
    ISO 8601, bytes in hex), rows sorted by that JSON text (so the database's collation does not matter);
    each table contributes its name, then its rows, one per line. Personal fields are hashed as stored (sealed),
    so no key is needed and the hash reveals nothing of them."""
    digest = hashlib.sha256()
    for table in sorted(VIEW_TABLES, key=lambda t: t.name):
        rows = sorted(json.dumps([_plain(v) for v in row], ensure_ascii=False, separators=(",", ":"))
                      for row in conn.execute(select(table)))
        digest.update(f"table {table.name} {len(rows)}\n".encode())
        for line in rows:
            digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def summarise(conn: Connection) -> tuple[Verification, Summary | None]:
    """The ledger's verification and, when it holds, the summary of the database on `conn`."""
    checked = verify(conn)
    if not checked.ok:
        return checked, None
    head = conn.execute(select(ledger_head.c.hash).where(ledger_head.c.id == 1)).scalar() or ""
    return checked, Summary(checked.events, head, state_hash(conn), stored_key_id(conn))


# --- SQLite ---------------------------------------------------------------------------------------

def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _engine(path: Path):
    """An engine on an existing SQLite file that only reads (a live database in WAL mode needs its -shm, so it is
    not opened read-only; nothing here writes)."""
    return create_engine(f"sqlite:///{path}", connect_args={"timeout": 30})


def _is_corridor(path: Path) -> bool:
    engine = _engine(path)
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table(ledger.name)
    except Exception:  # noqa: BLE001 - not a database SQLite can read: not a corridor database
        return False
    finally:
        engine.dispose()


def _read_summary(path: Path, what: str) -> Summary:
    """Open a single-file SQLite database read-only and summarise it; refused when its ledger does not verify."""
    return _verified_summary(_engine(path), what)


def _verified_summary(engine, what: str) -> Summary:
    """Summarise the database behind `engine` (disposed after); refused when its ledger does not verify."""
    try:
        with engine.connect() as conn:
            checked, summary = summarise(conn)
    finally:
        engine.dispose()
    if summary is None:
        raise BackupRefused(f"{what}: the ledger does not verify at event {checked.first_bad_seq}: {checked.problem}")
    return summary


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_online(source: Path, target: Path) -> None:
    """Copy the database `source` (maybe being written) into the new file `target`, as one consistent snapshot."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # personal data: readable by its owner
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: all in one step, inside one read transaction
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    _fsync(target)


def _temporary_beside(path: Path) -> Path:
    return path.parent / f".{path.name}.{secrets.token_hex(4)}.part"


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup_sqlite(source: Path, out: Path) -> Summary:
    """`out`: a verified copy of the SQLite database `source`, taken while it may be in use."""
    if not source.is_file():
        raise BackupRefused(f"db: {source}: no such database file")
    if not _is_corridor(source):
        raise BackupRefused(f"db: {source} is not a corridor database (it has no ledger)")
    part = _temporary_beside(out)
    try:
        _copy_online(source, part)
        summary = _read_summary(part, f"db: {source}")
        os.replace(part, out)
        _fsync(out.parent)
        return summary
    finally:
        _remove(part)


def holds_data(path: Path) -> bool:
    """Does the SQLite file `path` hold anything a restore would destroy? (any event, account or other file)"""
    if not path.exists() or path.stat().st_size == 0:
        return False
    if not _is_corridor(path):
        return True
    engine = _engine(path)
    try:
        with engine.connect() as conn:
            events = conn.execute(text("SELECT count(*) FROM ledger")).scalar()
            accounts = (conn.execute(text("SELECT count(*) FROM accounts")).scalar()
                        if inspect(conn).has_table("accounts") else 0)
        return bool(events or accounts)
    finally:
        engine.dispose()


#: The triggers that keep the ledger and the access log append-only (migrations 0001 and 0006).
GUARDS = ("ledger_no_update", "ledger_no_delete", "access_log_no_update", "access_log_no_delete")


def _require_guards(path: Path, backup: Path) -> None:
    """A backup whose append-only triggers were dropped would restore a ledger anyone could rewrite: refused."""
    con = sqlite3.connect(path)
    try:
        present = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        con.close()
    missing = [name for name in GUARDS if name not in present]
    if missing:
        raise BackupRefused(f"backup: {backup} has lost the triggers that keep its records append-only "
                            f"({', '.join(missing)}): it was altered after it was written")


def restore_sqlite(backup: Path, target: Path, migrate) -> Summary:
    """Put the verified backup `backup` in place of `target`; `migrate(path)` brings its schema up to date.

    The backup is copied beside the target, checked there and renamed over it: a refused backup changes
    nothing. The caller decides whether `target` may be replaced."""
    with backup.open("rb") as f:
        if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupRefused(f"backup: {backup} is not a corridor backup (not a SQLite database)")
    if not _is_corridor(backup):
        raise BackupRefused(f"backup: {backup} is not a corridor backup (it has no ledger)")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = _temporary_beside(target)
    try:
        _copy_online(backup, part)
        _read_summary(part, f"backup: {backup}")  # refuse before the schema is touched
        migrate(part)
        con = sqlite3.connect(part)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
        summary = _read_summary(part, f"backup: {backup}")
        _require_guards(part, backup)
        for suffix in ("-wal", "-shm", "-journal"):  # the old database's log must not be replayed into the new one
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(part, target)
        _fsync(target.parent)
        return summary
    finally:
        _remove(part)


# --- PostgreSQL -----------------------------------------------------------------------------------

def libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """The connection options of the PostgreSQL tools for `url`, and the environment (the password stays out of
    the command line, where other users could read it)."""
    parsed = make_url(url)
    args = ["--dbname", parsed.database or ""]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} is not installed: a PostgreSQL backup needs the PostgreSQL client tools")
    return found


def dump_command(url: str, out: Path, snapshot: str) -> tuple[list[str], dict[str, str]]:
    args, env = libpq(url)
    return [_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(out),
            *args], env


def restore_command(url: str, backup: Path) -> tuple[list[str], dict[str, str]]:
    args, env = libpq(url)
    return [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
            *args, str(backup)], env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupRefused(f"{what}: {Path(command[0]).name} failed: {last}")


def backup_postgresql(engine, url: str, out: Path) -> Summary:
    """`pg_dump` of the database in the snapshot this transaction verifies and hashes."""
    part = _temporary_beside(out)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            conn.begin()
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            checked, summary = summarise(conn)
            if summary is None:
                raise BackupRefused(f"db: the ledger does not verify at event {checked.first_bad_seq}: "
                                    f"{checked.problem}")
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # pg_dump keeps the mode
            command, env = dump_command(url, part, snapshot)
            _run(command, env, "db")  # while the snapshot's transaction is open
            conn.rollback()
        os.replace(part, out)
        return summary
    finally:
        part.unlink(missing_ok=True)


def restore_postgresql(url: str, backup: Path) -> Summary:
    """`pg_restore` into the database of `url` in one transaction, then verify; a ledger that does not verify
    is refused (the restore's transaction is committed by pg_restore, so the check runs on a scratch database
    first: the backup is restored there, verified, hashed, and the scratch database dropped)."""
    scratch = f"corridor_restore_{secrets.token_hex(4)}"
    scratch_url = make_url(url).set(database=scratch).render_as_string(hide_password=False)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            try:
                conn.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
            except Exception as err:  # noqa: BLE001 - no right to create one: say what is needed
                raise BackupRefused("backup: checking a PostgreSQL backup before restoring it needs the right to "
                                    f"create a scratch database ({type(err).__name__})") from None
        try:
            command, env = restore_command(scratch_url, backup)
            _run(command, env, f"backup: {backup}")
            summary = _verified_summary(create_engine(scratch_url), "backup")
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
        command, env = restore_command(url, backup)
        _run(command, env, f"backup: {backup}")
        return summary
    finally:
        admin.dispose()


# --- the dispatch ---------------------------------------------------------------------------------

def _migrate(path: Path) -> None:
    from .db import open_database
    from .migrate import upgrade

    database = open_database(path)
    try:
        upgrade(database)
    finally:
        database.dispose()


def _postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def backup(url: str, out: Path) -> Summary:
    """A verified, consistent copy of the database at `url` in the new file `out` (the database may be in use)."""
    if out.exists():
        raise BackupRefused(f"out: {out} exists; a backup never overwrites a file", field="out")
    if not out.parent.is_dir():
        raise BackupRefused(f"out: {out.parent} is not a folder", field="out")
    path = sqlite_path(url)
    if path is not None:
        return backup_sqlite(path, out)
    if _postgresql(url):
        engine = create_engine(url)
        try:
            return backup_postgresql(engine, url, out)
        finally:
            engine.dispose()
    raise BackupRefused(f"db: a backup of a {make_url(url).get_backend_name()} database is not supported", field="db")


def _events(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(ledger.name):
                return 0
            return conn.execute(text("SELECT count(*) FROM ledger")).scalar() or 0
    finally:
        engine.dispose()


def restore(backup_file: Path, url: str, *, force: bool = False) -> Summary:
    """Replace the database at `url` by the backup `backup_file`, once its ledger verifies.

    A database that holds anything (events, accounts, or a file that is not a corridor database) is replaced
    only with `force`; a refusal changes nothing."""
    if not backup_file.is_file():
        raise BackupRefused(f"backup: {backup_file}: no such file", field="backup")
    path = sqlite_path(url)
    if path is not None:
        if not force and holds_data(path):
            raise BackupRefused(f"db: {path} is not empty; restoring would replace it: give --force (after a backup "
                                "of it) or restore into another --db", field="db")
        return restore_sqlite(backup_file, path, _migrate)
    if _postgresql(url):
        if not force and _events(url):
            raise BackupRefused("db: the database is not empty; restoring would replace it: give --force (after a "
                                "backup of it) or restore into another database", field="db")
        return restore_postgresql(url, backup_file)
    raise BackupRefused(f"db: restoring a {make_url(url).get_backend_name()} database is not supported", field="db")


def database_summary(conn: Connection) -> Summary:
    """The summary of a live database (its ledger must verify)."""
    checked, summary = summarise(conn)
    if summary is None:
        raise BackupRefused(f"db: the ledger does not verify at event {checked.first_bad_seq}: {checked.problem}")
    return summary
