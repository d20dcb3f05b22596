"""The planning problem as plain immutable values (its answer, the `Plan`, is in `plan.py`).

The planner knows nothing of storage, the web or wall-clock time: a service
turns the operation's state into a `Problem` (times in whole minutes from an
epoch it chooses, usually "now") and turns the returned `Plan` back into trips.

Timing model
------------

A *trip* carries groups from a gathering point g to a reception centre r; an
*empty move* takes a vehicle, carrying nobody, from where it is to the
gathering point of its next trip. The vehicle being free at site s at minute t:

    empty move (only if s != g): leaves s at  l >= t,  is at g at  at_gp = l + travel(s, g)
                                  (with s == g:  at_gp = t)
    depart  >= max(at_gp, ready_at of every group aboard) + boarding_minutes
    arrive  =  depart + travel(g, r)
    free    =  arrive + unloading_minutes       (the vehicle is then at r)

A vehicle may wait anywhere it stops (before an empty move, at the gathering
point after boarding). Seats carry seated persons only; stretcher places carry
stretcher cases only. The finish time (makespan) of a plan is its latest
`arrive`: the minute the last person reaches a reception centre.

The corridor
------------

A route a -> b passes the checkpoints `checkpoints_on[(a, b)]`, in order, each
with the minutes from leaving a (a pair that is absent passes none). A vehicle
*passes* checkpoint c at minute `departure + minutes`; loaded trips and empty
moves alike, in either direction.

* Windows. With `windows` given, the corridor is open only in those minutes:
  `open <= m < close` for some window. A trip departs its gathering point only
  in an open minute, and every passage of a checkpoint, loaded or empty,
  happens in an open minute. `windows=None`: always open. After the last
  window closes the corridor stays shut (give windows far enough ahead, e.g.
  `daily_windows(...)` for 60 days).
* Checkpoint rate. `checkpoint_rate[c] = K`: in every 60-minute sliding window
  (minutes m .. m+59, for every m) at most K passages of c, counting loaded
  trips, empty moves and `booked_passages`, both directions. Empty moves count:
  the conservative choice. Checkpoints not named have no limit. (Should the
  booked passages alone crowd an hour beyond K, nothing planned passes then.)
* Convoys. The trips that leave the same gathering point at the same minute
  form one convoy (and share its `convoy` number in the plan): at most
  `convoy_size` vehicles. A trip *enters the corridor* when it passes the first
  checkpoint of its route (when it departs, if its route passes none). Trips
  of different convoys enter the corridor at least `convoy_gap` minutes apart,
  corridor-wide, and at least `convoy_gap` minutes from each of
  `booked_entries`. Empty moves are not convoys.

The agreement (all optional: the defaults impose nothing)
---------------------------------------------------------

* The agreed end. With `departures_end` given, no trip departs at or after
  that minute; groups that cannot leave before it are left out of the plan
  (`Plan.unplaced`, rule ``agreement.period``).
* Quotas per period. Each `PeriodQuota` caps the persons (of one category,
  `Group.kinds`, or everyone) whose trip departs in each of its periods
  `[start, end)`: at most that period's limit (what is left of it). A
  departure in no listed period is not limited by it. Groups that no period
  left can take are left out (rule ``agreement.quota``); a later period's
  quota is used for later trips.
* Order per gathering point. At a gathering point a group of a later `turn`
  leaves only once every group of an earlier turn there has left: no trip
  carrying it departs before the last departure of an earlier turn from that
  point (the same convoy may carry both), and none while a group of an
  earlier turn there is left out (rule ``agreement.order``). Different points
  do not wait for each other.

Deadlines
---------

`Group.deadline` is the minute by which the group must have *arrived at a
reception centre* ("urgent within 1 hour" = arrive by ready + 60 minutes).
`build.build_problem` computes it as max(operation start, registration) plus
the precedence's `deadline_minutes` (domain vocabulary), minus the epoch (it
may be negative when already overdue); None when the group has no medical
precedence. A plan that
cannot meet a deadline lists the group in `Plan.missed`, with the minutes late.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from types import MappingProxyType
from typing import Mapping

from corridor.domain.values import Precedence as _Vocabulary

DAY = 1440


# MEDEVAC precedence as the planner orders it (lower goes first): the domain's rank, as an int.
Precedence = IntEnum("Precedence", {p.name: p.rank for p in _Vocabulary})  # type: ignore[misc]
Precedence.__doc__ = "MEDEVAC precedence: lower goes first (the rank of `domain.values.Precedence`)."

# Minutes from ready to arrival at a reception centre, by precedence (None: no deadline): the domain's.
DEADLINE_MINUTES: Mapping[Precedence, int | None] = MappingProxyType(
    {Precedence[p.name]: p.deadline_minutes for p in _Vocabulary}
)


class ProblemError(ValueError):
    """A problem that is malformed (not merely unplannable)."""


@dataclass(frozen=True, slots=True)
class Group:
    """People who travel together: a household, never split unless it fits in no vehicle."""

    id: str
    origin: str  # gathering point
    destination: str | None  # reception centre, or None for any
    seated: tuple[str, ...] = ()
    stretcher: tuple[str, ...] = ()
    precedence: Precedence = Precedence.NONE
    vulnerable: bool = False
    ready_at: int = 0
    order: int = 0  # registration order, the last tie-break
    deadline: int | None = None  # arrive at a reception centre by this minute (None: no deadline)
    compartment: int = 0  # groups of different compartments never share a vehicle (an agreement's rule)
    turn: int = 0  # the agreement's order: at its gathering point it leaves after every group of an earlier turn
    kinds: tuple[tuple[str, int], ...] = ()  # persons by the agreement's category (for quotas); () : none counted

    def count(self, category: str | None) -> int:
        """Persons of `category` in the group (None: everyone)."""
        if category is None:
            return self.size
        for code, n in self.kinds:
            if code == category:
                return n
        return 0

    @property
    def size(self) -> int:
        return len(self.seated) + len(self.stretcher)

    def __post_init__(self) -> None:
        if not self.seated and not self.stretcher:
            raise ProblemError(f"group {self.id}: has no persons")
        if self.ready_at < 0:
            raise ProblemError(f"group {self.id}: ready_at must be >= 0, got {self.ready_at}")


@dataclass(frozen=True, slots=True)
class Vehicle:
    id: str
    seats: int
    stretchers: int
    site: str  # where it becomes available
    available_at: int = 0

    def __post_init__(self) -> None:
        if self.seats < 0 or self.stretchers < 0:
            raise ProblemError(f"vehicle {self.id}: seats and stretchers must be >= 0")
        if self.seats + self.stretchers == 0:
            raise ProblemError(f"vehicle {self.id}: carries nobody (no seats, no stretcher places)")
        if self.available_at < 0:
            raise ProblemError(f"vehicle {self.id}: available_at must be >= 0")

    def fits(self, seated: int, stretcher: int) -> bool:
        return seated <= self.seats and stretcher <= self.stretchers


Window = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PeriodQuota:
    """At most `limit` persons of `category` (None: everyone) depart in each period (start, end, limit)."""

    category: str | None
    periods: tuple[tuple[int, int, int], ...]  # sorted, not overlapping; limit: what is left of the period

    def __post_init__(self) -> None:
        last = None
        for start, end, limit in self.periods:
            if start >= end or limit < 0 or (last is not None and start < last):
                raise ProblemError(f"quota {self.category or 'everyone'}: periods must be sorted, apart, limits >= 0")
            last = end


Passage = tuple[str, int]  # (checkpoint, minutes)


def daily_windows(opens: int, closes: int, days: int = 60) -> tuple[Window, ...]:
    """The same window every day for `days` days: the first from minute `opens` to `closes`.

    `opens` may be negative (the corridor opened before the epoch); e.g. an epoch
    at 05:00 and a corridor open 06:00-18:00 give `daily_windows(60, 780)`; an
    epoch at 14:00 gives `daily_windows(-480, 240)`.
    """
    if not opens < closes <= opens + DAY:
        raise ProblemError(f"daily window: need opens < closes <= opens + {DAY}, got {opens}, {closes}")
    return tuple((opens + n * DAY, closes + n * DAY) for n in range(days))


def _merged(windows) -> tuple[Window, ...]:
    out: list[list[int]] = []
    for a, b in sorted((int(a), int(b)) for a, b in windows):
        if a >= b:
            raise ProblemError(f"window ({a}, {b}): must open before it closes")
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True)
class Problem:
    """Everything the planner needs, validated when made. See the module docstring for the rules."""

    groups: tuple[Group, ...]
    vehicles: tuple[Vehicle, ...]
    gathering_points: tuple[str, ...]
    centres: Mapping[str, int | None]  # reception centre -> capacity (None: unlimited)
    travel: Mapping[tuple[str, str], int]  # minutes between sites, both directions given
    boarding_minutes: int = 15
    unloading_minutes: int = 10
    already_received: Mapping[str, int] = field(default_factory=dict)  # persons already at/bound for a centre
    # -- the corridor (all optional: the defaults impose nothing) --
    checkpoints_on: Mapping[tuple[str, str], tuple[Passage, ...]] = field(default_factory=dict)
    convoy_size: int | None = None  # most vehicles in one convoy (None: no limit)
    convoy_gap: int = 0  # least minutes between two convoys entering the corridor (None: 0)
    checkpoint_rate: Mapping[str, int] = field(default_factory=dict)  # checkpoint -> most passages an hour
    windows: tuple[Window, ...] | None = None  # open minutes [open, close); None: always open
    booked_passages: tuple[Passage, ...] = ()  # passages by trips already under way (count against the rate)
    booked_entries: tuple[int, ...] = ()  # corridor entries of convoys already under way (keep the gap)
    # -- the agreement (see the module docstring) --
    departures_end: int | None = None  # no trip departs at or after this minute (None: no end)
    quotas: tuple[PeriodQuota, ...] = ()

    @property
    def agreed(self) -> bool:
        """Whether the agreement may leave groups out of a plan (an end or quotas)."""
        return self.departures_end is not None or bool(self.quotas)

    def __post_init__(self) -> None:
        object.__setattr__(self, "centres", MappingProxyType(dict(self.centres)))
        object.__setattr__(self, "travel", MappingProxyType(dict(self.travel)))
        object.__setattr__(self, "already_received", MappingProxyType(dict(self.already_received)))
        object.__setattr__(
            self,
            "checkpoints_on",
            MappingProxyType({pair: tuple((c, int(m)) for c, m in on) for pair, on in self.checkpoints_on.items()}),
        )
        object.__setattr__(self, "checkpoint_rate", MappingProxyType(dict(self.checkpoint_rate)))
        if self.windows is not None:
            object.__setattr__(self, "windows", _merged(self.windows))
        object.__setattr__(self, "booked_passages", tuple((c, int(m)) for c, m in self.booked_passages))
        object.__setattr__(self, "booked_entries", tuple(int(m) for m in self.booked_entries))
        if self.convoy_gap is None:
            object.__setattr__(self, "convoy_gap", 0)
        seen: set[str] = set()
        for g in self.groups:
            if g.id in seen:
                raise ProblemError(f"group {g.id}: appears twice")
            seen.add(g.id)
            if g.origin not in self.gathering_points:
                raise ProblemError(f"group {g.id}: origin {g.origin!r} is not a gathering point")
            if g.destination is not None and g.destination not in self.centres:
                raise ProblemError(f"group {g.id}: destination {g.destination!r} is not a reception centre")
        if len({v.id for v in self.vehicles}) != len(self.vehicles):
            raise ProblemError("vehicle ids must be unique")
        for (a, b), minutes in self.travel.items():
            if minutes < 0:
                raise ProblemError(f"travel {a}->{b}: minutes must be >= 0, got {minutes}")
        if self.boarding_minutes < 0 or self.unloading_minutes < 0:
            raise ProblemError("boarding and unloading minutes must be >= 0")
        for (a, b), on in self.checkpoints_on.items():
            total = self.minutes(a, b)
            if total is None:
                raise ProblemError(f"checkpoints_on {a}->{b}: no travel between them")
            last = 0
            for checkpoint, minutes in on:
                if not last <= minutes <= total:
                    raise ProblemError(
                        f"checkpoints_on {a}->{b}: {checkpoint} at {minutes} min is out of order or beyond the trip"
                    )
                last = minutes
        if self.convoy_size is not None and self.convoy_size < 1:
            raise ProblemError(f"convoy_size must be >= 1 or None, got {self.convoy_size}")
        if self.convoy_gap < 0:
            raise ProblemError(f"convoy_gap must be >= 0, got {self.convoy_gap}")
        for checkpoint, rate in self.checkpoint_rate.items():
            if rate < 1:
                raise ProblemError(f"checkpoint_rate {checkpoint}: must be >= 1 vehicle an hour, got {rate}")

    def minutes(self, a: str, b: str) -> int | None:
        """Travel minutes from a to b, or None where no route joins them."""
        if a == b:
            return 0
        return self.travel.get((a, b))

    def on_route(self, a: str, b: str) -> tuple[Passage, ...]:
        """The checkpoints passed from a to b, in order, with minutes from leaving a."""
        if a == b:
            return ()
        return self.checkpoints_on.get((a, b), ())

    def is_open(self, minute: int) -> bool:
        """Whether the corridor is open at `minute`."""
        if self.windows is None:
            return True
        return any(a <= minute < b for a, b in self.windows)

    def replace(self, **changes) -> Problem:
        return replace(self, **changes)
