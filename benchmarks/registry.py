"""Benchmark of the registry at field scale: bulk import and duplicate detection.

- import: the demo population (100,000 persons, about 19,000 households) written as a CSV list, one
  row per person, imported into a fresh SQLite database (WAL, synchronous=FULL) the way
  `corridor import` does it: read, check every row, record all households in one transaction; then the
  same list as an XLSX workbook, imported into another fresh database.
- duplicates: benchmarks/duplicates.py -- the matcher over registries of 10,000 and 100,000 persons
  from the tuning generator and from the independent Syrian one, and FEBRL4 (precision, recall,
  F1, seconds per set and size).

    uv run python benchmarks/registry.py            # tables
    uv run python benchmarks/registry.py --json     # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.bootstrap import bootstrap  # noqa: E402
from corridor.bootstrap import source_commit as commit  # noqa: E402
from corridor.scenarios import east_aleppo  # noqa: E402
from corridor.service import duplicates, importing, setup  # noqa: E402
from corridor.service.recording import Meta  # noqa: E402

COLUMNS = ["household", "gathering_point", "destination", "name_ar", "name_latin", "sex", "birth_year",
           "relationship", "mobility", "precedence", "vulnerabilities"]


def write_csv(path: Path, people: int, seed: int) -> int:
    pop = east_aleppo.population(people, seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for i, h in enumerate(pop.households):
            for p in h["persons"]:
                w.writerow([f"HH-{i:06d}", h["gathering_point"], h["destination"] or "", p["name_ar"],
                            p["name_latin"], p["sex"], p["birth_year"], p["relationship"], p["mobility"],
                            p["precedence"], " ".join(p["vulnerabilities"])])
    return pop.persons


def write_xlsx(listing: Path, path: Path) -> None:
    """The CSV list as an XLSX workbook, as a spreadsheet program would save it (one sheet, same rows)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("list")
    with listing.open(newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    book.save(path)


def time_xlsx_import(listing: Path, tmp: Path, seed: int) -> float:
    workbook = tmp / "registry.xlsx"
    write_xlsx(listing, workbook)
    rt = bootstrap(tmp / "import-xlsx.db", seed=seed)
    setup.load_setup(rt, east_aleppo.setup_spec())
    started = time.perf_counter()
    report = importing.import_table(rt, workbook)
    seconds = time.perf_counter() - started
    rt.db.dispose()
    assert report.added == report.households
    return seconds


def time_import(people: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "registry.csv"
        persons = write_csv(listing, people, seed)
        rt = bootstrap(Path(tmp) / "import.db", seed=seed)
        setup.load_setup(rt, east_aleppo.setup_spec())
        started = time.perf_counter()
        report = importing.import_table(rt, listing)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = importing.import_table(rt, listing)
        second = time.perf_counter() - started
        started = time.perf_counter()  # the service's duplicate check: read (and open) every record, match, record
        checked = duplicates.check(rt, Meta())
        check = time.perf_counter() - started
        rt.db.dispose()
        xlsx = time_xlsx_import(listing, Path(tmp), seed)
    assert report.added == report.households and again.added == 0
    return {"persons": persons, "households": report.households, "import_s": first, "reimport_s": second,
            "import_xlsx_s": xlsx,
            "check_s": check, "check_pairs": len(checked.data["pairs"])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--sizes", default="10000,100000",
                    help="persons per generated registry for the duplicate check (both generators)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    imp = time_import(args.people, args.seed)
    # the duplicate check's own benchmark prints its tables; its JSON is its last line
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "duplicates.py"), "--json", "--sizes", args.sizes],
                         capture_output=True, text=True, check=True)
    lines = run.stdout.rstrip().splitlines()
    dup = json.loads(lines[-1])
    result = {
        "import_100k_s": round(imp["import_s"], 2), "reimport_100k_s": round(imp["reimport_s"], 2),
        "check_100k_s": round(imp["check_s"], 2), "import_xlsx_100k_s": round(imp["import_xlsx_s"], 2),
        "import_persons": imp["persons"], "import_households": imp["households"],
        **dup,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "commit": commit(), "cpus": os.cpu_count(),
    }
    print(f"corridor registry benchmark — {result['date']}, commit {result['commit']}, {result['cpus']} CPUs")
    print(f"  import {imp['persons']:,} persons ({imp['households']:,} households) from CSV   "
          f"{imp['import_s']:6.2f} s   ({imp['persons'] / imp['import_s']:,.0f} persons/s)")
    print(f"  import the same file again (adds nothing)                     {imp['reimport_s']:6.2f} s")
    print(f"  import the same list from XLSX into a fresh database          {imp['import_xlsx_s']:6.2f} s   "
          f"({imp['persons'] / imp['import_xlsx_s']:,.0f} persons/s)")
    print(f"  duplicate check of the imported registry (service, recorded)  {imp['check_s']:6.2f} s   "
          f"({imp['check_pairs']:,} pairs)")
    print()
    print("\n".join(lines[:-1]))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
