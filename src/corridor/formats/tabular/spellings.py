"""Accepted spellings of headers and values, in English and Arabic, compared after :func:`fold`."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from ...domain.values import Mobility, Precedence, Relationship, Sex, Vulnerability

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
