"""Benchmark of the forecast: its speed on the 100,000-person demo, and its calibration on simulated operations.

Speed: a fresh demo database (east Aleppo, `--people`, default 100,000, registered and planned, as
`corridor demo` makes it), then `service.forecast.forecast` timed end to end (reading the ledger, learning,
10,000 runs of the model), `--repeat` times; the median is `forecast_s`.

Calibration (`--calibrate`): for each of `--seeds` seeds, a demo of `--people` persons (default 3,000) run to its
end by the demo simulation (`scenarios/simulate.py`: the halt 6 hours in, holds, a person left behind...); halfway
between the start and the first plan's finish, a forecast from the ledger as it stands then; at the end, the actual
finish (the last arrival) compared with that forecast's P10 and P90. Not tuned to: the priors are those of
docs/forecast.md.

    uv run python benchmarks/forecast.py --json
    uv run python benchmarks/forecast.py --calibrate --seeds 20 --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from common import header_line, record_header  # noqa: E402
from corridor.bootstrap import bootstrap  # noqa: E402
from corridor.scenarios.demo import create_demo  # noqa: E402
from corridor.scenarios.east_aleppo import START  # noqa: E402
from corridor.scenarios.simulate import Simulation  # noqa: E402
from corridor.service import forecast as fc  # noqa: E402
from corridor.service import reports  # noqa: E402


def demo(folder: Path, people: int, seed: int):
    rt = bootstrap(folder / f"demo-{seed}.db", seed=seed)
    create_demo(rt, people=people, seed=seed, with_agreement=False)  # the forecast does not model the link
    return rt


def speed(args) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        made = time.perf_counter()
        rt = demo(Path(folder), args.people, args.seed)
        made = time.perf_counter() - made
        times, result = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = fc.forecast(rt, runs=args.runs, seed=args.seed)
            times.append(time.perf_counter() - started)
        rt.db.dispose()
    base = result["cases"][0]
    print(f"demo of {args.people:,} persons made and planned in {made:.1f} s; {base['trips']:,} trips, "
          f"{base['vehicles']} vehicles")
    print(f"forecast, {args.runs:,} runs: {', '.join(f'{t:.2f}' for t in times)} s (median {statistics.median(times):.2f})")
    print(f"plan finish {base['plan_finish_at']}; P10 {base['p10_at']}  P50 {base['p50_at']}  P90 {base['p90_at']}")
    return {"forecast_runs": args.runs, "forecast_s": round(statistics.median(times), 3),
            "forecast_s_all": [round(t, 3) for t in times], "persons": args.people, "trips": base["trips"],
            "plan_finish": base["plan_finish_at"], "p10": base["p10_at"], "p50": base["p50_at"],
            "p90": base["p90_at"]}


def last_arrival(rt) -> datetime:
    return max(datetime.fromisoformat(t["arrived_at"]) for t in reports.trips(rt) if t["arrived_at"])


def calibrate_one(folder: Path, people: int, seed: int, runs: int) -> dict:
    rt = demo(folder, people, seed)
    first_finish = datetime.fromisoformat(reports.status(rt)["plan"]["finish_at"])
    halfway = START + (first_finish - START) / 2
    made: dict = {}

    def pace(now):
        if not made and now >= halfway:
            made.update(fc.forecast(rt, runs=runs, seed=seed, at=now)["cases"][0], as_of=now.astimezone(timezone.utc))

    Simulation(rt, start=START, seed=seed).run(pace)
    actual = last_arrival(rt).astimezone(timezone.utc)
    rt.db.dispose()
    p10, p50, p90 = (datetime.fromisoformat(made[k]) for k in ("p10_at", "p50_at", "p90_at"))
    return {"seed": seed, "as_of": made["as_of"].isoformat(), "planned": made["plan_finish_at"],
            "p10": p10.isoformat(), "p50": p50.isoformat(), "p90": p90.isoformat(), "actual": actual.isoformat(),
            "where": "below P10" if actual < p10 else "above P90" if actual > p90 else "inside",
            "hours_from_p50": round((actual - p50).total_seconds() / 3600, 2)}


def calibrate(args) -> dict:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(1, args.seeds + 1):
            row = calibrate_one(Path(folder), args.people, seed, args.runs)
            rows.append(row)
            short = lambda iso: iso[5:16].replace("T", " ")  # noqa: E731
            print(f"| {seed:>2} | {short(row['as_of'])} | {short(row['planned'])} | {short(row['p10'])} | "
                  f"{short(row['p50'])} | {short(row['p90'])} | {short(row['actual'])} | {row['where']} |",
                  flush=True)
    inside = sum(r["where"] == "inside" for r in rows)
    print(f"actual finish between P10 and P90: {inside} of {len(rows)} seeds; below P10: "
          f"{sum(r['where'] == 'below P10' for r in rows)}, above P90: {sum(r['where'] == 'above P90' for r in rows)}")
    return {"calibration_seeds": len(rows), "calibration_inside": inside, "calibration_people": args.people,
            "calibration_runs": args.runs, "calibration": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--calibrate", action="store_true", help="the calibration over simulated operations")
    parser.add_argument("--people", type=int, default=None, help="demo size (100,000; calibration 3,000)")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2016)
    args = parser.parse_args()
    args.people = args.people or (3_000 if args.calibrate else 100_000)
    header = record_header(None if args.calibrate else args.seed)
    print(header_line(header, "corridor forecast benchmark" + (" (calibration)" if args.calibrate else "")))
    if args.calibrate:
        print("| seed | as of | plan finish | P10 | P50 | P90 | actual | |\n|---|---|---|---|---|---|---|---|")
    figures = calibrate(args) if args.calibrate else speed(args)
    if args.json:
        print(json.dumps({**figures, **header}))


if __name__ == "__main__":
    main()
