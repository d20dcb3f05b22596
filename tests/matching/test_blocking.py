"""Blocking of the person matcher: which registrations are compared at all."""

from corridor.matching import BlockStats, PersonMatcher, PersonRecord, candidate_pairs


def R(token, ar="", latin="", sex="male", year=1980, household="") -> PersonRecord:
    return PersonRecord(token, ar, latin, sex, year, "GP-AMI", household or f"H-{token}")


def compared(records: list[PersonRecord], stats: BlockStats | None = None) -> set[tuple[str, str]]:
    matcher = PersonMatcher()
    matcher.prepare(records)
    pairs = candidate_pairs(matcher, len(records), stats)
    return {tuple(sorted((records[i].token, records[j].token))) for i, j in pairs}


def shared_keys(a: PersonRecord, b: PersonRecord) -> set:
    matcher = PersonMatcher()
    matcher.prepare([a, b])
    return set(matcher.keys(0)) & set(matcher.keys(1))


def test_a_slip_in_the_family_name_beside_a_dropped_father_is_compared():
    # one script only, the father left out and one letter of the family name lost: no other key is shared
    a = R("a", "ميساء الحمان", sex="female", year=2014)
    b = R("b", "ميساء محمد الحمدان", "Maysa' Muhammad al-Hamdan", sex="female", year=2014)
    assert {k[0] for k in shared_keys(a, b)} == {"slip"}
    assert ("a", "b") in compared([a, b])


def test_a_slip_in_the_given_name_beside_a_dropped_father_is_compared():
    a = R("a", "تسنبم البكور", "Taanim El Bakkour", sex="female", year=1992)
    b = R("b", "تسنيم عبد الكريم البكور", "Tasnim Abd al-Karim al-Bakkur", sex="female", year=1992)
    assert {k[0] for k in shared_keys(a, b)} == {"slip"}
    assert ("a", "b") in compared([a, b])


def test_short_names_one_letter_apart_are_not_brought_together():
    # skeletons of three letters or fewer make no variants: theirs would meet half the registry
    a = R("a", "محمد حسن", year=1990)
    b = R("b", "محمد حسب", year=1990)
    assert not shared_keys(a, b)


def test_an_oversized_block_compares_a_family_name_written_first():
    # many Mohammads of the Hani family born in 2002 fill the block of (Mohammad, Hani, 2002); the
    # family name written first with the grandfather dropped leaves the given and family name group,
    # and the sorted neighbourhood puts the other fathers between the two registrations
    fathers = ["داود", "فارس", "جميل", "خالد", "حسين", "كمال", "جابر", "فيصل", "حمدي", "جلال", "دياب", "فهد"]
    crowd = [R(f"c{k:02d}", f"محمد {father} الهاني", year=2002) for k, father in enumerate(fathers)]
    a = R("a", "محمد مازن إبراهيم الهاني", "Mohammad Mazen Ibraheem Al-Hani", year=2002)
    b = R("b", "الهاني محمد مازن", "al-Hani Muhammad Mazin", year=2002)
    # both have a year, so the blocks without one ("ny") do not pair them: only (given, family, year) is left
    shared = {k for k in shared_keys(a, b) if k[0] != "ny"}
    assert shared and all(isinstance(k[-1], int) and len(k) == 3 for k in shared)
    stats = BlockStats()
    assert ("a", "b") in compared(crowd + [a, b], stats)
    assert stats.capped >= 1


def test_a_household_is_compared_pair_by_pair_where_sex_and_years_allow():
    family = [R(f"h{k}", name, sex=sex, year=year, household="H1") for k, (name, sex, year) in enumerate([
        ("أحمد محمود الزعبي", "male", 1960), ("فاطمة علي الحسن", "female", 1965),
        ("محمود أحمد الزعبي", "male", 1985), ("علي أحمد الزعبي", "male", 1986), ("عمر أحمد الزعبي", "male", 1987),
        ("سارة أحمد الزعبي", "female", 1988), ("هدى أحمد الزعبي", "female", 1990),
        ("خالد أحمد الزعبي", "male", 1992)])]
    # the same man entered twice, his given name mistyped past any slip: only the household joins them
    family.append(R("h8", "ععمر أحمد الزعبي", sex="male", year=1987, household="H1"))
    found = compared(family)
    assert ("h4", "h8") in found
    assert ("h0", "h1") not in found and ("h0", "h2") not in found    # sexes apart, a generation apart


def test_blocking_stays_about_linear_on_one_common_name():
    # a thousand registrations of one common name chain and year, a hundred of them in one household
    crowd = [R(f"m{k:04d}", "محمد أحمد الحسن", "Mohammad Ahmad Al-Hasan", year=1990,
               household="H0" if k < 100 else f"H{k}") for k in range(1000)]
    stats = BlockStats()
    found = compared(crowd, stats)
    assert stats.largest >= 1000 and stats.capped >= 1
    # all against all would be 499,500 pairs: the groups beyond the cap are left to sorted neighbourhoods
    assert len(found) <= 1000 * 20
