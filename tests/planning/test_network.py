"""Shortest travel times and routes over undirected legs."""

import pytest

from corridor.planning.network import adjacency, shortest_paths, travel_matrix

LEGS = [
    ("A", "B", 10),
    ("B", "C", 10),
    ("A", "C", 50),  # slower than going through B
    ("C", "D", 5),
    ("X", "Y", 3),  # a separate part of the network
]


def test_shorter_route_through_an_intermediate_site_wins() -> None:
    paths = shortest_paths(LEGS, ["A"])
    assert paths[("A", "C")] == (20, ("A", "B", "C"))
    assert paths[("A", "D")] == (25, ("A", "B", "C", "D"))


def test_legs_are_undirected() -> None:
    paths = shortest_paths(LEGS, ["D"])
    assert paths[("D", "A")] == (25, ("D", "C", "B", "A"))


def test_a_source_reaches_itself_in_no_time() -> None:
    assert shortest_paths(LEGS, ["A"])[("A", "A")] == (0, ("A",))


def test_unreachable_pairs_are_absent() -> None:
    paths = shortest_paths(LEGS, ["A", "X"])
    assert ("A", "X") not in paths and ("X", "A") not in paths
    assert paths[("X", "Y")] == (3, ("X", "Y"))


def test_targets_limit_the_answer() -> None:
    assert set(shortest_paths(LEGS, ["A"], ["C", "X"])) == {("A", "C")}


def test_the_quickest_of_parallel_legs_counts() -> None:
    assert adjacency([("A", "B", 9), ("B", "A", 4), ("A", "B", 7)]) == {"A": {"B": 4}, "B": {"A": 4}}


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError):
        adjacency([("A", "B", -1)])


def test_travel_matrix_gives_both_directions_between_requested_sites_only() -> None:
    minutes, routes = travel_matrix(LEGS, ["A", "C", "D", "X"])
    assert minutes == {
        ("A", "C"): 20,
        ("C", "A"): 20,
        ("A", "D"): 25,
        ("D", "A"): 25,
        ("C", "D"): 5,
        ("D", "C"): 5,
    }
    assert routes[("A", "D")] == ("A", "B", "C", "D")
    assert routes[("D", "A")] == ("D", "C", "B", "A")
    assert set(routes) == set(minutes)


def test_travel_matrix_feeds_a_problem() -> None:
    from corridor.planning import Group, Problem, Vehicle, solve

    minutes, _ = travel_matrix(LEGS, ["A", "C", "D"])
    problem = Problem(
        groups=(Group("h", "A", "D", seated=("p",)),),
        vehicles=(Vehicle("v", 4, 0, "C"),),
        gathering_points=("A",),
        centres={"D": None},
        travel=minutes,
        boarding_minutes=0,
        unloading_minutes=0,
    )
    plan = solve(problem)
    assert [(t.depart, t.arrive) for t in plan.trips] == [(20, 45)]


def test_checkpoints_along_a_route_with_their_minutes() -> None:
    from corridor.planning.network import checkpoints_along, corridor

    legs = [("G", "CP1", 10), ("CP1", "CP2", 25), ("CP2", "T", 15), ("T", "R", 90), ("G2", "CP1", 5)]
    minutes, routes, on = corridor(legs, ["G", "G2", "R"], ["CP1", "CP2"])
    assert minutes[("G", "R")] == 140
    assert on[("G", "R")] == (("CP1", 10), ("CP2", 35))
    assert on[("R", "G")] == (("CP2", 105), ("CP1", 130))
    assert on[("G", "G2")] == (("CP1", 10),)  # from one gathering point to another through the checkpoint
    assert checkpoints_along(legs, {("T", "R"): ("T", "R")}, ["CP1"]) == {}  # passing none: absent


def test_the_corridor_feeds_a_problem_with_its_checkpoints() -> None:
    from corridor.planning import Group, Problem, Vehicle, solve
    from corridor.planning.network import corridor

    legs = [("G", "CP", 10), ("CP", "R", 20)]
    minutes, _, on = corridor(legs, ["G", "R"], ["CP"])
    problem = Problem(
        groups=(Group("h", "G", "R", seated=("p",)),),
        vehicles=(Vehicle("v", 4, 0, "G"),),
        gathering_points=("G",),
        centres={"R": None},
        travel=minutes,
        checkpoints_on=on,
        windows=((30, 100),),
        boarding_minutes=0,
        unloading_minutes=0,
    )
    assert [(t.depart, t.arrive) for t in solve(problem).trips] == [(30, 60)]
