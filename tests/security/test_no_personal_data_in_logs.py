"""No name, password or bearer token in any log line, at any level: persons with distinctive names are
registered, every route is driven (good and failing requests, as every role and anonymously) with every
logger at DEBUG, and everything logged or printed is searched for them."""

from __future__ import annotations

import logging
import re

from corridor.api.auth import declared_routes
from corridor.domain.permissions import Role
from corridor.service import accounts, reports
from tests.auth_client import ANONYMOUS
from tests.conftest import password_of, person
from tests.helpers import plan

NAMES = ["Zbigniewa Quorthallow", "Xanthippe Vellacourt", "ثريا الزنكلوني"]
LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "starlette", "fastapi", "sqlalchemy",
           "sqlalchemy.engine", "sqlalchemy.pool", "corridor", "httpx")


def fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


def test_no_name_password_or_token_reaches_any_log(client, op, caplog, capsys, role_tokens):
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        r = client.post("/api/households", json={"gathering_point": "GP-A", "destination": "RC-1", "persons": [
            person(name_ar=NAMES[2], name_latin=NAMES[0], relationship="head", vulnerabilities=["unaccompanied_child"],
                   birth_year=2010),
            person(name_ar=NAMES[2], name_latin=NAMES[1], relationship="spouse")]})
        assert r.status_code == 201
        household = r.json()["data"]
        plan(op)
        trip = next(t for t in reports.trips(op) if t["assigned"])["id"]
        session = client.as_role(ANONYMOUS).post("/api/login", json={"username": "coordinator",
                                                                     "password": password_of("coordinator")}).json()
        wrong = "a wrong password that is long"
        client.as_role(ANONYMOUS).post("/api/login", json={"username": "medic", "password": wrong})
        made = accounts.create_token(op, "reception", by="tests")
        values = {"trip": trip, "token": household["persons"][0]["token"], "checkpoint": "CP-1", "code": "BUS-1",
                  "name": "registrar", "convoy": next(t for t in reports.trips(op) if t["id"] == trip)["convoy"]}
        bodies = {"/api/trips/{trip}/board": {"tokens": [p["token"] for p in household["persons"]]},
                  "/api/trips/{trip}/scan-in": {"tokens": [p["token"] for p in household["persons"]]},
                  "/api/households": {"gathering_point": "GP-A", "persons": [person(name_latin=NAMES[0],
                                                                                    name_ar=NAMES[2], sex="x")]},
                  "/api/duplicates/merge": {"kept": values["token"], "duplicate": household["persons"][1]["token"],
                                            "note": NAMES[1]},
                  "/api/halt": {"cause": "other", "note": "x"},
                  "/api/trips/{trip}/depart": {"driver": NAMES[1]},  # a driver's name: personal data too
                  "/api/convoys/{convoy}/private-vehicles": {"plate": "AL-1", "kind": "car", "seats": 4,
                                                             "driver": NAMES[0], "unregistered": 1}}
        for route in declared_routes(client.app):
            for method in sorted(route.methods - {"HEAD"}):
                path = fill(route.path, values)
                for role in [None, ANONYMOUS, *Role]:
                    if route.path == "/api/logout" and role is not ANONYMOUS:
                        continue
                    c = client if role is None else client.as_role(role)
                    c.request(method, path, json=bodies.get(route.path, {}) if method == "POST" else None,
                              follow_redirects=False)
                    c.request(method, path + "?all=true&lang=ar", content=b"{not json" if method == "POST" else None,
                              headers={"content-type": "application/json", "X-Device": NAMES[0][:5]},
                              follow_redirects=False)
        client.get("/api/tokens/P00000000", headers={"Authorization": f"Bearer {made['token']}x"})
    finally:
        for name in LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
    logged = "\n".join(f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    printed = capsys.readouterr()
    assert len(caplog.records) > 50, "the loggers were not capturing"
    secrets = [*NAMES, password_of("coordinator"), wrong, session["token"], made["token"],
               *role_tokens.values()]
    for text in (logged, printed.out, printed.err):
        found = [s for s in secrets if s in text]
        where = [line[:300] for line in text.splitlines() if any(s in line for s in found)][:3]
        assert found == [], f"found in the logs: {found}: {where}"
