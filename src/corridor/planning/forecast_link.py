"""The linked operation in the forecast (`forecast.py`): when departures here may proceed, from its expected progress.

The agreement may tie this evacuation to another (domain/agreement.py): departures here only while the persons
moved there are at least ``ratio`` × the persons moved here, or along a schedule of ``steps`` (once ``there`` have
moved there, up to ``here`` may have left here). The forecast does not know the linked operation's future, so it
takes its *expected progress*: from the latest recorded figure on, at the pace its recorded figures show
(`pace`), up to its last step (for steps: no more is unlocked beyond it). A trip here departs no earlier than the
minute that progress lets the persons here up to and including it leave (trips counted in their planned order);
persons carried after the plan wait for the link the same way. No recorded progress: the link can still open
nothing more, so whatever it does not allow now never leaves (the forecast says so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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

    def there_by(self, minute: float) -> float:
        """The persons the linked operation is expected to have moved by `minute`."""
        there = self.moved_there + self.pace * max(0.0, minute - self.as_of)
        return min(there, self.steps[-1][0]) if self.steps else there

    def time_for(self, leaving) -> np.ndarray:
        """The earliest minute (>= 0; inf: never) by which `leaving` persons in all may have left here."""
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
            wait = self.as_of + short / self.pace
        else:
            wait = np.where(short > 0, np.inf, 0.0)
        return np.where(short <= 0, 0.0, np.maximum(wait, 0.0))

    def gates(self, depart: np.ndarray, persons: np.ndarray, left: np.ndarray) -> np.ndarray:
        """Per trip, the earliest minute the link lets it depart: the trips not `left` yet, counted in planned
        order of departure (-inf for those that have left)."""
        out = np.full(len(depart), -np.inf)
        todo = np.nonzero(~left)[0]
        if len(todo):
            order = todo[np.argsort(depart[todo], kind="stable")]
            out[order] = self.time_for(self.moved_here + np.cumsum(persons[order]))
        return out

    def words(self) -> str:
        if self.pace <= 0:
            return (f"{self.name}: no progress recorded yet (moved {self.moved_there:,.0f}); the forecast cannot "
                    "tell when the link opens further")
        return (f"{self.name}: expected to move about {self.pace * 1440:,.0f} persons a day "
                f"(moved {self.moved_there:,.0f})")
