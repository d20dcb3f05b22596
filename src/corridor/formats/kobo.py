"""Submissions of corridor's registration form, exported from KoboToolbox or ODK Central.

One submission is one household: ``gathering_point``, ``destination`` ("any" = no
preference), ``token`` (a pre-printed household card, optional) and the repeat group
``persons`` (``name_ar``, ``name_latin``, ``sex``, ``birth_year``, ``birth_date``,
``relationship``, ``mobility``, ``precedence``, ``vulnerabilities`` as a space-separated
select_multiple, ``person_token``). Fields are matched on the last component of their
path, so groups around them (``group_xyz/persons/name_ar``, ``meta-instanceID``) do not
matter.

Layouts read by :func:`read_kobo`:

- JSON: a KoboToolbox export or API v2 ``{"results": [...]}``, a plain list of
  submissions, or ODK Central's OData ``{"value": [...]}`` (nested groups);
- one CSV (or spreadsheet) where each row is a submission and persons are columns
  ``persons[1]/name_ar``, ``persons[2]/name_ar`` … (wide), or each row is a person with
  columns ``persons/name_ar`` and the rows of one submission are consecutive and share
  its instanceID (long);
- two CSVs: ODK Central's main CSV and its repeat CSV ``<form>-persons.csv`` joined by
  KEY/PARENT_KEY (or KoboToolbox's ``_uuid``/``_submission__uuid``,
  ``_index``/``_parent_index``) — pass the repeat file as ``repeat_path``; ODK Central's
  export zip (both inside); a KoboToolbox XLSX export (repeat on the sheet ``persons``).

Each submission is keyed by its instanceID (``uuid:…``): the service uses it as the
command id, so an upload imported twice adds nothing. In one file, a submission given
twice with the same content is kept once; with different content the second is a
``conflict`` problem. A submission edited on the server carries ``deprecated_id`` (the
instanceID it replaces); an edited one replaces the one it deprecates in the same file.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.errors import BadInput
from ..domain.registry import PERSON_INPUT_FIELDS
from .tabular import (
    PERSON_DEFAULTS,
    BadValue,
    Collector,
    Converters,
    HouseholdAssembler,
    Progress,
    RowProblem,
    csv_rows,
    is_spreadsheet,
    no_gc,
    sheet_rows,
    show,
    spreadsheet,
)

REPEAT = "persons"
SUBMISSION_FIELDS = {"gathering_point": "gathering_point", "destination": "destination", "token": "household_token",
                     "household_token": "household_token"}
"""Form field → corridor field, once per submission."""
PERSON_FIELDS = {name: name for name in (*PERSON_INPUT_FIELDS, "person_token", "age")}
"""Form field → corridor field, in the repeat ``persons``."""
ID_FIELDS = ("instanceID", "deprecatedID", "__id", "_uuid", "KEY", "PARENT_KEY", "_index", "_parent_index",
             "_submission__uuid")
_KNOWN = set(SUBMISSION_FIELDS) | set(PERSON_FIELDS) | set(ID_FIELDS) | {REPEAT}
_INDEXED = re.compile(r"(?:^|[/\-.])" + REPEAT + r"\[(\d+)\]")
_TRUE = {"1", "true", "yes", "1.0"}


@dataclass(slots=True)
class KoboSubmission:
    """One submission: ``household`` is what ``register_households`` takes; unpacks as
    ``instance_id, household``. ``rows[i]`` is where ``household["persons"][i]`` was read."""

    instance_id: str
    household: dict[str, Any]
    row: int
    fingerprint: str
    rows: list[int] = field(default_factory=list)
    deprecated_id: str | None = None
    ok: bool = True

    @property
    def command_id(self) -> str:
        return self.instance_id

    def __iter__(self) -> Iterator[Any]:
        yield self.instance_id
        yield self.household


@dataclass(slots=True)
class KoboBatch:
    submissions: list[KoboSubmission]
    problems: list[RowProblem]
    duplicates: int = 0  # identical resubmissions kept once
    superseded: list[str] = field(default_factory=list)  # instanceIDs replaced by an edit in the same file
    layout: str = ""  # json, csv-wide, csv-long, csv+repeat

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def persons(self) -> int:
        return sum(len(s.household["persons"]) for s in self.submissions)


def field_name(path: str) -> str:
    """The form field a column or JSON key stands for: the last component of its path."""
    last = path.strip().rsplit("/", 1)[-1]
    if last in _KNOWN:
        return last
    for sep in ("-", ".", ":"):
        if sep in last:
            candidate = last.rsplit(sep, 1)[-1]
            if candidate in _KNOWN:
                return candidate
    return last


def _instance_id(ids: dict[str, Any]) -> tuple[str | None, str]:
    """(instanceID, the column it came from)."""
    for name in ("instanceID", "__id", "KEY"):
        value = show(ids.get(name)).strip()
        if value:
            return value, name
    uuid = show(ids.get("_uuid")).strip()
    if uuid:
        return (uuid if uuid.startswith("uuid:") else f"uuid:{uuid}"), "_uuid"
    return None, "meta/instanceID"


@dataclass(slots=True)
class _Raw:
    """A submission as found in the file, not yet read."""

    row: int
    source: str = ""
    ids: dict[str, Any] = field(default_factory=dict)
    id_columns: dict[str, str] = field(default_factory=dict)
    fields: list[tuple[str, Any, str, int]] = field(default_factory=list)  # (field, raw, column, row)
    persons: list[tuple[int, str, list[tuple[str, Any, str]]]] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == ""


# ---------------------------------------------------------------------------------------------
# JSON


def _flatten(obj: dict, prefix: str, out: dict[str, Any], repeats: list[tuple[str, list]]) -> None:
    for key, value in obj.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            _flatten(value, path, out, repeats)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if field_name(path) == REPEAT:
                repeats.append((path, value))
        elif isinstance(value, list) and field_name(path) == REPEAT:
            repeats.append((path, value))
        else:
            out[path] = value


def _json_raws(data: bytes, name: str, out: Collector) -> list[_Raw]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BadInput(f"{name}: not a JSON export ({err})", field="file") from None
    if isinstance(doc, dict):
        for key in ("results", "value", "data", "submissions"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            doc = [doc]
    if not isinstance(doc, list):
        raise BadInput(f"{name}: expected a list of submissions", field="file")
    raws = []
    for n, sub in enumerate(doc, 1):
        if not isinstance(sub, dict):
            out.add(n, "", show(sub)[:60], "not a submission (expected a JSON object)")
            continue
        flat: dict[str, Any] = {}
        repeats: list[tuple[str, list]] = []
        _flatten(sub, "", flat, repeats)
        raw = _Raw(n)
        for path, value in flat.items():
            fname = field_name(path)
            if fname in SUBMISSION_FIELDS:
                raw.fields.append((SUBMISSION_FIELDS[fname], value, path, n))
            elif fname in ID_FIELDS:
                raw.ids.setdefault(fname, value)
                raw.id_columns.setdefault(fname, path)
        for path, items in repeats:
            for j, item in enumerate(items, 1):
                if not isinstance(item, dict):
                    out.add(n, f"{path}[{j}]", show(item)[:60], "not a person (expected a JSON object)")
                    continue
                pflat: dict[str, Any] = {}
                _flatten(item, "", pflat, [])
                cells = [(PERSON_FIELDS[f], v, f"{path}[{j}]/{p}") for p, v in pflat.items()
                         if (f := field_name(p)) in PERSON_FIELDS]
                raw.persons.append((n, "", cells))
        raws.append(raw)
    return raws


# ---------------------------------------------------------------------------------------------
# CSV and spreadsheets


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


# ---------------------------------------------------------------------------------------------
# reading


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
