"""What the medic's and the protection officer's desks read: the medical cases (precedence or stretcher), the
persons held, the persons with family links (all opened), and where each trip is on its route."""

from __future__ import annotations

from sqlalchemy import Connection, or_, select

from ...domain.values import Mobility, PersonState
from ..tables import households, passages, person_links, persons, trips
from .opening import chunked, open_persons


def _with_household():
    return (select(persons, households.c.gathering_point, households.c.destination,
                   households.c.registered_at.label("household_registered_at"))
            .join(households, households.c.token == persons.c.household)
            .where(persons.c.merged_into.is_(None)))


def medical_cases(conn: Connection, precedences: list[str]) -> list:
    """Persons with one of these precedences or on a stretcher (not merged into another record), opened, with their
    household's gathering point, destination and registration time; in registration order."""
    cond = or_(persons.c.precedence.in_(precedences), persons.c.mobility == Mobility.STRETCHER.value)
    return open_persons(conn, conn.execute(_with_household().where(cond).order_by(persons.c.ordinal)).all())


def held_persons(conn: Connection) -> list:
    """Persons held now (the reason opened), with their household's sites; the longest held first."""
    return open_persons(conn, conn.execute(_with_household().where(persons.c.state == PersonState.HELD.value)
                                           .order_by(persons.c.state_since, persons.c.ordinal)).all())


def linked_persons(conn: Connection) -> list:
    """Persons who registered family links (their links opened), with their household's sites."""
    has_links = select(person_links.c.person).distinct()
    return open_persons(conn, conn.execute(_with_household().where(persons.c.token.in_(has_links))
                                           .order_by(persons.c.ordinal)).all())


def trips_by_id(conn: Connection, trip_ids: list[str]) -> dict:
    """{trip id: row of trips} for these trips."""
    out = {}
    for part in chunked(sorted(set(trip_ids))):
        out.update({r.id: r for r in conn.execute(select(trips).where(trips.c.id.in_(part))).all()})
    return out


def last_passages(conn: Connection, trip_ids: list[str]) -> dict[str, tuple[str, object]]:
    """{trip: (checkpoint, at)} of the last checkpoint each of these trips passed."""
    out: dict[str, tuple[str, object]] = {}
    for part in chunked(sorted(set(trip_ids))):
        for r in conn.execute(select(passages.c.trip, passages.c.checkpoint, passages.c.at)
                              .where(passages.c.trip.in_(part)).order_by(passages.c.at)).all():
            out[r.trip] = (r.checkpoint, r.at)
    return out


def places(conn: Connection, tokens: list[str]) -> dict:
    """{person: row} of where these persons are (state, trip, held site, their household's gathering point and
    destination): plain columns only, nothing opened."""
    out = {}
    for part in chunked(sorted(set(tokens))):
        out.update({r.token: r for r in conn.execute(
            select(persons.c.token, persons.c.state, persons.c.trip, persons.c.held_site,
                   households.c.gathering_point, households.c.destination)
            .join(households, households.c.token == persons.c.household).where(persons.c.token.in_(part))).all()})
    return out
