"""The road: a private vehicle joins a convoy, a convoy is turned back at a checkpoint, a vehicle is lost on the
road with people aboard. Each one command, one event (`execute`); the rules are `domain.road`'s."""

from __future__ import annotations

from ..domain import lifecycle
from ..domain import road as rules
from ..domain.commands import JoinPrivateVehicle, ReportVehicleLost, TurnBackConvoy
from ..domain.errors import NotFound
from ..store import queries as q
from .movement import _person, _trip
from .recording import Meta, Receipt, execute
from .runtime import Runtime


def join_private_vehicle(rt: Runtime, meta: Meta, *, convoy: str, plate: str, kind: str, seats: int, driver: str,
                         occupants: list[str] | None = None, unregistered: int = 0,
                         destination: str | None = None) -> Receipt:
    """A private car, van or truck joins a convoy that has not left, with its occupants aboard."""

    def decide(uow, at, c: JoinPrivateVehicle):
        people = [_person(uow, t, f"occupants[{i}]") for i, t in enumerate(c.occupants)]
        terms = q.corridor_rules_row(uow.conn)
        n = q.private_vehicle_count(uow.conn) + 1
        return rules.join_private(
            q.convoy_status(uow.conn, c.convoy), trip_id=f"PV{n:05d}", vehicle=f"PV{n:05d}", plate=c.plate,
            kind=c.kind, seats=c.seats, driver=c.driver, occupants=people, unregistered=c.unregistered,
            destination=c.destination, convoy_size=terms.convoy_size if terms is not None else None, at=at)

    return execute(rt, meta, JoinPrivateVehicle(convoy=convoy, plate=plate, kind=kind, seats=seats, driver=driver,
                                                occupants=occupants or (), unregistered=unregistered,
                                                destination=destination), decide)


def turn_back(rt: Runtime, meta: Meta, *, convoy: str, checkpoint: str, reason: str) -> Receipt:
    """A convoy stopped at a checkpoint and sent back: its vehicles return, its people wait to be planned again."""

    def decide(uow, at, c: TurnBackConvoy):
        status = q.convoy_status(uow.conn, c.convoy)
        ids = [t.id for t in status.live]
        back = {t.id: q.minutes_between(uow.conn, c.checkpoint, t.origin) for t in status.live}
        return rules.turn_back(status, c.checkpoint, c.reason, q.aboard_by_trip(uow.conn, ids) if ids else {},
                               back, at)

    return execute(rt, meta, TurnBackConvoy(convoy=convoy, checkpoint=checkpoint, reason=reason), decide)


def vehicle_lost(rt: Runtime, meta: Meta, *, trip: str, incident: str, note: str = "",
                 persons: list[dict] | None = None, others: str = "unaccounted") -> Receipt:
    """A vehicle attacked, burned or lost on the road: everyone aboard marked for follow-up (injured, transferred
    to another vehicle, unaccounted), the vehicle withdrawn. Plan the rest afterwards."""

    def decide(uow, at, c: ReportVehicleLost):
        t = _trip(uow, c.trip)
        aboard = [_person(uow, token) for token in q.trip_persons(uow.conn, t.id, lifecycle.ABOARD)]
        receivers = {}
        for i, item in enumerate(c.persons):
            other = item.get("to_trip")
            if other and other not in receivers:
                found = q.trip_status(uow.conn, other)
                if found is None:
                    raise NotFound(f"persons[{i}].to_trip: no trip {other!r} in this operation",
                                   field=f"persons[{i}].to_trip")
                receivers[other] = found
        return rules.vehicle_lost(t, c.incident, c.note, aboard, list(c.persons), c.others, receivers, at)

    return execute(rt, meta, ReportVehicleLost(trip=trip, incident=incident, note=note, persons=persons or (),
                                               others=others), decide)


def a_trip_of(rt: Runtime, convoy: str) -> str | None:
    """One trip of a convoy (to check an account limited to sites against), or None for an unknown convoy."""
    with rt.reading() as uow:
        live = q.convoy_status(uow.conn, convoy.strip().upper()).live if isinstance(convoy, str) else ()
    return live[0].id if live else None
