"""Reading one cell as the value of its field: text, whole numbers, dates, tokens, enums and lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from ...domain.errors import BadInput
from ...domain.text import has_arabic, has_latin
from ...domain.tokens import normalise_token
from ...domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability
from .results import ANY_DESTINATION, BadValue
from .spellings import _ENUM_FIELD, _LIST_SPLIT, _VALUE_TABLES, fold

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


def route_name(person: dict[str, Any]) -> None:
    """Move a ``name`` of either script to ``name_ar`` (Arabic letters only) or ``name_latin``,
    unless that field is given by its own column."""
    name = person.pop("name", None)
    if name:
        target = "name_ar" if has_arabic(name) and not has_latin(name) else "name_latin"
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
