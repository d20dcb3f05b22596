"""Assembling the rows of one household and checking what spans rows (shared with the Kobo reader)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ...domain.registry import MAX_HOUSEHOLD, person_defaults
from .results import RowProblem
from .values import show

PERSON_DEFAULTS: dict[str, Any] = person_defaults()
"""A person dict as ``register_households`` takes it, before the row's values are set."""


class Collector:
    """Problems of one read, and the tokens seen so far (duplicates are problems)."""

    def __init__(self, source: str = ""):
        self.problems: list[RowProblem] = []
        self.person_tokens: dict[str, tuple[int, str]] = {}
        self.household_tokens: dict[str, tuple[str, int]] = {}
        self.source = source

    def add(self, row: int, column: str, value: object, reason: str, kind: str = "invalid",
            source: str | None = None) -> None:
        self.problems.append(RowProblem(row, column, show(value), reason, kind,
                                        self.source if source is None else source))


class HouseholdAssembler:
    """Collects the rows of one household and checks what spans rows."""

    __slots__ = ("key", "rows", "persons", "tokens", "values", "value_rows", "head_row", "problems", "where")

    def __init__(self, key: str, where: str = "household"):
        self.key = key
        self.rows: list[int] = []
        self.persons: list[dict[str, Any]] = []
        self.tokens: list[str | None] = []
        self.values: dict[str, Any] = {}
        self.value_rows: dict[str, int] = {}
        self.head_row = 0
        self.problems = 0
        self.where = where  # how problems name it: "household 'K'" or "submission uuid:…"

    def set(self, out: Collector, fld: str, value: Any, row: int, column: str, source: str | None = None) -> None:
        """A household-level value given on a row: the rows must agree."""
        if value is None or value == "":
            return
        old = self.values.get(fld)
        if old is None:
            self.values[fld] = value
            self.value_rows[fld] = row
            if fld == "household_token":
                seen = out.household_tokens.get(value)
                if seen is not None and seen[0] != self.key:
                    out.add(row, column, value, f"household token {value} is also given to household {seen[0]!r} "
                                                f"on row {seen[1]}", "duplicate", source)
                    self.problems += 1
                else:
                    out.household_tokens[value] = (self.key, row)
        elif old != value:
            out.add(row, column, value, f"{self.where}: {fld} {value!r} disagrees with {old!r} on row "
                                        f"{self.value_rows[fld]}", "conflict", source)
            self.problems += 1

    def add_person(self, out: Collector, person: dict[str, Any], token: str | None, row: int,
                   columns: Mapping[str, str], source: str | None = None) -> None:
        """A person of the household (``columns``: field → header, for problems)."""
        if not person["name_ar"] and not person["name_latin"]:
            column = columns.get("name_latin") or columns.get("name_ar") or columns.get("name") or "name_latin"
            out.add(row, column, "", "neither name_ar nor name_latin is given", "missing", source)
            self.problems += 1
        if person["relationship"] == "head":
            if self.head_row:
                out.add(row, columns.get("relationship", "relationship"), person["relationship"],
                        f"{self.where} already has a head on row {self.head_row}",
                        source=source)
                self.problems += 1
            else:
                self.head_row = row
        if token is not None:
            seen = out.person_tokens.get(token)
            if seen is not None:
                out.add(row, columns.get("person_token", "person_token"), token,
                        f"person token {token} is also given on row {seen[0]}"
                        + (f" of {seen[1]}" if seen[1] != (source or out.source) else ""), "duplicate", source)
                self.problems += 1
                token = None
            else:
                out.person_tokens[token] = (row, source or out.source)
        if len(self.persons) == MAX_HOUSEHOLD:
            out.add(row, columns.get("household", "household"), self.key,
                    f"{self.where} has more than {MAX_HOUSEHOLD} persons", source=source)
            self.problems += 1
        self.rows.append(row)
        self.persons.append(person)
        self.tokens.append(token)

    def finish(self, out: Collector, columns: Mapping[str, str], need_gathering_point: bool = True,
               source: str | None = None, row: int = 0) -> tuple[dict[str, Any], list[int], str]:
        """(household dict, rows aligned with its persons, fingerprint); ``row``: where it starts."""
        if need_gathering_point and not self.values.get("gathering_point"):
            out.add(row or (self.rows[0] if self.rows else 0),
                    columns.get("gathering_point", "gathering_point"), "",
                    f"{self.where} has no gathering_point", "missing", source)
            self.problems += 1
        order = sorted(range(len(self.persons)), key=lambda i: self.tokens[i] is None)
        persons = [self.persons[i] for i in order]
        household: dict[str, Any] = {"gathering_point": self.values.get("gathering_point"),
                                     "destination": self.values.get("destination"), "persons": persons}
        if self.values.get("household_token"):
            household["token"] = self.values["household_token"]
        tokens = [t for t in (self.tokens[i] for i in order) if t is not None]
        if tokens:
            household["person_tokens"] = tokens
        return household, [self.rows[i] for i in order], household_fingerprint(household)


_PERSON_KEYS = ("name_ar", "name_latin", "sex", "birth_year", "birth_date", "relationship", "mobility", "precedence")


def household_fingerprint(household: Mapping[str, Any]) -> str:
    """sha256 of a household's normalised content (persons in any order, tokens included).

    The same list read twice gives the same fingerprint; so does a list whose rows were
    sorted differently."""
    tokens = household.get("person_tokens") or []
    lines = []
    for i, p in enumerate(household.get("persons") or []):
        if not isinstance(p, Mapping):
            p = {k: getattr(p, k, None) for k in (*_PERSON_KEYS, "vulnerabilities", "links")}
        year, born = p.get("birth_year"), p.get("birth_date")
        lines.append(f"{tokens[i] if i < len(tokens) else ''}\x1f{p.get('name_ar') or ''}\x1f"
                     f"{p.get('name_latin') or ''}\x1f{p.get('sex') or ''}\x1f{'' if year is None else year}\x1f"
                     f"{'' if born is None else born}\x1f{p.get('relationship') or ''}\x1f"
                     f"{p.get('mobility') or ''}\x1f{p.get('precedence') or ''}\x1f"
                     f"{','.join(sorted(p.get('vulnerabilities') or ()))}"
                     + (f"\x1f{' '.join(sorted(p.get('links') or ()))}" if p.get("links") else ""))
    lines.sort()
    head = (f"corridor-household-v1\x1f{household.get('gathering_point') or ''}\x1f"
            f"{household.get('destination') or ''}\x1f{household.get('token') or ''}")
    return hashlib.sha256("\x1e".join([head, *lines]).encode("utf-8")).hexdigest()
