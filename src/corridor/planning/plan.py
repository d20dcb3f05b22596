"""The planner's answer, as plain immutable values: trips, empty moves, missed deadlines, the `Plan`.

Times are whole minutes from the problem's epoch (see `problem.py` for the rules a plan keeps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from corridor.planning.problem import Precedence


# Weight of one person's waiting minute in `Plan.wait`, by precedence.
WAIT_WEIGHT: Mapping[Precedence, int] = MappingProxyType(
    {Precedence.URGENT: 8, Precedence.PRIORITY: 4, Precedence.ROUTINE: 2, Precedence.NONE: 1}
)


@dataclass(frozen=True, slots=True)
class PlannedTrip:
    vehicle: str
    origin: str
    destination: str
    depart: int
    arrive: int
    groups: tuple[str, ...]
    persons: tuple[str, ...]  # seated and stretcher persons together
    convoy: int  # trips with the same convoy number leave the same gathering point at the same minute


@dataclass(frozen=True, slots=True)
class EmptyMove:
    """A vehicle driving, carrying nobody, to the gathering point of its next trip."""

    vehicle: str
    origin: str
    destination: str
    depart: int
    arrive: int


@dataclass(frozen=True, slots=True)
class Unplaced:
    group: str
    reason: str


@dataclass(frozen=True, slots=True)
class Missed:
    """A group that reaches a reception centre after its deadline."""

    group: str
    persons: tuple[str, ...]
    deadline: int
    arrive: int  # when its last member arrives
    late_by: int  # arrive - deadline, minutes (> 0)
    unavoidable: bool  # True: no plan at all can bring it in time (its earliest possible arrival is later)


@dataclass(frozen=True)
class Plan:
    trips: tuple[PlannedTrip, ...]
    finish: int  # makespan: latest arrival, minutes from the epoch
    lower_bound: int  # no plan (carrying the same groups) can finish earlier
    planner: str
    unplaced: tuple[Unplaced, ...] = ()  # groups the agreement's end or quotas leave out (reason: "agreement.…: …")
    missed: tuple[Missed, ...] = ()  # deadlines not met, earliest deadline first
    moves: tuple[EmptyMove, ...] = ()  # the empty moves between trips
    wait: int = 0  # sum over persons of WAIT_WEIGHT[precedence] * (arrive - ready_at)
    bounds: Mapping[str, int] = field(default_factory=dict)  # each lower bound by name (the largest is lower_bound)

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
