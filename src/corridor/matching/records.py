"""What the matcher reads and what it answers: a registration (`PersonRecord`) and a candidate pair
(`Candidate`), with the score thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field

HIGH = 0.9
THRESHOLD = 0.5


@dataclass(frozen=True)
class PersonRecord:
    """One registration. Names are "given father [grandfather] family"."""

    token: str
    name_ar: str = ""
    name_latin: str = ""
    sex: str = "unknown"                 # "male" / "female" / "unknown"
    birth_year: int | None = None
    gathering_point: str = ""
    household: str = ""


@dataclass(frozen=True)
class Candidate:
    """Two registrations that may be one person; token_a < token_b.

    `score` is the probability that they are one person, `high` is score >=
    0.9. `evidence` (JSON-ready; side "a" is token_a) for the person matcher:

        names: {script: "both" | "arabic" | "latin" | "arabic-latin",
                alignment: "as written" | "given and father swapped" | "family name first",
                weight, parts: [{part: "given" | "father" | "grandfather" | "family"
                                       | "lineage" | "father dropped" | "father registered",
                                 a, b (the folded parts compared), similarity,
                                 level: "agree" | "close" | "weak" | "disagree" | "missing" | ...,
                                 weight}]}
                ("father registered": a the side whose father the household holds, b his name, born his
                birth year, level "contradicts")
        birth_year: {a, b, level: "same" | "one year apart" | "N years apart" | "missing", weight,
                     household?: {side, allowed: [earliest, latest]} where a year missing on one side is
                     placed by that side's relatives by name more than a year away from the other's}
        sex: {a, b, level: "same" | "different" | "unknown", weight}
        gathering_point: {a, b, level: "same" | "different" | "unknown", weight}
        household: {same: bool, scored: bool[, weight]}   (weighed only where one household holds
                                                     registrations of one given name and lineage)
        namesakes: {possible: bool, expected}       (written alike: may be two people of one name;
                                                     expected chance agreements in the registry)
        log2_odds, prior_log2_odds, calibrated_log2_odds

    Weights are log2 likelihood ratios; log2_odds is their sum with the prior;
    calibrated_log2_odds (the person matcher's) is what `score` is read from
    (see `calibration`).
    """

    token_a: str
    token_b: str
    score: float
    high: bool
    evidence: dict = field(compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.token_a, self.token_b)

