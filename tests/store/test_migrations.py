"""The Alembic migrations build exactly the schema the code declares, and upgrading again changes nothing."""

import sqlite3
import subprocess
from contextlib import closing

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from corridor.bootstrap import bootstrap
from corridor.service import reports, setup
from corridor.store.db import open_database
from corridor.store.migrate import alembic_config, upgrade
from corridor.store.tables import metadata
from tests.conftest import SMALL_SPEC, Clock


def test_migrations_match_the_tables(own_db):
    db = open_database(own_db("m.db"))
    upgrade(db)
    with db.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    db.dispose()
    assert diff == []


def revision(db) -> str | None:
    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def dump(db: str) -> list[str]:
    """The whole database as SQL: every table, index and row (PostgreSQL: pg_dump's plain SQL)."""
    if "://" in db:
        done = subprocess.run(["pg_dump", "--format=plain", "--no-owner", "--inserts",
                               "--dbname", db.replace("postgresql+psycopg", "postgresql")],
                              capture_output=True, text=True, check=True)
        return [line for line in done.stdout.splitlines()
                if not line.startswith(("\\restrict", "\\unrestrict"))]  # a random key of each dump
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def test_upgrading_twice_changes_nothing(own_db):
    path = own_db("m.db")
    rt = bootstrap(path, clock=Clock(), seed=7)  # the first upgrade
    setup.load_setup(rt, SMALL_SPEC)
    events = reports.verify(rt).events
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision(rt.db) == head and events > 0
    before = dump(path)
    assert any(line.startswith(('INSERT INTO "ledger"', "INSERT INTO public.ledger")) for line in before)

    upgrade(rt.db)
    upgrade(rt.db)

    assert revision(rt.db) == head
    assert dump(path) == before, "a second upgrade changed the schema or the data"
    assert reports.verify(rt).events == events
    rt.db.dispose()
