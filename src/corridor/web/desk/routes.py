"""The field desks under /desk/: each screen behind login and its role's permission; the desk's JSON answers;
the service worker (at /desk/sw.js, so its scope is /desk/); the front-end libraries from node_modules.

The language: `?lang=` when given (then remembered in a cookie on this device), else the cookie, else Arabic
(the people using these screens work in Arabic first)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Header, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ...domain.permissions import Permission, Principal
from ...service import desk, reports
from ...service.recording import Meta
from ...service.runtime import Runtime
from ..routes import find_module, make_templates
from .words import DeskWords

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "corridor_lang"
NO_STORE = {"Cache-Control": "no-store"}
VENDOR = {"idb-keyval.js": Path("idb-keyval") / "dist" / "umd.js", "jsQR.js": Path("jsqr") / "dist" / "jsQR.js"}


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=40)
    force: bool = Field(False, description="board onto this trip even though the person is assigned to another")
    at: str | None = Field(None, description="when the scan was made (a scan kept offline is sent later)")


def lang_of(request: Request, lang: str | None) -> str:
    return lang if lang in ("ar", "en") else (request.cookies.get(LANG_COOKIE) or "ar")


def remember(response: Response, request: Request, lang: str | None) -> None:
    if lang in ("ar", "en") and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", path="/")


def install(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object]) -> None:
    templates = make_templates()
    vendor = {name: find_module(path) for name, path in VENDOR.items()}

    def page(request: Request, name: str, principal: Principal, lang: str | None, context: dict) -> Response:
        w = DeskWords(lang_of(request, lang))
        response = templates.TemplateResponse(
            request, f"desk/{name}.html",
            {"w": w, "script_words": w.for_script(), "account": principal.account, "screen": name, **context},
            headers=NO_STORE)
        remember(response, request, lang)
        return response

    @app.get("/desk/boarding", include_in_schema=False, dependencies=[declare(Permission.BOARD)])
    def boarding(request: Request, lang: str | None = None, trip: str | None = None):
        principal = request.state.principal
        trips = desk.loading_trips(rt, principal)
        chosen = next((t for t in trips if t["id"] == (trip or "").upper()), trips[0] if trips else None)
        sites = {s["code"]: s for s in reports.setup(rt)["sites"]}
        return page(request, "boarding", principal, lang, {"trips": trips, "chosen": chosen, "sites": sites})

    @app.post("/desk/api/trips/{trip}/scan", include_in_schema=False, dependencies=[declare(Permission.BOARD)])
    def scan(trip: str, body: ScanIn, request: Request, key: str | None = Header(None, alias="Idempotency-Key")):
        principal = request.state.principal
        meta = Meta(command_id=key, actor=principal.account, device=principal.device, at=body.at)
        answer = desk.scan(rt, meta, principal, trip=trip, token=body.token, force=body.force)
        return JSONResponse(answer, status_code=201 if answer["outcome"] == desk.ACCEPTED else 200,
                            headers=NO_STORE)

    @app.get("/desk/sw.js", include_in_schema=False, dependencies=[declare(None)])
    def service_worker():
        return FileResponse(HERE.parent / "static" / "desk" / "sw.js", media_type="text/javascript",
                            headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/desk/"})

    @app.get("/vendor/{name}", include_in_schema=False, dependencies=[declare(None)])
    def vendor_js(name: str):
        found = vendor.get(name)
        if found is None:
            return Response(f"{name} is not installed (npm ci)", status_code=404, media_type="text/plain")
        return FileResponse(found, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})
