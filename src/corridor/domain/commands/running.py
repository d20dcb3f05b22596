"""Running the operation: the plan, boarding, the road, arrival, halts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .base import _trip, _tokens, _override, _without_empty, Command
from ..errors import BadInput
from ..tokens import normalise_token


@dataclass(frozen=True)
class MakePlan(Command):
    name: ClassVar[str] = "plan"


@dataclass(frozen=True)
class Board(Command):
    """Board persons, or the waiting members of households, onto a trip."""

    name: ClassVar[str] = "board"
    prepares: ClassVar[bool] = False
    trip: Any
    tokens: Any
    override: Any = None  # a coordinator's reason to let it happen against the agreement's rules

    def normalised(self) -> Board:
        return replace(self, trip=_trip(self.trip), tokens=_tokens(self.tokens), override=_override(self.override))

    def params(self) -> dict:
        return _without_empty(super().params(), "override")


@dataclass(frozen=True)
class Depart(Command):
    name: ClassVar[str] = "depart"
    prepares: ClassVar[bool] = False
    trip: Any
    driver: Any = ""  # who drives it on this trip (the manifest's sign-off)
    override: Any = None
    items: Any = ()  # items declared for the vehicle

    def normalised(self) -> Depart:
        items = tuple(self.items) if isinstance(self.items, (list, tuple)) else self.items
        return replace(self, trip=_trip(self.trip), override=_override(self.override), items=items)

    def params(self) -> dict:
        return _without_empty(super().params(), "driver", "override", "items")


@dataclass(frozen=True)
class PassCheckpoint(Command):
    """A trip passes a checkpoint; `taken_off` lists {token, outcome: held|removed, reason} as stated."""

    name: ClassVar[str] = "pass_checkpoint"
    prepares: ClassVar[bool] = False
    trip: Any
    checkpoint: Any
    taken_off: Any = ()

    def normalised(self) -> PassCheckpoint:
        off = self.taken_off or ()
        if not isinstance(off, (list, tuple)):
            raise BadInput("taken_off: expected a list of {token, outcome, reason}", field="taken_off")
        items = []
        for i, item in enumerate(off):
            if not isinstance(item, dict) or "token" not in item:
                raise BadInput(f"taken_off[{i}]: expected {{token, outcome, reason}}", field=f"taken_off[{i}]")
            items.append({**item, "token": normalise_token(item["token"], f"taken_off[{i}].token")})
        checkpoint = str(self.checkpoint).strip() if self.checkpoint is not None else ""
        return replace(self, trip=_trip(self.trip), checkpoint=checkpoint, taken_off=tuple(items))


@dataclass(frozen=True)
class Arrive(Command):
    name: ClassVar[str] = "arrive"
    prepares: ClassVar[bool] = False
    trip: Any

    def normalised(self) -> Arrive:
        return replace(self, trip=_trip(self.trip))


@dataclass(frozen=True)
class ScanIn(Command):
    """Scan persons in at the reception centre (a household token: its members aboard this trip)."""

    name: ClassVar[str] = "scan_in"
    prepares: ClassVar[bool] = False
    trip: Any
    tokens: Any

    def normalised(self) -> ScanIn:
        return replace(self, trip=_trip(self.trip), tokens=_tokens(self.tokens))


@dataclass(frozen=True)
class CloseTrip(Command):
    name: ClassVar[str] = "close"
    prepares: ClassVar[bool] = False
    trip: Any

    def normalised(self) -> CloseTrip:
        return replace(self, trip=_trip(self.trip))


@dataclass(frozen=True)
class ReleasePerson(Command):
    name: ClassVar[str] = "release"
    prepares: ClassVar[bool] = False
    token: Any
    note: Any = ""

    def normalised(self) -> ReleasePerson:
        return replace(self, token=normalise_token(self.token, "token"))


@dataclass(frozen=True)
class Halt(Command):
    name: ClassVar[str] = "halt"
    cause: Any
    note: Any = ""

    def normalised(self) -> Halt:
        return replace(self, cause=self.cause.strip() if isinstance(self.cause, str) else self.cause)


@dataclass(frozen=True)
class Resume(Command):
    name: ClassVar[str] = "resume"
    note: Any = ""
