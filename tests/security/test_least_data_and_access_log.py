"""Least data by role, and every read of personal data in the append-only access log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from corridor.domain.permissions import Principal, Role
from corridor.service import access, reports
from tests.conftest import person, register
from tests.helpers import plan


@pytest.fixture
def household(op):
    return register(op, persons=[person(relationship="head", vulnerabilities=["unaccompanied_child"],
                                        birth_year=2010)])


def test_names_only_to_those_who_identify_people_and_vulnerabilities_only_to_protection(client, household):
    token = household["token"]
    for role in (Role.REGISTRAR, Role.MEDIC, Role.PROTECTION_OFFICER, Role.RECEPTION):
        shown = client.as_role(role).get(f"/api/tokens/{token}").json()["persons"][0]
        assert shown["name_latin"] == "Mohammed al-Halabi"
        assert ("vulnerabilities" in shown) == (role in (Role.PROTECTION_OFFICER, Role.RECEPTION))
        assert ("held_reason" in shown) == (role is Role.PROTECTION_OFFICER)
    for role in (Role.ANALYST, Role.PARTNER, Role.COORDINATOR, Role.ADMIN):
        assert client.as_role(role).get(f"/api/tokens/{token}").status_code == 403


def test_every_read_of_personal_data_is_logged_without_the_data(client, op, household):
    plan(op)
    trip = next(t for t in reports.trips(op) if t["assigned"])["id"]
    client.as_role(Role.REGISTRAR).get(f"/api/tokens/{household['token']}", headers={"X-Device": "tablet-7"})
    client.as_role(Role.BOARDING_MARSHAL).get(f"/api/trips/{trip}/manifest")
    client.as_role(Role.PROTECTION_OFFICER).get("/api/protection/children")
    client.as_role(Role.REGISTRAR).get("/api/duplicates")
    log = client.as_role(Role.ADMIN).get("/api/access-log").json()
    kinds = {(e["account"], e["kind"], e["subject"]) for e in log}
    assert ("registrar", access.TOKEN_LOOKUP, household["token"]) in kinds
    assert ("boarding_marshal", access.MANIFEST, trip) in kinds
    assert ("protection_officer", access.CHILDREN, "") in kinds
    assert ("registrar", access.DUPLICATES, "") in kinds
    assert any(e["device"] == "tests/tablet-7" for e in log)
    assert "Mohammed" not in str(log)
    assert client.as_role(Role.PROTECTION_OFFICER).get("/api/access-log").status_code == 200
    assert client.as_role(Role.COORDINATOR).get("/api/access-log").status_code == 403


def test_the_access_log_is_append_only(op, household):
    access.record(op, Principal.console("t"),
                  access.TOKEN_LOOKUP, household["token"])
    for statement in ("UPDATE access_log SET account = 'someone else'", "DELETE FROM access_log"):
        with pytest.raises(Exception, match="append-only"):
            with op.db.writer.begin() as conn:
                conn.execute(text(statement))
    assert len(access.entries(op)) == 1


def test_the_ledger_records_the_authenticated_account_not_a_header(client, op):
    r = client.as_role(Role.COORDINATOR).post("/api/halt", json={"cause": "other"},
                                              headers={"X-Actor": "someone else", "X-Device": "radio-room"})
    assert r.status_code == 201
    with op.db.reader.connect() as conn:
        actor, device = conn.execute(text("SELECT actor, device FROM ledger ORDER BY seq DESC LIMIT 1")).one()
    assert actor == "coordinator" and device == "tests/radio-room"


def test_the_dashboard_is_behind_login_and_for_figures_only(client):
    anon = client.as_role("anonymous")
    r = anon.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert anon.get("/?lang=ar", follow_redirects=False).headers["location"] == "/login?lang=ar"
    login = anon.get("/login?lang=ar")
    assert login.status_code == 200 and 'dir="rtl"' in login.text and "تسجيل الدخول" in login.text
    assert client.as_role(Role.ANALYST).get("/").status_code == 200
    assert client.as_role(Role.REGISTRAR).get("/").status_code == 403
    assert anon.get("/docs").status_code == 401 and anon.get("/openapi.json").status_code == 401


def test_the_demo_creates_one_account_per_role_with_fresh_passwords(rt):
    from corridor.scenarios.demo import create_demo_accounts
    from corridor.service import accounts

    made = create_demo_accounts(rt)
    assert sorted(role for _, role, _ in made) == sorted(r.value for r in Role)
    assert len({password for _, _, password in made}) == len(Role)
    name, role, password = made[0]
    assert accounts.login(rt, name, password)["role"] == role


def test_the_api_documentation_is_served_whole_by_corridor_with_nothing_from_a_cdn(client):
    """The field has no internet: Swagger UI's script and style come from corridor (npm's swagger-ui-dist)."""
    import re

    signed_in = client.as_role(Role.ANALYST)
    page = signed_in.get("/docs")
    assert page.status_code == 200
    assert not re.search(r"""(src|href)=['"]?https?://""", page.text), "the page fetches from another host"
    assets = re.findall(r"""(?:src|href)=['"](/docs/[^'"]+)['"]""", page.text)
    assert sorted(assets) == ["/docs/favicon-32x32.png", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css"]
    for asset in assets:
        got = signed_in.get(asset)
        assert got.status_code == 200 and len(got.content) > 500, asset
    assert client.as_role("anonymous").get("/docs/swagger-ui.css").status_code == 401
    assert signed_in.get("/docs/package.json").status_code == 404


@pytest.mark.parametrize("parameter, value", [("account", "registrar\x00"), ("subject", "\x00"),
                                              ("account", "a" * 101), ("subject", "H" * 201)])
def test_an_access_log_filter_no_entry_can_hold_is_refused(client, parameter, value):
    """No NUL character (PostgreSQL's text holds none, so no entry has one) and no more than the log keeps (an
    account's 100 characters, a subject's 200): refused 422 naming the parameter, on SQLite as on PostgreSQL, as
    the document states (its pattern and maxLength), never a server error."""
    admin = client.as_role(Role.ADMIN)
    r = admin.get("/api/access-log", params={parameter: value})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["field"] == parameter
    (stated,) = [p["schema"] for p in admin.get("/openapi.json").json()["paths"]["/api/access-log"]["get"]["parameters"]
                 if p["name"] == parameter]
    stated = stated.get("anyOf", [stated])[0]
    assert re.search(stated["pattern"], value) is None or len(value) > stated["maxLength"]
    assert admin.get("/api/access-log", params={parameter: value.replace("\x00", "")[:100]}).status_code == 200
