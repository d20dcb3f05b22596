"""The person-registry configuration of the engine (the default of `find_duplicates`).

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
  as written (`_household`).

An oversized block (a common name and year at a large registry) compares all
registrations sharing given and family name, and all sharing a further part
beyond the block's key (the family name written first, or a slip in the given
or family name, leaves the first group; a common name chain shares its
father's name), each group of at most `max_group`; the rest by sorted
neighbourhood. Registrations without a year meet all with their given and
family name, all sharing a further part, and all in a block of at most
`max_group`.

Comparison: the names (`names.NameScorer`) in each reading a registration
has -- both scripts part for part as two witnesses (`names.PartTable.both`),
or each script alone -- the best reading counting; then birth years (within
a year), sexes (must not contradict; "unknown" is neutral), the gathering
point (weak evidence), one household holding one name twice, and two
registrations each living with relatives by name (or each as a mother with
her children) in households sharing nobody (two families: namesakes;
`households`). Where a registration has no birth year, its relatives by name in its
household place its birth, and the other's year fits there or not; where a name is read
with its father's name left out but its household holds its father by the name it gives,
the reading is contradicted (`households`). A part close
to another only by a slip -- a spelling rare in this registry beside a common
one (`names.NameScorer.misspelt`) -- costs less than two names in use alike. Weights and their m/u reasoning are in
`weights.PersonWeights`; the score is read from them through `calibration`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .blocking import Matcher
from .calibration import CALIBRATION, Calibration, features
from .households import Households
from .names import NameScorer, PartTable
from .normalise import arabic_parts, latin_parts
from .records import HIGH, PersonRecord
from .weights import PersonWeights

_SEX = {"male": 1, "m": 1, "female": 2, "f": 2}
#: chance agreements expected in the registry from which a pair written alike is flagged "namesakes possible"
NAMESAKES_EXPECTED = 0.01
SWAPPED = "given and father swapped"


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


class PersonMatcher(Matcher):
    """The person-registry configuration (the default of `find_duplicates`)."""

    def __init__(self, weights: PersonWeights | None = None, *, expected_duplicate_share: float = 0.1,
                 max_block: int = 6, window: int = 3, high: float = HIGH, max_year_gap: int = 2,
                 max_group: int = 40, calibration: Calibration | None = CALIBRATION):
        self.w = weights or PersonWeights()
        self.share = expected_duplicate_share
        self.max_block = max_block
        self.window = window
        self.high = high
        self.max_year_gap = max_year_gap
        self.max_group = max_group
        self.calibration = calibration
        self.prefilter_margin = 8.0 if calibration else 0.0

    # -- preparation

    def prepare(self, records: Sequence[PersonRecord]) -> None:
        table = self.table = PartTable()
        self.records = records
        self.ar: list[tuple[int, ...]] = []
        self.lat: list[tuple[int, ...]] = []
        self.sex: list[int] = []
        self.year: list[int | None] = []
        self.point: list[str] = []
        parsed: dict[tuple[bool, str], tuple[int, ...]] = {}
        for r in records:
            for arabic, text, out in ((True, r.name_ar, self.ar), (False, r.name_latin, self.lat)):
                ids = parsed.get((arabic, text))
                if ids is None:
                    parts = (arabic_parts(text) if arabic else latin_parts(text)) if text else []
                    ids = parsed[(arabic, text)] = tuple(table.intern(arabic, p) for p in parts)
                out.append(ids)
            self.sex.append(_SEX.get((r.sex or "").casefold(), 0))
            self.year.append(r.birth_year)
            self.point.append(r.gathering_point or "")
        # the name compared: each part with both its witnesses where both scripts are written part for part
        # readings of a name: each part with both witnesses where both scripts are written
        # part for part, else each script written (a typo can join or split a part)
        self.name: list[tuple[int, ...]] = []
        self.readings: list[list[tuple[str, tuple[int, ...]]]] = []
        for ar, lat in zip(self.ar, self.lat):
            if ar and len(ar) == len(lat):
                both = tuple(table.both(a, b) for a, b in zip(ar, lat))
                self.name.append(both)
                self.readings.append([("both", both)])
            else:
                self.name.append(ar or lat)
                self.readings.append([(s, n) for s, n in (("arabic", ar), ("latin", lat)) if n])
        self.names = NameScorer(self.w, table, self.name, len(records))
        coarse = table.coarse
        # given and family name (unordered), the sub-block of an oversized block
        self.ends = [tuple(sorted((coarse[n[0]], coarse[n[-1]]))) if n else () for n in self.name]
        # every part in either script: an oversized block is split further by the parts beyond its key's
        self.parts = [frozenset(coarse[p] for p in ar + lat) for ar, lat in zip(self.ar, self.lat)]
        self.households = Households([r.household or "" for r in records],
                                     [[tuple(coarse[p] for p in parts) for parts in (ar, lat) if parts]
                                      for ar, lat in zip(self.ar, self.lat)], self.year,
                                     [(None, "male", "female")[x] for x in self.sex])
        self._frequencies()

    def _frequencies(self) -> None:
        """Birth years and gathering points: the registry's own frequencies, smoothed towards
        typical values so that a small registry (or a rare value) does not give extreme weights."""
        w = self.w
        a = w.pseudo_records
        years = Counter(y for y in self.year if y is not None)
        ny = sum(years.values())
        p = {y: c / max(1, ny) for y, c in years.items()}
        u_same = (ny * sum(v * v for v in p.values()) + a * w.u_year_same) / (ny + a)
        u_near = (ny * sum(2 * v * p.get(y + 1, 0.0) for y, v in p.items()) + a * 2 * w.u_year_same) / (ny + a)
        self.year_same = math.log2(w.m_year_same / u_same)
        self.year_near = math.log2(w.m_year_near / u_near)
        points = Counter(pt for pt in self.point if pt)
        npt = sum(points.values())
        u_point = (sum(c * c for c in points.values()) / max(1, npt) + a * w.u_point_same) / (npt + a)
        u_point = min(0.95, u_point)
        self.point_same = math.log2(w.m_point_same / u_point)
        self.point_diff = math.log2((1 - w.m_point_same) / (1 - u_point))

    # -- blocking

    def token(self, i: int) -> str:
        return self.records[i].token

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

    def prior(self, n: int) -> float:
        return math.log2(2 * self.share / max(1, n - 1))

    def exclusive(self) -> bool:
        return True

    def log2_odds(self, prior: float, weight: float, evidence: dict) -> float:
        """Calibrated (`calibration`), the calibrated log2 odds kept in the evidence."""
        if self.calibration is None:
            return prior + weight
        odds = self.calibration.log2_odds(features(evidence))
        evidence["calibrated_log2_odds"] = round(odds, 2)
        return odds

    # -- comparison

    @staticmethod
    def _script(si: str, sj: str) -> str:
        if si == sj:
            return si
        if "both" in (si, sj):
            return si if sj == "both" else sj
        return "arabic-latin"

    def _names(self, i: int, j: int, years: bool, explain: bool):
        """(weight, script, reading, rows) of the best names comparison of i and j, over
        their readings: one, each part with both witnesses, where both scripts are written
        part for part; else each script written. None where the given names disagree in
        every reading (brothers and sisters, mostly): that costs at least `disagree_given`,
        which no lineage, year and prior can outweigh, and is not weighed further."""
        sim = self.table.sim
        low = self.w.weak_at
        best = None
        for si, p in self.readings[i]:
            for sj, q in self.readings[j]:
                if (sim(p[0], q[0]) < low and (len(p) < 2 or sim(p[1], q[0]) < low)
                        and (len(q) < 2 or sim(p[0], q[1]) < low)):
                    continue
                wt, how, rows = self.names.best_reading(p, q, years, explain)
                if best is None or wt > best[0]:
                    best = (wt, self._script(si, sj), how, rows)
        return best

    def weight(self, i: int, j: int) -> float:
        w = self.w
        if self.records[j].token < self.records[i].token:
            i, j = j, i                                   # the same answer whatever the input order
        yi, yj = self.year[i], self.year[j]
        total = 0.0
        if self.readings[i] and self.readings[j]:
            names = self._names(i, j, yi is not None and yj is not None, False)
            if names is None:
                return w.disagree_given * 2
            total += names[0]
            total += self._household(i, j, names[2] != SWAPPED)[0]
        if yi is not None and yj is not None:
            d = yi - yj
            total += self.year_same if d == 0 else self.year_near if d in (1, -1) else w.year_far
        else:
            told = self.households.years_told(i, j)
            if told is not None:
                total += w.household_years_fit if told[2] else w.household_years_apart
        si, sj = self.sex[i], self.sex[j]
        if si and sj:
            total += w.sex_agree if si == sj else w.sex_disagree
        gi, gj = self.point[i], self.point[j]
        if gi and gj:
            total += self.point_same if gi == gj else self.point_diff
        return total

    def compare(self, i: int, j: int) -> tuple[float, dict]:
        w = self.w
        if self.records[j].token < self.records[i].token:
            i, j = j, i                                   # side a is token_a
        yi, yj = self.year[i], self.year[j]
        ev: dict[str, Any] = {}
        total = 0.0
        names = None
        if self.readings[i] and self.readings[j]:
            names = self._names(i, j, yi is not None and yj is not None, True)
            if names is None:                           # given names disagree in every reading
                script = self._script(self.readings[i][0][0], self.readings[j][0][0])
                p, q = self.readings[i][0][1], self.readings[j][0][1]
                nw, how, rows = self.names.best_reading(p, q, yi is not None and yj is not None, True)
                names = (nw, script, how, rows)
        if names is not None:
            nw, script, how, rows = names
            keys = self.table.keys
            ev["names"] = {
                "script": script, "alignment": how, "weight": round(nw, 2),
                "parts": [{"part": role, "a": keys[a].text if a is not None else None,
                           "b": keys[b].text if b is not None else None,
                           "similarity": None if s is None else round(s, 3), "level": level,
                           "weight": round(wt, 2)} for role, a, b, s, level, wt in rows or ()],
            }
            total += nw
            total += self._father_registered(i, j, rows, ev["names"])
        else:
            ev["names"] = {"script": None, "alignment": None, "weight": 0.0, "parts": []}
        if yi is None or yj is None:
            yw, level = 0.0, "missing"
        elif yi == yj:
            yw, level = self.year_same, "same"
        elif abs(yi - yj) == 1:
            yw, level = self.year_near, "one year apart"
        else:
            yw, level = w.year_far, f"{abs(yi - yj)} years apart"
        ev["birth_year"] = {"a": yi, "b": yj, "level": level, "weight": 0.0}
        told = self.households.years_told(i, j) if level == "missing" else None
        if told is not None:
            yw = w.household_years_fit if told[2] else w.household_years_apart
            ev["birth_year"]["household"] = {"side": "a" if told[0] == i else "b", "allowed": list(told[1]),
                                             "fits": told[2]}
        total += yw
        ev["birth_year"]["weight"] = round(yw, 2)
        si, sj = self.sex[i], self.sex[j]
        if not si or not sj:
            sw, level = 0.0, "unknown"
        elif si == sj:
            sw, level = w.sex_agree, "same"
        else:
            sw, level = w.sex_disagree, "different"
        total += sw
        ev["sex"] = {"a": self.records[i].sex, "b": self.records[j].sex, "level": level, "weight": sw}
        gi, gj = self.point[i], self.point[j]
        if not gi or not gj:
            gw, level = 0.0, "unknown"
        elif gi == gj:
            gw, level = self.point_same, "same"
        else:
            gw, level = self.point_diff, "different"
        total += gw
        ev["gathering_point"] = {"a": gi, "b": gj, "level": level, "weight": round(gw, 2)}
        given = next((r for r in rows or () if r[0] == "given"), None) if names is not None else None
        alike = given is not None and names[2] != SWAPPED and given[4].startswith(("agree", "close"))
        hw, how = self._household(i, j, alike)
        total += hw
        ev["household"] = self._household_evidence(i, j, hw, how)
        ev["namesakes"] = self._namesakes(ev)
        return total, ev

    def _father_registered(self, i: int, j: int, rows, names: dict) -> float:
        """Where a name was read with its father's name left out and that registration's household holds its
        father by the name it gives (`households.Households.father_registered`): `PersonWeights.father_registered`,
        added to the names' weight and shown as a part row; else 0."""
        if not rows or not any(r[0] == "father dropped" for r in rows):
            return 0.0
        father_row = next((r for r in rows if r[0] == "father"), None)
        if father_row is None or (father_row[1] is None) == (father_row[2] is None):
            return 0.0
        short, other, side = (i, j, "a") if father_row[1] is None else (j, i, "b")
        x = self.households.father_registered(short, other)
        if x is None:
            return 0.0
        father = self.records[x]
        wt = self.w.father_registered
        names["parts"].append({"part": "father registered", "a": side, "b": father.name_ar or father.name_latin,
                               "similarity": None, "level": "contradicts", "weight": wt,
                               "born": father.birth_year})
        names["weight"] = round(names["weight"] + wt, 2)
        return wt

    def _household(self, i: int, j: int, alike: bool) -> tuple[float, str | None]:
        """(weight, what) of the households (`households`), `alike`: the given names agree (as written or
        family name first; not with given and father swapped, as a father and his son named after the
        grandfather read).
        * One household token on both, next to alike given names: brothers and sisters share a household
          and a lineage but never a given name, so two registrations of one household, one given name
          and one lineage are one person entered twice (`PersonWeights.household_same`).
        * Two households sharing nobody, each registration living with relatives by name, or each as a
          mother living with her children: two families, namesakes rather than one person
          (`PersonWeights.two_families`), whatever the names.
        Else a different household says little: a duplicate is often registered apart. Two households
        holding other members alike by name and birth year may be one family registered twice: shown,
        not weighed (neither generator registers a family twice, so no weight could be measured; by
        chance, common names make such households now and then)."""
        hi, hj = self.records[i].household, self.records[j].household
        if not hi or not hj:
            return 0.0, None
        if hi == hj:
            return (self.w.household_same, "same") if alike else (0.0, None)
        if self.households.two_families(i, j):
            return self.w.two_families, "two families"
        return 0.0, None

    def _household_evidence(self, i: int, j: int, weight: float, how: str | None) -> dict:
        hi, hj = self.records[i].household, self.records[j].household
        ev: dict[str, Any] = {"same": bool(hi) and hi == hj, "scored": how is not None}
        if how is not None:
            ev["weight"] = round(weight, 2)
        if not ev["same"]:
            rel, mother = self.households.relatives, self.households.mother
            ev["relatives"] = [rel[i], rel[j]]
            if mother[i] or mother[j]:
                ev["mothers"] = [mother[i], mother[j]]
            ev["shared"] = self.households.shared(i, j)
        return ev

    def _namesakes(self, ev: dict) -> dict:
        """Whether the pair may be two people of one name: every part written in both agrees as
        written, and the birth year is the same or missing on one side. Then no name matcher can
        tell them apart, and `expected` says how many registrations would agree with one of them
        this well by chance: the registry's size times 2 ** -(names and year weight), the
        Fellegi-Sunter u of the agreement (its m is near 1). "possible" where that is at least
        `NAMESAKES_EXPECTED` (on both generators at 10,000 persons: 9 in 10 of the namesake
        pairs proposed, 1 in 9 of the true pairs). The registrar tells namesakes apart
        by the household, the mother's name, the place of birth (see
        corridor.scenarios.duplicate_quality)."""
        names = ev["names"]
        parts = [p for p in names["parts"] if p["part"] in ("given", "father", "grandfather", "family")]
        alike = (names["alignment"] == "as written" and len(parts) >= 2 and ev["sex"]["level"] != "different"
                 and not ev["household"].get("weight", 0.0) > 0   # one family: the registrar has the answer
                 and ev["birth_year"]["level"] in ("same", "missing")
                 and all(p["level"] in ("agree", "missing") for p in parts)
                 and sum(p["level"] == "agree" for p in parts) >= 2)
        if not alike:
            return {"possible": False}
        bits = names["weight"] + ev["birth_year"]["weight"]
        expected = (len(self.records) - 1) * 2.0 ** -max(0.0, bits)
        return {"possible": expected >= NAMESAKES_EXPECTED, "expected": round(expected, 4)}
