"""Solving the Bus Evacuation Problem: a plan of least makespan, with a proof where one is found.

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
2. **Local search** over trips (`_Search`): each trip carries one load from
   a point to a shelter; a bus's route is a list of trips. Greedy insertion,
   then moves that lower the leximax of the buses' times (relocate a trip,
   with a new shelter if that is better; swap trips; swap points; exchange
   route tails), and ruin-and-recreate kicks. Its work is counted, not timed,
   so the same seed gives the same plan (unless the wall clock runs out first).
3. **An exact model** (`_walk_model`) in OR-Tools CP-SAT, for Q = 1 (every
   trip carries one person, as in the random benchmark): for each bus, how
   many times it drives each point–shelter road (either way), how many people
   it picks up at each point and drops at each shelter, where it starts and
   ends. A bus's roads form an open Euler trail from its first point to its
   last shelter; a multi-commodity flow from the depot to every point it
   visits keeps the trail in one piece. Seeded with the local search's plan,
   it proves optimality (lower bound = makespan) or improves the plan.
   For Q > 1 a directed model (`_general_model`) with loaded and empty legs
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

import heapq
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from corridor.planning.bep.instance import BepInstance

__all__ = [
    "BepResult",
    "Trip",
    "lower_bound",
    "plan_makespan",
    "route_time",
    "solve",
    "transfer_plan",
]


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


def work_bound(instance: BepInstance, time_limit: float = 2.0) -> int:
    """The fleet's least total driving, shared evenly over all its buses (rounded up).

    The relaxation forgets which bus drives what: buses leave depots (at
    most as many as each has), every trip from a point to a shelter carries
    1..Q people, every arrival at a point comes from a depot or a shelter,
    every departure from a shelter goes to a point unless a bus ends there.
    Its least total time W is at most the sum of the buses' times, which is
    at most B × makespan. The CP-SAT bound on W is used, so a stop at the
    time limit still gives a valid (if weaker) bound.
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
    solver.parameters.max_time_in_seconds = max(0.05, 2 * time_limit)
    solver.parameters.max_deterministic_time = max(0.05, time_limit)
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    total = int(solver.best_objective_bound + 1e-6)
    return -(-total // instance.buses)


def lower_bound(instance: BepInstance, time_limit: float = 2.0) -> int:
    """A makespan below which no plan for `instance` can finish (`delivery_bound`, `work_bound`)."""
    return max(delivery_bound(instance), work_bound(instance, time_limit))


# -- local search ----------------------------------------------------------------------------------


class _Search:
    """Local search over trips. Trip t carries K[t] people from point P[t] to shelter S[t]."""

    def __init__(self, instance: BepInstance, seed: int, loads: list[tuple[int, int]] | None = None):
        self.instance = instance
        self.rng = random.Random(seed)
        self.td = [list(row) for row in instance.depot_times]
        self.tp = [list(row) for row in instance.shelter_times]
        self.depot_of = list(instance.bus_depots)
        self.n_shelters = instance.n_shelters
        if loads is None:
            loads = []
            for p, d in enumerate(instance.demands):
                while d > 0:
                    k = min(instance.capacity, d)
                    loads.append((p, k))
                    d -= k
        self.P = [p for p, _ in loads]
        self.K = [k for _, k in loads]
        self.n = len(loads)
        self.S = [-1] * self.n
        self.room = list(instance.shelter_capacities)
        self.routes: list[list[int]] = [[] for _ in self.depot_of]
        self.costs = [0] * len(self.depot_of)
        self.work = 0
        self._pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}

    # the shelters by the cost of unloading there between point p and the next point pn (-1: none)
    def _shelters(self, p: int, pn: int) -> list[tuple[int, int]]:
        key = (p, pn)
        found = self._pairs.get(key)
        if found is None:
            tp = self.tp
            caps = self.instance.shelter_capacities
            if pn < 0:
                found = sorted((tp[p][s], s) for s in range(self.n_shelters) if caps[s] > 0)
            else:
                found = sorted((tp[p][s] + tp[pn][s], s) for s in range(self.n_shelters) if caps[s] > 0)
            self._pairs[key] = found
        return found

    def cost(self, route: list[int], depot: int) -> int:
        if not route:
            return 0
        P, S, tp = self.P, self.S, self.tp
        first = route[0]
        total = self.td[depot][P[first]] + tp[P[first]][S[first]]
        previous = S[first]
        for t in route[1:]:
            p = P[t]
            total += tp[p][previous] + tp[p][S[t]]
            previous = S[t]
        self.work += len(route) + 3
        return total

    def best_insert(self, t: int, buses=None) -> tuple[int, int, int, int] | None:
        """(new bus time, bus, position, shelter) of the cheapest place for trip t (not in any route)."""
        P, S, tp, td, room = self.P, self.S, self.tp, self.td, self.room
        p, k = P[t], self.K[t]
        best = None
        for b in (range(len(self.routes)) if buses is None else buses):
            route = self.routes[b]
            y = self.depot_of[b]
            base_cost = self.costs[b]
            length = len(route)
            self.work += length + 4
            for j in range(length + 1):
                if j == 0:
                    enter = td[y][p]
                    if length:
                        pn = P[route[0]]
                        old = td[y][pn]
                    else:
                        pn, old = -1, 0
                else:
                    sp = S[route[j - 1]]
                    enter = tp[p][sp]
                    if j < length:
                        pn = P[route[j]]
                        old = tp[pn][sp]
                    else:
                        pn, old = -1, 0
                base = base_cost - old + enter
                if best is not None and base >= best[0]:
                    continue
                for c, s in self._shelters(p, pn):
                    if room[s] >= k:
                        if best is None or base + c < best[0]:
                            best = (base + c, b, j, s)
                        break
        return best

    def remove(self, t: int, b: int) -> None:
        self.routes[b].remove(t)
        self.room[self.S[t]] += self.K[t]
        self.S[t] = -1
        self.costs[b] = self.cost(self.routes[b], self.depot_of[b])

    def insert(self, t: int, b: int, j: int, s: int) -> None:
        self.routes[b].insert(j, t)
        self.S[t] = s
        self.room[s] -= self.K[t]
        self.costs[b] = self.cost(self.routes[b], self.depot_of[b])

    def construct(self) -> bool:
        """Greedy: the points hardest to reach first, each trip where it ends earliest."""
        depots = {y for y, n in enumerate(self.instance.depot_buses) if n}
        order = sorted(range(self.n), key=lambda t: (-min(self.td[y][self.P[t]] for y in depots), -self.K[t], t))
        for t in order:
            place = self.best_insert(t)
            if place is None:
                return False
            self.insert(t, *place[1:])
        return True

    def load(self, routes: Sequence[Sequence[Trip]]) -> None:
        """Start from a given plan (its trips must be this search's loads, in order)."""
        t = 0
        for b, route in enumerate(routes):
            for trip in route:
                self.routes[b].append(t)
                self.S[t] = trip.shelter
                self.room[trip.shelter] -= trip.people
                t += 1
            self.costs[b] = self.cost(self.routes[b], self.depot_of[b])

    def key(self) -> list[int]:
        return sorted(self.costs, reverse=True)

    # moves: each keeps shelter room and strictly lowers the leximax of the buses it touches

    def descend(self, deadline: float, budget: int) -> None:
        while time.monotonic() < deadline and self.work < budget:
            self.work += 4 * len(self.routes)
            order = sorted(range(len(self.routes)), key=lambda b: (-self.costs[b], b))
            for b in order:
                if not self.routes[b]:
                    continue
                if self._relocate(b) or self._swap(b) or self._tails(b):
                    break
            else:
                return

    def _relocate(self, b: int) -> bool:
        route = self.routes[b]
        cb = self.costs[b]
        for t in list(route):
            j0, s0 = route.index(t), self.S[t]
            self.remove(t, b)
            reduced = self.costs[b]
            best = None
            for b2 in range(len(self.routes)):
                place = self.best_insert(t, (b2,))
                if place is None:
                    continue
                if b2 == b:
                    new, old = [place[0]], [cb]
                else:
                    new = sorted((reduced, place[0]), reverse=True)
                    old = sorted((cb, self.costs[b2]), reverse=True)
                if new < old and (best is None or new < best[0]):
                    best = (new, place)
            if best is not None:
                self.insert(t, *best[1][1:])
                return True
            self.insert(t, b, j0, s0)
        return False

    def _swap(self, b: int) -> bool:
        """Swap two trips between buses, or the points of two trips (each keeps its shelter)."""
        ra, ya, ca = self.routes[b], self.depot_of[b], self.costs[b]
        P, K = self.P, self.K
        for b2 in range(len(self.routes)):
            if b2 == b or not self.routes[b2]:
                continue
            rb, yb = self.routes[b2], self.depot_of[b2]
            old = sorted((ca, self.costs[b2]), reverse=True)
            self.work += 4
            for i in range(len(ra)):
                for j in range(len(rb)):
                    ta, tb = ra[i], rb[j]
                    if P[ta] == P[tb] or K[ta] != K[tb]:
                        continue
                    # whole trips
                    ra[i], rb[j] = tb, ta
                    na, nb = self.cost(ra, ya), self.cost(rb, yb)
                    if sorted((na, nb), reverse=True) < old:
                        self.costs[b], self.costs[b2] = na, nb
                        return True
                    ra[i], rb[j] = ta, tb
                    # points only
                    P[ta], P[tb] = P[tb], P[ta]
                    na, nb = self.cost(ra, ya), self.cost(rb, yb)
                    if sorted((na, nb), reverse=True) < old:
                        self.costs[b], self.costs[b2] = na, nb
                        return True
                    P[ta], P[tb] = P[tb], P[ta]
        return False

    def _tails(self, b: int) -> bool:
        """Exchange the ends of two buses' routes."""
        ra, ya, ca = self.routes[b], self.depot_of[b], self.costs[b]
        for b2 in range(len(self.routes)):
            if b2 == b:
                continue
            rb, yb = self.routes[b2], self.depot_of[b2]
            old = sorted((ca, self.costs[b2]), reverse=True)
            self.work += 4
            for i in range(len(ra) + 1):
                for j in range(len(rb) + 1):
                    if i == len(ra) and j == len(rb):
                        continue
                    na, nb = ra[:i] + rb[j:], rb[:j] + ra[i:]
                    ca2, cb2 = self.cost(na, ya), self.cost(nb, yb)
                    if sorted((ca2, cb2), reverse=True) < old:
                        self.routes[b], self.routes[b2] = na, nb
                        self.costs[b], self.costs[b2] = ca2, cb2
                        return True
        return False

    def snapshot(self):
        self.work += 2 * (self.n + len(self.routes))
        return [list(r) for r in self.routes], list(self.S), list(self.P), list(self.room), list(self.costs)

    def restore(self, snap) -> None:
        routes, S, P, room, costs = snap
        self.routes = [list(r) for r in routes]
        self.S, self.P, self.room, self.costs = list(S), list(P), list(room), list(costs)

    def kick(self, count: int) -> bool:
        """Ruin and recreate: take out `count` trips (half of them from the latest bus), put each back where best."""
        rng = self.rng
        critical = max(range(len(self.routes)), key=lambda b: (self.costs[b], -b))
        everything = [t for r in self.routes for t in r]
        count = min(count, len(everything))
        chosen: list[int] = []
        mine = list(self.routes[critical])
        rng.shuffle(mine)
        chosen.extend(mine[: max(1, count // 2)])
        taken = set(chosen)
        while len(chosen) < count:
            t = everything[rng.randrange(len(everything))]
            if t not in taken:
                taken.add(t)
                chosen.append(t)
        owner = {t: b for b, r in enumerate(self.routes) for t in r}
        for t in chosen:
            self.remove(t, owner[t])
        rng.shuffle(chosen)
        for t in chosen:
            place = self.best_insert(t)
            if place is None:  # loads of different sizes may no longer fit: give up this kick
                return False
            self.insert(t, *place[1:])
        return True

    def run(self, deadline: float, budget: int, target: int = 0) -> None:
        """Descend, then kick and descend until the work budget or the deadline is spent; keep the best.

        Stops early at a makespan of `target` (a lower bound: nothing better exists).
        """
        self.descend(deadline, budget)
        best, best_key = self.snapshot(), self.key()
        current = best_key
        iteration = 0
        while time.monotonic() < deadline and self.work < budget and best_key[0] > target:
            iteration += 1
            saved = self.snapshot()
            most = max(2, min(self.n // 3, 3 + iteration % 12))
            if not self.kick(self.rng.randint(2, most)):
                self.restore(saved)
                continue
            self.descend(deadline, budget)
            key = self.key()
            if key < best_key:
                best, best_key = self.snapshot(), key
            if key <= current or self.rng.random() < 0.05:
                current = key
            else:
                self.restore(saved)
        self.restore(best)

    def plan(self) -> tuple[Route, ...]:
        return tuple(tuple(Trip(self.P[t], self.S[t], self.K[t]) for t in route) for route in self.routes)


# -- exact models ----------------------------------------------------------------------------------


def _reachable(instance: BepInstance) -> tuple[list[int], list[int]]:
    return ([p for p in range(instance.n_points) if instance.demands[p] > 0],
            [s for s in range(instance.n_shelters) if instance.shelter_capacities[s] > 0])


def _drives(most: int, upper: int, minutes: int) -> int:
    """How often one bus can drive a road of `minutes` within `upper`, at most `most` (a road of 0 minutes: `most`).

    A road of 0 minutes costs no time, so the makespan does not limit it (capping it at
    `upper // 1` once forbade such roads when `upper` was 0, and "proved" a worse plan optimal)."""
    return most if minutes == 0 else min(most, upper // minutes)


def _walk_model(instance: BepInstance, upper: int, lower: int, hint: Sequence[Sequence[Trip]] | None):
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


def _general_model(instance: BepInstance, upper: int, lower: int, hint: Sequence[Sequence[Trip]] | None):
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


def solve(instance: BepInstance, time_limit: float = 10.0, seed: int = 0,
          start: Sequence[Sequence[Trip]] | None = None) -> BepResult:
    """The best plan found for `instance` within about `time_limit` seconds.

    `start`, a valid plan for this instance (for instance a smaller fleet's
    plan through `transfer_plan`), is never beaten by the result. The same
    `seed` gives the same result, unless the wall clock ran out before the
    counted work did (a heavily loaded machine).
    """
    began = time.monotonic()
    deadline = began + time_limit
    budget_of = lambda seconds: int(max(0.0, seconds) * WORK_PER_SECOND)  # noqa: E731

    if instance.total_demand == 0:
        return BepResult(instance.name, 0, 0, True, tuple(() for _ in instance.bus_depots),
                         time.monotonic() - began, seed, "nothing to do", tuple(0 for _ in instance.bus_depots))

    bound = delivery_bound(instance)
    bound = max(bound, work_bound(instance, BOUND_SHARE * time_limit))

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

    search = _Search(instance, seed)
    built = search.construct()
    if not built:
        # loads of Q people may not fit the shelters' room: loads of a unit that divides everything do
        unit = math.gcd(instance.capacity, *instance.demands, *instance.shelter_capacities)
        search = _Search(instance, seed, [(p, unit) for p, d in enumerate(instance.demands) for _ in range(d // unit)])
        built = search.construct()
    if start is not None:
        given = _Search(instance, seed, [(trip.point, trip.people) for route in start for trip in route])
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
        build = _walk_model if instance.capacity == 1 else _general_model
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
            elif best_time is not None:
                # the model holds every plan that beats the one in hand: none finishes before its bound
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
