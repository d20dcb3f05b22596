"""Every refused command gets a clear answer naming the field, and changes nothing."""

import pytest

from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.service import movement, setup
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip


@pytest.fixture
def planned(op):
    family = register(op)
    plan(op)
    return op, family


def test_an_unknown_token_is_refused(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    with nothing_changes(rt), pytest.raises(NotFound) as e:
        movement.board(rt, Meta(), trip=trip, tokens="P00000000")
    assert e.value.field == "token" and "no person P00000000" in e.value.detail


def test_a_mistyped_token_is_refused(planned):
    rt, family = planned
    token = family["persons"][0]["token"]
    typo = token[:-1] + ("0" if token[-1] != "0" else "1")
    with nothing_changes(rt), pytest.raises(BadInput) as e:
        movement.board(rt, Meta(), trip=planned_trip(rt, token), tokens=typo)
    assert e.value.field == "token" and "check symbol" in e.value.detail


def test_a_person_already_aboard_is_refused(planned):
    rt, family = planned
    token = family["persons"][0]["token"]
    trip = planned_trip(rt, token)
    movement.board(rt, Meta(), trip=trip, tokens=token)
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.board(rt, Meta(), trip=trip, tokens=token)
    assert e.value.field == "token" and "already aboard" in e.value.detail


def test_a_household_that_would_overfill_a_vehicle_is_refused(op):
    small = register(op, persons=[person() for _ in range(6)])  # 6 of BUS-1's 8 seats
    other = register(op, persons=[person() for _ in range(3)])
    plan(op)
    trip = planned_trip(op, small["persons"][0]["token"])
    movement.board(op, Meta(), trip=trip, tokens=small["token"])
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        movement.board(op, Meta(), trip=trip, tokens=other["token"])
    assert e.value.field == "token" and "overfill" in e.value.detail and "6 of 8 seats" in e.value.detail


def test_a_departure_while_halted_is_refused(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.halt(rt, Meta(), cause="shelling", note="near the crossing")
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.depart(rt, Meta(), trip=trip)
    assert e.value.field == "trip" and "halted" in e.value.detail
    movement.resume(rt, Meta(), note="guarantees renewed")
    assert movement.depart(rt, Meta(), trip=trip).type == "TripDeparted"


def test_an_arrival_for_a_trip_that_never_departed_is_refused(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.arrive(rt, Meta(), trip=trip)
    assert e.value.field == "trip" and "has not departed" in e.value.detail


def test_an_arrival_before_every_checkpoint_was_passed_is_refused(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.depart(rt, Meta(), trip=trip)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1")
    with nothing_changes(rt), pytest.raises(RuleRefused, match="CP-2"):
        movement.arrive(rt, Meta(), trip=trip)


def test_checkpoints_are_passed_in_route_order(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.depart(rt, Meta(), trip=trip)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="must pass CP-1 before CP-2"):
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-2")


@pytest.mark.parametrize("change,field", [
    (dict(lat=95.0), "lat"),
    (dict(lon="east"), "lon"),
    (dict(capacity=-1), "capacity"),
    (dict(kind="camp"), "kind"),
    (dict(code="has space"), "code"),
])
def test_a_malformed_site_is_refused(op, change, field):
    site = dict(code="RC-9", kind="reception_centre", name_en="Reception 9", lat=36.0, lon=37.0, capacity=10)
    with nothing_changes(op), pytest.raises(BadInput) as e:
        setup.add_site(op, Meta(), **{**site, **change})
    assert e.value.field == field


@pytest.mark.parametrize("when", ["2016-12-15 07:00", "noon", "2016-12-32T07:00:00Z"])
def test_a_malformed_time_is_refused(planned, when):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    with nothing_changes(rt), pytest.raises(BadInput) as e:
        movement.board(rt, Meta(at=when), trip=trip, tokens=family["token"])
    assert e.value.field == "at"


def test_a_vehicle_with_negative_seats_is_refused(op):
    with nothing_changes(op), pytest.raises(BadInput) as e:
        setup.add_vehicle(op, Meta(), code="BUS-9", plate="X", kind="bus", seats=-4, operator="SARC", site="GP-A",
                          available_from="2016-12-15T06:00:00+02:00")
    assert e.value.field == "seats"


def test_a_registration_at_a_checkpoint_is_refused(op):
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        register(op, gathering_point="CP-1")
    assert e.value.field == "gathering_point" and "checkpoint" in e.value.detail


def test_a_batch_with_bad_households_is_refused_whole_listing_each(op):
    from corridor.service.registration import register_households

    good = {"gathering_point": "GP-A", "destination": "RC-1", "persons": [person()]}
    bad_site = {**good, "gathering_point": "NOWHERE"}
    bad_person = {**good, "persons": [{"name_latin": "Omar", "birth_year": 3000}]}
    with nothing_changes(op), pytest.raises(BadInput) as e:
        register_households(op, [(Meta(), good), (Meta(), bad_site), (Meta(), good), (Meta(), bad_person)])
    assert [x["item"] for x in e.value.errors] == [2, 4]  # items are counted from 1, as people count
    assert "first: item 2:" in e.value.detail
    assert "NOWHERE" in e.value.errors[0]["detail"] and "birth_year" in e.value.errors[1]["field"]


def test_boarding_someone_bound_elsewhere_is_refused(op):
    to_rc1 = register(op, destination="RC-1")
    to_rc2 = register(op, destination="RC-2")
    plan(op)
    trip = planned_trip(op, to_rc1["persons"][0]["token"])
    with nothing_changes(op), pytest.raises(RuleRefused, match="bound for RC-2"):
        movement.board(op, Meta(), trip=trip, tokens=to_rc2["token"])


def test_scanning_in_before_arrival_and_twice_is_refused(planned):
    rt, family = planned
    token = family["persons"][0]["token"]
    trip = planned_trip(rt, token)
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    with nothing_changes(rt), pytest.raises(RuleRefused, match="has not arrived"):
        movement.scan_in(rt, Meta(), trip=trip, tokens=token)
    movement.depart(rt, Meta(), trip=trip)
    for cp in ("CP-1", "CP-2"):
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=cp)
    movement.arrive(rt, Meta(), trip=trip)
    movement.scan_in(rt, Meta(), trip=trip, tokens=token)
    with nothing_changes(rt), pytest.raises(RuleRefused, match="already been scanned in"):
        movement.scan_in(rt, Meta(), trip=trip, tokens=token)


def test_halting_twice_and_resuming_a_running_operation_are_refused(op):
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        movement.resume(op, Meta())
    assert e.value.field == "operation" and "not halted" in e.value.detail
    movement.halt(op, Meta(), cause="route_blocked")
    with nothing_changes(op), pytest.raises(RuleRefused, match="already halted"):
        movement.halt(op, Meta(), cause="shelling")
    with nothing_changes(op), pytest.raises(BadInput) as e:
        movement.resume(op, Meta(at="soon"))
    assert e.value.field == "at"


def test_an_unknown_halt_cause_is_refused(op):
    with nothing_changes(op), pytest.raises(BadInput) as e:
        movement.halt(op, Meta(), cause="bad weather")
    assert e.value.field == "cause" and "shelling" in e.value.detail


def _arrived(rt, family) -> str:
    """Board a planned family, take its trip to its destination; returns the trip."""
    trip = planned_trip(rt, family["persons"][0]["token"])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.depart(rt, Meta(), trip=trip)
    for cp in ("CP-1", "CP-2"):
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=cp)
    movement.arrive(rt, Meta(), trip=trip)
    return trip


def test_a_person_held_at_a_checkpoint_cannot_be_scanned_in_before_release(planned):
    rt, family = planned
    held = family["persons"][1]["token"]
    trip = planned_trip(rt, held)
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.depart(rt, Meta(), trip=trip)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "questioned"}])
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(rt, Meta(), trip=trip)
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.scan_in(rt, Meta(), trip=trip, tokens=held)
    assert e.value.field == "token"
    assert held in e.value.detail and "held at CP-1" in e.value.detail and "release" in e.value.detail


def test_scanning_a_household_in_again_says_it_was_scanned_in(planned):
    rt, family = planned
    trip = _arrived(rt, family)
    movement.scan_in(rt, Meta(), trip=trip, tokens=family["token"])
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.scan_in(rt, Meta(), trip=trip, tokens=family["token"])
    assert e.value.field == "token" and f"already been scanned in (trip {trip})" in e.value.detail


def test_boarding_a_household_again_says_who_is_aboard(planned):
    rt, family = planned
    trip = planned_trip(rt, family["persons"][0]["token"])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    assert e.value.field == "token"
    assert "already aboard" in e.value.detail and trip in e.value.detail
    assert family["persons"][0]["token"] in e.value.detail


@pytest.mark.parametrize("kind", ["reception_centre", "gathering_point"])
def test_a_site_with_no_capacity_is_refused(op, kind):
    site = dict(code="RC-9", kind=kind, name_en="Site 9", lat=36.0, lon=37.0, capacity=0)
    with nothing_changes(op), pytest.raises(BadInput) as e:
        setup.add_site(op, Meta(), **site)
    assert e.value.field == "capacity" and "at least 1" in e.value.detail
    assert setup.add_site(op, Meta(), **{**site, "capacity": None}).type == "SiteAdded"  # None: no limit
