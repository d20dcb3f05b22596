"""Rebuilding the views from the ledger alone, and comparing views."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from .db import Database
from .ledger import entries
from .projection import project
from .tables import VIEW_TABLES, household_keys


def rebuild(db: Database) -> int:
    """Empty every view and replay the whole ledger into it, in one transaction. Returns events replayed.

    The views take the sealed personal fields as the ledger holds them; the blind name index needs the
    opened names, so a database with households' data keys is rebuilt only with its master key. An
    erased household's fields stay erased: its key is gone, and its erasure event clears them again."""
    db.vault.forget()
    with db.write_lock, db.writer.connect() as conn:
        conn.info["vault"] = db.vault
        with conn.begin():
            if conn.execute(select(household_keys.c.household).limit(1)).first() is not None:
                db.vault.require()
            for table in reversed(VIEW_TABLES):
                conn.execute(delete(table))
            count = 0
            with db.reader.connect() as source:
                for entry in entries(source):
                    event, seals = entry.opened(conn, db.vault)
                    project(conn, entry, event, seals)
                    count += 1
    return count


def snapshot(conn: Connection) -> dict[str, list[tuple]]:
    """Every row of every view, in a stable order, for comparing two builds."""
    out = {}
    for table in VIEW_TABLES:
        keys = list(table.primary_key.columns)
        out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*keys)).all()]
    return out
