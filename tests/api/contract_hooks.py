"""Schemathesis hooks for tests/api/test_contract.py: the rules between fields that JSON Schema cannot state.

Each operation whose document states such a rule in words (its description, api/*.py) has a function here that
keeps a generated *positive* case to that rule, as a client reading the description would: two different sites for
a leg, a window closing after it opens, a figure's range the right way round… Negative cases are left alone (they
are refused anyway), and nothing here turns a check off: the server still answers every case and every check runs
on the answer. That the server refuses each rule broken, 422 naming the field, is proved by plain tests beside
each route's own tests (tests/api/test_contract_rules.py).

Registered as one `map_case` hook (schemathesis 4 applies case hooks in every phase: coverage, fuzzing,
stateful), loaded by the `hooks` key of the run's schemathesis.toml."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import schemathesis

NOW = datetime.now(timezone.utc)
TODAY = NOW.date()
REQUIRED_CATEGORIES = ("civilian", "wounded_sick", "armed_group")  # always among an agreement's categories
MOST = 1_000_000  # the document's maximum of a link step's count


def _time(value) -> datetime | None:
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def _other_code(code: str, *avoid: str) -> str:
    """A code (api/schemas.Code) different from `avoid`."""
    return next(c for c in ("A", "B", "C") if c not in avoid)


# --- claims ---------------------------------------------------------------------------------------------------

def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def claim(body: dict) -> None:
    """A figure's low not above its high; its as_of not after the claim's reported_at."""
    reported = _time(body.get("reported_at"))
    for figure in body.get("figures") or []:
        if _number(figure.get("low")) and _number(figure.get("high")) and figure["low"] > figure["high"]:
            figure["low"], figure["high"] = figure["high"], figure["low"]
        as_of = _time(figure.get("as_of")) if "as_of" in figure else None
        if as_of is not None and reported is not None and as_of > reported:
            figure["as_of"] = body["reported_at"]


def correction(body: dict) -> None:
    if isinstance(body.get("claim"), dict):
        claim(body["claim"])


# --- setting up -------------------------------------------------------------------------------------------------

def leg(body: dict) -> None:
    """A leg joins two different sites."""
    if body.get("origin") == body.get("destination"):
        body["destination"] = _other_code(body["destination"], body["origin"])


def corridor_rules(body: dict) -> None:
    """Each window closes after it opens."""
    for window in body.get("windows") or []:
        opens, closes = _time(window.get("opens")), _time(window.get("closes"))
        if opens is not None and closes is not None and closes <= opens:
            window["opens"], window["closes"] = window["closes"], window["opens"]
            if opens == closes:
                window["closes"] = (opens + timedelta(hours=1)).isoformat()


# --- registering ------------------------------------------------------------------------------------------------

ARABIC = "\u0623\u0645\u0644"  # أمل
HEAD = "head"
MARKS = "\u200b\u200e\u200f\u061c\ufeff\u200c\u200d"  # dropped (direction marks) or kept (joiners)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# this operation's sites (tests/conftest.SMALL_SPEC): a generated code names none of them (404 before any rule)
GATHERING_POINTS, RECEPTION_CENTRES = ("GP-A", "GP-B"), ("RC-1", "RC-2")


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _has_latin(text: str) -> bool:
    return any(ch.isalpha() and ch.isascii() for ch in text)


def _readable(text: str, *, name: bool, limit: int) -> bool:
    """Letters, marks, digits, punctuation and spaces; for a name, no symbol and no invisible character."""
    for ch in text:
        category = unicodedata.category(ch)
        if ch in MARKS:
            continue
        if ch in BIDI or category == "Cc" or name and (category[0] == "C" or category in ("So", "Sk")):
            return False
    return len(" ".join(text.split())) <= limit


def _today(body: dict) -> date:
    """The registration's day: its `at`, or now (UTC)."""
    at = _time(body.get("at"))
    return at.astimezone(timezone.utc).date() if at is not None else TODAY


def _pick(options: tuple[str, ...], generated) -> str:
    return options[len(str(generated)) % len(options)]


def person(p: dict, heads: list[int], today: date) -> None:
    """A name in Arabic script or Latin letters (or both), each in its own script and readable; birth_year within
    120 years of the registration's day and birth_date not after it, in birth_year; medical notes readable."""
    for key, script, fallback in (("name_ar", _has_arabic, ARABIC), ("name_latin", _has_latin, "Amal")):
        value = p.get(key, "")
        if isinstance(value, str) and value.strip() and not (script(value) and _readable(value, name=True, limit=200)):
            p[key] = fallback
    if not p.get("name_ar", "").strip() and not p.get("name_latin", "").strip():
        p["name_ar"] = ARABIC
    notes = p.get("medical_notes")
    if isinstance(notes, str) and not _readable(notes, name=False, limit=1000):
        p["medical_notes"] = "needs insulin"
    year, born = p.get("birth_year"), p.get("birth_date")
    if isinstance(year, int) and not today.year - 120 <= year <= today.year:
        p["birth_year"] = year = today.year - 30
    if isinstance(born, str):
        try:
            day = date.fromisoformat(born)
        except ValueError:
            day = None
        if day is not None and (day > today or day.year < today.year - 120):
            day = date(today.year - 30, day.month, min(day.day, 28))
            p["birth_date"] = day.isoformat()
        if day is not None and isinstance(year, int) and year != day.year:
            p["birth_year"] = day.year
    if p.get("relationship") == HEAD:
        heads.append(1)
        if len(heads) > 1:
            p["relationship"] = "unknown"


def household(body: dict) -> None:
    """At a gathering point of this operation, bound for one of its reception centres (if said); at most one head;
    no more pre-printed person tokens than persons, none linked to themselves; each person's own rules."""
    body["gathering_point"] = _pick(GATHERING_POINTS, body.get("gathering_point"))
    if body.get("destination") is not None:
        body["destination"] = _pick(RECEPTION_CENTRES, body["destination"])
    heads: list[int] = []
    persons = body.get("persons") or []
    for p in persons:
        person(p, heads, _today(body))
    tokens = body.get("person_tokens")
    if isinstance(tokens, list):
        del tokens[len(persons):]
        for p, token in zip(persons, tokens):
            if token.upper() in {t.upper() for t in p.get("links") or []}:
                p["links"] = [t for t in p["links"] if t.upper() != token.upper()]


def households(body: dict) -> None:
    for h in body.get("households") or []:
        household(h)


# --- the agreement ----------------------------------------------------------------------------------------------

def agreement(body: dict) -> None:
    """Category codes listed once; default_category and each quota's category one of the agreement's categories
    (those listed, and civilian, wounded_sick, armed_group always); ends_at after starts_at; link steps going up."""
    terms = body.get("terms")
    if not isinstance(terms, dict):
        return
    listed = terms.get("categories")
    if isinstance(listed, list):
        seen, kept = set(), []
        for c in listed:
            if c.get("code") not in seen:
                seen.add(c.get("code"))
                kept.append(c)
        listed[:] = kept
        codes = [*seen, *REQUIRED_CATEGORIES]
    else:
        codes = list(REQUIRED_CATEGORIES)
    if "default_category" in terms and terms["default_category"] not in codes:
        terms["default_category"] = "civilian"
    for quota in terms.get("quotas") or []:
        if "category" in quota and quota["category"] not in codes:
            quota["category"] = "civilian"
    starts, ends = _time(terms.get("starts_at")), _time(terms.get("ends_at"))
    if starts is not None and ends is not None and ends <= starts:
        terms["ends_at"] = (starts + timedelta(days=1)).isoformat()
    link = terms.get("link")
    if isinstance(link, dict) and isinstance(link.get("steps"), list):
        steps = link["steps"]
        for i in range(1, len(steps)):
            there, here = steps[i - 1]["there"], steps[i - 1]["here"]
            if there >= MOST:  # no room for a step above it: the schedule ends there
                del steps[i:]
                break
            steps[i]["there"] = max(steps[i]["there"], there + 1)
            steps[i]["here"] = max(steps[i]["here"], here)


def _not_after_recording(body: dict, name: str) -> None:
    """`name` not after the time the request is recorded (`at`, or now)."""
    when, at = _time(body.get(name)), _time(body.get("at"))
    latest = at if at is not None else NOW
    if when is not None and when > latest:
        body[name] = body["at"] if at is not None else (NOW - timedelta(hours=1)).isoformat()


def linked(body: dict) -> None:
    """as_of not after the time the figure is recorded."""
    _not_after_recording(body, "as_of")


def linked_incident(body: dict) -> None:
    """occurred_at not after the time the incident is recorded."""
    _not_after_recording(body, "occurred_at")


# --- the road ---------------------------------------------------------------------------------------------------

def private_vehicle(body: dict) -> None:
    """Someone aboard, and no more people than seats: 1 <= len(occupants) + unregistered <= seats."""
    seats, occupants, unregistered = body.get("seats"), body.get("occupants", []), body.get("unregistered", 0)
    if not (_number(seats) and _number(unregistered) and isinstance(occupants, list)):
        return
    del occupants[int(seats):]
    unregistered = min(int(unregistered), int(seats) - len(occupants))
    body["unregistered"] = max(unregistered, 0 if occupants else 1)


def notification(query: dict) -> None:
    """Exactly one of convoy and date."""
    if query.get("convoy") is not None and query.get("date") is not None:
        del query["date"]
    elif query.get("convoy") is None and query.get("date") is None:
        query.pop("convoy", None)
        query["date"] = TODAY.isoformat()


def forecast(query: dict) -> None:
    """`at` only with add_vehicles; a what-if window opens and closes at different times of the day."""
    if query.get("at") is not None and query.get("add_vehicles") is None:
        del query["at"]
    window = query.get("window")
    if isinstance(window, str) and "-" in window:
        opens, closes = window.split("-")
        if opens == closes:
            query["window"] = f"{opens}-{'12:00' if opens != '12:00' else '13:00'}"


# --- importing a list -------------------------------------------------------------------------------------------

CSV_LIST = ("household,gathering_point,name_ar,name_latin,sex,birth_year,relationship\n"
            "1,GP-A,\u0623\u0645\u0644 \u062d\u0633\u0646,Amal Hassan,female,1980,head\n"
            "1,GP-A,\u0639\u0644\u064a \u062d\u0633\u0646,Ali Hassan,male,2010,child\n"
            "2,GP-B,,Omar Said,male,1955,head\n")


def import_list(case) -> None:
    """The body is the list's file, in the format the query names: a small valid list of this operation's
    gathering points (a file's content is no JSON Schema's to state; bad files: tests/service/test_importing.py and
    tests/formats). The file's own columns, sheets and encoding go with the file: the query's are left out."""
    query = case.query if isinstance(case.query, dict) else {}
    for name in ("mapping", "sheet", "encoding"):
        query.pop(name, None)
    case.query = query
    fmt = query.get("format")
    if fmt == "xlsx":
        case.body, case.media_type = _xlsx(CSV_LIST), XLSX
    elif fmt == "kobo-json":
        case.body, case.media_type = json.loads((DATA / "kobo_submissions.json").read_text("utf-8")), "application/json"
    elif fmt == "kobo-csv":
        case.body, case.media_type = (DATA / "kobo_flattened_long.csv").read_text("utf-8"), "text/csv"
    else:
        case.body, case.media_type = CSV_LIST, "text/csv"


DATA = Path(__file__).resolve().parents[1] / "formats" / "data"
XLSX = "application/octet-stream"


def _xlsx(text: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in text.splitlines():
        book.active.append(row.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BODY_RULES = {
    "POST /api/claims": claim,
    "POST /api/claims/{claim}/correct": correction,
    "POST /api/legs": leg,
    "POST /api/corridor-rules": corridor_rules,
    "POST /api/households": household,
    "POST /api/households/batch": households,
    "POST /api/agreement": agreement,
    "POST /api/agreement/linked": linked,
    "POST /api/agreement/linked-incidents": linked_incident,
    "POST /api/convoys/{convoy}/private-vehicles": private_vehicle,
    "POST /api/notifications": notification,
}
QUERY_RULES = {
    "GET /api/notifications": notification,
    "GET /api/notifications.pdf": notification,
    "GET /api/forecast": forecast,
}


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    label = f"{case.method.upper()} {case.path}"
    if label in BODY_RULES and isinstance(case.body, dict):
        BODY_RULES[label](case.body)
    elif label in QUERY_RULES:
        case.query = case.query if isinstance(case.query, dict) else {}
        QUERY_RULES[label](case.query)
    elif label == "POST /api/import":
        import_list(case)
    return case
