"""The curves of the coordinator's picture, as plain series (time in seconds since 1970, UTC):

- progress: persons arrived over time — actual (scanned in), as planned (each trip's planned arrival) and the
  forecast band (the rest of the plan stretched to the forecast's P10 and P90 finish: `service.forecast`);
- halts: each halt's span and cause, to shade the time axis;
- gantt: per vehicle, each trip planned and actual (departure to arrival);
- throughput: vehicles through each checkpoint per hour, and the agreed rate.
Aggregates only: no person is named or counted alone."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import accumulate
from typing import Callable

from ..domain.errors import CorridorError
from ..store import queries as q
from ..store.queries import dashboard as qd
from . import forecast as forecasting
from .opclock import operation_now
from .runtime import Runtime

FORECAST_RUNS = 500  # enough for the band's P10/P90 on a screen; `corridor forecast` runs 10,000


def _s(t: datetime | None) -> int | None:
    return None if t is None else int(t.timestamp())


def _cumulative(rows: list[tuple[datetime, int]]) -> dict:
    """Persons by time (one point a distinct time), summed up."""
    by: dict[int, int] = {}
    for t, n in rows:
        by[_s(t)] = by.get(_s(t), 0) + n
    return {"t": list(by), "n": list(accumulate(by.values()))}


def _band(planned: list[tuple[datetime, int]], arrived: int, now: datetime, plan_end: datetime | None,
          finish: datetime | None) -> dict:
    """From now on: the arrivals still planned, their times stretched so that the last falls at `finish`."""
    rest = [(t, n) for t, n in planned if t > now]
    if not rest or plan_end is None or finish is None:
        return {"t": [], "n": []}
    span = max(1.0, (plan_end - now).total_seconds())
    scale = max(0.0, (finish - now).total_seconds()) / span
    times = [_s(now)] + [int(now.timestamp() + (t - now).total_seconds() * scale) for t, _ in rest]
    return {"t": times, "n": list(accumulate([arrived] + [n for _, n in rest]))}


def forecast_summary(rt: Runtime, runs: int = FORECAST_RUNS) -> dict | None:
    """The current plan's forecast finish (P10, P50, P90) and the plan's own finish; None with nothing to forecast."""
    try:
        case = forecasting.forecast(rt, runs=runs, seed=0)["cases"][0]
    except (CorridorError, ValueError, ZeroDivisionError):  # nothing left to forecast, or no plan yet
        return None
    summary = {k: case.get(k) for k in ("p10_at", "p50_at", "p90_at", "plan_finish_at")}
    link = case.get("link")
    if link and link["bound_share"] > 0:  # the linked operation holds the end back: say so beside the band
        summary["link"] = {k: link[k] for k in ("name", "name_ar", "bound_share", "unlinked_p50_at")}
    return summary


def _hourly(times: list[tuple[str, datetime]]) -> dict[str, dict]:
    out: dict[str, dict[int, int]] = {}
    for checkpoint, at in times:
        hour = _s(at) // 3600 * 3600
        out.setdefault(checkpoint, {}).setdefault(hour, 0)
        out[checkpoint][hour] += 1
    return {cp: {"t": sorted(h), "vehicles": [h[k] for k in sorted(h)]} for cp, h in out.items()}


def curves(rt: Runtime, *, forecast_runs: int = FORECAST_RUNS,
           forecast: Callable[[], dict | None] | None = None) -> dict:
    """The series; `forecast` gives the forecast's summary when the caller keeps one (it is costly and moves
    slowly), else it is computed here."""
    with rt.reading() as uow:
        c = uow.conn
        now = operation_now(rt, c)
        op = q.operation_row(c)
        actual = qd.scanned_in_by_time(c)
        planned = qd.planned_arrivals(c)
        halts = q.halt_timeline(c)
        gantt = qd.gantt_rows(c)
        passages = qd.passages_times(c)
        rules = q.corridor_rules_row(c)
        registered = sum(q.person_state_counts(c).values())
    arrived = sum(n for _, n in actual)
    f = (forecast or (lambda: forecast_summary(rt, forecast_runs)))() if planned else None
    plan_end = planned[-1][0] if planned else None
    link = (f or {}).get("link")
    when = {k: (datetime.fromisoformat(v) if v else None) for k, v in (f or {}).items() if k != "link"}
    by_vehicle: dict[str, list] = {}
    for r in gantt:
        by_vehicle.setdefault(r.vehicle, []).append(
            {"trip": r.id, "state": r.state, "planned": [_s(r.depart_at), _s(r.arrive_at)],
             "actual": [_s(r.departed_at), _s(r.arrived_at)]})
    rates = json.loads(rules.checkpoint_rates) if rules is not None and rules.checkpoint_rates else {}
    return {
        "now": _s(now), "starts_at": _s(op.starts_at) if op else None,
        "progress": {"actual": _cumulative(actual), "planned": _cumulative(planned),
                     "registered": registered,
                     "forecast": None if f is None else {
                         **{k: _s(v) for k, v in when.items()},
                         "link": None if link is None else {
                             **link, "unlinked_p50_at": _s(datetime.fromisoformat(link["unlinked_p50_at"]))
                             if link["unlinked_p50_at"] else None},
                         "low": _band(planned, arrived, now, plan_end, when.get("p10_at")),
                         "mid": _band(planned, arrived, now, plan_end, when.get("p50_at")),
                         "high": _band(planned, arrived, now, plan_end, when.get("p90_at"))}},
        "halts": [{"from": _s(h.halted_at), "to": _s(h.resumed_at), "cause": h.cause} for h in halts],
        "gantt": [{"vehicle": v, "trips": trips} for v, trips in by_vehicle.items()],
        "throughput": {"checkpoints": _hourly(passages), "agreed_per_hour": rates},
    }

