"""Running the convoys: board, depart, pass a checkpoint, arrive, scan in, close, release, halt, resume."""

from __future__ import annotations

from dataclasses import replace

from ..domain import lifecycle
from ..domain import running as rules
from ..domain.commands import Arrive, Board, CloseTrip, Depart, Halt, PassCheckpoint, ReleasePerson, Resume, ScanIn
from ..domain.errors import NotFound, RuleRefused
from ..domain.running import PersonStatus, TripStatus
from ..domain.values import PersonState
from ..store import queries as q
from . import agreement
from .recording import Meta, Receipt, Unless, execute, execute_async
from .runtime import Runtime


def _trip(uow, trip_id: str) -> TripStatus:
    trip = q.trip_status(uow.conn, trip_id)
    if trip is None:
        raise NotFound(f"trip: no trip {trip_id!r} in this operation", field="trip")
    return trip


def _person(uow, token: str, field: str = "token") -> PersonStatus:
    person = q.person_status(uow.conn, token)
    if person is None:
        raise NotFound(f"{field}: no person {token} in this operation", field=field)
    return person


def _resolve(uow, tokens: tuple[str, ...], *, household_states: frozenset | None) -> rules.Resolved:
    """Persons named by person or household tokens: a household stands for its members in `household_states`;
    the members it does not stand for are kept aside, so a refusal can say where they are."""
    chosen: dict[str, PersonStatus] = {}
    aside: dict[str, PersonStatus] = {}
    for i, token in enumerate(tokens):
        field = "token" if len(tokens) == 1 else f"tokens[{i}]"
        if token[0] == "P":
            chosen[token] = _person(uow, token, field)
            continue
        members = q.household_statuses(uow.conn, token)
        if members is None:
            raise NotFound(f"{field}: no household {token} in this operation", field=field)
        for m in members:
            if household_states is None or m.state in household_states:
                chosen[m.token] = m
            else:
                aside[m.token] = m
    return rules.Resolved(list(chosen.values()), [p for t, p in aside.items() if t not in chosen])


def _field(command) -> str:
    return "token" if len(command.tokens) == 1 else "tokens"


def board(rt: Runtime, meta: Meta, *, trip: str, tokens: str | list[str], override: str | None = None,
          unless: Unless | None = None) -> Receipt:
    """Board persons, or every waiting member of a household, onto a trip (by the tokens on their cards).
    The agreement's rules are checked (`agreement.check_boarding`); `override`: a coordinator's reason to board
    against them, recorded with the boarding. `unless`: see `recording.execute` (the boarding desk's answers)."""
    return execute(rt, meta, Board(trip=trip, tokens=tokens, override=override), _decide_boarding, unless=unless)


async def board_async(rt: Runtime, meta: Meta, *, trip: str, tokens: str | list[str],
                      override: str | None = None, unless: Unless | None = None) -> Receipt:
    """`board` awaited on the server's event loop (each boarding scan)."""
    return await execute_async(rt, meta, Board(trip=trip, tokens=tokens, override=override), _decide_boarding,
                               unless=unless)


def _decide_boarding(uow, at, c: Board):
    people = _resolve(uow, c.tokens, household_states=lifecycle.BOARDABLE)
    t = _trip(uow, c.trip)
    event = rules.board(t, people, at, field=_field(c))
    households = {p.token: p.household for p in people.persons}
    found = agreement.check_boarding(uow.conn, t, [(p, households[p]) for p in event.persons], at, c.override)
    return agreement.with_override(event, found)


def depart(rt: Runtime, meta: Meta, *, trip: str, driver: str = "", override: str | None = None,
           items: list[str] | None = None) -> Receipt:
    """A trip leaves; the agreement's rules are checked (quotas, the linked operation, …); `override` as for
    boarding; `items`: the items declared for the vehicle; `driver`: who drives it (the manifest's sign-off)."""

    def decide(uow, at, c: Depart):
        t = _trip(uow, c.trip)
        left = q.trip_persons(uow.conn, t.id, lifecycle.person_from(lifecycle.PersonMove.LEAVE_BEHIND))
        event = rules.depart(t, _operation(uow).halted, left, at, driver=c.driver)
        found = agreement.check_departure(uow.conn, t, at, c.override, tuple(c.items or ()))
        event = agreement.with_override(event, found)
        return replace(event, items=agreement.rules.declared_items(list(c.items or ()))) if c.items else event

    return execute(rt, meta, Depart(trip=trip, driver=driver or "", override=override, items=items or ()), decide)


def pass_checkpoint(rt: Runtime, meta: Meta, *, trip: str, checkpoint: str,
                    taken_off: list[dict] | None = None) -> Receipt:
    """Log a trip passing a checkpoint; `taken_off` lists {token, outcome: held|removed, reason} as stated."""

    def decide(uow, at, c: PassCheckpoint):
        t = _trip(uow, c.trip)
        off = [(_person(uow, item["token"], f"taken_off[{i}].token"), item.get("outcome", "held"), item.get("reason"))
               for i, item in enumerate(c.taken_off)]
        return rules.pass_checkpoint(t, c.checkpoint, off, at)

    return execute(rt, meta, PassCheckpoint(trip=trip, checkpoint=checkpoint, taken_off=taken_off or []), decide)


def arrive(rt: Runtime, meta: Meta, *, trip: str) -> Receipt:
    def decide(uow, at, c: Arrive):
        return rules.arrive(_trip(uow, c.trip), at)

    return execute(rt, meta, Arrive(trip=trip), decide)


def scan_in(rt: Runtime, meta: Meta, *, trip: str, tokens: str | list[str]) -> Receipt:
    """Scan persons in at the reception centre (a household token scans in its members aboard this trip)."""

    def decide(uow, at, c: ScanIn):
        t = _trip(uow, c.trip)
        people = _resolve(uow, c.tokens, household_states=lifecycle.ABOARD | {PersonState.UNACCOUNTED})
        return rules.scan_in(t, people, at, field=_field(c))

    return execute(rt, meta, ScanIn(trip=trip, tokens=tokens), decide)


def close(rt: Runtime, meta: Meta, *, trip: str) -> Receipt:
    def decide(uow, at, c: CloseTrip):
        t = _trip(uow, c.trip)
        return rules.close(t, q.trip_persons(uow.conn, t.id, lifecycle.person_from(lifecycle.PersonMove.CLOSE)), at)

    return execute(rt, meta, CloseTrip(trip=trip), decide)


def release(rt: Runtime, meta: Meta, *, token: str, note: str = "") -> Receipt:
    def decide(uow, at, c: ReleasePerson):
        return rules.release(_person(uow, c.token), c.note, at)

    return execute(rt, meta, ReleasePerson(token=token, note=note), decide)


def halt(rt: Runtime, meta: Meta, *, cause: str, note: str = "") -> Receipt:
    def decide(uow, at, c: Halt):
        return rules.halt(_halts(uow), c.cause, c.note, at)

    return execute(rt, meta, Halt(cause=cause, note=note), decide)


def resume(rt: Runtime, meta: Meta, *, note: str = "") -> Receipt:
    def decide(uow, at, c: Resume):
        return rules.resume(_halts(uow), c.note, at)

    return execute(rt, meta, Resume(note=note), decide)


def _halts(uow) -> rules.HaltStatus:
    op = _operation(uow)
    return rules.HaltStatus(halted=op.halted, since=op.halted_since, last_resumed=q.last_resumed_at(uow.conn))


def _operation(uow):
    op = q.operation_row(uow.conn)
    if op is None:
        raise RuleRefused("operation: create the operation first", field="operation")
    return op
