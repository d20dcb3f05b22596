"""The blind index's word-by-word terms equal the matcher's keys of the whole name, on every name."""

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.matching.keys import name_keys
from corridor.matching.terms import coarse_terms
from corridor.scenarios import arabic_registry, syrian_registry


def slow(name: str) -> frozenset[str]:
    return frozenset(k.coarse for k in name_keys(name) if k.coarse)


def test_on_the_names_of_both_generators():
    records = arabic_registry.generate(3000, seed=7).records + syrian_registry.generate(3000, seed=7).records
    names = [n for r in records for n in (r.name_ar, r.name_latin) if n]
    assert len(names) > 8000
    assert [coarse_terms(n) for n in names] == [slow(n) for n in names]


TRICKY = ["al", "Al", "el-", "-", " - ", "Abd", "abdul", "Abu", "ad-Din", "din", "Allah", "Alhalabi", "ash-Shami",
          "Nour", "Mohammed", "O'Brien", "Ma'moun", "ﹿ", "﹣", "é", "ß", ".", ",", "عبد", "ال", "الدين", "الله", "ابو",
          "عبدالرحمن", "الحلبي", "محمد", "ة", "\u064e", "ﷺ", "ﷲ", "x", "abdelkader", "Abd-al-Rahman", "al-Abd", "بو"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(TRICKY) | st.text(min_size=1, max_size=4), min_size=1, max_size=5),
       st.sampled_from([" ", "  ", " \u00a0", "\t"]))
def test_on_any_name(words, space):
    name = space.join(words)
    assert coarse_terms(name) == slow(name)
