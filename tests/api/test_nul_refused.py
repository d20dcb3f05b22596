"""A NUL character in a value the server looks up as sent (a trip's, convoy's or claim's id in the path, an account's
name, a login's username) is refused 422 naming the field, as the document states in the field's pattern.

PostgreSQL's text holds no NUL character, so no stored value has one, and a query with one fails there (it was a
500 on PostgreSQL, found by tests/api/test_contract.py's PostgreSQL pass); SQLite would have answered 404 or 401.
The contract is one for both databases: refused alike on each. Run on both (CORRIDOR_TEST_DB=postgresql)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from corridor.domain.permissions import Role
from tests.helpers import nothing_changes

# (method, path, the field in it holding a NUL character, its value, a role allowed to call it, a body it would
# otherwise take)
LOOKED_UP = [
    ("get", "/api/trips/{trip}", "trip", "T\x00", Role.COORDINATOR, None),
    ("get", "/api/trips/{trip}/manifest", "trip", "T0\x001", Role.BOARDING_MARSHAL, None),
    ("get", "/api/trips/{trip}/manifest.pdf", "trip", "\x00T00001", Role.BOARDING_MARSHAL, None),
    ("post", "/api/trips/{trip}/depart", "trip", "T00001\x00", Role.BOARDING_MARSHAL, {}),
    ("post", "/api/trips/{trip}/arrive", "trip", "T\x00", Role.RECEPTION, {}),
    ("post", "/api/convoys/{convoy}/turn-back", "convoy", "C1\x00", Role.CONVOY_MONITOR,
     {"checkpoint": "CP-1", "reason": "closed"}),
    ("post", "/api/claims/{claim}/withdraw", "claim", "C\x00", Role.COORDINATOR, {"reason": "in error"}),
    ("post", "/api/accounts/{name}/role", "name", "regis\x00trar", Role.ADMIN, {"role": "medic"}),
]


def parameter_pattern(client, path: str, method: str, name: str) -> str:
    operation = client.as_role(Role.ADMIN).get("/openapi.json").json()["paths"][path][method]
    (schema,) = [p["schema"] for p in operation["parameters"] if p["name"] == name]
    return schema["pattern"]


@pytest.mark.parametrize("method, template, field, value, role, body", LOOKED_UP,
                         ids=[f"{m} {t}" for m, t, *_ in LOOKED_UP])
def test_a_nul_character_in_a_looked_up_id_is_refused(client, op, method, template, field, value, role, body):
    path = template.replace(f"{{{field}}}", quote(value, safe=""))
    with nothing_changes(op):
        r = client.as_role(role).request(method.upper(), path, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["field"] == field, r.json()
    assert "NUL" in r.json()["detail"]
    pattern = parameter_pattern(client, template, method, field)
    assert re.search(pattern, value) is None and re.search(pattern, value.replace("\x00", ""))


@pytest.mark.parametrize("path, role", [("/api/trips/T99999", Role.COORDINATOR),
                                        ("/api/trips/%20T99999%20/manifest", Role.BOARDING_MARSHAL)])
def test_an_unknown_id_without_one_is_still_not_found(client, path, role):
    r = client.as_role(role).get(path)
    assert r.status_code == 404 and r.json()["field"] == "trip", r.text


def test_a_username_with_a_nul_character_is_refused(client, op):
    anonymous = client.as_role("anonymous")
    with nothing_changes(op):
        r = anonymous.post("/api/login", json={"username": "registrar\x00", "password": "whatever it is"})
    assert r.status_code == 422 and r.json()["field"] == "username", r.text
    schema = client.as_role(Role.ADMIN).get("/openapi.json").json()["components"]["schemas"]["LoginIn"]
    assert re.search(schema["properties"]["username"]["pattern"], "registrar\x00") is None
    assert anonymous.post("/api/login", json={"username": "nobody", "password": "whatever it is"}).status_code == 401
