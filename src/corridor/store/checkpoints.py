"""SQLite's write-ahead log folded back into the database file beside the writer, not in its way.

By default SQLite checkpoints from inside a commit: the commit that takes the log past 1,000 pages also copies
them into the database file and syncs it — tens of milliseconds during which the group commit's writer decides
nothing and every desk waits (a boarding surge fills 1,000 pages in a fraction of a second). The group commit's
writer connection turns that off (`wal_autocheckpoint=0`, while it is the writer's) and a thread of its own runs a
passive checkpoint every `INTERVAL_S` on another connection: it copies what is committed while the writer goes on
appending, and SQLite starts the log afresh once it has all been copied. Each commit is still synced to the log
before it is answered (synchronous=FULL): durability is the log's, not the checkpoint's."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from .db import Database

log = logging.getLogger("corridor.store")

INTERVAL_S = 0.5
DEFAULT_PAGES = 1000  # SQLite's own autocheckpoint, given back to a connection that stops being the writer's


class Checkpointer:
    """The thread that checkpoints one SQLite database while its group-commit writer has checkpoints off."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def take_over(self, conn: Connection) -> None:
        """The writer's connection checkpoints no more; this thread does (started if need be)."""
        conn.connection.dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="corridor checkpoints", daemon=True)
            self._thread.start()

    def hand_back(self, conn: Connection) -> None:
        """The connection goes back to the pool checkpointing as any other; this thread stops."""
        try:
            conn.connection.dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={DEFAULT_PAGES}")
        finally:
            self._stop.set()
            thread, self._thread = self._thread, None
            if thread is not None and thread is not threading.current_thread():
                thread.join()

    def _run(self) -> None:
        raw = self.db.writer.raw_connection()
        try:
            while not self._stop.wait(INTERVAL_S):
                try:
                    raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except Exception as err:  # noqa: BLE001 - busy or failing now: the next turn tries again
                    log.warning("checkpoint not run: %s", type(err).__name__)
        finally:
            raw.close()
