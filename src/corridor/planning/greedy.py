"""The "greedy" planner: fast list scheduling that keeps every rule of the corridor.

1. Up front, every group is checked; whatever cannot be placed is named, with
   a reason, in one `Unplannable` before anything is planned (no stretcher
   place, no route, no vehicle, a household too big for the fleet or for one
   convoy, a corridor that is never open long enough, the last window closed
   before the group is ready). Each group that has no destination is given
   the nearest reception centre (by travel from its gathering point) that
   still has room for the whole household, in priority order, after the
   groups bound for a named centre have taken their places.
2. Groups wait in buckets, one per (gathering point, destination), in
   priority order: groups with a deadline first, earliest deadline first
   (then precedence); then the rest by precedence, vulnerable first, ready
   time, registration order, id.
3. Repeatedly the vehicle that is free earliest picks a bucket where a group
   it can carry is waiting when it gets there:
   * a group with a deadline: the earliest deadline first, then the bucket
     it can leave earliest with every rule kept (convoys forming count);
   * otherwise the best precedence; then the guide: the fleet bound's own
     dynamic programme (`bounds/table.py`) tells what one vehicle can still do by
     the lower bound from each centre and minute, so a trip is worth its
     price plus what the vehicle can do after it. With daily windows this
     fits trips into the open hours (a long trip last before the night, the
     way back in the morning). Trips worth nearly the same (within a quarter
     of the cheapest trip's price) go vulnerable first, then longest first
     (longest-processing-time: the short trips are left for the end, so the
     fleet finishes together). Trips past the bound: the earliest arrival;
   * nobody waiting anywhere it can reach: where it can load earliest.
   It then drives there empty (at the earliest minute the windows and the
   checkpoint rates allow), boards, and leaves at the earliest minute that
   keeps every rule: joining a convoy already leaving that gathering point
   later if it has room, or starting a new one, convoy_gap after every other
   convoy's entry into the corridor, with room at every checkpoint on the
   way, in an open window. It is filled first-fit with the waiting groups of
   that bucket ready by then, in priority order (so within a gathering point
   and destination the vulnerable board first at equal precedence). A
   vehicle with nothing left it can reach and carry retires.
4. Under an agreement (`problem.py`): at each gathering point the groups of
   a later turn wait in their own buckets, which open to vehicles only once
   every group of an earlier turn there is planned (a vehicle finding only
   closed buckets parks until one opens), and depart no earlier than the
   last departure of an earlier turn there. No trip departs at or after the
   agreed end; a trip departs only in a period whose quotas have room for the
   group it comes for (else at the start of the first later period that has:
   a later day's quota for a later trip), and takes others only within them.
   Groups the end or the quotas leave out (and the later turns at their
   gathering point) are named in `Plan.unplaced` with the rule; the plan's
   lower bound is then that of the groups it carries.
5. A household that fits in no single vehicle able to reach its gathering
   point is split over one convoy: the vehicles that can be there first,
   which all leave together; their spare room is filled like any other trip.

The planner has no randomness: the same problem always gives the same plan,
whatever the seed. Its plan carries the lower bounds of `bounds/`.

Modules: `admission.py` (step 1), `buckets.py` (the queues of step 2 and the
guide), `scheduler.py` (steps 3 to 5); here, `solve` puts them together.
"""

from __future__ import annotations

from corridor.planning.admission import assign_destinations, check_groups
from corridor.planning.bounds import lower_bounds
from corridor.planning.buckets import Guide
from corridor.planning.plan import EmptyMove, Missed, Plan, PlannedTrip, Unplaced
from corridor.planning.problem import Problem
from corridor.planning.scheduler import Scheduler


PLANNER = "greedy"


def _missed(problem: Problem, trips: list[PlannedTrip], arrivals: list[int | None]) -> tuple[Missed, ...]:
    arrive: dict[str, int] = {}
    for trip in trips:
        for group_id in trip.groups:
            arrive[group_id] = max(arrive.get(group_id, trip.arrive), trip.arrive)
    out = []
    for group, earliest in zip(problem.groups, arrivals):
        if group.deadline is None or group.id not in arrive or arrive[group.id] <= group.deadline:
            continue
        out.append(
            Missed(
                group=group.id,
                persons=group.seated + group.stretcher,
                deadline=group.deadline,
                arrive=arrive[group.id],
                late_by=arrive[group.id] - group.deadline,
                unavoidable=earliest is not None and earliest > group.deadline,
            )
        )
    out.sort(key=lambda m: (m.deadline, m.group))
    return tuple(out)


def solve(problem: Problem, seed: int = 0) -> Plan:
    """Plan every group with the list scheduler; `seed` is accepted and has no effect (the plan is deterministic).

    Raises `Unplannable` naming every group that cannot be placed, before planning anything.
    """
    reasons, earliest, arrivals = check_groups(problem)
    destinations = assign_destinations(problem, reasons)
    trips: list[PlannedTrip] = []
    moves: list[EmptyMove] = []
    wait = 0
    held: dict[str, str] = {}
    keep: dict = {}
    bounds = lower_bounds(problem, None, keep, (earliest, arrivals))
    bound = max(bounds.values(), default=0)
    if problem.groups:
        guide = None
        fleet = keep.get("fleet")
        if fleet is not None and hasattr(fleet, "table"):
            until = fleet.near  # about the lower bound: its table is at hand
            table = fleet.table(until)
            if table is not None:
                guide = Guide(table, fleet.lo, until, fleet.prizes)
        scheduler = Scheduler(problem, destinations, guide)
        scheduler.run()
        trips, moves, wait, held = scheduler.trips, scheduler.empty, scheduler.wait, scheduler.held
    if held:  # the bound of what the plan carries (fewer groups: the full problem's bound may be above it)
        bounds = lower_bounds(problem.replace(groups=tuple(g for g in problem.groups if g.id not in held)))
        bound = max(bounds.values(), default=0)
    trips.sort(key=lambda trip: (trip.depart, trip.convoy))  # stable: each vehicle's trips stay in order
    moves.sort(key=lambda move: (move.depart, move.vehicle))
    finish = max((trip.arrive for trip in trips), default=0)
    if bound > finish:
        raise AssertionError(f"lower bound {bound} exceeds finish {finish}: the bound or the plan is wrong")
    return Plan(
        trips=tuple(trips),
        finish=finish,
        lower_bound=bound,
        planner=PLANNER,
        unplaced=tuple(Unplaced(g.id, held[g.id]) for g in problem.groups if g.id in held),
        missed=_missed(problem, trips, arrivals),
        moves=tuple(moves),
        wait=wait,
        bounds=bounds,
    )
