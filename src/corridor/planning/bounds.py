"""A lower bound on the finish time (makespan) of any plan for a problem.

The bound is valid: no plan that follows the timing model of `problem.py`
finishes earlier. It is the largest of

* a per-group bound: each kind of person in a group (seated, stretcher) must
  be fetched by some vehicle with room for that kind, which cannot be at the
  group's gathering point before it can possibly get there, cannot leave
  before the group is ready and boarded, and then drives to the destination;
* a fleet-throughput bound per kind: by minute T a vehicle can have made at
  most 1 + (T - f) // c deliveries of that kind, where f is its earliest
  possible first such arrival and c the shortest possible cycle between two
  arrivals; the fleet must have delivered every person of that kind by the
  finish.

Every simplification made here (ignoring capacities, allowing a vehicle to
reposition without passengers, taking minima over all centres) only lowers
the bound, so it stays valid. For a problem that cannot be planned the bound
covers only what could be.
"""

from __future__ import annotations

from heapq import heappop, heappush

from corridor.planning.problem import Group, Problem, Vehicle

SEATED = "seated"
STRETCHER = "stretcher"


def lower_bound(problem: Problem) -> int:
    """A minute before which no plan for `problem` can finish (0 with no groups)."""
    if not problem.groups:
        return 0
    earliest = [earliest_at_gathering_points(problem, v) for v in problem.vehicles]
    return max(
        0,
        group_bound(problem, earliest),
        throughput_bound(problem, earliest, SEATED),
        throughput_bound(problem, earliest, STRETCHER),
    )


def earliest_at_gathering_points(problem: Problem, vehicle: Vehicle) -> dict[str, int]:
    """The earliest minute `vehicle` could be at each gathering point it can ever reach.

    A relaxation of the timing model: from its site the vehicle drives to a
    gathering point; from a gathering point it may board (boarding minutes)
    and drive to any centre; from a centre it may unload (unloading minutes)
    and drive to any gathering point. Nobody needs to be aboard, and nobody's
    ready time holds it back.
    """
    minutes = problem.minutes
    best: dict[tuple[str, str], int] = {}
    heap: list[tuple[int, str, str]] = []
    for gp in problem.gathering_points:
        leg = minutes(vehicle.site, gp)
        if leg is not None:
            heappush(heap, (vehicle.available_at + leg, "g", gp))
    while heap:
        at, kind, site = heappop(heap)
        if (kind, site) in best:
            continue
        best[(kind, site)] = at
        if kind == "g":
            for centre in problem.centres:
                leg = minutes(site, centre)
                if leg is not None and ("r", centre) not in best:
                    heappush(heap, (at + problem.boarding_minutes + leg, "r", centre))
        else:
            for gp in problem.gathering_points:
                leg = minutes(site, gp)
                if leg is not None and ("g", gp) not in best:
                    heappush(heap, (at + problem.unloading_minutes + leg, "g", gp))
    return {site: at for (kind, site), at in best.items() if kind == "g"}


def _count(group: Group, kind: str) -> int:
    """How many persons of `kind` the group has."""
    return len(group.seated) if kind == SEATED else len(group.stretcher)


def _room(vehicle: Vehicle, kind: str) -> int:
    """How many persons of `kind` the vehicle carries at once."""
    return vehicle.seats if kind == SEATED else vehicle.stretchers


def _shortest_delivery(problem: Problem, group: Group) -> int | None:
    """Fewest minutes from the group's gathering point to a centre it may go to."""
    if group.destination is not None:
        return problem.minutes(group.origin, group.destination)
    legs = [problem.minutes(group.origin, centre) for centre in problem.centres]
    return min((leg for leg in legs if leg is not None), default=None)


def group_bound(problem: Problem, earliest: list[dict[str, int]]) -> int:
    """The latest of the groups' earliest possible arrivals (each kind of person counted)."""
    first: dict[tuple[str, str], int] = {}  # (gathering point, kind) -> earliest a vehicle with room is there
    for vehicle, reach in zip(problem.vehicles, earliest):
        for kind in (SEATED, STRETCHER):
            if _room(vehicle, kind) > 0:
                for gp, at in reach.items():
                    first[(gp, kind)] = min(first.get((gp, kind), at), at)
    bound = 0
    for group in problem.groups:
        delivery = _shortest_delivery(problem, group)
        if delivery is None:
            continue
        for kind in (SEATED, STRETCHER):
            at = first.get((group.origin, kind))
            if _count(group, kind) and at is not None:
                # min over vehicles of max(at_v, ready) == max(min over vehicles of at_v, ready)
                bound = max(bound, max(at, group.ready_at) + problem.boarding_minutes + delivery)
    return bound


def _cycle(problem: Problem) -> int | None:
    """Fewest minutes between two arrivals of one vehicle; None where no centre leads back."""
    minutes = problem.minutes
    best = None
    for gp in problem.gathering_points:
        back = [leg for leg in (minutes(centre, gp) for centre in problem.centres) if leg is not None]
        out = [leg for leg in (minutes(gp, centre) for centre in problem.centres) if leg is not None]
        if back and out:
            loop = min(back) + min(out)
            best = loop if best is None else min(best, loop)
    if best is None:
        return None
    return problem.unloading_minutes + problem.boarding_minutes + best


def _first_arrivals(problem: Problem, earliest: list[dict[str, int]], kind: str) -> list[tuple[int, int]]:
    """(earliest first arrival carrying `kind`, room for `kind`) of each vehicle that could."""
    ready: dict[str, int] = {}
    delivery: dict[str, int] = {}
    for group in problem.groups:
        if not _count(group, kind):
            continue
        ready[group.origin] = min(ready.get(group.origin, group.ready_at), group.ready_at)
    for gp in ready:
        legs = [leg for leg in (problem.minutes(gp, centre) for centre in problem.centres) if leg is not None]
        if legs:
            delivery[gp] = min(legs)
    fleet = []
    for vehicle, reach in zip(problem.vehicles, earliest):
        room = _room(vehicle, kind)
        firsts = [max(reach[gp], ready[gp]) + problem.boarding_minutes + delivery[gp] for gp in delivery if gp in reach]
        if room > 0 and firsts:
            fleet.append((min(firsts), room))
    return fleet


def _carried_by(fleet: list[tuple[int, int]], cycle: int, minute: int) -> int:
    """Most persons the fleet can have delivered by `minute` (cycle > 0)."""
    total = 0
    for first, room in fleet:
        if minute >= first:
            total += room * (1 + (minute - first) // cycle)
    return total


def throughput_bound(problem: Problem, earliest: list[dict[str, int]], kind: str) -> int:
    """The earliest minute by which the fleet can have delivered every person of `kind`."""
    persons = sum(_count(group, kind) for group in problem.groups)
    fleet = _first_arrivals(problem, earliest, kind)
    if not persons or not fleet:
        return 0
    cycle = _cycle(problem)
    if cycle == 0:
        return min(first for first, _ in fleet)
    if cycle is None:  # each vehicle arrives at most once
        carried = 0
        for first, room in sorted(fleet):
            carried += room
            if carried >= persons:
                return first
        return max(first for first, _ in fleet)
    low = min(first for first, _ in fleet)
    high = min(first + cycle * (-(-persons // room) - 1) for first, room in fleet)
    while low < high:
        middle = (low + high) // 2
        if _carried_by(fleet, cycle, middle) >= persons:
            high = middle
        else:
            low = middle + 1
    return low
