"""XLSForm forms for ODK Collect and KoboCollect: household registration and boarding scans.

The forms are written as .xlsx workbooks (openpyxl) that any XLSForm converter
(pyxform, KoboToolbox, ODK Central) turns into an XForm. Field names are
corridor's own, so a submission maps onto the registry without renaming:

- registration, one household per submission: ``gathering_point``,
  ``destination`` ("any" = no preference), ``token`` (pre-printed household card,
  optional) and the repeat ``persons`` with ``name_ar``, ``name_latin``, ``sex``,
  ``birth_year``, ``birth_date``, ``relationship``, ``mobility``, ``precedence``,
  ``vulnerabilities`` (space-separated, as ODK stores a select_multiple) and
  ``person_token``;
- boarding scan, one token per submission: ``trip``, ``token``, ``note``.

Both forms also record ODK's ``start`` and ``end`` times of the submission (the
device clock: boarding is often recorded offline and uploaded later).

Every field carries an HXL hashtag in the ``hxl`` column, the column KoboToolbox
reads; :data:`HXL_TAGS` (registration) and :data:`BOARDING_HXL_TAGS` are the same
mapping for importers. Labels are in English and Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook

from ..domain.text import ARABIC_SCRIPT, LATIN_LETTERS
from ..domain.values import Mobility, Precedence, Relationship, Sex, SiteKind, Vulnerability
from ..domain.vocabulary import ANY_RECEPTION_CENTRE, choices

EN = "English (en)"
AR = "Arabic (ar)"
LANGUAGES = (EN, AR)

REGISTRATION_FORM_ID = "corridor_registration"
BOARDING_FORM_ID = "corridor_boarding"

# HXL core hashtags and attributes (https://hxlstandard.org/standard/dictionary/):
# #loc for places that are not administrative areas, +origin/+dest for the two ends of a
# movement, +code for a code rather than a name, +id for a unique identifier,
# +i_xx for the language of a text; #respondee for the persons registered, #severity for
# the MEDEVAC precedence. +household, +medevac, +trip, +birth, +relationship, ... are
# free attributes, as HXL allows.
HXL_TAGS: dict[str, str] = {
    "start": "#date+start",
    "end": "#date+end",
    "gathering_point": "#loc+origin+code",
    "destination": "#loc+dest+code",
    "token": "#meta+id+household",
    "name_ar": "#respondee+name+i_ar",
    "name_latin": "#respondee+name+i_en",
    "sex": "#respondee+sex",
    "birth_year": "#date+birth+year",
    "birth_date": "#date+birth",
    "relationship": "#respondee+relationship",
    "mobility": "#respondee+mobility",
    "precedence": "#severity+medevac",
    "vulnerabilities": "#respondee+vulnerability",
    "person_token": "#respondee+id",
}
"""Registration form: corridor field name → HXL hashtag with attributes."""

BOARDING_HXL_TAGS: dict[str, str] = {
    "start": "#date+start",
    "end": "#date+end",
    "trip": "#activity+trip+id",
    "token": "#meta+id+scanned",
    "note": "#description+note",
}
"""Boarding-scan form: field name → HXL hashtag (``token`` is a household or a person token)."""

GATHERING_POINT = SiteKind.GATHERING_POINT.value
RECEPTION_CENTRE = SiteKind.RECEPTION_CENTRE.value
SITE_KINDS = {k.value for k in SiteKind}
ANY_DESTINATION = "any"

# tokens: H or P, then 8 symbols of Crockford's base 32 (corridor.domain.tokens); the
# check symbol is verified by the importer, not the form
_TOKEN_SYMBOLS = "[0-9A-HJKMNP-TV-Z]{8}"
# the one definition of each script (corridor.domain.text), as XPath regex classes
_ARABIC_CHARACTER = f"[{ARABIC_SCRIPT}]"
_LATIN_LETTER = f"[{LATIN_LETTERS}]"
_CHOICE_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")

SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{EN}",
    f"label::{AR}",
    f"hint::{EN}",
    f"hint::{AR}",
    "required",
    f"required_message::{EN}",
    f"required_message::{AR}",
    "relevant",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{AR}",
    "appearance",
    "default",
    "hxl",
)
CHOICES_COLUMNS = ("list_name", "name", f"label::{EN}", f"label::{AR}")

# (name, English, Arabic) for the fixed lists: the one vocabulary's labels
SEX = choices(Sex)
RELATIONSHIP = choices(Relationship)
MOBILITY = choices(Mobility)
PRECEDENCE = choices(Precedence)
VULNERABILITIES = choices(Vulnerability)


def _row(type_: str, name: str, en: str = "", ar: str = "", hxl: str = "", **cols: str) -> dict[str, str]:
    row = {"type": type_, "name": name, f"label::{EN}": en, f"label::{AR}": ar, "hxl": hxl}
    for key, value in cols.items():
        if key.endswith("_en"):
            row[f"{key[:-3]}::{EN}"] = value
        elif key.endswith("_ar"):
            row[f"{key[:-3]}::{AR}"] = value
        else:
            row[key] = value
    return row


def _version(version: str | None) -> str:
    # ODK compares versions as strings: a UTC timestamp always grows
    return version or datetime.now(timezone.utc).strftime("%Y%m%d%H%M")


def _check_sites(sites: Iterable[Mapping]) -> list[Mapping]:
    checked, seen = [], set()
    for i, site in enumerate(sites):
        code = str(site.get("code") or "")
        if not _CHOICE_NAME.match(code):
            raise ValueError(f"sites[{i}].code: {code!r} cannot be a choice name (letters, digits, - _ . : only)")
        if code == ANY_DESTINATION:
            raise ValueError(f"sites[{i}].code: {code!r} is reserved for 'any reception centre'")
        if code in seen:
            raise ValueError(f"sites[{i}].code: {code!r} is listed twice")
        seen.add(code)
        if site.get("kind") not in SITE_KINDS:
            raise ValueError(f"sites[{i}].kind: {site.get('kind')!r} is not one of {', '.join(sorted(SITE_KINDS))}")
        checked.append(site)
    return checked


def _site_choices(list_name: str, sites: list[Mapping]) -> list[dict[str, str]]:
    return [
        {
            "list_name": list_name,
            "name": str(s["code"]),
            f"label::{EN}": f"{s.get('name_en') or s['code']} ({s['code']})",
            f"label::{AR}": f"{s.get('name_ar') or s.get('name_en') or s['code']} ({s['code']})",
        }
        for s in sites
    ]


def _fixed_choices(list_name: str, items: Iterable[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"list_name": list_name, "name": n, f"label::{EN}": en, f"label::{AR}": ar} for n, en, ar in items]


def _save(path: str | Path, survey: list[dict], choices: list[dict], settings: dict[str, str]) -> Path:
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(list(SURVEY_COLUMNS))
    for row in survey:
        unknown = set(row) - set(SURVEY_COLUMNS)
        if unknown:  # a programming slip, not user input
            raise AssertionError(f"unknown survey columns {sorted(unknown)}")
        ws.append([row.get(c, "") or None for c in SURVEY_COLUMNS])
    if choices:
        wc = wb.create_sheet("choices")
        wc.append(list(CHOICES_COLUMNS))
        for row in choices:
            wc.append([row.get(c, "") or None for c in CHOICES_COLUMNS])
    wsettings = wb.create_sheet("settings")
    wsettings.append(list(settings))
    wsettings.append(list(settings.values()))
    for sheet in wb.worksheets:  # readable when someone opens the workbook to adapt it
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_registration_form(
    path: str | Path,
    sites: list[dict],
    *,
    title: str = "Household registration",
    form_id: str = REGISTRATION_FORM_ID,
    version: str | None = None,
) -> Path:
    """Write the household registration XLSForm; `sites` as in the operation ({code, kind, name_en, name_ar}).

    The gathering points and reception centres of `sites` become the choices of
    ``gathering_point`` and ``destination``; other kinds are left out.
    """
    sites = _check_sites(sites)
    gathering = [s for s in sites if s["kind"] == GATHERING_POINT]
    reception = [s for s in sites if s["kind"] == RECEPTION_CENTRE]
    if not gathering:
        raise ValueError("sites: the operation has no gathering point to register at")
    if not reception:
        raise ValueError("sites: the operation has no reception centre to go to")
    token_re = f"regex(., '^H{_TOKEN_SYMBOLS}$')"
    person_token_re = f"regex(., '^P{_TOKEN_SYMBOLS}$')"
    this_year = "int(format-date(today(), '%Y'))"
    survey = [
        _row("start", "start", hxl=HXL_TAGS["start"]),
        _row("end", "end", hxl=HXL_TAGS["end"]),
        _row(
            "select_one gathering_point", "gathering_point",
            "Gathering point", "نقطة التجمّع",
            required="yes", hxl=HXL_TAGS["gathering_point"],
        ),
        _row(
            "select_one destination", "destination",
            "Destination", "الوجهة",
            hint_en="The reception centre the household asks to go to, or any.",
            hint_ar="مركز الاستقبال الذي تطلب الأسرة الذهاب إليه، أو أي مركز.",
            required="yes", default=ANY_DESTINATION, hxl=HXL_TAGS["destination"],
        ),
        _row(
            "barcode", "token",
            "Household card", "بطاقة الأسرة",
            hint_en="Scan the QR code of a pre-printed household card, if the household has one.",
            hint_ar="امسح رمز QR على بطاقة الأسرة المطبوعة مسبقاً إن وُجدت.",
            constraint=token_re,
            constraint_message_en="Not a household card: its code starts with H.",
            constraint_message_ar="ليست بطاقة أسرة: رمزها يبدأ بالحرف H.",
            hxl=HXL_TAGS["token"],
        ),
        _row(
            "begin_repeat", "persons",
            "Person", "فرد",
            hint_en="One entry for every member of the household, the head first.",
            hint_ar="إدخال واحد لكل فرد من أفراد الأسرة، ربّ الأسرة أولاً.",
        ),
        _row(
            "text", "name_ar",
            "Full name in Arabic script", "الاسم الكامل بالأحرف العربية",
            constraint=f"regex(., '{_ARABIC_CHARACTER}')",
            constraint_message_en="Type the name in Arabic letters (Latin spelling goes in the next question).",
            constraint_message_ar="اكتب الاسم بالأحرف العربية (التهجئة اللاتينية في السؤال التالي).",
            hxl=HXL_TAGS["name_ar"],
        ),
        _row(
            "text", "name_latin",
            "Full name in Latin letters", "الاسم الكامل بالأحرف اللاتينية",
            hint_en="As written in an identity document, if any. Required if there is no Arabic name.",
            hint_ar="كما هو مكتوب في وثيقة الهوية إن وُجدت. مطلوب إذا لم يُكتب الاسم بالعربية.",
            required="${name_ar} = ''",
            required_message_en="Give the name in Arabic script, in Latin letters, or both.",
            required_message_ar="اكتب الاسم بالأحرف العربية أو اللاتينية أو كليهما.",
            constraint=f"regex(., '{_LATIN_LETTER}')",
            constraint_message_en="Type the name in Latin letters.",
            constraint_message_ar="اكتب الاسم بالأحرف اللاتينية.",
            hxl=HXL_TAGS["name_latin"],
        ),
        _row("select_one sex", "sex", "Sex", "الجنس", required="yes", hxl=HXL_TAGS["sex"]),
        _row(
            "integer", "birth_year",
            "Year of birth", "سنة الميلاد",
            hint_en="Leave empty if not known.", hint_ar="اتركه فارغاً إذا لم تكن معروفة.",
            constraint=f". >= 1900 and . <= {this_year}",
            constraint_message_en="A year between 1900 and this year.",
            constraint_message_ar="سنة بين ١٩٠٠ والسنة الحالية.",
            hxl=HXL_TAGS["birth_year"],
        ),
        _row(
            "date", "birth_date",
            "Date of birth, if known exactly", "تاريخ الميلاد إن كان معروفاً بدقة",
            relevant="${birth_year} != ''",
            constraint=". <= today() and int(format-date(., '%Y')) = ${birth_year}",
            constraint_message_en="The date must not be in the future and must fall in the year of birth.",
            constraint_message_ar="يجب ألا يكون التاريخ في المستقبل وأن يقع في سنة الميلاد.",
            hxl=HXL_TAGS["birth_date"],
        ),
        _row(
            "select_one relationship", "relationship",
            "Relationship to the head of household", "صلة القرابة بربّ الأسرة",
            required="yes", hxl=HXL_TAGS["relationship"],
        ),
        _row("select_one mobility", "mobility", "Mobility", "القدرة على الحركة", required="yes", default="walks",
             hxl=HXL_TAGS["mobility"]),
        _row(
            "select_one precedence", "precedence",
            "Medical evacuation (MEDEVAC) precedence", "أولوية الإخلاء الطبي",
            hint_en="Set by a medic or nurse; none if the person needs no medical evacuation.",
            hint_ar="يحدّدها مسعف أو ممرض؛ لا يحتاج إذا لم يحتج الشخص إلى إخلاء طبي.",
            required="yes", default="none", hxl=HXL_TAGS["precedence"],
        ),
        _row(
            "select_multiple vulnerabilities", "vulnerabilities",
            "Vulnerabilities", "أوجه الضعف",
            hint_en="Tick all that apply; none is fine.", hint_ar="اختر كل ما ينطبق؛ يمكن ألا تختار شيئاً.",
            hxl=HXL_TAGS["vulnerabilities"],
        ),
        _row(
            "barcode", "person_token",
            "Person wristband", "سوار الشخص",
            hint_en="Scan the QR code of a pre-printed wristband, if the person has one.",
            hint_ar="امسح رمز QR على السوار المطبوع مسبقاً إن وُجد.",
            constraint=person_token_re,
            constraint_message_en="Not a person wristband: its code starts with P.",
            constraint_message_ar="ليس سوار شخص: رمزه يبدأ بالحرف P.",
            hxl=HXL_TAGS["person_token"],
        ),
        _row("end_repeat", ""),
    ]
    choices = (
        _site_choices("gathering_point", gathering)
        + _site_choices("destination", reception)
        + _fixed_choices("destination", [(ANY_DESTINATION, ANY_RECEPTION_CENTRE.en, ANY_RECEPTION_CENTRE.ar)])
        + _fixed_choices("sex", SEX)
        + _fixed_choices("relationship", RELATIONSHIP)
        + _fixed_choices("mobility", MOBILITY)
        + _fixed_choices("precedence", PRECEDENCE)
        + _fixed_choices("vulnerabilities", VULNERABILITIES)
    )
    settings = {
        "form_title": title,
        "form_id": form_id,
        "version": _version(version),
        "default_language": EN,
        "instance_name": "concat(${gathering_point}, ' ', ${token}, ' (', count(${persons}), ')')",
    }
    return _save(path, survey, choices, settings)


def write_boarding_form(
    path: str | Path,
    *,
    title: str = "Boarding scan",
    form_id: str = BOARDING_FORM_ID,
    version: str | None = None,
) -> Path:
    """Write the boarding-scan XLSForm: one scanned household or person token per submission."""
    survey = [
        _row("start", "start", hxl=BOARDING_HXL_TAGS["start"]),
        _row("end", "end", hxl=BOARDING_HXL_TAGS["end"]),
        _row(
            "text", "trip",
            "Trip", "الرحلة",
            hint_en="The trip number on the convoy sheet or the vehicle.",
            hint_ar="رقم الرحلة المكتوب على ورقة القافلة أو على المركبة.",
            required="yes", hxl=BOARDING_HXL_TAGS["trip"],
        ),
        _row(
            "barcode", "token",
            "Card or wristband", "البطاقة أو السوار",
            hint_en="Scan the household card or the person's wristband.",
            hint_ar="امسح بطاقة الأسرة أو سوار الشخص.",
            required="yes",
            constraint=f"regex(., '^[HP]{_TOKEN_SYMBOLS}$')",
            constraint_message_en="Not a corridor card or wristband (the code starts with H or P).",
            constraint_message_ar="ليست بطاقة أو سواراً صالحاً (يبدأ الرمز بالحرف H أو P).",
            hxl=BOARDING_HXL_TAGS["token"],
        ),
        _row(
            "text", "note",
            "Note", "ملاحظة",
            hint_en="Anything the coordinator should know (optional).",
            hint_ar="أي شيء يجب أن يعرفه المنسّق (اختياري).",
            appearance="multiline", hxl=BOARDING_HXL_TAGS["note"],
        ),
    ]
    settings = {
        "form_title": title,
        "form_id": form_id,
        "version": _version(version),
        "default_language": EN,
        "instance_name": "concat(${trip}, ' ', ${token})",
    }
    return _save(path, survey, [], settings)


def write_forms(folder: str | Path, sites: list[dict], *, version: str | None = None) -> list[Path]:
    """Write both forms into `folder`: corridor_registration.xlsx and corridor_boarding.xlsx."""
    folder = Path(folder)
    version = _version(version)
    return [
        write_registration_form(folder / f"{REGISTRATION_FORM_ID}.xlsx", sites, version=version),
        write_boarding_form(folder / f"{BOARDING_FORM_ID}.xlsx", version=version),
    ]
