"""Blocking: which pairs of registrations are compared at all.

Each record emits a few keys (`Matcher.keys`); only records sharing a key are
compared. A block larger than the matcher's `max_block` is not compared
all-against-all: its records are sorted (`Matcher.sort_key`) and each is
compared with its `window` nearest neighbours (sorted neighbourhood), so the
work grows about linearly with the registry.

The person registry's keys, and its own pairs for an oversized block, are in
`person_blocking`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .records import HIGH


class Matcher:
    """What the engine needs from a configuration. Subclasses prepare the
    records once, then answer for record indices."""

    max_block: int = 40
    window: int = 8
    high: float = HIGH

    def prepare(self, records: Sequence[Any]) -> None:
        raise NotImplementedError

    def token(self, i: int) -> str:
        raise NotImplementedError

    def keys(self, i: int) -> Iterable[Any]:
        raise NotImplementedError

    def sort_key(self, i: int) -> Any:
        """Order inside an oversized block (sorted neighbourhood)."""
        return self.token(i)

    def block_pairs(self, key: Any, members: list[int]) -> Iterable[tuple[int, int]] | None:
        """Pairs of a block chosen by the matcher itself, or None for the default."""
        return None

    def allowed(self, i: int, j: int) -> bool:
        """Cheap filter before scoring."""
        return True

    def prior(self, n: int) -> float:
        """log2 prior odds that a candidate pair is a duplicate."""
        raise NotImplementedError

    def compare(self, i: int, j: int) -> tuple[float, dict]:
        """(log2 likelihood ratio, evidence) of records i and j."""
        raise NotImplementedError

    def weight(self, i: int, j: int) -> float:
        """The log2 likelihood ratio alone (a faster path where there is one)."""
        return self.compare(i, j)[0]

    #: how far (log2 odds) below the threshold `weight` may fall and the pair still be compared
    #: in full, for a matcher whose score is not prior + weight alone
    prefilter_margin: float = 0.0

    def log2_odds(self, prior: float, weight: float, evidence: dict) -> float:
        """The score, in log2 odds, of a compared pair: the prior plus the weight, unless calibrated."""
        return prior + weight

    def one_to_one(self) -> bool:
        return False

    def exclusive(self) -> bool:
        """Whether a registration is the duplicate of one other at most, unless those others are
        themselves one person (see `engine.exclusive`)."""
        return False


@dataclass
class BlockStats:
    """What blocking did: blocks of two or more, of them oversized (sorted
    neighbourhood), the largest block, distinct candidate pairs, and pairs
    scored (past the matcher's cheap filter)."""

    blocks: int = 0
    capped: int = 0
    largest: int = 0
    pairs: int = 0
    scored: int = 0


def candidate_pairs(matcher: Matcher, n: int, stats: BlockStats | None = None) -> list[tuple[int, int]]:
    """All pairs (i < j) sharing a blocking key, oversized blocks by sorted
    neighbourhood; in no particular order."""
    blocks: dict[Any, list[int]] = defaultdict(list)
    for i in range(n):
        for key in matcher.keys(i):
            blocks[key].append(i)
    seen: set[int] = set()
    cap, window = matcher.max_block, matcher.window
    st = stats if stats is not None else BlockStats()
    for key, members in blocks.items():
        size = len(members)
        if size < 2:
            continue
        st.blocks += 1
        st.largest = max(st.largest, size)
        own = matcher.block_pairs(key, members)
        if own is not None:
            for i, j in own:
                seen.add(i * n + j if i < j else j * n + i)
            if size > cap:
                st.capped += 1
        elif size <= cap:
            for x in range(size):
                i = members[x]
                for y in range(x + 1, size):
                    j = members[y]
                    seen.add(i * n + j if i < j else j * n + i)
        else:
            st.capped += 1
            members = sorted(set(members), key=matcher.sort_key)
            size = len(members)
            for x in range(size):
                i = members[x]
                for y in range(x + 1, min(size, x + 1 + window)):
                    j = members[y]
                    seen.add(i * n + j if i < j else j * n + i)
    st.pairs = len(seen)
    return [divmod(p, n) for p in seen]

