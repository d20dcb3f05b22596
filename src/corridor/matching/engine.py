"""Duplicate detection: candidate pairs of registrations that may be one person.

Pure Python, no database. `find_duplicates(records)` takes `PersonRecord`s and
returns `Candidate` pairs, best first, each with a score in [0, 1] (the
probability that both registrations are one person), a `high` flag (score >=
0.9) and the evidence behind the score. Three steps:

1. Blocking (`blocking`, with the keys of `person_blocking.PersonBlocking.keys`): each
   record emits a few keys; only records sharing a key are compared; an
   oversized block is compared by sorted neighbourhood, so the work grows
   about linearly with the registry.
2. Comparison, Fellegi-Sunter style (`persons`, `names`, `weights`): each
   field gives a log2 likelihood ratio (weight); the names part by part,
   weighed by their frequency in the registry itself, then birth year, sex
   and gathering point.
3. Score (here): the weights plus the prior log-odds that two registrations
   picked at random are one person (`expected_duplicate_share` * 2 / N) give
   the posterior probability. In a large registry people with a common name
   and the same birth year are expected by chance, and the score says so.
   The person matcher calibrates that sum (`calibration`: a small logistic
   model over the evidence's parts, fitted on the tuning registry).

4. Exclusion (`exclusive`, for the person matcher): a registration proposed
   with two others that are not themselves proposed as one keeps its better
   pair only.

`records` holds what goes in and comes out, `evidence` turns a candidate's
evidence into readable lines, and `fields.FieldMatcher` is the same engine
over plain mappings with a configuration of fields -> comparator + weights
and blocking keys (used for FEBRL, a linkage of two files).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .blocking import BlockStats, Matcher, candidate_pairs
from .persons import PersonMatcher
from .records import THRESHOLD, Candidate


def _sigmoid2(x: float) -> float:
    """Probability from log2 odds."""
    if x > 60:
        return 1.0
    if x < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-x))


def calibrated(matcher: Matcher, prior: float, i: int, j: int) -> tuple[float, dict]:
    """A pair compared in full: its calibrated log2 odds and its evidence (with the raw and prior log2 odds)."""
    weight, evidence = matcher.compare(i, j)
    evidence["log2_odds"] = round(prior + weight, 2)
    evidence["prior_log2_odds"] = round(prior, 2)
    return matcher.log2_odds(prior, weight, evidence), evidence


def run(matcher: Matcher, records: Sequence[Any], threshold: float = THRESHOLD,
        stats: BlockStats | None = None) -> list[Candidate]:
    """Candidates scoring at least `threshold`, best first (ties by tokens)."""
    matcher.prepare(records)
    n = len(records)
    if len({matcher.token(i) for i in range(n)}) != n:
        raise ValueError("record tokens must be unique")
    st = stats if stats is not None else BlockStats()
    prior = matcher.prior(n)
    margin = matcher.prefilter_margin
    out: list[Candidate] = []
    for i, j in candidate_pairs(matcher, n, st):
        if not matcher.allowed(i, j):
            continue
        st.scored += 1
        if _sigmoid2(prior + matcher.weight(i, j) + margin) < threshold:
            continue
        odds, evidence = calibrated(matcher, prior, i, j)
        score = round(_sigmoid2(odds), 6)
        if score < threshold:
            continue
        a, b = matcher.token(i), matcher.token(j)
        if b < a:
            a, b = b, a
        out.append(Candidate(a, b, score, score >= matcher.high, evidence))
    out.sort(key=lambda c: (-c.score, c.token_a, c.token_b))
    if matcher.exclusive():
        out = exclusive(out)
    if matcher.one_to_one():
        used: set[str] = set()
        kept = []
        for c in out:
            if c.token_a in used or c.token_b in used:
                continue
            used.add(c.token_a)
            used.add(c.token_b)
            kept.append(c)
        out = kept
    return out



def exclusive(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates (best first) without those a better one excludes. A registration proposed with two
    others is one of them at most -- unless those two are themselves proposed as one person (a person
    registered three times). So where a registration's best candidate is B and another is C, and B and
    C are not a candidate pair, the pair with C goes: two people of one name (namesakes) beside one
    person registered twice. The registrar sees the better pair; once it is resolved, the next check
    weighs the other again."""
    pairs = {c.pair for c in candidates}
    best: dict[str, str] = {}
    kept = []
    for c in candidates:
        a, b = c.token_a, c.token_b
        ok = True
        for own, other in ((a, b), (b, a)):
            first = best.get(own)
            if first is not None and first != other:
                ok = ok and ((first, other) if first < other else (other, first)) in pairs
        if ok:
            best.setdefault(a, b)
            best.setdefault(b, a)
            kept.append(c)
    return kept


def find_duplicates(records: Sequence[Any], threshold: float = THRESHOLD, *,
                    matcher: Matcher | None = None, stats: BlockStats | None = None) -> list[Candidate]:
    """Candidate duplicate pairs among `records`, best first.

    `records` are `PersonRecord`s for the default matcher. A candidate's
    `score` is the posterior probability that both registrations are one
    person; `high` marks scores at or above the matcher's high-confidence
    threshold (0.9). Tokens must be unique. The output is deterministic:
    sorted by score descending, then tokens.
    """
    return run(matcher or PersonMatcher(), records, threshold, stats)
