"""Matching of flat records by a configuration of fields (FEBRL and other flat files): comparators,
`Field` and `FieldMatcher`, the same engine as the person matcher."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from .blocking import Matcher
from .records import HIGH


Comparator = Callable[[str, str], float]


def jaro_winkler(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b)


def exact(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def edit_similarity(a: str, b: str) -> float:
    """1 for equal, 0.9 for one edit or one transposition of adjacent characters."""
    if a == b:
        return 1.0
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return 0.9
    d = Levenshtein.distance(a, b)
    if d == 1:
        return 0.9
    return max(0.0, 1.0 - d / max(len(a), len(b)))


@dataclass(frozen=True)
class Field:
    """One compared field: a comparator and weights by similarity level.

    `levels` is a list of (minimum similarity, log2 weight), highest first;
    below the last level `disagree` applies; a missing value gives 0."""

    name: str
    compare: Comparator
    levels: tuple[tuple[float, float], ...]
    disagree: float


@dataclass
class FieldMatcher(Matcher):
    """Fellegi-Sunter matching of flat records (mappings of field -> str).

    `blocking` holds functions of a record giving its blocking keys;
    `source` (a field name) restricts pairs to records of different sources
    (a linkage of files rather than a deduplication of one)."""

    fields: Sequence[Field]
    blocking: Sequence[Callable[[Mapping[str, str]], Iterable[Any]]]
    id_field: str = "id"
    source: str | None = None
    prior_log2: float = -10.0
    link_one_to_one: bool = False
    max_block: int = 50
    window: int = 10
    high: float = HIGH
    sort_fields: tuple[str, ...] = ()

    def prepare(self, records: Sequence[Mapping[str, str]]) -> None:
        self.records = records
        self.values = [[(r.get(f.name) or "").strip() for f in self.fields] for r in records]

    def token(self, i: int) -> str:
        return str(self.records[i][self.id_field])

    def keys(self, i: int) -> Iterable[Any]:
        r = self.records[i]
        out = set()
        for k, fn in enumerate(self.blocking):
            for key in fn(r):
                if key:
                    out.add((k, key))
        return out

    def sort_key(self, i: int) -> Any:
        r = self.records[i]
        return tuple((r.get(f) or "") for f in self.sort_fields) + (self.token(i),)

    def allowed(self, i: int, j: int) -> bool:
        if self.source is None:
            return True
        return self.records[i].get(self.source) != self.records[j].get(self.source)

    def prior(self, n: int) -> float:
        return self.prior_log2

    def one_to_one(self) -> bool:
        return self.link_one_to_one

    def compare(self, i: int, j: int) -> tuple[float, dict]:
        if self.token(j) < self.token(i):
            i, j = j, i                                   # side a is token_a
        total = 0.0
        ev: dict[str, Any] = {}
        vi, vj = self.values[i], self.values[j]
        for f, a, b in zip(self.fields, vi, vj):
            if not a or not b:
                ev[f.name] = {"a": a, "b": b, "level": "missing", "weight": 0.0}
                continue
            s = f.compare(a, b)
            wt = f.disagree
            level = "disagree"
            for k, (at, lw) in enumerate(f.levels):
                if s >= at:
                    wt, level = lw, f"level {k}"
                    break
            total += wt
            ev[f.name] = {"a": a, "b": b, "similarity": round(s, 3), "level": level, "weight": wt}
        return total, ev
