"""Evacuation planning: the problem, its plan, and the planners."""

from corridor.planning.greedy import solve
from corridor.planning.problem import (
    Group,
    Plan,
    PlannedTrip,
    Precedence,
    Problem,
    ProblemError,
    Unplaced,
    Unplannable,
    Vehicle,
)

__all__ = [
    "Group",
    "Plan",
    "PlannedTrip",
    "Precedence",
    "Problem",
    "ProblemError",
    "Unplaced",
    "Unplannable",
    "Vehicle",
    "solve",
]
