"""The ``checkpoint`` and ``convoy`` bounds: what the checkpoints' rates and the convoys let through."""

from __future__ import annotations

from math import ceil

from corridor.planning.bounds.reach import Lots, centres_for, lots_to_carry
from corridor.planning.problem import Group, Problem
from corridor.planning.rules import HOUR


def _open_minutes(problem: Problem, upto: int) -> list[tuple[int, int]]:
    """The open intervals [a, b) within [0, upto]."""
    if problem.windows is None:
        return [(0, upto + 1)]
    spans = ((max(0, a), min(b, upto + 1)) for a, b in problem.windows)
    return [(a, b) for a, b in spans if a < b]


def _loads(problem: Problem, seated: int, stretcher: int) -> int:
    """Fewest vehicle loads that carry so many persons."""
    seats = max((v.seats for v in problem.vehicles), default=0)
    places = max((v.stretchers for v in problem.vehicles), default=0)
    loads = 0
    if seated:
        loads = max(loads, -(-seated // seats) if seats else 0)
    if stretcher:
        loads = max(loads, -(-stretcher // places) if places else 0)
    return loads


def _first_minute(capacity, needed: int, horizon: int) -> int | None:
    """The least X in [0, horizon] with capacity(X) >= needed (capacity nondecreasing), or None."""
    if capacity(horizon) < needed:
        return None
    low, high = 0, horizon
    while low < high:
        middle = (low + high) // 2
        if capacity(middle) >= needed:
            high = middle
        else:
            low = middle + 1
    return low


def _horizon(problem: Problem) -> int:
    if problem.windows is None:
        return 10_000_000
    return max(0, problem.windows[-1][1])


def checkpoint_bound(problem: Problem, groups: list[Group]) -> int:
    """The latest, over rate-limited checkpoints, of the last passage they can allow plus the drive on."""
    return checkpoint_bound_lots(problem, lots_to_carry(problem, groups))


def checkpoint_bound_lots(problem: Problem, lots: Lots) -> int:
    best = 0
    routes = [(g, r) for g in problem.gathering_points for r in problem.centres if problem.minutes(g, r) is not None]
    for checkpoint, rate in problem.checkpoint_rate.items():
        through = [
            (origin, destination, n)
            for (origin, destination), n in lots.items()
            if all(any(c == checkpoint for c, _ in problem.on_route(origin, r))
                   for r in centres_for(problem, origin, destination))
        ]
        loads = _loads(problem, sum(n[0] for *_, n in through), sum(n[1] for *_, n in through))
        if not loads:
            continue
        back = routes and all(
            any(c == checkpoint for c, _ in problem.on_route(r, g))
            for g in problem.gathering_points
            for r in problem.centres
            if problem.minutes(r, g) is not None
        ) and all(any(c == checkpoint for c, _ in problem.on_route(g, r)) for g, r in routes)
        needed = max(2 * loads - len(problem.vehicles) if back else loads, loads)
        on = [
            problem.minutes(origin, r) - m
            for origin, destination, _ in through
            for r in centres_for(problem, origin, destination)
            for c, m in problem.on_route(origin, r)
            if c == checkpoint
        ]
        onward = min(on) if on else 0

        def capacity(upto: int, rate=rate) -> int:  # booked passages left out: they could only lower it
            return sum(rate * ceil((b - a) / HOUR) for a, b in _open_minutes(problem, upto))

        last = _first_minute(capacity, needed, _horizon(problem))
        if last is not None:
            best = max(best, last + onward)
    return best


def convoy_bound(problem: Problem, groups: list[Group]) -> int:
    """When the last of ceil(loads / convoy_size) convoys, each convoy_gap after the last, can enter, plus the drive."""
    return convoy_bound_lots(problem, lots_to_carry(problem, groups))


def convoy_bound_lots(problem: Problem, lots: Lots) -> int:
    if problem.convoy_size is None or problem.convoy_gap <= 0:
        return 0
    loads = _loads(problem, sum(n[0] for n in lots.values()), sum(n[1] for n in lots.values()))
    if not loads:
        return 0
    needed = -(-loads // problem.convoy_size)
    gap = problem.convoy_gap
    on = []
    for origin, destination in lots:
        for r in centres_for(problem, origin, destination):
            route = problem.on_route(origin, r)
            on.append(problem.minutes(origin, r) - (route[0][1] if route else 0))
    onward = min(on) if on else 0

    def capacity(upto: int) -> int:  # booked entries left out: they could only lower it
        return sum((b - a - 1) // gap + 1 for a, b in _open_minutes(problem, upto))

    last = _first_minute(capacity, needed, _horizon(problem))
    return 0 if last is None else last + onward
