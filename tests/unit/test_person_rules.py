"""The person and household checks of `domain/registry.py`. No database.

Every input names its relationship: which relationship a missing one defaults to is being settled (issue 7)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from corridor.domain import registry
from corridor.domain.errors import BadInput
from corridor.domain.registry import PersonInput
from corridor.domain.tokens import make_token
from corridor.domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability
from tests.unit.refusing import refused

TODAY = date(2016, 12, 15)
TOKENS = [make_token("P", random.Random(n)) for n in range(4)]


def person(**changes) -> PersonInput:
    given = dict(name_ar="محمد الحلبي", name_latin="Mohammed al-Halabi", sex="male", birth_year=1980,
                 relationship="head")
    return PersonInput(**{**given, **changes})


def check(p: PersonInput, token: str = TOKENS[0]):
    return registry.check_person(p, token, TODAY, "persons[0]")


def test_a_person_is_read_into_a_record():
    record = check(person(name_latin="  Mohammed   al-Halabi ", mobility="stretcher", precedence="urgent",
                          vulnerabilities=["pregnancy", "disability", "pregnancy"],
                          links=[TOKENS[1].lower(), TOKENS[1]]))
    assert (record.token, record.name_latin, record.sex, record.relationship) == (
        TOKENS[0], "Mohammed al-Halabi", Sex.MALE, Relationship.HEAD)
    assert (record.mobility, record.precedence) == (Mobility.STRETCHER, Precedence.URGENT)
    assert record.vulnerabilities == (Vulnerability.DISABILITY, Vulnerability.PREGNANCY)
    assert record.links == (TOKENS[1],)


def test_one_name_in_either_script_is_enough():
    assert check(person(name_latin="")).name_ar == "محمد الحلبي"
    assert check(person(name_ar="")).name_latin == "Mohammed al-Halabi"
    refused(BadInput, "persons[0].name_ar", check, person(name_ar="", name_latin=" "))


def test_each_name_is_in_its_own_script():
    refused(BadInput, "persons[0].name_ar", check, person(name_ar="Mohammed"))
    refused(BadInput, "persons[0].name_latin", check, person(name_latin="محمد"))


def test_a_birth_date_gives_the_year_and_must_agree_with_it():
    assert check(person(birth_year=None, birth_date="1980-03-01")).birth_year == 1980
    assert check(person(birth_year=None, birth_date=date(1980, 3, 1))).birth_date == date(1980, 3, 1)
    refused(BadInput, "persons[0].birth_date", check, person(birth_date="01/03/1980"))
    refused(BadInput, "persons[0].birth_date", check, person(birth_year=1981, birth_date="1980-03-01"))
    refused(BadInput, "persons[0].birth_date", check, person(birth_year=None, birth_date="2016-12-16"))


@pytest.mark.parametrize("year", [TODAY.year + 1, TODAY.year - 121, 3000])
def test_a_birth_year_lies_within_a_lifetime_before_today(year):
    refused(BadInput, "persons[0].birth_year", check, person(birth_year=year))


@pytest.mark.parametrize("year", [True, "1980", 1980.0])
def test_a_birth_year_is_a_whole_number(year):
    refused(BadInput, "persons[0].birth_year", check, person(birth_year=year))


def test_an_unknown_birth_year_is_allowed():
    assert check(person(birth_year=None)).birth_year is None


@pytest.mark.parametrize("field, value", [("sex", "m"), ("relationship", "cousin"), ("mobility", "wheelchair"),
                                          ("precedence", "asap"), ("vulnerabilities", ["orphan"])])
def test_values_outside_the_vocabulary_are_refused_by_field(field, value):
    refused(BadInput, f"persons[0].{field}", check, person(**{field: value}))


def test_links_are_other_persons_tokens():
    refused(BadInput, "persons[0].links", check, person(links=TOKENS[1]))
    refused(BadInput, "persons[0].links", check, person(links=[make_token("H", random.Random(1))]))
    refused(BadInput, "persons[0].links", check, person(links=[TOKENS[0]]))  # themselves
    refused(BadInput, "persons[0].links", check, person(links=["P1234"]))


def household(*persons: PersonInput, destination="RC-1"):
    pairs = [(make_token("P", random.Random(n)), p) for n, p in enumerate(persons)]  # TOKENS first
    return registry.register_household("H0000000", "GP-A", destination, pairs, TODAY)


def test_a_household_is_registered_with_its_members_in_order():
    event = household(person(), person(name_ar="فاطمة الحلبي", name_latin="Fatima", sex="female",
                                       relationship="spouse"))
    assert (event.gathering_point, event.destination) == ("GP-A", "RC-1")
    assert [p.token for p in event.persons] == TOKENS[:2]
    assert household(person(), destination="").destination is None


def test_a_household_has_one_to_two_hundred_persons_and_at_most_one_head():
    refused(BadInput, "persons", household)
    refused(BadInput, "persons", household, *[person(relationship="child")] * (registry.MAX_HOUSEHOLD + 1))
    refused(BadInput, "persons", household, person(), person(relationship="head"))
    assert len(household(*[person(relationship="child")] * 3).persons) == 3


def test_a_bad_member_is_named_by_its_place_in_the_household():
    refused(BadInput, "persons[1].sex", household, person(), person(relationship="child", sex="x"))
