"""The composition root: the one place that wires a database, a clock and a
planner into a `Runtime`. Nothing is created at import time."""

from __future__ import annotations

import os
import random
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable

from .service.runtime import Runtime, utc_now
from .store.crypto import KeyUnavailable, Vault, find_key, key_file_for, key_id, remember_key_id, stored_key_id, \
    write_key_file
from .store.db import Database, open_database
from .store.migrate import upgrade

DEFAULT_DB = "corridor.db"


def default_db() -> str:
    """`--db` falls back to $CORRIDOR_DB, then to corridor.db in the working directory."""
    return os.environ.get("CORRIDOR_DB") or str(Path.cwd() / DEFAULT_DB)


def bootstrap(db: str | Path | None = None, *, clock: Callable[[], datetime] = utc_now,
              seed: int | None = None, planner=None, matcher=None, migrate: bool = True,
              key: bytes | None = None, time_zone: str | None = None) -> Runtime:
    """A ready runtime on `db` (a path or a database URL), its schema brought up to date and its
    master key loaded (`key` given, else $CORRIDOR_KEY / the key file: see `open_vault`)."""
    database = open_database(db or default_db())
    if migrate:
        upgrade(database)
    database.vault = open_vault(database, key)
    if planner is None:
        from .planning import solve

        planner = solve
    if matcher is None:
        matcher = _match_records
    rng = random.Random(seed) if seed is not None else None
    from .service.opclock import zone

    told = time_zone or os.environ.get("CORRIDOR_TIME_ZONE")  # the zone times are shown in; else the operation's
    shown_in = zone(told).key if told else None
    return Runtime(db=database, clock=clock, planner=planner, matcher=matcher, explainer=_explain, rng=rng,
                   time_zone=shown_in)


def fresh_demo_database(db: str | None) -> str:
    """The path for a fresh demo database: an old demo there is replaced, a real operation never is."""
    from sqlalchemy import create_engine, inspect, text

    from .domain.errors import RuleRefused
    from .scenarios.east_aleppo import DEMO_NAME
    from .store.db import database_url

    url = database_url(db or default_db())
    if not url.startswith("sqlite:///"):
        raise RuleRefused(f"db: the demo runs on a SQLite file, not {url.split('://')[0]}", field="db")
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists():
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                name = None
                if inspect(conn).has_table("operation"):
                    name = conn.execute(text("SELECT name_en FROM operation")).scalar()
        finally:
            engine.dispose()
        if name is not None and name != DEMO_NAME:
            raise RuleRefused(f"db: {path} holds the operation {name!r}; give the demo another --db", field="db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.makedirs(path.parent, exist_ok=True)
    return str(path)


def open_vault(database: Database, key: bytes | None = None, *, create: bool = True) -> Vault:
    """The vault of a database: its master key from `key`, $CORRIDOR_KEY or the key file
    ($CORRIDOR_KEY_FILE, else corridor.key beside a database file).

    A fresh database file without any key gets a new key file beside it, announced once on stderr,
    so `make demo` and the tests need no set-up; a database by URL never does (set the variables).
    A database that already holds encrypted data is never given a new key: without its own key the
    vault is locked (verify and counts work, names are refused with what to restore)."""
    where = "the key given"
    if key is None:
        try:
            key, where = find_key(database.url)
        except KeyUnavailable as err:
            return Vault(None, where, problem=err.detail)
    with database.writer.connect() as conn:
        conn.begin()
        stored = stored_key_id(conn)
        if key is None and stored is None and create:
            key, where = _new_key_file(database.url, where)
        if key is None:
            return Vault(None, where)
        kid = key_id(key)
        if stored is None:
            remember_key_id(conn, kid)
            conn.commit()
        elif stored != kid:
            return Vault(None, where, problem=(
                f"the master key found in {where} (key id {kid}) is not the key this database was sealed with "
                f"(key id {stored}): restore that key file from its backup, or set $CORRIDOR_KEY / "
                "$CORRIDOR_KEY_FILE to it. No name can be read with another key."))
    return Vault(key, where)


def init_key(db: str | Path | None = None) -> tuple[Path, str]:
    """`corridor keys init`: a new master key file for `db` (mode 0600); (its path, its key id).

    Refused when the file exists (a key is never overwritten), when the key comes from $CORRIDOR_KEY,
    for a database by URL without $CORRIDOR_KEY_FILE, and for a database already sealed with another key."""
    database = open_database(db or default_db())
    try:
        upgrade(database)
        if os.environ.get("CORRIDOR_KEY"):
            raise KeyUnavailable("keys: $CORRIDOR_KEY is set, so no key file is used; unset it to create one")
        path = key_file_for(database.url)
        if path is None:
            raise KeyUnavailable("keys: a database given by URL keeps its key where $CORRIDOR_KEY_FILE says; set it")
        if path.exists():
            raise KeyUnavailable(f"keys: {path} exists already; a key is never overwritten (it would make "
                                 "everything sealed with it unreadable)")
        with database.writer.connect() as conn:
            conn.begin()
            stored = stored_key_id(conn)
            if stored is not None:
                raise KeyUnavailable(f"keys: this database is sealed with the key of id {stored}; restore that key "
                                     f"file to {path} instead of making a new one")
            key = write_key_file(path)
            kid = key_id(key)
            remember_key_id(conn, kid)
            conn.commit()
        return path, kid
    finally:
        database.dispose()


def _new_key_file(url: str, where: str) -> tuple[bytes | None, str]:
    path = key_file_for(url)
    if path is None:
        return None, where
    try:
        key = write_key_file(path)
    except FileExistsError:  # another process made it a moment ago
        return find_key(url)
    print(f"corridor: NEW MASTER KEY created at {path} (mode 0600). Names and other personal data in this "
          "database are encrypted with it: keep a copy apart from the database — without it they can never "
          "be read again. ($CORRIDOR_KEY or $CORRIDOR_KEY_FILE put it elsewhere.)", file=sys.stderr)
    return key, str(path)


def _match_records(records: list[dict]) -> list:
    """The duplicate matcher, imported when first used (it is not needed to start)."""
    from .matching import match_records

    return match_records(records)


def _explain(evidence: dict, lang: str) -> list[str]:
    """A candidate pair's evidence as readable lines in English or Arabic (`matching.explain`), imported when used."""
    from .matching import explain

    return explain(evidence, lang=lang)


def source_commit() -> str:
    """The git commit this checkout is at (for benchmark records), or 'unknown'."""
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
