"""Bringing a database's schema to the current version with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from .db import Database

HERE = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(db: Database) -> None:
    """Apply every migration not yet applied (a fresh database gets the whole schema)."""
    with db.write_lock, db.writer.connect() as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
