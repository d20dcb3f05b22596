"""The planning problem and its answer, as plain immutable values.

The planner knows nothing of storage, the web or wall-clock time: a service
turns the operation's state into a `Problem` (times in whole minutes from an
epoch it chooses) and turns the returned `Plan` back into trips.

Timing model of one trip of vehicle v from gathering point g to reception
centre r, the vehicle being free at site s at minute t:

    at_gp   = t + travel(s, g)
    depart  = max(at_gp, ready_at of every group aboard) + boarding_minutes
    arrive  = depart + travel(g, r)
    free    = arrive + unloading_minutes       (the vehicle is then at r)

Seats carry seated persons only; stretcher places carry stretcher cases only.
The finish time (makespan) of a plan is its latest `arrive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from types import MappingProxyType
from typing import Mapping


class Precedence(IntEnum):
    """MEDEVAC precedence: lower goes first."""

    URGENT = 0  # within 1 hour
    PRIORITY = 1  # within 4 hours
    ROUTINE = 2  # within 24 hours
    NONE = 3  # no medical precedence


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


@dataclass(frozen=True)
class Problem:
    """Everything the planner needs, validated when made."""

    groups: tuple[Group, ...]
    vehicles: tuple[Vehicle, ...]
    gathering_points: tuple[str, ...]
    centres: Mapping[str, int | None]  # reception centre -> capacity (None: unlimited)
    travel: Mapping[tuple[str, str], int]  # minutes between sites, both directions given
    boarding_minutes: int = 15
    unloading_minutes: int = 10
    already_received: Mapping[str, int] = field(default_factory=dict)  # persons already at/bound for a centre

    def __post_init__(self) -> None:
        object.__setattr__(self, "centres", MappingProxyType(dict(self.centres)))
        object.__setattr__(self, "travel", MappingProxyType(dict(self.travel)))
        object.__setattr__(self, "already_received", MappingProxyType(dict(self.already_received)))
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

    def minutes(self, a: str, b: str) -> int | None:
        """Travel minutes from a to b, or None where no route joins them."""
        if a == b:
            return 0
        return self.travel.get((a, b))

    def replace(self, **changes) -> Problem:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class PlannedTrip:
    vehicle: str
    origin: str
    destination: str
    depart: int
    arrive: int
    groups: tuple[str, ...]
    persons: tuple[str, ...]  # seated and stretcher persons together
    convoy: int  # trips with the same convoy number leave together


@dataclass(frozen=True, slots=True)
class Unplaced:
    group: str
    reason: str


@dataclass(frozen=True)
class Plan:
    trips: tuple[PlannedTrip, ...]
    finish: int  # makespan: latest arrival, minutes from the epoch
    lower_bound: int  # no plan can finish earlier
    planner: str
    unplaced: tuple[Unplaced, ...] = ()

    @property
    def gap(self) -> float:
        """Relative distance of the finish from the lower bound (0.0 = proven optimal)."""
        if self.finish <= 0:
            return 0.0
        return (self.finish - self.lower_bound) / self.finish


class Unplannable(Exception):
    """The problem cannot be planned; `reasons` names what cannot be placed and why."""

    def __init__(self, reasons: list[Unplaced]):
        self.reasons = reasons
        head = "; ".join(f"{u.group}: {u.reason}" for u in reasons[:5])
        more = f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else ""
        super().__init__(f"cannot plan {len(reasons)} group(s): {head}{more}")
