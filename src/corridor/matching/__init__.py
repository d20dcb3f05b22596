"""Duplicate detection: the same person registered twice, at two gathering
points or spelled differently. Pure Python; see `engine` for the method and
where each step lives, `normalise` for names cut into parts, `keys` for their
phonetic keys, `person_blocking` for which registrations are compared at all,
`persons` for how two are compared, `households` for what the names of the
people registered together say, `evidence` for the evidence in readable lines,
`calibration` for how the score is read from the evidence, and `evaluate` for
the measured quality (the synthetic registries it
is measured on are `corridor.scenarios.arabic_registry`, which it is tuned on,
and `corridor.scenarios.syrian_registry`, made independently; see
`corridor.scenarios.duplicate_quality` and benchmarks/duplicates.py).

    from corridor.matching import PersonRecord, find_duplicates
    for c in find_duplicates(records):
        c.token_a, c.token_b, c.score, c.high, c.evidence
"""

from .blocking import BlockStats, Matcher, candidate_pairs
from .engine import find_duplicates, run
from .evidence import explain
from .fields import Field, FieldMatcher
from .keys import name_keys, skeleton
from .normalise import arabic_parts, latin_parts, normalise_arabic, normalise_latin
from .persons import PersonMatcher
from .records import HIGH, THRESHOLD, Candidate, PersonRecord
from .weights import PersonWeights


def match_records(records: list[dict]) -> list[Candidate]:
    """Candidate duplicate pairs among person records given as plain dicts (the service's view of a person)."""
    return find_duplicates([PersonRecord(**r) for r in records])


__all__ = [
    "match_records",
    "HIGH",
    "THRESHOLD",
    "BlockStats",
    "Candidate",
    "Field",
    "FieldMatcher",
    "Matcher",
    "PersonMatcher",
    "PersonRecord",
    "PersonWeights",
    "arabic_parts",
    "candidate_pairs",
    "explain",
    "find_duplicates",
    "latin_parts",
    "name_keys",
    "normalise_arabic",
    "normalise_latin",
    "run",
    "skeleton",
]
