"""A movement notification as a paper (`sheet`), in English and Arabic: who moves, when, where (waypoints with
coordinates), in which vehicles (plate, type, marking, persons aboard — never names — and staff), whom to call,
and a warning when the notice is shorter than required."""

from __future__ import annotations

from ...domain.values import SiteKind, VehicleKind
from ...domain.vocabulary import label_of
from ..shaping import code, decimal, number, utc_date, utc_time
from .sheet import Block, Paper, Table, render

WORDS = {
    "en": {
        "title": "Humanitarian movement notification",
        "subtitle": "{operation} · {scope} · issued {issued}",
        "who": "Movement", "organisation": "Organisation", "contact": "Contact", "date": "Date",
        "window": "Window (first departure – last arrival)", "corridor": "Corridor open",
        "notice": "Notice", "notice_text": "{lead} h before the first departure; {required} h required{kind}",
        "emergency": " (emergency)", "convoys": "Convoys", "totals": "Vehicles / persons / staff",
        "route": "Route {n}: waypoints", "order": "No.", "site": "Place", "kind": "Kind", "lat": "Latitude",
        "lon": "Longitude", "vehicles": "Vehicles", "convoy": "Convoy", "vehicle": "Vehicle", "plate": "Plate",
        "type": "Type", "marking": "Marking", "persons": "Persons", "staff": "Staff", "departs": "Departs",
        "to": "To", "private": "private, unmarked", "marked": "{operator} markings", "none": "not given",
        "always": "day and night", "no_names": "No names are given: persons are counted, never named.",
        "footer": "corridor · movement notification for deconfliction · {scope}",
        "warning": "WARNING: {text}",
    },
    "ar": {
        "title": "إشعار بتحرّك إنساني",
        "subtitle": "{operation} · {scope} · صدر {issued}",
        "who": "التحرّك", "organisation": "المنظمة", "contact": "جهة الاتصال", "date": "التاريخ",
        "window": "الفترة (أول انطلاق – آخر وصول)", "corridor": "أوقات فتح الممر",
        "notice": "مدة الإشعار", "notice_text": "{lead} ساعة قبل أول انطلاق؛ المطلوب {required} ساعة{kind}",
        "emergency": " (حالة طارئة)", "convoys": "القوافل", "totals": "المركبات / الأشخاص / الموظفون",
        "route": "الطريق {n}: نقاط المرور", "order": "رقم", "site": "المكان", "kind": "النوع", "lat": "خط العرض",
        "lon": "خط الطول", "vehicles": "المركبات", "convoy": "القافلة", "vehicle": "المركبة", "plate": "اللوحة",
        "type": "النوع", "marking": "العلامات", "persons": "الأشخاص", "staff": "الموظفون", "departs": "الانطلاق",
        "to": "إلى", "private": "خاصة، بلا علامات", "marked": "علامات {operator}", "none": "غير محدَّد",
        "always": "ليلًا ونهارًا", "no_names": "لا تُذكر أسماء: يُذكر عدد الأشخاص فقط.",
        "footer": "corridor · إشعار بتحرّك لتجنّب التعارض · {scope}",
        "warning": "تنبيه: {text}",
    },
}

WARNINGS_AR = {
    "no contact given": "لم تُحدَّد جهة اتصال: اذكر من تتصل به الأطراف بشأن هذا التحرّك",
}
# the short-notice warning says in Arabic what the English says: the lead time, the hours required, emergency or not
SHORT_NOTICE_AR = ("مدة الإشعار أقصر من المطلوب: {lead} ساعة قبل أول انطلاق، والمطلوب {required} ساعة {kind}؛ "
                   "يجب إبلاغ الأطراف فورًا وتأكيد التحرّك قبل انطلاقه")
SHORT_NOTICE_KIND_AR = {False: "مسبقًا", True: "مسبقًا في حالة طارئة"}


def short_notice_ar(notice: dict) -> str:
    """The short-notice warning in Arabic, with its figures in the Eastern Arabic digits of the rest of the paper."""
    return SHORT_NOTICE_AR.format(lead=decimal(notice["lead_hours"], 1, "ar"),
                                  required=number(notice["required_hours"], "ar"),
                                  kind=SHORT_NOTICE_KIND_AR[bool(notice["emergency"])])


def _scope(d: dict, lang: str) -> str:
    if lang == "en":
        return d["scope"]
    kind, _, which = d["scope"].partition(" ")
    return f"القافلة {code(which, lang)}" if kind == "convoy" else f"تحركات يوم {utc_date(d['date'], lang)}"


def paper(d: dict, lang: str) -> Paper:
    w = WORDS[lang]
    n = d["notice"]
    windows = d["window"]["corridor_open"]
    open_text = "; ".join(f"{utc_time(a, lang)} – {utc_time(b, lang)}" for a, b in windows) or w["always"]
    t = d["totals"]
    facts = [
        [w["organisation"], d["organisation"] or w["none"]], [w["contact"], d["contact"] or w["none"]],
        [w["date"], utc_date(d["date"], lang)],
        [w["window"], f"{utc_time(d['window']['from'], lang)} – {utc_time(d['window']['to'], lang)}"],
        [w["corridor"], open_text],
        [w["notice"], w["notice_text"].format(lead=decimal(n["lead_hours"], 1, lang),
                                              required=number(n["required_hours"], lang),
                                              kind=w["emergency"] if n["emergency"] else "")],
        [w["convoys"], ", ".join(d["convoys"])],
        [w["totals"], " / ".join(number(t[k], lang) for k in ("vehicles", "persons", "staff"))],
    ]
    warnings = []
    for text in d["warnings"]:
        if lang == "ar" and text.startswith("short notice"):
            text = short_notice_ar(n)
        elif lang == "ar":
            text = next((ar for key, ar in WARNINGS_AR.items() if text.startswith(key)), text)
        warnings.append(w["warning"].format(text=text))
    blocks = [Block(w["who"], warnings=warnings, tables=[Table(["", ""], facts, [1.2, 3], size=9)])]
    for i, route in enumerate(d["routes"], 1):
        rows = [[number(j, lang), wp["name_ar"] if lang == "ar" else wp["name_en"], label_of(SiteKind, wp["kind"], lang),
                 coordinate(wp["lat"], lang), coordinate(wp["lon"], lang)]
                for j, wp in enumerate(route["waypoints"], 1)]
        blocks.append(Block(w["route"].format(n=number(i, lang)), tables=[Table(
            [w["order"], w["site"], w["kind"], w["lat"], w["lon"]], rows, [0.5, 3, 1.6, 1.2, 1.2])]))
    rows = [[x["convoy"], x["vehicle"], x["plate"] or "–", label_of(VehicleKind, x["type"], lang),
             w["private"] if x["private"] else w["marked"].format(operator=x["marking"]),
             number(x["persons"], lang), number(x["staff"], lang), utc_time(x["depart_at"], lang), x["destination"]]
            for x in d["vehicles"]]
    blocks.append(Block(w["vehicles"], paragraphs=[w["no_names"]], tables=[Table(
        [w["convoy"], w["vehicle"], w["plate"], w["type"], w["marking"], w["persons"], w["staff"], w["departs"],
         w["to"]], rows, [0.9, 0.9, 1.1, 0.9, 1.4, 0.6, 0.6, 1.5, 0.7], size=8)]))
    op = d.get("operation") or {}
    scope = _scope(d, lang)
    return Paper(lang=lang, title=w["title"],
                 subtitle=w["subtitle"].format(operation=op.get("name_ar" if lang == "ar" else "name_en", ""),
                                               scope=scope, issued=utc_time(d["issued_at"], lang)),
                 blocks=blocks, footer=w["footer"].format(scope=scope))


def render_notification(d: dict, *, langs=("en", "ar"), fonts=None) -> bytes:
    return render([paper(d, lang) for lang in langs], title="corridor movement notification", fonts=fonts)


def coordinate(degrees: float, lang: str) -> str:
    """A latitude or longitude in decimal degrees with Latin digits on either paper, kept whole: it is typed into
    a GPS or a map as printed, and a figure misread there puts a waypoint somewhere else."""
    return code(f"{degrees:.5f}", lang)
