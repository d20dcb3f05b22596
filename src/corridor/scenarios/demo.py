"""Creating the demo operation: set-up, registration, first plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from ..service import planning, registration, setup
from ..service.recording import Meta
from ..service.runtime import Runtime
from . import east_aleppo

BATCH = 1000


@dataclass
class DemoResult:
    households: int
    persons: int
    urgent: int
    stretcher: int


def create_demo(rt: Runtime, *, people: int = 100_000, seed: int = 2016,
                progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Set up the east Aleppo demo, register its population and make the first plan."""
    setup.load_setup(rt, east_aleppo.setup_spec(), actor="demo", device="demo")
    pop = east_aleppo.population(people, seed)
    registered_at = east_aleppo.START - timedelta(hours=12)
    done = 0
    for i in range(0, len(pop.households), BATCH):
        batch = pop.households[i:i + BATCH]
        items = [(Meta(command_id=f"demo:{seed}:household:{i + j}", actor="demo", device="demo", at=registered_at), h)
                 for j, h in enumerate(batch)]
        registration.register_households(rt, items)
        done += sum(len(h["persons"]) for h in batch)
        if progress:
            progress(done, pop.persons)
    planning.plan(rt, Meta(command_id=f"demo:{seed}:plan", actor="demo", device="demo", at=east_aleppo.START))
    return DemoResult(len(pop.households), pop.persons, pop.urgent, pop.stretcher)


def fresh_demo_database(db: str | None) -> str:
    """The path for a fresh demo database: an old demo there is replaced, a real operation never is."""
    import os
    from pathlib import Path

    from sqlalchemy import create_engine, inspect, text

    from ..bootstrap import default_db
    from ..domain.errors import RuleRefused
    from ..store.db import database_url

    target = db or default_db()
    url = database_url(target)
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
        if name is not None and name != east_aleppo.DEMO_NAME:
            raise RuleRefused(f"db: {path} holds the operation {name!r}; give the demo another --db", field="db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.makedirs(path.parent, exist_ok=True)
    return str(path)
