"""Local search over a BEP plan's trips (step 2 of `solve.py`): counted work, so the same seed gives the same plan."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import Route, Trip


# -- local search ----------------------------------------------------------------------------------


class LocalSearch:
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
