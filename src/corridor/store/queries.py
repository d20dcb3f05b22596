"""Reading the views. The only code that reads the view tables.

Personal fields are sealed in the views (store/crypto.py). A query that returns them returns them
**opened**: rows of persons come back as `Opened` rows (attributes and ``_mapping`` like a row) with
``name_ar``, ``name_latin``, ``birth_date`` (ISO text), ``vulnerabilities`` (comma-separated),
``medical_notes``, ``held_reason`` in the clear and ``erased`` True/False; for an erased household the
names read ``[erased]`` (`crypto.ERASED`) and the other personal fields None. The opening uses the
vault the unit of work puts on its connection (``conn.info["vault"]``); without a usable key such a
query refuses with `crypto.KeyUnavailable`, saying which key is missing and where it is looked for.
Queries of counts, states and movements never need the key."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone

from sqlalchemy import Connection, case, func, or_, select

from ..domain import lifecycle
from ..domain.accounting import ManifestLine
from ..domain.running import PersonStatus, TripStatus
from ..domain.values import Mobility, PersonState, SiteKind, TripState
from .crypto import ERASED, SealBroken, Vault
from .tables import (
    corridor_rules, duplicate_checks, duplicate_pairs, halts, households, ledger, ledger_head, legs, manifest,
    name_index, operation, passages, person_links, persons, plans, sites, trips, vehicles,
)


# --- opening personal fields -------------------------------------------------------------------

class Opened:
    """A view row with its personal fields opened; read it like a row (``row.name_ar``, ``row._mapping``)."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict):
        self._mapping = mapping

    def __getattr__(self, name: str):
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"Opened(token={self._mapping.get('token')!r})"


def vault_of(conn: Connection) -> Vault:
    vault = conn.info.get("vault")
    return vault if vault is not None else Vault(None, "nowhere (no vault on this connection)")


def _households_of(rows, column: str) -> set[str]:
    from .crypto import household_of

    return {household_of(v) for r in rows if (v := r._mapping.get(column)) is not None}


def open_persons(conn: Connection, rows) -> list[Opened]:
    """Rows of the persons view (any columns, with ``sealed``) with their personal fields opened."""
    from .sealing import open_person

    rows = list(rows)
    if not rows:
        return []
    vault = vault_of(conn)
    wanted = _households_of(rows, "sealed") | _households_of(rows, "held_reason") | \
        _households_of(rows, "sealed_links")
    ciphers = vault.ciphers(conn, wanted) if wanted else {}
    out = []
    for row in rows:
        m = dict(row._mapping)
        sealed, links = m.pop("sealed", None), m.pop("sealed_links", None)
        fields = open_person(vault, conn, sealed, m["token"], ciphers)
        m.update(name_ar=fields["name_ar"], name_latin=fields["name_latin"], birth_date=fields["birth_date"],
                 vulnerabilities=",".join(fields["vulnerabilities"]), medical_notes=fields["medical_notes"],
                 erased=sealed is None)
        m["links"] = json.loads(vault.open(conn, links, f"{m['token']}|links", ciphers) or "[]") if links else []
        if m.get("held_reason") is not None:
            m["held_reason"] = vault.open(conn, m["held_reason"], f"{m['token']}|held", ciphers)
        out.append(Opened(m))
    return out


def open_reason(conn: Connection, value: str | None, person: str) -> str | None:
    """A held reason opened; ``[sealed]`` without a key (counts work without it), None once erased."""
    if value is None or not value.startswith("enc:"):
        return value
    vault = vault_of(conn)
    if not vault.usable:
        return "[sealed]"
    try:
        return vault.open(conn, value, f"{person}|held")
    except SealBroken:
        raise


def operation_row(conn: Connection):
    return conn.execute(select(operation).where(operation.c.id == 1)).first()


def site_kind(conn: Connection, code: str) -> SiteKind | None:
    kind = conn.execute(select(sites.c.kind).where(sites.c.code == code)).scalar()
    return SiteKind(kind) if kind else None


def all_sites(conn: Connection) -> list:
    return conn.execute(select(sites).order_by(sites.c.seq)).all()


def all_legs(conn: Connection) -> list:
    return conn.execute(select(legs).where(legs.c.origin < legs.c.destination)
                        .order_by(legs.c.origin, legs.c.destination)).all()


def leg_exists(conn: Connection, a: str, b: str) -> bool:
    return conn.execute(select(legs.c.minutes).where(legs.c.origin == a, legs.c.destination == b)).first() is not None


def all_vehicles(conn: Connection) -> list:
    return conn.execute(select(vehicles).order_by(vehicles.c.seq)).all()


def vehicle_exists(conn: Connection, code: str) -> bool:
    return conn.execute(select(vehicles.c.code).where(vehicles.c.code == code)).first() is not None


CHUNK = 500  # values in one IN (...): far below any database's limit on variables in a statement


def chunked(values: list, size: int = CHUNK):
    """The list in slices of at most `size` (for IN clauses and bulk statements)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def tokens_taken(conn: Connection, tokens: list[str]) -> set[str]:
    """Which of these household and person tokens are already in use."""
    taken: set[str] = set()
    for kind, col in (("H", households.c.token), ("P", persons.c.token)):
        wanted = [t for t in tokens if t[0] == kind]
        for part in chunked(wanted):
            taken |= set(conn.execute(select(col).where(col.in_(part))).scalars())
    return taken


def ledger_seq(conn: Connection) -> int:
    """The number of the last recorded event (0 for an empty ledger): changes whenever anything is recorded."""
    return conn.execute(select(ledger_head.c.seq).where(ledger_head.c.id == 1)).scalar() or 0


# --- persons ---------------------------------------------------------------------

_STATUS_COLS = (persons.c.token, persons.c.household, persons.c.state, persons.c.trip, persons.c.mobility,
                households.c.destination, persons.c.state_since, persons.c.held_site)


def _status(row) -> PersonStatus:
    return PersonStatus(token=row.token, household=row.household, state=PersonState(row.state), trip=row.trip,
                        mobility=Mobility(row.mobility), destination=row.destination, since=row.state_since,
                        held_site=row.held_site)


def person_status(conn: Connection, token: str) -> PersonStatus | None:
    row = conn.execute(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                       .where(persons.c.token == token)).first()
    return _status(row) if row else None


def household_statuses(conn: Connection, token: str) -> list[PersonStatus] | None:
    if conn.execute(select(households.c.token).where(households.c.token == token)).first() is None:
        return None
    rows = conn.execute(select(*_STATUS_COLS).join(households, households.c.token == persons.c.household)
                        .where(persons.c.household == token).order_by(persons.c.ordinal)).all()
    return [_status(r) for r in rows]


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


def trip_persons(conn: Connection, trip: str, states: frozenset[PersonState]) -> list[str]:
    """The persons of a trip in these states (e.g. the ones a move of the lifecycle starts from)."""
    return list(conn.execute(select(persons.c.token).where(persons.c.trip == trip,
                                                           persons.c.state.in_(lifecycle.values(states)))
                             .order_by(persons.c.token)).scalars())


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


# --- trips ------------------------------------------------------------------------

def _checkpoints(conn: Connection) -> set[str]:
    return set(conn.execute(select(sites.c.code).where(sites.c.kind == SiteKind.CHECKPOINT.value)).scalars())


def trip_status(conn: Connection, trip_id: str) -> TripStatus | None:
    row = conn.execute(select(trips, vehicles.c.seats, vehicles.c.stretchers)
                       .join(vehicles, vehicles.c.code == trips.c.vehicle).where(trips.c.id == trip_id)).first()
    if row is None:
        return None
    aboard = conn.execute(  # who is aboard: the persons' lifecycle state (the manifest keeps who boarded, ever)
        select(persons.c.mobility, func.count())
        .where(persons.c.trip == trip_id, persons.c.state.in_(lifecycle.values(lifecycle.ABOARD)))
        .group_by(persons.c.mobility)).all()
    counts = {m: n for m, n in aboard}
    stretcher = counts.get(Mobility.STRETCHER.value, 0)
    route = tuple(json.loads(row.route))
    checkpoints = _checkpoints(conn)
    passed = conn.execute(select(passages.c.checkpoint, passages.c.at).where(passages.c.trip == trip_id)
                          .order_by(passages.c.at)).all()
    times = conn.execute(select(func.max(manifest.c.boarded_at), func.max(manifest.c.scanned_at))
                         .where(manifest.c.trip == trip_id)).first()
    planned_at = conn.execute(select(plans.c.made_at).where(plans.c.plan_id == row.plan_id)).scalar()
    return TripStatus(
        id=row.id, vehicle=row.vehicle, origin=row.origin, destination=row.destination, route=route,
        state=TripState(row.state), seats=row.seats, stretchers=row.stretchers,
        aboard_seated=sum(counts.values()) - stretcher, aboard_stretcher=stretcher,
        passed=tuple(p.checkpoint for p in passed), checkpoints=tuple(s for s in route if s in checkpoints),
        planned_at=planned_at, last_boarded_at=_utc(times[0]), departed_at=row.departed_at,
        last_passed_at=passed[-1].at if passed else None, arrived_at=row.arrived_at,
        last_scanned_at=_utc(times[1]))


def _utc(value):
    """An aggregate over a time column comes back raw (not through the column's type)."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _utc(datetime.fromisoformat(str(value)))


def trips_in(conn: Connection, states: list[TripState] | None = None) -> list:
    q = select(trips).order_by(trips.c.depart_at, trips.c.ordinal)
    if states is not None:
        q = q.where(trips.c.state.in_([s.value for s in states]))
    return conn.execute(q).all()


def trip_row(conn: Connection, trip_id: str):
    return conn.execute(select(trips).where(trips.c.id == trip_id)).first()


def trip_manifest(conn: Connection, trip_id: str) -> list:
    """The persons with a manifest line on this trip, and where each stands now."""
    return conn.execute(
        select(manifest.c.person.label("token"), persons.c.household, persons.c.state, persons.c.trip,
               persons.c.mobility, persons.c.precedence, manifest.c.assigned, manifest.c.boarded_at,
               manifest.c.scanned_at)
        .join(persons, persons.c.token == manifest.c.person)
        .where(manifest.c.trip == trip_id).order_by(persons.c.ordinal)).all()


def trip_counts(conn: Connection, trip_id: str | None = None) -> dict[str, dict[str, int]]:
    """Per trip: assigned, aboard, held, arrived counts (one grouped query)."""
    query = select(
        manifest.c.trip,
        func.sum(case((manifest.c.assigned, 1), else_=0)),
        func.sum(case((manifest.c.boarded_at.is_not(None), 1), else_=0)),
        func.sum(case((manifest.c.off_checkpoint.is_not(None), 1), else_=0)),
        func.sum(case((manifest.c.scanned_at.is_not(None), 1), else_=0)),
    ).group_by(manifest.c.trip)
    if trip_id is not None:
        query = query.where(manifest.c.trip == trip_id)
    rows = conn.execute(query).all()
    return {r[0]: {"assigned": r[1] or 0, "boarded": r[2] or 0, "taken_off": r[3] or 0, "arrived": r[4] or 0}
            for r in rows}


def latest_plan(conn: Connection):
    return conn.execute(select(plans).order_by(plans.c.seq.desc()).limit(1)).first()


def plan_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(plans)).scalar_one()


def trip_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(trips)).scalar_one()


def passages_of(conn: Connection, trip_id: str) -> list:
    return conn.execute(select(passages).where(passages.c.trip == trip_id).order_by(passages.c.at)).all()


# --- accounting -------------------------------------------------------------------

def person_state_counts(conn: Connection) -> dict[str, int]:
    """Persons in each state; records merged into another person are not persons of their own."""
    rows = conn.execute(select(persons.c.state, func.count()).where(persons.c.merged_into.is_(None))
                        .group_by(persons.c.state)).all()
    counts = {s.value: 0 for s in PersonState}
    counts.update({state: n for state, n in rows})
    return counts


def trip_state_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(trips.c.state, func.count()).group_by(trips.c.state)).all()
    counts = {s.value: 0 for s in TripState}
    counts.update({state: n for state, n in rows})
    return counts


def household_count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(households)).scalar_one()


def precedence_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """For each medical precedence: how many persons in each state."""
    rows = conn.execute(select(persons.c.precedence, persons.c.state, func.count())
                        .where(persons.c.merged_into.is_(None))
                        .group_by(persons.c.precedence, persons.c.state)).all()
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for prec, state, n in rows:
        out[prec][state] = n
    return dict(out)


def waiting_by_site(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(households.c.gathering_point, func.count())
                        .join(persons, persons.c.household == households.c.token)
                        .where(persons.c.state.in_(lifecycle.values(lifecycle.PENDING)),
                               persons.c.merged_into.is_(None))
                        .group_by(households.c.gathering_point)).all()
    return {site: n for site, n in rows}


def received_by_centre(conn: Connection) -> dict[str, int]:
    """Persons arrived at, or bound for, each reception centre (for capacity)."""
    rows = conn.execute(select(trips.c.destination, func.count())
                        .join(persons, persons.c.trip == trips.c.id)
                        .where(persons.c.state.in_(lifecycle.values(lifecycle.ABOARD | lifecycle.SETTLED)))
                        .group_by(trips.c.destination)).all()
    return {site: n for site, n in rows}


def manifest_lines(conn: Connection, trip_ids: list[str] | None = None) -> dict[str, list[ManifestLine]]:
    q = (select(manifest, persons.c.trip.label("current_trip"), persons.c.state.label("current_state"))
         .join(persons, persons.c.token == manifest.c.person))
    rows = []
    for part in ([None] if trip_ids is None else chunked(trip_ids)):
        rows += conn.execute(q if part is None else q.where(manifest.c.trip.in_(part))).all()
    out: dict[str, list[ManifestLine]] = defaultdict(list)
    for r in rows:
        arrived_with = r.current_trip if r.current_state == PersonState.ARRIVED.value else None
        out[r.trip].append(ManifestLine(
            trip=r.trip, person=r.person, assigned=r.assigned, boarded_at=r.boarded_at, left_behind=r.left_behind,
            off_checkpoint=r.off_checkpoint, off_outcome=r.off_outcome, off_reason=open_reason(conn, r.off_reason, r.person),
            scanned_at=r.scanned_at, unaccounted=r.unaccounted, arrived_with=arrived_with))
    return out


def halt_timeline(conn: Connection) -> list:
    return conn.execute(select(halts).order_by(halts.c.seq)).all()


def last_resumed_at(conn: Connection):
    """When the last halt ended (None if the operation was never resumed)."""
    return _utc(conn.execute(select(func.max(halts.c.resumed_at))).scalar())



# --- protection ---------------------------------------------------------------------

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


def trip_destinations(conn: Connection, trip_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in chunked(trip_ids):
        out.update(conn.execute(select(trips.c.id, trips.c.destination).where(trips.c.id.in_(part))).all())
    return out


def children(conn: Connection, born_after: int, flags: list[str], *, flagged_only: bool) -> list:
    """Persons flagged unaccompanied or separated (and, unless flagged_only, everyone born after `born_after`).

    Vulnerabilities are sealed: the plain `vulnerable` flag narrows the rows, which are opened and checked."""
    cond = persons.c.vulnerable if flagged_only else or_(persons.c.vulnerable, persons.c.birth_year > born_after)
    rows = open_persons(conn, conn.execute(select(persons).where(cond).order_by(persons.c.ordinal)).all())

    def flagged(r) -> bool:
        return bool(set(r.vulnerabilities.split(",")) & set(flags))

    return [r for r in rows if flagged(r) or (not flagged_only and r.birth_year is not None
                                              and r.birth_year > born_after)]


# --- duplicates ---------------------------------------------------------------------

def persons_for_matching(conn: Connection) -> list:
    """Every person record not merged into another nor erased, with what the matcher compares (opened)."""
    return open_persons(conn, conn.execute(
        select(persons.c.token, persons.c.sealed, persons.c.sex, persons.c.birth_year, persons.c.household,
               households.c.gathering_point)
        .join(households, households.c.token == persons.c.household)
        .where(persons.c.merged_into.is_(None), persons.c.sealed.is_not(None)).order_by(persons.c.ordinal)).all())


def pair_evidence(conn: Connection, row) -> dict:
    """A duplicate pair's evidence opened (it quotes names); empty once either household is erased."""
    value = row.evidence
    if not value.startswith("enc:"):
        return json.loads(value)
    vault = vault_of(conn)
    context = f"{row.a}|{row.b}"
    inner = vault.open(conn, value, context)
    text = vault.open(conn, inner, context) if inner else None
    return json.loads(text) if text else {}


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


def _opened_pair(conn: Connection, row) -> Opened:
    """A pair row whose ``evidence`` (JSON text) is opened: it quotes names."""
    m = dict(row._mapping)
    m["evidence"] = json.dumps(pair_evidence(conn, row), sort_keys=True, ensure_ascii=False)
    return Opened(m)


def duplicate_pairs_in(conn: Connection, statuses: list[str]) -> list:
    """Pairs in these states, their evidence opened (JSON text, ``{}`` once a household is erased)."""
    rows = conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.status.in_(statuses))
                        .order_by(duplicate_pairs.c.score.desc(), duplicate_pairs.c.a, duplicate_pairs.c.b)).all()
    return [_opened_pair(conn, r) for r in rows]


def duplicate_pair(conn: Connection, a: str, b: str):
    """The pair's row (its evidence left sealed: the rules ask only for its status)."""
    a, b = (a, b) if a < b else (b, a)
    return conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)).first()


def last_duplicate_check(conn: Connection):
    return conn.execute(select(duplicate_checks).order_by(duplicate_checks.c.seq.desc()).limit(1)).first()


def persons_registered_since(conn: Connection, seq: int) -> int:
    return conn.execute(select(func.count()).select_from(persons).join(households, households.c.token ==
                                                                         persons.c.household)
                        .where(households.c.seq > seq)).scalar_one()


def open_high_pairs(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(duplicate_pairs)
                        .where(duplicate_pairs.c.status == "open", duplicate_pairs.c.high.is_(True))).scalar_one()


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


def corridor_rules_row(conn: Connection):
    return conn.execute(select(corridor_rules).where(corridor_rules.c.id == 1)).first()


def available_vehicles(conn: Connection) -> list:
    """Vehicles not withdrawn."""
    return conn.execute(select(vehicles).where(vehicles.c.withdrawn_at.is_(None)).order_by(vehicles.c.seq)).all()


def site_codes(conn: Connection, kind: SiteKind) -> list[str]:
    return list(conn.execute(select(sites.c.code).where(sites.c.kind == kind.value).order_by(sites.c.seq)).scalars())


def latest_plan_payload(conn: Connection) -> dict | None:
    """The recorded `PlanMade` data of the latest plan (None before the first plan)."""
    plan = latest_plan(conn)
    if plan is None:
        return None
    payload = conn.execute(select(ledger.c.payload).where(ledger.c.seq == plan.seq)).scalar()
    return json.loads(payload) if payload else None
