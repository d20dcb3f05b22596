import random
import re
from collections import Counter

import pytest

from corridor.scenarios.names import (
    FAMILY,
    FEMALE_GIVEN,
    MALE_GIVEN,
    VARIANTS,
    Name,
    NameGenerator,
    latin_variants,
)

# Arabic letters hamza..yeh (U+0621-U+064A) without tatweel, and spaces:
# no diacritics, no Persian/Urdu letters, no Arabic-Indic digits.
ARABIC = re.compile(r"[\u0621-\u063F\u0641-\u064A]+( [\u0621-\u063F\u0641-\u064A]+)*")
LATIN = re.compile(r"[A-Za-z][A-Za-z' -]*[A-Za-z']")


def people(seed: int, n: int) -> list[Name]:
    gen = NameGenerator(random.Random(seed))
    out = []
    for i in range(n):
        sex = "male" if i % 2 else "female"
        out.append(gen.person(sex, gen.family()))
    return out


def test_same_seed_same_names():
    assert people(42, 500) == people(42, 500)


def test_different_seed_different_names():
    assert people(1, 200) != people(2, 200)


def test_does_not_touch_global_random():
    random.seed(7)
    expected = random.random()
    random.seed(7)
    people(3, 100)
    assert random.random() == expected


def test_table_sizes():
    assert len(MALE_GIVEN) >= 80
    assert len(FEMALE_GIVEN) >= 60
    assert len(FAMILY) >= 100


@pytest.mark.parametrize("table", [MALE_GIVEN, FEMALE_GIVEN, FAMILY], ids=["male", "female", "family"])
def test_tables_are_well_formed(table):
    arabic = [ar for ar, _, _ in table]
    latin = [en for _, en, _ in table]
    assert len(set(arabic)) == len(arabic)
    assert len(set(latin)) == len(latin)
    for ar, en, weight in table:
        assert ARABIC.fullmatch(ar), ar
        assert LATIN.fullmatch(en), en
        assert isinstance(weight, int) and weight > 0


def test_compound_names_present():
    males = {ar: en for ar, en, _ in MALE_GIVEN}
    assert males["عبد الرحمن"] == "Abdul Rahman"
    assert males["عبد الله"] == "Abdullah"
    assert males["محمد"] == "Mohammed"
    families = {en: ar for ar, en, _ in FAMILY}
    assert families["al-Halabi"] == "الحلبي"


def test_generated_names_use_the_right_scripts():
    for name in people(11, 2000):
        for part in (name.given_ar, name.father_ar, name.family_ar):
            assert ARABIC.fullmatch(part), part
        for part in (name.given_en, name.father_en, name.family_en):
            assert LATIN.fullmatch(part), part
        assert ARABIC.fullmatch(name.arabic)
        assert LATIN.fullmatch(name.latin)


def test_mohammed_is_about_one_male_in_six():
    gen = NameGenerator(random.Random(2016))
    counts = Counter(gen.male_given()[1] for _ in range(10_000))
    share = counts["Mohammed"] / 10_000
    assert 0.10 <= share <= 0.25
    assert counts.most_common(1)[0][0] == "Mohammed"


def test_female_names_are_female_and_male_names_male():
    gen = NameGenerator(random.Random(5))
    female = {en for _, en, _ in FEMALE_GIVEN}
    male = {en for _, en, _ in MALE_GIVEN}
    assert not female & male
    for _ in range(500):
        assert gen.person("female", gen.family()).given_en in female
        assert gen.person("male", gen.family()).given_en in male
        assert gen.female_given()[1] in female
        assert gen.male_given()[1] in male


def test_person_takes_father_and_family_as_given():
    gen = NameGenerator(random.Random(9))
    family = ("الحلبي", "al-Halabi")
    head = gen.person("male", family)
    child = gen.person("female", family, father=(head.given_ar, head.given_en))
    assert (child.father_ar, child.father_en) == (head.given_ar, head.given_en)
    assert (child.family_ar, child.family_en) == family


def test_person_without_father_draws_a_male_name():
    gen = NameGenerator(random.Random(10))
    males = {(ar, en) for ar, en, _ in MALE_GIVEN}
    for _ in range(200):
        name = gen.person("female", gen.family())
        assert (name.father_ar, name.father_en) in males


def test_person_rejects_unknown_sex():
    gen = NameGenerator(random.Random(0))
    with pytest.raises(ValueError):
        gen.person("m", gen.family())


def test_full_name_properties():
    name = Name("محمد", "أحمد", "الحلبي", "Mohammed", "Ahmad", "al-Halabi")
    assert name.arabic == "محمد أحمد الحلبي"
    assert name.latin == "Mohammed Ahmad al-Halabi"


def test_variants_cover_every_given_name():
    for _, en, _ in MALE_GIVEN + FEMALE_GIVEN:
        assert en in VARIANTS, en


def test_common_names_have_their_known_variants():
    gen = NameGenerator(random.Random(0))
    assert {"Muhammad", "Mohamad", "Mohammad", "Muhammed"} <= set(gen.latin_variants("Mohammed"))
    assert "Ahmed" in gen.latin_variants("Ahmad")
    assert {"Abdelrahman", "Abd al-Rahman"} <= set(gen.latin_variants("Abdul Rahman"))
    assert "Khalid" in gen.latin_variants("Khaled")
    assert "Umar" in gen.latin_variants("Omar")
    assert {"Hussain", "Husayn"} <= set(gen.latin_variants("Hussein"))
    assert "Fatma" in gen.latin_variants("Fatima")
    assert "Aysha" in gen.latin_variants("Aisha")
    assert "el-Halabi" in gen.latin_variants("al-Halabi")
    assert "ash-Shami" in gen.latin_variants("al-Shami")


def test_the_most_common_names_all_vary():
    common = [en for _, en, weight in MALE_GIVEN + FEMALE_GIVEN if weight >= 12]
    assert len(common) >= 20
    for en in common:
        assert latin_variants(en), en


def test_every_family_name_has_a_variant():
    for _, en, _ in FAMILY:
        assert latin_variants(en), en


def test_variants_are_symmetric_and_never_the_name_itself():
    assert "Mohammed" in latin_variants("Muhammad")
    assert "Muhammad" not in latin_variants("Muhammad")
    for canonical, spellings in VARIANTS.items():
        assert canonical not in spellings
        assert len(set(spellings)) == len(spellings)


def test_no_spelling_belongs_to_two_names():
    owner: dict[str, str] = {}
    for canonical, spellings in VARIANTS.items():
        for spelling in (canonical, *spellings):
            key = spelling.casefold()
            assert owner.setdefault(key, canonical) == canonical, (spelling, owner[key], canonical)


def test_variants_are_plain_latin():
    for _, en, _ in MALE_GIVEN + FEMALE_GIVEN + FAMILY:
        for spelling in latin_variants(en):
            assert LATIN.fullmatch(spelling), spelling


def test_unknown_name_has_no_variants():
    assert latin_variants("Xyzzy") == []
