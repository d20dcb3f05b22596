"""The ``throughput`` bound: deliveries of one kind a vehicle can make by minute T (windows ignored)."""

from __future__ import annotations

from corridor.planning.bounds.reach import count_kind, room_kind
from corridor.planning.problem import Group, Problem


# -- throughput (windows ignored) ------------------------------------------------------------------


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


def _first_arrivals(
    problem: Problem, earliest: list[dict[str, int]], kind: str, groups: list[Group]
) -> list[tuple[int, int]]:
    """(earliest first arrival carrying `kind`, room for `kind`) of each vehicle that could."""
    ready: dict[str, int] = {}
    delivery: dict[str, int] = {}
    for group in groups:
        if not count_kind(group, kind):
            continue
        ready[group.origin] = min(ready.get(group.origin, group.ready_at), group.ready_at)
    for gp in ready:
        legs = [leg for leg in (problem.minutes(gp, centre) for centre in problem.centres) if leg is not None]
        if legs:
            delivery[gp] = min(legs)
    fleet = []
    for vehicle, reach in zip(problem.vehicles, earliest):
        room = room_kind(vehicle, kind)
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


def throughput_bound(
    problem: Problem, earliest: list[dict[str, int]], kind: str, groups: list[Group] | None = None
) -> int:
    """The earliest minute by which the fleet can have delivered every person of `kind`."""
    groups = list(problem.groups) if groups is None else groups
    persons = sum(count_kind(group, kind) for group in groups)
    fleet = _first_arrivals(problem, earliest, kind, groups)
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


# -- the fleet's work, per vehicle, windows kept ----------------------------------------------------
