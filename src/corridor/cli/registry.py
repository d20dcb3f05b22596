"""Registering: households from JSON, lists imported from CSV/XLSX/Kobo, cards and forms to print."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from ..domain.errors import CorridorError
from .common import AsJson, Db, Device, console, err, out, print_json, read_json, refusals, runtime

PROBLEM_ROWS = 200


@refusals
def register(file: Path, db: Db = None, device: Device = "terminal"):
    """Register the households in a JSON file (a list; each may carry its own command_id and at)."""
    from ..service import registration
    from .common import make_meta

    data = read_json(file)
    if not isinstance(data, list):
        raise CorridorError(f"{file}: expected a JSON list of households")
    items = [(make_meta(h.pop("command_id", None), device, h.pop("at", None)) if isinstance(h, dict)
              else make_meta(None, device), h) for h in data]
    receipts = registration.register_households(runtime(db), items)
    new = [r for r in receipts if not r.replayed]
    out.print(f"{len(new)} household(s) registered, {len(receipts) - len(new)} already recorded")
    for r in new:
        out.print(f"  {r.data['token']}: " + " ".join(p["token"] for p in r.data["persons"]), highlight=False)


def _progress_bar(as_json: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=err, transient=True, disable=as_json)


@refusals
def import_cmd(file: Path, db: Db = None,
               mapping: Optional[Path] = typer.Option(None, "--mapping", help="Column mapping file (JSON or CSV)."),
               sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet (default: the first)."),
               kobo: bool = typer.Option(False, "--kobo", help="Submissions exported from KoboToolbox / ODK Central."),
               repeat: Optional[Path] = typer.Option(None, "--repeat", help="ODK Central: the persons repeat CSV."),
               encoding: Optional[str] = typer.Option(
                   None, "--encoding", help="The file's text encoding, e.g. cp1256 or utf-16 (default: detected)."),
               source: str = typer.Option("", "--source", help="A label keeping unrelated lists' household keys "
                                          "apart (default: one source for every list)."),
               apply_corrections: bool = typer.Option(False, "--apply-corrections", help="Apply the changes of "
                                                      "households imported before from the same source."),
               as_json: AsJson = False, device: Device = "terminal"):
    """Import a CSV/XLSX list (one row per person; HXL hashtags understood) or field submissions.

    A file with bad rows is refused whole, every bad row listed; importing it again adds nothing."""
    from dataclasses import asdict

    from ..service import importing

    if not file.exists():
        raise CorridorError(f"{file}: no such file")
    rt = runtime(db)
    with _progress_bar(as_json) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done_: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done_, total=total)

        try:
            if kobo:
                report = importing.import_kobo(rt, file, repeat_path=repeat, actor=console().account, device=device,
                                               progress=progress, encoding=encoding)
            else:
                from ..formats.tabular import load_mapping

                report = importing.import_table(rt, file, mapping=load_mapping(mapping) if mapping else None,
                                                sheet=sheet, actor=console().account, device=device, progress=progress,
                                                encoding=encoding, source=source, apply_corrections=apply_corrections)
        except CorridorError as e:
            if e.errors and not as_json:
                bar.stop()
                print_problems(e.errors)
            raise
    if as_json:
        print_json(asdict(report))
        return
    out.print(f"{report.source}: {report.households:,} household(s), {report.persons:,} person(s); "
              f"{report.added:,} added, {report.already:,} already recorded"
              + (f", {len(report.changed)} changed ({report.corrected} corrected)" if report.changed else "")
              + (f", {len(report.conflicts)} conflict(s) not applied" if report.conflicts else ""), highlight=False)
    if report.conflicts:
        print_problems(report.conflicts, title="conflicts (not applied)")
    if report.changed:
        print_changes(report.changed, applied=apply_corrections)


def print_changes(changed: list[dict], *, applied: bool) -> None:
    """Households imported before from the same source whose rows now say something else."""
    title = "changed households" + ("" if applied else " (not applied: --apply-corrections applies them)")
    table = Table(title=f"{title}: {len(changed)}", title_justify="left")
    for col in ("household", "token", "row", "column", "was", "now", "applied"):
        table.add_column(col)
    for c in changed[:PROBLEM_ROWS]:
        done_ = "yes" if c.get("corrected") else ("no: " + c["reason"] if c.get("reason") else "no")
        for d in c["differences"]:
            table.add_row(str(c["household"]), str(c["token"]), str(d.get("row", "")), str(d.get("column", "")),
                          str(d.get("was", "")), str(d.get("now", "")), done_)
    err.print(table)
    if len(changed) > PROBLEM_ROWS:
        err.print(f"… and {len(changed) - PROBLEM_ROWS} more (use --json for all)")


def print_problems(problems: list[dict], title: str = "refused rows") -> None:
    table = Table(title=f"{title}: {len(problems)}", title_justify="left")
    for col in ("row", "column", "value", "reason"):
        table.add_column(col)
    for p in problems[:PROBLEM_ROWS]:
        table.add_row(str(p.get("row", "")), str(p.get("column", "")), str(p.get("value", "")), str(p.get("reason", "")))
    err.print(table)
    if len(problems) > PROBLEM_ROWS:
        err.print(f"… and {len(problems) - PROBLEM_ROWS} more (use --json for all)")


@refusals
def cards(out_file: Path = typer.Option(Path("cards.pdf"), "--out", help="The PDF to write."),
          household: Optional[list[str]] = typer.Option(None, "--household", help="Only these households."),
          gathering_point: Optional[str] = typer.Option(None, "--gathering-point", help="Only those registered here."),
          limit: Optional[int] = typer.Option(None, "--limit", min=1),
          no_wristbands: bool = typer.Option(False, "--no-wristbands"), db: Db = None):
    """A4 sheets of household cards and wristband strips: QR token, names in both scripts, precedence."""
    from ..service import printing

    r = printing.cards(runtime(db), out_file, viewer=console(), households=household, gathering_point=gathering_point, limit=limit,
                       wristbands=not no_wristbands)
    out.print(f"{r['path']}: {r['pages']} page(s) for {r['households']} household(s), {r['persons']} person(s)")


@refusals
def forms(folder: Path = typer.Option(Path("forms"), "--out", help="Folder for the .xlsx forms."), db: Db = None):
    """Write the registration and boarding-scan XLSForms for ODK Collect and KoboCollect."""
    from ..service import printing

    for path in printing.forms(runtime(db), folder):
        out.print(str(path))
