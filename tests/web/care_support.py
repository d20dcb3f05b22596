"""The small operation the medic's and the protection officer's desks are tested on, made with the services:
an urgent stretcher case and a priority case, a household whose member is held at a checkpoint, a child
travelling alone and a child separated from a mother registered in another household; planned, one trip
boarded, departed and stopped at CP-1. Also an account of each of the two roles limited to GP-B."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import httpx

from corridor.domain.permissions import Role
from corridor.service import accounts, movement, planning, reports
from corridor.service.recording import Meta
from tests.conftest import person, register

LIMITED_PASSWORD = "corridor test password, limited to gathering point B"
HELD_REASON = "Taken for a document check, as stated by the checkpoint officer"


def now() -> Meta:
    return Meta(at=datetime.now(timezone.utc).isoformat())


def trip_of(rt, token: str) -> str:
    """The trip a person is assigned to (from the trips' manifests)."""
    for t in reports.trips(rt):
        if any(p["token"] == token for p in reports.manifest(rt, t["id"])):
            return t["id"]
    raise AssertionError(f"{token} is on no trip")


def make_demo(folder, templates) -> dict:
    """The runtime on the real clock (the browser stamps what it sends with the real time) and who is who."""
    rt = templates.open("operation", folder, seed=7)
    urgent = register(rt, "GP-A", "RC-1", [
        person("خالد العمر", "Khaled al-Omar", relationship="head", mobility="stretcher", precedence="urgent",
               medical_notes="Shrapnel wound, left leg; tourniquet"),
        person("سعاد العمر", "Suad al-Omar", sex="female", relationship="spouse")])
    priority = register(rt, "GP-B", "RC-2", [
        person("أمينة السيد", "Amina al-Sayed", sex="female", relationship="head", birth_year=1950,
               precedence="priority", medical_notes="Insulin-dependent diabetes")])
    parents = register(rt, "GP-B", "RC-2", [
        person("مريم حداد", "Mariam Haddad", sex="female", relationship="head", birth_year=1985)])
    mother = parents["persons"][0]["token"]
    separated = register(rt, "GP-A", "RC-1", [
        person("سامي حداد", "Sami Haddad", relationship="head", birth_year=2009,
               vulnerabilities=["separated_child"], links=[mother])])
    alone = register(rt, "GP-B", "RC-2", [
        person("ليلى", "Layla", sex="female", relationship="head", birth_year=2012,
               vulnerabilities=["unaccompanied_child"])])
    stopped = register(rt, "GP-A", "RC-1", [
        person("عمر الخطيب", "Omar al-Khatib", relationship="head", birth_year=1990),
        person("هدى الخطيب", "Huda al-Khatib", sex="female", relationship="spouse", birth_year=1992)])
    planning.plan(rt, Meta())
    held_person = stopped["persons"][0]["token"]
    trip = trip_of(rt, held_person)
    movement.board(rt, now(), trip=trip, tokens=stopped["token"])
    movement.depart(rt, now(), trip=trip)
    movement.pass_checkpoint(rt, now(), trip=trip, checkpoint="CP-1",
                             taken_off=[{"token": held_person, "outcome": "held", "reason": HELD_REASON}])
    for role in (Role.MEDIC, Role.PROTECTION_OFFICER):
        accounts.add_user(rt, f"{role.value}_gpb", role=role, sites=["GP-B"], password=LIMITED_PASSWORD, by="tests")
    return {"rt": rt, "urgent": urgent["persons"][0]["token"], "priority": priority["persons"][0]["token"],
            "mother": mother, "separated": separated["persons"][0]["token"], "alone": alone["persons"][0]["token"],
            "held": held_person, "held_trip": trip, "stopped_household": stopped["token"]}


def read_kinds(rt, account: str) -> set[str]:
    """The kinds of read the access log holds for this account."""
    from corridor.service import access

    return {e["kind"] for e in access.entries(rt, account=account)}


def page_weight(base: str, path: str, headers: dict) -> int:
    """The bytes of a screen's first load: the page and every script and style sheet it names."""
    html = httpx.get(f"{base}{path}", headers=headers).text
    total = len(html.encode())
    for ref in re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', html):
        total += len(httpx.get(f"{base}{ref}", headers=headers).content)
    return total
