"""The desk screens' words, in Arabic and English (the dashboard's own are in web/i18n.py).

Neutral wording: what happened to a scan and what to do next, never a judgement. Counts are written
"label: number" in Arabic so that no noun has to agree with a number. The words the page's scripts need
(answers, the count of scans waiting) go to the page as JSON: `DeskWords.for_script()`."""

from __future__ import annotations

from ...domain.values import Mobility, PersonState
from ...domain.vocabulary import label_of
from ..i18n import Words

_EN = {
    "desk": "Field desk",
    "boarding": "Boarding",
    "gathering_point": "Gathering point",
    "trips_loading": "Trips loading here",
    "no_trips": "No trip is loading at your gathering points.",
    "seats_left": "Seats left",
    "stretchers_left": "Stretcher places left",
    "assigned": "Expected",
    "aboard": "Aboard",
    "choose_trip": "Board onto this trip",
    "chosen": "Boarding onto",
    "scan": "Scan a card",
    "camera": "Open the camera",
    "camera_stop": "Close the camera",
    "camera_none": "No camera could be opened. Type the token instead.",
    "token": "Token on the card (person or household)",
    "token_hint": "For example P7K3M9QX4",
    "board": "Board",
    "manifest": "Manifest",
    "manifest_offline": "The manifest cannot be loaded without a connection.",
    "name": "Name",
    "state": "State",
    "mobility": "Mobility",
    "depart": "Depart",
    "departed": "The trip has departed.",
    "depart_confirm": "Let this trip depart now? Nobody can board it after.",
    "outbox_none": "Everything is sent.",
    "outbox_some": "scans not yet sent: {n}",
    "outbox_one": "1 scan not yet sent",
    "outbox_many": "{n} scans not yet sent",
    "conflicts": "Scans refused when they were sent",
    "dismiss": "Seen",
    "offline": "No connection: scans are kept on this device and sent when it returns.",
    "sign_out": "Sign out",
    "a_ok": "Accepted: aboard",
    "a_already": "Already aboard this trip",
    "a_elsewhere": "Already on another trip",
    "a_wrong": "Wrong trip. The right one:",
    "a_unknown": "Not registered",
    "a_held": "Held: cannot board",
    "a_refused": "Not boarded",
    "a_queued": "Kept on this device: will be sent",
    "a_error": "Not sent: the server refused the request",
    "board_anyway": "Board onto this trip anyway",
    "persons": "persons",
}

_AR = {
    "desk": "مكتب الميدان",
    "boarding": "الصعود",
    "gathering_point": "نقطة التجمع",
    "trips_loading": "الرحلات التي يصعد إليها الناس هنا",
    "no_trips": "لا توجد رحلة يصعد إليها الناس في نقاط التجمع الخاصة بك.",
    "seats_left": "المقاعد المتبقية",
    "stretchers_left": "أماكن النقالات المتبقية",
    "assigned": "المتوقَّعون",
    "aboard": "على متن المركبة",
    "choose_trip": "الصعود إلى هذه الرحلة",
    "chosen": "الصعود إلى",
    "scan": "مسح بطاقة",
    "camera": "فتح الكاميرا",
    "camera_stop": "إغلاق الكاميرا",
    "camera_none": "تعذّر فتح الكاميرا. اكتب الرمز بدلاً من ذلك.",
    "token": "الرمز على البطاقة (شخص أو أسرة)",
    "token_hint": "مثلاً P7K3M9QX4",
    "board": "صعود",
    "manifest": "قائمة الركاب",
    "manifest_offline": "لا يمكن تحميل قائمة الركاب دون اتصال.",
    "name": "الاسم",
    "state": "الحالة",
    "mobility": "الحركة",
    "depart": "انطلاق",
    "departed": "انطلقت الرحلة.",
    "depart_confirm": "هل تنطلق هذه الرحلة الآن؟ لن يصعد إليها أحد بعد ذلك.",
    "outbox_none": "أُرسل كل شيء.",
    "outbox_some": "عمليات مسح لم تُرسل بعد: {n}",
    "outbox_one": "عمليات مسح لم تُرسل بعد: 1",
    "outbox_many": "عمليات مسح لم تُرسل بعد: {n}",
    "conflicts": "عمليات مسح رُفضت عند إرسالها",
    "dismiss": "تمّت المشاهدة",
    "offline": "لا يوجد اتصال: تُحفظ عمليات المسح على هذا الجهاز وتُرسل عند عودته.",
    "sign_out": "تسجيل الخروج",
    "a_ok": "مقبول: على متن المركبة",
    "a_already": "على متن هذه الرحلة أصلاً",
    "a_elsewhere": "على متن رحلة أخرى",
    "a_wrong": "رحلة خاطئة. الرحلة الصحيحة:",
    "a_unknown": "غير مسجَّل",
    "a_held": "محتجز: لا يمكنه الصعود",
    "a_refused": "لم يصعد",
    "a_queued": "محفوظ على هذا الجهاز: سيُرسل لاحقاً",
    "a_error": "لم يُرسل: رفض الخادم الطلب",
    "board_anyway": "الصعود إلى هذه الرحلة رغم ذلك",
    "persons": "أشخاص",
}

SCRIPT_KEYS = ("outbox_none", "outbox_one", "outbox_many", "offline", "a_ok", "a_already", "a_elsewhere", "a_wrong",
               "a_unknown", "a_held", "a_refused", "a_queued", "a_error", "board_anyway", "manifest_offline",
               "camera", "camera_stop", "camera_none", "departed", "depart_confirm", "dismiss")

assert _EN.keys() == _AR.keys(), "the desk's words differ between English and Arabic"


class DeskWords(Words):
    """The dashboard's words (states, names of sites) and the desk's own."""

    def __init__(self, lang: str):
        super().__init__(lang)
        self.__dict__["_labels"] = {**self._labels, **(_AR if self.lang == "ar" else _EN)}

    def for_script(self) -> dict:
        return {key: self._labels[key] for key in SCRIPT_KEYS} | {
            "lang": self.lang,
            "states": {s.value: label_of(PersonState, s.value, self.lang) for s in PersonState},
            "mobility": {m.value: label_of(Mobility, m.value, self.lang) for m in Mobility}}
