"""Per-registry estimation of the irregularities' rates (Fellegi-Sunter EM over the compared pairs), measured.

Question (issue 14, seventh round): the calibration (`matching/calibration.py`) is fitted on the tuning
generator, whose error mix differs from the independent one (no typos, few family names written first, no
grandfathers added). Would estimating, on the registry being checked and without labels, how often its
duplicates and its other compared pairs show each irregularity -- a part close, weakly alike or a slip;
the father dropped or written in one only; the grandfather in one only; the family name first; given and
father swapped; the birth year a year apart or missing; one script; "two families" -- and correcting the
calibrated odds by what differs from the tuning registry's rates, make the matcher adapt to the registry?

The model (Fellegi-Sunter, naive Bayes over the irregularities I_k, as Splink estimates m by EM):

    log2 odds' = calibrated log2 odds + sum_k [ I_k (log2 m_k/m_k° - log2 u_k/u_k°)
                                              + (1 - I_k) (log2 (1-m_k)/(1-m_k°) - log2 (1-u_k)/(1-u_k°)) ]

where m_k and u_k are the shares of the registry's one-person and other compared pairs showing I_k,
estimated by EM (E: each pair's probability from its corrected odds; M: the probability-weighted shares),
and m_k°, u_k° the same estimate on a registry of the tuning generator of the same size (seed `--ref-seed`,
never the reported seed), where the calibration is honest and the correction is therefore zero. Each term is
clipped to +-`clip` bits; `--no-absent` leaves out the (1 - I_k) terms. The compared pairs are those the
check scores at `--floor` or above (calibrated odds), without the exclusion; the exclusion is applied after
the correction, as `find_duplicates` does, so that at zero correction the figures are the matcher's.

Bounds, with the labels of the set reported (used to choose nothing, printed as bounds): the same correction
with m_k and u_k counted from the labels, and a logistic fit of the corrections on the labels in-sample.
Per set: P / R / F1 / FP / FN at 0.5, the best recall at precision >= `--precision` (scanning the candidates
in score order, the exclusion at the floor), the estimated m_k, u_k and corrections, and the recall per error
kind before / after.

    uv run python benchmarks/registry_em.py --persons 100000 --ref-seed 14 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
from common import header_line, record_header  # noqa: E402

from corridor.matching import PersonMatcher, find_duplicates  # noqa: E402
from corridor.matching.engine import exclusive  # noqa: E402
from corridor.matching.records import Candidate  # noqa: E402
from corridor.scenarios import arabic_registry, syrian_registry  # noqa: E402
from corridor.scenarios.duplicate_quality import measure  # noqa: E402

GENERATORS = {"arabic": arabic_registry, "syrian": syrian_registry}
IRREGULARITIES = ("given close", "given slip", "given weak", "lineage close", "lineage slip", "lineage weak",
                  "father dropped", "father missing", "grandfather missing", "family name first",
                  "given and father swapped", "year one apart", "year missing", "one script", "two families")


class _Inclusive(PersonMatcher):
    """The person matcher without the exclusion: every compared pair at the floor."""

    def exclusive(self) -> bool:
        return False


def irregularities(evidence: dict) -> list[int]:
    """Which of `IRREGULARITIES` a compared pair's evidence shows (0 / 1 each)."""
    names = evidence.get("names") or {}
    shown: set[str] = set()
    for part in names.get("parts") or ():
        role, level = part.get("part"), str(part.get("level") or "")
        if role == "father dropped":
            shown.add("father dropped")
        elif role in ("given", "father", "grandfather", "ancestor", "family"):
            side = "given" if role == "given" else "lineage"
            if level.startswith("close (a rare"):
                shown.add(f"{side} slip")
            elif level.startswith("close"):
                shown.add(f"{side} close")
            elif level.startswith("weak"):
                shown.add(f"{side} weak")
            elif level == "missing" and role in ("father", "grandfather"):
                shown.add(f"{role} missing")
    if names.get("alignment") in ("family name first", "given and father swapped"):
        shown.add(names["alignment"])
    year = evidence["birth_year"]["level"]
    shown |= {"year one apart"} if year == "one year apart" else {"year missing"} if year == "missing" else set()
    if names.get("script") != "both":
        shown.add("one script")
    household = evidence.get("household") or {}
    if household.get("scored") and not household.get("same"):
        shown.add("two families")
    return [int(k in shown) for k in IRREGULARITIES]


def compared(generator: str, persons: int, seed: int, floor: float) -> dict:
    """The registry's compared pairs at `floor` (no exclusion): tokens, calibrated odds, irregularities."""
    reg = GENERATORS[generator].generate(persons, seed)
    cpu0 = time.process_time()
    cands = find_duplicates(reg.records, floor, matcher=_Inclusive())
    cpu = time.process_time() - cpu0
    return {"registry": reg, "candidates": cands, "cpu": cpu,
            "odds": np.array([c.evidence["calibrated_log2_odds"] for c in cands], float),
            "x": np.array([irregularities(c.evidence) for c in cands], float).reshape(len(cands), len(IRREGULARITIES)),
            "truth": np.array([c.pair in reg.true_pairs for c in cands], bool)}


def _p(odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp2(-np.clip(odds, -60, 60)))


def shares(odds: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(m, u): the probability-weighted shares of one-person and other pairs showing each irregularity."""
    p = _p(odds)
    return (p @ x) / max(p.sum(), 1e-9), ((1 - p) @ x) / max((1 - p).sum(), 1e-9)


def correction(m, u, m_ref, u_ref, clip: float, absent: bool, eps: float = 1e-4):
    """Bits added to a pair's odds for each irregularity shown (and, with `absent`, not shown)."""
    shown = np.clip(np.log2((m + eps) / (m_ref + eps)) - np.log2((u + eps) / (u_ref + eps)), -clip, clip)
    if not absent:
        return shown, np.zeros_like(shown)
    not_shown = np.clip(np.log2((1 - m + eps) / (1 - m_ref + eps)) - np.log2((1 - u + eps) / (1 - u_ref + eps)),
                        -clip, clip)
    return shown, not_shown


def em(odds, x, ref, clip: float, absent: bool, rounds: int = 10):
    """EM of m and u on the registry itself; (corrected odds, m, u, shown, not shown)."""
    shown = not_shown = np.zeros(x.shape[1])
    m = u = None
    for _ in range(rounds):
        m, u = shares(odds + x @ shown + (1 - x) @ not_shown, x)
        shown, not_shown = correction(m, u, ref[0], ref[1], clip, absent)
    return odds + x @ shown + (1 - x) @ not_shown, m, u, shown, not_shown


def logistic_bound(odds, x, truth) -> np.ndarray:
    """Corrected odds of a logistic fit of the irregularities on the labels, the calibrated odds as offset."""
    z = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    offset = odds * math.log(2)
    for _ in range(60):
        p = 1.0 / (1.0 + np.exp(-np.clip(offset + z @ w, -700, 700)))
        step = np.linalg.solve((z * (p * (1 - p))[:, None]).T @ z + 1e-2 * np.eye(len(w)),
                               z.T @ (p - truth) + 1e-2 * w)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return odds + z @ w / math.log(2)


def rescored(data: dict, odds: np.ndarray, threshold: float) -> list[Candidate]:
    """The compared pairs with `odds` scoring at `threshold` or above, best first, the exclusion applied (as
    `find_duplicates` at that threshold)."""
    out = [Candidate(c.token_a, c.token_b, round(float(s), 6), s >= 0.9, c.evidence)
           for c, s in zip(data["candidates"], _p(odds)) if s >= threshold]
    out.sort(key=lambda c: (-c.score, c.token_a, c.token_b))
    return exclusive(out)


def figures(data: dict, odds: np.ndarray, precision: float, floor: float) -> dict:
    reg = data["registry"]
    m = measure(reg, rescored(data, odds, 0.5), 0.5)
    tp = best = 0
    for k, c in enumerate(rescored(data, odds, floor), 1):
        tp += c.pair in reg.true_pairs
        if tp / k >= precision:
            best = max(best, tp)
    q = m.quality
    return {"precision": round(q.precision, 4), "recall": round(q.recall, 4), "f1": round(q.f1, 4),
            "fp": q.false_positives, "fn": q.false_negatives,
            "best_recall_at_precision": round(best / len(reg.true_pairs), 4),
            "recall_by_error": {k: round(f / n, 3) for k, (f, n) in sorted(m.recall_by_error.items())},
            "recall_by_count": {k: round(f / n, 3) for k, (f, n) in sorted(m.recall_by_count.items())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--sets", default="arabic:2016,syrian:2017", help="generator:seed, comma-separated")
    ap.add_argument("--ref-seed", type=int, default=14, help="the tuning generator's reference registry")
    ap.add_argument("--floor", type=float, default=0.01, help="lowest calibrated score of a compared pair")
    ap.add_argument("--clips", default="1,3", help="largest correction per irregularity, bits")
    ap.add_argument("--precision", type=float, default=0.918)
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()
    header = record_header(args.ref_seed)
    print(header_line(header, "per-registry EM of the irregularities' rates"))
    ref_data = compared("arabic", args.persons, args.ref_seed, args.floor)
    ref = shares(ref_data["odds"], ref_data["x"])
    print(f"reference arabic {args.persons:,} seed {args.ref_seed}: {len(ref_data['odds']):,} compared pairs, "
          f"check {ref_data['cpu']:.1f} CPU s")
    out: dict = {**header, "persons": args.persons, "ref_seed": args.ref_seed, "floor": args.floor,
                 "irregularities": IRREGULARITIES, "reference": {"m": ref[0].round(4).tolist(),
                                                                 "u": ref[1].round(4).tolist()}, "sets": {}}
    del ref_data
    for spec in args.sets.split(","):
        name, seed = spec.split(":")
        data = compared(name, args.persons, int(seed), args.floor)
        odds, x, truth = data["odds"], data["x"], data["truth"]
        runs = {"as fitted": figures(data, odds, args.precision, args.floor)}
        estimates = {}
        for clip in (float(c) for c in args.clips.split(",")):
            for absent in (False, True):
                label = f"EM, clip {clip:g}{', absent too' if absent else ''}"
                new, m, u, shown, not_shown = em(odds, x, ref, clip, absent)
                runs[label] = figures(data, new, args.precision, args.floor)
                estimates[label] = {"m": m.round(4).tolist(), "u": u.round(4).tolist(),
                                    "shown": shown.round(2).tolist(), "not_shown": not_shown.round(2).tolist()}
        labelled = (x[truth].mean(0), x[~truth].mean(0))
        for clip in (float(c) for c in args.clips.split(",")):
            shown, _ = correction(*labelled, ref[0], ref[1], clip, False)
            runs[f"bound: rates from the labels, clip {clip:g}"] = figures(data, odds + x @ shown, args.precision,
                                                                            args.floor)
        runs["bound: logistic on the labels, in-sample"] = figures(data, logistic_bound(odds, x, truth),
                                                                    args.precision, args.floor)
        out["sets"][spec] = {"compared_pairs": len(odds), "check_cpu_seconds": round(data["cpu"], 1), "runs": runs,
                             "estimates": estimates, "labelled": {"m": labelled[0].round(4).tolist(),
                                                                  "u": labelled[1].round(4).tolist()}}
        print(f"{spec} {data['registry'].persons:,}: {len(odds):,} compared pairs, check {data['cpu']:.1f} CPU s")
        for label, f in runs.items():
            print(f"  {label:44} P {f['precision']:.4f} R {f['recall']:.4f} F1 {f['f1']:.4f} FP {f['fp']:5} "
                  f"FN {f['fn']:5}  best R at P >= {args.precision}: {f['best_recall_at_precision']:.4f}")
        for label, e in estimates.items():
            print(f"  {label}: " + ", ".join(f"{k} m {m:.3f} u {u:.3f} {s:+.2f}" for k, m, u, s in
                                             zip(IRREGULARITIES, e["m"], e["u"], e["shown"])))
        del data
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
