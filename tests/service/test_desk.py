"""The desks' use cases without a browser: a scan's answers, a resent scan, the registration checks, list caps."""

from __future__ import annotations

from corridor.domain.permissions import Principal, Role
from corridor.service import desk, movement, planning, reports
from corridor.service.recording import Meta
from tests.conftest import person, register

MARSHAL = Principal(account="m", role=Role.BOARDING_MARSHAL)


def _planned(op):
    household = register(op)
    planning.plan(op, Meta())
    trip = next(t["id"] for t in reports.trips(op) if t["origin"] == "GP-A" and t["assigned"])
    return household, trip


def test_a_scan_answers_accepted_then_already_aboard_and_a_resend_is_absorbed(op):
    household, trip = _planned(op)
    first = desk.scan(op, Meta(command_id="k1"), MARSHAL, trip=trip, token=household["token"])
    assert first["outcome"] == desk.ACCEPTED and len(first["persons"]) == 2
    again = desk.scan(op, Meta(command_id="k1"), MARSHAL, trip=trip, token=household["token"])
    assert again["outcome"] == desk.ACCEPTED and again["replayed"] and again["seq"] == first["seq"]
    assert desk.scan(op, Meta(command_id="k2"), MARSHAL, trip=trip, token=household["token"])["outcome"] \
        == desk.ALREADY_ABOARD


def test_a_scan_of_nobody_or_of_a_malformed_token_is_not_registered(op):
    _, trip = _planned(op)
    assert desk.scan(op, Meta(), MARSHAL, trip=trip, token="P00000000")["outcome"] == desk.NOT_REGISTERED
    assert desk.scan(op, Meta(), MARSHAL, trip=trip, token="not a token")["outcome"] == desk.NOT_REGISTERED


def test_a_held_person_is_answered_held(op, clock):
    household, trip = _planned(op)
    movement.board(op, Meta(), trip=trip, tokens=household["token"])
    clock.advance(5)
    movement.depart(op, Meta(), trip=trip)
    clock.advance(5)
    held = household["persons"][0]["token"]
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "asked"}])
    answer = desk.scan(op, Meta(), MARSHAL, trip=trip, token=held)
    assert answer["outcome"] == desk.HELD and answer["site"] == "CP-1"


def test_the_registration_check_lists_every_problem_and_records_nothing(op):
    before = reports.status(op)["households_registered"]
    errors = desk.check_household(op, {"gathering_point": "RC-1", "persons": [
        person(name_ar="Latin only"), person(birth_year=2999), person(relationship="head"),
        person(relationship="head"), {"name_ar": "سارة", "colour": "blue"}]})
    fields = [e["field"] for e in errors]
    assert fields[0] == "gathering_point" and "persons[0].name_ar" in fields
    assert "persons[1].birth_year" in fields and "persons[4].colour" in fields and "persons" in fields
    assert desk.check_household(op, {"gathering_point": "GP-A", "persons": [person()]}) == []
    assert reports.status(op)["households_registered"] == before


def test_the_boarding_desk_lists_the_next_trips_and_keeps_the_chosen_one(op):
    _planned(op)
    every = desk.loading_trips(op, MARSHAL, limit=None)
    assert every and desk.loading_trips(op, MARSHAL) == every[:desk.TRIPS_SHOWN]
    assert desk.loading_trips(op, MARSHAL, limit=0) == []
    chosen = every[-1]["id"]
    assert [t["id"] for t in desk.loading_trips(op, MARSHAL, limit=0, keep=chosen)] == [chosen]
