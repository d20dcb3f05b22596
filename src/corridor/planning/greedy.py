"""The "greedy" planner: fast list scheduling that keeps every rule of the corridor.

1. Up front, every group is checked; whatever cannot be placed is named, with
   a reason, in one `Unplannable` before anything is planned (no stretcher
   place, no route, no vehicle, a household too big for the fleet or for one
   convoy, a corridor that is never open long enough, the last window closed
   before the group is ready). Each group that has no destination is given
   the nearest reception centre (by travel from its gathering point) that
   still has room for the whole household, in priority order, after the
   groups bound for a named centre have taken their places.
2. Groups wait in buckets, one per (gathering point, destination), in
   priority order: groups with a deadline first, earliest deadline first
   (then precedence); then the rest by precedence, vulnerable first, ready
   time, registration order, id.
3. Repeatedly the vehicle that is free earliest picks a bucket where a group
   it can carry is waiting when it gets there:
   * a group with a deadline: the earliest deadline first, then the bucket
     it can leave earliest with every rule kept (convoys forming count);
   * otherwise the best precedence; then the guide: the fleet bound's own
     dynamic programme (`bounds.py`) tells what one vehicle can still do by
     the lower bound from each centre and minute, so a trip is worth its
     price plus what the vehicle can do after it. With daily windows this
     fits trips into the open hours (a long trip last before the night, the
     way back in the morning). Trips worth nearly the same (within a quarter
     of the cheapest trip's price) go vulnerable first, then longest first
     (longest-processing-time: the short trips are left for the end, so the
     fleet finishes together). Trips past the bound: the earliest arrival;
   * nobody waiting anywhere it can reach: where it can load earliest.
   It then drives there empty (at the earliest minute the windows and the
   checkpoint rates allow), boards, and leaves at the earliest minute that
   keeps every rule: joining a convoy already leaving that gathering point
   later if it has room, or starting a new one, convoy_gap after every other
   convoy's entry into the corridor, with room at every checkpoint on the
   way, in an open window. It is filled first-fit with the waiting groups of
   that bucket ready by then, in priority order (so within a gathering point
   and destination the vulnerable board first at equal precedence). A
   vehicle with nothing left it can reach and carry retires.
4. A household that fits in no single vehicle able to reach its gathering
   point is split over one convoy: the vehicles that can be there first,
   which all leave together; their spare room is filled like any other trip.

The planner has no randomness: the same problem always gives the same plan,
whatever the seed. Its plan carries the lower bounds of `bounds.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush

from corridor.planning.bounds import (
    Moves,
    earliest_at_gathering_points,
    group_arrivals,
    lower_bounds,
    trip_prices,
)
from corridor.planning.problem import (
    WAIT_WEIGHT,
    EmptyMove,
    Group,
    Missed,
    Plan,
    PlannedTrip,
    Problem,
    Unplaced,
    Unplannable,
    Vehicle,
)
from corridor.planning.rules import Corridor

PLANNER = "greedy"

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


def _checked(problem: Problem) -> tuple[dict[str, str], list[dict[str, int]], list[int | None]]:
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
    reasons = dict(_checked(problem)[0] if reasons is None else reasons)
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


# -- scheduling -----------------------------------------------------------------------------------


@dataclass
class _Bucket:
    """The groups waiting at one gathering point for one destination."""

    index: int
    origin: str
    destination: str
    minutes: int  # travel from origin to destination
    cycle: int  # vehicle minutes a trip here takes in a cycle (longest first)
    big: frozenset[Shape]  # shapes that fit in no vehicle able to reach the origin: convoys
    classes: list[Class] = field(default_factory=list)  # sorted, best first
    queues: dict[Class, dict[Shape, deque[Item]]] = field(default_factory=dict)  # each in priority order
    waiting: int = 0

    def usable(self, form: Shape, seats: int, stretchers: int) -> bool:
        """Whether a vehicle with this room can carry (a convoy share of) groups of this shape."""
        seated, stretcher = form
        if form in self.big:
            return (seated > 0 and seats > 0) or (stretcher > 0 and stretchers > 0)
        return seated <= seats and stretcher <= stretchers

    def best(self, seats: int, stretchers: int, limit: int) -> tuple[Key, int, Class, Shape] | None:
        """The best-priority group ready by `limit` that a vehicle with this room can take (a queue head)."""
        found = None
        for kind in self.classes:
            if found is not None and kind[0] == 1:
                break  # a group with a deadline beats every group without
            forms = self.queues.get(kind)
            if not forms:
                continue
            for form, queue in forms.items():
                key, ready, _ = queue[0]
                if ready <= limit and (found is None or key < found[0]) and self.usable(form, seats, stretchers):
                    found = (key, ready, kind, form)
            if found is not None and kind[0] == 1:
                break
        return found

    def first_ready(self, seats: int, stretchers: int) -> int | None:
        """The earliest ready_at of a queue head that a vehicle with this room can take."""
        first = None
        for forms in self.queues.values():
            for form, queue in forms.items():
                ready = queue[0][1]
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
                self.classes.remove(kind)
        self.waiting -= 1
        return item

    def fill(self, seats: int, stretchers: int, limit: int) -> list[Item]:
        """First-fit: take queue heads ready by `limit` in priority order while they fit the room."""
        heap = []
        for kind, forms in self.queues.items():
            for form, queue in forms.items():
                if form not in self.big and form[0] <= seats and form[1] <= stretchers and queue[0][1] <= limit:
                    heap.append((queue[0][0], kind, form))
        heapify(heap)
        taken: list[Item] = []
        while heap and (seats or stretchers):
            _, kind, form = heappop(heap)
            if form[0] > seats or form[1] > stretchers:
                continue  # room only shrinks: this shape never fits again
            queue = self.queues[kind][form]
            more = len(queue) > 1 and queue[1][1] <= limit
            taken.append(self.take(kind, form))
            seats -= form[0]
            stretchers -= form[1]
            if more and form[0] <= seats and form[1] <= stretchers:
                heappush(heap, (queue[0][0], kind, form))
        return taken


class _Retire(Exception):
    """The vehicle can do nothing more (the windows end before it could)."""


@dataclass
class Guide:
    """What one vehicle can still do: H[r][s - lo], the most prize it collects from centre r at minute s by `until`."""

    H: dict[str, list[int]]
    lo: int
    until: int
    prizes: dict[tuple[str, str], int]

    def value(self, g: str, r: str, arrive: int, unloading: int) -> int | None:
        """The prize of a trip g -> r arriving then plus what the vehicle can do after it; None beyond `until`."""
        if arrive > self.until or r not in self.H:
            return None
        return self.prizes.get((g, r), 0) + self.H[r][max(0, arrive + unloading - self.lo)]


class _Scheduler:
    """List scheduling of the fleet over the buckets; see the module docstring."""

    def __init__(self, problem: Problem, destinations: dict[str, str], guide: Guide | None = None):
        self.guide = guide
        self.problem = problem
        self.prices = trip_prices(problem)
        # values this close count as equal (then the longest trip goes first)
        self.tolerance = min(self.prices.values(), default=0) // 4
        self.groups = problem.groups
        self.vehicles = problem.vehicles
        self.rules = Corridor(problem)
        self.moves = Moves(problem)
        self.position = [v.site for v in self.vehicles]
        self.free = [v.available_at for v in self.vehicles]
        self.version = [0] * len(self.vehicles)
        self.heap = [(v.available_at, i, 0) for i, v in enumerate(self.vehicles)]
        heapify(self.heap)
        self.trips: list[PlannedTrip] = []
        self.empty: list[EmptyMove] = []
        self.stuck: list[Group] = []
        self.buckets = self._buckets(destinations)
        self.waiting = len(self.groups)
        self.retired: set[int] = set()
        self.by_id = {g.id: g for g in self.groups}
        self.wait = 0

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
            minutes = self.minutes(origin, destination)
            bucket = _Bucket(number, origin, destination, minutes, self.prices[(origin, destination)], big)
            for key, index in sorted((priority(self.groups[i]), i) for i in indices):
                kind = (key[0], key[2], key[3])
                forms = bucket.queues.setdefault(kind, {})
                forms.setdefault(shape(self.groups[index]), deque()).append((key, self.groups[index].ready_at, index))
            bucket.classes = sorted(bucket.queues)
            bucket.waiting = len(indices)
            buckets.append(bucket)
        return buckets

    def minutes(self, a: str, b: str) -> int:
        """Travel minutes known to exist (checked up front)."""
        leg = self.problem.minutes(a, b)
        assert leg is not None, f"no route {a}->{b}"
        return leg

    def run(self) -> None:
        """Plan until every group is carried or no vehicle can do more."""
        while self.waiting and self.heap:
            _, index, version = heappop(self.heap)
            if version != self.version[index]:
                continue
            choice = self._choose(index)
            if choice is None:
                self.retired.add(index)  # nothing left it can reach and carry
                continue
            self._go(index, *choice)
        if self.waiting or self.stuck:
            self._give_up()

    def _go(self, index: int, bucket: _Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        try:
            if head[3] in bucket.big:
                self._convoy(index, bucket, head)
            else:
                self._send(index, bucket, head)
        except _Retire:
            self.retired.add(index)

    def _choose(self, index: int) -> tuple[_Bucket, tuple[Key, int, Class, Shape]] | None:
        """Where vehicle `index` goes next: (bucket, the group it goes for), or None.

        Groups with a deadline: the earliest deadline, then the earliest departure. Otherwise the best
        precedence; then, with a guide, the trips worth (nearly) the most to the vehicle (the trip and what
        it can do after it, by the guide's horizon), the vulnerable first and among those the longest trip
        (so that the short ones are left for the end); past the horizon, the earliest arrival. Without a
        guide: the best class, then the longest trip. Where nobody is ready yet: where it can load first.
        """
        vehicle = self.vehicles[index]
        seats, stretchers = vehicle.seats, vehicle.stretchers
        here, now = self.position[index], self.free[index]
        moves = self.moves
        board = self.problem.boarding_minutes
        best = None
        valued = []  # (precedence, value, vulnerable, -cycle, arrive, bucket index, choice) with a guide
        late = None  # (precedence, vulnerable, arrive, bucket index, choice) past the guide's horizon
        for bucket in self.buckets:
            if not bucket.waiting:
                continue
            at = moves.at_gp(here, now, bucket.origin)
            if at is None:
                continue
            head = bucket.best(seats, stretchers, at)
            if head is not None:
                if head[0][0] == 0:  # earliest deadline first, then the earliest departure with every rule
                    leave = self._leave(index, bucket, head)
                    if leave is None:
                        continue
                    rank: tuple = (0, 0, head[0][1], leave, bucket.index)
                elif self.guide is not None:
                    leave = moves.depart(bucket.origin, bucket.destination, at + board)
                    if leave is None:
                        continue
                    arrive = leave + bucket.minutes
                    value = self.guide.value(bucket.origin, bucket.destination, arrive, self.problem.unloading_minutes)
                    if value is None:
                        option = (head[0][2], head[0][3], arrive, bucket.index, (bucket, head))
                        if late is None or option[:4] < late[:4]:
                            late = option
                    else:
                        choice = (bucket, head)
                        valued.append((head[0][2], value, head[0][3], -bucket.cycle, arrive, bucket.index, choice))
                    continue
                else:  # best class, then the longest trip (less the time to get there)
                    rank = (0, 1, head[0][2], head[0][3], at - now - bucket.cycle, bucket.index)
            else:
                limit = bucket.first_ready(seats, stretchers)
                if limit is None:
                    continue
                head = bucket.best(seats, stretchers, max(at, limit))
                assert head is not None
                rank = (1, max(at, limit), head[0], bucket.index)
            if best is None or rank < best[0]:
                best = (rank, (bucket, head))
        if best is not None and best[0][:2] == (0, 0):
            return best[1]
        if valued or late is not None:
            top = min([v[0] for v in valued] + ([late[0]] if late is not None else []))
            if best is not None and best[0][0] == 0 and best[0][2] < top:
                return best[1]
            mine = [v for v in valued if v[0] == top]
            if mine:
                most = max(v[1] for v in mine)
                return min((v for v in mine if v[1] >= most - self.tolerance), key=lambda v: v[2:6])[6]
            return late[4]
        return None if best is None else best[1]

    def _leave(self, index: int, bucket: _Bucket, head) -> int | None:
        """The earliest departure of vehicle `index` from the bucket's gathering point, every rule kept (not booked)."""
        here, now = self.position[index], self.free[index]
        at = now
        if here != bucket.origin:
            leave = self.rules.earliest_empty(here, bucket.origin, now)
            if leave is None:
                return None
            at = leave + self.minutes(here, bucket.origin)
        start = max(at, head[1]) + self.problem.boarding_minutes
        found = self.rules.earliest_loaded(bucket.origin, bucket.destination, start)
        return None if found is None else found[0]

    def _to_gathering_point(self, index: int, g: str) -> tuple[int, tuple[str, str, int] | None]:
        """Book the empty move of vehicle `index` to g; (its arrival there, the move or None)."""
        here, now = self.position[index], self.free[index]
        if here == g:
            return now, None
        leave = self.rules.earliest_empty(here, g, now)
        if leave is None:
            raise _Retire
        self.rules.book_empty(here, g, leave)
        return leave + self.minutes(here, g), (here, g, leave)

    def _send(self, index: int, bucket: _Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        """One vehicle fetches the best waiting groups that fit it, first-fit."""
        vehicle = self.vehicles[index]
        at, move = self._to_gathering_point(index, bucket.origin)
        start = max(at, head[1]) + self.problem.boarding_minutes
        found = self.rules.earliest_loaded(bucket.origin, bucket.destination, start)
        if found is None:
            if move is not None:
                self.rules.unbook_empty(*move)
            raise _Retire
        depart, convoy = found
        taken = bucket.fill(vehicle.seats, vehicle.stretchers, depart - self.problem.boarding_minutes)
        assert taken, "the group the vehicle came for is ready and fits"
        self.waiting -= len(taken)
        convoy = self.rules.book_loaded(bucket.origin, bucket.destination, depart, 1, convoy)
        loads = [(self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, _, i in taken]
        self._record(index, bucket, depart, loads, convoy, move)

    def _convoy(self, index: int, bucket: _Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        """Split an oversized household over the vehicles that can be at its gathering point first."""
        _, _, kind, form = head
        _, _, group_index = bucket.take(kind, form)
        self.waiting -= 1
        group = self.groups[group_index]
        need_seated, need_stretcher = form
        ranked = []
        for other in range(len(self.vehicles)):
            if other in self.retired:
                continue
            at = self.moves.at_gp(self.position[other], self.free[other], bucket.origin)
            if at is not None:
                ranked.append((at, other))
        ranked.sort()
        chosen = []
        for _, other in ranked:
            vehicle = self.vehicles[other]
            seated = min(vehicle.seats, need_seated)
            stretcher = min(vehicle.stretchers, need_stretcher)
            if seated or stretcher:
                chosen.append((other, seated, stretcher))
                need_seated -= seated
                need_stretcher -= stretcher
                if not need_seated and not need_stretcher:
                    break
        if need_seated or need_stretcher:
            self.stuck.append(group)
            heappush(self.heap, (self.free[index], index, self.version[index]))
            return
        booked = []
        try:
            for other, _, _ in chosen:
                booked.append(self._to_gathering_point(other, bucket.origin))
        except _Retire:
            for _, move in booked:
                if move is not None:
                    self.rules.unbook_empty(*move)
            self.stuck.append(group)
            return
        start = max(max(at for at, _ in booked), group.ready_at) + self.problem.boarding_minutes
        found = self.rules.earliest_loaded(bucket.origin, bucket.destination, start, len(chosen))
        if found is None:
            for _, move in booked:
                if move is not None:
                    self.rules.unbook_empty(*move)
            self.stuck.append(group)
            return
        depart, convoy = found
        convoy = self.rules.book_loaded(bucket.origin, bucket.destination, depart, len(chosen), convoy)
        done_seated = done_stretcher = 0
        for (other, seated, stretcher), (_, move) in zip(chosen, booked):
            vehicle = self.vehicles[other]
            share = (
                group.seated[done_seated : done_seated + seated]
                + group.stretcher[done_stretcher : done_stretcher + stretcher]
            )
            done_seated += seated
            done_stretcher += stretcher
            extra = bucket.fill(
                vehicle.seats - seated, vehicle.stretchers - stretcher, depart - self.problem.boarding_minutes
            )
            self.waiting -= len(extra)
            loads = [(group.id, share)] + [
                (self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, _, i in extra
            ]
            self._record(other, bucket, depart, loads, convoy, move)
        if index not in {other for other, _, _ in chosen}:
            heappush(self.heap, (self.free[index], index, self.version[index]))

    def _record(
        self,
        index: int,
        bucket: _Bucket,
        depart: int,
        loads: list[tuple[str, tuple[str, ...]]],
        convoy: int,
        move: tuple[str, str, int] | None,
    ) -> None:
        """Write one trip (and the empty move before it) and move the vehicle to the centre."""
        vehicle = self.vehicles[index].id
        if move is not None:
            a, b, leave = move
            self.empty.append(EmptyMove(vehicle, a, b, leave, leave + self.minutes(a, b)))
        arrive = depart + bucket.minutes
        for group_id, persons in loads:
            group = self.by_id[group_id]
            self.wait += WAIT_WEIGHT[group.precedence] * len(persons) * (arrive - group.ready_at)
        self.trips.append(
            PlannedTrip(
                vehicle=vehicle,
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
        """Raise for the groups no vehicle could fetch in the end."""
        left = list(self.stuck)
        for bucket in self.buckets:
            for forms in bucket.queues.values():
                for queue in forms.values():
                    left.extend(self.groups[i] for _, _, i in queue)
        order = {group.id: n for n, group in enumerate(self.groups)}
        left.sort(key=lambda group: order[group.id])
        if self.problem.windows:
            last = self.problem.windows[-1][1]
            why = (
                f"the corridor's last window closes at minute {last} before a vehicle could carry it "
                f"({len(left)} group(s) left): give windows further ahead"
            )
        else:
            why = None
        raise Unplannable(
            [
                Unplaced(
                    group.id,
                    why
                    or f"no vehicle able to carry it can get back to gathering point {group.origin}: "
                    "the travel table has no way there from where the vehicles end up",
                )
                for group in left
            ]
        )


def _missed(problem: Problem, trips: list[PlannedTrip], arrivals: list[int | None]) -> tuple[Missed, ...]:
    arrive: dict[str, int] = {}
    for trip in trips:
        for group_id in trip.groups:
            arrive[group_id] = max(arrive.get(group_id, trip.arrive), trip.arrive)
    out = []
    for group, earliest in zip(problem.groups, arrivals):
        if group.deadline is None or group.id not in arrive or arrive[group.id] <= group.deadline:
            continue
        out.append(
            Missed(
                group=group.id,
                persons=group.seated + group.stretcher,
                deadline=group.deadline,
                arrive=arrive[group.id],
                late_by=arrive[group.id] - group.deadline,
                unavoidable=earliest is not None and earliest > group.deadline,
            )
        )
    out.sort(key=lambda m: (m.deadline, m.group))
    return tuple(out)


def solve(problem: Problem, seed: int = 0) -> Plan:
    """Plan every group with the list scheduler; `seed` is accepted and has no effect (the plan is deterministic).

    Raises `Unplannable` naming every group that cannot be placed, before planning anything.
    """
    reasons, earliest, arrivals = _checked(problem)
    destinations = assign_destinations(problem, reasons)
    trips: list[PlannedTrip] = []
    moves: list[EmptyMove] = []
    wait = 0
    keep: dict = {}
    bounds = lower_bounds(problem, None, keep, (earliest, arrivals))
    bound = max(bounds.values(), default=0)
    if problem.groups:
        guide = None
        fleet = keep.get("fleet")
        if fleet is not None and hasattr(fleet, "table"):
            until = fleet.near  # about the lower bound: its table is at hand
            table = fleet.table(until)
            if table is not None:
                guide = Guide(table, fleet.lo, until, fleet.prizes)
        scheduler = _Scheduler(problem, destinations, guide)
        scheduler.run()
        trips, moves, wait = scheduler.trips, scheduler.empty, scheduler.wait
    trips.sort(key=lambda trip: (trip.depart, trip.convoy))  # stable: each vehicle's trips stay in order
    moves.sort(key=lambda move: (move.depart, move.vehicle))
    finish = max((trip.arrive for trip in trips), default=0)
    if bound > finish:
        raise AssertionError(f"lower bound {bound} exceeds finish {finish}: the bound or the plan is wrong")
    return Plan(
        trips=tuple(trips),
        finish=finish,
        lower_bound=bound,
        planner=PLANNER,
        missed=_missed(problem, trips, arrivals),
        moves=tuple(moves),
        wait=wait,
        bounds=bounds,
    )

