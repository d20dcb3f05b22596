"""The master key: `corridor keys init`."""

from __future__ import annotations

import typer

from .common import Db, out, refusals

keys = typer.Typer(help="The master key that seals personal data (kept outside the database).", no_args_is_help=True)


@keys.command("init")
@refusals
def init(db: Db = None):
    """Create the master key file for a database (mode 0600; never overwrites one). Keep a copy apart from the
    database: without it no name can be read again."""
    from ..bootstrap import init_key

    path, kid = init_key(db)
    out.print(f"master key created: {path} (key id {kid}). Keep a copy apart from the database.", highlight=False)
