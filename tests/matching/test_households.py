"""Issue 14, third round: what the household says, read from the names of the people registered with a
person -- two namesakes each living with their own family are two people; a person registered a second
time alone (or with another group) is not held apart by it."""

import pytest

from corridor.matching import PersonMatcher, PersonRecord, explain, find_duplicates
from corridor.matching.households import Households
from corridor.scenarios.arabic_registry import generate


@pytest.fixture(scope="module")
def crowd() -> list[PersonRecord]:
    """A realistic crowd without its duplicates: frequencies and a prior as in a registry."""
    reg = generate(3000, seed=11)
    second = {b for _, b in reg.true_pairs}
    return [r for r in reg.records if r.token not in second]


def person(token, ar, year=1990, household="HZ1", sex="male", point="GP-AMI"):
    return PersonRecord(token, ar, "", sex, year, point, household)


def family(prefix, head, wife, children, household, head_year=1960):
    """A head of household, his wife and children "given head's-given head's-father family"."""
    given, father, fam = head.split()
    out = [person(f"{prefix}0", head, head_year, household), person(f"{prefix}1", wife, head_year + 5, household,
                                                                    "female")]
    for k, (child, year) in enumerate(children, start=2):
        out.append(person(f"{prefix}{k}", f"{child} {given} {father} {fam}", year, household))
    return out


def compared(records, a, b):
    return {c.pair: c for c in find_duplicates(records, 0.0)}[(a, b)]


def relatives(records):
    matcher = PersonMatcher()
    matcher.prepare(records)
    return dict(zip((r.token for r in records), matcher.households.relatives))


def test_a_family_shows_who_lives_with_relatives():
    records = family("A", "خالد محمود الحلبي", "سعاد أحمد النجار", [("محمد", 1988), ("عمر", 1990)], "HA")
    records.append(person("A9", "ياسر حسن الحمصي", 1991, "HA"))           # a lodger of another family
    records.append(person("B0", "رامي سعيد الحلبي", 1975, ""))              # no household written
    found = relatives(records)
    assert found["A0"] is True                # his children's father's name is his given name
    assert found["A2"] is True and found["A3"] is True      # brothers (and the father)
    assert found["A1"] is False               # a wife's name says nothing of her husband's family
    assert found["A9"] is False
    assert found["B0"] is None


def test_relatives_by_name_need_birth_years_that_allow_it():
    """A "son" older than his father is another man of the same name, not a relative."""
    records = [person("C0", "محمد خالد الحلبي", 1990, "HC"), person("C1", "سعيد محمد خالد الحلبي", 1970, "HC")]
    assert relatives(records) == {"C0": False, "C1": False}
    records[1] = person("C1", "سعيد محمد خالد الحلبي", 2015, "HC")
    assert relatives(records) == {"C0": True, "C1": True}


def test_two_namesakes_each_with_their_family_are_two_families(crowd):
    """Omar son of Khaled al-Halabi, born 1990, in two households each with his father and brothers: two
    cousins of one name (or two families), not one person registered twice."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    two = family("Q", "خالد حسن الحلبي", "هدى علي السيد", [("علي", 1987), ("عمر", 1990)], "HQ", 1962)
    two[3] = person("Q3", "عمر خالد الحلبي", 1990, "HQ", point="GP-SAL")    # no grandfather written at this desk
    candidate = compared(crowd + one + two, "P2", "Q3")
    assert candidate.evidence["household"] == {"same": False, "scored": True, "weight": -4.0,
                                               "relatives": [True, True], "shared": 0}
    assert ("different households, each registration living with relatives by name: two families (-4.00)"
            in explain(candidate.evidence))
    assert candidate.score < 0.5


def test_a_person_registered_again_alone_is_not_held_apart(crowd):
    """The same Omar registered a second time at another point, alone: the names decide."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    again = person("Z1", "عمر خالد الحلبي", 1990, "HZ", point="GP-SAL")
    candidate = compared(crowd + one + [again], "P2", "Z1")
    assert candidate.evidence["household"] == {"same": False, "scored": False, "relatives": [True, False],
                                               "shared": 0}
    assert candidate.score >= 0.5


def test_a_family_registered_twice_is_not_two_families(crowd):
    """The whole family registered again at another point: the households hold the same people, so they
    are not taken for two families (shown, not weighed)."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    again = [PersonRecord("R" + r.token[1:], r.name_ar, "", r.sex, r.birth_year, "GP-SAL", "HR") for r in one]
    candidate = compared(crowd + one + again, "P2", "R2")
    household = candidate.evidence["household"]
    assert household["shared"] == 3 and household["scored"] is False
    assert ("different households holding 3 other members alike by name and birth year: perhaps one family "
            "registered twice (not weighed)") in explain(candidate.evidence)
    assert candidate.score >= 0.9


def test_shared_members_need_birth_years_within_one():
    households = Households(["H1", "H1", "H2", "H2"], [[("FTM", "MHMD", "HDD")], [("ML", "MHMD", "HDD")],
                                                       [("FTM", "MHMD", "HDD")], [("ML", "MHMD", "HDD")]],
                            [1974, 2000, 1996, 2000])
    assert households.shared(1, 3) == 0          # the two Fatimas are 22 years apart
    households.year[2] = 1975
    assert households.shared(1, 3) == 1


@pytest.mark.parametrize("sex, relatives, same, expected", [
    ("male", [True, False], False, 1.0),       # a man registered again away from his relatives
    ("male", [False, False], False, 1.0),
    ("male", [True, True], False, 0.0),        # two families (weighed as such)
    ("male", [None, False], False, 0.0),       # a household not written: it cannot say
    ("female", [True, False], False, 0.0),     # a wife has no relative by name: the household cannot say
    ("male", [], True, 0.0),                   # one household: weighed as such
])
def test_two_men_apart_one_without_relatives_is_a_calibration_feature(sex, relatives, same, expected):
    from corridor.matching.calibration import FEATURES, features

    evidence = {"names": {"weight": 10.0, "parts": [], "alignment": "as written"},
                "birth_year": {"level": "same", "weight": 5.0}, "gathering_point": {"weight": 0.0},
                "prior_log2_odds": -15.0, "sex": {"a": sex, "b": sex, "level": "same"},
                "household": {"same": same, "scored": False, **({"relatives": relatives} if not same else {})}}
    assert features(evidence)[FEATURES.index("man_apart")] == expected


def mothers(records):
    matcher = PersonMatcher()
    matcher.prepare(records)
    return dict(zip((r.token for r in records), matcher.households.mother))


def test_a_wife_living_with_her_husband_and_his_children_is_a_mother_with_a_family():
    records = family("A", "خالد محمود الحلبي", "سعاد أحمد النجار", [("محمد", 1988), ("عمر", 1990)], "HA")
    found = mothers(records)
    assert found == {"A0": False, "A1": True, "A2": False, "A3": False}
    # a daughter of his (her father's name is his given name) is no wife of his
    records.append(person("A4", "هدى خالد الحلبي", 1979, "HA", "female"))
    assert mothers(records)["A4"] is False and mothers(records)["A1"] is True


def test_a_second_woman_who_could_be_his_wife_leaves_neither_a_mother():
    """A woman registered again in another family's household sits beside its wife: neither counts."""
    records = family("A", "خالد محمود الحلبي", "سعاد أحمد النجار", [("محمد", 1988), ("عمر", 1990)], "HA")
    records.append(person("A9", "مريم يوسف العلي", 1963, "HA", "female"))
    assert mothers(records) == {"A0": False, "A1": False, "A2": False, "A3": False, "A9": False}
    records[-1] = person("A9", "مريم يوسف العلي", 1985, "HA", "female")   # too young to be their mother
    assert mothers(records)["A1"] is True and mothers(records)["A9"] is False


def test_a_widow_living_with_two_children_of_one_father_is_a_mother():
    """Their father is not registered with them: two of his children or more, born while she could bear
    them; a single man whose father is not registered beside an older woman says too little."""
    widow = [person("W0", "فاطمة علي الشامي", 1960, "HW", "female"),
             person("W1", "محمد خالد الحلبي", 1985, "HW"), person("W2", "هدى خالد الحلبي", 1988, "HW", "female")]
    assert mothers(widow) == {"W0": True, "W1": False, "W2": False}
    assert mothers(widow[:2])["W0"] is False
    assert mothers(widow + [person("W3", "سعاد أحمد النجار", 1962, "HW", "female")])["W0"] is False


@pytest.mark.parametrize("change, expected", [
    ({}, True),
    ({"A1": 1940}, False),         # she is twenty years older than him: not of an age to be his wife
    ({"A1": 1985}, False),         # the children were born before she was twelve
    ({"A2": 2016, "A3": 2017}, False),   # ... or when she was past fifty
    ({"A1": None}, True),          # a year unknown does not contradict
])
def test_a_mother_needs_birth_years_that_allow_it(change, expected):
    records = family("A", "خالد محمود الحلبي", "سعاد أحمد النجار", [("محمد", 1988), ("عمر", 1990)], "HA")
    records = [PersonRecord(r.token, r.name_ar, "", r.sex, change.get(r.token, r.birth_year), r.gathering_point,
                            r.household) if r.token in change else r for r in records]
    assert mothers(records)["A1"] is expected


def test_a_woman_with_a_man_but_no_children_of_his_or_of_unknown_sex_is_not_a_mother():
    couple = family("A", "خالد محمود الحلبي", "سعاد أحمد النجار", [], "HA")
    assert mothers(couple)["A1"] is False
    unknown = family("B", "خالد محمود الحلبي", "سعاد أحمد النجار", [("محمد", 1988)], "HB")
    unknown[1] = person("B1", "سعاد أحمد النجار", 1965, "HB", "unknown")
    assert mothers(unknown)["B1"] is False


def test_two_namesake_mothers_each_with_her_family_are_two_families(crowd):
    """Suad daughter of Ahmad al-Najjar, born 1965 and 1966, in two households each with her husband and
    children: two women of one name, not one woman registered twice -- though no one there is her relative
    by name."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    two = family("Q", "حسن علي السيد", "سعاد أحمد النجار", [("علي", 1987)], "HQ", 1960)
    two[1] = person("Q1", "سعاد أحمد النجار", 1966, "HQ", "female", "GP-SAL")
    candidate = compared(crowd + one + two, "P1", "Q1")
    assert candidate.evidence["household"] == {"same": False, "scored": True, "weight": -4.0,
                                               "relatives": [False, False], "mothers": [True, True], "shared": 0}
    assert ("different households, each registration a mother living with her children: two "
            "families (-4.00)") in explain(candidate.evidence)
    alone = compared(crowd + one + [two[1]], "P1", "Q1")           # the same Suad registered without a family
    assert candidate.evidence["calibrated_log2_odds"] < alone.evidence["calibrated_log2_odds"] - 8
    assert candidate.score < 0.5 <= alone.score


def test_a_mother_registered_again_with_another_family_is_not_held_apart(crowd):
    """The same Suad registered a second time at another point, into a household that has its own wife:
    she is a second woman there who could be its head's wife, so that household cannot speak for her."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    other = family("Q", "حسن علي السيد", "هدى سعيد الشامي", [("علي", 1987)], "HQ", 1960)
    again = person("Q9", "سعاد أحمد النجار", 1965, "HQ", "female", "GP-SAL")
    candidate = compared(crowd + one + other + [again], "P1", "Q9")
    assert candidate.evidence["household"] == {"same": False, "scored": False, "relatives": [False, False],
                                               "mothers": [True, False], "shared": 0}
    assert candidate.score >= 0.5


def test_a_mother_and_a_daughter_living_with_her_father_are_not_held_apart(crowd):
    """Suad, a mother with her husband and children, and registered again with her father's family: a
    married woman has two families, her father's (by name) and her own, so this is no sign of two women."""
    one = family("P", "خالد محمود الحلبي", "سعاد أحمد النجار", [("عمر", 1990), ("محمد", 1992)], "HP")
    two = family("Q", "أحمد يوسف النجار", "هدى سعيد الشامي", [], "HQ", 1940)
    two.append(person("Q2", "سعاد أحمد النجار", 1965, "HQ", "female", "GP-SAL"))
    candidate = compared(crowd + one + two, "P1", "Q2")
    assert candidate.evidence["household"] == {"same": False, "scored": False, "relatives": [False, True],
                                               "mothers": [True, False], "shared": 0}
    assert ("different households, a is a mother living with her children, b lives with relatives by name: a "
            "married woman has two families, her father's and her own (not weighed)") in explain(candidate.evidence)
    assert candidate.score >= 0.5


def test_relatives_by_name_tell_the_years_a_registration_without_one_was_born_in():
    """Omar, registered without a birth year with his father (born 1960) and his son (born 2015): born
    between 1972 and 2003 -- a generation after his father, a generation before his son."""
    records = [person("A0", "عمر خالد الحلبي", None, "HA"), person("A1", "خالد محمود الحلبي", 1960, "HA"),
               person("A2", "يوسف عمر خالد الحلبي", 2015, "HA"), person("B0", "عمر خالد الحلبي", 1980, "HB")]
    matcher = PersonMatcher()
    matcher.prepare(records)
    households = matcher.households
    assert sorted(households.related(0)) == [("children", 2), ("father", 1)]
    assert households.years_allowed(0) == (1972, 2003)
    assert households.years_allowed(3) is None                   # no household member is his relative
    assert households.years_told(0, 3) == (0, (1972, 2003), True)     # 1980 is within those years
    assert households.years_told(3, 0) == (0, (1972, 2003), True)


def test_a_son_named_after_his_grandfather_without_a_birth_year_is_not_placed_by_his_father():
    """Mahmoud son of Khalid al-Murad, registered without a birth year with his father Khalid son of Mahmoud
    (born 1971): by the names alone Khalid could be his son as well as his father, so his birth is not placed."""
    records = [person("A0", "محمود خالد مراد", None, "HA"), person("A1", "خالد محمود مراد", 1971, "HA"),
               person("B0", "محمود خالد مراد", 2000, "HB")]
    matcher = PersonMatcher()
    matcher.prepare(records)
    households = matcher.households
    assert households.related(0) == [("father or child", 1)]
    assert households.relatives[0] is True
    assert households.years_allowed(0) is None and households.years_told(0, 2) is None


@pytest.mark.parametrize("year, apart", [(1990, False), (1969, False), (1968, True), (1955, True)])
def test_a_year_missing_on_one_side_meets_the_years_its_household_allows(crowd, year, apart):
    """Omar without a birth year, living with his father Khaled (born 1958): born 1970 or after. A namesake
    registered born in 1955 cannot be him; one born in 1990 may be (a little evidence for), and a year off by
    one is forgiven (a duplicate's year may be written a year off)."""
    one = [person("P0", "عمر خالد الحلبي", None, "HP"), person("P1", "خالد محمود الحلبي", 1958, "HP")]
    other = person("Z1", "عمر خالد الحلبي", year, "HZ", point="GP-SAL")
    candidate = compared(crowd + one + [other], "P0", "Z1")
    told = candidate.evidence["birth_year"]
    assert told["level"] == "missing"
    assert told["household"] == {"side": "a", "allowed": [1970, 10_000], "fits": not apart}
    if apart:
        assert told["weight"] == -3.5
        assert ("birth year not known for a, %d for the other; a's relatives by name in its household (father, "
                "children, brothers and sisters) put its birth in 1970 or after, not in %d: two people (-3.50)"
                % (year, year) in explain(candidate.evidence))
    else:
        assert told["weight"] == 0.85
        assert any(line.endswith("put its birth in 1970 or after, and %d is within a year of that (+0.85)" % year)
                   for line in explain(candidate.evidence))
    alone = compared(crowd + [one[0], other], "P0", "Z1")        # the same without his father registered
    lower = alone.evidence["calibrated_log2_odds"] - candidate.evidence["calibrated_log2_odds"]
    assert lower > 3 if apart else lower < -0.5


def test_a_father_left_out_is_not_read_where_the_household_holds_the_father_by_the_name_given(crowd):
    """Omar son of Hasan al-Halabi, living with his father Hasan (born 1960), against Omar son of Ahmad son
    of Hasan: read with the father left out they agree, but Omar's father is registered with him by the
    name Omar gives -- Hasan is his father, not his grandfather: an uncle and his nephew of one name."""
    one = [person("P0", "عمر حسن الحلبي", 1990, "HP"), person("P1", "حسن محمود الحلبي", 1960, "HP")]
    other = person("Z1", "عمر أحمد حسن الحلبي", 1990, "HZ", point="GP-SAL")
    candidate = compared(crowd + one + [other], "P0", "Z1")
    row = candidate.evidence["names"]["parts"][-1]
    assert row == {"part": "father registered", "a": "a", "b": "حسن محمود الحلبي", "similarity": None,
                   "level": "contradicts", "weight": -6.0, "born": 1960}
    assert ("  but a's household holds a's father by the name a gives (حسن محمود الحلبي, born 1960): the middle "
            "name is the father's, not left out (-6.00)") in explain(candidate.evidence)
    alone = compared(crowd + [one[0], other], "P0", "Z1")        # Omar registered without his father
    assert all(p["part"] != "father registered" for p in alone.evidence["names"]["parts"])
    assert candidate.evidence["calibrated_log2_odds"] < alone.evidence["calibrated_log2_odds"] - 5
    assert candidate.score < alone.score


def test_a_father_left_out_stands_where_the_household_also_holds_the_father_the_other_names(crowd):
    """The same Omar living with his father Ahmad son of Hasan and his grandfather Hasan: the middle name
    was the grandfather's, and the father left out is registered too -- the reading stands."""
    one = [person("P0", "عمر حسن الحلبي", 1990, "HP"), person("P1", "حسن محمود الحلبي", 1940, "HP"),
           person("P2", "أحمد حسن الحلبي", 1962, "HP")]
    other = person("Z1", "عمر أحمد حسن الحلبي", 1990, "HZ", point="GP-SAL")
    candidate = compared(crowd + one + [other], "P0", "Z1")
    assert all(p["part"] != "father registered" for p in candidate.evidence["names"]["parts"])
