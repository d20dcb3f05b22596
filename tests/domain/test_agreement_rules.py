"""The agreement's rules as plain functions: terms read with the field named, the link's state in words."""

import pytest

from corridor.domain import agreement as a
from corridor.domain.errors import BadInput


def test_the_link_state_in_words():
    link = a.LinkTerms(name="Foua and Kefraya", ratio=1.6)
    assert a.link_state(link, 750, 750).words() == "held: linked operation 750 of 1,202 needed"
    assert a.link_state(link, 1600, 750).allowance == 250
    steps = a.LinkTerms(name="L", steps=(a.LinkStep(0, 100), a.LinkStep(1200, 5000)))
    state = a.link_state(steps, 750, 100)
    assert state.held and state.words() == "held: linked operation 750 of 1,200 needed"
    assert a.link_state(steps, 1200, 100).allowance == 4900


def test_the_link_has_a_name_in_each_language():
    terms = a.parse_terms({"link": {"name": "Foua and Kefraya", "name_ar": " الفوعة وكفريا ", "ratio": 1}})
    assert (terms.link.name, terms.link.name_ar) == ("Foua and Kefraya", "الفوعة وكفريا")
    assert a.link_state(terms.link, 0, 0).name_ar == "الفوعة وكفريا"
    unnamed = a.parse_terms({"link": {"name": "Foua and Kefraya", "ratio": 1}}).link
    assert unnamed.name_ar == "" and a.link_state(unnamed, 0, 0).name_ar == "Foua and Kefraya"


@pytest.mark.parametrize("raw, field", [
    ({"categories": [{"code": "Armed Group"}]}, "categories[0].code"),
    ({"categories": [{"code": "civilian"}, {"code": "civilian"}]}, "categories[1].code"),
    ({"quotas": [{"period": "week", "limit": 10}]}, "quotas[0].period"),
    ({"quotas": [{"period": "day", "limit": 0}]}, "quotas[0].limit"),
    ({"link": {"name": "L", "ratio": 0}}, "link.ratio"),
    ({"link": {"name": "L"}}, "link.ratio"),
    ({"link": {"name": "L", "name_ar": "ل" * 201, "ratio": 1}}, "link.name_ar"),
    ({"link": {"name": "L", "steps": [{"there": 5, "here": 10}, {"there": 4, "here": 20}]}}, "link.steps[1]"),
    ({"starts_at": "2016-12-16T00:00:00+02:00", "ends_at": "2016-12-15T00:00:00+02:00"}, "ends_at"),
    ({"colour": "red"}, "colour"),
])
def test_bad_terms_name_the_field(raw, field):
    with pytest.raises(BadInput) as e:
        a.parse_terms(raw)
    assert e.value.field == field


def test_checks_name_the_rule():
    terms = a.parse_terms({"categories": [{"code": "armed_group", "destinations": ["RC-IDL"],
                                           "items_allowed": ["light_weapon"], "with_civilians": False, "order": 1}],
                           "quotas": [{"period": "day", "limit": 3, "category": "armed_group"}]})
    member = a.Aboard("P1", "H1", "armed_group", ("light_weapon", "rocket_launcher"))
    family = a.Aboard("P2", "H1", "civilian")
    other = a.Aboard("P3", "H2", "civilian")
    assert [b.rule for b in a.check_persons(terms, "RC-ATB", [member])] == ["agreement.destinations",
                                                                            "agreement.items"]
    assert a.check_mixing(terms, [member, family]) == []
    assert [b.rule for b in a.check_mixing(terms, [member, family, other])] == ["agreement.mixing"]
    assert [b.rule for b in a.check_order(terms, [member], {0: 2})] == ["agreement.order"]
    moved = a.Moved(day={"armed_group": 3})
    assert [b.rule for b in a.check_quotas(terms, [member], moved)] == ["agreement.quota"]
    assert a.check_quotas(terms, [family], moved) == []
