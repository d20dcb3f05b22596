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
