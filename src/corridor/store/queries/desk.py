"""What the medic's and the protection officer's desks list: the medical cases and the persons held, opened, with
their household's registration and their trip's times."""

from __future__ import annotations

from sqlalchemy import Connection, or_, select

from ...domain.values import Mobility, PersonState, Precedence
from ..tables import households, persons, trips
from .opening import open_persons

_WITH = (households.c.registered_at.label("household_registered_at"), households.c.gathering_point,
         households.c.destination.label("bound_for"), trips.c.state.label("trip_state"),
         trips.c.arrive_at.label("trip_arrive_at"), trips.c.arrived_at.label("trip_arrived_at"))


def _persons_with_trips(conn: Connection, where) -> list:
    rows = conn.execute(select(persons, *_WITH)
                        .join(households, households.c.token == persons.c.household)
                        .outerjoin(trips, trips.c.id == persons.c.trip)
                        .where(where, persons.c.merged_into.is_(None), households.c.erased_at.is_(None))
                        .order_by(persons.c.ordinal)).all()
    return open_persons(conn, rows)


def medical_cases(conn: Connection) -> list:
    """Every person with a medical precedence (urgent, priority, routine) or who travels on a stretcher."""
    pressing = [p.value for p in Precedence if p is not Precedence.NONE]
    return _persons_with_trips(conn, or_(persons.c.precedence.in_(pressing),
                                         persons.c.mobility == Mobility.STRETCHER.value))


def held_persons(conn: Connection) -> list:
    """Every person held now (at a checkpoint), longest held first."""
    rows = _persons_with_trips(conn, persons.c.state == PersonState.HELD.value)
    return sorted(rows, key=lambda r: r.state_since)
