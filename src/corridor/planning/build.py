"""The planning problem built from an operation's state, as plain records: one rule for everyone.

The service reads these records from its database (on a snapshot); the planner
benchmark makes them from the demo scenario. `build_problem(state)` turns them
into a `Problem` in minutes from `state.epoch`, with the routes of every pair
of sites the plan may use. Precedence ranks and deadlines come from the
domain's vocabulary (`domain.values.Precedence`), nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from corridor.domain.values import Mobility, SiteKind
from corridor.domain.values import Precedence as Vocabulary
from corridor.planning.network import corridor
from corridor.planning.problem import Group, Precedence, Problem, Vehicle

__all__ = ["Kept", "Person", "Site", "State", "Terms", "Transport", "build_problem", "deadline"]


@dataclass(frozen=True, slots=True)
class Site:
    code: str
    kind: str  # a SiteKind value
    capacity: int | None = None


@dataclass(frozen=True, slots=True)
class Transport:
    """A vehicle in service, available at `site` from `available_from` (before any kept trip)."""

    code: str
    seats: int
    stretchers: int
    site: str
    available_from: datetime


@dataclass(frozen=True, slots=True)
class Person:
    """A person to plan (waiting, or assigned to a trip that is cancelled and planned again)."""

    token: str
    household: str
    gathering_point: str
    destination: str | None
    mobility: str  # a Mobility value
    precedence: str  # a Precedence value
    vulnerable: bool
    registered_at: datetime
    ordinal: int  # registration order


@dataclass(frozen=True, slots=True)
class Kept:
    """A trip that is kept (people aboard or arrived): its vehicle is busy until it ends."""

    vehicle: str
    origin: str
    destination: str
    ends_at: datetime  # arrival (actual or planned)
    under_way: bool = False  # boarding or departed: it still passes checkpoints
    left_at: datetime | None = None  # departure (actual or planned), for a trip under way
    passed: frozenset[str] = frozenset()  # checkpoints it has passed already


@dataclass(frozen=True, slots=True)
class Terms:
    """The corridor's agreed rules."""

    convoy_size: int | None
    convoy_gap: int
    checkpoint_rates: Mapping[str, int]
    windows: tuple[tuple[datetime, datetime], ...] = ()  # () : open day and night


@dataclass(frozen=True)
class State:
    epoch: datetime  # minute 0 of the problem
    starts_at: datetime  # the operation's start: deadlines count from it at the earliest
    boarding_minutes: int
    unloading_minutes: int
    sites: tuple[Site, ...]
    legs: tuple[tuple[str, str, int], ...]
    vehicles: tuple[Transport, ...]
    persons: tuple[Person, ...]
    received: Mapping[str, int]  # persons arrived at, or bound for, each centre
    kept: tuple[Kept, ...] = ()
    terms: Terms | None = None


# The domain's rank and deadline of each precedence (by value or by member), looked up once, not per person.
_RANK = {key: Precedence(p.rank) for p in Vocabulary for key in (p, p.value)}
_DUE = {key: p.deadline_minutes for p in Vocabulary for key in (p, p.value)}


def _minutes(t: datetime, epoch: datetime) -> int:
    return int((t - epoch).total_seconds() // 60)


def deadline(precedences, registered: list[datetime], starts_at: datetime, epoch: datetime) -> int | None:
    """Minute by which a household must reach a reception centre (its most pressing member), or None."""
    best = None
    for precedence, at in zip(precedences, registered):
        minutes = _DUE[precedence]
        if minutes is None:
            continue
        due = max(starts_at, at) + timedelta(minutes=minutes)
        best = due if best is None or due < best else best
    return None if best is None else _minutes(best, epoch)


def _groups(persons: tuple[Person, ...], starts_at: datetime, epoch: datetime) -> tuple[Group, ...]:
    members: dict[str, list[Person]] = defaultdict(list)
    for p in sorted(persons, key=lambda p: p.ordinal):
        members[p.household].append(p)
    stretcher = Mobility.STRETCHER.value
    return tuple(Group(
        id=household, origin=people[0].gathering_point, destination=people[0].destination,
        seated=tuple(p.token for p in people if p.mobility != stretcher),
        stretcher=tuple(p.token for p in people if p.mobility == stretcher),
        precedence=min(_RANK[p.precedence] for p in people),
        vulnerable=any(p.vulnerable for p in people), ready_at=0, order=people[0].ordinal,
        deadline=deadline([p.precedence for p in people], [p.registered_at for p in people], starts_at, epoch))
        for household, people in members.items())


def _vehicles(state: State) -> tuple[Vehicle, ...]:
    """Each vehicle in service, free where and when its last kept trip ends (or where it starts)."""
    last: dict[str, tuple[str, datetime]] = {}
    for t in state.kept:
        ends = t.ends_at + timedelta(minutes=state.unloading_minutes)
        if t.vehicle not in last or ends > last[t.vehicle][1]:
            last[t.vehicle] = (t.destination, ends)
    out = []
    for v in state.vehicles:
        site, free = last.get(v.code, (v.site, v.available_from))
        out.append(Vehicle(id=v.code, seats=v.seats, stretchers=v.stretchers, site=site,
                           available_at=max(0, _minutes(free, state.epoch))))
    return tuple(out)


def _corridor_terms(state: State, passes: dict) -> dict:
    """The agreed corridor rules in the planner's minutes, and what trips under way already take of them."""
    terms = state.terms
    if terms is None:
        return {}
    rel = lambda t: _minutes(t, state.epoch)  # noqa: E731
    windows = [(rel(a), rel(b)) for a, b in terms.windows]
    booked_passages, booked_entries = [], []
    for t in state.kept:
        if not t.under_way:
            continue
        left = rel(t.left_at)
        on_route = passes.get((t.origin, t.destination), ())
        booked_passages += [(c, left + m) for c, m in on_route if c not in t.passed and left + m >= -60]
        booked_entries.append(left + (on_route[0][1] if on_route else 0))
    return dict(convoy_size=terms.convoy_size, convoy_gap=terms.convoy_gap,
                checkpoint_rate=dict(terms.checkpoint_rates),
                windows=tuple(w for w in windows if w[1] > 0) if windows else None,  # () if none opens again
                booked_passages=tuple(booked_passages),
                booked_entries=tuple(e for e in booked_entries if e > -terms.convoy_gap))


def build_problem(state: State) -> tuple[Problem, dict]:
    """The planning problem of `state`, and the route (list of sites) of every pair of sites it may use."""
    gathering = tuple(s.code for s in state.sites if s.kind == SiteKind.GATHERING_POINT.value)
    centres = {s.code: s.capacity for s in state.sites if s.kind == SiteKind.RECEPTION_CENTRE.value}
    checkpoints = [s.code for s in state.sites if s.kind == SiteKind.CHECKPOINT.value]
    vehicles = _vehicles(state)
    relevant = sorted(set(gathering) | set(centres) | {v.site for v in vehicles})
    minutes, paths, passes = corridor(list(state.legs), relevant, checkpoints)
    problem = Problem(groups=_groups(state.persons, state.starts_at, state.epoch), vehicles=vehicles,
                      gathering_points=gathering, centres=centres, travel=minutes,
                      boarding_minutes=state.boarding_minutes, unloading_minutes=state.unloading_minutes,
                      already_received={c: n for c, n in state.received.items() if c in centres},
                      checkpoints_on=passes, **_corridor_terms(state, passes))
    return problem, paths
