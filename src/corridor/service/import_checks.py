"""The registry's rules applied to a list as it is read, so that one pass names every bad row in the
file's own terms: its row numbers, its column headers and the value written there."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from ..domain import registry as rules
from ..domain.errors import CorridorError
from ..domain.operation import require_kind
from ..domain.values import SiteKind
from ..store import queries as q

_WHERE = re.compile(r"^(?:persons\[(\d+)\]|person_tokens\[(\d+)\])\.?")
_COLUMN_OF = {"token": "household_token", "person_tokens": "person_token"}
_STAND_INS = {"name_ar": ("name",), "name_latin": ("name",), "birth_year": ("age", "birth_date")}
_SITES = (("gathering_point", (SiteKind.GATHERING_POINT,)), ("destination", (SiteKind.RECEPTION_CENTRE,)))


def column(labels: dict[str, str], fld: str) -> str:
    """The file's header of the column a corridor field was read from."""
    fld = _COLUMN_OF.get(fld, fld)
    for name in (fld, *_STAND_INS.get(fld, ())):
        if name in labels:
            return labels[name]
    return fld


def located(fld: str, detail: str, household: dict[str, Any], rows: list[int], labels: dict[str, str]) -> dict:
    """A refusal of the registry (its field as ``persons[2].birth_year``) as a problem of the file."""
    m = _WHERE.match(fld)
    if m is None:
        name = fld.split(".")[0].split("[")[0]
        value = household.get(name)
        return {"row": rows[0] if rows else 0, "column": column(labels, name), "value": rules.shown(value),
                "reason": detail, "kind": "invalid", "source": ""}
    index = int(m.group(1) or m.group(2))
    row = rows[index] if index < len(rows) else (rows[0] if rows else 0)
    if m.group(2) is not None:
        tokens = household.get("person_tokens") or []
        value = tokens[index] if index < len(tokens) else ""
        return {"row": row, "column": column(labels, "person_tokens"), "value": value, "reason": detail,
                "kind": "invalid", "source": ""}
    name = fld[m.end():] or "persons"
    persons = household.get("persons") or []
    value = persons[index].get(name) if index < len(persons) and isinstance(persons[index], dict) else None
    reason = detail.removeprefix(f"persons[{index}]: ")
    return {"row": row, "column": column(labels, name), "value": rules.shown(value), "reason": reason,
            "kind": "invalid", "source": ""}


def _person_problems(person: dict[str, Any], today: date) -> list[tuple[str, str]]:
    """Every field of a person the registry refuses, as (field, reason): a refused field is set back to its
    default and the person checked again, so one row names all its problems."""
    found: list[tuple[str, str]] = []
    attempt = rules.PersonInput(**person)
    for _ in range(len(rules.PERSON_INPUT_FIELDS)):
        try:
            rules.check_person(attempt, "", today, "p")
            return found
        except CorridorError as err:
            defaults = rules.person_defaults()  # only for a refused person: most pass at once
            fld = (err.field or "p").removeprefix("p").removeprefix(".") or "name_latin"
            if any(f == fld or f in ("name_ar", "name_latin") and fld in ("name_ar", "name_latin") for f, _ in found):
                return found  # a name set back to empty: no name left, already said
            found.append((fld, err.detail.removeprefix("p: ")))
            if fld not in defaults or (fld in ("name_ar", "name_latin") and not getattr(attempt, fld)):
                return found
            attempt = replace(attempt, **{fld: defaults[fld]})
            if fld == "birth_year":
                attempt = replace(attempt, birth_date=None)
    return found


def check_households(uow, households: list, labels: dict[str, str], today: date) -> list[dict]:
    """The registry's refusals of a list's households (sites, names, years …), each where the file has it."""
    kinds: dict[str, SiteKind | None] = {}
    problems: list[dict] = []
    for h in households:
        house = h.household
        for fld, wanted in _SITES:
            code = house.get(fld)
            if not code:
                continue
            if code not in kinds:
                kinds[code] = q.site_kind(uow.conn, code)
            try:
                require_kind(kinds[code], wanted, str(code), fld)
            except CorridorError as err:
                problems.append(located(fld, err.detail, house, h.rows, labels))
        for i, person in enumerate(house["persons"]):
            for fld, reason in _person_problems(person, today):
                problems.append(located(f"persons[{i}].{fld}", reason, house, h.rows, labels))
    return problems
