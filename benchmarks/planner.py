"""Benchmark of the planner on the demo operation (east Aleppo), without the database.

Builds the demo `Problem` straight from `corridor.scenarios.east_aleppo`
(setup_spec() and population()), the way `service/planning.py` builds it from
the operation's state, with the corridor rules of the demo switched on; plans
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
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corridor.planning import Group, Plan, Precedence, Problem, Vehicle, solve  # noqa: E402
from corridor.planning.network import corridor  # noqa: E402
from corridor.planning.problem import DEADLINE_MINUTES, daily_windows  # noqa: E402
from corridor.scenarios import east_aleppo  # noqa: E402

# The demo's corridor rules (what the operation's set-up should carry).
CONVOY_SIZE = 10  # vehicles per convoy
CONVOY_GAP = 15  # minutes between two convoys entering the corridor
CHECKPOINT_RATE = 50  # vehicles an hour at each checkpoint, both directions, loaded or empty
WINDOW = (6 * 60, 18 * 60)  # with --daily-window: the corridor open 06:00-18:00 local time (else day and night)

RANK = {"urgent": Precedence.URGENT, "priority": Precedence.PRIORITY, "routine": Precedence.ROUTINE,
        "none": Precedence.NONE}


def _minutes(t: datetime, epoch: datetime) -> int:
    return max(0, int((t - epoch).total_seconds() // 60))


def demo_problem(people: int = 100_000, seed: int = 2016, rules: bool = True, windows: bool = False,
                 rate: int = CHECKPOINT_RATE) -> Problem:
    """The demo operation as `service/planning.py` would pass it at the operation's start."""
    spec = east_aleppo.setup_spec()
    epoch = east_aleppo.START
    op = spec["operation"]
    sites = spec["sites"]
    gathering = tuple(s["code"] for s in sites if s["kind"] == "gathering_point")
    centres = {s["code"]: s["capacity"] for s in sites if s["kind"] == "reception_centre"}
    checkpoints = [s["code"] for s in sites if s["kind"] == "checkpoint"]
    vehicles = tuple(
        Vehicle(id=v["code"], seats=v["seats"], stretchers=v["stretchers"], site=v["site"],
                available_at=_minutes(datetime.fromisoformat(v["available_from"]), epoch))
        for v in spec["vehicles"])
    relevant = sorted(set(gathering) | set(centres) | {v.site for v in vehicles})
    legs = [(leg["origin"], leg["destination"], leg["minutes"]) for leg in spec["legs"]]
    minutes, _, on = corridor(legs, relevant, checkpoints)
    population = east_aleppo.population(people, seed)
    groups = []
    ordinal = 0
    for n, household in enumerate(population.households):
        persons = []
        for person in household["persons"]:
            ordinal += 1
            persons.append((f"P{ordinal:06d}", person))
        precedence = min(RANK[p["precedence"]] for _, p in persons)
        deadline = DEADLINE_MINUTES[precedence]  # registered before the start: counted from the start (the epoch)
        groups.append(Group(
            id=f"H{n + 1:05d}", origin=household["gathering_point"], destination=household["destination"],
            seated=tuple(token for token, p in persons if p["mobility"] != "stretcher"),
            stretcher=tuple(token for token, p in persons if p["mobility"] == "stretcher"),
            precedence=precedence, vulnerable=any(p["vulnerabilities"] for _, p in persons),
            ready_at=0, order=ordinal, deadline=deadline))
    start_of_day = epoch.hour * 60 + epoch.minute
    corridor_rules = {}
    if rules:
        corridor_rules = dict(convoy_size=CONVOY_SIZE, convoy_gap=CONVOY_GAP,
                              checkpoint_rate={c: rate for c in checkpoints})
        if windows:
            corridor_rules["windows"] = daily_windows(WINDOW[0] - start_of_day, WINDOW[1] - start_of_day, 60)
    return Problem(groups=tuple(groups), vehicles=vehicles, gathering_points=gathering, centres=centres,
                   travel=minutes, boarding_minutes=op["boarding_minutes"], unloading_minutes=op["unloading_minutes"],
                   checkpoints_on=on, **corridor_rules)


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
            groups.append(Group(g.id, g.origin, g.destination, seated, stretcher, g.precedence, g.vulnerable,
                                max(0, g.ready_at - epoch), g.order,
                                None if g.deadline is None else g.deadline - epoch))
    received: dict[str, int] = {}
    for t in kept:
        received[t.destination] = received.get(t.destination, 0) + len(t.persons)
    booked = tuple((c, t.depart + m - epoch) for t in kept for c, m in problem.on_route(t.origin, t.destination)
                   if t.depart + m >= epoch - 59)
    entries = tuple(t.depart + (problem.on_route(t.origin, t.destination) or (("", 0),))[0][1] - epoch for t in kept)
    windows = None if problem.windows is None else tuple((a - epoch, b - epoch) for a, b in problem.windows)
    return problem.replace(groups=tuple(groups), vehicles=tuple(vehicles), already_received=received,
                           booked_passages=booked, booked_entries=tuple(e for e in entries if e > -problem.convoy_gap),
                           windows=windows)


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
    from datetime import timedelta

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

    persons = sum(g.size for g in problem.groups)
    rows = [
        ("persons / households / vehicles", f"{persons:,} / {len(problem.groups):,} / {len(problem.vehicles)}"),
        ("corridor rules", "off" if args.no_rules else
         f"convoys of <= {CONVOY_SIZE}, {CONVOY_GAP} min apart; {args.rate} vehicles/h per checkpoint; "
         + (f"open daily {WINDOW[0] // 60:02d}:00-{WINDOW[1] // 60:02d}:00" if args.daily_window
            else "open day and night")),
        ("build the problem", f"{build_s:.2f} s"),
        ("plan", f"{plan_s:.2f} s, {len(plan.trips):,} trips, {len(plan.moves):,} empty moves"),
        ("finish (makespan)", f"{plan.finish:,} min ({plan.finish / 1440:.2f} days, {clock(plan.finish)})"),
        ("lower bound", f"{plan.lower_bound:,} min ({', '.join(f'{k} {v:,}' for k, v in plan.bounds.items())})"),
        ("gap", f"{plan.gap:.2%}"),
        ("deadlines missed", f"{len(plan.missed)} groups "
         f"({sum(1 for m in plan.missed if m.unavoidable)} unavoidable), "
         f"worst {max((m.late_by for m in plan.missed), default=0)} min late"),
        ("replan after a 3 h halt 6 h in", f"{replan_s:.2f} s, {sum(g.size for g in later.groups):,} persons, "
         f"finish {replan.finish:,} min after the halt, bound {replan.lower_bound:,}, gap {replan.gap:.2%}"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if args.json:
        print(json.dumps({
            "plan_s": round(plan_s, 3), "makespan_min": plan.finish, "lower_bound_min": plan.lower_bound,
            "gap": round(plan.gap, 5), "replan_s": round(replan_s, 3), "replan_makespan_min": replan.finish,
            "replan_lower_bound_min": replan.lower_bound, "replan_gap": round(replan.gap, 5),
            "trips": len(plan.trips), "missed": len(plan.missed), "persons": persons,
            "households": len(problem.groups), "seed": args.seed}))


if __name__ == "__main__":
    main()
