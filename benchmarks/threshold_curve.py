"""Precision and recall of the person matcher along the threshold, on one generated registry.

One check at the lowest threshold without the exclusion; then, for each threshold, the candidates at or
above it with the exclusion applied as `find_duplicates` would at that threshold (the exclusion keeps a
registration's better pair, in score order, so the result is the same). Prints P / R per threshold, the
best recall at a precision of at least `--precision` (the candidates of the check at the lowest threshold
in score order, the exclusion as at that threshold: a little low), and the false positives at 0.5 by sex.

    uv run python benchmarks/threshold_curve.py --set arabic --persons 100000 --seed 14
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402

from corridor.matching import PersonMatcher, find_duplicates  # noqa: E402
from corridor.matching.engine import exclusive  # noqa: E402
from corridor.scenarios import arabic_registry, syrian_registry  # noqa: E402

GENERATORS = {"arabic": arabic_registry, "syrian": syrian_registry}
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class _Inclusive(PersonMatcher):
    """The person matcher without the exclusion (`engine.exclusive`)."""

    def exclusive(self) -> bool:
        return False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="arabic", choices=sorted(GENERATORS))
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--precision", type=float, default=None, help="report the best recall at this precision")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()
    header = record_header(args.seed)
    print(header_line(header, "duplicates along the threshold"))
    reg = GENERATORS[args.set].generate(args.persons, args.seed)
    truth = reg.true_pairs
    cpu0 = time.process_time()
    low = find_duplicates(reg.records, THRESHOLDS[0], matcher=_Inclusive())
    cpu = time.process_time() - cpu0
    out: dict = {**header, "set": args.set, "persons": args.persons, "cpu_seconds": round(cpu, 1), "curve": {}}
    print(f"{args.set} {args.persons:,} seed {args.seed}: {len(truth):,} true pairs; check at "
          f"{THRESHOLDS[0]} without exclusion {cpu:.1f} CPU s")
    for t in THRESHOLDS:
        kept = exclusive([c for c in low if c.score >= t])
        tp = sum(c.pair in truth for c in kept)
        p, r = tp / max(1, len(kept)), tp / max(1, len(truth))
        out["curve"][t] = (round(p, 4), round(r, 4))
        print(f"  {t:4.2f}  P {p:.4f}  R {r:.4f}  FP {len(kept) - tp:5}  FN {len(truth) - tp:5}")
    if args.precision is not None:
        kept = exclusive(low)
        tp = best = 0
        for k, c in enumerate(kept, 1):
            tp += c.pair in truth
            if tp / k >= args.precision:
                best = max(best, tp)
        out["recall_at_precision"] = round(best / len(truth), 4)
        print(f"  best recall at P >= {args.precision}: {best / len(truth):.4f} (exclusion at {THRESHOLDS[0]})")
    at = exclusive([c for c in low if c.score >= 0.5])
    sexes: dict = {}
    for c in at:
        if c.pair not in truth:
            sex = (c.evidence.get("sex") or {}).get("a") or "unknown"
            sexes[sex] = sexes.get(sex, 0) + 1
    out["fp_by_sex"] = sexes
    print(f"  false positives at 0.5 by sex: {sexes}")
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
