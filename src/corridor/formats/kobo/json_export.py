"""Submissions exported as JSON: KoboToolbox's export or API, a plain list, ODK Central's OData."""

from __future__ import annotations

import json
from typing import Any

from ...domain.errors import BadInput
from ..tabular import Collector, show
from .fields import ID_FIELDS, PERSON_FIELDS, REPEAT, SUBMISSION_FIELDS, _Raw, field_name

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
    return _object_raws(doc, out)


def _object_raws(doc: list, out: Collector) -> list[_Raw]:
    """Submissions as objects (groups nested, repeats as lists of objects), e.g. parsed from JSON or XML."""
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
