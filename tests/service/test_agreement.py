"""The agreement as rules: recorded and amended (never edited), bad terms refused naming the field with nothing
changed, boarding and departures checked with the rule named, a coordinator's override recorded, the link's state."""

import pytest

from corridor.domain.errors import BadInput, Conflict, NotFound, RuleRefused
from corridor.service import agreement, alarms, movement, reports
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip

TERMS = {
    "categories": [
        {"code": "civilian"},
        {"code": "wounded_sick"},
        {"code": "armed_group", "destinations": ["RC-2"], "items_allowed": ["light_weapon"],
         "with_civilians": False, "order": 1},
        {"code": "staff", "label_en": "Staff of a local council", "order": 0},
    ],
    "quotas": [{"period": "total", "limit": 1000}],
    "link": {"name": "Linked towns", "ratio": 1.0},
}


def test_set_amend_and_show(op):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    with nothing_changes(op), pytest.raises(Conflict):
        agreement.set_agreement(op, Meta(), terms=TERMS)
    agreement.amend_agreement(op, Meta(), terms=TERMS | {"quotas": [{"period": "day", "limit": 500}]},
                              reason="second day")
    shown = agreement.show(op)
    assert [v["kind"] for v in shown["versions"]] == ["set", "amended"]
    assert shown["terms"]["quotas"][0]["period"] == "day"
    assert {c["code"] for c in shown["terms"]["categories"]} >= {"civilian", "wounded_sick", "armed_group", "staff"}
    assert shown["link"]["held"] and shown["link"]["words"] == "held: linked operation 0 of 1 needed"


@pytest.mark.parametrize("terms, field", [
    (TERMS | {"quotas": [{"period": "day", "limit": 5, "category": "fighters"}]}, "quotas[0].category"),
    ({"categories": [{"code": "armed_group", "destinations": ["Idlib"]}]}, "categories[0].destinations"),
    (TERMS | {"link": {"name": "Linked towns", "ratio": 0}}, "link.ratio"),
    (TERMS | {"link": {"name": "Linked towns", "ratio": -1.5}}, "link.ratio"),
    (TERMS | {"default_category": "nobody"}, "default_category"),
])
def test_bad_terms_are_refused_naming_the_field(op, terms, field):
    with nothing_changes(op), pytest.raises((BadInput, NotFound)) as e:
        agreement.set_agreement(op, Meta(), terms=terms)
    assert e.value.field == field


def _board_and_leave(op, n_households=1):
    homes = [register(op) for _ in range(n_households)]
    plan(op)
    for home in homes:
        trip = planned_trip(op, home["persons"][0]["token"])
        movement.board(op, Meta(), trip=trip, tokens=[home["token"]])
    return homes, trip


def test_a_quota_below_what_has_left_is_refused(op):
    agreement.set_agreement(op, Meta(), terms={"categories": []})
    homes, trip = _board_and_leave(op)
    movement.depart(op, Meta(), trip=trip)
    with nothing_changes(op), pytest.raises(BadInput) as e:
        agreement.amend_agreement(op, Meta(), terms={"quotas": [{"period": "total", "limit": 1}]}, reason="cap")
    assert e.value.field == "quotas[0].limit"


def test_an_unknown_category_is_refused(op):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    home = register(op)
    with nothing_changes(op), pytest.raises(NotFound) as e:  # a category the agreement names not: unknown (404)
        agreement.set_category(op, Meta(), token=home["persons"][0]["token"], category="fighter")
    assert e.value.field == "category"


def test_the_link_holds_departures_and_an_override_is_recorded(op):
    homes, trip = _board_and_leave(op)  # planned and boarded before the agreement was recorded
    agreement.set_agreement(op, Meta(), terms=TERMS)
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        movement.depart(op, Meta(), trip=trip)
    assert e.value.field == "agreement.link" and "held: linked operation 0 of 1 needed" in e.value.detail
    agreement.record_linked_figures(op, Meta(), moved=1, source="entered")
    with pytest.raises(RuleRefused, match="only 1 more may leave now"):
        movement.depart(op, Meta(), trip=trip)
    r = movement.depart(op, Meta(), trip=trip, override="agreed by phone with both parties' liaison")
    assert r.data["override"]["rules"] == ["agreement.link"]
    assert agreement.show(op)["overrides"][0]["trip"] == trip
    assert agreement.link_state(op)["held"]
    (held,) = [a for a in alarms.alarms(op) if a.kind == "linked_operation"]  # the same on the dashboard
    assert held.figures["moved_there"] == 1 and held.figures["needed"] == 3
    assert reports.verify(op).ok


def test_imported_figures_open_the_link(op):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    export = agreement.export_figures(op) | {"moved": 4, "operation": "Linked towns"}
    agreement.import_figures(op, Meta(), export)
    homes, trip = _board_and_leave(op)
    movement.depart(op, Meta(), trip=trip)
    assert agreement.link_state(op)["words"].startswith("open: 2 more may leave")


def test_boarding_checks_destination_items_and_mixing(op):
    agreement.set_agreement(op, Meta(), terms=TERMS | {"link": None})
    civ = register(op, destination="RC-2")
    member = register(op, gathering_point="GP-A", destination="RC-2", persons=[person(relationship="head")])
    token = member["persons"][0]["token"]
    agreement.set_category(op, Meta(), token=token, category="armed_group", items=["rifle"])
    plan(op)
    trip = planned_trip(op, civ["persons"][0]["token"])
    movement.board(op, Meta(), trip=trip, tokens=[civ["token"]])
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        movement.board(op, Meta(), trip=trip, tokens=[token])
    assert e.value.field == "agreement.items"
    assert {x["rule"] for x in e.value.errors} == {"agreement.items", "agreement.mixing"}
    agreement.set_category(op, Meta(), token=token, category="armed_group", items=["light_weapon"])
    with pytest.raises(RuleRefused) as e:
        movement.board(op, Meta(), trip=trip, tokens=[token])
    assert e.value.field == "agreement.mixing"


def test_the_category_is_sealed_at_rest(op):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    home = register(op)
    r = agreement.set_category(op, Meta(), token=home["persons"][0]["token"], category="armed_group",
                               items=["light_weapon"])
    assert r.data["category"] == "armed_group"
    assert "armed_group" not in r.payload and "light_weapon" not in r.payload


def test_planning_respects_destinations_mixing_and_the_link(op):
    agreement.set_agreement(op, Meta(), terms=TERMS | {"link": {"name": "Linked towns", "ratio": 1.0}})
    with pytest.raises(RuleRefused, match="held back by the agreement") as e:
        register(op)
        plan(op)
    assert e.value.field == "agreement"
    agreement.record_linked_figures(op, Meta(), moved=100)
    civilians = [register(op, destination="RC-1") for _ in range(3)]
    member = register(op, destination=None, persons=[person(relationship="head")])
    token = member["persons"][0]["token"]
    agreement.set_category(op, Meta(), token=token, category="armed_group", items=["light_weapon"])
    trips = plan(op)["trips"]
    mine = next(t for t in trips if token in t["persons"])
    assert mine["destination"] == "RC-2"
    civilian_tokens = {p["token"] for h in civilians for p in h["persons"]}
    assert not civilian_tokens & set(mine["persons"])
    trip = planned_trip(op, token)
    movement.board(op, Meta(), trip=trip, tokens=[token])
    movement.depart(op, Meta(), trip=trip)


def test_planning_holds_back_beyond_the_link(op):
    agreement.set_agreement(op, Meta(), terms=TERMS | {"link": {"name": "Linked towns", "ratio": 1.0}})
    agreement.record_linked_figures(op, Meta(), moved=4)
    for _ in range(4):
        register(op)
    d = plan(op)
    assert sum(len(t["persons"]) for t in d["trips"]) == 4
    assert any("agreement.link" in w for w in d["warnings"])


def test_nothing_leaves_before_the_agreed_start(op):
    from datetime import datetime, timedelta

    from tests.conftest import START

    agreement.set_agreement(op, Meta(), terms={"starts_at": (START + timedelta(hours=2)).isoformat()})
    home = register(op)
    trips = plan(op)["trips"]
    assert min(datetime.fromisoformat(t["depart_at"]) for t in trips) >= START + timedelta(hours=2)
    trip = planned_trip(op, home["persons"][0]["token"])
    movement.board(op, Meta(), trip=trip, tokens=[home["token"]])  # boarding before the start is allowed
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        movement.depart(op, Meta(), trip=trip)
    assert e.value.field == "agreement.period"


def test_reading_a_persons_category_unknown_or_forbidden_is_refused_and_not_logged(op):
    import random

    from corridor.domain.errors import Forbidden
    from corridor.domain.permissions import Principal, Role
    from corridor.domain.tokens import make_token
    from corridor.service import access

    agreement.set_agreement(op, Meta(), terms=TERMS)
    token = register(op)["persons"][0]["token"]
    officer = Principal("po", Role.PROTECTION_OFFICER)
    assert agreement.person_category(op, token, viewer=officer)["category"] == "civilian"  # the default
    unknown = make_token("P", random.Random(5))
    with pytest.raises(NotFound) as e:
        agreement.person_category(op, unknown, viewer=officer)
    assert e.value.field == "token"
    with pytest.raises(Forbidden) as e:
        agreement.person_category(op, token, viewer=Principal("reg", Role.REGISTRAR))
    assert e.value.permission == "category"
    assert [x["account"] for x in access.entries(op) if x["kind"] == access.CATEGORY] == ["po"]


def test_no_trip_is_planned_to_leave_after_the_agreed_end(op):
    from datetime import datetime

    agreement.set_agreement(op, Meta(), terms={})
    for _ in range(40):
        register(op)
    departs = sorted(datetime.fromisoformat(t["depart_at"]) for t in plan(op)["trips"])
    end = departs[len(departs) // 2]
    assert departs[-1] > end
    agreement.amend_agreement(op, Meta(), terms={"ends_at": end.isoformat()}, reason="the end agreed")
    d = plan(op)
    assert d["trips"] and all(datetime.fromisoformat(t["depart_at"]) < end for t in d["trips"])
    assert sum(len(t["persons"]) for t in d["trips"]) < 80
    assert any("agreement.period" in w for w in d["warnings"])


def test_day_quotas_are_kept_by_the_plan_later_days_for_later_trips(op):
    from datetime import datetime, timedelta

    from tests.conftest import START

    agreement.set_agreement(op, Meta(), terms={"quotas": [{"period": "day", "limit": 4}]})
    for _ in range(5):  # 10 persons, at most 4 a day: three days
        register(op)
    d = plan(op)
    by_day: dict[int, int] = {}
    for t in d["trips"]:
        day = (datetime.fromisoformat(t["depart_at"]) - START) // timedelta(days=1)
        by_day[day] = by_day.get(day, 0) + len(t["persons"])
    assert by_day == {0: 4, 1: 4, 2: 2}
    first = min(d["trips"], key=lambda t: t["depart_at"])
    movement.board(op, Meta(), trip=first["id"], tokens=list(first["persons"]))
    movement.depart(op, Meta(), trip=first["id"])  # the departure check agrees with the plan


def test_a_day_quota_with_an_end_holds_the_rest_back_naming_the_quota(op):
    from datetime import timedelta

    from tests.conftest import START

    agreement.set_agreement(op, Meta(), terms={"quotas": [{"period": "day", "limit": 4}],
                                               "ends_at": (START + timedelta(days=1)).isoformat()})
    for _ in range(5):
        register(op)
    d = plan(op)
    assert sum(len(t["persons"]) for t in d["trips"]) == 4
    assert any("agreement.quota" in w for w in d["warnings"])


def test_the_order_is_kept_per_gathering_point(op):
    agreement.set_agreement(op, Meta(), terms={k: TERMS[k] for k in ("categories",)})
    civilians = [register(op, gathering_point="GP-A", destination="RC-1") for _ in range(12)]
    members = {}
    for point in ("GP-A", "GP-B"):
        home = register(op, gathering_point=point, destination=None, persons=[person(relationship="head")])
        members[point] = home["persons"][0]["token"]
        agreement.set_category(op, Meta(), token=members[point], category="armed_group", items=["light_weapon"])
    d = plan(op)
    depart = {p: t["depart_at"] for t in d["trips"] for p in t["persons"]}
    last_civilian = max(depart[p["token"]] for h in civilians for p in h["persons"])
    assert depart[members["GP-A"]] >= last_civilian  # after GP-A's civilians
    assert members["GP-B"] in depart  # GP-B, with no civilian waiting, is not held back by GP-A's
    assert not any("agreement.order" in w for w in d["warnings"])


def test_persons_aboard_count_against_their_category_s_quota_when_replanning(op):
    from datetime import timedelta

    from tests.conftest import START

    agreement.set_agreement(op, Meta(), terms={"categories": TERMS["categories"],
                                               "quotas": [{"period": "day", "limit": 2, "category": "armed_group"}],
                                               "ends_at": (START + timedelta(days=1)).isoformat()})
    members = []
    for _ in range(3):
        home = register(op, gathering_point="GP-A", destination="RC-2", persons=[person(relationship="head")])
        members.append(home["persons"][0]["token"])
        agreement.set_category(op, Meta(), token=members[-1], category="armed_group", items=["light_weapon"])
    d = plan(op)
    planned = {p for t in d["trips"] for p in t["persons"]}
    assert len(planned & set(members)) == 2 and any("agreement.quota" in w for w in d["warnings"])
    aboard = sorted(planned & set(members))
    trip = planned_trip(op, aboard[0])
    movement.board(op, Meta(), trip=trip, tokens=[p for p in aboard if planned_trip(op, p) == trip])
    with pytest.raises(RuleRefused, match="agreement.quota"):  # those aboard have not left yet: they fill the
        plan(op)  # day's quota of their category, and the third may not be planned before the agreed end
