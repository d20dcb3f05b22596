"""Planning: turn everyone waiting into trips.

Trips still only planned (nobody aboard) are cancelled and planned again with
everyone waiting, so planning again after new registrations, a halt or a new
vehicle gives one coherent plan. Trips with people aboard are kept.

The plan is made outside the write lock: the operation's state is read on a
snapshot, the problem built (`planning.build`) and solved with no lock held,
the plan checked (`planning.check`), and then recorded in a short write
transaction only if the ledger has not moved since the snapshot. If it has
(someone registered meanwhile), the plan is made again from the new state, up
to `TRIES` times; after that, inside the write lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..domain.commands import MakePlan
from ..domain.errors import CorridorError, RuleRefused
from ..domain.events import DeadlineMissed, PlanMade, TripRecord
from ..domain.values import TripState
from ..planning import Plan, Problem, Unplannable
from ..planning.build import Kept, Person, Site, State, Terms, Transport, build_problem
from ..planning.check import InvalidPlan, check_plan
from ..store import queries as q
from . import agreement
from .duplicates import planning_warnings
from .recording import Meta, Receipt, execute
from .runtime import Runtime

#: Plans made from a snapshot before planning inside the write lock (the ledger kept moving).
TRIES = 3


def _epoch(conn, at: datetime) -> datetime:
    op = q.operation_row(conn)
    if op is None:
        raise RuleRefused("operation: create the operation first", field="operation")
    return max(at, op.starts_at).replace(second=0, microsecond=0)


def read_state(conn, epoch: datetime) -> tuple[State, list[str]]:
    """The operation's state as the planning problem's plain records; also the trips to cancel."""
    op = q.operation_row(conn)
    trips = q.trips_in(conn)
    cancel = [t.id for t in trips if t.state == TripState.PLANNED.value]
    under_way = (TripState.BOARDING.value, TripState.DEPARTED.value)
    kept = tuple(
        # a trip turned back ends where it began, when its vehicle is back there
        Kept(vehicle=t.vehicle, origin=t.origin, destination=t.origin, ends_at=t.back_at)
        if t.state == TripState.TURNED_BACK.value else
        Kept(vehicle=t.vehicle, origin=t.origin, destination=t.destination, ends_at=t.arrived_at or t.arrive_at,
             under_way=t.state in under_way, left_at=t.departed_at or t.depart_at,
             passed=frozenset(p.checkpoint for p in q.passages_of(conn, t.id)) if t.state in under_way else frozenset())
        for t in trips if t.state not in (TripState.PLANNED.value, TripState.CANCELLED.value))
    rows = list(q.waiting_persons(conn)) + (q.assigned_persons(conn, cancel) if cancel else [])
    persons = tuple(Person(token=r.token, household=r.household, gathering_point=r.gathering_point,
                           destination=r.destination, mobility=r.mobility, precedence=r.precedence,
                           vulnerable=bool(r.vulnerable), registered_at=r.registered_at, ordinal=r.ordinal)
                    for r in rows)
    state = State(
        epoch=epoch, starts_at=op.starts_at, boarding_minutes=op.boarding_minutes,
        unloading_minutes=op.unloading_minutes,
        sites=tuple(Site(s.code, s.kind, s.capacity) for s in q.all_sites(conn)),
        legs=tuple((leg.origin, leg.destination, leg.minutes) for leg in q.all_legs(conn)),
        vehicles=tuple(Transport(v.code, v.seats, v.stretchers, v.site, v.available_from)
                       for v in q.available_vehicles(conn)),
        persons=persons, received=q.received_by_centre(conn), kept=kept, terms=_terms(q.corridor_rules_row(conn)))
    return state, cancel


def _terms(rules) -> Terms | None:
    if rules is None:
        return None
    windows = tuple((datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in json.loads(rules.windows))
    return Terms(convoy_size=rules.convoy_size, convoy_gap=rules.convoy_gap_minutes,
                 checkpoint_rates=json.loads(rules.checkpoint_rates), windows=windows)


@dataclass
class _Prepared:
    """A plan made on a snapshot (or the refusal it led to), to record if the ledger is still at `head`."""

    head: int
    epoch: datetime
    result: Plan | None = None
    paths: dict = field(default_factory=dict)
    cancel: list[str] = field(default_factory=list)
    warnings: tuple = ()
    refusal: CorridorError | None = None


class _Moved(Exception):
    """The ledger moved between the snapshot and the record: plan again."""


def _solve(rt: Runtime, problem: Problem) -> Plan:
    """The runtime's plan of `problem`, checked against every rule before anyone relies on it."""
    if not problem.groups:
        raise RuleRefused("plan: nobody is waiting to be planned", field="plan")
    try:
        result = rt.planner(problem)
    except Unplannable as err:
        raise RuleRefused(f"plan: {err}", field="plan",
                          errors=[{"household": u.group, "detail": u.reason} for u in err.reasons]) from None
    try:
        check_plan(problem, result)
    except InvalidPlan as broken:
        raise RuleRefused(f"plan: the planner produced an invalid plan ({broken}); nothing was recorded",
                          field="plan") from None
    return result


def _prepare(rt: Runtime, conn, at: datetime) -> _Prepared:
    """Read the state (on `conn`), then plan it (the caller holds no lock on a snapshot)."""
    head = q.ledger_seq(conn)  # first: anything recorded after it moves the head
    try:
        epoch = _epoch(conn, at)
    except CorridorError as err:
        return _Prepared(head, at, refusal=err)
    state, cancel = read_state(conn, epoch)
    warnings = tuple(planning_warnings(conn))
    problem, paths = build_problem(state)
    problem, held = agreement.restricted(conn, problem, epoch)
    warnings += held
    prepared = _Prepared(head, epoch, paths=paths, cancel=cancel, warnings=warnings)
    if held and not problem.groups:
        prepared.refusal = RuleRefused(f"plan: everyone waiting is held back by the agreement ({'; '.join(held)})",
                                       field="agreement")
        return prepared
    try:
        prepared.result = _solve(rt, problem)
    except CorridorError as err:
        prepared.refusal = err
        return prepared
    if prepared.result.unplaced:  # left out by the agreed end or the quotas per day or window
        prepared.warnings += agreement.held_notes(u.reason for u in prepared.result.unplaced)
        if not prepared.result.trips:
            prepared.refusal = RuleRefused("plan: everyone waiting is held back by the agreement ("
                                           + "; ".join(prepared.warnings) + ")", field="agreement")
    return prepared


def _event(conn, prepared: _Prepared) -> PlanMade:
    if prepared.refusal is not None:
        raise prepared.refusal
    result, epoch, paths = prepared.result, prepared.epoch, prepared.paths
    n = q.plan_count(conn) + 1
    first_trip = q.trip_count(conn) + 1
    at_min = lambda m: epoch + timedelta(minutes=m)  # noqa: E731
    records = tuple(
        TripRecord(id=f"T{first_trip + i:05d}", vehicle=t.vehicle, origin=t.origin, destination=t.destination,
                   route=tuple(paths[(t.origin, t.destination)]), convoy=f"C{n}-{t.convoy}",
                   depart_at=at_min(t.depart), arrive_at=at_min(t.arrive), persons=t.persons)
        for i, t in enumerate(result.trips))
    missed = tuple(DeadlineMissed(household=m.group, persons=tuple(m.persons), deadline_at=at_min(m.deadline),
                                  arrive_at=at_min(m.arrive), late_minutes=m.late_by, unavoidable=m.unavoidable)
                   for m in result.missed)
    return PlanMade(plan_id=f"PL{n:04d}", planner=result.planner, finish_at=at_min(result.finish),
                    lower_bound_at=at_min(result.lower_bound), cancelled_trips=tuple(prepared.cancel), trips=records,
                    warnings=prepared.warnings, missed=missed)


def plan(rt: Runtime, meta: Meta) -> Receipt:
    """Plan everyone waiting (see the module's doc: outside the write lock, recorded if nothing moved)."""
    checked = meta.checked()
    for _ in range(TRIES):
        with rt.reading() as uow:
            if checked.command_id and uow.ledger.find_many([checked.command_id]):
                break  # a resend (or a reuse): `execute` answers it without planning
            prepared = _prepare(rt, uow.conn, checked.at or rt.clock())

        def decide(uow, at: datetime, _command: MakePlan, prepared=prepared) -> PlanMade:
            if q.ledger_seq(uow.conn) != prepared.head or _epoch(uow.conn, at) != prepared.epoch:
                raise _Moved
            return _event(uow.conn, prepared)

        try:
            return execute(rt, meta, MakePlan(), decide)
        except _Moved:
            continue

    def decide_in_lock(uow, at: datetime, _command: MakePlan) -> PlanMade:
        return _event(uow.conn, _prepare(rt, uow.conn, at))

    return execute(rt, meta, MakePlan(), decide_in_lock)


def resume(rt: Runtime, meta: Meta, *, note: str = "") -> dict:
    """Resume a halted operation and plan the rest from where everything stands now.

    The resumption is recorded first; a plan that cannot be made is reported beside it, not instead of it."""
    from . import movement

    resumed = movement.resume(rt, meta, note=note)
    outcome = {"resumed": resumed, "plan": None, "plan_refused": None}
    if resumed.replayed:
        return outcome
    with rt.reading() as uow:
        pending = q.person_state_counts(uow.conn)
    if pending.get("waiting", 0) + pending.get("assigned", 0) == 0:
        return outcome
    replan = Meta(command_id=f"{resumed.command_id}:replan", actor=meta.actor, device=meta.device, at=resumed.at)
    try:
        outcome["plan"] = plan(rt, replan)
    except CorridorError as err:
        outcome["plan_refused"] = err.detail
    return outcome
