"""The live dashboard at `/`: the page, the fragment htmx polls, htmx itself, the static files; the login page.

Everything shown comes from `service.reports` and is an aggregate: counts, trips,
sites, halts. No name or token of any person reaches these templates.

The dashboard is behind login (the figures permission); the login page, the static files and htmx are open.
Each route declares what it needs through `declare`, given by the API (`api.auth`), which knows how to check it.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, FileSystemLoader, pass_context

from ..domain.permissions import Permission
from ..domain.values import PersonState, TripState
from ..domain.vocabulary import LANGS
from ..service import alarms, curves, mapview, reports
from ..service.opclock import clock_dict, now as operation_now, shown_zone, zone
from ..service.runtime import Runtime
from .cache import LedgerCache, Snapshot
from .desk import DESKS
from .i18n import Words

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
HTMX = Path("htmx.org") / "dist" / "htmx.min.js"
POLL_SECONDS = 3
FALLBACK_REFRESH_SECONDS = 5
TABLE_ROWS = 60
TIMELINE_ROWS = 20
FORECAST_SECONDS = 60
# Trips on the move first (on the road, boarding, arrived but not closed), then the next planned ones.
TABLE_ORDER = {TripState.DEPARTED.value: 0, TripState.BOARDING.value: 1, TripState.ARRIVED.value: 2,
               TripState.PLANNED.value: 3}
NO_STORE = {"Cache-Control": "no-store"}
# The map's and the curves' libraries and the map's base layer (Natural Earth, 1:50m), from node_modules
PICTURE_VENDOR = {
    "leaflet.js": (Path("leaflet") / "dist" / "leaflet.js", "text/javascript"),
    "leaflet.css": (Path("leaflet") / "dist" / "leaflet.css", "text/css"),
    "uPlot.js": (Path("uplot") / "dist" / "uPlot.iife.min.js", "text/javascript"),
    "uPlot.css": (Path("uplot") / "dist" / "uPlot.min.css", "text/css"),
    "topojson-client.js": (Path("topojson-client") / "dist" / "topojson-client.min.js", "text/javascript"),
    "countries-50m.json": (Path("world-atlas") / "countries-50m.json", "application/json"),
}

# --- htmx from node_modules ------------------------------------------------------------

def node_modules_candidates() -> list[Path]:
    """Where to look for node_modules: $CORRIDOR_NODE_MODULES alone when set, else up from here and from the cwd."""
    override = os.environ.get("CORRIDOR_NODE_MODULES")
    if override:
        return [Path(override)]
    cwd = Path.cwd().resolve()
    return [p / "node_modules" for p in (*Path(__file__).resolve().parents, cwd, *cwd.parents)]


def find_module(path: Path) -> Path | None:
    """A file of an npm package (`path` inside node_modules), or None when it is not installed."""
    for folder in node_modules_candidates():
        for candidate in (folder / path, folder / "node_modules" / path):
            if candidate.is_file():
                return candidate
    return None


def find_htmx() -> Path | None:
    return find_module(HTMX)


# --- formatting --------------------------------------------------------------------

def _time(value: str | None, tz=timezone.utc) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(tz) if value else None


@pass_context
def fmt_when(ctx, value: str | None) -> str:
    """A time in the operation's zone (the context's `tz`), with the zone's abbreviation or offset."""
    t = _time(value, ctx.get("tz") or timezone.utc)
    return f"{t.strftime('%Y-%m-%d %H:%M')} {t.tzname()}" if t else "—"


@pass_context
def fmt_short(ctx, value: str | None) -> str:
    t = _time(value, ctx.get("tz") or timezone.utc)
    return t.strftime("%d/%m %H:%M") if t else "—"


def fmt_count(value: int | None) -> str:
    return f"{value or 0:,}"


def make_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=fmt_when, short=fmt_short, n=fmt_count)
    return Jinja2Templates(env=env)


# --- what the page shows -----------------------------------------------------------

def table_trips(rt: Runtime) -> tuple[list[dict], int]:
    """The trips worth a row (active first, then next planned), capped; and how many were left out."""
    rows = reports.trips(rt, [TripState(s) for s in TABLE_ORDER])
    rows.sort(key=lambda t: TABLE_ORDER[t["state"]])  # stable: keeps planned departure order within a state
    return rows[:TABLE_ROWS], max(0, len(rows) - TABLE_ROWS)


def slow_part(rt: Runtime) -> dict:
    """The costlier reads: the trips table, and the reconciliation's totals with the persons of arrived trips still
    being scanned in counted apart from the real differences."""
    trips, more = table_trips(rt)
    return {"trips": trips, "more_trips": more, **reports.difference_counts(rt)}


def missed_rows(status: dict) -> list[dict]:
    """The missed medical deadlines without tokens (the page shows no token of anyone): urgent first."""
    return [{"precedence": m["precedence"], "persons": len(m["persons"]), "deadline_at": m["deadline_at"],
             "arrive_at": m["arrive_at"], "late_minutes": m["late_minutes"], "unavoidable": m["unavoidable"]}
            for m in status.get("missed_deadlines", [])]


def picture(rt: Runtime, forecast: Callable[[], dict | None] | None = None) -> dict:
    """Everything the dashboard shows, computed once for every viewer (aggregates only): the live figures, the
    alarms, the map's features and the curves (`forecast`: the forecast's summary as the caller keeps it)."""
    status = reports.status(rt)
    slow = slow_part(rt)
    setup = reports.setup(rt)
    at = operation_now(rt)
    found = alarms.alarms(rt, at=at, differences=(slow["awaiting_scan_in"], slow["awaiting_trips"],
                                                    slow["differences"]))
    urgent = status["urgent"]
    waiting = status["waiting_by_gathering_point"]
    return {
        **slow,
        "status": status,
        "op": status["operation"],
        "urgent": {"waiting": urgent.get("waiting", 0), "assigned": urgent.get("assigned", 0),
                   "aboard": urgent.get("boarded", 0) + urgent.get("in_transit", 0),
                   "arrived": urgent.get("arrived", 0), "held": urgent.get("held", 0),
                   "unaccounted": urgent.get("unaccounted", 0)},
        "sites": [{**s, "waiting": waiting.get(s["code"], 0)} for s in setup["sites"]],
        "site_by_code": {s["code"]: s for s in setup["sites"]},
        "timeline": list(reversed(reports.timeline(rt)))[:TIMELINE_ROWS],
        "missed": missed_rows(status),
        "alarms": found,
        "clock": clock_dict(rt, at, shown_zone(rt)),
        "updated": at.isoformat(),
        "map": mapview.features(rt),
        "curves": curves.curves(rt, forecast=forecast) if status["operation"] else {},
    }


def live_context(snapshot: Snapshot, w: Words, tz) -> dict:
    return {**snapshot, "w": w, "tz": tz, "head": snapshot.key[0],
            "person_states": [s.value for s in PersonState], "trip_states": [s.value for s in TripState]}


def ledger_key(rt: Runtime) -> tuple[int, int]:
    """What makes the picture change: the ledger's head, and the clock's minute (hours held and aboard grow)."""
    return reports.ledger_head(rt), int(rt.clock().timestamp() // 60)


# --- routes ------------------------------------------------------------------------

def install(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object]) -> None:
    """The screens. `declare(permission)` is the route dependency that requires it (None: open to anyone)."""
    templates = make_templates()
    # the forecast's band moves slowly and costs most: run again at most every FORECAST_SECONDS, not per change
    forecasts = LedgerCache(lambda: int(time.monotonic() // FORECAST_SECONDS),
                            lambda: {"summary": curves.forecast_summary(rt)})
    cache = LedgerCache(lambda: ledger_key(rt), lambda: picture(rt, lambda: forecasts.get()["summary"]),
                        prepare=lambda snapshot: prepare(snapshot))
    tile_url = os.environ.get("CORRIDOR_TILE_URL", "")
    htmx = find_htmx()
    vendor = {name: find_module(path) for name, (path, _) in PICTURE_VENDOR.items()}
    if htmx is None:
        log.warning("htmx.min.js not found in node_modules (set CORRIDOR_NODE_MODULES or run npm install); "
                    "the dashboard falls back to reloading the page every %d s", FALLBACK_REFRESH_SECONDS)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    async def current(request: Request) -> Snapshot | None:
        """The picture to answer with: from memory when it will do, else read in a worker thread — unless the
        viewer has already gone (then nothing is read or rendered for it)."""
        snapshot = cache.ready()
        if snapshot is not None:
            return snapshot
        if await request.is_disconnected():
            return None
        return await run_in_threadpool(cache.get)

    def render(snapshot: Snapshot, template: str, w: Words) -> bytes:
        context = {**live_context(snapshot, w, zone(snapshot["clock"]["time_zone"])), "htmx": htmx is not None, "poll": POLL_SECONDS,
                   "fallback_refresh": FALLBACK_REFRESH_SECONDS, "tile_url": tile_url}
        return templates.env.get_template(template).render(context).encode()

    def headers(snapshot: Snapshot, started: float) -> dict:
        """No caching; the picture's ledger head; the time spent on this answer (Server-Timing, in ms)."""
        spent = (time.perf_counter() - started) * 1000
        return {**NO_STORE, "X-Ledger-Head": str(snapshot.key[0]), "Server-Timing": f"app;dur={spent:.2f}"}

    def as_bytes(snapshot: Snapshot, part: str) -> bytes:
        return json.dumps(snapshot[part], ensure_ascii=False, default=str).encode()

    def prepare(snapshot: Snapshot) -> None:
        """What every refresh asks for, made with the picture (in its thread), so that no viewer waits for it."""
        for lang in LANGS:
            w = Words(lang)
            for template in ("_live.html", "dashboard.html"):
                snapshot.once((template, lang), lambda t=template, w=w: render(snapshot, t, w))
        for part in ("map", "curves"):
            snapshot.once(part, lambda p=part: as_bytes(snapshot, p))

    async def rendered(request: Request, template: str, lang: str | None) -> Response:
        """The template for this language, rendered once per picture and shared by every viewer."""
        started = time.perf_counter()
        w = Words(lang or "")
        snapshot = await current(request)
        if snapshot is None:
            return Response(status_code=499)  # the viewer left (nginx's "client closed request"); nobody reads it
        body = snapshot.made.get((template, w.lang))
        if body is None:
            body = await run_in_threadpool(snapshot.once, (template, w.lang), lambda: render(snapshot, template, w))
        return Response(body, media_type="text/html; charset=utf-8", headers=headers(snapshot, started))

    async def as_json(request: Request, part: str, media_type: str = "application/json") -> Response:
        started = time.perf_counter()
        snapshot = await current(request)
        if snapshot is None:
            return Response(status_code=499)
        body = snapshot.made.get(part)
        if body is None:
            body = await run_in_threadpool(snapshot.once, part, lambda: as_bytes(snapshot, part))
        return Response(body, media_type=media_type, headers=headers(snapshot, started))

    figures, open_ = [declare(Permission.FIGURES)], [declare(None)]

    @app.get("/login", include_in_schema=False, dependencies=open_)
    def login_page(request: Request, lang: str | None = Query(None), next: str | None = Query(None)):
        w = Words(lang or "")
        # after signing in: a desk screen the visitor was sent here from (never another site), else the dashboard
        after = next if next and next.startswith("/desk/") and "//" not in next else f"/?lang={w.lang}"
        desks = {role.value: path for role, path in DESKS.items()}
        return templates.TemplateResponse(request, "login.html", {"w": w, "next": after, "desks": desks},
                                          headers=NO_STORE)

    @app.get("/", include_in_schema=False, dependencies=figures)
    async def dashboard(request: Request, lang: str | None = Query(None)):
        return await rendered(request, "dashboard.html", lang)

    @app.get("/fragments/live", include_in_schema=False, dependencies=figures)
    async def live(request: Request, lang: str | None = Query(None)):
        return await rendered(request, "_live.html", lang)

    @app.get("/fragments/map.json", include_in_schema=False, dependencies=figures)
    async def map_json(request: Request):
        """The map's GeoJSON as the dashboard last computed it (GET /api/map.geojson computes it afresh)."""
        return await as_json(request, "map", "application/geo+json")

    @app.get("/fragments/curves.json", include_in_schema=False, dependencies=figures)
    async def curves_json(request: Request):
        return await as_json(request, "curves")

    @app.get("/vendor/picture/{name}", include_in_schema=False, dependencies=open_)
    def picture_vendor(name: str):
        found = vendor.get(name)
        if found is None:
            return Response(f"{name} is not installed (npm ci)", status_code=404, media_type="text/plain")
        return FileResponse(found, media_type=PICTURE_VENDOR[name][1], headers={"Cache-Control": "public, max-age=3600"})

    @app.get("/vendor/htmx.min.js", include_in_schema=False, dependencies=open_)
    def htmx_js():
        if htmx is None:
            return Response("htmx is not installed", status_code=404, media_type="text/plain")
        return FileResponse(htmx, media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})

    from .desk.routes import install as install_desk

    install_desk(app, rt, declare)

    @app.get("/healthz", dependencies=open_)
    def healthz():
        return {"ok": True}
