"""Lower bounds on the finish time (makespan) of any plan for a problem.

Every bound here is valid: no plan that keeps the rules of `problem.py`
finishes earlier. Each comes from a relaxation (a rule dropped, or a choice
made as favourable as it could be), so it can only be lower than the truth.
`lower_bound` is the largest of them:

* ``group``: each kind of person in a group (seated, stretcher) must be
  fetched by some vehicle with room for that kind, which cannot be at the
  group's gathering point before it can possibly get there (windows kept,
  the rate, the convoys and every other vehicle ignored), cannot leave
  before the group is ready and boarded and the corridor lets it, and then
  drives to the destination.
* ``throughput``: by minute T a vehicle can have made at most
  1 + (T - f) // c deliveries of a kind, f its earliest possible first such
  arrival and c the shortest possible cycle between two arrivals.
* ``fleet``: a Lagrangian bound on the fleet's work. Give a trip from g to r
  the price w_v * lam[g, r] (w_v the vehicle's seats, or its stretcher
  places), lam[g, r] the minutes of vehicle time such a trip uses in a
  cycle. Whatever plan delivers everybody by T, the prices of its trips sum
  to at least sum lam[g, r] * persons[g, r] (groups without a destination at
  the cheapest centre). Each vehicle alone, with the windows but without
  the rate, the convoys or the other vehicles, cannot collect more than
  H_v(T), found exactly by a dynamic programme over its possible sequences
  of trips (earlier is never worse: a vehicle can always wait). So T is
  too early while sum_v w_v * H_v(T) < sum lam * persons. It counts whole
  trips only (the last trip cannot be half done), every gathering point's
  own distance, each vehicle's own start, and the nights the windows close.
  H is worked out for every vehicle at once, backward in time from T, minute
  by minute (`Table`): H[r][s] = max(H[r][s + 1], max over trips from r of
  price + H[r'][free time of that trip started at s]); a trip takes at least
  the shortest cycle, so a block of that many minutes depends only on later
  ones and is computed with list operations. The least sufficient T is found
  by bracketing and interpolation; it stops within 0.05 % and answers the
  lower end (a T known to be too early, plus one), which keeps it valid.
  The largest too-early T's table also guides the planner (`greedy.py`).
  The prices are lam = boarding + drive + unloading + the way back, split
  between the centre and the gathering point by potentials (`trip_prices`).
* ``checkpoint``: every load whose every route passes checkpoint c passes
  it, and where c separates the gathering points from the centres every
  vehicle comes back through it between two loads; at most K an hour pass
  in open minutes, so the last of those passages, plus the drive on to a
  centre, comes no earlier than this.
* ``convoy``: at least ceil(loads / convoy_size) convoys, entering the
  corridor at least convoy_gap apart in open minutes.

For a problem that cannot be planned the bounds cover only the groups that
could be carried at all.
"""

from __future__ import annotations

from corridor.planning.bounds.corridor import checkpoint_bound, checkpoint_bound_lots, convoy_bound, convoy_bound_lots
from corridor.planning.bounds.fleet import Demand, Fleet, demand_of, trip_prices
from corridor.planning.bounds.reach import (
    SEATED,
    STRETCHER,
    Lots,
    Moves,
    allowed_centres,
    earliest_at_gathering_points,
    group_arrivals,
    group_bound,
    lots_to_carry,
)
from corridor.planning.bounds.table import Table, fleet_bound, fleet_search, shortest_cycle
from corridor.planning.bounds.throughput import throughput_bound
from corridor.planning.problem import Problem

__all__ = [
    "Demand", "Fleet", "Lots", "Moves", "SEATED", "STRETCHER", "Table", "allowed_centres", "checkpoint_bound",
    "convoy_bound", "demand_of", "earliest_at_gathering_points", "fleet_bound", "group_arrivals", "group_bound",
    "lower_bound", "lower_bounds", "shortest_cycle", "throughput_bound", "trip_prices",
]


def lower_bound(problem: Problem) -> int:
    """A minute before which no plan for `problem` can finish (0 with no groups)."""
    return max(lower_bounds(problem).values(), default=0)


def lower_bounds(
    problem: Problem,
    finish: int | None = None,
    keep: dict | None = None,
    reach: tuple[list[dict[str, int]], list[int | None]] | None = None,
) -> dict[str, int]:
    """Every bound by name. `finish`, the finish of a known plan, only speeds the search up.

    `keep`, if given, receives the fleet programme ("fleet"). `reach`, if given, is what
    `earliest_at_gathering_points` and `group_arrivals` answer for the problem (not worked out again).
    """
    if not problem.groups:
        return {"group": 0}
    moves = Moves(problem)
    if reach is None:
        earliest = [earliest_at_gathering_points(problem, v, moves) for v in problem.vehicles]
        arrivals = group_arrivals(problem, earliest, moves)
    else:
        earliest, arrivals = reach
    carried = [g for g, at in zip(problem.groups, arrivals) if at is not None]
    lots = lots_to_carry(problem, carried)
    found = {
        "group": max((at for at in arrivals if at is not None), default=0),
        "throughput": max(
            throughput_bound(problem, earliest, SEATED, carried),
            throughput_bound(problem, earliest, STRETCHER, carried),
        ),
        "checkpoint": checkpoint_bound_lots(problem, lots),
        "convoy": convoy_bound_lots(problem, lots),
    }
    floor = max(found.values())
    found["fleet"], fleet = fleet_search(problem, lots, moves, floor, finish)
    if keep is not None:
        keep["fleet"] = fleet
    return found
