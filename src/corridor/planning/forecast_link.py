"""The linked operation in the forecast (`forecast.py`): when departures here may proceed, from its expected progress.

The agreement may tie this evacuation to another (domain/agreement.py): departures here only while the persons
moved there are at least ``ratio`` × the persons moved here, or along a schedule of ``steps`` (once ``there`` have
moved there, up to ``here`` may have left here). The forecast does not know the linked operation's future, so it
takes its *expected progress*: from the latest recorded figure on, at the pace its recorded figures show
(`pace`), up to its last step (for steps: no more is unlocked beyond it). A trip here departs no earlier than the
minute that progress lets the persons here up to and including it leave (trips counted in their planned order);
persons carried after the plan wait for the link the same way. No recorded progress: the link can still open
nothing more, so whatever it does not allow now never leaves (the forecast says so).

That pace is not known for sure: with disruption, each run draws its own pace around it, log-normal with mean
the expected pace and spread `pace_sigma` — from how much the pace varied between the recorded figures
(`pace_spread`), or `PACE_SPREAD_PRIOR` while fewer than three figures show it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PACE_SPREAD_PRIOR = 0.3  # log-sd of the linked operation's pace before its figures show one: ±30 % is a typical run
PACE_SPREAD_FLOOR = 0.1  # even a steady pace so far is no promise about the days ahead


def pace_spread(paces: Sequence[float]) -> float:
    """The log-normal spread of the linked operation's pace, from its paces between successive recorded figures
    (persons a minute): their coefficient of variation as a log-sd, at least `PACE_SPREAD_FLOOR`; fewer than two
    paces: `PACE_SPREAD_PRIOR`."""
    if len(paces) < 2:
        return PACE_SPREAD_PRIOR
    mean = float(np.mean(paces))
    if mean <= 0:
        return PACE_SPREAD_PRIOR
    cv = float(np.std(paces)) / mean
    return max(PACE_SPREAD_FLOOR, math.sqrt(math.log1p(cv * cv)))


@dataclass(frozen=True)
class LinkModel:
    """The link and the linked operation's expected progress, in minutes from now (minute 0)."""

    name: str
    moved_here: float  # persons who have left here already
    moved_there: float  # persons the linked operation has moved, at its latest figure
    as_of: float  # minute of that figure (<= 0)
    pace: float  # persons it moves a minute (0: no progress seen)
    ratio: float | None = None
    steps: tuple[tuple[float, float], ...] = ()  # (there, here), going up
    name_ar: str = ""  # the name in Arabic, for the Arabic screens
    pace_sigma: float = 0.0  # log-sd of the pace between runs with disruption (0: every run at `pace`)

    def paces(self, rng, runs: int) -> np.ndarray | None:
        """Each run's factor on the pace, (runs, 1), mean 1; None when the pace does not vary."""
        if self.pace <= 0 or self.pace_sigma <= 0:
            return None
        return rng.lognormal(-self.pace_sigma ** 2 / 2, self.pace_sigma, (runs, 1))

    def there_by(self, minute: float) -> float:
        """The persons the linked operation is expected to have moved by `minute`."""
        there = self.moved_there + self.pace * max(0.0, minute - self.as_of)
        return min(there, self.steps[-1][0]) if self.steps else there

    def time_for(self, leaving, scale=1.0) -> np.ndarray:
        """The earliest minute (>= 0; inf: never) by which `leaving` persons in all may have left here; `scale`: the
        pace's factor (from `paces`: one row per run)."""
        leaving = np.asarray(leaving, float)
        if self.ratio is not None:
            needed = self.ratio * leaving - 1e-9
        else:
            heres = np.array([h for _, h in self.steps], float)
            theres = np.array([t for t, _ in self.steps], float)
            i = np.searchsorted(heres, leaving - 1e-9, side="left")  # first step letting that many leave
            needed = np.where(i < len(heres), theres[np.minimum(i, len(heres) - 1)], np.inf)
        short = needed - self.moved_there
        if self.pace > 0:
            wait = self.as_of + short / (self.pace * np.asarray(scale, float))
        else:
            wait = np.where(short > 0, np.inf, 0.0)
        return np.where(short <= 0, 0.0, np.maximum(wait, 0.0))

    def gates(self, depart: np.ndarray, persons: np.ndarray, left: np.ndarray, scale=1.0) -> np.ndarray:
        """Per trip, the earliest minute the link lets it depart: the trips not `left` yet, counted in planned
        order of departure (-inf for those that have left); one row per run for a `scale` from `paces`."""
        leaving = np.zeros(len(depart))
        todo = np.nonzero(~left)[0]
        if len(todo):
            order = todo[np.argsort(depart[todo], kind="stable")]
            leaving[order] = self.moved_here + np.cumsum(persons[order])
        return np.where(left, -np.inf, self.time_for(leaving, scale))

    def words(self) -> str:
        if self.pace <= 0:
            return (f"{self.name}: no progress recorded yet (moved {self.moved_there:,.0f}); the forecast cannot "
                    "tell when the link opens further")
        return (f"{self.name}: expected to move about {self.pace * 1440:,.0f} persons a day "
                f"(moved {self.moved_there:,.0f})")
