"""Times out of any sane range are refused, naming the field, and change nothing.

An event may not precede the event it follows in the operation's own order, nor lie before the
operation's start, nor more than the runtime's `future_margin` (24 h by default) ahead of its clock."""

from datetime import timedelta

import pytest

from corridor.domain.errors import BadInput
from corridor.service import movement, planning, setup
from corridor.service.recording import Meta
from tests.conftest import START, register
from tests.helpers import nothing_changes, plan, planned_trip


def iso(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def boarded(op):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    movement.board(op, Meta(at=iso(10)), trip=trip, tokens=family["token"])
    return op, family, trip


def refused(rt, call, field="at", match=None):
    with nothing_changes(rt), pytest.raises(BadInput) as e:
        call()
    assert e.value.field == field, e.value.detail
    if match:
        assert match in e.value.detail, e.value.detail
    return e.value


def test_a_halt_far_in_the_future_is_refused(op):
    refused(op, lambda: movement.halt(op, Meta(at="2999-12-31T00:00:00Z"), cause="shelling"), match="ahead")
    refused(op, lambda: movement.halt(op, Meta(at="9999-12-31T00:00:00Z"), cause="shelling"), match="years 1900")


def test_a_resume_in_1900_is_refused(op):
    movement.halt(op, Meta(at=iso(30)), cause="shelling")
    refused(op, lambda: movement.resume(op, Meta(at="1900-01-01T00:00:00Z")))


def test_a_resume_before_its_halt_is_refused(op):
    movement.halt(op, Meta(at=iso(30)), cause="shelling")
    refused(op, lambda: movement.resume(op, Meta(at=iso(20))), match="halt")
    assert movement.resume(op, Meta(at=iso(30))).type == "OperationResumed"  # the same minute is fine


def test_the_future_margin_is_a_runtime_setting(op):
    op.future_margin = timedelta(hours=1)
    refused(op, lambda: movement.halt(op, Meta(at=iso(61)), cause="shelling"))
    assert movement.halt(op, Meta(at=iso(60)), cause="shelling").type == "OperationHalted"


def test_a_plan_made_long_before_the_start_is_refused(op):
    register(op)
    refused(op, lambda: planning.plan(op, Meta(at="1900-01-01T00:00:00Z")), match="start")


def test_a_departure_before_the_boarding_is_refused(boarded):
    rt, _, trip = boarded
    refused(rt, lambda: movement.depart(rt, Meta(at=iso(5)), trip=trip), match="board")


def test_a_checkpoint_before_the_departure_or_the_previous_checkpoint_is_refused(boarded):
    rt, _, trip = boarded
    movement.depart(rt, Meta(at=iso(20)), trip=trip)
    refused(rt, lambda: movement.pass_checkpoint(rt, Meta(at=iso(15)), trip=trip, checkpoint="CP-1"), match="depart")
    movement.pass_checkpoint(rt, Meta(at=iso(30)), trip=trip, checkpoint="CP-1")
    refused(rt, lambda: movement.pass_checkpoint(rt, Meta(at=iso(25)), trip=trip, checkpoint="CP-2"), match="CP-1")


def test_an_arrival_before_the_last_checkpoint_is_refused(boarded):
    rt, _, trip = boarded
    movement.depart(rt, Meta(at=iso(20)), trip=trip)
    movement.pass_checkpoint(rt, Meta(at=iso(30)), trip=trip, checkpoint="CP-1")
    movement.pass_checkpoint(rt, Meta(at=iso(50)), trip=trip, checkpoint="CP-2")
    refused(rt, lambda: movement.arrive(rt, Meta(at=iso(40)), trip=trip))


def test_a_scan_in_or_a_close_before_the_arrival_is_refused(boarded):
    rt, family, trip = boarded
    movement.depart(rt, Meta(at=iso(20)), trip=trip)
    movement.pass_checkpoint(rt, Meta(at=iso(30)), trip=trip, checkpoint="CP-1")
    movement.pass_checkpoint(rt, Meta(at=iso(50)), trip=trip, checkpoint="CP-2")
    movement.arrive(rt, Meta(at=iso(100)), trip=trip)
    token = family["persons"][0]["token"]
    refused(rt, lambda: movement.scan_in(rt, Meta(at=iso(90)), trip=trip, tokens=token), match="arriv")
    refused(rt, lambda: movement.close(rt, Meta(at=iso(90)), trip=trip), match="arriv")
    movement.scan_in(rt, Meta(at=iso(110)), trip=trip, tokens=token)
    refused(rt, lambda: movement.close(rt, Meta(at=iso(105)), trip=trip))


def test_boarding_before_the_start_is_refused(op):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    refused(op, lambda: movement.board(op, Meta(at=iso(-1)), trip=trip, tokens=family["token"]), match="start")


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"])
def test_a_vehicle_available_at_an_absurd_time_is_refused(op, when):
    vehicle = dict(code="BUS-9", plate="X", kind="bus", seats=8, operator="SARC", site="GP-A")
    refused(op, lambda: setup.add_vehicle(op, Meta(), **vehicle, available_from=when), field="available_from")
    assert setup.add_vehicle(op, Meta(), **vehicle, available_from=iso(6 * 60)).type == "VehicleAdded"
