"""How well duplicates are found on a generated registry, broken down so that the weak spots show.

`measure(registry, candidates)` gives precision, recall and F1 at the
candidate threshold, the recall per error kind of the true pairs
(`registry.duplicate_errors`; a pair counts under each of its kinds, and
under "none" where it has none, and by its number of errors), and the false
positives per hard-negative kind (`registry.hard_negatives`, where the
generator labels them; "other" for the rest) with their rate (false
positives / pairs of that kind), and the candidates flagged "namesakes
possible" by the matcher, by what they truly are.

The precision ceiling of true namesakes. Two different people with the
same given, father's and family name, sex and birth year (or a birth year
missing on one registration) -- and no grandfather's name on one of the two
registrations, or the same one -- are written exactly as one person
registered twice (`namesakes` labels them for both generators). No name matcher can tell
them apart, and at the candidate threshold every good matcher proposes
them. For a registry whose generator labels them ("namesakes" in
`Registry.hard_negatives`), the ceiling is

    precision* = true pairs / (true pairs + namesake pairs),

the precision of a matcher that finds every duplicate and takes every
namesake pair for one. It falls as the registry grows: namesakes grow with
the square of the registry, duplicates with its size. The matcher is
measured against it ("within 0.5 points") rather than tuned to chase it.

How a registrar tells namesakes apart: not by the names.
* The household: a duplicate usually arrives with the same people around it
  (the same wife's and children's names, at another point); a namesake
  arrives with another family. Compare the household lists side by side.
* The links: a person registered twice has one set of relatives; ask for
  the mother's name (Syrian civil documents carry it; namesakes almost never
  share it) and the grandfather's name where only one registration has it.
* A question to ask: place of birth or the last address before displacement,
  and the family booklet (daftar 'a'ili) or an ID number where one exists.
* Until then, a pair flagged "namesake possible" is not merged: both keep
  their seats, and the family tracing desk sees both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..matching.evaluate import Quality, quality
from ..matching.records import THRESHOLD, Candidate


@dataclass(frozen=True)
class Measure:
    quality: Quality
    recall_by_error: dict[str, tuple[int, int]]             # kind -> (found, true pairs with it)
    recall_by_count: dict[int, tuple[int, int]]             # errors -> (found, true pairs)
    false_positives: dict[str, int] = field(default_factory=dict)   # hard-negative kind -> count
    hard_negatives: dict[str, int] = field(default_factory=dict)    # hard-negative kind -> pairs
    namesake_ceiling: float | None = None
    #: candidates whose evidence says "namesakes possible", by what they are: "true pair" or a hard-negative kind
    flagged_namesakes: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = {**self.quality.as_dict(),
               "recall_by_error": {k: round(f / n, 4) for k, (f, n) in sorted(self.recall_by_error.items())},
               "false_positives": dict(sorted(self.false_positives.items())),
               "false_positive_rate": {k: round(self.false_positives.get(k, 0) / n, 4)
                                       for k, n in sorted(self.hard_negatives.items())},
               "flagged_namesakes": dict(sorted(self.flagged_namesakes.items()))}
        if self.namesake_ceiling is not None:
            out["namesake_ceiling"] = round(self.namesake_ceiling, 4)
        return out


def measure(registry, candidates: Iterable[Candidate], threshold: float = THRESHOLD) -> Measure:
    """Quality of `candidates` on a generated `registry` (see the module)."""
    candidates = [c for c in candidates if c.score >= threshold]
    q = quality(candidates, registry.true_pairs, threshold)
    found = {c.pair for c in candidates}
    by_error: Counter = Counter()
    hit_error: Counter = Counter()
    by_count: Counter = Counter()
    hit_count: Counter = Counter()
    labels = getattr(registry, "duplicate_errors", {}) or {}
    for pair in registry.true_pairs:
        kinds = labels.get(pair, [])
        real = [k for k in kinds if k not in ("other romanisation", "other gathering point", "same household")]
        hit = pair in found
        for k in kinds or ["none"]:
            by_error[k] += 1
            hit_error[k] += hit
        by_count[len(real)] += 1
        hit_count[len(real)] += hit
    negatives = getattr(registry, "hard_negatives", {}) or {}
    fps = Counter(negatives.get(c.pair, "other") for c in candidates if c.pair not in registry.true_pairs)
    top = ceiling(len(registry.true_pairs), negatives) if negatives else None
    flagged = Counter("true pair" if c.pair in registry.true_pairs else negatives.get(c.pair, "other")
                      for c in candidates if (c.evidence.get("namesakes") or {}).get("possible"))
    return Measure(q, {k: (hit_error[k], n) for k, n in by_error.items()},
                   {k: (hit_count[k], n) for k, n in sorted(by_count.items())},
                   dict(fps), dict(Counter(negatives.values())), top, dict(flagged))


@dataclass(frozen=True)
class Written:
    """What a generator knows of one registration, for labelling namesakes: the person, the
    names of the person (given, father, grandfather, family; comparable values), the true and
    the registered birth year, and whether the grandfather's name was written."""

    token: str
    person: object
    sex: str
    names: tuple
    year: int | None
    registered_year: int | None
    grandfather_written: bool


def namesakes(written: Sequence[Written]) -> dict[tuple[str, str], str]:
    """Pairs of registrations of different persons with the same given, father's and family name
    and sex: "namesakes" where nothing written tells them apart (the same birth year, or none on
    one side; no differing grandfathers on both), "namesakes, grandfathers differ", "namesakes,
    a year apart"; other years are told apart by the year."""
    groups: dict = defaultdict(list)
    for w in written:
        groups[(w.sex, w.names[0], w.names[1], w.names[3])].append(w)
    out: dict[tuple[str, str], str] = {}
    for group in groups.values():
        for k, a in enumerate(group):
            for b in group[k + 1:]:
                if a.person == b.person:
                    continue
                pair = (a.token, b.token) if a.token < b.token else (b.token, a.token)
                if a.registered_year is None or b.registered_year is None or a.year == b.year:
                    told = a.grandfather_written and b.grandfather_written and a.names[2] != b.names[2]
                    out[pair] = "namesakes, grandfathers differ" if told else "namesakes"
                elif abs(a.year - b.year) == 1:
                    out[pair] = "namesakes, a year apart"
    return out


def ceiling(true_pairs: int, labels: dict) -> float:
    """Precision of a matcher that finds every true pair and takes every true namesake pair for one."""
    n = sum(1 for t in labels.values() if t == "namesakes")
    return true_pairs / (true_pairs + n) if true_pairs + n else 1.0
