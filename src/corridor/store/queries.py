"""Reading the views. The only code that reads the view tables."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import Connection, case, func, or_, select

from ..domain import lifecycle
from ..domain.accounting import ManifestLine
from ..domain.running import PersonStatus, TripStatus
from ..domain.values import Mobility, PersonState, SiteKind, TripState
from .tables import (
    corridor_rules, duplicate_checks, duplicate_pairs, halts, households, ledger, ledger_head, legs, manifest, operation, passages,
    person_links, persons, plans, sites, trips, vehicles,
)


def operation_row(conn: Connection):
    return conn.execute(select(operation).where(operation.c.id == 1)).first()


def site_kind(conn: Connection, code: str) -> SiteKind | None:
    kind = conn.execute(select(sites.c.kind).where(sites.c.code == code)).scalar()
    return SiteKind(kind) if kind else None


def all_sites(conn: Connection) -> list:
    return conn.execute(select(sites).order_by(sites.c.seq)).all()


def all_legs(conn: Connection) -> list:
    return conn.execute(select(legs).where(legs.c.origin < legs.c.destination)
                        .order_by(legs.c.origin, legs.c.destination)).all()


def leg_exists(conn: Connection, a: str, b: str) -> bool:
    return conn.execute(select(legs.c.minutes).where(legs.c.origin == a, legs.c.destination == b)).first() is not None


def all_vehicles(conn: Connection) -> list:
    return conn.execute(select(vehicles).order_by(vehicles.c.seq)).all()


def vehicle_exists(conn: Connection, code: str) -> bool:
    return conn.execute(select(vehicles.c.code).where(vehicles.c.code == code)).first() is not None


CHUNK = 500  # values in one IN (...): far below any database's limit on variables in a statement


def chunked(values: list, size: int = CHUNK):
    """The list in slices of at most `size` (for IN clauses and bulk statements)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def tokens_taken(conn: Connection, tokens: list[str]) -> set[str]:
    """Which of these household and person tokens are already in use."""
    taken: set[str] = set()
    for kind, col in (("H", households.c.token), ("P", persons.c.token)):
        wanted = [t for t in tokens if t[0] == kind]
        for part in chunked(wanted):
            taken |= set(conn.execute(select(col).where(col.in_(part))).scalars())
    return taken


def ledger_seq(conn: Connection) -> int:
    """The number of the last recorded event (0 for an empty ledger): changes whenever anything is recorded."""
    return conn.execute(select(ledger_head.c.seq).where(ledger_head.c.id == 1)).scalar() or 0


# --- persons ---------------------------------------------------------------------

_STATUS_COLS = (persons.c.token, persons.c.household, persons.c.state, persons.c.trip, persons.c.mobility,
                households.c.destination, persons.c.state_since, persons.c.held_site)


def _status(row) -> PersonStatus:
    return PersonStatus(token=row.token, household=row.household, state=PersonState(row.state), trip=row.trip,
                        mobility=Mobility(row.mobility), destination=row.destination, since=row.state_since,
                        held_site=row.held_site)


def person_status(conn: Connection, token: str) -> PersonStatus | None:
    row = conn.execute(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                       .where(persons.c.token == token)).first()
    return _status(row) if row else None


def household_statuses(conn: Connection, token: str) -> list[PersonStatus] | None:
    if conn.execute(select(households.c.token).where(households.c.token == token)).first() is None:
        return None
    rows = conn.execute(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                        .where(persons.c.household == token).order_by(persons.c.ordinal)).all()
    return [_status(r) for r in rows]


def person_detail(conn: Connection, token: str):
    return conn.execute(select(persons, households.c.gathering_point, households.c.destination)
                        .join(households, households.c.token == persons.c.household)
                        .where(persons.c.token == token)).first()


def household_detail(conn: Connection, token: str):
    head = conn.execute(select(households).where(households.c.token == token)).first()
    if head is None:
        return None, []
    members = conn.execute(select(persons).where(persons.c.household == token).order_by(persons.c.ordinal)).all()
    return head, members


def trip_persons(conn: Connection, trip: str, states: frozenset[PersonState]) -> list[str]:
    """The persons of a trip in these states (e.g. the ones a move of the lifecycle starts from)."""
    return list(conn.execute(select(persons.c.token).where(persons.c.trip == trip,
                                                           persons.c.state.in_(lifecycle.values(states)))
                             .order_by(persons.c.token)).scalars())


def _plannable():
    return (select(persons.c.token, persons.c.household, persons.c.mobility, persons.c.precedence,
                   persons.c.vulnerabilities, persons.c.state_since, persons.c.ordinal,
                   households.c.gathering_point, households.c.destination, households.c.registered_at)
            .join(households, households.c.token == persons.c.household)
            .order_by(persons.c.ordinal))


def waiting_persons(conn: Connection) -> list:
    """Persons waiting for a place, with their household's gathering point and destination, in registration order.

    A record merged into another (a duplicate) is not waiting: the person it duplicates is."""
    return conn.execute(_plannable().where(persons.c.state == PersonState.WAITING.value,
                                           persons.c.merged_into.is_(None))).all()


def assigned_persons(conn: Connection, trip_ids: list[str]) -> list:
    """Persons assigned (not aboard) to these trips, shaped like `waiting_persons`."""
    rows = []
    for part in chunked(trip_ids):
        rows += conn.execute(_plannable().where(persons.c.state == PersonState.ASSIGNED.value,
                                                persons.c.trip.in_(part))).all()
    return sorted(rows, key=lambda r: r.ordinal)


# --- trips ------------------------------------------------------------------------

def _checkpoints(conn: Connection) -> set[str]:
    return set(conn.execute(select(sites.c.code).where(sites.c.kind == SiteKind.CHECKPOINT.value)).scalars())


def trip_status(conn: Connection, trip_id: str) -> TripStatus | None:
    row = conn.execute(select(trips, vehicles.c.seats, vehicles.c.stretchers)
                       .join(vehicles, vehicles.c.code == trips.c.vehicle).where(trips.c.id == trip_id)).first()
    if row is None:
        return None
    aboard = conn.execute(  # who is aboard: the persons' lifecycle state (the manifest keeps who boarded, ever)
        select(persons.c.mobility, func.count())
        .where(persons.c.trip == trip_id, persons.c.state.in_(lifecycle.values(lifecycle.ABOARD)))
        .group_by(persons.c.mobility)).all()
    counts = {m: n for m, n in aboard}
    stretcher = counts.get(Mobility.STRETCHER.value, 0)
    route = tuple(json.loads(row.route))
    checkpoints = _checkpoints(conn)
    passed = conn.execute(select(passages.c.checkpoint, passages.c.at).where(passages.c.trip == trip_id)
                          .order_by(passages.c.at)).all()
    times = conn.execute(select(func.max(manifest.c.boarded_at), func.max(manifest.c.scanned_at))
                         .where(manifest.c.trip == trip_id)).first()
    planned_at = conn.execute(select(plans.c.made_at).where(plans.c.plan_id == row.plan_id)).scalar()
    return TripStatus(
        id=row.id, vehicle=row.vehicle, origin=row.origin, destination=row.destination, route=route,
        state=TripState(row.state), seats=row.seats, stretchers=row.stretchers,
        aboard_seated=sum(counts.values()) - stretcher, aboard_stretcher=stretcher,
        passed=tuple(p.checkpoint for p in passed), checkpoints=tuple(s for s in route if s in checkpoints),
        planned_at=planned_at, last_boarded_at=_utc(times[0]), departed_at=row.departed_at,
        last_passed_at=passed[-1].at if passed else None, arrived_at=row.arrived_at,
        last_scanned_at=_utc(times[1]))


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
               manifest.c.scanned_at)
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


# --- accounting -------------------------------------------------------------------

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


def manifest_lines(conn: Connection, trip_ids: list[str] | None = None) -> dict[str, list[ManifestLine]]:
    q = (select(manifest, persons.c.trip.label("current_trip"), persons.c.state.label("current_state"))
         .join(persons, persons.c.token == manifest.c.person))
    rows = []
    for part in ([None] if trip_ids is None else chunked(trip_ids)):
        rows += conn.execute(q if part is None else q.where(manifest.c.trip.in_(part))).all()
    out: dict[str, list[ManifestLine]] = defaultdict(list)
    for r in rows:
        arrived_with = r.current_trip if r.current_state == PersonState.ARRIVED.value else None
        out[r.trip].append(ManifestLine(
            trip=r.trip, person=r.person, assigned=r.assigned, boarded_at=r.boarded_at, left_behind=r.left_behind,
            off_checkpoint=r.off_checkpoint, off_outcome=r.off_outcome, off_reason=r.off_reason,
            scanned_at=r.scanned_at, unaccounted=r.unaccounted, arrived_with=arrived_with))
    return out


def halt_timeline(conn: Connection) -> list:
    return conn.execute(select(halts).order_by(halts.c.seq)).all()


def last_resumed_at(conn: Connection):
    """When the last halt ended (None if the operation was never resumed)."""
    return _utc(conn.execute(select(func.max(halts.c.resumed_at))).scalar())



# --- protection ---------------------------------------------------------------------

def household_members(conn: Connection, household: str) -> list:
    return conn.execute(select(persons).where(persons.c.household == household).order_by(persons.c.ordinal)).all()


def persons_by_tokens(conn: Connection, tokens: list[str]) -> list:
    out = []
    for part in chunked(tokens):
        out += conn.execute(select(persons).where(persons.c.token.in_(part))
                            .order_by(persons.c.ordinal)).all()
    return out


def links_of(conn: Connection, token: str) -> list[str]:
    """Persons linked to this one, whichever side registered the link."""
    forward = conn.execute(select(person_links.c.linked_to).where(person_links.c.person == token)).scalars()
    backward = conn.execute(select(person_links.c.person).where(person_links.c.linked_to == token)).scalars()
    return sorted(set(forward) | set(backward))


def trip_destinations(conn: Connection, trip_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in chunked(trip_ids):
        out.update(conn.execute(select(trips.c.id, trips.c.destination).where(trips.c.id.in_(part))).all())
    return out


def children(conn: Connection, born_after: int, flags: list[str], *, flagged_only: bool) -> list:
    """Persons flagged unaccompanied or separated (and, unless flagged_only, everyone born after `born_after`)."""
    flagged = or_(*[persons.c.vulnerabilities.contains(f) for f in flags])
    cond = flagged if flagged_only else or_(flagged, persons.c.birth_year > born_after)
    return conn.execute(select(persons).where(cond).order_by(persons.c.ordinal)).all()


# --- duplicates ---------------------------------------------------------------------

def persons_for_matching(conn: Connection) -> list:
    """Every person record not merged into another, with what the matcher compares."""
    return conn.execute(select(persons.c.token, persons.c.name_ar, persons.c.name_latin, persons.c.sex,
                               persons.c.birth_year, persons.c.household, households.c.gathering_point)
                        .join(households, households.c.token == persons.c.household)
                        .where(persons.c.merged_into.is_(None)).order_by(persons.c.ordinal)).all()


def duplicate_pairs_in(conn: Connection, statuses: list[str]) -> list:
    return conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.status.in_(statuses))
                        .order_by(duplicate_pairs.c.score.desc(), duplicate_pairs.c.a, duplicate_pairs.c.b)).all()


def duplicate_pair(conn: Connection, a: str, b: str):
    a, b = (a, b) if a < b else (b, a)
    return conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)).first()


def last_duplicate_check(conn: Connection):
    return conn.execute(select(duplicate_checks).order_by(duplicate_checks.c.seq.desc()).limit(1)).first()


def persons_registered_since(conn: Connection, seq: int) -> int:
    return conn.execute(select(func.count()).select_from(persons).join(households, households.c.token ==
                                                                         persons.c.household)
                        .where(households.c.seq > seq)).scalar_one()


def open_high_pairs(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(duplicate_pairs)
                        .where(duplicate_pairs.c.status == "open", duplicate_pairs.c.high.is_(True))).scalar_one()


def households_for_cards(conn: Connection, tokens: list[str] | None, gathering_point: str | None,
                         limit: int | None) -> list[dict]:
    """Households with their members (not merged away), in registration order, for printing."""
    query = select(households).order_by(households.c.seq)
    if gathering_point:
        query = query.where(households.c.gathering_point == gathering_point)
    if tokens:
        heads = []
        for part in chunked(tokens):
            heads += conn.execute(query.where(households.c.token.in_(part))).all()
        heads = sorted(heads, key=lambda h: h.seq)[:limit] if limit else sorted(heads, key=lambda h: h.seq)
    else:
        heads = conn.execute(query.limit(limit) if limit else query).all()
    members: dict[str, list[dict]] = defaultdict(list)
    keys = [h.token for h in heads]
    for part in chunked(keys):
        for p in conn.execute(select(persons).where(persons.c.household.in_(part),
                                                    persons.c.merged_into.is_(None)).order_by(persons.c.ordinal)):
            members[p.household].append({
                "token": p.token, "name_ar": p.name_ar, "name_latin": p.name_latin, "precedence": p.precedence,
                "mobility": p.mobility, "relationship": p.relationship,
                "vulnerabilities": [v for v in p.vulnerabilities.split(",") if v]})
    return [{"token": h.token, "gathering_point": h.gathering_point, "destination": h.destination,
             "persons": members[h.token]} for h in heads if members[h.token]]


def corridor_rules_row(conn: Connection):
    return conn.execute(select(corridor_rules).where(corridor_rules.c.id == 1)).first()


def available_vehicles(conn: Connection) -> list:
    """Vehicles not withdrawn."""
    return conn.execute(select(vehicles).where(vehicles.c.withdrawn_at.is_(None)).order_by(vehicles.c.seq)).all()


def site_codes(conn: Connection, kind: SiteKind) -> list[str]:
    return list(conn.execute(select(sites.c.code).where(sites.c.kind == kind.value).order_by(sites.c.seq)).scalars())


def latest_plan_payload(conn: Connection) -> dict | None:
    """The recorded `PlanMade` data of the latest plan (None before the first plan)."""
    plan = latest_plan(conn)
    if plan is None:
        return None
    payload = conn.execute(select(ledger.c.payload).where(ledger.c.seq == plan.seq)).scalar()
    return json.loads(payload) if payload else None
