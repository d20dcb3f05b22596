"""The composition root: the one place that wires a database, a clock and a
planner into a `Runtime`. Nothing is created at import time."""

from __future__ import annotations

import os
import random
from datetime import datetime
from pathlib import Path
from typing import Callable

from .service.runtime import Runtime, utc_now
from .store.db import open_database
from .store.migrate import upgrade

DEFAULT_DB = "corridor.db"


def default_db() -> str:
    """`--db` falls back to $CORRIDOR_DB, then to corridor.db in the working directory."""
    return os.environ.get("CORRIDOR_DB") or str(Path.cwd() / DEFAULT_DB)


def bootstrap(db: str | Path | None = None, *, clock: Callable[[], datetime] = utc_now,
              seed: int | None = None, planner=None, matcher=None, migrate: bool = True) -> Runtime:
    """A ready runtime on `db` (a path or a database URL), its schema brought up to date."""
    database = open_database(db or default_db())
    if migrate:
        upgrade(database)
    if planner is None:
        from .planning import solve

        planner = solve
    if matcher is None:
        matcher = _match_records
    rng = random.Random(seed) if seed is not None else None
    return Runtime(db=database, clock=clock, planner=planner, matcher=matcher, rng=rng)


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


def _match_records(records: list[dict]) -> list:
    """The duplicate matcher, imported when first used (it is not needed to start)."""
    from .matching import match_records

    return match_records(records)


def source_commit() -> str:
    """The git commit this checkout is at (for benchmark records), or 'unknown'."""
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
