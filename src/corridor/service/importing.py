"""Bulk import of registration lists (CSV, XLSX, HXL) and of field submissions (KoboToolbox, ODK Central).

A list is imported whole or not at all: every bad row is reported in one pass (row, column, value,
reason) — what the reader finds and what the registry's rules refuse — and nothing of the file is stored.

A list's household is known by its household key within a *source* (by default one source for every
list, so a list saved under another name is the same list; give ``source`` to keep unrelated lists
apart). Importing the same list again adds nothing. A household whose key was imported before with
other content is not added again: it is reported as *changed*, with what differs, and corrected only
when asked (``apply_corrections=True``: one ``HouseholdCorrected`` event per household, tokens kept).

A field submission's command id is its instanceID, so a resubmitted form is absorbed, and one resubmitted
with other content is reported as a conflict and not applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, NoReturn

from ..domain import registry as rules
from ..domain.commands import CorrectHousehold, RegisterHousehold
from ..domain.errors import BadInput, CorridorError
from ..domain.events import PersonRecord
from ..domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability
from ..store import queries as q
from .registration import household_params, register_households
from .import_checks import check_households, located
from .recording import Meta, collector_paused, execute_many, fingerprint
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
    changed: list[dict] = field(default_factory=list)  # households imported before with other content
    corrected: int = 0  # of them, corrected now (apply_corrections=True)


def _refuse(source: str, problems: list[dict], rows: int | None = None) -> NoReturn:
    where = f" in {rows:,} rows" if rows else ""
    first = problems[0]
    raise BadInput(f"{source}: {len(problems)} problem(s){where}, nothing imported; first: row {first['row']}, "
                   f"column {first['column']!r}: {first['reason']}", field="file", errors=problems)


def _record(rt: Runtime, source: str, items: list[tuple[Meta, dict]], rows_of: list[list[int]],
            progress: Progress | None, conflicts: list[dict] | None = None, labels: dict[str, str] | None = None):
    """Register the households in one transaction; a refusal is mapped back to the rows of the file."""
    try:
        return register_households(rt, items, conflicts=conflicts,
                                   progress=(lambda d, t: progress("recording", d, t)) if progress else None)
    except CorridorError as err:
        problems = err.errors or [{"item": 1, "field": err.field, "detail": err.detail}]  # items count from 1
        mapped = [located(p.get("field") or "", p["detail"], items[p["item"] - 1][1], rows_of[p["item"] - 1],
                          labels or {}) for p in problems]
        _refuse(source, mapped)


def _refuse_list(rt: Runtime, source: str, batch, labels: dict[str, str],
                 refused: CorridorError | None = None) -> NoReturn:
    """Refuse a list with every problem in it, each where the file has it: what the reader found and every
    field of every person the registry's rules refuse. Only when those find nothing, the refusal recording
    gave (`refused`: a second head of a household, a link to no one, mapped to its rows already)."""
    with rt.reading() as uow:
        problems = [asdict(p) for p in batch.problems]
        seen = {(p["row"], p["column"]) for p in problems}
        problems += [p for p in check_households(uow, batch.households, labels, rt.clock().date())
                     if (p["row"], p["column"]) not in seen]
    if not problems and refused is not None:
        raise refused
    problems.sort(key=lambda p: p["row"])
    _refuse(source, problems, batch.rows)


def import_key(source: str, key: str) -> str:
    """The command id of a list's household: its key within its source."""
    digest = hashlib.sha256(f"corridor-import-v2\x1f{source}\x1f{key}".encode("utf-8")).hexdigest()
    return f"import:{digest[:40]}"


@collector_paused(large=True)  # a whole list stands in memory while it is read, checked and recorded
def import_table(rt: Runtime, path: Path, *, mapping: dict[str, str] | None = None, sheet: str | None = None,
                 actor: str = "import", device: str = "import", progress: Progress | None = None,
                 encoding: str | None = None, source: str = "", apply_corrections: bool = False) -> ImportReport:
    """Import a CSV or XLSX list of households and persons (one row per person).

    ``encoding``: of a CSV that is not UTF-8 (e.g. ``cp1256``); ``source``: a label that keeps the
    household keys of unrelated lists apart (default: one source for all lists); ``apply_corrections``:
    correct the households this list changes (otherwise they are only reported in ``changed``)."""
    from ..formats import tabular

    path = Path(path)
    batch = tabular.read_table(path, mapping=mapping, sheet=sheet, encoding=encoding,
                               progress=(lambda d, t: progress("reading", d, t)) if progress else None)
    labels = {f: label for label, f in batch.columns.items()}
    if batch.problems:
        _refuse_list(rt, path.name, batch, labels)
    try:  # the registry checks every household as it records them: a good list is checked once
        with rt.reading() as uow:
            fresh, already, changed = _sort_out(uow, source, batch.households, labels, rt.clock().date())
        items = [(Meta(command_id=import_key(source, h.key), actor=actor, device=device), h.household)
                 for h in fresh]
        receipts = _record(rt, path.name, items, [h.rows for h in fresh], progress, labels=labels) if items else []
    except CorridorError as refused:
        _refuse_list(rt, path.name, batch, labels, refused)
    added = sum(1 for r in receipts if r is not None and not r.replayed)
    corrected = _correct(rt, changed, source, actor, device) if apply_corrections and changed else 0
    return ImportReport(source=path.name, households=len(batch.households),
                        persons=sum(len(h.household["persons"]) for h in batch.households),
                        added=added, already=already + len(items) - added, columns=batch.columns,
                        ignored=batch.ignored, hxl=batch.hxl, changed=[c.report for c in changed],
                        corrected=corrected)


@dataclass
class _Changed:
    report: dict  # key, token, rows, differences, applicable (and why not)
    wanted: list[PersonRecord]
    fingerprint: str


def _sort_out(uow, source: str, households: list, labels: dict[str, str], today) -> tuple[list, int, list[_Changed]]:
    """(households to add, how many were imported before as they are, those imported before with other content)."""
    keyed = {h.key: import_key(source, h.key) for h in households}
    legacy = {h.key: f"import:{h.fingerprint[:40]}" for h in households}  # ids of imports before sources
    priors = uow.ledger.find_many(sorted({*keyed.values(), *legacy.values()}))
    fresh, already, changed = [], 0, []
    for h in households:
        if legacy[h.key] in priors:
            already += 1
            continue
        prior = priors.get(keyed[h.key])
        if prior is None:
            fresh.append(h)
            continue
        if prior.fingerprint == _registration_fingerprint(h.household):
            already += 1  # exactly as first imported: nothing to compare
            continue
        token = prior.event.token
        site, current = _registered(uow, token)
        wanted = _wanted(h.household, today)
        differences = rules.household_differences(site, current, (h.household["gathering_point"],
                                                                  h.household.get("destination")), wanted)
        if not differences:
            already += 1
            continue
        for d in differences:
            d["row"] = h.rows[d["index"]] if d["index"] is not None else h.rows[0]
            d["column"] = labels.get(d["field"], d["field"])
        why = next((f"{d['field']} differs: change it at the desk" for d in differences if d["person"] is None), "")
        report = {"household": h.key, "token": token, "rows": list(h.rows), "differences": differences,
                  "applicable": not why, **({"reason": why} if why else {})}
        changed.append(_Changed(report, wanted, h.fingerprint))
    return fresh, already, changed


def _registration_fingerprint(household: dict) -> str:
    """The fingerprint the household's registration command has (as `execute` takes it)."""
    try:
        return fingerprint(RegisterHousehold.of(household_params(household)).normalised(), None)
    except CorridorError:
        return ""  # cannot be the same command: compare field by field


def _wanted(household: dict, today) -> list[PersonRecord]:
    """The list's persons, checked as the registry checks them (tokens: the pre-printed ones, if any)."""
    tokens = household.get("person_tokens") or []
    return [rules.check_person(rules.PersonInput(**p), tokens[i] if i < len(tokens) else "", today, f"persons[{i}]")
            for i, p in enumerate(household["persons"])]


def _registered(uow, token: str) -> tuple[tuple[str, str | None], tuple[PersonRecord, ...]]:
    """A registered household as the views hold it now (corrections included)."""
    head, members = q.household_detail(uow.conn, token)
    persons = tuple(PersonRecord(
        token=m.token, name_ar=m.name_ar, name_latin=m.name_latin, sex=Sex(m.sex), birth_year=m.birth_year,
        birth_date=date.fromisoformat(m.birth_date) if m.birth_date else None,
        relationship=Relationship(m.relationship), mobility=Mobility(m.mobility), precedence=Precedence(m.precedence),
        vulnerabilities=tuple(Vulnerability(v) for v in m.vulnerabilities.split(",") if v),
        medical_notes=m.medical_notes or "") for m in members)
    return (head.gathering_point, head.destination), persons


def _correct(rt: Runtime, changed: list[_Changed], source: str, actor: str, device: str) -> int:
    """Record one HouseholdCorrected per changed household that can be corrected from a list."""
    chosen = [c for c in changed if c.report["applicable"]]
    items = [(Meta(command_id=f"correct:{import_key(source, c.report['household'])[7:27]}:{c.fingerprint[:40]}",
                   actor=actor, device=device),
              CorrectHousehold(token=c.report["token"], household=c.report["household"], fingerprint=c.fingerprint))
             for c in chosen]
    wanted = {c.report["token"]: c.wanted for c in chosen}

    def decide(uow, at, command: CorrectHousehold):
        site, current = _registered(uow, command.token)
        people = wanted[command.token]
        differences = rules.household_differences(site, current, site, people)
        return rules.correct_household(command.token, current, differences, people)

    receipts = execute_many(rt, items, decide)
    for c, r in zip(chosen, receipts):
        c.report["corrected"] = r is not None and not r.replayed
    return sum(1 for c in chosen if c.report["corrected"])


def import_kobo(rt: Runtime, path: Path, *, repeat_path: Path | None = None, actor: str = "kobo",
                device: str = "kobo", progress: Progress | None = None, encoding: str | None = None) -> ImportReport:
    """Import form submissions exported from KoboToolbox or ODK Central, keyed by instanceID.

    ``encoding``: of CSV exports that are not UTF-8 (e.g. ``cp1256``)."""
    from ..formats import kobo

    path = Path(path)
    batch = kobo.read_kobo(path, repeat_path=repeat_path, encoding=encoding,
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
