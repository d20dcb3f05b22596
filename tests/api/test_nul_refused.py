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


CLAIM = {"source": "radio", "reported_at": "2016-12-15T06:00:00+02:00",
         "figures": [{"metric": "persons_evacuated", "value": 3}]}
# (path, a role allowed to call it, the body with a NUL character in one text field, that field) — each text kept
# in a view as sent (the ledger keeps JSON, where a NUL is escaped; a view's text column cannot)
STORED = [
    ("/api/agreement/linked-incidents", Role.COORDINATOR, {"incident": "attacked", "source": "radio\x00"}, "source"),
    ("/api/agreement/linked-incidents", Role.COORDINATOR, {"incident": "burned", "note": "\x00"}, "note"),
    ("/api/agreement/linked", Role.COORDINATOR, {"moved": 5, "note": "by phone\x00"}, "note"),
    ("/api/agreement", Role.COORDINATOR, {"terms": {"link": {"name": "Foua\x00", "ratio": 1.0}}, "reason": "amended"},
     "terms.link.name"),
    ("/api/claims", Role.COORDINATOR, {**CLAIM, "statement": "3 buses\x00"}, "statement"),
    ("/api/claims/{claim}/withdraw", Role.COORDINATOR, {"reason": "in error\x00"}, "reason"),
    ("/api/trips/{trip}/depart", Role.BOARDING_MARSHAL, {"driver": "Omar\x00"}, "driver"),
]


def body_field_schema(document: dict, path: str, dotted: str) -> dict:
    """The schema the document gives a field of an operation's JSON body (`a.b`: field b of object a)."""
    def resolved(schema: dict) -> dict:
        while "$ref" in schema or ("anyOf" in schema and "properties" not in schema):  # a field that may be null
            if "$ref" in schema:
                schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
            else:
                schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return schema

    schema = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    for name in dotted.split("."):
        schema = resolved(schema)["properties"][name]
    return resolved(schema)


@pytest.mark.parametrize("path, role, body, field", STORED, ids=[f"{p} {f}" for p, _, _, f in STORED])
def test_a_nul_character_in_a_stored_text_is_refused(client, op, path, role, body, field):
    coordinator = client.as_role(Role.COORDINATOR)
    assert coordinator.post("/api/agreement", json={"terms": {"link": {"name": "Foua", "ratio": 1.0}}}).status_code == 201
    claim = coordinator.post("/api/claims", json=CLAIM)
    assert claim.status_code == 201, claim.text
    with nothing_changes(op):
        r = client.as_role(role).post(path.replace("{claim}", claim.json()["data"]["claim"]).replace("{trip}", "T00001"),
                                      json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["field"] == field, r.json()
    stated = body_field_schema(client.as_role(Role.ADMIN).get("/openapi.json").json(), path, field)
    value = body
    for name in field.split("."):
        value = value[name]
    assert re.search(stated["pattern"], value) is None and re.search(stated["pattern"], value.replace("\x00", "x"))


@pytest.mark.parametrize("encoding", ["utf-8\x00", "no-such-encoding", "rot13"])
def test_an_import_in_an_encoding_that_is_not_one_is_refused_naming_it(client, op, encoding):
    """A file's encoding is looked up by name (Python's codecs): a name that is none, or holds a NUL character, was a
    500 on both databases (an uncaught ValueError)."""
    registrar = client.as_role(Role.REGISTRAR)
    rows = "household,gathering_point,name_latin,sex\n1,GP-A,Omar al-Halabi,male\n"
    with nothing_changes(op):
        r = registrar.post(f"/api/import?format=csv&encoding={quote(encoding)}", content=rows.encode())
    assert r.status_code == 422 and r.json()["field"] == "encoding", r.text


def test_something_to_read_is_what_python_does_not_strip():
    """The document's "something to read" (`READABLE`: ids in a path, reasons, sources) refuses a text of nothing
    but characters Python's strip() takes away, as the server does; JSON Schema's \\s leaves U+001C–U+001F and
    U+0085, and a claim id of U+001C alone was generated as valid, then refused as blank (schemathesis, seed 31)."""
    from corridor.api.schemas import READABLE

    # the pattern as JSON Schema reads it (ECMA-262's \s), not as Python's re does (which agrees with strip())
    ecma = re.compile(READABLE.replace("\\s", "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
                                                  "\u205f\u3000\ufeff"))
    stripped = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert [c for c in stripped if ecma.search(c * 3)] == []
    assert all(ecma.search(f"{c}C0012{c}") for c in stripped)
