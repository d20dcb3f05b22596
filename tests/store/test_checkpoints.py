"""SQLite's log is folded back into the database beside the group commit's writer, not inside its commits: the
writer's connection checkpoints nothing while it is the writer's, a checkpoint run beside it copies what the writer
committed, and the connection goes back to the pool checkpointing as any other. PostgreSQL has no such log."""

from __future__ import annotations

from corridor.service import reports
from tests.conftest import register


def test_the_writer_leaves_checkpoints_to_the_thread_beside_it(op):
    rt = op
    group = rt.db.group
    register(rt)  # a command through the group: its writer thread and connection are there now
    if not rt.db.is_sqlite:
        assert group._checkpoints is None
        return
    writer = group._conn.connection.dbapi_connection
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert group._checkpoints._thread.is_alive()
    checkpoint = rt.db.reader.raw_connection()
    try:  # what the thread runs, now: the log's committed frames all copied into the database
        busy, logged, copied = checkpoint.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        checkpoint.close()
    assert busy == 0 and logged > 0 and copied == logged
    group.close()
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    assert group._checkpoints._thread is None
    assert reports.verify(rt).ok
