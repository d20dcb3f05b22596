"""A synthetic registry of Arabic names with known duplicates.

Persons are drawn with `corridor.scenarios.names.NameGenerator` and live in
families built so that the traps of duplicate detection are real:

* clans: brothers head neighbouring households, so their households share
  the grandfather's and the family name; cousins are often named after the
  common grandfather (the eldest son, in half the households), so first
  cousins share given name, grandfather and family name;
* siblings share father, grandfather, family name and household, never a
  given name, and are often born a year apart (twins: same year);
* an elderly parent sometimes lives with a son (his name is the son's father
  name); widows head some households; wives keep their own family name;
* about one man in seven is called Mohammed (the name tables' weights).

Each registration is "given father [grandfather] family" in Arabic script
and in the canonical Latin spelling; a household's registrar writes the
grandfather's name or not (`P_GRANDFATHER`). `P_NO_BIRTH_YEAR` of
registrations lack a birth year and `P_UNKNOWN_SEX` the sex.

Duplicates: `DUPLICATE_SHARE` of persons are registered a second time. Each
second registration suffers these errors, drawn independently (so some
suffer several, some none):

=========================================  ==========================
error                                      share of duplicates
=========================================  ==========================
transliteration variant in Latin           P_LATIN_VARIANT = 40%
Arabic hamza / taa marbuta / alif / yaa    P_ARABIC_VARIANT = 30%
dropped father or grandfather name         P_DROPPED_PART = 20%
(four-part names lose the grandfather in
P_DROP_GRANDFATHER = 70%, else the father;
three-part names lose the father)
birth year one year off                    P_YEAR_OFF = 20%
swapped parts (family name first, or       P_SWAPPED = 5%
given and father exchanged)
Latin-only or Arabic-only registration     P_ONE_SCRIPT = 15%
another gathering point                    P_OTHER_POINT = 50%
=========================================  ==========================

A duplicate at another gathering point joins another household there or
forms one of its own; at the same point it is entered twice in its own
household (`P_SAME_HOUSEHOLD`) or registered apart. Records are shuffled
and get fresh tokens, so nothing but the data tells duplicates apart.
Everything is drawn from `random.Random(seed)`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from ..matching import PersonMatcher, PersonRecord, find_duplicates
from ..matching.evaluate import Quality, quality
from ..matching.records import THRESHOLD

from .duplicate_quality import Written, namesakes
from .names import NameGenerator, latin_variants

YEAR = 2016
DUPLICATE_SHARE = 0.10
P_LATIN_VARIANT = 0.40
P_ARABIC_VARIANT = 0.30
P_DROPPED_PART = 0.20
P_YEAR_OFF = 0.20
P_DROP_GRANDFATHER = 0.70
P_SWAPPED = 0.05
P_ONE_SCRIPT = 0.15
P_OTHER_POINT = 0.50
P_SAME_HOUSEHOLD = 0.30
P_GRANDFATHER = 0.50
P_NO_BIRTH_YEAR = 0.02
P_UNKNOWN_SEX = 0.01
P_FEMALE_HEAD = 0.12
P_ELDEST_AFTER_GRANDFATHER = 0.5
P_TWINS = 0.03
GATHERING_POINTS = (("GP-AMI", 0.45), ("GP-SAL", 0.30), ("GP-SUK", 0.25))

Pair = tuple[str, str]          # (arabic, latin)


@dataclass
class _Person:
    sex: str
    parts: list[Pair]           # given, father, grandfather, family
    birth_year: int | None
    household: str
    point: str
    grandfather_written: bool


@dataclass
class Registry:
    """The registrations and the pairs of tokens that are one person."""

    records: list[PersonRecord]
    true_pairs: set[tuple[str, str]]
    persons: int
    errors: Counter = field(default_factory=Counter)
    duplicate_errors: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    hard_negatives: dict[tuple[str, str], str] = field(default_factory=dict)   # namesakes only


def _pick(rng: random.Random, shares) -> str:
    x, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if x < total:
            return value
    return shares[-1][0]


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = NameGenerator(rng)
        self.people: list[_Person] = []
        self.households = 0

    def _given(self, sex: str, avoid: set[Pair]) -> Pair:
        draw = self.names.male_given if sex == "male" else self.names.female_given
        for _ in range(50):
            g = draw()
            if g not in avoid:
                return g
        return g

    def _household(self) -> tuple[str, str, bool]:
        self.households += 1
        return (f"HH{self.households:06d}", _pick(self.rng, GATHERING_POINTS),
                self.rng.random() < P_GRANDFATHER)

    def _add(self, sex, given, father, grandfather, family, year, hh) -> None:
        token, point, gf = hh
        self.people.append(_Person(sex, [given, father, grandfather, family], year, token, point, gf))

    def clan(self, budget: int) -> int:
        """Households of brothers (sons of one patriarch); returns persons added."""
        rng = self.rng
        family = self.names.family()
        patriarch = self.names.male_given()
        great = self.names.male_given()
        patriarch_year = YEAR - rng.randint(55, 90)
        brothers = rng.choice((1, 1, 2, 2, 3, 4))
        used_brothers: set[Pair] = set()
        added = 0
        for b in range(brothers):
            if added >= budget:
                break
            hh = self._household()
            size = min(budget - added, max(1, min(14, round(rng.gauss(5.2, 2.2)))))
            head_year = patriarch_year + rng.randint(20, 40)
            head_year = min(head_year, YEAR - 18)
            if rng.random() < P_FEMALE_HEAD:
                # a widow with her children: the father is not registered here
                widow_family = self.names.family()
                head = self._given("female", set())
                self._add("female", head, self.names.male_given(), self.names.male_given(), widow_family,
                          head_year, hh)
                father, grandfather, fam = self._given("male", used_brothers), patriarch, family
                used_brothers.add(father)
                count = 1
            else:
                father = self._given("male", used_brothers | {patriarch})
                used_brothers.add(father)
                self._add("male", father, patriarch, great, family, head_year, hh)
                grandfather, fam = patriarch, family
                count = 1
                if size > 1:
                    wife_year = head_year + rng.randint(0, 8)
                    self._add("female", self._given("female", set()), self.names.male_given(),
                              self.names.male_given(), self.names.family(), wife_year, hh)
                    count += 1
                if size > 3 and b == 0 and rng.random() < 0.15 and patriarch_year > YEAR - 85:
                    # the patriarch lives with his eldest son
                    self._add("male", patriarch, great, self.names.male_given(), family, patriarch_year, hh)
                    count += 1
            child_year = head_year + rng.randint(19, 30)
            children: set[Pair] = set()
            first_son = True
            while count < size and child_year <= YEAR:
                sex = rng.choice(("male", "female"))
                if sex == "male" and first_son and grandfather not in children \
                        and rng.random() < P_ELDEST_AFTER_GRANDFATHER:
                    given = grandfather
                else:
                    given = self._given(sex, children | {father})
                first_son = first_son and sex != "male"
                children.add(given)
                self._add(sex, given, father, grandfather, fam, child_year, hh)
                count += 1
                if rng.random() > P_TWINS:
                    child_year += rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5))
            added += count
        return added


# --- variants -----------------------------------------------------------------------

_HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0652", "\u0651")


def _arabic_variant(rng: random.Random, text: str) -> str:
    """The same Arabic name written with other hamza/alif/taa/yaa forms, tatweel or diacritics."""
    options = []
    if any(c in text for c in "أإآ"):
        options.append(lambda t: t.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا"))
    if any(w.startswith("ا") and not w.startswith("ال") for w in text.split()):
        options.append(lambda t: " ".join(("أ" + w[1:]) if w.startswith("ا") and not w.startswith("ال") else w
                                          for w in t.split()))
    if "ة" in text:
        options.append(lambda t: t.replace("ة", "ه"))
    if any(w.endswith("ى") for w in text.split()):
        options.append(lambda t: " ".join(w[:-1] + "ي" if w.endswith("ى") else w for w in t.split()))
    if any(w.endswith("ي") for w in text.split()):
        options.append(lambda t: " ".join(w[:-1] + "ى" if w.endswith("ي") and len(w) > 2 else w
                                          for w in t.split()))
    if "ؤ" in text or "ئ" in text:
        options.append(lambda t: t.replace("ؤ", "و").replace("ئ", "ي"))
    if "عبد ال" in text:
        options.append(lambda t: t.replace("عبد ال", "عبدال"))

    def tatweel(t: str) -> str:
        words = t.split()
        k = rng.randrange(len(words))
        w = words[k]
        if len(w) > 2:
            pos = rng.randint(1, len(w) - 1)
            words[k] = w[:pos] + "ـ" + w[pos:]
        return " ".join(words)

    def harakat(t: str) -> str:
        return "".join(c + rng.choice(_HARAKAT) if c != " " and rng.random() < 0.3 else c for c in t)

    options += [tatweel, harakat]
    k = rng.choice((1, 1, 2))
    for fn in rng.sample(options, min(k, len(options))):
        text = fn(text)
    return text


def _latin_variant(rng: random.Random, parts: list[str]) -> list[str]:
    """Other Latin spellings of some parts (at least one where any exists)."""
    out = list(parts)
    choices = [k for k, p in enumerate(parts) if latin_variants(p)]
    if not choices:
        return out
    changed = {rng.choice(choices)} | {k for k in choices if rng.random() < 0.4}
    for k in changed:
        out[k] = rng.choice(latin_variants(parts[k]))
    return out


def generate(persons: int = 10_000, seed: int = 2016) -> Registry:
    """About `persons` persons, `DUPLICATE_SHARE` of them registered twice."""
    rng = random.Random(seed)
    b = _Builder(rng)
    while len(b.people) < persons:
        b.clan(persons - len(b.people))
    people = b.people
    by_point: dict[str, list[str]] = {}
    for p in people:
        by_point.setdefault(p.point, []).append(p.household)

    errors: Counter = Counter()
    kinds_of: dict[int, list[str]] = {}
    # (person index, registration) ; a registration is (parts, year, point, household, scripts)
    regs: list[tuple[int, list[Pair], int | None, str, str, str, str]] = []
    for k, p in enumerate(people):
        parts = p.parts if p.grandfather_written else [p.parts[0], p.parts[1], p.parts[3]]
        ar = " ".join(x[0] for x in parts)
        en = " ".join(x[1] for x in parts)
        regs.append((k, parts, p.birth_year, p.point, p.household, ar, en))

    dups = rng.sample(range(len(people)), round(len(people) * DUPLICATE_SHARE))
    dup_regs = []
    extra_households = 0
    for k in sorted(dups):
        p = people[k]
        kinds = kinds_of[k] = []
        _, parts, year, point, household, _, _ = regs[k]
        parts = list(parts)
        ar_parts = [x[0] for x in parts]
        en_parts = [x[1] for x in parts]
        if rng.random() < P_DROPPED_PART and len(parts) >= 3:
            errors["dropped part"] += 1
            kinds.append("dropped part")
            # a four-part name mostly loses the grandfather, a three-part one its father
            drop = 2 if len(parts) == 4 and rng.random() < P_DROP_GRANDFATHER else 1
            del ar_parts[drop], en_parts[drop]
        if rng.random() < P_LATIN_VARIANT:
            errors["latin variant"] += 1
            kinds.append("latin variant")
            en_parts = _latin_variant(rng, en_parts)
        ar = " ".join(ar_parts)
        if rng.random() < P_ARABIC_VARIANT:
            errors["arabic variant"] += 1
            kinds.append("arabic variant")
            ar = _arabic_variant(rng, ar)
        en = " ".join(en_parts)
        if rng.random() < P_SWAPPED and len(en_parts) >= 3:
            errors["swapped parts"] += 1
            kinds.append("swapped parts")
            if rng.random() < 0.5:
                ar_w = _arabic_words_by_part(ar, len(ar_parts))
                ar = " ".join([ar_w[-1], *ar_w[:-1]])
                en = " ".join([en_parts[-1], *en_parts[:-1]])
            else:
                ar_w = _arabic_words_by_part(ar, len(ar_parts))
                ar = " ".join([ar_w[1], ar_w[0], *ar_w[2:]])
                en = " ".join([en_parts[1], en_parts[0], *en_parts[2:]])
        if year is not None and rng.random() < P_YEAR_OFF:
            errors["birth year off"] += 1
            kinds.append("birth year off")
            year = year + rng.choice((-1, 1))
        if rng.random() < P_ONE_SCRIPT:
            errors["one script"] += 1
            kinds.append("one script")
            if rng.random() < 0.5:
                ar = ""
            else:
                en = ""
        if rng.random() < P_OTHER_POINT:
            errors["other gathering point"] += 1
            kinds.append("other gathering point")
            point = rng.choice([g for g, _ in GATHERING_POINTS if g != point])
            if rng.random() < 0.5:
                household = rng.choice(by_point[point])
            else:
                extra_households += 1
                household = f"HX{extra_households:06d}"
        elif rng.random() >= P_SAME_HOUSEHOLD:
            extra_households += 1
            household = f"HX{extra_households:06d}"
        else:
            errors["same household"] += 1
            kinds.append("same household")
        dup_regs.append((k, parts, year, point, household, ar, en))

    everything = regs + dup_regs
    order = list(range(len(everything)))
    rng.shuffle(order)
    records: list[PersonRecord] = []
    written: list[Written] = []
    token_of: dict[int, list[str]] = {}
    for n, idx in enumerate(order):
        k, _, year, point, household, ar, en = everything[idx]
        p = people[k]
        token = f"R{n + 1:07d}"
        if rng.random() < P_NO_BIRTH_YEAR:
            year = None
        sex = "unknown" if rng.random() < P_UNKNOWN_SEX else p.sex
        records.append(PersonRecord(token, ar, en, sex, year, point, household))
        written.append(Written(token, k, p.sex, tuple(x[0] for x in p.parts), p.birth_year, year,
                               len(everything[idx][1]) == 4))
        token_of.setdefault(k, []).append(token)
    true_pairs = {tuple(sorted(ts)) for ts in token_of.values() if len(ts) == 2}
    labels = {tuple(sorted(token_of[k])): sorted(kinds) for k, kinds in kinds_of.items()}
    return Registry(records, true_pairs, len(people), errors, labels, namesakes(written))


def _arabic_words_by_part(text: str, nparts: int) -> list[str]:
    """Split an Arabic name into its parts, keeping compounds ("عبد الرحمن") together."""
    words = text.split()
    out: list[str] = []
    k = 0
    while k < len(words):
        w = words[k]
        bare = "".join(c for c in w if c != "ـ" and c not in _HARAKAT)
        if bare in ("عبد", "أبو", "ابو") and k + 1 < len(words):
            out.append(w + " " + words[k + 1])
            k += 2
            continue
        if bare in ("الدين", "الله") and out:
            out[-1] += " " + w
            k += 1
            continue
        out.append(w)
        k += 1
    return out


def evaluate(persons: int = 10_000, seed: int = 2016, threshold: float = THRESHOLD,
             matcher: PersonMatcher | None = None) -> Quality:
    """Quality of duplicate detection on a generated registry of about `persons` persons."""
    reg = generate(persons, seed)
    return quality(find_duplicates(reg.records, threshold, matcher=matcher), reg.true_pairs, threshold)
