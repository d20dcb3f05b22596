"""Blocking of the person registry: which registrations the person matcher compares at all.

`PersonBlocking` is the blocking half of `persons.PersonMatcher` (its keys, its blocks' pairs and
its cheap filter), over the arrays the matcher prepares; the generic engine that gathers the keys
into blocks is `blocking.candidate_pairs`.

Blocking keys are built from the phonetic skeletons of `keys` (so Arabic
and Latin spellings meet), never from a common first name alone:
* the first name part paired with each other part, unordered, with the birth
  year (and the year after, so that years one apart meet), e.g. ("HLB",
  "MHMD", 1985): a dropped part, swapped parts or one badly spelled part still
  leave a shared key;
* the first two and the last part, without the year, for registrations
  without one (only pairs involving such a registration are formed);
* the father's and family name with the birth year (and the next), for a
  misspelt given name (brothers and sisters meet here only when born within
  a year, and their given names send them away at once);
* the given and the family name one slip apart, with the year (and the
  next): each with one letter left out where its skeleton has at least
  `SLIP_MIN_LETTERS` letters (the deletion neighbourhood), so that a letter
  changed, left out or added in one of them -- beside a dropped father, or in
  a registration written in one script only -- still leaves a shared key;
* the household token, for double entries in one household: every pair of a
  household of at most `max_group` that sex and years allow. Brothers and
  sisters share it, so it is evidence only next to agreeing given names read
  as written (`persons.PersonMatcher._household`).

An oversized block (a common name and year at a large registry) compares all
registrations sharing given and family name, and all sharing a further part
beyond the block's key (the family name written first, or a slip in the given
or family name, leaves the first group; a common name chain shares its
father's name), each group of at most `max_group`; the rest by sorted
neighbourhood. Registrations without a year meet all with their given and
family name, all sharing a further part, and all in a block of at most
`max_group`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .blocking import Matcher
from .names import PartTable
from .records import PersonRecord

#: the shortest skeleton whose one-slip variants are blocking keys (shorter ones meet too many others)
SLIP_MIN_LETTERS = 4


def _variants(skeleton: str) -> set[str]:
    """The skeleton and each with one letter left out: two skeletons one letter changed, left out or
    added apart share one of these (the deletion neighbourhood)."""
    if len(skeleton) < SLIP_MIN_LETTERS:
        return {skeleton}
    return {skeleton} | {skeleton[:k] + skeleton[k + 1:] for k in range(len(skeleton))}


def _one_slip(given: str, family: str) -> list[tuple[str, str]]:
    """(given, family) keys that meet where one of the two is one slip from the other's spelling."""
    return [("g", v, family) for v in _variants(given)] + [("f", given, v) for v in _variants(family)]


class PersonBlocking(Matcher):
    """The blocking of the person matcher (`keys`, `sort_key`, `block_pairs`, `allowed`), over what
    `persons.PersonMatcher.prepare` holds: the records, their name parts by script (ids into the
    `PartTable`), sexes and birth years; `prepare_blocking` adds the arrays only blocking reads."""

    records: Sequence[PersonRecord]
    table: PartTable
    ar: list[tuple[int, ...]]
    lat: list[tuple[int, ...]]
    sex: list[int]
    year: list[int | None]
    name: list[tuple[int, ...]]
    ends: list[tuple[str, ...]]
    parts: list[frozenset[str]]
    max_group: int
    max_year_gap: int

    def prepare_blocking(self) -> None:
        """The given and family name of each registration (unordered), and every part it holds in either
        script, as coarse skeletons: the groups an oversized block is split into."""
        coarse = self.table.coarse
        # given and family name (unordered), the sub-block of an oversized block
        self.ends = [tuple(sorted((coarse[n[0]], coarse[n[-1]]))) if n else () for n in self.name]
        # every part in either script: an oversized block is split further by the parts beyond its key's
        self.parts = [frozenset(coarse[p] for p in ar + lat) for ar, lat in zip(self.ar, self.lat)]

    def keys(self, i: int) -> Iterable[Any]:
        coarse = self.table.coarse
        y = self.year[i]
        out: set[Any] = set()
        for parts in (self.ar[i], self.lat[i]):
            if not parts:
                continue
            cs = [coarse[p] for p in parts]
            if len(cs) == 1:
                out.add(("one", cs[0]))
                continue
            # the first part with any other, unordered, with the birth year (and the
            # next, so that years one apart meet): a dropped or swapped part leaves
            # at least one such pair; pairs without the given name would gather
            # brothers and sisters, whom the given name tells apart anyway
            if y is not None:
                first = cs[0]
                for other in cs[1:]:
                    a, b = (first, other) if first <= other else (other, first)
                    out.add((a, b, y))
                    out.add((a, b, y + 1))
                # the father's and the family name with the year, for a misspelt given name:
                # brothers and sisters meet here only when born in one year (or one apart)
                if len(cs) >= 3:
                    out.add(("lin", cs[1], cs[-1], y))
                    out.add(("lin", cs[1], cs[-1], y + 1))
                # given and family name one slip apart (a letter changed, left out or added in one of
                # them), with the year: a slip beside a dropped father leaves no other key
                for slip in _one_slip(cs[0], cs[-1]):
                    out.add(("slip", *slip, y))
                    out.add(("slip", *slip, y + 1))
            # without the year: the first two and the last part, unordered (swaps, no year)
            ends = sorted({cs[0], cs[1], cs[-1]}) if len(cs) >= 3 else sorted(cs)
            for x in range(len(ends)):
                for z in range(x + 1, len(ends)):
                    out.add(("ny", ends[x], ends[z]))
            if len(ends) == 1:
                out.add(("ny", ends[0], ends[0]))
        hh = self.records[i].household
        if hh:
            out.add(("hh", hh))
        return out

    def sort_key(self, i: int) -> Any:
        coarse = self.table.coarse
        parts = self.ar[i] or self.lat[i]
        return (" ".join(sorted(coarse[p] for p in parts)), self.year[i] or 0, self.records[i].token)

    def block_pairs(self, key: Any, members: list[int]) -> Iterable[tuple[int, int]] | None:
        """Blocks without the birth year serve registrations without one: only
        pairs with such a registration are formed, in a sorted neighbourhood
        where the block is large. An oversized block of a common name (many
        Mohammed Ahmads born in 1990) is not cut to a sorted neighbourhood
        alone: registrations with the same given and family name in it are
        all compared (where a duplicate most likely is, whatever the gathering
        point), the rest by sorted neighbourhood."""
        if key[0] == "hh" and len(members) <= self.max_group:
            # one household: every pair the cheap filter lets through (sex, years), however large
            return [(i, j) for x, i in enumerate(members) for j in members[x + 1:] if self.allowed(i, j)]
        if key[0] != "ny":
            if len(members) <= self.max_block:
                return None
            return self._oversized(key, members)
        year = self.year
        if len(members) <= self.max_block:
            return [(i, j) for x, i in enumerate(members) for j in members[x + 1:]
                    if year[i] is None or year[j] is None]
        ordered = sorted(set(members), key=self.sort_key)
        w = self.window
        out = []
        for x, i in enumerate(ordered):
            if year[i] is None:
                out.extend((i, j) for j in ordered[max(0, x - w):x + w + 1] if j != i)
        # a block of at most `max_group`: a registration without a year against all in it (a slip
        # in the given or the family name, or the family name written first, leaves it in no group)
        if len(members) <= self.max_group:
            out.extend((i, j) for i in members if year[i] is None for j in members if j != i)
            return out
        # and a registration without a year against all with its given and family name
        # (a year missing sorts it away from its namesakes' years)
        groups: dict[Any, list[int]] = {}
        for i in members:
            groups.setdefault(self.ends[i], []).append(i)
        for group in groups.values():
            if len(group) > 1 and len(group) <= 4 * self.max_group:
                out.extend((i, j) for i in group if year[i] is None for j in group if j != i)
        # and against all sharing a further part (the family name written first, or a slip in the
        # given or the family name, moves a registration out of its given and family name group)
        for group in self._further(key, members).values():
            if len(group) > 1 and len(group) <= self.max_group:
                out.extend((i, j) for i in group if year[i] is None for j in group if j != i)
        return out

    def _further(self, key: Any, members: list[int]) -> dict[str, list[int]]:
        """The members of a block grouped by each part they hold beyond the key's own."""
        own = {k for k in key if isinstance(k, str)}
        groups: dict[str, list[int]] = {}
        for i in members:
            for part in self.parts[i] - own:
                groups.setdefault(part, []).append(i)
        return groups

    def _oversized(self, key: Any, members: list[int]) -> list[tuple[int, int]]:
        """An oversized block: all pairs with the same given and family name, and all sharing a
        further part (the family name written first, or a slip in it, leaves the first group), where
        such a group is at most `max_group`; the rest by sorted neighbourhood."""
        groups: dict[Any, list[int]] = {}
        for i in members:
            groups.setdefault(self.ends[i], []).append(i)
        out: list[tuple[int, int]] = []
        cap = self.max_group
        for group in groups.values():
            if len(group) <= cap:
                out.extend((i, j) for x, i in enumerate(group) for j in group[x + 1:])
            else:
                out.extend(self._neighbourhood(group, self.window))
        for group in self._further(key, members).values():
            if 1 < len(group) <= cap:
                out.extend((i, j) for x, i in enumerate(group) for j in group[x + 1:])
        out.extend(self._neighbourhood(members, self.window))
        return out

    def _neighbourhood(self, members: list[int], window: int) -> list[tuple[int, int]]:
        ordered = sorted(set(members), key=self.sort_key)
        return [(i, j) for x, i in enumerate(ordered) for j in ordered[x + 1:x + 1 + window]]

    def allowed(self, i: int, j: int) -> bool:
        si, sj = self.sex[i], self.sex[j]
        if si and sj and si != sj:
            return False
        yi, yj = self.year[i], self.year[j]
        if yi is not None and yj is not None and abs(yi - yj) > self.max_year_gap:
            return False
        return True
