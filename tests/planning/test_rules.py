"""The corridor's rules, one by one; every plan checked by the independent checker.

`corridor.planning.check` writes every rule of `corridor.planning.problem` again from its
text. It shares no code with the planner (only the value types), so a rule the planner gets
wrong is caught there rather than repeated; the other planning tests use `check_plan` too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.planning import Group, Plan, Precedence, Problem, Unplannable, Vehicle, solve
from corridor.planning.problem import ProblemError, daily_windows
from corridor.planning.check import InvalidPlan
from corridor.planning.check import check_plan as checked_plan
from corridor.planning.rules import Openings, Rate


def assert_valid_plan_or_named_refusal(problem: Problem) -> None:
    """Either a plan that keeps every rule (and the same one again), or a refusal naming each group once."""
    try:
        plan = solve(problem)
    except Unplannable as refusal:
        named = [u.group for u in refusal.reasons]
        assert named and len(named) == len(set(named))
        assert set(named) <= {g.id for g in problem.groups}
        assert all(u.reason for u in refusal.reasons)
    else:
        check_plan(problem, plan)
        assert solve(problem) == plan


def check_plan(problem: Problem, plan: Plan, planner: str | None = "greedy") -> None:
    """Assert that `plan` keeps every rule for `problem` and reports itself truthfully (the package's checker)."""
    try:
        checked_plan(problem, plan, planner)
    except InvalidPlan as broken:
        raise AssertionError(str(broken)) from None


# == the rules, one by one ======================================================================


def household(group_id: str, seated: int, stretcher: int = 0, origin: str = "G", destination="R", **more) -> Group:
    return Group(
        group_id,
        origin,
        destination,
        seated=tuple(f"{group_id}.{n}" for n in range(seated)),
        stretcher=tuple(f"{group_id}.s{n}" for n in range(stretcher)),
        **more,
    )


def line(groups, vehicles, **more) -> Problem:
    """G -(5)- C -(20)- R, one checkpoint C on the way; vehicles wait at G or R."""
    travel = {("G", "R"): 25, ("R", "G"): 25}
    on = {("G", "R"): (("C", 5),), ("R", "G"): (("C", 20),)}
    return Problem(
        groups=tuple(groups),
        vehicles=tuple(vehicles),
        gathering_points=("G",),
        centres=more.pop("centres", {"R": None}),
        travel=travel,
        checkpoints_on=on,
        boarding_minutes=more.pop("boarding_minutes", 10),
        unloading_minutes=more.pop("unloading_minutes", 5),
        **more,
    )


def checked(problem: Problem):
    plan = solve(problem)
    check_plan(problem, plan)
    return plan


def passages(problem: Problem, plan) -> list[int]:
    out = [t.depart + m for t in plan.trips for _, m in problem.on_route(t.origin, t.destination)]
    out += [e.depart + m for e in plan.moves for _, m in problem.on_route(e.origin, e.destination)]
    return sorted(out)


def _broken(plan: Plan, how: str) -> Plan:
    first, *rest = plan.trips
    if how == "early":
        moved = replace(first, depart=first.depart - 1, arrive=first.arrive - 1)
        return replace(plan, trips=(moved, *rest))
    if how == "twice":
        return replace(plan, trips=(first, replace(first, vehicle="V2", convoy=99), *rest))
    if how == "convoy":
        return replace(plan, trips=tuple(replace(t, convoy=first.convoy, depart=first.depart, arrive=first.arrive)
                                         for t in plan.trips))
    return replace(plan, wait=plan.wait + 1)


@pytest.mark.parametrize("how, complaint", [("early", "departs too early"), ("twice", "every person exactly once"),
                                            ("convoy", "convoy too big"), ("wait", "weighted wait")])
def test_the_checker_refuses_a_plan_that_breaks_a_rule(how, complaint) -> None:
    problem = line([household(f"H{n}", 3) for n in range(4)], [Vehicle("V1", 4, 0, "G"), Vehicle("V2", 4, 0, "G")],
                   convoy_size=1, convoy_gap=5)
    plan = checked(problem)
    with pytest.raises(InvalidPlan, match=complaint):
        checked_plan(problem, _broken(plan, how))


def test_openings_are_the_starts_that_keep_every_offset_open() -> None:
    open_ = Openings(((10, 20), (30, 40)), (0, 5))
    assert [d for d in range(0, 45) if open_.next(d) == d] == [*range(10, 15), *range(30, 35)]
    assert open_.next(15) == 30 and open_.next(35) is None
    assert open_.prev(29) == 14 and open_.prev(9) is None
    assert Openings(((0, 4),), (0, 5)).never
    assert Openings(None, (0, 5)).next(7) == 7


def test_a_rate_counts_every_sixty_minutes() -> None:
    rate = Rate(2)
    rate.add(100)
    rate.add(130)
    assert not rate.ok(159) and rate.ok(160) and not rate.ok(71) and rate.ok(70)
    assert rate.next_ok(120) == 160
    assert rate.next_ok(100, 2) is None or rate.next_ok(100, 2) >= 190  # two at once: a window with none
    rate.remove(130)
    assert rate.ok(130)


def test_the_corridor_shut_holds_departures_until_it_opens() -> None:
    problem = line([household("a", 3)], [Vehicle("v", 4, 0, "G")], windows=((100, 200),))
    plan = checked(problem)
    assert plan.trips[0].depart == 100 and plan.lower_bound == plan.finish == 125


def test_a_trip_must_pass_the_checkpoint_before_the_window_closes() -> None:
    # ready at 90 + boarding 10 = 100, but C would be passed at 105 >= 105: next window
    problem = line([household("a", 3, ready_at=90)], [Vehicle("v", 4, 0, "G")], windows=((0, 105), (300, 400)))
    plan = checked(problem)
    assert plan.trips[0].depart == 300
    assert plan.lower_bound == plan.finish


def test_empty_moves_keep_the_windows_too() -> None:
    # two loads, one vehicle: back from R through C (20 min in) only while open
    problem = line([household("a", 4), household("b", 4)], [Vehicle("v", 4, 0, "G")], windows=((0, 40), (200, 300)))
    plan = checked(problem)
    assert [t.depart for t in plan.trips] == [10, 215]  # free at R at 40; leaves at 180 to pass C at 200
    assert [(m.depart, m.arrive) for m in plan.moves] == [(180, 205)]
    assert plan.lower_bound == plan.finish


def test_a_window_too_short_for_any_trip_is_refused() -> None:
    problem = line([household("a", 3)], [Vehicle("v", 4, 0, "G")], windows=((0, 3), (10, 14)))
    with pytest.raises(Unplannable) as caught:
        solve(problem)
    (reason,) = caught.value.reasons
    assert reason.group == "a" and "never open long enough" in reason.reason and "C at +5" in reason.reason


def test_a_group_ready_after_the_last_window_is_refused() -> None:
    problem = line([household("a", 3, ready_at=500)], [Vehicle("v", 4, 0, "G")], windows=((0, 400),))
    with pytest.raises(Unplannable) as caught:
        solve(problem)
    assert "after the corridor's last window closes" in caught.value.reasons[0].reason


def test_no_window_at_all_means_the_corridor_never_opens() -> None:
    problem = line([household("a", 3)], [Vehicle("v", 4, 0, "G")], windows=())
    with pytest.raises(Unplannable, match="never open"):
        solve(problem)


def test_windows_too_few_for_everybody_name_who_is_left() -> None:
    groups = [household(f"h{n}", 4, order=n) for n in range(3)]
    problem = line(groups, [Vehicle("v", 4, 0, "G")], windows=((0, 30),))
    with pytest.raises(Unplannable) as caught:
        solve(problem)
    assert [u.group for u in caught.value.reasons] == ["h1", "h2"]
    assert "last window closes" in caught.value.reasons[0].reason


def test_a_checkpoint_rate_spaces_the_vehicles() -> None:
    groups = [household(f"h{n}", 4, order=n) for n in range(3)]
    vehicles = [Vehicle(f"v{n}", 4, 0, "G") for n in range(3)]
    plan = checked(line(groups, vehicles, checkpoint_rate={"C": 1}))
    assert [t.depart for t in plan.trips] == [10, 70, 130]


def test_empty_moves_count_against_the_rate() -> None:
    problem = line([household("a", 4), household("b", 4)], [Vehicle("v", 4, 0, "G")], checkpoint_rate={"C": 1})
    plan = checked(problem)
    # out at 10 (C at 15), free at R at 40; back must pass C at >= 75, so leaves R at 55; out again passes C >= 135
    assert [(m.depart, m.arrive) for m in plan.moves] == [(55, 80)]
    assert [t.depart for t in plan.trips] == [10, 130]
    gaps = [b - a for a, b in zip(passages(problem, plan), passages(problem, plan)[1:])]
    assert min(gaps) >= 60


def test_passages_under_way_count_against_the_rate() -> None:
    problem = line(
        [household("a", 3)], [Vehicle("v", 4, 0, "G")], checkpoint_rate={"C": 1}, booked_passages=(("C", 20),)
    )
    assert checked(problem).trips[0].depart == 75  # C at 80, 60 after the booked passage


def test_convoys_leave_at_most_n_together() -> None:
    groups = [household(f"h{n}", 4, order=n) for n in range(5)]
    vehicles = [Vehicle(f"v{n}", 4, 0, "G") for n in range(5)]
    plan = checked(line(groups, vehicles, convoy_size=2))
    sizes = Counter(t.convoy for t in plan.trips)
    assert sorted(sizes.values()) == [1, 2, 2]
    assert sorted({t.depart for t in plan.trips}) == [10, 11, 12]


def test_convoys_enter_the_corridor_a_gap_apart() -> None:
    groups = [household(f"h{n}", 4, order=n) for n in range(5)]
    vehicles = [Vehicle(f"v{n}", 4, 0, "G") for n in range(5)]
    plan = checked(line(groups, vehicles, convoy_size=2, convoy_gap=15, booked_entries=(16,)))
    assert sorted(t.depart for t in plan.trips) == [26, 26, 41, 41, 56]  # entries at C: 31, 46, 61


def test_a_convoy_may_carry_groups_to_different_centres() -> None:
    problem = Problem(
        groups=(household("a", 4, destination="R1"), household("b", 4, destination="R2")),
        vehicles=(Vehicle("v1", 4, 0, "G"), Vehicle("v2", 4, 0, "G")),
        gathering_points=("G",),
        centres={"R1": None, "R2": None},
        travel={("G", "R1"): 20, ("R1", "G"): 20, ("G", "R2"): 30, ("R2", "G"): 30},
        checkpoints_on={("G", "R1"): (("C", 5),), ("G", "R2"): (("C", 5),)},
        convoy_gap=30,
        boarding_minutes=10,
    )
    plan = checked(problem)
    assert len({t.convoy for t in plan.trips}) == 1 and {t.depart for t in plan.trips} == {10}


def test_a_household_larger_than_a_vehicle_leaves_in_one_convoy_or_is_refused() -> None:
    vehicles = [Vehicle(f"v{n}", 4, 0, "G") for n in range(3)]
    plan = checked(line([household("big", 10)], vehicles, convoy_size=3))
    assert len(plan.trips) == 3 and len({t.convoy for t in plan.trips}) == 1
    with pytest.raises(Unplannable, match="more than a convoy may have"):
        solve(line([household("big", 10)], vehicles, convoy_size=2))
    with pytest.raises(Unplannable, match="more than a checkpoint"):
        solve(line([household("big", 10)], vehicles, checkpoint_rate={"C": 2}))


def test_deadlines_go_first_and_a_missed_one_says_by_how_much() -> None:
    groups = [
        household("plain", 4, order=1),
        household("late", 4, order=2, precedence=Precedence.PRIORITY, deadline=200),
        household("soon", 4, order=3, precedence=Precedence.URGENT, deadline=40),
    ]
    plan = checked(line(groups, [Vehicle("v", 4, 0, "G")]))
    assert [t.groups for t in plan.trips] == [("soon",), ("late",), ("plain",)]
    assert plan.missed == ()
    tight = line([household("x", 4, precedence=Precedence.URGENT, deadline=20)], [Vehicle("v", 4, 0, "G")])
    (missed,) = checked(tight).missed
    assert (missed.group, missed.deadline, missed.arrive, missed.late_by, missed.unavoidable) == ("x", 20, 35, 15, True)
    assert set(missed.persons) == {"x.0", "x.1", "x.2", "x.3"}


def test_a_deadline_missed_for_want_of_vehicles_is_not_unavoidable() -> None:
    groups = [household(f"u{n}", 4, order=n, precedence=Precedence.URGENT, deadline=40) for n in range(2)]
    (missed,) = checked(line(groups, [Vehicle("v", 4, 0, "G")])).missed
    assert (missed.group, missed.arrive, missed.late_by, missed.unavoidable) == ("u1", 100, 60, False)


def test_the_plan_reports_the_weighted_wait() -> None:
    groups = [household("a", 2, precedence=Precedence.URGENT, deadline=100), household("b", 1, ready_at=5)]
    plan = checked(line(groups, [Vehicle("v", 4, 0, "G")]))
    # "a" leaves at 10 (b is not ready yet), the vehicle is back for "b", which leaves at 75
    assert [t.arrive for t in plan.trips] == [35, 100]
    assert plan.wait == 2 * 8 * (35 - 0) + 1 * (100 - 5)


def test_windows_and_rules_are_validated() -> None:
    with pytest.raises(ProblemError):
        line([household("a", 1)], [Vehicle("v", 4, 0, "G")], windows=((5, 5),))
    with pytest.raises(ProblemError):
        line([household("a", 1)], [Vehicle("v", 4, 0, "G")], checkpoint_rate={"C": 0})
    with pytest.raises(ProblemError):
        line([household("a", 1)], [Vehicle("v", 4, 0, "G")], convoy_size=0)
    with pytest.raises(ProblemError):
        Problem((), (), ("G",), {"R": None}, {("G", "R"): 5}, checkpoints_on={("G", "R"): (("C", 9),)})
    assert daily_windows(60, 780, 2) == ((60, 780), (1500, 2220))
    assert line([], [Vehicle("v", 4, 0, "G")], windows=((10, 20), (15, 30), (40, 50))).windows == ((10, 30), (40, 50))


def test_replanning_after_a_halt_keeps_every_rule() -> None:
    problem = corridor_problem(groups=400, seed=4)
    plan = checked(problem)
    halt, back = 300, 480
    kept = [t for t in plan.trips if t.depart < halt]
    gone = {p for t in kept for p in t.persons}
    free = {}
    for t in kept:
        if t.vehicle not in free or t.arrive > free[t.vehicle][1]:
            free[t.vehicle] = (t.destination, t.arrive + problem.unloading_minutes)
    where = {v.id: free.get(v.id, (v.site, 0)) for v in problem.vehicles}
    vehicles = tuple(
        Vehicle(v.id, v.seats, v.stretchers, where[v.id][0], max(0, where[v.id][1] - back))
        for v in problem.vehicles
        if v.id != "BUS0"  # lost
    )
    groups = tuple(
        Group(g.id, g.origin, g.destination, tuple(p for p in g.seated if p not in gone),
              tuple(p for p in g.stretcher if p not in gone), g.precedence, g.vulnerable, 0, g.order,
              None if g.deadline is None else g.deadline - back)
        for g in problem.groups
        if set(g.seated + g.stretcher) - gone
    ) + (household("new", 3, origin="GP1", destination=None, ready_at=30, order=10_000),)
    booked = tuple((c, t.depart + m - back) for t in kept for c, m in problem.on_route(t.origin, t.destination)
                   if t.depart + m >= back - 60)
    later = problem.replace(groups=groups, vehicles=vehicles, booked_passages=booked,
                            windows=tuple((a - back, b - back) for a, b in problem.windows))
    again = checked(later)
    assert again.trips and min(t.depart for t in again.trips) >= 0


# -- properties ------------------------------------------------------------------------------------


def corridor_problem(groups: int = 300, seed: int = 1, windows: bool = True) -> Problem:
    """3 gathering points behind checkpoints A then B, 2 centres beyond; buses and ambulances; every rule on."""
    rnd = random.Random(seed)
    gps = ("GP1", "GP2", "GP3")
    legs = {"GP1": 10, "GP2": 15, "GP3": 12}
    travel, on = {}, {}
    for g, m in legs.items():
        for r, far in (("RC1", 60), ("RC2", 100)):
            travel[(g, r)] = travel[(r, g)] = m + 25 + far
            on[(g, r)] = (("A", m), ("B", m + 25))
            on[(r, g)] = (("B", far), ("A", far + 25))
        for h, n in legs.items():
            if g != h:
                travel[(g, h)] = m + n
                on[(g, h)] = (("A", m),)
    households = []
    for n in range(groups):
        stretcher = 1 if rnd.random() < 0.03 else 0
        precedence = rnd.choice([Precedence.URGENT, Precedence.PRIORITY, Precedence.ROUTINE] + [Precedence.NONE] * 12)
        deadline = {Precedence.URGENT: 60, Precedence.PRIORITY: 240, Precedence.ROUTINE: 1440}.get(precedence)
        households.append(household(f"H{n}", rnd.randint(1, 9) - stretcher, stretcher, origin=rnd.choice(gps),
                                    destination=rnd.choice([None, "RC1", "RC2", "RC2"]), precedence=precedence,
                                    vulnerable=rnd.random() < 0.3, order=n, deadline=deadline,
                                    ready_at=0 if rnd.random() < 0.8 else rnd.randint(0, 600)))
    vehicles = [Vehicle(f"BUS{n}", 50, 0, "GP1", 0 if n < 6 else 600) for n in range(8)]
    vehicles += [Vehicle(f"AMB{n}", 4, 2, "GP1") for n in range(2)]
    return Problem(tuple(households), tuple(vehicles), gps, {"RC1": 1200, "RC2": None}, travel,
                   boarding_minutes=20, unloading_minutes=15, checkpoints_on=on, convoy_size=3, convoy_gap=15,
                   checkpoint_rate={"A": 6, "B": 8}, windows=daily_windows(60, 780, 30) if windows else None)


def test_a_corridor_with_every_rule_gets_a_valid_plan() -> None:
    for seed, windows in ((1, True), (2, False)):
        problem = corridor_problem(seed=seed, windows=windows)
        plan = checked(problem)
        assert plan.lower_bound > 0 and plan.gap < 0.5


def test_the_same_seed_gives_the_same_plan_with_every_rule() -> None:
    problem = corridor_problem(groups=200, seed=9)
    assert solve(problem, seed=3) == solve(problem, seed=3)


@st.composite
def ruled_problems(draw) -> Problem:
    """Small problems with checkpoints on the way and any mix of windows, rates and convoys."""
    gps = [f"G{n}" for n in range(draw(st.integers(1, 2)))]
    centres = [f"R{n}" for n in range(draw(st.integers(1, 2)))]
    travel, on = {}, {}
    for g in gps:
        for r in centres:
            m = draw(st.integers(1, 30))
            travel[(g, r)] = travel[(r, g)] = m
            at = draw(st.integers(0, m))
            checkpoint = draw(st.sampled_from(["C1", "C2"]))
            on[(g, r)] = ((checkpoint, at),)
            on[(r, g)] = ((checkpoint, m - at),)
    if len(gps) == 2:
        travel[("G0", "G1")] = travel[("G1", "G0")] = draw(st.integers(0, 10))
    vehicles = []
    for n in range(draw(st.integers(1, 3))):
        seats, stretchers = draw(st.integers(0, 5)), draw(st.integers(0, 2))
        vehicles.append(Vehicle(f"V{n}", max(seats, 1 - stretchers), stretchers, draw(st.sampled_from(gps + centres)),
                                draw(st.integers(0, 20))))
    groups = []
    for n in range(draw(st.integers(0, 6))):
        seated, stretcher = draw(st.integers(0, 6)), draw(st.integers(0, 1))
        groups.append(household(f"H{n}", max(seated, 1 - stretcher), stretcher, origin=draw(st.sampled_from(gps)),
                                destination=draw(st.sampled_from([None, *centres])), ready_at=draw(st.integers(0, 40)),
                                precedence=draw(st.sampled_from(list(Precedence))), vulnerable=draw(st.booleans()),
                                order=n, deadline=draw(st.one_of(st.none(), st.integers(-10, 200)))))
    windows = None
    if draw(st.booleans()):
        windows, t = [], 0
        for _ in range(draw(st.integers(1, 6))):
            t += draw(st.integers(0, 60))
            end = t + draw(st.integers(1, 120))
            windows.append((t, end))
            t = end
    return Problem(
        groups=tuple(groups), vehicles=tuple(vehicles), gathering_points=tuple(gps),
        centres={c: draw(st.one_of(st.none(), st.integers(3, 30))) for c in centres}, travel=travel,
        boarding_minutes=draw(st.integers(0, 10)), unloading_minutes=draw(st.integers(0, 10)), checkpoints_on=on,
        convoy_size=draw(st.one_of(st.none(), st.integers(1, 3))), convoy_gap=draw(st.integers(0, 20)),
        checkpoint_rate=draw(st.dictionaries(st.sampled_from(["C1", "C2"]), st.integers(1, 4))),
        windows=None if windows is None else tuple(windows),
        booked_passages=tuple(draw(st.lists(st.tuples(st.sampled_from(["C1", "C2"]), st.integers(-59, 100)),
                                            max_size=3))),
        booked_entries=tuple(draw(st.lists(st.integers(-20, 100), max_size=2))),
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ruled_problems())
def test_every_ruled_problem_gets_a_valid_plan_or_a_named_refusal(problem: Problem) -> None:
    assert_valid_plan_or_named_refusal(problem)
