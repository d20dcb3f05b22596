"""The rules between fields that the OpenAPI document states in words (each operation's description), not in JSON
Schema: each broken one is refused 422 naming the field, and nothing is recorded. A rule of the clock or of the
operation's state is answered 409. tests/api/contract_hooks.py keeps schemathesis's generated requests to the same
rules; this file proves the server holds them."""

from __future__ import annotations

import random

import pytest

from corridor.domain.permissions import Role
from corridor.domain.tokens import make_token
from tests.conftest import register
from tests.helpers import nothing_changes, plan

NAMED = {"name_ar": "أمل", "name_latin": "Amal"}
ONE = {"gathering_point": "GP-A", "persons": [{**NAMED, "relationship": "head"}]}


def refused(client, op, path: str, body: dict, field: str, status: int = 422):
    with nothing_changes(op):
        r = client.post(path, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["field"] == field, r.json()
    return r.json()


def test_setting_up(client, op):
    refused(client, op, "/api/legs", {"origin": "GP-A", "destination": "GP-A", "minutes": 5}, "destination")
    window = {"opens": "2016-12-15T10:00:00+00:00", "closes": "2016-12-15T08:00:00+00:00"}
    refused(client, op, "/api/corridor-rules", {"windows": [window]}, "windows[0].closes")
    refused(client, op, "/api/corridor-rules", {"windows": [{**window, "closes": window["opens"]}]}, "windows[0].closes")


@pytest.mark.parametrize("persons, field", [
    ([{**NAMED, "relationship": "head"}, {**NAMED, "relationship": "head"}], "persons"),
    ([{"name_latin": "Amal", "name_ar": "Amal"}], "persons[0].name_ar"),
    ([{"name_ar": "أمل", "name_latin": "أمل"}], "persons[0].name_latin"),
    ([{"sex": "female"}], "persons[0].name_ar"),
    ([{"name_latin": "Amal \u263a"}], "persons[0].name_latin"),
    ([{**NAMED, "birth_year": 1980, "birth_date": "1981-03-01"}], "persons[0].birth_date"),
    ([{**NAMED, "birth_date": "2016-12-16"}], "persons[0].birth_date"),  # after the registration (now)
    ([{**NAMED, "birth_year": 1850}], "persons[0].birth_year"),
    ([{**NAMED, "medical_notes": "bleeding\x00"}], "persons[0].medical_notes"),
])
def test_a_household(client, op, persons, field):
    refused(client, op, "/api/households", {"gathering_point": "GP-A", "persons": persons}, field)
    batch = {"households": [ONE, {"gathering_point": "GP-B", "persons": persons}]}
    problem = refused(client, op, "/api/households/batch", batch, "items[1]")
    assert [(e["item"], e["field"], e["status"]) for e in problem["errors"]] == [(2, field, 422)]


def test_tokens_of_a_household(client, op):
    fresh = [make_token("P", random.Random(i)) for i in range(2)]
    refused(client, op, "/api/households", {**ONE, "person_tokens": fresh}, "person_tokens")  # 2 for 1 person
    token = register(op)["persons"][0]["token"]
    refused(client, op, "/api/households", {**ONE, "person_tokens": [token]}, "person_tokens[0]", 409)  # in use


def test_a_mistyped_link_names_nobody(client, op):
    token = register(op)["persons"][0]["token"]
    mistyped = token[:-1] + ("0" if token[-1] != "0" else "1")  # its check symbol fails
    persons = [{**NAMED, "links": [mistyped]}]
    refused(client, op, "/api/households", {"gathering_point": "GP-A", "persons": persons}, "persons[0].links", 404)


def test_a_batch_is_answered_as_its_items(client, op):
    """422 when an item is malformed, else 409 when one is refused now, else 404 (something unknown)."""
    token = register(op)["persons"][0]["token"]
    unknown = {**ONE, "gathering_point": "GP-Z"}
    in_use = {**ONE, "person_tokens": [token]}
    bad = {"gathering_point": "GP-A", "persons": [{"sex": "female"}]}
    path = "/api/households/batch"
    assert refused(client, op, path, {"households": [ONE, unknown]}, "items[1]", 404)["title"] == "Not found"
    assert refused(client, op, path, {"households": [unknown, in_use]}, "items[0]", 409)["title"] == "Conflict"
    problem = refused(client, op, path, {"households": [unknown, in_use, bad]}, "items[0]", 422)
    assert [e["status"] for e in problem["errors"]] == [404, 409, 422]


def test_the_agreement(client, op):
    coordinator = client.as_role(Role.COORDINATOR)
    civilian = {"code": "civilian"}
    for terms, field in [
        ({"categories": [civilian, {"code": "elderly"}, {"code": "elderly"}]}, "categories[2].code"),
        ({"categories": [civilian], "default_category": "elderly"}, "default_category"),
        ({"default_category": "elderly"}, "default_category"),
        ({"quotas": [{"period": "day", "limit": 5, "category": "elderly"}]}, "quotas[0].category"),
        ({"starts_at": "2016-12-15T06:00:00+02:00", "ends_at": "2016-12-15T06:00:00+02:00"}, "ends_at"),
        ({"link": {"name": "Linked", "ratio": 1e-300}}, "link.ratio"),  # the schema's bounds: 0.001 to 1,000
        ({"starts_at": "9999-12-31T00:00:00+00:00"}, "starts_at"),  # and its years: 1900 to 2999
        ({"link": {"name": "Linked", "steps": [{"there": 10, "here": 5}, {"there": 10, "here": 8}]}},
         "link.steps[1]"),
        ({"link": {"name": "Linked", "steps": [{"there": 10, "here": 5}, {"there": 20, "here": 4}]}},
         "link.steps[1]"),
    ]:
        refused(coordinator, op, "/api/agreement", {"terms": terms}, field)
    both = {"link": {"name": "Linked", "ratio": 1, "steps": [{"there": 10, "here": 5}]}}  # the schema's oneOf
    refused(coordinator, op, "/api/agreement", {"terms": both}, "link.ratio")


def test_the_linked_figures(client, op):
    coordinator = client.as_role(Role.COORDINATOR)
    assert coordinator.post("/api/agreement", json={"terms": {"link": {"name": "Linked", "ratio": 1}}}).status_code == 201
    body = {"moved": 5, "at": "2016-12-15T05:00:00+02:00", "as_of": "2016-12-15T05:30:00+02:00"}
    refused(coordinator, op, "/api/agreement/linked", body, "as_of")  # after the `at` sent
    refused(coordinator, op, "/api/agreement/linked", {"moved": 5, "as_of": "2017-01-01T00:00:00+00:00"}, "as_of",
            409)  # after now: the clock refuses it now
    incident = {"incident": "attacked", "at": "2016-12-15T05:00:00+02:00", "occurred_at": "2016-12-15T05:30:00+02:00"}
    refused(coordinator, op, "/api/agreement/linked-incidents", incident, "occurred_at")  # after the `at` sent


def test_a_private_vehicle(client, op):
    token = register(op)["persons"][0]["token"]
    convoy = plan(op)["trips"][0]["convoy"]
    path = f"/api/convoys/{convoy}/private-vehicles"
    car = {"plate": "ALP-1", "kind": "car", "seats": 2, "driver": "Samir"}
    refused(client, op, path, car, "occupants")  # nobody aboard
    refused(client, op, path, {**car, "occupants": [token], "unregistered": 2}, "occupants")  # 3 people, 2 seats


@pytest.mark.parametrize("params, field, status", [
    ({}, "convoy", 422), ({"convoy": "C1-1", "date": "2016-12-15"}, "convoy", 422),
    ({"date": "2016-12-14"}, "date", 409),  # before today (the clock's): refused now
])
def test_a_movement_notification(client, op, params, field, status):
    for path in ("/api/notifications", "/api/notifications.pdf"):
        r = client.get(path, params=params)
        assert r.status_code == status and r.json()["field"] == field, r.text


def test_a_claim_the_document_describes(client, op):
    claim = {"source": "ICRC", "reported_at": "2016-12-15T05:00:00+02:00"}
    refused(client, op, "/api/claims", {**claim, "figures": [{"metric": "buses", "low": 9, "high": 3}]},
            "figures[0].low")
    refused(client, op, "/api/claims", {**claim, "figures": [
        {"metric": "buses", "value": 3, "as_of": "2016-12-15T05:01:00+02:00"}]}, "figures[0].as_of")
    refused(client, op, "/api/claims", {**claim, "reported_at": "2016-12-17T09:00:00+02:00", "operation_state":
                                        "running"}, "reported_at", 409)  # ahead of the clock (and its margin)
