"""The greedy planner's list scheduling of the fleet over the buckets (steps 2-5 of `greedy.py`)."""

from __future__ import annotations

from collections import deque
from heapq import heapify, heappop, heappush

from corridor.planning.admission import Class, Key, Shape, fits_one, fleet_reaching, priority, shape
from corridor.planning.bounds import Moves, trip_prices
from corridor.planning.buckets import Bucket, Guide, Retire, Turns
from corridor.planning.plan import WAIT_WEIGHT, EmptyMove, PlannedTrip, Unplaced, Unplannable
from corridor.planning.problem import Group, Problem
from corridor.planning.quotas import QuotaBook
from corridor.planning.rules import Corridor


class Scheduler:
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
        self.index_of = {g.id: i for i, g in enumerate(self.groups)}
        self.wait = 0
        # the agreement (see `problem.py`): its order per gathering point, its end, its quotas per period
        self.turns = Turns(self.buckets)
        self.parked: list[int] = []  # vehicles waiting for a later turn to open
        self.end = problem.departures_end
        self.quotas = QuotaBook(problem) if problem.quotas else None
        self.held: dict[str, str] = {}  # group id -> the rule that leaves it out, and why

    def _buckets(self, destinations: dict[str, str]) -> list[Bucket]:
        """Queue every group in its bucket, in priority order."""
        reachable = fleet_reaching(self.problem)
        members: dict[tuple[str, str, int, int], list[int]] = {}
        for index, group in enumerate(self.groups):
            members.setdefault((group.origin, destinations[group.id], group.compartment, group.turn), []).append(index)
        buckets = []
        for number, (origin, destination, compartment, turn) in enumerate(sorted(members)):
            indices = members[(origin, destination, compartment, turn)]
            big = frozenset(shape(self.groups[i]) for i in indices if not fits_one(self.groups[i], reachable[origin]))
            minutes = self.minutes(origin, destination)
            bucket = Bucket(number, origin, destination, minutes, self.prices[(origin, destination)], big, turn=turn)
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
                if self.turns.active and any(b.waiting and not self.turns.open(b) for b in self.buckets):
                    self.parked.append(index)  # a later turn may open for it
                else:
                    self.retired.add(index)  # nothing left it can reach and carry
                continue
            self._go(index, *choice)
        if self.waiting or self.stuck:
            self._give_up()

    def _gone(self, bucket: Bucket, n: int) -> None:
        """`n` groups left the bucket's queue: a later turn may open, and the vehicles parked try again."""
        self.waiting -= n
        if self.turns.gone(bucket, n):
            for index in self.parked:
                heappush(self.heap, (self.free[index], index, self.version[index]))
            self.parked = []

    def _floor(self, bucket: Bucket, start: int) -> int:
        """The earliest departure >= `start` the agreement's order leaves the bucket."""
        floor = self.turns.floor(bucket)
        return start if floor is None or floor <= start else floor

    def _hold(self, bucket: Bucket, index: int, reason: str, counted: bool = False) -> None:
        """Leave group `index` out of the plan (the agreement's rule `reason`; `counted`: gone from the queue
        already); at its gathering point every group of a later turn is left out too (the agreement's order)."""
        self.held[self.groups[index].id] = reason
        if not counted:
            self._gone(bucket, 1)
        for other in self.buckets:
            if other.origin == bucket.origin and other.turn > bucket.turn and other.waiting:
                drained = other.drain()
                for _, _, i in drained:
                    self.held[self.groups[i].id] = (f"agreement.order: a household of an earlier category at "
                                                    f"{bucket.origin} cannot leave ({reason.split(':')[0]})")
                self._gone(other, len(drained))

    def _departure(self, bucket: Bucket, start: int, group: int, k: int = 1) -> tuple[int, int | None] | None | str:
        """The earliest departure >= `start` of k vehicles for the bucket with group index `group` aboard, within
        the agreed end and the quotas: (depart, convoy), None when the corridor or the end allows none, or the
        reason the group is left out (no period's quota can take it before the end)."""
        start = self._floor(bucket, start)
        while True:
            found = self.rules.earliest_loaded(bucket.origin, bucket.destination, start, k)
            if found is None or (self.end is not None and found[0] >= self.end):
                return None
            if self.quotas is None:
                return found
            allowed = self.quotas.earliest(found[0], group)
            if allowed == found[0]:
                return found
            if self.end is not None and allowed >= self.end:
                return "agreement.quota: no period's quota before the agreed end has room for it"
            start = allowed

    def _go(self, index: int, bucket: Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        try:
            if head[3] in bucket.big:
                self._convoy(index, bucket, head)
            else:
                self._send(index, bucket, head)
        except Retire:
            self.retired.add(index)

    def _choose(self, index: int) -> tuple[Bucket, tuple[Key, int, Class, Shape]] | None:
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
            if not bucket.waiting or not self.turns.open(bucket):
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

    def _leave(self, index: int, bucket: Bucket, head) -> int | None:
        """The earliest departure of vehicle `index` from the bucket's gathering point, every rule kept (not booked)."""
        here, now = self.position[index], self.free[index]
        at = now
        if here != bucket.origin:
            leave = self.rules.earliest_empty(here, bucket.origin, now)
            if leave is None:
                return None
            at = leave + self.minutes(here, bucket.origin)
        start = self._floor(bucket, max(at, head[1]) + self.problem.boarding_minutes)
        found = self.rules.earliest_loaded(bucket.origin, bucket.destination, start)
        return None if found is None or (self.end is not None and found[0] >= self.end) else found[0]

    def _to_gathering_point(self, index: int, g: str) -> tuple[int, tuple[str, str, int] | None]:
        """Book the empty move of vehicle `index` to g; (its arrival there, the move or None)."""
        here, now = self.position[index], self.free[index]
        if here == g:
            return now, None
        leave = self.rules.earliest_empty(here, g, now)
        if leave is None:
            raise Retire
        self.rules.book_empty(here, g, leave)
        return leave + self.minutes(here, g), (here, g, leave)

    def _send(self, index: int, bucket: Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        """One vehicle fetches the best waiting groups that fit it, first-fit."""
        vehicle = self.vehicles[index]
        at, move = self._to_gathering_point(index, bucket.origin)
        start = max(at, head[1]) + self.problem.boarding_minutes
        found = self._departure(bucket, start, self.index_of[head[0][-1]])
        if found is None or isinstance(found, str):
            if move is not None:
                self.rules.unbook_empty(*move)
            if found is None:
                raise Retire
            self._hold(bucket, bucket.take(head[2], head[3])[2], found)
            heappush(self.heap, (self.free[index], index, self.version[index]))
            return
        depart, convoy = found
        admit = None if self.quotas is None else self.quotas.admit(depart)
        taken = bucket.fill(vehicle.seats, vehicle.stretchers, depart - self.problem.boarding_minutes, admit)
        assert taken, "the group the vehicle came for is ready and fits"
        self._gone(bucket, len(taken))
        convoy = self.rules.book_loaded(bucket.origin, bucket.destination, depart, 1, convoy)
        loads = [(self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, _, i in taken]
        self._record(index, bucket, depart, loads, convoy, move)

    def _convoy(self, index: int, bucket: Bucket, head: tuple[Key, int, Class, Shape]) -> None:
        """Split an oversized household over the vehicles that can be at its gathering point first."""
        _, _, kind, form = head
        item = bucket.take(kind, form)
        group_index = item[2]
        self._gone(bucket, 1)
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
        except Retire:
            for _, move in booked:
                if move is not None:
                    self.rules.unbook_empty(*move)
            self.stuck.append(group)
            return
        start = max(max(at for at, _ in booked), group.ready_at) + self.problem.boarding_minutes
        found = self._departure(bucket, start, group_index, len(chosen))
        if found is None or isinstance(found, str):
            for _, move in booked:
                if move is not None:
                    self.rules.unbook_empty(*move)
            if found is None and self.end is None:
                self.stuck.append(group)
                return
            self._hold(bucket, group_index, found or "agreement.period: no vehicles can take it before the agreed end",
                       counted=True)
            if index not in self.retired:
                heappush(self.heap, (self.free[index], index, self.version[index]))
            return
        depart, convoy = found
        if self.quotas is not None:
            self.quotas.take(depart, group_index)
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
                vehicle.seats - seated, vehicle.stretchers - stretcher, depart - self.problem.boarding_minutes,
                None if self.quotas is None else self.quotas.admit(depart),
            )
            self._gone(bucket, len(extra))
            loads = [(group.id, share)] + [
                (self.groups[i].id, self.groups[i].seated + self.groups[i].stretcher) for _, _, i in extra
            ]
            self._record(other, bucket, depart, loads, convoy, move)
        if index not in {other for other, _, _ in chosen}:
            heappush(self.heap, (self.free[index], index, self.version[index]))

    def _record(
        self,
        index: int,
        bucket: Bucket,
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
        self.turns.departed(bucket, depart)
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
        last = self.problem.windows[-1][1] if self.problem.windows else None
        if self.end is not None and (last is None or last > self.end):
            for group in left:  # the agreed end came before a vehicle could carry it
                self.held[group.id] = "agreement.period: no vehicle can take it before the agreed end"
            return
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
