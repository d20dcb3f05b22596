"""Which column holds which field: headers, HXL hashtags and a mapping from the file's headers."""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...domain.errors import BadInput
from .files import _decode, csv_rows
from .households import Collector
from .hxl import hxl_field, parse_hashtag
from .results import FIELDS, IGNORE
from .spellings import _HEADER_FIELD, fold
from .values import show

def _check_mapping(mapping: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for header, target in mapping.items():
        target = "" if target is None else str(target).strip()
        if target in IGNORE:
            out[str(header)] = ""
            continue
        if target not in FIELDS:
            raise BadInput(f"mapping: {header!r} → {target!r}: not a corridor field (fields: {', '.join(FIELDS)}; "
                           f"'' or 'ignore' skips a column)", field="mapping")
        out[str(header)] = target
    return out


def load_mapping(path: str | Path) -> dict[str, str]:
    """A column mapping from a file: JSON ``{"file header": "corridor field", …}`` (or
    ``{"mapping": {…}}``), or a CSV of two columns (file header, corridor field; a first row
    such as ``column,field`` is skipped). An empty field or ``ignore`` skips a column."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".json" or data.lstrip(codecs.BOM_UTF8).lstrip()[:1] in (b"{", b"["):
        try:
            raw = json.loads(_decode(data, path.name))
        except json.JSONDecodeError as err:
            raise BadInput(f"{path.name}: not JSON ({err})", field="mapping") from None
        if isinstance(raw, dict) and isinstance(raw.get("mapping"), dict):
            raw = raw["mapping"]
        if isinstance(raw, list):
            raw = dict(raw) if all(isinstance(p, list) and len(p) == 2 for p in raw) else None
        if not isinstance(raw, dict):
            raise BadInput(f"{path.name}: expected an object of file header → corridor field", field="mapping")
        return _check_mapping(raw)
    pairs: dict[str, str] = {}
    for i, record in enumerate(csv_rows(data, path.name)):
        if not record or not "".join(record).strip():
            continue
        if len(record) < 2:
            raise BadInput(f"{path.name}: line {i + 1}: expected two columns, file header and corridor field",
                           field="mapping")
        header, target = record[0].strip(), record[1].strip()
        if not pairs and i == 0 and target not in FIELDS and target not in IGNORE:
            continue  # a header line
        pairs[header] = target
    return _check_mapping(pairs)


@dataclass(slots=True)
class _Columns:
    found: list[tuple[int, str, str]]  # (index, field, label)
    ignored: list[str]
    labels: dict[str, str]  # field → label


def _resolve_columns(header: list[Any], tags: list[Any] | None, mapping: dict[str, str] | None,
                     header_row: int, out: Collector) -> _Columns:
    width = max(len(header), len(tags or ()))
    by_header = {}
    by_fold = {}
    by_tag = {}
    for key, target in (mapping or {}).items():
        parsed = parse_hashtag(key)
        if parsed:
            by_tag[parsed] = target
        else:
            by_header[key.strip()] = target
            by_fold[fold(key)] = target
    found: list[tuple[int, str, str]] = []
    ignored: list[str] = []
    labels: dict[str, str] = {}
    for i in range(width):
        text = show(header[i]).strip() if i < len(header) else ""
        tag = show(tags[i]).strip() if tags and i < len(tags) else ""
        label = text or tag or f"column {i + 1}"
        target = by_header.get(text) if text else None
        if target is None and text:
            target = by_fold.get(fold(text))
        parsed = parse_hashtag(tag) if tag else None
        if target is None and parsed:
            target = by_tag.get(parsed)
        if target is None and parsed:
            target = hxl_field(tag)
        if target is None and text:
            target = _HEADER_FIELD.get(fold(text))
        if not target:
            if text or tag:
                ignored.append(label)
            continue
        if target in labels:
            out.add(header_row, label, label, f"{labels[target]!r} and {label!r} are both read as {target}; "
                                              f"map one of them to another field or to ignore")
            continue
        labels[target] = label
        found.append((i, target, label))
    return _Columns(found, ignored, labels)


def _require_columns(cols: _Columns, header_row: int, mapping: dict[str, str] | None, headers: list[str],
                     out: Collector) -> None:
    shown = ", ".join(repr(h) for h in headers[:30]) + (", …" if len(headers) > 30 else "")

    def missing(fld: str, what: str) -> None:
        named = [k for k, v in (mapping or {}).items() if v == fld]
        hint = f" (the mapping names {', '.join(map(repr, named))}, which the file does not have)" if named else ""
        out.add(header_row, fld, "", f"no column for {what}{hint}; the columns are {shown}", "missing")

    if "household" not in cols.labels:
        missing("household", "the household key (e.g. 'household' or 'household_id')")
    if "gathering_point" not in cols.labels:
        missing("gathering_point", "gathering_point")
    if "name_ar" not in cols.labels and "name_latin" not in cols.labels and "name" not in cols.labels:
        missing("name_latin", "a name (name_ar, name_latin or both)")
