"""The boarding desk's use cases: the trips loading at the marshal's gathering points with the room each has left,
and a scan turned into one plain answer (accepted, already aboard, wrong trip with the right one, not registered,
held, refused with the rule's reason).

A scan boards through `movement.board` (so through `recording.execute`, under the scan's idempotency key): a scan
resent from a phone that was offline is absorbed; one that meets a person boarded meanwhile elsewhere comes back as
a conflict naming where they are, for the person who made it."""

from __future__ import annotations

import asyncio

from ..domain import lifecycle
from ..domain.errors import BadInput, CorridorError, NotFound, RuleRefused
from ..domain.permissions import Permission, Principal
from ..domain.running import PersonStatus
from ..domain.tokens import normalise_token
from ..domain.values import PersonState, TripState
from ..store import queries as q
from . import access, movement
from .recording import Meta
from .runtime import Runtime

LOADING = (TripState.PLANNED, TripState.BOARDING)
ABOARD = frozenset({PersonState.BOARDED, PersonState.IN_TRANSIT})

ACCEPTED = "accepted"
ALREADY_ABOARD = "already_aboard"  # aboard this trip already
ABOARD_ELSEWHERE = "aboard_elsewhere"  # aboard another trip (a conflict when the scan was made offline)
WRONG_TRIP = "wrong_trip"  # assigned to another trip that has not left: board there (or board here anyway)
NOT_REGISTERED = "not_registered"
HELD = "held"
REFUSED = "refused"  # any other rule (full, bound elsewhere, boarding closed): the rule's own words
OUTCOMES = (ACCEPTED, ALREADY_ABOARD, ABOARD_ELSEWHERE, WRONG_TRIP, NOT_REGISTERED, HELD, REFUSED)


def _room(t) -> dict:
    return {"id": t.id, "vehicle": t.vehicle, "origin": t.origin, "destination": t.destination,
            "state": t.state.value, "seats": t.seats, "stretchers": t.stretchers,
            "seats_left": t.seats - t.aboard_seated, "stretchers_left": t.stretchers - t.aboard_stretcher}


TRIPS_SHOWN = 12  # the trips a boarding desk lists: those boarding, then the next to leave


def loading_trips(rt: Runtime, viewer: Principal, *, limit: int | None = TRIPS_SHOWN,
                  keep: str | None = None) -> list[dict]:
    """The trips not yet departed that leave from the viewer's sites — those boarding first, then the planned ones in
    departure order, at most `limit` of them (and `keep`, the trip the desk has chosen, wherever it stands) — with
    their room left and how many are assigned and aboard (counts, no names). An operation plans thousands of trips;
    a marshal loads the next few."""
    with rt.reading() as uow:
        rows = [t for t in q.trips_in(uow.conn, list(LOADING)) if viewer.at_trip(t.origin, t.destination, [])]
        rows.sort(key=lambda t: TripState(t.state) is not TripState.BOARDING)  # stable: departure order kept
        if limit is not None:
            rows = rows[:limit] + [t for t in rows[limit:] if t.id == keep]
        counts = q.trip_counts(uow.conn)
        out = []
        for row in rows:
            status = q.trip_status(uow.conn, row.id)
            n = counts.get(row.id, {})
            out.append({**_room(status), "depart_at": row.depart_at.isoformat() if row.depart_at else None,
                        "assigned": n.get("assigned", 0), "boarded": n.get("boarded", 0)})
        return out


def _scanned(conn, token: str) -> list[PersonStatus] | None:
    if token[0] == "P":
        found = q.person_status(conn, token)
        return None if found is None else [found]
    return q.household_statuses(conn, token)


def _answer(outcome: str, token: str, trip: str, **more) -> dict:
    return {"outcome": outcome, "token": token, "trip": trip, **more}


def _before(people: list[PersonStatus], trip: str, force: bool) -> dict | None:
    """The answer known without trying: held, aboard, or assigned to another trip (unless boarding anyway)."""
    if all(p.state is PersonState.HELD for p in people):
        return {"outcome": HELD, "since": people[0].since.isoformat() if people[0].since else None,
                "site": people[0].held_site}
    if all(p.state in ABOARD or p.state is PersonState.HELD or p.state is PersonState.ARRIVED for p in people):
        here = [p for p in people if p.trip == trip and p.state in ABOARD]
        if here:
            return {"outcome": ALREADY_ABOARD, "persons": [p.token for p in here]}
        elsewhere = next((p for p in people if p.state in ABOARD | {PersonState.ARRIVED}), people[0])
        return {"outcome": ABOARD_ELSEWHERE, "right_trip": elsewhere.trip, "state": elsewhere.state.value}
    waiting = [p for p in people if lifecycle.person_may(p.state, lifecycle.PersonMove.BOARD)]
    other = sorted({p.trip for p in waiting if p.state is PersonState.ASSIGNED and p.trip and p.trip != trip})
    if other and not force and len(other) == len({p.trip for p in waiting if p.trip}):
        return {"outcome": WRONG_TRIP, "right_trip": other[0]}
    return None


def scan(rt: Runtime, meta: Meta, viewer: Principal, *, trip: str, token: str, force: bool = False) -> dict:
    """One scan at the boarding desk: board the person (or the household's waiting members) onto `trip`, or say
    plainly why not. Answers a dict with `outcome` (one of OUTCOMES) and what the marshal needs to act on it."""
    trip, token, answered = _scanned_token(trip, token)
    if answered is not None:
        return answered
    access.require_trip(rt, viewer, Permission.BOARD, trip)
    try:
        done = movement.board(rt, meta, trip=trip, tokens=token, unless=_known_answer(meta, trip, token, force))
    except CorridorError as err:
        return _refused(err, trip, token)
    return _answered(done, trip, token)


async def scan_async(rt: Runtime, meta: Meta, viewer: Principal, *, trip: str, token: str,
                     force: bool = False) -> dict:
    """`scan` awaited on the server's event loop (the desk's scan route): one job of the write queue, no thread."""
    trip, token, answered = _scanned_token(trip, token)
    if answered is not None:
        return answered
    if viewer.sites:  # an account limited to sites: the trip's ends are read, off the event loop
        await asyncio.to_thread(access.require_trip, rt, viewer, Permission.BOARD, trip)
    try:
        done = await movement.board_async(rt, meta, trip=trip, tokens=token,
                                          unless=_known_answer(meta, trip, token, force))
    except CorridorError as err:
        return _refused(err, trip, token)
    return _answered(done, trip, token)


def _scanned_token(trip: str, token: str) -> tuple[str, str, dict | None]:
    trip = trip.strip().upper()
    try:
        return trip, normalise_token(token, "token"), None
    except BadInput:
        return trip, token, _answer(NOT_REGISTERED, token.strip()[:20], trip)


def _known_answer(meta: Meta, trip: str, token: str, force: bool):
    """The answer known without trying to board, read in the boarding's own transaction (so it sees every scan
    recorded before it): not registered; held, aboard, or assigned to another trip — unless the scan was recorded
    already (a resend: the ledger's answer is the answer)."""

    def known(uow) -> dict | None:
        people = _scanned(uow.conn, token)
        if people is None:
            return _answer(NOT_REGISTERED, token, trip)
        if meta.command_id is not None and uow.ledger.find(meta.command_id) is not None:
            return None
        early = _before(people, trip, force) if people else None
        return None if early is None else _answer(early.pop("outcome"), token, trip, **early)

    return known


def _answered(done, trip: str, token: str) -> dict:
    if isinstance(done, dict):
        return done
    return _answer(ACCEPTED, token, trip, persons=list(done.data["persons"]), replayed=done.replayed, seq=done.seq)


def _refused(err: CorridorError, trip: str, token: str) -> dict:
    if isinstance(err, NotFound):
        return _answer(NOT_REGISTERED, token, trip)
    if isinstance(err, RuleRefused):
        return _answer(REFUSED, token, trip, detail=err.detail, field=err.field)
    raise err


# --- the registration desk ------------------------------------------------------------------------------------

CHECK_TOKEN = "P0000000" + "0"  # any well-formed token: checking a person does not draw one


def check_household(rt: Runtime, household: dict) -> list[dict]:
    """The registration rules applied to a household as it is being typed, without recording anything: every
    problem found, each as {field, detail} (the first of each person, and the household's own)."""
    from datetime import timezone

    from ..domain.registry import MAX_HOUSEHOLD, PersonInput, check_person
    from .registration import person_fields

    today = rt.clock().astimezone(timezone.utc).date()
    errors: list[dict] = []
    with rt.reading() as uow:
        sites = {s.code: s.kind for s in q.all_sites(uow.conn)}
    for name, kind, required in (("gathering_point", "gathering_point", True),
                                 ("destination", "reception_centre", False)):
        code = household.get(name)
        if not code and required:
            errors.append({"field": name, "detail": f"{name}: choose one"})
        elif code and sites.get(code) != kind:
            errors.append({"field": name, "detail": f"{name}: {code} is not a {kind.replace('_', ' ')}"})
    people = household.get("persons") if isinstance(household.get("persons"), list) else []
    if not people:
        errors.append({"field": "persons", "detail": "persons: a household has at least one person"})
    if len(people) > MAX_HOUSEHOLD:
        errors.append({"field": "persons", "detail": f"persons: more than {MAX_HOUSEHOLD} persons in one household"})
    heads = 0
    for i, raw in enumerate(people[:MAX_HOUSEHOLD]):
        where = f"persons[{i}]"
        try:
            record = check_person(PersonInput(**person_fields(raw, where)), CHECK_TOKEN, today, where)
            heads += record.relationship.value == "head"
        except (BadInput, TypeError) as err:
            errors.append({"field": getattr(err, "field", where) or where,
                           "detail": getattr(err, "detail", f"{where}: not a person")})
    if heads > 1:
        errors.append({"field": "persons", "detail": "persons: a household has at most one head"})
    return errors


# --- the reception desk ---------------------------------------------------------------------------------------

COMING = (TripState.DEPARTED, TripState.ARRIVED)


def arriving_trips(rt: Runtime, viewer: Principal) -> dict:
    """The trips on their way to the viewer's reception centres or arrived there and not yet closed (first expected
    first), with counts and no names; and each of those centres' occupancy against its capacity."""
    with rt.reading() as uow:
        c = uow.conn
        counts = q.trip_counts(c)
        rows = [t for t in q.trips_in(c, list(COMING)) if viewer.at_trip(t.origin, t.destination, [])]
        rows.sort(key=lambda t: (t.state != TripState.ARRIVED.value, t.arrive_at or t.depart_at))
        received = q.received_by_centre(c)
        centres = [s for s in q.all_sites(c) if s.kind == "reception_centre" and viewer.at(s.code)]
    trips = [{"id": t.id, "vehicle": t.vehicle, "origin": t.origin, "destination": t.destination, "state": t.state,
              "arrive_at": t.arrive_at.isoformat() if t.arrive_at else None,
              "arrived_at": t.arrived_at.isoformat() if t.arrived_at else None,
              "boarded": counts.get(t.id, {}).get("boarded", 0), "arrived": counts.get(t.id, {}).get("arrived", 0)}
             for t in rows]
    occupancy = [{"code": s.code, "name_en": s.name_en, "name_ar": s.name_ar, "capacity": s.capacity,
                  "received": received.get(s.code, 0)} for s in centres]
    return {"trips": trips, "occupancy": occupancy}


# --- the checkpoint desk --------------------------------------------------------------------------------------

def accompanied_trips(rt: Runtime, viewer: Principal) -> list[dict]:
    """The trips on the road whose route passes the viewer's sites (a convoy monitor's), each with the checkpoints
    passed and the next one to pass (counts, no names)."""
    with rt.reading() as uow:
        c = uow.conn
        counts = q.trip_counts(c)
        out = []
        for t in q.trips_in(c, [TripState.DEPARTED]):
            status = q.trip_status(c, t.id)
            if not viewer.at_trip(t.origin, t.destination, list(status.route)):
                continue
            ahead = [cp for cp in status.checkpoints if cp not in status.passed]
            out.append({"id": t.id, "vehicle": t.vehicle, "origin": t.origin, "destination": t.destination,
                        "convoy": t.convoy, "departed_at": t.departed_at.isoformat() if t.departed_at else None,
                        "checkpoints": list(status.checkpoints), "passed": list(status.passed),
                        "next": ahead[0] if ahead else None,
                        "aboard": status.aboard_seated + status.aboard_stretcher,
                        "taken_off": counts.get(t.id, {}).get("taken_off", 0)})
        return out


# --- the medic's and the protection officer's desks -----------------------------------------------------------
