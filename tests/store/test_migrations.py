"""The Alembic migrations build exactly the schema the code declares."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from corridor.store.db import open_database
from corridor.store.migrate import upgrade
from corridor.store.tables import metadata


def test_migrations_match_the_tables(tmp_path):
    db = open_database(tmp_path / "m.db")
    upgrade(db)
    with db.writer.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    db.dispose()
    assert diff == []


def test_upgrading_twice_changes_nothing(tmp_path):
    db = open_database(tmp_path / "m.db")
    upgrade(db)
    upgrade(db)
    db.dispose()
