"""Accounts, roles, device tokens and logging in.

Passwords are hashed with Argon2id (argon2-cffi) and refused when short or among the 30,000 most common
passwords (the list the zxcvbn package ships). Tokens are 32 random bytes, shown once and stored only as
their SHA-256; each expires and can be revoked. Failed logins are rate-limited per account and per client
address. Nothing here logs a password or a token."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from ..domain.errors import BadInput, Conflict, Forbidden, NotFound, TooManyAttempts, Unauthenticated
from ..domain.permissions import Principal, Role, parse_role
from ..store import accounts as store
from .runtime import Runtime

MIN_PASSWORD = 12  # OWASP ASVS 2.1.1
MAX_PASSWORD = 128
SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)  # failed logins count for this long
ACCOUNT_FAILURES = 5  # this many failed logins for one account within WINDOW: that account waits
ADDRESS_FAILURES = 20  # this many from one client address within WINDOW: that address waits
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SITE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
DURATION = re.compile(r"^(\d{1,6})\s*([mhdw])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
TOKEN_PREFIX = "ct_"


@cache
def _hasher():
    from argon2 import PasswordHasher  # RFC 9106's second recommended setting: t=3, 64 MiB, p=4

    return PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (from the zxcvbn package's frequency lists)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, name: str = "") -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise BadInput(f"password: at least {MIN_PASSWORD} characters", field="password")
    if len(password) > MAX_PASSWORD:
        raise BadInput(f"password: at most {MAX_PASSWORD} characters", field="password")
    lowered = password.lower()
    if lowered in common_passwords() or (name and name.lower() in lowered) or len(set(password)) < 5:
        raise BadInput("password: too easy to guess (a common password, the account's name, or too few different "
                       "characters)", field="password")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def csrf_of(token: str) -> str:
    """The CSRF token bound to a session token: readable by the page, useless without the HttpOnly session."""
    return hashlib.sha256(b"corridor-csrf:" + token.encode("utf-8", "replace")).hexdigest()


def parse_duration(raw: str, field: str = "expires") -> timedelta:
    """'30m', '12h', '7d', '2w'."""
    m = DURATION.match(str(raw).strip().lower())
    if not m or int(m.group(1)) == 0:
        raise BadInput(f"{field}: expected a duration like 30m, 12h, 7d or 2w", field=field)
    return timedelta(**{UNITS[m.group(2)]: int(m.group(1))})


def _name(raw: str) -> str:
    name = str(raw).strip().lower()
    if not NAME.match(name):
        raise BadInput("name: 2 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit", field="name")
    return name


def _sites(raw: list[str] | None) -> list[str]:
    sites = sorted({str(s).strip().upper() for s in raw or []})
    bad = [s for s in sites if not SITE.match(s)]
    if bad:
        raise BadInput("site: a site code like GP-A (letters, digits, '-', '_')", field="site")
    return sites


def _role(raw) -> Role:
    try:
        return raw if isinstance(raw, Role) else parse_role(raw)
    except ValueError as err:
        raise BadInput(str(err), field="role") from None


def _account(conn, name: str):
    row = store.account_row(conn, str(name).strip().lower())
    if row is None:
        raise NotFound(f"name: no account {str(name).strip().lower()!r}", field="name")
    return row


def _describe(row) -> dict:
    return {"name": row.name, "role": row.role, "sites": list(store.sites_of(row)), "disabled": row.disabled,
            "created_at": row.created_at.isoformat(), "created_by": row.created_by,
            "changed_at": row.changed_at.isoformat(), "changed_by": row.changed_by}


def add_user(rt: Runtime, name: str, *, role, sites: list[str] | None = None, password: str, by: str) -> dict:
    name, role, sites = _name(name), _role(role), _sites(sites)
    check_password(password, name)
    hashed = _hasher().hash(password)
    with rt.writing() as uow:
        if store.account_row(uow.conn, name) is not None:
            raise Conflict(f"name: the account {name!r} exists already", field="name")
        store.add_account(uow.conn, name=name, role=role.value, sites=sites, password_hash=hashed, at=rt.clock(),
                          by=by)
        row = store.account_row(uow.conn, name)
        uow.commit()
    return _describe(row)


LANGUAGES = ("ar", "en")


def language(rt: Runtime, name: str) -> str | None:
    """The screens' language this account chose last (on any device); None before it chose one."""
    with rt.reading() as uow:
        row = store.account_row(uow.conn, name)
    return row.language if row is not None else None


def set_language(rt: Runtime, name: str, lang: str) -> None:
    """Remember the screens' language for this account (`ar` or `en`)."""
    if lang not in LANGUAGES:
        raise BadInput(f"lang: {lang!r} is not one of ar, en", field="lang")
    with rt.reading() as uow:  # links carry ?lang= on every page: write only when it changes
        if _account(uow.conn, name).language == lang:
            return
    with rt.writing() as uow:
        row = _account(uow.conn, name)
        if row.language != lang:
            store.change_account(uow.conn, row.name, at=rt.clock(), by=row.name, language=lang)
            uow.commit()


def list_users(rt: Runtime) -> list[dict]:
    with rt.reading() as uow:
        return [_describe(r) for r in store.all_accounts(uow.conn)]


def disable(rt: Runtime, name: str, *, by: str) -> dict:
    """Disable an account and revoke every token it holds."""
    with rt.writing() as uow:
        row = _account(uow.conn, name)
        now = rt.clock()
        store.change_account(uow.conn, row.name, at=now, by=by, disabled=True)
        store.revoke_tokens(uow.conn, at=now, account=row.name)
        row = store.account_row(uow.conn, row.name)
        uow.commit()
    return _describe(row)


def set_role(rt: Runtime, name: str, *, role, sites: list[str] | None = None, by: str) -> dict:
    """Change an account's role and sites. Nobody changes their own (an account cannot widen its own rights)."""
    role, sites = _role(role), _sites(sites)
    with rt.writing() as uow:
        row = _account(uow.conn, name)
        if by == row.name:
            raise Forbidden("name: an account cannot change its own role or sites", permission="accounts")
        store.change_account(uow.conn, row.name, at=rt.clock(), by=by, role=role.value, sites=sites)
        row = store.account_row(uow.conn, row.name)
        uow.commit()
    return _describe(row)


def _new_token(conn, account: str, device: str, kind: str, at: datetime, expires: timedelta) -> dict:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = secrets.token_hex(4)
    store.add_token(conn, id=token_id, token_hash=hash_token(token), account=account, device=device[:100] or kind,
                    kind=kind, at=at, expires_at=at + expires)
    return {"id": token_id, "token": token, "expires_at": (at + expires).isoformat()}


def create_token(rt: Runtime, name: str, *, device: str = "device", expires: timedelta = timedelta(hours=12),
                 by: str) -> dict:
    """A bearer token for a device or a script: {id, token, expires_at, account}; the token is shown only now."""
    with rt.writing() as uow:
        row = _account(uow.conn, name)
        if row.disabled:
            raise Conflict(f"name: the account {row.name!r} is disabled", field="name")
        made = _new_token(uow.conn, row.name, device, "device", rt.clock(), expires)
        uow.commit()
    return {**made, "account": row.name, "device": device}


def list_tokens(rt: Runtime, name: str | None = None) -> list[dict]:
    with rt.reading() as uow:
        rows = store.tokens_of(uow.conn, _account(uow.conn, name).name if name else None)
    return [{"id": r.id, "account": r.account, "device": r.device, "kind": r.kind,
             "created_at": r.created_at.isoformat(), "expires_at": r.expires_at.isoformat(),
             "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None} for r in rows]


def revoke(rt: Runtime, *, token_id: str | None = None, account: str | None = None) -> int:
    """Revoke one token by its id, or every token of an account; how many were revoked."""
    if not token_id and not account:
        raise BadInput("token: give a token id or an account", field="token")
    with rt.writing() as uow:
        if token_id and store.token_row(uow.conn, token_id.strip()) is None:
            raise NotFound(f"token: no token with id {token_id.strip()!r}", field="token")
        name = _account(uow.conn, account).name if account else None
        n = store.revoke_tokens(uow.conn, at=rt.clock(), token_id=token_id.strip() if token_id else None, account=name)
        uow.commit()
    return n


# --- logging in ---------------------------------------------------------------------------------------------

_DUMMY = "$argon2id$v=19$m=65536,t=3,p=4$XG8qZ+Vm/1Bk4GHZJ/iprQ$4d/c+wsVyTvZoPe62mYXo2zb2rWnbKER5bUuUsh8LHI"  # a hash of nothing


def _wait(failures: list[datetime], limit: int, now: datetime) -> int | None:
    """Seconds until the limit no longer applies, or None when under it."""
    if len(failures) < limit:
        return None
    return int((failures[-limit] + WINDOW - now).total_seconds()) + 1


def login(rt: Runtime, username: str, password: str, *, address: str = "unknown", device: str = "browser") -> dict:
    """Check the password; a session token {token, expires_at, role, csrf}. Refused 401, or 429 when rate-limited."""
    name = str(username or "").strip().lower()[:64]
    address = str(address or "unknown")[:64]
    now = rt.clock()
    with rt.reading() as uow:
        waits = [_wait(store.failures_since(uow.conn, now - WINDOW, account=name), ACCOUNT_FAILURES, now),
                 _wait(store.failures_since(uow.conn, now - WINDOW, address=address), ADDRESS_FAILURES, now)]
        row = store.account_row(uow.conn, name)
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise TooManyAttempts(f"login: too many failed attempts; try again in {wait} s", retry_after=wait)
    ok = _verify(row.password_hash if row else _DUMMY, str(password or "")[:MAX_PASSWORD]) and row is not None \
        and not row.disabled
    with rt.writing() as uow:
        store.add_attempt(uow.conn, account=name, address=address, at=now, ok=ok)
        made = _new_token(uow.conn, name, device, "session", now, timedelta(hours=SESSION_HOURS)) if ok else None
        uow.commit()
    if made is None:
        raise Unauthenticated("login: wrong username or password, or the account is disabled")
    return {"token": made["token"], "expires_at": made["expires_at"], "role": row.role, "csrf": csrf_of(made["token"])}


def _verify(hashed: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(rt: Runtime, token: str) -> None:
    with rt.writing() as uow:
        row = store.token_by_hash(uow.conn, hash_token(token))
        if row is not None:
            store.revoke_tokens(uow.conn, at=rt.clock(), token_id=row.id)
        uow.commit()


def authenticate(rt: Runtime, token: str, *, device: str | None = None, kind: str | None = None) -> Principal:
    """The principal a bearer or session token stands for; Unauthenticated when unknown, expired or revoked.
    `kind`: only a token of this kind (`device`: a token made by `corridor tokens create`, never a login's)."""
    token_hash = hash_token(token)
    with rt.reading() as uow:
        row = store.token_by_hash(uow.conn, token_hash)
    _check(row, kind, rt.clock())
    _remember(token_hash, row)
    return _principal(row, device)


def _check(row, kind: str | None, now: datetime) -> None:
    if row is None or (kind is not None and row.kind != kind):
        raise Unauthenticated("token: unknown")
    if row.revoked_at is not None:
        raise Unauthenticated("token: revoked")
    if row.expires_at <= now:
        raise Unauthenticated("token: expired")
    if row.disabled:
        raise Unauthenticated("token: the account is disabled")


def _principal(row, device: str | None) -> Principal:
    label = (device or "").strip()[:60]
    return Principal(account=row.account, role=Role(row.role), sites=store.sites_of(row),
                     device=f"{row.device}/{label}" if label and label != row.device else row.device)


# --- the boarding surge: a token verified inside the command's own transaction instead of before it ---
# Each scan would otherwise read its token on a connection of its own before queueing for the write transaction.
# A token this process verified before is taken at its word up to the command, and read again, in the command's
# transaction (one indexed read), before anything is decided: a revoked, expired or disabled token, or an account
# whose role or sites changed, records nothing — as exact as reading it first, and exact across processes too.

REMEMBERED_MAX = 10_000  # tokens remembered by one process at most (forgotten all at once beyond)
_remembered: dict[str, object] = {}  # token hash -> its row as last read (with its account's role and sites)


def _remember(token_hash: str, row) -> None:
    if len(_remembered) >= REMEMBERED_MAX:
        _remembered.clear()
    _remembered[token_hash] = row


def remembered(rt: Runtime, token: str, *, device: str | None = None) -> tuple[Principal, str] | None:
    """(principal, token hash) of a token this process verified before and that has not expired since; None when
    it must be read (`authenticate`). Only for a command that checks it again in its transaction (`verify_in`)."""
    token_hash = hash_token(token)
    row = _remembered.get(token_hash)
    if row is None or row.revoked_at is not None or row.disabled or row.expires_at <= rt.clock():
        return None
    return _principal(row, device), token_hash


def verify_in(conn, rt: Runtime, token_hash: str, principal: Principal) -> None:
    """The token read again inside a command's transaction: Unauthenticated (nothing recorded) when it is no longer
    valid, or when its account's role or sites are no longer those the request was authorized with."""
    row = store.token_by_hash(conn, token_hash)
    try:
        _check(row, None, rt.clock())
        if (row.account, row.role, store.sites_of(row)) != (principal.account, principal.role and principal.role.value,
                                                             principal.sites):
            raise Unauthenticated("token: the account's role or sites changed; send the command again")
    except Unauthenticated:
        _remembered.pop(token_hash, None)
        raise
