"""Duplicate checks and candidate pairs (their evidence opened)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, func, select

from ..tables import duplicate_checks, duplicate_pairs
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


def open_high_pairs(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(duplicate_pairs)
                        .where(duplicate_pairs.c.status == "open", duplicate_pairs.c.high.is_(True))).scalar_one()
