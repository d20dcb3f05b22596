"""Running the convoys: board, depart, pass a checkpoint, arrive, scan in, close, release."""

from __future__ import annotations

from ..domain import running as rules
from ..domain.errors import BadInput, NotFound, RuleRefused
from ..domain.running import PersonStatus, TripStatus
from ..domain.tokens import normalise_token
from ..domain.values import PersonState
from ..store import queries as q
from .runtime import Meta, Receipt, Runtime, execute


def _trip(uow, trip_id: object) -> TripStatus:
    if not isinstance(trip_id, str) or not trip_id:
        raise BadInput(f"trip: expected a trip id such as T00012, got {trip_id!r}", field="trip")
    trip = q.trip_status(uow.conn, trip_id.strip().upper())
    if trip is None:
        raise NotFound(f"trip: no trip {trip_id!r} in this operation", field="trip")
    return trip


def _person(uow, token: str, field: str = "token") -> PersonStatus:
    person = q.person_status(uow.conn, token)
    if person is None:
        raise NotFound(f"{field}: no person {token} in this operation", field=field)
    return person


def _resolve(uow, tokens: list[str], *, household_states: tuple[PersonState, ...] | None) -> list[PersonStatus]:
    """Persons named by person or household tokens (a household stands for its members in `household_states`)."""
    out: dict[str, PersonStatus] = {}
    for i, raw in enumerate(tokens):
        field = "token" if len(tokens) == 1 else f"tokens[{i}]"
        token = normalise_token(raw, field)
        if token[0] == "P":
            out[token] = _person(uow, token, field)
            continue
        members = q.household_statuses(uow.conn, token)
        if members is None:
            raise NotFound(f"{field}: no household {token} in this operation", field=field)
        for m in members:
            if household_states is None or m.state in household_states:
                out[m.token] = m
    return list(out.values())


def _tokens(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, (list, tuple)) or not raw:
        raise BadInput("tokens: give one token or a list of tokens", field="tokens")
    return list(raw)


def board(rt: Runtime, meta: Meta, *, trip: str, tokens: str | list[str]) -> Receipt:
    """Board persons, or every waiting member of a household, onto a trip (by the tokens on their cards)."""
    tokens = _tokens(tokens)

    def decide(uow, at):
        t = _trip(uow, trip)
        people = _resolve(uow, tokens, household_states=rules.BOARDABLE)
        return rules.board(t, people, field="token" if len(tokens) == 1 else "tokens")

    return execute(rt, meta, "board", dict(trip=trip, tokens=tokens), decide)


def depart(rt: Runtime, meta: Meta, *, trip: str) -> Receipt:
    def decide(uow, at):
        t = _trip(uow, trip)
        left = q.trip_persons(uow.conn, t.id, PersonState.ASSIGNED)
        return rules.depart(t, _operation(uow).halted, left)

    return execute(rt, meta, "depart", dict(trip=trip), decide)


def pass_checkpoint(rt: Runtime, meta: Meta, *, trip: str, checkpoint: str,
                    taken_off: list[dict] | None = None) -> Receipt:
    """Log a trip passing a checkpoint; `taken_off` lists {token, outcome: held|removed, reason} as stated."""
    taken_off = taken_off or []
    if not isinstance(taken_off, list):
        raise BadInput("taken_off: expected a list of {token, outcome, reason}", field="taken_off")

    def decide(uow, at):
        t = _trip(uow, trip)
        off = []
        for i, item in enumerate(taken_off):
            if not isinstance(item, dict) or "token" not in item:
                raise BadInput(f"taken_off[{i}]: expected {{token, outcome, reason}}", field=f"taken_off[{i}]")
            token = normalise_token(item["token"], f"taken_off[{i}].token")
            off.append((_person(uow, token, f"taken_off[{i}].token"), item.get("outcome", "held"), item.get("reason")))
        return rules.pass_checkpoint(t, str(checkpoint).strip(), off)

    return execute(rt, meta, "pass_checkpoint", dict(trip=trip, checkpoint=checkpoint, taken_off=taken_off), decide)


def arrive(rt: Runtime, meta: Meta, *, trip: str) -> Receipt:
    def decide(uow, at):
        return rules.arrive(_trip(uow, trip))

    return execute(rt, meta, "arrive", dict(trip=trip), decide)


def scan_in(rt: Runtime, meta: Meta, *, trip: str, tokens: str | list[str]) -> Receipt:
    """Scan persons in at the reception centre (a household token scans in its members aboard this trip)."""
    tokens = _tokens(tokens)

    def decide(uow, at):
        t = _trip(uow, trip)
        people = _resolve(uow, tokens, household_states=(PersonState.IN_TRANSIT, PersonState.UNACCOUNTED))
        return rules.scan_in(t, people, field="token" if len(tokens) == 1 else "tokens")

    return execute(rt, meta, "scan_in", dict(trip=trip, tokens=tokens), decide)


def close(rt: Runtime, meta: Meta, *, trip: str) -> Receipt:
    def decide(uow, at):
        t = _trip(uow, trip)
        return rules.close(t, q.trip_persons(uow.conn, t.id, PersonState.IN_TRANSIT))

    return execute(rt, meta, "close", dict(trip=trip), decide)


def release(rt: Runtime, meta: Meta, *, token: str, note: str = "") -> Receipt:
    def decide(uow, at):
        return rules.release(_person(uow, normalise_token(token)), note)

    return execute(rt, meta, "release", dict(token=token, note=note), decide)


def halt(rt: Runtime, meta: Meta, *, cause: str, note: str = "") -> Receipt:
    def decide(uow, at):
        return rules.halt(_operation(uow).halted, cause, note)

    return execute(rt, meta, "halt", dict(cause=cause, note=note), decide)


def resume(rt: Runtime, meta: Meta, *, note: str = "") -> Receipt:
    def decide(uow, at):
        return rules.resume(_operation(uow).halted, note)

    return execute(rt, meta, "resume", dict(note=note), decide)


def _operation(uow):
    op = q.operation_row(uow.conn)
    if op is None:
        raise RuleRefused("operation: create the operation first", field="operation")
    return op
