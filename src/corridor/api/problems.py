"""RFC 9457 problem details: every refusal, in one shape, made in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..domain.errors import (
    BadInput,
    Conflict,
    CorridorError,
    Forbidden,
    NotFound,
    RuleRefused,
    TooManyAttempts,
    Unauthenticated,
)

MEDIA_TYPE = "application/problem+json"
KINDS = {cls.slug: cls for cls in (BadInput, NotFound, Conflict, RuleRefused, Unauthenticated, Forbidden,
                                   TooManyAttempts, CorridorError)}


def problem(status: int, slug: str, title: str, detail: str, instance: str, headers: dict | None = None,
            **extra) -> JSONResponse:
    body = {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance}
    body.update({k: v for k, v in extra.items() if v not in (None, [])})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _headers(err: CorridorError) -> dict | None:
    if isinstance(err, Unauthenticated):
        return {"WWW-Authenticate": 'Bearer realm="corridor"'}
    if isinstance(err, TooManyAttempts):
        return {"Retry-After": str(err.retry_after)}
    return None


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def _json_error(error: dict, document) -> dict:
    """Malformed JSON: the field is the body; the detail says where, in line and column."""
    position = error["loc"][-1] if isinstance(error["loc"][-1], int) else 0
    text = document if isinstance(document, str) else bytes(document or b"").decode("utf-8", "replace")
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    reason = (error.get("ctx") or {}).get("error", "JSON decode error")
    return {"field": "body", "detail": f"not valid JSON at line {line}, column {column}: {reason}"}


def _is_screen(request: Request) -> bool:
    """A page of the screens (not the API, not the docs): an anonymous visitor is sent to the login page."""
    path = request.url.path
    return request.method == "GET" and (path == "/" or path.startswith("/fragments/")
                                        or path.startswith("/desk/"))


def _to_login(request: Request) -> Response:
    from urllib.parse import quote

    lang = request.query_params.get("lang")
    target = "/login?lang=ar" if lang == "ar" else "/login"
    if request.url.path.startswith("/desk/"):  # back to the desk screen after signing in
        there = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target += ("&" if "?" in target else "?") + "next=" + quote(there, safe="")
    if request.headers.get("hx-request"):  # htmx polling after the session ended: the whole page goes
        return Response(status_code=401, headers={"HX-Redirect": target, "WWW-Authenticate": "Bearer"})
    return RedirectResponse(target, status_code=303)


def refusal(err: CorridorError, path: str) -> JSONResponse:
    """The problem+json answer to a refusal by the rules (any CorridorError) on the API."""
    return problem(err.status, err.slug, err.title, err.detail, path, headers=_headers(err), field=err.field,
                   errors=err.errors, permission=getattr(err, "permission", None), site=getattr(err, "site", None))


def install(app: FastAPI) -> None:
    @app.exception_handler(CorridorError)
    async def _corridor(request: Request, err: CorridorError):
        if isinstance(err, Unauthenticated) and _is_screen(request):
            return _to_login(request)
        return refusal(err, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError):
        errors = [_json_error(e, err.body) if e.get("type") == "json_invalid" else
                  {"field": _field(tuple(e["loc"])), "detail": e["msg"]} for e in err.errors()]
        first = errors[0] if errors else {"field": "body", "detail": "invalid request"}
        return problem(422, BadInput.slug, BadInput.title, f"{first['field']}: {first['detail']}",
                       request.url.path, field=first["field"], errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        if err.status_code == 413:  # a streamed body past its limit (api/limits.py)
            return problem(413, "too-large", "Content too large", str(err.detail), request.url.path, field="body")
        if err.status_code == 400:  # FastAPI could not read the body (not UTF-8): malformed, like bad JSON
            return problem(422, BadInput.slug, BadInput.title, f"body: {err.detail}", request.url.path, field="body")
        slug = {404: "not-found", 405: "method-not-allowed"}.get(err.status_code, "http-error")
        headers = dict(err.headers or {})
        if err.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
        return problem(err.status_code, slug, str(err.detail), str(err.detail), request.url.path,
                       headers=headers or None)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route answers at this path (a 405's Allow: routes sharing a path are separate)."""
    from .auth import declared_routes

    methods = set()
    for route in declared_routes(app):
        if route.path_regex is not None and route.path_regex.match(path):
            methods |= route.methods
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
