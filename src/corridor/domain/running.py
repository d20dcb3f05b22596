"""Running the operation: the rules for boarding, departing, checkpoints,
arrivals, scans, closing a trip, halting and resuming.

The service reads the current state into these small read models, asks the
rule, and records the event the rule returns. Which state may move where is the
lifecycle's (`lifecycle`); when an event may be said to happen is `timing`'s.
A rule refuses with a `RuleRefused`, `NotFound` or `BadInput` that names the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from datetime import datetime

from . import lifecycle
from .errors import BadInput, RuleRefused
from .lifecycle import PersonMove, TripMove
from .events import (
    CheckpointPassed,
    OperationHalted,
    OperationResumed,
    PersonReleased,
    PersonsBoarded,
    PersonsScannedIn,
    TakenOff,
    TripArrived,
    TripClosed,
    TripDeparted,
)
from .text import check_text
from .timing import check_follows
from .values import CheckpointOutcome, HaltCause, Mobility, PersonState, TripState, parse_enum


@dataclass(frozen=True)
class PersonStatus:
    token: str
    household: str
    state: PersonState
    trip: str | None
    mobility: Mobility
    destination: str | None
    since: datetime | None = None  # in this state since
    held_site: str | None = None


@dataclass(frozen=True)
class TripStatus:
    id: str
    vehicle: str
    origin: str
    destination: str
    route: tuple[str, ...]
    state: TripState
    seats: int
    stretchers: int
    aboard_seated: int  # boarded or in transit now
    aboard_stretcher: int
    passed: tuple[str, ...]  # checkpoints passed, in order
    checkpoints: tuple[str, ...]  # checkpoints on the route, in order
    planned_at: datetime | None = None  # when the plan that made the trip was made
    last_boarded_at: datetime | None = None
    departed_at: datetime | None = None
    last_passed_at: datetime | None = None
    arrived_at: datetime | None = None
    last_scanned_at: datetime | None = None


@dataclass(frozen=True)
class Resolved:
    """The persons a scan names; `aside`: members of a scanned household it does not stand for here."""

    persons: list[PersonStatus]
    aside: list[PersonStatus] = dataclass_field(default_factory=list)


@dataclass(frozen=True)
class HaltStatus:
    halted: bool
    since: datetime | None  # halted since
    last_resumed: datetime | None  # when the last halt ended



def _explain_state(p: PersonStatus) -> str:
    where = f" (trip {p.trip})" if p.trip else ""
    return {
        PersonState.BOARDED: f"is already aboard{where}",
        PersonState.IN_TRANSIT: f"is already aboard, in transit{where}",
        PersonState.HELD: f"is held at {p.held_site or 'a checkpoint'}; release them first",
        PersonState.ARRIVED: f"has already been scanned in{where}",
        PersonState.UNACCOUNTED: f"is listed unaccounted for{where}; scan them in at the reception centre",
    }.get(p.state, f"is {p.state.value.replace('_', ' ')}")


def _explain_all(field: str, people: list[PersonStatus], nobody: str) -> str:
    if not people:
        return f"{field}: {nobody}"
    return f"{field}: " + "; ".join(f"person {p.token} {_explain_state(p)}" for p in people)


def board(trip: TripStatus, scanned: Resolved, at: datetime, field: str = "token") -> PersonsBoarded:
    """Board persons (one, or a whole household) onto a trip that has not left."""
    if not lifecycle.trip_may(trip.state, TripMove.BOARD):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; boarding is closed", field="trip")
    persons = scanned.persons
    if not persons:
        raise RuleRefused(_explain_all(field, scanned.aside, "nobody in that household is waiting to board"),
                          field=field)
    for p in persons:
        if not lifecycle.person_may(p.state, PersonMove.BOARD):
            raise RuleRefused(f"{field}: person {p.token} {_explain_state(p)}", field=field)
        if p.destination is not None and p.destination != trip.destination:
            raise RuleRefused(
                f"{field}: person {p.token} is bound for {p.destination}, trip {trip.id} goes to {trip.destination}",
                field=field,
            )
    stretcher = sum(1 for p in persons if p.mobility is Mobility.STRETCHER)
    seated = len(persons) - stretcher
    if trip.aboard_seated + seated > trip.seats:
        raise RuleRefused(
            f"{field}: {seated} more seated would overfill {trip.vehicle} "
            f"({trip.aboard_seated} of {trip.seats} seats taken)", field=field)
    if trip.aboard_stretcher + stretcher > trip.stretchers:
        raise RuleRefused(
            f"{field}: {stretcher} more stretcher case(s) would overfill {trip.vehicle} "
            f"({trip.aboard_stretcher} of {trip.stretchers} stretcher places taken)", field=field)
    check_follows(at, trip.planned_at, f"the plan that made trip {trip.id}")
    return PersonsBoarded(trip=trip.id, persons=tuple(p.token for p in persons))


def depart(trip: TripStatus, halted: bool, assigned_not_aboard: list[str], at: datetime,
           driver: object = "") -> TripDeparted:
    if halted:
        raise RuleRefused("trip: the operation is halted; nothing departs until it resumes", field="trip")
    if not lifecycle.trip_may(trip.state, TripMove.DEPART):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}, it cannot depart again", field="trip")
    if trip.aboard_seated + trip.aboard_stretcher == 0:
        raise RuleRefused(f"trip: nobody is aboard {trip.id}; board people before it departs", field="trip")
    check_follows(at, trip.last_boarded_at, f"the last boarding onto {trip.id}")
    return TripDeparted(trip=trip.id, left_behind=tuple(sorted(assigned_not_aboard)),
                        driver=check_text(driver, "driver", required=False, limit=100))


def pass_checkpoint(trip: TripStatus, checkpoint: str, taken_off: list[tuple[PersonStatus, str, str]],
                    at: datetime) -> CheckpointPassed:
    """`taken_off` holds (person, outcome, reason as stated) for everyone taken off the vehicle here."""
    if not lifecycle.trip_may(trip.state, TripMove.PASS):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; only a departed trip passes checkpoints", field="trip")
    if checkpoint not in trip.checkpoints:
        on_route = ", ".join(trip.checkpoints) or "none"
        raise RuleRefused(f"checkpoint: {checkpoint} is not on the route of {trip.id} (checkpoints: {on_route})", field="checkpoint")
    if checkpoint in trip.passed:
        raise RuleRefused(f"checkpoint: {trip.id} has already passed {checkpoint}", field="checkpoint")
    expected = next(c for c in trip.checkpoints if c not in trip.passed)
    if checkpoint != expected:
        raise RuleRefused(f"checkpoint: {trip.id} must pass {expected} before {checkpoint}", field="checkpoint")
    off: list[TakenOff] = []
    seen: set[str] = set()
    for person, outcome, reason in taken_off:
        if person.trip != trip.id or not lifecycle.person_may(person.state, PersonMove.TAKE_OFF):
            raise RuleRefused(f"taken_off: person {person.token} is not aboard {trip.id}", field="taken_off")
        if person.token in seen:
            raise BadInput(f"taken_off: person {person.token} is listed twice", field="taken_off")
        seen.add(person.token)
        off.append(TakenOff(
            person=person.token,
            outcome=parse_enum(CheckpointOutcome, outcome, "taken_off.outcome"),
            reason=check_text(reason, "taken_off.reason", limit=500),
        ))
    check_follows(at, trip.departed_at, f"the departure of {trip.id}")
    if trip.passed:
        check_follows(at, trip.last_passed_at, f"{trip.id} passed {trip.passed[-1]}")
    return CheckpointPassed(trip=trip.id, checkpoint=checkpoint, taken_off=tuple(off))


def arrive(trip: TripStatus, at: datetime) -> TripArrived:
    if trip.state in lifecycle.TRIP_OPEN:
        raise RuleRefused(f"trip: {trip.id} has not departed; it cannot arrive", field="trip")
    if not lifecycle.trip_may(trip.state, TripMove.ARRIVE):
        raise RuleRefused(f"trip: {trip.id} is already {trip.state.value}", field="trip")
    missing = [c for c in trip.checkpoints if c not in trip.passed]
    if missing:
        raise RuleRefused(f"trip: {trip.id} has not passed checkpoint(s) {', '.join(missing)}", field="trip")
    check_follows(at, trip.departed_at, f"the departure of {trip.id}")
    if trip.passed:
        check_follows(at, trip.last_passed_at, f"{trip.id} passed {trip.passed[-1]}")
    return TripArrived(trip=trip.id)


def scan_in(trip: TripStatus, scanned: Resolved, at: datetime, field: str = "token") -> PersonsScannedIn:
    """Scan persons in at the reception centre of an arrived trip.

    A person aboard another trip, or with no boarding record, is accepted (they are here) and shows
    up in reconciliation as a difference. A person held at a checkpoint is released first."""
    if not lifecycle.trip_may(trip.state, TripMove.SCAN_IN):
        raise RuleRefused(f"trip: {trip.id} has not arrived; scan people in when it reaches {trip.destination}", field="trip")
    if not scanned.persons:
        raise RuleRefused(_explain_all(field, scanned.aside, "nobody in that household is aboard to scan in"),
                          field=field)
    for p in scanned.persons:
        if not lifecycle.person_may(p.state, PersonMove.SCAN_IN):
            raise RuleRefused(f"{field}: person {p.token} {_explain_state(p)}", field=field)
    check_follows(at, trip.arrived_at, f"the arrival of {trip.id}")
    return PersonsScannedIn(trip=trip.id, persons=tuple(p.token for p in scanned.persons))


def close(trip: TripStatus, still_aboard: list[str], at: datetime) -> TripClosed:
    """Close an arrived trip: whoever was aboard and never scanned in is unaccounted for."""
    if not lifecycle.trip_may(trip.state, TripMove.CLOSE):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; only an arrived trip can be closed", field="trip")
    check_follows(at, trip.arrived_at, f"the arrival of {trip.id}")
    check_follows(at, trip.last_scanned_at, f"the last scan-in of {trip.id}")
    return TripClosed(trip=trip.id, unaccounted=tuple(sorted(still_aboard)))


def release(person: PersonStatus, note: str, at: datetime) -> PersonReleased:
    if not lifecycle.person_may(person.state, PersonMove.RELEASE):
        raise RuleRefused(f"token: person {person.token} is {person.state.value}, not held or injured in care", field="token")
    check_follows(at, person.since, f"person {person.token} was held")
    return PersonReleased(person=person.token, note=check_text(note, "note", required=False, limit=500))


def halt(status: HaltStatus, cause: object, note: object, at: datetime) -> OperationHalted:
    cause = parse_enum(HaltCause, cause, "cause")
    if status.halted:
        raise RuleRefused("cause: the operation is already halted", field="cause")
    check_follows(at, status.last_resumed, "the end of the last halt")
    return OperationHalted(cause=cause, note=check_text(note, "note", required=False, limit=500))


def resume(status: HaltStatus, note: object, at: datetime) -> OperationResumed:
    if not status.halted:
        raise RuleRefused("operation: the operation is not halted; there is nothing to resume", field="operation")
    check_follows(at, status.since, "the halt it ends")
    return OperationResumed(note=check_text(note, "note", required=False, limit=500))
