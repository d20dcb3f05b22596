"""Would a trained model over the comparison beat the calibration as fitted? Measured on the tuning generator only.

The person matcher's score is a logistic model over ten features of the evidence (`matching/calibration.py`).
This study fits other models on the same pairs -- the compared pairs of `arabic_registry` seeds 11, 12, 13
at 5,000, 20,000 and 60,000 persons, less those the exclusion removes, as `duplicates.py --fit` does -- and
measures them on registries of the same generator it was not fitted on (seeds 14 and 15 at 100,000 persons):
precision and recall at the candidate threshold (0.5) and at 0.2, the exclusion applied (`engine.exclusive`).
The independent generator is not read here.

Models:
* "as fitted": the calibration's features, refitted here (the baseline);
* "names split": the names' weight in two parts -- what agrees (the given name's and the lineage's weights)
  and what sets apart (costs of parts alike but not equal, missing, read in another order, a father's name
  dropped) -- and a feature for a father's name assumed dropped;
* "names split further": what sets apart in three parts (spelling of the lineage's parts, parts missing, the
  reading's and the dropped father's costs);
* "boosted trees": scikit-learn's gradient-boosted trees over all of these (where scikit-learn is installed),
  the headroom of a non-linear model.

    uv run python benchmarks/calibration_study.py          # a line per model
    uv run python benchmarks/calibration_study.py --json   # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from duplicates import _Inclusive  # noqa: E402  (benchmarks/ is the script's folder)

from corridor.matching import THRESHOLD, PersonMatcher, find_duplicates  # noqa: E402
from corridor.matching.calibration import features, fit  # noqa: E402
from corridor.matching.engine import exclusive  # noqa: E402
from corridor.matching.records import Candidate  # noqa: E402
from corridor.scenarios import arabic_registry  # noqa: E402

FITTED = ((5_000, 11), (20_000, 12), (60_000, 13))
HELD_OUT = ((100_000, 14), (100_000, 15))
PARTS = ("given", "father", "grandfather", "family", "ancestor")


def names_split(evidence: dict) -> list[float]:
    base = features(evidence)
    parts = evidence["names"].get("parts") or ()
    agreeing = sum(p["weight"] for p in parts if p["part"] in ("given", "lineage"))
    dropped = any(p["part"] == "father dropped" for p in parts)
    return [agreeing, base[0] - agreeing, *base[1:], float(dropped)]


def names_split_further(evidence: dict) -> list[float]:
    base = features(evidence)
    parts = evidence["names"].get("parts") or ()
    agreeing = sum(p["weight"] for p in parts if p["part"] in ("given", "lineage"))
    spelling = sum(p["weight"] for p in parts if p["part"] in PARTS[1:] and p["level"] != "missing")
    missing = sum(p["weight"] for p in parts if p["level"] == "missing")
    reading = base[0] - agreeing - spelling - missing       # the reading's cost and the dropped father's
    dropped = any(p["part"] == "father dropped" for p in parts)
    return [agreeing, spelling, missing, reading, *base[1:], float(dropped)]


MODELS = {"as fitted": features, "names split": names_split, "names split further": names_split_further}


def compared(persons: int, seed: int) -> dict:
    """The registry's compared pairs with their evidence (uncalibrated, down to 2^-14), its true pairs, and
    the pairs the exclusion removes at the candidate threshold."""
    reg = arabic_registry.generate(persons, seed)
    excluded = ({c.pair for c in find_duplicates(reg.records, THRESHOLD, matcher=_Inclusive())}
                - {c.pair for c in find_duplicates(reg.records, THRESHOLD)})
    rows = [(c.pair, c.evidence) for c in find_duplicates(reg.records, 2.0 ** -14,
                                                           matcher=PersonMatcher(calibration=None))]
    return {"rows": rows, "true": reg.true_pairs, "excluded": excluded, "name": f"{persons:,} seed {seed}"}


def table(registry: dict, model, fitting: bool) -> tuple[np.ndarray, np.ndarray, list]:
    rows = [(pair, ev) for pair, ev in registry["rows"] if not (fitting and pair in registry["excluded"])]
    x = np.asarray([model(ev) for _, ev in rows], float)
    y = np.asarray([pair in registry["true"] for pair, _ in rows], bool)
    return x, y, [pair for pair, _ in rows]


def precision_recall(registry: dict, pairs: list, log2_odds: np.ndarray, threshold: float) -> tuple[float, float]:
    """At `threshold`, the exclusion applied as the engine applies it."""
    scores = 1.0 / (1.0 + np.exp2(-np.clip(log2_odds, -60, 60)))
    found = [Candidate(a, b, round(float(s), 6), s >= 0.9, {}) for (a, b), s in zip(pairs, scores) if s >= threshold]
    found.sort(key=lambda c: (-c.score, c.token_a, c.token_b))
    kept = {c.pair for c in exclusive(found)}
    hits = len(kept & registry["true"])
    return hits / max(1, len(kept)), hits / len(registry["true"])


def report(label: str, held_out: list[dict], predict, results: dict) -> None:
    """One line of the table; the figures also go to `results` (for --json)."""
    cells = []
    for registry, (x, _, pairs) in held_out:
        odds = predict(x)
        p5, r5 = precision_recall(registry, pairs, odds, THRESHOLD)
        p2, r2 = precision_recall(registry, pairs, odds, 0.2)
        cells.append(f"{registry['name']}: P {p5:.4f} R {r5:.4f} (at 0.2: P {p2:.4f} R {r2:.4f})")
        results.setdefault(label, {})[registry["name"]] = {"precision": round(p5, 4), "recall": round(r5, 4),
                                                           "precision_at_0_2": round(p2, 4),
                                                           "recall_at_0_2": round(r2, 4)}
    print(f"{label:<22} " + " | ".join(cells), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="... and one JSON object on the last line")
    args = ap.parse_args()
    results: dict = {}
    study(results)
    if args.json:
        print(json.dumps(results))


def study(results: dict) -> None:
    fitted = [compared(*size) for size in FITTED]
    held = [compared(*size) for size in HELD_OUT]
    for label, model in MODELS.items():
        x = np.vstack([table(r, model, True)[0] for r in fitted])
        y = np.concatenate([table(r, model, True)[1] for r in fitted])
        cal = fit(x, y)
        report(label, [(r, table(r, model, False)) for r in held],
               lambda z, cal=cal: z @ np.asarray(cal.coefficients) + cal.intercept, results)
        print(f"{'':<22} coefficients {cal.coefficients}, intercept {cal.intercept}")
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        return
    x = np.vstack([table(r, names_split_further, True)[0] for r in fitted])
    y = np.concatenate([table(r, names_split_further, True)[1] for r in fitted])
    trees = HistGradientBoostingClassifier(max_depth=5, max_iter=200, learning_rate=0.05, l2_regularization=1.0,
                                           random_state=0).fit(x, y)

    def odds(z: np.ndarray) -> np.ndarray:
        p = np.clip(trees.predict_proba(z)[:, 1], 1e-9, 1 - 1e-9)
        return np.log2(p / (1 - p))

    report("boosted trees", [(r, table(r, names_split_further, False)) for r in held], odds, results)


if __name__ == "__main__":
    main()
