"""The medic's and the protection officer's desks: who needs care and where they are now.

- `medical`: the urgent and priority cases, each with the deadline by which they must reach a reception centre
  (the planner's rule: registration or the operation's start, whichever is later, plus the precedence's minutes),
  when they are expected or did arrive, and whether that meets the deadline; the stretcher cases, each with where
  they are now (gathering point, aboard which trip, past which checkpoint, held where, arrived where).
- `held`: the persons held, where, since when and for how long, with the reason as stated to those who may see it.
- `children`: the unaccompanied and separated children (`protection.children`) with where each of them and of
  the people linked to them is now.
- `family_links`: each person who registered family links and where every linked person is, flagged when they
  are not together (the children themselves come from `protection.children`).

Least data by role (`access.shown`); an account limited to sites sees the persons whose household or trip touches
them (`access.sees_household`); every list read is written to the access log, one row per household shown."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.permissions import Principal
from ..domain.values import Mobility, PersonState, Precedence
from ..planning import build
from ..store import queries as q
from . import access, protection
from .opclock import operation_now
from .runtime import Runtime

CASES = (Precedence.URGENT, Precedence.PRIORITY)

# what the plan (or what happened) means for a deadline
ARRIVED_IN_TIME = "arrived_in_time"
ARRIVED_LATE = "arrived_late"
MEETS = "meets"  # assigned or aboard, the trip's planned arrival is before the deadline
MISSES = "misses"  # assigned or aboard, the trip's planned arrival is after it
NOT_PLANNED = "not_planned"  # waiting: no trip yet
HELD = "held"
UNACCOUNTED = "unaccounted"
VERDICTS = (MISSES, HELD, UNACCOUNTED, NOT_PLANNED, ARRIVED_LATE, MEETS, ARRIVED_IN_TIME)  # the worst first


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _minutes(a: datetime, b: datetime) -> int:
    return int((a - b).total_seconds() // 60)


def deadline_of(precedence: str, registered_at: datetime, starts_at: datetime) -> datetime | None:
    """When a person must have reached a reception centre (None without a medical precedence): the planner's own
    rule (`planning.build.deadline`), to the minute, counted from the operation's start."""
    minute = build.deadline([precedence], [registered_at], starts_at, starts_at)
    return None if minute is None else starts_at + timedelta(minutes=minute)


def _trip_arrived(p, trip) -> bool:
    """Has the person reached the reception centre: arrived, or aboard a trip that has arrived (not yet scanned)."""
    return (trip is not None and trip.arrived_at is not None
            and p.state in (PersonState.ARRIVED.value, PersonState.IN_TRANSIT.value))


def _where(p, trip, passed: dict) -> dict:
    """Where a person is now: the state and the site (or trip, and the last checkpoint it passed)."""
    out = {"state": p.state, "trip": p.trip, "site": None, "checkpoint": None, "checkpoint_at": None,
           "vehicle": trip.vehicle if trip is not None else None}
    if p.state in (PersonState.WAITING.value, PersonState.ASSIGNED.value):
        out["site"] = p.gathering_point
    elif p.state == PersonState.BOARDED.value:
        out["site"] = trip.origin if trip is not None else p.gathering_point
    elif _trip_arrived(p, trip):  # at the reception centre (scanned in or not yet)
        out["site"] = trip.destination
    elif p.state == PersonState.IN_TRANSIT.value and p.trip in passed:
        out["checkpoint"], at = passed[p.trip]
        out["checkpoint_at"] = _iso(at)
    elif p.state == PersonState.HELD.value:
        out["site"] = p.held_site
    return out


def _verdict(p, trip, due: datetime, now: datetime) -> dict:
    """Whether the deadline is met: by what happened, else by the plan; with the minutes late (or to spare)."""
    if _trip_arrived(p, trip):
        late = _minutes(trip.arrived_at, due)
        return {"verdict": ARRIVED_LATE if late > 0 else ARRIVED_IN_TIME, "arrive_at": _iso(trip.arrived_at),
                "late_minutes": max(late, 0)}
    if p.state == PersonState.HELD.value:
        return {"verdict": HELD, "arrive_at": None, "late_minutes": max(_minutes(now, due), 0)}
    if p.state == PersonState.UNACCOUNTED.value:
        return {"verdict": UNACCOUNTED, "arrive_at": None, "late_minutes": max(_minutes(now, due), 0)}
    if trip is None or p.state == PersonState.WAITING.value:
        return {"verdict": NOT_PLANNED, "arrive_at": None, "late_minutes": max(_minutes(now, due), 0)}
    late = _minutes(trip.arrive_at, due)
    return {"verdict": MISSES if late > 0 else MEETS, "arrive_at": _iso(trip.arrive_at), "late_minutes": max(late, 0)}


def _log(rt: Runtime, viewer: Principal, kind: str, persons: list[dict]) -> None:
    """Who read which households' data: one row per household shown, counting its persons shown (a person listed
    twice counts once); one row for the list when it shows nobody."""
    per_household: dict[str, set[str]] = {}
    for p in persons:
        per_household.setdefault(p["household"], set()).add(p["token"])
    if not per_household:
        access.record(rt, viewer, kind, "", count=0)
    by_count: dict[int, list[str]] = {}
    for household, tokens in sorted(per_household.items()):
        by_count.setdefault(len(tokens), []).append(household)
    for count, households in by_count.items():
        access.record(rt, viewer, kind, households, count=count)


def _sees(conn, viewer: Principal, p, trip) -> bool:
    return not viewer.sites or access.sees_household(conn, viewer, p.gathering_point, p.destination,
                                                     [trip.id] if trip is not None else [])


def _person(viewer: Principal, p, where: dict) -> dict:
    record = {"token": p.token, "household": p.household, "name_ar": p.name_ar, "name_latin": p.name_latin,
              "sex": p.sex, "birth_year": p.birth_year, "relationship": p.relationship, "mobility": p.mobility, "precedence": p.precedence,
              "medical_notes": p.medical_notes, "vulnerabilities": [v for v in p.vulnerabilities.split(",") if v],
              "held_reason": p.held_reason, "gathering_point": p.gathering_point, "destination": p.destination,
              **where}
    return access.shown(viewer, record)


def _at(site: str | None, p, where: dict) -> bool:
    """Is the person tied to this site: registered there, going there, or there now (no site: everyone)."""
    return site is None or site in (p.gathering_point, p.destination, where["site"], where["checkpoint"])


def medical(rt: Runtime, *, viewer: Principal, site: str | None = None, arrived: bool = False,
            limit: int | None = None) -> dict:
    """The urgent and priority cases with their deadlines and whether the plan meets them (the worst first), and
    the stretcher cases with where they are now.

    `site`: only the persons registered at, going to or now at that site. Those who reached a reception centre
    are counted (`arrived_hidden`) but not listed unless `arrived`. At most `limit` of each list (the worst first),
    with the totals. The read is logged (kind medical_list, the persons listed)."""
    with rt.reading() as uow:
        now = operation_now(rt, uow.conn)
        empty = {"now": _iso(now), "plan_made_at": None, "cases": [], "stretchers": [], "cases_total": 0,
                 "stretchers_total": 0, "arrived_hidden": 0}
        op = q.operation_row(uow.conn)
        if op is None:
            return empty
        rows = q.medical_cases(uow.conn, [p.value for p in CASES])
        trips = q.trips_by_id(uow.conn, [r.trip for r in rows if r.trip])
        passed = q.last_passages(uow.conn, list(trips))
        plan = q.latest_plan(uow.conn)
        rows = [r for r in rows if _sees(uow.conn, viewer, r, trips.get(r.trip))]
    cases, stretchers, hidden = [], [], set()
    for r in rows:
        trip = trips.get(r.trip)
        where = _where(r, trip, passed)
        if not _at(site, r, where):
            continue
        if _trip_arrived(r, trip) and not arrived:
            hidden.add(r.token)
            continue
        line = _person(viewer, r, where)
        if r.precedence in {p.value for p in CASES}:
            due = deadline_of(r.precedence, r.household_registered_at, op.starts_at)
            cases.append({**line, "deadline_at": _iso(due), **_verdict(r, trip, due, now),
                          "minutes_left": _minutes(due, now)})
        if r.mobility == Mobility.STRETCHER.value:
            stretchers.append(line)
    cases.sort(key=lambda c: (Precedence(c["precedence"]).rank, VERDICTS.index(c["verdict"]), c["deadline_at"]))
    shown_cases, shown_stretchers = cases[:limit], stretchers[:limit]
    _log(rt, viewer, access.MEDICAL, shown_cases + shown_stretchers)
    return {**empty, "plan_made_at": _iso(plan.made_at) if plan is not None else None,
            "cases": shown_cases, "stretchers": shown_stretchers, "cases_total": len(cases),
            "stretchers_total": len(stretchers), "arrived_hidden": len(hidden)}


def held(rt: Runtime, *, viewer: Principal, limit: int | None = None) -> dict:
    """The persons held now, the longest held first (`items`, at most `limit`; `total`): where, since when, for how
    many minutes, and the reason as stated (to a role that may see it). The read is logged (kind held_list)."""
    with rt.reading() as uow:
        now = operation_now(rt, uow.conn)
        rows = q.held_persons(uow.conn)
        trips = q.trips_by_id(uow.conn, [r.trip for r in rows if r.trip])
        rows = [r for r in rows if _sees(uow.conn, viewer, r, trips.get(r.trip)) or viewer.at(r.held_site)]
    out = [{**_person(viewer, r, _where(r, trips.get(r.trip), {})), "since": _iso(r.state_since),
            "held_minutes": max(_minutes(now, r.state_since), 0)} for r in rows[:limit]]
    _log(rt, viewer, access.HELD, out)
    return {"items": out, "total": len(rows)}


def family_links(rt: Runtime, *, viewer: Principal, limit: int | None = None) -> dict:
    """Each person who registered family links, where they are, and each linked person and where they are
    (`together`: on the same trip, or at the same site); those with someone apart first (`items`, at most
    `limit`; `total`). The read is logged (kind family_links, the persons listed)."""
    with rt.reading() as uow:
        rows = q.linked_persons(uow.conn)
        linked = {r.token: [t for t in r.links] for r in rows}
        others = {p.token: p for p in q.persons_by_tokens(uow.conn, sorted({t for ts in linked.values() for t in ts}))}
        homes = {h: q.household_row(uow.conn, h) for h in {p.household for p in others.values()}}
        trips = q.trips_by_id(uow.conn, [p.trip for p in [*rows, *others.values()] if p.trip])
        passed = q.last_passages(uow.conn, list(trips))
        rows = [r for r in rows if _sees(uow.conn, viewer, r, trips.get(r.trip))]
    out = []
    for r in rows:
        where = _where(r, trips.get(r.trip), passed)
        people = []
        for token in linked[r.token]:
            o = others.get(token)
            if o is None:  # linked to someone not (yet) registered
                people.append({"token": token, "registered": False, "together": False})
                continue
            home = homes.get(o.household)
            o_where = _where(_Located(o, home), trips.get(o.trip), passed)
            together = bool((o.trip and o.trip == r.trip) or (o_where["site"] and o_where["site"] == where["site"]))
            people.append({**_person(viewer, _Located(o, home), o_where), "registered": True, "together": together})
        out.append({**_person(viewer, r, where), "linked": people})
    out.sort(key=lambda e: all(p["together"] for p in e["linked"]))  # stable: registration order within
    shown = out[:limit]
    _log(rt, viewer, access.FAMILY_LINKS, [*shown, *(o for e in shown for o in e["linked"] if o["registered"])])
    return {"items": shown, "total": len(out)}


def children(rt: Runtime, *, viewer: Principal, limit: int | None = None) -> dict:
    """The unaccompanied and separated children with who they travel with (`protection.children`: least data by
    role, sites, the access log), each of them and of their linked people with where they are now; those who
    arrived without any linked person first, then those with nobody linked with them (`items`, at most `limit`;
    `total`)."""
    everyone = protection.children(rt, viewer=viewer)
    everyone.sort(key=lambda c: (not c["arrived_without_linked_people"],
                                 any(o["with_child"] for o in c["linked"])))
    found = everyone[:limit]
    tokens = [t for c in found for t in [c["token"], *(o["token"] for o in c["linked"])]]
    with rt.reading() as uow:
        rows = q.places(uow.conn, tokens)
        trips = q.trips_by_id(uow.conn, [r.trip for r in rows.values() if r.trip])
        passed = q.last_passages(uow.conn, list(trips))

    def placed(person: dict) -> dict:
        row = rows.get(person["token"])
        return person if row is None else {**person, **_where(row, trips.get(row.trip), passed)}

    return {"items": [{**placed(c), "linked": [placed(o) for o in c["linked"]]} for c in found],
            "total": len(everyone)}


class _Located:
    """A person row (opened) read together with its household's gathering point and destination."""

    def __init__(self, row, household):
        self._row, self.gathering_point = row, household.gathering_point if household is not None else None
        self.destination = household.destination if household is not None else None

    def __getattr__(self, name: str):
        return getattr(self._row, name)

