"""Duplicate detection: the same person registered twice, at two gathering
points or spelled differently. Pure Python; see `engine` for the method,
`normalise` for the name keys, `arabic_registry` and `evaluate` for the
measured quality.

    from corridor.matching import PersonRecord, find_duplicates
    for c in find_duplicates(records):
        c.token_a, c.token_b, c.score, c.high, c.evidence
"""

from .engine import (
    HIGH,
    THRESHOLD,
    BlockStats,
    Candidate,
    Field,
    FieldMatcher,
    Matcher,
    PersonMatcher,
    PersonRecord,
    PersonWeights,
    find_duplicates,
)
from .normalise import arabic_parts, latin_parts, name_keys, normalise_arabic, normalise_latin, skeleton



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
    "find_duplicates",
    "latin_parts",
    "name_keys",
    "normalise_arabic",
    "normalise_latin",
    "skeleton",
]
