"""Group commit: commands that arrive together are decided one by one, in arrival order, in one write transaction,
and made durable together by one commit (one disk sync); each is answered only once its group is durable.

This is the writer queue databases use for their own logs (LevelDB's, for one). A caller with work joins the
queue and waits — a thread sleeps (`run`), a coroutine awaits (`run_async`: a request on the server's event loop
holds no thread while its scan is decided and synced). The database's writer thread, started with the first job,
takes every job waiting (up to `MAX_GROUP`), opens the write transaction, runs each job in turn — a job that raises
(a command refused by the rules, a resend that conflicts) undoes only its own writes and takes its error back (a
savepoint around each job, taken only when a job failed after writing: `_try_without_savepoints`) — commits once
and hands every job its outcome. While a group is being decided and synced, the next one
gathers. Nothing here is particular to one database: savepoints and the transaction are SQLAlchemy's.

Nothing is answered before it is durable: a job's result is handed back only after the commit returned; when the
commit fails, every job of the group that had succeeded gets the commit's error instead. The writer keeps its
connection from group to group (no pool check-out, so no pre-ping): a group that finds it lost before its commit
(PostgreSQL restarted meanwhile) is decided once more on a new one; one lost during its commit is not, since its
outcome is unknown — its jobs get the error, and their resends are absorbed or recorded then."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Callable, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from .checkpoints import Checkpointer
from .prepared import WRITES
from .uow import UnitOfWork

if TYPE_CHECKING:
    from .db import Database

T = TypeVar("T")
Work = Callable[[UnitOfWork], T]

MAX_GROUP = 100  # jobs in one group at most: a group's last job waits for every decision before it


class _Job:
    __slots__ = ("work", "wake", "loop", "answered", "done", "result", "error")

    def __init__(self, work: Work, wake: threading.Condition | None = None,
                 loop: asyncio.AbstractEventLoop | None = None, answered: asyncio.Future | None = None):
        self.work = work
        self.wake = wake  # a waiting thread's (notified under the queue's mutex) ...
        self.loop, self.answered = loop, answered  # ... or a waiting coroutine's event loop and future
        self.done = False
        self.result = None
        self.error: BaseException | None = None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """The write queue of one database (`Database.group`) and its writer thread."""

    def __init__(self, db: Database):
        self.db = db
        self._mutex = threading.Lock()
        self._queue: deque[_Job] = deque()  # a group's jobs stay at its head until they are answered
        self._work_waiting = threading.Condition(self._mutex)
        self._writer: threading.Thread | None = None
        self._closing = False
        self._conn: Connection | None = None  # the writer thread's (`_connection`)
        self._committing = False  # the group's commit has been asked for (`_decide_and_commit`)
        self._checkpoints = Checkpointer(db) if db.is_sqlite else None
        self.groups = 0  # committed so far, and the jobs in them: how well commands were grouped
        self.jobs = 0

    def run(self, work: Work[T]) -> T:
        """Run `work(uow)` in the next group's transaction; its result once the group is durable, or its error
        (its own writes undone, the group's other jobs unaffected)."""
        self._not_from_a_decision()
        job = _Job(work, wake=threading.Condition(self._mutex))
        with self._mutex:
            self._join(job)
            while not job.done:
                job.wake.wait()
        return job.outcome()

    async def run_async(self, work: Work[T]) -> T:
        """`run` for a coroutine: the event loop stays free while the job waits for its group to be durable."""
        self._not_from_a_decision()
        loop = asyncio.get_running_loop()
        answered = loop.create_future()
        job = _Job(work, loop=loop, answered=answered)
        with self._mutex:
            self._join(job)
        await asyncio.shield(answered)  # a client that goes away does not take the job back: it is decided anyway
        return job.outcome()

    def waiting(self) -> int:
        """The jobs queued, being decided or waiting for their turn (a group's stay until answered)."""
        return len(self._queue)

    def close(self) -> None:
        """Stop the writer thread once the queue is empty (`Database.dispose`); a later job starts a new one."""
        with self._mutex:
            writer, self._closing = self._writer, True
            self._work_waiting.notify()
        if writer is not None and writer is not threading.current_thread():
            writer.join()
        with self._mutex:
            self._closing = False
            if self._writer is writer:
                self._writer = None

    def _not_from_a_decision(self) -> None:
        if threading.current_thread() is self._writer:
            raise RuntimeError("a command recorded from inside another command's decision would wait for itself")

    def _join(self, job: _Job) -> None:
        """Queue the job and make sure the writer thread serves the queue (with the mutex held)."""
        self._queue.append(job)
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._serve, name="corridor group commit", daemon=True)
            self._writer.start()
        self._work_waiting.notify()

    def _serve(self) -> None:
        try:
            self._serve_groups()
        finally:
            self._let_go()

    def _serve_groups(self) -> None:
        while True:
            with self._mutex:
                while not self._queue and not self._closing:
                    self._work_waiting.wait()
                if not self._queue:
                    return
                group = list(islice(self._queue, MAX_GROUP))
            try:
                self._decide_and_commit(group)
            finally:
                with self._mutex:
                    for job in group:
                        self._queue.popleft()
                        job.done = True
                        if job.wake is not None:
                            job.wake.notify()
                _settle([job for job in group if job.loop is not None])

    def _connection(self) -> Connection:
        """The writer thread's own connection, kept from group to group (taking one from the pool and handing it
        back, reset, costs more than deciding a scan); a fresh one after a group that failed."""
        if not self._usable(self._conn):
            self._let_go()
            self._conn = self.db.writer.connect()
            if self._checkpoints is not None:  # SQLite: the log folded back beside the writer (store/checkpoints.py)
                self._checkpoints.take_over(self._conn)
        return self._conn

    @staticmethod
    def _usable(conn: Connection | None) -> bool:
        return conn is not None and not conn.closed and not conn.invalidated

    def _let_go(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if self._checkpoints is not None:
                self._checkpoints.hand_back(conn)
            conn.close()
        except Exception:  # noqa: BLE001 - a broken connection is dropped all the same, never pooled again
            conn.invalidate()

    def _decide_and_commit(self, group: list[_Job]) -> None:
        """The group decided and committed; decided once more, on a new connection, when the kept one turns out to
        have been lost before the commit was asked for (the database restarted since the last group: its first
        statement fails) — nothing of the group can have been written then, and nothing was answered."""
        for again in (True, False):
            self._committing = False
            raw = self._conn.connection.dbapi_connection if self._usable(self._conn) else None
            try:
                if not self._try_without_savepoints(group):
                    self._decide_with_savepoints(group)
            except BaseException as err:  # noqa: BLE001 - opening or committing failed: no job is durable
                self._let_go()  # whatever state the connection is in, the next group starts on a fresh one
                if again and self._lost_before_commit(raw, [err, *(job.error for job in group)]):
                    _undecided(group)
                    continue
                for job in group:
                    if job.error is None:
                        job.error, job.result = err, None
                return
            if again and self._lost_before_commit(raw, [job.error for job in group]):
                self._let_go()  # each job was refused by a connection that had gone: decided again
                _undecided(group)
                continue
            return

    def _lost_before_commit(self, raw, errors: list[BaseException | None]) -> bool:
        """Did the connection the group began on turn out to be gone (`raw`, the driver's), before the commit?"""
        if self._committing or raw is None:
            return False
        dialect = self.db.writer.dialect
        for err in errors:
            if isinstance(err, DBAPIError) and (err.connection_invalidated or
                                                dialect.is_disconnect(err.orig, raw, None)):
                return True
            if isinstance(err, dialect.loaded_dbapi.Error) and dialect.is_disconnect(err, raw, None):
                return True  # a statement run on the driver's cursor (store/prepared.py)
        return False

    def _commit(self, uow: UnitOfWork) -> None:
        self._committing = True  # from here a lost connection leaves the outcome unknown: never decided again
        uow.commit()

    def _try_without_savepoints(self, group: list[_Job]) -> bool:
        """The group decided with no savepoint around each job (two statements a job fewer). A job refused before
        it wrote anything — a rule, a conflict, an unknown token: nearly every refusal — takes its error back and
        leaves nothing to undo. Only when a job fails after writing is the attempt rolled back whole; False then,
        and the group is decided again, each job under its own savepoint."""
        with UnitOfWork(self.db, write=True, conn=self._connection()) as uow:
            for job in group:
                wrote, mark = uow.conn.info.get(WRITES, 0), uow.ledger.mark()
                try:
                    job.result = job.work(uow)
                except BaseException as err:  # noqa: BLE001 - handed back to the job's own thread
                    if uow.conn.info.get(WRITES, 0) != wrote:
                        for each in group:
                            each.result = each.error = None
                        return False  # the unit of work rolls the attempt back
                    job.error = err
                    uow.ledger.undo(mark)
            if all(job.error is not None for job in group):
                return True  # nothing to keep: the unit of work rolls back
            self._commit(uow)
        self.groups += 1
        self.jobs += len(group)
        return True

    def _decide_with_savepoints(self, group: list[_Job]) -> None:
        alone = len(group) == 1  # no savepoint needed: a failure rolls the whole transaction back
        with UnitOfWork(self.db, write=True, conn=self._connection()) as uow:
            for job in group:
                _decide(uow, job, alone)
            if all(job.error is not None for job in group):
                return
            self._commit(uow)
        self.groups += 1
        self.jobs += len(group)


# WRITES (store/prepared.py): the writer connection's count of statements other than SELECT (Connection.info)


def count_writes(conn, _cursor, statement: str, *_args) -> None:
    """`before_cursor_execute` on a writer engine (store/db.py): counts what may have changed the database."""
    if not statement.lstrip()[:6].upper() == "SELECT":
        conn.info[WRITES] = conn.info.get(WRITES, 0) + 1


def _settle(jobs: list[_Job]) -> None:
    """Tell each event loop its group's jobs are answered: one wake-up per loop, not one per job."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
    for job in jobs:
        by_loop.setdefault(job.loop, []).append(job.answered)
    for loop, futures in by_loop.items():
        try:
            loop.call_soon_threadsafe(_set_done, futures)
        except RuntimeError:  # that loop has closed: nobody is waiting there any more
            pass


def _set_done(futures: list[asyncio.Future]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)


def _undecided(group: list[_Job]) -> None:
    for job in group:
        job.result = job.error = None


def _decide(uow: UnitOfWork, job: _Job, alone: bool) -> None:
    if alone:
        try:
            job.result = job.work(uow)
        except BaseException as err:  # noqa: BLE001 - handed back to the job's own thread
            job.error = err
        return
    mark = uow.ledger.mark()
    savepoint = uow.conn.begin_nested()
    try:
        job.result = job.work(uow)
        savepoint.commit()
    except BaseException as err:  # noqa: BLE001 - handed back to the job's own thread
        job.error = err
        if savepoint.is_active:
            savepoint.rollback()
        uow.ledger.undo(mark)
