"""The form's fields, what a read gives, and a submission as found in a file before it is read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ...domain.registry import PERSON_INPUT_FIELDS
from ..tabular import RowProblem, show

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
