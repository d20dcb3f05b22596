"""Every route of the app, called as each role and anonymously: 401 without credentials, 403 (naming the
permission) when the role lacks the permission the route declares, anything else when it has it — all read
from the one permission table. A route that declares no permission fails here.

The OpenRosa routes declare DEVICE: any account's device token (which forms it lists and may submit is read
from the table, per form). Under /key/{key}/ each role calls with its own token in the path; the anonymous
caller with a well-formed unknown one, answered 403 (never 401: a phone must not ask for a password)."""

from __future__ import annotations

import re

import pytest

from corridor.api.auth import AUTHENTICATED, DEVICE, OPEN, declared_routes
from corridor.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from tests.auth_client import ANONYMOUS

SAMPLE = {"trip": "T0001", "checkpoint": "CP-1", "token": "P00000000", "code": "BUS-1", "name": "registrar"}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: SAMPLE.get(m.group(1), "x"), path)


UNKNOWN_KEY = "ct_" + "A" * 43


def keyed(path: str, role, tokens: dict) -> str:
    return path.replace("{key}", UNKNOWN_KEY if role == ANONYMOUS else tokens[role])


def expected(needs, role, path: str = "") -> str:
    if needs == OPEN:
        return "allowed"
    if role == ANONYMOUS:
        return "403" if "{key}" in path else "401"
    if needs in (AUTHENTICATED, DEVICE) or needs in ROLE_PERMISSIONS[role]:
        return "allowed"
    return "403"


def test_every_route_declares_what_it_needs(client):
    undeclared = [(sorted(r.methods), r.path) for r in declared_routes(client.app) if r.needs is None]
    assert undeclared == [], "routes without a declared permission (add dependencies=[Require(...)])"


def test_the_matrix_of_routes_and_roles(client):
    # signing out revokes the token it is called with: last
    routes = sorted((r for r in declared_routes(client.app) if r.needs is not None), key=lambda r: r.path == "/api/logout")
    assert len(routes) >= 45
    wrong = []
    calls = 0
    for route in routes:
        path = concrete(route.path.replace("{key}", "KEY")).replace("/key/KEY/", "/key/{key}/") \
            + ("/dashboard.css" if route.path == "/static" else "")
        for method in sorted(route.methods - {"HEAD"}):
            for role in [ANONYMOUS, *Role]:
                answer = client.as_role(role).request(method, keyed(path, role, client.tokens),
                                                      json={} if method == "POST" else None, follow_redirects=False)
                calls += 1
                got = {401: "401", 403: "403"}.get(answer.status_code, "allowed")
                if (route.path == "/" or route.path.startswith(("/fragments/", "/desk/"))) \
                        and answer.status_code == 303:
                    got = "401"  # the screens send the anonymous to the login page
                if got != expected(route.needs, role, route.path):
                    wrong.append((method, route.path, getattr(role, "value", role), answer.status_code))
                elif got == "403" and isinstance(route.needs, Permission):
                    assert answer.json()["permission"] == route.needs.value
                elif got == "401" and answer.status_code == 401:
                    assert answer.headers["www-authenticate"].startswith("Bearer")
                    assert answer.headers["content-type"] == ("text/xml; charset=utf-8" if route.needs == DEVICE
                                                              else "application/problem+json")
    assert wrong == []
    assert calls == len(routes) * (len(Role) + 1)


@pytest.mark.parametrize("role", list(Role))
def test_an_admin_cannot_operate_and_no_one_else_manages_accounts(role):
    operates = ROLE_PERMISSIONS[role] - {Permission.ACCOUNTS, Permission.ACCESS_LOG}
    assert (role == Role.ADMIN) == (Permission.ACCOUNTS in ROLE_PERMISSIONS[role])
    assert role != Role.ADMIN or not operates


def test_a_persons_category_is_read_only_by_coordinators_and_protection_officers(client):
    """The category read is in the matrix above; here its row is pinned: protection-sensitive, two roles."""
    route = next(r for r in declared_routes(client.app) if r.path == "/api/persons/{token}/category"
                 and "GET" in r.methods)
    assert route.needs == Permission.CATEGORY
    assert {role for role in Role if expected(route.needs, role) == "allowed"} == {Role.COORDINATOR,
                                                                                  Role.PROTECTION_OFFICER}
