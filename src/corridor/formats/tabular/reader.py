"""The reader: a list of persons, one row each, grouped into households by the household key."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .columns import _check_mapping, _require_columns, _resolve_columns
from .files import _blank, csv_rows, is_spreadsheet, no_gc, sheet_rows, spreadsheet
from .households import PERSON_DEFAULTS, Collector, HouseholdAssembler
from .hxl import _is_hashtag_row
from .results import HOUSEHOLD_FIELDS, PERSON_FIELDS, BadValue, ImportBatch, ImportedHousehold, Progress, RowProblem
from .values import Converters, route_name, show

def read_table(path: str | Path, mapping: Mapping[str, str] | None = None, sheet: str | None = None, *,
               reference_year: int | None = None, date_order: str | None = None, encoding: str | None = None,
               progress: Progress | None = None) -> ImportBatch:
    """Read a list of persons (CSV or spreadsheet), grouped into households by the household key.

    ``mapping``: file header (or HXL hashtag) → corridor field, for headers corridor does
    not recognise (see :func:`load_mapping`); ``sheet``: the sheet of a workbook (the first
    by default); ``reference_year``: the year an ``age`` column is counted from (this year by
    default); ``date_order``: ``'dmy'`` or ``'mdy'`` to read dates such as 01/03/1980
    (ISO dates are always read); ``encoding``: of a CSV that is not UTF-8 or UTF-16 with a BOM
    (e.g. ``'cp1256'``); ``progress(rows_done, rows_total)`` is called every 2,000
    rows and at the end.

    Raises BadInput only when the file cannot be read at all; everything else is a
    RowProblem in the result."""
    path = Path(path)
    checked = _check_mapping(mapping) if mapping else None
    conv = Converters(reference_year, date_order)
    with no_gc():
        if is_spreadsheet(path):
            rows, total = sheet_rows(spreadsheet(path), sheet, path.name)
        else:
            records = csv_rows(path.read_bytes(), path.name, encoding)
            rows, total = iter(records), len(records)
        return _read_rows(rows, total, checked, conv, progress)


def _read_rows(rows: Iterator[list[Any]], total: int, mapping: dict[str, str] | None, conv: Converters,
               progress: Progress | None) -> ImportBatch:
    out = Collector()
    rownum = 0
    header: list[Any] | None = None
    for cells in rows:  # the header: the first row that is not blank
        rownum += 1
        if not _blank(cells):
            header = list(cells)
            break
    if header is None:
        out.add(1, "", "", "the file is empty: no header row", "missing")
        return ImportBatch([], out.problems)
    header_row = rownum
    tags = None
    pending: list[Any] | None = None
    if _is_hashtag_row(header):  # hashtags without a human header
        tags, header = header, []
    else:
        second = next(rows, None)
        if second is not None:
            if _is_hashtag_row(list(second)):
                tags = list(second)
                rownum += 1
            else:
                pending = second
    cols = _resolve_columns(header, tags, mapping, header_row, out)
    _require_columns(cols, header_row, mapping, [show(h) for h in header] or [show(t) for t in tags or ()], out)

    key_index = next((i for i, f, _ in cols.found if f == "household"), None)
    key_label = cols.labels.get("household", "household")
    house_cols = [(i, f, conv.by_field[f], label) for i, f, label in cols.found
                  if f in HOUSEHOLD_FIELDS and f != "household"]
    person_cols = [(i, f, conv.by_field[f], label) for i, f, label in cols.found if f in PERSON_FIELDS]
    has_token = "person_token" in cols.labels
    has_age = "age" in cols.labels
    has_name = "name" in cols.labels
    key_conv = conv.key
    houses: dict[str, HouseholdAssembler] = {}
    problems = out.problems
    data_rows = 0
    defaults = PERSON_DEFAULTS

    def each_row() -> Iterator[tuple[int, list[Any]]]:
        n = rownum
        if pending is not None:
            n += 1
            yield n, pending
        for cells in rows:
            n += 1
            yield n, cells

    for row, cells in each_row():
        if progress is not None and row % 2000 == 0:
            progress(row, max(total, row))
        if _blank(cells):
            continue
        data_rows += 1
        width = len(cells)
        person = {**defaults, "vulnerabilities": [], "links": []}
        before = len(problems)
        for i, fld, fn, label in person_cols:
            if i >= width:
                continue
            raw = cells[i]
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            try:
                person[fld] = fn(raw)
            except BadValue as bad:
                problems.append(RowProblem(row, label, show(raw), str(bad)))
        token = person.pop("person_token", None) if has_token else None
        if has_age:
            born = person.pop("age", None)
            if born is not None and person["birth_year"] is None and person["birth_date"] is None:
                person["birth_year"] = born
        if has_name:
            route_name(person)
        key = ""
        if key_index is not None:
            raw = cells[key_index] if key_index < width else None
            key = key_conv(raw) if raw is not None else ""
            if not key:
                out.add(row, key_label, "", "the household key is empty: every row needs one", "missing")
        if key:
            house = houses.get(key)
            if house is None:
                house = houses[key] = HouseholdAssembler(key, f"household {key!r}")
        else:  # still checked, not kept
            house = HouseholdAssembler("", "this row")
        house.problems += len(problems) - before
        for i, fld, fn, label in house_cols:
            raw = cells[i] if i < width else None
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            try:
                value = fn(raw)
            except BadValue as bad:
                problems.append(RowProblem(row, label, show(raw), str(bad)))
                house.problems += 1
                continue
            house.set(out, fld, value, row, label)
        house.add_person(out, person, token, row, cols.labels)

    households = []
    need_gp = "gathering_point" in cols.labels
    for key, house in houses.items():
        household, rows_of, fingerprint = house.finish(out, cols.labels, need_gp)
        households.append(ImportedHousehold(key, household, rows_of, fingerprint, house.problems == 0))
    if progress is not None:
        progress(max(total, rownum), max(total, rownum))
    problems.sort(key=lambda p: p.row)
    return ImportBatch(households, problems, {label: f for _, f, label in cols.found}, cols.ignored,
                       tags is not None, data_rows)


def read_rows(rows: Iterable[Iterable[Any]], mapping: Mapping[str, str] | None = None, *,
              reference_year: int | None = None, date_order: str | None = None,
              progress: Progress | None = None) -> ImportBatch:
    """Like :func:`read_table`, from rows already in memory (the first row is the header)."""
    materialised = [list(r) for r in rows]
    checked = _check_mapping(mapping) if mapping else None
    conv = Converters(reference_year, date_order)
    with no_gc():
        return _read_rows(iter(materialised), len(materialised), checked, conv, progress)
