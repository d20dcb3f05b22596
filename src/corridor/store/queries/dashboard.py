"""What the coordinator's picture reads: aggregates only (counts and times by site, trip and hour), never a name.

Each is one grouped query, so the picture costs a handful of reads whatever the number of persons."""

from __future__ import annotations

import json

from sqlalchemy import Connection, and_, func, select

from ...domain import lifecycle
from ...domain.values import PersonState, TripState
from ..tables import manifest, passages, persons, trips


def held_by_site(conn: Connection) -> list[tuple[str, int, object]]:
    """(site, persons held there now, held since the earliest)."""
    return [tuple(r) for r in conn.execute(
        select(persons.c.held_site, func.count(), func.min(persons.c.state_since))
        .where(persons.c.state == PersonState.HELD.value, persons.c.merged_into.is_(None))
        .group_by(persons.c.held_site)).all()]


def aboard_by_trip(conn: Connection) -> list[tuple[str, int, object]]:
    """(trip, persons aboard now, boarded since the earliest) for every trip with someone aboard."""
    aboard = lifecycle.values(lifecycle.ABOARD)
    return [tuple(r) for r in conn.execute(
        select(persons.c.trip, func.count(), func.min(manifest.c.boarded_at))
        .join(manifest, and_(manifest.c.person == persons.c.token, manifest.c.trip == persons.c.trip))
        .where(persons.c.state.in_(aboard)).group_by(persons.c.trip)).all()]


def trips_not_done(conn: Connection) -> list:
    """Trips planned, boarding or on the road: id, vehicle, state, route, planned and actual times."""
    states = [TripState.PLANNED.value, TripState.BOARDING.value, TripState.DEPARTED.value]
    return conn.execute(select(trips.c.id, trips.c.vehicle, trips.c.state, trips.c.route, trips.c.origin,
                               trips.c.destination, trips.c.depart_at, trips.c.arrive_at, trips.c.departed_at)
                        .where(trips.c.state.in_(states)).order_by(trips.c.depart_at, trips.c.ordinal)).all()


def last_passage_of_moving(conn: Connection) -> dict[str, tuple[str, object]]:
    """{trip on the road: (last checkpoint passed, when)}."""
    out: dict[str, tuple[str, object]] = {}
    for r in conn.execute(select(passages.c.trip, passages.c.checkpoint, passages.c.at)
                          .join(trips, trips.c.id == passages.c.trip)
                          .where(trips.c.state == TripState.DEPARTED.value).order_by(passages.c.at)).all():
        out[r.trip] = (r.checkpoint, r.at)
    return out


def gantt_rows(conn: Connection) -> list:
    """Every trip not cancelled: vehicle, state, planned and actual departure and arrival."""
    return conn.execute(select(trips.c.id, trips.c.vehicle, trips.c.state, trips.c.depart_at, trips.c.arrive_at,
                               trips.c.departed_at, trips.c.arrived_at)
                        .where(trips.c.state != TripState.CANCELLED.value)
                        .order_by(trips.c.vehicle, trips.c.depart_at)).all()


def scanned_in_by_time(conn: Connection) -> list[tuple[object, int]]:
    """(time, persons scanned in at that time), in time order: the actual arrivals."""
    return [tuple(r) for r in conn.execute(
        select(manifest.c.scanned_at, func.count()).where(manifest.c.scanned_at.is_not(None))
        .group_by(manifest.c.scanned_at).order_by(manifest.c.scanned_at)).all()]


def planned_arrivals(conn: Connection) -> list[tuple[object, int]]:
    """(planned arrival, persons assigned) of every trip not cancelled: the arrivals as planned."""
    return [tuple(r) for r in conn.execute(
        select(trips.c.arrive_at, func.count(manifest.c.person))
        .join(manifest, and_(manifest.c.trip == trips.c.id, manifest.c.assigned.is_(True)))
        .where(trips.c.state != TripState.CANCELLED.value)
        .group_by(trips.c.id, trips.c.arrive_at).order_by(trips.c.arrive_at)).all()]


def passages_times(conn: Connection) -> list[tuple[str, object]]:
    """(checkpoint, when) of every passage: the checkpoints' throughput."""
    return [tuple(r) for r in conn.execute(select(passages.c.checkpoint, passages.c.at)
                                           .order_by(passages.c.at)).all()]


def route_of(value: str) -> list[str]:
    return json.loads(value)


def arrived_by_centre(conn: Connection) -> dict[str, int]:
    """{reception centre: persons arrived there (scanned in)}."""
    rows = conn.execute(select(trips.c.destination, func.count()).join(persons, persons.c.trip == trips.c.id)
                        .where(persons.c.state == PersonState.ARRIVED.value).group_by(trips.c.destination)).all()
    return {site: n for site, n in rows}
