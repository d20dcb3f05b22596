"""The alarms, read from the views at the operation's time (`domain.alarms` says what each is and how it is said).

`alarms(rt)` is what the dashboard, `corridor status` and `GET /api/status` show; `status(rt)` is the status with
them and the operation's clock. The linked operation's state (the agreement's link) is one more source of alarms."""

from __future__ import annotations

from datetime import datetime

from ..domain import alarms as rules
from ..domain.alarms import Alarm, Thresholds
from ..domain.values import SiteKind, TripState
from ..store import queries as q
from ..store.queries import dashboard as qd
from . import agreement, reports
from .opclock import clock_dict, operation_now, zone_of
from .plan_report import latest_missed
from .runtime import Runtime

def thresholds_from(aboard_hours: float | None = None, capacity_share: float | None = None,
                    overdue_minutes: int | None = None) -> Thresholds:
    base = Thresholds()
    return Thresholds(aboard_hours=base.aboard_hours if aboard_hours is None else aboard_hours,
                      capacity_share=base.capacity_share if capacity_share is None else capacity_share,
                      overdue_minutes=base.overdue_minutes if overdue_minutes is None else overdue_minutes)


def read(conn, now: datetime, t: Thresholds, differences: tuple[int, int, int] | None = None) -> list[Alarm]:
    """Every alarm but the linked operation's, on an open connection; `differences`: (persons awaiting scan-in,
    their trips, real differences) from `reports.difference_counts`."""
    op = q.operation_row(conn)
    sites = {s.code: s for s in q.all_sites(conn)}
    held = [(site or "?", n, since) for site, n, since in qd.held_by_site(conn)]
    not_done = qd.trips_not_done(conn)
    moving = {r.id for r in not_done if r.state == TripState.DEPARTED.value}
    aboard = [row for row in qd.aboard_by_trip(conn) if row[0] in moving]
    received = q.received_by_centre(conn)
    centres = [(code, received.get(code, 0), s.capacity) for code, s in sites.items()
               if s.kind == SiteKind.RECEPTION_CENTRE.value]
    overdue = [(r.id, r.state, r.depart_at, r.arrive_at) for r in not_done]
    cases = q.persons_with_deadlines(conn, ["urgent", "priority"])
    planned = latest_missed(conn)  # a household at a time: its companions travel with the case
    precedence = {token: level for token, level, *_ in cases}
    planned_cases = [{**m, "persons": [p for p in m["persons"] if precedence.get(p) == m["precedence"]]}
                     for m in planned]  # the alarm counts the medical cases themselves
    late = planned_cases + rules.past_deadline(cases, now, {p for m in planned for p in m["persons"]})
    found = (rules.missed_deadlines(late) + rules.held_at_checkpoints(held, now)
             + rules.aboard_long(aboard, now, t) + rules.near_capacity(centres, t)
             + rules.overdue_trips(overdue, now, t, halted=bool(op and op.halted))
             + (rules.differences(*differences) if differences else []))
    return found


def alarms(rt: Runtime, *, thresholds: Thresholds | None = None, at: datetime | None = None,
           differences: tuple[int, int, int] | None = None) -> list[Alarm]:
    """The alarms at the operation's time (or `at`), most pressing first."""
    if differences is None:
        d = reports.difference_counts(rt)
        differences = (d["awaiting_scan_in"], d["awaiting_trips"], d["differences"])
    with rt.reading() as uow:
        now = at or operation_now(rt, uow.conn)
        found = read(uow.conn, now, thresholds or Thresholds(), differences)
    link = agreement.link_state(rt)
    if link is not None:
        found += rules.linked_operation(link["name"], link["held"], link["moved_there"], link["moved_here"],
                                        link["needed"], name_ar=link["name_ar"])
        found += rules.linked_incidents(link["name"], [
            (datetime.fromisoformat(i["occurred_at"]), i["incident"], i["vehicles"], i["persons_affected"],
             i["source"]) for i in link["incidents"]], now, name_ar=link["name_ar"])
    return rules.ordered(found)


def status(rt: Runtime, *, thresholds: Thresholds | None = None) -> dict:
    """The live figures (`reports.status`) with the operation's clock and the alarms in words."""
    out = reports.status(rt)
    with rt.reading() as uow:
        now, tz = operation_now(rt, uow.conn), zone_of(rt, uow.conn)
    out["clock"] = clock_dict(rt, now, tz)
    out["alarms"] = [a.as_dict() for a in alarms(rt, thresholds=thresholds, at=now)]
    return out
