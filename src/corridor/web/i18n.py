"""The dashboard's words, in English and Arabic.

Neutral humanitarian wording: states of people and vehicles, never judgements
about any party. Arabic counts are written as "label: number" so that no noun
has to agree with a number. The names of states, halt causes and site kinds
come from the one vocabulary, `corridor.domain.vocabulary`.
"""

from __future__ import annotations

from ..domain.values import HaltCause, PersonState, Precedence, SiteKind, TripState
from ..domain.vocabulary import LANGS, label_of, one_person_state
DEFAULT_LANG = "en"

_EN = {
    "title": "Evacuation dashboard",
    "switch_to": "العربية",
    "no_operation": "No operation has been set up yet.",
    "halted": "Operation halted",
    "halted_since": "since",
    "halted_advice": "No vehicle should move until the operation is resumed.",
    "running": "Operation running",
    "registered": "Persons registered",
    "households": "Households",
    "where": "Where everyone is",
    "urgent": "Urgent medical cases",
    "aboard": "Aboard or in transit",
    "trips_by_state": "Trips",
    "plan": "Plan",
    "no_plan": "No plan yet",
    "finish_at": "Everyone out by",
    "lower_bound_at": "Earliest possible",
    "plan_made": "plan made",
    "reconciliation": "Reconciliation",
    "differences": "Differences to resolve",
    "unaccounted": "Unaccounted for",
    "trips": "Trips: on the move, then next planned",
    "trip": "Trip",
    "vehicle": "Vehicle",
    "from": "From",
    "to": "To",
    "convoy": "Convoy",
    "state": "State",
    "depart": "Departure",
    "arrive": "Arrival",
    "planned_short": "planned",
    "n_assigned": "Assigned",
    "n_boarded": "Boarded",
    "n_taken_off": "Taken off",
    "n_arrived": "Arrived",
    "more_trips": "More trips not shown",
    "no_trips": "No trips yet.",
    "timeline": "Halts and resumptions",
    "no_halts": "No halts so far.",
    "cause": "Cause",
    "note": "Note",
    "halted_at": "Halted",
    "resumed_at": "Resumed",
    "still_halted": "still halted",
    "sites": "Sites",
    "site": "Site",
    "kind": "Kind",
    "waiting_here": "Awaiting boarding",
    "capacity": "Capacity",
    "updated": "Updated",
    "stale": "Connection lost: these figures may be out of date.",
    "aggregates_only": "Aggregate figures only. No personal data is shown on this page.",
    "missed_title": "Medical deadlines the plan misses",
    "missed_persons": "persons",
    "missed_precedence": "precedence",
    "missed_deadline": "deadline",
    "missed_arrival": "planned arrival",
    "missed_late": "late",
    "missed_minutes": "min",
    "missed_unavoidable": "no plan can be in time",
    "missed_avoidable": "a better plan could be in time",
    "missed_where": "Who they are, by name, for the medical team only: the medic's screen,",
    "operation_time": "Operation time",
    "simulated": "simulated",
    "zone_note": "Times are shown in the operation's time zone:",
    "alarms_title": "Alarms",
    "no_alarms": "No alarms.",
    "level_urgent": "Urgent",
    "level_warning": "Warning",
    "level_notice": "Notice",
    "awaiting_scan_in": "Arrived, being scanned in",
    "picture_title": "The picture",
    "map_title": "Map: sites, legs and trips on the road",
    "map_note": "Base layer: Natural Earth country boundaries. Trips placed by their last logged passage.",
    "map_list": "What the map shows, in words",
    "progress_title": "Persons arrived over time",
    "gantt_title": "Trips by vehicle: planned and actual",
    "throughput_title": "Checkpoint throughput per hour",
    "login_title": "Sign in",
    "username": "Account name",
    "password": "Password",
    "sign_in": "Sign in",
    "sign_out": "Sign out",
    "login_failed": "Sign-in refused: wrong account name or password, or too many attempts.",
    "login_note": "Accounts are created by an administrator on the server:",
}

_AR = {
    "title": "لوحة متابعة الإجلاء",
    "switch_to": "English",
    "no_operation": "لم تُنشأ أي عملية بعد.",
    "halted": "العملية متوقفة",
    "halted_since": "منذ",
    "halted_advice": "يجب ألّا تتحرك أي مركبة حتى تُستأنف العملية.",
    "running": "العملية جارية",
    "registered": "الأشخاص المسجَّلون",
    "households": "الأسر",
    "where": "أين يوجد الجميع",
    "urgent": "الحالات الطبية العاجلة",
    "aboard": "على متن المركبات أو في الطريق",
    "trips_by_state": "الرحلات",
    "plan": "الخطة",
    "no_plan": "لا توجد خطة بعد",
    "finish_at": "موعد انتهاء الإجلاء",
    "lower_bound_at": "أبكر موعد ممكن",
    "plan_made": "أُعدّت الخطة",
    "reconciliation": "المطابقة",
    "differences": "فروقات تحتاج إلى متابعة",
    "unaccounted": "لم يُعرف مكانهم",
    "trips": "الرحلات: الجارية أولاً ثم المخطَّطة التالية",
    "trip": "الرحلة",
    "vehicle": "المركبة",
    "from": "من",
    "to": "إلى",
    "convoy": "القافلة",
    "state": "الحالة",
    "depart": "الانطلاق",
    "arrive": "الوصول",
    "planned_short": "مخطَّط",
    "n_assigned": "مخصَّصون",
    "n_boarded": "صعدوا",
    "n_taken_off": "أُنزلوا",
    "n_arrived": "وصلوا",
    "more_trips": "رحلات أخرى غير معروضة",
    "no_trips": "لا توجد رحلات بعد.",
    "timeline": "التوقفات والاستئناف",
    "no_halts": "لا توقفات حتى الآن.",
    "cause": "السبب",
    "note": "ملاحظة",
    "halted_at": "التوقف",
    "resumed_at": "الاستئناف",
    "still_halted": "ما زالت متوقفة",
    "sites": "المواقع",
    "site": "الموقع",
    "kind": "النوع",
    "waiting_here": "بانتظار الصعود",
    "capacity": "السعة",
    "updated": "آخر تحديث",
    "stale": "انقطع الاتصال: قد لا تكون هذه الأرقام محدَّثة.",
    "aggregates_only": "أرقام إجمالية فقط. لا تُعرض في هذه الصفحة أي بيانات شخصية.",
    "missed_title": "مواعيد طبية لا تفي بها الخطة",
    "missed_persons": "أشخاص",
    "missed_precedence": "الأولوية",
    "missed_deadline": "الموعد",
    "missed_arrival": "الوصول المخطط",
    "missed_late": "التأخير",
    "missed_minutes": "دقيقة",
    "missed_unavoidable": "لا خطة تصل في الموعد",
    "missed_avoidable": "خطة أفضل قد تصل في الموعد",
    "missed_where": "من هم، بالأسماء، للفريق الطبي وحده: شاشة الطبيب،",
    "operation_time": "وقت العملية",
    "simulated": "محاكاة",
    "zone_note": "تُعرض الأوقات بالمنطقة الزمنية للعملية:",
    "alarms_title": "تنبيهات",
    "no_alarms": "لا تنبيهات.",
    "level_urgent": "عاجل",
    "level_warning": "تحذير",
    "level_notice": "للعلم",
    "awaiting_scan_in": "وصلوا، تسجيل دخولهم جارٍ",
    "picture_title": "الصورة العامة",
    "map_title": "الخريطة: المواقع والطرق والرحلات على الطريق",
    "map_note": "الطبقة الأساسية: حدود الدول من Natural Earth. تُوضع الرحلات حسب آخر مرور مسجَّل.",
    "map_list": "ما تعرضه الخريطة، بالكلمات",
    "progress_title": "الأشخاص الواصلون عبر الوقت",
    "gantt_title": "الرحلات حسب المركبة: المخطط والفعلي",
    "throughput_title": "عبور نقاط التفتيش في الساعة",
    "login_title": "تسجيل الدخول",
    "username": "اسم الحساب",
    "password": "كلمة المرور",
    "sign_in": "دخول",
    "sign_out": "خروج",
    "login_failed": "رُفض الدخول: اسم الحساب أو كلمة المرور غير صحيحة، أو محاولات كثيرة جداً.",
    "login_note": "ينشئ المسؤول الحسابات على الخادم:",
}

_LABELS = {"en": _EN, "ar": _AR}

# The words the map and the curves draw (static/picture.js), by language
_PICTURE = {
    "en": {"actual": "Arrived (actual)", "planned": "As planned", "band": "Forecast P10–P90", "p50": "Forecast P50",
           "halt": "Halt", "persons": "persons", "vehicles_hour": "vehicles an hour", "agreed": "agreed rate",
           "planned_trip": "planned", "actual_trip": "actual", "waiting": "awaiting boarding", "held": "held",
           "vehicles_here": "vehicles waiting", "persons_here": "persons here", "longest": "longest wait (min)",
           "arrived": "arrived", "capacity": "capacity", "aboard": "aboard", "trip": "trip", "on_road": "trips on the road",
           "status_on_time": "on time", "status_waiting": "waiting at a checkpoint", "status_overdue": "overdue",
           "status_aboard_long": "aboard too long", "progress_summary": "{a} of {r} persons arrived; plan ends {p}; "
           "forecast P10 {f10}, P50 {f50}, P90 {f90}.", "gantt_summary": "{t} trips on {v} vehicles.",
           "throughput_summary": "{n} passages through {c} checkpoints.", "no_forecast": "no forecast",
           "link_bounded": " Departures wait for {name}'s progress: it bounds the end in {pct}% of runs (without the "
                           "link, P50 {u50}).",
           "hour": "hour", "vehicle": "vehicle", "time": "time"},
    "ar": {"actual": "الواصلون (فعلي)", "planned": "حسب الخطة", "band": "التوقع P10–P90", "p50": "التوقع P50",
           "halt": "توقف", "persons": "أشخاص", "vehicles_hour": "مركبات في الساعة", "agreed": "المعدل المتفق عليه",
           "planned_trip": "مخطط", "actual_trip": "فعلي", "waiting": "بانتظار الصعود", "held": "محتجزون",
           "vehicles_here": "مركبات تنتظر", "persons_here": "أشخاص هنا", "longest": "أطول انتظار (دقيقة)",
           "arrived": "وصلوا", "capacity": "السعة", "aboard": "على المتن", "trip": "رحلة",
           "on_road": "رحلات على الطريق", "status_on_time": "في الموعد", "status_waiting": "تنتظر عند نقطة تفتيش",
           "status_overdue": "متأخرة", "status_aboard_long": "على المتن مدة طويلة",
           "progress_summary": "الواصلون: {a} من {r}؛ نهاية الخطة: {p}؛ التوقع: تنتهي ١٠٪ من المحاكاة "
                               "بحلول {f10}، ونصفها بحلول {f50}، و٩٠٪ منها بحلول {f90}.",
           "gantt_summary": "الرحلات: {t}، المركبات: {v}.", "throughput_summary": "مرات العبور: {n}، نقاط التفتيش: {c}.",
           "no_forecast": "لا توقع",
           "link_bounded": " المغادرة تنتظر تقدّم {name}: يحدّد موعد الانتهاء في {pct}٪ من المحاكاة (من دون الربط: "
                           "ينتهي نصفها بحلول {u50}).",
           "hour": "الساعة", "vehicle": "المركبة", "time": "الوقت"},
}


def pick(lang: str | None) -> str:
    """The language asked for, or English when it is missing or unknown."""
    return lang if lang in LANGS else DEFAULT_LANG


class Words:
    """Every label of one language, for the templates: `w.title`, `w.person_state("held")`."""

    def __init__(self, lang: str):
        self.lang = pick(lang)
        self.dir = "rtl" if self.lang == "ar" else "ltr"
        self.other = "en" if self.lang == "ar" else "ar"
        self.towards = "←" if self.dir == "rtl" else "→"  # from … to …, pointing the way the line reads
        self._labels = _LABELS[self.lang]

    def __getattr__(self, key: str) -> str:
        try:
            return self.__dict__["_labels"][key]
        except KeyError:
            raise AttributeError(key) from None

    def alarm_level(self, level: str) -> str:
        return self._labels[f"level_{level}"]

    def for_picture(self) -> dict:
        """The words the map and the curves draw, for the page's script."""
        causes = {c.value: label_of(HaltCause, c.value, self.lang) for c in HaltCause}
        return {**_PICTURE[self.lang], "causes": causes, "towards": self.towards}

    def person_state(self, state: str) -> str:
        """A state heading a count of people (plural in Arabic)."""
        return label_of(PersonState, state, self.lang)

    def one_person_state(self, state: str) -> str:
        """The state of the one person on the screen."""
        return one_person_state(state, self.lang)

    def trip_state(self, state: str) -> str:
        return label_of(TripState, state, self.lang)

    def cause_name(self, cause: str | None) -> str:
        return label_of(HaltCause, cause or HaltCause.OTHER.value, self.lang)

    def precedence_name(self, precedence: str) -> str:
        return label_of(Precedence, precedence, self.lang)

    def kind_name(self, kind: str) -> str:
        return label_of(SiteKind, kind, self.lang)

    def name_of(self, item: dict | None, fallback: str = "") -> str:
        """An item's name in this language, falling back to the other one, then to `fallback`."""
        if not item:
            return fallback
        first, second = ("name_ar", "name_en") if self.lang == "ar" else ("name_en", "name_ar")
        return item.get(first) or item.get(second) or fallback

    def other_name_of(self, item: dict | None) -> str:
        """The item's name in the other language, when it differs."""
        if not item:
            return ""
        first, second = ("name_en", "name_ar") if self.lang == "ar" else ("name_ar", "name_en")
        mine = self.name_of(item)
        other = item.get(first) or item.get(second) or ""
        return "" if other == mine else other
