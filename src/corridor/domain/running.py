"""Running the operation: the rules for boarding, departing, checkpoints,
arrivals, scans, closing a trip, halting and resuming.

The service reads the current state into these small read models, asks the
rule, and records the event the rule returns. A rule refuses with a
`RuleRefused`, `NotFound` or `BadInput` that names the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BadInput, RuleRefused
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
from .values import CheckpointOutcome, HaltCause, Mobility, PersonState, TripState, parse_enum


@dataclass(frozen=True)
class PersonStatus:
    token: str
    household: str
    state: PersonState
    trip: str | None
    mobility: Mobility
    destination: str | None


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


BOARDABLE = (PersonState.WAITING, PersonState.ASSIGNED)


def _explain_state(p: PersonStatus) -> str:
    where = f" (trip {p.trip})" if p.trip else ""
    return {
        PersonState.BOARDED: f"is already aboard{where}",
        PersonState.IN_TRANSIT: f"is already in transit{where}",
        PersonState.HELD: "is held at a checkpoint; release them first",
        PersonState.ARRIVED: f"has already arrived{where}",
        PersonState.UNACCOUNTED: f"is listed unaccounted for{where}; scan them in at the reception centre",
    }.get(p.state, f"is {p.state.value}")


def board(trip: TripStatus, persons: list[PersonStatus], field: str = "token") -> PersonsBoarded:
    """Board persons (one, or a whole household) onto a trip that has not left."""
    if trip.state not in (TripState.PLANNED, TripState.BOARDING):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; boarding is closed", field="trip")
    if not persons:
        raise RuleRefused(f"{field}: nobody in that household is waiting to board", field=field)
    for p in persons:
        if p.state not in BOARDABLE:
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
    return PersonsBoarded(trip=trip.id, persons=tuple(p.token for p in persons))


def depart(trip: TripStatus, halted: bool, assigned_not_aboard: list[str]) -> TripDeparted:
    if halted:
        raise RuleRefused("trip: the operation is halted; nothing departs until it resumes", field="trip")
    if trip.state not in (TripState.PLANNED, TripState.BOARDING):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}, it cannot depart again", field="trip")
    if trip.aboard_seated + trip.aboard_stretcher == 0:
        raise RuleRefused(f"trip: nobody is aboard {trip.id}; board people before it departs", field="trip")
    return TripDeparted(trip=trip.id, left_behind=tuple(sorted(assigned_not_aboard)))


def pass_checkpoint(trip: TripStatus, checkpoint: str, taken_off: list[tuple[PersonStatus, str, str]]) -> CheckpointPassed:
    """`taken_off` holds (person, outcome, reason as stated) for everyone taken off the vehicle here."""
    if trip.state is not TripState.DEPARTED:
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
        if person.trip != trip.id or person.state is not PersonState.IN_TRANSIT:
            raise RuleRefused(f"taken_off: person {person.token} is not aboard {trip.id}", field="taken_off")
        if person.token in seen:
            raise BadInput(f"taken_off: person {person.token} is listed twice", field="taken_off")
        seen.add(person.token)
        off.append(TakenOff(
            person=person.token,
            outcome=parse_enum(CheckpointOutcome, outcome, "taken_off.outcome"),
            reason=check_text(reason, "taken_off.reason", limit=500),
        ))
    return CheckpointPassed(trip=trip.id, checkpoint=checkpoint, taken_off=tuple(off))


def arrive(trip: TripStatus) -> TripArrived:
    if trip.state in (TripState.PLANNED, TripState.BOARDING):
        raise RuleRefused(f"trip: {trip.id} has not departed; it cannot arrive", field="trip")
    if trip.state is not TripState.DEPARTED:
        raise RuleRefused(f"trip: {trip.id} is already {trip.state.value}", field="trip")
    missing = [c for c in trip.checkpoints if c not in trip.passed]
    if missing:
        raise RuleRefused(f"trip: {trip.id} has not passed checkpoint(s) {', '.join(missing)}", field="trip")
    return TripArrived(trip=trip.id)


def scan_in(trip: TripStatus, persons: list[PersonStatus], field: str = "token") -> PersonsScannedIn:
    """Scan persons in at the reception centre of an arrived trip.

    A person aboard another trip, or with no boarding record, is accepted
    (they are here) and shows up in reconciliation as a difference."""
    if trip.state not in (TripState.ARRIVED, TripState.CLOSED):
        raise RuleRefused(f"trip: {trip.id} has not arrived; scan people in when it reaches {trip.destination}", field="trip")
    if not persons:
        raise BadInput(f"{field}: give at least one token to scan in", field=field)
    for p in persons:
        if p.state is PersonState.ARRIVED:
            raise RuleRefused(f"{field}: person {p.token} has already been scanned in (trip {p.trip})", field=field)
    return PersonsScannedIn(trip=trip.id, persons=tuple(p.token for p in persons))


def close(trip: TripStatus, still_aboard: list[str]) -> TripClosed:
    """Close an arrived trip: whoever was aboard and never scanned in is unaccounted for."""
    if trip.state is not TripState.ARRIVED:
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; only an arrived trip can be closed", field="trip")
    return TripClosed(trip=trip.id, unaccounted=tuple(sorted(still_aboard)))


def release(person: PersonStatus, note: str) -> PersonReleased:
    if person.state is not PersonState.HELD:
        raise RuleRefused(f"token: person {person.token} is {person.state.value}, not held", field="token")
    return PersonReleased(person=person.token, note=check_text(note, "note", required=False, limit=500))


def halt(halted: bool, cause: object, note: object) -> OperationHalted:
    cause = parse_enum(HaltCause, cause, "cause")
    if halted:
        raise RuleRefused("cause: the operation is already halted", field="cause")
    return OperationHalted(cause=cause, note=check_text(note, "note", required=False, limit=500))


def resume(halted: bool, note: object) -> OperationResumed:
    if not halted:
        raise RuleRefused("note: the operation is not halted", field="note")
    return OperationResumed(note=check_text(note, "note", required=False, limit=500))
