"""Issue 14's comparisons: two scripts are two witnesses, a keyboard slip in a part written in one
script only, and pairs written alike reported as possible namesakes."""

import pytest

from corridor.matching import PersonRecord, explain, find_duplicates
from corridor.matching.names import PartTable
from corridor.matching.keys import keyboard_slip
from corridor.matching.normalise import arabic_parts, latin_parts
from corridor.scenarios.arabic_registry import generate


@pytest.fixture(scope="module")
def crowd() -> list[PersonRecord]:
    """A realistic crowd without its duplicates: frequencies and a prior as in a registry."""
    reg = generate(3000, seed=11)
    second = {b for _, b in reg.true_pairs}
    return [r for r in reg.records if r.token not in second]


def found(crowd, a: PersonRecord, b: PersonRecord):
    return {c.pair: c for c in find_duplicates(crowd + [a, b])}.get((a.token, b.token))


def part(candidate, role):
    return next(p for p in candidate.evidence["names"]["parts"] if p["part"] == role)


@pytest.mark.parametrize("misheard", ["حشام خالد الحلبي",      # ه heard as ح
                                      "هشام حالد الحلبي",      # خ heard as ح
                                      "هشام خالد الهلبي",      # ح heard as ه
                                      "هشام خالد الحلببي"])    # a letter typed twice
def test_an_arabic_misheard_letter_with_agreeing_latin_is_found(crowd, misheard):
    a = PersonRecord("Z1", "هشام خالد الحلبي", "Hisham Khalid al-Halabi", "male", 1984, "GP-AMI", "HZ1")
    b = PersonRecord("Z2", misheard, "Hisham Khaled Al-Halabi", "male", 1984, "GP-BAB", "HZ2")
    candidate = found(crowd, a, b)
    assert candidate is not None and candidate.score >= 0.5
    assert candidate.evidence["names"]["script"] == "both"
    assert all(part(candidate, role)["level"] == "agree" for role in ("given", "father", "family"))


def test_misheard_letters_in_both_scripts_are_close_not_lost(crowd):
    a = PersonRecord("Z1", "صالح قاسم الزعبي", "Salih Qasim al-Zoubi", "male", 1975, "GP-AMI", "HZ1")
    b = PersonRecord("Z2", "سالح كاسم الزعبي", "Salih Kasim al-Zoubi", "male", 1975, "GP-BAB", "HZ2")
    candidate = found(crowd, a, b)
    assert candidate is not None and candidate.score >= 0.5


def test_a_keyboard_slip_in_one_script_only_is_close(crowd):
    """أحند for أحمد (م and ن are neighbouring keys); the other registration writes both scripts."""
    a = PersonRecord("Z1", "أحند مجد الهاني", "", "male", 2008, "GP-AMI", "HZ1")
    b = PersonRecord("Z2", "أحمد مجد الهاني", "Ahmad Majd Al-Hani", "male", 2008, "GP-BAB", "HZ2")
    candidate = found(crowd, a, b)
    assert candidate is not None and candidate.score >= 0.5
    assert part(candidate, "given")["level"] == "close"


@pytest.mark.parametrize("a, b, slip", [
    ("أحمد", "أحند", True), ("Faysal", "Faysak", True), ("Mustafa", "Mutsafa", True),
    ("Sana", "Dana", True),                      # one key apart in Latin: a slip, where Latin is all there is
    ("أحمد", "أحمد", False), ("Omar", "Amar", False), ("Jamal", "Kamil", False), ("عمر", "عمار", False),
    ("Huda", "Hua", True), ("تسنيم", "تسنم", False), ("Samir", "Sami", False), ("Nour", "Nur", False),
    ("Ali", "Alu", False),                      # too short
])
def test_keyboard_slips(a, b, slip):
    table = PartTable()
    arabic = "\u0600" <= a[0] <= "\u06ff"
    parse = arabic_parts if arabic else latin_parts
    ka, kb = (table.keys[table.intern(arabic, parse(x)[0])] for x in (a, b))
    assert keyboard_slip(ka, kb) is slip


def test_two_witnesses_do_not_make_a_latin_slip_a_match():
    """Dana and Sana are one key apart in Latin; written in both scripts the Arabic tells them apart."""
    table = PartTable()
    dana = table.both(table.intern(True, "دانا"), table.intern(False, "dana"))
    sana = table.both(table.intern(True, "سناء"), table.intern(False, "sana"))
    assert table.sim(dana, sana) < 0.65


def test_a_long_vowel_dropped_in_arabic_with_the_same_latin_is_close():
    """هيثم / هثم with Haytham / Haitham: a slip or another name; close, not lost."""
    table = PartTable()
    a = table.both(table.intern(True, "هيثم"), table.intern(False, "haytham"))
    b = table.both(table.intern(True, "هثم"), table.intern(False, "haitham"))
    assert 0.8 <= table.sim(a, b) < 0.92


def test_namesakes_are_reported_as_such(crowd):
    """Two registrations written alike (all parts agreeing, the same year): the evidence says that
    they may be two people of one name, and what to ask."""
    # the name is common in this crowd: fifteen more of it, born in other years
    others = [PersonRecord(f"Y{k}", "محمد أحمد الحلبي", "Mohamad Ahmad Halabi", "male", year, "GP-AMI", f"HY{k}")
              for k, year in enumerate([*range(1970, 1980), *range(1993, 1998)])]
    a = PersonRecord("Z1", "محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi", "male", 1990, "GP-AMI", "HZ1")
    b = PersonRecord("Z2", "محمد أحمد الحلبي", "Muhammad Ahmed Halabi", "male", 1990, "GP-BAB", "HZ2")
    candidate = found(crowd + others, a, b)
    assert candidate is not None
    namesakes = candidate.evidence["namesakes"]
    assert namesakes["possible"] is True and namesakes["expected"] > 0
    line = next(line for line in explain(candidate.evidence) if line.startswith("namesakes possible"))
    assert "mother's name" in line and "households" in line


def test_pairs_not_written_alike_are_not_called_namesakes(crowd):
    a = PersonRecord("Z1", "محمد أحمد الحلبي", "Mohammed Ahmad al-Halabi", "male", 1990, "GP-AMI", "HZ1")
    b = PersonRecord("Z2", "محمد أحمد الحلبي", "Muhammad Ahmed Halabi", "male", 1991, "GP-BAB", "HZ2")
    candidate = found(crowd, a, b)
    assert candidate is not None and candidate.evidence["namesakes"] == {"possible": False}
    rare = PersonRecord("Z3", "غياث زهير القباني", "Ghiath Zuhair al-Qabbani", "male", 1990, "GP-AMI", "HZ3")
    again = PersonRecord("Z4", "غياث زهير القباني", "Ghiath Zouhair Kabbani", "male", 1990, "GP-BAB", "HZ4")
    candidate = found(crowd, rare, again)                  # a rare name: written alike, no namesake expected
    assert candidate.evidence["namesakes"]["possible"] is False and candidate.score > 0.99
    assert not any(line.startswith("namesakes") for line in explain(candidate.evidence))
