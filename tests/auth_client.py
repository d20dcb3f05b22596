"""A test client that signs requests in with the test accounts' bearer tokens (see tests/conftest.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from corridor.api.auth import AUTHENTICATED, DEVICE, OPEN, declared_routes
from corridor.domain.permissions import ROLE_PERMISSIONS, Permission, Role

ANONYMOUS = "anonymous"


def role_for(needs) -> Role | None:
    """The first role (in the table's order) holding the permission a route declares; None for an open route."""
    if needs in (OPEN, None):
        return None
    if needs == AUTHENTICATED:
        return Role.COORDINATOR
    if needs == DEVICE:  # the OpenRosa routes: a registration team's phone
        return Role.REGISTRAR
    return next(r for r in Role if needs in ROLE_PERMISSIONS[r])


class AuthClient(TestClient):
    def __init__(self, app, tokens: dict, role: Role | str | None = None, **kw):
        super().__init__(app, **kw)
        self.tokens, self.role = tokens, role
        self.routes = declared_routes(app)

    def needs(self, method: str, path: str) -> Permission | str | None:
        for r in self.routes:
            if r.path_regex is not None and r.path_regex.match(path) and method.upper() in r.methods | {"HEAD"}:
                return r.needs
        return None

    def as_role(self, role: Role | str | None) -> AuthClient:
        """The same app, signed in as this role (ANONYMOUS: no credentials)."""
        other = AuthClient(self.app, self.tokens, role=role or ANONYMOUS)
        return other

    def request(self, method, url, *args, headers=None, **kwargs):
        headers = dict(headers or {})
        if not any(k.lower() == "authorization" for k in headers) and self.role != ANONYMOUS \
                and "corridor_session" not in self.cookies:
            role = self.role or role_for(self.needs(method, urlsplit(str(url)).path))
            if role is not None:
                headers["Authorization"] = f"Bearer {self.tokens[Role(role)]}"
        return super().request(method, url, *args, headers=headers, **kwargs)
