"""The map's data: sites, route legs and trips on the road as one GeoJSON FeatureCollection (RFC 7946).

Aggregates only, no person's name or token: counts and times by site and trip. The dashboard's map draws exactly
this (`GET /api/map.geojson`). A trip on the road is placed on its leg from its last logged passage (or its
departure) by the time since, at the leg's planned pace, never past the next site it has not passed; one that
should have reached a checkpoint and has not passed it is counted as waiting there."""

from __future__ import annotations

import json
from datetime import datetime

from ..domain.alarms import Thresholds
from ..domain.values import SiteKind
from ..store import queries as q
from ..store.queries import dashboard as qd
from .opclock import operation_now
from .runtime import Runtime

WAITING_SHARE = 0.98  # a trip past its time to the next checkpoint is drawn this far along the leg (waiting there)


def _minutes(a: datetime, b: datetime) -> float:
    return max(0.0, (b - a).total_seconds() / 60)


def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _where(trip, route: list[str], passed: tuple[str, datetime] | None, legs: dict, logged: set[str],
           now: datetime) -> tuple:
    """(the site last left, the next site, the share of that leg done, minutes since it should have reached the
    next logged site — a checkpoint not yet passed or the destination — or None) of a trip on the road."""
    start, since = (passed[0], passed[1]) if passed and passed[0] in route else (route[0], trip.departed_at)
    gone = _minutes(since or now, now)
    i = route.index(start)
    while i + 1 < len(route):
        a, b = route[i], route[i + 1]
        minutes = legs.get((a, b)) or 1
        if gone < minutes:
            return a, b, gone / minutes, None
        gone -= minutes
        if b in logged or i + 2 == len(route):  # it must log its passing there: it is waiting before it
            return a, b, WAITING_SHARE, gone
        i += 1
    return start, start, 1.0, None


def features(rt: Runtime, t: Thresholds | None = None) -> dict:
    t = t or Thresholds()
    with rt.reading() as uow:
        c = uow.conn
        now = operation_now(rt, c)
        sites = {s.code: s for s in q.all_sites(c)}
        legs = {}
        for leg in q.all_legs(c):
            legs[(leg.origin, leg.destination)] = legs[(leg.destination, leg.origin)] = leg.minutes
        waiting = q.waiting_by_site(c)
        held = {site: (n, since) for site, n, since in qd.held_by_site(c)}
        arrived = qd.arrived_by_centre(c)
        bound = q.received_by_centre(c)
        moving = [r for r in qd.trips_not_done(c) if r.state == "departed"]
        aboard = {trip: (n, since) for trip, n, since in qd.aboard_by_trip(c)}
        passed = qd.last_passage_of_moving(c)
    out, at_checkpoint = [], {}
    checkpoints = {code for code, s in sites.items() if s.kind == SiteKind.CHECKPOINT.value}
    for trip in moving:
        route = qd.route_of(trip.route)
        last, nxt, share, late = _where(trip, route, passed.get(trip.id), legs, checkpoints, now)
        a, b = sites[last], sites[nxt]
        persons, since = aboard.get(trip.id, (0, None))
        if late is not None and sites[nxt].kind == SiteKind.CHECKPOINT.value:
            n_v, n_p, longest = at_checkpoint.get(nxt, (0, 0, 0.0))
            at_checkpoint[nxt] = (n_v + 1, n_p + persons, max(longest, late))
        overdue = _minutes(trip.arrive_at, now) > t.overdue_minutes
        aboard_long = since is not None and _minutes(since, now) > t.aboard_hours * 60
        status = "aboard_long" if aboard_long else "overdue" if overdue else "waiting" if late else "on_time"
        out.append({"type": "Feature",
                    "geometry": _point(a.lon + (b.lon - a.lon) * share, a.lat + (b.lat - a.lat) * share),
                    "properties": {"feature": "trip", "trip": trip.id, "vehicle": trip.vehicle, "state": trip.state,
                                   "status": status, "persons_aboard": persons, "from": last, "to": nxt,
                                   "destination": trip.destination,
                                   "hours_aboard": round(_minutes(since, now) / 60, 1) if since else 0.0}})
    site_features = []
    for code, s in sites.items():
        props = {"feature": "site", "code": code, "kind": s.kind, "name_en": s.name_en, "name_ar": s.name_ar}
        if s.kind == SiteKind.GATHERING_POINT.value:
            props["waiting"] = waiting.get(code, 0)
        if s.kind == SiteKind.CHECKPOINT.value or code in held:
            n_held, since = held.get(code, (0, None))
            vehicles, persons, longest = at_checkpoint.get(code, (0, 0, 0.0))
            held_minutes = _minutes(since, now) if since else 0.0
            props.update(vehicles_here=vehicles, persons_here=persons + n_held, held=n_held,
                         longest_wait_minutes=round(max(longest, held_minutes)))
        if s.kind == SiteKind.RECEPTION_CENTRE.value:
            props.update(arrived=arrived.get(code, 0), arrived_or_bound=bound.get(code, 0), capacity=s.capacity)
        site_features.append({"type": "Feature", "geometry": _point(s.lon, s.lat), "properties": props})
    leg_features = [{"type": "Feature",
                     "geometry": {"type": "LineString", "coordinates": [[sites[a].lon, sites[a].lat],
                                                                        [sites[b].lon, sites[b].lat]]},
                     "properties": {"feature": "leg", "from": a, "to": b, "minutes": m}}
                    for (a, b), m in legs.items() if a < b]
    return {"type": "FeatureCollection", "features": leg_features + site_features + out,
            "properties": {"as_of": now.isoformat(), "trips_on_road": len(out)}}


def geojson(rt: Runtime) -> str:
    return json.dumps(features(rt), ensure_ascii=False)
