"""The one lifecycle of a person and of a trip: which move takes which state to which.

The running rules (`running`) ask `person_may` / `trip_may` before deciding; the projection
applies the move's `to` state to whom the event names (or, for moves that name nobody, to
everyone in the move's `from` states on that trip). Nothing else decides a state change.

    person:  waiting ─plan→ assigned ─board→ boarded ─depart→ in_transit ─scan_in→ arrived
             assigned ─cancel / leave_behind→ waiting;  waiting ─board→ boarded (unplanned)
             in_transit ─take_off→ held ─release→ waiting;  in_transit ─close→ unaccounted ─scan_in→ arrived
             waiting / assigned ─merge→ waiting (a duplicate record, folded into another)
             boarded / in_transit ─turn_back→ waiting (the convoy sent back; held persons stay held)
             boarded / in_transit ─injure→ injured ─release→ waiting;  injured ─scan_in→ arrived
             in_transit ─transfer→ in_transit (another vehicle on the road);  in_transit ─lose→ unaccounted
    trip:    planned ─board→ boarding ─depart→ departed ─pass→ departed ─arrive→ arrived ─close→ closed
             planned ─cancel→ cancelled;  arrived / closed ─scan_in→ unchanged
             departed ─turn_back→ turned_back (at a checkpoint, back to its origin)
             departed ─lose→ lost (the vehicle attacked, burned or lost on the road)
             a private vehicle joining a convoy: its trip starts boarding (join), then moves as any other
"""

from __future__ import annotations

from enum import Enum

from .values import PersonState as P
from .values import TripState as T

PERSON_FIRST = P.WAITING  # a person's state when registered
TRIP_FIRST = T.PLANNED  # a trip's state when a plan makes it

# --- the named sets of states -------------------------------------------------------

BOARDABLE = frozenset({P.WAITING, P.ASSIGNED})  # may board a trip
ABOARD = frozenset({P.BOARDED, P.IN_TRANSIT})  # on a vehicle now: the one source of "who is aboard"
PENDING = frozenset({P.WAITING, P.ASSIGNED})  # still to be moved: planning takes them
MERGEABLE = frozenset({P.WAITING, P.ASSIGNED})  # a record not yet aboard may be folded into another
SCANNABLE = frozenset(set(P) - {P.ARRIVED, P.HELD})  # an injured person brought in is scanned in  # may be scanned in (held: release first)
SETTLED = frozenset({P.ARRIVED})  # at a reception centre

TRIP_OPEN = frozenset({T.PLANNED, T.BOARDING})  # boarding is open, the trip has not left
TRIP_AT_DESTINATION = frozenset({T.ARRIVED, T.CLOSED})


class PersonMove(str, Enum):
    PLAN = "plan"
    CANCEL = "cancel"  # the trip the person was assigned to is planned again
    BOARD = "board"
    DEPART = "depart"
    LEAVE_BEHIND = "leave_behind"  # assigned, not aboard when the trip left
    TAKE_OFF = "take_off"  # held or removed at a checkpoint
    SCAN_IN = "scan_in"
    CLOSE = "close"  # aboard on arrival, never scanned in
    RELEASE = "release"
    MERGE = "merge"
    TURN_BACK = "turn_back"  # the convoy was sent back at a checkpoint
    INJURE = "injure"  # hurt on the road when the vehicle was attacked
    TRANSFER = "transfer"  # taken on by another vehicle on the road
    LOSE = "lose"  # not found after the vehicle was lost


class TripMove(str, Enum):
    BOARD = "board"
    DEPART = "depart"
    PASS = "pass"
    ARRIVE = "arrive"
    SCAN_IN = "scan_in"
    CLOSE = "close"
    CANCEL = "cancel"
    JOIN = "join"  # a private vehicle joins a convoy with its occupants aboard
    TURN_BACK = "turn_back"
    LOSE = "lose"


# move: (the states it may start from, the state it leads to)
PERSON_MOVES: dict[PersonMove, tuple[frozenset[P], P]] = {
    PersonMove.PLAN: (frozenset({P.WAITING}), P.ASSIGNED),
    PersonMove.CANCEL: (frozenset({P.ASSIGNED}), P.WAITING),
    PersonMove.BOARD: (BOARDABLE, P.BOARDED),
    PersonMove.DEPART: (frozenset({P.BOARDED}), P.IN_TRANSIT),
    PersonMove.LEAVE_BEHIND: (frozenset({P.ASSIGNED}), P.WAITING),
    PersonMove.TAKE_OFF: (frozenset({P.IN_TRANSIT}), P.HELD),
    PersonMove.SCAN_IN: (SCANNABLE, P.ARRIVED),
    PersonMove.CLOSE: (frozenset({P.IN_TRANSIT}), P.UNACCOUNTED),
    PersonMove.RELEASE: (frozenset({P.HELD, P.INJURED}), P.WAITING),
    PersonMove.MERGE: (MERGEABLE, P.WAITING),
    PersonMove.TURN_BACK: (ABOARD, P.WAITING),
    PersonMove.INJURE: (ABOARD, P.INJURED),
    PersonMove.TRANSFER: (frozenset({P.IN_TRANSIT}), P.IN_TRANSIT),
    PersonMove.LOSE: (ABOARD, P.UNACCOUNTED),
}

# move: (the states it may start from, the state it leads to; None: the state stays)
TRIP_MOVES: dict[TripMove, tuple[frozenset[T], T | None]] = {
    TripMove.BOARD: (TRIP_OPEN, T.BOARDING),
    TripMove.DEPART: (TRIP_OPEN, T.DEPARTED),
    TripMove.PASS: (frozenset({T.DEPARTED}), None),
    TripMove.ARRIVE: (frozenset({T.DEPARTED}), T.ARRIVED),
    TripMove.SCAN_IN: (TRIP_AT_DESTINATION, None),
    TripMove.CLOSE: (frozenset({T.ARRIVED}), T.CLOSED),
    TripMove.CANCEL: (frozenset({T.PLANNED}), T.CANCELLED),
    TripMove.JOIN: (frozenset(), T.BOARDING),  # a new trip: it starts from no state
    TripMove.TURN_BACK: (frozenset({T.DEPARTED}), T.TURNED_BACK),
    TripMove.LOSE: (frozenset({T.DEPARTED}), T.LOST),
}


def person_may(state: P, move: PersonMove) -> bool:
    return state in PERSON_MOVES[move][0]


def person_from(move: PersonMove) -> frozenset[P]:
    return PERSON_MOVES[move][0]


def person_to(move: PersonMove) -> P:
    return PERSON_MOVES[move][1]


def trip_may(state: T, move: TripMove) -> bool:
    return state in TRIP_MOVES[move][0]


def trip_from(move: TripMove) -> frozenset[T]:
    return TRIP_MOVES[move][0]


def trip_to(move: TripMove) -> T | None:
    return TRIP_MOVES[move][1]


def person_transitions() -> set[tuple[P, PersonMove, P]]:
    """Every allowed (from-state, move, to-state) of a person."""
    return {(s, m, to) for m, (starts, to) in PERSON_MOVES.items() for s in starts}


def trip_transitions() -> set[tuple[T, TripMove, T]]:
    """Every allowed (from-state, move, to-state) of a trip."""
    return {(s, m, to or s) for m, (starts, to) in TRIP_MOVES.items() for s in starts}


def values(states: frozenset) -> list[str]:
    """The stored values of a set of states, in a stable order (for queries)."""
    return sorted(s.value for s in states)
