"""Registering households and persons at a gathering point."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Any, get_type_hints

from .errors import BadInput
from .events import HouseholdCorrected, HouseholdErased, HouseholdRegistered, PersonRecord
from .text import check_name, check_text, has_arabic, has_latin
from .tokens import normalise_token
from .values import Mobility, Precedence, Relationship, Sex, Vulnerability, check_birth, parse_enum

MAX_HOUSEHOLD = 200  # an orphanage or a care home registers as one group


def _field(default, description: str, allowed: type[Enum] | None = None, *, factory=None):
    """One person field: its default, its allowed values (an enum of values.py) and what it holds."""
    meta = {"description": description, "allowed": allowed}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class PersonInput:
    """One person as typed or imported, not yet checked.

    The one definition of a person's input fields: the API's request model, the importers'
    columns and the registration service derive theirs from these (see :func:`person_field_specs`)."""

    name_ar: str = _field("", "name in Arabic script")
    name_latin: str = _field("", "name in Latin letters (as on a passport)")
    sex: str = _field(Sex.UNKNOWN.value, "sex", Sex)
    birth_year: int | None = _field(None, "year of birth, e.g. 1980")
    birth_date: date | str | None = _field(None, "date of birth (ISO 8601, e.g. 1980-03-01), if known")
    relationship: str = _field(Relationship.UNKNOWN.value, "relationship to the head of household "
                               "(unknown: not stated); at most one head per household", Relationship)
    mobility: str = _field(Mobility.WALKS.value, "how the person can travel", Mobility)
    precedence: str = _field(Precedence.NONE.value, "MEDEVAC precedence (urgent: within 1 h, priority: 4 h, "
                             "routine: 24 h)", Precedence)
    vulnerabilities: list[str] = _field(None, "specific needs (any of the allowed values)", Vulnerability,
                                        factory=list)
    links: list[str] = _field(None, "tokens of family members registered in other households (P…)",
                              factory=list)
    medical_notes: str = _field("", "medical notes, for medics (condition, treatment, what to watch on the way)")


@dataclass(frozen=True)
class PersonFieldSpec:
    """What a person field is, for the layers that take persons (API, importers, service)."""

    name: str
    type: Any  # the annotation, resolved
    default: Any  # a fresh value (lists are new lists)
    allowed: tuple[str, ...]  # accepted values; empty: free
    description: str


def person_field_specs() -> tuple[PersonFieldSpec, ...]:
    """Every input field of a person, in order, as defined by :class:`PersonInput`."""
    hints = get_type_hints(PersonInput)
    specs = []
    for f in fields(PersonInput):
        default = f.default_factory() if f.default_factory is not MISSING else f.default
        allowed = tuple(m.value for m in f.metadata["allowed"]) if f.metadata.get("allowed") else ()
        specs.append(PersonFieldSpec(f.name, hints[f.name], default, allowed, f.metadata["description"]))
    return tuple(specs)


PERSON_INPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PersonInput))


_DEFAULTS = tuple((f.name, f.default_factory if f.default_factory is not MISSING else None, f.default)
                  for f in fields(PersonInput))


def person_defaults() -> dict[str, Any]:
    """A person dict with every field at its default (fresh lists); as `asdict(PersonInput())`, without its
    deep copies (it runs once per imported person)."""
    return {name: factory() if factory is not None else default for name, factory, default in _DEFAULTS}


def check_person(p: PersonInput, token: str, today: date, where: str) -> PersonRecord:
    """Refuse a person record with a message naming the field (prefixed by `where`)."""
    try:
        if not isinstance(p.links, (list, tuple)):
            raise BadInput("links: expected a list of person tokens", field="links")
        vulnerabilities = p.vulnerabilities if isinstance(p.vulnerabilities, (list, tuple)) else (p.vulnerabilities,)
        try:
            checked = _checked_fields(p.name_ar, p.name_latin, p.sex, p.birth_year, p.birth_date, p.relationship,
                                      p.mobility, p.precedence, tuple(vulnerabilities), p.medical_notes, today)
        except TypeError:  # a value that cannot be a key (a list where text belongs): check it uncached
            checked = _checked_fields.__wrapped__(p.name_ar, p.name_latin, p.sex, p.birth_year, p.birth_date,
                                                  p.relationship, p.mobility, p.precedence, tuple(vulnerabilities),
                                                  p.medical_notes, today)
        links = tuple(dict.fromkeys(normalise_token(t, "links") for t in p.links))
        if any(t[0] != "P" for t in links):
            raise BadInput("links: only person tokens (P…) can be linked", field="links")
        if token in links:
            raise BadInput("links: a person cannot be linked to themselves", field="links")
        return PersonRecord(token=token, links=links, **checked)
    except BadInput as err:  # as it was (a mistyped link token names nobody: MistypedToken), under the person
        field_name = f"{where}.{err.field}" if err.field else where
        raise type(err)(f"{where}: {err.detail}", field=field_name) from None


@lru_cache(maxsize=1 << 17, typed=True)  # typed: 1980.0 and True are not 1980 and 1
def _checked_fields(name_ar, name_latin, sex, birth_year, birth_date, relationship, mobility, precedence,
                    vulnerabilities: tuple, medical_notes, today: date) -> dict:
    """A person's fields checked (everything but the token and links); a list is checked once on import and
    again when it is recorded, so each set of values is read once."""
    name_ar = check_name(name_ar, "name_ar", required=False)
    name_latin = check_name(name_latin, "name_latin", required=False)
    if not name_ar and not name_latin:
        raise BadInput("name_ar: give the name in Arabic script, in Latin letters, or both", field="name_ar")
    if name_ar and not has_arabic(name_ar):
        raise BadInput(f"name_ar: {name_ar!r} has no Arabic letters (Latin spelling goes in name_latin)", field="name_ar")
    if name_latin and not has_latin(name_latin):
        raise BadInput(f"name_latin: {name_latin!r} has no Latin letters (Arabic script goes in name_ar)",
                       field="name_latin")
    born = birth_date
    if isinstance(born, str):
        try:
            born = date.fromisoformat(born) if born else None
        except ValueError:
            raise BadInput(f"birth_date: {born!r} is not a date such as 1980-03-01", field="birth_date") from None
    year = birth_year if birth_year is not None else (born.year if born else None)
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise BadInput(f"birth_year: expected a year such as 1980, got {year!r}", field="birth_year")
    check_birth(year, born, today)
    notes = check_text(medical_notes or "", "medical_notes", required=False, limit=1000)
    vulns = tuple(sorted({parse_enum(Vulnerability, v, "vulnerabilities") for v in vulnerabilities},
                         key=lambda v: v.value))
    return dict(name_ar=name_ar, name_latin=name_latin, sex=parse_enum(Sex, sex, "sex"), birth_year=year,
                birth_date=born, relationship=parse_enum(Relationship, relationship, "relationship"),
                mobility=parse_enum(Mobility, mobility, "mobility"),
                precedence=parse_enum(Precedence, precedence, "precedence"), vulnerabilities=vulns,
                medical_notes=notes)


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


# --- corrections of a household imported before ---------------------------------------------

CORRECTABLE = ("name_ar", "name_latin", "sex", "birth_year", "birth_date", "relationship", "mobility", "precedence",
               "vulnerabilities")
"""The person fields a corrected list may change (tokens and family links stay)."""


def shown(value: object) -> str:
    """A field's value as a list shows it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(shown(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _content(p: PersonRecord) -> tuple[str, ...]:
    return tuple(shown(getattr(p, f)) for f in CORRECTABLE)


def pair_persons(current: tuple[PersonRecord, ...] | list[PersonRecord],
                 wanted: list[PersonRecord]) -> list[tuple[int, PersonRecord, PersonRecord]]:
    """Pair each wanted person (by index) with a current one: the same token first (a pre-printed card),
    then the same content, then the rest in order. Persons left over on either side are not paired."""
    free = list(range(len(current)))
    pairs: dict[int, int] = {}
    for matches in (lambda c, w: c.token == w.token, lambda c, w: _content(c) == _content(w)):
        for i, w in enumerate(wanted):
            if i in pairs:
                continue
            j = next((j for j in free if matches(current[j], w)), None)
            if j is not None:
                pairs[i] = j
                free.remove(j)
    for i in range(len(wanted)):
        if i not in pairs and free:
            pairs[i] = free.pop(0)
    return [(i, current[pairs[i]], wanted[i]) for i in sorted(pairs)]


def household_differences(current_site: tuple[str, str | None], current: tuple[PersonRecord, ...],
                          wanted_site: tuple[str, str | None], wanted: list[PersonRecord]) -> list[dict]:
    """What a list says differently of a household: one item per field (``person`` is the token of the
    registered person, ``index`` the position of the list's person, ``was`` and ``now`` as shown)."""
    out = []
    for name, was, now in zip(("gathering_point", "destination"), current_site, wanted_site):
        if (was or "") != (now or ""):
            out.append({"person": None, "index": None, "field": name, "was": was or "", "now": now or ""})
    if len(current) != len(wanted):
        out.append({"person": None, "index": None, "field": "persons", "was": str(len(current)),
                    "now": str(len(wanted))})
    for i, old, new in pair_persons(current, wanted):
        for name, was, now in zip(CORRECTABLE, _content(old), _content(new)):
            if was != now:
                out.append({"person": old.token, "index": i, "field": name, "was": was, "now": now})
    return out


def correct_household(token: str, current: tuple[PersonRecord, ...], differences: list[dict],
                      wanted: list[PersonRecord]) -> HouseholdCorrected:
    """The correction of a registered household's persons from a list imported again.

    Only person fields are corrected: a different gathering point, destination or number of persons is
    refused (a registrar changes those at the desk)."""
    for d in differences:
        if d["person"] is None:
            raise BadInput(f"{d['field']}: the list says {d['now']!r}, the registration {d['was']!r}; only the "
                           "fields of its persons can be corrected from a list (change this at the desk)",
                           field=d["field"])
    changed = {old.token: replace(new, token=old.token, links=(), medical_notes=new.medical_notes or old.medical_notes)
               for _, old, new in pair_persons(current, wanted) if _content(old) != _content(new)}
    if not changed:
        raise BadInput("persons: nothing to correct", field="persons")
    after = [changed.get(p.token, p) for p in current]
    if sum(1 for p in after if p.relationship is Relationship.HEAD) > 1:
        raise BadInput("persons: a household has at most one head", field="persons")
    return HouseholdCorrected(token=token, persons=tuple(changed[p.token] for p in current if p.token in changed))


# --- erasure -------------------------------------------------------------------------------------

ERASURE_REASONS = ("request", "retention", "protection", "error")
"""Why a household's personal data is destroyed: the person asked, the retention period ran out, their
safety requires it, or it was registered in error."""


def erase_household(household: str, reason: object, note: object) -> HouseholdErased:
    """The erasure of a household; the note is short and must hold no personal data."""
    if reason not in ERASURE_REASONS:
        raise BadInput(f"reason: expected one of {', '.join(ERASURE_REASONS)}, got {reason!r}", field="reason")
    return HouseholdErased(household=household, reason=str(reason), note=check_text(note or "", "note",
                                                                                    required=False, limit=120))
