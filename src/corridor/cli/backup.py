"""Backups: `corridor backup`, `corridor restore`, `corridor state-hash`."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import Db, err, out, refusals, runtime


def _db(db: str | None) -> str:
    from ..bootstrap import default_db

    return db or default_db()


def _print(summary, what: str) -> None:
    out.print(f"{what}: ledger intact, {summary.events:,} events, head {summary.head[:16]}", highlight=False)
    out.print(f"state hash {summary.state_hash}", highlight=False)


@refusals
def backup(out_file: Path = typer.Argument(..., metavar="OUT", help="The backup file to write (must not exist)."),
           db: Db = None):
    """Write a consistent copy of the database to OUT while the server keeps running (SQLite's backup API;
    pg_dump for PostgreSQL), verify its ledger and print its state hash. The master key is not in it."""
    from ..service import backup as service

    summary = service.backup(_db(db), out_file)
    _print(summary, f"backup written to {out_file}")
    if summary.key_id:
        out.print(f"personal fields in it are sealed with the master key of id {summary.key_id}: keep that key "
                  "apart from the backup; without it they can never be read", highlight=False)


@refusals
def restore(backup_file: Path = typer.Argument(..., metavar="IN", help="A backup written by `corridor backup`."),
            db: Db = None,
            force: bool = typer.Option(False, "--force", help="Replace a database that is not empty.")):
    """Restore the database from IN once its ledger verifies (stop the server first). Refuses to replace a
    database that is not empty unless --force. Prints the state hash, to compare with the backup's."""
    from ..service import backup as service

    target = _db(db)
    summary = service.restore(backup_file, target, force=force)
    _print(summary, f"restored {backup_file} to {target}")
    note = service.key_note(target, summary)
    if note:
        err.print(f"[bold yellow]key:[/] {note}", highlight=False, soft_wrap=True)


@refusals
def state_hash(db: Db = None):
    """Verify the ledger and print the state hash of the views (the same on a backup and its restore)."""
    from ..service import backup as service

    _print(service.state(runtime(db)), "database")
