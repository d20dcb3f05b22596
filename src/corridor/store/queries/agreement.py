"""Reading the agreement's views: the terms in force, their history, persons' categories (opened), the linked
operation's figures, the persons who have left (as the quotas and the link count them), the overrides."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, and_, distinct, func, select

from ..prepared import Prepared
from ..tables import (
    agreement_overrides, agreement_versions, households, ledger, linked_figures, linked_incidents, manifest,
    notifications_issued, person_categories, persons, trips,
)
from .opening import chunked, vault_of


def agreement_versions_in(conn: Connection) -> list:
    return conn.execute(select(agreement_versions).order_by(agreement_versions.c.seq)).all()


_IN_FORCE = Prepared(select(agreement_versions).order_by(agreement_versions.c.seq.desc()).limit(1))  # every scan


def agreement_in_force(conn: Connection):
    """The last version of the agreement's terms (None: no agreement recorded)."""
    return _IN_FORCE.first(conn)


def linked_latest(conn: Connection):
    return conn.execute(select(linked_figures).order_by(linked_figures.c.seq.desc()).limit(1)).first()


def linked_history(conn: Connection) -> list:
    return conn.execute(select(linked_figures).order_by(linked_figures.c.seq)).all()


def linked_incidents_in(conn: Connection) -> list:
    """The linked operation's incidents as reported, in the order they were recorded."""
    return conn.execute(select(linked_incidents).order_by(linked_incidents.c.seq)).all()


def notifications_issued_in(conn: Connection) -> list:
    """The movement notifications issued, in order, each with who issued it and from which device (the ledger's)."""
    return conn.execute(select(notifications_issued, ledger.c.actor, ledger.c.device)
                        .join(ledger, ledger.c.seq == notifications_issued.c.seq)
                        .order_by(notifications_issued.c.seq)).all()


def overrides_in(conn: Connection) -> list:
    return conn.execute(select(agreement_overrides).order_by(agreement_overrides.c.seq)).all()


def _open(conn: Connection, rows) -> dict[str, dict]:
    """{person: {category, items, note}} opened; an erased household's rows are left out."""
    vault = vault_of(conn)
    rows = list(rows)
    if not rows:
        return {}
    ciphers = vault.ciphers(conn, {r.household for r in rows})
    out = {}
    for r in rows:
        text = vault.open(conn, r.sealed, f"{r.person}|category", ciphers)
        if text is not None:
            out[r.person] = json.loads(text)
    return out


def categories_of(conn: Connection, tokens) -> dict[str, dict]:
    """The category set for each of these persons (absent: none set, the agreement's default)."""
    rows = []
    for part in chunked(sorted(set(tokens))):
        rows += conn.execute(select(person_categories).where(person_categories.c.person.in_(part))).all()
    return _open(conn, rows)


def category_row(conn: Connection, token: str):
    """The category recorded for one person (its view row, sealed: `categories_of` opens it), or None."""
    return conn.execute(select(person_categories).where(person_categories.c.person == token)).first()


def categories_waiting(conn: Connection) -> dict[str, dict]:
    """The categories set for persons not yet left (waiting or assigned): what planning needs."""
    rows = conn.execute(select(person_categories).join(persons, persons.c.token == person_categories.c.person)
                        .where(persons.c.state.in_(("waiting", "assigned")))).all()
    return _open(conn, rows)


def boarded_persons(conn: Connection) -> list[str]:
    """Persons aboard trips not yet left (boarded): they count against the quotas once they leave."""
    return list(conn.execute(select(persons.c.token).where(persons.c.state == "boarded",
                                                           persons.c.merged_into.is_(None))).scalars())


def _left(since: datetime | None = None, until: datetime | None = None):
    """Manifest lines of persons who have left (boarded a trip that departed, not left behind)."""
    cond = [manifest.c.boarded_at.is_not(None), manifest.c.left_behind.is_(False), trips.c.departed_at.is_not(None)]
    if since is not None:
        cond.append(trips.c.departed_at >= since)
    if until is not None:
        cond.append(trips.c.departed_at < until)
    return and_(*cond)


def left_count(conn: Connection, since: datetime | None = None, until: datetime | None = None) -> int:
    return conn.execute(select(func.count(distinct(manifest.c.person)))
                        .select_from(manifest.join(trips, trips.c.id == manifest.c.trip))
                        .where(_left(since, until))).scalar_one()


def left_with_category(conn: Connection, since: datetime | None = None, until: datetime | None = None) -> dict:
    """{person: category fields} of the persons who have left in the period and have a category set."""
    rows = conn.execute(select(person_categories)
                        .join(manifest, manifest.c.person == person_categories.c.person)
                        .join(trips, trips.c.id == manifest.c.trip).where(_left(since, until))).all()
    return _open(conn, rows)


def waiting_at(conn: Connection, gathering_point: str) -> list[str]:
    """Persons waiting unplanned at a gathering point."""
    return list(conn.execute(select(persons.c.token).join(households, households.c.token == persons.c.household)
                             .where(households.c.gathering_point == gathering_point,
                                    persons.c.state == "waiting", persons.c.merged_into.is_(None))).scalars())


def trip_aboard(conn: Connection, trip: str) -> list:
    """(person, household) of everyone aboard a trip (boarded, not left behind or taken off)."""
    return conn.execute(select(persons.c.token, persons.c.household)
                        .where(persons.c.trip == trip, persons.c.state == "boarded")).all()
