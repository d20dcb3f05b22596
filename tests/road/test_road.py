"""The road (issue 11): private vehicles joining a convoy, a convoy turned back, a vehicle lost with people aboard;
each bad input refused with its field named and nothing changed."""

from __future__ import annotations

import pytest

from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.service import movement, reports, road
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import CONSOLE, nothing_changes, plan, planned_trip


def _trip(rt, trip_id):
    return reports.trip_detail(rt, trip_id)


@pytest.fixture
def convoy(op, clock):
    """Two households at GP-A planned; the first one's trip and its convoy."""
    a = register(op)
    b = register(op, persons=[person(), person()])
    plan(op)
    trip = planned_trip(op, a["persons"][0]["token"])
    return op, a, b, trip, _trip(op, trip)["convoy"]


def _go(rt, clock, trip, tokens):
    movement.board(rt, Meta(), trip=trip, tokens=tokens)
    clock.advance(10)
    movement.depart(rt, Meta(), trip=trip)


# --- private vehicles ------------------------------------------------------------------------------------------


def test_a_private_vehicle_joins_a_convoy_moves_with_it_and_is_counted(op, clock):
    a = register(op)
    plan(op)
    trip = planned_trip(op, a["persons"][0]["token"])
    convoy = _trip(op, trip)["convoy"]
    walker = register(op, persons=[person(), person(), person()])  # registered after the plan: waiting
    r = road.join_private_vehicle(op, Meta(), convoy=convoy, plate=" aleppo 12345 ", kind="car", seats=5,
                                  driver="Abu Ahmad", occupants=[p["token"] for p in walker["persons"]],
                                  unregistered=2)
    pv = r.data["trip"]
    assert r.data["kind"] == "private_car" and r.data["plate"] == "ALEPPO 12345" and r.data["destination"] == "RC-1"
    detail = _trip(op, pv)
    assert detail["convoy"] == convoy and detail["state"] == "boarding" and detail["boarded"] == 3
    movement.board(op, Meta(), trip=trip, tokens=a["token"])
    clock.advance(10)
    for t in (trip, pv):
        movement.depart(op, Meta(), trip=t)
    for cp in ("CP-1", "CP-2"):
        clock.advance(20)
        movement.pass_checkpoint(op, Meta(), trip=pv, checkpoint=cp)
    clock.advance(60)
    movement.arrive(op, Meta(), trip=pv)
    movement.scan_in(op, Meta(), trip=pv, tokens=walker["token"])
    left = reports.status(op)["left_by"]
    assert left == {"fleet_vehicles": 2, "private_vehicles": 5, "private_unregistered": 2, "private_vehicle_trips": 1}
    # never planned: a new plan leaves the private vehicle out of the fleet
    register(op)
    plan(op)
    assert all(t["vehicle"] != detail["vehicle"] for t in reports.trips(op) if t["state"] == "planned")


def test_more_occupants_than_seats_is_refused(convoy):
    rt, a, b, trip, c = convoy
    extra = register(rt, persons=[person(), person()])
    with nothing_changes(rt), pytest.raises(BadInput) as e:
        road.join_private_vehicle(rt, Meta(), convoy=c, plate="X-1", kind="car", seats=4, driver="D",
                                  occupants=[p["token"] for p in extra["persons"]], unregistered=3)
    assert e.value.field == "occupants" and "5 people for 4 seats" in e.value.detail


@pytest.mark.parametrize("change, field", [
    (dict(convoy="C9-9"), "convoy"),
    (dict(kind="tank"), "kind"),
    (dict(seats=-1), "seats"),
    (dict(plate=""), "plate"),
    (dict(unregistered=0), "occupants"),
    (dict(destination="RC-9"), "destination"),
])
def test_bad_private_vehicles_are_refused(convoy, change, field):
    rt, a, b, trip, c = convoy
    args = dict(convoy=c, plate="X-1", kind="van", seats=8, driver="D", unregistered=2) | change
    with nothing_changes(rt), pytest.raises((BadInput, NotFound, RuleRefused)) as e:
        road.join_private_vehicle(rt, Meta(), **args)
    assert e.value.field == field


def test_a_private_vehicle_cannot_join_a_convoy_that_left_or_is_full(convoy, clock):
    rt, a, b, trip, c = convoy
    from corridor.service import setup
    setup.set_corridor_rules(rt, Meta(), convoy_size=1, convoy_gap_minutes=0, checkpoint_rates={}, windows=[])
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        road.join_private_vehicle(rt, Meta(), convoy=c, plate="X-1", kind="car", seats=4, driver="D", unregistered=1)
    assert e.value.field == "convoy" and "full" in e.value.detail


def test_a_fleet_vehicle_cannot_be_private(op):
    from corridor.service import setup
    from tests.conftest import START
    with nothing_changes(op), pytest.raises(BadInput) as e:
        setup.add_vehicle(op, Meta(), code="CAR-1", plate="P", kind="private_car", seats=4, operator="x",
                          site="GP-A", available_from=START.isoformat())
    assert e.value.field == "kind"


# --- a convoy turned back ----------------------------------------------------------------------------------------


def test_a_convoy_turned_back_returns_everyone_to_waiting_and_they_are_planned_again(convoy, clock):
    rt, a, b, trip, c = convoy
    _go(rt, clock, trip, a["token"])
    clock.advance(10)
    r = road.turn_back(rt, Meta(), convoy=c, checkpoint="CP-1", reason="not allowed through, as stated")
    assert [t["trip"] for t in r.data["trips"]] == [trip] and sorted(r.data["returned"]) == sorted(
        p["token"] for p in a["persons"])
    assert _trip(rt, trip)["state"] == "turned_back"
    assert reports.status(rt)["persons"]["waiting"] == 4  # the two returned, and b left behind at departure
    rec = reports.reconcile(rt, viewer=CONSOLE)
    row = next(t for t in rec["trips"] if t["trip"] == trip)
    assert row["state"] == "turned_back" and row["turned_back"] == 2
    assert [d for d in row["differences"] if d["person"] in r.data["returned"]] == []  # not differences
    again = plan(rt)
    assert sorted(p for t in again["trips"] for p in t["persons"] if p in r.data["returned"]) == sorted(
        r.data["returned"])
    vehicle = _trip(rt, trip)["vehicle"]
    back_at = r.data["trips"][0]["back_at"]
    assert all(t["depart_at"] >= back_at for t in again["trips"] if t["vehicle"] == vehicle)


def test_turning_back_a_convoy_that_arrived_is_refused(convoy, clock):
    rt, a, b, trip, c = convoy
    _go(rt, clock, trip, a["token"])
    for cp in ("CP-1", "CP-2"):
        clock.advance(20)
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=cp)
    clock.advance(60)
    movement.arrive(rt, Meta(), trip=trip)
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        road.turn_back(rt, Meta(), convoy=c, checkpoint="CP-2", reason="too late")
    assert e.value.field == "convoy" and "already arrived" in e.value.detail


@pytest.mark.parametrize("change, field, error", [
    (dict(convoy="C9-9"), "convoy", NotFound),
    (dict(checkpoint="CP-9"), "checkpoint", RuleRefused),
    (dict(checkpoint="CP-1"), "checkpoint", RuleRefused),  # passed already
    (dict(reason=""), "reason", BadInput),
])
def test_bad_turn_backs_are_refused(convoy, clock, change, field, error):
    rt, a, b, trip, c = convoy
    _go(rt, clock, trip, a["token"])
    clock.advance(15)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1")
    args = dict(convoy=c, checkpoint="CP-2", reason="sent back") | change
    with nothing_changes(rt), pytest.raises(error) as e:
        road.turn_back(rt, Meta(), **args)
    assert e.value.field == field


def test_a_convoy_not_yet_on_the_road_cannot_be_turned_back(convoy):
    rt, a, b, trip, c = convoy
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        road.turn_back(rt, Meta(), convoy=c, checkpoint="CP-1", reason="x")
    assert e.value.field == "convoy" and "not on the road" in e.value.detail


# --- a vehicle lost on the road -------------------------------------------------------------------------------


@pytest.fixture
def two_on_the_road(op, clock):
    a = register(op)  # GP-A
    b = register(op, gathering_point="GP-B", persons=[person()])
    plan(op)
    ta, tb = planned_trip(op, a["persons"][0]["token"]), planned_trip(op, b["persons"][0]["token"])
    assert ta != tb
    movement.board(op, Meta(), trip=ta, tokens=a["token"])
    movement.board(op, Meta(), trip=tb, tokens=b["token"])
    clock.advance(10)
    movement.depart(op, Meta(), trip=ta)
    movement.depart(op, Meta(), trip=tb)
    clock.advance(20)
    return op, a, b, ta, tb


def test_a_vehicle_attacked_marks_everyone_aboard_and_is_withdrawn(two_on_the_road, clock):
    rt, a, b, ta, tb = two_on_the_road
    hurt, moved = a["persons"][0]["token"], a["persons"][1]["token"]
    r = road.vehicle_lost(rt, Meta(), trip=ta, incident="attacked", note="shot at near CP-1, as reported",
                          persons=[{"token": hurt, "outcome": "injured"},
                                   {"token": moved, "outcome": "transferred", "to_trip": tb}])
    assert {f["person"]: f["outcome"] for f in r.data["persons"]} == {hurt: "injured", moved: "transferred"}
    assert _trip(rt, ta)["state"] == "lost"
    vehicle = _trip(rt, ta)["vehicle"]
    assert next(v for v in reports.setup(rt)["vehicles"] if v["code"] == vehicle)["withdrawn_at"]
    counts = reports.status(rt)["persons"]
    assert counts["injured"] == 1 and counts["in_transit"] == 2
    rec = reports.reconcile(rt, viewer=CONSOLE)
    row = next(t for t in rec["trips"] if t["trip"] == ta)
    assert sorted(d["kind"] for d in row["differences"]) == ["injured", "transferred"]
    # the one transferred arrives with the other vehicle; the injured person is released later and planned again
    for cp in ("CP-1", "CP-2"):
        movement.pass_checkpoint(rt, Meta(), trip=tb, checkpoint=cp)
    clock.advance(60)
    movement.arrive(rt, Meta(), trip=tb)
    movement.scan_in(rt, Meta(), trip=tb, tokens=[moved, b["persons"][0]["token"]])
    movement.release(rt, Meta(), token=hurt, note="discharged from the field hospital")
    again = plan(rt)
    assert [p for t in again["trips"] for p in t["persons"]] == [hurt]
    assert all(t["vehicle"] != vehicle for t in again["trips"])


def test_everyone_not_listed_takes_the_others_outcome(two_on_the_road):
    rt, a, b, ta, tb = two_on_the_road
    r = road.vehicle_lost(rt, Meta(), trip=ta, incident="lost", note="no contact since 07:00")
    assert {f["outcome"] for f in r.data["persons"]} == {"unaccounted"}
    assert reports.status(rt)["persons"]["unaccounted"] == 2


@pytest.mark.parametrize("change, field, error", [
    (dict(trip="T99999"), "trip", NotFound),
    (dict(incident="exploded"), "incident", BadInput),
    (dict(others="transferred"), "others", BadInput),
    (dict(persons=[{"token": "FIRST", "outcome": "vanished"}]), "persons[0].outcome", BadInput),
    (dict(persons=[{"token": "FIRST", "outcome": "transferred"}]), "persons[0].to_trip", RuleRefused),
    (dict(persons=[{"token": "FIRST", "outcome": "transferred", "to_trip": "T99999"}]), "persons[0].to_trip",
     NotFound),
    (dict(persons=[{"token": "OTHER", "outcome": "injured"}]), "persons[0].token", RuleRefused),
])
def test_bad_vehicle_reports_are_refused(two_on_the_road, change, field, error):
    rt, a, b, ta, tb = two_on_the_road
    tokens = {"FIRST": a["persons"][0]["token"], "OTHER": b["persons"][0]["token"]}
    if "persons" in change:
        change = {"persons": [{**p, "token": tokens[p["token"]]} for p in change["persons"]]}
    args = dict(trip=ta, incident="burned", note="") | change
    with nothing_changes(rt), pytest.raises(error) as e:
        road.vehicle_lost(rt, Meta(), **args)
    assert e.value.field == field


def test_a_vehicle_not_on_the_road_cannot_be_reported_lost(convoy):
    rt, a, b, trip, c = convoy
    with nothing_changes(rt), pytest.raises(RuleRefused) as e:
        road.vehicle_lost(rt, Meta(), trip=trip, incident="burned")
    assert e.value.field == "trip"
