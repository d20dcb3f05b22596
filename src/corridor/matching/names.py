"""Names compared part by part: given, father, grandfather, family.

The parts are aligned (the shorter name's middle names placed among the
longer's; also read with given and father swapped or with the family name
first, at a penalty) and each part scores by the similarity of its keys
(agree, close, weak, disagree). Agreement is weighed by frequency, taken from
the registry itself: agreeing on "Mohammed" (one man in seven) is weak
evidence, on "Ghiath" strong; and a spelling seen once or twice beside a
common one it is close to (مخمد / محمد) is a slip, not another name. The
lineage (father, grandfather, family) is weighed as one: brothers and sisters share all of it and differ only in the
given name, which therefore weighs heavily; cousins named after their common
grandfather are recognised as such.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations

from .keys import (KEYBOARD_SLIP, PartKey, arabic_key, keyboard_slip, latin_key, long_vowel_apart,
                        part_similarity)
from .weights import PersonWeights

LINEAGE = ("father", "grandfather", "family")


class PartTable:
    """Interned name-part keys and a cache of their similarities.

    A part written in both scripts in one registration is one part with two
    witnesses (`both`): it is as similar to another part as the better of
    its readings, Arabic against Arabic and Latin against Latin where the
    other has both too -- a typo or a misheard letter in one script is
    outvoted by the other; but not a long vowel written in one Arabic
    spelling only (عمر / عمار), which Latin letters blur (Omar / Ammar):
    there Latin spellings the same (هيثم / هثم, Haytham / Haitham) make the
    part close, not agreeing. A part written in one script only has one
    witness, and a keyboard slip in it (`keys.keyboard_slip`) is close."""

    def __init__(self) -> None:
        self.keys: list[PartKey] = []
        self.ids: dict[tuple, int] = {}
        self.coarse: list[str] = []
        self.sims: dict[int, float] = {}
        self.witnesses: dict[int, tuple[int, int]] = {}

    def intern(self, arabic: bool, part: str) -> int:
        k = (arabic, part)
        i = self.ids.get(k)
        if i is None:
            key = arabic_key(part) if arabic else latin_key(part)
            i = len(self.keys)
            self.ids[k] = i
            self.keys.append(key)
            self.coarse.append(key.coarse or key.text)
        return i

    def both(self, arabic: int, latin: int) -> int:
        """One part written in Arabic (id `arabic`) and Latin (id `latin`)."""
        k = ("both", arabic, latin)
        i = self.ids.get(k)
        if i is None:
            ar, la = self.keys[arabic], self.keys[latin]
            i = len(self.keys)
            self.ids[k] = i
            self.keys.append(replace(ar, text=f"{ar.text} ({la.text})"))
            self.coarse.append(self.coarse[arabic])
            self.witnesses[i] = (arabic, latin)
        return i

    def _single(self, a: int, b: int) -> float:
        """Similarity of two single-script parts, a keyboard slip counting as close. Not used
        between two parts with both witnesses: there the other script settles a slip, and Dana /
        Sana (دانا / سناء), one key apart in Latin only, stay two names."""
        ka, kb = self.keys[a], self.keys[b]
        v = part_similarity(ka, kb)
        return KEYBOARD_SLIP if v < KEYBOARD_SLIP and keyboard_slip(ka, kb) else v

    def sim(self, a: int, b: int) -> float:
        if a == b:
            return 1.0
        k = (a << 32) | b if a < b else (b << 32) | a
        v = self.sims.get(k)
        if v is None:
            wa, wb = self.witnesses.get(a), self.witnesses.get(b)
            if wa is None and wb is None:
                v = self._single(a, b)
            elif wa is not None and wb is not None:
                v = part_similarity(self.keys[wa[0]], self.keys[wb[0]])
                latin = part_similarity(self.keys[wa[1]], self.keys[wb[1]])
                if not long_vowel_apart(self.keys[wa[0]], self.keys[wb[0]]):
                    v = max(v, latin)
                elif latin >= 1.0:
                    v = max(v, KEYBOARD_SLIP)     # هيثم / هثم with Haytham / Haitham: a slip, or another name
            else:
                one, other = (wa, b) if wa is not None else (wb, a)
                v = max(self._single(one[0], other), self._single(one[1], other))
            self.sims[k] = v
        return v


def roles(n: int) -> list[str]:
    """Role of each position of an n-part name."""
    if n == 1:
        return ["given"]
    if n == 2:
        return ["given", "family"]
    if n == 3:
        return ["given", "father", "family"]
    return ["given", "father", "grandfather"] + ["ancestor"] * (n - 4) + ["family"]

class NameScorer:
    """Weighs two names (tuples of interned parts) against each other, with
    the frequencies of given names and lineages counted in one registry."""

    def __init__(self, weights: PersonWeights, table: PartTable, names: Sequence[tuple[int, ...]], n: int):
        """`names`: each registration's main name (Arabic where written); `n`: registrations."""
        w = self.w = weights
        self.table = table
        given: Counter = Counter()
        lineage: Counter = Counter()
        spellings: Counter = Counter()
        coarse = table.coarse
        # counted on each registration's main script (Arabic where written): the
        # skeletons of both scripts mostly coincide, and a value not counted
        # reads as rare
        for parts, times in Counter(names).items():
            if not parts:
                continue
            g = coarse[parts[0]]
            given[g] += times
            for part in parts:
                spellings[coarse[part]] += times
            keys = self._lineage_keys(parts)
            lineage_roles = sorted(keys)
            for size in range(1, len(lineage_roles) + 1):
                for combo in combinations(lineage_roles, size):
                    k = tuple((r, keys[r]) for r in combo)
                    lineage[k] += times
                    lineage[(("given", g), *k)] += times
        self.n = max(1, n)
        self._m_of = {"father": w.m_father, "grandfather": w.m_grandfather, "family": w.m_family}
        self._u0 = {"father": w.u_father, "grandfather": w.u_grandfather, "family": w.u_family}
        self._disagree_of = {"father": w.disagree_father, "grandfather": w.disagree_grandfather,
                             "family": w.disagree_family}
        self.given_count = given
        self.lineage_count = lineage
        self.spelling_count = spellings

    def misspelt(self, a: int, b: int) -> bool:
        """Whether of two parts that are close or weakly alike one is a rare spelling (seen at most
        `rare_spelling` times in the registry, these two included) of the other, a common one (at least
        `common_spelling` times): a slip of the pen, not another name. Two names both in common use
        (Hasan / Husayn, Sahar / Samar) are two names -- brothers and sisters, twins -- and keep the
        penalty of their similarity. Counted in this registry, without labels."""
        count, coarse, w = self.spelling_count, self.table.coarse, self.w
        ca, cb = count.get(coarse[a], 0), count.get(coarse[b], 0)
        return min(ca, cb) <= w.rare_spelling and max(ca, cb) >= w.common_spelling

    def _lineage_keys(self, parts: Sequence[int]) -> dict[str, str]:
        coarse = self.table.coarse
        return {role: coarse[p] for role, p in zip(roles(len(parts)), parts) if role in LINEAGE}

    def smooth(self, count: int, typical: float) -> float:
        """The share of registrations with a value seen `count` times, smoothed."""
        a = self.w.pseudo_records
        return (count + a * typical) / (self.n + a)

    def weigh(self, slots: list[tuple[str, int | None, int | None]],
              rows: list[tuple] | None = None) -> float:
        """Weight of aligned parts [(role, part of p, part of q)], the given
        name first: the given name by its own frequency, the agreeing lineage
        parts by the frequency of their combination, disagreements by fixed
        weights. Appends (role, a, b, similarity, level, weight) to `rows`."""
        w = self.w
        sim = self.table.sim
        coarse = self.table.coarse
        n = self.n
        total = 0.0
        lineage_a: list[tuple[str, str]] = []
        lineage_b: list[tuple[str, str]] = []
        m = 1.0
        given_level = "missing"
        given_w = 0.0
        given_a = given_b = None
        grandfather_a = None
        father_differs = False
        for role, a, b in slots:
            if a is None or b is None:
                wt = 0.0
                if a is not None or b is not None:
                    wt = w.missing_grandfather if role == "grandfather" else w.missing_part
                total += wt
                if rows is not None:
                    rows.append((role, a, b, None, "missing", wt))
                continue
            s = sim(a, b)
            if s >= w.agree:
                level = "agree"
            elif s >= w.close_at:
                level = "close"
            elif s >= w.weak_at:
                level = "weak"
            else:
                level = "disagree"
            slip = (level == "close" or level == "weak") and self.misspelt(a, b)
            if slip:
                level = "close"
            if role == "given":
                given_level, given_a, given_b = level, a, b
                if level == "agree" or level == "close":
                    c = max(self.given_count.get(coarse[a], 0), self.given_count.get(coarse[b], 0))
                    wt = min(w.max_given, math.log2(w.m_given / self.smooth(c, w.u_given)))
                    if slip:
                        wt += w.misspelt_given
                    elif level == "close":
                        wt += w.close_given
                elif level == "weak":
                    wt = w.weak_given
                else:
                    wt = w.disagree_given
                given_w = wt
            else:
                lrole = "grandfather" if role == "ancestor" else role
                if level == "agree" or level == "close":
                    wt = w.misspelt_lineage if slip else w.close_lineage if level == "close" else 0.0
                    if role != "ancestor":
                        lineage_a.append((lrole, coarse[a]))
                        lineage_b.append((lrole, coarse[b]))
                        m *= self._m_of[lrole]
                        if lrole == "grandfather" and level == "agree":
                            grandfather_a = a
                elif level == "weak":
                    wt = w.weak_lineage
                else:
                    wt = self._disagree_of[lrole]
                    # a father's or a family name that differs: what agrees is a clan's, not this family's
                    father_differs = father_differs or lrole == "father" or lrole == "family"
            total += wt
            if rows is not None:
                rows.append((role, a, b, s, "close (a rare spelling of a common name)" if slip else level, wt))
        if given_level == "agree" and grandfather_a is not None and coarse[grandfather_a] == coarse[given_a]:
            # named after the grandfather: cousins share the name
            cut = min(given_w, w.given_after_grandfather)
            total += cut - given_w
            if rows is not None:
                rows[0] = (*rows[0][:4], "agree (named after the grandfather)", cut)
        if lineage_a:
            count = self.lineage_count
            ka = tuple(sorted(lineage_a))
            kb = tuple(sorted(lineage_b))
            if (given_level == "agree" or given_level == "close") and not father_differs:
                # Given name and lineage agree. Brothers and sisters share the
                # lineage but never a given name, so the chance of this by
                # coincidence is that of another family with the same lineage
                # (product of the parts' frequencies) having a member of that
                # name -- or, where the registry shows them, the others so named.
                u_cross = 1.0
                for (role, key_a), (_, key_b) in zip(ka, kb):
                    c = max(count.get(((role, key_a),), 0), count.get(((role, key_b),), 0))
                    u_cross *= self.smooth(c, self._u0[role])
                ga, gb = ("given", coarse[given_a]), ("given", coarse[given_b])
                others = max(count.get((ga, *ka), 2), count.get((gb, *kb), 2)) - 2
                if others > 0:
                    c = max(self.given_count.get(ga[1], 0), self.given_count.get(gb[1], 0))
                    u = max(u_cross, others / n * self.smooth(c, w.u_given))
                else:
                    u = u_cross
                lw = min(w.max_lineage, math.log2(m / u))
            else:
                # the lineage of a family: its members share it (and where the fathers differ,
                # what agrees is the grandfather's clan: cousins share it, and a given name)
                u0 = 1.0
                for role, _ in ka:
                    u0 *= self._u0[role]
                lw = math.log2(m / self.smooth(max(count.get(ka, 0), count.get(kb, 0)), u0))
            total += lw
            if rows is not None:
                rows.append(("lineage", None, None, None, "+".join(r for r, _ in ka), lw))
        return total

    def align(self, p: Sequence[int], q: Sequence[int], explain: bool) -> tuple[float, list[tuple] | None]:
        """Best weight of p against q, read as given, middle names, family."""
        head: list[tuple[str, int | None, int | None]] = [("given", p[0], q[0])]
        if len(p) >= 2 or len(q) >= 2:
            head.append(("family", p[-1] if len(p) >= 2 else None, q[-1] if len(q) >= 2 else None))
        mp, mq = p[1:-1], q[1:-1]
        if len(mp) == len(mq):
            rows = [] if explain else None
            return self.weigh(head + list(zip(roles(len(p))[1:-1], mp, mq)), rows), rows
        short, long_, flip = (mp, mq, False) if len(mp) < len(mq) else (mq, mp, True)
        middle_roles = roles(len(long_) + 2)[1:-1]
        best_w, best_rows = -math.inf, None
        # the shorter list of middle names placed, in order, among the longer's
        for placement in combinations(range(len(long_)), len(short)):
            slots: list[int | None] = [None] * len(long_)
            for k, pos in enumerate(placement):
                slots[pos] = short[k]
            middle = [(role, y, x) if flip else (role, x, y) for role, x, y in zip(middle_roles, slots, long_)]
            rows = [] if explain else None
            wt = self.weigh(head + middle, rows)
            if short and placement[0] != 0:
                wt += self.w.skipped_father
                if rows is not None:
                    rows.append(("father dropped", None, None, None, "assumed", self.w.skipped_father))
            if wt > best_w:
                best_w, best_rows = wt, rows
        return best_w, best_rows

    def best_reading(self, p: tuple[int, ...], q: tuple[int, ...], years: bool,
                    explain: bool) -> tuple[float, str, list[tuple] | None]:
        """(weight, reading, rows) of the best reading of p against q: as written, or given and father
        swapped, or family name first (each at a penalty); `years`: both birth years are known."""
        w = self.w
        sim = self.table.sim
        best_w, rows = self.align(p, q, explain)
        how = "as written"
        if len(p) < 2 or len(q) < 2:
            return best_w, how, rows
        agree = w.agree
        if sim(p[0], q[0]) >= agree and sim(p[-1], q[-1]) >= agree:
            return best_w, how, rows
        # other readings, tried only where their given and family names would agree
        options = []
        if len(p) >= 3 and sim(p[1], q[0]) >= agree and sim(p[0], q[1]) >= w.close_at:
            options.append(("given and father swapped", (p[1], p[0], *p[2:]), q,
                            w.swapped + (0.0 if years else w.swapped_without_years)))
        # family name first: the given and the family names agree, one of them at least weakly alike
        # (a slip in either, or two in the moved name, does not hide the reading; the part weakly alike
        # costs what it costs in any reading)
        weak = w.weak_at

        def moved(given: float, family: float) -> bool:
            return min(given, family) >= weak and max(given, family) >= agree

        if moved(sim(p[1], q[0]), sim(p[0], q[-1])):
            options.append(("family name first", (*p[1:], p[0]), q, w.family_first))
        if moved(sim(p[0], q[1]), sim(p[-1], q[0])):
            options.append(("family name first", p, (*q[1:], q[0]), w.family_first))
        for label, pp, qq, penalty in options:
            wt, r = self.align(pp, qq, explain)
            wt += penalty
            if len(p) != len(q):
                wt += w.swapped_and_dropped
            if wt > best_w:
                best_w, how, rows = wt, label, r
        return best_w, how, rows
