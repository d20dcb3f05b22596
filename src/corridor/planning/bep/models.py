"""Exact CP-SAT models of the BEP (step 3 of `solve.py`): `walk_model` for Q = 1, `general_model` for any Q.

Each returns (model, decode, makespan variable); `decode(solver)` gives the routes."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import Route, Trip, plan_makespan


# -- exact models ----------------------------------------------------------------------------------


def _reachable(instance: BepInstance) -> tuple[list[int], list[int]]:
    return ([p for p in range(instance.n_points) if instance.demands[p] > 0],
            [s for s in range(instance.n_shelters) if instance.shelter_capacities[s] > 0])


def _drives(most: int, upper: int, minutes: int) -> int:
    """How often one bus can drive a road of `minutes` within `upper`, at most `most` (a road of 0 minutes: `most`).

    A road of 0 minutes costs no time, so the makespan does not limit it (capping it at
    `upper // 1` once forbade such roads when `upper` was 0, and "proved" a worse plan optimal)."""
    return most if minutes == 0 else min(most, upper // minutes)


def walk_model(instance: BepInstance, upper: int, lower: int, hint: Sequence[Sequence[Trip]] | None):
    """CP-SAT model for Q = 1 (see the module's doc). Returns (model, decode, makespan variable)."""
    m = cp_model.CpModel()
    pts, shs = _reachable(instance)
    d, c = instance.demands, instance.shelter_capacities
    tp, td = instance.shelter_times, instance.depot_times
    makespan = m.new_int_var(lower, upper, "makespan")
    buses = instance.bus_depots
    x, v, w, a, e = {}, {}, {}, {}, {}
    pieces = []
    for b, y in enumerate(buses):
        for p in pts:
            a[b, p] = m.new_bool_var("")
            v[b, p] = m.new_int_var(0, d[p], "")
            for s in shs:
                x[b, p, s] = m.new_int_var(0, _drives(2 * min(d[p], c[s]), upper, tp[p][s]), "")
        for s in shs:
            e[b, s] = m.new_bool_var("")
            w[b, s] = m.new_int_var(0, c[s], "")
        used = sum(a[b, p] for p in pts)
        m.add(used <= 1)
        m.add(sum(e[b, s] for s in shs) == used)
        m.add(sum(v[b, p] for p in pts) == sum(w[b, s] for s in shs))
        for p in pts:
            m.add(sum(x[b, p, s] for s in shs) == 2 * v[b, p] - a[b, p])
        for s in shs:
            m.add(sum(x[b, p, s] for p in pts) == 2 * w[b, s] - e[b, s])
        m.add(sum(td[y][p] * a[b, p] for p in pts)
              + sum(tp[p][s] * x[b, p, s] for p in pts for s in shs) <= makespan)
        # one piece: for each visited point q, one unit of flow from the depot to q over the bus's roads
        visits = {p: m.new_bool_var("") for p in pts}
        for p in pts:
            m.add(v[b, p] <= d[p] * visits[p])
            m.add(visits[p] <= v[b, p])
        pieces.append(_connect(m, pts, shs, {p: a[b, p] for p in pts}, visits,
                               {(p, s): x[b, p, s] for p in pts for s in shs},
                               {(s, p): x[b, p, s] for p in pts for s in shs}))
    for p in pts:
        m.add(sum(v[b, p] for b in range(len(buses))) == d[p])
    for s in shs:
        m.add(sum(w[b, s] for b in range(len(buses))) <= c[s])
    m.minimize(makespan)

    if hint is not None:
        m.add_hint(makespan, max(lower, plan_makespan(instance, hint)))
        for b, route in enumerate(hint):
            counts: dict = {}
            for i, trip in enumerate(route):
                counts[trip.point, trip.shelter] = counts.get((trip.point, trip.shelter), 0) + 1
                if i:
                    key = (trip.point, route[i - 1].shelter)
                    counts[key] = counts.get(key, 0) + 1
            for p in pts:
                m.add_hint(a[b, p], bool(route) and route[0].point == p)
                m.add_hint(v[b, p], sum(1 for trip in route if trip.point == p))
                for s in shs:
                    m.add_hint(x[b, p, s], counts.get((p, s), 0))
            for s in shs:
                m.add_hint(e[b, s], bool(route) and route[-1].shelter == s)
                m.add_hint(w[b, s], sum(1 for trip in route if trip.shelter == s))
            _hint_connect(m, pieces[b], route, directed=False)

    def decode(solver) -> tuple[Route, ...]:
        routes = []
        for b in range(len(buses)):
            first = [p for p in pts if solver.value(a[b, p])]
            if not first:
                routes.append(())
                continue
            edges = {(p, s): solver.value(x[b, p, s]) for p in pts for s in shs if solver.value(x[b, p, s])}
            walk = _euler_trail(first[0], edges)
            routes.append(tuple(Trip(walk[i], walk[i + 1], 1) for i in range(0, len(walk), 2)))
        return tuple(routes)

    return m, decode, makespan


def _connect(m, pts, shs, first, visits, forward, backward) -> dict:
    """Keep one bus's roads in one piece: a unit of flow from the depot to each point it visits.

    `first[p]`: the bus starts at p; `forward[p, s]` / `backward[s, p]`: how
    often it drives p → s / s → p (the same variable both ways in the
    undirected model). Flow may only use roads the bus drives.
    """
    commodities = {}
    for q in pts:
        start = {p: m.new_bool_var("") for p in pts}
        out = {(p, s): m.new_bool_var("") for p in pts for s in shs}
        back = {(s, p): m.new_bool_var("") for p in pts for s in shs}
        for p in pts:
            m.add(start[p] <= first[p])
            for s in shs:
                m.add(out[p, s] <= forward[p, s])
                m.add(back[s, p] <= backward[s, p])
            m.add(start[p] + sum(back[s, p] for s in shs) - sum(out[p, s] for s in shs)
                  == (visits[q] if p == q else 0))
        for s in shs:
            m.add(sum(out[p, s] for p in pts) == sum(back[s, p] for p in pts))
        commodities[q] = (start, out, back)
    return {"visits": visits, "commodities": commodities}


def _hint_connect(m, piece: dict, route: Sequence[Trip], directed: bool) -> None:
    """Hint the connectivity flows of one bus driving `route`: shortest paths over its roads."""
    visited = {trip.point for trip in route}
    for p, var in piece["visits"].items():
        m.add_hint(var, p in visited)
    # the roads: (kind, index) nodes, kind 0 = point, 1 = shelter
    neighbours: dict[tuple[int, int], set[tuple[int, int]]] = {}
    for i, trip in enumerate(route):
        legs = [((0, trip.point), (1, trip.shelter))]
        if i:
            legs.append(((1, route[i - 1].shelter), (0, trip.point)))
        for u, v in legs:
            neighbours.setdefault(u, set()).add(v)
            if not directed:
                neighbours.setdefault(v, set()).add(u)
    parent: dict[tuple[int, int], tuple[int, int] | None] = {}
    if route:
        origin = (0, route[0].point)
        parent[origin] = None
        queue = [origin]
        for node in queue:
            for other in sorted(neighbours.get(node, ())):
                if other not in parent:
                    parent[other] = node
                    queue.append(other)
    for q, (start, out, back) in piece["commodities"].items():
        used_out, used_back = set(), set()
        if q in visited and (0, q) in parent:
            node = (0, q)
            while parent[node] is not None:
                before = parent[node]
                if before[0] == 0:
                    used_out.add((before[1], node[1]))
                else:
                    used_back.add((before[1], node[1]))
                node = before
        for p, var in start.items():
            m.add_hint(var, q in visited and bool(route) and route[0].point == p)
        for key, var in out.items():
            m.add_hint(var, key in used_out)
        for key, var in back.items():
            m.add_hint(var, key in used_back)


def _euler_trail(start: int, edges: dict[tuple[int, int], int]) -> list[int]:
    """An open Euler trail p, s, p, s, … in the bipartite multigraph `edges` (point, shelter) → count.

    Nodes are tagged: points as (0, p), shelters as (1, s); returns the plain
    indices in walk order. Hierholzer's algorithm.
    """
    adjacency: dict[tuple[int, int], dict[tuple[int, int], int]] = {}
    for (p, s), n in edges.items():
        adjacency.setdefault((0, p), {})[(1, s)] = n
        adjacency.setdefault((1, s), {})[(0, p)] = n
    stack, trail = [(0, start)], []
    while stack:
        node = stack[-1]
        neighbours = adjacency.get(node, {})
        nxt = next((other for other in sorted(neighbours) if neighbours[other] > 0), None)
        if nxt is None:
            trail.append(node)
            stack.pop()
        else:
            neighbours[nxt] -= 1
            adjacency[nxt][node] -= 1
            stack.append(nxt)
    trail.reverse()
    return [index for _, index in trail]


def general_model(instance: BepInstance, upper: int, lower: int, hint: Sequence[Sequence[Trip]] | None):
    """CP-SAT model for any Q: loaded legs p → s and empty legs s → p per bus, people per road in total."""
    m = cp_model.CpModel()
    pts, shs = _reachable(instance)
    d, c, Q = instance.demands, instance.shelter_capacities, instance.capacity
    tp, td = instance.shelter_times, instance.depot_times
    makespan = m.new_int_var(lower, upper, "makespan")
    buses = instance.bus_depots
    B = len(buses)
    f, g, a, e = {}, {}, {}, {}
    pieces = []
    trips_from = {p: sum(min(d[p], c[s]) for s in shs) for p in pts}
    for b, y in enumerate(buses):
        for p in pts:
            a[b, p] = m.new_bool_var("")
            for s in shs:
                f[b, p, s] = m.new_int_var(0, _drives(min(d[p], c[s]), upper, tp[p][s]), "")
                g[b, s, p] = m.new_int_var(0, _drives(trips_from[p], upper, tp[p][s]), "")
        for s in shs:
            e[b, s] = m.new_bool_var("")
        used = sum(a[b, p] for p in pts)
        m.add(used <= 1)
        m.add(sum(e[b, s] for s in shs) == used)
        for p in pts:
            m.add(a[b, p] + sum(g[b, s, p] for s in shs) == sum(f[b, p, s] for s in shs))
        for s in shs:
            m.add(sum(f[b, p, s] for p in pts) == sum(g[b, s, p] for p in pts) + e[b, s])
        m.add(sum(td[y][p] * a[b, p] for p in pts)
              + sum(tp[p][s] * (f[b, p, s] + g[b, s, p]) for p in pts for s in shs) <= makespan)
        visits = {p: m.new_bool_var("") for p in pts}
        for p in pts:
            m.add(sum(f[b, p, s] for s in shs) <= trips_from[p] * visits[p])
            m.add(visits[p] <= sum(f[b, p, s] for s in shs))
        pieces.append(_connect(m, pts, shs, {p: a[b, p] for p in pts}, visits,
                               {(p, s): f[b, p, s] for p in pts for s in shs},
                               {(s, p): g[b, s, p] for p in pts for s in shs}))
    people = {}
    for p in pts:
        for s in shs:
            people[p, s] = m.new_int_var(0, min(d[p], c[s]), "")
            trips = sum(f[b, p, s] for b in range(B))
            m.add(trips <= people[p, s])
            m.add(people[p, s] <= Q * trips)
        m.add(sum(people[p, s] for s in shs) == d[p])
    for s in shs:
        m.add(sum(people[p, s] for p in pts) <= c[s])
    m.minimize(makespan)

    if hint is not None:
        m.add_hint(makespan, max(lower, plan_makespan(instance, hint)))
        for b, route in enumerate(hint):
            loaded: dict = {}
            empty: dict = {}
            for i, trip in enumerate(route):
                loaded[trip.point, trip.shelter] = loaded.get((trip.point, trip.shelter), 0) + 1
                if i:
                    key = (route[i - 1].shelter, trip.point)
                    empty[key] = empty.get(key, 0) + 1
            for p in pts:
                m.add_hint(a[b, p], bool(route) and route[0].point == p)
                for s in shs:
                    m.add_hint(f[b, p, s], loaded.get((p, s), 0))
                    m.add_hint(g[b, s, p], empty.get((s, p), 0))
            for s in shs:
                m.add_hint(e[b, s], bool(route) and route[-1].shelter == s)
            _hint_connect(m, pieces[b], route, directed=True)

    def decode(solver) -> tuple[Route, ...]:
        legs = []
        for b in range(B):
            first = [p for p in pts if solver.value(a[b, p])]
            if not first:
                legs.append([])
                continue
            out = {p: [] for p in pts}
            back = {s: [] for s in shs}
            for p in pts:
                for s in shs:
                    out[p].extend([s] * solver.value(f[b, p, s]))
                    back[s].extend([p] * solver.value(g[b, s, p]))
            legs.append(_directed_trail(first[0], out, back))
        # share each road's people over its trips: at least one each, at most Q
        left = {(p, s): solver.value(people[p, s]) for p in pts for s in shs}
        count = {}
        for walk in legs:
            for p, s in walk:
                count[p, s] = count.get((p, s), 0) + 1
        routes = []
        for walk in legs:
            route = []
            for p, s in walk:
                n = count[p, s]
                k = min(Q, left[p, s] - (n - 1))
                left[p, s] -= k
                count[p, s] = n - 1
                route.append(Trip(p, s, k))
            routes.append(tuple(route))
        return tuple(routes)

    return m, decode, makespan


def _directed_trail(start: int, out: dict[int, list[int]], back: dict[int, list[int]]) -> list[tuple[int, int]]:
    """The trips (point, shelter) of a directed Euler trail from point `start` (Hierholzer)."""
    out = {p: sorted(v, reverse=True) for p, v in out.items()}
    back = {s: sorted(v, reverse=True) for s, v in back.items()}
    stack, trail = [(0, start)], []
    while stack:
        kind, node = stack[-1]
        pending = out[node] if kind == 0 else back[node]
        if pending:
            stack.append((1 - kind, pending.pop()))
        else:
            trail.append((kind, node))
            stack.pop()
    trail.reverse()
    nodes = [index for _, index in trail]
    return [(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
