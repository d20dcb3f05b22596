"""The field desks under /desk/: each screen behind login and its role's permission; the service worker (at
/desk/sw.js, so its scope is /desk/); the front-end libraries from node_modules. The desks' JSON answers are in
api/desk.py, the use cases in service/desk.py.

The language: `?lang=` when given (then remembered with the account, so on every device it signs in from, and in a
cookie named after the account on this device), else what the account chose last, else Arabic (the people using
these screens work in Arabic first)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse

from ...domain.permissions import Permission, Principal, Role
from ...domain.errors import NotFound
from ...service import accounts, desk, opclock, reports
from ...service.runtime import Runtime
from ..routes import find_module, make_templates
from . import DESKS
from .care import install_care
from .duplicates import PATH as DUPLICATES_PATH, install_duplicates
from .words import DeskWords

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "corridor_lang"
NO_STORE = {"Cache-Control": "no-store"}
VENDOR = {"idb-keyval.js": Path("idb-keyval") / "dist" / "umd.js", "jsQR.js": Path("jsqr") / "dist" / "jsQR.js"}


def lang_cookie(account: str) -> str:
    return f"{LANG_COOKIE}_{''.join(c if c.isalnum() else '_' for c in account)}"


def lang_of(rt: Runtime, request: Request, account: str, lang: str | None) -> str:
    """`?lang=` when given; else what the account chose last (kept with the account, so on every device); else
    what this device remembers for it (an account the server does not know, such as the console's); else Arabic."""
    if lang in accounts.LANGUAGES:
        return lang
    return accounts.language(rt, account) or request.cookies.get(lang_cookie(account)) or "ar"


def remember(rt: Runtime, response: Response, request: Request, account: str, lang: str | None) -> None:
    """A language chosen with `?lang=` is kept with the account (and in a cookie on this device)."""
    if lang not in accounts.LANGUAGES:
        return
    try:
        accounts.set_language(rt, account, lang)
    except NotFound:  # a principal without an account row (the console): this device remembers it
        pass
    name = lang_cookie(account)
    if request.cookies.get(name) != lang:
        response.set_cookie(name, lang, max_age=365 * 86400, samesite="strict", path="/")


def person_choices() -> dict[str, list[tuple[str, str, str]]]:
    """The values a person's fields take, with their English and Arabic labels, for the form's choices."""
    from ...domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability
    from ...domain.vocabulary import choices

    return {"sex": choices(Sex), "relationship": choices(Relationship), "mobility": choices(Mobility),
            "precedence": choices(Precedence), "vulnerabilities": choices(Vulnerability)}


def install(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object]) -> None:
    templates = make_templates()
    vendor = {name: find_module(path) for name, path in VENDOR.items()}

    def page(request: Request, name: str, principal: Principal, lang: str | None, context: dict) -> Response:
        w = DeskWords(lang_of(rt, request, principal.account, lang))
        response = templates.TemplateResponse(
            request, f"desk/{name}.html",
            {"w": w, "script_words": w.for_script(), "account": principal.account, "screen": name,
             "tz": opclock.shown_zone(rt),  # times on the desks in the operation's zone, as on the dashboard
             **context},
            headers=NO_STORE)
        remember(rt, response, request, principal.account, lang)
        return response

    @app.get(DESKS[Role.BOARDING_MARSHAL], include_in_schema=False, dependencies=[declare(Permission.BOARD)])
    def boarding(request: Request, lang: str | None = None, trip: str | None = None):
        principal = request.state.principal
        trips = desk.loading_trips(rt, principal, keep=(trip or "").upper())
        chosen = next((t for t in trips if t["id"] == (trip or "").upper()), trips[0] if trips else None)
        sites = {s["code"]: s for s in reports.setup(rt)["sites"]}
        return page(request, "boarding", principal, lang, {"trips": trips, "chosen": chosen, "sites": sites})

    @app.get(DESKS[Role.REGISTRAR], include_in_schema=False, dependencies=[declare(Permission.REGISTER)])
    def registration(request: Request, lang: str | None = None):
        principal = request.state.principal
        sites = reports.setup(rt)["sites"]
        points = [s for s in sites if s["kind"] == "gathering_point" and principal.at(s["code"])]
        centres = [s for s in sites if s["kind"] == "reception_centre"]
        return page(request, "registration", principal, lang,
                    {"points": points, "centres": centres, "choices": person_choices(),
                     "duplicates_path": DUPLICATES_PATH if principal.may(Permission.DUPLICATES) else None})

    @app.get(DESKS[Role.RECEPTION], include_in_schema=False, dependencies=[declare(Permission.RECEIVE)])
    def reception(request: Request, lang: str | None = None, trip: str | None = None):
        principal = request.state.principal
        coming = desk.arriving_trips(rt, principal)
        trips = coming["trips"]
        chosen = next((t for t in trips if t["id"] == (trip or "").upper()), trips[0] if trips else None)
        sites = {s["code"]: s for s in reports.setup(rt)["sites"]}
        return page(request, "reception", principal, lang,
                    {"trips": trips, "chosen": chosen, "sites": sites, "occupancy": coming["occupancy"]})

    @app.get(DESKS[Role.CONVOY_MONITOR], include_in_schema=False, dependencies=[declare(Permission.CHECKPOINT)])
    def checkpoint(request: Request, lang: str | None = None, trip: str | None = None):
        principal = request.state.principal
        trips = desk.accompanied_trips(rt, principal)
        chosen = next((t for t in trips if t["id"] == (trip or "").upper()), trips[0] if trips else None)
        sites = {s["code"]: s for s in reports.setup(rt)["sites"]}
        return page(request, "checkpoint", principal, lang, {"trips": trips, "chosen": chosen, "sites": sites})

    install_care(app, rt, declare, page)
    install_duplicates(app, rt, declare, page)

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
