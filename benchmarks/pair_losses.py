"""Where the person matcher loses true pairs, per error kind, on one generated registry.

Each true pair is lost (or found) at one stage of `find_duplicates`:
* "no shared key": the two registrations share no blocking key (`PersonMatcher.keys`,
  in matching/person_blocking.py);
* "capped block": they share keys, but each shared block is oversized and its own pairs
  (`PersonMatcher.block_pairs`: given and family name groups, sorted neighbourhood) leave them out;
* "filtered": a candidate the cheap filter refuses (`allowed`: birth years too far apart, sexes apart);
* "score < 0.05", "score < T": compared, scored under 0.05 or under the threshold (calibrated, as the
  check does);
* "excluded": scored at the threshold, removed by the exclusion (a better pair of one of them);
* "found".
For pairs lost at blocking, the kinds of key they share (year keys, "lin", "slip", "ny", "hh") and the
largest shared block are counted, and how many of them would score at the threshold were they compared.
Also the candidate pairs and CPU seconds of the check.

    uv run python benchmarks/pair_losses.py --set syrian --persons 100000 --seed 2017
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import header_line, record_header  # noqa: E402

from corridor.matching import THRESHOLD, BlockStats, PersonMatcher, find_duplicates  # noqa: E402
from corridor.matching.blocking import candidate_pairs  # noqa: E402
from corridor.matching.engine import calibrated  # noqa: E402
from corridor.scenarios import arabic_registry, syrian_registry  # noqa: E402

GENERATORS = {"arabic": arabic_registry, "syrian": syrian_registry}
STAGES = ("no shared key", "capped block", "filtered", "score < 0.05", "score < T", "excluded", "found")


def _key_kind(key) -> str:
    if key[0] in ("lin", "ny", "hh", "one", "slip"):
        return key[0]
    return "given+part+year"


def losses(reg, threshold: float = THRESHOLD) -> dict:
    records = reg.records
    index = {r.token: k for k, r in enumerate(records)}
    matcher = PersonMatcher()
    stats = BlockStats()
    cpu0 = time.process_time()
    found = {c.pair for c in find_duplicates(records, threshold, matcher=matcher, stats=stats)}
    cpu = time.process_time() - cpu0
    # `find_duplicates` prepared the matcher: its keys and blocks are those of the check
    n = len(records)
    keys = [set(matcher.keys(i)) for i in range(n)]
    sizes: Counter = Counter()
    for ks in keys:
        sizes.update(ks)
    candidates = {(i, j) if i < j else (j, i) for i, j in candidate_pairs(matcher, n)}
    prior = matcher.prior(n)
    labels = getattr(reg, "duplicate_errors", {}) or {}
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_count: dict[int, Counter] = defaultdict(Counter)
    shared_kinds: Counter = Counter()
    would: Counter = Counter()                 # lost before scoring, but would score at the threshold
    largest: Counter = Counter()
    for pair in reg.true_pairs:
        i, j = sorted((index[pair[0]], index[pair[1]]))
        if (i, j) not in candidates:
            shared = keys[i] & keys[j]
            if not shared:
                stage = "no shared key"
            else:
                stage = "capped block"
                shared_kinds.update({_key_kind(k) for k in shared})
                top = max(sizes[k] for k in shared)
                largest["7-40" if top <= 40 else "41-160" if top <= 160 else "161-"] += 1
        elif not matcher.allowed(i, j):
            stage = "filtered"
        else:
            stage = None
        odds, _ = calibrated(matcher, prior, i, j)  # as the check would score it, were it compared
        if stage is None:
            if odds < _log2_odds(threshold):
                stage = "score < 0.05" if odds < _log2_odds(0.05) else "score < T"
            else:
                stage = "found" if pair in found else "excluded"
        elif odds >= _log2_odds(threshold):
            would[stage] += 1
        kinds = labels.get(pair) or ["none"]
        for k in kinds:
            by_kind[k][stage] += 1
        real = [k for k in kinds if k not in ("none", "other romanisation", "other gathering point", "same household")]
        by_count[len(real)][stage] += 1
        by_kind["all"][stage] += 1
    return {"cpu_seconds": round(cpu, 1), "candidate_pairs": stats.pairs, "scored_pairs": stats.scored,
            "capped_blocks": stats.capped, "largest_block": stats.largest, "true_pairs": len(reg.true_pairs),
            "by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
            "by_errors": {k: dict(v) for k, v in sorted(by_count.items())},
            "would_score_at_threshold": dict(would), "capped_shared_key_kinds": dict(shared_kinds),
            "capped_largest_shared_block": dict(largest)}


def _log2_odds(p: float) -> float:
    return math.log2(p / (1 - p))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="syrian", choices=sorted(GENERATORS))
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()
    header = record_header(args.seed)
    print(header_line(header, "where true pairs are lost"))
    reg = GENERATORS[args.set].generate(args.persons, args.seed)
    out = losses(reg)
    print(f"{args.set} {args.persons:,} seed {args.seed}: {out['true_pairs']:,} true pairs, "
          f"{out['candidate_pairs']:,} candidate pairs ({out['scored_pairs']:,} scored), {out['cpu_seconds']} CPU s")
    print(f"{'kind':<28}" + "".join(f"{s:>13}" for s in STAGES))
    for kind, c in out["by_kind"].items():
        print(f"{kind:<28}" + "".join(f"{c.get(s, 0):>13,}" for s in STAGES))
    for k, c in out["by_errors"].items():
        print(f"{k} errors{'':<20}" + "".join(f"{c.get(s, 0):>13,}" for s in STAGES))
    print(f"lost before scoring that would score at the threshold: {out['would_score_at_threshold']}")
    print(f"capped: shared key kinds {out['capped_shared_key_kinds']}, largest shared block "
          f"{out['capped_largest_shared_block']}")
    if args.json:
        print(json.dumps({**header, "set": args.set, "persons": args.persons, **out}))


if __name__ == "__main__":
    main()
