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

from dataclasses import dataclass
from heapq import heappop, heappush
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


def lower_bounds(problem: Problem, finish: int | None = None) -> dict[str, int]:
    """Every bound by name. `finish`, the finish of a known plan, only speeds the search up."""
    if not problem.groups:
        return {"group": 0}
    moves = Moves(problem)
    earliest = [earliest_at_gathering_points(problem, v, moves) for v in problem.vehicles]
    arrivals = group_arrivals(problem, earliest, moves)
    carried = [g for g, at in zip(problem.groups, arrivals) if at is not None]
    found = {
        "group": max((at for at in arrivals if at is not None), default=0),
        "throughput": max(
            throughput_bound(problem, earliest, SEATED, carried), throughput_bound(problem, earliest, STRETCHER, carried)
        ),
        "checkpoint": checkpoint_bound(problem, carried),
        "convoy": convoy_bound(problem, carried),
    }
    floor = max(found.values())
    found["fleet"] = fleet_bound(problem, carried, moves, floor, finish)
    return found


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
            key = (group.origin, start) if group.destination is None else (group.origin + "\0" + group.destination, start)
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


def _demand(problem: Problem, groups: list[Group], prices: dict[tuple[str, str], int]) -> _Demand:
    prizes: dict[tuple[str, str], int] = {}
    seated = stretcher = 0
    for group in groups:
        options = [(prices[(group.origin, c)], c) for c in allowed_centres(problem, group) if (group.origin, c) in prices]
        if not options:
            continue
        price = min(options)[0]
        for _, c in options:
            prizes[(group.origin, c)] = prices[(group.origin, c)]
        seated += price * len(group.seated)
        stretcher += price * len(group.stretcher)
    return _Demand(prizes, seated, stretcher)


class _Fleet:
    """H_v(T) for every vehicle at once: a backward dynamic programme over the centres."""

    def __init__(self, problem: Problem, moves: Moves, demand: _Demand):
        self.problem = problem
        self.moves = moves
        self.prizes = demand.prizes
        self.centres = [r for r in problem.centres if any(c == r for _, c in demand.prizes)]
        self.trips_into = {r: [(g, prize) for (g, c), prize in demand.prizes.items() if c == r] for r in self.centres}
        # each vehicle's first trips: (prize, centre, arrival) for every worthwhile trip
        self.starts = []
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

    def values(self, deadline: int) -> list[int]:
        """H_v(deadline) of every vehicle: the most prize it alone can collect in trips arriving by then."""
        p = self.problem
        unload = p.unloading_minutes
        moves = self.moves
        fronts: dict[str, tuple[list[int], list[int]]] = {r: ([], []) for r in self.centres}  # free-by, value
        best = {r: -1 for r in self.centres}
        heap = [(-(deadline + unload), r, 0) for r in self.centres]
        latest = moves.latest_start
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
            for p_site in self.centres:
                if value + 1 <= best[p_site] and False:
                    continue
                for g, prize in self.trips_into[r]:
                    gained = value + prize
                    if gained <= best[p_site]:
                        continue
                    start = latest(p_site, g, r, arrive_by)
                    if start is not None:
                        heappush(heap, (-(start - unload), p_site, gained))
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


def fleet_bound(
    problem: Problem, groups: list[Group], moves: Moves, floor: int = 0, finish: int | None = None
) -> int:
    """The earliest minute by which the fleet's work can cover every person's trip (see the module docstring)."""
    demand = _demand(problem, groups, trip_prices(problem))
    if not demand.prizes or (not demand.seated and not demand.stretcher):
        return 0
    fleet = _Fleet(problem, moves, demand)
    seats = [v.seats for v in problem.vehicles]
    places = [v.stretchers for v in problem.vehicles]

    def enough(deadline: int) -> bool:
        values = fleet.values(deadline)
        if sum(w * h for w, h in zip(seats, values)) < demand.seated:
            return False
        return sum(w * h for w, h in zip(places, values)) >= demand.stretcher

    low = max(0, floor)  # every T < low is too early, or low is no better than another bound
    if enough(low):
        return low
    # find a deadline that is enough, then bisect; `low` stays too early
    high = max(finish or 0, low + 1)
    step = max(60, high - low)
    while not enough(high):
        low = high
        high += step
        step *= 2
        if high > low + 10_000_000:  # the windows end before the fleet could do it: no finite bound from here
            return low + 1
    tolerance = max(1, high // 2000)  # stop within 0.05 %: returning a too-early T is still valid
    while high - low > tolerance:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle
    return low + 1


# -- the checkpoints' and the convoys' throughput ---------------------------------------------------


def _open_minutes(problem: Problem, upto: int) -> list[tuple[int, int]]:
    """The open intervals [a, b) within [0, upto]."""
    if problem.windows is None:
        return [(0, upto + 1)]
    return [(max(0, a), min(b, upto + 1)) for a, b in problem.windows if b > 0 and a <= upto and max(0, a) < min(b, upto + 1)]


def _loads(problem: Problem, groups: list[Group]) -> int:
    seats = max((v.seats for v in problem.vehicles), default=0)
    places = max((v.stretchers for v in problem.vehicles), default=0)
    seated = sum(len(g.seated) for g in groups)
    stretcher = sum(len(g.stretcher) for g in groups)
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
    best = 0
    routes = [(g, r) for g in problem.gathering_points for r in problem.centres if problem.minutes(g, r) is not None]
    for checkpoint, rate in problem.checkpoint_rate.items():
        through = [
            group
            for group in groups
            if all(
                any(c == checkpoint for c, _ in problem.on_route(group.origin, r))
                for r in allowed_centres(problem, group)
            )
        ]
        loads = _loads(problem, through)
        if not loads:
            continue
        back = routes and all(
            any(c == checkpoint for c, _ in problem.on_route(r, g))
            for g in problem.gathering_points
            for r in problem.centres
            if problem.minutes(r, g) is not None
        ) and all(any(c == checkpoint for c, _ in problem.on_route(g, r)) for g, r in routes)
        needed = 2 * loads - len(problem.vehicles) if back else loads
        needed = max(needed, loads)
        on = [
            problem.minutes(group.origin, r) - m
            for group in through
            for r in allowed_centres(problem, group)
            for c, m in problem.on_route(group.origin, r)
            if c == checkpoint
        ]
        onward = min(on) if on else 0
        booked = sorted(m for c, m in problem.booked_passages if c == checkpoint and m >= 0)

        def capacity(upto: int, rate=rate, booked=booked) -> int:
            total = sum(rate * ceil((b - a) / HOUR) for a, b in _open_minutes(problem, upto))
            return total - sum(1 for m in booked if m <= upto)

        last = _first_minute(capacity, needed, _horizon(problem))
        if last is not None:
            best = max(best, last + onward)
    return best


def convoy_bound(problem: Problem, groups: list[Group]) -> int:
    """When the last of ceil(loads / convoy_size) convoys, each convoy_gap after the last, can enter, plus the drive."""
    if problem.convoy_size is None or problem.convoy_gap <= 0:
        return 0
    loads = _loads(problem, groups)
    if not loads:
        return 0
    needed = -(-loads // problem.convoy_size)
    gap = problem.convoy_gap
    on = []
    entry_open = problem.windows is None
    for group in groups:
        for r in allowed_centres(problem, group):
            route = problem.on_route(group.origin, r)
            entry = route[0][1] if route else 0
            on.append(problem.minutes(group.origin, r) - entry)
    onward = min(on) if on else 0
    booked = [m for m in problem.booked_entries]

    def capacity(upto: int) -> int:
        total = 0
        for a, b in _open_minutes(problem, upto):
            total += (b - a - 1) // gap + 1
        # a booked entry within gap of the start of [0, ...] takes room; count those at >= 0 fully
        return total - sum(1 for m in booked if 0 <= m <= upto)

    del entry_open
    last = _first_minute(capacity, needed, _horizon(problem))
    return 0 if last is None else last + onward
