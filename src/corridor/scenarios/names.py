"""Synthetic Syrian Arabic personal names, for demo populations and registries.

A person is named in the Levantine way: given name, father's given name and
family name ("محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi"). Children take
the household head's given name as their father's name, so a household shares
its second and third names.

Every name carries its Arabic spelling (letters and spaces only, no
diacritics) and one canonical Latin transliteration. `VARIANTS` lists the
other Latin spellings met in practice for the same Arabic name; registries
built from several sources (UNHCR lists, hand-written manifests, phone
contacts) disagree in exactly these ways, which is what duplicate detection
has to see through.

Frequencies are rough impressions of northern Syria, not census data:
Mohammed alone is about one male in six. Everything is drawn from the
`random.Random` passed in, so a seed fixes the whole population.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

# The name tables, in names.json beside this module (one row a line): (arabic, canonical latin, relative weight)
# for male and female given names and family names; `VARIANTS`: canonical Latin spelling -> the other spellings of
# the same Arabic name met in registries, IDs and hand-written lists (the article's own forms are derived by
# `latin_variants`, not listed).
_TABLES = json.loads(Path(__file__).with_name("names.json").read_text(encoding="utf-8"))


def _table(key: str) -> tuple[tuple[str, str, int], ...]:
    return tuple((arabic, latin, int(weight)) for arabic, latin, weight in _TABLES[key])


MALE_GIVEN: tuple[tuple[str, str, int], ...] = _table("male_given")
FEMALE_GIVEN: tuple[tuple[str, str, int], ...] = _table("female_given")
FAMILY: tuple[tuple[str, str, int], ...] = _table("family")
VARIANTS: dict[str, tuple[str, ...]] = {canonical: tuple(others) for canonical, others in _TABLES["variants"].items()}

# Latin onsets of the Arabic "sun letters", before which the article's l is
# assimilated in speech: al-Shami is also written ash-Shami.
_SUN_ONSETS = ("sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l")


def _index_spellings() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, variants in VARIANTS.items():
        for spelling in (canonical, *variants):
            index.setdefault(spelling.casefold(), canonical)
    return index


_CANONICAL_OF: dict[str, str] = _index_spellings()


def _article_forms(spelling: str) -> list[str]:
    """Other ways of writing the article of "al-Stem": el-Stem, Al Stem, Stem..."""
    if not spelling.startswith("al-"):
        return []
    stem = spelling[3:]
    forms = [f"el-{stem}", f"Al-{stem}", f"Al {stem}", f"Al{stem.lower()}", stem]
    onset = next((o for o in _SUN_ONSETS if stem.lower().startswith(o)), None)
    if onset is not None:
        forms += [f"a{onset}-{stem}", f"e{onset}-{stem}"]
    return forms


def latin_variants(latin: str) -> list[str]:
    """Other Latin spellings of the name written `latin` (case-insensitive).

    `latin` may be the canonical spelling or any listed variant; the answer
    holds the canonical and listed spellings other than `latin` itself, then
    the article forms of any "al-" spelling (capitalised ones included, as
    registries match on exact strings). Unknown names give [], bar the
    article forms of an unlisted "al-" name.
    """
    canonical = _CANONICAL_OF.get(latin.casefold())
    if canonical is None:
        spellings = [latin] if latin.startswith("al-") else []
    else:
        spellings = [canonical, *VARIANTS[canonical]]
    out: list[str] = []
    for spelling in spellings + [f for s in spellings for f in _article_forms(s)]:
        if spelling != latin and spelling not in out:
            out.append(spelling)
    return out


@dataclass(frozen=True)
class Name:
    """A Levantine three-part name, in Arabic script and in Latin letters."""

    given_ar: str
    father_ar: str
    family_ar: str
    given_en: str
    father_en: str
    family_en: str

    @property
    def arabic(self) -> str:
        return f"{self.given_ar} {self.father_ar} {self.family_ar}"

    @property
    def latin(self) -> str:
        return f"{self.given_en} {self.father_en} {self.family_en}"


class _Weighted:
    """A weighted table of (arabic, latin) pairs, drawn with a given rng."""

    def __init__(self, table: tuple[tuple[str, str, int], ...]):
        self.names = tuple((ar, en) for ar, en, _ in table)
        self.cum_weights = tuple(accumulate(w for _, _, w in table))

    def draw(self, rng: random.Random) -> tuple[str, str]:
        return rng.choices(self.names, cum_weights=self.cum_weights)[0]


_MALE = _Weighted(MALE_GIVEN)
_FEMALE = _Weighted(FEMALE_GIVEN)
_FAMILY = _Weighted(FAMILY)


class NameGenerator:
    """Draws names from the tables above; all randomness comes from `rng`."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def family(self) -> tuple[str, str]:
        """(family_ar, family_en), e.g. ("الحلبي", "al-Halabi")."""
        return _FAMILY.draw(self.rng)

    def male_given(self) -> tuple[str, str]:
        return _MALE.draw(self.rng)

    def female_given(self) -> tuple[str, str]:
        return _FEMALE.draw(self.rng)

    def person(
        self,
        sex: str,
        family: tuple[str, str],
        father: tuple[str, str] | None = None,
    ) -> Name:
        """A person of `family`; `father` is the father's (or household
        head's) given name as (arabic, latin), drawn afresh when None."""
        if sex == "male":
            given = self.male_given()
        elif sex == "female":
            given = self.female_given()
        else:
            raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")
        if father is None:
            father = self.male_given()
        return Name(given[0], father[0], family[0], given[1], father[1], family[1])

    def latin_variants(self, latin_given: str) -> list[str]:
        """Known spelling variants, e.g. Mohammed -> [Muhammad, Mohamad, ...]."""
        return latin_variants(latin_given)
