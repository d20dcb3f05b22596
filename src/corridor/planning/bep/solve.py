"""Solving the Bus Evacuation Problem: a plan of least makespan, with a proof where one is found.

Modules: `plan.py` (trips, routes, times, the result), `bounds.py` (step 1),
`search.py` (step 2), `models.py` (step 3); `solve` here runs the three.

Semantics (Goerigk, Grün and Heßler): each bus starts at its depot, drives to
a collection point, loads between 1 and Q people, drives to a shelter and
unloads them; it may then drive from that shelter to any collection point
for another load, and so on. Every leg is driven directly; every trip from a
point to a shelter carries somebody. The makespan is the moment the last bus
unloads at its last shelter; a bus may stay at its depot.

The solver works in three steps, each within the time limit:

1. **Bounds** that hold for every plan (`lower_bound`): the earliest moment
   each point's people can reach shelters with room for them (a bottleneck
   transportation problem), and the least total driving of the whole fleet
   divided by the number of buses.
2. **Local search** over trips (`LocalSearch`): each trip carries one load from
   a point to a shelter; a bus's route is a list of trips. Greedy insertion,
   then moves that lower the leximax of the buses' times (relocate a trip,
   with a new shelter if that is better; swap trips; swap points; exchange
   route tails), and ruin-and-recreate kicks. Its work is counted, not timed,
   so the same seed gives the same plan (unless the wall clock runs out first).
3. **An exact model** (`walk_model`) in OR-Tools CP-SAT, for Q = 1 (every
   trip carries one person, as in the random benchmark): for each bus, how
   many times it drives each point–shelter road (either way), how many people
   it picks up at each point and drops at each shelter, where it starts and
   ends. A bus's roads form an open Euler trail from its first point to its
   last shelter; a multi-commodity flow from the depot to every point it
   visits keeps the trail in one piece. Seeded with the local search's plan,
   it proves optimality (lower bound = makespan) or improves the plan.
   For Q > 1 a directed model (`general_model`) with loaded and empty legs
   and people per road does the same on small instances.

   The model only admits plans better than the one in hand (makespan at
   most one less): if CP-SAT proves it infeasible, the plan in hand is
   optimal; if it stops early, its bound on that model is still a bound on
   every plan (a plan either beats the one in hand or does not).

Time: up to 5 % of the limit for the work bound, 20 % (85 % without an
exact model) for the local search, 75 % for CP-SAT (45 % for the larger
models, which seldom reach a proof): one run of 40 % with the given seed,
then one more with the next seed (CP-SAT's time to a proof varies a lot
with its seed). CP-SAT (one worker) is limited by deterministic time and the
local search by counted work, so that a run does not depend on the machine's
speed, with the wall clock as a backstop. One CP-SAT worker, not two: on
these models it proved optimality faster than two (measured on sets 4–5),
and it is deterministic.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from corridor.planning.bep.bounds import delivery_bound, lower_bound, work_bound
from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.models import general_model, walk_model
from corridor.planning.bep.plan import BepResult, Route, Trip, plan_makespan, route_time, transfer_plan
from corridor.planning.bep.search import LocalSearch

__all__ = [
    "BepResult",
    "Trip",
    "lower_bound",
    "plan_makespan",
    "route_time",
    "solve",
    "transfer_plan",
]


# -- the solver ------------------------------------------------------------------------------------

#: Work units (trips looked at) the local search gets per second of its share of the time limit:
#: about half of what the 2-core benchmark machine does under load, so that the count, not the
#: clock, ends the search, and the same seed gives the same plan.
WORK_PER_SECOND = 3_000_000
#: The exact model is tried when it has at most this many road variables (buses × points × shelters).
EXACT_SIZE = 1200
#: Shares of the time limit: the bound on the fleet's work, the local search (when the exact model
#: follows, and when it does not), the exact model's deterministic time.
BOUND_SHARE, SEARCH_SHARE_EXACT, SEARCH_SHARE_ALONE, EXACT_SHARE = 0.05, 0.2, 0.85, 0.75
#: Models with more road variables than this get EXACT_SHARE_LARGE instead (they rarely reach a proof,
#: and their deterministic time runs slower than the clock: this keeps them well inside the limit).
LARGE_SIZE, EXACT_SHARE_LARGE = 300, 0.45
#: CP-SAT runs this share of the limit (deterministic time) with one seed, then restarts with the next;
#: after RESTARTS restarts the last run takes what is left.
RESTART_SHARE, RESTARTS = 0.4, 1
#: Seconds kept back for decoding and checking the plan.
RESERVE = 0.3
#: With `wall_clock=False`, the deadline is this many times the limit (plus as many seconds) away.
UNCLOCKED = 100


def solve(instance: BepInstance, time_limit: float = 10.0, seed: int = 0,
          start: Sequence[Sequence[Trip]] | None = None, *, wall_clock: bool = True) -> BepResult:
    """The best plan found for `instance` within about `time_limit` seconds.

    `start`, a valid plan for this instance (for instance a smaller fleet's
    plan through `transfer_plan`), is never beaten by the result. The same
    `seed` gives the same result, unless the wall clock ran out before the
    counted work did (a heavily loaded machine). With `wall_clock=False`
    only the counted work ends the run: the same seed gives the same result
    however loaded the machine, which may then take longer than `time_limit`.
    """
    began = time.monotonic()
    # without the wall clock, a deadline the counted work always meets first
    deadline = began + (time_limit if wall_clock else UNCLOCKED * time_limit + UNCLOCKED)
    budget_of = lambda seconds: int(max(0.0, seconds) * WORK_PER_SECOND)  # noqa: E731

    if instance.total_demand == 0:
        return BepResult(instance.name, 0, 0, True, tuple(() for _ in instance.bus_depots),
                         time.monotonic() - began, seed, "nothing to do", tuple(0 for _ in instance.bus_depots))

    bound = delivery_bound(instance)
    clock = None if wall_clock else deadline - began
    bound = max(bound, work_bound(instance, BOUND_SHARE * time_limit, clock_limit=clock))

    size = instance.buses * instance.n_points * instance.n_shelters
    exact = size <= EXACT_SIZE
    exact_share = EXACT_SHARE if size <= LARGE_SIZE else EXACT_SHARE_LARGE
    search_share = SEARCH_SHARE_EXACT if exact else SEARCH_SHARE_ALONE
    # the wall clock only stops the search if the machine is much slower than calibrated
    search_deadline = deadline - RESERVE - (exact_share * time_limit / 2 if exact else 0.0)
    best_plan: tuple[Route, ...] | None = None
    best_time = None
    methods = []

    if start is not None:
        start = tuple(tuple(route) for route in start)
        best_plan, best_time = start, plan_makespan(instance, start)
        methods.append("start plan")

    search = LocalSearch(instance, seed)
    built = search.construct()
    if not built:
        # loads of Q people may not fit the shelters' room: loads of a unit that divides everything do
        unit = math.gcd(instance.capacity, *instance.demands, *instance.shelter_capacities)
        search = LocalSearch(instance, seed, [(p, unit) for p, d in enumerate(instance.demands) for _ in range(d // unit)])
        built = search.construct()
    if start is not None:
        given = LocalSearch(instance, seed, [(trip.point, trip.people) for route in start for trip in route])
        given.load(start)
        if not built or given.key() < search.key():
            search, built = given, True
    if built:
        search.run(search_deadline, budget_of(search_share * time_limit), bound)
        found = search.plan()
        found_time = plan_makespan(instance, found)
        if best_time is None or found_time < best_time:
            best_plan, best_time = found, found_time
            methods = ["local search"]

    if exact and (best_time is None or best_time > bound) and time.monotonic() < deadline - 2 * RESERVE:
        # look only for plans better than the one in hand: a proof of infeasibility proves it optimal
        if best_time is not None:
            upper = best_time - 1
        else:
            upper = (max(max(row) for row in instance.depot_times)
                     + 2 * instance.total_demand * max(max(row) for row in instance.shelter_times))
        build = walk_model if instance.capacity == 1 else general_model
        model, decode, makespan = build(instance, upper, bound, None)
        # CP-SAT's time to a proof varies a lot with its seed: restart with the next seed rather than
        # wait on one unlucky search (runs of RESTART_SHARE of the limit, the last one takes the rest)
        total = exact_share * time_limit
        spent, attempt, proved = 0.0, 0, False
        while not proved and spent < total - 0.01 and time.monotonic() < deadline - 2 * RESERVE:
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed + attempt
            solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic() - RESERVE)
            run_budget = total - spent if attempt >= RESTARTS else min(RESTART_SHARE * time_limit, total - spent)
            solver.parameters.max_deterministic_time = run_budget
            status = solver.solve(model)
            spent += max(solver.response_proto.deterministic_time, 0.01)
            attempt += 1
            proven = (math.ceil(solver.best_objective_bound - 1e-6)
                      if math.isfinite(solver.best_objective_bound) else bound)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                plan = decode(solver)
                best_plan, best_time = plan, plan_makespan(instance, plan)
                methods = ["CP-SAT"]
                bound = max(bound, min(proven, best_time))
                if status == cp_model.OPTIMAL:
                    bound, proved = best_time, True
                else:
                    model.add(makespan <= best_time - 1)
            elif status == cp_model.INFEASIBLE and best_time is not None:
                bound, proved = best_time, True  # no plan finishes before the one in hand
            elif status == cp_model.UNKNOWN and best_time is not None:
                # the model holds every plan that beats the one in hand: none finishes before its bound
                # (only a search stopped by its limit gives one; an invalid model would prove nothing)
                bound = max(bound, min(proven, best_time))
            if bound >= (best_time if best_time is not None else bound + 1):
                proved = True
        methods.append(f"proved optimal by CP-SAT ({attempt} run{'s' if attempt > 1 else ''})" if proved
                       else f"CP-SAT bound ({attempt} run{'s' if attempt > 1 else ''})")

    if best_plan is None:
        raise ValueError(f"{instance.name}: no plan found")
    bound = min(bound, best_time)
    times = tuple(route_time(instance, y, r) for y, r in zip(instance.bus_depots, best_plan))
    return BepResult(instance.name, best_time, bound, bound == best_time, best_plan,
                     time.monotonic() - began, seed, ", ".join(methods), times)
