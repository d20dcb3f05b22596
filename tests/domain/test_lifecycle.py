"""The lifecycle table of a person and of a trip (no database)."""

from corridor.domain import lifecycle as lc
from corridor.domain.lifecycle import PersonMove as M
from corridor.domain.lifecycle import TripMove as TM
from corridor.domain.values import PersonState as P
from corridor.domain.values import TripState as T


def test_the_person_table_is_exactly_this():
    assert lc.person_transitions() == {
        (P.WAITING, M.PLAN, P.ASSIGNED),
        (P.ASSIGNED, M.CANCEL, P.WAITING),
        (P.WAITING, M.BOARD, P.BOARDED), (P.ASSIGNED, M.BOARD, P.BOARDED),
        (P.BOARDED, M.DEPART, P.IN_TRANSIT),
        (P.ASSIGNED, M.LEAVE_BEHIND, P.WAITING),
        (P.IN_TRANSIT, M.TAKE_OFF, P.HELD),
        *{(s, M.SCAN_IN, P.ARRIVED) for s in (P.WAITING, P.ASSIGNED, P.BOARDED, P.IN_TRANSIT, P.UNACCOUNTED)},
        (P.IN_TRANSIT, M.CLOSE, P.UNACCOUNTED),
        (P.HELD, M.RELEASE, P.WAITING),
        (P.WAITING, M.MERGE, P.WAITING), (P.ASSIGNED, M.MERGE, P.WAITING),
        # the road
        (P.INJURED, M.SCAN_IN, P.ARRIVED), (P.INJURED, M.RELEASE, P.WAITING),
        (P.BOARDED, M.TURN_BACK, P.WAITING), (P.IN_TRANSIT, M.TURN_BACK, P.WAITING),
        (P.BOARDED, M.INJURE, P.INJURED), (P.IN_TRANSIT, M.INJURE, P.INJURED),
        (P.IN_TRANSIT, M.TRANSFER, P.IN_TRANSIT),
        (P.BOARDED, M.LOSE, P.UNACCOUNTED), (P.IN_TRANSIT, M.LOSE, P.UNACCOUNTED),
    }


def test_the_trip_table_is_exactly_this():
    assert lc.trip_transitions() == {
        (T.PLANNED, TM.BOARD, T.BOARDING), (T.BOARDING, TM.BOARD, T.BOARDING),
        (T.PLANNED, TM.DEPART, T.DEPARTED), (T.BOARDING, TM.DEPART, T.DEPARTED),
        (T.DEPARTED, TM.PASS, T.DEPARTED),
        (T.DEPARTED, TM.ARRIVE, T.ARRIVED),
        (T.ARRIVED, TM.SCAN_IN, T.ARRIVED), (T.CLOSED, TM.SCAN_IN, T.CLOSED),
        (T.ARRIVED, TM.CLOSE, T.CLOSED),
        (T.PLANNED, TM.CANCEL, T.CANCELLED),
        (T.DEPARTED, TM.TURN_BACK, T.TURNED_BACK), (T.DEPARTED, TM.LOSE, T.LOST),
    }


def test_a_held_or_arrived_person_cannot_be_scanned_in_and_nobody_leaves_arrived():
    assert not lc.person_may(P.HELD, M.SCAN_IN) and not lc.person_may(P.ARRIVED, M.SCAN_IN)
    assert not any(s is P.ARRIVED for s, _, _ in lc.person_transitions())


def test_every_state_is_reachable_from_the_first():
    for first, table in ((lc.PERSON_FIRST, lc.person_transitions()), (lc.TRIP_FIRST, lc.trip_transitions())):
        reached, frontier = {first}, [first]
        while frontier:
            s = frontier.pop()
            for a, _, b in table:
                if a is s and b not in reached:
                    reached.add(b)
                    frontier.append(b)
        assert reached == set(type(first))


def test_the_named_sets():
    assert lc.ABOARD == {P.BOARDED, P.IN_TRANSIT}
    assert lc.BOARDABLE == lc.PENDING == lc.MERGEABLE == {P.WAITING, P.ASSIGNED}
    assert lc.values(lc.ABOARD) == ["boarded", "in_transit"]
