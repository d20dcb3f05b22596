"""A resent command is absorbed; the same id with other content is a conflict."""

import threading

import pytest

from corridor.domain.errors import Conflict
from corridor.service import movement, reports
from corridor.service.runtime import Meta
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
