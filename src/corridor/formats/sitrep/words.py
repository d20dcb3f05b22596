"""The sitrep's words in English and Arabic: neutral wording, no judgement of any party; Arabic counts are written
as "label: number" so no noun has to agree with a number."""

from __future__ import annotations

from ...domain.claims import METRICS, SourceKind
from ...domain.values import HaltCause
from ...domain.vocabulary import label_of

LANGS = ("en", "ar")

_EN = {
    "title": "Situation report", "date": "Date", "as_of": "Picture as of", "operation": "Operation",
    "own": "The operation's own record", "own_note": "Facts logged by this operation. They are not claims and are "
    "never averaged with the figures others report.", "today": "This day", "since": "Since the start",
    "registered": "Persons registered", "departed": "Persons departed", "arrived": "Persons arrived",
    "held": "Persons held at checkpoints", "trips": "Trips departed", "convoys": "Convoys departed",
    "halts": "Halts", "no_halts": "No halt this day.", "halted_at": "halted", "resumed_at": "resumed",
    "still_halted": "still halted", "cause": "Cause", "plan": "Plan and forecast", "no_plan": "No plan.",
    "finish_at": "Everyone out by (forecast)", "lower_bound_at": "Earliest possible", "plan_made": "Plan made",
    "picture": "What others report", "picture_note": "Figures reported by others, as reported. The range spans the "
    "reports; the estimate weighs each source once by its grading (reliability A-F, credibility 1-6).",
    "no_claims": "No figures reported by others in the 24 hours up to this time.",
    "metric": "Figure", "about": "about", "range": "Range", "estimate": "Estimate", "sources": "Sources",
    "disputed": "Reports disagree", "consistent": "Reports agree within 10 %", "source": "Source",
    "kind": "Kind", "grading": "Grading", "reported": "Reported", "says": "Figure", "record": "Record",
    "far": "far from the record", "more_than": "more than", "state": "State of the operation",
    "state_disputed": "Reports of the operation's state disagree", "state_record": "The record shows",
    "against_record": "differs from the record", "running": "running", "halted": "halted", "complete": "complete",
    "footer": "Aggregates only: this report contains no names and no tokens.",
}

_AR = {
    "title": "تقرير الوضع", "date": "التاريخ", "as_of": "الصورة حتى", "operation": "العملية",
    "own": "سجل العملية", "own_note": "وقائع سجلتها هذه العملية بنفسها. ليست ادعاءات ولا تُمزج أبداً بالأرقام التي "
    "يذكرها الآخرون.", "today": "هذا اليوم", "since": "منذ البداية",
    "registered": "الأشخاص المسجلون", "departed": "الأشخاص الذين غادروا", "arrived": "الأشخاص الذين وصلوا",
    "held": "الأشخاص المحتجزون عند الحواجز", "trips": "الرحلات المغادرة", "convoys": "القوافل المغادرة",
    "halts": "التوقفات", "no_halts": "لا توقف في هذا اليوم.", "halted_at": "توقفت", "resumed_at": "استؤنفت",
    "still_halted": "ما زالت متوقفة", "cause": "السبب", "plan": "الخطة والتوقع", "no_plan": "لا توجد خطة.",
    "finish_at": "خروج الجميع بحلول (توقع)", "lower_bound_at": "أبكر وقت ممكن", "plan_made": "وضعت الخطة",
    "picture": "ما يذكره الآخرون", "picture_note": "أرقام ذكرها آخرون كما ذكروها. يغطي النطاق جميع التقارير؛ "
    "والتقدير يزن كل مصدر مرة واحدة حسب تصنيفه (الموثوقية A-F والمصداقية 1-6).",
    "no_claims": "لا أرقام ذكرها الآخرون خلال الساعات الأربع والعشرين حتى هذا الوقت.",
    "metric": "الرقم", "about": "بشأن", "range": "النطاق", "estimate": "التقدير", "sources": "المصادر",
    "disputed": "التقارير متباينة", "consistent": "التقارير متقاربة ضمن ١٠٪", "source": "المصدر",
    "kind": "النوع", "grading": "التصنيف", "reported": "تاريخ الذكر", "says": "الرقم", "record": "السجل",
    "far": "بعيد عن السجل", "more_than": "أكثر من", "state": "حالة العملية",
    "state_disputed": "التقارير عن حالة العملية متباينة", "state_record": "يظهر السجل",
    "against_record": "يختلف عن السجل", "running": "جارية", "halted": "متوقفة", "complete": "مكتملة",
    "footer": "أرقام إجمالية فقط: لا يحتوي هذا التقرير على أسماء ولا رموز.",
}

SOURCE_KINDS = {
    "en": {"humanitarian": "humanitarian", "un": "UN", "government": "government", "armed_group": "armed group",
           "media": "media", "monitor": "monitor", "witness": "witness", "other": "other"},
    "ar": {"humanitarian": "إنساني", "un": "الأمم المتحدة", "government": "حكومة", "armed_group": "جماعة مسلحة",
           "media": "إعلام", "monitor": "جهة رصد", "witness": "شاهد", "other": "آخر"},
}
assert set(SOURCE_KINDS["en"]) == {k.value for k in SourceKind} == set(SOURCE_KINDS["ar"])


def words(lang: str) -> dict:
    base = dict(_AR if lang == "ar" else _EN)
    base["metrics"] = {code: (m.ar if lang == "ar" else m.en) for code, m in METRICS.items()}
    base["source_kinds"] = SOURCE_KINDS["ar" if lang == "ar" else "en"]
    base["causes"] = {c.value: label_of(HaltCause, c.value, lang) for c in HaltCause}
    return base
