"""The independent Syrian registry: deterministic, its duplicates and hard negatives labelled."""

import random
from collections import Counter

import pytest

from corridor.scenarios import syrian_registry as sr
from corridor.scenarios.syrian_errors import ERROR_WEIGHTS, misheard, typo
from corridor.scenarios.syrian_names import FAMILY, FEMALE_GIVEN, MALE_GIVEN, romanise

KINDS = set(ERROR_WEIGHTS) | {"grandfather dropped", "other romanisation"}


@pytest.fixture(scope="module")
def registry():
    return sr.generate(3_000, seed=5)


def test_the_same_seed_gives_the_same_registry(registry):
    again = sr.generate(3_000, seed=5)
    assert again.records == registry.records
    assert again.true_pairs == registry.true_pairs
    assert again.duplicate_errors == registry.duplicate_errors
    assert again.hard_negatives == registry.hard_negatives


def test_another_seed_gives_another_registry(registry):
    assert sr.generate(3_000, seed=6).records != registry.records


def test_every_duplicate_is_labelled_with_its_errors(registry):
    assert len(registry.true_pairs) == round(registry.persons * sr.DUPLICATE_SHARE)
    assert set(registry.duplicate_errors) == registry.true_pairs
    kinds = Counter(k for v in registry.duplicate_errors.values() for k in v)
    assert set(kinds) <= KINDS
    for kind in ERROR_WEIGHTS:                     # every kind of error occurs
        assert kinds[kind] > 0, kind
    clean = sum(1 for v in registry.duplicate_errors.values() if not set(v) - {"other romanisation"})
    assert 0.05 < clean / len(registry.true_pairs) < 0.25


def test_labelled_errors_are_visible_in_the_records(registry):
    by_token = {r.token: r for r in registry.records}
    for pair, kinds in registry.duplicate_errors.items():
        a, b = by_token[pair[0]], by_token[pair[1]]
        if "birth year missing" in kinds:
            assert a.birth_year is None or b.birth_year is None
        if "birth year +-1" in kinds and a.birth_year and b.birth_year:
            assert abs(a.birth_year - b.birth_year) == 1
        if "one script" in kinds:
            assert not (a.name_ar and a.name_latin and b.name_ar and b.name_latin)
        if not kinds:
            assert (a.name_ar, a.name_latin, a.birth_year) == (b.name_ar, b.name_latin, b.birth_year)


def test_hard_negatives_of_every_kind_are_labelled(registry):
    kinds = Counter(registry.hard_negatives.values())
    for kind in ("siblings", "twins", "cousins", "father/son"):
        assert kinds[kind] > 0, kind
    assert not set(registry.hard_negatives) & registry.true_pairs


def test_namesakes_appear_as_the_registry_grows():
    reg = sr.generate(20_000, seed=5)
    assert Counter(reg.hard_negatives.values())["namesakes"] > 0


@pytest.mark.parametrize("base, en, fr, sc", [
    ("muHammad", "Mohammad", "Mouhammad", "Muhammad"),
    ("khaalid", "Khaled", "Khalid", "Khalid"),
    ("Husayn", "Hosein", "Houssain", "Husayn"),
    ("`abd al-raHmaan", "Abdul Rahman", "Abdel Rahmane", "Abd al-Rahman"),
    ("al-shaamii", "Al-Shami", "El Chami", "al-Shami"),
])
def test_each_desk_romanises_by_its_own_convention(base, en, fr, sc):
    assert [romanise(base, s) for s in ("en", "fr", "sc")] == [en, fr, sc]


def test_name_lists_are_written_in_both_forms():
    for ar, base, weight in MALE_GIVEN + FEMALE_GIVEN + FAMILY:
        assert ar and base and weight > 0


def test_typos_and_misheard_letters_change_one_letter():
    rng = random.Random(1)
    assert misheard(rng, "حسن", True) in ("هسن", "حصن")
    assert misheard(rng, "Khalid", False) in ("Halid", "Khalit")
    assert misheard(rng, "Dhiyab", False) in ("Ziyab", "Dhiyap")
    for _ in range(50):
        word = typo(rng, "Mahmoud", False)
        assert word != "Mahmoud" and abs(len(word) - 7) <= 1
