"""Planning: turn everyone waiting into trips.

Trips still only planned (nobody aboard) are cancelled and planned again with
everyone waiting, so planning again after new registrations, a halt or a new
vehicle gives one coherent plan. Trips with people aboard are kept.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from ..domain.errors import RuleRefused
from ..domain.events import PlanMade, TripRecord
from ..domain.values import Mobility, Precedence, SiteKind, TripState
from ..planning import Group, Problem, Unplannable, Vehicle
from ..planning import Precedence as Rank
from ..planning.network import travel_matrix
from ..store import queries as q
from .duplicates import planning_warnings
from .runtime import Meta, Receipt, Runtime, execute


def _minutes(t: datetime, epoch: datetime) -> int:
    return max(0, int((t - epoch).total_seconds() // 60))


def _vehicles(conn, epoch: datetime, unloading: int, keep: list) -> list[Vehicle]:
    """Each vehicle, free where and when its last kept trip ends (or where it starts)."""
    last: dict[str, tuple[str, datetime]] = {}
    for t in keep:
        ends = (t.arrived_at or t.arrive_at) + timedelta(minutes=unloading)
        if t.vehicle not in last or ends > last[t.vehicle][1]:
            last[t.vehicle] = (t.destination, ends)
    out = []
    for v in q.all_vehicles(conn):
        site, free = last.get(v.code, (v.site, v.available_from))
        out.append(Vehicle(id=v.code, seats=v.seats, stretchers=v.stretchers, site=site,
                           available_at=_minutes(free, epoch)))
    return out


def _groups(rows) -> list[Group]:
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
            vulnerable=any(p.vulnerabilities for p in people), ready_at=0, order=first.ordinal))
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
    minutes, paths = travel_matrix(legs, relevant)
    rows = [r for r in q.waiting_persons(conn)]
    rows += _assigned_to(conn, cancel)
    problem = Problem(groups=tuple(_groups(sorted(rows, key=lambda r: r.ordinal))), vehicles=tuple(vehicles),
                      gathering_points=gathering, centres=centres, travel=minutes,
                      boarding_minutes=op.boarding_minutes, unloading_minutes=op.unloading_minutes,
                      already_received={c: n for c, n in received.items() if c in centres})
    return problem, paths, cancel


def _assigned_to(conn, trip_ids: list[str]) -> list:
    if not trip_ids:
        return []
    return q.assigned_persons(conn, trip_ids)


def plan(rt: Runtime, meta: Meta) -> Receipt:
    def decide(uow, at: datetime) -> PlanMade:
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
        return PlanMade(plan_id=f"PL{n:04d}", planner=result.planner, finish_at=at_min(result.finish),
                        lower_bound_at=at_min(result.lower_bound), cancelled_trips=tuple(cancel), trips=records,
                        warnings=tuple(planning_warnings(uow.conn)))

    return execute(rt, meta, "plan", {}, decide)
