"""The lower bound: exact on simple cases, never above the true optimum (checked by brute force).

Two exact solvers: `optimum` for any small fleet with windows but without the rules that couple vehicles
(rates, convoys), where each vehicle's earliest timing is optimal; `one_vehicle_optimum` for one vehicle
under every rule (windows, checkpoint rate with booked passages, convoy gap with booked entries), where the
earliest timing of a sequence is optimal too. The bounds ignore the coupling rules except the checkpoint
and convoy bounds, which the one-vehicle solver checks.
"""

from __future__ import annotations

import random
from itertools import product

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from corridor.planning import Group, Problem, Unplannable, Vehicle, solve
from corridor.planning.bounds import earliest_at_gathering_points, lower_bound, lower_bounds

# -- an exact solver for tiny problems -------------------------------------------------------------


def optimum(problem: Problem) -> int | None:
    """The least finish of any valid plan that splits no household, rates and convoys aside; None if none.

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
    leave = at if site == origin else first_open(problem, at, _offsets(problem, site, origin))
    if leave is None:
        return None
    ready = max(leave + leg, max(groups[n].ready_at for n in chosen)) + problem.boarding_minutes
    depart = first_open(problem, ready, (0, *_offsets(problem, origin, centre)))
    if depart is None:
        return None
    return centre, depart + problem.minutes(origin, centre) + problem.unloading_minutes


def _offsets(problem: Problem, a: str, b: str) -> tuple[int, ...]:
    return () if a == b else tuple(m for _, m in problem.checkpoints_on.get((a, b), ()))


def first_open(problem: Problem, t: int, offsets: tuple[int, ...]) -> int | None:
    """The first minute >= t at which a movement with these offsets finds every one of them open (by scanning)."""
    if problem.windows is None or not offsets:
        return t
    end = max((b for _, b in problem.windows), default=0)
    for d in range(t, end + 1):
        if all(any(a <= d + o < b for a, b in problem.windows) for o in offsets):
            return d
    return None


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


# -- one vehicle under every rule, exactly --------------------------------------------------------


def one_vehicle_optimum(problem: Problem) -> int | None:
    """The least finish of any plan of a one-vehicle problem, every rule kept; None if there is none.

    Tries every destination and every ordered partition of the groups into trips. For one vehicle
    the earliest timing of a given sequence is optimal: every rule (windows, rates counting its own
    and the booked passages, the gap to its own and the booked entries) only ever asks a movement
    to come later, and a movement placed earlier never makes a later one's rules harder.
    """
    (vehicle,) = problem.vehicles
    groups = problem.groups
    options = [[g.destination] if g.destination is not None else list(problem.centres) for g in groups]
    best = None
    for destinations in product(*options):
        if not _room_for(problem, destinations):
            continue
        for blocks in _ordered_partitions(list(range(len(groups)))):
            finish = _one_vehicle_timing(problem, vehicle, blocks, destinations)
            if finish is not None and (best is None or finish < best):
                best = finish
    return best


def _ordered_partitions(items: list[int]):
    if not items:
        yield []
        return
    for mask in range(1, 1 << len(items)):
        block = [x for n, x in enumerate(items) if mask >> n & 1]
        rest = [x for n, x in enumerate(items) if not mask >> n & 1]
        for tail in _ordered_partitions(rest):
            yield [block, *tail]


def _one_vehicle_timing(problem: Problem, vehicle: Vehicle, blocks, destinations) -> int | None:
    passages = list(problem.booked_passages)
    entries = list(problem.booked_entries)
    site, free = vehicle.site, vehicle.available_at
    finish = 0
    for block in blocks:
        chosen = [problem.groups[n] for n in block]
        if len({g.origin for g in chosen}) != 1 or len({destinations[n] for n in block}) != 1:
            return None
        origin, centre = chosen[0].origin, destinations[block[0]]
        if sum(len(g.seated) for g in chosen) > vehicle.seats:
            return None
        if sum(len(g.stretcher) for g in chosen) > vehicle.stretchers:
            return None
        if problem.minutes(origin, centre) is None:
            return None
        if site != origin:
            leg = problem.minutes(site, origin)
            if leg is None:
                return None
            leave = _earliest(problem, free, site, origin, passages, entries, loaded=False)
            if leave is None:
                return None
            passages += [(c, leave + m) for c, m in problem.checkpoints_on.get((site, origin), ())]
            free = leave + leg
        start = max(free, max(g.ready_at for g in chosen)) + problem.boarding_minutes
        depart = _earliest(problem, start, origin, centre, passages, entries, loaded=True)
        if depart is None:
            return None
        on = problem.checkpoints_on.get((origin, centre), ())
        passages += [(c, depart + m) for c, m in on]
        entries.append(depart + (on[0][1] if on else 0))
        arrive = depart + problem.minutes(origin, centre)
        finish = max(finish, arrive)
        site, free = centre, arrive + problem.unloading_minutes
    return finish


def _earliest(problem, t, a, b, passages, entries, loaded) -> int | None:
    """The first minute >= t a movement a -> b may start, scanning minute by minute."""
    on = problem.checkpoints_on.get((a, b), ())
    offsets = (0, *(m for _, m in on)) if loaded else tuple(m for _, m in on)
    horizon = t + 2000 if problem.windows is None else max((e for _, e in problem.windows), default=0) + 1
    for d in range(t, horizon + 1):
        if problem.windows is not None and not all(any(x <= d + o < y for x, y in problem.windows) for o in offsets):
            continue
        ok = True
        for c, m in on:
            rate = problem.checkpoint_rate.get(c)
            if rate is None:
                continue
            p = d + m
            mine = [q for k, q in passages if k == c]
            if any(sum(1 for q in mine if s <= q <= s + 59) + 1 > rate for s in range(p - 59, p + 1)):
                ok = False
                break
        if ok and loaded and problem.convoy_gap:
            entry = d + (on[0][1] if on else 0)
            ok = all(abs(entry - x) >= problem.convoy_gap for x in entries)
        if ok:
            return d
    return None


@st.composite
def one_vehicle_problems(draw) -> Problem:
    """One vehicle, up to 3 households, a checkpoint on every way, windows, a rate, a gap, booked passages."""
    gps = [f"G{n}" for n in range(draw(st.integers(1, 2)))]
    centres = [f"R{n}" for n in range(draw(st.integers(1, 2)))]
    travel, on = {}, {}
    for g in gps:
        for r in centres:
            m = draw(st.integers(1, 25))
            at = draw(st.integers(0, m))
            travel[(g, r)] = travel[(r, g)] = m
            on[(g, r)], on[(r, g)] = (("C", at),), (("C", m - at),)
    if len(gps) == 2:
        travel[("G0", "G1")] = travel[("G1", "G0")] = draw(st.integers(1, 10))
    seats, stretchers = draw(st.integers(1, 4)), draw(st.integers(0, 1))
    vehicle = Vehicle("V", seats, stretchers, draw(st.sampled_from(gps + centres)), draw(st.integers(0, 10)))
    groups = []
    for n in range(draw(st.integers(1, 3))):
        seated = draw(st.integers(1, seats))
        stretcher = draw(st.integers(0, stretchers)) if seated < seats else 0
        groups.append(household(f"H{n}", seated, stretcher, origin=draw(st.sampled_from(gps)),
                                destination=draw(st.sampled_from([None, *centres])), ready_at=draw(st.integers(0, 30))))
    windows = None
    if draw(st.booleans()):
        windows, t = [], 0
        for _ in range(draw(st.integers(1, 5))):
            t += draw(st.integers(0, 50))
            end = t + draw(st.integers(5, 150))
            windows.append((t, end))
            t = end
    return Problem(
        groups=tuple(groups), vehicles=(vehicle,), gathering_points=tuple(gps),
        centres={c: None for c in centres}, travel=travel, checkpoints_on=on,
        boarding_minutes=draw(st.integers(1, 10)), unloading_minutes=draw(st.integers(0, 10)),
        checkpoint_rate={"C": draw(st.integers(1, 3))} if draw(st.booleans()) else {},
        convoy_size=draw(st.one_of(st.none(), st.integers(1, 2))), convoy_gap=draw(st.integers(0, 30)),
        windows=None if windows is None else tuple(windows),
        booked_passages=tuple(("C", m) for m in draw(st.lists(st.integers(-30, 80), max_size=2))),
        booked_entries=tuple(draw(st.lists(st.integers(-10, 80), max_size=1))),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_vehicle_problems())
def test_no_bound_exceeds_the_optimum_of_one_vehicle_under_every_rule(problem: Problem) -> None:
    best = one_vehicle_optimum(problem)
    bounds = lower_bounds(problem)
    event("optimum found" if best is not None else "no plan")
    if best is not None and (bounds["checkpoint"] or bounds["convoy"]):
        event("a rate or convoy bound counts")
    if best is not None:
        assert max(bounds.values()) <= best, (bounds, best)
    try:
        plan = solve(problem)
    except Unplannable:
        assert best is None or any(len(g.seated) + len(g.stretcher) > 0 for g in problem.groups)
        return
    assert best is not None and best <= plan.finish
    assert plan.lower_bound <= best


@st.composite
def windowed_problems(draw) -> Problem:
    """tiny_problems with checkpoints on the ways and windows: each vehicle's timing is still exact."""
    problem = draw(tiny_problems())
    on = {}
    for (a, b), m in problem.travel.items():
        if draw(st.booleans()):
            on[(a, b)] = (("C", draw(st.integers(0, m))),)
    windows, t = [], 0
    for _ in range(draw(st.integers(1, 5))):
        t += draw(st.integers(0, 40))
        end = t + draw(st.integers(3, 100))
        windows.append((t, end))
        t = end
    return problem.replace(checkpoints_on=on, windows=tuple(windows))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(windowed_problems())
def test_no_bound_exceeds_the_optimum_with_windows(problem: Problem) -> None:
    best = optimum(problem)
    bound = lower_bound(problem)
    if best is not None:
        assert bound <= best
    try:
        plan = solve(problem)
    except Unplannable:
        return
    assert bound <= plan.finish
    if best is not None:
        assert best <= plan.finish or any(len([t for t in plan.trips if g.id in t.groups]) > 1 for g in problem.groups)


def test_the_fleet_programme_by_blocks_equals_the_one_by_labels() -> None:
    from corridor.planning.bounds import Fleet, Moves, Table, demand_of, shortest_cycle, trip_prices

    rnd = random.Random(11)
    compared = 0
    for _ in range(120):
        gps = [f"G{i}" for i in range(rnd.randint(1, 3))]
        rcs = [f"R{i}" for i in range(rnd.randint(1, 2))]
        sites = gps + rcs + ["D"]
        travel = {}
        for i, a in enumerate(sites):
            for b in sites[i + 1 :]:
                if rnd.random() < 0.9:
                    travel[(a, b)] = travel[(b, a)] = rnd.randint(1, 40)
        on = {pair: (("C", rnd.randint(0, m)),) for pair, m in travel.items() if rnd.random() < 0.5}
        windows = None
        if rnd.random() < 0.7:
            windows, t = [], 0
            for _ in range(rnd.randint(1, 8)):
                t += rnd.randint(0, 60)
                e = t + rnd.randint(1, 120)
                windows.append((t, e))
                t = e
            windows = tuple(windows)
        groups = [household(f"H{i}", rnd.randint(1, 4), origin=rnd.choice(gps), destination=rnd.choice(rcs + [None]))
                  for i in range(rnd.randint(1, 6))]
        vehicles = [Vehicle(f"V{i}", rnd.randint(1, 5), rnd.randint(0, 1), rnd.choice(sites), rnd.randint(0, 50))
                    for i in range(rnd.randint(1, 3))]
        problem = Problem(tuple(groups), tuple(vehicles), tuple(gps), {r: None for r in rcs}, travel,
                          boarding_minutes=rnd.randint(0, 10), unloading_minutes=rnd.randint(0, 10),
                          checkpoints_on=on, windows=windows)
        demand = demand_of(problem, list(problem.groups), trip_prices(problem))
        shortest = shortest_cycle(problem, demand)
        if not demand.prizes or shortest <= 0:
            continue
        moves = Moves(problem)
        labels, table = Fleet(problem, moves, demand), Table(problem, moves, demand, shortest)
        for deadline in (0, 30, 90, 200, 500):
            cap = labels.cap
            assert [min(v, cap) for v in labels.values(deadline)] == [min(v, cap) for v in table.values(deadline)]
        compared += 1
    assert compared > 50


def test_the_fleet_bound_counts_whole_trips_and_the_nights() -> None:
    # one 4-seat vehicle at G, 3 loads of 4, G-R 30 through a checkpoint at +5, open 0-100 and 1000-1100
    problem = Problem(
        groups=tuple(household(f"h{n}", 4) for n in range(3)),
        vehicles=(Vehicle("v", 4, 0, "G"),),
        gathering_points=("G",),
        centres={"R": None},
        travel=symmetric({("G", "R"): 30}),
        checkpoints_on={("G", "R"): (("C", 5),), ("R", "G"): (("C", 25),)},
        windows=((0, 100), (1000, 1100)),
        boarding_minutes=10,
        unloading_minutes=5,
    )
    # out at 10 (arrive 40), back 45-75, out at 85 (arrive 115); the third waits for the morning:
    # back through C at >= 1000 (leave R at 975, at G at 1005), out at 1015, arrive 1045
    assert lower_bounds(problem)["fleet"] == 1045 == solve(problem).finish == one_vehicle_optimum(problem)


def test_the_checkpoint_and_convoy_bounds_count_what_must_pass() -> None:
    problem = Problem(
        groups=tuple(household(f"h{n}", 4) for n in range(6)),
        vehicles=tuple(Vehicle(f"v{n}", 4, 0, "G") for n in range(6)),
        gathering_points=("G",),
        centres={"R": None},
        travel=symmetric({("G", "R"): 30}),
        checkpoints_on={("G", "R"): (("C", 5),), ("R", "G"): (("C", 25),)},
        checkpoint_rate={"C": 2},
        convoy_size=1,
        convoy_gap=20,
        boarding_minutes=0,
        unloading_minutes=0,
    )
    bounds = lower_bounds(problem)
    assert bounds["checkpoint"] == 120 + 25  # six passages, two an hour: the last in the third hour
    assert bounds["convoy"] == 100 + 25  # six convoys of one, 20 apart
    plan = solve(problem)
    assert plan.lower_bound == max(bounds.values()) <= plan.finish
