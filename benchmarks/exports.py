"""Benchmark of the HXL CSV exports at field scale: 100,000 persons registered (the demo population imported
from CSV the way benchmarks/registry.py does), then each export streamed to its end through the same generators
the API's StreamingResponse sends: persons.csv (redacted, and with names: every person's sealed fields opened),
operation.csv, and the claims and the picture of the December 2016 claims. The bar: each ≤ 3 s.

    uv run python benchmarks/exports.py [--people 100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402
from registry import write_csv  # noqa: E402

from corridor.bootstrap import bootstrap  # noqa: E402
from corridor.domain.permissions import Principal  # noqa: E402
from corridor.scenarios import east_aleppo  # noqa: E402
from corridor.scenarios.aleppo_claims import claims as aleppo_claims  # noqa: E402
from corridor.service import claims, exports, importing, setup  # noqa: E402
from corridor.service.recording import Meta  # noqa: E402

BAR_S = 3.0


def timed(chunks) -> tuple[float, int, int]:
    started = time.perf_counter()
    size = lines = 0
    for chunk in chunks:
        size += len(chunk.encode("utf-8"))
        lines += chunk.count("\n")
    return time.perf_counter() - started, lines - 2, size


def run(people: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "registry.csv"
        persons = write_csv(listing, people, seed)
        rt = bootstrap(Path(tmp) / "exports.db", seed=seed)
        setup.load_setup(rt, east_aleppo.setup_spec())
        importing.import_table(rt, listing)
        claims.record_many(rt, Meta(), aleppo_claims())
        console = Principal.console("benchmark")
        cases = {
            "persons.csv": lambda: exports.persons_csv(rt, console),
            "persons.csv?with_names=true": lambda: exports.persons_csv(rt, console, with_names=True),
            "operation.csv": lambda: exports.operation_csv(rt),
            "claims.csv": lambda: exports.claims_csv(rt),
            "picture.csv": lambda: exports.picture_csv(rt, as_of="2016-12-16T22:00:00+02:00"),
        }
        out = {}
        for name, make in cases.items():
            seconds, rows, size = timed(make())
            out[name] = {"seconds": round(seconds, 3), "rows": rows, "bytes": size, "within_bar": seconds <= BAR_S}
        rt.db.dispose()
    return {"persons": persons, "exports": out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    header = record_header(args.seed)
    result = {**header, "benchmark": "exports", "bar_s": BAR_S, **run(args.people, args.seed)}
    print(header_line(header, "corridor exports benchmark"))
    print(f"  {result['persons']:,} persons registered; each export streamed to its end (bar {BAR_S:g} s)")
    print(f"  {'export':30} {'rows':>9} {'MB':>7} {'s':>7}  within bar")
    for name, e in result["exports"].items():
        print(f"  {name:30} {e['rows']:>9,} {e['bytes'] / 1e6:>7.2f} {e['seconds']:>7.2f}  {'yes' if e['within_bar'] else 'NO'}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
