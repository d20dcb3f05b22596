"""Lower bounds on the makespan of every BEP plan: the slowest necessary delivery, the fleet's least work.

See step 1 of `solve.py`."""

from __future__ import annotations

import heapq

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from corridor.planning.bep.instance import BepInstance


# -- lower bounds ----------------------------------------------------------------------------------


def _earliest_at_points(instance: BepInstance) -> list[float]:
    """The earliest moment any bus can be at each collection point (driving any legs at all)."""
    inf = float("inf")
    P, S = instance.n_points, instance.n_shelters
    usable_p = [d > 0 for d in instance.demands]
    usable_s = [c > 0 for c in instance.shelter_capacities]
    dist = [inf] * (P + S)
    for y, count in enumerate(instance.depot_buses):
        if count:
            for p in range(P):
                if usable_p[p]:
                    dist[p] = min(dist[p], instance.depot_times[y][p])
    heap = [(d, n) for n, d in enumerate(dist) if d < inf]
    heapq.heapify(heap)
    tp = instance.shelter_times
    while heap:
        d, n = heapq.heappop(heap)
        if d > dist[n]:
            continue
        if n < P:
            neighbours = ((P + s, tp[n][s]) for s in range(S) if usable_s[s])
        else:
            s = n - P
            neighbours = ((p, tp[p][s]) for p in range(P) if usable_p[p])
        for m, w in neighbours:
            if d + w < dist[m]:
                dist[m] = d + w
                heapq.heappush(heap, (d + w, m))
    return dist[:P]


def _transport_feasible(instance: BepInstance, allowed) -> bool:
    """Can every person reach a shelter with room using only the (p, s) pairs `allowed`? (max flow)"""
    P, S = instance.n_points, instance.n_shelters
    flow = max_flow.SimpleMaxFlow()
    source, sink = P + S, P + S + 1
    total = 0
    for p, d in enumerate(instance.demands):
        if d:
            flow.add_arc_with_capacity(source, p, d)
            total += d
    for s, c in enumerate(instance.shelter_capacities):
        if c:
            flow.add_arc_with_capacity(P + s, sink, c)
    for p in range(P):
        for s in range(S):
            if instance.demands[p] and instance.shelter_capacities[s] and allowed(p, s):
                flow.add_arc_with_capacity(p, P + s, instance.demands[p])
    if total == 0:
        return True
    return flow.solve(source, sink) == flow.OPTIMAL and flow.optimal_flow() == total


def delivery_bound(instance: BepInstance) -> int:
    """No plan finishes before its slowest necessary delivery.

    A person at point p reaches shelter s at the earliest when a bus can be
    at p (`_earliest_at_points`) plus the drive p → s. The least T such
    that every person can be sent to a shelter with room, each by T, bounds
    the makespan from below.
    """
    if instance.total_demand == 0:
        return 0
    earliest = _earliest_at_points(instance)
    tp = instance.shelter_times
    candidates = sorted({
        earliest[p] + tp[p][s]
        for p in range(instance.n_points) if instance.demands[p] and earliest[p] < float("inf")
        for s in range(instance.n_shelters) if instance.shelter_capacities[s]
    })
    if not candidates:
        return 0
    lo, hi = 0, len(candidates) - 1
    if not _transport_feasible(instance, lambda p, s: True):
        return int(candidates[-1])
    while lo < hi:
        mid = (lo + hi) // 2
        limit = candidates[mid]
        if _transport_feasible(instance, lambda p, s, limit=limit: earliest[p] + tp[p][s] <= limit):
            hi = mid
        else:
            lo = mid + 1
    return int(candidates[lo])


def work_bound(instance: BepInstance, time_limit: float = 2.0, clock_limit: float | None = None) -> int:
    """The fleet's least total driving, shared evenly over all its buses (rounded up).

    The relaxation forgets which bus drives what: buses leave depots (at
    most as many as each has), every trip from a point to a shelter carries
    1..Q people, every arrival at a point comes from a depot or a shelter,
    every departure from a shelter goes to a point unless a bus ends there.
    Its least total time W is at most the sum of the buses' times, which is
    at most B × makespan. The CP-SAT bound on W is used, so a stop at the
    time limit still gives a valid (if weaker) bound. `time_limit` is
    CP-SAT's deterministic time; the wall clock stops it at `clock_limit`
    seconds (twice `time_limit` when not given).
    """
    if instance.total_demand == 0 or instance.buses == 0:
        return 0
    Q = instance.capacity
    pts = [p for p in range(instance.n_points) if instance.demands[p]]
    shs = [s for s in range(instance.n_shelters) if instance.shelter_capacities[s]]
    m = cp_model.CpModel()
    a = {(y, p): m.new_int_var(0, n, "") for y, n in enumerate(instance.depot_buses) if n for p in pts}
    f, g, x = {}, {}, {}
    for p in pts:
        for s in shs:
            most = min(instance.demands[p], instance.shelter_capacities[s])
            f[p, s] = m.new_int_var(0, most, "")
            x[p, s] = m.new_int_var(0, most, "")
            g[s, p] = m.new_int_var(0, instance.demands[p], "")
            m.add(f[p, s] <= x[p, s])
            m.add(x[p, s] <= Q * f[p, s])
    e = {s: m.new_int_var(0, instance.buses, "") for s in shs}
    for y, n in enumerate(instance.depot_buses):
        if n:
            m.add(sum(a[y, p] for p in pts) <= n)
    for p in pts:
        m.add(sum(x[p, s] for s in shs) == instance.demands[p])
        m.add(sum(a[y, p] for y, n in enumerate(instance.depot_buses) if n) + sum(g[s, p] for s in shs)
              == sum(f[p, s] for s in shs))
    for s in shs:
        m.add(sum(x[p, s] for p in pts) <= instance.shelter_capacities[s])
        m.add(sum(f[p, s] for p in pts) == sum(g[s, p] for p in pts) + e[s])
    m.add(sum(e.values()) == sum(a.values()))
    tp, td = instance.shelter_times, instance.depot_times
    m.minimize(sum(td[y][p] * v for (y, p), v in a.items())
               + sum(tp[p][s] * (f[p, s] + g[s, p]) for p in pts for s in shs))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.05, 2 * time_limit if clock_limit is None else clock_limit)
    solver.parameters.max_deterministic_time = max(0.05, time_limit)
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    total = int(solver.best_objective_bound + 1e-6)
    return -(-total // instance.buses)


def lower_bound(instance: BepInstance, time_limit: float = 2.0) -> int:
    """A makespan below which no plan for `instance` can finish (`delivery_bound`, `work_bound`)."""
    return max(delivery_bound(instance), work_bound(instance, time_limit))
