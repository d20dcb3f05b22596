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


def test_0011_takes_drivers_names_in_the_clear_out_of_the_views(own_db):
    """A driver's name recorded in the clear before drivers were sealed does not stay in the views (a migration
    cannot reach the master key to seal it); a sealed one stays."""
    from alembic import command
    from sqlalchemy import text

    db = open_database(own_db("m.db"))
    with db.write_lock, db.writer.connect() as conn:
        command.upgrade(alembic_config(conn), "0010_the_road")
        conn.execute(text("INSERT INTO sites (code, kind, name_en, name_ar, lat, lon, capacity, seq) "
                          "VALUES ('GP-A', 'gathering_point', 'A', 'A', 36.2, 37.1, NULL, 1)"))
        for code, driver in (("PV-1", "Abu Clearname"), ("PV-2", "enc:v1:DRIVERS:AAAA")):
            conn.execute(text("INSERT INTO vehicles (code, plate, kind, seats, stretchers, operator, site, "
                              "available_from, seq, driver) VALUES (:code, 'X', 'private_car', 4, 0, 'private', "
                              "'GP-A', '2016-12-15 04:00:00', 1, :driver)"), {"code": code, "driver": driver})
        conn.commit()
    upgrade(db)
    with db.reader.connect() as conn:
        drivers = dict(conn.execute(text("SELECT code, driver FROM vehicles")).all())
    db.dispose()
    assert drivers == {"PV-1": None, "PV-2": "enc:v1:DRIVERS:AAAA"}
