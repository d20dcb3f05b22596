"""The corridor's rules as fast look-ups: windows, checkpoint rates, convoys.

`Openings` answers "when may a movement start so that every constrained minute
of it falls in an open window"; `Rate` keeps the passages of one checkpoint and
answers "may k more pass at minute m" under the 60-minute sliding-window rate;
`Corridor` holds the whole state while a plan is built and finds the earliest
departure that keeps every rule. The rules themselves are stated in
`problem.py`; the tests check plans against them independently.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from corridor.planning.problem import Problem

HOUR = 60
_BASE = HOUR  # passages from minute -59 on are counted


class Openings:
    """The start minutes d of a movement such that d + o is open for every offset o (a union of intervals)."""

    __slots__ = ("always", "starts", "ends")

    def __init__(self, windows: tuple[tuple[int, int], ...] | None, offsets: tuple[int, ...]):
        self.always = windows is None or not offsets
        self.starts: list[int] = []
        self.ends: list[int] = []
        if self.always:
            return
        assert windows is not None
        current = [(a - offsets[0], b - offsets[0]) for a, b in windows]
        for offset in offsets[1:]:
            other = [(a - offset, b - offset) for a, b in windows]
            current = _intersect(current, other)
        self.starts = [a for a, _ in current]
        self.ends = [b for _, b in current]

    def next(self, t: int) -> int | None:
        """The earliest allowed start >= t, or None if there is none."""
        if self.always:
            return t
        i = bisect_right(self.ends, t)
        if i == len(self.ends):
            return None
        start = self.starts[i]
        return t if t >= start else start

    def prev(self, t: int) -> int | None:
        """The latest allowed start <= t, or None if there is none."""
        if self.always:
            return t
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return None
        end = self.ends[i] - 1
        return t if t <= end else end

    @property
    def never(self) -> bool:
        return not self.always and not self.starts

    def last(self) -> int | None:
        """The latest allowed start (None: unbounded or none)."""
        if self.always or not self.ends:
            return None
        return self.ends[-1] - 1


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


class Rate:
    """Passages of one checkpoint under "at most `limit` in any 60 consecutive minutes"."""

    __slots__ = ("limit", "window")

    def __init__(self, limit: int):
        self.limit = limit
        self.window: list[int] = []  # window[i]: passages in minutes (i - _BASE) .. (i - _BASE + 59)

    def _grow(self, size: int) -> None:
        if size > len(self.window):
            self.window.extend([0] * max(size - len(self.window), 4096))

    def ok(self, minute: int, k: int = 1) -> bool:
        if k > self.limit:
            return False
        hi = minute + _BASE + 1
        if hi <= 0:
            return True
        lo = max(0, hi - HOUR)
        self._grow(hi)
        return max(self.window[lo:hi]) + k <= self.limit

    def next_ok(self, minute: int, k: int = 1) -> int | None:
        """The earliest minute >= `minute` at which k more may pass (None if k exceeds the limit)."""
        if k > self.limit:
            return None
        room = self.limit - k
        window = self.window
        while True:
            hi = minute + _BASE + 1
            if hi <= 0:
                return minute
            lo = max(0, hi - HOUR)
            self._grow(hi)
            window = self.window
            if max(window[lo:hi]) <= room:
                return minute
            j = hi - 1
            while window[j] <= room:
                j -= 1
            minute = j - _BASE + HOUR  # past the full window that starts at minute j - _BASE

    def add(self, minute: int, k: int = 1) -> None:
        hi = minute + _BASE + 1
        if hi <= 0:
            return
        lo = max(0, hi - HOUR)
        self._grow(hi)
        window = self.window
        for i in range(lo, hi):
            window[i] += k

    def remove(self, minute: int, k: int = 1) -> None:
        self.add(minute, -k)


@dataclass(frozen=True, slots=True)
class Route:
    """One pair of sites as the rules see it."""

    minutes: int
    passages: tuple[tuple[str, int], ...]
    limited: tuple[tuple[Rate, int], ...]  # (rate, minutes from the start) for the rate-limited checkpoints
    entry: int  # minutes from departure to entering the corridor (first checkpoint; 0 if none)
    loaded: Openings  # departure and every passage open
    empty: Openings  # every passage open


class Corridor:
    """The rules' state while a plan is built: booked passages, convoy entries, convoys."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.windows = problem.windows
        self.rates = {c: Rate(k) for c, k in problem.checkpoint_rate.items()}
        for checkpoint, minute in problem.booked_passages:
            if checkpoint in self.rates:
                self.rates[checkpoint].add(minute)
        self.size = problem.convoy_size
        self.gap = problem.convoy_gap
        self.entries: list[tuple[int, int]] = sorted((m, -1) for m in problem.booked_entries)  # (minute, convoy)
        self.convoys: dict[tuple[str, int], list[int]] = {}  # (gathering point, depart) -> [convoy, vehicles]
        self.departures: dict[str, list[int]] = {}  # gathering point -> sorted departure minutes of its convoys
        self.number = 0
        self._routes: dict[tuple[str, str], Route] = {}
        self.strict = bool(self.rates or self.gap or self.size is not None)

    def route(self, a: str, b: str) -> Route:
        found = self._routes.get((a, b))
        if found is None:
            minutes = self.problem.minutes(a, b)
            assert minutes is not None, f"no route {a}->{b}"
            passages = self.problem.on_route(a, b)
            offsets = tuple(m for _, m in passages)
            limited = tuple((self.rates[c], m) for c, m in passages if c in self.rates)
            entry = passages[0][1] if passages else 0
            found = Route(minutes, passages, limited, entry, Openings(self.windows, (0, *offsets)),
                          Openings(self.windows, offsets))
            self._routes[(a, b)] = found
        return found

    # -- empty moves ------------------------------------------------------------------------------

    def earliest_empty(self, a: str, b: str, t: int) -> int | None:
        """The earliest minute >= t an empty move a -> b may leave, or None."""
        route = self.route(a, b)
        d = t
        while True:
            d = route.empty.next(d)
            if d is None:
                return None
            for rate, offset in route.limited:
                m = rate.next_ok(d + offset)
                if m is None:
                    return None
                if m != d + offset:
                    d = m - offset
                    break
            else:
                return d

    def book_empty(self, a: str, b: str, depart: int, k: int = 1) -> None:
        for rate, offset in self.route(a, b).limited:
            rate.add(depart + offset, k)

    def unbook_empty(self, a: str, b: str, depart: int, k: int = 1) -> None:
        for rate, offset in self.route(a, b).limited:
            rate.remove(depart + offset, k)

    # -- loaded trips -----------------------------------------------------------------------------

    def _gap_free(self, entry: int, convoy: int | None) -> int:
        """The earliest entry >= `entry` at least `gap` from every other convoy's entry."""
        gap = self.gap
        if not gap:
            return entry
        entries = self.entries
        while True:
            i = bisect_left(entries, (entry - gap + 1, -2))
            clash = None
            while i < len(entries) and entries[i][0] < entry + gap:
                if entries[i][1] != convoy:
                    clash = entries[i][0]
                i += 1
            if clash is None:
                return entry
            entry = clash + gap

    def _joinable(self, route: Route, g: str, d: int, k: int) -> int | None:
        """The convoy leaving g at d if k more vehicles on `route` may join it, else None."""
        convoy, vehicles = self.convoys[(g, d)]
        if self.size is not None and vehicles + k > self.size:
            return None
        if route.loaded.next(d) != d:
            return None
        for rate, offset in route.limited:
            if not rate.ok(d + offset, k):
                return None
        if self._gap_free(d + route.entry, convoy) != d + route.entry:
            return None
        return convoy

    def _new(self, route: Route, g: str, t: int, k: int) -> int | None:
        """The earliest departure >= t of a new convoy of k vehicles from g on `route`, or None."""
        if self.size is not None and k > self.size:
            return None
        d = t
        taken = self.convoys
        while True:
            d = route.loaded.next(d)
            if d is None:
                return None
            for rate, offset in route.limited:
                m = rate.next_ok(d + offset, k)
                if m is None:
                    return None
                if m != d + offset:
                    d = m - offset
                    break
            else:
                entry = self._gap_free(d + route.entry, None)
                if entry != d + route.entry:
                    d = entry - route.entry
                elif (g, d) in taken:
                    d += 1
                else:
                    return d

    def earliest_loaded(self, g: str, r: str, t: int, k: int = 1) -> tuple[int, int | None] | None:
        """(departure, convoy to join or None for a new one) of k vehicles g -> r leaving at >= t; None if never."""
        route = self.route(g, r)
        new = self._new(route, g, t, k)
        mine = self.departures.get(g)
        if mine:
            for d in mine[bisect_left(mine, t):]:
                if new is not None and d >= new:
                    break
                convoy = self._joinable(route, g, d, k)
                if convoy is not None:
                    return d, convoy
        return None if new is None else (new, None)

    def book_loaded(self, g: str, r: str, depart: int, k: int, convoy: int | None) -> int:
        """Record k vehicles leaving g for r at `depart`; returns their convoy number."""
        route = self.route(g, r)
        if convoy is None:
            self.number += 1
            convoy = self.number
            self.convoys[(g, depart)] = [convoy, 0]
            insort(self.departures.setdefault(g, []), depart)
        self.convoys[(g, depart)][1] += k
        if self.gap:
            entry = (depart + route.entry, convoy)
            i = bisect_left(self.entries, entry)
            if i == len(self.entries) or self.entries[i] != entry:
                self.entries.insert(i, entry)
        for rate, offset in route.limited:
            rate.add(depart + offset, k)
        return convoy
