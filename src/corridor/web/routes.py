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
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from ..domain.permissions import Permission, Principal, Role
from ..domain.values import PersonState, TripState
from ..service import reports
from ..service.runtime import Runtime
from .desk import DESKS
from .i18n import Words

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
HTMX = Path("htmx.org") / "dist" / "htmx.min.js"
POLL_SECONDS = 3
FALLBACK_REFRESH_SECONDS = 5
TABLE_ROWS = 60
TIMELINE_ROWS = 20
SLOW_MAX_AGE_SECONDS = 10  # the costly part is reread at least this often, changed or not
# Trips on the move first (on the road, boarding, arrived but not closed), then the next planned ones.
TABLE_ORDER = {TripState.DEPARTED.value: 0, TripState.BOARDING.value: 1, TripState.ARRIVED.value: 2,
               TripState.PLANNED.value: 3}
NO_STORE = {"Cache-Control": "no-store"}
# the aggregate figures are computed once for every viewer: as one that sees no token and no name
AGGREGATE_VIEWER = Principal(account="dashboard", role=Role.ANALYST, device="dashboard")
# The missed-deadlines panel's labels (to move into web/i18n.py beside the others).

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

def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(timezone.utc) if value else None


def fmt_when(value: str | None) -> str:
    t = _time(value)
    return t.strftime("%Y-%m-%d %H:%M UTC") if t else "—"


def fmt_short(value: str | None) -> str:
    t = _time(value)
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


class Memo:
    """The last value of `compute`, recomputed when the key changes or the value is older than `max_age` s.

    One computation at a time: concurrent pollers wait for it instead of repeating it."""

    def __init__(self, compute: Callable[[], dict], max_age: float):
        self._compute, self._max_age = compute, max_age
        self._lock = threading.Lock()
        self._key: str | None = None
        self._at = 0.0
        self._value: dict = {}

    def get(self, key: str) -> dict:
        with self._lock:
            if key != self._key or time.monotonic() - self._at > self._max_age:
                self._value, self._key, self._at = self._compute(), key, time.monotonic()
            return self._value


def slow_part(rt: Runtime) -> dict:
    """The costly reads (every trip, every manifest line): the trips table and the reconciliation totals."""
    trips, more = table_trips(rt)
    reconciliation = reports.reconcile(rt, viewer=AGGREGATE_VIEWER)
    return {"trips": trips, "more_trips": more, "differences": reconciliation["differences"],
            "unaccounted": reconciliation["unaccounted"]}


def fingerprint(status: dict) -> str:
    """Every live figure; any recorded movement of a person or a trip changes at least one of them."""
    return json.dumps(status, sort_keys=True, default=str)


def missed_rows(status: dict) -> list[dict]:
    """The missed medical deadlines without tokens (the page shows no token of anyone): urgent first."""
    return [{"precedence": m["precedence"], "persons": len(m["persons"]), "deadline_at": m["deadline_at"],
             "arrive_at": m["arrive_at"], "late_minutes": m["late_minutes"], "unavoidable": m["unavoidable"]}
            for m in status.get("missed_deadlines", [])]


def live_context(rt: Runtime, w: Words, memo: Memo | None = None) -> dict:
    status = reports.status(rt)
    slow = memo.get(fingerprint(status)) if memo else slow_part(rt)
    setup = reports.setup(rt)
    urgent = status["urgent"]
    waiting = status["waiting_by_gathering_point"]
    return {
        **slow,
        "w": w,
        "status": status,
        "op": status["operation"],
        "person_states": [s.value for s in PersonState],
        "trip_states": [s.value for s in TripState],
        "urgent": {"waiting": urgent.get("waiting", 0), "assigned": urgent.get("assigned", 0),
                   "aboard": urgent.get("boarded", 0) + urgent.get("in_transit", 0),
                   "arrived": urgent.get("arrived", 0), "held": urgent.get("held", 0),
                   "unaccounted": urgent.get("unaccounted", 0)},
        "sites": [{**s, "waiting": waiting.get(s["code"], 0)} for s in setup["sites"]],
        "site_by_code": {s["code"]: s for s in setup["sites"]},
        "timeline": list(reversed(reports.timeline(rt)))[:TIMELINE_ROWS],
        "missed": missed_rows(status),
        "updated": datetime.now(timezone.utc).isoformat(),
    }


# --- routes ------------------------------------------------------------------------

def install(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object]) -> None:
    """The screens. `declare(permission)` is the route dependency that requires it (None: open to anyone)."""
    templates = make_templates()
    memo = Memo(lambda: slow_part(rt), SLOW_MAX_AGE_SECONDS)
    htmx = find_htmx()
    if htmx is None:
        log.warning("htmx.min.js not found in node_modules (set CORRIDOR_NODE_MODULES or run npm install); "
                    "the dashboard falls back to reloading the page every %d s", FALLBACK_REFRESH_SECONDS)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page_context(lang: str | None) -> dict:
        w = Words(lang or "")
        return {**live_context(rt, w, memo), "htmx": htmx is not None, "poll": POLL_SECONDS,
                "fallback_refresh": FALLBACK_REFRESH_SECONDS}

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
    def dashboard(request: Request, lang: str | None = Query(None)):
        return templates.TemplateResponse(request, "dashboard.html", page_context(lang), headers=NO_STORE)

    @app.get("/fragments/live", include_in_schema=False, dependencies=figures)
    def live(request: Request, lang: str | None = Query(None)):
        return templates.TemplateResponse(request, "_live.html", page_context(lang), headers=NO_STORE)

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
