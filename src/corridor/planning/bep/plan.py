"""A BEP plan: one route of trips per bus, its times, and what is known of it (`BepResult`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from corridor.planning.bep.instance import BepInstance


@dataclass(frozen=True)
class Trip:
    """One load: `people` (1..Q) from collection point `point` to shelter `shelter` (0-based)."""

    point: int
    shelter: int
    people: int


Route = tuple[Trip, ...]


@dataclass(frozen=True)
class BepResult:
    """A plan and what is known about it.

    `routes[b]` is the route of bus b (buses numbered depot by depot, as in
    `BepInstance.bus_depots`); an empty route is a bus that stays unused.
    `lower_bound` ≤ every plan's makespan; `optimal` means it equals `makespan`.
    """

    instance: str
    makespan: int
    lower_bound: int
    optimal: bool
    routes: tuple[Route, ...]
    seconds: float
    seed: int = 0
    method: str = ""
    bus_times: tuple[int, ...] = field(default=())


# -- times -----------------------------------------------------------------------------------------


def route_time(instance: BepInstance, depot: int, route: Sequence[Trip]) -> int:
    """When a bus from `depot` driving `route` unloads its last trip (0 for no trip)."""
    if not route:
        return 0
    tp = instance.shelter_times
    first = route[0]
    total = instance.depot_times[depot][first.point] + tp[first.point][first.shelter]
    previous = first.shelter
    for trip in route[1:]:
        total += tp[trip.point][previous] + tp[trip.point][trip.shelter]
        previous = trip.shelter
    return total


def plan_makespan(instance: BepInstance, routes: Sequence[Sequence[Trip]]) -> int:
    return max((route_time(instance, y, r) for y, r in zip(instance.bus_depots, routes)), default=0)


def transfer_plan(source: BepInstance, routes: Sequence[Sequence[Trip]], target: BepInstance) -> tuple[Route, ...] | None:
    """`routes`, a plan for `source`, as a plan for `target`; None where that is impossible.

    Possible when the two differ only in their fleets and every depot of
    `target` has at least as many buses as in `source`: the buses of each
    depot drive the routes of the same depot's buses in `source`, and any
    extra bus stays unused. The makespan is the same.
    """
    if source.network_key() != target.network_key() or source.n_depots != target.n_depots:
        return None
    if any(a > b for a, b in zip(source.depot_buses, target.depot_buses)):
        return None
    by_depot: list[list[Route]] = [[] for _ in source.depot_buses]
    for depot, route in zip(source.bus_depots, routes):
        by_depot[depot].append(tuple(route))
    result: list[Route] = []
    for depot, count in enumerate(target.depot_buses):
        mine = by_depot[depot]
        result.extend(mine[i] if i < len(mine) else () for i in range(count))
    return tuple(result)
