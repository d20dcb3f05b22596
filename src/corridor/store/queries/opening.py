"""Opening personal fields: rows of persons come back with their sealed fields in the clear (see the package's doc)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import Connection

from ..crypto import SealBroken, Vault


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
    from ..crypto import household_of

    if not rows or column not in rows[0]._mapping:
        return set()
    return {household_of(v) for r in rows if (v := r._mapping[column]) is not None}


def open_persons(conn: Connection, rows) -> list[Opened]:
    """Rows of the persons view (any columns, with ``sealed``) with their personal fields opened."""
    from ..sealing import open_person

    rows = list(rows)
    if not rows:
        return []
    vault = vault_of(conn)
    wanted = _households_of(rows, "sealed") | _households_of(rows, "held_reason") | \
        _households_of(rows, "sealed_links")
    ciphers = vault.ciphers(conn, wanted) if wanted else {}
    out = []
    columns = tuple(rows[0]._mapping.keys())  # once: a row's own keys() is built anew at every call
    for row in rows:
        m = dict(zip(columns, row))
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


def open_names(conn: Connection, rows) -> Iterator[dict]:
    """Rows of the persons view (any columns, with ``sealed``) as plain dicts with the names and birth date opened
    and nothing else, one at a time (the export of every person: each row is done with before the next is opened,
    so a hundred thousand of them never stand in memory together)."""
    from ..sealing import open_person

    rows = list(rows)
    if not rows:
        return
    vault = vault_of(conn)
    ciphers = vault.ciphers(conn, _households_of(rows, "sealed"))
    columns = tuple(rows[0]._mapping.keys())
    for row in rows:
        m = dict(zip(columns, row))
        fields = open_person(vault, conn, m.pop("sealed"), m["token"], ciphers)
        m["name_ar"], m["name_latin"], m["birth_date"] = fields["name_ar"], fields["name_latin"], fields["birth_date"]
        yield m


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


CHUNK = 500  # values in one IN (...): far below any database's limit on variables in a statement


def chunked(values: list, size: int = CHUNK):
    """The list in slices of at most `size` (for IN clauses and bulk statements)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]
