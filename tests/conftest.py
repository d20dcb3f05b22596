"""Shared fixtures: a runtime on a fresh SQLite file, a small operation, an API client."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import os

import pytest
from hypothesis import settings

# CI runs the same examples every time (a failure there is reproducible, not a coin toss); locally, new ones
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from corridor.bootstrap import bootstrap
from corridor.service import registration, setup
from corridor.service.recording import Meta

START = datetime(2016, 12, 15, 6, 0, tzinfo=timezone(timedelta(hours=2)))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: int) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


SMALL_SPEC = {
    "operation": {"name_en": "Test evacuation", "name_ar": "إجلاء تجريبي", "starts_at": START.isoformat()},
    "sites": [
        {"code": "GP-A", "kind": "gathering_point", "name_en": "Gathering A", "name_ar": "نقطة التجمع أ",
         "lat": 36.17, "lon": 37.12},
        {"code": "GP-B", "kind": "gathering_point", "name_en": "Gathering B", "name_ar": "نقطة التجمع ب",
         "lat": 36.19, "lon": 37.13},
        {"code": "CP-1", "kind": "checkpoint", "name_en": "Checkpoint 1", "name_ar": "حاجز ١", "lat": 36.165, "lon": 37.14},
        {"code": "CP-2", "kind": "checkpoint", "name_en": "Checkpoint 2", "name_ar": "حاجز ٢", "lat": 36.175, "lon": 37.06},
        {"code": "RC-1", "kind": "reception_centre", "name_en": "Reception 1", "name_ar": "مركز استقبال ١",
         "lat": 35.93, "lon": 36.63, "capacity": 500},
        {"code": "RC-2", "kind": "reception_centre", "name_en": "Reception 2", "name_ar": "مركز استقبال ٢",
         "lat": 36.14, "lon": 36.83, "capacity": 500},
    ],
    "legs": [
        {"origin": "GP-A", "destination": "CP-1", "minutes": 10},
        {"origin": "GP-B", "destination": "CP-1", "minutes": 15},
        {"origin": "CP-1", "destination": "CP-2", "minutes": 20},
        {"origin": "CP-2", "destination": "RC-1", "minutes": 60},
        {"origin": "CP-2", "destination": "RC-2", "minutes": 40},
    ],
    "vehicles": [
        {"code": "BUS-1", "plate": "SARC-101", "kind": "bus", "seats": 8, "stretchers": 0, "operator": "SARC",
         "site": "GP-A", "available_from": START.isoformat()},
        {"code": "BUS-2", "plate": "SARC-102", "kind": "bus", "seats": 8, "stretchers": 0, "operator": "SARC",
         "site": "GP-B", "available_from": START.isoformat()},
        {"code": "AMB-1", "plate": "ICRC-1", "kind": "ambulance", "seats": 2, "stretchers": 2, "operator": "ICRC",
         "site": "GP-A", "available_from": START.isoformat()},
    ],
}


def person(name_ar="محمد الحلبي", name_latin="Mohammed al-Halabi", **kw) -> dict:
    return {"name_ar": name_ar, "name_latin": name_latin, "sex": kw.pop("sex", "male"),
            "birth_year": kw.pop("birth_year", 1980), "relationship": kw.pop("relationship", "other_relative"), **kw}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rt(tmp_path, clock):
    runtime = bootstrap(tmp_path / "test.db", clock=clock, seed=7)
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def op(rt):
    """The runtime with the small operation set up (sites, legs, vehicles) and nobody registered."""
    setup.load_setup(rt, SMALL_SPEC)
    return rt


def register(rt, gathering_point="GP-A", destination="RC-1", persons=None, command_id=None) -> dict:
    """Register one household; returns the event data (token, persons with tokens)."""
    persons = persons or [person(relationship="head"), person("فاطمة الحلبي", "Fatima al-Halabi", sex="female", relationship="spouse")]
    receipt = registration.register_household(
        rt, Meta(command_id=command_id), {"gathering_point": gathering_point, "destination": destination,
                                          "persons": persons})
    return receipt.data


@pytest.fixture
def client(op):
    from fastapi.testclient import TestClient

    from corridor.api.app import create_app

    with TestClient(create_app(op)) as c:
        yield c


@pytest.fixture
def client_empty(rt):
    """An API client on a database with no operation yet, and its runtime."""
    from fastapi.testclient import TestClient

    from corridor.api.app import create_app

    with TestClient(create_app(rt)) as c:
        yield c, rt
