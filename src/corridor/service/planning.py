"""Planning: turn everyone waiting into trips.

Trips still only planned (nobody aboard) are cancelled and planned again with
everyone waiting, so planning again after new registrations, a halt or a new
vehicle gives one coherent plan. Trips with people aboard are kept.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

from ..domain.commands import MakePlan
from ..domain.errors import RuleRefused
from ..domain.events import DeadlineMissed, PlanMade, TripRecord
from ..domain.values import Mobility, Precedence, SiteKind, TripState
from ..planning import Group, Problem, Unplannable, Vehicle
from ..planning import Precedence as Rank
from ..planning.network import corridor
from ..store import queries as q
from .duplicates import planning_warnings
from .recording import Meta, Receipt, execute
from .runtime import Runtime


def _minutes(t: datetime, epoch: datetime) -> int:
    return max(0, int((t - epoch).total_seconds() // 60))


def _vehicles(conn, epoch: datetime, unloading: int, keep: list) -> list[Vehicle]:
    """Each vehicle still in service, free where and when its last kept trip ends (or where it starts)."""
    last: dict[str, tuple[str, datetime]] = {}
    for t in keep:
        ends = (t.arrived_at or t.arrive_at) + timedelta(minutes=unloading)
        if t.vehicle not in last or ends > last[t.vehicle][1]:
            last[t.vehicle] = (t.destination, ends)
    out = []
    for v in q.available_vehicles(conn):
        site, free = last.get(v.code, (v.site, v.available_from))
        out.append(Vehicle(id=v.code, seats=v.seats, stretchers=v.stretchers, site=site,
                           available_at=_minutes(free, epoch)))
    return out


def _deadline(people, start: datetime, epoch: datetime) -> int | None:
    """Minutes from the epoch by which the household must reach a reception centre (its most pressing member)."""
    best = None
    for p in people:
        minutes = Precedence(p.precedence).deadline_minutes
        if minutes is None:
            continue
        due = max(start, p.registered_at) + timedelta(minutes=minutes)
        best = due if best is None or due < best else best
    return None if best is None else int((best - epoch).total_seconds() // 60)


def _groups(rows, start: datetime, epoch: datetime) -> list[Group]:
    members: dict[str, list] = defaultdict(list)
    for r in rows:
        members[r.household].append(r)
    groups = []
    for household, people in members.items():
        first = people[0]
        groups.append(Group(
            id=household, origin=first.gathering_point, destination=first.destination,
            seated=tuple(p.token for p in people if p.mobility != Mobility.STRETCHER.value),
            stretcher=tuple(p.token for p in people if p.mobility == Mobility.STRETCHER.value),
            precedence=Rank(min(Precedence(p.precedence).rank for p in people)),
            vulnerable=any(p.vulnerabilities for p in people), ready_at=0, order=first.ordinal,
            deadline=_deadline(people, start, epoch)))
    return groups


def build_problem(conn, epoch: datetime) -> tuple[Problem, dict, list[str]]:
    """The planning problem for everyone waiting or only planned; also the routes and the trips to cancel."""
    op = q.operation_row(conn)
    trips = q.trips_in(conn)
    cancel = [t.id for t in trips if t.state == TripState.PLANNED.value]
    keep = [t for t in trips if t.state not in (TripState.PLANNED.value, TripState.CANCELLED.value)]
    sites = q.all_sites(conn)
    gathering = tuple(s.code for s in sites if s.kind == SiteKind.GATHERING_POINT.value)
    centres = {s.code: s.capacity for s in sites if s.kind == SiteKind.RECEPTION_CENTRE.value}
    received = q.received_by_centre(conn)
    vehicles = _vehicles(conn, epoch, op.unloading_minutes, keep)
    relevant = sorted(set(gathering) | set(centres) | {v.site for v in vehicles})
    legs = [(leg.origin, leg.destination, leg.minutes) for leg in q.all_legs(conn)]
    checkpoints = q.site_codes(conn, SiteKind.CHECKPOINT)
    minutes, paths, passes = corridor(legs, relevant, checkpoints)
    rows = [r for r in q.waiting_persons(conn)]
    rows += _assigned_to(conn, cancel)
    rules = q.corridor_rules_row(conn)
    problem = Problem(groups=tuple(_groups(sorted(rows, key=lambda r: r.ordinal), op.starts_at, epoch)),
                      vehicles=tuple(vehicles), gathering_points=gathering, centres=centres, travel=minutes,
                      boarding_minutes=op.boarding_minutes, unloading_minutes=op.unloading_minutes,
                      already_received={c: n for c, n in received.items() if c in centres},
                      checkpoints_on=passes, **_corridor_terms(conn, rules, epoch, keep, passes))
    return problem, paths, cancel


def _corridor_terms(conn, rules, epoch: datetime, keep: list, passes: dict) -> dict:
    """The agreed corridor rules in the planner's minutes, and what trips under way already take of them."""
    if rules is None:
        return {}
    rel = lambda t: int((t - epoch).total_seconds() // 60)  # noqa: E731
    windows = [(rel(datetime.fromisoformat(a)), rel(datetime.fromisoformat(b))) for a, b in json.loads(rules.windows)]
    booked_passages, booked_entries = [], []
    for t in keep:
        if t.state not in (TripState.BOARDING.value, TripState.DEPARTED.value):
            continue
        left = rel(t.departed_at or t.depart_at)
        on_route = passes.get((t.origin, t.destination), ())
        passed = {p.checkpoint for p in q.passages_of(conn, t.id)}
        booked_passages += [(c, left + m) for c, m in on_route if c not in passed and left + m >= -60]
        booked_entries.append(left + (on_route[0][1] if on_route else 0))
    return dict(convoy_size=rules.convoy_size, convoy_gap=rules.convoy_gap_minutes,
                checkpoint_rate=json.loads(rules.checkpoint_rates),
                windows=tuple(w for w in windows if w[1] > 0) if windows else None,  # () if none opens again
                booked_passages=tuple(booked_passages),
                booked_entries=tuple(e for e in booked_entries if e > -rules.convoy_gap_minutes))


def _assigned_to(conn, trip_ids: list[str]) -> list:
    if not trip_ids:
        return []
    return q.assigned_persons(conn, trip_ids)


def plan(rt: Runtime, meta: Meta) -> Receipt:
    def decide(uow, at: datetime, c: MakePlan) -> PlanMade:
        op = q.operation_row(uow.conn)
        if op is None:
            raise RuleRefused("operation: create the operation first", field="operation")
        epoch = max(at, op.starts_at).replace(second=0, microsecond=0)
        problem, paths, cancel = build_problem(uow.conn, epoch)
        if not problem.groups:
            raise RuleRefused("plan: nobody is waiting to be planned", field="plan")
        try:
            result = rt.planner(problem)
        except Unplannable as err:
            raise RuleRefused(f"plan: {err}", field="plan",
                              errors=[{"household": u.group, "detail": u.reason} for u in err.reasons]) from None
        n = q.plan_count(uow.conn) + 1
        first_trip = q.trip_count(uow.conn) + 1
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
                        lower_bound_at=at_min(result.lower_bound), cancelled_trips=tuple(cancel), trips=records,
                        warnings=tuple(planning_warnings(uow.conn)), missed=missed)

    return execute(rt, meta, MakePlan(), decide)


def resume(rt: Runtime, meta: Meta, *, note: str = "") -> dict:
    """Resume a halted operation and plan the rest from where everything stands now.

    The resumption is recorded first; a plan that cannot be made is reported beside it, not instead of it."""
    from ..domain.errors import CorridorError
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
