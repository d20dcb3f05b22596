"""Published benchmark instances, solved and compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..domain.errors import CorridorError
from .common import AsJson, out, refusals

bench = typer.Typer(help="Published benchmark instances, solved and compared.", no_args_is_help=True)


@bench.command("bep")
@refusals
def bench_bep(paths: Optional[list[Path]] = typer.Argument(None, help="Instance files or folders (default: all)."),
              time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds per instance."),
              as_json: AsJson = False):
    """The Bus Evacuation Problem: our makespan, lower bound, optimality and the best published value."""
    from ..planning.bep import bench as bep_bench
    from ..planning.bep.instance import BepFormatError

    try:
        rows = bep_bench.run(list(paths) if paths else None, time_limit)
    except BepFormatError as e:
        raise CorridorError(str(e)) from None
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        out.print(bep_bench.format_table(rows), highlight=False)
