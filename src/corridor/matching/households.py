"""What a registration's household says about it, read from the names of the people registered with it.

A family is registered together, and its members' names show how they are related: brothers and sisters
share the father's and the family name, a child's father's name is the parent's given name (and its
grandfather's the parent's father's), a father's given name is the child's father's name -- with birth
years that allow it. So, without labels:

* a registration that lives with a relative by name has a family of its own in the registry; two
  registrations in different households that each live with relatives of their own, and whose households
  share nobody, are two families -- namesakes, not one person registered twice (a person registered twice
  leaves one registration among relatives and the other alone or with another group);
* a married woman's name is her father's chain, so her husband and children are not her relatives by name;
  but a woman living with a father's children (those sharing his given name as their father's name, and
  his family name) whom she could have borne (born `GENERATION` to `MOTHER_LAST` years after her), where
  that father is registered with them of an age to be her husband (born at most `HUSBAND_OLDER` years
  before her, `WIFE_OLDER` after; she no sister or daughter of his by name) -- or, where he is not (a
  widow), with two of his children or more -- is a mother with a family of her own, where she is the only
  woman of the household who could be their mother (a woman registered a second time in another family's
  household is a second such woman beside its mother, and neither counts); two registrations in
  different households sharing nobody, each such a mother, are two families too -- but not a mother in
  one and a daughter or sister by name in the other: a married woman has two families, her father's and
  her own, and may be registered with each;
* two households holding other members alike by name (given, father's and family name) and birth year may
  be one family registered twice; they are not counted as two families;
* a registration's relatives by name with their birth years place its own birth (a generation after its
  father, a generation before its children, within `SIBLINGS_APART` of its brothers and sisters): where it
  has no birth year, they tell whether the other registration's year can be its own (`years_told`);
* a registration read with its father's name left out (its middle name taken for the other's
  grandfather's) that lives with its father by the name it gives has not left it out (`father_registered`).

A registration without a household, or with a one-part name, says nothing. Names are compared by their
coarse keys (`keys`), in each script a registration writes. `relatives[i]` is True, False or None
(unknown); `mother[i]` is True where a woman is such a mother; `shared(i, j)` counts the other
members the two households hold alike.
"""

from __future__ import annotations

from collections.abc import Sequence

#: years between a parent's birth and a child's, at least
GENERATION = 12
#: years between brothers' and sisters' births, at most
SIBLINGS_APART = 30
#: years a husband is born before his wife, at most; and after her, at most
HUSBAND_OLDER = 20
WIFE_OLDER = 10
#: years between a mother's birth and her child's, at most
MOTHER_LAST = 50
#: years a duplicate's birth year may be written off by
YEAR_SLIP = 1

Chain = tuple[str, "str | None", "str | None", str]     # given, father, grandfather, family (coarse keys)


def _chain(parts: Sequence[str]) -> Chain | None:
    """(given, father, grandfather, family) of a name's coarse parts, None where not written; None for a
    one-part name."""
    if len(parts) < 2:
        return None
    return (parts[0], parts[1] if len(parts) >= 3 else None, parts[2] if len(parts) >= 4 else None, parts[-1])


def _same(a: str | None, b: str | None) -> bool:
    """Not contradicting: equal, or either not written."""
    return a is None or b is None or a == b


class Households:
    """The registry's households as their members' names show them (see the module)."""

    def __init__(self, households: Sequence[str], names: Sequence[Sequence[Sequence[str]]],
                 years: Sequence[int | None], sexes: Sequence[str | None] | None = None):
        """`households`: each registration's household token ("" for none); `names`: each registration's
        names as coarse parts, one sequence per script written; `years`: birth years (None unknown);
        `sexes`: "male", "female" or None (unknown; not given: all unknown)."""
        self.household = list(households)
        self.year = list(years)
        self.sex = list(sexes) if sexes is not None else [None] * len(self.household)
        self.chains: list[list[Chain]] = [list(dict.fromkeys(c for c in map(_chain, readings) if c is not None))
                                          for readings in names]
        # who in a household has a given name ("is") and a father's name ("of"), with the family name
        self._index: dict[str, dict[tuple, list[int]]] = {}
        for i, (hh, chains) in enumerate(zip(households, self.chains)):
            if not hh:
                continue
            index = self._index.setdefault(hh, {})
            for key in {k for g, f, _, fam in chains for k in (("is", g, fam), ("of", f, fam)) if k[1]}:
                index.setdefault(key, []).append(i)
        self._allowed: dict[int, tuple[int, int] | None] = {}
        self.ties: list[frozenset[str]] = [self._ties(i) for i in range(len(self.household))]
        self.relatives: list[bool | None] = [self._lives_with_relatives(i) for i in range(len(self.household))]
        members: dict[str, list[int]] = {}
        for i, hh in enumerate(households):
            if hh:
                members.setdefault(hh, []).append(i)
        self.mother: list[bool] = [False] * len(self.household)
        for household in members.values():
            self._mothers(household)

    def _apart(self, older: int, younger: int, at_least: int) -> bool:
        """Whether `younger` was born at least `at_least` years after `older` (True where a year is unknown)."""
        a, b = self.year[older], self.year[younger]
        return a is None or b is None or b - a >= at_least

    def _lives_with_relatives(self, i: int) -> bool | None:
        hh = self.household[i]
        if not hh or not self.chains[i]:
            return None
        return bool(self.ties[i])

    def _ties(self, i: int) -> frozenset[str]:
        """How i is related by name to others of its household (the kinds of `related`); empty where none
        is, or i has no household or name."""
        return frozenset(kind for kind, _ in self.related(i))

    def related(self, i: int) -> list[tuple[str, int]]:
        """(kind, x) for each other member x of i's household related to i by name and birth years: kind
        "siblings" (a brother or sister), "children" (a child of i's), "father" (i's father), or "father or
        child" where the names allow both and a birth year is missing to tell (a son named after his
        grandfather, "Mahmoud son of Khalid son of Mahmoud", reads like the father of his father "Khalid son of
        Mahmoud")."""
        hh = self.household[i]
        if not hh or not self.chains[i]:
            return []
        index, chains = self._index[hh], self.chains
        found: dict[int, str] = {}
        for g, f, gf, fam in chains[i]:
            # brothers and sisters: the same father (and grandfather), born within a generation
            if f:
                for x in index.get(("of", f, fam), ()):
                    if x != i and x not in found and any(
                            _same(gf, xgf) and xf == f and xfam == fam for _, xf, xgf, xfam in chains[x]) \
                            and self._apart(x, i, -SIBLINGS_APART) and self._apart(i, x, -SIBLINGS_APART):
                        found[x] = "siblings"
            # children: whose father is this given name and grandfather this father's name, born later
            for x in index.get(("of", g, fam), ()):
                if x != i and found.get(x) in (None, "father") and self._apart(i, x, GENERATION) and any(
                        _same(f, xgf) and xf == g and xfam == fam for _, xf, xgf, xfam in chains[x]):
                    found[x] = "children" if x not in found else "father or child"
            # the father: whose given name is this father's name (and father's this grandfather), born earlier
            if f:
                for x in index.get(("is", f, fam), ()):
                    if x != i and found.get(x) in (None, "children") and self._apart(x, i, GENERATION) and any(
                            _same(gf, xf) and xg == f and xfam == fam for xg, xf, _, xfam in chains[x]):
                        found[x] = "father" if x not in found else "father or child"
        return [(kind, x) for x, kind in found.items()]

    def father_registered(self, short: int, other: int) -> int | None:
        """Where `short`'s name was read with its father's name left out (its middle name taken for `other`'s
        grandfather's): the member of its household who is its father by the name it gives -- a man a
        generation older whose given name is its written father's name, and its family name -- so that the
        middle name is its father's after all, and `other`, whose father is another, another person. None
        where there is no such man, or where the household also holds a man named as `other`'s father, son of
        that middle name (then the middle name is the grandfather's, and the man named so may be him)."""
        hh = self.household[short]
        if not hh:
            return None
        fathers = [x for kind, x in self.related(short) if kind == "father" and self.sex[x] != "female"]
        if not fathers:
            return None
        index, chains = self._index[hh], self.chains
        for _, f, _, fam in chains[short]:
            for _, of, _, _ in chains[other]:
                if of is None or f is None:
                    continue
                for x in index.get(("is", of, fam), ()):
                    if x != short and self._apart(x, short, GENERATION) and any(
                            xg == of and xf == f and xfam == fam for xg, xf, _, xfam in chains[x]):
                        return None
        return fathers[0]

    def years_told(self, i: int, j: int) -> tuple[int, tuple[int, int], bool] | None:
        """Where one of i and j has no birth year and the other has one, and the one without lives with
        relatives by name whose birth years place its own: (the one without, the years they allow, whether
        the other's year is within them or `YEAR_SLIP` of them -- a duplicate's year may be written a year
        off); else None. A man registered with his father and brothers, or with his children, cannot be one
        person with a namesake born when those relatives say he was not."""
        yi, yj = self.year[i], self.year[j]
        if (yi is None) == (yj is None):
            return None
        without, year = (i, yj) if yi is None else (j, yi)
        if without not in self._allowed:
            self._allowed[without] = self.years_allowed(without)
        allowed = self._allowed[without]
        if allowed is None:
            return None
        return without, allowed, allowed[0] - YEAR_SLIP <= year <= allowed[1] + YEAR_SLIP

    def years_allowed(self, i: int) -> tuple[int, int] | None:
        """The birth years i's relatives by name in its household allow (earliest, latest): at least a
        generation after its father, a generation before its children, within `SIBLINGS_APART` of its brothers
        and sisters; None where none of them has a birth year."""
        lo, hi = None, None
        for kind, x in self.related(i):
            y = self.year[x]
            if y is None:
                continue
            if kind == "father":
                a, b = y + GENERATION, None
            elif kind == "children":
                a, b = None, y - GENERATION
            elif kind == "siblings":
                a, b = y - SIBLINGS_APART, y + SIBLINGS_APART
            else:                                       # father or child: the names cannot say which
                continue
            lo = a if lo is None or (a is not None and a > lo) else lo
            hi = b if hi is None or (b is not None and b < hi) else hi
        if lo is None and hi is None:
            return None
        return (lo if lo is not None else -10_000, hi if hi is not None else 10_000)

    def _within(self, i: int, x: int, before: int, after: int) -> bool:
        """Whether x was born at most `before` years before i and at most `after` years after (True where a
        year is unknown)."""
        a, b = self.year[i], self.year[x]
        return a is None or b is None or -before <= b - a <= after

    def _mothers(self, household: Sequence[int]) -> None:
        """Mark in `mother` each woman of the household who is the only woman there who could be the mother
        of a father's children registered with her (see the module)."""
        women = [w for w in household if self.sex[w] == "female" and self.chains[w]]
        if not women:
            return
        index, chains, sex = self._index[self.household[household[0]]], self.chains, self.sex
        for (kind, g, fam), children in index.items():
            if kind != "of":
                continue
            # the father, where he is registered with them: a man of that given and family name, a generation
            # older than his children
            fathers = [(m, c) for m in index.get(("is", g, fam), ()) if sex[m] == "male"
                       for c in chains[m] if c[0] == g and c[3] == fam
                       and all(self._apart(m, x, GENERATION) for x in children)]
            if not fathers and len(children) < 2:
                continue            # an older woman beside a man whose father is not registered: his mother or not
            mothers = [w for w in women if w not in children
                       and all(self._within(w, x, -GENERATION, MOTHER_LAST) for x in children)
                       and (not fathers or any(self._could_be_wife(w, c, m) for m, c in fathers))]
            if len(mothers) == 1:
                self.mother[mothers[0]] = True

    def _could_be_wife(self, w: int, man: Chain, m: int) -> bool:
        """Whether woman w could be the wife of man m (whose name chain is `man`): of an age to be, and no
        sister or daughter of his by name."""
        g, f, _, fam = man
        return (self._within(w, m, HUSBAND_OLDER, WIFE_OLDER)
                and not any(wfam == fam and (wf == g or (f and wf == f)) for _, wf, _, wfam in self.chains[w]))

    def shared(self, i: int, j: int) -> int:
        """Other members that the households of i and j both hold alike by name (given, father's and family
        name) and birth year (within a year, or unknown); 0 where they are one household or either has none."""
        hi, hj = self.household[i], self.household[j]
        if not hi or not hj or hi == hj:
            return 0
        a, b = self._index.get(hi, {}), self._index.get(hj, {})
        year, chains = self.year, self.chains
        found = set()
        for key, here in a.items():
            there = b.get(key) if key[0] == "is" else None
            if not there:
                continue
            for x in here:
                if x == i or x in found:
                    continue
                names = {(g, f, fam) for g, f, _, fam in chains[x]}
                if any(y != j and names & {(g, f, fam) for g, f, _, fam in chains[y]}
                       and (year[x] is None or year[y] is None or abs(year[x] - year[y]) <= 1) for y in there):
                    found.add(x)
        return len(found)

    def two_families(self, i: int, j: int) -> bool:
        """Whether i and j, in different households sharing nobody, each live with relatives by name, or each
        as a mother with her children. A mother in one household and a daughter or sister by name in the
        other is not enough: a married woman has two families, her father's and her own."""
        return (self.household[i] != self.household[j]
                and ((self.relatives[i] is True and self.relatives[j] is True) or (self.mother[i] and self.mother[j]))
                and self.shared(i, j) == 0)
