"""Setting up an operation: the operation itself, its sites, route legs and fleet.

Each function checks what a coordinator typed and returns the event to record.
"""

from __future__ import annotations

import re

from .errors import BadInput, NotFound, RuleRefused
from .events import (
    CheckpointRate, CorridorRulesSet, LegAdded, OperationCreated, SiteAdded, TimeWindow, VehicleAdded,
    VehicleWithdrawn,
)
from .text import check_text
from .values import (PRIVATE_KINDS, Coordinates, SiteKind, VehicleKind, check_time_zone, parse_enum,
                     parse_time)

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def check_code(value: object, field: str) -> str:
    if not isinstance(value, str) or not CODE.match(value):
        raise BadInput(f"{field}: {value!r} is not a code (1–32 letters, digits, '_', '.', '-')", field=field)
    return value


# the largest value of each count of the set-up (the API's schema states them too)
LIMITS = {"boarding_minutes": 24 * 60, "unloading_minutes": 24 * 60, "capacity": 10_000_000, "minutes": 7 * 24 * 60,
          "seats": 200, "stretchers": 20, "convoy_size": 500, "convoy_gap_minutes": 24 * 60, "checkpoint_rate": 10_000}


def check_count(value: object, field: str, *, allow_none: bool = False, limit: int = 1_000_000) -> int | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadInput(f"{field}: expected a whole number, got {value!r}", field=field)
    if value < 0:
        raise BadInput(f"{field}: must not be negative, got {value}", field=field)
    if value > limit:
        raise BadInput(f"{field}: {value} is more than {limit}", field=field)
    return value


def create_operation(name_en, name_ar, starts_at, boarding_minutes=15, unloading_minutes=10,
                     time_zone=None) -> OperationCreated:
    """The operation; `time_zone`: where it happens, the zone its times are shown in (None: UTC)."""
    return OperationCreated(
        name_en=check_text(name_en, "name_en"),
        name_ar=check_text(name_ar, "name_ar", required=False),
        starts_at=parse_time(starts_at, "starts_at"),
        boarding_minutes=check_count(boarding_minutes, "boarding_minutes", limit=LIMITS["boarding_minutes"]),
        unloading_minutes=check_count(unloading_minutes, "unloading_minutes", limit=LIMITS["unloading_minutes"]),
        time_zone=check_time_zone(time_zone),
    )


def define_site(code, kind, name_en, name_ar, lat, lon, capacity=None) -> SiteAdded:
    """A site; `capacity` is the most persons it takes (None: no limit; 0 would take nobody, so it is refused)."""
    where = Coordinates(lat, lon)
    capacity = check_count(capacity, "capacity", allow_none=True, limit=LIMITS["capacity"])
    if capacity == 0:
        raise BadInput("capacity: at least 1 person (or none for no limit)", field="capacity")
    return SiteAdded(
        code=check_code(code, "code"),
        kind=parse_enum(SiteKind, kind, "kind"),
        name_en=check_text(name_en, "name_en"),
        name_ar=check_text(name_ar, "name_ar", required=False),
        lat=float(where.lat),
        lon=float(where.lon),
        capacity=capacity,
    )


def define_leg(origin, destination, minutes) -> LegAdded:
    origin = check_code(origin, "origin")
    destination = check_code(destination, "destination")
    if origin == destination:
        raise BadInput("destination: a leg joins two different sites", field="destination")
    minutes = check_count(minutes, "minutes", limit=LIMITS["minutes"])
    if minutes == 0:
        raise BadInput("minutes: a leg takes at least one minute", field="minutes")
    return LegAdded(origin=origin, destination=destination, minutes=minutes)


def define_vehicle(code, plate, kind, seats, stretchers, operator, site, available_from) -> VehicleAdded:
    kind = parse_enum(VehicleKind, kind, "kind")
    if kind in PRIVATE_KINDS:
        raise BadInput(f"kind: {kind.value} is a private vehicle; it joins a convoy with its occupants "
                       "(corridor private-vehicle), it is not part of the fleet", field="kind")
    seats = check_count(seats, "seats", limit=LIMITS["seats"])
    stretchers = check_count(stretchers, "stretchers", limit=LIMITS["stretchers"])
    if seats + stretchers == 0:
        raise BadInput("seats: a vehicle needs at least one seat or stretcher place", field="seats")
    return VehicleAdded(
        code=check_code(code, "code"),
        plate=check_text(plate, "plate", limit=32),
        kind=kind,
        seats=seats,
        stretchers=stretchers,
        operator=check_text(operator, "operator", limit=100),
        site=check_code(site, "site"),
        available_from=parse_time(available_from, "available_from"),
    )


def require_kind(site_kind: SiteKind | None, wanted: tuple[SiteKind, ...], code: str, field: str) -> None:
    """Refuse a site of the wrong kind (e.g. registering at a checkpoint)."""
    if site_kind is None:
        raise NotFound(f"{field}: no site {code!r} in this operation", field=field)
    if site_kind not in wanted:
        names = " or ".join(k.value.replace("_", " ") for k in wanted)
        raise RuleRefused(f"{field}: site {code!r} is a {site_kind.value.replace('_', ' ')}, not a {names}", field=field)


def set_corridor_rules(convoy_size, convoy_gap_minutes, checkpoint_rates: dict, windows: list,
                       note: str = "") -> CorridorRulesSet:
    """Convoy size and spacing, checkpoint throughput and opening windows, checked."""
    if convoy_size is not None:
        convoy_size = check_count(convoy_size, "convoy_size", limit=LIMITS["convoy_size"])
        if convoy_size < 1:
            raise BadInput("convoy_size: at least 1 vehicle (or none for no limit)", field="convoy_size")
    gap = check_count(convoy_gap_minutes, "convoy_gap_minutes", limit=LIMITS["convoy_gap_minutes"])
    if not isinstance(checkpoint_rates, dict):
        raise BadInput("checkpoint_rates: expected {checkpoint: vehicles per hour}", field="checkpoint_rates")
    rates = []
    for code, rate in sorted(checkpoint_rates.items()):
        check_code(code, "checkpoint_rates")
        rate = check_count(rate, f"checkpoint_rates.{code}", limit=LIMITS["checkpoint_rate"])
        if rate < 1:
            raise BadInput(f"checkpoint_rates.{code}: at least 1 vehicle an hour", field=f"checkpoint_rates.{code}")
        rates.append(CheckpointRate(code, rate))
    if not isinstance(windows, (list, tuple)):
        raise BadInput("windows: expected a list of {opens, closes}", field="windows")
    spans = []
    for i, w in enumerate(windows):
        if not isinstance(w, dict):
            raise BadInput(f"windows[{i}]: expected {{opens, closes}}", field=f"windows[{i}]")
        opens, closes = parse_time(w.get("opens"), f"windows[{i}].opens"), parse_time(w.get("closes"),
                                                                                      f"windows[{i}].closes")
        if closes <= opens:
            raise BadInput(f"windows[{i}]: closes before it opens", field=f"windows[{i}].closes")
        spans.append(TimeWindow(opens, closes))
    return CorridorRulesSet(convoy_size=convoy_size, convoy_gap_minutes=gap, checkpoint_rates=tuple(rates),
                            windows=tuple(sorted(spans, key=lambda w: w.opens)),
                            note=check_text(note, "note", required=False, limit=500))


def withdraw_vehicle(code, reason) -> VehicleWithdrawn:
    return VehicleWithdrawn(code=check_code(code, "code"), reason=check_text(reason, "reason", limit=500))
