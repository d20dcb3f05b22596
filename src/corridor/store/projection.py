"""Applying events to the views. The only code that writes the view tables.

A handler uses nothing but the event and its envelope (seq, at), so replaying
the ledger into empty views gives identical views. It decides no state change:
each person or trip an event names takes the state its move leads to in the one
lifecycle (`domain.lifecycle`); moves that name nobody (a departure) take the
persons of the trip in the move's from-states. Lists of tokens or trips go to the
database in slices (`chunked`), below any limit on variables in one statement.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Callable

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from ..domain import events as ev
from ..domain.codec import canonical_json, to_plain
from ..domain.lifecycle import PERSON_FIRST, TRIP_FIRST, PersonMove, TripMove, person_from, person_to, trip_to, values
from .crypto import Vault
from .ledger import Entry
from .queries import chunked
from .prepared import Prepared
from .sealing import Seals
from . import agreement_views
from .tables import (
    claims, corridor_rules, duplicate_checks, duplicate_pairs, halts, households, legs, manifest, name_index, operation, passages,
    person_links, persons, plans, sites, trips, vehicles,
)


def project(conn: Connection, entry: Entry, event: ev.Event, seals: Seals | None = None) -> None:
    """Apply one event. Personal fields go to the views as the ledger holds them (`seals`, sealed);
    the blind index and the family links' index are made from the event's opened fields, when opened."""
    seals = seals if seals is not None else Seals()
    sealed = _SEALED.get(type(event))
    if sealed is not None:
        sealed(conn, entry.seq, entry.at_time, event, seals)
        return
    handler = _HANDLERS.get(type(event))
    if handler is None:
        raise TypeError(f"no projection for event type {type(event).__name__}")
    handler(conn, entry.seq, entry.at_time, event)


def project_many(conn: Connection, entries: list[Entry], events: list[ev.Event], seals: list[Seals]) -> None:
    """Apply events in order; a run of events of a kind with a bulk handler is applied in one go."""
    i = 0
    while i < len(events):
        kind = type(events[i])
        bulk = _BULK.get(kind)
        if bulk is None:
            project(conn, entries[i], events[i], seals[i])
            i += 1
            continue
        j = i
        while j < len(events) and type(events[j]) is kind:
            j += 1
        bulk(conn, [(e.seq, e.at_time, event, s) for e, event, s in zip(entries[i:j], events[i:j], seals[i:j])])
        i = j


def _vault(conn) -> Vault | None:
    return conn.info.get("vault")


def _indexed(conn, household: str, persons_: tuple[ev.PersonRecord, ...], seals: Seals) -> tuple[list, list]:
    """Rows of the blind name index and of the family links' index for opened persons (none when erased)."""
    vault = _vault(conn)
    if not seals.opened or vault is None or not vault.usable:
        return [], []
    from .crypto import name_terms

    names = [(vault.blind("name:" + term), p.token, household)
             for p in persons_ for term in sorted(name_terms(p.name_ar, p.name_latin))]
    links = [(p.token, vault.blind("token:" + other)) for p in persons_ for other in p.links]
    return names, links


_HOUSEHOLD_COLUMNS = ("token", "gathering_point", "destination", "size", "registered_at", "seq", "erased_at",
                      "erased_reason")
_PERSON_COLUMNS = ("token", "household", "merged_into", "sealed", "sealed_links", "sex", "birth_year",
                   "relationship", "mobility", "precedence", "vulnerable", "state", "trip", "state_since",
                   "held_site", "held_reason", "registered_at", "ordinal")
_NAME_COLUMNS = ("term", "person", "household")
_LINK_COLUMNS = ("person", "linked_to")


def _insert_rows(conn: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as tuples of `columns` with one executemany. On SQLite the driver's own statement,
    each value put through its column type's bind processor exactly as SQLAlchemy's insert would, without
    building and compiling a parameter dictionary per row (bulk registration writes hundreds of thousands)."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        conn.execute(insert(table), [dict(zip(columns, row)) for row in rows])
        return
    procs = [(i, p) for i, c in enumerate(columns)
             if (p := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if procs:
        def processed(row: tuple) -> tuple:
            out = list(row)
            for i, p in procs:
                out[i] = p(out[i])
            return tuple(out)
        rows = [processed(row) for row in rows]
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})", rows)


def _operation_created(conn, seq, at, e: ev.OperationCreated):
    conn.execute(insert(operation).values(
        id=1, name_en=e.name_en, name_ar=e.name_ar, starts_at=e.starts_at,
        boarding_minutes=e.boarding_minutes, unloading_minutes=e.unloading_minutes,
        halted=False, halted_since=None, time_zone=e.time_zone))


def _site_added(conn, seq, at, e: ev.SiteAdded):
    conn.execute(insert(sites).values(code=e.code, kind=e.kind.value, name_en=e.name_en, name_ar=e.name_ar,
                                      lat=e.lat, lon=e.lon, capacity=e.capacity, seq=seq))


def _leg_added(conn, seq, at, e: ev.LegAdded):
    conn.execute(insert(legs), [
        dict(origin=e.origin, destination=e.destination, minutes=e.minutes),
        dict(origin=e.destination, destination=e.origin, minutes=e.minutes),
    ])


def _vehicle_added(conn, seq, at, e: ev.VehicleAdded):
    conn.execute(insert(vehicles).values(
        code=e.code, plate=e.plate, kind=e.kind.value, seats=e.seats, stretchers=e.stretchers,
        operator=e.operator, site=e.site, available_from=e.available_from, seq=seq, withdrawn_at=None,
        withdrawn_reason=None))


def _corridor_rules_set(conn, seq, at, e: ev.CorridorRulesSet):
    conn.execute(delete(corridor_rules))
    conn.execute(insert(corridor_rules).values(
        id=1, convoy_size=e.convoy_size, convoy_gap_minutes=e.convoy_gap_minutes,
        checkpoint_rates=json.dumps({r.checkpoint: r.vehicles_per_hour for r in e.checkpoint_rates}, sort_keys=True),
        windows=json.dumps([[w.opens.isoformat(), w.closes.isoformat()] for w in e.windows]), note=e.note,
        set_at=at))


def _vehicle_withdrawn(conn, seq, at, e: ev.VehicleWithdrawn):
    conn.execute(update(vehicles).where(vehicles.c.code == e.code).values(withdrawn_at=at, withdrawn_reason=e.reason))


def _household_registered(conn, seq, at, e: ev.HouseholdRegistered, seals: Seals):
    _households_registered(conn, [(seq, at, e, seals)])


def _households_registered(conn, items: list[tuple[int, datetime, ev.HouseholdRegistered, Seals]]):
    _insert_rows(conn, households, _HOUSEHOLD_COLUMNS, [
        (e.token, e.gathering_point, e.destination, len(e.persons), at, seq, None, None) for seq, at, e, _ in items])
    first = PERSON_FIRST.value
    _insert_rows(conn, persons, _PERSON_COLUMNS, [
        (p.token, e.token, None, s.values.get(p.token), s.values.get(f"{p.token}|links"), p.sex.value,
         p.birth_year, p.relationship.value, p.mobility.value, p.precedence.value, p.token in s.vulnerable,
         first, None, at, None, None, at, seq * 1000 + i)
        for seq, at, e, s in items for i, p in enumerate(e.persons)
    ])
    names, links = [], []
    for _, _, e, s in items:
        n, l_ = _indexed(conn, e.token, e.persons, s)
        names += n
        links += l_
    # in key order: the index's b-tree is then filled from left to right instead of at random places
    _insert_rows(conn, name_index, _NAME_COLUMNS, sorted(names))
    _insert_rows(conn, person_links, _LINK_COLUMNS, sorted(links))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _duplicates_checked(conn, seq, at, e: ev.DuplicatesChecked, seals: Seals):
    conn.execute(insert(duplicate_checks).values(seq=seq, at=at, persons_checked=e.persons_checked,
                                                 pairs=len(e.pairs)))
    conn.execute(delete(duplicate_pairs).where(duplicate_pairs.c.status == "open"))
    decided = {(r.a, r.b) for r in conn.execute(select(duplicate_pairs.c.a, duplicate_pairs.c.b))}
    fresh = [dict(a=p.a, b=p.b, score=p.score, high=p.high,
                  evidence=seals.values.get(f"{p.a}|{p.b}") or json.dumps(p.evidence, sort_keys=True, ensure_ascii=False),
                  status="open", kept=None, found_seq=seq, decided_at=None)
             for p in e.pairs if (p.a, p.b) not in decided]
    if fresh:
        conn.execute(insert(duplicate_pairs), fresh)


def _decide_pair(conn, seq, at, a: str, b: str, status: str, kept: str | None) -> None:
    a, b = _pair(a, b)
    done = conn.execute(update(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)
                        .values(status=status, kept=kept, decided_at=at))
    if done.rowcount == 0:  # a pair the registrar found without the matcher
        conn.execute(insert(duplicate_pairs).values(a=a, b=b, score=0.0, high=False, evidence="{}", status=status,
                                                    kept=kept, found_seq=seq, decided_at=at))


def _duplicates_merged(conn, seq, at, e: ev.DuplicatesMerged):
    _decide_pair(conn, seq, at, e.kept, e.duplicate, "merged", e.kept)
    conn.execute(delete(manifest).where(manifest.c.person == e.duplicate, manifest.c.boarded_at.is_(None),
                                        manifest.c.scanned_at.is_(None), manifest.c.left_behind.is_(False)))
    conn.execute(update(persons).where(persons.c.token == e.duplicate).values(
        merged_into=e.kept, state=person_to(PersonMove.MERGE).value, trip=None, state_since=at))


def _duplicate_pair_dismissed(conn, seq, at, e: ev.DuplicatePairDismissed):
    _decide_pair(conn, seq, at, e.a, e.b, "dismissed", None)


def _duplicate_decision_undone(conn, seq, at, e: ev.DuplicateDecisionUndone):
    a, b = _pair(e.a, e.b)
    row = conn.execute(select(duplicate_pairs.c.kept).where(duplicate_pairs.c.a == a,
                                                            duplicate_pairs.c.b == b)).first()
    if row is not None and row.kept:
        duplicate = b if row.kept == a else a
        conn.execute(update(persons).where(persons.c.token == duplicate).values(merged_into=None, state_since=at))
    conn.execute(update(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)
                 .values(status="open", kept=None, decided_at=None))


def _plan_made(conn, seq, at, e: ev.PlanMade):
    for cancelled in chunked(list(e.cancelled_trips)):
        conn.execute(update(trips).where(trips.c.id.in_(cancelled)).values(state=trip_to(TripMove.CANCEL).value))
        conn.execute(update(persons)
                     .where(persons.c.trip.in_(cancelled), persons.c.state.in_(values(person_from(PersonMove.CANCEL))))
                     .values(state=person_to(PersonMove.CANCEL).value, trip=None, state_since=at))
        conn.execute(delete(manifest).where(manifest.c.trip.in_(cancelled)))
    conn.execute(insert(plans).values(plan_id=e.plan_id, made_at=at, planner=e.planner, finish_at=e.finish_at,
                                      lower_bound_at=e.lower_bound_at, trips=len(e.trips),
                                      persons=sum(len(t.persons) for t in e.trips), seq=seq))
    if not e.trips:
        return
    conn.execute(insert(trips), [
        dict(id=t.id, plan_id=e.plan_id, vehicle=t.vehicle, origin=t.origin, destination=t.destination,
             route=json.dumps(list(t.route)), convoy=t.convoy, depart_at=t.depart_at, arrive_at=t.arrive_at,
             state=TRIP_FIRST.value, departed_at=None, arrived_at=None, closed_at=None,
             ordinal=seq * 100_000 + i)
        for i, t in enumerate(e.trips)
    ])
    lines = [_line(t.id, p, assigned=True) for t in e.trips for p in t.persons]
    conn.execute(insert(manifest), lines)
    conn.execute(update(persons).where(persons.c.token == bindparam("p")).values(
        state=person_to(PersonMove.PLAN).value, trip=bindparam("t"), state_since=at),
        [{"p": p, "t": t.id} for t in e.trips for p in t.persons])


def _line(trip: str, person: str, *, assigned: bool) -> dict:
    return dict(trip=trip, person=person, assigned=assigned, boarded_at=None, left_behind=False,
                off_checkpoint=None, off_outcome=None, off_reason=None, off_at=None, scanned_at=None,
                unaccounted=False)


def _ensure_lines(conn, trip: str, tokens: list[str]) -> None:
    """Make sure each person has a manifest line on this trip (unplanned boardings and arrivals)."""
    have = set(conn.execute(select(manifest.c.person).where(
        manifest.c.trip == trip, manifest.c.person.in_(tokens))).scalars())
    missing = [_line(trip, p, assigned=False) for p in tokens if p not in have]
    if missing:
        conn.execute(insert(manifest), missing)


# Boarding is the surge (every scan projects one PersonsBoarded): its statements are compiled once and run on the
# driver's cursor (store/prepared.py), once per person with the person as a parameter.
_PERSON, _TRIP, _AT = bindparam("b_person"), bindparam("b_trip"), bindparam("b_at")  # not column names (update)
_LINE_ELSEWHERE = Prepared(delete(manifest).where(  # boarding another trip than the one planned is a reassignment
    manifest.c.person == _PERSON, manifest.c.trip != _TRIP, manifest.c.boarded_at.is_(None),
    manifest.c.scanned_at.is_(None), manifest.c.left_behind.is_(False)))
_BOARD_LINE = Prepared(update(manifest).where(manifest.c.trip == _TRIP, manifest.c.person == _PERSON)
                       .values(boarded_at=_AT))
_BOARD_PERSON = Prepared(update(persons).where(persons.c.token == _PERSON).values(
    state=person_to(PersonMove.BOARD).value, trip=_TRIP, state_since=_AT))
_TRIP_BOARDING = Prepared(update(trips).where(trips.c.id == _TRIP, trips.c.state == TRIP_FIRST.value).values(
    state=trip_to(TripMove.BOARD).value))


def _persons_boarded(conn, seq, at, e: ev.PersonsBoarded):
    agreement_views.overridden(conn, seq, at, "board", e.trip, e.override)
    each = [{"b_person": p, "b_trip": e.trip, "b_at": at} for p in e.persons]
    if each:
        _LINE_ELSEWHERE.run_many(conn, each)
        # each person's line on this trip marked boarded (one statement each); one not planned here gets its line
        missing = [{**_line(e.trip, p["b_person"], assigned=False), "boarded_at": at} for p in each
                   if _BOARD_LINE.run(conn, p) == 0]
        if missing:
            conn.execute(insert(manifest), missing)
        _BOARD_PERSON.run_many(conn, each)
    _TRIP_BOARDING.run(conn, {"b_trip": e.trip})


def _driver(e, seals: Seals) -> str | None:
    """A driver's name as the views keep it: sealed (a name recorded in the clear before drivers were sealed is
    not copied to the views)."""
    return seals.values.get(f"{e.trip}|driver")


def _trip_departed(conn, seq, at, e: ev.TripDeparted, seals: Seals):
    agreement_views.overridden(conn, seq, at, "depart", e.trip, e.override)
    conn.execute(update(trips).where(trips.c.id == e.trip)
                 .values(state=trip_to(TripMove.DEPART).value, departed_at=at, driver=_driver(e, seals)))
    conn.execute(update(persons).where(persons.c.trip == e.trip,
                                       persons.c.state.in_(values(person_from(PersonMove.DEPART))))
                 .values(state=person_to(PersonMove.DEPART).value, state_since=at))
    for left in chunked(list(e.left_behind)):
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person.in_(left))
                     .values(left_behind=True))
        conn.execute(update(persons).where(persons.c.token.in_(left))
                     .values(state=person_to(PersonMove.LEAVE_BEHIND).value, trip=None, state_since=at))


def _checkpoint_passed(conn, seq, at, e: ev.CheckpointPassed, seals: Seals):
    conn.execute(insert(passages).values(trip=e.trip, checkpoint=e.checkpoint, at=at, taken_off=len(e.taken_off)))
    erased = _erased_persons(conn, [off.person for off in e.taken_off])
    for off in e.taken_off:
        reason = None if off.person in erased else seals.values.get(f"{off.person}|held", off.reason)
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person == off.person).values(
            off_checkpoint=e.checkpoint, off_outcome=off.outcome.value, off_reason=reason, off_at=at))
        conn.execute(update(persons).where(persons.c.token == off.person).values(
            state=person_to(PersonMove.TAKE_OFF).value, held_site=e.checkpoint, held_reason=reason,
            state_since=at))


def _erased_persons(conn, tokens: list[str]) -> set[str]:
    """Which of these persons belong to an erased household (nothing personal is recorded about them)."""
    if not tokens:
        return set()
    return set(conn.execute(select(persons.c.token).join(households, households.c.token == persons.c.household)
                            .where(persons.c.token.in_(tokens), households.c.erased_at.is_not(None))).scalars())


def _trip_arrived(conn, seq, at, e: ev.TripArrived):
    conn.execute(update(trips).where(trips.c.id == e.trip)
                 .values(state=trip_to(TripMove.ARRIVE).value, arrived_at=at))


def _persons_scanned_in(conn, seq, at, e: ev.PersonsScannedIn):
    for tokens in chunked(list(e.persons)):
        _ensure_lines(conn, e.trip, tokens)
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person.in_(tokens))
                     .values(scanned_at=at))
        conn.execute(update(persons).where(persons.c.token.in_(tokens)).values(
            state=person_to(PersonMove.SCAN_IN).value, trip=e.trip, state_since=at, held_site=None,
            held_reason=None))


def _trip_closed(conn, seq, at, e: ev.TripClosed):
    conn.execute(update(trips).where(trips.c.id == e.trip).values(state=trip_to(TripMove.CLOSE).value, closed_at=at))
    for gone in chunked(list(e.unaccounted)):
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person.in_(gone))
                     .values(unaccounted=True))
        conn.execute(update(persons).where(persons.c.token.in_(gone))
                     .values(state=person_to(PersonMove.CLOSE).value, state_since=at))


def _person_released(conn, seq, at, e: ev.PersonReleased):
    conn.execute(update(persons).where(persons.c.token == e.person).values(
        state=person_to(PersonMove.RELEASE).value, trip=None, held_site=None, held_reason=None, state_since=at))


def _operation_halted(conn, seq, at, e: ev.OperationHalted):
    conn.execute(update(operation).where(operation.c.id == 1).values(halted=True, halted_since=at))
    conn.execute(insert(halts).values(seq=seq, cause=e.cause.value, note=e.note, halted_at=at,
                                      resumed_at=None, resume_note=None))


def _operation_resumed(conn, seq, at, e: ev.OperationResumed):
    conn.execute(update(operation).where(operation.c.id == 1).values(halted=False, halted_since=None))
    conn.execute(update(halts).where(halts.c.resumed_at.is_(None)).values(resumed_at=at, resume_note=e.note))


def _private_vehicle_joined(conn, seq, at, e: ev.PrivateVehicleJoined, seals: Seals):
    conn.execute(insert(vehicles).values(
        code=e.vehicle, plate=e.plate, kind=e.kind.value, seats=e.seats, stretchers=0, operator="private",
        site=e.origin, available_from=at, seq=seq, withdrawn_at=None, withdrawn_reason=None,
        driver=_driver(e, seals)))
    plan_id = conn.execute(select(trips.c.plan_id).where(trips.c.convoy == e.convoy).limit(1)).scalar()
    conn.execute(insert(trips).values(
        id=e.trip, plan_id=plan_id, vehicle=e.vehicle, origin=e.origin, destination=e.destination,
        route=json.dumps(list(e.route)), convoy=e.convoy, depart_at=e.depart_at, arrive_at=e.arrive_at,
        state=trip_to(TripMove.JOIN).value, departed_at=None, arrived_at=None, closed_at=None,
        ordinal=seq * 100_000, private=True, unregistered=e.unregistered))
    if e.persons:
        _persons_boarded(conn, seq, at, ev.PersonsBoarded(trip=e.trip, persons=e.persons))


def _convoy_turned_back(conn, seq, at, e: ev.ConvoyTurnedBack):
    for t in e.trips:
        conn.execute(update(trips).where(trips.c.id == t.trip).values(
            state=trip_to(TripMove.TURN_BACK).value, turned_back_at=at, back_at=t.back_at, road_site=e.checkpoint,
            road_note=e.reason[:500]))
    for part in chunked(list(e.returned)):
        conn.execute(update(manifest).where(manifest.c.trip.in_([t.trip for t in e.trips]),
                                            manifest.c.person.in_(part)).values(turned_back=True))
        conn.execute(update(persons).where(persons.c.token.in_(part)).values(
            state=person_to(PersonMove.TURN_BACK).value, trip=None, state_since=at))


def _vehicle_lost_on_road(conn, seq, at, e: ev.VehicleLostOnRoad):
    from ..domain.road import FOLLOW_UP_MOVE

    conn.execute(update(trips).where(trips.c.id == e.trip).values(
        state=trip_to(TripMove.LOSE).value, incident=e.incident.value, road_note=e.note[:500]))
    conn.execute(update(vehicles).where(vehicles.c.code == e.vehicle).values(
        withdrawn_at=at, withdrawn_reason=f"{e.incident.value} on the road (trip {e.trip})"))
    for f in e.persons:
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person == f.person)
                     .values(follow_up=f.outcome.value, follow_up_to=f.to_trip))
        to = person_to(FOLLOW_UP_MOVE[f.outcome]).value
        if f.to_trip:
            _ensure_lines(conn, f.to_trip, [f.person])
            conn.execute(update(manifest).where(manifest.c.trip == f.to_trip, manifest.c.person == f.person)
                         .values(boarded_at=at))
        conn.execute(update(persons).where(persons.c.token == f.person).values(
            state=to, trip=f.to_trip or e.trip, state_since=at))


def _household_corrected(conn, seq, at, e: ev.HouseholdCorrected, seals: Seals):
    if _erased_persons(conn, [p.token for p in e.persons]):
        return  # recorded before the erasure; the erasure cleared it
    for p in e.persons:
        conn.execute(update(persons).where(persons.c.token == p.token, persons.c.household == e.token).values(
            sealed=seals.values.get(p.token), sex=p.sex.value, birth_year=p.birth_year,
            relationship=p.relationship.value, mobility=p.mobility.value, precedence=p.precedence.value,
            vulnerable=p.token in seals.vulnerable))
    names, _ = _indexed(conn, e.token, e.persons, seals)
    conn.execute(delete(name_index).where(name_index.c.person.in_([p.token for p in e.persons])))
    _insert_rows(conn, name_index, _NAME_COLUMNS, names)


def _household_erased(conn, seq, at, e: ev.HouseholdErased):
    """Clear every personal field of the household from the views; tokens, states and counts stay."""
    members = list(conn.execute(select(persons.c.token).where(persons.c.household == e.household)).scalars())
    conn.execute(update(households).where(households.c.token == e.household)
                 .values(erased_at=at, erased_reason=e.reason))
    conn.execute(update(persons).where(persons.c.household == e.household)
                 .values(sealed=None, sealed_links=None, held_reason=None))
    conn.execute(delete(name_index).where(name_index.c.household == e.household))
    for part in chunked(members):
        conn.execute(update(manifest).where(manifest.c.person.in_(part), manifest.c.off_reason.is_not(None))
                     .values(off_reason=None))
        conn.execute(delete(person_links).where(person_links.c.person.in_(part)))
        for side in (duplicate_pairs.c.a, duplicate_pairs.c.b):
            conn.execute(update(duplicate_pairs).where(side.in_(part)).values(evidence=_NO_EVIDENCE))


_NO_EVIDENCE = "{}"  # a pair's evidence once either person's household is erased


def _claim(conn, seq, at, claim: str, kind: str, content: dict | None, note: str) -> None:
    conn.execute(insert(claims).values(seq=seq, claim=claim, kind=kind, at=at, note=note[:500],
                                       content=None if content is None else canonical_json(content)))


def _claim_recorded(conn, seq, at, e: ev.ClaimRecorded):
    _claim(conn, seq, at, e.claim, "recorded", to_plain(e.content), "")


def _claim_corrected(conn, seq, at, e: ev.ClaimCorrected):
    _claim(conn, seq, at, e.claim, "corrected", to_plain(e.content), e.note)


def _claim_withdrawn(conn, seq, at, e: ev.ClaimWithdrawn):
    _claim(conn, seq, at, e.claim, "withdrawn", None, e.reason)


_HANDLERS: dict[type, Callable[[Connection, int, datetime, ev.Event], None]] = {
    ev.OperationCreated: _operation_created,
    ev.SiteAdded: _site_added,
    ev.LegAdded: _leg_added,
    ev.VehicleAdded: _vehicle_added,
    ev.CorridorRulesSet: _corridor_rules_set,
    ev.VehicleWithdrawn: _vehicle_withdrawn,
    ev.PlanMade: _plan_made,
    ev.DuplicatesMerged: _duplicates_merged,
    ev.DuplicatePairDismissed: _duplicate_pair_dismissed,
    ev.DuplicateDecisionUndone: _duplicate_decision_undone,
    ev.PersonsBoarded: _persons_boarded,
    ev.TripArrived: _trip_arrived,
    ev.PersonsScannedIn: _persons_scanned_in,
    ev.TripClosed: _trip_closed,
    ev.PersonReleased: _person_released,
    ev.OperationHalted: _operation_halted,
    ev.OperationResumed: _operation_resumed,
    ev.HouseholdErased: _household_erased,
    ev.ClaimRecorded: _claim_recorded,
    ev.ClaimCorrected: _claim_corrected,
    ev.ClaimWithdrawn: _claim_withdrawn,
    ev.ConvoyTurnedBack: _convoy_turned_back,
    ev.VehicleLostOnRoad: _vehicle_lost_on_road,
    **agreement_views.HANDLERS,
}

_SEALED = {  # events with sealed personal fields: their handlers also take the sealed values
    ev.HouseholdRegistered: _household_registered,
    ev.HouseholdCorrected: _household_corrected,
    ev.CheckpointPassed: _checkpoint_passed,
    ev.DuplicatesChecked: _duplicates_checked,
    ev.TripDeparted: _trip_departed,
    ev.PrivateVehicleJoined: _private_vehicle_joined,
    **agreement_views.SEALED,
}

_BULK = {ev.HouseholdRegistered: _households_registered}
