"""Looking at the operation: status, reconciliation, trips, the halt timeline;
verifying the ledger and rebuilding the views."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

from ..domain.accounting import reconcile_trip
from ..domain.permissions import Permission, Principal
from ..domain.values import PersonState, TripState
from ..store import ledger
from ..store import queries as q
from ..store.rebuild import rebuild as rebuild_views
from ..store.rebuild import snapshot
from . import access, agreement
from .plan_report import latest_missed
from .runtime import Runtime


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def status(rt: Runtime) -> dict:
    """The live figures: who is where, trips by state, the plan, halted or running."""
    with rt.reading() as uow:
        c = uow.conn
        op = q.operation_row(c)
        persons = q.person_state_counts(c)
        plan = q.latest_plan(c)
        halts = q.halt_timeline(c)
        return {
            "operation": None if op is None else {
                "name_en": op.name_en, "name_ar": op.name_ar, "starts_at": _iso(op.starts_at),
                "time_zone": op.time_zone, "halted": op.halted, "halted_since": _iso(op.halted_since),
                "halt_cause": halts[-1].cause if op.halted and halts else None,
            },
            "persons_registered": sum(persons.values()),
            "households_registered": q.household_count(c),
            "persons": persons,
            "trips": q.trip_state_counts(c),
            "urgent": q.precedence_counts(c).get("urgent", {}),
            "waiting_by_gathering_point": q.waiting_by_site(c),
            "plan": None if plan is None else {
                "plan_id": plan.plan_id, "planner": plan.planner, "made_at": _iso(plan.made_at),
                "finish_at": _iso(plan.finish_at), "lower_bound_at": _iso(plan.lower_bound_at),
                "trips": plan.trips, "persons": plan.persons,
            },
            "missed_deadlines": latest_missed(c),
            "left_by": q.left_by(c),
            "halts": len(halts),
            "events": q.ledger_seq(c),
            "agreement_link": agreement.link_facts(c),
        }


def _trip_dict(t, n: dict) -> dict:
    return {
        "id": t.id, "vehicle": t.vehicle, "origin": t.origin, "destination": t.destination,
        "route": json.loads(t.route), "convoy": t.convoy, "state": t.state,
        "depart_at": _iso(t.depart_at), "arrive_at": _iso(t.arrive_at),
        "departed_at": _iso(t.departed_at), "arrived_at": _iso(t.arrived_at), "closed_at": _iso(t.closed_at),
        "assigned": n.get("assigned", 0), "boarded": n.get("boarded", 0),
        "taken_off": n.get("taken_off", 0), "arrived": n.get("arrived", 0),
        "private": bool(t.private), "unregistered": t.unregistered or 0,
    }


def trips(rt: Runtime, states: list[TripState] | None = None) -> list[dict]:
    with rt.reading() as uow:
        counts = q.trip_counts(uow.conn)
        return [_trip_dict(t, counts.get(t.id, {})) for t in q.trips_in(uow.conn, states)]


def trip_detail(rt: Runtime, trip_id: str) -> dict | None:
    """One trip with its checkpoint passages."""
    with rt.reading() as uow:
        t = q.trip_row(uow.conn, trip_id.strip().upper())
        if t is None:
            return None
        out = _trip_dict(t, q.trip_counts(uow.conn, t.id).get(t.id, {}))
        out["passages"] = [{"checkpoint": p.checkpoint, "at": _iso(p.at), "taken_off": p.taken_off}
                           for p in q.passages_of(uow.conn, t.id)]
        return out


def manifest(rt: Runtime, trip_id: str) -> list[dict] | None:
    """Who is on a trip: each person's token, household, state, mobility and precedence (no names)."""
    with rt.reading() as uow:
        if q.trip_row(uow.conn, trip_id) is None:
            return None
        return [dict(r._mapping) for r in q.trip_manifest(uow.conn, trip_id)]


def trip_manifest(rt: Runtime, trip_id: str, *, viewer: Principal) -> dict:
    """Who is on a trip, with the fields the viewer may see (`manifests.trip_manifest`; the read is logged)."""
    from .manifests import trip_manifest as full

    return full(rt, trip_id, viewer=viewer)


def setup(rt: Runtime) -> dict:
    """The operation's sites, legs and fleet."""
    with rt.reading() as uow:
        c = uow.conn
        return {
            "sites": [{k: v for k, v in s._mapping.items() if k != "seq"} for s in q.all_sites(c)],
            "legs": [dict(l._mapping) for l in q.all_legs(c)],
            "vehicles": [{**{k: v for k, v in v._mapping.items() if k not in ("seq", "available_from")},
                          "available_from": _iso(v.available_from)} for v in q.all_vehicles(c)],
        }


def timeline(rt: Runtime) -> list[dict]:
    with rt.reading() as uow:
        return [{"cause": h.cause, "note": h.note, "halted_at": _iso(h.halted_at), "resumed_at": _iso(h.resumed_at),
                 "resume_note": h.resume_note} for h in q.halt_timeline(uow.conn)]


def _difference(viewer: Principal, d) -> dict:
    """A difference as the viewer may see it: the person's token to those who see manifests or identify people,
    the reason a person was held to those who see held reasons."""
    out = asdict(d)
    if not (viewer.may(Permission.MANIFESTS) or viewer.sees("name_latin")):
        out["person"] = None
    if d.kind in ("held", "removed") and not viewer.sees("held_reason"):
        out["detail"] = out["detail"].split(":")[0]
    return out


def reconcile(rt: Runtime, *, viewer: Principal) -> dict:
    """Trip by trip, every difference between who boarded and who arrived; and the totals.

    Person tokens and held reasons only to the viewers who may see them (logged when shown)."""
    with rt.reading() as uow:
        lines = q.manifest_lines(uow.conn)
        rows = q.trips_in(uow.conn, [s for s in TripState if s not in (TripState.PLANNED, TripState.CANCELLED)])
        counts = q.person_state_counts(uow.conn)
    result = [reconcile_trip(t.id, TripState(t.state), t.vehicle, t.destination, lines.get(t.id, [])) for t in rows
              if viewer.at_trip(t.origin, t.destination, json.loads(t.route))]
    named = sum(len(r.differences) for r in result)
    if named and (viewer.may(Permission.MANIFESTS) or viewer.sees("name_latin")):
        access.record(rt, viewer, access.RECONCILIATION, "", count=named)
    return {
        "persons": counts,
        "trips": [
            {**{k: v for k, v in asdict(r).items() if k != "differences"}, "state": r.state.value,
             "balanced": r.balanced, "differences": [_difference(viewer, d) for d in r.differences]}
            for r in result
        ],
        "differences": sum(len(r.differences) for r in result),
        "unaccounted": counts.get(PersonState.UNACCOUNTED.value, 0),
    }


def difference_counts(rt: Runtime) -> dict:
    """The reconciliation's totals without anyone in them: the persons of arrived trips still being scanned in (and
    their trips) apart from every other difference, and the unaccounted for. Reads only the lines that can differ."""
    with rt.reading() as uow:
        lines = q.manifest_lines(uow.conn, unsettled=True)
        rows = q.trips_in(uow.conn, [s for s in TripState if s not in (TripState.PLANNED, TripState.CANCELLED)])
        unaccounted = q.person_state_counts(uow.conn).get(PersonState.UNACCOUNTED.value, 0)
    awaiting = trips_awaiting = real = 0
    for t in rows:
        if t.id not in lines:
            continue
        found = reconcile_trip(t.id, TripState(t.state), t.vehicle, t.destination, lines[t.id]).differences
        waiting_here = sum(1 for d in found if d.kind == "not_scanned_in")
        awaiting, trips_awaiting, real = awaiting + waiting_here, trips_awaiting + (waiting_here > 0), \
            real + len(found) - waiting_here
    return {"differences": real, "awaiting_scan_in": awaiting, "awaiting_trips": trips_awaiting,
            "unaccounted": unaccounted}


def verify(rt: Runtime) -> ledger.Verification:
    with rt.reading() as uow:
        return ledger.verify(uow.conn)


def rebuild(rt: Runtime) -> int:
    return rebuild_views(rt.db)


def views_snapshot(rt: Runtime) -> dict:
    with rt.reading() as uow:
        return snapshot(uow.conn)


def ledger_head(rt: Runtime) -> int:
    """The number of the last recorded event: anything recorded changes it (one indexed read)."""
    with rt.reading() as uow:
        return q.ledger_seq(uow.conn)
