"""The calibration of the person matcher's score: a small logistic model over the comparison.

The Fellegi-Sunter weights of `persons`/`names` are set by hand from m and u
reasoning; measured on generated registries they are under-confident near
the threshold (pairs at log2 odds -2..0 were one person 70 % of the time,
not 33 %), more so as the registry grows (the prior falls with its size
faster than chance look-alikes in fact rise). So the score is not read off
the raw sum: a logistic model takes the parts of the evidence the registrar
sees -- the names' weight, the birth year's, the gathering point's, the household's (one household
holding one name twice; apart, two families; two men apart, one of them with no relative by name in his
household), the prior -- and two facts about them (a birth year missing on one side; name parts
written in one registration only, or a reading other than "as written") and
gives the probability, in log2 odds:

    log2 odds = sum(coefficient * feature) + intercept

`FEATURES` names the features in order. The coefficients are fitted by
`fit` (Newton's method on the log-likelihood, a little ridge) on candidate
pairs of registries from `corridor.scenarios.arabic_registry` only (the
tuning generator; seeds and sizes in `FITTED_ON`; the pairs the exclusion of
`engine.exclusive` removes left out), never on the evaluation sets;
`benchmarks/duplicates.py --fit` refits them and prints this table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FEATURES = ("names", "birth_year", "gathering_point", "prior", "year_missing", "parts_missing", "reordered",
            "household", "two_families", "man_apart")
FITTED_ON = "arabic_registry seeds 11, 12, 13 at 5,000, 20,000 and 60,000 persons"


@dataclass(frozen=True)
class Calibration:
    """Coefficients of `FEATURES` and an intercept, on the log2-odds scale."""

    coefficients: tuple[float, ...]
    intercept: float

    def log2_odds(self, features: Sequence[float]) -> float:
        return self.intercept + sum(c * f for c, f in zip(self.coefficients, features))


# fitted by `fit` on FITTED_ON (benchmarks/duplicates.py --fit)
CALIBRATION = Calibration((1.0318, 1.1395, 0.2701, 0.7961, 0.0979, 0.423, 1.1686, 0.8699, 2.3798, 1.365), -2.1099)


def features(evidence: dict) -> list[float]:
    """The features of a person pair's evidence (see `Candidate.evidence`)."""
    names = evidence.get("names") or {}
    parts = names.get("parts") or ()
    household = float((evidence.get("household") or {}).get("weight") or 0.0)
    return [
        float(names.get("weight") or 0.0),
        float(evidence["birth_year"]["weight"]),
        float(evidence["gathering_point"]["weight"]),
        float(evidence["prior_log2_odds"]),
        1.0 if evidence["birth_year"]["level"] == "missing" else 0.0,
        float(sum(1 for p in parts if p.get("level") == "missing")),
        0.0 if names.get("alignment") in (None, "as written") else 1.0,
        max(0.0, household),
        min(0.0, household),
        _man_apart(evidence),
    ]


def _man_apart(evidence: dict) -> float:
    """1 where two men in different households are not two families: one of them lives with no relative by
    name. A man's relatives show in his household's names (his father, brothers, children); a woman living
    with her husband's family has none by name, so for her the household cannot say this."""
    household = evidence.get("household") or {}
    relatives = household.get("relatives") or ()
    sex = evidence.get("sex") or {}
    men = sex.get("level") == "same" and str(sex.get("a") or "").casefold() in ("male", "m")
    return 1.0 if (men and not household.get("same") and len(relatives) == 2 and None not in relatives
                   and not all(relatives)) else 0.0


def fit(samples: Sequence[Sequence[float]], labels: Sequence[bool], ridge: float = 1e-3) -> Calibration:
    """Logistic regression of `labels` on `samples` (rows of `FEATURES`), on the log2-odds scale."""
    import numpy as np                       # fitting only; scoring is plain Python

    x = np.hstack([np.asarray(samples, float), np.ones((len(samples), 1))])
    y = np.asarray(labels, float)
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    w = w / math.log(2)                      # natural log odds -> log2 odds
    return Calibration(tuple(round(float(c), 4) for c in w[:-1]), round(float(w[-1]), 4))
