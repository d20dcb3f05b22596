"""Erasure and retention: `corridor erase`, `corridor retention apply`."""

from __future__ import annotations

import typer

from .common import AsJson, Db, out, print_json, records, refusals, runtime

retention = typer.Typer(help="The retention rule: erase households settled longer than a period.",
                        no_args_is_help=True)


@refusals
@records
def erase(household: str = typer.Option(..., "--household", help="The household token (H…)."),
          reason: str = typer.Option(..., "--reason", help="request, retention, protection or error."),
          note: str = typer.Option("", "--note", help="A short text; no personal data."),
          db: Db = None, meta=None):
    """Erase a household's personal data for good (its key is destroyed); the record stays and verifies."""
    from ..service import erasure

    receipt = erasure.erase(runtime(db), meta, household=household, reason=reason, note=note)
    out.print(f"household {receipt.data['household']} erased (event {receipt.seq}): its names, dates, notes, "
              "links and reasons can no longer be read", highlight=False)


@retention.command("apply")
@refusals
@records
def apply(after: str = typer.Option(..., "--after", help="e.g. 90d: households settled longer ago are erased."),
          dry_run: bool = typer.Option(False, "--dry-run", help="Only list the households due."),
          as_json: AsJson = False, db: Db = None, meta=None):
    """Erase every household whose persons all arrived (or were closed) more than --after ago."""
    from ..service import erasure

    result = erasure.apply_retention(runtime(db), meta, after=after, dry_run=dry_run)
    if as_json:
        print_json(result)
        return
    verb = "due" if dry_run else "erased"
    out.print(f"{len(result['due'] if dry_run else result['erased'])} household(s) {verb} under the retention rule "
              f"(settled more than {after} ago)", highlight=False)
