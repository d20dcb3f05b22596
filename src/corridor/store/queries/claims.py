"""Claims and the record's facts for the situation picture, the sitrep and the exports.

The record's facts are counts and times (no personal field), so none of these reads needs the key, except
`person_rows` when asked for names."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import Connection, and_, func, select

from ...domain.claims import ClaimContent
from ...domain.codec import from_plain
from ...domain.picture import ClaimVersion, Departure, Record
from ..tables import claims, halts, households, manifest, operation, persons, sites, trips, vehicles
from .opening import open_names


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def claim_count(conn: Connection) -> int:
    return conn.execute(select(func.count(func.distinct(claims.c.claim)))).scalar() or 0


def claim_exists(conn: Connection, claim: str) -> tuple[bool, bool]:
    """(recorded, withdrawn) for a claim id."""
    kinds = set(conn.execute(select(claims.c.kind).where(claims.c.claim == claim)).scalars())
    return bool(kinds), "withdrawn" in kinds


def claim_history(conn: Connection) -> tuple[list[ClaimVersion], dict[str, datetime], dict[str, dict]]:
    """Every version of every claim in ledger order, when each withdrawn claim was withdrawn, and per claim
    {recorded_at, corrections, withdrawn_reason}."""
    versions, withdrawn, about = [], {}, {}
    for r in conn.execute(select(claims).order_by(claims.c.seq)):
        info = about.setdefault(r.claim, {"recorded_at": _utc(r.at), "corrections": 0, "withdrawn_reason": None})
        if r.kind == "withdrawn":
            withdrawn[r.claim] = _utc(r.at)
            info["withdrawn_reason"] = r.note
            continue
        if r.kind == "corrected":
            info["corrections"] += 1
        versions.append(ClaimVersion(r.claim, r.seq, from_plain(ClaimContent, json.loads(r.content))))
    return versions, withdrawn, about


# --- the record ------------------------------------------------------------------------------------------------


def _series(rows) -> tuple[tuple[datetime, int], ...]:
    return tuple(sorted((_utc(at), int(n)) for at, n in rows if at is not None and n))


def record(conn: Connection) -> Record | None:
    """The operation's own facts for the picture (None before an operation is set up)."""
    op = conn.execute(select(operation.c.starts_at)).first()
    if op is None:
        return None
    live = persons.c.merged_into.is_(None)
    registered = conn.execute(select(persons.c.registered_at, func.count()).where(live)
                              .group_by(persons.c.registered_at)).all()
    first = (select(manifest.c.person, func.min(trips.c.departed_at).label("left_at"))
             .join(trips, trips.c.id == manifest.c.trip)
             .where(manifest.c.boarded_at.is_not(None), manifest.c.left_behind.is_(False),
                    trips.c.departed_at.is_not(None))
             .group_by(manifest.c.person).subquery())
    medical = func.sum(func.cast(persons.c.precedence != "none", persons.c.ordinal.type))
    left = conn.execute(select(first.c.left_at, func.count(), medical)
                        .join(persons, persons.c.token == first.c.person).group_by(first.c.left_at)).all()
    departures = conn.execute(select(trips.c.departed_at, trips.c.convoy, trips.c.vehicle, vehicles.c.kind)
                              .join(vehicles, vehicles.c.code == trips.c.vehicle)
                              .where(trips.c.departed_at.is_not(None)).order_by(trips.c.departed_at)).all()
    halt_rows = conn.execute(select(halts.c.halted_at, halts.c.resumed_at).order_by(halts.c.seq)).all()
    return Record(
        starts_at=_utc(op.starts_at), registered=_series(registered),
        left=_series((at, n) for at, n, _ in left), medical_left=_series((at, m) for at, _, m in left),
        departures=tuple(Departure(_utc(d.departed_at), d.convoy, d.vehicle, d.kind) for d in departures),
        halts=tuple((_utc(a), _utc(b)) for a, b in halt_rows))


# --- per day, by gathering point and destination ---------------------------------------------------------------


def operation_days(conn: Connection) -> list[dict]:
    """Per day (UTC) and per gathering point and destination: persons registered, departed, arrived and held."""
    day = func.date
    out: dict[tuple, dict] = defaultdict(lambda: {"registered": 0, "departed": 0, "arrived": 0, "held": 0})
    queries = {
        "registered": select(day(persons.c.registered_at), households.c.gathering_point, households.c.destination,
                             func.count()).join(households, households.c.token == persons.c.household)
        .where(persons.c.merged_into.is_(None)),
        "departed": select(day(trips.c.departed_at), trips.c.origin, trips.c.destination, func.count())
        .join(trips, trips.c.id == manifest.c.trip)
        .where(trips.c.departed_at.is_not(None), manifest.c.boarded_at.is_not(None), manifest.c.left_behind.is_(False)),
        "arrived": select(day(manifest.c.scanned_at), trips.c.origin, trips.c.destination, func.count())
        .join(trips, trips.c.id == manifest.c.trip).where(manifest.c.scanned_at.is_not(None)),
        "held": select(day(manifest.c.off_at), trips.c.origin, trips.c.destination, func.count())
        .join(trips, trips.c.id == manifest.c.trip).where(manifest.c.off_outcome == "held"),
    }
    for what, query in queries.items():
        for d, origin, destination, n in conn.execute(query.group_by(*query.selected_columns[:3])):
            out[(str(d), origin, destination or "")][what] += n
    return [{"date": d, "gathering_point": gp, "destination": dest, **counts}
            for (d, gp, dest), counts in sorted(out.items())]


def site_places(conn: Connection) -> dict[str, tuple[str, str, float, float]]:
    """Each site's code -> (English name, Arabic name, lat, lon)."""
    return {r.code: (r.name_en, r.name_ar, r.lat, r.lon)
            for r in conn.execute(select(sites.c.code, sites.c.name_en, sites.c.name_ar, sites.c.lat, sites.c.lon))}


def day_figures(conn: Connection, start: datetime, end: datetime) -> dict[str, int]:
    """The record's counts of persons moving within [start, end): departed, arrived, held; trips and convoys."""
    boarded = and_(manifest.c.boarded_at.is_not(None), manifest.c.left_behind.is_(False))
    within = lambda col: and_(col >= start, col < end)  # noqa: E731
    joined = select(func.count()).select_from(manifest.join(trips, trips.c.id == manifest.c.trip))
    return {
        "registered": conn.execute(select(func.count()).where(persons.c.merged_into.is_(None),
                                                             within(persons.c.registered_at))).scalar() or 0,
        "departed": conn.execute(joined.where(boarded, within(trips.c.departed_at))).scalar() or 0,
        "arrived": conn.execute(joined.where(within(manifest.c.scanned_at))).scalar() or 0,
        "held": conn.execute(joined.where(manifest.c.off_outcome == "held", within(manifest.c.off_at))).scalar() or 0,
        "trips": conn.execute(select(func.count()).where(within(trips.c.departed_at))).scalar() or 0,
        "convoys": conn.execute(select(func.count(func.distinct(trips.c.convoy)))
                                .where(within(trips.c.departed_at))).scalar() or 0,
    }


# --- persons, streamed -----------------------------------------------------------------------------------------

PERSON_COLUMNS = (persons.c.token, persons.c.household, persons.c.state, persons.c.sex, persons.c.birth_year,
                  persons.c.registered_at, persons.c.trip, households.c.gathering_point, households.c.destination)


def person_rows(conn: Connection, *, opened: bool, batch: int = 2000) -> Iterator[list]:
    """Persons (not merged away) in registration order, in batches of mappings; `opened`: with their names and
    birth date opened."""
    columns = PERSON_COLUMNS + ((persons.c.sealed,) if opened else ())
    result = conn.execution_options(yield_per=batch).execute(
        select(*columns).join(households, households.c.token == persons.c.household)
        .where(persons.c.merged_into.is_(None)).order_by(persons.c.ordinal))
    for part in result.partitions(batch):
        yield open_names(conn, part) if opened else (row._mapping for row in part)


def person_count(conn: Connection) -> int:
    """How many persons there are (records merged into another not counted)."""
    return conn.execute(select(func.count()).where(persons.c.merged_into.is_(None))).scalar() or 0
