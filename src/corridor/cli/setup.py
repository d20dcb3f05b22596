"""Setting up: the operation from a description, the corridor's terms, a vehicle withdrawn."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..domain.errors import CorridorError
from .common import Db, done, out, read_json, records, refusals, runtime


@refusals
def setup_cmd(file: Path, db: Db = None):
    """Create the operation from a JSON description: operation, sites, legs, vehicles, corridor rules."""
    from ..service import setup

    description = read_json(file)  # read before the database is opened (or made): a bad file changes nothing
    n = setup.load_setup(runtime(db), description)
    out.print(f"{n} event(s) recorded" if n else "nothing new: the description was loaded before")


def _rates(values: list[str]) -> dict[str, int]:
    rates = {}
    for r in values:
        code, _, n = r.partition("=")
        if not n.strip().isdigit():
            raise CorridorError(f"--checkpoint-rate: write CHECKPOINT=vehicles per hour, got {r!r}")
        rates[code.strip()] = int(n)
    return rates


def _windows(values: list[str]) -> list[dict]:
    spans = []
    for w in values:
        opens, sep, closes = w.partition("/")
        if not sep:
            raise CorridorError(f"--window: write OPENS/CLOSES, got {w!r}")
        spans.append({"opens": opens.strip(), "closes": closes.strip()})
    return spans


@refusals
@records
def rules(convoy_size: Optional[int] = typer.Option(None, "--convoy-size", help="Most vehicles in one convoy."),
          convoy_gap: int = typer.Option(0, "--convoy-gap", help="Least minutes between convoys entering."),
          rate: Optional[list[str]] = typer.Option(None, "--checkpoint-rate", help="CHECKPOINT=vehicles per hour."),
          window: Optional[list[str]] = typer.Option(None, "--window", help="OPENS/CLOSES, ISO 8601 with offset."),
          note: str = typer.Option("", "--note"), db: Db = None, meta=None):
    """Set the corridor's terms: convoy size and spacing, checkpoint throughput, opening windows."""
    from ..service import setup

    done(setup.set_corridor_rules(runtime(db), meta, convoy_size=convoy_size, convoy_gap_minutes=convoy_gap,
                                  checkpoint_rates=_rates(rate or []), windows=_windows(window or []), note=note),
         "corridor rules set")


@refusals
@records
def withdraw(vehicle: str, reason: str = typer.Option(..., "--reason"), db: Db = None, meta=None):
    """A vehicle is lost or recalled; plan again to give its trips to others."""
    from ..service import setup

    done(setup.withdraw_vehicle(runtime(db), meta, code=vehicle, reason=reason), f"{vehicle} withdrawn")
