"""Shortest travel times and routes over a road network of undirected legs.

A leg is `(a, b, minutes)`: a road between sites `a` and `b`, usable both
ways. Where several legs join the same two sites the quickest one counts.
Dijkstra's algorithm, pure Python with `heapq`; ties between equally quick
routes are broken deterministically (the route found first, in leg order).
"""

from __future__ import annotations

from collections.abc import Iterable
from heapq import heappop, heappush

Leg = tuple[str, str, int]
Pair = tuple[str, str]
Path = tuple[str, ...]


def adjacency(legs: Iterable[Leg]) -> dict[str, dict[str, int]]:
    """The network as site -> {neighbour: minutes}, keeping the quickest of parallel legs."""
    graph: dict[str, dict[str, int]] = {}
    for a, b, minutes in legs:
        if minutes < 0:
            raise ValueError(f"leg {a}-{b}: minutes must be >= 0, got {minutes}")
        for x, y in ((a, b), (b, a)):
            around = graph.setdefault(x, {})
            if y not in around or minutes < around[y]:
                around[y] = minutes
    return graph


def dijkstra(graph: dict[str, dict[str, int]], source: str) -> tuple[dict[str, int], dict[str, str]]:
    """Minutes from `source` to every reachable site, and each site's predecessor on its route."""
    minutes: dict[str, int] = {source: 0}
    previous: dict[str, str] = {}
    done: set[str] = set()
    heap: list[tuple[int, str]] = [(0, source)]
    while heap:
        here_minutes, here = heappop(heap)
        if here in done:
            continue
        done.add(here)
        for there, leg_minutes in graph.get(here, {}).items():
            candidate = here_minutes + leg_minutes
            if there not in minutes or candidate < minutes[there]:
                minutes[there] = candidate
                previous[there] = here
                heappush(heap, (candidate, there))
    return minutes, previous


def _route(previous: dict[str, str], source: str, target: str) -> Path:
    """The sites from `source` to `target`, both included, following predecessors back."""
    path = [target]
    while path[-1] != source:
        path.append(previous[path[-1]])
    path.reverse()
    return tuple(path)


def shortest_paths(
    legs: Iterable[Leg], sources: Iterable[str], targets: Iterable[str] | None = None
) -> dict[Pair, tuple[int, Path]]:
    """(source, target) -> (minutes, route) for every target reachable from each source.

    `targets` limits the answer to those sites (default: every site of the
    network). A source reaches itself in 0 minutes by the route `(source,)`.
    Unreachable pairs are absent.
    """
    graph = adjacency(legs)
    wanted = None if targets is None else set(targets)
    found: dict[Pair, tuple[int, Path]] = {}
    for source in dict.fromkeys(sources):
        minutes, previous = dijkstra(graph, source)
        for target, total in minutes.items():
            if wanted is None or target in wanted:
                found[(source, target)] = (total, _route(previous, source, target))
    return found


def travel_matrix(legs: Iterable[Leg], sites: Iterable[str]) -> tuple[dict[Pair, int], dict[Pair, Path]]:
    """Minutes and routes between every two distinct `sites` joined by the network.

    Both directions are given. Pairs with no route between them are absent,
    as are pairs of a site with itself. The minutes suit `Problem.travel`.
    """
    wanted = list(dict.fromkeys(sites))
    found = shortest_paths(legs, wanted, wanted)
    minutes = {pair: total for pair, (total, _) in found.items() if pair[0] != pair[1]}
    routes = {pair: route for pair, (_, route) in found.items() if pair[0] != pair[1]}
    return minutes, routes


def checkpoints_along(
    legs: Iterable[Leg], routes: dict[Pair, Path], checkpoints: Iterable[str]
) -> dict[Pair, tuple[tuple[str, int], ...]]:
    """For each route, the checkpoints it passes, in order, with the minutes from its start to each.

    `routes` as `travel_matrix` gives them; `checkpoints` the sites that are
    checkpoints. A route's own start is not passed (the vehicle is already
    there); every later site on it that is a checkpoint is, the end included.
    Routes passing no checkpoint are absent. The answer suits `Problem.checkpoints_on`.
    """
    graph = adjacency(legs)
    wanted = set(checkpoints)
    found: dict[Pair, tuple[tuple[str, int], ...]] = {}
    for pair, path in routes.items():
        minutes = 0
        passed = []
        for here, there in zip(path, path[1:]):
            minutes += graph[here][there]
            if there in wanted:
                passed.append((there, minutes))
        if passed:
            found[pair] = tuple(passed)
    return found


def corridor(
    legs: Iterable[Leg], sites: Iterable[str], checkpoints: Iterable[str]
) -> tuple[dict[Pair, int], dict[Pair, Path], dict[Pair, tuple[tuple[str, int], ...]]]:
    """`travel_matrix` and `checkpoints_along` in one go: (minutes, routes, checkpoints on each route)."""
    legs = list(legs)
    minutes, routes = travel_matrix(legs, sites)
    return minutes, routes, checkpoints_along(legs, routes, checkpoints)
