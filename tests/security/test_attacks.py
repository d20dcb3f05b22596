"""Bad credentials and attacks, each refused cleanly (problem+json, no 500, nothing recorded)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from corridor.domain.permissions import Role
from corridor.service import accounts, reports
from tests.auth_client import ANONYMOUS
from tests.conftest import password_of, person, register
from tests.helpers import nothing_changes, plan


def login(client, username="registrar", password=None, **kw):
    password = password or password_of(username)
    return client.as_role(ANONYMOUS).post("/api/login", json={"username": username, "password": password}, **kw)


def problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return r.json()


def test_login_answers_a_token_its_expiry_and_role_and_sets_the_session(client):
    r = login(client, "coordinator")
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"token", "expires_at", "role"} and body["role"] == "coordinator"
    cookie = r.headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith("corridor_session="))
    assert "HttpOnly" in session and "SameSite=strict" in session.replace("Strict", "strict")
    assert "Secure" not in session  # served over plain http here
    assert client.as_role(ANONYMOUS).get("/api/status", headers={"Authorization": f"Bearer {body['token']}"}) \
        .status_code == 200


def test_the_session_cookie_is_secure_behind_an_https_proxy(client):
    r = login(client, "coordinator", headers={"X-Forwarded-Proto": "https"})
    assert all("Secure" in c for c in r.headers.get_list("set-cookie"))


def test_a_wrong_password_is_refused(client):
    assert problem(login(client, password="corridor test password no. 99"), 401)["type"] == "/problems/unauthenticated"
    assert problem(login(client, username="nobody-at-all", password="whatever it may be"), 401)


def test_failed_logins_are_rate_limited_per_account(client):
    for _ in range(accounts.ACCOUNT_FAILURES):
        problem(login(client, password="not the password at all"), 401)
    limited = problem(login(client), 429)  # even the right password waits
    assert int(client.as_role(ANONYMOUS).post("/api/login", json={"username": "registrar", "password": "x" * 12})
               .headers["retry-after"]) > 0
    assert "try again" in limited["detail"]
    assert login(client, "coordinator").status_code == 200  # another account is not affected


def test_failed_logins_are_rate_limited_per_address(client):
    for i in range(accounts.ADDRESS_FAILURES):
        login(client, username=f"guess-{i}", password="not the password at all")
    assert problem(login(client, "coordinator"), 429)


def test_an_expired_token_is_refused(client, op, clock):
    made = accounts.create_token(op, "registrar", device="phone", expires=timedelta(hours=1), by="tests")
    headers = {"Authorization": f"Bearer {made['token']}"}
    assert client.as_role(ANONYMOUS).get("/api/tokens/P00000000", headers=headers).status_code == 404
    clock.advance(61)
    assert problem(client.as_role(ANONYMOUS).get("/api/tokens/P00000000", headers=headers), 401)["detail"] == \
        "token: expired"


def test_a_revoked_token_is_refused(client, op):
    made = accounts.create_token(op, "registrar", device="phone", by="tests")
    assert accounts.revoke(op, token_id=made["id"]) == 1
    r = client.as_role(ANONYMOUS).get("/api/status", headers={"Authorization": f"Bearer {made['token']}"})
    assert problem(r, 401)["detail"] == "token: revoked"


def test_a_logged_out_session_is_refused(client):
    token = login(client, "coordinator").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.as_role(ANONYMOUS).post("/api/logout", headers=headers).status_code == 204
    problem(client.as_role(ANONYMOUS).get("/api/status", headers=headers), 401)


def test_a_disabled_account_cannot_sign_in_and_its_tokens_stop(client, op, role_tokens):
    accounts.disable(op, "registrar", by="tests")
    problem(login(client), 401)
    problem(client.as_role(Role.REGISTRAR).get("/api/tokens/P00000000"), 401)


def limited(op, name: str, role: Role, sites: list[str]) -> dict:
    accounts.add_user(op, name, role=role, sites=sites, password="a long enough pass phrase 7", by="tests")
    token = accounts.create_token(op, name, by="tests")["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_token_for_another_site_is_refused(client, op):
    h = register(op, gathering_point="GP-A")
    plan(op)
    trip_a = next(t for t in reports.trips(op) if t["origin"] == "GP-A" and t["assigned"])
    anon = client.as_role(ANONYMOUS)
    registrar_b = limited(op, "registrar-b", Role.REGISTRAR, ["GP-B"])
    with nothing_changes(op):
        r = anon.post("/api/households", headers=registrar_b,
                      json={"gathering_point": "GP-A", "persons": [person(relationship="head")]})
        assert problem(r, 403)["site"] == "GP-A" and problem(r, 403)["permission"] == "register"
        problem(anon.get(f"/api/tokens/{h['token']}", headers=registrar_b), 403)
        marshal_b = limited(op, "marshal-b", Role.BOARDING_MARSHAL, ["GP-B"])
        r = anon.post(f"/api/trips/{trip_a['id']}/board", headers=marshal_b, json={"tokens": [h["token"]]})
        assert problem(r, 403)["permission"] == "board"
        problem(anon.get(f"/api/trips/{trip_a['id']}/manifest", headers=marshal_b), 403)
        reception_2 = limited(op, "reception-2", Role.RECEPTION, ["RC-2"])
        problem(anon.post(f"/api/trips/{trip_a['id']}/scan-in", headers=reception_2, json={"tokens": ["P00000000"]}),
                403)
        monitor_far = limited(op, "monitor-far", Role.CONVOY_MONITOR, ["RC-2"])
        if "RC-2" not in trip_a["route"]:
            problem(anon.post(f"/api/trips/{trip_a['id']}/checkpoints/CP-1", headers=monitor_far), 403)
    marshal_a = limited(op, "marshal-a", Role.BOARDING_MARSHAL, ["GP-A"])
    assert anon.get(f"/api/trips/{trip_a['id']}/manifest", headers=marshal_a).status_code == 200


def test_no_route_lets_a_role_change_its_own_role(client, op):
    for role in Role:
        if role is Role.ADMIN:
            continue
        r = client.as_role(role).post(f"/api/accounts/{role.value}/role", json={"role": "admin", "sites": []})
        assert problem(r, 403)["permission"] == "accounts"
    r = client.as_role(Role.ADMIN).post("/api/accounts/admin/role", json={"role": "coordinator", "sites": []})
    assert problem(r, 403)
    assert {a["name"]: a["role"] for a in accounts.list_users(op)}["admin"] == "admin"


def test_an_admin_cannot_operate(client, op):
    with nothing_changes(op):
        for method, path in (("POST", "/api/halt"), ("POST", "/api/plan"), ("GET", "/api/tokens/P00000000"),
                             ("GET", "/api/status"), ("POST", "/api/households")):
            assert problem(client.as_role(Role.ADMIN).request(method, path, json={}), 403)


def session_client(client, role="coordinator"):
    anon = client.as_role(ANONYMOUS)
    csrf = anon.post("/api/login", json={"username": role, "password": password_of(role)}).json()["csrf"]
    assert anon.cookies.get("corridor_session")
    return anon, csrf


def test_a_csrf_less_post_with_the_session_cookie_is_refused(client, op):
    anon, csrf = session_client(client)
    with nothing_changes(op):
        r = anon.post("/api/halt", data={"cause": "other"})  # a form post: no X-CSRF-Token
        assert problem(r, 403)["permission"] == "csrf"
        problem(anon.post("/api/halt", json={"cause": "other"}, headers={"X-CSRF-Token": "0" * 64}), 403)
    assert anon.get("/api/status").status_code == 200  # reading with the session needs no CSRF token
    assert anon.post("/api/halt", json={"cause": "other"}, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_a_cross_site_simple_request_with_the_session_cookie_is_refused(client, op):
    anon, csrf = session_client(client)
    with nothing_changes(op):
        for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/page"},
                       {"Origin": "null"}):
            r = anon.post("/api/plan", content=b"", headers={**header, "X-CSRF-Token": csrf,
                                                             "Content-Type": "text/plain"})
            assert problem(r, 403)["permission"] == "csrf"


def test_an_oversized_login_body_is_refused(client):
    r = client.as_role(ANONYMOUS).post("/api/login", json={"username": "registrar", "password": "x" * 10_000})
    assert problem(r, 413)["field"] == "body"


def test_a_malformed_authorization_header_is_refused(client):
    for value in ("Basic dXNlcjpwYXNz", "Bearer", "token-without-scheme"):
        problem(client.as_role(ANONYMOUS).get("/api/status", headers={"Authorization": value}), 401)


INJECTIONS = ["'; DROP TABLE persons; --", "<script>alert(1)</script>", "\" onmouseover=\"alert(1)",
              "Robert'); DELETE FROM ledger;--", "{{7*7}}", "../../etc/passwd"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_in_text_fields_is_stored_as_text_and_escaped_on_output(client, op, text):
    r = client.post("/api/households", json={"gathering_point": "GP-A", "persons": [
        person(name_ar=text, name_latin=text, relationship="head")]})
    assert r.status_code in (201, 422)
    if r.status_code == 201:
        token = r.json()["data"]["token"]
        shown = client.get(f"/api/tokens/{token}").json()["persons"][0]
        assert shown["name_latin"] == text  # stored and answered as data, in JSON
    assert reports.verify(op).ok
    client.post("/api/halt", json={"cause": "other", "note": text})
    dashboard = client.as_role(Role.COORDINATOR).get("/")
    for page in (dashboard, client.get(f"/login?lang={text}")):
        assert page.status_code == 200
        assert "<script>alert(1)" not in page.text and "onmouseover=\"alert" not in page.text
    if text == "{{7*7}}":  # the halt note is shown as written, never evaluated as a template
        assert "{{7*7}}" in dashboard.text


@pytest.mark.parametrize("name", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "C:\\windows\\win.ini"])
def test_path_traversal_in_file_names_is_refused(client, name):
    for path in (f"/static/{name}", f"/api/tokens/{name}", f"/api/tokens/{name}/qr.svg"):
        r = client.get(path)
        assert r.status_code in (400, 401, 403, 404, 422), (path, r.status_code)
        assert "root:" not in r.text and "[fonts]" not in r.text
    r = client.post(f"/api/import?format=csv&sheet={name}&source={name}", content=b"name_latin,gathering_point\n")
    assert r.status_code in (200, 201, 422)
