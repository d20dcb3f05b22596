"""Benchmark of the planner on the demo operation (east Aleppo), without the database.

Builds the demo `Problem` straight from `corridor.scenarios.east_aleppo`
(setup_spec() and population()) through the builder `service/planning.py` uses
(`corridor.planning.build`), with the corridor rules of the demo switched on; plans
it; then simulates a halt (3 hours, 6 hours in) and times the replan of
everyone who had not yet left.

    uv run python benchmarks/planner.py            # a table
    uv run python benchmarks/planner.py --json     # ... and one JSON object on the last line
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.planning import Plan, Problem, Vehicle, solve  # noqa: E402
from corridor.planning.build import Person, Site, State, Terms, Transport, build_problem  # noqa: E402
from corridor.planning.problem import DAY, PeriodQuota, daily_windows  # noqa: E402
from corridor.scenarios import east_aleppo  # noqa: E402
from common import header_line, record_header  # noqa: E402

# The demo's corridor rules (what the operation's set-up should carry).
CONVOY_SIZE = 10  # vehicles per convoy
CONVOY_GAP = 15  # minutes between two convoys entering the corridor
CHECKPOINT_RATE = 50  # vehicles an hour at each checkpoint, both directions, loaded or empty
WINDOW = (6 * 60, 18 * 60)  # with --daily-window: the corridor open 06:00-18:00 local time (else day and night)

def demo_state(people: int = 100_000, seed: int = 2016, rules: bool = True, windows: bool = False,
               rate: int = CHECKPOINT_RATE) -> State:
    """The demo operation at its start, as the plain records `service/planning.py` reads from its database
    (everyone registered before the start)."""
    spec = east_aleppo.setup_spec()
    epoch = east_aleppo.START
    op = spec["operation"]
    persons = []
    for n, household in enumerate(east_aleppo.population(people, seed).households):
        for person in household["persons"]:
            persons.append(Person(
                token=f"P{len(persons) + 1:06d}", household=f"H{n + 1:05d}",
                gathering_point=household["gathering_point"], destination=household["destination"],
                mobility=person["mobility"], precedence=person["precedence"],
                vulnerable=bool(person["vulnerabilities"]), registered_at=epoch, ordinal=len(persons) + 1))
    checkpoints = [s["code"] for s in spec["sites"] if s["kind"] == "checkpoint"]
    terms = None
    if rules:
        start_of_day = epoch.hour * 60 + epoch.minute
        opens = daily_windows(WINDOW[0] - start_of_day, WINDOW[1] - start_of_day, 60) if windows else ()
        at = lambda m: epoch + timedelta(minutes=m)  # noqa: E731
        terms = Terms(convoy_size=CONVOY_SIZE, convoy_gap=CONVOY_GAP, checkpoint_rates={c: rate for c in checkpoints},
                      windows=tuple((at(a), at(b)) for a, b in opens))
    return State(
        epoch=epoch, starts_at=epoch, boarding_minutes=op["boarding_minutes"],
        unloading_minutes=op["unloading_minutes"],
        sites=tuple(Site(s["code"], s["kind"], s["capacity"]) for s in spec["sites"]),
        legs=tuple((leg["origin"], leg["destination"], leg["minutes"]) for leg in spec["legs"]),
        vehicles=tuple(Transport(v["code"], v["seats"], v["stretchers"], v["site"],
                                 datetime.fromisoformat(v["available_from"])) for v in spec["vehicles"]),
        persons=tuple(persons), received={}, terms=terms)


def demo_problem(people: int = 100_000, seed: int = 2016, rules: bool = True, windows: bool = False,
                 rate: int = CHECKPOINT_RATE) -> Problem:
    """The demo operation as `service/planning.py` would pass it at the operation's start (the same builder)."""
    problem, _ = build_problem(demo_state(people, seed, rules, windows, rate))
    return problem


def after_halt(problem: Problem, plan: Plan, halt_at: int, halt_minutes: int) -> Problem:
    """The problem the service would build when a halt at `halt_at` ends `halt_minutes` later.

    Trips that left before the halt are kept (people aboard, not part of the
    problem): each vehicle is free where and when its last kept trip ends.
    Everyone else is planned again; the epoch moves to the end of the halt.
    """
    epoch = halt_at + halt_minutes
    kept = [t for t in plan.trips if t.depart < halt_at]
    gone = {p for t in kept for p in t.persons}
    last: dict[str, tuple[str, int]] = {}
    for t in kept:
        ends = t.arrive + problem.unloading_minutes
        if t.vehicle not in last or ends > last[t.vehicle][1]:
            last[t.vehicle] = (t.destination, ends)
    vehicles = []
    for v in problem.vehicles:
        site, free = last.get(v.id, (v.site, v.available_at))
        vehicles.append(Vehicle(v.id, v.seats, v.stretchers, site, max(0, free - epoch)))
    groups = []
    for g in problem.groups:
        seated = tuple(p for p in g.seated if p not in gone)
        stretcher = tuple(p for p in g.stretcher if p not in gone)
        if seated or stretcher:
            groups.append(replace(g, seated=seated, stretcher=stretcher, ready_at=max(0, g.ready_at - epoch),
                                  deadline=None if g.deadline is None else g.deadline - epoch))
    by_id = {g.id: g for g in problem.groups}
    quotas = []
    for quota in problem.quotas:  # what is left of each period after the trips kept
        periods = []
        for start, end, limit in quota.periods:
            used = sum(by_id[g].count(quota.category) for t in kept for g in dict.fromkeys(t.groups)
                       if start <= t.depart < end)
            if end > epoch:
                periods.append((start - epoch, end - epoch, max(0, limit - used)))
        quotas.append(PeriodQuota(quota.category, tuple(periods)))
    received: dict[str, int] = {}
    for t in kept:
        received[t.destination] = received.get(t.destination, 0) + len(t.persons)
    booked = tuple((c, t.depart + m - epoch) for t in kept for c, m in problem.on_route(t.origin, t.destination)
                   if t.depart + m >= epoch - 59)
    entries = tuple(t.depart + (problem.on_route(t.origin, t.destination) or (("", 0),))[0][1] - epoch for t in kept)
    windows = None if problem.windows is None else tuple((a - epoch, b - epoch) for a, b in problem.windows)
    return problem.replace(groups=tuple(groups), vehicles=tuple(vehicles), already_received=received,
                           booked_passages=booked, booked_entries=tuple(e for e in entries if e > -problem.convoy_gap),
                           windows=windows, quotas=tuple(quotas),
                           departures_end=None if problem.departures_end is None else problem.departures_end - epoch)


ARMED_SHARE = 0.08  # households whose head is a member of an armed group (the demo's agreement)


AGREED_DAYS = 7  # the last row: the agreed end, days after the start
ARMED_PER_DAY = 800  # … and at most this many members of armed groups leaving a day


def with_agreement(problem: Problem, share: float = ARMED_SHARE, timed: bool = False) -> tuple[Problem, float]:
    """The demo problem under the demo agreement (planning/agreement.py): in about `share` of households the head
    is a member of an armed group, who may go to Idlib only, never in one vehicle with civilians of another
    household, and leaves after the civilians of their gathering point; the linked operation's allowance is not
    binding here (it gates departures over time, which a single plan does not see). With `timed`, also an agreed
    end `AGREED_DAYS` days after the start and a quota of `ARMED_PER_DAY` members of armed groups a day.
    Returns the restricted problem and the seconds restricting took."""
    import random

    from corridor.planning.agreement import GroupTerms, restrict

    rng = random.Random(2016)
    terms = {}
    for g in problem.groups:
        if rng.random() < share:
            members = g.seated + g.stretcher
            terms[g.id] = GroupTerms(categories=("armed_group",) + ("civilian",) * (len(members) - 1),
                                     destinations=("RC-IDL",), apart=True, order=1)
    started = time.perf_counter()
    out = restrict(problem, terms, {})
    agreed = out.problem
    if timed:
        agreed = agreed.replace(departures_end=AGREED_DAYS * DAY, quotas=(PeriodQuota("armed_group", tuple(
            (n * DAY, (n + 1) * DAY, ARMED_PER_DAY) for n in range(AGREED_DAYS))),))
    return agreed, time.perf_counter() - started


def timed(problem: Problem, seed: int, repeat: int) -> tuple[Plan, float]:
    """The plan and the median of `repeat` wall-clock timings of solving (the plan is the same each time)."""
    times, plans = [], []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        plans.append(solve(problem, seed=seed))
        times.append(time.perf_counter() - started)
    assert all(p == plans[0] for p in plans), "the same problem and seed give the same plan"
    return plans[0], sorted(times)[len(times) // 2]


def clock(epoch_minutes: int) -> str:
    start = east_aleppo.START
    return (start + timedelta(minutes=epoch_minutes)).strftime("%d %b %H:%M")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0, help="planner seed (the plan is deterministic)")
    parser.add_argument("--rate", type=int, default=CHECKPOINT_RATE, help="vehicles an hour at each checkpoint")
    parser.add_argument("--daily-window", action="store_true", help="the corridor open 06:00-18:00 only")
    parser.add_argument("--no-rules", action="store_true", help="no convoys, rates or windows")
    parser.add_argument("--repeat", type=int, default=3, help="time each solve this many times (the median counts)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    built = time.perf_counter()
    problem = demo_problem(args.people, rules=not args.no_rules, windows=args.daily_window, rate=args.rate)
    build_s = time.perf_counter() - built

    plan, plan_s = timed(problem, args.seed, args.repeat)
    halt_at, halt_minutes = 6 * 60, 3 * 60
    later = after_halt(problem, plan, halt_at, halt_minutes)
    replan, replan_s = timed(later, args.seed, args.repeat)

    agreed, restrict_s = with_agreement(problem)
    agreed_plan, agreed_s = timed(agreed, args.seed, args.repeat)
    agreed_later = after_halt(agreed, agreed_plan, halt_at, halt_minutes)
    agreed_replan, agreed_replan_s = timed(agreed_later, args.seed, args.repeat)
    apart = sum(1 for g in agreed.groups if g.compartment)
    timed_problem, _ = with_agreement(problem, timed=True)
    timed_plan, timed_s = timed(timed_problem, args.seed, args.repeat)
    timed_later = after_halt(timed_problem, timed_plan, halt_at, halt_minutes)
    timed_replan, timed_replan_s = timed(timed_later, args.seed, args.repeat)
    left_out = sum(g.size for g in timed_problem.groups if g.id in {u.group for u in timed_plan.unplaced})

    persons = sum(g.size for g in problem.groups)
    rows = [
        ("persons / households / vehicles", f"{persons:,} / {len(problem.groups):,} / {len(problem.vehicles)}"),
        ("corridor rules", "off" if args.no_rules else
         f"convoys of <= {CONVOY_SIZE}, {CONVOY_GAP} min apart; {args.rate} vehicles/h per checkpoint; "
         + (f"open daily {WINDOW[0] // 60:02d}:00-{WINDOW[1] // 60:02d}:00" if args.daily_window
            else "open day and night")),
        ("build the problem", f"{build_s:.2f} s"),
        ("plan", f"{plan_s:.2f} s, {len(plan.trips):,} trips, {len(plan.moves):,} empty moves"),
        ("finish (makespan)", f"{plan.finish:,} min ({plan.finish / DAY:.2f} days, {clock(plan.finish)})"),
        ("lower bound", f"{plan.lower_bound:,} min ({', '.join(f'{k} {v:,}' for k, v in plan.bounds.items())})"),
        ("gap", f"{plan.gap:.2%}"),
        ("deadlines missed", f"{len(plan.missed)} groups "
         f"({sum(1 for m in plan.missed if m.unavoidable)} unavoidable), "
         f"worst {max((m.late_by for m in plan.missed), default=0)} min late"),
        ("replan after a 3 h halt 6 h in", f"{replan_s:.2f} s, {sum(g.size for g in later.groups):,} persons, "
         f"finish {replan.finish:,} min after the halt, bound {replan.lower_bound:,}, gap {replan.gap:.2%}"),
        ("with the agreement in force", f"{apart:,} households kept apart (Idlib only, after civilians); "
         f"restrict {restrict_s:.2f} s, plan {agreed_s:.2f} s, finish {agreed_plan.finish:,} min, "
         f"bound {agreed_plan.lower_bound:,}, gap {agreed_plan.gap:.2%}; replan after the halt {agreed_replan_s:.2f} s, "
         f"gap {agreed_replan.gap:.2%}"),
        (f"… with an end after {AGREED_DAYS} days", f"and <= {ARMED_PER_DAY} armed-group members a day: plan "
         f"{timed_s:.2f} s, finish {timed_plan.finish:,} min, bound {timed_plan.lower_bound:,}, gap "
         f"{timed_plan.gap:.2%}, {left_out:,} persons left out ({len(timed_plan.unplaced):,} households); "
         f"replan after the halt {timed_replan_s:.2f} s, gap {timed_replan.gap:.2%}"),
    ]
    header = record_header(args.seed)
    print(header_line(header, "corridor planner benchmark"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if args.json:
        print(json.dumps({
            "plan_s": round(plan_s, 3), "makespan_min": plan.finish, "lower_bound_min": plan.lower_bound,
            "gap": round(plan.gap, 5), "replan_s": round(replan_s, 3), "replan_makespan_min": replan.finish,
            "replan_lower_bound_min": replan.lower_bound, "replan_gap": round(replan.gap, 5),
            "trips": len(plan.trips), "missed": len(plan.missed), "persons": persons,
            "households": len(problem.groups),
            "agreement_plan_s": round(agreed_s + restrict_s, 3), "agreement_makespan_min": agreed_plan.finish,
            "agreement_lower_bound_min": agreed_plan.lower_bound, "agreement_gap": round(agreed_plan.gap, 5),
            "agreement_replan_s": round(agreed_replan_s, 3), "agreement_replan_gap": round(agreed_replan.gap, 5),
            "agreement_timed_plan_s": round(timed_s, 3), "agreement_timed_gap": round(timed_plan.gap, 5),
            "agreement_timed_left_out": left_out, "agreement_timed_replan_s": round(timed_replan_s, 3),
            "agreement_timed_replan_gap": round(timed_replan.gap, 5),
            **header}))


if __name__ == "__main__":
    main()
