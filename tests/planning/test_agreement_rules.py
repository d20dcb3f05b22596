"""The planner under the agreement's rules (planning/agreement.py): destinations narrowed, groups kept apart in
their own compartment, admission within an allowance — the plan obeys them, and the lower bound stays at or below
the exact optimum of the restricted problem (brute force on tiny instances, with compartments never mixed)."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.planning.test_bounds as exact
from corridor.planning import Unplannable, solve
from corridor.planning.agreement import APART, GroupTerms, restrict
from corridor.planning.bounds import lower_bound
from corridor.planning.check import check_plan
from tests.planning.test_bounds import household, simple

_ORIGINAL_TRIP = exact._trip


def _trip_apart(problem, vehicle, groups, where, block, site, at):
    chosen = [n for n in range(len(groups)) if block >> n & 1]
    if len({groups[n].compartment for n in chosen}) > 1:
        return None
    return _ORIGINAL_TRIP(problem, vehicle, groups, where, block, site, at)


def optimum_apart(problem):
    """The exact optimum (test_bounds.optimum) where no trip mixes compartments."""
    with patch.object(exact, "_trip", _trip_apart):
        return exact.optimum(problem)


@st.composite
def agreed_problems(draw):
    problem = draw(exact.tiny_problems())
    centres = list(problem.centres)
    terms = {}
    for g in problem.groups:
        if draw(st.booleans()):
            allowed = tuple(draw(st.lists(st.sampled_from(centres), min_size=1, max_size=len(centres), unique=True)))
            cats = tuple("armed_group" if draw(st.booleans()) else "civilian" for _ in g.seated + g.stretcher)
            terms[g.id] = GroupTerms(categories=cats, destinations=allowed, apart="armed_group" in cats,
                                     order=int("armed_group" in cats))
    allowance = {}
    if draw(st.booleans()):
        allowance[None] = draw(st.integers(0, 12))
    if draw(st.booleans()):
        allowance["armed_group"] = draw(st.integers(0, 4))
    return problem, terms, allowance


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreed_problems())
def test_the_bound_stays_valid_and_the_plan_obeys_the_agreement(case) -> None:
    problem, terms, allowance = case
    out = restrict(problem, terms, allowance)
    restricted = out.problem
    assert {g.id for g in restricted.groups} | set(out.held) == {g.id for g in problem.groups}
    if None in allowance:
        assert sum(g.size for g in restricted.groups) <= allowance[None]
    if "armed_group" in allowance:
        assert sum(terms[g.id].categories.count("armed_group") for g in restricted.groups if g.id in terms) \
            <= allowance["armed_group"]
    for g in restricted.groups:
        t = terms.get(g.id)
        if t is not None and t.destinations is not None:
            assert g.destination in t.destinations
    if not restricted.groups:
        return
    best = optimum_apart(restricted)
    bound = lower_bound(restricted)
    if best is not None:
        assert bound <= best
    try:
        plan = solve(restricted)
    except Unplannable:
        return
    check_plan(restricted, plan)  # among others: no trip mixes compartments
    assert bound <= plan.finish
    if all(len([t for t in plan.trips if g.id in t.groups]) == 1 for g in restricted.groups):
        assert best is not None and best <= plan.finish


def test_groups_kept_apart_never_share_a_vehicle() -> None:
    from corridor.planning import Vehicle

    groups = [household("civ", 2), household("member", 1), household("civ2", 2)]
    problem = simple(groups, [Vehicle("bus", 10, 0, "D")])
    terms = {"member": GroupTerms(categories=("armed_group",), apart=True, order=1)}
    restricted = restrict(problem, terms, {}).problem
    assert next(g for g in restricted.groups if g.id == "member").compartment == APART
    plan = solve(restricted)
    check_plan(restricted, plan)
    assert [t.groups for t in plan.trips if "member" in t.groups] == [("member",)]
    assert optimum_apart(restricted) > exact.optimum(problem)  # keeping apart costs a trip here


def test_a_group_whose_own_destination_is_not_allowed_is_held() -> None:
    from corridor.planning import Vehicle

    problem = simple([household("h", 2, destination="R")], [Vehicle("bus", 10, 0, "D")],
                     centres={"R": None, "S": None},
                     travel={("D", "G"): 10, ("G", "R"): 30, ("D", "R"): 40, ("G", "S"): 20, ("D", "S"): 25})
    out = restrict(problem, {"h": GroupTerms(categories=("armed_group",) * 2, destinations=("S",))}, {})
    assert out.problem.groups == () and out.held["h"].startswith("agreement.destinations")
    problem = problem.replace(groups=(household("h", 2, destination=None),))
    out = restrict(problem, {"h": GroupTerms(categories=("armed_group",) * 2, destinations=("S",))}, {})
    assert out.problem.groups[0].destination == "S"


def test_nobody_is_ready_before_the_agreed_start() -> None:
    from corridor.planning import Vehicle

    problem = simple([household("h", 2, ready_at=5), household("k", 1, ready_at=500)], [Vehicle("bus", 10, 0, "D")])
    restricted = restrict(problem, {}, {}, not_before=120).problem
    assert [g.ready_at for g in restricted.groups] == [120, 500]
    assert min(t.depart for t in solve(restricted).trips) >= 120


def test_the_allowance_keeps_the_order_per_gathering_point() -> None:
    """Held by the link at G, G's civilians hold G's armed-group members back (agreement.order); at H, where no
    civilian waits, the armed-group members are admitted within what is left."""
    from corridor.planning import Vehicle

    groups = [household("g-civ", 4, origin="G"), household("g-armed", 1, origin="G"),
              household("h-armed", 1, origin="H")]
    problem = simple(groups, [Vehicle("bus", 10, 0, "D")], gathering_points=("G", "H"),
                     travel={("D", "G"): 10, ("G", "R"): 30, ("D", "R"): 40, ("D", "H"): 10, ("H", "R"): 30})
    armed = GroupTerms(categories=("armed_group",), apart=True, order=1)
    out = restrict(problem, {"g-armed": armed, "h-armed": armed}, {None: 2}, {None: "agreement.link"})
    assert [g.id for g in out.problem.groups] == ["h-armed"]
    assert out.held["g-civ"].startswith("agreement.link")
    assert out.held["g-armed"].startswith("agreement.order")
    assert out.problem.groups[0].turn == 1 and out.problem.groups[0].kinds == (("armed_group", 1),)
