"""The unit of work: one transaction that appends to the ledger and projects.

It rolls back unless `commit()` is called. Writers are serialised: a process
lock, then `BEGIN IMMEDIATE` on SQLite or a row lock on the ledger head on
PostgreSQL, so the hash chain has exactly one tail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from ..domain.events import Event
from .db import Database
from .ledger import Entry, Ledger
from .projection import project, project_many


class UnitOfWork:
    def __init__(self, db: Database, *, write: bool, conn: Connection | None = None):
        self.db = db
        self.write = write
        self._kept = conn  # a connection its owner keeps open (the group commit's writer): not closed here
        self.conn: Connection | None = None
        self.ledger: Ledger | None = None
        self._committed = False
        self._locked = False

    def __enter__(self) -> UnitOfWork:
        if self.write:
            self.db.write_lock.acquire()
            self._locked = True
            self.db.writers.acquire()
        try:
            engine = self.db.writer if self.write else self.db.reader
            self.conn = self._kept if self._kept is not None else engine.connect()
            self.conn.info["vault"] = self.db.vault  # queries open personal fields with it (store/queries.py)
            self.conn.begin()
            self.ledger = Ledger(self.conn, lock_head=self.write and not self.db.is_sqlite, vault=self.db.vault)
        except BaseException:
            self._release()
            raise
        return self

    def record(self, event: Event, *, command_id: str, fingerprint: str, at: datetime, recorded_at: datetime,
               actor: str, device: str) -> Entry:
        """Append the event to the ledger and apply it to the views, in this transaction."""
        if not self.write or self.ledger is None:
            raise RuntimeError("record() needs a writing unit of work")
        entry, seals = self.ledger.append(event, command_id=command_id, fingerprint=fingerprint, at=at,
                                          recorded_at=recorded_at, actor=actor, device=device)
        project(self.conn, entry, event, seals)
        return entry

    def record_many(self, items: list[tuple[Event, dict]]) -> list[Entry]:
        """Append many events (each with its envelope) and apply them, in this transaction."""
        if not self.write or self.ledger is None:
            raise RuntimeError("record_many() needs a writing unit of work")
        appended = self.ledger.append_many(items)
        entries = [entry for entry, _ in appended]
        project_many(self.conn, entries, [event for event, _ in items], [seals for _, seals in appended])
        return entries

    def commit(self) -> None:
        if self.ledger is not None:
            self.ledger.flush()
        self.conn.commit()
        self._committed = True

    def __exit__(self, *exc) -> None:
        self._release()

    def _release(self) -> None:
        try:
            if self.conn is not None:
                if not self._committed and self.conn.in_transaction():
                    self.conn.rollback()
                if self._kept is None:
                    self.conn.close()
        finally:
            if self._locked:
                self._locked = False
                self.db.writers.release()
                self.db.write_lock.release()
