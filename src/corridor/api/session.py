"""Signing in and out, the accounts (for the admin) and the access log (for admin and protection)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field, WithJsonSchema

from .. import service as svc
from ..domain.permissions import Permission, Role
from ..service import accounts
from .auth import CSRF_COOKIE, SESSION_COOKIE, Authenticated, Open, Require, Viewer, scheme_of
from .contract import refusals
from .schemas import NO_NUL, STRICT, no_nul, one_of
from .deps import Rt

router = APIRouter(tags=["accounts"])


class LoginIn(BaseModel):
    model_config = STRICT
    username: str = Field(max_length=64, pattern=NO_NUL)
    password: str = Field(max_length=accounts.MAX_PASSWORD)


SiteCode = Annotated[str, WithJsonSchema({"type": "string", "pattern": accounts.SITE.pattern.replace("A-Z", "A-Za-z")})]
AccountName = Annotated[str, AfterValidator(no_nul),
                        WithJsonSchema({"type": "string", "pattern": accounts.NAME.pattern})]


class LoginOut(BaseModel):
    token: str = Field(description="a bearer token for this session (also set as the HttpOnly session cookie)")
    expires_at: str
    role: str
    csrf: str = Field(description="send it in X-CSRF-Token with unsafe requests that rely on the session cookie")


class RoleIn(BaseModel):
    model_config = STRICT
    role: one_of(Role)
    sites: list[SiteCode] = Field([], max_length=100)


def set_session(request: Request, response: Response, session: dict) -> None:
    """The session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and the readable CSRF cookie."""
    secure = scheme_of(request) == "https"
    max_age = accounts.SESSION_HOURS * 3600
    response.set_cookie(SESSION_COOKIE, session["token"], max_age=max_age, httponly=True, secure=secure,
                        samesite="strict", path="/")
    response.set_cookie(CSRF_COOKIE, session["csrf"], max_age=max_age, httponly=False, secure=secure,
                        samesite="strict", path="/")
    response.headers["Cache-Control"] = "no-store"


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.post("/login", response_model=LoginOut, dependencies=[Open], responses=refusals(401, 429))
def login(body: LoginIn, request: Request, response: Response, rt: Rt):
    """Sign in: a bearer token for scripts and devices, and the session cookie for the screens."""
    session = accounts.login(rt, body.username, body.password, address=request.client.host if request.client else "",
                             device=request.headers.get("x-device") or "browser")
    set_session(request, response, session)
    return session


@router.post("/logout", status_code=204, dependencies=[Authenticated])
def logout(request: Request, response: Response, rt: Rt):
    """Sign out: the token of this request (bearer or session) is revoked, the cookies cleared."""
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip() if header else request.cookies.get(SESSION_COOKIE, "")
    accounts.logout(rt, token)
    clear_session(response)
    response.status_code = 204
    return None


@router.get("/accounts", dependencies=[Require(Permission.ACCOUNTS)])
def list_accounts(rt: Rt):
    return accounts.list_users(rt)


@router.post("/accounts/{name}/role", dependencies=[Require(Permission.ACCOUNTS)])
def change_role(name: AccountName, body: RoleIn, rt: Rt, viewer: Viewer):
    """Give another account a role and sites (an account cannot change its own)."""
    return accounts.set_role(rt, name, role=body.role, sites=body.sites, by=viewer.account)


@router.get("/access-log", dependencies=[Require(Permission.ACCESS_LOG)])
def access_log(rt: Rt, account: str | None = Query(None, max_length=100, pattern=NO_NUL, description=(
                   "only this account's reads (as the log names it: an account, or console:USER)")),
               subject: str | None = Query(None, max_length=200, pattern=NO_NUL, description=(
                   "only reads of this household, person, trip or site (its token, id or code)")),
               limit: int = Query(1000, ge=1, le=100_000)):
    """Who read which personal data, when (newest first); never the data itself."""
    return svc.access.entries(rt, account=account, subject=subject, limit=limit)
