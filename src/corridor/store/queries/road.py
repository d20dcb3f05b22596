"""The road: convoys as the rules see them, private vehicles, the way back from a checkpoint, who left how."""

from __future__ import annotations

import heapq
import json

from sqlalchemy import Connection, func, select

from ...domain import lifecycle
from ...domain.road import ConvoyStatus, ConvoyTrip
from ...domain.values import PRIVATE_KINDS, TripState
from ..tables import legs, manifest, passages, persons, trips, vehicles
from .opening import vault_of


def convoy_status(conn: Connection, convoy: str) -> ConvoyStatus:
    rows = conn.execute(select(trips).where(trips.c.convoy == convoy).order_by(trips.c.ordinal)).all()
    passed: dict[str, list[str]] = {}
    if rows:
        for p in conn.execute(select(passages.c.trip, passages.c.checkpoint)
                              .where(passages.c.trip.in_([r.id for r in rows])).order_by(passages.c.at)):
            passed.setdefault(p.trip, []).append(p.checkpoint)
    return ConvoyStatus(id=convoy, trips=tuple(
        ConvoyTrip(id=r.id, state=TripState(r.state), origin=r.origin, destination=r.destination,
                   route=tuple(json.loads(r.route)), depart_at=r.depart_at, arrive_at=r.arrive_at,
                   departed_at=r.departed_at, passed=tuple(passed.get(r.id, ()))) for r in rows))


def private_vehicle_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(vehicles)
                        .where(vehicles.c.kind.in_([k.value for k in PRIVATE_KINDS]))).scalar_one()


def minutes_between(conn: Connection, a: str, b: str) -> int:
    """The shortest travel time between two sites by the legs (0 when they are the same or not joined)."""
    graph: dict[str, list[tuple[str, int]]] = {}
    for leg in conn.execute(select(legs)):
        graph.setdefault(leg.origin, []).append((leg.destination, leg.minutes))
    best, queue = {a: 0}, [(0, a)]
    while queue:
        d, site = heapq.heappop(queue)
        if site == b:
            return d
        if d > best.get(site, d):
            continue
        for nxt, m in graph.get(site, []):
            if d + m < best.get(nxt, d + m + 1):
                best[nxt] = d + m
                heapq.heappush(queue, (d + m, nxt))
    return 0


def left_by(conn: Connection) -> dict[str, int]:
    """People who left (aboard a trip that departed and was not turned back; each registered person once, however
    many trips they boarded), in fleet or private vehicles; and of those in private vehicles, how many were not
    registered."""
    left = [s.value for s in (TripState.DEPARTED, TripState.ARRIVED, TripState.CLOSED, TripState.LOST)]
    rows = conn.execute(select(trips.c.private, func.count(func.distinct(manifest.c.person)))
                        .join(manifest, manifest.c.trip == trips.c.id)
                        .where(trips.c.state.in_(left), manifest.c.boarded_at.is_not(None))
                        .group_by(trips.c.private)).all()
    registered = {bool(p): n for p, n in rows}
    unregistered = conn.execute(select(func.coalesce(func.sum(trips.c.unregistered), 0))
                                .where(trips.c.state.in_(left), trips.c.private.is_(True))).scalar_one()
    return {"fleet_vehicles": registered.get(False, 0),
            "private_vehicles": registered.get(True, 0) + unregistered,
            "private_unregistered": unregistered,
            "private_vehicle_trips": conn.execute(select(func.count()).select_from(trips).where(
                trips.c.private.is_(True), trips.c.state.in_(left))).scalar_one()}


def aboard_by_trip(conn: Connection, trip_ids: list[str]) -> dict[str, list[str]]:
    rows = conn.execute(select(persons.c.trip, persons.c.token).where(
        persons.c.trip.in_(trip_ids), persons.c.state.in_(lifecycle.values(lifecycle.ABOARD)))).all()
    out: dict[str, list[str]] = {}
    for trip, token in rows:
        out.setdefault(trip, []).append(token)
    return out


def trip_events(conn: Connection, trip: str, types: tuple[str, ...]) -> list:
    """The ledger's envelopes (type, at, actor, device) of the events of these types naming this trip, in order:
    who signed the trip off at departure and at arrival, and when."""
    from ..tables import ledger

    needle = json.dumps({"trip": trip})[1:-1].replace(" ", "")  # "trip":"T00012" as the canonical payload has it
    return conn.execute(select(ledger.c.type, ledger.c.at, ledger.c.actor, ledger.c.device)
                        .where(ledger.c.type.in_(types), ledger.c.payload.contains(needle))
                        .order_by(ledger.c.seq)).all()


def vehicle_row(conn: Connection, code: str):
    return conn.execute(select(vehicles).where(vehicles.c.code == code)).first()


def vehicles_lost(conn: Connection) -> list:
    """Trips whose vehicle was attacked, burned or lost on the road: (trip, incident, when, persons aboard then
    injured or unaccounted), in the order it happened."""
    hurt = (select(manifest.c.trip, func.count().label("n")).where(manifest.c.follow_up.in_(("injured", "unaccounted")))
            .group_by(manifest.c.trip).subquery())
    return conn.execute(select(trips.c.id, trips.c.incident, vehicles.c.withdrawn_at, func.coalesce(hurt.c.n, 0))
                        .join(vehicles, vehicles.c.code == trips.c.vehicle)
                        .outerjoin(hurt, hurt.c.trip == trips.c.id)
                        .where(trips.c.incident.is_not(None)).order_by(vehicles.c.withdrawn_at, trips.c.id)).all()


def trip_driver(conn: Connection, trip) -> str | None:
    """Who drives a trip (`trip`: its row), opened: as signed off at departure, else a private vehicle's driver as
    stated when it joined; ``[erased]`` once the drivers' key is destroyed; None when none is recorded (or it was
    recorded in the clear before drivers' names were sealed, and so is not in the views)."""
    from ..crypto import ERASED

    sealed = trip.driver or conn.execute(select(vehicles.c.driver).where(vehicles.c.code == trip.vehicle)).scalar()
    if sealed is None:
        return None
    text = vault_of(conn).open(conn, sealed, f"{trip.id}|driver")
    return ERASED if text is None else text
