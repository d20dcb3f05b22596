"""Family links: unaccompanied and separated children listed with who they travel with; at the
reception centre, the people a child is linked to are shown, and a child arriving without them is flagged."""

import pytest

from corridor.domain.errors import BadInput, NotFound
from corridor.service import movement, protection
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


def child(**kw):
    kw.setdefault("relationship", "child")
    return person("سارة الحلبي", "Sara al-Halabi", sex="female", birth_year=2010, **kw)


def run_to_reception(rt, trip, tokens):
    movement.board(rt, Meta(), trip=trip, tokens=tokens)
    movement.depart(rt, Meta(), trip=trip)
    for cp in ("CP-1", "CP-2"):
        movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint=cp)
    movement.arrive(rt, Meta(), trip=trip)


def test_separated_children_are_listed_with_who_they_travel_with(op):
    mother = register(op, persons=[person("منى الحلبي", "Mona al-Halabi", sex="female", relationship="head")])
    mother_token = mother["persons"][0]["token"]
    neighbours = register(op, persons=[person(relationship="head"),
                                       child(vulnerabilities=["separated_child"], links=[mother_token])])
    register(op)  # a household with no child
    (listed,) = protection.children(op, viewer=CONSOLE)
    assert listed["token"] == neighbours["persons"][1]["token"]
    assert listed["vulnerabilities"] == ["separated_child"]
    linked = {p["token"]: p for p in listed["linked"]}
    assert set(linked) == {neighbours["persons"][0]["token"], mother_token}
    assert linked[mother_token]["relationship"] == "head"


def test_a_link_to_an_unknown_person_is_refused(op):
    with nothing_changes(op), pytest.raises(NotFound) as e:
        register(op, persons=[person(relationship="head"), child(links=["P00000000"])])
    assert e.value.field == "persons[1].links"
    with nothing_changes(op), pytest.raises(BadInput):
        register(op, persons=[person(relationship="head"), child(links=["not a token"])])


def test_a_child_scanned_in_with_the_family_is_not_flagged(op):
    family = register(op, persons=[person(relationship="head"), child()])
    plan(op)
    tokens = [p["token"] for p in family["persons"]]
    trip = planned_trip(op, tokens[0])
    run_to_reception(op, trip, family["token"])
    r = movement.scan_in(op, Meta(), trip=trip, tokens=tokens[1])
    (c,) = protection.at_reception(op, list(r.data["persons"]), viewer=CONSOLE)
    assert c["token"] == tokens[1]
    assert [p["with_child"] for p in c["linked"]] == [True] and not c["arrived_without_linked_people"]


def test_a_child_arriving_without_the_people_they_are_linked_to_is_flagged(op):
    mother = register(op, destination="RC-2", persons=[person("منى", "Mona", sex="female", relationship="head")])
    alone = register(op, destination="RC-1", persons=[child(vulnerabilities=["unaccompanied_child"], relationship="head",
                                                            links=[mother["persons"][0]["token"]])])
    plan(op)
    token = alone["persons"][0]["token"]
    trip = planned_trip(op, token)
    run_to_reception(op, trip, token)
    movement.scan_in(op, Meta(), trip=trip, tokens=token)
    (c,) = protection.at_reception(op, [token], viewer=CONSOLE)
    assert c["arrived_without_linked_people"]
    assert c["linked"][0]["state"] == "assigned" and not c["linked"][0]["with_child"]


def test_the_api_shows_linked_people_at_scan_in(client, op):
    family = register(op, persons=[person(relationship="head"), child()])
    trip = client.post("/api/plan").json()["data"]["trips"][0]["id"]
    run_to_reception(op, trip, family["token"])
    body = client.post(f"/api/trips/{trip}/scan-in", json={"tokens": [family["persons"][1]["token"]]}).json()
    assert body["children"][0]["linked"][0]["token"] == family["persons"][0]["token"]
    assert client.get("/api/protection/children?all=true").json()[0]["token"] == family["persons"][1]["token"]
