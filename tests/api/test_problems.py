"""Refusals over HTTP are RFC 9457 problem+json naming the field, and change nothing."""

from tests.conftest import person
from tests.helpers import nothing_changes

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(r, status: int, field: str):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert PROBLEM_KEYS <= body.keys()
    assert body["status"] == status and body["type"].startswith("/problems/")
    assert body["field"] == field, body
    return body


def test_the_problem_shape_is_pinned(client):
    r = client.post("/api/sites", json={"code": "X", "kind": "checkpoint", "name_en": "X", "lat": 100, "lon": 1})
    body = assert_problem(r, 422, "lat")
    assert body == {"type": "/problems/invalid-input", "title": "Invalid input", "status": 422,
                    "detail": "lat: 100.0 is outside -90..90", "instance": "/api/sites", "field": "lat"}


def test_a_type_error_names_the_field(client, op):
    with nothing_changes(op):
        r = client.post("/api/sites", json={"code": "X", "kind": "checkpoint", "name_en": "X", "lat": "north",
                                            "lon": 1})
    body = assert_problem(r, 422, "lat")
    assert body["errors"][0]["field"] == "lat"


def test_a_nested_field_is_named_with_its_path(client, op):
    household = {"gathering_point": "GP-A", "persons": [person(relationship="head"), {"name_latin": 5}]}
    with nothing_changes(op):
        r = client.post("/api/households", json=household)
    assert_problem(r, 422, "persons[1].name_latin")


def test_an_unknown_token_is_404(client, op):
    with nothing_changes(op):
        r = client.get("/api/tokens/P00000000")
    assert_problem(r, 404, "token")


def test_a_negative_capacity_is_refused(client, op):
    with nothing_changes(op):
        r = client.post("/api/sites", json={"code": "RC-9", "kind": "reception_centre", "name_en": "R",
                                            "lat": 1, "lon": 1, "capacity": -3})
    assert_problem(r, 422, "capacity")


def test_a_departure_while_halted_is_409(client, op):
    household = {"gathering_point": "GP-A", "persons": [person(relationship="head")]}
    token = client.post("/api/households", json=household).json()["data"]["persons"][0]["token"]
    trip = client.post("/api/plan").json()["data"]["trips"][0]["id"]
    assert client.post(f"/api/trips/{trip}/board", json={"tokens": [token]}).status_code == 201
    assert client.post("/api/halt", json={"cause": "shelling"}).status_code == 201
    with nothing_changes(op):
        r = client.post(f"/api/trips/{trip}/depart")
    assert "halted" in assert_problem(r, 409, "trip")["detail"]


def test_a_resend_is_absorbed_and_a_conflicting_one_refused(client, op):
    site = {"code": "TP-1", "kind": "transit_point", "name_en": "Transit", "lat": 36.1, "lon": 37.0}
    first = client.post("/api/sites", json=site, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    with nothing_changes(op):
        again = client.post("/api/sites", json=site, headers={"Idempotency-Key": "k-1"})
        other = client.post("/api/sites", json={**site, "name_en": "Other"}, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == {**first.json(), "replayed": True}
    assert_problem(other, 409, "command_id")


def test_an_unknown_route_is_a_problem_too(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
