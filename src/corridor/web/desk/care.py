"""The medic's desk (/desk/medical) and the protection officer's (/desk/protection): lists to read standing up,
each person's state in words and a sign as well as colour. What each list holds and who may see which field is
decided in service/care.py and service/protection.py; the page asks them with the signed-in principal, so a role
sees only its fields and an account limited to sites only its sites, and each read is in the access log.

These pages are not kept on the device for reading offline (they list persons by name): the service worker and
the outbox's shell keeping leave them out (`X-Desk-Keep: no`, `<meta name="corridor-keep" content="no">`).

`?part=main` answers only the lists (the page's script refreshes them in place every minute)."""

from __future__ import annotations

from typing import Callable

from fastapi import FastAPI, Request, Response

from ...domain.permissions import Permission, Role
from ...domain.values import Mobility, Relationship, Vulnerability
from ...domain.vocabulary import label_of
from ...service import care, opclock, reports
from ...service.runtime import Runtime
from . import DESKS

VERDICT_SIGN = {care.MISSES: "✖", care.HELD: "⛔", care.UNACCOUNTED: "?", care.NOT_PLANNED: "⏳",
                care.ARRIVED_LATE: "⚠", care.MEETS: "✔", care.ARRIVED_IN_TIME: "✔"}
VERDICT_TONE = {care.MISSES: "bad", care.HELD: "bad", care.UNACCOUNTED: "bad", care.NOT_PLANNED: "warn",
                care.ARRIVED_LATE: "warn", care.MEETS: "ok", care.ARRIVED_IN_TIME: "ok"}


def duration(w, minutes: int | None) -> str:
    """'2 h 05 min' in the page's language."""
    minutes = max(int(minutes or 0), 0)
    hours, rest = divmod(minutes, 60)
    return f"{hours} {w.hours} {rest:02d} {w.minutes}" if hours else f"{rest} {w.minutes}"


LIMIT = 50  # persons of each list on a first load (the most pressing first): the page stays under 300 KB
MORE = 1000  # when asked for them all
KINDS = {"mobility": Mobility, "relationship": Relationship, "vulnerability": Vulnerability}


def label(kind: str, value: str | None, lang: str) -> str:
    """A value of the vocabulary (mobility, relationship, vulnerability) in the page's language."""
    return label_of(KINDS[kind], value, lang)


def install_care(app: FastAPI, rt: Runtime, declare: Callable[[Permission | None], object], page) -> None:
    """The two screens; `page` is the desk's page maker (routes.install)."""

    def sites() -> dict:
        return {s["code"]: s for s in reports.setup(rt)["sites"]}

    def render(request: Request, name: str, lang: str | None, part: str | None, context: dict) -> Response:
        principal = request.state.principal
        response = page(request, name, principal, lang, {
            "sites": sites(), "part": "main" if part == "main" else None, "label": label,
            "may_release": principal.may(Permission.RELEASE), "duration": duration, "sign": VERDICT_SIGN,
            "tone": VERDICT_TONE, "personal": True, **context})
        response.headers["X-Desk-Keep"] = "no"  # lists of persons are never kept on the device (service worker)
        return response

    @app.get(DESKS[Role.MEDIC], include_in_schema=False, dependencies=[declare(Permission.MEDICAL)])
    def medical(request: Request, lang: str | None = None, part: str | None = None, site: str | None = None,
                arrived: bool = False, more: bool = False):
        viewer = request.state.principal
        known = sites()
        site = site if site in known else None
        found = care.medical(rt, viewer=viewer, site=site, arrived=arrived, limit=MORE if more else LIMIT)
        choices = [s for code, s in known.items() if viewer.at(code)]
        return render(request, "medical", lang, part, {
            "care": found, "sites": known, "site": site, "arrived": arrived, "more": more, "site_choices": choices})

    @app.get(DESKS[Role.PROTECTION_OFFICER], include_in_schema=False, dependencies=[declare(Permission.PROTECTION)])
    def protection_desk(request: Request, lang: str | None = None, part: str | None = None, more: bool = False):
        viewer, limit = request.state.principal, MORE if more else LIMIT
        return render(request, "protection", lang, part, {
            "children": care.children(rt, viewer=viewer, limit=limit), "held": care.held(rt, viewer=viewer, limit=limit),
            "links": care.family_links(rt, viewer=viewer, limit=limit), "now": opclock.now(rt).isoformat(), "more": more})
