"""The road: a private vehicle joining a convoy, a convoy turned back at a checkpoint, a vehicle attacked,
burned or lost with people aboard. The service reads the convoy or trip into these small read models, asks
the rule, and records the event it returns; which state may move where is the lifecycle's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from . import lifecycle
from .errors import BadInput, NotFound, RuleRefused
from .events import ConvoyTurnedBack, FollowedUp, PrivateVehicleJoined, TurnedBack, VehicleLostOnRoad
from .lifecycle import PersonMove, TripMove
from .operation import check_count
from .running import PersonStatus, TripStatus
from .text import check_text
from .timing import check_follows
from .values import PRIVATE_KINDS, FollowUp, RoadIncident, TripState, VehicleKind, parse_enum

MOST_PRIVATE_SEATS = 60  # a truck with people standing in the back


@dataclass(frozen=True)
class ConvoyTrip:
    id: str
    state: TripState
    origin: str
    destination: str
    route: tuple[str, ...]
    depart_at: datetime  # planned
    arrive_at: datetime  # planned
    departed_at: datetime | None
    passed: tuple[str, ...]  # checkpoints passed


@dataclass(frozen=True)
class ConvoyStatus:
    id: str
    trips: tuple[ConvoyTrip, ...]  # every trip of the convoy, cancelled ones included

    @property
    def live(self) -> tuple[ConvoyTrip, ...]:
        return tuple(t for t in self.trips if t.state is not TripState.CANCELLED)


def join_private(convoy: ConvoyStatus, *, trip_id: str, vehicle: str, plate, kind, seats, driver,
                 occupants: list[PersonStatus], unregistered, destination: str | None, convoy_size: int | None,
                 at: datetime) -> PrivateVehicleJoined:
    """A private vehicle joins a convoy that has not left, with its occupants aboard."""
    kind = parse_enum(VehicleKind, kind, "kind")
    if kind not in PRIVATE_KINDS:
        raise BadInput(f"kind: expected car, van or truck (private_car, private_van, private_truck), got {kind.value}",
                       field="kind")
    seats = check_count(seats, "seats", limit=MOST_PRIVATE_SEATS)
    unregistered = check_count(unregistered, "unregistered", limit=MOST_PRIVATE_SEATS)
    plate = check_text(plate, "plate", limit=32)
    driver = check_text(driver, "driver", limit=100)
    if not occupants and not unregistered:
        raise BadInput("occupants: a private vehicle joins with its occupants (tokens, or a count of people not "
                       "registered)", field="occupants")
    if len(occupants) + unregistered > seats:
        raise BadInput(f"occupants: {len(occupants)} registered and {unregistered} not registered are "
                       f"{len(occupants) + unregistered} people for {seats} seats", field="occupants")
    live = convoy.live
    if not live:
        raise NotFound(f"convoy: no convoy {convoy.id!r} in this operation", field="convoy")
    gone = [t.id for t in live if t.state not in lifecycle.TRIP_OPEN]
    if gone:
        raise RuleRefused(f"convoy: {convoy.id} has left (trip {gone[0]} is {live[0].state.value}); a private "
                          "vehicle joins a convoy before it departs", field="convoy")
    if convoy_size is not None and len(live) >= convoy_size:
        raise RuleRefused(f"convoy: {convoy.id} is full ({len(live)} of {convoy_size} vehicles, the corridor's "
                          "convoy size)", field="convoy")
    going = {t.destination: t for t in live}
    if destination is None and len(going) == 1:
        destination = next(iter(going))
    if destination not in going:
        raise RuleRefused(f"destination: convoy {convoy.id} goes to {', '.join(sorted(going))}; name one",
                          field="destination")
    model = going[destination]
    seen: set[str] = set()
    for i, p in enumerate(occupants):
        field = f"occupants[{i}]"
        if p.token in seen:
            raise BadInput(f"{field}: person {p.token} is listed twice", field=field)
        seen.add(p.token)
        if not lifecycle.person_may(p.state, PersonMove.BOARD):
            raise RuleRefused(f"{field}: person {p.token} is {p.state.value.replace('_', ' ')}", field=field)
        if p.destination is not None and p.destination != destination:
            raise RuleRefused(f"{field}: person {p.token} is bound for {p.destination}, the vehicle for "
                              f"{destination}", field=field)
    return PrivateVehicleJoined(
        trip=trip_id, vehicle=vehicle, plate=plate, kind=kind, seats=seats, driver=driver, convoy=convoy.id,
        origin=model.origin, destination=destination, route=model.route, depart_at=model.depart_at,
        arrive_at=model.arrive_at, persons=tuple(p.token for p in occupants), unregistered=unregistered)


def turn_back(convoy: ConvoyStatus, checkpoint: str, reason, aboard: dict[str, list[str]],
              minutes_back: dict[str, int], at: datetime) -> ConvoyTurnedBack:
    """Turn back at `checkpoint` every trip of the convoy on the road and not yet past it (those past it go on);
    `aboard`: who is aboard each trip,
    `minutes_back`: each trip's minutes from the checkpoint back to its origin."""
    live = convoy.live
    if not live:
        raise NotFound(f"convoy: no convoy {convoy.id!r} in this operation", field="convoy")
    on_road = [t for t in live if lifecycle.trip_may(t.state, TripMove.TURN_BACK)]
    if not on_road:
        if all(t.state in lifecycle.TRIP_AT_DESTINATION for t in live):
            raise RuleRefused(f"convoy: {convoy.id} has already arrived; it cannot be turned back", field="convoy")
        states = ", ".join(sorted({t.state.value for t in live}))
        raise RuleRefused(f"convoy: {convoy.id} is not on the road ({states})", field="convoy")
    reason = check_text(reason, "reason", limit=500)
    for t in on_road:
        if checkpoint not in t.route:
            raise RuleRefused(f"checkpoint: {checkpoint} is not on the route of {t.id} "
                              f"({' → '.join(t.route)})", field="checkpoint")
    # the vehicles already past the checkpoint are not stopped there: they go on
    on_road = [t for t in on_road if checkpoint not in t.passed]
    if not on_road:
        raise RuleRefused(f"checkpoint: every vehicle of {convoy.id} on the road has already passed {checkpoint}",
                          field="checkpoint")
    for t in on_road:
        check_follows(at, t.departed_at, f"the departure of {t.id}")
    back = tuple(TurnedBack(trip=t.id, back_at=at + timedelta(minutes=minutes_back.get(t.id, 0))) for t in on_road)
    returned = tuple(sorted(p for t in on_road for p in aboard.get(t.id, [])))
    return ConvoyTurnedBack(convoy=convoy.id, checkpoint=checkpoint, reason=reason, trips=back, returned=returned)


def vehicle_lost(trip: TripStatus, incident, note, aboard: list[PersonStatus], listed: list[dict], others,
                 receivers: dict[str, TripStatus], at: datetime) -> VehicleLostOnRoad:
    """A vehicle on the road attacked, burned or lost: everyone aboard gets one follow-up outcome — those
    `listed` ({token, outcome, to_trip}) theirs, the others `others` (injured or unaccounted)."""
    incident = parse_enum(RoadIncident, incident, "incident")
    note = check_text(note, "note", required=False, limit=500)
    if not lifecycle.trip_may(trip.state, TripMove.LOSE):
        raise RuleRefused(f"trip: {trip.id} is {trip.state.value}; only a vehicle on the road can be reported lost "
                          "there", field="trip")
    rest = parse_enum(FollowUp, others, "others")
    if rest is FollowUp.TRANSFERRED:
        raise BadInput("others: name each person transferred with the trip that took them on; the others are "
                       "injured or unaccounted", field="others")
    on_board = {p.token: p for p in aboard}
    taken: dict[str, int] = {}
    out: dict[str, FollowedUp] = {}
    for i, item in enumerate(listed):
        field = f"persons[{i}]"
        token = item["token"]
        if token not in on_board:
            raise RuleRefused(f"{field}.token: person {token} is not aboard {trip.id}", field=f"{field}.token")
        if token in out:
            raise BadInput(f"{field}.token: person {token} is listed twice", field=f"{field}.token")
        outcome = parse_enum(FollowUp, item.get("outcome"), f"{field}.outcome")
        to_trip = item.get("to_trip")
        if outcome is FollowUp.TRANSFERRED:
            other = receivers.get(to_trip) if to_trip else None
            if other is None or to_trip == trip.id:
                raise RuleRefused(f"{field}.to_trip: transferred needs another trip on the road, got {to_trip!r}",
                                  field=f"{field}.to_trip")
            if not lifecycle.trip_may(other.state, TripMove.PASS):
                raise RuleRefused(f"{field}.to_trip: {other.id} is {other.state.value}, not on the road",
                                  field=f"{field}.to_trip")
            taken[other.id] = taken.get(other.id, 0) + 1
            if other.aboard_seated + taken[other.id] > other.seats:
                raise RuleRefused(f"{field}.to_trip: {other.vehicle} has no seat left ({other.seats} seats)",
                                  field=f"{field}.to_trip")
        elif to_trip:
            raise BadInput(f"{field}.to_trip: only a person transferred goes to another trip", field=f"{field}.to_trip")
        out[token] = FollowedUp(person=token, outcome=outcome, to_trip=to_trip if to_trip else None)
    for token in sorted(on_board):
        out.setdefault(token, FollowedUp(person=token, outcome=rest))
    check_follows(at, trip.departed_at, f"the departure of {trip.id}")
    if trip.passed:
        check_follows(at, trip.last_passed_at, f"{trip.id} passed {trip.passed[-1]}")
    return VehicleLostOnRoad(trip=trip.id, vehicle=trip.vehicle, incident=incident, note=note,
                             persons=tuple(out[t] for t in sorted(out)))


FOLLOW_UP_MOVE = {FollowUp.INJURED: PersonMove.INJURE, FollowUp.TRANSFERRED: PersonMove.TRANSFER,
                  FollowUp.UNACCOUNTED: PersonMove.LOSE}
