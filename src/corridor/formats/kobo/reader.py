"""Reading an export into submissions: one household each, keyed by its instanceID."""

from __future__ import annotations

from pathlib import Path

from ..tabular import (
    PERSON_DEFAULTS,
    BadValue,
    Collector,
    Converters,
    HouseholdAssembler,
    Progress,
    is_spreadsheet,
    no_gc,
    sheet_rows,
    show,
    spreadsheet,
)
from .fields import REPEAT, KoboBatch, KoboSubmission, _blank, _instance_id, _Raw
from .json_export import _json_raws, _object_raws
from .table_export import _rows_of, _table_raws, _zip_raws

def read_kobo(path: str | Path, repeat_path: str | Path | None = None, *, reference_year: int | None = None,
              date_order: str | None = None, encoding: str | None = None,
              progress: Progress | None = None) -> KoboBatch:
    """Read an export of registration submissions (JSON, CSV, ODK Central zip or Kobo XLSX).

    ``repeat_path``: the repeat CSV of ODK Central's two-CSV layout. ``progress(done, total)``
    is called every 500 submissions and at the end; ``encoding``: of CSV files that are not UTF-8
    (e.g. ``'cp1256'``). Raises BadInput only when the file
    cannot be read at all; everything else is a RowProblem in the result (``row`` is the
    submission's number in a JSON export, the line in a CSV)."""
    path = Path(path)
    conv = Converters(reference_year, date_order)
    with no_gc():
        return _read_path(path, None if repeat_path is None else Path(repeat_path), conv, progress, encoding)


def read_submissions(objects: list[dict]) -> KoboBatch:
    """Submissions already parsed into objects (groups nested, the repeat ``persons`` as a list of objects):
    the instances the OpenRosa server receives, read with the same checks as an export."""
    out = Collector()
    return _read(_object_raws(objects, out), "openrosa", out, Converters(), None)


def _read_path(path: Path, repeat_path: Path | None, conv: Converters, progress: Progress | None,
               encoding: str | None = None) -> KoboBatch:
    out = Collector()
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix != ".zip" and repeat_path is None and not is_spreadsheet(path)
                             and _starts_like_json(path)):
        raws, layout = _json_raws(path.read_bytes(), path.name, out), "json"
    elif suffix == ".zip":
        raws, layout = _zip_raws(path, out, encoding)
    elif repeat_path is not None:
        raws, layout = _table_raws(_rows_of(path, encoding), path.name, _rows_of(repeat_path, encoding),
                                   repeat_path.name, out)
    elif is_spreadsheet(path):
        workbook = spreadsheet(path)
        names = workbook.sheet_names
        repeat_sheet = next((n for n in names[1:] if n.casefold().endswith(REPEAT)), None)
        rows = [list(r) for r in sheet_rows(workbook, names[0] if names else None, path.name)[0]]
        repeat = [list(r) for r in sheet_rows(workbook, repeat_sheet, path.name)[0]] if repeat_sheet else None
        raws, layout = _table_raws(rows, names[0] if repeat else "", repeat, repeat_sheet or "", out)
    else:
        raws, layout = _table_raws(_rows_of(path, encoding), path.name, None, "", out)
    return _read(raws, layout, out, conv, progress)


def _starts_like_json(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _read(raws: list[_Raw], layout: str, out: Collector, conv: Converters, progress: Progress | None) -> KoboBatch:
    kept: dict[str, KoboSubmission] = {}
    order: list[str] = []
    duplicates = 0
    total = len(raws)
    for n, raw in enumerate(raws, 1):
        if progress is not None and n % 500 == 0:
            progress(n, total)
        iid, id_name = _instance_id(raw.ids)
        if iid is None:
            out.add(raw.row, raw.id_columns.get("instanceID", "meta/instanceID"), "",
                    "the submission has no instanceID (meta/instanceID)", "missing", raw.source)
            continue
        local = Collector(raw.source)  # its own problems, dropped if it repeats an earlier submission
        submission, token_columns = _submission(raw, iid, local, conv)
        submission.deprecated_id = show(raw.ids.get("deprecatedID")).strip() or None
        earlier = kept.get(iid)
        if earlier is not None:
            if earlier.fingerprint == submission.fingerprint:
                duplicates += 1
            else:
                out.add(raw.row, raw.id_columns.get(id_name, id_name), iid,
                        f"submission {iid} is given again with different content (first on row {earlier.row}); "
                        f"the first is kept", "conflict", raw.source)
                earlier.ok = False
            continue
        out.problems += local.problems
        submission.ok = not local.problems
        _check_tokens(submission, raw, token_columns, out)
        kept[iid] = submission
        order.append(iid)
    superseded = [s.deprecated_id for s in kept.values() if s.deprecated_id in kept]
    submissions = [kept[i] for i in order if i not in superseded]
    if progress is not None:
        progress(total, total)
    main = raws[0].source if raws else ""
    out.problems.sort(key=lambda p: (p.source != main, p.row))
    return KoboBatch(submissions, out.problems, duplicates, superseded, layout)


def _submission(raw: _Raw, iid: str, out: Collector,
                conv: Converters) -> tuple[KoboSubmission, dict[str, tuple[str, str]]]:
    """The submission read, and the column of each person token given."""
    house = HouseholdAssembler(iid, f"submission {iid}")
    columns = {f: h for f, _, h, _ in raw.fields}
    for fld, value, column, row in raw.fields:
        if _blank(value):
            continue
        try:
            house.set(out, fld, conv.by_field[fld](value), row, column, raw.source)
        except BadValue as bad:
            out.add(row, column, value, str(bad), source=raw.source)
    if not raw.persons:
        out.add(raw.row, REPEAT, "", f"submission {iid} has no persons", "missing", raw.source)
    token_columns: dict[str, tuple[str, str]] = {}
    for row, source, cells in raw.persons:
        person = {**PERSON_DEFAULTS, "vulnerabilities": [], "links": []}
        labels = dict(columns)
        if cells:  # a field not given is named like its neighbours: persons[2]/persons/name_latin
            base = cells[0][2].rsplit("/", 1)[0] + "/" if "/" in cells[0][2] else ""
            for name in ("name_latin", "name_ar", "relationship", "person_token"):
                labels[name] = base + name
        for fld, value, column in cells:
            labels[fld] = column
            if _blank(value):
                continue
            try:
                person[fld] = conv.by_field[fld](value)
            except BadValue as bad:
                out.add(row, column, value, str(bad), source=source)
        token = person.pop("person_token", None)
        if token:
            token_columns[token] = (labels["person_token"], source)
        born = person.pop("age", None)
        if born is not None and person["birth_year"] is None and person["birth_date"] is None:
            person["birth_year"] = born
        house.add_person(out, person, token, row, labels, source)
    household, rows, fingerprint = house.finish(out, columns, True, raw.source, raw.row)
    return KoboSubmission(iid, household, raw.row, fingerprint, rows), token_columns


def _check_tokens(sub: KoboSubmission, raw: _Raw, token_columns: dict[str, tuple[str, str]],
                  out: Collector) -> None:
    """Pre-printed tokens used by two different submissions of the file."""
    token = sub.household.get("token")
    if token:
        seen = out.household_tokens.get(token)
        if seen is not None:
            column = next((h for f, _, h, _ in raw.fields if f == "household_token"), "token")
            out.add(raw.row, column, token, f"household token {token} is also given to submission {seen[0]} "
                                            f"(row {seen[1]})", "duplicate", raw.source)
            sub.ok = False
        else:
            out.household_tokens[token] = (sub.instance_id, raw.row)
    for token, row in zip(sub.household.get("person_tokens") or [], sub.rows):
        column, source = token_columns.get(token, ("person_token", raw.source))
        seen = out.person_tokens.get(token)
        if seen is not None:
            out.add(row, column, token, f"person token {token} is also given on row {seen[0]}"
                    + (f" of {seen[1]}" if seen[1] and seen[1] != source else ""), "duplicate", source)
            sub.ok = False
        else:
            out.person_tokens[token] = (row, source)
