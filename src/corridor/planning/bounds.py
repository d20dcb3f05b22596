"""Lower bounds on the finish time (makespan) of any plan for a problem.

Every bound here is valid: no plan that keeps the rules of `problem.py`
finishes earlier. Each comes from a relaxation (a rule dropped, or a choice
made as favourable as it could be), so it can only be lower than the truth.
`lower_bound` is the largest of them:

* ``group``: each kind of person in a group (seated, stretcher) must be
  fetched by some vehicle with room for that kind, which cannot be at the
  group's gathering point before it can possibly get there (windows kept,
  the rate, the convoys and every other vehicle ignored), cannot leave
  before the group is ready and boarded and the corridor lets it, and then
  drives to the destination.
* ``throughput``: by minute T a vehicle can have made at most
  1 + (T - f) // c deliveries of a kind, f its earliest possible first such
  arrival and c the shortest possible cycle between two arrivals.
* ``fleet``: a Lagrangian bound on the fleet's work. Give a trip from g to r
  the price w_v * lam[g, r] (w_v the vehicle's seats, or its stretcher
  places), lam[g, r] the minutes of vehicle time such a trip uses in a
  cycle. Whatever plan delivers everybody by T, the prices of its trips sum
  to at least sum lam[g, r] * persons[g, r] (groups without a destination at
  the cheapest centre). Each vehicle alone, with the windows but without
  the rate, the convoys or the other vehicles, cannot collect more than
  H_v(T), found exactly by a dynamic programme over its possible sequences
  of trips (earlier is never worse: a vehicle can always wait). So T is
  too early while sum_v w_v * H_v(T) < sum lam * persons. It counts whole
  trips only (the last trip cannot be half done), every gathering point's
  own distance, each vehicle's own start, and the nights the windows close.
  H is worked out for every vehicle at once, backward in time from T, minute
  by minute (`_Table`): H[r][s] = max(H[r][s + 1], max over trips from r of
  price + H[r'][free time of that trip started at s]); a trip takes at least
  the shortest cycle, so a block of that many minutes depends only on later
  ones and is computed with list operations. The least sufficient T is found
  by bracketing and interpolation; it stops within 0.05 % and answers the
  lower end (a T known to be too early, plus one), which keeps it valid.
  The largest too-early T's table also guides the planner (`greedy.py`).
  The prices are lam = boarding + drive + unloading + the way back, split
  between the centre and the gathering point by potentials (`trip_prices`).
* ``checkpoint``: every load whose every route passes checkpoint c passes
  it, and where c separates the gathering points from the centres every
  vehicle comes back through it between two loads; at most K an hour pass
  in open minutes, so the last of those passages, plus the drive on to a
  centre, comes no earlier than this.
* ``convoy``: at least ceil(loads / convoy_size) convoys, entering the
  corridor at least convoy_gap apart in open minutes.

For a problem that cannot be planned the bounds cover only the groups that
could be carried at all.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import accumulate
from math import ceil

from corridor.planning.problem import Group, Problem, Vehicle
from corridor.planning.rules import HOUR, Openings

SEATED = "seated"
STRETCHER = "stretcher"


# -- the relaxed movement of one vehicle: windows kept, everything else ignored ------------------


class Moves:
    """Earliest (and latest) timings of one vehicle's movements with the windows only."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self._loaded: dict[tuple[str, str], Openings] = {}
        self._empty: dict[tuple[str, str], Openings] = {}

    def loaded(self, g: str, r: str) -> Openings:
        found = self._loaded.get((g, r))
        if found is None:
            offsets = tuple(m for _, m in self.problem.on_route(g, r))
            found = self._loaded[(g, r)] = Openings(self.problem.windows, (0, *offsets))
        return found

    def empty(self, a: str, b: str) -> Openings:
        found = self._empty.get((a, b))
        if found is None:
            offsets = tuple(m for _, m in self.problem.on_route(a, b))
            found = self._empty[(a, b)] = Openings(self.problem.windows, offsets)
        return found

    def at_gp(self, site: str, t: int, g: str) -> int | None:
        """The earliest minute a vehicle free at `site` at t can be at gathering point g."""
        if site == g:
            return t
        leg = self.problem.minutes(site, g)
        if leg is None:
            return None
        leave = self.empty(site, g).next(t)
        return None if leave is None else leave + leg

    def depart(self, g: str, r: str, t: int) -> int | None:
        """The earliest departure g -> r of a vehicle boarded and ready at t (boarding included before t)."""
        return self.loaded(g, r).next(t)

    def trip(self, site: str, t: int, g: str, r: str) -> int | None:
        """The earliest arrival at r of a trip from g, the vehicle free at `site` at t (nobody to wait for)."""
        at = self.at_gp(site, t, g)
        if at is None:
            return None
        d = self.depart(g, r, at + self.problem.boarding_minutes)
        return None if d is None else d + self.problem.minutes(g, r)

    def latest_start(self, site: str, g: str, r: str, arrive_by: int) -> int | None:
        """The latest minute a vehicle free at `site` can start a trip from g arriving at r by `arrive_by`."""
        p = self.problem
        d = self.loaded(g, r).prev(arrive_by - p.minutes(g, r))
        if d is None:
            return None
        x = d - p.boarding_minutes
        if site == g:
            return x
        leg = p.minutes(site, g)
        if leg is None:
            return None
        return self.empty(site, g).prev(x - leg)


def lower_bound(problem: Problem) -> int:
    """A minute before which no plan for `problem` can finish (0 with no groups)."""
    return max(lower_bounds(problem).values(), default=0)


def lower_bounds(
    problem: Problem,
    finish: int | None = None,
    keep: dict | None = None,
    reach: tuple[list[dict[str, int]], list[int | None]] | None = None,
) -> dict[str, int]:
    """Every bound by name. `finish`, the finish of a known plan, only speeds the search up.

    `keep`, if given, receives the fleet programme ("fleet"). `reach`, if given, is what
    `earliest_at_gathering_points` and `group_arrivals` answer for the problem (not worked out again).
    """
    if not problem.groups:
        return {"group": 0}
    moves = Moves(problem)
    if reach is None:
        earliest = [earliest_at_gathering_points(problem, v, moves) for v in problem.vehicles]
        arrivals = group_arrivals(problem, earliest, moves)
    else:
        earliest, arrivals = reach
    carried = [g for g, at in zip(problem.groups, arrivals) if at is not None]
    lots = _lots(problem, carried)
    found = {
        "group": max((at for at in arrivals if at is not None), default=0),
        "throughput": max(
            throughput_bound(problem, earliest, SEATED, carried),
            throughput_bound(problem, earliest, STRETCHER, carried),
        ),
        "checkpoint": _checkpoint_bound(problem, lots),
        "convoy": _convoy_bound(problem, lots),
    }
    floor = max(found.values())
    found["fleet"], fleet = _fleet_search(problem, lots, moves, floor, finish)
    if keep is not None:
        keep["fleet"] = fleet
    return found


Lots = dict[tuple[str, str | None], tuple[int, int]]  # (gathering point, destination) -> (seated, stretcher)


def _lots(problem: Problem, groups: list[Group]) -> Lots:
    """The persons to carry, by gathering point and destination (None: any centre)."""
    out: dict[tuple[str, str | None], list[int]] = {}
    for group in groups:
        lot = out.setdefault((group.origin, group.destination), [0, 0])
        lot[0] += len(group.seated)
        lot[1] += len(group.stretcher)
    return {key: (a, b) for key, (a, b) in out.items()}


def _allowed(problem: Problem, origin: str, destination: str | None) -> list[str]:
    options = [destination] if destination is not None else list(problem.centres)
    return [c for c in options if problem.minutes(origin, c) is not None]


def earliest_at_gathering_points(problem: Problem, vehicle: Vehicle, moves: Moves | None = None) -> dict[str, int]:
    """The earliest minute `vehicle` could be at each gathering point it can ever reach.

    A relaxation of the rules: from its site the vehicle drives to a gathering
    point; from a gathering point it may board (boarding minutes) and drive to
    any centre; from a centre it may unload (unloading minutes) and drive to any
    gathering point. Nobody needs to be aboard, nobody's ready time holds it
    back, and only the windows (not the rates or convoys) delay it.
    """
    moves = moves or Moves(problem)
    best: dict[tuple[str, str], int] = {}
    heap: list[tuple[int, str, str]] = []
    for gp in problem.gathering_points:
        at = moves.at_gp(vehicle.site, vehicle.available_at, gp)
        if at is not None:
            heappush(heap, (at, "g", gp))
    while heap:
        at, kind, site = heappop(heap)
        if (kind, site) in best:
            continue
        best[(kind, site)] = at
        if kind == "g":
            for centre in problem.centres:
                leg = problem.minutes(site, centre)
                if leg is not None and ("r", centre) not in best:
                    d = moves.depart(site, centre, at + problem.boarding_minutes)
                    if d is not None:
                        heappush(heap, (d + leg, "r", centre))
        else:
            for gp in problem.gathering_points:
                if ("g", gp) not in best:
                    there = moves.at_gp(site, at + problem.unloading_minutes, gp)
                    if there is not None:
                        heappush(heap, (there, "g", gp))
    return {site: at for (kind, site), at in best.items() if kind == "g"}


def _count(group: Group, kind: str) -> int:
    """How many persons of `kind` the group has."""
    return len(group.seated) if kind == SEATED else len(group.stretcher)


def _room(vehicle: Vehicle, kind: str) -> int:
    """How many persons of `kind` the vehicle carries at once."""
    return vehicle.seats if kind == SEATED else vehicle.stretchers


def allowed_centres(problem: Problem, group: Group) -> list[str]:
    """The centres the group may go to that a route reaches from its gathering point."""
    options = [group.destination] if group.destination is not None else list(problem.centres)
    return [c for c in options if problem.minutes(group.origin, c) is not None]


def group_arrivals(problem: Problem, earliest: list[dict[str, int]], moves: Moves | None = None) -> list[int | None]:
    """Each group's earliest possible arrival at a centre (None: it can never be carried)."""
    moves = moves or Moves(problem)
    first: dict[tuple[str, str], int] = {}  # (gathering point, kind) -> earliest a vehicle with room is there
    for vehicle, reach in zip(problem.vehicles, earliest):
        for kind in (SEATED, STRETCHER):
            if _room(vehicle, kind) > 0:
                for gp, at in reach.items():
                    first[(gp, kind)] = min(first.get((gp, kind), at), at)
    out: list[int | None] = []
    cache: dict[tuple[str, int], int | None] = {}
    for group in problem.groups:
        centres = allowed_centres(problem, group)
        latest: int | None = 0
        for kind in (SEATED, STRETCHER):
            if not _count(group, kind):
                continue
            at = first.get((group.origin, kind))
            if at is None:
                latest = None
                break
            # min over vehicles of max(at_v, ready) == max(min over vehicles of at_v, ready)
            start = max(at, group.ready_at) + problem.boarding_minutes
            key = (group.origin, group.destination, start)
            if key not in cache:
                options = []
                for centre in centres:
                    d = moves.depart(group.origin, centre, start)
                    if d is not None:
                        options.append(d + problem.minutes(group.origin, centre))
                cache[key] = min(options, default=None)
            arrive = cache[key]
            if arrive is None:
                latest = None
                break
            latest = max(latest, arrive)
        out.append(latest)
    return out


def group_bound(problem: Problem, earliest: list[dict[str, int]]) -> int:
    """The latest of the groups' earliest possible arrivals (each kind of person counted)."""
    return max((at for at in group_arrivals(problem, earliest) if at is not None), default=0)


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
        if not _count(group, kind):
            continue
        ready[group.origin] = min(ready.get(group.origin, group.ready_at), group.ready_at)
    for gp in ready:
        legs = [leg for leg in (problem.minutes(gp, centre) for centre in problem.centres) if leg is not None]
        if legs:
            delivery[gp] = min(legs)
    fleet = []
    for vehicle, reach in zip(problem.vehicles, earliest):
        room = _room(vehicle, kind)
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
    persons = sum(_count(group, kind) for group in groups)
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
class _Demand:
    prizes: dict[tuple[str, str], int]  # lam for the trips worth making
    seated: int  # sum of lam * seated persons
    stretcher: int  # sum of lam * stretcher persons


def _demand(problem: Problem, groups: list[Group] | Lots, prices: dict[tuple[str, str], int]) -> _Demand:
    lots = groups if isinstance(groups, dict) else _lots(problem, groups)
    prizes: dict[tuple[str, str], int] = {}
    seated = stretcher = 0
    for (origin, destination), (n_seated, n_stretcher) in lots.items():
        allowed = _allowed(problem, origin, destination)
        options = [(prices[(origin, c)], c) for c in allowed if (origin, c) in prices]
        if not options:
            continue
        price = min(options)[0]
        for _, c in options:
            prizes[(origin, c)] = prices[(origin, c)]
        seated += price * n_seated
        stretcher += price * n_stretcher
    return _Demand(prizes, seated, stretcher)


class _Fleet:
    """H_v(T) for every vehicle at once: a backward dynamic programme over the centres."""

    def __init__(self, problem: Problem, moves: Moves, demand: _Demand):
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


class _Table(_Fleet):
    """The same H_v(T), by a time-indexed programme: H[r][s] for every minute s, computed backward in blocks.

    H[r][s] = max(H[r][s + 1], max over trips (g, r') from r of prize + H[r'][E(s)]), E(s) the free time
    at r' of the trip started at s. E(s) >= s + shortest, so a block of `shortest` minutes depends only on
    minutes after it and is computed with list operations.
    """

    def __init__(self, problem: Problem, moves: Moves, demand: _Demand, shortest: int):
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


def _shortest_cycle(problem: Problem, demand: _Demand) -> int:
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
    return _fleet_search(problem, _lots(problem, groups), moves, floor, finish)[0]


def _fleet_search(
    problem: Problem, lots: Lots, moves: Moves, floor: int = 0, finish: int | None = None
) -> tuple[int, _Fleet | None]:
    """(the fleet bound, the programme that found it: its `table` guides the planner)."""
    demand = _demand(problem, lots, trip_prices(problem))
    if not demand.prizes or (not demand.seated and not demand.stretcher):
        return 0, None
    shortest = _shortest_cycle(problem, demand)
    fleet = _Table(problem, moves, demand, shortest) if shortest > 0 else _Fleet(problem, moves, demand)
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
    return _checkpoint_bound(problem, _lots(problem, groups))


def _checkpoint_bound(problem: Problem, lots: Lots) -> int:
    best = 0
    routes = [(g, r) for g in problem.gathering_points for r in problem.centres if problem.minutes(g, r) is not None]
    for checkpoint, rate in problem.checkpoint_rate.items():
        through = [
            (origin, destination, n)
            for (origin, destination), n in lots.items()
            if all(any(c == checkpoint for c, _ in problem.on_route(origin, r))
                   for r in _allowed(problem, origin, destination))
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
            for r in _allowed(problem, origin, destination)
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
    return _convoy_bound(problem, _lots(problem, groups))


def _convoy_bound(problem: Problem, lots: Lots) -> int:
    if problem.convoy_size is None or problem.convoy_gap <= 0:
        return 0
    loads = _loads(problem, sum(n[0] for n in lots.values()), sum(n[1] for n in lots.values()))
    if not loads:
        return 0
    needed = -(-loads // problem.convoy_size)
    gap = problem.convoy_gap
    on = []
    for origin, destination in lots:
        for r in _allowed(problem, origin, destination):
            route = problem.on_route(origin, r)
            on.append(problem.minutes(origin, r) - (route[0][1] if route else 0))
    onward = min(on) if on else 0

    def capacity(upto: int) -> int:  # booked entries left out: they could only lower it
        return sum((b - a - 1) // gap + 1 for a, b in _open_minutes(problem, upto))

    last = _first_minute(capacity, needed, _horizon(problem))
    return 0 if last is None else last + onward
