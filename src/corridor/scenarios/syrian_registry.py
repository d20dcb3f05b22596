"""An independent synthetic Syrian registry with labelled duplicates and labelled hard negatives.

Made apart from `arabic_registry` (on which the matcher is tuned) so that the
matcher can be measured on registrations made differently: own name lists
and romanisers (`syrian_names`), own error model (`syrian_errors`), own
family structure. Everything is drawn from `random.Random(seed)`.

Families: clans of one patriarch whose sons (one to four) head households
at one gathering point or several; each head's children carry the chain
"given head patriarch family"; the eldest son is named after the patriarch
(`P_AFTER_GRANDFATHER`), so first cousins share given name, grandfather and
family; twins (`P_TWINS`) are born the same year, sometimes with rhyming
names (Hasan and Husayn); grown sons live with their father, and the
patriarch with his eldest son, so fathers and sons share name chains.
Namesakes arise by chance, as they do: common given names, flat but finite
family names.

Registration desks (`DESKS`): each gathering point has desks of its own
romanisation ("en", "fr", "sc", see `syrian_names`), habit of writing the
grandfather's name and share of one-script registrations. A household is
registered at one desk of its point.

Labels: `Registry.duplicate_errors` gives each true pair its error kinds (and
"other romanisation" where the two desks' conventions differ; [] for none);
`Registry.hard_negatives` gives pairs of different persons their relation:
"twins", "siblings", "father/son", "cousins", and, among others, the
namesakes of `duplicate_quality.namesakes` ("namesakes": nothing written
tells them apart; "namesakes, grandfathers differ"; "namesakes, a year
apart").
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from ..matching.records import PersonRecord
from . import syrian_errors as errs
from .duplicate_quality import Written, namesakes
from .syrian_names import FAMILY, FEMALE_GIVEN, MALE_GIVEN, romanise

YEAR = 2017
DUPLICATE_SHARE = 0.10
P_AFTER_GRANDFATHER = 0.4
P_TWINS = 0.04
P_GROWN_SON_AT_HOME = 0.3
P_PATRIARCH_AT_HOME = 0.2
P_NO_YEAR = 0.015
P_SAME_DESK = 0.15
P_SAME_POINT = 0.25
# (desk, gathering point, romanisation, share writing the grandfather, share Arabic only, share Latin only)
DESKS = (
    ("MAR-1", "MAARA", "en", 0.3, 0.05, 0.05), ("MAR-2", "MAARA", "sc", 0.6, 0.10, 0.0),
    ("AZZ-1", "AZAZ", "en", 0.5, 0.0, 0.10), ("AZZ-2", "AZAZ", "fr", 0.2, 0.05, 0.05),
    ("ATM-1", "ATMEH", "fr", 0.4, 0.10, 0.05), ("ATM-2", "ATMEH", "sc", 0.5, 0.05, 0.0),
    ("SRM-1", "SARMADA", "en", 0.6, 0.05, 0.0), ("SRM-2", "SARMADA", "sc", 0.3, 0.0, 0.05),
)

Name = tuple[str, str]            # (arabic, base)
Pair = tuple[str, str]


class _Table:
    def __init__(self, rows):
        self.names = [(ar, base) for ar, base, _ in rows]
        self.weights = [w for _, _, w in rows]

    def draw(self, rng: random.Random) -> Name:
        return rng.choices(self.names, self.weights)[0]


_MALE, _FEMALE, _FAMILY = _Table(MALE_GIVEN), _Table(FEMALE_GIVEN), _Table(FAMILY)
_BY_BASE = {base: (ar, base) for ar, base, _ in MALE_GIVEN + FEMALE_GIVEN}
_TWINS = [(_BY_BASE[a], _BY_BASE[b]) for a, b in (("Hasan", "Husayn"), ("muHammad", "'aHmad"),
                                                  ("faaTima@", "khadiija@"), ("ranaa", "riim"))]


@dataclass
class Person:
    pid: int
    sex: str
    chain: tuple[Name, Name, Name, Name]         # given, father, grandfather, family
    year: int | None
    household: str
    desk: int
    father: int | None = None                    # pid of the father, registered or not
    twin: int | None = None


@dataclass
class Registry:
    records: list[PersonRecord]
    true_pairs: set[Pair]
    persons: int
    duplicate_errors: dict[Pair, list[str]] = field(default_factory=dict)
    hard_negatives: dict[Pair, str] = field(default_factory=dict)


class _Families:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people: list[Person] = []
        self.next_pid = 0
        self.households = 0

    def _pid(self) -> int:
        self.next_pid += 1
        return self.next_pid

    def _add(self, sex, chain, year, hh, desk, father=None, pid=None) -> Person:
        p = Person(pid or self._pid(), sex, chain, year, hh, desk, father)
        self.people.append(p)
        return p

    def _household(self, point_desks: list[int] | None) -> tuple[str, int]:
        self.households += 1
        desk = self.rng.choice(point_desks) if point_desks else self.rng.randrange(len(DESKS))
        return f"SY{self.households:06d}", desk

    def clan(self) -> None:
        rng = self.rng
        family, patriarch, great = _FAMILY.draw(rng), _MALE.draw(rng), _MALE.draw(rng)
        patriarch_pid = self._pid()
        p_year = YEAR - rng.randint(58, 92)
        # a clan mostly stays at one gathering point, sometimes spreads
        point = DESKS[rng.randrange(len(DESKS))][1]
        local = [k for k, d in enumerate(DESKS) if d[1] == point]
        sons: set[Name] = set()
        for b in range(rng.choice((1, 1, 2, 2, 3, 4))):
            hh, desk = self._household(local if rng.random() < 0.7 else None)
            given = _MALE.draw(rng)
            while given in sons or given == patriarch:
                given = _MALE.draw(rng)
            sons.add(given)
            h_year = min(YEAR - 20, p_year + rng.randint(20, 42))
            head = self._add("male", (given, patriarch, great, family), h_year, hh, desk, patriarch_pid)
            if b == 0 and YEAR - p_year < 88 and rng.random() < P_PATRIARCH_AT_HOME:
                self._add("male", (patriarch, great, _MALE.draw(rng), family), p_year, hh, desk,
                          pid=patriarch_pid)
            self._add("female", (_FEMALE.draw(rng), _MALE.draw(rng), _MALE.draw(rng), _FAMILY.draw(rng)),
                      h_year + rng.randint(0, 9), hh, desk)
            self._children(head, rng.randint(0, 8), hh, desk)

    def _children(self, head: Person, count: int, hh: str, desk: int) -> None:
        rng = self.rng
        given_h, patriarch, _, family = head.chain
        year = (head.year or YEAR - 40) + rng.randint(20, 30)
        names: set[Name] = {given_h}
        first_son = True
        k = 0
        while k < count and year <= YEAR:
            sex = rng.choice(("male", "female"))
            table = _MALE if sex == "male" else _FEMALE
            given = patriarch if sex == "male" and first_son and rng.random() < P_AFTER_GRANDFATHER \
                else table.draw(rng)
            while given in names:
                given = table.draw(rng)
            first_son = first_son and sex == "female"
            names.add(given)
            child = self._add(sex, (given, given_h, patriarch, family), year, hh, desk, head.pid)
            k += 1
            if rng.random() < P_TWINS and k < count:
                pair = next((b for a, b in _TWINS if a == given and b not in names), None)
                twin_given = pair if pair and rng.random() < 0.5 else table.draw(rng)
                while twin_given in names:
                    twin_given = table.draw(rng)
                names.add(twin_given)
                twin = self._add(sex, (twin_given, given_h, patriarch, family), year, hh, desk, head.pid)
                twin.twin, child.twin = child.pid, twin.pid
                k += 1
            if sex == "male" and YEAR - year > 22 and rng.random() < P_GROWN_SON_AT_HOME:
                self._add("female", (_FEMALE.draw(rng), _MALE.draw(rng), _MALE.draw(rng), _FAMILY.draw(rng)),
                          year + rng.randint(0, 5), hh, desk)
                self._children(child, rng.randint(0, 3), hh, desk)
            year += rng.choice((1, 2, 2, 2, 3, 3, 4))


def _written(chain, grandfather: bool, scheme: str) -> list[tuple[str, str]]:
    """(arabic, latin) of each part as the desk writes it."""
    parts = list(chain) if grandfather else [chain[0], chain[1], chain[3]]
    return [(ar, romanise(base, scheme)) for ar, base in parts]


def _second(rng: random.Random, p: Person, first_gf: bool, desk: int, kinds: list[str]):
    """The second registration's (arabic, latin, year) with the error kinds applied."""
    scheme = DESKS[desk][2]
    gf = first_gf
    if "grandfather added" in kinds:
        gf = not first_gf
        if first_gf:
            kinds[kinds.index("grandfather added")] = "grandfather dropped"
    parts = _written(p.chain, gf, scheme)
    if "father dropped" in kinds:
        del parts[1]
    for kind, arabic in (("arabic typo", True), ("latin typo", False), ("arabic misheard", True),
                         ("latin misheard", False)):
        if kind not in kinds:
            continue
        for k in rng.sample(range(len(parts)), len(parts)):
            ar, la = parts[k]
            words = (ar if arabic else la).split()
            w = rng.randrange(len(words))
            new = errs.typo(rng, words[w], arabic) if "typo" in kind else errs.misheard(rng, words[w], arabic)
            if new and new != words[w]:
                words[w] = new
                parts[k] = (" ".join(words), la) if arabic else (ar, " ".join(words))
                break
        else:
            kinds.remove(kind)
    if "family name first" in kinds:
        parts = [parts[-1], *parts[:-1]]
    ar, la = " ".join(x for x, _ in parts), " ".join(x for _, x in parts)
    if "one script" in kinds:
        keep_arabic = any(k.startswith("arabic") for k in kinds) or (
            not any(k.startswith("latin") for k in kinds) and rng.random() < 0.5)
        ar, la = (ar, "") if keep_arabic else ("", la)
    year = p.year
    if "birth year +-1" in kinds and year is not None:
        year += rng.choice((-1, 1))
    if "birth year missing" in kinds:
        year = None
    return ar, la, year


def generate(persons: int = 10_000, seed: int = 2017) -> Registry:
    """About `persons` persons, `DUPLICATE_SHARE` of them registered twice (see the module)."""
    rng = random.Random(seed)
    fam = _Families(rng)
    while len(fam.people) < persons:
        fam.clan()
    people = fam.people
    regs = []        # (person, ar, latin, year, desk, household, grandfather written)
    hh_gf: dict[str, bool] = {}
    for p in people:
        _, _, gf_share, ar_only, lat_only = DESKS[p.desk][1:]
        gf = hh_gf.setdefault(p.household, rng.random() < gf_share)
        parts = _written(p.chain, gf, DESKS[p.desk][2])
        ar, la = " ".join(x for x, _ in parts), " ".join(x for _, x in parts)
        x = rng.random()
        ar, la = (ar, "") if x < ar_only else ("", la) if x < ar_only + lat_only else (ar, la)
        year = None if rng.random() < P_NO_YEAR else p.year
        regs.append((p, ar, la, year, p.desk, p.household, gf))
    households: dict[str, list[str]] = defaultdict(list)
    for p in people:
        if not households[DESKS[p.desk][1]] or households[DESKS[p.desk][1]][-1] != p.household:
            households[DESKS[p.desk][1]].append(p.household)
    labels: dict[int, list[str]] = {}
    for k in sorted(rng.sample(range(len(people)), round(len(people) * DUPLICATE_SHARE))):
        p, _, _, _, desk0, hh, gf = regs[k]
        x = rng.random()
        if x < P_SAME_DESK:
            desk = desk0
        elif x < P_SAME_DESK + P_SAME_POINT:
            desk = rng.choice([d for d in range(len(DESKS)) if DESKS[d][1] == DESKS[desk0][1]])
        else:
            desk = rng.choice([d for d in range(len(DESKS)) if DESKS[d][1] != DESKS[desk0][1]])
        kinds = errs.draw_errors(rng)
        ar, la, year = _second(rng, p, gf, desk, kinds)
        if DESKS[desk][2] != DESKS[desk0][2]:
            kinds.append("other romanisation")
        household = hh if desk == desk0 and rng.random() < 0.5 else rng.choice(households[DESKS[desk][1]])
        labels[len(regs)] = kinds
        regs.append((p, ar, la, year, desk, household, gf))
    return _build(rng, regs, labels, len(people))


def _build(rng: random.Random, regs, labels, persons: int) -> Registry:
    order = list(range(len(regs)))
    rng.shuffle(order)
    records, token_at = [], {}
    for n, idx in enumerate(order):
        p, ar, la, year, desk, hh, _ = regs[idx]
        token_at[idx] = f"S{n + 1:07d}"
        records.append(PersonRecord(token_at[idx], ar, la, p.sex, year, DESKS[desk][1], hh))
    tokens_of: dict[int, list[int]] = defaultdict(list)
    for idx, reg in enumerate(regs):
        tokens_of[reg[0].pid].append(idx)
    true_pairs, errors = set(), {}
    for idx, kinds in labels.items():
        first = tokens_of[regs[idx][0].pid][0]
        pair = tuple(sorted((token_at[first], token_at[idx])))
        true_pairs.add(pair)
        errors[pair] = sorted(kinds)
    reg = Registry(records, true_pairs, persons, errors)
    written = [Written(token_at[idx], r[0].pid, r[0].sex, r[0].chain, r[0].year, r[3],
                       r[6] != any(k.startswith("grandfather") for k in labels.get(idx, ())))
               for idx, r in enumerate(regs)]
    reg.hard_negatives = {**namesakes(written), **_relatives(regs, tokens_of, token_at)}
    return reg


def _relation(a: Person, b: Person, by_pid) -> str | None:
    if a.twin == b.pid:
        return "twins"
    if a.father is not None and a.father == b.father:
        return "siblings"
    if (a.father == b.pid and a.sex == "male") or (b.father == a.pid and b.sex == "male"):
        return "father/son"
    fa, fb = by_pid.get(a.father), by_pid.get(b.father)
    if fa and fb and fa.father is not None and fa.father == fb.father:
        return "cousins"
    return None


def _relatives(regs, tokens_of, token_at) -> dict[Pair, str]:
    people = {reg[0].pid: reg[0] for reg in regs}
    groups: dict = defaultdict(set)
    for p in people.values():
        if p.father is not None:
            groups[("father", p.father)].add(p.pid)
            groups[("family", p.father)].add(p.pid)
            groups[("family", p.pid)].add(p.pid)          # a father with his sons
            f = people.get(p.father)
            if f and f.father is not None:
                groups[("clan", f.father)].add(p.pid)
    out: dict[Pair, str] = {}
    for members in groups.values():
        ms = sorted(members)
        for x, i in enumerate(ms):
            for j in ms[x + 1:]:
                rel = _relation(people[i], people[j], people)
                if rel is None:
                    continue
                for ri in tokens_of[i]:
                    for rj in tokens_of[j]:
                        out[tuple(sorted((token_at[ri], token_at[rj])))] = rel
    return out
