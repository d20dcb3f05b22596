"""The corridor's agreed terms reach the planner; a lost vehicle is planned no more; missed deadlines are named;
resuming after a halt plans the rest."""

from collections import Counter

import pytest

from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.service import movement, planning, setup
from corridor.service.recording import Meta
from tests.conftest import START, person, register
from tests.helpers import nothing_changes, plan


def test_convoy_size_is_respected(op):
    for _ in range(12):
        register(op, persons=[person(relationship="head")] + [person() for _ in range(6)])
    setup.set_corridor_rules(op, Meta(), convoy_size=1, convoy_gap_minutes=10, checkpoint_rates={"CP-1": 6})
    trips = plan(op)["trips"]
    assert max(Counter(t["convoy"] for t in trips).values()) == 1
    departures = sorted(t["depart_at"] for t in trips if t["origin"] == "GP-A")
    assert len(set(departures)) == len(departures)


def test_bad_rules_are_refused(op):
    with nothing_changes(op), pytest.raises(NotFound):
        setup.set_corridor_rules(op, Meta(), checkpoint_rates={"GP-A": 10})
    with nothing_changes(op), pytest.raises(BadInput) as e:
        setup.set_corridor_rules(op, Meta(), windows=[{"opens": START.isoformat(), "closes": "soon"}])
    assert e.value.field == "windows[0].closes"
    with nothing_changes(op), pytest.raises(BadInput):
        setup.set_corridor_rules(op, Meta(), convoy_size=0)


def test_a_window_that_never_opens_again_cannot_be_planned(op):
    register(op)
    setup.set_corridor_rules(op, Meta(), windows=[{"opens": "2016-12-14T06:00:00+02:00",
                                                   "closes": "2016-12-14T18:00:00+02:00"}])
    with nothing_changes(op), pytest.raises(RuleRefused, match="window|open"):
        planning.plan(op, Meta())


def test_a_withdrawn_vehicle_is_planned_no_more(op):
    for _ in range(3):
        register(op)
    setup.withdraw_vehicle(op, Meta(), code="BUS-1", reason="struck by shelling, driver unhurt")
    assert "BUS-1" not in {t["vehicle"] for t in plan(op)["trips"]}
    with nothing_changes(op), pytest.raises(RuleRefused, match="withdrawn already"):
        setup.withdraw_vehicle(op, Meta(), code="BUS-1", reason="again")


def test_a_missed_medical_deadline_is_named_with_its_delay(op):
    urgent = register(op, persons=[person(relationship="head", precedence="urgent")])
    data = planning.plan(op, Meta(at="2016-12-15T09:00:00+02:00")).data  # three hours after the start
    (missed,) = data["missed"]
    assert missed["household"] == urgent["token"] and missed["late_minutes"] > 0 and missed["unavoidable"]


def test_resuming_plans_the_rest(op):
    family = register(op)
    plan(op)
    movement.halt(op, Meta(), cause="shelling")
    outcome = planning.resume(op, Meta(at="2016-12-15T12:00:00+02:00"), note="guarantees renewed")
    assert outcome["plan"] is not None and outcome["plan_refused"] is None
    data = outcome["plan"].data
    assert data["trips"] and min(t["depart_at"] for t in data["trips"]) >= "2016-12-15T10:00:00+00:00"
    assert {p for t in data["trips"] for p in t["persons"]} == {p["token"] for p in family["persons"]}
