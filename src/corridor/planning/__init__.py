"""Evacuation planning: the problem, its plan, and the planners."""

from corridor.planning.greedy import solve
from corridor.planning.plan import WAIT_WEIGHT, EmptyMove, Missed, Plan, PlannedTrip, Unplaced, Unplannable
from corridor.planning.problem import DEADLINE_MINUTES, Group, Precedence, Problem, ProblemError, Vehicle, daily_windows

__all__ = [
    "DEADLINE_MINUTES",
    "WAIT_WEIGHT",
    "EmptyMove",
    "Group",
    "Missed",
    "Plan",
    "PlannedTrip",
    "Precedence",
    "Problem",
    "ProblemError",
    "Unplaced",
    "Unplannable",
    "Vehicle",
    "daily_windows",
    "solve",
]
