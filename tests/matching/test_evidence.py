"""A candidate's evidence in readable lines (not a Python dict)."""

from dataclasses import replace

from corridor.matching import PersonRecord, explain, find_duplicates
from corridor.matching.evaluate import febrl_matcher

PAIR = [
    PersonRecord("P00000001", "محمد احمد الحلبي", "Mohammed Ahmad al-Halabi", "male", 1980, "GP-A", "H00000001"),
    PersonRecord("P00000002", "محمد احمد الحلبى", "Muhammad Ahmed Halabi", "male", 1981, "GP-B", "H00000002"),
]


def test_a_pair_is_explained_in_short_lines():
    (candidate,) = find_duplicates(PAIR, 0.0)
    lines = explain(candidate.evidence)
    assert lines[0].startswith("Names in Arabic (and Latin) letters compared as written: "
                               "محمد (mohammed) احمد (ahmad) حلبي (halabi) / محمد (muhammad) احمد (ahmed) حلبي (halabi) (+")
    assert "  given name agrees 1.00 (محمد (mohammed) / محمد (muhammad))" in lines
    assert any(line.startswith("birth year 1980 vs 1981: one year apart (+") for line in lines)
    assert any(line.startswith("sex male in both") for line in lines)
    assert any(line.startswith("gathering point GP-A vs GP-B (-") for line in lines)
    assert ("different households; a and b live with no relative by name, as a man registered a second time does "
            "(weighed in the calibration)") in lines
    assert lines[-2].startswith("overall log2 odds +")
    assert lines[-1].startswith("calibrated log2 odds +") and "one person with probability 1.00" in lines[-1]
    assert not any("{" in line or "'level'" in line for line in lines)


def test_missing_and_differing_values_are_said_plainly():
    evidence = {
        "names": {"script": "latin", "alignment": "given and father swapped", "weight": -3.0, "parts": [
            {"part": "given", "a": "ahmad", "b": "ahmad", "similarity": 1.0, "level": "agree", "weight": 4.0},
            {"part": "grandfather", "a": "ali", "b": None, "similarity": None, "level": "missing", "weight": -1.0},
            {"part": "family", "a": "halabi", "b": "hamwi", "similarity": 0.5, "level": "disagree", "weight": -12},
            {"part": "father dropped", "a": None, "b": None, "similarity": None, "level": "assumed",
             "weight": -4.5}]},
        "birth_year": {"a": 1980, "b": None, "level": "missing", "weight": 0.0},
        "sex": {"a": "female", "b": "male", "level": "different", "weight": -14.0},
        "household": {"same": True, "scored": False},
    }
    assert explain(evidence) == [
        "Latin names compared given and father swapped: ahmad ali halabi / ahmad hamwi (-3.00)",
        "  given name agrees 1.00 (ahmad / ahmad)",
        "  grandfather's name written in one registration only (ali / —)",
        "  family name differs 0.50 (halabi / hamwi)",
        "  a father's name taken as left out in one registration (-4.50)",
        "birth year not known for both (1980 / —) (+0.00)",
        "sex female vs male (-14.00)",
        "same household (not weighed)",
    ]


def test_flat_field_evidence_reads_field_by_field():
    a = {"id": "rec-1-org", "source": "A", "given_name": "james", "surname": "smith", "postcode": "2000"}
    b = {"id": "rec-1-dup-0", "source": "B", "given_name": "james", "surname": "smyth", "postcode": "2000"}
    (candidate,) = find_duplicates([a, b], 0.0, matcher=replace(febrl_matcher(), prior_log2=0.0))
    lines = explain(candidate.evidence)
    assert "given name james in both (+6.00)" in lines
    assert "surname smyth vs smith: level 1 (+4.00)" in lines  # side a is the lower id


def test_an_arabic_typo_is_outvoted_by_the_latin_witness():
    typo = [replace(PAIR[0], token="P00000003", name_ar="محمد احمد الحلبي"),
            replace(PAIR[0], token="P00000004", name_ar="محمد احكد الحلبي", birth_year=1980)]
    (candidate,) = find_duplicates(typo, 0.0)
    father = next(p for p in candidate.evidence["names"]["parts"] if p["part"] == "father")
    assert father["level"] == "agree" and candidate.evidence["names"]["script"] == "both"


def test_a_long_vowel_in_one_arabic_spelling_is_not_outvoted():
    """Omar and Ammar look alike in Latin letters; عمر and عمار are two names."""
    pair = [PersonRecord("A1", "عمر أحمد خليل الحلبي", "Omar Ahmad Khalil al-Halabi", "male", 1996),
            PersonRecord("A2", "عمار أحمد خليل الحلبي", "Ammar Ahmad Khalil al-Halabi", "male", 1996)]
    (candidate,) = find_duplicates(pair, 0.0)
    given = candidate.evidence["names"]["parts"][0]
    assert given["part"] == "given" and given["level"] != "agree"
