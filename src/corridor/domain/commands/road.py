"""What happens on the road beyond the plan: private vehicles joining, convoys turned back, vehicles lost."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .base import _code, _trip, Command
from ..errors import BadInput
from ..tokens import normalise_token


def _convoy(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"convoy: expected a convoy id such as C1-3, got {value!r}", field="convoy")
    return value.strip().upper()


def _optional_tokens(raw: object, field_name: str) -> tuple[str, ...]:
    if raw is None or raw == "" or raw == ():
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise BadInput(f"{field_name}: give a list of person tokens", field=field_name)
    return tuple(normalise_token(t, f"{field_name}[{i}]") for i, t in enumerate(raw))


@dataclass(frozen=True)
class JoinPrivateVehicle(Command):
    """A private car, van or truck joins a convoy with its occupants (tokens of registered persons, and a count of
    people not registered), its plate and its driver."""

    name: ClassVar[str] = "join_private_vehicle"
    prepares: ClassVar[bool] = False
    convoy: Any
    plate: Any
    kind: Any
    seats: Any
    driver: Any
    occupants: Any = ()
    unregistered: Any = 0
    destination: Any = None

    def normalised(self) -> JoinPrivateVehicle:
        plate = self.plate.strip().upper() if isinstance(self.plate, str) else self.plate
        kind = self.kind.strip().lower() if isinstance(self.kind, str) else self.kind
        if isinstance(kind, str) and not kind.startswith("private_"):
            kind = f"private_{kind}"
        return replace(self, convoy=_convoy(self.convoy), plate=plate, kind=kind,
                       occupants=_optional_tokens(self.occupants, "occupants"),
                       destination=_code(self.destination) or None)


@dataclass(frozen=True)
class TurnBackConvoy(Command):
    """A convoy stopped at a checkpoint and sent back to its origin."""

    name: ClassVar[str] = "turn_back_convoy"
    prepares: ClassVar[bool] = False
    convoy: Any
    checkpoint: Any
    reason: Any

    def normalised(self) -> TurnBackConvoy:
        return replace(self, convoy=_convoy(self.convoy), checkpoint=_code(self.checkpoint))


@dataclass(frozen=True)
class ReportVehicleLost(Command):
    """A vehicle attacked, burned or lost on the road: `persons` lists {token, outcome: injured|transferred|
    unaccounted, to_trip (transferred), note}; everyone aboard not listed takes `others`."""

    name: ClassVar[str] = "report_vehicle_lost"
    prepares: ClassVar[bool] = False
    trip: Any
    incident: Any
    note: Any = ""
    persons: Any = ()
    others: Any = "unaccounted"

    def normalised(self) -> ReportVehicleLost:
        raw = self.persons or ()
        if not isinstance(raw, (list, tuple)):
            raise BadInput("persons: expected a list of {token, outcome, to_trip, note}", field="persons")
        items = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or "token" not in item:
                raise BadInput(f"persons[{i}]: expected {{token, outcome, to_trip, note}}", field=f"persons[{i}]")
            to_trip = item.get("to_trip")
            items.append({**item, "token": normalise_token(item["token"], f"persons[{i}].token"),
                          "to_trip": _trip(to_trip) if to_trip else None})
        incident = self.incident.strip().lower() if isinstance(self.incident, str) else self.incident
        others = self.others.strip().lower() if isinstance(self.others, str) else self.others
        return replace(self, trip=_trip(self.trip), incident=incident, persons=tuple(items), others=others)
