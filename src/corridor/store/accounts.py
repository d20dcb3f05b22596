"""Queries of the accounts, their device tokens, the login attempts and the access log.

These tables are not views of the ledger: they are written here directly, each change in its own short
transaction (the access log is append-only: the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, select, update

from .prepared import Prepared
from .tables import access_log, accounts, device_tokens, login_attempts


def account_row(conn: Connection, name: str):
    return conn.execute(select(accounts).where(accounts.c.name == name)).first()


def all_accounts(conn: Connection) -> list:
    return conn.execute(select(accounts).order_by(accounts.c.name)).all()


def sites_of(row) -> tuple[str, ...]:
    return tuple(json.loads(row.sites))


def add_account(conn: Connection, *, name: str, role: str, sites: list[str], password_hash: str, at: datetime,
                by: str) -> None:
    conn.execute(insert(accounts).values(name=name, role=role, sites=json.dumps(sorted(sites)),
                                         password_hash=password_hash, disabled=False, created_at=at, created_by=by,
                                         changed_at=at, changed_by=by))


def change_account(conn: Connection, name: str, *, at: datetime, by: str, **values) -> None:
    if "sites" in values:
        values["sites"] = json.dumps(sorted(values["sites"]))
    conn.execute(update(accounts).where(accounts.c.name == name).values(changed_at=at, changed_by=by, **values))


def add_token(conn: Connection, *, id: str, token_hash: str, account: str, device: str, kind: str,
              at: datetime, expires_at: datetime) -> None:
    conn.execute(insert(device_tokens).values(id=id, token_hash=token_hash, account=account, device=device, kind=kind,
                                              created_at=at, expires_at=expires_at, revoked_at=None))


_BY_HASH = Prepared(select(device_tokens, accounts.c.role, accounts.c.sites, accounts.c.disabled)
            .join(accounts, accounts.c.name == device_tokens.c.account)
            .where(device_tokens.c.token_hash == bindparam("token_hash")))  # every request: built once


def token_by_hash(conn: Connection, token_hash: str):
    """The token row with its account's role, sites and state; None for an unknown token."""
    return _BY_HASH.first(conn, {"token_hash": token_hash})


def token_row(conn: Connection, token_id: str):
    return conn.execute(select(device_tokens).where(device_tokens.c.id == token_id)).first()


def tokens_of(conn: Connection, account: str | None = None) -> list:
    query = select(device_tokens).order_by(device_tokens.c.created_at)
    if account is not None:
        query = query.where(device_tokens.c.account == account)
    return conn.execute(query).all()


def revoke_tokens(conn: Connection, *, at: datetime, token_id: str | None = None, account: str | None = None) -> int:
    query = update(device_tokens).where(device_tokens.c.revoked_at.is_(None))
    if token_id is not None:
        query = query.where(device_tokens.c.id == token_id)
    if account is not None:
        query = query.where(device_tokens.c.account == account)
    return conn.execute(query.values(revoked_at=at)).rowcount


def add_attempt(conn: Connection, *, account: str, address: str, at: datetime, ok: bool) -> None:
    conn.execute(insert(login_attempts).values(account=account, address=address, at=at, ok=ok))


def failures_since(conn: Connection, since: datetime, *, account: str | None = None,
                   address: str | None = None) -> list[datetime]:
    """The times of failed logins since `since` (for the account, or from the address), after its last success."""
    column, value = (login_attempts.c.account, account) if account is not None else (login_attempts.c.address, address)
    last_ok = conn.execute(select(func.max(login_attempts.c.at))
                           .where(and_(column == value, login_attempts.c.ok.is_(True)))).scalar()
    start = max(since, last_ok) if last_ok is not None and account is not None else since
    return list(conn.execute(select(login_attempts.c.at).where(and_(
        column == value, login_attempts.c.ok.is_(False), login_attempts.c.at > start)
    ).order_by(login_attempts.c.at)).scalars())


def log_access(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(insert(access_log), rows)


def access_entries(conn: Connection, *, account: str | None = None, subject: str | None = None,
                   limit: int | None = None) -> list:
    query = select(access_log).order_by(access_log.c.seq.desc())
    if account:
        query = query.where(access_log.c.account == account)
    if subject:
        query = query.where(or_(access_log.c.subject == subject))
    return conn.execute(query.limit(limit) if limit else query).all()
