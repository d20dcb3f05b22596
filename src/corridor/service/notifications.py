"""Movement notifications for deconfliction: one per convoy or per day's movements — organisation, date and
window, the route with its waypoints and coordinates, every vehicle with its plate, type and marking, the number of
persons aboard (never names), staff aboard, a contact — and a warning when the notice is shorter than required.
As data, and as an A4 PDF in English and Arabic. Rendering is a read; issuing one to the parties (`issue`) is
recorded in the ledger, and the notifications issued are listed (`issued`)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from ..domain import notice as rules
from ..domain.commands import IssueNotification
from ..domain.errors import BadInput, NotFound, RuleRefused
from ..domain.codec import canonical_json_of
from ..domain.events import NotificationIssued
from ..domain.values import PRIVATE_KINDS, TripState, VehicleKind
from ..store import queries as q
from .recording import Meta, Receipt, execute
from .runtime import Runtime

MOVING = (TripState.PLANNED, TripState.BOARDING, TripState.DEPARTED)
NO_CONTACT = "no contact given: name who the parties call about this movement"


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _choose(conn, convoy: str | None, day, now: datetime) -> tuple[list, str]:
    if bool(convoy) == bool(day):
        raise BadInput("convoy: give one convoy or one date (--convoy C or --date YYYY-MM-DD)", field="convoy")
    if convoy:
        convoy = convoy.strip().upper()
        rows = [t for t in q.trips_in(conn) if t.convoy == convoy and t.state != TripState.CANCELLED.value]
        if not rows:
            raise NotFound(f"convoy: no convoy {convoy!r} in this operation", field="convoy")
        rules.movement_date(min(t.depart_at for t in rows).date(), now.date(), field="convoy")
        if all(t.state not in {s.value for s in MOVING} for t in rows):
            raise RuleRefused(f"convoy: {convoy} is no longer moving ({rows[0].state}); a notification is for "
                              "movements ahead", field="convoy")
        return rows, f"convoy {convoy}"
    day = rules.movement_date(day, now.date())
    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    rows = [t for t in q.trips_in(conn, list(MOVING)) if start <= t.depart_at < start + timedelta(days=1)]
    if not rows:
        raise NotFound(f"date: no movement planned on {day.isoformat()}", field="date")
    return rows, f"movements of {day.isoformat()}"


def notification(rt: Runtime, *, convoy: str | None = None, date=None, emergency: bool = False,
                 organisation: str | None = None, contact: str | None = None, staff: int = 1) -> dict:
    """The notification of a convoy's or a day's movements, as of now (a read: issuing it is `issue`)."""
    now = rt.clock()
    with rt.reading() as uow:
        return content(uow.conn, now, convoy=convoy, date=date, emergency=emergency, organisation=organisation,
                       contact=contact, staff=staff)


def content(c, now: datetime, *, convoy: str | None = None, date=None, emergency: bool = False,
            organisation: str | None = None, contact: str | None = None, staff: int = 1) -> dict:
    """The notification as of `now`, read on an open connection."""
    if isinstance(staff, bool) or not isinstance(staff, int) or not 0 <= staff <= 20:
        raise BadInput(f"staff: expected 0 to 20 staff aboard each vehicle of the fleet, got {staff!r}", field="staff")
    if not isinstance(emergency, bool):
        raise BadInput(f"emergency: expected true or false, got {emergency!r}", field="emergency")
    for name, value in (("organisation", organisation), ("contact", contact)):
        if value is not None and (not isinstance(value, str) or len(value) > 200):
            raise BadInput(f"{name}: at most 200 characters", field=name)
    rows, scope = _choose(c, convoy, date, now.astimezone(timezone.utc))
    op = q.operation_row(c)
    sites = {s.code: s for s in q.all_sites(c)}
    fleet = {v.code: v for v in q.all_vehicles(c)}
    counts = q.trip_counts(c)
    rules_row = q.corridor_rules_row(c)
    first = min(t.depart_at for t in rows)
    n = rules.notice(first, now, emergency=emergency)
    vehicles, routes = [], {}
    for t in rows:
        v = fleet.get(t.vehicle)
        private = v is not None and VehicleKind(v.kind) in PRIVATE_KINDS
        k = counts.get(t.id, {})
        persons = (k.get("assigned", 0) if t.state == TripState.PLANNED.value else k.get("boarded", 0))
        persons += t.unregistered or 0
        route = json.loads(t.route)
        routes.setdefault(tuple(route), []).append(t.id)
        vehicles.append({
            "convoy": t.convoy, "trip": t.id, "vehicle": t.vehicle, "plate": v.plate if v else None,
            "type": v.kind if v else None, "marking": "private" if private else (v.operator if v else None),
            "private": private, "persons": persons, "staff": 0 if private else staff,
            "origin": t.origin, "destination": t.destination, "depart_at": _iso(t.depart_at),
            "arrive_at": _iso(t.arrive_at), "state": t.state})
    operators = sorted({v.operator for v in fleet.values() if v.code in {x["vehicle"] for x in vehicles}
                        and VehicleKind(v.kind) not in PRIVATE_KINDS})
    warnings = [w for w in (n.warning(),) if w]
    if not contact:
        # said on the paper the parties receive and over HTTP: no command-line option in it (the CLI adds its own)
        warnings.append(NO_CONTACT)
    return {
        "scope": scope, "issued_at": _iso(now), "organisation": organisation or ", ".join(operators) or None,
        "contact": contact or None,
        "operation": {"name_en": op.name_en, "name_ar": op.name_ar} if op else None,
        "date": first.date().isoformat(),
        "window": {"from": _iso(first), "to": _iso(max(t.arrive_at for t in rows)),
                   "corridor_open": json.loads(rules_row.windows) if rules_row else []},
        "notice": {"lead_hours": n.lead_hours, "required_hours": n.required_hours, "emergency": emergency,
                   "short": n.short, "standard": "OCHA Humanitarian Notification System: at least 48 h ahead, "
                                                 "24 h in an emergency"},
        "warnings": warnings,
        "convoys": sorted({x["convoy"] for x in vehicles}),
        "routes": [{"trips": ids, "waypoints": [
            {"code": s, "kind": sites[s].kind, "name_en": sites[s].name_en, "name_ar": sites[s].name_ar,
             "lat": sites[s].lat, "lon": sites[s].lon} for s in route if s in sites]} for route, ids in routes.items()],
        "vehicles": vehicles,
        "totals": {"vehicles": len(vehicles), "persons": sum(x["persons"] for x in vehicles),
                   "staff": sum(x["staff"] for x in vehicles),
                   "private_vehicles": sum(1 for x in vehicles if x["private"])},
    }


def notification_pdf(rt: Runtime, **kw) -> bytes:
    from ..formats.papers.notification import render_notification

    return render_notification(notification(rt, **kw))


# --- issuing: a notification sent to the parties is recorded ------------------------------------------------

def content_hash(d: dict) -> str:
    """The SHA-256 of a notification's content (canonical JSON): what was sent can be shown to be what is listed."""
    return hashlib.sha256(canonical_json_of(d).encode("utf-8")).hexdigest()


def issue(rt: Runtime, meta: Meta, *, convoy: str | None = None, date=None, emergency: bool = False,
          organisation: str | None = None, contact: str | None = None, staff: int = 1) -> tuple[Receipt, dict]:
    """Issue the notification of a convoy's or a day's movements to the parties: recorded as `NotificationIssued`
    (what it covered, the notice it gave, the hash of its content; who and when: the ledger's envelope). A resend
    with the same command id is absorbed. Returns the receipt and the content as issued (for the paper)."""
    issued: dict = {}

    def decide(uow, at, c: IssueNotification):
        d = content(uow.conn, at, convoy=c.convoy, date=c.date, emergency=c.emergency,
                    organisation=c.organisation, contact=c.contact, staff=c.staff)
        issued.update(d)
        n, t = d["notice"], d["totals"]
        return NotificationIssued(scope=d["scope"], convoy=d["convoys"][0] if c.convoy else None, date=d["date"],
                                  emergency=c.emergency, lead_hours=n["lead_hours"],
                                  required_hours=n["required_hours"], vehicles=t["vehicles"], persons=t["persons"],
                                  content_hash=content_hash(d))

    receipt = execute(rt, meta, IssueNotification(convoy=convoy, date=date, emergency=emergency,
                                                  organisation=organisation, contact=contact, staff=staff), decide)
    return receipt, issued


def issued(rt: Runtime) -> list[dict]:
    """The notifications issued, in order: what each covered, the notice it gave, its content's hash, who issued
    it and when."""
    with rt.reading() as uow:
        rows = q.notifications_issued_in(uow.conn)
    return [{"seq": r.seq, "issued_at": _iso(r.at), "issued_by": r.actor, "device": r.device, "scope": r.scope,
             "convoy": r.convoy, "date": r.day, "emergency": r.emergency, "lead_hours": r.lead_hours,
             "required_hours": r.required_hours, "short": r.lead_hours < r.required_hours, "vehicles": r.vehicles,
             "persons": r.persons, "content_hash": r.content_hash} for r in rows]
