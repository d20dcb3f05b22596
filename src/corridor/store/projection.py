"""Applying events to the views. The only code that writes the view tables: this module (set-up, the registry,
duplicates, claims) with its parts for the plan and the road (`movement_views.py`) and the agreement
(`agreement_views.py`).

A handler uses nothing but the event and its envelope (seq, at), so replaying
the ledger into empty views gives identical views. It decides no state change:
each person or trip an event names takes the state its move leads to in the one
lifecycle (`domain.lifecycle`); moves that name nobody (a departure) take the
persons of the trip in the move's from-states. Lists of tokens or trips go to the
database in slices (`chunked`), below any limit on variables in one statement.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Callable

from sqlalchemy import Connection, delete, insert, select, update

from ..domain import events as ev
from ..domain.codec import canonical_json, to_plain
from ..domain.lifecycle import PERSON_FIRST, PersonMove, person_to
from .crypto import Vault
from .ledger import Entry
from .queries import chunked
from .sealing import Seals
from . import agreement_views, movement_views
from .movement_views import erased_persons
from .tables import (
    claims, corridor_rules, duplicate_checks, duplicate_pairs, households, legs, manifest, name_index, operation,
    person_links, persons, sites, vehicles,
)


def project(conn: Connection, entry: Entry, event: ev.Event, seals: Seals | None = None) -> None:
    """Apply one event. Personal fields go to the views as the ledger holds them (`seals`, sealed);
    the blind index and the family links' index are made from the event's opened fields, when opened."""
    seals = seals if seals is not None else Seals()
    sealed = _SEALED.get(type(event))
    if sealed is not None:
        sealed(conn, entry.seq, entry.at_time, event, seals)
        return
    handler = _HANDLERS.get(type(event))
    if handler is None:
        raise TypeError(f"no projection for event type {type(event).__name__}")
    handler(conn, entry.seq, entry.at_time, event)


def project_many(conn: Connection, entries: list[Entry], events: list[ev.Event], seals: list[Seals]) -> None:
    """Apply events in order; a run of events of a kind with a bulk handler is applied in one go."""
    i = 0
    while i < len(events):
        kind = type(events[i])
        bulk = _BULK.get(kind)
        if bulk is None:
            project(conn, entries[i], events[i], seals[i])
            i += 1
            continue
        j = i
        while j < len(events) and type(events[j]) is kind:
            j += 1
        bulk(conn, [(e.seq, e.at_time, event, s) for e, event, s in zip(entries[i:j], events[i:j], seals[i:j])])
        i = j


def _vault(conn) -> Vault | None:
    return conn.info.get("vault")


def _indexed(conn, household: str, persons_: tuple[ev.PersonRecord, ...], seals: Seals) -> tuple[list, list]:
    """Rows of the blind name index and of the family links' index for opened persons (none when erased)."""
    vault = _vault(conn)
    if not seals.opened or vault is None or not vault.usable:
        return [], []
    from .crypto import name_terms

    names = [(vault.blind("name:" + term), p.token, household)
             for p in persons_ for term in sorted(name_terms(p.name_ar, p.name_latin))]
    links = [(p.token, vault.blind("token:" + other)) for p in persons_ for other in p.links]
    return names, links


_HOUSEHOLD_COLUMNS = ("token", "gathering_point", "destination", "size", "registered_at", "seq", "erased_at",
                      "erased_reason")
_PERSON_COLUMNS = ("token", "household", "merged_into", "sealed", "sealed_links", "sex", "birth_year",
                   "relationship", "mobility", "precedence", "vulnerable", "state", "trip", "state_since",
                   "held_site", "held_reason", "registered_at", "ordinal")
_NAME_COLUMNS = ("term", "person", "household")
_LINK_COLUMNS = ("person", "linked_to")


def _insert_rows(conn: Connection, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows given as tuples of `columns` with one executemany. On SQLite the driver's own statement,
    each value put through its column type's bind processor exactly as SQLAlchemy's insert would, without
    building and compiling a parameter dictionary per row (bulk registration writes hundreds of thousands)."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        conn.execute(insert(table), [dict(zip(columns, row)) for row in rows])
        return
    procs = [(i, p) for i, c in enumerate(columns)
             if (p := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if procs:
        def processed(row: tuple) -> tuple:
            out = list(row)
            for i, p in procs:
                out[i] = p(out[i])
            return tuple(out)
        rows = [processed(row) for row in rows]
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})", rows)


def _operation_created(conn, seq, at, e: ev.OperationCreated):
    conn.execute(insert(operation).values(
        id=1, name_en=e.name_en, name_ar=e.name_ar, starts_at=e.starts_at,
        boarding_minutes=e.boarding_minutes, unloading_minutes=e.unloading_minutes,
        halted=False, halted_since=None, time_zone=e.time_zone))


def _site_added(conn, seq, at, e: ev.SiteAdded):
    conn.execute(insert(sites).values(code=e.code, kind=e.kind.value, name_en=e.name_en, name_ar=e.name_ar,
                                      lat=e.lat, lon=e.lon, capacity=e.capacity, seq=seq))


def _leg_added(conn, seq, at, e: ev.LegAdded):
    conn.execute(insert(legs), [
        dict(origin=e.origin, destination=e.destination, minutes=e.minutes),
        dict(origin=e.destination, destination=e.origin, minutes=e.minutes),
    ])


def _vehicle_added(conn, seq, at, e: ev.VehicleAdded):
    conn.execute(insert(vehicles).values(
        code=e.code, plate=e.plate, kind=e.kind.value, seats=e.seats, stretchers=e.stretchers,
        operator=e.operator, site=e.site, available_from=e.available_from, seq=seq, withdrawn_at=None,
        withdrawn_reason=None))


def _corridor_rules_set(conn, seq, at, e: ev.CorridorRulesSet):
    conn.execute(delete(corridor_rules))
    conn.execute(insert(corridor_rules).values(
        id=1, convoy_size=e.convoy_size, convoy_gap_minutes=e.convoy_gap_minutes,
        checkpoint_rates=json.dumps({r.checkpoint: r.vehicles_per_hour for r in e.checkpoint_rates}, sort_keys=True),
        windows=json.dumps([[w.opens.isoformat(), w.closes.isoformat()] for w in e.windows]), note=e.note,
        set_at=at))


def _vehicle_withdrawn(conn, seq, at, e: ev.VehicleWithdrawn):
    conn.execute(update(vehicles).where(vehicles.c.code == e.code).values(withdrawn_at=at, withdrawn_reason=e.reason))


def _household_registered(conn, seq, at, e: ev.HouseholdRegistered, seals: Seals):
    _households_registered(conn, [(seq, at, e, seals)])


def _households_registered(conn, items: list[tuple[int, datetime, ev.HouseholdRegistered, Seals]]):
    _insert_rows(conn, households, _HOUSEHOLD_COLUMNS, [
        (e.token, e.gathering_point, e.destination, len(e.persons), at, seq, None, None) for seq, at, e, _ in items])
    first = PERSON_FIRST.value
    _insert_rows(conn, persons, _PERSON_COLUMNS, [
        (p.token, e.token, None, s.values.get(p.token), s.values.get(f"{p.token}|links"), p.sex.value,
         p.birth_year, p.relationship.value, p.mobility.value, p.precedence.value, p.token in s.vulnerable,
         first, None, at, None, None, at, seq * 1000 + i)
        for seq, at, e, s in items for i, p in enumerate(e.persons)
    ])
    names, links = [], []
    for _, _, e, s in items:
        n, l_ = _indexed(conn, e.token, e.persons, s)
        names += n
        links += l_
    # in key order: the index's b-tree is then filled from left to right instead of at random places
    _insert_rows(conn, name_index, _NAME_COLUMNS, sorted(names))
    _insert_rows(conn, person_links, _LINK_COLUMNS, sorted(links))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _duplicates_checked(conn, seq, at, e: ev.DuplicatesChecked, seals: Seals):
    conn.execute(insert(duplicate_checks).values(seq=seq, at=at, persons_checked=e.persons_checked,
                                                 pairs=len(e.pairs)))
    conn.execute(delete(duplicate_pairs).where(duplicate_pairs.c.status == "open"))
    decided = {(r.a, r.b) for r in conn.execute(select(duplicate_pairs.c.a, duplicate_pairs.c.b))}
    fresh = [dict(a=p.a, b=p.b, score=p.score, high=p.high,
                  evidence=seals.values.get(f"{p.a}|{p.b}") or json.dumps(p.evidence, sort_keys=True, ensure_ascii=False),
                  status="open", kept=None, found_seq=seq, decided_at=None)
             for p in e.pairs if (p.a, p.b) not in decided]
    if fresh:
        conn.execute(insert(duplicate_pairs), fresh)


def _decide_pair(conn, seq, at, a: str, b: str, status: str, kept: str | None) -> None:
    a, b = _pair(a, b)
    done = conn.execute(update(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)
                        .values(status=status, kept=kept, decided_at=at))
    if done.rowcount == 0:  # a pair the registrar found without the matcher
        conn.execute(insert(duplicate_pairs).values(a=a, b=b, score=0.0, high=False, evidence="{}", status=status,
                                                    kept=kept, found_seq=seq, decided_at=at))


def _duplicates_merged(conn, seq, at, e: ev.DuplicatesMerged):
    _decide_pair(conn, seq, at, e.kept, e.duplicate, "merged", e.kept)
    conn.execute(delete(manifest).where(manifest.c.person == e.duplicate, manifest.c.boarded_at.is_(None),
                                        manifest.c.scanned_at.is_(None), manifest.c.left_behind.is_(False)))
    conn.execute(update(persons).where(persons.c.token == e.duplicate).values(
        merged_into=e.kept, state=person_to(PersonMove.MERGE).value, trip=None, state_since=at))


def _duplicate_pair_dismissed(conn, seq, at, e: ev.DuplicatePairDismissed):
    _decide_pair(conn, seq, at, e.a, e.b, "dismissed", None)


def _duplicate_decision_undone(conn, seq, at, e: ev.DuplicateDecisionUndone):
    a, b = _pair(e.a, e.b)
    row = conn.execute(select(duplicate_pairs.c.kept).where(duplicate_pairs.c.a == a,
                                                            duplicate_pairs.c.b == b)).first()
    if row is not None and row.kept:
        duplicate = b if row.kept == a else a
        conn.execute(update(persons).where(persons.c.token == duplicate).values(merged_into=None, state_since=at))
    conn.execute(update(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)
                 .values(status="open", kept=None, decided_at=None))


def _household_corrected(conn, seq, at, e: ev.HouseholdCorrected, seals: Seals):
    if erased_persons(conn, [p.token for p in e.persons]):
        return  # recorded before the erasure; the erasure cleared it
    for p in e.persons:
        conn.execute(update(persons).where(persons.c.token == p.token, persons.c.household == e.token).values(
            sealed=seals.values.get(p.token), sex=p.sex.value, birth_year=p.birth_year,
            relationship=p.relationship.value, mobility=p.mobility.value, precedence=p.precedence.value,
            vulnerable=p.token in seals.vulnerable))
    names, _ = _indexed(conn, e.token, e.persons, seals)
    conn.execute(delete(name_index).where(name_index.c.person.in_([p.token for p in e.persons])))
    _insert_rows(conn, name_index, _NAME_COLUMNS, names)


def _household_erased(conn, seq, at, e: ev.HouseholdErased):
    """Clear every personal field of the household from the views; tokens, states and counts stay."""
    members = list(conn.execute(select(persons.c.token).where(persons.c.household == e.household)).scalars())
    conn.execute(update(households).where(households.c.token == e.household)
                 .values(erased_at=at, erased_reason=e.reason))
    conn.execute(update(persons).where(persons.c.household == e.household)
                 .values(sealed=None, sealed_links=None, held_reason=None))
    conn.execute(delete(name_index).where(name_index.c.household == e.household))
    for part in chunked(members):
        conn.execute(update(manifest).where(manifest.c.person.in_(part), manifest.c.off_reason.is_not(None))
                     .values(off_reason=None))
        conn.execute(delete(person_links).where(person_links.c.person.in_(part)))
        for side in (duplicate_pairs.c.a, duplicate_pairs.c.b):
            conn.execute(update(duplicate_pairs).where(side.in_(part)).values(evidence=_NO_EVIDENCE))


_NO_EVIDENCE = "{}"  # a pair's evidence once either person's household is erased


def _claim(conn, seq, at, claim: str, kind: str, content: dict | None, note: str) -> None:
    conn.execute(insert(claims).values(seq=seq, claim=claim, kind=kind, at=at, note=note[:500],
                                       content=None if content is None else canonical_json(content)))


def _claim_recorded(conn, seq, at, e: ev.ClaimRecorded):
    _claim(conn, seq, at, e.claim, "recorded", to_plain(e.content), "")


def _claim_corrected(conn, seq, at, e: ev.ClaimCorrected):
    _claim(conn, seq, at, e.claim, "corrected", to_plain(e.content), e.note)


def _claim_withdrawn(conn, seq, at, e: ev.ClaimWithdrawn):
    _claim(conn, seq, at, e.claim, "withdrawn", None, e.reason)


_HANDLERS: dict[type, Callable[[Connection, int, datetime, ev.Event], None]] = {
    ev.OperationCreated: _operation_created,
    ev.SiteAdded: _site_added,
    ev.LegAdded: _leg_added,
    ev.VehicleAdded: _vehicle_added,
    ev.CorridorRulesSet: _corridor_rules_set,
    ev.VehicleWithdrawn: _vehicle_withdrawn,
    ev.DuplicatesMerged: _duplicates_merged,
    ev.DuplicatePairDismissed: _duplicate_pair_dismissed,
    ev.DuplicateDecisionUndone: _duplicate_decision_undone,
    ev.HouseholdErased: _household_erased,
    ev.ClaimRecorded: _claim_recorded,
    ev.ClaimCorrected: _claim_corrected,
    ev.ClaimWithdrawn: _claim_withdrawn,
    **movement_views.HANDLERS,
    **agreement_views.HANDLERS,
}

_SEALED = {  # events with sealed personal fields: their handlers also take the sealed values
    ev.HouseholdRegistered: _household_registered,
    ev.HouseholdCorrected: _household_corrected,
    ev.DuplicatesChecked: _duplicates_checked,
    **movement_views.SEALED,
    **agreement_views.SEALED,
}

_BULK = {ev.HouseholdRegistered: _households_registered}
