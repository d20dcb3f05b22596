"""The greedy planner: every rule of a valid plan, priorities, convoys, refusals, speed."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.planning import (
    Group,
    Plan,
    Precedence,
    Problem,
    Unplannable,
    Vehicle,
    solve,
)
from corridor.planning.bounds import lower_bound
from tests.helpers import calls_made, grows_linearly
from tests.planning.test_rules import assert_valid_plan_or_named_refusal
from tests.planning.test_rules import check_plan as _check_plan

# -- the independent checker of every rule lives in test_rules.py ----------------------------------


def check_plan(problem: Problem, plan: Plan) -> None:
    _check_plan(problem, plan)
    assert plan.lower_bound == lower_bound(problem), "the plan carries the problem's lower bound"


# -- building problems ----------------------------------------------------------------------------


def person_names(group_id: str, seated: int, stretcher: int = 0) -> dict:
    """Unique person names for a group."""
    return {
        "seated": tuple(f"{group_id}.{n}" for n in range(seated)),
        "stretcher": tuple(f"{group_id}.s{n}" for n in range(stretcher)),
    }


def household(group_id: str, seated: int, stretcher: int = 0, origin: str = "G", destination="R", **more) -> Group:
    return Group(group_id, origin, destination, **person_names(group_id, seated, stretcher), **more)


def symmetric(minutes: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    both = dict(minutes)
    both.update({(b, a): m for (a, b), m in minutes.items()})
    return both


def simple(groups, vehicles, travel=None, centres=None, **more) -> Problem:
    """One gathering point G, one centre R, a depot D: D-G 10, G-R 30, D-R 40."""
    return Problem(
        groups=tuple(groups),
        vehicles=tuple(vehicles),
        gathering_points=tuple(more.pop("gathering_points", ("G",))),
        centres=centres if centres is not None else {"R": None},
        travel=symmetric(travel if travel is not None else {("D", "G"): 10, ("G", "R"): 30, ("D", "R"): 40}),
        **more,
    )


def solved(problem: Problem) -> Plan:
    plan = solve(problem)
    check_plan(problem, plan)
    return plan


# -- rule 5: timing -------------------------------------------------------------------------------


def test_timing_follows_the_model_exactly() -> None:
    problem = simple([household("a", 4), household("b", 4)], [Vehicle("v", 4, 0, "D")])
    plan = solved(problem)
    # D->G 10, boarding 15, G->R 30; unloading 10, R->G 30, boarding 15, G->R 30.
    assert [(t.groups, t.depart, t.arrive) for t in plan.trips] == [(("a",), 25, 55), (("b",), 110, 140)]
    assert plan.finish == 140


def test_departure_waits_for_the_group_and_the_vehicle() -> None:
    problem = simple([household("a", 2, ready_at=100)], [Vehicle("v", 4, 0, "D", available_at=5)], boarding_minutes=7)
    assert [(t.depart, t.arrive) for t in solved(problem).trips] == [(107, 137)]
    late_vehicle = simple([household("a", 2, ready_at=3)], [Vehicle("v", 4, 0, "D", available_at=50)])
    assert [(t.depart, t.arrive) for t in solved(late_vehicle).trips] == [(75, 105)]


def test_a_vehicle_loads_only_groups_ready_when_it_is_there() -> None:
    problem = simple([household("now", 1), household("later", 1, ready_at=500)], [Vehicle("v", 4, 0, "D")])
    plan = solved(problem)
    assert [t.groups for t in plan.trips] == [("now",), ("later",)]
    assert plan.trips[1].depart == 515


def test_no_groups_means_an_empty_plan() -> None:
    plan = solved(simple([], [Vehicle("v", 4, 0, "D")]))
    assert plan.trips == () and plan.finish == 0 and plan.lower_bound == 0


# -- rules 1, 2, 3: everybody once, room, households ----------------------------------------------


def test_stretcher_cases_ride_only_in_stretcher_places() -> None:
    problem = simple(
        [household("walk", 3), household("lie", 1, 1)],
        [Vehicle("bus", 50, 0, "D"), Vehicle("amb", 2, 1, "D")],
    )
    plan = solved(problem)
    assert {t.vehicle for t in plan.trips if "lie" in t.groups} == {"amb"}


def test_a_household_is_never_split_when_it_fits_a_vehicle() -> None:
    problem = simple([household(f"h{n}", 3) for n in range(3)], [Vehicle("v", 4, 0, "D")])
    plan = solved(problem)
    assert [t.groups for t in plan.trips] == [("h0",), ("h1",), ("h2",)]


def test_first_fit_skips_a_household_that_does_not_fit_and_keeps_filling() -> None:
    groups = [household("a", 3, order=1), household("b", 2, order=2), household("c", 1, order=3)]
    plan = solved(simple(groups, [Vehicle("v", 4, 0, "D")]))
    assert [t.groups for t in plan.trips] == [("a", "c"), ("b",)]


def test_a_household_larger_than_every_vehicle_goes_in_one_convoy() -> None:
    problem = simple(
        [household("big", 7)],
        [Vehicle("near", 4, 0, "G"), Vehicle("far", 4, 0, "D", available_at=20)],
    )
    plan = solved(problem)
    assert len(plan.trips) == 2
    assert {t.vehicle for t in plan.trips} == {"near", "far"}
    assert len({t.convoy for t in plan.trips}) == 1
    # "far" is at G at 20 + 10 = 30: both leave at 30 + 15.
    assert {(t.origin, t.destination, t.depart, t.arrive) for t in plan.trips} == {("G", "R", 45, 75)}
    assert sorted(p for t in plan.trips for p in t.persons) == sorted(problem.groups[0].seated)


def test_a_convoy_carries_stretcher_cases_in_stretcher_places() -> None:
    problem = simple(
        [household("big", 6, 1)],
        [Vehicle("bus", 50, 0, "D"), Vehicle("amb", 4, 2, "D")],
    )
    plan = solved(problem)
    assert len({t.convoy for t in plan.trips}) == 1 and len(plan.trips) == 2


def test_a_convoy_fills_its_spare_room_with_waiting_households() -> None:
    problem = simple(
        [household("big", 7), household("small", 1, order=1)],
        [Vehicle("a", 4, 0, "D"), Vehicle("b", 4, 0, "D")],
    )
    plan = solved(problem)
    assert len(plan.trips) == 2
    assert sorted(g for t in plan.trips for g in t.groups) == ["big", "big", "small"]


def test_trips_leaving_together_form_one_convoy() -> None:
    problem = simple([household(f"h{n}", 4) for n in range(4)], [Vehicle("a", 4, 0, "D"), Vehicle("b", 4, 0, "D")])
    plan = solved(problem)
    # both leave G at 25 and again at 110: two convoys of two, one number each
    assert sorted((t.depart, t.convoy) for t in plan.trips) == [(25, 1), (25, 1), (110, 2), (110, 2)]


# -- rules 1, 4: destinations and capacity ---------------------------------------------------------


def two_centres(groups, vehicles, near: int | None, far: int | None, **more) -> Problem:
    return simple(
        groups,
        vehicles,
        travel={
            ("D", "G"): 10,
            ("G", "NEAR"): 20,
            ("G", "FAR"): 60,
            ("D", "NEAR"): 30,
            ("D", "FAR"): 70,
            ("NEAR", "FAR"): 80,
        },
        centres={"NEAR": near, "FAR": far},
        **more,
    )


def test_no_destination_goes_to_the_nearest_centre() -> None:
    plan = solved(two_centres([household("a", 2, destination=None)], [Vehicle("v", 4, 0, "D")], None, None))
    assert plan.trips[0].destination == "NEAR"


def test_no_destination_goes_on_to_the_next_centre_when_the_nearest_is_full() -> None:
    groups = [
        household("first", 3, destination=None, order=1),
        household("second", 3, destination=None, order=2),
    ]
    plan = solved(two_centres(groups, [Vehicle("v", 8, 0, "D")], 4, None))
    where = {g: t.destination for t in plan.trips for g in t.groups}
    assert where == {"first": "NEAR", "second": "FAR"}


def test_already_received_persons_take_up_room() -> None:
    problem = two_centres(
        [household("a", 3, destination=None)], [Vehicle("v", 8, 0, "D")], 10, None, already_received={"NEAR": 8}
    )
    assert solved(problem).trips[0].destination == "FAR"


def test_named_destinations_take_their_places_before_the_others_choose() -> None:
    groups = [
        household("free", 3, destination=None, precedence=Precedence.URGENT),
        household("bound", 3, destination="NEAR"),
    ]
    plan = solved(two_centres(groups, [Vehicle("v", 8, 0, "D")], 4, None))
    where = {g: t.destination for t in plan.trips for g in t.groups}
    assert where == {"free": "FAR", "bound": "NEAR"}


# -- rule 6: priority ------------------------------------------------------------------------------


def test_urgent_cases_go_first_then_the_vulnerable() -> None:
    groups = [
        household("routine", 3, precedence=Precedence.ROUTINE, order=1),
        household("plain", 3, order=2),
        household("vulnerable", 3, vulnerable=True, order=3),
        household("urgent", 3, precedence=Precedence.URGENT, order=4),
    ]
    plan = solved(simple(groups, [Vehicle("v", 4, 0, "D")]))
    assert [t.groups for t in plan.trips] == [("urgent",), ("routine",), ("vulnerable",), ("plain",)]


def test_same_priority_goes_by_ready_time_then_registration_order() -> None:
    groups = [
        household("b", 3, order=2, ready_at=1),
        household("a", 3, order=1, ready_at=1),
        household("early", 3, order=9, ready_at=0),
    ]
    plan = solved(simple(groups, [Vehicle("v", 4, 0, "D", available_at=5)]))
    assert [t.groups for t in plan.trips] == [("early",), ("a",), ("b",)]


def test_a_vehicle_goes_to_the_gathering_point_with_the_most_urgent_case() -> None:
    problem = Problem(
        groups=(
            household("here", 3, origin="NEARBY", order=1),
            household("urgent", 3, origin="REMOTE", precedence=Precedence.URGENT, order=2),
        ),
        vehicles=(Vehicle("v", 4, 0, "D"),),
        gathering_points=("NEARBY", "REMOTE"),
        centres={"R": None},
        travel=symmetric(
            {
                ("D", "NEARBY"): 5,
                ("D", "REMOTE"): 90,
                ("NEARBY", "R"): 30,
                ("REMOTE", "R"): 30,
                ("NEARBY", "REMOTE"): 60,
            }
        ),
    )
    plan = solved(problem)
    assert [t.groups for t in plan.trips] == [("urgent",), ("here",)]


def test_equal_priority_goes_to_the_gathering_point_reached_first() -> None:
    problem = Problem(
        groups=(
            household("far", 3, origin="REMOTE", order=1),
            household("near", 3, origin="NEARBY", order=1),
        ),
        vehicles=(Vehicle("v", 4, 0, "D"),),
        gathering_points=("REMOTE", "NEARBY"),
        centres={"R": None},
        travel=symmetric(
            {
                ("D", "NEARBY"): 5,
                ("D", "REMOTE"): 90,
                ("NEARBY", "R"): 30,
                ("REMOTE", "R"): 30,
                ("NEARBY", "REMOTE"): 60,
            }
        ),
    )
    plan = solved(problem)
    assert [t.groups for t in plan.trips] == [("near",), ("far",)]


def test_when_nobody_is_waiting_the_vehicle_goes_where_it_can_load_first() -> None:
    problem = Problem(
        groups=(
            household("soon", 3, origin="REMOTE", ready_at=100, order=1),
            household("late", 3, origin="NEARBY", ready_at=300, order=2),
        ),
        vehicles=(Vehicle("v", 4, 0, "D"),),
        gathering_points=("NEARBY", "REMOTE"),
        centres={"R": None},
        travel=symmetric(
            {
                ("D", "NEARBY"): 5,
                ("D", "REMOTE"): 90,
                ("NEARBY", "R"): 30,
                ("REMOTE", "R"): 30,
                ("NEARBY", "REMOTE"): 60,
            }
        ),
    )
    plan = solved(problem)
    assert [t.groups for t in plan.trips] == [("soon",), ("late",)]
    assert plan.trips[0].depart == 115


# -- rule 8: determinism ---------------------------------------------------------------------------


def test_the_same_problem_and_seed_give_the_same_plan() -> None:
    problem = big_problem(groups=2_000, seed=3)
    assert solve(problem, seed=7) == solve(problem, seed=7)
    assert solve(problem) == solve(problem)


# -- rule 9: refusals ------------------------------------------------------------------------------


def reasons(problem: Problem) -> dict[str, str]:
    with pytest.raises(Unplannable) as caught:
        solve(problem)
    named = [u.group for u in caught.value.reasons]
    assert len(named) == len(set(named))
    return {u.group: u.reason for u in caught.value.reasons}


def test_a_stretcher_case_without_any_stretcher_place() -> None:
    found = reasons(simple([household("ok", 2), household("lie", 0, 1)], [Vehicle("bus", 50, 0, "D")]))
    assert list(found) == ["lie"] and "stretcher" in found["lie"]


def test_no_route_from_origin_to_destination() -> None:
    problem = simple([household("a", 2)], [Vehicle("v", 4, 0, "D")], travel={("D", "G"): 10})
    assert "no route from G to reception centre R" in reasons(problem)["a"]
    free = simple([household("a", 2, destination=None)], [Vehicle("v", 4, 0, "D")], travel={("D", "G"): 10})
    assert "no route from G to any reception centre" in reasons(free)["a"]


def test_no_vehicle_can_reach_the_origin() -> None:
    problem = simple([household("a", 2)], [Vehicle("v", 4, 0, "D")], travel={("G", "R"): 30})
    assert "no vehicle can reach gathering point G" in reasons(problem)["a"]


def test_more_persons_than_all_centres_hold() -> None:
    groups = [household("a", 3, destination=None, order=1), household("b", 3, destination=None, order=2)]
    found = reasons(simple(groups, [Vehicle("v", 4, 0, "D")], centres={"R": 4}))
    assert list(found) == ["b"] and found["b"].startswith("capacity")


def test_a_full_destination() -> None:
    groups = [household("a", 3, order=1), household("b", 3, order=2)]
    found = reasons(simple(groups, [Vehicle("v", 4, 0, "D")], centres={"R": 5}))
    assert list(found) == ["b"] and found["b"].startswith("destination full")
    already = reasons(simple(groups[:1], [Vehicle("v", 4, 0, "D")], centres={"R": 5}, already_received={"R": 4}))
    assert already["a"].startswith("destination full")


def test_a_household_larger_than_the_whole_fleet() -> None:
    found = reasons(simple([household("huge", 9)], [Vehicle("a", 4, 0, "D"), Vehicle("b", 4, 0, "D")]))
    assert "more than all vehicles" in found["huge"]


def test_every_unplaceable_group_is_named_at_once() -> None:
    problem = simple(
        [household("lie", 0, 1, order=1), household("ok", 2, order=2), household("huge", 9, order=3)],
        [Vehicle("v", 4, 0, "D")],
        centres={"R": 3},
    )
    found = reasons(problem)
    assert set(found) == {"lie", "huge"}  # "ok" has room once the others are refused


def test_separate_road_networks_are_planned_each_with_its_own_vehicles() -> None:
    from corridor.planning.network import travel_matrix

    legs = [("D1", "G1", 5), ("G1", "R1", 20), ("D2", "G2", 5), ("G2", "R2", 20)]
    minutes, _ = travel_matrix(legs, ["D1", "G1", "R1", "D2", "G2", "R2"])
    problem = Problem(
        groups=tuple(household(f"h{n}", 3, origin=f"G{n % 2 + 1}", destination=None, order=n) for n in range(6)),
        vehicles=(Vehicle("v1", 4, 0, "D1"), Vehicle("v2", 4, 0, "D2")),
        gathering_points=("G1", "G2"),
        centres={"R1": None, "R2": None},
        travel=minutes,
    )
    plan = solved(problem)
    assert {(t.vehicle, t.origin, t.destination) for t in plan.trips} == {("v1", "G1", "R1"), ("v2", "G2", "R2")}
    lonely = problem.replace(vehicles=(Vehicle("v1", 4, 0, "D1"),))
    assert set(reasons(lonely)) == {"h1", "h3", "h5"}  # those at G2


def test_a_travel_table_with_no_way_back_is_refused_for_what_is_left() -> None:
    problem = Problem(
        groups=(
            household("first", 3, origin="G1", destination="R1", precedence=Precedence.URGENT),
            household("second", 3, origin="G2", destination="R2"),
        ),
        vehicles=(Vehicle("v", 4, 0, "D"),),
        gathering_points=("G1", "G2"),
        centres={"R1": None, "R2": None},
        travel=symmetric({("D", "G1"): 5, ("D", "G2"): 5, ("G1", "R1"): 10, ("G2", "R2"): 10}),
    )
    found = reasons(problem)
    assert list(found) == ["second"] and "no way there" in found["second"]


# -- rule 7: speed ---------------------------------------------------------------------------------


def big_problem(groups: int = 20_000, seed: int = 1) -> Problem:
    """About five persons a household, 30 buses and 10 ambulances, 3 gathering points, 2 centres."""
    rnd = random.Random(seed)
    gps, centres = ["GP1", "GP2", "GP3"], ["RC1", "RC2"]
    sites = gps + centres + ["DEPOT"]
    travel = {(a, b): rnd.randint(20, 120) for n, a in enumerate(sites) for b in sites[n + 1 :]}
    households = []
    for n in range(groups):
        stretcher = 1 if rnd.random() < 0.05 else 0
        households.append(
            Group(
                f"H{n}",
                rnd.choice(gps),
                rnd.choice([None, None, "RC1", "RC2"]),
                **person_names(f"H{n}", rnd.randint(1, 9) - stretcher, stretcher),
                precedence=rnd.choice(list(Precedence)),
                vulnerable=rnd.random() < 0.2,
                ready_at=rnd.randint(0, 600),
                order=n,
            )
        )
    vehicles = [Vehicle(f"BUS{n}", 50, 0, "DEPOT") for n in range(30)]
    vehicles += [Vehicle(f"AMB{n}", 4, 2, rnd.choice(gps)) for n in range(10)]
    return Problem(tuple(households), tuple(vehicles), tuple(gps), {c: None for c in centres}, symmetric(travel))


def test_a_hundred_thousand_persons_get_a_valid_plan() -> None:
    problem = big_problem()
    check_plan(problem, solve(problem))


def test_the_planner_does_the_same_work_per_household_at_any_size() -> None:
    """Linear, counted in calls (the same on every machine); benchmarks/planner.py measures the seconds."""
    _, small = calls_made(solve, big_problem(1_000))
    _, large = calls_made(solve, big_problem(4_000))
    assert grows_linearly(small, 1_000, large, 4_000), (small, large)


# -- properties on small random problems -----------------------------------------------------------


@st.composite
def small_problems(draw, plannable: bool = True) -> Problem:
    """1-3 gathering points, 1-2 centres, 1-3 vehicles, up to 6 groups of 1-4 persons.

    `plannable`: full travel table, unlimited centres, stretcher places where needed and
    every household within what the fleet carries at once. Otherwise travel entries may
    be missing and centres may be small.
    """
    gps = [f"G{n}" for n in range(draw(st.integers(1, 3)))]
    centres = [f"R{n}" for n in range(draw(st.integers(1, 2)))]
    sites = gps + centres + ["D"]
    travel = {}
    for n, a in enumerate(sites):
        for b in sites[n + 1 :]:
            if plannable or draw(st.integers(0, 5)):
                travel[(a, b)] = travel[(b, a)] = draw(st.integers(0, 30))
    vehicles = []
    for n in range(draw(st.integers(1, 3))):
        seats, stretchers = draw(st.integers(0, 5)), draw(st.integers(0, 2))
        if seats + stretchers == 0:
            seats = 1
        vehicles.append(Vehicle(f"V{n}", seats, stretchers, draw(st.sampled_from(sites)), draw(st.integers(0, 20))))
    all_seats = sum(v.seats for v in vehicles)
    all_stretchers = sum(v.stretchers for v in vehicles)
    groups = []
    for n in range(draw(st.integers(0, 6))):
        seated, stretcher = draw(st.integers(0, 4)), draw(st.integers(0, 2))
        if plannable:
            seated, stretcher = min(seated, all_seats), min(stretcher, all_stretchers)
        if seated + stretcher == 0:
            seated, stretcher = (1, 0) if all_seats or not plannable else (0, 1)
        groups.append(
            Group(
                f"H{n}",
                draw(st.sampled_from(gps)),
                draw(st.sampled_from([None, *centres])),
                **person_names(f"H{n}", seated, stretcher),
                precedence=draw(st.sampled_from(list(Precedence))),
                vulnerable=draw(st.booleans()),
                ready_at=draw(st.integers(0, 30)),
                order=draw(st.integers(0, 3)),
            )
        )
    capacity = st.none() if plannable else st.one_of(st.none(), st.integers(0, 12))
    return Problem(
        groups=tuple(groups),
        vehicles=tuple(vehicles),
        gathering_points=tuple(gps),
        centres={c: draw(capacity) for c in centres},
        travel=travel,
        boarding_minutes=draw(st.integers(0, 15)),
        unloading_minutes=draw(st.integers(0, 10)),
        already_received={} if plannable else {centres[0]: draw(st.integers(0, 3))},
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_plannable_problems_get_valid_plans(problem: Problem) -> None:
    check_plan(problem, solve(problem))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(plannable=False))
def test_any_problem_gets_a_valid_plan_or_a_named_refusal(problem: Problem) -> None:
    assert_valid_plan_or_named_refusal(problem)
