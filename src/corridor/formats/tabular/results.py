"""What a read gives: households, the problems found (row, column, value, reason), and the fields a
column can be read as."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...domain.registry import PERSON_INPUT_FIELDS

Progress = Callable[[int, int], None]

HOUSEHOLD_FIELDS = ("household", "household_token", "gathering_point", "destination")
PERSON_FIELDS = ("name", *PERSON_INPUT_FIELDS, "age", "person_token")
FIELDS = HOUSEHOLD_FIELDS + PERSON_FIELDS
"""Every corridor field a column can be read as: the person fields of
:class:`corridor.domain.registry.PersonInput`, and ``age`` (becomes ``birth_year``); ``name`` (a column
that may hold either script) goes to ``name_ar`` when it is written in Arabic letters only, to
``name_latin`` otherwise."""

IGNORE = ("", "-", "ignore")
"""Mapping values that mean: do not read this column."""

ANY_DESTINATION = "any"  # the registration form's "no preference"; read as no destination

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong in the file, where a person looking at it in a spreadsheet finds it.

    ``row`` is 1-based (the header is row 1); ``column`` is the file's header (or the
    corridor field when the column is missing); ``kind`` is ``invalid`` (a value or the
    layout is wrong), ``missing`` (a required column or value is absent), ``duplicate``
    (a token or key used twice) or ``conflict`` (one record given twice with different
    content); ``source`` names the file when a reader reads more than one."""

    row: int
    column: str
    value: str
    reason: str
    kind: str = "invalid"
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        shown = f" {self.value!r}" if self.value else ""
        return f"{where}row {self.row}, {self.column}{shown}: {self.reason}"


@dataclass(slots=True)
class ImportedHousehold:
    """One household of a list: ``household`` is what ``register_households`` takes.

    ``rows[i]`` is the file row of ``household["persons"][i]`` (persons with a
    pre-printed token come first, in file order, then the others: the service pairs
    ``person_tokens`` with the first persons). Unpacks as ``key, household``."""

    key: str
    household: dict[str, Any]
    rows: list[int]
    fingerprint: str
    ok: bool = True  # False when a problem was found in one of its rows

    @property
    def command_id(self) -> str:
        return f"import:{self.key}"

    def __iter__(self) -> Iterator[Any]:
        yield self.key
        yield self.household


@dataclass(slots=True)
class ImportBatch:
    households: list[ImportedHousehold]
    problems: list[RowProblem]
    columns: dict[str, str] = field(default_factory=dict)  # file header → corridor field, as understood
    ignored: list[str] = field(default_factory=list)  # headers of columns not read
    hxl: bool = False  # the file had an HXL hashtag row
    rows: int = 0  # data rows read (blank rows not counted)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def persons(self) -> int:
        return sum(len(h.rows) for h in self.households)


class BadValue(Exception):
    """A value that cannot be read (raised by the converters); the message is the reason."""
