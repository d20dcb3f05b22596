"""Persons and households: their states, records (opened), links, children, and who is left to plan."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, bindparam, case, func, or_, select

from ...domain import lifecycle
from ...domain.running import PersonStatus
from ...domain.values import Mobility, PersonState
from ..prepared import Prepared
from ..tables import households, name_index, person_links, persons
from .opening import chunked, open_persons, vault_of


def tokens_taken(conn: Connection, tokens: list[str]) -> set[str]:
    """Which of these household and person tokens are already in use."""
    taken: set[str] = set()
    for kind, col in (("H", households.c.token), ("P", persons.c.token)):
        wanted = [t for t in tokens if t[0] == kind]
        for part in chunked(wanted):
            taken |= set(conn.execute(select(col).where(col.in_(part))).scalars())
    return taken


_STATUS_COLS = (persons.c.token, persons.c.household, persons.c.state, persons.c.trip, persons.c.mobility,
                households.c.destination, persons.c.state_since, persons.c.held_site)


def _status(row) -> PersonStatus:
    return PersonStatus(token=row.token, household=row.household, state=PersonState(row.state), trip=row.trip,
                        mobility=Mobility(row.mobility), destination=row.destination, since=row.state_since,
                        held_site=row.held_site)


# read on every scan: run on the driver's cursor (store/prepared.py)
_PERSON_STATUS = Prepared(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                          .where(persons.c.token == bindparam("token")))
_HOUSEHOLD = Prepared(select(households.c.token).where(households.c.token == bindparam("token")))
_MEMBER_STATUSES = Prepared(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                            .where(persons.c.household == bindparam("token")).order_by(persons.c.ordinal))


def person_status(conn: Connection, token: str) -> PersonStatus | None:
    row = _PERSON_STATUS.first(conn, {"token": token})
    return _status(row) if row else None


def household_statuses(conn: Connection, token: str) -> list[PersonStatus] | None:
    if _HOUSEHOLD.first(conn, {"token": token}) is None:
        return None
    return [_status(r) for r in _MEMBER_STATUSES.all(conn, {"token": token})]


def person_detail(conn: Connection, token: str):
    row = conn.execute(select(persons, households.c.gathering_point, households.c.destination)
                       .join(households, households.c.token == persons.c.household)
                       .where(persons.c.token == token)).first()
    return open_persons(conn, [row])[0] if row is not None else None


def household_detail(conn: Connection, token: str):
    head = conn.execute(select(households).where(households.c.token == token)).first()
    if head is None:
        return None, []
    members = conn.execute(select(persons).where(persons.c.household == token).order_by(persons.c.ordinal)).all()
    return head, open_persons(conn, members)


def _plannable():
    return (select(persons.c.token, persons.c.household, persons.c.mobility, persons.c.precedence,
                   persons.c.vulnerable, persons.c.state_since, persons.c.ordinal,
                   households.c.gathering_point, households.c.destination, households.c.registered_at)
            .join(households, households.c.token == persons.c.household)
            .order_by(persons.c.ordinal))


def waiting_persons(conn: Connection) -> list:
    """Persons waiting for a place, with their household's gathering point and destination, in registration order.

    A record merged into another (a duplicate) is not waiting: the person it duplicates is."""
    return conn.execute(_plannable().where(persons.c.state == PersonState.WAITING.value,
                                           persons.c.merged_into.is_(None))).all()


def assigned_persons(conn: Connection, trip_ids: list[str]) -> list:
    """Persons assigned (not aboard) to these trips, shaped like `waiting_persons`."""
    rows = []
    for part in chunked(trip_ids):
        rows += conn.execute(_plannable().where(persons.c.state == PersonState.ASSIGNED.value,
                                                persons.c.trip.in_(part))).all()
    return sorted(rows, key=lambda r: r.ordinal)


def household_members(conn: Connection, household: str) -> list:
    return open_persons(conn, conn.execute(select(persons).where(persons.c.household == household)
                                           .order_by(persons.c.ordinal)).all())


def persons_by_tokens(conn: Connection, tokens: list[str]) -> list:
    out = []
    for part in chunked(tokens):
        out += conn.execute(select(persons).where(persons.c.token.in_(part))
                            .order_by(persons.c.ordinal)).all()
    return open_persons(conn, out)


def precedences(conn: Connection, tokens: list[str]) -> dict[str, str]:
    """The medical precedence of each of these persons (plain: needs no key)."""
    out: dict[str, str] = {}
    for part in chunked(tokens):
        out.update(conn.execute(select(persons.c.token, persons.c.precedence).where(persons.c.token.in_(part))).all())
    return out


def links_of(conn: Connection, token: str) -> list[str]:
    """Persons linked to this one, whichever side registered the link (the links are sealed: the person's
    own are opened, the others found by the blind index of this token)."""
    row = conn.execute(select(persons.c.token, persons.c.household, persons.c.sealed, persons.c.sealed_links)
                       .where(persons.c.token == token)).first()
    forward = open_persons(conn, [row])[0].links if row is not None and row.sealed_links else []
    vault = vault_of(conn)
    backward = conn.execute(select(person_links.c.person).where(
        person_links.c.linked_to == vault.blind("token:" + token))).scalars() if vault.usable else []
    return sorted(set(forward) | set(backward))


def children(conn: Connection, born_after: int, flags: list[str], *, flagged_only: bool) -> list:
    """Persons flagged unaccompanied or separated (and, unless flagged_only, everyone born after `born_after`).

    Vulnerabilities are sealed: the plain `vulnerable` flag narrows the rows, which are opened and checked."""
    cond = persons.c.vulnerable if flagged_only else or_(persons.c.vulnerable, persons.c.birth_year > born_after)
    rows = open_persons(conn, conn.execute(select(persons).where(cond).order_by(persons.c.ordinal)).all())

    def flagged(r) -> bool:
        return bool(set(r.vulnerabilities.split(",")) & set(flags))

    return [r for r in rows if flagged(r) or (not flagged_only and r.birth_year is not None
                                              and r.birth_year > born_after)]


def persons_for_matching(conn: Connection) -> list:
    """Every person record not merged into another nor erased, with what the matcher compares (opened)."""
    return open_persons(conn, conn.execute(
        select(persons.c.token, persons.c.sealed, persons.c.sex, persons.c.birth_year, persons.c.household,
               households.c.gathering_point)
        .join(households, households.c.token == persons.c.household)
        .where(persons.c.merged_into.is_(None), persons.c.sealed.is_not(None)).order_by(persons.c.ordinal)).all())


def households_named(conn: Connection, terms: list[str], limit: int) -> list[tuple[str, list[str]]]:
    """Households with a member whose blind-indexed name keys include every one of these terms (hashes):
    (household, [matching persons]), most recently registered first."""
    if not terms:
        return []
    rows = conn.execute(select(name_index.c.person, name_index.c.household)
                        .where(name_index.c.term.in_(sorted(set(terms))))
                        .group_by(name_index.c.person, name_index.c.household)
                        .having(func.count() == len(set(terms)))).all()
    by_household: dict[str, list[str]] = defaultdict(list)
    for person, household in rows:
        by_household[household].append(person)
    seqs = dict(conn.execute(select(households.c.token, households.c.seq)
                             .where(households.c.token.in_(list(by_household)[:5000]))).all()) if by_household else {}
    ordered = sorted(by_household, key=lambda h: -seqs.get(h, 0))[:limit]
    return [(h, sorted(by_household[h])) for h in ordered]


def household_row(conn: Connection, token: str):
    """The household's own row (no members, nothing sealed; ``erased_at`` set once erased), or None."""
    return conn.execute(select(households).where(households.c.token == token)).first()


def settled_households(conn: Connection, states: frozenset[PersonState], before: datetime) -> list[str]:
    """Households not erased whose every person (records merged into another aside) is in one of these
    states, the last of them since before `before`."""
    done = or_(persons.c.state.in_(lifecycle.values(states)), persons.c.merged_into.is_not(None))
    rows = conn.execute(
        select(persons.c.household)
        .join(households, households.c.token == persons.c.household)
        .where(households.c.erased_at.is_(None))
        .group_by(persons.c.household)
        .having(func.sum(case((done, 0), else_=1)) == 0)
        .having(func.max(persons.c.state_since) < before)
        .order_by(persons.c.household)).scalars()
    return list(rows)


def persons_registered_since(conn: Connection, seq: int) -> int:
    return conn.execute(select(func.count()).select_from(persons).join(households, households.c.token ==
                                                                         persons.c.household)
                        .where(households.c.seq > seq)).scalar_one()


def households_for_cards(conn: Connection, tokens: list[str] | None, gathering_point: str | None,
                         limit: int | None) -> list[dict]:
    """Households with their members (not merged away), in registration order, for printing."""
    query = select(households).order_by(households.c.seq)
    if gathering_point:
        query = query.where(households.c.gathering_point == gathering_point)
    if tokens:
        heads = []
        for part in chunked(tokens):
            heads += conn.execute(query.where(households.c.token.in_(part))).all()
        heads = sorted(heads, key=lambda h: h.seq)[:limit] if limit else sorted(heads, key=lambda h: h.seq)
    else:
        heads = conn.execute(query.limit(limit) if limit else query).all()
    members: dict[str, list[dict]] = defaultdict(list)
    keys = [h.token for h in heads]
    for part in chunked(keys):
        for p in open_persons(conn, conn.execute(select(persons).where(
                persons.c.household.in_(part), persons.c.merged_into.is_(None)).order_by(persons.c.ordinal)).all()):
            members[p.household].append({
                "token": p.token, "name_ar": p.name_ar, "name_latin": p.name_latin, "precedence": p.precedence,
                "mobility": p.mobility, "relationship": p.relationship,
                "vulnerabilities": [v for v in p.vulnerabilities.split(",") if v]})
    return [{"token": h.token, "gathering_point": h.gathering_point, "destination": h.destination,
             "persons": members[h.token]} for h in heads if members[h.token]]


def persons_with_deadlines(conn: Connection, precedences: list[str]) -> list:
    """Persons of these precedences not yet arrived nor unaccounted: token, precedence, trip, state and their
    household's registration time (a medical deadline counts from it). Plain fields only: needs no key."""
    done = [PersonState.ARRIVED.value, PersonState.UNACCOUNTED.value]
    return conn.execute(
        select(persons.c.token, persons.c.precedence, persons.c.trip, persons.c.state, households.c.registered_at)
        .join(households, households.c.token == persons.c.household)
        .where(persons.c.precedence.in_(precedences), persons.c.state.not_in(done), persons.c.merged_into.is_(None))
        .order_by(persons.c.ordinal)).all()
