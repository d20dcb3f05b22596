"""Backups and restore (`corridor backup`, `corridor restore`) and the state hash of a database's views.

The copying, checking and dispatch per database engine are in `store/backup.py`; here: the use cases, and
what the operator must know about the master key (a backup never holds it)."""

from __future__ import annotations

from pathlib import Path

from ..store import backup as store
from ..store.crypto import KeyUnavailable, find_key, key_id
from ..store.db import database_url
from .runtime import Runtime

Summary = store.Summary


def backup(db: str, out: Path) -> Summary:
    """A consistent copy of the database `db` (a path or URL) in `out`, taken while a server may be writing;
    its ledger verified and its state hash computed on the copy itself."""
    return store.backup(database_url(db), Path(out))


def restore(backup_file: Path, db: str, *, force: bool = False) -> Summary:
    """Replace the database `db` by `backup_file` once its ledger verifies (refused over a database that is not
    empty unless `force`)."""
    return store.restore(Path(backup_file), database_url(db), force=force)


def state(rt: Runtime) -> Summary:
    """The ledger (verified), its head and the state hash of the views of the runtime's database."""
    with rt.reading() as uow:
        return store.database_summary(uow.conn)


def key_note(db: str, summary: Summary) -> str | None:
    """What to do about the master key for `db` to read the personal fields of `summary`'s database, or None
    when the key in place is the right one."""
    if summary.key_id is None:
        return None
    url = database_url(db)
    try:
        key, where = find_key(url)
    except KeyUnavailable as err:
        return f"{err.detail}; the personal fields are sealed with the key of id {summary.key_id}"
    if key is None:
        return (f"no master key at {where}: the personal fields are sealed with the key of id {summary.key_id}; "
                "put a copy of that key there (the backup does not hold it) before serving this database")
    if key_id(key) != summary.key_id:
        return (f"the master key at {where} (id {key_id(key)}) is not the key of id {summary.key_id} this backup "
                "was sealed with: put that key there before serving this database")
    return None
