"""Rebuilding the views from the ledger alone, and comparing views."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from .db import Database
from .ledger import entries
from .projection import project
from .tables import VIEW_TABLES


def rebuild(db: Database) -> int:
    """Empty every view and replay the whole ledger into it, in one transaction. Returns events replayed."""
    with db.write_lock, db.writer.connect() as conn:
        with conn.begin():
            for table in reversed(VIEW_TABLES):
                conn.execute(delete(table))
            count = 0
            with db.reader.connect() as source:
                for entry in entries(source):
                    project(conn, entry, entry.event)
                    count += 1
    return count


def snapshot(conn: Connection) -> dict[str, list[tuple]]:
    """Every row of every view, in a stable order, for comparing two builds."""
    out = {}
    for table in VIEW_TABLES:
        keys = list(table.primary_key.columns)
        out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*keys)).all()]
    return out
