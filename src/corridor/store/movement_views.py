"""The plan's and the road's views (a part of the projection, `projection.py`): trips as planned and as they went,
the manifests, each person's state along the lifecycle, checkpoint passages and halts. Like every handler, these
decide no state change: a person or trip takes the state its move leads to in `domain.lifecycle`."""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update

from ..domain import events as ev
from ..domain.lifecycle import TRIP_FIRST, PersonMove, TripMove, person_from, person_to, trip_to, values
from . import agreement_views
from .prepared import Prepared
from .queries import chunked
from .sealing import Seals
from .tables import halts, households, manifest, operation, passages, persons, plans, trips, vehicles


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
    erased = erased_persons(conn, [off.person for off in e.taken_off])
    for off in e.taken_off:
        reason = None if off.person in erased else seals.values.get(f"{off.person}|held", off.reason)
        conn.execute(update(manifest).where(manifest.c.trip == e.trip, manifest.c.person == off.person).values(
            off_checkpoint=e.checkpoint, off_outcome=off.outcome.value, off_reason=reason, off_at=at))
        conn.execute(update(persons).where(persons.c.token == off.person).values(
            state=person_to(PersonMove.TAKE_OFF).value, held_site=e.checkpoint, held_reason=reason,
            state_since=at))


def erased_persons(conn, tokens: list[str]) -> set[str]:
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


HANDLERS = {
    ev.PlanMade: _plan_made,
    ev.PersonsBoarded: _persons_boarded,
    ev.TripArrived: _trip_arrived,
    ev.PersonsScannedIn: _persons_scanned_in,
    ev.TripClosed: _trip_closed,
    ev.PersonReleased: _person_released,
    ev.OperationHalted: _operation_halted,
    ev.OperationResumed: _operation_resumed,
    ev.ConvoyTurnedBack: _convoy_turned_back,
    ev.VehicleLostOnRoad: _vehicle_lost_on_road,
}

SEALED = {  # events with sealed personal fields: their handlers also take the sealed values
    ev.CheckpointPassed: _checkpoint_passed,
    ev.TripDeparted: _trip_departed,
    ev.PrivateVehicleJoined: _private_vehicle_joined,
}
