"""Where and when one vehicle can be, with the windows only; the group bound.

The relaxed movement of one vehicle (`Moves`: windows kept, everything else
ignored), the persons to carry by gathering point and destination, the
earliest arrival of every group (the ``group`` bound).
"""

from __future__ import annotations

from heapq import heappop, heappush

from corridor.planning.problem import Group, Problem, Vehicle
from corridor.planning.rules import Openings


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


Lots = dict[tuple[str, str | None], tuple[int, int]]  # (gathering point, destination) -> (seated, stretcher)


def lots_to_carry(problem: Problem, groups: list[Group]) -> Lots:
    """The persons to carry, by gathering point and destination (None: any centre)."""
    out: dict[tuple[str, str | None], list[int]] = {}
    for group in groups:
        lot = out.setdefault((group.origin, group.destination), [0, 0])
        lot[0] += len(group.seated)
        lot[1] += len(group.stretcher)
    return {key: (a, b) for key, (a, b) in out.items()}


def centres_for(problem: Problem, origin: str, destination: str | None) -> list[str]:
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


def count_kind(group: Group, kind: str) -> int:
    """How many persons of `kind` the group has."""
    return len(group.seated) if kind == SEATED else len(group.stretcher)


def room_kind(vehicle: Vehicle, kind: str) -> int:
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
            if room_kind(vehicle, kind) > 0:
                for gp, at in reach.items():
                    first[(gp, kind)] = min(first.get((gp, kind), at), at)
    out: list[int | None] = []
    cache: dict[tuple[str, int], int | None] = {}
    for group in problem.groups:
        centres = allowed_centres(problem, group)
        latest: int | None = 0
        for kind in (SEATED, STRETCHER):
            if not count_kind(group, kind):
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
