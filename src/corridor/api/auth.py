"""Who is asking, and may they: the bearer token or the session cookie, the CSRF check, each route's permission.

Every route declares what it needs in one way, `dependencies=[Require(Permission.X)]` (or `Authenticated` for
any signed-in account, `Open` for the few open routes); `permission_of(route)` reads it back for the
authorization tests and the docs. A session cookie is honoured for unsafe requests only with the CSRF token
in `X-CSRF-Token` and an Origin (or Referer) of this server's own; a bearer token needs neither (a browser
never sends it by itself)."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends as DependsParam

from ..domain.errors import Forbidden, Unauthenticated
from ..domain.permissions import Permission, Principal
from ..service import accounts

SESSION_COOKIE = "corridor_session"
CSRF_COOKIE = "corridor_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
OPEN = "open"
AUTHENTICATED = "authenticated"
DEVICE = "device"  # the OpenRosa routes: a device token (see device_principal); each form checked by permission


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("authorization: expected 'Bearer <token>'")
    return value.strip()


def scheme_of(request: Request) -> str:
    """http or https, as the client sees it (X-Forwarded-Proto behind a proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return forwarded or request.url.scheme


def _same_origin(request: Request) -> bool:
    """The Origin (else the Referer) names this server; neither sent: allowed (the CSRF token still applies)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source is None
    parts = urlsplit(source)
    return parts.netloc.lower() == request.headers.get("host", "").lower() and parts.scheme in ("http", "https")


def _check_csrf(request: Request, token: str) -> None:
    if request.method in SAFE_METHODS:
        return
    if not _same_origin(request):
        raise Forbidden("origin: a cross-site request with the session cookie is refused", permission="csrf")
    sent = request.headers.get(CSRF_HEADER.lower(), "")
    if not hmac.compare_digest(sent.encode(), accounts.csrf_of(token).encode()):
        raise Forbidden(f"csrf: a request with the session cookie must send the CSRF token in {CSRF_HEADER}",
                        permission="csrf")


def principal_of(request: Request) -> Principal:
    """The principal of this request (once per request), or Unauthenticated."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    rt = request.app.state.runtime
    device = request.headers.get("x-device")
    token = _bearer(request)
    if token is not None:
        principal = accounts.authenticate(rt, token, device=device)
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            raise Unauthenticated("authorization: sign in (POST /api/login) or send 'Authorization: Bearer <token>'")
        principal = accounts.authenticate(rt, token, device=device)
        _check_csrf(request, token)
    request.state.principal = principal
    return principal


@dataclass(frozen=True)
class Requirement:
    """What a route needs: a permission, any signed-in account (AUTHENTICATED), or nothing (OPEN)."""

    needs: Permission | str

    def __call__(self, request: Request) -> Principal | None:
        if self.needs == OPEN:
            return None
        if self.needs == DEVICE:
            return device_principal(request)
        principal = principal_of(request)
        if isinstance(self.needs, Permission) and not principal.may(self.needs):
            role = principal.role.value if principal.role else "console"
            raise Forbidden(f"permission: {self.needs.value} is needed; the role {role} does not have it",
                            permission=self.needs.value)
        return principal


@dataclass(frozen=True)
class CommandRequirement(Requirement):
    """A route's requirement for a command route that verifies its sender again inside the command's transaction
    (the boarding scans): a token this process verified before is taken without reading the database here,
    on the event loop; `record_meta` hands the command the check (service/accounts.verify_in)."""

    async def __call__(self, request: Request) -> Principal | None:  # type: ignore[override]
        principal = _remembered_principal(request, self.needs)
        if principal is None:
            principal = await run_in_threadpool(principal_of, request)
        if isinstance(self.needs, Permission) and not principal.may(self.needs):
            role = principal.role.value if principal.role else "console"
            raise Forbidden(f"permission: {self.needs.value} is needed; the role {role} does not have it",
                            permission=self.needs.value)
        return principal


def _remembered_principal(request: Request, needs: Permission | str) -> Principal | None:
    """The principal of a token this process verified before (no database read), or None; sets what the command
    verifies again (`request.state.verify_token`). Only to let a command through: a remembered principal that
    lacks the permission, or is limited to sites (the route checks the trip's sites before the command), is None —
    a refusal is always judged on the token as read now (a role widened elsewhere is honoured at once)."""
    token = _bearer(request)
    cookie = token is None
    if cookie:
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None
    found = accounts.remembered(request.app.state.runtime, token, device=request.headers.get("x-device"))
    if found is None or found[0].sites or (isinstance(needs, Permission) and not found[0].may(needs)):
        return None
    if cookie:
        _check_csrf(request, token)
    request.state.principal, request.state.verify_token = found
    return found[0]


def remembered_principal(request: Request, needs: Permission | str) -> Principal | None:
    """The principal a command route may take without reading the database (see `_remembered_principal`): the
    boarding lane's (api/lane.py)."""
    return _remembered_principal(request, needs)


def Require(permission: Permission, *, verified_in_command: bool = False) -> DependsParam:  # noqa: N802
    """What a route needs (reads as a declaration on the route). `verified_in_command`: the route records one
    command whose transaction verifies the sender's token again (see CommandRequirement)."""
    return Depends(CommandRequirement(permission) if verified_in_command else Requirement(permission))


Authenticated = Depends(Requirement(AUTHENTICATED))
Open = Depends(Requirement(OPEN))


def permission_of(route) -> Permission | str | None:
    """The requirement a route declares (a Permission, AUTHENTICATED or OPEN), or None when it declares none."""
    for dep in getattr(route, "dependencies", []) or []:
        if isinstance(dep.dependency, Requirement):
            return dep.dependency.needs
    return None


async def viewer(request: Request) -> Principal:
    """The principal, found once per request: by the route's requirement (resolved before the route's own
    parameters), else now, in the thread pool (it reads the database)."""
    cached = getattr(request.state, "principal", None)
    return cached if cached is not None else await run_in_threadpool(principal_of, request)


Viewer = Annotated[Principal, Depends(viewer)]


@dataclass(frozen=True)
class DeclaredRoute:
    methods: frozenset[str]
    path: str
    path_regex: object
    needs: Permission | str | None  # None: the route declares nothing (the authorization test fails on it)


# Mounted static files have no route dependency: they are open by this declaration (CSS and scripts, no data).
OPEN_MOUNTS = ("/static",)


def declared_routes(app) -> list[DeclaredRoute]:
    """Every route of the app with what it declares, routers included (FastAPI keeps included routers as
    branches: their effective routes carry the router's dependencies as well as the route's own)."""
    found = []

    def walk(routes):
        for route in routes:
            contexts = getattr(route, "effective_route_contexts", None)
            if contexts is not None:
                walk(list(contexts()))
            elif hasattr(route, "methods") and route.methods:
                found.append(DeclaredRoute(frozenset(route.methods), route.path, route.path_regex,
                                           permission_of(route)))
            elif getattr(route, "path", None) is not None:  # a mount
                found.append(DeclaredRoute(frozenset({"GET"}), route.path, getattr(route, "path_regex", None),
                                           OPEN if route.path in OPEN_MOUNTS else None))

    walk(app.routes)
    return found


# --- devices speaking OpenRosa (ODK Collect, KoboCollect, Enketo) ---------------------------------------------

DEVICE_TOKEN = re.compile(r"^ct_[A-Za-z0-9_-]{43}$")  # accounts.TOKEN_PREFIX + 32 random bytes, URL-safe base64


def device_principal(request: Request) -> Principal:
    """The device asking: by the token in the path (/key/{key}/openrosa/…, what a configuration QR code carries),
    by Basic authentication over HTTPS (the account's name and a device token as the password), else by a bearer
    token or the session cookie. A key that is malformed, unknown, expired or revoked answers 403, never 401, so
    the app does not ask for a password; Basic over plain HTTP is refused (403) before the password is looked at."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    rt = request.app.state.runtime
    key = request.path_params.get("key")
    header = request.headers.get("authorization", "")
    if key is not None:
        principal = _device_token(rt, key, Forbidden, "key")
    elif header[:6].lower() == "basic ":
        if scheme_of(request) != "https":
            raise Forbidden("authorization: Basic authentication is accepted only over HTTPS; use the /key/… address",
                            permission="device")
        name, _, token = _basic(header[6:])
        principal = _device_token(rt, token, Unauthenticated, "authorization")
        if principal.account != name.strip().lower():
            raise Unauthenticated("authorization: the token is not this account's")
    else:
        return principal_of(request)
    request.state.principal = principal
    return principal


def _basic(value: str) -> tuple[str, str, str]:
    import base64
    import binascii

    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated("authorization: malformed Basic credentials") from None


def _device_token(rt, token: str, refusal: type, field: str) -> Principal:
    if not DEVICE_TOKEN.match(token or ""):
        raise refusal(f"{field}: not a device token", **({"permission": "device"} if refusal is Forbidden else {}))
    try:
        return accounts.authenticate(rt, token, kind="device")
    except Unauthenticated as err:
        if refusal is Forbidden:
            raise Forbidden(f"{field}: {err.detail}", permission="device") from None
        raise
