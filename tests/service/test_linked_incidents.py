"""The linked operation's incidents (issue 11): recorded as reported (an event of the ledger), shown with the link's
state in `status`, GET /api/status and the alarms in neutral words in English and Arabic; bad reports refused naming
the field, nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from corridor.domain.errors import BadInput, RuleRefused
from corridor.domain.permissions import Role
from corridor.service import agreement, alarms, linked, reports
from corridor.service.recording import Meta
from tests.conftest import START
from tests.helpers import nothing_changes

TERMS = {"link": {"name": "Foua and Kefraya", "ratio": 1.0}}


def test_an_incident_of_the_linked_operation_is_recorded_and_shown_with_the_link(op, clock):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    happened = clock.now - timedelta(hours=2)
    r = linked.record_incident(op, Meta(command_id="inc-1"), incident="burned", occurred_at=happened.isoformat(),
                               vehicles=5, persons_affected=0, source="liaison", note="buses set on fire on the road")
    assert r.type == "LinkedIncidentRecorded"
    again = linked.record_incident(op, Meta(command_id="inc-1"), incident="burned", occurred_at=happened.isoformat(),
                                   vehicles=5, persons_affected=0, source="liaison",
                                   note="buses set on fire on the road")
    assert again.replayed and again.seq == r.seq  # a resend is absorbed
    (incident,) = reports.status(op)["agreement_link"]["incidents"]
    assert (incident["incident"], incident["vehicles"], incident["source"]) == ("burned", 5, "liaison")
    assert agreement.show(op)["link"]["incidents"] == [incident]
    (alarm,) = [a for a in alarms.alarms(op) if a.kind == "linked_incident"]
    said = alarm.as_dict()
    assert said["en"] == ("Linked operation Foua and Kefraya: 5 vehicle(s) burned on its road 2.0 h ago, 0 person(s) "
                          "affected, as reported (liaison)")
    assert "احترقت" in said["ar"] and "Foua and Kefraya" in said["ar"]
    # a day later it is no longer an alarm; it stays in the link's state
    clock.now = happened + timedelta(hours=25)
    assert not [a for a in alarms.alarms(op) if a.kind == "linked_incident"]
    assert len(agreement.link_state(op)["incidents"]) == 1


@pytest.mark.parametrize("change, field", [
    (dict(incident="exploded"), "incident"),
    (dict(vehicles=0), "vehicles"),
    (dict(vehicles=True), "vehicles"),
    (dict(persons_affected=-1), "persons_affected"),
    (dict(occurred_at="tomorrow"), "occurred_at"),
    (dict(occurred_at=(START + timedelta(days=30)).isoformat()), "occurred_at"),
    (dict(source=" "), "source"),
    (dict(note="x" * 501), "note"),
])
def test_a_bad_incident_is_refused_naming_the_field(op, change, field):
    agreement.set_agreement(op, Meta(), terms=TERMS)
    args = dict(incident="attacked", vehicles=2, persons_affected=1, source="liaison") | change
    with nothing_changes(op), pytest.raises(BadInput) as e:
        linked.record_incident(op, Meta(), **args)
    assert e.value.field == field


def test_an_incident_without_a_linked_operation_is_refused(op):
    with nothing_changes(op), pytest.raises(RuleRefused) as e:
        linked.record_incident(op, Meta(), incident="attacked")
    assert e.value.field == "link"


def test_an_incident_over_http(client, op):
    coordinator = client.as_role(Role.COORDINATOR)
    assert coordinator.post("/api/agreement", json={"terms": TERMS}).status_code == 201
    r = coordinator.post("/api/agreement/linked-incidents", json={"incident": "attacked", "vehicles": 3,
                                                                  "persons_affected": 2, "source": "liaison"})
    assert r.status_code == 201, r.text
    assert coordinator.get("/api/status").json()["agreement_link"]["incidents"][0]["vehicles"] == 3
    assert any(a["kind"] == "linked_incident" for a in coordinator.get("/api/status").json()["alarms"])
    html = coordinator.get("/fragments/live").text  # the dashboard's alarms
    assert 'data-kind="linked_incident"' in html and "3 vehicle(s) attacked" in html
    bad = coordinator.post("/api/agreement/linked-incidents", json={"incident": "exploded"})
    assert bad.status_code == 422 and bad.json()["field"] == "incident"
    assert client.as_role(Role.ANALYST).post("/api/agreement/linked-incidents",
                                             json={"incident": "lost"}).status_code == 403


def test_incidents_exported_by_one_instance_are_imported_by_the_other_once(op, clock):
    from corridor.service import movement, road
    from tests.conftest import register
    from tests.helpers import plan, planned_trip

    agreement.set_agreement(op, Meta(), terms=TERMS | {"link": {"name": "Linked towns", "ratio": 0.001}})
    agreement.record_linked_figures(op, Meta(), moved=10)
    home = register(op)
    plan(op)
    trip = planned_trip(op, home["persons"][0]["token"])
    movement.board(op, Meta(), trip=trip, tokens=home["token"])
    movement.depart(op, Meta(), trip=trip)
    road.vehicle_lost(op, Meta(), trip=trip, incident="attacked", note="as reported", persons=[], others="injured")
    export = agreement.export_figures(op)
    (mine,) = export["incidents"]
    assert (mine["ref"], mine["incident"], mine["vehicles"], mine["persons_affected"]) == (
        trip, "attacked", 1, len(home["persons"]))
    # the other instance (here the same database, as its linked operation) imports them, once
    agreement.import_figures(op, Meta(command_id="import-1"), export | {"operation": "Linked towns"})
    agreement.import_figures(op, Meta(), export | {"operation": "Linked towns"})
    (got,) = agreement.link_state(op)["incidents"]
    assert got["source"] == f"import: Linked towns (trip {trip})" and got["incident"] == "attacked"
    bad = export | {"operation": "Other towns", "incidents": [mine | {"incident": "exploded"}]}
    with nothing_changes(op), pytest.raises(BadInput) as e:
        agreement.import_figures(op, Meta(), bad)
    assert e.value.field == "export.incidents[0].incident"
    with nothing_changes(op), pytest.raises(BadInput) as e:
        agreement.import_figures(op, Meta(), export | {"incidents": [{"ref": "T1"}]})
    assert e.value.field == "export.incidents[0].occurred_at"
