"""Trip manifests (issue 11): the persons on a trip with their names in both scripts, the vehicle, the route, the
times and the sign-offs; the PDF in English and Arabic; least data by role; each read logged; an unknown trip 404."""

from __future__ import annotations

import re
import subprocess

import pytest

from corridor.domain.errors import NotFound
from corridor.domain.permissions import Principal, Role
from corridor.service import access, manifests, movement, road
from corridor.service.recording import Meta
from tests.conftest import person, register
from tests.helpers import CONSOLE, nothing_changes, plan, planned_trip


@pytest.fixture
def departed(op, clock):
    family = register(op, persons=[person(relationship="head", birth_year=1980),
                                   person("فاطمة الحلبي", "Fatima al-Halabi", sex="female", relationship="spouse",
                                          birth_year=2010, mobility="stretcher", precedence="urgent")])
    plan(op)
    trip = planned_trip(op, family["persons"][0]["token"])
    movement.board(op, Meta(actor="amal"), trip=trip, tokens=family["token"])
    clock.advance(10)
    movement.depart(op, Meta(actor="marshal-gp-a", device="tablet-3"), trip=trip)
    return op, family, trip


def test_a_manifest_names_everyone_and_says_who_signed_off(departed):
    rt, family, trip = departed
    m = manifests.trip_manifest(rt, trip, viewer=CONSOLE)
    assert m["vehicle"]["plate"] and m["convoy"] and [s["code"] for s in m["route"]][0] == "GP-A"
    assert m["route"][0]["lat"] is not None and m["times"]["departed_at"]
    names = {p["name_latin"] for p in m["persons"]}
    assert names == {"Mohammed al-Halabi", "Fatima al-Halabi"}
    fatima = next(p for p in m["persons"] if p["name_latin"] == "Fatima al-Halabi")
    assert fatima["name_ar"] == "فاطمة الحلبي" and fatima["age"] == 6 and fatima["stretcher"] is True
    assert fatima["precedence"] == "urgent" and fatima["sex"] == "female"
    dep = m["sign_offs"]["departure"]
    assert dep["by"] == "marshal-gp-a" and dep["device"] == "tablet-3" and dep["persons"] == 2
    assert m["sign_offs"]["arrival"] is None


def test_a_manifest_shows_a_role_only_its_fields_and_each_read_is_logged(departed):
    rt, family, trip = departed
    coordinator = Principal(account="cora", role=Role.COORDINATOR)
    m = manifests.trip_manifest(rt, trip, viewer=coordinator)
    assert all("name_latin" not in p and "age" not in p for p in m["persons"])
    marshal = Principal(account="mona", role=Role.BOARDING_MARSHAL, sites=("GP-A",))
    assert all("name_ar" in p for p in manifests.trip_manifest(rt, trip, viewer=marshal)["persons"])
    log = access.entries(rt, subject=trip)
    assert [(e["account"], e["kind"], e["count"]) for e in log[:2]] == [("mona", "manifest", 2), ("cora", "manifest", 2)]


def test_a_manifest_for_a_trip_that_does_not_exist_is_refused(op):
    with nothing_changes(op), pytest.raises(NotFound) as e:
        manifests.trip_manifest(op, "T99999", viewer=CONSOLE)
    assert e.value.field == "trip"


def test_the_manifest_pdf_is_a4_in_english_and_arabic(departed, tmp_path):
    rt, family, trip = departed
    pdf = manifests.trip_manifest_pdf(rt, trip, viewer=CONSOLE)
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info and re.search(r"Pages:\s+2\n", info)  # English, then Arabic
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Trip manifest" in text and "Mohammed al-Halabi" in text and "marshal-gp-a" in text
    assert "Mohammed al-Halabi" not in subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


def test_a_private_vehicle_manifest_counts_the_people_not_registered(op, clock):
    a = register(op)
    plan(op)
    convoy = manifests.trip_manifest(op, planned_trip(op, a["persons"][0]["token"]), viewer=CONSOLE)["convoy"]
    r = road.join_private_vehicle(op, Meta(), convoy=convoy, plate="AL-77", kind="truck", seats=12,
                                  driver="Abu Khaled", occupants=[register(op)["persons"][0]["token"]],
                                  unregistered=6)
    m = manifests.trip_manifest(op, r.data["trip"], viewer=CONSOLE)
    assert m["private"] and m["unregistered"] == 6 and m["vehicle"]["driver"] == "Abu Khaled"
    assert m["vehicle"]["kind"] == "private_truck" and len(m["persons"]) == 1


def test_the_manifest_over_http(client):
    register(client.app.state.runtime)
    rt = client.app.state.runtime
    trip = plan(rt)["trips"][0]["id"]
    assert client.get(f"/api/trips/{trip}/manifest").json()["convoy"]
    r = client.get(f"/api/trips/{trip}/manifest.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    missing = client.get("/api/trips/T99999/manifest.pdf")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["field"] == "trip"
    assert client.get(f"/api/trips/{trip}/manifest.pdf?lang=fr").json()["field"] == "lang"
