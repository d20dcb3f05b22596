"""The test's database seen from below, as an intruder would: its files on disk, and a plain connection with the
ledger's append-only guards switched off. On SQLite the file and its log; on PostgreSQL the database's folder in
the server's data directory and the write-ahead log (after a checkpoint), and a session with triggers off."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url


def is_postgresql(rt) -> bool:
    return make_url(rt.db.url).get_backend_name() == "postgresql"


@contextmanager
def tamperer(rt) -> Iterator[Connection]:
    """A connection of its own to `rt`'s database, its changes committed at the end, with the append-only
    guards of the ledger off (SQLite: its triggers dropped; PostgreSQL: triggers off for the session)."""
    engine = create_engine(rt.db.url)
    try:
        with engine.begin() as conn:
            if is_postgresql(rt):
                conn.execute(text("SET session_replication_role = replica"))
            else:
                conn.execute(text("DROP TRIGGER ledger_no_update"))
                conn.execute(text("DROP TRIGGER ledger_no_delete"))
            yield conn
    finally:
        engine.dispose()


def raw_bytes(rt) -> bytes:
    """Every byte the database has on disk."""
    if not is_postgresql(rt):
        path = Path(rt.db.url.removeprefix("sqlite:///"))
        wal = path.with_name(path.name + "-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    from tests import postgresql

    with rt.db.reader.connect() as conn:
        oid = conn.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
    engine = create_engine(rt.db.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))  # the pages in shared memory written to the files
    finally:
        engine.dispose()
    data = Path(postgresql.current.executor.datadir)
    files = sorted([*(data / "base" / str(oid)).iterdir(), *(data / "pg_wal").glob("0*")])
    return b"".join(f.read_bytes() for f in files if f.is_file())


def cli_db(rt, key: bytes | None, monkeypatch) -> str:
    """What to give the CLI as --db for `rt`'s database; on PostgreSQL its key goes in $CORRIDOR_KEY (a database
    by URL has no key file beside it)."""
    if is_postgresql(rt):
        import base64

        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(key).decode())
        return rt.db.url
    return rt.db.url.removeprefix("sqlite:///")
