"""Group commit: commands that arrive together are decided one by one in arrival order, committed with one commit,
and answered only once that commit returned; a refused or conflicting command in a group spoils none of the others.

Each test holds the group's leader inside its first job until the other commands have queued behind it, so the
group they form is known (no timing is assumed)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

from corridor.domain.errors import Conflict, NotFound
from corridor.service import movement, reports
from corridor.service.recording import Meta
from corridor.store.uow import UnitOfWork
from tests.conftest import person, register
from tests.helpers import plan, planned_trip


class Held:
    """A first job that keeps the write queue's head busy until released; the commands sent meanwhile queue up."""

    def __init__(self, rt):
        self.rt, self.release, self.inside = rt, threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.error: BaseException | None = None

    def _run(self):
        try:
            self.rt.db.group.run(self._work)
        except Exception as err:  # noqa: BLE001 - a test may make its commit fail too
            self.error = err

    def _work(self, _uow):
        self.inside.set()
        assert self.release.wait(30)

    def __enter__(self):
        self.thread.start()
        assert self.inside.wait(30)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)


def queued(rt) -> int:
    with rt.db.group._mutex:
        return len(rt.db.group._queue)


def send_in_order(rt, calls) -> tuple[list, list[threading.Thread]]:
    """Start each call in its own thread, the next only once the previous one has joined the queue."""
    outcomes: list = [None] * len(calls)
    threads = []

    def run(i, call):
        try:
            outcomes[i] = call()
        except Exception as err:  # noqa: BLE001 - the outcome examined by the test
            outcomes[i] = err

    for i, call in enumerate(calls):
        before = queued(rt)
        t = threading.Thread(target=run, args=(i, call))
        t.start()
        threads.append(t)
        deadline = time.monotonic() + 30
        while queued(rt) == before and t.is_alive() and time.monotonic() < deadline:
            time.sleep(0.001)
    return outcomes, threads


@pytest.fixture
def boarding(op):
    """Four households registered and planned: (trip, household token) of each."""
    families = [register(op, persons=[person(relationship="head")]) for _ in range(4)]
    plan(op)
    return [(planned_trip(op, f["persons"][0]["token"]), f["token"]) for f in families]


def commits(rt) -> list[int]:
    counted = [0]

    @event.listens_for(rt.db.writer, "commit")
    def _count(_conn):
        counted[0] += 1

    return counted


def board(rt, key, trip, token):
    return lambda: movement.board(rt, Meta(command_id=key), trip=trip, tokens=token)


def test_commands_arriving_together_are_committed_together_in_arrival_order(op, boarding):
    counted = commits(op)
    with Held(op):
        outcomes, threads = send_in_order(op, [board(op, f"scan-{i}", trip, token)
                                               for i, (trip, token) in enumerate(boarding)])
        assert queued(op) == 1 + len(boarding) and all(o is None for o in outcomes), "answered before its commit"
    for t in threads:
        t.join(30)
    assert [o.replayed for o in outcomes] == [False] * 4
    assert [o.seq for o in outcomes] == sorted(o.seq for o in outcomes), "decided in arrival order"
    assert counted[0] == 2, "the held job's group, then one commit for the four scans"
    assert reports.verify(op).ok


def test_a_refused_command_in_a_group_spoils_none_of_the_others(op, boarding):
    (trip_a, fam_a), (trip_b, fam_b) = boarding[:2]
    events = reports.verify(op).events
    with Held(op):
        outcomes, threads = send_in_order(op, [board(op, "ok-1", trip_a, fam_a),
                                               board(op, "bad-1", trip_a, "P00000000"),  # no such person
                                               board(op, "ok-2", trip_b, fam_b)])
    for t in threads:
        t.join(30)
    assert isinstance(outcomes[1], NotFound)
    assert not outcomes[0].replayed and not outcomes[2].replayed and outcomes[2].seq == outcomes[0].seq + 1
    assert reports.verify(op).ok and reports.verify(op).events == events + 2


def test_resends_within_one_group_are_replays_and_a_conflicting_one_is_a_conflict(op, boarding):
    (trip_a, fam_a), (trip_b, fam_b) = boarding[:2]
    with Held(op):
        outcomes, threads = send_in_order(op, [board(op, "k-1", trip_a, fam_a),
                                               board(op, "k-1", trip_a, fam_a),  # the same scan resent
                                               board(op, "k-1", trip_b, fam_b),  # the same key, another scan
                                               board(op, "k-2", trip_b, fam_b)])
    for t in threads:
        t.join(30)
    first, again, conflicting, other = outcomes
    assert not first.replayed and again.replayed and again.seq == first.seq
    assert isinstance(conflicting, Conflict) and conflicting.field == "command_id"
    assert not other.replayed and other.seq == first.seq + 1
    assert movement.board(op, Meta(command_id="k-1"), trip=trip_a, tokens=fam_a).replayed  # durable, and once
    assert reports.verify(op).ok


def test_when_the_commit_fails_no_command_of_the_group_is_answered_as_recorded(op, boarding, monkeypatch):
    events = reports.verify(op).events
    real = UnitOfWork.commit
    failing = threading.Event()

    def commit(self):
        if failing.is_set():
            raise OSError("disk full")
        real(self)

    monkeypatch.setattr(UnitOfWork, "commit", commit)
    with Held(op):
        outcomes, threads = send_in_order(op, [board(op, f"scan-{i}", trip, token)
                                               for i, (trip, token) in enumerate(boarding)])
        failing.set()
    for t in threads:
        t.join(30)
    assert all(isinstance(o, OSError) for o in outcomes)
    failing.clear()
    assert reports.verify(op).ok and reports.verify(op).events == events
    again = movement.board(op, Meta(command_id="scan-0"), trip=boarding[0][0], tokens=boarding[0][1])
    assert not again.replayed, "resent after the failure: recorded now, once"


def test_an_unexpected_error_after_appending_undoes_only_that_command(op, boarding, monkeypatch):
    (trip_a, fam_a), (trip_b, fam_b) = boarding[:2]
    from corridor.store import uow as uow_module

    real = uow_module.project

    def project(conn, entry, event_, seals):
        if entry.command_id == "broken":
            raise RuntimeError("a bug after the event was appended")
        real(conn, entry, event_, seals)

    monkeypatch.setattr(uow_module, "project", project)
    with Held(op):
        outcomes, threads = send_in_order(op, [board(op, "before", trip_a, fam_a), board(op, "broken", trip_b, fam_b),
                                               board(op, "after", trip_b, fam_b)])
    for t in threads:
        t.join(30)
    before, broken, after = outcomes
    assert isinstance(broken, RuntimeError)
    assert after.seq == before.seq + 1, "the undone command left no event and no gap in the chain"
    assert reports.verify(op).ok


def lose_the_writers_connection(rt) -> None:
    """The writer's kept connection gone under it, as a database restart leaves it: PostgreSQL's server ends its
    session (the client learns it on its next statement); SQLite's connection is closed."""
    raw = rt.db.group._conn.connection.dbapi_connection
    if rt.db.is_sqlite:
        raw.close()
        return
    with rt.db.reader.connect() as other:  # waits (up to 30 s) until the session has ended; polling
        # pg_stat_activity inside one transaction saw its first snapshot again and again (stats_fetch_consistency)
        ended = other.exec_driver_sql(f"SELECT pg_terminate_backend({raw.info.backend_pid}, 30000)").scalar()
        assert ended, "the writer's session did not end"


def test_a_group_finding_the_writers_connection_lost_is_decided_again_on_a_new_one(op, boarding):
    (trip_a, fam_a), *others = boarding
    board(op, "first", trip_a, fam_a)()  # the writer keeps its connection from here
    events = reports.verify(op).events
    lose_the_writers_connection(op)
    with Held(op) as held:  # the held job's own group finds the connection lost and is decided again
        outcomes, threads = send_in_order(op, [board(op, f"scan-{i}", trip, token)
                                               for i, (trip, token) in enumerate(others)])
    for t in threads:
        t.join(30)
    assert held.error is None
    assert [o.replayed for o in outcomes] == [False] * 3
    assert reports.verify(op).ok and reports.verify(op).events == events + 3, "each recorded once"


def test_a_connection_lost_during_the_commit_is_not_decided_again(op, boarding, monkeypatch):
    (trip_a, fam_a), (trip_b, fam_b) = boarding[:2]
    board(op, "first", trip_a, fam_a)()
    events = reports.verify(op).events
    real = UnitOfWork.commit

    def commit(self):
        lose_the_writers_connection(op)  # the outcome of this commit is unknown to the writer
        real(self)

    monkeypatch.setattr(UnitOfWork, "commit", commit)
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error for a lost connection
        board(op, "lost", trip_b, fam_b)()
    monkeypatch.setattr(UnitOfWork, "commit", real)
    assert reports.verify(op).events == events, "decided once, its commit lost: nothing recorded"
    assert not board(op, "lost", trip_b, fam_b)().replayed, "resent: recorded now, once"
    assert reports.verify(op).ok and reports.verify(op).events == events + 1
