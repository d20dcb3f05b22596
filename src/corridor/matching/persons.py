"""The person-registry configuration of the engine (the default of `find_duplicates`).

Preparing the registrations (their name parts in both scripts, interned once; their readings; the
registry's own frequencies) and comparing two of them. Which pairs are compared at all -- the blocking
keys, the oversized blocks, the cheap filter -- is `person_blocking.PersonBlocking`, which this matcher
extends.

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
from collections.abc import Sequence
from typing import Any

from .calibration import CALIBRATION, Calibration, features
from .households import Households
from .names import NameScorer, PartTable
from .normalise import arabic_parts, latin_parts
from .person_blocking import PersonBlocking
from .records import HIGH, PersonRecord
from .weights import PersonWeights

_SEX = {"male": 1, "m": 1, "female": 2, "f": 2}
#: chance agreements expected in the registry from which a pair written alike is flagged "namesakes possible"
NAMESAKES_EXPECTED = 0.01
SWAPPED = "given and father swapped"


class PersonMatcher(PersonBlocking):
    """The person-registry configuration (the default of `find_duplicates`); its blocking is
    `PersonBlocking`'s."""

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
        # the name compared, and its readings: each part with both witnesses where both scripts are written
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
        self.prepare_blocking()
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

    # -- scoring

    def token(self, i: int) -> str:
        return self.records[i].token

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
