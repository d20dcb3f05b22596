"""At every moment each registered person is in exactly one state; reconciliation explains every difference."""

from corridor.service import movement, reports
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import plan, planned_trip
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


def states(rt) -> dict:
    return {k: v for k, v in reports.status(rt)["persons"].items() if v}


def test_a_household_goes_from_waiting_to_arrived(op, clock):
    family = register(op)
    tokens = [p["token"] for p in family["persons"]]
    assert states(op) == {"waiting": 2}
    plan(op)
    assert states(op) == {"assigned": 2}
    trip = planned_trip(op, tokens[0])
    movement.board(op, Meta(), trip=trip, tokens=family["token"])
    assert states(op) == {"boarded": 2}
    movement.depart(op, Meta(), trip=trip)
    assert states(op) == {"in_transit": 2}
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1")
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(op, Meta(), trip=trip)
    movement.scan_in(op, Meta(), trip=trip, tokens=tokens[0])
    assert states(op) == {"arrived": 1, "in_transit": 1}
    movement.close(op, Meta(), trip=trip)
    assert states(op) == {"arrived": 1, "unaccounted": 1}
    r = reports.reconcile(op, viewer=CONSOLE)
    assert r["unaccounted"] == 1
    (t,) = r["trips"]
    assert t["boarded"] == 2 and t["arrived"] == 1 and not t["balanced"]
    assert t["differences"] == [{"person": tokens[1], "kind": "unaccounted",
                                 "detail": "boarded, never scanned in at the reception centre"}]
    # found later at the reception centre: scanned in, the difference says so
    movement.scan_in(op, Meta(), trip=trip, tokens=tokens[1])
    assert states(op) == {"arrived": 2}
    assert reports.reconcile(op, viewer=CONSOLE)["trips"][0]["balanced"]


def test_a_person_held_at_a_checkpoint_is_explained_and_can_be_released(op):
    family = register(op)
    tokens = [p["token"] for p in family["persons"]]
    plan(op)
    trip = planned_trip(op, tokens[0])
    movement.board(op, Meta(), trip=trip, tokens=family["token"])
    movement.depart(op, Meta(), trip=trip)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": tokens[1], "outcome": "held", "reason": "questioned, as stated"}])
    assert states(op) == {"in_transit": 1, "held": 1}
    t = reports.reconcile(op, viewer=CONSOLE)["trips"][0]
    assert t["taken_off"] == 1
    assert t["differences"][0]["kind"] == "held" and "CP-1: questioned, as stated" in t["differences"][0]["detail"]
    movement.release(op, Meta(), token=tokens[1], note="released after two hours")
    assert states(op) == {"in_transit": 1, "waiting": 1}


def test_someone_not_aboard_at_departure_is_left_behind_and_planned_again(op):
    family = register(op)
    tokens = [p["token"] for p in family["persons"]]
    plan(op)
    trip = planned_trip(op, tokens[0])
    movement.board(op, Meta(), trip=trip, tokens=tokens[0])
    movement.depart(op, Meta(), trip=trip)
    assert states(op) == {"in_transit": 1, "waiting": 1}
    diff = reports.reconcile(op, viewer=CONSOLE)["trips"][0]["differences"]
    assert diff[0]["person"] == tokens[1] and diff[0]["kind"] == "left_behind"
    data = plan(op)
    assert [t["persons"] for t in data["trips"]] == [[tokens[1]]]


def test_planning_again_replans_trips_nobody_boarded(op):
    register(op)
    first = plan(op)
    register(op, persons=[person(relationship="head")])
    second = plan(op)
    assert second["cancelled_trips"] == [t["id"] for t in first["trips"]]
    assert reports.status(op)["trips"]["cancelled"] == len(first["trips"])
    assert sum(len(t["persons"]) for t in second["trips"]) == 3


def test_urgent_cases_go_first_and_stretcher_cases_ride_in_stretcher_places(op):
    ordinary = [register(op, persons=[person(relationship="head")]) for _ in range(10)]
    urgent = register(op, persons=[person(relationship="head", precedence="urgent", mobility="stretcher")])
    data = plan(op)
    trip_of = {p: t for t in data["trips"] for p in t["persons"]}
    urgent_trip = next(t for t in data["trips"] if urgent["persons"][0]["token"] in t["persons"])
    assert urgent_trip["vehicle"] == "AMB-1"
    first_departure = min(t["depart_at"] for t in data["trips"])
    assert urgent_trip["depart_at"] == first_departure
    assert all(trip_of[h["persons"][0]["token"]] for h in ordinary)


def test_plan_reports_its_finish_and_a_lower_bound(op):
    for _ in range(5):
        register(op)
    data = plan(op)
    assert data["lower_bound_at"] <= data["finish_at"]
    assert data["finish_at"] == max(t["arrive_at"] for t in data["trips"])


def balance_holds(t: dict) -> bool:
    return t["boarded"] == (t["taken_off"] + t["arrived"] + t["not_scanned"] + t["unaccounted"]
                            + t["arrived_other_trip"])


def test_a_person_released_and_scanned_in_with_their_trip_is_counted_once(op):
    family = register(op, persons=[person(relationship="head"), person(), person()])
    tokens = [p["token"] for p in family["persons"]]
    plan(op)
    trip = planned_trip(op, tokens[0])
    movement.board(op, Meta(), trip=trip, tokens=family["token"])
    movement.depart(op, Meta(), trip=trip)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": tokens[1], "outcome": "held", "reason": "questioned"}])
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(op, Meta(), trip=trip)
    (t,) = reports.reconcile(op, viewer=CONSOLE)["trips"]
    assert (t["boarded"], t["taken_off"], t["arrived"], t["not_scanned"]) == (3, 1, 0, 2) and balance_holds(t)
    movement.release(op, Meta(), token=tokens[1], note="released, made their own way")
    movement.scan_in(op, Meta(), trip=trip, tokens=[tokens[0], tokens[1]])
    (t,) = reports.reconcile(op, viewer=CONSOLE)["trips"]
    assert (t["boarded"], t["taken_off"], t["arrived"], t["not_scanned"]) == (3, 1, 1, 1) and balance_holds(t)
    movement.close(op, Meta(), trip=trip)
    (t,) = reports.reconcile(op, viewer=CONSOLE)["trips"]
    assert (t["taken_off"], t["arrived"], t["not_scanned"], t["unaccounted"]) == (1, 1, 0, 1) and balance_holds(t)
