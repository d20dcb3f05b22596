"""The published results for the BEP benchmark, read from the CSV files beside the instances.

* ``published-cplex-random.csv`` (``set;instance;solution;time;cplexStatus``):
  CPLEX 12.6 on the random instances, one row per instance; a row whose
  solution is not a number (set 8 instance 9) means no result.
* ``published-grasp-random.csv`` (``Set;instance;Seed;LRCSize;MaxHCIterations;
  TimeLimit[s];BestFO``): GRASP runs on the random instances; ``BestFO`` is the
  makespan one run found.
* ``published-grasp-real.csv`` (``instance;seed;lrc_size;max_hc_iterations;
  time_limit_s;best_makespan_m``): GRASP runs on the Valparaíso instance; a
  name ending in " (bus variation)" belongs to the runs that vary the fleet.

The best published value of an instance is the least of its CPLEX value and
every GRASP run's value. These are claims: a value below a proven optimum is
infeasible (see the benchmark's README).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["CPLEX_STATUS", "Published", "load", "lookup"]

CPLEX_FILE = "published-cplex-random.csv"
GRASP_RANDOM_FILE = "published-grasp-random.csv"
GRASP_REAL_FILE = "published-grasp-real.csv"

#: CPLEX status codes as the benchmark's README reads them.
CPLEX_STATUS = {1: "optimal", 102: "optimal within tolerance", 11: "time limit"}

_RANDOM_NAME = re.compile(r"^BEP-1-(\d+)-(\d+)-(\d+)-i(\d+)$")


@dataclass(frozen=True)
class Published:
    """What was published for one instance (None where nothing was)."""

    instance: str
    cplex: int | None = None
    cplex_status: int | None = None
    grasp: int | None = None
    grasp_runs: int = 0

    @property
    def best(self) -> int | None:
        """The least published makespan, CPLEX's or any GRASP run's."""
        values = [v for v in (self.cplex, self.grasp) if v is not None]
        return min(values) if values else None

    @property
    def by(self) -> str:
        """Who published the best value: "CPLEX", "GRASP" or "CPLEX+GRASP" (the same value); "" if none."""
        best = self.best
        if best is None:
            return ""
        who = [name for name, value in (("CPLEX", self.cplex), ("GRASP", self.grasp)) if value == best]
        return "+".join(who)

    @property
    def cplex_status_text(self) -> str:
        """CPLEX's status in words: "optimal", "time limit", "no result"; "" where CPLEX was not run."""
        if self.cplex_status is None:
            return "no result" if self.cplex is None and random_key(self.instance) else ""
        return CPLEX_STATUS.get(self.cplex_status, f"status {self.cplex_status}")

    @property
    def cplex_claims_optimal(self) -> bool:
        return self.cplex is not None and self.cplex_status in (1, 102)


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [[field.strip() for field in row] for row in csv.reader(handle, delimiter=";")]
    return [row for row in rows[1:] if any(row)]


def random_key(name: str) -> tuple[int, int] | None:
    """(set, instance number) of a random instance's name like BEP-1-3-3-2-i5; None for others."""
    match = _RANDOM_NAME.match(name)
    return (int(match.group(1)), int(match.group(4))) if match else None


@lru_cache(maxsize=8)
def _load(folder: str) -> dict[str, Published]:
    root = Path(folder)
    cplex: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    for row in _rows(root / CPLEX_FILE):
        if len(row) < 3:
            continue
        key = (_int(row[0]), _int(row[1]))
        if None in key:
            continue
        value = _int(row[2])
        status = _int(row[4]) if len(row) > 4 and value is not None else None
        cplex[key] = (value, status)  # type: ignore[index]

    grasp: dict[str, list[int]] = {}
    for row in _rows(root / GRASP_RANDOM_FILE):
        if len(row) >= 7 and _int(row[6]) is not None:
            grasp.setdefault(row[1], []).append(_int(row[6]))  # type: ignore[arg-type]
    for row in _rows(root / GRASP_REAL_FILE):
        if len(row) >= 6 and _int(row[5]) is not None:
            name = row[0].removesuffix("(bus variation)").strip()
            grasp.setdefault(name, []).append(_int(row[5]))  # type: ignore[arg-type]

    names = set(grasp)
    by_key = {random_key(name): name for name in names if random_key(name)}
    for key in cplex:
        if key not in by_key:
            by_key[key] = f"set{key[0]}-i{key[1]}"  # a CPLEX row with no GRASP row: keyed only by numbers
    result = {}
    for name in names | {by_key[key] for key in cplex}:
        key = random_key(name)
        value, status = cplex.get(key, (None, None)) if key else (None, None)
        runs = grasp.get(name, [])
        result[name] = Published(name, value, status, min(runs) if runs else None, len(runs))
    return result


def load(folder: str | Path) -> dict[str, Published]:
    """Every published result in `folder` (the benchmark's root), by instance name (the file's stem)."""
    return dict(_load(str(Path(folder).resolve())))


def lookup(name: str, folder: str | Path) -> Published:
    """What was published for the instance `name`; an empty `Published` if nothing was."""
    table = _load(str(Path(folder).resolve()))
    if name in table:
        return table[name]
    key = random_key(name)
    if key:
        for other in table.values():
            if random_key(other.instance) == key or other.instance == f"set{key[0]}-i{key[1]}":
                return Published(name, other.cplex, other.cplex_status, other.grasp, other.grasp_runs)
    return Published(name)
