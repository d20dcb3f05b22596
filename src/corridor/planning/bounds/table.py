"""The ``fleet`` bound: every vehicle's best collection by T at once (`Table`), and the search for T."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from corridor.planning.bounds.fleet import Demand, Fleet, demand_of, trip_prices
from corridor.planning.bounds.reach import Lots, Moves, lots_to_carry
from corridor.planning.problem import Group, Problem
from corridor.planning.rules import Openings


NEG = -(1 << 60)


def _next_map(openings: Openings, lo: int, hi: int, big: int) -> list[int]:
    """[openings.next(x), or `big` where there is none or it is beyond, for x in range(lo, hi)], built by runs."""
    if openings.always:
        return list(range(lo, hi))
    out: list[int] = []
    x = lo
    starts, ends = openings.starts, openings.ends
    i = bisect_right(ends, x)
    while x < hi:
        if i == len(ends):
            out.extend([big] * (hi - x))
            break
        a, b = starts[i], ends[i]
        if x < a:
            n = min(a, hi) - x
            out.extend([min(a, big)] * n)
        else:
            n = min(b, hi) - x
            out.extend(range(x, x + n))
            i += 1
        x += n
    return out


class Table(Fleet):
    """The same H_v(T), by a time-indexed programme: H[r][s] for every minute s, computed backward in blocks.

    H[r][s] = max(H[r][s + 1], max over trips (g, r') from r of prize + H[r'][E(s)]), E(s) the free time
    at r' of the trip started at s. E(s) >= s + shortest, so a block of `shortest` minutes depends only on
    minutes after it and is computed with list operations.
    """

    def __init__(self, problem: Problem, moves: Moves, demand: Demand, shortest: int):
        super().__init__(problem, moves, demand)
        self.shortest = shortest
        firsts = [f for f in self.first_free.values() if f is not None]
        self.lo = min(firsts) if firsts else 0
        self.hi = self.lo  # maps cover start minutes lo .. hi - 1
        self.maps: dict[str, list[tuple[int, str, list[int]]]] = {}
        self.kept: dict[tuple, dict[str, list[int]]] = {}

    def _build(self, hi: int) -> None:
        """The trips' maps E(s) - lo (index of the free minute; the last index when beyond) for s < hi."""
        p = self.problem
        lo = self.lo
        hi = max(hi, lo + 1)
        big = hi  # any minute >= hi is beyond: index hi - lo, where H holds NEG
        unload, board = p.unloading_minutes, p.boarding_minutes
        self.maps = {}
        for here in self.centres:
            trips = []
            for r in self.centres:
                for g, prize in self.trips_into[r]:
                    if here != g and p.minutes(here, g) is None:
                        continue
                    first = (
                        list(range(lo, hi)) if here == g else _next_map(self.moves.empty(here, g), lo, hi, big)
                    )
                    shift = p.minutes(here, g) + board
                    top = min(max(first), big) + shift + 1
                    second = _next_map(self.moves.loaded(g, r), lo + shift, top, big)
                    tail = p.minutes(g, r) + unload
                    base = lo + shift
                    end = hi - lo
                    index = [
                        end if x >= big else min(second[x + shift - base] + tail, big) - lo for x in first
                    ]
                    trips.append((prize, r, index))
            self.maps[here] = trips
        self.hi = hi

    def values(self, deadline: int, by_centre: dict[str, int] | None = None) -> list[int]:
        unload = self.problem.unloading_minutes
        lo = self.lo
        H = self.table(deadline, by_centre)
        if H is None:
            return [0] * len(self.starts)
        last = {r: deadline if by_centre is None else min(deadline, by_centre[r]) for r in self.centres}
        out = []
        for firsts in self.starts:
            top = 0
            for prize, r, arrive in firsts:
                if arrive <= last[r]:
                    top = max(top, prize + H[r][arrive + unload - lo])
            out.append(top)
        return out

    def table(self, deadline: int, by_centre: dict[str, int] | None = None) -> dict[str, list[int]] | None:
        """H[r][s - lo]: the most prize one vehicle free at centre r at minute s collects in trips arriving
        by `deadline` (and by `by_centre[c]` at centre c)."""
        key = (deadline, None if by_centre is None else tuple(sorted(by_centre.items())))
        if key in self.kept:
            return self.kept[key]
        unload = self.problem.unloading_minutes
        lo = self.lo
        n = deadline + unload + 1  # free by n - 1 at the latest
        if n <= lo:
            return None
        if n > self.hi:
            self._build(max(n, self.hi * 2 - lo))
        size = self.hi - lo + 1
        cuts = {
            r: max(0, (deadline if by_centre is None else min(deadline, by_centre[r])) + unload + 1 - lo)
            for r in self.centres
        }
        H = {r: [0] * cuts[r] + [NEG] * (size - cuts[r]) for r in self.centres}
        step = max(1, self.shortest)
        cap = self.cap
        end = max(cuts.values())
        while end > 0:
            begin = max(0, end - step)
            for here in self.centres:
                cut = cuts[here]
                if begin >= cut:
                    continue
                stop = min(end, cut)
                options = []
                for prize, r, index in self.maps[here]:
                    later = H[r]
                    options.append([prize + later[i] for i in index[begin:stop]])
                block = list(map(max, [0] * (stop - begin), *options))
                mine = H[here]
                block.reverse()
                running = list(accumulate(block, max, initial=mine[stop] if stop < cut else 0))[1:]
                running.reverse()
                if running and running[0] > cap:
                    running = [min(v, cap) for v in running]
                mine[begin:stop] = running
            end = begin
        self.kept[key] = H  # the last few: the planner's guide asks for one of them again
        while len(self.kept) > 3:
            del self.kept[next(iter(self.kept))]
        return H


def shortest_cycle(problem: Problem, demand: Demand) -> int:
    """The fewest minutes a trip from a centre can take to be free again at a centre, nobody waiting."""
    best = None
    for (g, r), _ in demand.prizes.items():
        for here in problem.centres:
            leg = problem.minutes(here, g)
            if leg is None:
                continue
            took = leg + problem.boarding_minutes + problem.minutes(g, r) + problem.unloading_minutes
            best = took if best is None else min(best, took)
    return 0 if best is None else best


def fleet_bound(
    problem: Problem, groups: list[Group], moves: Moves, floor: int = 0, finish: int | None = None
) -> int:
    """The earliest minute by which the fleet's work can cover every person's trip (see the module docstring)."""
    return fleet_search(problem, lots_to_carry(problem, groups), moves, floor, finish)[0]


def fleet_search(
    problem: Problem, lots: Lots, moves: Moves, floor: int = 0, finish: int | None = None
) -> tuple[int, Fleet | None]:
    """(the fleet bound, the programme that found it: its `table` guides the planner)."""
    demand = demand_of(problem, lots, trip_prices(problem))
    if not demand.prizes or (not demand.seated and not demand.stretcher):
        return 0, None
    shortest = shortest_cycle(problem, demand)
    fleet = Table(problem, moves, demand, shortest) if shortest > 0 else Fleet(problem, moves, demand)
    seats = [v.seats for v in problem.vehicles]
    places = [v.stretchers for v in problem.vehicles]
    kinds = [(w, need) for w, need in ((seats, demand.seated), (places, demand.stretcher)) if need]
    seen: dict[int, tuple[int, ...]] = {}
    short: dict[int, float] = {}  # deadline -> how far the fleet falls short (< 0: enough), as a fraction

    def enough(deadline: int) -> bool:
        values = fleet.values(deadline)
        seen[deadline] = tuple(values)
        short[deadline] = max((need - sum(w * h for w, h in zip(room, values))) / need for room, need in kinds)
        return short[deadline] <= 0

    # past every vehicle's start and one more longest cycle, a fleet that collects nothing more never will
    longest = 2 * max(problem.travel.values(), default=0) + problem.boarding_minutes + problem.unloading_minutes + 1
    settled = max((v.available_at for v in problem.vehicles), default=0) + 2 * longest
    # after the last window closes, and every trip then under way has arrived, nothing more is delivered
    last = None if problem.windows is None else max((b for _, b in problem.windows), default=0) + max(
        problem.travel.values(), default=0
    )
    low = max(0, floor)  # every T < low is too early, or low is no better than another bound
    fleet.near = low
    if enough(low):
        return low, fleet
    # find a deadline that is enough (the fleet's work grows about in proportion to the time), then close in
    high = finish if finish is not None and finish > low else low + max(60, int((low + 60) * short[low] * 1.1))
    step = max(60, high - low)
    while not enough(high):
        if last is not None and high >= last:
            return high + 1, fleet  # not even then: no plan delivers everybody, any bound is valid
        if last is None and high > settled and high - low >= longest and seen[low] == seen[high]:
            return high + 1, fleet  # the fleet collects nothing more: no plan delivers everybody
        low = high
        high += step
        step *= 2
        if last is not None:
            high = min(high, last)
    tolerance = max(1, high // 2000)  # stop within 0.05 %: returning a too-early T is still valid
    turn = 0
    while high - low > tolerance:
        # where the shortfall would vanish if it shrank in proportion (kept off the ends of the bracket),
        # every other time: a step function can hold such a guess at one end; halving cannot stall
        turn += 1
        guess = low + (high - low) * short[low] / (short[low] - short[high]) if short[low] > short[high] else None
        margin = max(1, (high - low) // 8)
        if guess is None or turn % 2 == 0:
            middle = (low + high) // 2
        else:
            middle = min(high - margin, max(low + margin, int(guess)))
        if enough(middle):
            high = middle
        else:
            low = middle
    fleet.near = low  # its table is among the last worked out
    return low + 1, fleet


# -- the checkpoints' and the convoys' throughput ---------------------------------------------------
