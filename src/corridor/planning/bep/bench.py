"""The BEP benchmark: solve instance files, check every plan independently, compare with published results.

`run(paths, time_limit)` returns one row (a dict) per instance; `format_table`
prints the rows for people; `summarize` counts what the targets ask for;
`check_plan` (from `check.py`) is a feasibility checker that shares no code with the solver.

Instances that differ only in their fleet (the Valparaíso case with 10 … 75
buses) are solved from the smallest fleet up, and each is started from the
plan of the largest smaller fleet whose every depot has no more buses: that
plan stays valid (the extra buses stay unused), so more buses never give a
worse result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from corridor.planning.bep.check import BepPlanError, check_plan
from corridor.planning.bep.instance import BepInstance, read
from corridor.planning.bep.published import Published, lookup

__all__ = [
    "BepPlanError",
    "check_plan",
    "default_root",
    "find_instances",
    "format_table",
    "run",
    "summarize",
]

#: Time limits the benchmark's targets set: random instances (≤ 10 points) 10 s, the others 30 s.
RANDOM_LIMIT = 10.0
REAL_LIMIT = 30.0
_RANDOM_NAME = re.compile(r"^BEP-1-\d+-\d+-\d+-i\d+$")


# -- finding the files -----------------------------------------------------------------------------


def _repository_root() -> Path:
    return Path(__file__).resolve().parents[4]


def default_root() -> Path | None:
    """The shared benchmark folder: ../shared/benchmarks/bep from the repository root or the current folder."""
    here = Path.cwd()
    for base in (_repository_root(), here):
        for candidate in (base.parent / "shared" / "benchmarks" / "bep", base / "shared" / "benchmarks" / "bep"):
            if candidate.is_dir():
                return candidate
    return None


def _natural(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(path))]


def find_instances(paths: Iterable[Path | str]) -> list[Path]:
    """The instance files in `paths` (files, or folders searched for *.txt), in natural order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted((p for p in path.rglob("*.txt") if p.is_file()), key=_natural))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def _published_root(path: Path) -> Path | None:
    """The nearest folder above an instance file that holds the published CSVs."""
    for folder in path.resolve().parents:
        if any(folder.glob("published-*.csv")):
            return folder
    return None


# -- running ---------------------------------------------------------------------------------------


def default_limit(instance: BepInstance) -> float:
    return RANDOM_LIMIT if instance.n_points <= 10 else REAL_LIMIT


def run(paths: list[Path] | None = None, time_limit: float | None = None, seed: int = 0,
        progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Solve every instance in `paths` (default: the whole shared benchmark) and report one row each.

    `time_limit` per instance in seconds; None: 10 s for instances with at
    most 10 collection points (the random sets), 30 s for the others. Every
    plan is checked by `check_plan`. `progress` is called with each row
    as it is done.
    """
    from corridor.planning.bep.solve import solve, transfer_plan

    if not paths:
        root = default_root()
        if root is None:
            raise FileNotFoundError("the BEP benchmark folder (../shared/benchmarks/bep) was not found "
                                    "from the repository root or the current folder")
        paths = [root]
    files = find_instances(paths)
    instances = [read(path) for path in files]

    # smaller fleets first within each network, so that their plans can start the bigger ones
    order = sorted(range(len(files)), key=lambda i: (_natural(files[i].parent), instances[i].buses, _natural(files[i])))
    solved: dict[int, tuple[BepInstance, tuple]] = {}
    rows: dict[int, dict] = {}
    for i in order:
        instance, path = instances[i], files[i]
        start, start_from = None, ""
        for j, (other, routes) in sorted(solved.items(), key=lambda item: -item[1][0].buses):
            moved = transfer_plan(other, routes, instance)
            if moved is not None:
                start, start_from = moved, other.name
                break
        limit = time_limit if time_limit is not None else default_limit(instance)
        result = solve(instance, limit, seed, start)
        checked = check_plan(instance, result.routes)
        if checked != result.makespan:
            raise BepPlanError(f"{instance.name}: the solver says {result.makespan}, the checker {checked}")
        solved[i] = (instance, result.routes)
        folder = _published_root(path)
        published = lookup(instance.name, folder) if folder else Published(instance.name)
        row = _row(instance, path, result, published, limit, start_from)
        rows[i] = row
        if progress is not None:
            progress(row)
    return [rows[i] for i in range(len(files))]


def _row(instance: BepInstance, path: Path, result, published: Published, limit: float, start_from: str) -> dict:
    best = published.best
    infeasible = []
    for who, value in (("CPLEX", published.cplex), ("GRASP", published.grasp)):
        if value is not None and value < result.lower_bound:
            infeasible.append(f"{who} {value}")
    return {
        "instance": instance.name,
        "file": str(path),
        "kind": "random" if _RANDOM_NAME.match(instance.name) else "real",
        "points": instance.n_points,
        "shelters": instance.n_shelters,
        "depots": instance.n_depots,
        "buses": instance.buses,
        "capacity": instance.capacity,
        "demand": instance.total_demand,
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "optimal": result.optimal,
        "seconds": round(result.seconds, 3),
        "time_limit": limit,
        "best_published": best,
        "published_by": published.by,
        "cplex": published.cplex,
        "cplex_status": published.cplex_status_text,
        "grasp_best": published.grasp,
        "at_or_better": best is not None and result.makespan <= best,
        # the best published value is below a proven lower bound: no plan reaches it
        "best_published_infeasible": best is not None and best < result.lower_bound,
        "difference": None if best is None else result.makespan - best,
        "published_infeasible": ", ".join(infeasible),
        "checked": True,
        "method": result.method,
        "started_from": start_from,
        "seed": result.seed,
    }


# -- reporting -------------------------------------------------------------------------------------


def summarize(rows: Sequence[dict]) -> dict:
    """Counts against the benchmark's targets."""
    def count(selection, test) -> int:
        return sum(1 for row in selection if test(row))

    random_rows = [r for r in rows if r["kind"] == "random"]
    small = [r for r in random_rows if r["points"] <= 5]
    real = [r for r in rows if r["kind"] == "real"]
    compared = [r for r in rows if r["best_published"] is not None]
    monotone = True
    groups: dict[tuple, list[dict]] = {}
    for row in real:
        groups.setdefault((row["points"], row["shelters"], row["depots"], row["demand"]), []).append(row)
    for group in groups.values():
        group = sorted(group, key=lambda r: r["buses"])
        monotone &= all(a["makespan"] >= b["makespan"] for a, b in zip(group, group[1:]))
    return {
        "instances": len(rows),
        "with_published": len(compared),
        "at_or_better_than_best_published": count(compared, lambda r: r["at_or_better"]),
        "strictly_better_than_best_published": count(compared, lambda r: r["makespan"] < r["best_published"]),
        "worse_than_best_published": [r["instance"] for r in compared if not r["at_or_better"]],
        "proven_optimal": count(rows, lambda r: r["optimal"]),
        "published_value_shown_infeasible": [f"{r['instance']}: {r['published_infeasible']} < {r['lower_bound']}"
                                             for r in rows if r["published_infeasible"]],
        "max_seconds": round(max((r["seconds"] for r in rows), default=0.0), 3),
        "total_seconds": round(sum(r["seconds"] for r in rows), 3),
        "over_time_limit": [r["instance"] for r in rows if r["seconds"] > r["time_limit"]],
        "at_or_better_or_published_shown_infeasible": count(
            compared, lambda r: r["at_or_better"] or r["best_published_infeasible"]),
        "random": {
            "instances": len(random_rows),
            "at_or_better": count(random_rows, lambda r: r["at_or_better"]),
            "at_or_better_or_published_shown_infeasible": count(
                random_rows, lambda r: r["at_or_better"] or r["best_published_infeasible"]),
            "within_10_s": count(random_rows, lambda r: r["seconds"] <= RANDOM_LIMIT),
            "proven_optimal": count(random_rows, lambda r: r["optimal"]),
            "sets_2_to_5": len(small),
            "sets_2_to_5_proven_optimal": count(small, lambda r: r["optimal"]),
        },
        "real": {
            "instances": len(real),
            "at_or_better": count(real, lambda r: r["at_or_better"]),
            "within_30_s": count(real, lambda r: r["seconds"] <= REAL_LIMIT),
            "more_buses_never_worse": monotone,
        },
    }


_COLUMNS = [
    ("instance", "instance", "<"),
    ("B", "buses", ">"),
    ("makespan", "makespan", ">"),
    ("bound", "lower_bound", ">"),
    ("optimal", "optimal", "<"),
    ("seconds", "seconds", ">"),
    ("best published", "best_published", ">"),
    ("by", "published_by", "<"),
    ("CPLEX status", "cplex_status", "<"),
    ("vs published", "difference", ">"),
    ("published value infeasible", "published_infeasible", "<"),
]


def _cell(key: str, row: dict) -> str:
    value = row.get(key)
    if value is None or value == "":
        return "–"
    if key == "optimal":
        return "yes" if value else "no"
    if key == "seconds":
        return f"{value:.2f}"
    if key == "difference":
        return "=" if value == 0 else f"{value:+d}"
    if isinstance(value, int) and key in ("makespan", "lower_bound", "best_published") and value >= 1_000:
        return f"{value:,}"
    return str(value)


def format_table(rows: Sequence[dict]) -> str:
    """The rows as an aligned plain-text table (also valid Markdown), then a summary."""
    header = [title for title, _, _ in _COLUMNS]
    body = [[_cell(key, row) for _, key, _ in _COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = []
        for (_, _, align), cell, width in zip(_COLUMNS, cells, widths):
            out.append(cell.ljust(width) if align == "<" else cell.rjust(width))
        return "| " + " | ".join(out) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if a == ">" else ("-" * (w + 2)) for (_, _, a), w in zip(_COLUMNS, widths)) + "|"
    text = [line(header), rule] + [line(cells) for cells in body]
    summary = summarize(rows)
    text.append("")
    text.append(
        f"{summary['instances']} instances; at or better than the best published value: "
        f"{summary['at_or_better_than_best_published']} of {summary['with_published']} "
        f"(strictly better: {summary['strictly_better_than_best_published']}); "
        f"proven optimal: {summary['proven_optimal']}; longest: {summary['max_seconds']:.2f} s; "
        f"total: {summary['total_seconds']:.1f} s."
    )
    for item in summary["published_value_shown_infeasible"]:
        text.append(f"Published value below a proven lower bound (infeasible): {item}.")
    worse = [r for r in rows if r["best_published"] is not None and not r["at_or_better"]]
    unexplained = [r["instance"] for r in worse if not r["best_published_infeasible"]]
    if worse:
        text.append("Above the best published value: " + ", ".join(
            r["instance"] + (" (that value is infeasible)" if r["best_published_infeasible"] else "") for r in worse) + ".")
    if unexplained:
        text.append("Above a best published value not shown infeasible: " + ", ".join(unexplained) + ".")
    if summary["over_time_limit"]:
        text.append("Over the time limit: " + ", ".join(summary["over_time_limit"]) + ".")
    return "\n".join(text)
