"""The "greedy" planner: simple, fast list scheduling.

1. Up front, every group is checked; whatever cannot be placed is named, with
   a reason, in one `Unplannable` before anything is planned. Each group that
   has no destination is given the nearest reception centre (by travel from
   its gathering point) that still has room for the whole household, in
   priority order, after the groups bound for a named centre have taken
   their places.
2. Groups wait in buckets, one per (gathering point, destination), in
   priority order: precedence, vulnerable first, ready_at, registration
   order (then id).
3. Repeatedly the vehicle that is free earliest is sent to the bucket whose
   best waiting group (ready by the time the vehicle gets there, fitting the
   vehicle) has the best priority; ties go to the bucket reached earlier. If
   nobody is waiting anywhere the vehicle can reach, it goes where it can
   load earliest and waits there. The vehicle is filled first-fit: the
   waiting groups of that bucket in priority order, skipping those that no
   longer fit. A vehicle with nothing left it can reach and carry retires.
4. A household that fits in no single vehicle able to reach its gathering
   point is split over a convoy: the vehicles that can be there first, which
   all leave together when the last of them has arrived and boarded; their
   spare room is filled like any other trip.

The plan follows the timing model of `problem.py` exactly: a trip departs at
max(vehicle at the gathering point, latest ready_at aboard) + boarding, and
for a convoy at the latest of that over its vehicles. The planner has no
randomness: the same problem always gives the same plan, whatever the seed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush

from corridor.planning.bounds import lower_bound
from corridor.planning.problem import Group, Plan, PlannedTrip, Problem, Unplaced, Unplannable, Vehicle

PLANNER = "greedy"

Key = tuple[int, int, int, int, str]  # precedence, 0 if vulnerable else 1, ready_at, order, id
Shape = tuple[int, int]  # seated persons, stretcher persons
Class = tuple[int, int]  # precedence, 0 if vulnerable else 1
Item = tuple[Key, int]  # priority key, index of the group in problem.groups


def priority(group: Group) -> Key:
    """Sort key of a group: lower goes first."""
    return (int(group.precedence), 0 if group.vulnerable else 1, group.ready_at, group.order, group.id)


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


# -- up-front checks ------------------------------------------------------------------------------


def _route_reason(problem: Problem, group: Group, fleet: Sequence[Vehicle]) -> str | None:
    """Why the group cannot be carried at all (vehicles, routes), or None if it can."""
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
    if seated > sum(v.seats for v in fleet) or stretcher > sum(v.stretchers for v in fleet):
        return (
            f"household of {seated} seated and {stretcher} stretcher person(s) is more than all "
            f"vehicles that can reach {group.origin} carry at once"
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


def assign_destinations(problem: Problem) -> dict[str, str]:
    """The reception centre of every group; raises `Unplannable` naming every group that cannot be placed.

    Groups with a named destination take their places first, then the others
    in priority order take the nearest reachable centre with room left.
    """
    reachable = fleet_reaching(problem)
    reasons: dict[str, str] = {}
    for group in problem.groups:
        reason = _route_reason(problem, group, reachable[group.origin])
        if reason is not None:
            reasons[group.id] = reason
    left = _room_left(problem)
    finite = all(room is not None for room in left.values())
    short = finite and sum(g.size for g in problem.groups) > sum(room or 0 for room in left.values())
    chosen: dict[str, str] = {}
    waiting = sorted((g for g in problem.groups if g.id not in reasons), key=priority)
    for group in [g for g in waiting if g.destination is not None] + [g for g in waiting if g.destination is None]:
        centre = group.destination
        if centre is None:
            centre = _nearest_with_room(problem, group, left)
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


def _nearest_with_room(problem: Problem, group: Group, left: dict[str, int | None]) -> str | None:
    """The centre nearest the group's gathering point with room for the household, or None."""
    options = []
    for centre, room in left.items():
        minutes = problem.minutes(group.origin, centre)
        if minutes is not None and (room is None or room >= group.size):
            options.append((minutes, centre))
    return min(options)[1] if options else None


# -- scheduling -----------------------------------------------------------------------------------


@dataclass
class _Bucket:
    """The groups waiting at one gathering point for one destination."""

    index: int
    origin: str
    destination: str
    minutes: int  # travel from origin to destination
    big: frozenset[Shape]  # shapes that fit in no vehicle able to reach the origin: convoys
    classes: list[Class] = field(default_factory=list)  # sorted, best first
    queues: dict[Class, dict[Shape, deque[Item]]] = field(default_factory=dict)  # each by ready_at
    waiting: int = 0

    def usable(self, form: Shape, seats: int, stretchers: int) -> bool:
        """Whether a vehicle with this room can carry (a convoy share of) groups of this shape."""
        seated, stretcher = form
        if form in self.big:
            return (seated > 0 and seats > 0) or (stretcher > 0 and stretchers > 0)
        return seated <= seats and stretcher <= stretchers

    def best(self, seats: int, stretchers: int, limit: int) -> tuple[Key, Class, Shape] | None:
        """The best-priority group ready by `limit` that a vehicle with this room can take."""
        for kind in self.classes:
            forms = self.queues.get(kind)
            if not forms:
                continue
            found = None
            for form, queue in forms.items():
                key = queue[0][0]
                if key[2] <= limit and (found is None or key < found[0]) and self.usable(form, seats, stretchers):
                    found = (key, kind, form)
            if found is not None:
                return found
        return None

    def first_ready(self, seats: int, stretchers: int) -> int | None:
        """The earliest ready_at of a group that a vehicle with this room can take."""
        first = None
        for forms in self.queues.values():
            for form, queue in forms.items():
                ready = queue[0][0][2]
                if (first is None or ready < first) and self.usable(form, seats, stretchers):
                    first = ready
        return first

    def take(self, kind: Class, form: Shape) -> Item:
        """Remove and return the head of one queue."""
        forms = self.queues[kind]
        queue = forms[form]
        item = queue.popleft()
        if not queue:
            del forms[form]
            if not forms:
                del self.queues[kind]
        self.waiting -= 1
        return item

    def fill(self, seats: int, stretchers: int, limit: int) -> list[Item]:
        """First-fit: take groups ready by `limit` in priority order while they fit the room."""
        heap = []
        for kind, forms in self.queues.items():
            for form, queue in forms.items():
                if form not in self.big and form[0] <= seats and form[1] <= stretchers and queue[0][0][2] <= limit:
                    heap.append((queue[0][0], kind, form))
        heapify(heap)
        taken: list[Item] = []
        while heap and (seats or stretchers):
            _, kind, form = heappop(heap)
            if form[0] > seats or form[1] > stretchers:
                continue  # room only shrinks: this shape never fits again
            queue = self.queues[kind][form]
            more = len(queue) > 1 and queue[1][0][2] <= limit
            taken.append(self.take(kind, form))
            seats -= form[0]
            stretchers -= form[1]
            if more and form[0] <= seats and form[1] <= stretchers:
                heappush(heap, (queue[0][0], kind, form))
        return taken


class _Scheduler:
    """List scheduling of the fleet over the buckets; see the module docstring."""

    def __init__(self, problem: Problem, destinations: dict[str, str]):
        self.problem = problem
        self.groups = problem.groups
        self.vehicles = problem.vehicles
        self.position = [v.site for v in self.vehicles]
        self.free = [v.available_at for v in self.vehicles]
        self.version = [0] * len(self.vehicles)
        self.heap = [(v.available_at, i, 0) for i, v in enumerate(self.vehicles)]
        heapify(self.heap)
        self.trips: list[PlannedTrip] = []
        self.stuck: list[Group] = []
        self.convoys = 0
        self.buckets = self._buckets(destinations)
        self.waiting = len(self.groups)
        self.legs: dict[tuple[str, str], int | None] = {}

    def _buckets(self, destinations: dict[str, str]) -> list[_Bucket]:
        """Queue every group in its bucket, in priority order."""
        reachable = fleet_reaching(self.problem)
        members: dict[tuple[str, str], list[int]] = {}
        for index, group in enumerate(self.groups):
            members.setdefault((group.origin, destinations[group.id]), []).append(index)
        buckets = []
        for number, (origin, destination) in enumerate(sorted(members)):
            indices = members[(origin, destination)]
            big = frozenset(shape(self.groups[i]) for i in indices if not fits_one(self.groups[i], reachable[origin]))
            bucket = _Bucket(number, origin, destination, self.minutes(origin, destination), big)
            for key, index in sorted((priority(self.groups[i]), i) for i in indices):
                forms = bucket.queues.setdefault(key[:2], {})
                forms.setdefault(shape(self.groups[index]), deque()).append((key, index))
            bucket.classes = sorted(bucket.queues)
            bucket.waiting = len(indices)
            buckets.append(bucket)
        return buckets

    def minutes(self, a: str, b: str) -> int:
        """Travel minutes known to exist (checked up front)."""
        leg = self.problem.minutes(a, b)
        assert leg is not None, f"no route {a}->{b}"
        return leg

    def leg(self, a: str, b: str) -> int | None:
        """Travel minutes from a to b, or None, remembered."""
        pair = (a, b)
        if pair not in self.legs:
            self.legs[pair] = self.problem.minutes(a, b)
        return self.legs[pair]

    def run(self) -> list[PlannedTrip]:
        """Plan until every group is carried or no vehicle can do more."""
        while self.waiting and self.heap:
            _, index, version = heappop(self.heap)
            if version != self.version[index]:
                continue
            choice = self._choose(index)
            if choice is None:
                continue  # retires: nothing left it can reach and carry
            bucket, at, limit, (_, kind, form) = choice
            if form in bucket.big:
                self._convoy(index, bucket, kind, form)
            else:
                self._send(index, bucket, at, limit)
        if self.waiting or self.stuck:
            self._give_up()
        return self.trips

    def _choose(self, index: int) -> tuple[_Bucket, int, int, tuple[Key, Class, Shape]] | None:
        """Where vehicle `index` goes next: (bucket, arrival there, ready limit, head), or None."""
        vehicle = self.vehicles[index]
        seats, stretchers = vehicle.seats, vehicle.stretchers
        best = None
        for bucket in self.buckets:
            if not bucket.waiting:
                continue
            leg = self.leg(self.position[index], bucket.origin)
            if leg is None:
                continue
            at = self.free[index] + leg
            head = bucket.best(seats, stretchers, at)
            if head is not None:
                rank: tuple = (0, head[0][:4], at, head[0], bucket.index)  # ties: reached earlier
                limit = at
            else:
                limit = bucket.first_ready(seats, stretchers)
                if limit is None:
                    continue
                head = bucket.best(seats, stretchers, limit)
                assert head is not None
                rank = (1, limit, head[0], bucket.index)
            if best is None or rank < best[0]:
                best = (rank, (bucket, at, limit, head))
        return None if best is None else best[1]

    def _send(self, index: int, bucket: _Bucket, at: int, limit: int) -> None:
        """One vehicle fetches the best waiting groups that fit it, first-fit."""
        vehicle = self.vehicles[index]
        taken = bucket.fill(vehicle.seats, vehicle.stretchers, limit)
        self.waiting -= len(taken)
        ready = max(self.groups[i].ready_at for _, i in taken)
        depart = max(at, ready) + self.problem.boarding_minutes
        loads = [(self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, i in taken]
        self.convoys += 1
        self._record(index, bucket, depart, loads, self.convoys)

    def _convoy(self, index: int, bucket: _Bucket, kind: Class, form: Shape) -> None:
        """Split an oversized household over the vehicles that can be at its gathering point first."""
        _, group_index = bucket.take(kind, form)
        self.waiting -= 1
        group = self.groups[group_index]
        need_seated, need_stretcher = form
        ranked = []
        for other in range(len(self.vehicles)):
            leg = self.leg(self.position[other], bucket.origin)
            if leg is not None:
                ranked.append((self.free[other] + leg, other))
        ranked.sort()
        chosen = []
        for at, other in ranked:
            vehicle = self.vehicles[other]
            seated = min(vehicle.seats, need_seated)
            stretcher = min(vehicle.stretchers, need_stretcher)
            if seated or stretcher:
                chosen.append((other, at, seated, stretcher))
                need_seated -= seated
                need_stretcher -= stretcher
                if not need_seated and not need_stretcher:
                    break
        if need_seated or need_stretcher:
            self.stuck.append(group)
            heappush(self.heap, (self.free[index], index, self.version[index]))
            return
        start = max(max(at for _, at, _, _ in chosen), group.ready_at)
        depart = start + self.problem.boarding_minutes
        self.convoys += 1
        done_seated = done_stretcher = 0
        for other, _, seated, stretcher in chosen:
            vehicle = self.vehicles[other]
            share = (
                group.seated[done_seated : done_seated + seated]
                + group.stretcher[done_stretcher : done_stretcher + stretcher]
            )
            done_seated += seated
            done_stretcher += stretcher
            extra = bucket.fill(vehicle.seats - seated, vehicle.stretchers - stretcher, start)
            self.waiting -= len(extra)
            loads = [(group.id, share)] + [
                (self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, i in extra
            ]
            self._record(other, bucket, depart, loads, self.convoys)
        if index not in {other for other, _, _, _ in chosen}:
            heappush(self.heap, (self.free[index], index, self.version[index]))

    def _record(
        self, index: int, bucket: _Bucket, depart: int, loads: list[tuple[str, tuple[str, ...]]], convoy: int
    ) -> None:
        """Write one trip and move the vehicle to the centre, free after unloading."""
        arrive = depart + bucket.minutes
        self.trips.append(
            PlannedTrip(
                vehicle=self.vehicles[index].id,
                origin=bucket.origin,
                destination=bucket.destination,
                depart=depart,
                arrive=arrive,
                groups=tuple(group_id for group_id, _ in loads),
                persons=tuple(person for _, persons in loads for person in persons),
                convoy=convoy,
            )
        )
        self.position[index] = bucket.destination
        self.free[index] = arrive + self.problem.unloading_minutes
        self.version[index] += 1
        heappush(self.heap, (self.free[index], index, self.version[index]))

    def _give_up(self) -> None:
        """Raise for groups no vehicle could fetch once the fleet had moved (a travel table with gaps)."""
        left = list(self.stuck)
        for bucket in self.buckets:
            for forms in bucket.queues.values():
                for queue in forms.values():
                    left.extend(self.groups[i] for _, i in queue)
        order = {group.id: n for n, group in enumerate(self.groups)}
        left.sort(key=lambda group: order[group.id])
        raise Unplannable(
            [
                Unplaced(
                    group.id,
                    f"no vehicle able to carry it can get back to gathering point {group.origin}: "
                    "the travel table has no way there from where the vehicles end up",
                )
                for group in left
            ]
        )


def solve(problem: Problem, seed: int = 0) -> Plan:
    """Plan every group with the greedy list scheduler; `seed` is accepted and has no effect.

    Raises `Unplannable` naming every group that cannot be placed, before planning anything.
    """
    destinations = assign_destinations(problem)
    trips = _Scheduler(problem, destinations).run() if problem.groups else []
    trips.sort(key=lambda trip: (trip.depart, trip.convoy))  # stable: each vehicle's trips stay in order
    finish = max((trip.arrive for trip in trips), default=0)
    bound = lower_bound(problem)
    if bound > finish:
        raise AssertionError(f"lower bound {bound} exceeds finish {finish}: the bound or the plan is wrong")
    return Plan(trips=tuple(trips), finish=finish, lower_bound=bound, planner=PLANNER)
