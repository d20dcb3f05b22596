"""A driver's name is personal data (issue 11): sealed at rest under the operation's drivers' key — in the ledger,
the views and the raw database files — opened on the manifest for the roles that read manifests, never in a
movement notification, and unreadable once the drivers' key is destroyed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from corridor.domain.errors import BadInput
from corridor.service import manifests, movement, notifications, reports, road
from corridor.service.recording import Meta
from corridor.store.crypto import ERASED
from corridor.store.sealing import DRIVERS
from corridor.store.tables import household_keys, ledger
from tests.conftest import register
from tests.helpers import CONSOLE, nothing_changes, plan, planned_trip
from tests.rawdb import raw_bytes

FLEET_DRIVER = "Ghiyath Zaatarawi / غياث زعتراوي"
PRIVATE_DRIVER = "Wadih Qarqanawi / وديع قرقناوي"
WORDS = ["Zaatarawi", "زعتراوي", "Qarqanawi", "قرقناوي"]


@pytest.fixture
def driven(op, clock):
    family = register(op)
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    convoy = manifests.trip_manifest(op, trip, viewer=CONSOLE)["convoy"]
    private = road.join_private_vehicle(op, Meta(), convoy=convoy, plate="AL-5", kind="car", seats=4,
                                        driver=PRIVATE_DRIVER, unregistered=2).data["trip"]
    movement.board(op, Meta(), trip=trip, tokens=family["token"])
    clock.advance(10)
    movement.depart(op, Meta(), trip=trip, driver=FLEET_DRIVER)
    return op, trip, private, convoy


def test_the_manifest_opens_the_drivers_name(driven):
    rt, trip, private, _ = driven
    assert manifests.trip_manifest(rt, trip, viewer=CONSOLE)["vehicle"]["driver"] == FLEET_DRIVER
    assert manifests.trip_manifest(rt, private, viewer=CONSOLE)["vehicle"]["driver"] == PRIVATE_DRIVER


def test_no_drivers_name_in_the_ledger_the_views_or_the_raw_files(driven):
    rt, trip, private, _ = driven
    with rt.reading() as uow:
        payloads = " ".join(uow.conn.execute(select(ledger.c.payload)).scalars())
    views = json.dumps(reports.views_snapshot(rt), default=str, ensure_ascii=False)
    raw = raw_bytes(rt)
    for word in WORDS:
        assert word not in payloads and word not in views
        assert word.encode("utf-8") not in raw
    assert f'"driver":"enc:v1:{DRIVERS}:' in payloads


def test_rebuilt_views_keep_the_drivers_sealed_and_identical(driven):
    rt, trip, *_ = driven
    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before
    assert manifests.trip_manifest(rt, trip, viewer=CONSOLE)["vehicle"]["driver"] == FLEET_DRIVER


def test_a_notification_names_no_driver(driven):
    rt, _, _, convoy = driven
    d = notifications.notification(rt, convoy=convoy, contact="ops room")
    assert d["vehicles"] and not any(w in json.dumps(d, ensure_ascii=False) for w in WORDS)
    assert all("driver" not in v for v in d["vehicles"])


def test_destroying_the_drivers_key_erases_every_drivers_name_and_nothing_else(driven):
    rt, trip, private, _ = driven
    with rt.writing() as uow:
        assert rt.vault.destroy(uow.conn, DRIVERS)
        uow.commit()
    rt.vault.forget()
    m = manifests.trip_manifest(rt, trip, viewer=CONSOLE)
    assert m["vehicle"]["driver"] == ERASED and m["persons"][0]["name_latin"] != ERASED
    assert manifests.trip_manifest(rt, private, viewer=CONSOLE)["vehicle"]["driver"] == ERASED
    assert reports.verify(rt).ok
    # the next driver's name is sealed under a new drivers' key
    with rt.reading() as uow:
        assert uow.conn.execute(select(household_keys).where(household_keys.c.household == DRIVERS)).first() is None


def test_a_drivers_name_too_long_is_refused_naming_the_field(op):
    register(op)
    trip = plan(op)["trips"][0]
    with nothing_changes(op), pytest.raises(BadInput) as e:
        road.join_private_vehicle(op, Meta(), convoy=trip["convoy"], plate="AL-6", kind="car", seats=4,
                                  driver="x" * 101, unregistered=1)
    assert e.value.field == "driver"
