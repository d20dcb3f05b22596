import random
from dataclasses import replace

import pytest

from corridor.matching import (
    HIGH,
    BlockStats,
    Candidate,
    Field,
    FieldMatcher,
    PersonMatcher,
    PersonRecord,
    candidate_pairs,
    find_duplicates,
)
from corridor.matching.fields import exact, jaro_winkler
from corridor.scenarios.arabic_registry import generate


@pytest.fixture(scope="module")
def background() -> list[PersonRecord]:
    """A realistic crowd (without its duplicates) for the frequencies and the prior."""
    reg = generate(3000, seed=11)
    dup_tokens = {b for _, b in reg.true_pairs}
    return [r for r in reg.records if r.token not in dup_tokens]


def R(token, ar="", latin="", sex="male", year=1980, point="GP-AMI", household="H1") -> PersonRecord:
    return PersonRecord(token, ar, latin, sex, year, point, household)


def pairs(cands: list[Candidate]) -> dict[tuple[str, str], Candidate]:
    return {c.pair: c for c in cands}


def test_siblings_are_not_flagged(background):
    family = [
        R("s1", "محمد أحمد خليل الحلبي", "Mohammed Ahmad Khalil al-Halabi", year=1990),
        R("s2", "محمود أحمد خليل الحلبي", "Mahmoud Ahmad Khalil al-Halabi", year=1991),
        R("s3", "حسن أحمد خليل الحلبي", "Hassan Ahmad Khalil al-Halabi", year=1992),
        R("s4", "حسين أحمد خليل الحلبي", "Hussein Ahmad Khalil al-Halabi", year=1992),   # twins
        R("s5", "لمى أحمد خليل الحلبي", "Lama Ahmad Khalil al-Halabi", sex="female", year=1994),
        R("s6", "سلمى أحمد خليل الحلبي", "Salma Ahmad Khalil al-Halabi", sex="female", year=1995),
        R("s7", "عمر أحمد خليل الحلبي", "Omar Ahmad Khalil al-Halabi", year=1996),
        R("s8", "عمار أحمد خليل الحلبي", "Ammar Ahmad Khalil al-Halabi", year=1997),
    ]
    found = [c for c in find_duplicates(background + family, 0.05) if c.token_a.startswith("s")]
    assert found == []


def test_cousins_named_after_their_grandfather_are_not_flagged(background):
    cousins = [
        R("c1", "أحمد محمد أحمد النجار", "Ahmad Mohammed Ahmad al-Najjar", year=2001, household="H1"),
        R("c2", "أحمد خالد أحمد النجار", "Ahmad Khaled Ahmad al-Najjar", year=2001, household="H2"),
        R("c3", "أحمد يوسف أحمد النجار", "Ahmad Yousef Ahmad al-Najjar", year=2002, household="H3"),
    ]
    found = pairs(find_duplicates(background + cousins))
    assert not any(a.startswith("c") for a, _ in found)


def test_same_household_same_given_name_is_not_a_duplicate_by_itself(background):
    household = [
        R("h1", "محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi", year=1950),    # grandfather
        R("h2", "محمد علي محمد الحلبي", "Mohammed Ali Mohammed al-Halabi", year=2005),   # grandson
    ]
    assert not [c for c in find_duplicates(background + household) if c.token_a.startswith("h")]


def test_cross_script_duplicate_is_flagged(background):
    pair = [
        R("x1", ar="عبد الرحمن محمد ياسين الكيالي", year=1984, point="GP-AMI", household="H1"),
        R("x2", latin="Abdelrahman Mohamad Yaseen el-Kayali", year=1984, point="GP-SAL", household="H2"),
    ]
    found = pairs(find_duplicates(background + pair))
    c = found[("x1", "x2")]
    assert c.high and c.score >= HIGH
    assert c.evidence["names"]["script"] == "arabic-latin"
    assert {p["part"]: p["level"] for p in c.evidence["names"]["parts"]}["given"] == "agree"
    assert c.evidence["gathering_point"]["level"] == "different"


def test_transliteration_and_hamza_variants_are_flagged(background):
    pair = [
        R("v1", "أسامة إبراهيم فاطمة", "Osama Ibrahim Fatima", year=1975),       # odd but consistent
        R("v2", "اسامه ابراهيم فاطمه", "Usama Ebrahim Fatma", year=1976, household="H9", point="GP-SUK"),
    ]
    assert ("v1", "v2") in pairs(find_duplicates(background + pair))


@pytest.mark.parametrize("second", [
    ("الكيالي ياسين مصطفى", "al-Kayyali Yassin Mustafa"),          # family name first
    ("مصطفى ياسين الكيالي", "Mustafa Yassin al-Kayyali"),          # given and father swapped
])
def test_swapped_parts_are_found(background, second):
    pair = [
        R("w1", "ياسين مصطفى الكيالي", "Yassin Mustafa al-Kayyali", year=1979),
        R("w2", second[0], second[1], year=1979, household="H7"),
    ]
    c = pairs(find_duplicates(background + pair))[("w1", "w2")]
    assert c.evidence["names"]["alignment"] in ("family name first", "given and father swapped")


def test_family_name_first_is_read_beside_a_slip_in_the_given_name(background):
    # the given name typed with a letter twice: "close", not "agree"; the family name moved before it
    pair = [
        R("f1", "ياسين مصطفى الكيالي", year=1979),
        R("f2", "الكيالي ياسسين مصطفى", year=1979, household="H7"),
    ]
    c = pairs(find_duplicates(background + pair))[("f1", "f2")]
    assert c.evidence["names"]["alignment"] == "family name first"


def test_family_name_first_is_read_beside_a_slip_in_the_moved_name(background):
    # the family name moved before the given name and typed with a neighbouring key (ب for ي): only
    # weakly alike to the other's family name; as written every part would disagree (no chance at all).
    # No birth year on one side, so that a blocking key meets (the given and father's name without a year)
    pair = [
        R("k1", "ياسين مصطفى الكيالي", year=1979),
        R("k2", "الكبالي ياسين مصطفى", year=None, household="H7"),
    ]
    c = pairs(find_duplicates(background + pair, 0.01))[("k1", "k2")]
    assert c.evidence["names"]["alignment"] == "family name first"
    levels = {p["part"]: p["level"] for p in c.evidence["names"]["parts"]}
    assert levels["given"] == "agree" and levels["family"].startswith(("weak", "close"))  # a slip, not another name


def test_dropped_grandfather_is_found(background):
    pair = [
        R("d1", "غياث مازن عدنان الأتاسي", "Ghiath Mazen Adnan al-Atassi", year=1988),
        R("d2", "غياث مازن الأتاسي", "Ghiyath Mazen al-Atasi", year=1988, household="H5", point="GP-SAL"),
    ]
    c = pairs(find_duplicates(background + pair))[("d1", "d2")]
    levels = {p["part"]: p["level"] for p in c.evidence["names"]["parts"]}
    assert levels["grandfather"] == "missing"


def test_sex_and_birth_year_rule_out(background):
    base = R("y1", "غياث مازن الأتاسي", "Ghiath Mazen al-Atassi", year=1988)
    others = [replace(base, token="y2", sex="female"), replace(base, token="y3", birth_year=1992),
              replace(base, token="y4", sex="unknown", household="H4")]
    found = pairs(find_duplicates(background + [base, *others], 0.01))
    assert ("y1", "y2") not in found and ("y1", "y3") not in found
    assert found[("y1", "y4")].score > 0.5          # unknown sex is neutral


def test_candidate_shape_and_order(background):
    cands = find_duplicates(background[:1500], 0.01)
    assert cands
    for c in cands:
        assert c.token_a < c.token_b
        assert 0.0 <= c.score <= 1.0
        assert c.high == (c.score >= HIGH)
        assert {"names", "birth_year", "sex", "gathering_point", "household", "log2_odds"} <= set(c.evidence)
        assert c.evidence["household"]["scored"] is False
    keys = [(-c.score, c.token_a, c.token_b) for c in cands]
    assert keys == sorted(keys)


def test_deterministic_whatever_the_input_order():
    reg = generate(1500, seed=5)
    first = find_duplicates(reg.records)
    shuffled = list(reg.records)
    random.Random(1).shuffle(shuffled)
    second = find_duplicates(shuffled)
    assert [(c.pair, c.score, c.high) for c in first] == [(c.pair, c.score, c.high) for c in second]
    assert [c.evidence for c in first] == [c.evidence for c in second]


def test_evidence_sides_follow_tokens(background):
    pair = [R("z2", "غياث مازن الأتاسي", "", year=1988), R("z1", "غياث مازن الأتاسي", "", year=1987,
                                                              point="GP-SUK")]
    c = pairs(find_duplicates(background + pair))[("z1", "z2")]
    assert c.evidence["birth_year"]["a"] == 1987 and c.evidence["gathering_point"]["a"] == "GP-SUK"


def test_block_sizes_are_capped():
    crowd = [R(f"m{k:04d}", "محمد محمد الحلبي", "Mohammed Mohammed al-Halabi", year=1990, household=f"H{k}")
             for k in range(1000)]
    matcher = PersonMatcher(max_block=10, window=5)
    matcher.prepare(crowd)
    stats = BlockStats()
    found = candidate_pairs(matcher, len(crowd), stats)
    assert stats.largest == 1000 and stats.capped >= 1
    # all-against-all would be 499,500 pairs; a sorted neighbourhood gives about n * window
    assert len(found) <= 1000 * 5
    assert len(set(found)) == len(found)


def test_tokens_must_be_unique():
    with pytest.raises(ValueError):
        find_duplicates([R("a", "محمد"), R("a", "أحمد")])


def test_field_matcher_links_two_files():
    rows = [
        {"id": "a1", "src": "A", "name": "jonathan smith", "dob": "19800101"},
        {"id": "a2", "src": "A", "name": "mary jones", "dob": "19751212"},
        {"id": "b1", "src": "B", "name": "jonathon smith", "dob": "19800101"},
        {"id": "b2", "src": "B", "name": "mary jones", "dob": "19751212"},
        {"id": "b3", "src": "B", "name": "mary jones", "dob": "19751212"},
    ]
    matcher = FieldMatcher(
        fields=[Field("name", jaro_winkler, ((0.9, 6.0),), -6.0), Field("dob", exact, ((1.0, 8.0),), -6.0)],
        blocking=[lambda r: [r["dob"]]], id_field="id", source="src", prior_log2=-4.0, link_one_to_one=True)
    found = find_duplicates(rows, matcher=matcher)
    assert [c.pair for c in found][:1] in ([("a1", "b1")], [("a2", "b2")], [("a2", "b3")])
    assert ("b2", "b3") not in {c.pair for c in found}         # same file: not compared
    assert len({c.token_a for c in found} | {c.token_b for c in found}) == 2 * len(found)   # one to one
