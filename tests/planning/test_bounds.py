"""The lower bound: exact on simple cases, never above the true optimum (checked by brute force)."""

from __future__ import annotations

import random
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.planning import Group, Problem, Unplannable, Vehicle, solve
from corridor.planning.bounds import earliest_at_gathering_points, lower_bound

# -- an exact solver for tiny problems -------------------------------------------------------------


def optimum(problem: Problem) -> int | None:
    """The least finish of any valid plan that splits no household; None if there is none.

    Tries every destination for every group (within the centres' room), every
    vehicle for every group, and for each vehicle every ordered sequence of
    trips over its groups (a dynamic programme over subsets: arriving earlier
    at the same place with the same groups delivered is never worse).
    """
    groups, vehicles = problem.groups, problem.vehicles
    if not groups:
        return 0
    options = [[g.destination] if g.destination is not None else list(problem.centres) for g in groups]
    best = None
    fastest: dict[tuple, int | None] = {}
    for destinations in product(*options):
        if not _room_for(problem, destinations):
            continue
        if any(problem.minutes(g.origin, d) is None for g, d in zip(groups, destinations)):
            continue
        for owners in product(range(len(vehicles)), repeat=len(groups)):
            finish = 0
            for index in range(len(vehicles)):
                mine = tuple(n for n, owner in enumerate(owners) if owner == index)
                where = tuple(destinations[n] for n in mine)
                if (index, mine, where) not in fastest:
                    fastest[(index, mine, where)] = _fastest(problem, index, mine, where) if mine else 0
                last = fastest[(index, mine, where)]
                if last is None:
                    finish = None
                    break
                finish = max(finish, last)
            if finish is not None and (best is None or finish < best):
                best = finish
    return best


def _room_for(problem: Problem, destinations: tuple[str, ...]) -> bool:
    """Whether the centres can receive the groups sent to them."""
    for centre, capacity in problem.centres.items():
        if capacity is None:
            continue
        sent = sum(g.size for g, d in zip(problem.groups, destinations) if d == centre)
        if sent > capacity - problem.already_received.get(centre, 0):
            return False
    return True


def _fastest(problem: Problem, index: int, mine: tuple[int, ...], where: tuple[str, ...]) -> int | None:
    """The earliest last arrival of vehicle `index` carrying groups `mine` to `where`; None if it cannot."""
    vehicle = problem.vehicles[index]
    groups = [problem.groups[n] for n in mine]
    everything = (1 << len(groups)) - 1
    free: dict[tuple[int, str], int] = {(0, vehicle.site): vehicle.available_at}
    for done in sorted(range(everything + 1), key=int.bit_count):
        for (mask, site), at in list(free.items()):
            if mask != done:
                continue
            rest = everything & ~done
            block = rest
            while block:
                trip = _trip(problem, vehicle, groups, where, block, site, at)
                if trip is not None:
                    key = (done | block, trip[0])
                    if key not in free or trip[1] < free[key]:
                        free[key] = trip[1]
                block = (block - 1) & rest
    ends = [at for (mask, _), at in free.items() if mask == everything]
    return min(ends) - problem.unloading_minutes if ends else None


def _trip(problem, vehicle, groups, where, block, site, at) -> tuple[str, int] | None:
    """(centre, free again) after carrying the groups of `block` in one trip, or None if impossible."""
    chosen = [n for n in range(len(groups)) if block >> n & 1]
    origins = {groups[n].origin for n in chosen}
    centres = {where[n] for n in chosen}
    if len(origins) != 1 or len(centres) != 1:
        return None
    (origin,), (centre,) = origins, centres
    if sum(len(groups[n].seated) for n in chosen) > vehicle.seats:
        return None
    if sum(len(groups[n].stretcher) for n in chosen) > vehicle.stretchers:
        return None
    leg = problem.minutes(site, origin)
    if leg is None:
        return None
    depart = max(at + leg, max(groups[n].ready_at for n in chosen)) + problem.boarding_minutes
    return centre, depart + problem.minutes(origin, centre) + problem.unloading_minutes


# -- building problems ----------------------------------------------------------------------------


def household(group_id: str, seated: int, stretcher: int = 0, origin: str = "G", destination="R", **more) -> Group:
    return Group(
        group_id,
        origin,
        destination,
        seated=tuple(f"{group_id}.{n}" for n in range(seated)),
        stretcher=tuple(f"{group_id}.s{n}" for n in range(stretcher)),
        **more,
    )


def symmetric(minutes: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    both = dict(minutes)
    both.update({(b, a): m for (a, b), m in minutes.items()})
    return both


def simple(groups, vehicles, travel=None, **more) -> Problem:
    """One gathering point G, one centre R, a depot D: D-G 10, G-R 30, D-R 40."""
    return Problem(
        groups=tuple(groups),
        vehicles=tuple(vehicles),
        gathering_points=more.pop("gathering_points", ("G",)),
        centres=more.pop("centres", {"R": None}),
        travel=symmetric(travel if travel is not None else {("D", "G"): 10, ("G", "R"): 30, ("D", "R"): 40}),
        **more,
    )


# -- unit tests ------------------------------------------------------------------------------------


def test_no_groups_bound_zero() -> None:
    assert lower_bound(simple([], [Vehicle("v", 4, 0, "D")])) == 0


def test_one_group_one_vehicle_is_exact() -> None:
    problem = simple([household("a", 3)], [Vehicle("v", 4, 0, "D", available_at=5)])
    assert lower_bound(problem) == 5 + 10 + 15 + 30 == solve(problem).finish


def test_the_group_bound_waits_for_the_group() -> None:
    problem = simple([household("a", 3, ready_at=200)], [Vehicle("v", 4, 0, "D")])
    assert lower_bound(problem) == 200 + 15 + 30


def test_a_stretcher_case_waits_for_a_vehicle_with_stretcher_places() -> None:
    problem = simple(
        [household("lie", 0, 1)],
        [Vehicle("bus", 50, 0, "G"), Vehicle("amb", 2, 1, "D", available_at=100)],
    )
    assert lower_bound(problem) == 100 + 10 + 15 + 30


def test_the_fastest_centre_counts_for_groups_without_destination() -> None:
    problem = simple(
        [household("a", 1, destination=None)],
        [Vehicle("v", 4, 0, "G")],
        travel={("G", "R"): 30, ("G", "S"): 12},
        centres={"R": None, "S": 0},
    )
    assert lower_bound(problem) == 15 + 12


def test_fleet_throughput_counts_round_trips() -> None:
    # Three full loads for one 4-seat vehicle: first arrival 10 + 15 + 30 = 55,
    # then every 10 + 30 + 15 + 30 = 85 minutes.
    problem = simple([household(f"h{n}", 4) for n in range(3)], [Vehicle("v", 4, 0, "D")])
    assert lower_bound(problem) == 55 + 2 * 85 == solve(problem).finish


def test_throughput_of_stretcher_places_is_bounded_separately() -> None:
    problem = simple(
        [household(f"h{n}", 0, 1) for n in range(4)],
        [Vehicle("bus", 50, 0, "D"), Vehicle("amb", 4, 2, "D")],
    )
    assert lower_bound(problem) == 55 + 85


def test_without_a_way_back_each_vehicle_arrives_once() -> None:
    problem = Problem(
        groups=(household("a", 4), household("b", 4)),
        vehicles=(Vehicle("v1", 4, 0, "D"), Vehicle("v2", 4, 0, "D", available_at=50)),
        gathering_points=("G",),
        centres={"R": None},
        travel={("D", "G"): 10, ("G", "R"): 30},  # one way only: no vehicle comes back from R
    )
    assert lower_bound(problem) == 50 + 10 + 15 + 30 == solve(problem).finish


def test_no_time_for_anything_means_bound_of_the_first_arrival() -> None:
    problem = simple(
        [household(f"h{n}", 4) for n in range(5)],
        [Vehicle("v", 4, 0, "G")],
        travel={("G", "R"): 0},
        boarding_minutes=0,
        unloading_minutes=0,
    )
    assert lower_bound(problem) == 0 == solve(problem).finish


def test_a_vehicle_may_get_somewhere_sooner_by_way_of_a_centre() -> None:
    problem = Problem(
        groups=(household("a", 1, origin="FAR"),),
        vehicles=(Vehicle("v", 4, 0, "D"),),
        gathering_points=("NEAR", "FAR"),
        centres={"R": None},
        travel=symmetric({("D", "FAR"): 100, ("D", "NEAR"): 1, ("NEAR", "R"): 2, ("FAR", "R"): 3}),
        boarding_minutes=4,
        unloading_minutes=5,
    )
    assert earliest_at_gathering_points(problem, problem.vehicles[0]) == {"NEAR": 1, "FAR": 1 + 4 + 2 + 5 + 3}


def test_the_bound_never_exceeds_the_plan_of_a_large_problem() -> None:
    rnd = random.Random(5)
    gps, centres = ("G1", "G2", "G3"), ("R1", "R2")
    sites = [*gps, *centres, "D"]
    travel = symmetric({(a, b): rnd.randint(20, 120) for n, a in enumerate(sites) for b in sites[n + 1 :]})
    groups = tuple(
        household(
            f"h{n}",
            rnd.randint(1, 6),
            int(rnd.random() < 0.1),
            origin=rnd.choice(gps),
            destination=rnd.choice([None, *centres]),
            ready_at=rnd.randint(0, 300),
            order=n,
        )
        for n in range(3_000)
    )
    vehicles = tuple(Vehicle(f"bus{n}", 50, 0, "D") for n in range(8)) + tuple(
        Vehicle(f"amb{n}", 4, 2, "G1") for n in range(3)
    )
    problem = Problem(groups, vehicles, gps, {c: None for c in centres}, travel)
    bound = lower_bound(problem)
    assert 0 < bound <= solve(problem).finish


# -- properties ------------------------------------------------------------------------------------


@st.composite
def tiny_problems(draw) -> Problem:
    """Up to 4 households, each fitting at least one of at most 2 vehicles; small travel times."""
    gps = [f"G{n}" for n in range(draw(st.integers(1, 2)))]
    centres = [f"R{n}" for n in range(draw(st.integers(1, 2)))]
    sites = gps + centres + ["D"]
    travel = {}
    for n, a in enumerate(sites):
        for b in sites[n + 1 :]:
            if draw(st.integers(0, 7)):
                travel[(a, b)] = travel[(b, a)] = draw(st.integers(0, 20))
    vehicles = []
    for n in range(draw(st.integers(1, 2))):
        seats, stretchers = draw(st.integers(0, 4)), draw(st.integers(0, 1))
        if seats + stretchers == 0:
            seats = 1
        vehicles.append(Vehicle(f"V{n}", seats, stretchers, draw(st.sampled_from(sites)), draw(st.integers(0, 10))))
    groups = []
    for n in range(draw(st.integers(1, 4))):
        carrier = draw(st.sampled_from(vehicles))
        seated = draw(st.integers(0, min(3, carrier.seats)))
        stretcher = draw(st.integers(0, carrier.stretchers))
        if seated + stretcher == 0:
            seated, stretcher = (1, 0) if carrier.seats else (0, 1)
        groups.append(
            household(
                f"H{n}",
                seated,
                stretcher,
                origin=draw(st.sampled_from(gps)),
                destination=draw(st.sampled_from([None, *centres])),
                ready_at=draw(st.integers(0, 25)),
            )
        )
    return Problem(
        groups=tuple(groups),
        vehicles=tuple(vehicles),
        gathering_points=tuple(gps),
        centres={c: draw(st.one_of(st.none(), st.integers(2, 10))) for c in centres},
        travel=travel,
        boarding_minutes=draw(st.integers(0, 10)),
        unloading_minutes=draw(st.integers(0, 10)),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_the_bound_never_exceeds_the_optimum(problem: Problem) -> None:
    best = optimum(problem)
    bound = lower_bound(problem)
    if best is not None:
        assert bound <= best
    try:
        plan = solve(problem)
    except Unplannable:
        return
    assert bound <= plan.finish
    if all(len([t for t in plan.trips if g.id in t.groups]) == 1 for g in problem.groups):
        assert best is not None, "the greedy plan splits nobody, so the exact solver finds a plan"
        assert best <= plan.finish
