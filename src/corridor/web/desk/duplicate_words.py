"""The words of the duplicates screen (/desk/duplicates), in English and Arabic; `words.DeskWords` holds them with
the other desks' (kept apart so that words.py stays a readable size). The evidence lines themselves are worded
in `corridor.matching.wording`."""

from __future__ import annotations

EN = {
    "duplicates": "Likely duplicates",
    "dup_review": "Review likely duplicates",
    "dup_last_check": "Last check",
    "dup_no_check": "No duplicate check has been run yet.",
    "dup_persons_checked": "Persons checked",
    "dup_registered_since": "Registered since",
    "dup_run_check": "Run a duplicate check",
    "dup_checked": "Check done",
    "dup_open_pairs": "Open pairs, highest score first",
    "dup_none": "No open pair: nothing to decide.",
    "dup_shown": "The {shown} with the highest score of {total} are shown; the next appear as these are decided.",
    "dup_score": "Score",
    "dup_likely": "likely one person",
    "dup_side_a": "Registration a",
    "dup_side_b": "Registration b",
    "dup_evidence": "Evidence",
    "dup_keep": "Same person: keep this one",
    "dup_two_people": "Two people",
    "dup_note": "Note (optional)",
    "dup_merged": "Merged: one person, this record kept",
    "dup_dismissed": "Kept apart: two people",
    "dup_conflict": "Another registrar has decided this pair meanwhile. The list has been refreshed.",
    "dup_sending": "Sending…",
    "dup_decided": "Decided lately, the latest first",
    "dup_was_merged": "Same person, kept:",
    "dup_was_dismissed": "Two people",
    "dup_undo": "Undo this decision",
    "dup_undone": "Decision undone: the pair is open again",
}

AR = {
    "duplicates": "التسجيلات المكررة المحتملة",
    "dup_review": "مراجعة التسجيلات المكررة المحتملة",
    "dup_last_check": "آخر فحص",
    "dup_no_check": "لم يُجرَ أي فحص للتكرار بعد.",
    "dup_persons_checked": "الأشخاص الذين فُحصوا",
    "dup_registered_since": "سُجّلوا منذ ذلك الحين",
    "dup_run_check": "إجراء فحص للتكرار",
    "dup_checked": "اكتمل الفحص",
    "dup_open_pairs": "الأزواج المفتوحة، الأعلى درجةً أولاً",
    "dup_none": "لا توجد أزواج مفتوحة: لا شيء يحتاج إلى قرار.",
    "dup_shown": "تُعرض الأزواج الـ{shown} ذات الدرجة الأعلى من أصل {total}؛ تظهر الأزواج التالية كلما اتُّخذ قرار بشأن هذه.",
    "dup_score": "الدرجة",
    "dup_likely": "غالباً شخص واحد",
    "dup_side_a": "التسجيل الأول",
    "dup_side_b": "التسجيل الثاني",
    "dup_evidence": "القرائن",
    "dup_keep": "الشخص نفسه: الإبقاء على هذا التسجيل",
    "dup_two_people": "شخصان مختلفان",
    "dup_note": "ملاحظة (اختيارية)",
    "dup_merged": "دُمج التسجيلان: شخص واحد، وأُبقي على هذا التسجيل",
    "dup_dismissed": "أُبقي عليهما منفصلين: شخصان",
    "dup_conflict": "اتخذ مسجّل آخر قراراً بشأن هذا الزوج في هذه الأثناء. حُدّثت القائمة.",
    "dup_sending": "جارٍ الإرسال…",
    "dup_decided": "قرارات حديثة، الأحدث أولاً",
    "dup_was_merged": "الشخص نفسه، أُبقي على:",
    "dup_was_dismissed": "شخصان مختلفان",
    "dup_undo": "التراجع عن هذا القرار",
    "dup_undone": "أُلغي القرار: عاد الزوج مفتوحاً",
}

SCRIPT_KEYS = ("dup_checked", "dup_merged", "dup_dismissed", "dup_conflict", "dup_sending", "dup_undone")

assert EN.keys() == AR.keys(), "the duplicates screen's words differ between English and Arabic"
