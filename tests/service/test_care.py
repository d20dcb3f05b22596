"""What the medic's and the protection officer's desks read (service/care.py), on the hand-moved clock: each
deadline's verdict through a trip's life (not planned, the plan's miss agreeing with the plan's own record, met,
arrived in time, arrived late, held), where a stretcher case is now, least data by role, sites, the access log,
and whether family members are together."""

from __future__ import annotations

from datetime import datetime, timedelta

from corridor.domain.permissions import Principal, Role
from corridor.service import access, care, movement, planning
from corridor.service.plan_report import latest_missed
from corridor.service.recording import Meta
from tests.conftest import START, person, register
from tests.web.care_support import trip_of

MEDIC = Principal("medic", Role.MEDIC)
OFFICER = Principal("officer", Role.PROTECTION_OFFICER)


def cases(rt, viewer=MEDIC, **kw) -> dict[str, dict]:
    return {c["token"]: c for c in care.medical(rt, viewer=viewer, arrived=True, **kw)["cases"]}


def run_trip(rt, clock, trip: str, tokens: str, minutes_to_arrive: int) -> None:
    movement.board(rt, Meta(), trip=trip, tokens=tokens)
    movement.depart(rt, Meta(), trip=trip)
    clock.advance(10)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1")
    clock.advance(20)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-2")
    clock.advance(minutes_to_arrive - 30)
    movement.arrive(rt, Meta(), trip=trip)


def test_a_deadline_through_the_life_of_a_trip(op, clock):
    urgent = register(op, "GP-A", "RC-2", [person(relationship="head", mobility="stretcher", precedence="urgent",
                                                  medical_notes="Burns")])["persons"][0]["token"]
    priority = register(op, "GP-B", "RC-2", [person("أمينة", "Amina", sex="female", relationship="head",
                                                    precedence="priority")])["persons"][0]["token"]
    found = cases(op)
    assert found[urgent]["verdict"] == found[priority]["verdict"] == care.NOT_PLANNED
    assert found[urgent]["minutes_left"] == 60 and found[priority]["minutes_left"] == 240
    assert datetime.fromisoformat(found[urgent]["deadline_at"]) == START + timedelta(hours=1)
    assert found[urgent]["medical_notes"] == "Burns"
    assert list(found)[0] == urgent  # urgent first

    planning.plan(op, Meta())
    with op.reading() as uow:
        missed = {p for m in latest_missed(uow.conn) for p in m["persons"]}
    found = cases(op)
    for token in (urgent, priority):
        assert (found[token]["verdict"] == care.MISSES) == (token in missed)
    assert found[urgent]["verdict"] == care.MISSES and found[urgent]["late_minutes"] > 0  # 70 minutes away at best
    assert found[priority]["verdict"] == care.MEETS

    trip = trip_of(op, priority)
    movement.board(op, Meta(), trip=trip, tokens=priority)
    movement.depart(op, Meta(), trip=trip)
    clock.advance(15)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1")
    now = cases(op)[priority]
    assert now["state"] == "in_transit" and now["checkpoint"] == "CP-1" and now["verdict"] == care.MEETS
    clock.advance(20)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-2")
    clock.advance(40)
    movement.arrive(op, Meta(), trip=trip)
    now = cases(op)[priority]
    assert now["verdict"] == care.ARRIVED_IN_TIME and now["site"] == "RC-2"
    listed = care.medical(op, viewer=MEDIC)  # by default those who reached a centre are counted, not listed
    assert [c["token"] for c in listed["cases"]] == [urgent] and listed["arrived_hidden"] == 1
    assert [c["token"] for c in care.medical(op, viewer=MEDIC, site="GP-B", arrived=True)["cases"]] == [priority]
    assert care.medical(op, viewer=MEDIC, site="CP-2")["cases_total"] == 0
    capped = care.medical(op, viewer=MEDIC, arrived=True, limit=1)
    assert [c["token"] for c in capped["cases"]] == [urgent] and capped["cases_total"] == 2

    run_trip(op, clock, trip_of(op, urgent), urgent, 70)  # leaves 75 minutes after the start: arrives 85 late
    now = cases(op)[urgent]
    assert now["verdict"] == care.ARRIVED_LATE and now["late_minutes"] == 85
    stretchers = care.medical(op, viewer=MEDIC, arrived=True)["stretchers"]
    assert [s["token"] for s in stretchers] == [urgent] and stretchers[0]["site"] == "RC-2"
    assert {e["kind"] for e in access.entries(op, account="medic")} == {access.MEDICAL}


def test_held_persons_their_reason_by_role_and_for_how_long(op, clock):
    household = register(op, "GP-A", "RC-1", [person(relationship="head", precedence="urgent"),
                                              person("هدى", "Huda", sex="female", relationship="spouse")])
    held = household["persons"][0]["token"]
    planning.plan(op, Meta())
    trip = trip_of(op, held)
    movement.board(op, Meta(), trip=trip, tokens=household["token"])
    movement.depart(op, Meta(), trip=trip)
    clock.advance(10)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "Questioned"}])
    clock.advance(95)
    [line] = care.held(op, viewer=OFFICER)["items"]
    assert line["token"] == held and line["site"] == "CP-1" and line["held_minutes"] == 95
    assert line["held_reason"] == "Questioned" and "medical_notes" not in line
    [seen_by_reception] = care.held(op, viewer=Principal("reception", Role.RECEPTION))["items"]
    assert "held_reason" not in seen_by_reception
    assert care.held(op, viewer=Principal("officer_b", Role.PROTECTION_OFFICER, sites=("GP-B",)))["total"] == 0
    assert care.held(op, viewer=Principal("officer_cp", Role.PROTECTION_OFFICER, sites=("CP-1",)))["total"] == 1
    medical = cases(op)[held]
    assert medical["verdict"] == care.HELD and "held_reason" not in medical and "vulnerabilities" not in medical
    read = [e for e in access.entries(op, account="officer") if e["kind"] == access.HELD]
    assert read and all(e["subject"] == household["token"] and e["count"] == 1 for e in read)  # the household read


def test_family_links_together_or_apart(op):
    first = register(op, "GP-A", "RC-1", [person(relationship="head", birth_year=1970)])["persons"][0]["token"]
    far = register(op, "GP-B", "RC-2", [person("سلمى", "Salma", sex="female", relationship="head",
                                               birth_year=1972)])["persons"][0]["token"]
    child = register(op, "GP-A", "RC-1", [person("رامي", "Rami", relationship="head", birth_year=2011,
                                                 vulnerabilities=["separated_child"], links=[first, far])])
    child = child["persons"][0]["token"]
    [entry] = care.family_links(op, viewer=OFFICER)["items"]
    assert entry["token"] == child
    together = {p["token"]: p["together"] for p in entry["linked"]}
    assert together == {first: True, far: False}  # same gathering point, waiting; the other at GP-B
    assert "medical_notes" not in entry
    [seen] = care.children(op, viewer=OFFICER)["items"]
    assert seen["site"] == "GP-A" and {o["token"]: o["site"] for o in seen["linked"]} == {first: "GP-A", far: "GP-B"}
    assert care.family_links(op, viewer=Principal("officer_b", Role.PROTECTION_OFFICER, sites=("GP-B",)))["total"] == 0
    assert access.FAMILY_LINKS in {e["kind"] for e in access.entries(op, account="officer")}


def test_a_replayed_operations_deadlines_count_from_its_own_time(op, clock):
    """A demo or replayed operation (the server's clock days past its last event): the medic's minutes left and
    the time shown are the operation's, as on the dashboard, not the server's."""
    urgent = register(op, "GP-A", "RC-2", [person(relationship="head", precedence="urgent")])["persons"][0]["token"]
    clock.advance(3 * 24 * 60)
    listed = care.medical(op, viewer=MEDIC)
    assert listed["cases"][0]["token"] == urgent and listed["cases"][0]["minutes_left"] == 60
    assert datetime.fromisoformat(listed["now"]) == START
