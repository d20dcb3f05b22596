"""Benchmark of the planner on the classic Bus Evacuation Problem (BEP).

Solves the random sets 2–10 (90 instances, 10 s each) and the Valparaíso
instance with 10, 30, 50, 70 and 75 buses (30 s each) from the shared
benchmark folder, checks every plan with an independent checker, and
compares with the published CPLEX and GRASP results (see
corridor/planning/bep/bench.py and the folder's README).

    uv run python benchmarks/bep.py                       # everything, a table
    uv run python benchmarks/bep.py PATH ... --time-limit 5
    uv run python benchmarks/bep.py --json                # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.planning.bep import bench  # noqa: E402
from common import header_line, record_header  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, help="instance files or folders (default: the shared benchmark)")
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per instance (default: 10 for the random sets, 30 for the real instance)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = ap.parse_args(argv)

    def progress(row: dict) -> None:
        if not args.quiet:
            print(f"{row['instance']}: {row['makespan']} (bound {row['lower_bound']}, "
                  f"published {row['best_published']}) in {row['seconds']:.2f} s", file=sys.stderr, flush=True)

    began = time.time()
    rows = bench.run(args.paths or None, args.time_limit, args.seed, progress)
    header = record_header(args.seed)
    print(header_line(header, "BEP benchmark"))
    print(f"time limit {args.time_limit if args.time_limit is not None else '10 s (random) / 30 s (real)'}, "
          f"seed {args.seed}; wall {time.time() - began:.0f} s")
    print()
    print(bench.format_table(rows))
    if args.json:
        print(json.dumps({"instances": rows, "summary": bench.summarize(rows), **header}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
