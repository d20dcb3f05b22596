"""Aggregate figures: persons and trips by state, by precedence, by site and by centre."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select

from ...domain import lifecycle
from ...domain.values import PersonState, TripState
from ..tables import households, persons, trips


def person_state_counts(conn: Connection) -> dict[str, int]:
    """Persons in each state; records merged into another person are not persons of their own."""
    rows = conn.execute(select(persons.c.state, func.count()).where(persons.c.merged_into.is_(None))
                        .group_by(persons.c.state)).all()
    counts = {s.value: 0 for s in PersonState}
    counts.update({state: n for state, n in rows})
    return counts


def trip_state_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(trips.c.state, func.count()).group_by(trips.c.state)).all()
    counts = {s.value: 0 for s in TripState}
    counts.update({state: n for state, n in rows})
    return counts


def household_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(households)).scalar_one()


def precedence_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """For each medical precedence: how many persons in each state."""
    rows = conn.execute(select(persons.c.precedence, persons.c.state, func.count())
                        .where(persons.c.merged_into.is_(None))
                        .group_by(persons.c.precedence, persons.c.state)).all()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for prec, state, n in rows:
        out[prec][state] = n
    return dict(out)


def waiting_by_site(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(households.c.gathering_point, func.count())
                        .join(persons, persons.c.household == households.c.token)
                        .where(persons.c.state.in_(lifecycle.values(lifecycle.PENDING)),
                               persons.c.merged_into.is_(None))
                        .group_by(households.c.gathering_point)).all()
    return {site: n for site, n in rows}


def received_by_centre(conn: Connection) -> dict[str, int]:
    """Persons arrived at, or bound for, each reception centre (for capacity)."""
    rows = conn.execute(select(trips.c.destination, func.count())
                        .join(persons, persons.c.trip == trips.c.id)
                        .where(persons.c.state.in_(lifecycle.values(lifecycle.ABOARD | lifecycle.SETTLED)))
                        .group_by(trips.c.destination)).all()
    return {site: n for site, n in rows}
