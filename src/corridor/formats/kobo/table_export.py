"""Submissions exported as CSV or spreadsheets: wide, long, a main file with its repeat file, ODK Central's zip."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.errors import BadInput
from ..tabular import Collector, csv_rows, is_spreadsheet, sheet_rows, show, spreadsheet
from .fields import (
    _INDEXED,
    _TRUE,
    ID_FIELDS,
    PERSON_FIELDS,
    REPEAT,
    SUBMISSION_FIELDS,
    _blank,
    _instance_id,
    _Raw,
    field_name,
)

@dataclass(slots=True)
class _Layout:
    submission: list[tuple[int, str, str]] = field(default_factory=list)  # (index, field, header)
    ids: dict[str, int] = field(default_factory=dict)
    id_headers: dict[str, str] = field(default_factory=dict)
    long: list[tuple[int, str, str]] = field(default_factory=list)  # person columns without an index
    wide: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)  # index → person columns
    choices: dict[int | None, list[tuple[int, str, str]]] = field(default_factory=dict)  # split select_multiple


def _layout(header: list[Any]) -> _Layout:
    lay = _Layout()
    for i, cell in enumerate(header):
        path = show(cell).strip()
        if not path:
            continue
        fname = field_name(path)
        m = _INDEXED.search(path)
        index = int(m.group(1)) if m else None
        if fname in PERSON_FIELDS:
            (lay.wide.setdefault(index, []) if index else lay.long).append((i, PERSON_FIELDS[fname], path))
        elif fname in SUBMISSION_FIELDS:
            lay.submission.append((i, SUBMISSION_FIELDS[fname], path))
        elif fname in ID_FIELDS:
            lay.ids.setdefault(fname, i)
            lay.id_headers.setdefault(fname, path)
        else:
            parts = re.split(r"[/]", path)
            if len(parts) >= 2 and field_name(parts[-2]) == "vulnerabilities":  # "vulnerabilities/disability" = 1
                lay.choices.setdefault(index, []).append((i, parts[-1], path))
    return lay


def _cells(cells: list[Any], cols: list[tuple[int, str, str]]) -> list[tuple[str, Any, str]]:
    return [(f, cells[i] if i < len(cells) else None, h) for i, f, h in cols]


def _given(person: list[tuple[str, Any, str]]) -> bool:
    return any(not _blank(v) for _, v, _ in person)


def _chosen(cells: list[Any], cols: list[tuple[int, str, str]]) -> list[tuple[str, Any, str]]:
    picked = [choice for i, choice, _ in cols if i < len(cells) and show(cells[i]).strip().casefold() in _TRUE]
    return [("vulnerabilities", " ".join(picked), cols[0][2])] if picked else []


def _ids(cells: list[Any], lay: _Layout) -> dict[str, Any]:
    return {k: cells[i] for k, i in lay.ids.items() if i < len(cells) and not _blank(cells[i])}


def _table_raws(rows: list[list[Any]], source: str, repeat: list[list[Any]] | None, repeat_source: str,
                out: Collector) -> tuple[list[_Raw], str]:
    start = next((i for i, r in enumerate(rows) if any(not _blank(c) for c in r)), None)
    if start is None:
        raise BadInput(f"{source or 'file'}: no header row", field="file")
    lay = _layout(rows[start])
    raws: list[_Raw] = []

    def new_raw(rownum: int, cells: list[Any]) -> _Raw:
        raw = _Raw(rownum, source if repeat is not None else "", _ids(cells, lay), dict(lay.id_headers))
        raw.fields = [(f, v, h, rownum) for f, v, h in _cells(cells, lay.submission)]
        return raw

    data = [(n, r) for n, r in enumerate(rows[start + 1:], start + 2) if any(not _blank(c) for c in r)]
    if repeat is not None:
        for n, cells in data:
            raws.append(new_raw(n, cells))
        _join_repeat(raws, lay, repeat, repeat_source, out)
        return raws, "csv+repeat"
    if lay.wide:
        for n, cells in data:
            raw = new_raw(n, cells)
            for index in sorted(lay.wide):
                person = _cells(cells, lay.wide[index]) + _chosen(cells, lay.choices.get(index, []))
                if _given(person):
                    raw.persons.append((n, "", person))
            raws.append(raw)
        return raws, "csv-wide"
    if not lay.long:
        out.add(start + 1, REPEAT, "", "no person columns (persons/name_ar, …); for ODK Central's export give the "
                                       "repeat CSV (<form>-persons.csv) as repeat_path", "missing")
    current: _Raw | None = None
    current_id: str | None = None
    for n, cells in data:  # one row per person; a submission's rows are consecutive
        iid, _ = _instance_id(_ids(cells, lay))
        if current is None or iid is None or iid != current_id:
            current, current_id = new_raw(n, cells), iid
            raws.append(current)
        else:
            current.fields += [(f, v, h, n) for f, v, h in _cells(cells, lay.submission)]
        person = _cells(cells, lay.long) + _chosen(cells, lay.choices.get(None, []))
        if _given(person):
            current.persons.append((n, "", person))
    return raws, "csv-long"


def _join_repeat(raws: list[_Raw], main: _Layout, rows: list[list[Any]], source: str, out: Collector) -> None:
    start = next((i for i, r in enumerate(rows) if any(not _blank(c) for c in r)), None)
    if start is None:
        return
    lay = _layout(rows[start])
    for child, parent in (("PARENT_KEY", "KEY"), ("PARENT_KEY", "instanceID"), ("_submission__uuid", "_uuid"),
                          ("_parent_index", "_index")):
        if child in lay.ids and parent in main.ids:
            break
    else:
        raise BadInput(f"{source}: cannot join the repeat to the submissions (expected PARENT_KEY and KEY, "
                       f"_submission__uuid and _uuid, or _parent_index and _index)", field="repeat_path")
    by_key: dict[str, list[_Raw]] = {}
    for raw in raws:
        key = show(raw.ids.get(parent)).strip()
        if key:
            by_key.setdefault(key, []).append(raw)
    for n, cells in enumerate(rows[start + 1:], start + 2):
        if all(_blank(c) for c in cells):
            continue
        key = show(cells[lay.ids[child]]).strip() if lay.ids[child] < len(cells) else ""
        owners = by_key.get(key)
        if not owners:
            out.add(n, lay.id_headers[child], key, f"matches no submission's {parent} in the main file", "missing",
                    source)
            continue
        person = _cells(cells, lay.long) + _chosen(cells, lay.choices.get(None, []))
        for raw in owners:
            raw.persons.append((n, source, person))


def _zip_raws(path: Path, out: Collector, encoding: str | None = None) -> tuple[list[_Raw], str]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.lower().endswith(".csv") and not n.startswith("__MACOSX")]
        repeats = [n for n in names if Path(n).stem.lower().endswith(f"-{REPEAT}")]
        mains = sorted((n for n in names if n not in repeats and "-" not in Path(n).stem[-len(REPEAT) - 1:]),
                       key=len) or sorted((n for n in names if n not in repeats), key=len)
        if not mains:
            raise BadInput(f"{path.name}: no CSV of submissions inside", field="file")
        main = mains[0]
        rows = csv_rows(z.read(main), main, encoding)
        repeat = csv_rows(z.read(repeats[0]), repeats[0], encoding) if repeats else None
    return _table_raws(rows, Path(main).name, repeat, Path(repeats[0]).name if repeats else "", out)


def _rows_of(path: Path, encoding: str | None = None) -> list[list[Any]]:
    if is_spreadsheet(path):
        rows, _ = sheet_rows(spreadsheet(path), None, path.name)
        return [list(r) for r in rows]
    return csv_rows(path.read_bytes(), path.name, encoding)
