"""One vocabulary: every enumeration member has an English and an Arabic label, and the forms, the
cards and the dashboard take their words from it."""

import pytest

from corridor.domain import values
from corridor.domain.text import has_arabic
from corridor.domain.values import Mobility, PersonState, Precedence, TripState
from corridor.domain.vocabulary import ENUMS, choices, label, label_of, one_person_state, short_label
from corridor.formats import xlsform
from corridor.web.desk.words import DeskWords
from corridor.web.i18n import Words


def test_every_enumeration_of_values_is_in_the_vocabulary():
    from enum import Enum

    defined = {obj for obj in vars(values).values()
               if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == values.__name__}
    assert defined == set(ENUMS)


@pytest.mark.parametrize("kind", ENUMS, ids=lambda k: k.__name__)
def test_every_member_has_both_labels(kind):
    for member in kind:
        en, ar = label(member, "en"), label(member, "ar")
        assert en.strip() and not has_arabic(en), member
        assert has_arabic(ar), member


def test_members_with_one_value_in_two_enumerations_keep_their_own_labels():
    assert PersonState.ARRIVED == TripState.ARRIVED  # str enumerations: equal values are equal members
    assert label(PersonState.ARRIVED, "ar") == "وصلوا" and label(TripState.ARRIVED, "ar") == "وصلت"


@pytest.mark.parametrize("state", list(PersonState), ids=lambda s: s.value)
def test_one_persons_state_is_not_worded_for_many(state):
    """A count's label is plural in Arabic ('وصلوا', they arrived); a desk's answer about one person is not."""
    one = one_person_state(state.value, "ar")
    assert has_arabic(one) and one_person_state(state.value, "en") == label(state, "en")
    assert not any(word.endswith(("ون", "وا", "هم")) for word in one.replace("،", " ").split()), one
    assert one_person_state("sunk", "ar") == "sunk" and one_person_state(None) == ""


def test_precedence_labels_agree_with_the_deadlines():
    for member in Precedence:
        minutes = member.deadline_minutes
        if minutes is None:
            assert "MEDEVAC" not in label(member)
        else:
            hours = minutes // 60
            assert f"within {hours} hour" in label(member) and f"{hours} h" in short_label(member)
    assert [p.rank for p in Precedence] == sorted(p.rank for p in Precedence)


def test_unknown_values_are_shown_as_they_are():
    assert label_of(TripState, "sunk", "ar") == "sunk"
    assert label_of(TripState, None) == ""


def test_forms_and_dashboard_read_the_vocabulary():
    assert xlsform.MOBILITY == choices(Mobility)
    assert ("stretcher", label(Mobility.STRETCHER, "en"), label(Mobility.STRETCHER, "ar")) in xlsform.MOBILITY
    for lang in ("en", "ar"):
        w = Words(lang)
        desk = DeskWords(lang).for_script()["states"]  # the desks' answers are about one person
        for state in PersonState:
            assert w.person_state(state.value) == label(state, lang)
            assert w.one_person_state(state.value) == desk[state.value] == one_person_state(state.value, lang)
        for state in TripState:
            assert w.trip_state(state.value) == label(state, lang)
        for cause in values.HaltCause:
            assert w.cause_name(cause.value) == label(cause, lang)
        for kind in values.SiteKind:
            assert w.kind_name(kind.value) == label(kind, lang)
