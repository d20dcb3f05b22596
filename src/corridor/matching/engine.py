"""Duplicate detection: candidate pairs of registrations that may be one person.

Pure Python, no database. `find_duplicates(records)` takes `PersonRecord`s and
returns `Candidate` pairs, best first, each with a score in [0, 1] (the
probability that both registrations are one person), a `high` flag (score >=
0.9) and the evidence behind the score. Three steps:

1. Blocking. Each record emits a few keys; only records sharing a key are
   compared. Keys are built from the phonetic skeletons of `normalise` (so
   Arabic and Latin spellings meet), never from a common first name alone:
   * the first name part paired with each other part, unordered, with the
     birth year (and the year after, so that years one apart meet), e.g.
     ("HLB", "MHMD", 1985): a dropped part, swapped parts or one badly
     spelled part still leave a shared key;
   * the first two and the last part, without the year, for registrations
     without one (only pairs involving such a registration are formed);
   * the household token, for double entries in one household. The household
     chooses pairs only and is never evidence: brothers and sisters share it.
   A block larger than `max_block` is not compared all-against-all: its
   records are sorted (by name skeletons, then birth year) and each is
   compared with its `window` nearest neighbours (sorted neighbourhood).
   Every record so meets a bounded number of others and the work grows
   about linearly with the registry.

2. Comparison, Fellegi-Sunter style: each field gives a log2 likelihood
   ratio (weight). The name parts are aligned -- given, father, grandfather,
   family; the shorter name's middle names placed among the longer's; also
   read with given and father swapped or with the family name first, at a
   penalty -- and each part scores by the similarity of its keys (agree,
   close, weak, disagree). Agreement is weighed by frequency, taken from the
   registry itself: agreeing on "Mohammed" (one man in seven) is weak
   evidence, on "Ghiath" strong. The lineage (father, grandfather, family)
   is weighed as one: brothers and sisters share all of it and differ only
   in the given name, which therefore weighs heavily; cousins named after
   their common grandfather are recognised as such. Birth years must agree
   within a year; sexes must not contradict ("unknown" is neutral); the
   gathering point is weak evidence. Weights and their m/u reasoning are in
   `PersonWeights`.

3. Score: the weights plus the prior log-odds that two registrations picked
   at random are one person (`expected_duplicate_share` * 2 / N) give the
   posterior probability. In a large registry people with a common name and
   the same birth year are expected by chance, and the score says so.

`FieldMatcher` is the same engine over plain mappings with a configuration
of fields -> comparator + weights and blocking keys (used for FEBRL, a
linkage of two files).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from .normalise import PartKey, arabic_key, arabic_parts, latin_key, latin_parts, part_similarity

HIGH = 0.9
THRESHOLD = 0.5

# --- records and results ------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """One registration. Names are "given father [grandfather] family"."""

    token: str
    name_ar: str = ""
    name_latin: str = ""
    sex: str = "unknown"                 # "male" / "female" / "unknown"
    birth_year: int | None = None
    gathering_point: str = ""
    household: str = ""


@dataclass(frozen=True)
class Candidate:
    """Two registrations that may be one person; token_a < token_b.

    `score` is the probability that they are one person, `high` is score >=
    0.9. `evidence` (JSON-ready; side "a" is token_a) for the person matcher:

        names: {script: "arabic" | "latin" | "arabic-latin",
                alignment: "as written" | "given and father swapped" | "family name first",
                weight, parts: [{part: "given" | "father" | "grandfather" | "family"
                                       | "lineage" | "father dropped",
                                 a, b (the folded parts compared), similarity,
                                 level: "agree" | "close" | "weak" | "disagree" | "missing" | ...,
                                 weight}]}
        birth_year: {a, b, level: "same" | "one year apart" | "N years apart" | "missing", weight}
        sex: {a, b, level: "same" | "different" | "unknown", weight}
        gathering_point: {a, b, level: "same" | "different" | "unknown", weight}
        household: {same: bool, scored: false}      (shown, never weighed)
        log2_odds, prior_log2_odds

    Weights are log2 likelihood ratios; log2_odds is their sum with the prior.
    """

    token_a: str
    token_b: str
    score: float
    high: bool
    evidence: dict = field(compare=False)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.token_a, self.token_b)


# --- the engine -----------------------------------------------------------------


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

    def one_to_one(self) -> bool:
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


def _sigmoid2(x: float) -> float:
    """Probability from log2 odds."""
    if x > 60:
        return 1.0
    if x < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-x))


def run(matcher: Matcher, records: Sequence[Any], threshold: float = THRESHOLD,
        stats: BlockStats | None = None) -> list[Candidate]:
    """Candidates scoring at least `threshold`, best first (ties by tokens)."""
    matcher.prepare(records)
    n = len(records)
    if len({matcher.token(i) for i in range(n)}) != n:
        raise ValueError("record tokens must be unique")
    st = stats if stats is not None else BlockStats()
    prior = matcher.prior(n)
    out: list[Candidate] = []
    for i, j in candidate_pairs(matcher, n, st):
        if not matcher.allowed(i, j):
            continue
        st.scored += 1
        if _sigmoid2(prior + matcher.weight(i, j)) < threshold:
            continue
        weight, evidence = matcher.compare(i, j)
        score = round(_sigmoid2(prior + weight), 6)
        if score < threshold:
            continue
        a, b = matcher.token(i), matcher.token(j)
        if b < a:
            a, b = b, a
        evidence["log2_odds"] = round(prior + weight, 2)
        evidence["prior_log2_odds"] = round(prior, 2)
        out.append(Candidate(a, b, score, score >= matcher.high, evidence))
    out.sort(key=lambda c: (-c.score, c.token_a, c.token_b))
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


# --- persons ----------------------------------------------------------------------

_SEX = {"male": 1, "m": 1, "female": 2, "f": 2}


class _PartTable:
    """Interned name-part keys and a cache of their similarities."""

    def __init__(self) -> None:
        self.keys: list[PartKey] = []
        self.ids: dict[tuple[bool, str], int] = {}
        self.coarse: list[str] = []
        self.sims: dict[int, float] = {}

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

    def sim(self, a: int, b: int) -> float:
        if a == b:
            return 1.0
        k = (a << 32) | b if a < b else (b << 32) | a
        v = self.sims.get(k)
        if v is None:
            v = part_similarity(self.keys[a], self.keys[b])
            self.sims[k] = v
        return v


def _roles(n: int) -> list[str]:
    """Role of each position of an n-part name."""
    if n == 1:
        return ["given"]
    if n == 2:
        return ["given", "family"]
    if n == 3:
        return ["given", "father", "family"]
    return ["given", "father", "grandfather"] + ["ancestor"] * (n - 4) + ["family"]


@dataclass(frozen=True)
class PersonWeights:
    """Weights of the person comparison, as log2 likelihood ratios or the m
    probabilities (share of true duplicates showing the pattern) behind
    them; u probabilities for names and years come from the registry itself."""

    # agreement: log2(m / u). For the given name, u is the share of records
    # with that name. The agreeing parts of the lineage (father, grandfather,
    # family) are weighed together: next to an agreeing given name, u is the
    # chance that another family has that lineage (the product of the parts'
    # shares; brothers and sisters never share a given name) or, where the
    # registry holds others with the same name and lineage, their share;
    # next to a differing given name, u is the share of records with that
    # lineage, counted jointly -- a family's members all have it.
    m_given: float = 0.95
    m_father: float = 0.92
    m_grandfather: float = 0.92
    m_family: float = 0.95
    max_given: float = 12.0
    max_lineage: float = 24.0
    # similarity levels of a part: >= agree: agreement; >= close_at: agreement
    # less `close_*`; >= weak_at: `weak_*` (absolute); below: `disagree_*`
    agree: float = 0.92
    close_at: float = 0.80
    weak_at: float = 0.65
    close_given: float = -5.0
    close_lineage: float = -2.0
    weak_given: float = -9.0
    weak_lineage: float = -3.0
    # a true duplicate rarely disagrees on a part present in both (m ~ 0.1%
    # given, ~0.5% father or family); relatives always do somewhere
    disagree_given: float = -14.0
    disagree_father: float = -12.0
    disagree_grandfather: float = -5.0
    disagree_family: float = -12.0
    # a three-part name read against a four-part one with its middle name as
    # the grandfather, i.e. the father dropped (m ~ 2%)
    skipped_father: float = -4.5
    # other readings of the parts: given and father swapped, family name first
    # (m ~ 2.5% each); a son named after his grandfather reads like his father
    # with given and father swapped, which only the birth year tells apart
    swapped: float = -5.0
    swapped_without_years: float = -5.0
    family_first: float = -4.0
    # a swapped reading of names of different lengths supposes two errors
    swapped_and_dropped: float = -3.0
    # a given name that is also the grandfather's: the child was named after
    # him, as first cousins often are, so the name says little beyond the
    # lineage (u ~ 0.3 among the grandchildren)
    given_after_grandfather: float = 1.5
    # a middle name written in one registration only: the father's name
    # (one registration has two parts) is neutral; a grandfather's name
    # written in one only is weak evidence against (a registrar keeps to one
    # form; m ~ 0.15 for a duplicate, u ~ 0.4 for two people)
    missing_part: float = 0.0
    missing_grandfather: float = -1.0
    # birth year: m = 0.78 same, 0.2 one year apart, 0.01 further
    m_year_same: float = 0.78
    m_year_near: float = 0.20
    year_far: float = -7.0
    # sex: never different for one person; agreement adds nothing to an
    # agreeing given name, which already tells the sex
    sex_agree: float = 0.0
    sex_disagree: float = -14.0
    # gathering point: weak; duplicates often come from another point
    m_point_same: float = 0.55
    # frequencies are smoothed towards these typical values with the weight
    # of `pseudo_records` registrations
    pseudo_records: float = 50.0
    u_given: float = 0.02
    u_father: float = 0.02
    u_grandfather: float = 0.02
    u_family: float = 0.01
    u_year_same: float = 0.02
    u_point_same: float = 0.4


_LINEAGE = ("father", "grandfather", "family")


class PersonMatcher(Matcher):
    """The person-registry configuration (the default of `find_duplicates`)."""

    def __init__(self, weights: PersonWeights | None = None, *, expected_duplicate_share: float = 0.1,
                 max_block: int = 6, window: int = 3, high: float = HIGH, max_year_gap: int = 2):
        self.w = weights or PersonWeights()
        self.share = expected_duplicate_share
        self.max_block = max_block
        self.window = window
        self.high = high
        self.max_year_gap = max_year_gap

    # -- preparation

    def prepare(self, records: Sequence[PersonRecord]) -> None:
        table = _PartTable()
        self.table = table
        self.records = records
        self.ar: list[tuple[int, ...]] = []
        self.lat: list[tuple[int, ...]] = []
        self.sex: list[int] = []
        self.year: list[int | None] = []
        self.point: list[str] = []
        names: dict[tuple[bool, str], tuple[int, ...]] = {}
        for r in records:
            for arabic, text, out in ((True, r.name_ar, self.ar), (False, r.name_latin, self.lat)):
                ids = names.get((arabic, text))
                if ids is None:
                    parts = (arabic_parts(text) if arabic else latin_parts(text)) if text else []
                    ids = names[(arabic, text)] = tuple(table.intern(arabic, p) for p in parts)
                out.append(ids)
            self.sex.append(_SEX.get((r.sex or "").casefold(), 0))
            self.year.append(r.birth_year)
            self.point.append(r.gathering_point or "")
        self._frequencies()

    def _lineage_keys(self, parts: Sequence[int]) -> dict[str, str]:
        coarse = self.table.coarse
        roles = _roles(len(parts))
        return {role: coarse[p] for role, p in zip(roles, parts) if role in _LINEAGE}

    def _frequencies(self) -> None:
        w = self.w
        given: Counter = Counter()
        lineage: Counter = Counter()
        coarse = self.table.coarse
        n = len(self.records)
        # counted on each registration's main script (Arabic where written): the
        # skeletons of both scripts mostly coincide, and a value not counted
        # reads as rare
        for parts, times in Counter(ar or lat for ar, lat in zip(self.ar, self.lat)).items():
            if not parts:
                continue
            g = coarse[parts[0]]
            given[g] += times
            keys = self._lineage_keys(parts)
            roles = sorted(keys)
            for size in range(1, len(roles) + 1):
                for combo in combinations(roles, size):
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
        # the registry's own frequencies, smoothed towards typical values so
        # that a small registry (or a rare value) does not give extreme weights
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
        where the block is large."""
        if key[0] != "ny":
            return None
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
        return out

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

    # -- comparison

    def _smooth(self, count: int, typical: float) -> float:
        """The share of registrations with a value seen `count` times, smoothed."""
        a = self.w.pseudo_records
        return (count + a * typical) / (self.n + a)

    def _weigh(self, slots: list[tuple[str, int | None, int | None]],
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
            if role == "given":
                given_level, given_a, given_b = level, a, b
                if level == "agree" or level == "close":
                    c = max(self.given_count.get(coarse[a], 0), self.given_count.get(coarse[b], 0))
                    wt = min(w.max_given, math.log2(w.m_given / self._smooth(c, w.u_given)))
                    if level == "close":
                        wt += w.close_given
                elif level == "weak":
                    wt = w.weak_given
                else:
                    wt = w.disagree_given
                given_w = wt
            else:
                lrole = "grandfather" if role == "ancestor" else role
                if level == "agree" or level == "close":
                    wt = w.close_lineage if level == "close" else 0.0
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
            total += wt
            if rows is not None:
                rows.append((role, a, b, s, level, wt))
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
            if given_level == "agree" or given_level == "close":
                # Given name and lineage agree. Brothers and sisters share the
                # lineage but never a given name, so the chance of this by
                # coincidence is that of another family with the same lineage
                # (product of the parts' frequencies) having a member of that
                # name -- or, where the registry shows them, the others so named.
                u_cross = 1.0
                for (role, key_a), (_, key_b) in zip(ka, kb):
                    c = max(count.get(((role, key_a),), 0), count.get(((role, key_b),), 0))
                    u_cross *= self._smooth(c, self._u0[role])
                ga, gb = ("given", coarse[given_a]), ("given", coarse[given_b])
                others = max(count.get((ga, *ka), 2), count.get((gb, *kb), 2)) - 2
                if others > 0:
                    c = max(self.given_count.get(ga[1], 0), self.given_count.get(gb[1], 0))
                    u = max(u_cross, others / n * self._smooth(c, w.u_given))
                else:
                    u = u_cross
                lw = min(w.max_lineage, math.log2(m / u))
            else:
                # the lineage of a family: its members share it
                u0 = 1.0
                for role, _ in ka:
                    u0 *= self._u0[role]
                lw = math.log2(m / self._smooth(max(count.get(ka, 0), count.get(kb, 0)), u0))
            total += lw
            if rows is not None:
                rows.append(("lineage", None, None, None, "+".join(r for r, _ in ka), lw))
        return total

    def _align(self, p: Sequence[int], q: Sequence[int], explain: bool) -> tuple[float, list[tuple] | None]:
        """Best weight of p against q, read as given, middle names, family."""
        head: list[tuple[str, int | None, int | None]] = [("given", p[0], q[0])]
        if len(p) >= 2 or len(q) >= 2:
            head.append(("family", p[-1] if len(p) >= 2 else None, q[-1] if len(q) >= 2 else None))
        mp, mq = p[1:-1], q[1:-1]
        if len(mp) == len(mq):
            rows = [] if explain else None
            return self._weigh(head + list(zip(_roles(len(p))[1:-1], mp, mq)), rows), rows
        short, long_, flip = (mp, mq, False) if len(mp) < len(mq) else (mq, mp, True)
        roles = _roles(len(long_) + 2)[1:-1]
        best_w, best_rows = -math.inf, None
        # the shorter list of middle names placed, in order, among the longer's
        for placement in combinations(range(len(long_)), len(short)):
            slots: list[int | None] = [None] * len(long_)
            for k, pos in enumerate(placement):
                slots[pos] = short[k]
            middle = [(role, y, x) if flip else (role, x, y) for role, x, y in zip(roles, slots, long_)]
            rows = [] if explain else None
            wt = self._weigh(head + middle, rows)
            if short and placement[0] != 0:
                wt += self.w.skipped_father
                if rows is not None:
                    rows.append(("father dropped", None, None, None, "assumed", self.w.skipped_father))
            if wt > best_w:
                best_w, best_rows = wt, rows
        return best_w, best_rows

    def _names(self, p: tuple[int, ...], q: tuple[int, ...], years: bool,
               explain: bool) -> tuple[float, str, list[tuple] | None]:
        w = self.w
        sim = self.table.sim
        best_w, rows = self._align(p, q, explain)
        how = "as written"
        if len(p) < 3 or len(q) < 2:
            return best_w, how, rows
        agree = w.agree
        if sim(p[0], q[0]) >= agree and sim(p[-1], q[-1]) >= agree:
            return best_w, how, rows
        # other readings, tried only where their given and family names would agree
        options = []
        if sim(p[1], q[0]) >= agree and sim(p[0], q[1]) >= w.close_at:
            options.append(("given and father swapped", (p[1], p[0], *p[2:]), q,
                            w.swapped + (0.0 if years else w.swapped_without_years)))
        if len(q) >= 3:
            if sim(p[1], q[0]) >= agree and sim(p[0], q[-1]) >= agree:
                options.append(("family name first", (*p[1:], p[0]), q, w.family_first))
            if sim(p[0], q[1]) >= agree and sim(p[-1], q[0]) >= agree:
                options.append(("family name first", p, (*q[1:], q[0]), w.family_first))
        for label, pp, qq, penalty in options:
            wt, r = self._align(pp, qq, explain)
            wt += penalty
            if len(p) != len(q):
                wt += w.swapped_and_dropped
            if wt > best_w:
                best_w, how, rows = wt, label, r
        return best_w, how, rows

    def _pick(self, i: int, j: int) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        """The names to compare: Arabic if both have it, else Latin, else across scripts."""
        ar_i, ar_j = self.ar[i], self.ar[j]
        if ar_i and ar_j:
            return "arabic", ar_i, ar_j
        lat_i, lat_j = self.lat[i], self.lat[j]
        if lat_i and lat_j:
            return "latin", lat_i, lat_j
        return "arabic-latin", ar_i or lat_i, ar_j or lat_j

    def weight(self, i: int, j: int) -> float:
        w = self.w
        if self.records[j].token < self.records[i].token:
            i, j = j, i                                   # the same answer whatever the input order
        _, p, q = self._pick(i, j)
        yi, yj = self.year[i], self.year[j]
        total = 0.0
        if p and q:
            # Given names that disagree in every reading (brothers and sisters,
            # mostly) cost at least `disagree_given`, which no lineage, year
            # and prior can outweigh: such a pair scores below 0.01 whatever
            # the rest, and is not weighed further.
            sim = self.table.sim
            low = w.weak_at
            if (sim(p[0], q[0]) < low and (len(p) < 2 or sim(p[1], q[0]) < low)
                    and (len(q) < 2 or sim(p[0], q[1]) < low)):
                return w.disagree_given * 2
            total += self._names(p, q, yi is not None and yj is not None, False)[0]
        if yi is not None and yj is not None:
            d = yi - yj
            total += self.year_same if d == 0 else self.year_near if d in (1, -1) else w.year_far
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
        script, p, q = self._pick(i, j)
        yi, yj = self.year[i], self.year[j]
        ev: dict[str, Any] = {}
        total = 0.0
        if p and q:
            nw, how, rows = self._names(p, q, yi is not None and yj is not None, True)
            keys = self.table.keys
            ev["names"] = {
                "script": script, "alignment": how, "weight": round(nw, 2),
                "parts": [{"part": role, "a": keys[a].text if a is not None else None,
                           "b": keys[b].text if b is not None else None,
                           "similarity": None if s is None else round(s, 3), "level": level,
                           "weight": round(wt, 2)} for role, a, b, s, level, wt in rows or ()],
            }
            total += nw
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
        total += yw
        ev["birth_year"] = {"a": yi, "b": yj, "level": level, "weight": round(yw, 2)}
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
        hi, hj = self.records[i].household, self.records[j].household
        ev["household"] = {"same": bool(hi) and hi == hj, "scored": False}
        return total, ev


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


# --- generic field configuration (FEBRL and other flat files) ------------------------

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
