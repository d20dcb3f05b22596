"""Duplicate checks and candidate pairs (their evidence opened)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, or_, select

from ..tables import duplicate_checks, duplicate_pairs, households, persons
from .opening import Opened, vault_of


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


def _opened_pair(conn: Connection, row) -> Opened:
    """A pair row whose ``evidence`` (JSON text) is opened: it quotes names."""
    m = dict(row._mapping)
    m["evidence"] = json.dumps(pair_evidence(conn, row), sort_keys=True, ensure_ascii=False)
    return Opened(m)


def _pairs_at(statuses: list[str], sites: tuple[str, ...]):
    """The pairs in these states with a record registered at one of `sites` (none: every pair)."""
    query = select(duplicate_pairs).where(duplicate_pairs.c.status.in_(statuses))
    if sites:
        registered_there = (select(persons.c.token).join(households, households.c.token == persons.c.household)
                            .where(households.c.gathering_point.in_(sites)))
        query = query.where(or_(duplicate_pairs.c.a.in_(registered_there), duplicate_pairs.c.b.in_(registered_there)))
    return query


def duplicate_pairs_in(conn: Connection, statuses: list[str], *, sites: tuple[str, ...] = (),
                       latest_first: bool = False, limit: int | None = None) -> list:
    """Pairs in these states (with a record at one of `sites`, when given), their evidence opened (JSON text,
    ``{}`` once a household is erased): the highest score first, or the latest decided first; `limit` at most."""
    c = duplicate_pairs.c
    order = (c.decided_at.desc(), c.score.desc()) if latest_first else (c.score.desc(),)
    rows = conn.execute(_pairs_at(statuses, sites).order_by(*order, c.a, c.b).limit(limit)).all()
    return [_opened_pair(conn, r) for r in rows]


def count_duplicate_pairs(conn: Connection, statuses: list[str], *, sites: tuple[str, ...] = ()) -> int:
    """How many pairs `duplicate_pairs_in` would list without a limit."""
    return conn.execute(select(func.count()).select_from(_pairs_at(statuses, sites).subquery())).scalar_one()


def duplicate_pair(conn: Connection, a: str, b: str):
    """The pair's row (its evidence left sealed: the rules ask only for its status)."""
    a, b = (a, b) if a < b else (b, a)
    return conn.execute(select(duplicate_pairs).where(duplicate_pairs.c.a == a, duplicate_pairs.c.b == b)).first()


def last_duplicate_check(conn: Connection):
    return conn.execute(select(duplicate_checks).order_by(duplicate_checks.c.seq.desc()).limit(1)).first()


def open_high_pairs(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(duplicate_pairs)
                        .where(duplicate_pairs.c.status == "open", duplicate_pairs.c.high.is_(True))).scalar_one()
