"""Random sequences of commands never break the one-state-per-person rule nor the reconciliation balance.

Each example runs on a copy of one small prepared operation (set up, a few households registered),
so an example costs a file copy, not a migration. Refusals are expected (most random commands are
refused); after every step the invariants must hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from corridor.bootstrap import bootstrap
from corridor.domain import lifecycle
from corridor.domain.accounting import NOT_SCANNED, balance_holds, outcome, reconcile_trip, totals
from corridor.domain.errors import CorridorError
from corridor.domain.values import PersonState, TripState
from corridor.service import movement, planning, registration, setup
from corridor.service.recording import Meta
from corridor.store import queries as q
from corridor.store.tables import manifest, persons, trips
from tests.conftest import SMALL_SPEC, Clock, person

GATHERING, CENTRES = ("GP-A", "GP-B"), ("RC-1", "RC-2")


@pytest.fixture(scope="module")
def template(tmp_path_factory, database_templates) -> tuple:
    """A small operation with four households waiting, closed and ready to copy."""
    path = database_templates.empty(tmp_path_factory.mktemp("template"), "template.db")
    rt = bootstrap(path, clock=Clock(), seed=11, key=database_templates.key)
    setup.load_setup(rt, SMALL_SPEC)
    for i, size in enumerate((2, 1, 3, 2)):
        household(rt, i, size)
    rt.db.dispose()
    return path, database_templates


def household(rt, i: int, size: int) -> None:
    members = [person(relationship="head")] + [person() for _ in range(size - 1)]
    registration.register_household(rt, Meta(), {"gathering_point": GATHERING[i % 2], "destination": CENTRES[i % 2],
                                                 "persons": members})


def fresh(template: tuple, tmp: Path, n: int):
    path, templates = template
    copy = templates.clone(path, tmp, f"example-{n}.db")
    clock = Clock()
    return bootstrap(copy, clock=clock, seed=n, migrate=False, key=templates.key), clock


# a step: (command, a number picking the trip, a number picking the person, a choice)
WEIGHTS = dict(register=1, plan=1, board=2, board_household=2, depart=3, pass_=2, arrive=3, scan=3, scan_household=2,
               close=2, release=2, halt=1, resume=2)
COMMANDS = [name.rstrip("_") for name, weight in WEIGHTS.items() for _ in range(weight)]
STEP = st.tuples(
    st.sampled_from(COMMANDS),
    st.integers(0, 20), st.integers(0, 40), st.sampled_from(["held", "removed", None]))


def run(rt, step) -> None:
    """One command, aimed mostly where it can apply (a random aim is almost always refused)."""
    name, t, p, choice = step
    with rt.reading() as uow:
        rows = [r for r in q.trips_in(uow.conn) if r.state != TripState.CANCELLED.value]
        people = uow.conn.execute(select(persons.c.token, persons.c.household, persons.c.trip, persons.c.state)
                                  .order_by(persons.c.ordinal)).all()
    fitting = [r.id for r in rows if r.state in AIM.get(name, ())]  # t even: a trip the command fits
    trip = pick(fitting if t % 2 == 0 and fitting else [r.id for r in rows], t) or "T00001"
    who = pick(people, p)
    if name == "register":
        household(rt, p, 1 + p % 3)
    elif name == "plan":
        planning.plan(rt, Meta())
    elif name in ("board", "board_household"):
        who = pick([x for x in people if x.state in lifecycle.values(lifecycle.BOARDABLE)], p) or who
        movement.board(rt, Meta(), trip=who.trip or trip, tokens=who.token if name == "board" else who.household)
    elif name == "depart":
        movement.depart(rt, Meta(), trip=trip)
    elif name == "pass":
        status = movement_trip(rt, trip)
        upcoming = [c for c in status.checkpoints if c not in status.passed] or ["CP-1"] if status else ["CP-1"]
        aboard = pick([x for x in people if x.trip == trip and x.state == PersonState.IN_TRANSIT.value], p)
        off = [{"token": aboard.token, "outcome": choice, "reason": "as stated"}] if choice and aboard else []
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=upcoming[0], taken_off=off)
    elif name == "arrive":  # the rest of the road first, if any
        status = movement_trip(rt, trip)
        for checkpoint in [c for c in status.checkpoints if c not in status.passed] if status else []:
            movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=checkpoint)
        movement.arrive(rt, Meta(), trip=trip)
    elif name in ("scan", "scan_household"):
        if choice is not None:  # mostly someone of an arrived trip; sometimes anyone at all (held ones included)
            who = pick([x for x in people if x.trip == trip], p) or who
        movement.scan_in(rt, Meta(), trip=trip, tokens=who.token if name == "scan" else who.household)
    elif name == "close":
        movement.close(rt, Meta(), trip=trip)
    elif name == "release":
        who = pick([x for x in people if x.state == PersonState.HELD.value], p) or who
        movement.release(rt, Meta(), token=who.token, note="released")
    elif name == "halt":
        movement.halt(rt, Meta(), cause="shelling")
    elif name == "resume":
        movement.resume(rt, Meta())


AIM = {"depart": ("boarding",), "pass": ("departed",), "arrive": ("departed",), "close": ("arrived",),
       "scan": ("arrived", "closed"), "scan_household": ("arrived", "closed")}


def pick(items: list, n: int):
    return items[n % len(items)] if items else None


def movement_trip(rt, trip: str):
    with rt.reading() as uow:
        return q.trip_status(uow.conn, trip)


def check_invariants(rt) -> None:
    with rt.reading() as uow:
        c = uow.conn
        people = c.execute(select(persons)).all()
        trip_rows = {r.id: r for r in c.execute(select(trips)).all()}
        lines = q.manifest_lines(c)
        boarded_on = {(r.trip, r.person) for r in c.execute(select(manifest.c.trip, manifest.c.person)
                                                              .where(manifest.c.boarded_at.is_not(None)))}
        counts = q.person_state_counts(c)
    # every person is in exactly one state, and the state agrees with the trip it names
    assert sum(counts.values()) == sum(1 for x in people if x.merged_into is None)
    for x in people:
        state = PersonState(x.state)
        trip = trip_rows.get(x.trip)
        if state in (PersonState.WAITING, PersonState.HELD):
            assert x.trip is None or state is PersonState.HELD, x
        if state is PersonState.HELD:
            assert x.held_site, x
        if state in lifecycle.ABOARD:
            assert (x.trip, x.token) in boarded_on, x
            expected = lifecycle.TRIP_OPEN if state is PersonState.BOARDED else {TripState.DEPARTED,
                                                                                    TripState.ARRIVED}
            assert TripState(trip.state) in expected, (x, trip.state)
        if state is PersonState.ARRIVED:
            assert TripState(trip.state) in lifecycle.TRIP_AT_DESTINATION, (x, trip.state)
    # per trip and overall, boarded = taken off + arrived + not scanned + unaccounted + arrived with another trip
    recs = [reconcile_trip(t.id, TripState(t.state), t.vehicle, t.destination, lines.get(t.id, []))
            for t in trip_rows.values()]
    for r in recs:
        assert balance_holds(r), r
    assert balance_holds(totals(recs))
    # who is aboard is said once: the persons aboard are exactly the boarded lines not yet accounted for
    not_scanned = {(ln.trip, ln.person) for t in lines.values() for ln in t if outcome(ln) == NOT_SCANNED}
    assert not_scanned == {(x.trip, x.token) for x in people if PersonState(x.state) in lifecycle.ABOARD}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=8, max_size=40))
def test_random_commands_keep_every_person_in_one_state_and_the_books_balanced(template, tmp_path, steps):
    n = len(list(tmp_path.iterdir()))
    rt, clock = fresh(template, tmp_path, n)
    try:
        planning.plan(rt, Meta())
        for step in steps:
            clock.advance(1)
            try:
                run(rt, step)
            except CorridorError:
                pass
            check_invariants(rt)
    finally:
        rt.db.dispose()
