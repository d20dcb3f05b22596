"""The words of a candidate pair's evidence lines (`evidence.explain`), in English and Arabic, in one place.

`LINES[lang]` holds one template per kind of line (`str.format` fields: names, numbers and weights, kept as
written); `TERMS[lang]` the words put into them (which script, which part of a name, how alike, which
registration). The Arabic is plain and neutral, for the registrar who decides: Western digits and names as
written, counts as "label: number" so that no noun has to agree with a number. English terms missing from a
table are shown as the evidence gives them (the evidence's own words are English)."""

from __future__ import annotations

LANGS = ("en", "ar")

_LINES_EN = {
    "names_none": "names: not compared (a registration has no name)",
    "names_head": "{script} compared {alignment}: {a} / {b} ({weight})",
    "lineage": "  lineage weighed as one: {roles} ({weight})",
    "father_dropped": "  a father's name taken as left out in one registration ({weight})",
    "father_registered": "  but {side}'s household holds {side}'s father by the name {side} gives ({father}{born}): "
                         "the middle name is the father's, not left out ({weight})",
    "father_born": ", born {year}",
    "part_missing": "  {part} written in one registration only ({a} / {b})",
    "part_compared": "  {part} {verb}{score} ({a} / {b})",
    "after_grandfather": ", named after the grandfather",
    "rare_spelling": ", a rare spelling of a common name (a slip, not another name)",
    "not_known": "{label} not known for both ({a} / {b}){weight}",
    "in_both": "{label} {a} in both{weight}",
    "versus": "{label} {a} vs {b}{level}{weight}",
    "level_said": ": {level}",
    "year_by_household": "birth year not known for {side}, {other} for the other; {side}'s relatives by name in its "
                         "household (father, children, brothers and sisters) put its birth {years}, {said} ({weight})",
    "years_between": "between {lo} and {hi}",
    "years_before": "in {hi} or before",
    "years_after": "in {lo} or after",
    "year_fits": "and {other} is within a year of that",
    "year_does_not_fit": "not in {other}: two people",
    "household_same_scored": "same household, one given name and lineage in one family ({weight})",
    "household_same": "same household (not weighed)",
    "household_shared_one": "different households holding 1 other member alike by name and birth year: perhaps one "
                            "family registered twice (not weighed)",
    "household_shared_many": "different households holding {shared} other members alike by name and birth year: "
                             "perhaps one family registered twice (not weighed)",
    "household_two_mothers": "different households, each registration a mother living with her children: two "
                             "families ({weight})",
    "household_two_families": "different households, each registration living with relatives by name: two families "
                              "({weight})",
    "household_married_woman": "different households, {mother} is a mother living with her children, {other} lives "
                               "with relatives by name: a married woman has two families, her father's and her own "
                               "(not weighed)",
    "household_alone_one": "different households; {sides} lives with no relative by name, as a man registered a "
                           "second time does (weighed in the calibration)",
    "household_alone_both": "different households; {sides} live with no relative by name, as a man registered a "
                            "second time does (weighed in the calibration)",
    "household_different": "different households (not weighed)",
    "namesakes": "namesakes possible: written alike, and about {expected} other registrations would agree this well "
                 "by chance; before merging compare the households, ask for the mother's name and the place of birth",
    "overall": "overall log2 odds {odds}{prior}",
    "prior": " (prior {prior})",
    "calibrated": "calibrated log2 odds {odds}: one person with probability {chance}",
}

_LINES_AR = {
    "names_none": "الأسماء: لم تُقارَن (أحد التسجيلين بلا اسم)",
    "names_head": "{script} قورنت {alignment}: {a} / {b} ({weight})",
    "lineage": "  النسب موزون كوحدة واحدة: {roles} ({weight})",
    "father_dropped": "  اعتُبر اسم الأب محذوفاً من أحد التسجيلين ({weight})",
    "father_registered": "  لكن أسرة {side} تضم والده بالاسم الذي يذكره ({father}{born}): الاسم الأوسط هو اسم "
                         "الأب وليس محذوفاً ({weight})",
    "father_born": "، مواليد {year}",
    "part_missing": "  {part} مكتوب في تسجيل واحد فقط ({a} / {b})",
    "part_compared": "  {part} {verb}{score} ({a} / {b})",
    "after_grandfather": "، مسمّى على اسم جده",
    "rare_spelling": "، كتابة نادرة لاسم شائع (خطأ في الكتابة وليس اسماً آخر)",
    "not_known": "{label} غير معروف في أحد التسجيلين ({a} / {b}){weight}",
    "in_both": "{label} {a} في التسجيلين{weight}",
    "versus": "{label} {a} مقابل {b}{level}{weight}",
    "level_said": ": {level}",
    "year_by_household": "سنة الميلاد غير معروفة في {side}، وهي {other} في الآخر؛ وأقارب صاحبه بالاسم في أسرته "
                         "(الأب، الأبناء، الإخوة والأخوات) يدلّون على أنه وُلد {years}، {said} ({weight})",
    "years_between": "بين {lo} و{hi}",
    "years_before": "في {hi} أو قبلها",
    "years_after": "في {lo} أو بعدها",
    "year_fits": "و{other} ضمن سنة واحدة من ذلك",
    "year_does_not_fit": "لا في {other}: شخصان",
    "household_same_scored": "الأسرة نفسها، واسم أول ونسب واحد في عائلة واحدة ({weight})",
    "household_same": "الأسرة نفسها (دون وزن)",
    "household_shared_one": "أسرتان مختلفتان تضمان فرداً آخر متشابهاً بالاسم وسنة الميلاد: ربما سُجّلت عائلة واحدة "
                            "مرتين (دون وزن)",
    "household_shared_many": "أسرتان مختلفتان تضمان أفراداً آخرين متشابهين بالاسم وسنة الميلاد (عددهم: {shared}): "
                             "ربما سُجّلت عائلة واحدة مرتين (دون وزن)",
    "household_two_mothers": "أسرتان مختلفتان، وصاحبة كل تسجيل أمّ تعيش مع أطفالها: عائلتان ({weight})",
    "household_two_families": "أسرتان مختلفتان، وصاحب كل تسجيل يعيش مع أقارب بالاسم: عائلتان ({weight})",
    "household_married_woman": "أسرتان مختلفتان، صاحبة {mother} أمّ تعيش مع أطفالها، وصاحب {other} يعيش مع أقارب "
                               "بالاسم: للمرأة المتزوجة عائلتان، عائلة أبيها وعائلتها (دون وزن)",
    "household_alone_one": "أسرتان مختلفتان؛ صاحب {sides} لا يعيش مع أي قريب بالاسم، كما هو حال رجل سُجّل مرة "
                           "ثانية (موزون في المعايرة)",
    "household_alone_both": "أسرتان مختلفتان؛ صاحبا {sides} لا يعيشان مع أي قريب بالاسم، كما هو حال رجل سُجّل مرة "
                            "ثانية (موزون في المعايرة)",
    "household_different": "أسرتان مختلفتان (دون وزن)",
    "namesakes": "تشابه أسماء محتمل: كُتب الاسمان بالشكل نفسه، ونحو {expected} من التسجيلات الأخرى قد تتطابق بهذا "
                 "القدر صدفةً؛ قبل الدمج قارن الأسرتين، واسأل عن اسم الأم ومكان الولادة",
    "overall": "مجموع لوغاريتم الأرجحية (للأساس 2) {odds}{prior}",
    "prior": " (الأرجحية المسبقة {prior})",
    "calibrated": "لوغاريتم الأرجحية المعايَر (للأساس 2) {odds}: شخص واحد باحتمال {chance}",
}

LINES = {"en": _LINES_EN, "ar": _LINES_AR}

_PART_AR = {"given": "الاسم الأول", "father": "اسم الأب", "grandfather": "اسم الجد", "ancestor": "اسم جد أعلى",
            "family": "اسم العائلة"}

TERMS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "script": {"both": "Names in Arabic (and Latin) letters", "arabic": "Arabic names", "latin": "Latin names",
                   "arabic-latin": "Names in Arabic and Latin letters"},
        "alignment": {},
        "part": {"given": "given name", "father": "father's name", "grandfather": "grandfather's name",
                 "ancestor": "ancestor's name", "family": "family name"},
        "lineage_role": {},
        "verb": {"agree": "agrees", "close": "is close", "weak": "is weakly alike", "disagree": "differs"},
        "field": {"birth_year": "birth year", "gathering_point": "gathering point"},
        "value": {},
        "level": {"one year apart": "one year apart", "years apart": "{n} years apart", "level": "level {n}",
                  "unknown": "unknown", "missing": "missing", "same": "same"},
        "side": {"a": "a", "b": "b"},
        "glue": {"and": " and ", "list": ", "},
    },
    "ar": {
        "script": {"both": "الأسماء بالحروف العربية (واللاتينية)", "arabic": "الأسماء بالحروف العربية",
                   "latin": "الأسماء بالحروف اللاتينية", "arabic-latin": "الأسماء بالحروف العربية واللاتينية"},
        "alignment": {"as written": "كما كُتبت", "given and father swapped": "بعد تبديل الاسم الأول واسم الأب",
                      "family name first": "باسم العائلة أولاً"},
        "part": _PART_AR,
        "lineage_role": {"given": "الاسم الأول", "father": "الأب", "grandfather": "الجد", "ancestor": "جد أعلى",
                         "family": "العائلة"},
        "verb": {"agree": "متطابق", "close": "قريب", "weak": "متشابه قليلاً", "disagree": "مختلف"},
        "field": {"birth_year": "سنة الميلاد", "sex": "الجنس", "gathering_point": "نقطة التجمع"},
        "value": {"male": "ذكر", "female": "أنثى", "unknown": "غير معروف", "m": "ذكر", "f": "أنثى"},
        "level": {"one year apart": "بفارق سنة واحدة", "years apart": "الفارق بالسنوات: {n}",
                  "level": "المستوى {n}", "unknown": "غير معروف", "missing": "غير مذكور", "same": "متطابق"},
        "side": {"a": "التسجيل الأول", "b": "التسجيل الثاني"},
        "glue": {"and": " و", "list": "، "},
    },
}

assert LINES["en"].keys() == LINES["ar"].keys(), "the evidence lines differ between English and Arabic"
assert TERMS["en"].keys() == TERMS["ar"].keys(), "the evidence terms differ between English and Arabic"
