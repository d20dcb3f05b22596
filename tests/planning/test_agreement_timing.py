"""The agreement's rules that depend on time, kept by the planner (problem.py, "The agreement"): the order per
gathering point, the agreed end, the quotas per period. Every plan passes the independent check (check.py), which
refuses plans that break them; the lower bound of what a plan carries stays at or below the exact optimum of
carrying those groups (brute force on tiny instances: the optimum without these rules, which only add to it)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.planning.test_bounds as exact
from corridor.planning import Precedence, Unplannable, Vehicle, solve
from corridor.planning.check import InvalidPlan, check_plan
from corridor.planning.problem import PeriodQuota
from tests.planning.test_bounds import household, simple

ARMED = "armed_group"


@st.composite
def timed_problems(draw):
    problem = draw(exact.tiny_problems())
    groups = []
    for g in problem.groups:
        armed = draw(st.integers(0, g.size))
        turn = int(armed > 0) if draw(st.booleans()) else draw(st.integers(0, 2))
        kinds = tuple(k for k in ((ARMED, armed), ("civilian", g.size - armed)) if k[1])
        groups.append(replace(g, turn=turn, kinds=kinds))
    quotas = []
    for category in draw(st.lists(st.sampled_from([None, ARMED]), max_size=2, unique=True)):
        length = draw(st.integers(5, 60))
        first = draw(st.integers(-20, 20))
        periods = tuple((first + n * length, first + (n + 1) * length, draw(st.integers(0, 6)))
                        for n in range(draw(st.integers(1, 5))))
        quotas.append(PeriodQuota(category, periods))
    end = draw(st.one_of(st.none(), st.integers(0, 150)))
    return problem.replace(groups=tuple(groups), quotas=tuple(quotas), departures_end=end)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timed_problems())
def test_plans_keep_the_end_the_quotas_and_the_order_and_the_bound_stays_valid(problem) -> None:
    try:
        plan = solve(problem)
    except Unplannable:
        return
    check_plan(problem, plan)
    left_out = {u.group for u in plan.unplaced}
    assert all(u.reason.split(":")[0] in ("agreement.period", "agreement.quota", "agreement.order")
               for u in plan.unplaced)
    if problem.departures_end is None:
        assert not any(u.reason.startswith("agreement.period") for u in plan.unplaced)
    carried = problem.replace(groups=tuple(g for g in problem.groups if g.id not in left_out),
                              quotas=(), departures_end=None)
    best = exact.optimum(carried)  # without the coupling rules: at or below the optimum with them
    if best is not None:
        assert plan.lower_bound <= best
    assert plan.lower_bound <= plan.finish


def _two_points(groups, vehicles=None, **more):
    return simple(groups, vehicles or [Vehicle("bus", 4, 0, "D")], gathering_points=("G", "H"),
                  travel={("D", "G"): 10, ("G", "R"): 30, ("D", "R"): 40, ("D", "H"): 10, ("H", "R"): 30,
                          ("G", "H"): 5}, **more)


def test_the_order_holds_per_gathering_point_not_everywhere() -> None:
    """At G the armed-group members leave after G's civilians; at H, where no civilian waits, they leave at once."""
    groups = [household(f"c{n}", 4, origin="G") for n in range(3)] + [
        household("g-armed", 2, origin="G", turn=1, kinds=((ARMED, 2),), compartment=1),
        household("h-armed", 2, origin="H", turn=1, kinds=((ARMED, 2),), compartment=1,
                  precedence=Precedence.PRIORITY)]  # the planner's own priority: first, unless held
    problem = _two_points(groups, [Vehicle("bus", 4, 0, "D"), Vehicle("bus2", 4, 0, "D")])
    plan = solve(problem)
    check_plan(problem, plan)
    depart = {g: t.depart for t in plan.trips for g in t.groups}
    last_civilian = max(depart[f"c{n}"] for n in range(3))
    assert depart["g-armed"] >= last_civilian
    assert depart["h-armed"] < last_civilian  # H does not wait for G's civilians


def test_the_check_refuses_a_later_turn_leaving_before_an_earlier_one() -> None:
    groups = [household("civ", 4, origin="G"), household("armed", 2, origin="G", turn=1, compartment=1)]
    problem = simple(groups, [Vehicle("bus", 4, 0, "D"), Vehicle("bus2", 4, 0, "D")])
    unordered = solve(problem.replace(groups=tuple(replace(g, turn=0) for g in problem.groups)))
    depart = {g: t.depart for t in unordered.trips for g in t.groups}
    assert depart["armed"] <= depart["civ"]
    if depart["armed"] < depart["civ"]:
        with pytest.raises(InvalidPlan, match="earlier turn"):
            check_plan(problem, unordered)
    ordered = solve(problem)
    check_plan(problem, ordered)
    depart = {g: t.depart for t in ordered.trips for g in t.groups}
    assert depart["armed"] >= depart["civ"]


def test_no_trip_departs_after_the_agreed_end_and_those_left_are_named() -> None:
    groups = [household(f"h{n}", 4) for n in range(6)]
    problem = simple(groups, [Vehicle("bus", 4, 0, "D")])
    free = solve(problem)
    assert max(t.depart for t in free.trips) > 100
    ended = problem.replace(departures_end=100)
    with pytest.raises(InvalidPlan, match="after the agreed end"):
        check_plan(ended, free)
    plan = solve(ended)
    check_plan(ended, plan)
    assert plan.trips and all(t.depart < 100 for t in plan.trips)
    left = {u.group: u.reason for u in plan.unplaced}
    assert left and all(r.startswith("agreement.period") for r in left.values())
    assert {g for t in plan.trips for g in t.groups} | set(left) == {g.id for g in groups}
    assert plan.lower_bound <= plan.finish
    assert plan.lower_bound <= exact.optimum(ended.replace(groups=tuple(g for g in groups if g.id not in left),
                                                           departures_end=None))


def test_a_day_quota_sends_the_rest_on_later_days() -> None:
    day = 1440
    groups = [household(f"h{n}", 4, kinds=(("civilian", 4),)) for n in range(5)]
    quota = PeriodQuota(None, tuple((n * day, (n + 1) * day, 8) for n in range(5)))
    problem = simple(groups, [Vehicle("bus", 4, 0, "D"), Vehicle("bus2", 4, 0, "D")], quotas=(quota,))
    free = solve(problem.replace(quotas=()))
    with pytest.raises(InvalidPlan, match="quota everyone"):
        check_plan(problem, free)
    plan = solve(problem)
    check_plan(problem, plan)
    by_day: dict[int, int] = {}
    for t in plan.trips:
        by_day[t.depart // day] = by_day.get(t.depart // day, 0) + len(t.persons)
    assert by_day == {0: 8, 1: 8, 2: 4}
    assert not plan.unplaced


def test_a_quota_with_no_room_before_the_end_leaves_the_rest_out() -> None:
    day = 1440
    groups = [household(f"h{n}", 2, kinds=((ARMED, 1), ("civilian", 1))) for n in range(4)]
    quota = PeriodQuota(ARMED, tuple((n * day, (n + 1) * day, 1) for n in range(4)))
    problem = simple(groups, [Vehicle("bus", 10, 0, "D")], quotas=(quota,), departures_end=2 * day)
    plan = solve(problem)
    check_plan(problem, plan)
    assert len(plan.trips) == 2 and {t.depart // day for t in plan.trips} == {0, 1}
    assert sorted(u.reason.split(":")[0] for u in plan.unplaced) == ["agreement.quota"] * 2


def test_a_left_out_household_holds_the_later_turns_at_its_point() -> None:
    groups = [household("civ", 3, kinds=(("civilian", 3),)), household("armed", 1, turn=1, compartment=1,
                                                                        kinds=((ARMED, 1),))]
    quota = PeriodQuota("civilian", ((0, 1440, 2),))
    problem = simple(groups, [Vehicle("bus", 4, 0, "D")], quotas=(quota,), departures_end=1440)
    plan = solve(problem)
    check_plan(problem, plan)
    reasons = {u.group: u.reason.split(":")[0] for u in plan.unplaced}
    assert reasons == {"civ": "agreement.quota", "armed": "agreement.order"}
