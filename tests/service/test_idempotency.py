"""A resent command is absorbed; the same id with other content is a conflict."""

import hashlib
import threading

import pytest

from corridor.domain.commands import Board, Halt, MakePlan, MergeDuplicates, RegisterHousehold
from corridor.domain.errors import Conflict
from corridor.domain.codec import canonical_json
from corridor.service import movement, reports
from corridor.service.recording import Meta, fingerprint
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip


def test_a_resent_registration_is_absorbed(op):
    first = register(op, command_id="form-17")
    with nothing_changes(op):
        again = register(op, command_id="form-17")
    assert again == first
    assert reports.status(op)["households_registered"] == 1


def test_the_same_id_with_different_content_is_a_conflict(op):
    register(op, command_id="form-17")
    with nothing_changes(op), pytest.raises(Conflict) as e:
        register(op, command_id="form-17", persons=[person("عمر", "Omar", relationship="head")])
    assert e.value.field == "command_id" and "HouseholdRegistered" in e.value.detail


def test_a_resent_boarding_scan_is_absorbed(op):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    first = movement.board(op, Meta(command_id="scan-1"), trip=trip, tokens=family["token"])
    with nothing_changes(op):
        again = movement.board(op, Meta(command_id="scan-1"), trip=trip, tokens=family["token"])
    assert again.replayed and not first.replayed and again.seq == first.seq


def test_concurrent_resends_record_once(op):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    results, errors = [], []

    def send():
        try:
            results.append(movement.board(op, Meta(command_id="scan-x"), trip=trip, tokens=family["token"]))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(not r.replayed for r in results) == 1 and len({r.seq for r in results}) == 1
    assert reports.verify(op).ok


def test_a_resent_boarding_scan_with_a_lower_case_token_is_absorbed(op):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    first = movement.board(op, Meta(command_id="scan-2"), trip=trip, tokens=family["token"])
    with nothing_changes(op):
        again = movement.board(op, Meta(command_id="scan-2"), trip=trip.lower(), tokens=family["token"].lower())
    assert again.replayed and again.seq == first.seq


def test_a_resent_boarding_scan_with_a_lower_case_token_is_absorbed_over_http(client):
    family = client.post("/api/households", json={"gathering_point": "GP-A", "destination": "RC-1",
                                                  "persons": [person(relationship="head")]}).json()["data"]
    client.post("/api/plan")
    token = family["persons"][0]["token"]
    trip = client.get(f"/api/tokens/{token}").json()["trip"]
    headers = {"Idempotency-Key": "scan-http-1"}
    first = client.post(f"/api/trips/{trip}/board", json={"tokens": [token]}, headers=headers)
    again = client.post(f"/api/trips/{trip}/board", json={"tokens": [token.lower()]}, headers=headers)
    assert first.status_code == 201, first.text
    assert again.status_code in (200, 201), again.text
    assert again.json()["replayed"] and again.json()["seq"] == first.json()["seq"]


@pytest.mark.parametrize("command,name,params", [
    (Board(trip="T00001", tokens=["PNFCB6HG5"]), "board", {"trip": "T00001", "tokens": ["PNFCB6HG5"]}),
    (MakePlan(), "plan", {}),
    (Halt(cause="shelling", note=""), "halt", {"cause": "shelling", "note": ""}),
    (MergeDuplicates(kept="PNFCB6HG5", duplicate="PNFCB6HG5"), "merge_duplicates",
     {"kept": "PNFCB6HG5", "duplicate": "PNFCB6HG5", "note": ""}),
    (RegisterHousehold.of({"gathering_point": "GP-A", "destination": None, "persons": [{"name_latin": "Omar"}]}),
     "register_household", {"gathering_point": "GP-A", "destination": None, "persons": [{"name_latin": "Omar"}],
                            "token": None, "person_tokens": None}),
])
def test_normalised_commands_fingerprint_as_before(command, name, params):
    """Ledgers recorded before commands were dataclasses still recognise their resends."""
    body = canonical_json({"command": name, "params": params, "at": None})
    assert fingerprint(command.normalised(), None) == hashlib.sha256(body.encode("utf-8")).hexdigest()
