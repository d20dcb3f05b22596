"""Setting the operation up: its sites, roads, fleet and corridor rules."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from .base import _code, _time_text, Command


@dataclass(frozen=True)
class CreateOperation(Command):
    name: ClassVar[str] = "create_operation"
    name_en: Any
    starts_at: Any
    name_ar: Any = ""
    boarding_minutes: Any = 15
    unloading_minutes: Any = 10
    time_zone: Any = None

    def normalised(self) -> CreateOperation:
        return replace(self, starts_at=_time_text(self.starts_at))


@dataclass(frozen=True)
class AddSite(Command):
    name: ClassVar[str] = "add_site"
    code: Any
    kind: Any
    name_en: Any
    lat: Any
    lon: Any
    name_ar: Any = ""
    capacity: Any = None

    def normalised(self) -> AddSite:
        return replace(self, code=_code(self.code), kind=_code(self.kind))


@dataclass(frozen=True)
class AddLeg(Command):
    name: ClassVar[str] = "add_leg"
    origin: Any
    destination: Any
    minutes: Any

    def normalised(self) -> AddLeg:
        return replace(self, origin=_code(self.origin), destination=_code(self.destination))


@dataclass(frozen=True)
class AddVehicle(Command):
    name: ClassVar[str] = "add_vehicle"
    code: Any
    plate: Any
    kind: Any
    seats: Any
    operator: Any
    site: Any
    available_from: Any
    stretchers: Any = 0

    def normalised(self) -> AddVehicle:
        return replace(self, code=_code(self.code), kind=_code(self.kind), site=_code(self.site),
                       available_from=_time_text(self.available_from))


@dataclass(frozen=True)
class SetCorridorRules(Command):
    name: ClassVar[str] = "set_corridor_rules"
    convoy_size: Any = None
    convoy_gap_minutes: Any = 0
    checkpoint_rates: Any = field(default_factory=dict)
    windows: Any = ()
    note: Any = ""

    def normalised(self) -> SetCorridorRules:
        rates = self.checkpoint_rates or {}
        if isinstance(rates, dict):
            rates = {_code(k): v for k, v in rates.items()}
        windows = self.windows or ()
        return replace(self, checkpoint_rates=rates,
                       windows=tuple(windows) if isinstance(windows, (list, tuple)) else windows)


@dataclass(frozen=True)
class WithdrawVehicle(Command):
    name: ClassVar[str] = "withdraw_vehicle"
    code: Any
    reason: Any

    def normalised(self) -> WithdrawVehicle:
        return replace(self, code=_code(self.code))
