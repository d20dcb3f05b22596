"""The classic Bus Evacuation Problem (BEP) benchmark: reader, solver, published results, bench.

* `instance`: `read(path) -> BepInstance`, `BepFormatError` (names the file and the line);
* `solve`: `solve(instance, time_limit, seed=0, start=None) -> BepResult`, `transfer_plan`, `lower_bound`
  (from `plan`, `bounds`, `search` and `models`);
* `published`: the published CPLEX and GRASP values (`lookup`, `load`);
* `bench`: `run(paths, time_limit) -> rows`, `format_table(rows)`, `summarize(rows)`;
* `check`: `check_plan(instance, routes) -> makespan` (an independent checker), `BepPlanError`.

`solve` and `bench` load OR-Tools, which takes a moment; they are imported on first use.
"""

from __future__ import annotations

from importlib import import_module

from corridor.planning.bep.instance import BepFormatError, BepInstance, parse, read

_LAZY = {
    "BepResult": "solve", "Trip": "solve", "solve": "solve", "transfer_plan": "solve", "lower_bound": "solve",
    "BepPlanError": "check", "check_plan": "check", "format_table": "bench", "run": "bench", "summarize": "bench",
    "Published": "published", "lookup": "published",
}

__all__ = ["BepFormatError", "BepInstance", "parse", "read", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"corridor.planning.bep.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
