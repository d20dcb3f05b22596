"""Before the greedy planner plans anything: the priority of groups, what cannot be placed and why, destinations.

Every group is checked up front (`check_groups`); whatever cannot be placed is
named with a reason. Groups without a destination get the nearest reception
centre with room for the whole household (`assign_destinations`). See `greedy.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridor.planning.bounds import Moves, earliest_at_gathering_points, group_arrivals
from corridor.planning.plan import Unplaced, Unplannable
from corridor.planning.problem import Group, Problem, Vehicle


Key = tuple  # (0, deadline, precedence, 0 if vulnerable else 1, ready_at, order, id), or (1, 0, ...) without deadline
Shape = tuple[int, int]  # seated persons, stretcher persons
Class = tuple[int, int, int]  # 0 with a deadline else 1, precedence, 0 if vulnerable else 1
Item = tuple[Key, int, int]  # priority key, ready_at, index of the group in problem.groups


def priority(group: Group) -> Key:
    """Sort key of a group: lower goes first."""
    vulnerable = 0 if group.vulnerable else 1
    if group.deadline is not None:
        return (0, group.deadline, int(group.precedence), vulnerable, group.ready_at, group.order, group.id)
    return (1, 0, int(group.precedence), vulnerable, group.ready_at, group.order, group.id)


def shape(group: Group) -> Shape:
    """(seated persons, stretcher persons) of a group."""
    return (len(group.seated), len(group.stretcher))


def fleet_reaching(problem: Problem) -> dict[str, list[Vehicle]]:
    """For each gathering point, the vehicles that can drive there from their site."""
    return {
        gp: [v for v in problem.vehicles if problem.minutes(v.site, gp) is not None] for gp in problem.gathering_points
    }


def fits_one(group: Group, fleet: Sequence[Vehicle]) -> bool:
    """Whether the whole group fits in at least one vehicle of `fleet`."""
    seated, stretcher = shape(group)
    return any(v.fits(seated, stretcher) for v in fleet)


def vehicles_needed(group: Group, fleet: Sequence[Vehicle]) -> int | None:
    """Fewest vehicles of `fleet` that carry the group at once (None: even all of them cannot)."""
    seated, stretcher = shape(group)
    if fits_one(group, fleet):
        return 1
    if seated > sum(v.seats for v in fleet) or stretcher > sum(v.stretchers for v in fleet):
        return None
    # fewest vehicles: a lower estimate that is exact for one kind of vehicle
    need = 0
    for kind, count in ((0, seated), (1, stretcher)):
        rooms = sorted((v.stretchers if kind else v.seats for v in fleet), reverse=True)
        n = carried = 0
        while carried < count:
            carried += rooms[n]
            n += 1
        need = max(need, n)
    return need


# -- up-front checks ------------------------------------------------------------------------------


def _windows_reason(problem: Problem, group: Group, moves: Moves, reachable: Sequence[Vehicle]) -> str:
    """Why a group that vehicles and routes could carry can never leave while the corridor is open."""
    centres = [group.destination] if group.destination is not None else list(problem.centres)
    centres = [c for c in centres if problem.minutes(group.origin, c) is not None]
    if all(moves.loaded(group.origin, c).never for c in centres):
        c = centres[0]
        on = ", ".join(f"{name} at +{m} min" for name, m in problem.on_route(group.origin, c))
        return (
            f"the corridor is never open long enough for a trip from {group.origin} to {c}: it must be open when "
            f"it departs{' and at ' + on if on else ''}"
        )
    last = max(b for _, b in problem.windows) if problem.windows else 0
    if group.ready_at + problem.boarding_minutes >= last:
        return f"ready at minute {group.ready_at}, after the corridor's last window closes (minute {last})"
    return (
        f"no vehicle that can carry it can reach gathering point {group.origin} and leave while the corridor is "
        f"open (the last window closes at minute {last})"
    )


def _route_reason(problem: Problem, group: Group, fleet: Sequence[Vehicle]) -> str | None:
    """Why the group cannot be carried at all (vehicles, routes, convoys), or None if it can."""
    seated, stretcher = shape(group)
    if stretcher and not any(v.stretchers for v in problem.vehicles):
        return "needs a stretcher place but no vehicle has one"
    if group.destination is not None:
        if problem.minutes(group.origin, group.destination) is None:
            return f"no route from {group.origin} to reception centre {group.destination}"
    elif all(problem.minutes(group.origin, centre) is None for centre in problem.centres):
        return f"no route from {group.origin} to any reception centre"
    if not fleet:
        return f"no vehicle can reach gathering point {group.origin}"
    if fits_one(group, fleet):
        return None
    if stretcher and not any(v.stretchers for v in fleet):
        return f"needs a stretcher place but no vehicle that can reach {group.origin} has one"
    need = vehicles_needed(group, fleet)
    if need is None:
        return (
            f"household of {seated} seated and {stretcher} stretcher person(s) is more than all "
            f"vehicles that can reach {group.origin} carry at once"
        )
    if problem.convoy_size is not None and need > problem.convoy_size:
        return (
            f"household of {group.size} person(s) needs {need} vehicles leaving together, more than a convoy "
            f"may have ({problem.convoy_size})"
        )
    centres = [group.destination] if group.destination is not None else list(problem.centres)
    limits = []
    for centre in centres:
        if problem.minutes(group.origin, centre) is None:
            continue
        on = problem.on_route(group.origin, centre)
        rates = [problem.checkpoint_rate[c] for c, _ in on if c in problem.checkpoint_rate]
        limits.append(min(rates, default=need))
    if limits and max(limits) < need:
        return (
            f"household of {group.size} person(s) needs {need} vehicles leaving together, more than a checkpoint "
            f"on its way lets pass in an hour ({max(limits)})"
        )
    return None


def _room_left(problem: Problem) -> dict[str, int | None]:
    """Persons each centre can still receive (None: unlimited)."""
    return {
        centre: None if capacity is None else max(0, capacity - problem.already_received.get(centre, 0))
        for centre, capacity in problem.centres.items()
    }


def _capacity_reason(problem: Problem, group: Group, left: dict[str, int | None], short: bool) -> str:
    """Why no centre can take the group."""
    if group.destination is not None:
        return (
            f"destination full: reception centre {group.destination} has {left[group.destination]} "
            f"place(s) left, the household has {group.size} person(s)"
        )
    if short:
        return "capacity: more persons than all reception centres can still receive"
    return f"no reception centre reachable from {group.origin} has room left for {group.size} person(s)"


def check_groups(problem: Problem) -> tuple[dict[str, str], list[dict[str, int]], list[int | None]]:
    """Reasons for the groups that cannot be carried at all; where each vehicle can be first; each group's
    earliest possible arrival."""
    reachable = fleet_reaching(problem)
    reasons: dict[str, str] = {}
    known: dict[tuple, str | None] = {}  # the reason depends on where from, where to and how many of each kind
    for group in problem.groups:
        key = (group.origin, group.destination, len(group.seated), len(group.stretcher))
        if key not in known:
            known[key] = _route_reason(problem, group, reachable[group.origin])
        if known[key] is not None:
            reasons[group.id] = known[key]
    moves = Moves(problem)
    earliest = [earliest_at_gathering_points(problem, v, moves) for v in problem.vehicles]
    arrivals = group_arrivals(problem, earliest, moves)
    for group, arrive in zip(problem.groups, arrivals):
        if arrive is None and group.id not in reasons:
            reasons[group.id] = _windows_reason(problem, group, moves, reachable[group.origin])
    return reasons, earliest, arrivals


def assign_destinations(problem: Problem, reasons: dict[str, str] | None = None) -> dict[str, str]:
    """The reception centre of every group; raises `Unplannable` naming every group that cannot be placed.

    Groups with a named destination take their places first, then the others
    in priority order take the nearest reachable centre with room left.
    """
    reasons = dict(check_groups(problem)[0] if reasons is None else reasons)
    moves = Moves(problem)
    left = _room_left(problem)
    finite = all(room is not None for room in left.values())
    short = finite and sum(g.size for g in problem.groups) > sum(room or 0 for room in left.values())
    chosen: dict[str, str] = {}
    waiting = sorted((g for g in problem.groups if g.id not in reasons), key=priority)
    for group in [g for g in waiting if g.destination is not None] + [g for g in waiting if g.destination is None]:
        centre = group.destination
        if centre is None:
            centre = _nearest_with_room(problem, group, left, moves)
        room = None if centre is None else left[centre]
        if centre is None or (room is not None and room < group.size):
            reasons[group.id] = _capacity_reason(problem, group, left, short)
            continue
        chosen[group.id] = centre
        if room is not None:
            left[centre] = room - group.size
    if reasons:
        raise Unplannable([Unplaced(g.id, reasons[g.id]) for g in problem.groups if g.id in reasons])
    return chosen


def _nearest_with_room(problem: Problem, group: Group, left: dict[str, int | None], moves: Moves) -> str | None:
    """The centre nearest the group's gathering point with room for the household, or None."""
    options = []
    for centre, room in left.items():
        minutes = problem.minutes(group.origin, centre)
        if minutes is not None and (room is None or room >= group.size):
            if moves.loaded(group.origin, centre).never:
                continue
            options.append((minutes, centre))
    return min(options)[1] if options else None
