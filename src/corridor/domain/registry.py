"""Registering households and persons at a gathering point."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .errors import BadInput
from .events import HouseholdRegistered, PersonRecord
from .text import check_text, has_arabic, has_latin
from .tokens import normalise_token
from .values import Mobility, Precedence, Relationship, Sex, Vulnerability, check_birth, parse_enum

MAX_HOUSEHOLD = 200  # an orphanage or a care home registers as one group


@dataclass
class PersonInput:
    """One person as typed or imported, not yet checked."""

    name_ar: str = ""
    name_latin: str = ""
    sex: str = "unknown"
    birth_year: int | None = None
    birth_date: date | str | None = None
    relationship: str = "head"
    mobility: str = "walks"
    precedence: str = "none"
    vulnerabilities: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # tokens of family registered in other households


def check_person(p: PersonInput, token: str, today: date, where: str) -> PersonRecord:
    """Refuse a person record with a message naming the field (prefixed by `where`)."""
    try:
        name_ar = check_text(p.name_ar, "name_ar", required=False)
        name_latin = check_text(p.name_latin, "name_latin", required=False)
        if not name_ar and not name_latin:
            raise BadInput("name_ar: give the name in Arabic script, in Latin letters, or both", field="name_ar")
        if name_ar and not has_arabic(name_ar):
            raise BadInput(f"name_ar: {name_ar!r} has no Arabic letters (Latin spelling goes in name_latin)", field="name_ar")
        if name_latin and not has_latin(name_latin):
            raise BadInput(f"name_latin: {name_latin!r} has no Latin letters (Arabic script goes in name_ar)", field="name_latin")
        born = p.birth_date
        if isinstance(born, str):
            try:
                born = date.fromisoformat(born) if born else None
            except ValueError:
                raise BadInput(f"birth_date: {born!r} is not a date such as 1980-03-01", field="birth_date") from None
        year = p.birth_year if p.birth_year is not None else (born.year if born else None)
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise BadInput(f"birth_year: expected a year such as 1980, got {year!r}", field="birth_year")
        check_birth(year, born, today)
        if not isinstance(p.links, (list, tuple)):
            raise BadInput("links: expected a list of person tokens", field="links")
        links = tuple(dict.fromkeys(normalise_token(t, "links") for t in p.links))
        if any(t[0] != "P" for t in links):
            raise BadInput("links: only person tokens (P…) can be linked", field="links")
        if token in links:
            raise BadInput("links: a person cannot be linked to themselves", field="links")
        vulns = tuple(sorted({parse_enum(Vulnerability, v, "vulnerabilities") for v in p.vulnerabilities}, key=lambda v: v.value))
        return PersonRecord(
            token=token,
            name_ar=name_ar,
            name_latin=name_latin,
            sex=parse_enum(Sex, p.sex, "sex"),
            birth_year=year,
            birth_date=born,
            relationship=parse_enum(Relationship, p.relationship, "relationship"),
            mobility=parse_enum(Mobility, p.mobility, "mobility"),
            precedence=parse_enum(Precedence, p.precedence, "precedence"),
            vulnerabilities=vulns,
            links=links,
        )
    except BadInput as err:
        field_name = f"{where}.{err.field}" if err.field else where
        raise BadInput(f"{where}: {err.detail}", field=field_name) from None


def register_household(
    token: str,
    gathering_point: str,
    destination: str | None,
    persons: list[tuple[str, PersonInput]],
    today: date,
) -> HouseholdRegistered:
    """Check a household and its members; `persons` pairs each new token with its input."""
    if not persons:
        raise BadInput("persons: a household has at least one person", field="persons")
    if len(persons) > MAX_HOUSEHOLD:
        raise BadInput(f"persons: more than {MAX_HOUSEHOLD} persons in one household", field="persons")
    records = tuple(check_person(p, t, today, f"persons[{i}]") for i, (t, p) in enumerate(persons))
    heads = sum(1 for r in records if r.relationship is Relationship.HEAD)
    if heads > 1:
        raise BadInput("persons: a household has at most one head", field="persons")
    return HouseholdRegistered(
        token=token, gathering_point=gathering_point, destination=destination or None, persons=records
    )
