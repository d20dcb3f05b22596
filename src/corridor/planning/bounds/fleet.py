"""The fleet's work: trip prices, the demand in price units, one vehicle's best collection (`Fleet`).

See the ``fleet`` bound in the package's docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import heappop, heappush

from corridor.planning.bounds.reach import Lots, Moves, centres_for, lots_to_carry
from corridor.planning.problem import Group, Problem


def trip_prices(problem: Problem) -> dict[tuple[str, str], int]:
    """lam[g, r]: the vehicle minutes a trip g -> r takes in a cycle (boarding, drive, unloading, way back).

    The way back is split by potentials: rho[r] + gamma[g] <= travel(r, g) for
    every r, g, so that the empty drives of any sequence of trips add up to at
    least the sum of rho of its centres and gamma of its gathering points.
    """
    m = problem.minutes
    gps, centres = problem.gathering_points, list(problem.centres)
    rho = {}
    for r in centres:
        back = [m(r, g) for g in gps if m(r, g) is not None]
        rho[r] = min(back) if back else 0
    gamma = {}
    for g in gps:
        into = [m(r, g) - rho[r] for r in centres if m(r, g) is not None]
        gamma[g] = max(0, min(into)) if into else 0
    prices = {}
    for g in gps:
        for r in centres:
            leg = m(g, r)
            if leg is not None:
                prices[(g, r)] = max(1, problem.boarding_minutes + leg + problem.unloading_minutes + rho[r] + gamma[g])
    return prices


@dataclass
class Demand:
    prizes: dict[tuple[str, str], int]  # lam for the trips worth making
    seated: int  # sum of lam * seated persons
    stretcher: int  # sum of lam * stretcher persons


def demand_of(problem: Problem, groups: list[Group] | Lots, prices: dict[tuple[str, str], int]) -> Demand:
    lots = groups if isinstance(groups, dict) else lots_to_carry(problem, groups)
    prizes: dict[tuple[str, str], int] = {}
    seated = stretcher = 0
    for (origin, destination), (n_seated, n_stretcher) in lots.items():
        allowed = centres_for(problem, origin, destination)
        options = [(prices[(origin, c)], c) for c in allowed if (origin, c) in prices]
        if not options:
            continue
        price = min(options)[0]
        for _, c in options:
            prizes[(origin, c)] = prices[(origin, c)]
        seated += price * n_seated
        stretcher += price * n_stretcher
    return Demand(prizes, seated, stretcher)


class Fleet:
    """H_v(T) for every vehicle at once: a backward dynamic programme over the centres."""

    def __init__(self, problem: Problem, moves: Moves, demand: Demand):
        # values at or above `cap` need no more precision: one vehicle with any room collects enough
        self.cap = max(demand.seated, demand.stretcher, 1)
        self.problem = problem
        self.moves = moves
        self.prizes = demand.prizes
        self.centres = [r for r in problem.centres if any(c == r for _, c in demand.prizes)]
        self.trips_into = {r: [(g, prize) for (g, c), prize in demand.prizes.items() if c == r] for r in self.centres}
        # each vehicle's first trips: (prize, centre, arrival) for every worthwhile trip
        self.starts = []
        self.near = 0  # a deadline near the bound (set by the search)
        cache: dict[tuple[str, int], list[tuple[int, str, int]]] = {}
        for vehicle in problem.vehicles:
            key = (vehicle.site, vehicle.available_at)
            if key not in cache:
                firsts = []
                for (g, r), prize in demand.prizes.items():
                    arrive = moves.trip(vehicle.site, vehicle.available_at, g, r)
                    if arrive is not None:
                        firsts.append((prize, r, arrive))
                cache[key] = firsts
            self.starts.append(cache[key])
        # no vehicle is free at a centre before its first trip there: earlier labels are of no use
        self.first_free = {r: None for r in self.centres}
        for firsts in cache.values():
            for _, r, arrive in firsts:
                free = arrive + problem.unloading_minutes
                if self.first_free[r] is None or free < self.first_free[r]:
                    self.first_free[r] = free

    def values(self, deadline: int) -> list[int]:
        """H_v(deadline) of every vehicle: the most prize it alone can collect in trips arriving by then."""
        p = self.problem
        unload = p.unloading_minutes
        moves = self.moves
        fronts: dict[str, tuple[list[int], list[int]]] = {r: ([], []) for r in self.centres}  # free-by, value
        best = {r: -1 for r in self.centres}
        heap = [(-(deadline + unload), r, 0) for r in self.centres]
        latest = moves.latest_start
        never = deadline + unload + 1
        first = {r: never if f is None else f for r, f in self.first_free.items()}
        while heap:
            negative, r, value = heappop(heap)
            if value <= best[r]:
                continue
            best[r] = value
            free_by = -negative
            times, values = fronts[r]
            times.append(free_by)
            values.append(value)
            arrive_by = free_by - unload
            if value >= self.cap:
                continue
            for p_site in self.centres:
                for g, prize in self.trips_into[r]:
                    gained = min(value + prize, self.cap)
                    if gained <= best[p_site]:
                        continue
                    start = latest(p_site, g, r, arrive_by)
                    if start is not None and start >= first[p_site]:
                        heappush(heap, (-start, p_site, gained))
        out = []
        for firsts in self.starts:
            top = 0
            for prize, r, arrive in firsts:
                if arrive > deadline:
                    continue
                times, values = fronts[r]
                # the label with the smallest free-by >= arrive + unload has the largest value
                free = arrive + unload
                lo, hi = 0, len(times)  # times descend
                while lo < hi:
                    mid = (lo + hi) // 2
                    if times[mid] >= free:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo:
                    top = max(top, prize + values[lo - 1])
            out.append(top)
        return out
