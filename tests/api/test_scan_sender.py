"""A boarding scan's sender: a server that verified a token before takes it at its word up to the scan, and reads
it again inside the scan's own transaction. A token revoked, an account disabled or given another role since — by
this server, another one on the database or the console — records nothing; the change counts from the next scan.

The service that revokes keeps nothing in memory to clear: revoking here is what any other process does."""

from __future__ import annotations

import pytest

from corridor.domain.permissions import Role
from corridor.service import accounts
from tests.conftest import person, register
from tests.helpers import nothing_changes, plan, planned_trip

MARSHAL = Role.BOARDING_MARSHAL


@pytest.fixture
def scans(op):
    """Three persons planned: (trip, person token) of each."""
    tokens = [register(op, persons=[person(relationship="head")])["persons"][0]["token"] for _ in range(3)]
    plan(op)
    return [(planned_trip(op, token), token) for token in tokens]


def scan(client, trip: str, token: str):
    return client.post(f"/api/trips/{trip}/board", json={"tokens": [token]}, headers={"Idempotency-Key": f"s:{token}"})


def test_a_token_revoked_after_a_scan_records_no_further_scan(client, op, scans):
    marshal = client.as_role(MARSHAL)
    assert scan(marshal, *scans[0]).status_code == 201  # verified, and remembered by this server
    assert accounts.revoke(op, account=MARSHAL.value) >= 1
    with nothing_changes(op):
        refused = scan(marshal, *scans[1])
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    with nothing_changes(op):
        assert scan(marshal, *scans[2]).status_code == 401  # and every scan after it


def test_an_account_disabled_after_a_scan_records_no_further_scan(client, op, scans):
    marshal = client.as_role(MARSHAL)
    assert scan(marshal, *scans[0]).status_code == 201
    accounts.disable(op, MARSHAL.value, by="console:test")
    with nothing_changes(op):
        assert scan(marshal, *scans[1]).status_code == 401


def test_an_account_given_another_role_is_refused_then_judged_by_its_new_role(client, op, scans):
    marshal = client.as_role(MARSHAL)
    assert scan(marshal, *scans[0]).status_code == 201
    accounts.set_role(op, MARSHAL.value, role=Role.REGISTRAR.value, by="console:test")
    with nothing_changes(op):
        changed = scan(marshal, *scans[1])
        assert changed.status_code == 401 and "role" in changed.json()["detail"]
        again = scan(marshal, *scans[1])  # sent again: read afresh, the registrar may not board
        assert again.status_code == 403


def test_a_remembered_token_still_boards_and_resends_are_replays(client, op, scans):
    marshal = client.as_role(MARSHAL)
    first = [scan(marshal, *s) for s in scans]
    assert [r.status_code for r in first] == [201, 201, 201]
    with nothing_changes(op):
        again = scan(marshal, *scans[1])
    assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.json()["seq"] == first[1].json()["seq"]


def test_a_role_widened_elsewhere_is_honoured_at_once(client, op, scans):
    registrar = client.as_role(Role.REGISTRAR)
    with nothing_changes(op):
        assert scan(registrar, *scans[0]).status_code == 403  # read now, and remembered as a registrar
    accounts.set_role(op, Role.REGISTRAR.value, role=MARSHAL.value, by="console:test")
    assert scan(registrar, *scans[0]).status_code == 201  # a refusal is never judged on what was remembered
