"""Group commit: commands that arrive together are decided one by one, in arrival order, in one write transaction,
and made durable together by one commit (one disk sync); each is answered only once its group is durable.

This is the writer queue databases use for their own logs (LevelDB's, for one). A thread with work joins the
queue and sleeps; the thread at the head of the queue leads: it takes every job waiting behind it (up to
`MAX_GROUP`), opens the write transaction, runs each job under its own savepoint — a job that raises (a command
refused by the rules, a resend that conflicts) undoes only its own writes and takes its error back — commits once,
hands every job its outcome and wakes the next head. While a group is being decided and synced, the next one
gathers. There is no thread of its own, and nothing here is particular to one database: savepoints and the
transaction are SQLAlchemy's.

Nothing is answered before it is durable: a job's result is handed back only after the commit returned; when the
commit fails, every job of the group that had succeeded gets the commit's error instead."""

from __future__ import annotations

import threading
from collections import deque
from itertools import islice
from typing import TYPE_CHECKING, Callable, TypeVar

from .uow import UnitOfWork

if TYPE_CHECKING:
    from .db import Database

T = TypeVar("T")
Work = Callable[[UnitOfWork], T]

MAX_GROUP = 100  # jobs in one group at most: a group's last job waits for every decision before it


class _Job:
    __slots__ = ("work", "wake", "done", "result", "error")

    def __init__(self, work: Work, mutex: threading.Lock):
        self.work = work
        self.wake = threading.Condition(mutex)
        self.done = False
        self.result = None
        self.error: BaseException | None = None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """The write queue of one database (`Database.group`)."""

    def __init__(self, db: Database):
        self.db = db
        self._mutex = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._leading = threading.local()  # set while this thread decides a group
        self.groups = 0  # committed so far, and the jobs in them: how well commands were grouped
        self.jobs = 0

    def run(self, work: Work[T]) -> T:
        """Run `work(uow)` in the next group's transaction; its result once the group is durable, or its error
        (its own writes undone, the group's other jobs unaffected)."""
        if getattr(self._leading, "now", False):
            raise RuntimeError("a command recorded from inside another command's decision would wait for itself")
        job = _Job(work, self._mutex)
        with self._mutex:
            self._queue.append(job)
            while not job.done and self._queue[0] is not job:
                job.wake.wait()
            if job.done:  # a leader before us decided and committed it
                return job.outcome()
            group = list(islice(self._queue, MAX_GROUP))
        self._leading.now = True
        try:
            self._decide_and_commit(group)
        finally:
            self._leading.now = False
            with self._mutex:
                for done in group:
                    self._queue.popleft()
                    done.done = True
                    if done is not job:
                        done.wake.notify()
                if self._queue:
                    self._queue[0].wake.notify()  # the next head leads the next group
        return job.outcome()

    def _decide_and_commit(self, group: list[_Job]) -> None:
        alone = len(group) == 1  # no savepoint needed: a failure rolls the whole transaction back
        try:
            with UnitOfWork(self.db, write=True) as uow:
                for job in group:
                    _decide(uow, job, alone)
                if all(job.error is not None for job in group):
                    return  # nothing to keep: the unit of work rolls back
                uow.commit()
            self.groups += 1
            self.jobs += len(group)
        except BaseException as err:  # noqa: BLE001 - opening or committing failed: no job of the group is durable
            for job in group:
                if job.error is None:
                    job.error, job.result = err, None


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
