"""Trips: their status for the running rules, manifests, passages, plans and halts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import Connection, and_, bindparam, case, func, or_, select

from ...domain import lifecycle
from ...domain.accounting import ManifestLine
from ...domain.running import TripStatus
from ...domain.values import Mobility, PersonState, SiteKind, TripState
from ..prepared import Prepared
from ..tables import halts, ledger, manifest, passages, persons, plans, sites, trips, vehicles
from .opening import chunked, open_reason


def trip_persons(conn: Connection, trip: str, states: frozenset[PersonState]) -> list[str]:
    """The persons of a trip in these states (e.g. the ones a move of the lifecycle starts from)."""
    return list(conn.execute(select(persons.c.token).where(persons.c.trip == trip,
                                                           persons.c.state.in_(lifecycle.values(states)))
                             .order_by(persons.c.token)).scalars())


def _checkpoints(conn: Connection) -> set[str]:
    return set(_CHECKPOINTS.scalars(conn))


# A trip's status is read on every boarding scan: its statements are compiled once and run on the driver's cursor
# (store/prepared.py), each constant IN written as ORs (a prepared statement has no list parameter).
_TRIP = bindparam("trip")
_ABOARD = or_(*(persons.c.state == s for s in lifecycle.values(lifecycle.ABOARD)))


def _aboard(*where):
    return select(func.count()).where(persons.c.trip == _TRIP, _ABOARD, *where).scalar_subquery()


_STATUS = Prepared(
    select(trips.c.id, trips.c.vehicle, trips.c.origin, trips.c.destination, trips.c.route, trips.c.state,
           trips.c.unregistered, trips.c.departed_at, trips.c.arrived_at, vehicles.c.seats, vehicles.c.stretchers,
           plans.c.made_at.label("planned_at"),
           _aboard().label("aboard"), _aboard(persons.c.mobility == Mobility.STRETCHER.value).label("lying"),
           select(func.max(manifest.c.boarded_at)).where(manifest.c.trip == _TRIP)
           .scalar_subquery().label("last_boarded"),
           select(func.max(manifest.c.scanned_at)).where(manifest.c.trip == _TRIP)
           .scalar_subquery().label("last_scanned"))
    .join(vehicles, vehicles.c.code == trips.c.vehicle).outerjoin(plans, plans.c.plan_id == trips.c.plan_id)
    .where(trips.c.id == _TRIP))  # only what TripStatus is made of
_PASSED = Prepared(select(passages.c.checkpoint, passages.c.at).where(passages.c.trip == _TRIP)
                   .order_by(passages.c.at))
_CHECKPOINTS = Prepared(select(sites.c.code).where(sites.c.kind == SiteKind.CHECKPOINT.value))


def trip_status(conn: Connection, trip_id: str) -> TripStatus | None:
    """A trip as the running rules see it: its state, room, who is aboard (the persons' lifecycle state; the
    manifest keeps who boarded, ever), the checkpoints passed and the times of its last moves."""
    row = _STATUS.first(conn, {"trip": trip_id})
    if row is None:
        return None
    stretcher = row.lying
    route = tuple(json.loads(row.route))
    checkpoints = _checkpoints(conn)
    # a trip that has not left has passed no checkpoint (no move of the lifecycle leads back to boarding)
    passed = [] if row.state in _NOT_LEFT else _PASSED.all(conn, {"trip": trip_id})
    return TripStatus(
        id=row.id, vehicle=row.vehicle, origin=row.origin, destination=row.destination, route=route,
        state=TripState(row.state), seats=row.seats, stretchers=row.stretchers,
        # people not registered in a private vehicle take seats too
        aboard_seated=row.aboard - stretcher + (row.unregistered if row.state in _MOVING else 0),
        aboard_stretcher=stretcher,
        passed=tuple(p.checkpoint for p in passed), checkpoints=tuple(s for s in route if s in checkpoints),
        planned_at=row.planned_at, last_boarded_at=_utc(row.last_boarded), departed_at=row.departed_at,
        last_passed_at=passed[-1].at if passed else None, arrived_at=row.arrived_at,
        last_scanned_at=_utc(row.last_scanned))


_MOVING = frozenset(s.value for s in (TripState.BOARDING, TripState.DEPARTED))
_NOT_LEFT = frozenset(lifecycle.values(lifecycle.TRIP_OPEN))


def _utc(value):
    """An aggregate over a time column comes back raw (not through the column's type)."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _utc(datetime.fromisoformat(str(value)))


def trips_in(conn: Connection, states: list[TripState] | None = None) -> list:
    q = select(trips).order_by(trips.c.depart_at, trips.c.ordinal)
    if states is not None:
        q = q.where(trips.c.state.in_([s.value for s in states]))
    return conn.execute(q).all()


def trip_row(conn: Connection, trip_id: str):
    return conn.execute(select(trips).where(trips.c.id == trip_id)).first()


def trip_manifest(conn: Connection, trip_id: str) -> list:
    """The persons with a manifest line on this trip, and where each stands now."""
    return conn.execute(
        select(manifest.c.person.label("token"), persons.c.household, persons.c.state, persons.c.trip,
               persons.c.mobility, persons.c.precedence, manifest.c.assigned, manifest.c.boarded_at,
               manifest.c.scanned_at, manifest.c.left_behind, manifest.c.off_checkpoint, manifest.c.off_outcome,
               manifest.c.turned_back, manifest.c.follow_up, manifest.c.follow_up_to)
        .join(persons, persons.c.token == manifest.c.person)
        .where(manifest.c.trip == trip_id).order_by(persons.c.ordinal)).all()


def trip_counts(conn: Connection, trip_id: str | None = None) -> dict[str, dict[str, int]]:
    """Per trip: assigned, aboard, held, arrived counts (one grouped query)."""
    query = select(
        manifest.c.trip,
        func.sum(case((manifest.c.assigned, 1), else_=0)),
        func.sum(case((manifest.c.boarded_at.is_not(None), 1), else_=0)),
        func.sum(case((manifest.c.off_checkpoint.is_not(None), 1), else_=0)),
        func.sum(case((manifest.c.scanned_at.is_not(None), 1), else_=0)),
    ).group_by(manifest.c.trip)
    if trip_id is not None:
        query = query.where(manifest.c.trip == trip_id)
    rows = conn.execute(query).all()
    return {r[0]: {"assigned": r[1] or 0, "boarded": r[2] or 0, "taken_off": r[3] or 0, "arrived": r[4] or 0}
            for r in rows}


def latest_plan(conn: Connection):
    return conn.execute(select(plans).order_by(plans.c.seq.desc()).limit(1)).first()


def plan_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(plans)).scalar_one()


def trip_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(trips)).scalar_one()


def passages_of(conn: Connection, trip_id: str) -> list:
    return conn.execute(select(passages).where(passages.c.trip == trip_id).order_by(passages.c.at)).all()


def manifest_lines(conn: Connection, trip_ids: list[str] | None = None,
                   unsettled: bool = False) -> dict[str, list[ManifestLine]]:
    """Each trip's manifest lines. `unsettled`: only the lines that can be a difference (left behind, taken off,
    boarded and not scanned in, scanned in without boarding) — not those boarded and scanned in with the trip, nor
    those assigned to a trip not yet boarded, which are most."""
    q = (select(manifest, persons.c.trip.label("current_trip"), persons.c.state.label("current_state"))
         .join(persons, persons.c.token == manifest.c.person))
    if unsettled:
        q = q.where(or_(manifest.c.left_behind.is_(True), manifest.c.off_checkpoint.is_not(None),
                        and_(manifest.c.boarded_at.is_(None), manifest.c.scanned_at.is_not(None)),
                        and_(manifest.c.boarded_at.is_not(None), manifest.c.scanned_at.is_(None))))
    rows = []
    for part in ([None] if trip_ids is None else chunked(trip_ids)):
        rows += conn.execute(q if part is None else q.where(manifest.c.trip.in_(part))).all()
    out: dict[str, list[ManifestLine]] = defaultdict(list)
    for r in rows:
        arrived_with = r.current_trip if r.current_state == PersonState.ARRIVED.value else None
        out[r.trip].append(ManifestLine(
            trip=r.trip, person=r.person, assigned=r.assigned, boarded_at=r.boarded_at, left_behind=r.left_behind,
            off_checkpoint=r.off_checkpoint, off_outcome=r.off_outcome, off_reason=open_reason(conn, r.off_reason, r.person),
            scanned_at=r.scanned_at, unaccounted=r.unaccounted, arrived_with=arrived_with,
            turned_back=r.turned_back, follow_up=r.follow_up, follow_up_to=r.follow_up_to))
    return out


def halt_timeline(conn: Connection) -> list:
    return conn.execute(select(halts).order_by(halts.c.seq)).all()


def last_resumed_at(conn: Connection):
    """When the last halt ended (None if the operation was never resumed)."""
    return _utc(conn.execute(select(func.max(halts.c.resumed_at))).scalar())


def trip_destinations(conn: Connection, trip_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in chunked(trip_ids):
        out.update(conn.execute(select(trips.c.id, trips.c.destination).where(trips.c.id.in_(part))).all())
    return out


def latest_plan_payload(conn: Connection) -> dict | None:
    """The recorded `PlanMade` data of the latest plan (None before the first plan)."""
    plan = latest_plan(conn)
    if plan is None:
        return None
    payload = conn.execute(select(ledger.c.payload).where(ledger.c.seq == plan.seq)).scalar()
    return json.loads(payload) if payload else None
