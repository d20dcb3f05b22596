"""The greedy planner's queues, one per gathering point and destination (`Bucket`),
and the fleet bound's table as a guide to what one vehicle can still do (`Guide`)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from heapq import heapify, heappop, heappush

from corridor.planning.admission import Class, Item, Key, Shape


@dataclass
class Bucket:
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
    turn: int = 0  # the agreement's order of its groups (see `problem.py`)

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

    def drain(self) -> list[Item]:
        """Remove and return every group still waiting here."""
        out = [item for forms in self.queues.values() for queue in forms.values() for item in queue]
        self.queues.clear()
        self.classes.clear()
        self.waiting = 0
        return out

    def fill(self, seats: int, stretchers: int, limit: int, admit=None) -> list[Item]:
        """First-fit: take queue heads ready by `limit` in priority order while they fit the room.

        `admit(group index)`, if given, says whether a group may come too (the agreement's quotas; it books what
        it admits): a queue whose head it refuses gives nobody more to this trip."""
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
            if admit is not None and not admit(queue[0][2]):
                continue
            more = len(queue) > 1 and queue[1][1] <= limit
            taken.append(self.take(kind, form))
            seats -= form[0]
            stretchers -= form[1]
            if more and form[0] <= seats and form[1] <= stretchers:
                heappush(heap, (queue[0][0], kind, form))
        return taken


class Retire(Exception):
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


class Turns:
    """The agreement's order per gathering point (`Group.turn`): which buckets may send vehicles yet, and the
    earliest departure of a later turn (the last departure of an earlier one from the same point)."""

    def __init__(self, buckets: list[Bucket]):
        self.pending: dict[str, dict[int, int]] = {}  # gathering point -> turn -> groups waiting
        for b in buckets:
            by_turn = self.pending.setdefault(b.origin, {})
            by_turn[b.turn] = by_turn.get(b.turn, 0) + b.waiting
        self.active = any(len(t) > 1 for t in self.pending.values())
        self.current = {g: min(t) for g, t in self.pending.items()}  # the turn that may leave now
        self.last: dict[tuple[str, int], int] = {}  # (gathering point, turn) -> latest departure

    def open(self, bucket: Bucket) -> bool:
        return not self.active or bucket.turn <= self.current[bucket.origin]

    def floor(self, bucket: Bucket) -> int | None:
        """The earliest departure for this bucket's groups (None: any)."""
        if not self.active:
            return None
        found = [m for (g, turn), m in self.last.items() if g == bucket.origin and turn < bucket.turn]
        return max(found, default=None)

    def departed(self, bucket: Bucket, depart: int) -> None:
        if self.active:
            key = (bucket.origin, bucket.turn)
            self.last[key] = max(self.last.get(key, depart), depart)

    def gone(self, bucket: Bucket, n: int) -> bool:
        """`n` groups of the bucket left the queue (planned or left out); True when a later turn may now leave."""
        if not self.active or not n:
            return False
        by_turn = self.pending[bucket.origin]
        by_turn[bucket.turn] -= n
        waiting = [t for t, k in by_turn.items() if k > 0]
        now = min(waiting) if waiting else max(by_turn)
        opened = now > self.current[bucket.origin]
        self.current[bucket.origin] = now
        return opened
