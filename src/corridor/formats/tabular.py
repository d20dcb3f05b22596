"""Reading registration lists for bulk import: CSV and spreadsheets, one row per person.

A list has one row per PERSON; the rows of one household share a household key
(a column such as ``household`` or ``household_id``). Household columns:
``gathering_point``, ``destination`` and, optionally, a pre-printed
``household_token``; person columns: the fields of
:class:`corridor.domain.registry.PersonInput` (``name_ar``, ``name_latin``,
``sex``, ``birth_year``, ``birth_date``, ``relationship``, ``mobility``,
``precedence``, ``vulnerabilities``), ``age`` (turned into ``birth_year``) and,
optionally, a pre-printed ``person_token``.

Columns are found by their header (common spellings in English and Arabic), by a
``mapping`` from the file's headers to corridor's fields, or by an HXL hashtag row
(the second row, under the human headers; see :data:`HXL_FIELDS`).

The reader checks structure and the type of each field, and collects EVERY
problem with its row (as a spreadsheet numbers it), column header, value and
reason. Whether a site exists, and the rest of the registry's rules, are the
service's to decide. Each household gets a deterministic
:attr:`ImportedHousehold.fingerprint` so that importing the same file twice adds
nothing: the service keys a household by ``import:<household key>`` and compares
content.

Spreadsheets (.xlsx, .xlsm, .xlsb, .xls, .ods) are read with python-calamine:
openpyxl's read-only mode took 13 s for 100,000 rows on a slow machine,
calamine takes 0.6 s.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from ..domain.errors import BadInput
from ..domain.registry import MAX_HOUSEHOLD, PERSON_INPUT_FIELDS, person_defaults
from ..domain.tokens import normalise_token
from ..domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability

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


# ---------------------------------------------------------------------------------------------
# results


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


# ---------------------------------------------------------------------------------------------
# spellings

_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None,
                          **{chr(c): None for c in range(0x064B, 0x0653)}})
_SEPARATORS = re.compile(r"[\s\-_/.]+")


def fold(text: str) -> str:
    """Compare-form of a header or a value: case, spacing, hyphens, Arabic hamza/taa marbuta/diacritics."""
    return _SEPARATORS.sub("_", unicodedata.normalize("NFKC", text).strip().casefold().translate(_AR_FOLD)).strip("_")


HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "household": ("household", "household_id", "household_key", "household_code", "household_no", "household_number",
                  "hh", "hh_id", "hh_no", "family", "family_id", "family_no", "family_number", "رقم الأسرة",
                  "رقم العائلة", "الأسرة", "العائلة"),
    "household_token": ("household_token", "hh_token", "family_token", "household_card", "رمز الأسرة"),
    "gathering_point": ("gathering_point", "gathering_point_code", "gp", "site", "site_code", "origin", "نقطة التجمع"),
    "destination": ("destination", "destination_code", "reception_centre", "reception_center", "dest", "الوجهة"),
    "name": ("name", "full_name", "names", "اسم", "الاسم", "الاسم الكامل"),
    "name_ar": ("name_ar", "name_arabic", "arabic_name", "name (arabic)", "full name (arabic)", "الاسم بالعربية",
                "الاسم بالعربي"),
    "name_latin": ("name_latin", "name_en", "name_english", "latin_name", "english_name", "name (latin)",
                   "name (english)", "full name (latin)", "full name (english)", "الاسم باللاتينية",
                   "الاسم بالانجليزية"),
    "sex": ("sex", "gender", "الجنس"),
    "birth_year": ("birth_year", "year_of_birth", "yob", "سنة الميلاد", "مواليد"),
    "birth_date": ("birth_date", "date_of_birth", "dob", "تاريخ الميلاد"),
    "age": ("age", "age_years", "العمر"),
    "relationship": ("relationship", "relation", "relationship_to_head", "relation_to_head", "صلة القرابة",
                     "القرابة"),
    "mobility": ("mobility", "الحركة", "القدرة على الحركة"),
    "precedence": ("precedence", "medevac", "medevac_precedence", "الأولوية الطبية", "الإخلاء الطبي"),
    "vulnerabilities": ("vulnerabilities", "vulnerability", "specific_needs", "الهشاشة", "الاحتياجات الخاصة"),
    "person_token": ("person_token", "individual_token", "رمز الشخص"),
    "links": ("links", "family_links", "linked_persons", "linked_tokens", "روابط عائلية"),
}
_HEADER_FIELD = {fold(alias): f for f, aliases in HEADER_ALIASES.items() for alias in aliases}

# accepted spellings of each value, besides the value itself (compared after `fold`)
VALUE_ALIASES: dict[type[Enum], dict[str, tuple[str, ...]]] = {
    Sex: {
        "male": ("m", "man", "men", "boy", "masculine", "ذكر", "ذ", "رجل", "صبي"),
        "female": ("f", "w", "woman", "women", "girl", "feminine", "أنثى", "انثى", "ا", "امرأة", "امراة", "بنت",
                   "فتاة"),
        "unknown": ("u", "unk", "not known", "?", "غير معروف"),
    },
    Relationship: {
        "head": ("head of household", "household head", "hoh", "hhh", "self", "ربّ الأسرة", "رب الأسرة",
                 "ربة الأسرة", "رب العائلة", "معيل"),
        "spouse": ("wife", "husband", "partner", "زوج", "زوجة", "زوج أو زوجة"),
        "child": ("son", "daughter", "son or daughter", "ابن", "ابنة", "ولد", "ابن أو ابنة"),
        "parent": ("father", "mother", "father or mother", "أب", "أم", "والد", "والدة", "أب أو أم"),
        "sibling": ("brother", "sister", "brother or sister", "أخ", "أخت", "أخ أو أخت"),
        "grandchild": ("grandson", "granddaughter", "حفيد", "حفيدة", "حفيد أو حفيدة"),
        "grandparent": ("grandfather", "grandmother", "جد", "جدة", "جدّ أو جدّة"),
        "other_relative": ("relative", "other relative", "in law", "niece", "nephew", "cousin", "uncle", "aunt",
                           "قريب", "قريبة", "قريب آخر"),
        "not_related": ("unrelated", "not related", "non relative", "no relation", "بلا قرابة", "غير قريب"),
    },
    Mobility: {
        "walks": ("walk", "walking", "ambulant", "ambulatory", "mobile", "walks without help", "يمشي",
                  "يمشي دون مساعدة"),
        "needs_help": ("needs help", "help", "assisted", "assistance", "wheelchair", "crutches", "carried",
                       "يحتاج مساعدة", "كرسي متحرك"),
        "stretcher": ("litter", "bedridden", "stretcher case", "نقالة", "نقّالة", "حمالة"),
    },
    Precedence: {
        "urgent": ("medevac urgent", "عاجل"),
        "priority": ("medevac priority", "أولوية", "ذو أولوية"),
        "routine": ("medevac routine", "روتيني"),
        "none": ("no", "n/a", "na", "not needed", "لا", "لا يوجد", "لا يحتاج"),
    },
    Vulnerability: {
        "unaccompanied_child": ("uac", "unaccompanied", "unaccompanied child", "unaccompanied minor",
                                "طفل غير مصحوب"),
        "separated_child": ("sc", "separated", "separated child", "طفل منفصل", "طفل منفصل عن ذويه"),
        "older_person": ("older", "elderly", "older person", "old", "مسن", "مسنّ", "شخص مسنّ", "كبير السن"),
        "disability": ("disabled", "pwd", "disabilities", "person with disability", "handicap", "إعاقة", "معاق"),
        "pregnancy": ("pregnant", "حامل", "حمل"),
    },
}
_ENUM_FIELD = {Sex: "sex", Relationship: "relationship", Mobility: "mobility", Precedence: "precedence",
               Vulnerability: "vulnerabilities"}


def _value_table(kind: type[Enum]) -> dict[str, str]:
    table: dict[str, str] = {}
    for member in kind:  # type: ignore[attr-defined]
        table[member.value] = member.value
        table[fold(member.value)] = member.value
        for alias in VALUE_ALIASES[kind].get(member.value, ()):
            table[fold(alias)] = member.value
    return table


_VALUE_TABLES = {kind: _value_table(kind) for kind in VALUE_ALIASES}
_LIST_SPLIT = re.compile(r"[,;،؛|]+")


# ---------------------------------------------------------------------------------------------
# HXL

HXL_FIELDS: tuple[tuple[str, str], ...] = (
    # tokens first: a tie between equally specific hashtags goes to the earlier line
    ("#household+token", "household_token"),
    ("#meta+id+household", "household_token"),  # corridor's registration form
    ("#respondee+token", "person_token"),
    ("#respondee+id", "person_token"),  # corridor's registration form
    ("#household+id", "household"),
    ("#household+code", "household"),
    ("#household", "household"),
    ("#respondee+name+i_ar", "name_ar"),
    ("#respondee+name+ar", "name_ar"),
    ("#respondee+name+i_en", "name_latin"),
    ("#respondee+name+en", "name_latin"),
    ("#respondee+name", "name"),  # either script: routed by the letters used
    ("#respondee+sex", "sex"),
    ("#respondee+gender", "sex"),
    ("#sex", "sex"),
    ("#date+birth+year", "birth_year"),
    ("#date+birth", "birth_date"),
    ("#respondee+age", "age"),
    ("#age", "age"),
    # destinations before gathering points: #adm4+code+dest is a destination
    ("#loc+dest", "destination"),
    ("#loc+destination", "destination"),
    ("#adm4+dest", "destination"),
    ("#loc+origin", "gathering_point"),
    ("#adm4+name", "gathering_point"),
    ("#adm4+code", "gathering_point"),
    ("#respondee+relationship", "relationship"),
    ("#respondee+relation", "relationship"),
    ("#indicator+mobility", "mobility"),
    ("#respondee+mobility", "mobility"),
    ("#indicator+precedence", "precedence"),
    ("#respondee+precedence", "precedence"),
    ("#severity", "precedence"),
    ("#respondee+vulnerability", "vulnerabilities"),
    ("#respondee+vulnerabilities", "vulnerabilities"),
    ("#indicator+vulnerability", "vulnerabilities"),
)
"""HXL hashtag (+ attributes) → corridor field. A cell's hashtag matches a line when the
tags are equal and the line's attributes are among the cell's (order and case ignored);
the line with the most attributes wins, then the earlier line."""

_HASHTAG = re.compile(r"^\s*#([A-Za-z][A-Za-z0-9_]*)((?:\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*)\s*$")


def parse_hashtag(text: object) -> tuple[str, frozenset[str]] | None:
    """``'#Respondee +name +i_AR'`` → ``('respondee', {'name', 'i_ar'})``; None when not a hashtag."""
    if not isinstance(text, str):
        return None
    m = _HASHTAG.match(text)
    if not m:
        return None
    attrs = frozenset(a.strip().lower() for a in m.group(2).split("+") if a.strip())
    return m.group(1).lower(), attrs


_HXL_TABLE = [(*parse_hashtag(spec), fld, i) for i, (spec, fld) in enumerate(HXL_FIELDS)]  # type: ignore[misc]


def hxl_field(hashtag: str) -> str | None:
    """The corridor field an HXL hashtag (with attributes) stands for, or None."""
    parsed = parse_hashtag(hashtag)
    if parsed is None:
        return None
    tag, attrs = parsed
    best = None
    for line_tag, line_attrs, fld, order in _HXL_TABLE:
        if line_tag == tag and line_attrs <= attrs:
            rank = (len(line_attrs), -order)
            if best is None or rank > best[0]:
                best = (rank, fld)
    return best[1] if best else None


def _is_hashtag_row(cells: list[Any]) -> bool:
    filled = [c for c in cells if c is not None and str(c).strip()]
    tags = sum(1 for c in filled if parse_hashtag(c))
    return tags > 0 and tags * 2 >= len(filled)


# ---------------------------------------------------------------------------------------------
# reading one value


def show(raw: object) -> str:
    """A cell as the person sees it."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()
    if isinstance(raw, (list, tuple)):
        return " ".join(show(r) for r in raw)
    return str(raw)


def _text(raw: object) -> str:
    text = raw if type(raw) is str else show(raw)
    return " ".join(unicodedata.normalize("NFC", text).split())


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def route_name(person: dict[str, Any]) -> None:
    """Move a ``name`` of either script to ``name_ar`` (Arabic letters only) or ``name_latin``,
    unless that field is given by its own column."""
    name = person.pop("name", None)
    if name:
        target = "name_ar" if _ARABIC.search(name) and not _LATIN.search(name) else "name_latin"
        if not person[target]:
            person[target] = name


def _whole(raw: object, what: str) -> int:
    if type(raw) is str:
        text = raw.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            raise BadValue(f"{what} must be a whole number such as 1980") from None
    elif type(raw) is int:
        return raw
    elif type(raw) is float:
        number = raw
    else:
        raise BadValue(f"{what} must be a whole number such as 1980")
    if not number.is_integer():
        raise BadValue(f"{what} must be a whole number such as 1980")
    return int(number)


_SLASHED = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\s*$")


def _date(raw: object, date_order: str | None) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if not isinstance(raw, str):
        raise BadValue("not a date such as 1980-03-01")
    text = raw.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:  # 1980-03-01T00:00:00, 1980-03-01 00:00:00.000+02:00
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    m = _SLASHED.match(text)
    if m and date_order in ("dmy", "mdy") and len(m.group(3)) == 4:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d, mo = (a, b) if date_order == "dmy" else (b, a)
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            raise BadValue("not a real date") from None
    if m and len(m.group(1)) == 4:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            raise BadValue("not a real date") from None
    hint = "" if date_order else " (for day/month/year give date_order='dmy')"
    raise BadValue(f"not a date such as 1980-03-01{hint}")


def _token(raw: object, kind: str) -> str:
    what = "household" if kind == "H" else "person"
    try:
        token = normalise_token(show(raw), "token")
    except BadInput as err:
        raise BadValue(err.detail.removeprefix("token: ")) from None
    if token[0] != kind:
        raise BadValue(f"{token} is not a {what} token (it starts with {kind})")
    return token


def _links(raw: object) -> list[str]:
    """Tokens of family registered in other households, separated by spaces, commas or semicolons."""
    text = " ".join(show(r) for r in raw) if isinstance(raw, (list, tuple)) else show(raw)
    return [_token(part, "P") for part in _LIST_SPLIT.sub(" ", text).split()]


class Converters:
    """Per-read converters from a raw cell to a field's value (raising `BadValue`), with caches."""

    def __init__(self, reference_year: int | None = None, date_order: str | None = None):
        if date_order not in (None, "ymd", "dmy", "mdy"):
            raise BadInput("date_order: expected 'ymd', 'dmy' or 'mdy'", field="date_order")
        self.reference_year = reference_year if reference_year is not None else date.today().year
        self.date_order = date_order
        self._texts: dict[object, str] = {}  # keys and site codes repeat from row to row
        self.by_field: dict[str, Callable[[object], Any]] = {
            "household": self.key,
            "household_token": lambda raw: _token(raw, "H"),
            "gathering_point": self.code,
            "destination": self.destination,
            "name_ar": _text,
            "name_latin": _text,
            "name": _text,
            "sex": self._enum(Sex),
            "birth_year": lambda raw: _whole(raw, "a birth year"),
            "birth_date": lambda raw: _date(raw, self.date_order),
            "age": self.age,
            "relationship": self._enum(Relationship),
            "mobility": self._enum(Mobility),
            "precedence": self._enum(Precedence),
            "vulnerabilities": self._vulnerabilities(),
            "person_token": lambda raw: _token(raw, "P"),
            "links": _links,
        }

    def key(self, raw: object) -> str:
        try:
            return self._texts[raw]
        except (KeyError, TypeError):
            text = self._texts[raw] = _text(raw)
            return text

    code = key

    def destination(self, raw: object) -> str | None:
        text = self.key(raw)
        return None if text.casefold() == ANY_DESTINATION else text

    def age(self, raw: object) -> int:
        try:
            years = int(float(raw)) if not isinstance(raw, str) else int(float(raw.strip()))
        except (TypeError, ValueError):
            raise BadValue("an age must be a number of years") from None
        if not 0 <= years <= 130:
            raise BadValue("an age must be between 0 and 130 years")
        return self.reference_year - years

    @staticmethod
    def _enum(kind: type[Enum]) -> Callable[[object], str]:
        table = _VALUE_TABLES[kind]
        cache: dict[object, str] = {}
        allowed = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
        name = _ENUM_FIELD[kind]

        def conv(raw: object) -> str:
            try:
                return cache[raw]
            except (KeyError, TypeError):
                pass
            value = table.get(fold(_text(raw)))
            if value is None:
                raise BadValue(f"not a known {name} value; use one of {allowed}")
            if isinstance(raw, str):
                cache[raw] = value
            return value

        return conv

    @staticmethod
    def _vulnerabilities() -> Callable[[object], list[str]]:
        table = _VALUE_TABLES[Vulnerability]
        cache: dict[str, tuple[str, ...]] = {}
        allowed = ", ".join(m.value for m in Vulnerability)

        def conv(raw: object) -> list[str]:
            text = " ".join(show(r) for r in raw) if isinstance(raw, (list, tuple)) else _text(raw)
            hit = cache.get(text)
            if hit is not None:
                return list(hit)
            out: list[str] = []
            unknown: list[str] = []
            for part in _LIST_SPLIT.split(text):
                part = part.strip()
                if not part:
                    continue
                # a multi-word spelling such as "older person" first, then word by word
                words = [part] if fold(part) in table else part.split()
                for word in words:
                    value = table.get(fold(word))
                    if value is None:
                        unknown.append(word)
                    elif value not in out:
                        out.append(value)
            if unknown:
                raise BadValue(f"{', '.join(repr(u) for u in unknown)}: not a known vulnerability; use {allowed} "
                           f"(separated by spaces, commas or semicolons)")
            cache[text] = tuple(out)
            return out

        return conv


# ---------------------------------------------------------------------------------------------
# assembling households (shared with the Kobo reader)

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


# ---------------------------------------------------------------------------------------------
# reading files into rows


def _decode(data: bytes, name: str, encoding: str | None = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as err:
            raise BadInput(f"{name}: cannot be read as {encoding} ({err}); give another --encoding", field="file") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BadInput(f"{name}: line {line} is not UTF-8 text; save the list as 'CSV UTF-8', or give its "
                       f"encoding with --encoding (e.g. --encoding cp1256 for Arabic Windows)",
                       field="file") from None


def _sniff(text: str) -> str:
    sample = text[:65536].splitlines()[:50]
    if sample and len(sample) > 1 and len(text) > 65536:
        sample = sample[:-1]  # the last line may be cut
    best, best_score = ",", (-1.0, 0)
    for delim in (",", ";", "\t"):
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        score = (sum(1 for c in counts if c == counts[0]) / len(counts), counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def csv_rows(data: bytes, name: str, encoding: str | None = None) -> list[list[str]]:
    """The records of a CSV file (UTF-8 with or without BOM, or UTF-16; delimiter , ; or tab)."""
    text = _decode(data, name, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
    try:
        return list(reader)
    except csv.Error as err:
        raise BadInput(f"{name}: line {reader.line_num}: {err}", field="file") from None


def spreadsheet(path: str | Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises its own error types
        raise BadInput(f"{Path(path).name}: cannot be read as a spreadsheet ({err})", field="file") from None


def sheet_rows(workbook, sheet: str | None, name: str) -> tuple[Iterator[list[Any]], int]:
    """Rows of a sheet (leading empty rows included, so row numbers are the sheet's) and their number."""
    names = workbook.sheet_names
    if sheet is None:
        if not names:
            raise BadInput(f"{name}: the workbook has no sheet", field="sheet")
        ws = workbook.get_sheet_by_index(0)
    elif sheet in names:
        ws = workbook.get_sheet_by_name(sheet)
    else:
        raise BadInput(f"sheet: {name} has no sheet {sheet!r} (sheets: {', '.join(names)})", field="sheet")
    total = ws.end[0] + 1 if ws.end else 0
    return ws.iter_rows(), total


def is_spreadsheet(path: Path) -> bool:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return False
    with path.open("rb") as f:
        head = f.read(8)
    return head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a list is read: the reader makes hundreds of
    thousands of small containers and no cycles worth collecting, and the collector's passes
    over them took half the time (reference counting still frees everything)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _blank(cells: list[Any]) -> bool:
    for c in cells:
        if c is None or c == "":
            continue
        if type(c) is str and c.isspace():
            continue
        return False
    return True


# ---------------------------------------------------------------------------------------------
# columns


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


# ---------------------------------------------------------------------------------------------
# the reader


def read_table(path: str | Path, mapping: Mapping[str, str] | None = None, sheet: str | None = None, *,
               reference_year: int | None = None, date_order: str | None = None, encoding: str | None = None,
               progress: Progress | None = None) -> ImportBatch:
    """Read a list of persons (CSV or spreadsheet), grouped into households by the household key.

    ``mapping``: file header (or HXL hashtag) → corridor field, for headers corridor does
    not recognise (see :func:`load_mapping`); ``sheet``: the sheet of a workbook (the first
    by default); ``reference_year``: the year an ``age`` column is counted from (this year by
    default); ``date_order``: ``'dmy'`` or ``'mdy'`` to read dates such as 01/03/1980
    (ISO dates are always read); ``encoding``: of a CSV that is not UTF-8 or UTF-16 with a BOM
    (e.g. ``'cp1256'``); ``progress(rows_done, rows_total)`` is called every 2,000
    rows and at the end.

    Raises BadInput only when the file cannot be read at all; everything else is a
    RowProblem in the result."""
    path = Path(path)
    checked = _check_mapping(mapping) if mapping else None
    conv = Converters(reference_year, date_order)
    with no_gc():
        if is_spreadsheet(path):
            rows, total = sheet_rows(spreadsheet(path), sheet, path.name)
        else:
            records = csv_rows(path.read_bytes(), path.name, encoding)
            rows, total = iter(records), len(records)
        return _read_rows(rows, total, checked, conv, progress)


def _read_rows(rows: Iterator[list[Any]], total: int, mapping: dict[str, str] | None, conv: Converters,
               progress: Progress | None) -> ImportBatch:
    out = Collector()
    rownum = 0
    header: list[Any] | None = None
    for cells in rows:  # the header: the first row that is not blank
        rownum += 1
        if not _blank(cells):
            header = list(cells)
            break
    if header is None:
        out.add(1, "", "", "the file is empty: no header row", "missing")
        return ImportBatch([], out.problems)
    header_row = rownum
    tags = None
    pending: list[Any] | None = None
    if _is_hashtag_row(header):  # hashtags without a human header
        tags, header = header, []
    else:
        second = next(rows, None)
        if second is not None:
            if _is_hashtag_row(list(second)):
                tags = list(second)
                rownum += 1
            else:
                pending = second
    cols = _resolve_columns(header, tags, mapping, header_row, out)
    _require_columns(cols, header_row, mapping, [show(h) for h in header] or [show(t) for t in tags or ()], out)

    key_index = next((i for i, f, _ in cols.found if f == "household"), None)
    key_label = cols.labels.get("household", "household")
    house_cols = [(i, f, conv.by_field[f], label) for i, f, label in cols.found
                  if f in HOUSEHOLD_FIELDS and f != "household"]
    person_cols = [(i, f, conv.by_field[f], label) for i, f, label in cols.found if f in PERSON_FIELDS]
    has_token = "person_token" in cols.labels
    has_age = "age" in cols.labels
    has_name = "name" in cols.labels
    key_conv = conv.key
    houses: dict[str, HouseholdAssembler] = {}
    problems = out.problems
    data_rows = 0
    defaults = PERSON_DEFAULTS

    def each_row() -> Iterator[tuple[int, list[Any]]]:
        n = rownum
        if pending is not None:
            n += 1
            yield n, pending
        for cells in rows:
            n += 1
            yield n, cells

    for row, cells in each_row():
        if progress is not None and row % 2000 == 0:
            progress(row, max(total, row))
        if _blank(cells):
            continue
        data_rows += 1
        width = len(cells)
        person = {**defaults, "vulnerabilities": [], "links": []}
        before = len(problems)
        for i, fld, fn, label in person_cols:
            if i >= width:
                continue
            raw = cells[i]
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            try:
                person[fld] = fn(raw)
            except BadValue as bad:
                problems.append(RowProblem(row, label, show(raw), str(bad)))
        token = person.pop("person_token", None) if has_token else None
        if has_age:
            born = person.pop("age", None)
            if born is not None and person["birth_year"] is None and person["birth_date"] is None:
                person["birth_year"] = born
        if has_name:
            route_name(person)
        key = ""
        if key_index is not None:
            raw = cells[key_index] if key_index < width else None
            key = key_conv(raw) if raw is not None else ""
            if not key:
                out.add(row, key_label, "", "the household key is empty: every row needs one", "missing")
        if key:
            house = houses.get(key)
            if house is None:
                house = houses[key] = HouseholdAssembler(key, f"household {key!r}")
        else:  # still checked, not kept
            house = HouseholdAssembler("", "this row")
        house.problems += len(problems) - before
        for i, fld, fn, label in house_cols:
            raw = cells[i] if i < width else None
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                continue
            try:
                value = fn(raw)
            except BadValue as bad:
                problems.append(RowProblem(row, label, show(raw), str(bad)))
                house.problems += 1
                continue
            house.set(out, fld, value, row, label)
        house.add_person(out, person, token, row, cols.labels)

    households = []
    need_gp = "gathering_point" in cols.labels
    for key, house in houses.items():
        household, rows_of, fingerprint = house.finish(out, cols.labels, need_gp)
        households.append(ImportedHousehold(key, household, rows_of, fingerprint, house.problems == 0))
    if progress is not None:
        progress(max(total, rownum), max(total, rownum))
    problems.sort(key=lambda p: p.row)
    return ImportBatch(households, problems, {label: f for _, f, label in cols.found}, cols.ignored,
                       tags is not None, data_rows)


def read_rows(rows: Iterable[Iterable[Any]], mapping: Mapping[str, str] | None = None, *,
              reference_year: int | None = None, date_order: str | None = None,
              progress: Progress | None = None) -> ImportBatch:
    """Like :func:`read_table`, from rows already in memory (the first row is the header)."""
    materialised = [list(r) for r in rows]
    checked = _check_mapping(mapping) if mapping else None
    conv = Converters(reference_year, date_order)
    with no_gc():
        return _read_rows(iter(materialised), len(materialised), checked, conv, progress)
