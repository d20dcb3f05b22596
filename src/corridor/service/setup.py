"""Setting up an operation: the operation, its sites, legs and fleet."""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Any

from ..domain import operation as rules
from ..domain.commands import AddLeg, AddSite, AddVehicle, CreateOperation, SetCorridorRules, WithdrawVehicle
from ..domain.errors import BadInput, Conflict, NotFound, RuleRefused
from ..domain.timing import check_available_from
from ..domain.values import SiteKind
from ..store import queries as q
from .recording import Meta, Receipt, execute
from .runtime import Runtime


def _require_operation(conn):
    op = q.operation_row(conn)
    if op is None:
        raise RuleRefused("operation: create the operation first (corridor setup / POST /api/operation)",
                          field="operation")
    return op


def create_operation(rt: Runtime, meta: Meta, *, name_en: str, name_ar: str = "", starts_at: Any,
                     boarding_minutes: int = 15, unloading_minutes: int = 10,
                     time_zone: str | None = "UTC") -> Receipt:
    def decide(uow, at, c: CreateOperation):
        event = rules.create_operation(c.name_en, c.name_ar, starts_at, c.boarding_minutes, c.unloading_minutes,
                                       c.time_zone)
        if q.operation_row(uow.conn) is not None:
            raise Conflict("operation: this database already holds an operation", field="operation")
        return event

    command = CreateOperation(name_en=name_en, name_ar=name_ar, starts_at=starts_at,
                              boarding_minutes=boarding_minutes, unloading_minutes=unloading_minutes,
                              time_zone=time_zone)
    return execute(rt, meta, command, decide)


def add_site(rt: Runtime, meta: Meta, *, code: str, kind: str, name_en: str, name_ar: str = "",
             lat: float, lon: float, capacity: int | None = None) -> Receipt:
    def decide(uow, at, c: AddSite):
        event = rules.define_site(c.code, c.kind, c.name_en, c.name_ar, c.lat, c.lon, c.capacity)
        _require_operation(uow.conn)
        if q.site_kind(uow.conn, event.code) is not None:
            raise Conflict(f"code: site {event.code!r} exists already", field="code")
        return event

    command = AddSite(code=code, kind=kind, name_en=name_en, name_ar=name_ar, lat=lat, lon=lon, capacity=capacity)
    return execute(rt, meta, command, decide)


def add_leg(rt: Runtime, meta: Meta, *, origin: str, destination: str, minutes: int) -> Receipt:
    def decide(uow, at, c: AddLeg):
        event = rules.define_leg(c.origin, c.destination, c.minutes)
        for field in ("origin", "destination"):
            code = getattr(event, field)
            if q.site_kind(uow.conn, code) is None:
                raise NotFound(f"{field}: no site {code!r} in this operation", field=field)
        if q.leg_exists(uow.conn, event.origin, event.destination):
            raise Conflict(f"destination: a leg {event.origin}–{event.destination} exists already", field="destination")
        return event

    return execute(rt, meta, AddLeg(origin=origin, destination=destination, minutes=minutes), decide)


def add_vehicle(rt: Runtime, meta: Meta, *, code: str, plate: str, kind: str, seats: int, stretchers: int = 0,
                operator: str, site: str, available_from: Any) -> Receipt:
    def decide(uow, at, c: AddVehicle):
        event = rules.define_vehicle(c.code, c.plate, c.kind, c.seats, c.stretchers, c.operator, c.site,
                                     available_from)
        op = _require_operation(uow.conn)
        check_available_from(event.available_from, op.starts_at)
        if q.site_kind(uow.conn, event.site) is None:
            raise NotFound(f"site: no site {event.site!r} in this operation", field="site")
        if q.vehicle_exists(uow.conn, event.code):
            raise Conflict(f"code: vehicle {event.code!r} exists already", field="code")
        return event

    command = AddVehicle(code=code, plate=plate, kind=kind, seats=seats, stretchers=stretchers, operator=operator,
                         site=site, available_from=available_from)
    return execute(rt, meta, command, decide)


def load_setup(rt: Runtime, spec: dict, *, actor: str = "setup", device: str = "cli",
               at: datetime | None = None) -> int:
    """Create an operation from one description (sites, legs, vehicles). Returns events recorded.

    Command ids derive from the codes, so loading the same description twice adds nothing. `at`: when it was set
    up (default now; a replayed or demo operation of another time is set up at that time)."""
    if not isinstance(spec, dict) or "operation" not in spec:
        raise BadInput("operation: the description needs an 'operation' object", field="operation")
    recorded = 0

    def meta(cid: str) -> Meta:
        return Meta(command_id=f"setup:{cid}", actor=actor, device=device, at=at)

    def count(r: Receipt) -> None:
        nonlocal recorded
        recorded += not r.replayed

    count(_call(create_operation, rt, meta("operation"), spec["operation"], "operation"))
    for i, s in enumerate(spec.get("sites", [])):
        count(_call(add_site, rt, meta(f"site:{s.get('code')}"), s, f"sites[{i}]"))
    for i, leg in enumerate(spec.get("legs", [])):
        count(_call(add_leg, rt, meta(f"leg:{leg.get('origin')}:{leg.get('destination')}"), leg, f"legs[{i}]"))
    for i, v in enumerate(spec.get("vehicles", [])):
        count(_call(add_vehicle, rt, meta(f"vehicle:{v.get('code')}"), v, f"vehicles[{i}]"))
    if spec.get("corridor_rules") is not None:
        count(_call(set_corridor_rules, rt, meta("corridor-rules"), spec["corridor_rules"], "corridor_rules"))
    return recorded


def _call(fn, rt: Runtime, meta: Meta, item: dict, where: str) -> Receipt:
    """Call a setup use case with a description's entry, naming the entry in any refusal.

    Only the entry's keys are checked here (unknown or missing ones are bad input); a TypeError
    raised inside the use case is a defect and is not dressed up as the description's fault."""
    if not isinstance(item, dict):
        raise BadInput(f"{where}: expected an object", field=where)
    params = [p for p in inspect.signature(fn).parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    unknown = sorted(set(item) - {p.name for p in params})
    if unknown:
        allowed = ", ".join(p.name for p in params)
        raise BadInput(f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; expected some of {allowed}",
                       field=f"{where}.{unknown[0]}")
    missing = [p.name for p in params if p.default is inspect.Parameter.empty and p.name not in item]
    if missing:
        raise BadInput(f"{where}: missing {', '.join(map(repr, missing))}", field=f"{where}.{missing[0]}")
    return fn(rt, meta, **item)


def set_corridor_rules(rt: Runtime, meta: Meta, *, convoy_size: int | None = None, convoy_gap_minutes: int = 0,
                       checkpoint_rates: dict | None = None, windows: list | None = None, note: str = "") -> Receipt:
    """Convoy size and spacing, vehicles an hour through each checkpoint, the corridor's opening windows."""
    def decide(uow, at, c: SetCorridorRules):
        event = rules.set_corridor_rules(c.convoy_size, c.convoy_gap_minutes, c.checkpoint_rates, c.windows, c.note)
        _require_operation(uow.conn)
        for r in event.checkpoint_rates:
            kind = q.site_kind(uow.conn, r.checkpoint)
            if kind is not SiteKind.CHECKPOINT:
                raise NotFound(f"checkpoint_rates: no checkpoint {r.checkpoint!r} in this operation",
                               field="checkpoint_rates")
        return event

    command = SetCorridorRules(convoy_size=convoy_size, convoy_gap_minutes=convoy_gap_minutes,
                               checkpoint_rates=checkpoint_rates or {}, windows=windows or [], note=note)
    return execute(rt, meta, command, decide)


def withdraw_vehicle(rt: Runtime, meta: Meta, *, code: str, reason: str) -> Receipt:
    """A vehicle is lost or recalled: it is planned no more (plan again to move its trips to others)."""

    def decide(uow, at, c: WithdrawVehicle):
        event = rules.withdraw_vehicle(c.code, c.reason)
        row = next((v for v in q.all_vehicles(uow.conn) if v.code == event.code), None)
        if row is None:
            raise NotFound(f"code: no vehicle {event.code!r} in this operation", field="code")
        if row.withdrawn_at is not None:
            raise RuleRefused(f"code: {event.code} was withdrawn already", field="code")
        return event

    return execute(rt, meta, WithdrawVehicle(code=code, reason=reason), decide)
