"""An independent check of a plan against every rule of its problem (see `problem.py`).

It shares no code with the planners: the tests check every plan they get
with it, and the service checks a plan with it before recording it.
`check_plan(problem, plan)` raises `InvalidPlan` naming the first rule broken.
Person names must be unique over the problem (tokens are).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

from corridor.planning.plan import WAIT_WEIGHT, Plan, PlannedTrip
from corridor.planning.problem import Problem

__all__ = ["InvalidPlan", "check_plan"]


class InvalidPlan(ValueError):
    """A plan that breaks a rule of its problem (a planner's defect, never the people's)."""


def _require(condition: bool, message) -> None:
    if not condition:
        raise InvalidPlan(message() if callable(message) else message)


def _route(problem: Problem, a: str, b: str) -> tuple[tuple[str, int], ...]:
    return () if a == b else tuple(problem.checkpoints_on.get((a, b), ()))


def check_plan(problem: Problem, plan: Plan, planner: str | None = None) -> None:
    """Raise `InvalidPlan` unless `plan` keeps every rule of `problem` and reports itself truthfully.

    `planner`, if given, is the name the plan must carry."""
    owner = _owners(problem)
    left_out = _check_left_out(problem, plan)
    owner = {person: g for person, g in owner.items() if g not in left_out}
    trips_of = _check_trips(problem, plan, owner)
    _check_splits(problem, trips_of)
    _check_convoys(problem, plan)
    _check_capacities(problem, plan)
    passages = _check_timing(problem, plan)
    _check_rates(problem, passages)
    _check_gaps(problem, plan)
    _check_agreement(problem, plan, owner)
    _check_report(problem, plan, owner)
    if planner is not None:
        _require(plan.planner == planner, f"the plan says planner {plan.planner!r}, expected {planner!r}")


def _owners(problem: Problem) -> dict[str, str]:
    owner = {person: g.id for g in problem.groups for person in g.seated + g.stretcher}
    _require(len(owner) == sum(g.size for g in problem.groups), "person names must be unique")
    return owner


def _check_left_out(problem: Problem, plan: Plan) -> set[str]:
    """Groups left out only by an agreement's end or quotas (or its order after them), each named once."""
    ids = [u.group for u in plan.unplaced]
    groups = {g.id for g in problem.groups}
    _require(len(set(ids)) == len(ids) and set(ids) <= groups, "groups left out are named once each")
    _require(not ids or problem.agreed, "a plan leaves groups out only under an agreed end or quotas")
    for u in plan.unplaced:
        _require(u.reason.startswith(("agreement.period", "agreement.quota", "agreement.order")),
                 lambda: f"{u.group} left out for no rule of the agreement ({u.reason!r})")
    return set(ids)


def _check_agreement(problem: Problem, plan: Plan, owner: dict[str, str]) -> None:
    """The agreed end, the quotas per period and the order per gathering point (see `problem.py`)."""
    groups = {g.id: g for g in problem.groups}
    if problem.departures_end is not None:
        for trip in plan.trips:
            _require(trip.depart < problem.departures_end,
                     lambda: f"{trip.vehicle} departs at minute {trip.depart}, after the agreed end")
    depart = {g: t.depart for t in plan.trips for g in t.groups}  # a split household leaves in one convoy
    for quota in problem.quotas:
        starts = [start for start, _, _ in quota.periods]
        used = [0] * len(starts)
        for group_id, minute in depart.items():
            i = bisect_right(starts, minute) - 1
            if i >= 0 and minute < quota.periods[i][1]:
                used[i] += groups[group_id].count(quota.category)
        for (start, end, limit), n in zip(quota.periods, used):
            _require(n <= limit, lambda: f"quota {quota.category or 'everyone'}: {n} persons depart in minutes "
                                         f"{start}-{end}, at most {limit}")
    latest: dict[tuple[str, int], int] = {}
    for group_id, minute in depart.items():
        key = (groups[group_id].origin, groups[group_id].turn)
        latest[key] = max(latest.get(key, minute), minute)
    first_out: dict[str, int] = {}
    for u in plan.unplaced:
        g = groups[u.group]
        first_out[g.origin] = min(first_out.get(g.origin, g.turn), g.turn)
    for group_id, minute in depart.items():
        g = groups[group_id]
        _require(g.turn <= first_out.get(g.origin, g.turn),
                 lambda: f"{group_id} leaves {g.origin} while a household of an earlier turn there is left out")
        for (origin, turn), last in latest.items():
            _require(origin != g.origin or turn >= g.turn or last <= minute,
                     lambda: f"{group_id} leaves {g.origin} at minute {minute}, before a household of an earlier "
                             f"turn at minute {last}")


def _check_trips(problem: Problem, plan: Plan, owner: dict[str, str]) -> dict[str, list[PlannedTrip]]:
    """Everybody exactly once, from the group's gathering point to its destination, in places that fit."""
    groups = {g.id: g for g in problem.groups}
    vehicles = {v.id: v for v in problem.vehicles}
    on_stretcher = {p for g in problem.groups for p in g.stretcher}
    carried = [person for trip in plan.trips for person in trip.persons]
    once = set(carried)
    _require(len(once) == len(carried) and once == owner.keys(), "every person exactly once")
    trips_of: dict[str, list[PlannedTrip]] = defaultdict(list)
    for trip in plan.trips:
        _require(trip.vehicle in vehicles, lambda: f"trip of unknown vehicle {trip.vehicle}")
        _require(trip.origin in problem.gathering_points, lambda: f"trip from {trip.origin}, not a gathering point")
        _require(trip.destination in problem.centres, lambda: f"trip to {trip.destination}, not a reception centre")
        _require(bool(trip.groups) and len(set(trip.groups)) == len(trip.groups), "a trip names each group once")
        _require({owner[p] for p in trip.persons} == set(trip.groups), "groups and persons agree")
        _require(len({groups[g].compartment for g in trip.groups}) == 1,
                 lambda: f"trip of {trip.vehicle} mixes groups the agreement keeps apart")
        for group_id in trip.groups:
            group = groups[group_id]
            _require(group.origin == trip.origin, lambda: f"{group_id} leaves from another gathering point")
            _require(group.destination in (None, trip.destination), lambda: f"{group_id} goes to another centre")
            trips_of[group_id].append(trip)
        vehicle = vehicles[trip.vehicle]
        stretcher = sum(p in on_stretcher for p in trip.persons)
        _require(stretcher <= vehicle.stretchers, lambda: f"{vehicle.id}: more stretcher cases than places")
        _require(len(trip.persons) - stretcher <= vehicle.seats, lambda: f"{vehicle.id}: more persons than seats")
    return trips_of


def _check_splits(problem: Problem, trips_of: dict[str, list[PlannedTrip]]) -> None:
    """A household is split only when it fits in no vehicle able to reach it, and then over one convoy."""
    groups = {g.id: g for g in problem.groups}
    for group_id, trips in trips_of.items():
        if len(trips) == 1:
            continue
        group = groups[group_id]
        able = [v for v in problem.vehicles if problem.minutes(v.site, group.origin) is not None]
        _require(not any(v.fits(len(group.seated), len(group.stretcher)) for v in able), f"{group_id} split")
        _require(len({t.convoy for t in trips}) == 1, f"{group_id} split over several convoys")
        _require(len({t.destination for t in trips}) == 1, f"{group_id} split over several centres")


def _check_convoys(problem: Problem, plan: Plan) -> None:
    """The trips leaving one gathering point in one minute, and only those, share a convoy number."""
    convoys: dict[int, list[PlannedTrip]] = defaultdict(list)
    numbers: dict[tuple[str, int], set[int]] = defaultdict(set)
    for trip in plan.trips:
        convoys[trip.convoy].append(trip)
        numbers[(trip.origin, trip.depart)].add(trip.convoy)
    _require(all(len(n) == 1 for n in numbers.values()), "one convoy per gathering point and minute")
    for trips in convoys.values():
        _require(len({(t.origin, t.depart) for t in trips}) == 1, "a convoy leaves one place at one minute")
        if problem.convoy_size is not None:
            _require(len(trips) <= problem.convoy_size, "convoy too big")


def _check_capacities(problem: Problem, plan: Plan) -> None:
    received: Counter = Counter()
    for trip in plan.trips:
        received[trip.destination] += len(trip.persons)
    for centre, capacity in problem.centres.items():
        if capacity is not None:
            room = max(0, capacity - problem.already_received.get(centre, 0))
            _require(received[centre] <= room, f"{centre}: {received[centre]} persons for room for {room}")


def _check_timing(problem: Problem, plan: Plan) -> list[tuple[str, int]]:
    """Vehicle by vehicle: empty moves and trips in order, each from where the vehicle is. Returns the passages."""
    passages: list[tuple[str, int]] = list(problem.booked_passages)
    moves_of: dict[str, list] = defaultdict(list)
    vehicles = {v.id for v in problem.vehicles}
    for move in plan.moves:
        _require(move.vehicle in vehicles, lambda: f"empty move of unknown vehicle {move.vehicle}")
        _require(move.origin != move.destination, "an empty move goes somewhere")
        _require(move.destination in problem.gathering_points, "empty moves go to gathering points")
        leg = problem.minutes(move.origin, move.destination)
        _require(leg is not None and move.arrive == move.depart + leg, "an empty move takes its travel time")
        moves_of[move.vehicle].append(move)
    trips_of: dict[str, list[PlannedTrip]] = defaultdict(list)
    for trip in plan.trips:
        trips_of[trip.vehicle].append(trip)
    ready_at = {g.id: g.ready_at for g in problem.groups}
    for vehicle in problem.vehicles:
        steps = [(m.depart, 0, m) for m in moves_of[vehicle.id]] + [(t.depart, 1, t) for t in trips_of[vehicle.id]]
        steps.sort(key=lambda s: (s[0], s[1]))
        _check_vehicle(problem, vehicle, steps, ready_at, passages)
    return passages


def _open(problem: Problem, minute: int) -> bool:
    return problem.windows is None or any(a <= minute < b for a, b in problem.windows)


def _check_vehicle(problem: Problem, vehicle, steps: list, ready_at: dict[str, int], passages: list) -> None:
    site, free, at_gp = vehicle.site, vehicle.available_at, None
    while steps:
        # the next step is the earliest that starts where the vehicle is (zero-minute legs tie)
        here = [n for n, s in enumerate(steps) if s[2].origin == site]
        _, kind, step = steps.pop(here[0] if here else 0)
        if kind == 0:
            _require(step.origin == site, lambda: f"{vehicle.id} moves empty from {step.origin} but is at {site}")
            _require(step.depart >= free, lambda: f"{vehicle.id} moves before it is free")
            for checkpoint, minutes in _route(problem, step.origin, step.destination):
                _require(_open(problem, step.depart + minutes), "an empty move passes a closed checkpoint")
                passages.append((checkpoint, step.depart + minutes))
            site, at_gp = step.destination, step.arrive
            continue
        trip = step
        _require(trip.origin == site, lambda: f"{vehicle.id} leaves {trip.origin} but is at {site} (no empty move)")
        arrived = at_gp if at_gp is not None else free
        ready = max(ready_at[g] for g in trip.groups)
        _require(trip.depart >= max(arrived, ready) + problem.boarding_minutes, "departs too early")
        _require(trip.arrive == trip.depart + problem.minutes(trip.origin, trip.destination), "arrives off time")
        _require(_open(problem, trip.depart), "departs while the corridor is closed")
        for checkpoint, minutes in _route(problem, trip.origin, trip.destination):
            _require(_open(problem, trip.depart + minutes), "a trip passes a closed checkpoint")
            passages.append((checkpoint, trip.depart + minutes))
        site, free, at_gp = trip.destination, trip.arrive + problem.unloading_minutes, None


def _check_rates(problem: Problem, passages: list[tuple[str, int]]) -> None:
    """At most K passages in any 60 consecutive minutes that hold a planned passage.

    Passages already under way may crowd an hour by themselves: then nothing planned may pass in it."""
    planned: dict[str, list[int]] = defaultdict(list)
    for checkpoint, minute in passages[len(problem.booked_passages):]:
        planned[checkpoint].append(minute)
    for checkpoint, rate in problem.checkpoint_rate.items():
        every = sorted(m for c, m in passages if c == checkpoint)
        for minute in planned[checkpoint]:
            starts = {minute - 59} | set(every[bisect_left(every, minute - 59): bisect_right(every, minute)])
            for start in starts:
                count = bisect_right(every, start + 59) - bisect_left(every, start)
                _require(count <= rate,
                         lambda: f"{checkpoint}: {count} passages from minute {start} within an hour (rate {rate})")


def _check_gaps(problem: Problem, plan: Plan) -> None:
    """Convoys enter the corridor at least convoy_gap apart, and apart from those under way."""
    if not problem.convoy_gap:
        return
    entries = []
    for trip in plan.trips:
        on = _route(problem, trip.origin, trip.destination)
        entries.append((trip.depart + (on[0][1] if on else 0), trip.convoy))
    entries.sort()
    for i, (entry, convoy) in enumerate(entries):
        for other, other_convoy in entries[i + 1:]:
            if other - entry >= problem.convoy_gap:
                break
            _require(other_convoy == convoy,
                     lambda: f"convoys {convoy} and {other_convoy} enter {other - entry} min apart")
        for booked in problem.booked_entries:
            _require(abs(booked - entry) >= problem.convoy_gap, "a convoy enters too close to one under way")


def _check_report(problem: Problem, plan: Plan, owner: dict[str, str]) -> None:
    """What the plan says of itself: finish, bounds, missed deadlines, weighted wait."""
    carried = set(owner.values())
    groups = {g.id: g for g in problem.groups if g.id in carried}
    _require(plan.finish == max((t.arrive for t in plan.trips), default=0), "finish is the last arrival")
    _require(plan.lower_bound <= plan.finish, "the lower bound is above the finish")
    _require(plan.lower_bound == max(plan.bounds.values(), default=0), "the lower bound is the largest bound")
    arrive: dict[str, int] = {}
    for trip in plan.trips:
        for group_id in trip.groups:
            arrive[group_id] = max(arrive.get(group_id, trip.arrive), trip.arrive)
    late = {g.id for g in groups.values() if g.deadline is not None and arrive[g.id] > g.deadline}
    _require({m.group for m in plan.missed} == late, "missed deadlines listed exactly")
    for m in plan.missed:
        group = groups[m.group]
        _require(m.deadline == group.deadline and m.arrive == arrive[m.group], f"{m.group}: missed deadline misstated")
        _require(m.late_by == m.arrive - m.deadline > 0, f"{m.group}: minutes late misstated")
        _require(set(m.persons) == set(group.seated + group.stretcher), f"{m.group}: missed persons misstated")
    wait = sum(WAIT_WEIGHT[groups[owner[person]].precedence] * (trip.arrive - groups[owner[person]].ready_at)
               for trip in plan.trips for person in trip.persons)
    _require(plan.wait == wait, "weighted wait misstated")
