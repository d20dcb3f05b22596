"""When will it end: the forecast from the ledger's state and the current plan, and what-ifs beside it.

The model is `planning.forecast` (pure); this module gathers its inputs on one snapshot: the trips not yet arrived
(the current plan, and the trips on the road), the fleet, the corridor's windows, the persons with a medical deadline,
and what the operation has shown so far (halts, trips held on the road, vehicles withdrawn, persons not at boarding)
to learn the disruption from, and the linked operation's recorded figures (its expected progress gates departures
here when the agreement ties the two: `planning.forecast_link`). A what-if re-plans the rest with one change (`Change`), in memory, recording nothing,
and runs the same disruption over that plan.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from ..domain.errors import BadInput, NotFound, RuleRefused
from ..domain.values import Precedence, SiteKind, TripState
from ..planning import Plan, Unplannable
from ..planning import forecast as model
from ..planning.forecast_link import LinkModel, pace_spread
from ..planning.build import Terms, Transport, build_problem
from ..planning.network import corridor
from ..store import queries as q
from . import agreement
from .planning import read_state
from .whatif import Change, changes, parse_time  # noqa: F401  (the what-ifs a forecast takes)
from .opclock import operation_now
from .runtime import Runtime

MAX_RUNS = 100_000
DUE = (Precedence.URGENT, Precedence.PRIORITY)  # the deadlines counted, in rank order


@dataclass
class _Trip:
    """A trip not yet arrived, as the model needs it (depart: actual when on the road, else planned)."""

    id: str
    vehicle: str
    origin: str
    destination: str
    depart: datetime
    travel: float
    under_way: bool
    checkpoints_left: bool
    boarded: bool
    persons: int


@dataclass
class _Read:
    """Everything read on the snapshot."""

    now: datetime
    op: object
    trips: list[_Trip]
    fleet: list[str]
    seats: list[tuple[int, int, str]]  # seats, stretchers, site of each vehicle in service
    travel: dict
    checkpoints: set[str]
    gathering: list[str]
    terms: Terms | None
    due: list  # persons with deadlines
    waiting: int  # persons waiting (a re-plan places them; the current plan may not)
    held: int  # persons held at a checkpoint (no plan places them until released)
    seen: model.Observed
    planned_finish: datetime | None
    link: LinkModel | None = None  # the linked operation, when the agreement in force ties this one to it


def _minutes(t: datetime, now: datetime) -> float:
    return (t - now).total_seconds() / 60.0


def _now(rt: Runtime, conn, at: datetime | None) -> datetime:
    """`at`, or the clock; the last event's time when the clock is a day past it (a demo or replayed operation)."""
    if at is not None:
        return at.astimezone(timezone.utc)
    return operation_now(rt, conn)


def _terms(conn) -> Terms | None:
    rules = q.corridor_rules_row(conn)
    if rules is None:
        return None
    windows = tuple((datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in json.loads(rules.windows))
    return Terms(rules.convoy_size, rules.convoy_gap_minutes, json.loads(rules.checkpoint_rates), windows)


def _read(rt: Runtime, conn, at: datetime | None) -> _Read:
    op = q.operation_row(conn)
    plan = q.latest_plan(conn)
    if op is None or plan is None:
        raise RuleRefused("forecast: there is no plan yet (set up the operation and plan it first)", field="plan")
    now = _now(rt, conn, at)
    sites = q.all_sites(conn)
    checkpoints = {s.code for s in sites if s.kind == SiteKind.CHECKPOINT.value}
    legs = [(leg.origin, leg.destination, leg.minutes) for leg in q.all_legs(conn)]
    travel, _, _ = corridor(legs, [s.code for s in sites], checkpoints)
    rows = q.trips_in(conn)
    counts = q.trip_counts(conn)
    trips = []
    for t in rows:
        if t.state not in (TripState.PLANNED.value, TripState.BOARDING.value, TripState.DEPARTED.value) or t.private:
            continue  # a private vehicle is not the fleet's: the model runs the fleet
        way = t.state == TripState.DEPARTED.value
        ahead = set(json.loads(t.route)) & checkpoints
        if way:
            ahead -= {p.checkpoint for p in q.passages_of(conn, t.id)}
        n = counts.get(t.id, {})
        trips.append(_Trip(t.id, t.vehicle, t.origin, t.destination, t.departed_at if way else t.depart_at,
                           _minutes(t.arrive_at, t.depart_at), way, bool(ahead),
                           t.state != TripState.PLANNED.value, n.get("boarded" if way else "assigned", 0)))
    vehicles = q.available_vehicles(conn)
    states = q.person_state_counts(conn)
    return _Read(now=now, op=op, trips=trips, fleet=[v.code for v in vehicles],
                 seats=[(v.seats, v.stretchers, v.site) for v in vehicles], travel=travel, checkpoints=checkpoints,
                 gathering=[s.code for s in sites if s.kind == SiteKind.GATHERING_POINT.value], terms=_terms(conn),
                 due=q.persons_with_deadlines(conn, [p.value for p in DUE]), waiting=states.get("waiting", 0),
                 held=states.get("held", 0),
                 seen=_observed(conn, op, rows, counts, now), planned_finish=plan.finish_at,
                 link=_link(conn, op, now))


def _link(conn, op, now: datetime) -> LinkModel | None:
    """The link of the agreement in force, with the linked operation's expected progress: its latest figure as of
    now, at the pace between its first and latest figures (one figure: since the agreement's start), varying
    between runs as much as it varied between successive figures (`forecast_link.pace_spread`)."""
    terms = agreement.terms_in_force(conn)
    if terms is None or terms.link is None:
        return None
    start = terms.starts_at or op.starts_at
    figures = sorted((f.as_of, f.moved) for f in q.linked_history(conn) if f.as_of <= now)
    as_of, there = figures[-1] if figures else (start, 0)
    first_at, first = figures[0] if len(figures) > 1 and figures[0][0] < as_of else (start, 0)
    span = _minutes(as_of, first_at)
    pace = max(0.0, (there - first) / span) if span > 0 else 0.0
    seen = [(first_at, first)] + [f for f in figures if f[0] > first_at]
    paces = [max(0.0, (b - a) / _minutes(tb, ta)) for (ta, a), (tb, b) in zip(seen, seen[1:]) if tb > ta]
    link = terms.link
    return LinkModel(name=link.name, moved_here=float(q.left_count(conn, None, now)), moved_there=float(there),
                     as_of=min(0.0, _minutes(as_of, now)), pace=pace, ratio=link.ratio,
                     steps=tuple((float(st.there), float(st.here)) for st in link.steps),
                     name_ar=link.arabic_name, pace_sigma=pace_spread(paces))


def _observed(conn, op, rows, counts, now: datetime) -> model.Observed:
    """What the operation has shown so far, for `model.learn`."""
    halts = q.halt_timeline(conn)
    lengths = tuple(_minutes(h.resumed_at, h.halted_at) for h in halts if h.resumed_at)
    halted = sum(_minutes(min(h.resumed_at or now, now), h.halted_at) for h in halts if h.halted_at < now)
    terms = _terms(conn)
    clock = model.Clock(_windows(terms, op.starts_at) if terms else None)
    open_minutes = max(0.0, float(clock.open_before(max(0.0, _minutes(now, op.starts_at)))) - halted)
    done = [t for t in rows if t.arrived_at is not None and t.departed_at is not None and t.arrived_at <= now]
    late = [_minutes(t.arrived_at, t.departed_at) - _minutes(t.arrive_at, t.depart_at) for t in done]
    held = [x for x in late if x > model.HELD_AFTER]
    left = [t for t in rows if t.departed_at is not None and t.departed_at <= now]
    shares = tuple(max(0, c["assigned"] - c["boarded"]) / c["assigned"]
                   for c in (counts.get(t.id, {}) for t in left) if c.get("assigned"))
    lost = sum(1 for v in q.all_vehicles(conn) if v.withdrawn_at is not None)
    return model.Observed(open_minutes=open_minutes, halts=sum(1 for h in halts if h.halted_at <= now),
                          halt_minutes=lengths, trips_done=len(done), holds=len(held), hold_minutes=float(sum(held)),
                          vehicle_trips=len(left), vehicles_lost=lost, noshow_shares=shares)


def _windows(terms: Terms | None, now: datetime, change: Change | None = None) -> list | None:
    """The corridor's open minutes from `now`, sorted (None: open day and night)."""
    if change is not None and change.window is not None:
        opens, closes = change.window
        closes = closes if closes > opens else closes + 1440
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        spans = [(_minutes(day, now) + opens + n * 1440, _minutes(day, now) + closes + n * 1440) for n in range(-1, 90)]
    elif terms is None or not terms.windows:
        return None
    else:
        spans = [(_minutes(a, now), _minutes(b, now)) for a, b in terms.windows]
    spans = sorted((max(a, 0.0), b) for a, b in spans if b > 0)
    return spans or [(0.0, 0.0)]  # none opens again: a closed corridor, taken as open after it (see Clock)


def _schedule(r: _Read, trips: list[_Trip], places: dict[str, int], windows, trip_of: dict[str, str],
              unplanned: int) -> model.Schedule:
    """The model's schedule of these trips, with the deadline of each person due (their trip: `trip_of`) and
    `unplanned` persons waiting in no trip; `places`: the seats and stretcher places of each vehicle in service."""
    fleet = list(dict.fromkeys([*places, *(t.vehicle for t in trips)]))
    index = {v: i for i, v in enumerate(fleet)}
    order = sorted(range(len(trips)), key=lambda i: (trips[i].vehicle, not trips[i].under_way, trips[i].depart))
    gap, cycle = [0.0] * len(trips), [0.0] * len(trips)
    board, unload = r.op.boarding_minutes, r.op.unloading_minutes
    back = lambda t: r.travel.get((t.destination, t.origin), 0)  # noqa: E731
    for k, i in enumerate(order):
        t = trips[i]
        cycle[i] = t.travel + unload + back(t) + board
        if k and trips[order[k - 1]].vehicle == t.vehicle:
            before = trips[order[k - 1]]
            gap[i] = unload + (0 if before.destination == t.origin else r.travel.get((before.destination, t.origin), 0)) \
                + board
    position = {t.id: i for i, t in enumerate(trips)}
    rank = {p.value: n for n, p in enumerate(DUE)}
    due_trip, due_at, due_rank = [], [], []
    for p in r.due:
        ready = max(r.op.starts_at, p.registered_at)
        due_at.append(_minutes(ready + timedelta(minutes=Precedence(p.precedence).deadline_minutes), r.now))
        due_trip.append(position.get(trip_of.get(p.token, ""), -1))
        due_rank.append(rank[p.precedence])
    op = r.op
    halted_for = _minutes(r.now, op.halted_since) if op.halted and op.halted_since else None
    return model.Schedule(
        vehicle=[index[t.vehicle] for t in trips], depart=[_minutes(t.depart, r.now) for t in trips],
        travel=[t.travel for t in trips], gap=gap, cycle=cycle, under_way=[t.under_way for t in trips],
        checkpoints_left=[t.checkpoints_left for t in trips], boarded=[t.boarded for t in trips],
        fleet=max(len(fleet), 1), due_trip=due_trip, due_at=due_at, due_rank=due_rank,
        persons=[t.persons for t in trips], unplanned=unplanned,
        windows=windows, halted_for=halted_for, boarding=float(board),
        spare=float(sum(max(0, places.get(t.vehicle, 0) - t.persons) for t in trips if not t.boarded)),
        link=r.link)


def _base(r: _Read) -> model.Schedule:
    """The current plan as recorded: the trips not yet arrived; waiting persons in no trip are extra work."""
    aboard = ("assigned", "boarded", "in_transit")
    trip_of = {p.token: p.trip for p in r.due if p.trip and p.state in aboard}
    places = {code: seats + stretchers for code, (seats, stretchers, _) in zip(r.fleet, r.seats)}
    return _schedule(r, r.trips, places, _windows(r.terms, r.now), trip_of, r.waiting + r.held)


def _changed_terms(r: _Read, terms: Terms | None, change: Change, epoch: datetime) -> Terms | None:
    if change.window is not None:
        spans = _windows(None, r.now, change)
        windows = tuple((r.now + timedelta(minutes=a), r.now + timedelta(minutes=b)) for a, b in spans)
        terms = replace(terms, windows=windows) if terms else Terms(None, 0, {}, windows)
    if change.checkpoint_rates:
        unknown = [c for c, _ in change.checkpoint_rates if c not in r.checkpoints]
        if unknown:
            raise NotFound(f"checkpoint_rate: {', '.join(unknown)} is not a checkpoint of this operation "
                           f"({', '.join(sorted(r.checkpoints)) or 'none'})", field="checkpoint_rate")
        rates = {**(terms.checkpoint_rates if terms else {}), **dict(change.checkpoint_rates)}
        terms = replace(terms, checkpoint_rates=rates) if terms else Terms(None, 0, rates)
    return terms


def _added(state, change: Change, epoch: datetime) -> tuple:
    """The fleet with `change.add_vehicles` more, like the most common vehicle in service, where most start."""
    if not change.add_vehicles:
        return state.vehicles
    kinds = [(v.seats, v.stretchers, v.site) for v in state.vehicles] or [(50, 0, state.sites[0].code)]
    seats, stretchers, site = max(set(kinds), key=kinds.count)
    at = max(change.at or epoch, epoch)
    return state.vehicles + tuple(Transport(f"WHATIF-{i + 1:03d}", seats, stretchers, site, at)
                                  for i in range(change.add_vehicles))


def _split(problem, points: tuple[str, ...]) -> list:
    """Two problems: the gathering points of the second corridor with their share of the fleet, and the rest."""
    second = [g for g in problem.groups if g.origin in points]
    first = [g for g in problem.groups if g.origin not in points]
    if not second:
        raise RuleRefused(f"second_corridor: nobody waits at {', '.join(points)}", field="second_corridor")
    if not first:
        return [problem]
    vehicles = sorted(problem.vehicles, key=lambda v: (v.available_at, v.id))
    share = sum(g.size for g in second) / sum(g.size for g in problem.groups)
    n = min(max(1, round(len(vehicles) * share)), len(vehicles) - 1)
    picked = set(v.id for v in vehicles[::max(1, len(vehicles) // n)][:n]) if n else set()
    return [problem.replace(groups=tuple(first), vehicles=tuple(v for v in vehicles if v.id not in picked)),
            problem.replace(groups=tuple(second), vehicles=tuple(v for v in vehicles if v.id in picked),
                            booked_passages=(), booked_entries=())]


def _replanned(rt: Runtime, conn, r: _Read, change: Change) -> tuple[model.Schedule, float]:
    """The rest planned again with `change` (nothing recorded), and that plan's finish (minutes from now)."""
    unknown = [p for p in change.second_corridor if p not in r.gathering]
    if unknown:
        raise NotFound(f"second_corridor: {', '.join(unknown)} is not a gathering point of this operation "
                       f"({', '.join(r.gathering)})", field="second_corridor")
    epoch = r.now.replace(second=0, microsecond=0)
    state, _ = read_state(conn, epoch)
    state = replace(state, terms=_changed_terms(r, state.terms, change, epoch), vehicles=_added(state, change, epoch))
    problem, _ = build_problem(state)
    everyone = sum(g.size for g in problem.groups)
    problem, _ = agreement.restricted(conn, problem, epoch)  # as the real plan would be (the agreement in force)
    parts = _split(problem, change.second_corridor) if change.second_corridor else [problem]
    planned = 0
    trips = [t for t in r.trips if t.boarded]
    trip_of = {p.token: p.trip for p in r.due if p.trip and p.state in ("boarded", "in_transit")}
    for part in parts:
        if not part.groups:
            continue
        try:
            plan: Plan = rt.planner(part)
        except Unplannable as err:
            raise RuleRefused(f"forecast: {change.label} cannot be planned: {err}", field="plan") from None
        planned += sum(len(t.persons) for t in plan.trips)
        for t in plan.trips:
            trip = _Trip(f"W{len(trips) + 1}", t.vehicle, t.origin, t.destination,
                         epoch + timedelta(minutes=t.depart), float(t.arrive - t.depart), False,
                         bool(part.on_route(t.origin, t.destination)), False, len(t.persons))
            trips.append(trip)
            trip_of.update((token, trip.id) for token in t.persons)
    places = {v.code: v.seats + v.stretchers for v in state.vehicles}
    # persons the agreement holds back (or the plan leaves out) are carried after the plan, as in the base case
    schedule = _schedule(r, trips, places, _windows(state.terms, r.now), trip_of, r.held + everyone - planned)
    return schedule, model.simulate(schedule, None, 1, 0).summary()["p50"]


def _iso(now: datetime, minutes: float) -> str | None:
    return None if minutes is None else (now + timedelta(minutes=round(minutes))).isoformat()


def _case(r: _Read, name: str, change: Change | None, s: model.Schedule, plan_finish: float,
          d: model.Disruption | None, runs: int, seed: int, by: datetime | None) -> dict:
    o = model.simulate(s, d, runs, seed, ranks=len(DUE)).summary(None if by is None else _minutes(by, r.now))
    p10, p50, p90, missed = o["p10"], o["p50"], o["p90"], o["missed"]
    return {"case": name, "change": None if change is None else _change_dict(change),
            "plan_finish_at": _iso(r.now, plan_finish), "p10_at": _iso(r.now, p10), "p50_at": _iso(r.now, p50),
            "p90_at": _iso(r.now, p90),
            "finish_by_probability": None if by is None else round(o["by"], 4),
            "urgent_missed_expected": round(float(missed[0]), 2),
            "priority_missed_expected": round(float(missed[1]), 2),
            "trips": int(len(s.vehicle)), "vehicles": int(s.fleet),
            "never_share": round(o["never"], 4), "link": _link_dict(r, o)}


def _link_dict(r: _Read, o: dict) -> dict | None:
    """The linked operation's part in the forecast: its expected progress, the finish without its gating, and the
    share of runs in which it is what bounds the end (None: no link)."""
    if r.link is None:
        return None
    share = o["link"]["bound_share"]
    unlinked = o["link"]["unlinked"]
    return {"name": r.link.name, "name_ar": r.link.name_ar, "expected": r.link.words(),
            "moved_there": r.link.moved_there, "moved_here": r.link.moved_here, "per_day": round(r.link.pace * 1440, 1),
            "unlinked_p10_at": _iso(r.now, unlinked[0]), "unlinked_p50_at": _iso(r.now, unlinked[1]),
            "unlinked_p90_at": _iso(r.now, unlinked[2]), "bound_share": round(share, 4),
            "bounds_the_end": share >= 0.5,
            "words": (f"the end is bounded by {r.link.name} in {share:.0%} of runs (departures wait for its progress)"
                      if share > 0 else f"{r.link.name} does not hold the end back")}


def _change_dict(c: Change) -> dict:
    return {"add_vehicles": c.add_vehicles or None, "at": c.at.isoformat() if c.at else None,
            "second_corridor": list(c.second_corridor) or None,
            "window": None if c.window is None else "{:02d}:{:02d}-{:02d}:{:02d}".format(
                *divmod(c.window[0], 60), *divmod(c.window[1] % 1440 if c.window[1] != 1440 else 1440, 60)),
            "checkpoint_rate": dict(c.checkpoint_rates) or None}


def _model_dict(d: model.Disruption | None, seen: model.Observed) -> dict:
    observed = {"open_hours": round(seen.open_minutes / 60, 1), "halts": seen.halts,
                "halt_hours": [round(m / 60, 2) for m in seen.halt_minutes], "trips_arrived": seen.trips_done,
                "trips_held": seen.holds, "trips_left": seen.vehicle_trips, "vehicles_lost": seen.vehicles_lost}
    if d is None:
        return {"disruption": False, "observed": observed}
    return {"disruption": True, "observed": observed,
            "halts_per_day": round(d.halt_shape * d.halt_scale * 1440, 3),
            "halt_median_hours": round(math.exp(d.halt_log_mean) / 60, 2),
            "hold_share": round(d.hold_a / (d.hold_a + d.hold_b), 4), "hold_minutes": round(d.hold_minutes, 1),
            "vehicle_loss_share": round(d.loss_a / (d.loss_a + d.loss_b), 5),
            "noshow_share": round(d.noshow_a / (d.noshow_a + d.noshow_b), 4)}


def forecast(rt: Runtime, *, runs: int = 10_000, seed: int = 0, by: datetime | None = None,
             at: datetime | None = None, disruption: bool = True, whatifs: list[Change] = ()) -> dict:
    """The finish time's P10/P50/P90, the chance of finishing by `by`, the medical deadlines expected missed: for
    the current plan and for each what-if, over `runs` seeded runs from `at` (default: now; see `_now`)."""
    if not 1 <= runs <= MAX_RUNS:
        raise BadInput(f"runs: give 1 to {MAX_RUNS:,} runs", field="runs")
    with rt.reading() as uow:
        r = _read(rt, uow.conn, at)
        base = _base(r)
        plan_finish = _minutes(r.planned_finish, r.now)
        cases = [("current plan", None, base, plan_finish)]
        for change in whatifs:
            cases.append((change.label, change, *_replanned(rt, uow.conn, r, change)))
    d = model.learn(r.seen) if disruption else None
    return {"as_of": r.now.isoformat(), "runs": runs, "seed": seed, "by": by.isoformat() if by else None,
            "model": _model_dict(d, r.seen),
            "cases": [_case(r, name, change, s, finish, d, runs, seed, by) for name, change, s, finish in cases]}
