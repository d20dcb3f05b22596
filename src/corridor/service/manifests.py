"""Trip manifests: who is on a trip (names in both scripts, token, sex, age, precedence, stretcher), the vehicle,
its plate and driver, the convoy, the route and the times, and the sign-offs at departure and at arrival (who,
when, how many) — as data, and as an A4 PDF in English and Arabic. Only the fields the viewer's role may see;
every read is logged (`access`)."""

from __future__ import annotations

import json
from datetime import datetime

from ..domain.errors import NotFound
from ..domain.permissions import Permission, Principal
from ..domain.values import Mobility
from ..store import queries as q
from . import access
from .runtime import Runtime

SIGN_OFFS = {"departure": ("TripDeparted",), "arrival": ("TripArrived",), "closing": ("TripClosed",)}


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _site(sites: dict, code: str) -> dict:
    s = sites.get(code)
    return {"code": code, "name_en": s.name_en if s else code, "name_ar": s.name_ar if s else code,
            "kind": s.kind if s else None, "lat": s.lat if s else None, "lon": s.lon if s else None}


def _person(viewer: Principal, row, opened, year: int) -> dict:
    line = {"token": row.token, "household": row.household, "state": row.state, "trip": row.trip,
            "mobility": row.mobility, "precedence": row.precedence, "assigned": row.assigned,
            "boarded_at": _iso(row.boarded_at), "scanned_at": _iso(row.scanned_at), "on_this_trip": _outcome(row)}
    if opened is not None:
        line.update(name_ar=opened.name_ar, name_latin=opened.name_latin, sex=opened.sex,
                    birth_year=opened.birth_year)
        if viewer.sees("birth_year"):
            line["age"] = year - opened.birth_year if opened.birth_year else None
    if viewer.sees("mobility"):
        line["stretcher"] = row.mobility == Mobility.STRETCHER.value
    return access.shown(viewer, line)


def _outcome(row) -> dict | None:
    """What happened to the person on this trip, when it is other than travelling on it."""
    if row.left_behind:
        return {"kind": "left_behind"}
    if row.off_checkpoint:
        return {"kind": row.off_outcome or "held", "at": row.off_checkpoint}
    if row.turned_back:
        return {"kind": "turned_back"}
    if row.follow_up:
        return {"kind": row.follow_up, "to_trip": row.follow_up_to}
    return None


def _sign_off(conn, trip: str, types: tuple[str, ...], count: int) -> dict | None:
    rows = q.trip_events(conn, trip, types)
    if not rows:
        return None
    last = rows[-1]
    return {"by": last.actor, "device": last.device, "at": last.at, "persons": count}


def trip_manifest(rt: Runtime, trip_id: str, *, viewer: Principal) -> dict:
    """The manifest of a trip as the viewer may see it; only a trip tied to the viewer's sites. Logged."""
    trip_id = trip_id.strip().upper()
    access.require_trip(rt, viewer, Permission.MANIFESTS, trip_id)
    with rt.reading() as uow:
        c = uow.conn
        t = q.trip_row(c, trip_id)
        if t is None:
            raise NotFound(f"trip: no trip {trip_id!r} in this operation", field="trip")
        op = q.operation_row(c)
        lines = q.trip_manifest(c, trip_id)
        people = {p.token: p for p in q.persons_by_tokens(c, [r.token for r in lines])}
        vehicle = q.vehicle_row(c, t.vehicle)
        driver = q.trip_driver(c, t)
        sites = {s.code: s for s in q.all_sites(c)}
        counts = q.trip_counts(c, trip_id).get(trip_id, {})
        passages = [{"checkpoint": p.checkpoint, "at": _iso(p.at), "taken_off": p.taken_off}
                    for p in q.passages_of(c, trip_id)]
        boarded = counts.get("boarded", 0) + (t.unregistered or 0)
        aboard_on_arrival = sum(1 for r in lines if r.boarded_at is not None) - counts.get("taken_off", 0)
        sign_offs = {
            "departure": _sign_off(c, trip_id, SIGN_OFFS["departure"], boarded),
            "arrival": _sign_off(c, trip_id, SIGN_OFFS["arrival"], aboard_on_arrival + (t.unregistered or 0)),
            "scanned_in": counts.get("arrived", 0),
        }
    year = (op.starts_at.year if op else datetime.now().year)
    persons = [_person(viewer, r, people.get(r.token), year) for r in lines]
    access.record(rt, viewer, access.MANIFEST, trip_id, count=len(persons))
    return {
        "trip": trip_id, "origin": t.origin, "destination": t.destination, "state": t.state, "convoy": t.convoy,
        "operation": {"name_en": op.name_en, "name_ar": op.name_ar} if op else None,
        "vehicle": None if vehicle is None else {
            "code": vehicle.code, "plate": vehicle.plate, "kind": vehicle.kind, "seats": vehicle.seats,
            "stretchers": vehicle.stretchers, "operator": vehicle.operator,
            "driver": driver},
        "private": bool(t.private), "unregistered": t.unregistered or 0,
        "route": [_site(sites, code) for code in json.loads(t.route)],
        "times": {"depart_at": _iso(t.depart_at), "arrive_at": _iso(t.arrive_at), "departed_at": _iso(t.departed_at),
                  "arrived_at": _iso(t.arrived_at), "closed_at": _iso(t.closed_at),
                  "turned_back_at": _iso(t.turned_back_at)},
        "road": {"turned_back_at_checkpoint": t.road_site, "incident": t.incident, "note": t.road_note}
        if (t.road_site or t.incident) else None,
        "passages": passages,
        "sign_offs": sign_offs,
        "persons": persons,
    }


def trip_manifest_pdf(rt: Runtime, trip_id: str, *, viewer: Principal, lang: str | None = None) -> bytes:
    """The manifest as an A4 PDF: English then Arabic (or one of them), names in both scripts."""
    from ..formats.papers.manifest import render_manifest

    return render_manifest(trip_manifest(rt, trip_id, viewer=viewer), langs=(lang,) if lang else ("en", "ar"))
