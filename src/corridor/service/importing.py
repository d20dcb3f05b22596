"""Bulk import of registration lists (CSV, XLSX, HXL) and of field submissions (KoboToolbox, ODK Central).

A list is imported whole or not at all: every bad row is reported (row, column, value, reason) and
nothing of the file is stored. Importing the same list again adds nothing: each household's command
id is derived from its content. A field submission's command id is its instanceID, so a resubmitted
form is absorbed, and one resubmitted with other content is reported as a conflict and not applied.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..domain.errors import BadInput, CorridorError
from .registration import register_households
from .recording import Meta
from .runtime import Runtime

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class ImportReport:
    source: str
    households: int
    persons: int
    added: int  # households recorded now
    already: int  # households recorded by an earlier import (absorbed)
    conflicts: list[dict] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    hxl: bool = False


def _refuse(source: str, problems: list[dict], rows: int | None = None) -> None:
    where = f" in {rows:,} rows" if rows else ""
    first = problems[0]
    raise BadInput(f"{source}: {len(problems)} problem(s){where}, nothing imported; first: row {first['row']}, "
                   f"column {first['column']!r}: {first['reason']}", field="file", errors=problems)


def _record(rt: Runtime, source: str, items: list[tuple[Meta, dict]], rows_of: list[list[int]],
            progress: Progress | None, conflicts: list[dict] | None = None):
    """Register the households in one transaction; a refusal is mapped back to the rows of the file."""
    try:
        return register_households(rt, items, conflicts=conflicts,
                                   progress=(lambda d, t: progress("recording", d, t)) if progress else None)
    except CorridorError as err:
        problems = err.errors or [{"item": 1, "field": err.field, "detail": err.detail}]  # items count from 1
        mapped = [{"row": rows_of[p["item"] - 1][0] if rows_of[p["item"] - 1] else 0, "column": p.get("field") or "",
                   "value": "", "reason": p["detail"]} for p in problems]
        _refuse(source, mapped)


def import_table(rt: Runtime, path: Path, *, mapping: dict[str, str] | None = None, sheet: str | None = None,
                 actor: str = "import", device: str = "import", progress: Progress | None = None) -> ImportReport:
    """Import a CSV or XLSX list of households and persons (one row per person)."""
    from ..formats import tabular

    batch = tabular.read_table(path, mapping=mapping, sheet=sheet,
                               progress=(lambda d, t: progress("reading", d, t)) if progress else None)
    if batch.problems:
        _refuse(path.name, [asdict(p) for p in batch.problems], batch.rows)
    items = [(Meta(command_id=f"import:{h.fingerprint[:40]}", actor=actor, device=device), h.household)
             for h in batch.households]
    receipts = _record(rt, path.name, items, [h.rows for h in batch.households], progress)
    added = sum(1 for r in receipts if r is not None and not r.replayed)
    return ImportReport(source=path.name, households=len(items),
                        persons=sum(len(h.household["persons"]) for h in batch.households),
                        added=added, already=len(items) - added, columns=batch.columns, ignored=batch.ignored,
                        hxl=batch.hxl)


def import_kobo(rt: Runtime, path: Path, *, repeat_path: Path | None = None, actor: str = "kobo",
                device: str = "kobo", progress: Progress | None = None) -> ImportReport:
    """Import form submissions exported from KoboToolbox or ODK Central, keyed by instanceID."""
    from ..formats import kobo

    batch = kobo.read_kobo(path, repeat_path=repeat_path,
                           progress=(lambda d, t: progress("reading", d, t)) if progress else None)
    conflicts = [asdict(p) for p in batch.problems if p.kind == "conflict"]
    problems = [asdict(p) for p in batch.problems if p.kind != "conflict"]
    if problems:
        _refuse(path.name, problems)
    edits = _edits_of_imported(rt, [s for s in batch.submissions if s.ok and s.deprecated_id])
    conflicts += [{"row": s.row, "column": "instanceID", "value": s.instance_id,
                   "reason": f"an edit of submission {s.deprecated_id}, already imported: edits are not applied; "
                             "correct the registration at the desk"} for s in edits]
    skip = {s.instance_id for s in edits}
    chosen = [s for s in batch.submissions if s.ok and s.instance_id not in skip]
    items = [(Meta(command_id=s.instance_id, actor=actor, device=device), s.household) for s in chosen]
    earlier: list[dict] = []
    receipts = _record(rt, path.name, items, [s.rows or [s.row] for s in chosen], progress, conflicts=earlier)
    for c in earlier:
        conflicts.append({"row": chosen[c["item"] - 1].row, "column": "instanceID", "value": c["command_id"],
                          "reason": f"submitted before with different content (event {c['event']}); not applied"})
    added = sum(1 for r in receipts if r is not None and not r.replayed)
    return ImportReport(source=path.name, households=len(batch.submissions),
                        persons=sum(len(s.household["persons"]) for s in batch.submissions), added=added,
                        already=sum(1 for r in receipts if r is not None and r.replayed), conflicts=conflicts)


def _edits_of_imported(rt: Runtime, edited: list) -> list:
    """Submissions that edit one imported before (their deprecatedID is in the ledger)."""
    if not edited:
        return []
    with rt.reading() as uow:
        known = uow.ledger.find_many([s.deprecated_id for s in edited])
    return [s for s in edited if s.deprecated_id in known]
