"""A trip manifest as a paper (`sheet`): the trip, its vehicle and route, the persons aboard with their names in both
scripts, and the sign-offs at departure and at arrival with lines to sign. English and Arabic."""

from __future__ import annotations

from ...domain.values import (CheckpointOutcome, FollowUp, Precedence, RoadIncident, Sex, TripState,
                               VehicleKind)
from ...domain.vocabulary import label_of, one_person_state, short_label
from ..shaping import code, number, utc_time
from .sheet import Block, Paper, Table, render

WORDS = {
    "en": {
        "title": "Trip manifest {trip}", "subtitle": "{operation} · convoy {convoy} · printed {printed}",
        "trip": "The trip", "vehicle": "Vehicle", "plate": "Plate", "driver": "Driver", "operator": "Operator",
        "convoy": "Convoy", "from_to": "From – to", "route": "Route", "planned": "Planned departure / arrival",
        "actual": "Departed / arrived", "state": "State", "aboard": "Persons", "unregistered": "Not registered aboard",
        "road": "On the road", "persons": "Persons on the trip", "no": "No.", "token": "Token",
        "name_ar": "Name (Arabic)", "name_latin": "Name (Latin letters)", "sex": "Sex", "age": "Age",
        "precedence": "Precedence", "stretcher": "Stretcher", "now": "now", "fate": "On this trip / now", "yes": "yes", "none": "–",
        "sign": "Sign-off", "departure": "Departure", "arrival": "Arrival", "scanned_in": "Scanned in at reception",
        "by": "{by}, {at}, persons: {n}", "not_yet": "not yet",
        "sign_dep": "Signed at departure (name, signature)", "sign_arr": "Signed at arrival (name, signature)",
        "turned_back": "turned back at {site}: {note}", "incident": "{incident}: {note}",
        "footer": "corridor · trip manifest {trip} · personal data: keep safe, destroy when no longer needed",
        "fields": "Fields this role may not see are left out.", "left_behind": "Left behind", "transferred_to": "Moved to {trip}",
        "turned_back_p": "Turned back", "private": "private (no operator)",
    },
    "ar": {
        "title": "قائمة ركاب الرحلة {trip}", "subtitle": "{operation} · القافلة {convoy} · طُبعت {printed}",
        "trip": "الرحلة", "vehicle": "المركبة", "plate": "اللوحة", "driver": "السائق", "operator": "الجهة المشغّلة",
        "convoy": "القافلة", "from_to": "من – إلى", "route": "الطريق", "planned": "الانطلاق / الوصول المخطَّط",
        "actual": "الانطلاق / الوصول الفعلي", "state": "الحالة", "aboard": "الأشخاص",
        "unregistered": "غير مسجَّلين على متنها", "road": "على الطريق", "persons": "الأشخاص في الرحلة",
        "no": "رقم", "token": "الرمز", "name_ar": "الاسم (بالعربية)", "name_latin": "الاسم (بالحروف اللاتينية)",
        "sex": "الجنس", "age": "العمر", "precedence": "الأولوية", "stretcher": "نقالة", "now": "الآن", "fate": "في هذه الرحلة / الآن",
        "yes": "نعم", "none": "–", "sign": "التوقيع", "departure": "الانطلاق", "arrival": "الوصول",
        "scanned_in": "سُجِّل وصولهم في مركز الاستقبال", "by": "{by}، {at}، عدد الأشخاص: {n}", "not_yet": "لم يحدث بعد",
        "sign_dep": "التوقيع عند الانطلاق (الاسم والتوقيع)", "sign_arr": "التوقيع عند الوصول (الاسم والتوقيع)",
        "turned_back": "أُعيدت عند {site}: {note}", "incident": "{incident}: {note}",
        "footer": "corridor · قائمة ركاب الرحلة {trip} · بيانات شخصية: تُحفظ بأمان وتُتلف عند انتهاء الحاجة إليها",
        "fields": "الحقول التي لا يحق لهذا الدور رؤيتها محذوفة.", "left_behind": "تُرك ولم يصعد", "transferred_to": "نُقل إلى {trip}",
        "turned_back_p": "أُعيد", "private": "خاصة (بلا جهة مشغّلة)",
    },
}


def _site(site: dict, lang: str) -> str:
    return site["name_ar"] if lang == "ar" else site["name_en"]


def _fate(p: dict, w: dict, lang: str) -> str:
    """What happened to the person on this trip (when other than travelling on it), then where they are now."""
    now = one_person_state(p.get("state"), lang)
    o = p.get("on_this_trip")
    if not o:
        return now
    kind = o["kind"]
    if kind in ("held", "removed"):
        said = label_of(CheckpointOutcome, kind, lang) + f" ({code(o['at'], lang)})"
    elif kind == "transferred":
        said = w["transferred_to"].format(trip=code(o.get("to_trip") or "–", lang))
    elif kind in ("injured", "unaccounted"):
        said = label_of(FollowUp, kind, lang)
    else:
        said = w["turned_back_p" if kind == "turned_back" else kind]
    return f"{said} · {w['now']}: {now}"


def paper(m: dict, lang: str, printed: str) -> Paper:
    w = WORDS[lang]
    v = m.get("vehicle") or {}
    route = m["route"]
    op = m.get("operation") or {}
    times = m["times"]
    rows = [
        [w["convoy"], code(m["convoy"], lang)],
        [w["vehicle"], f"{code(v.get('code', '–'), lang)} · {label_of(VehicleKind, v.get('kind'), lang)}"],
        [w["plate"], v.get("plate") or "–"], [w["driver"], v.get("driver") or "–"],
        [w["operator"], w["private"] if m.get("private") else v.get("operator") or "–"],  # never the raw 'private'
        [w["from_to"], f"{_site(route[0], lang)} – {_site(route[-1], lang)}"],
        [w["route"], " – ".join(_site(s, lang) for s in route)],
        [w["planned"], f"{utc_time(times['depart_at'], lang)} / {utc_time(times['arrive_at'], lang)}"],
        [w["actual"], f"{utc_time(times['departed_at'], lang)} / {utc_time(times['arrived_at'], lang)}"],
        [w["state"], label_of(TripState, m["state"], lang)],
        [w["aboard"], number(len(m["persons"]), lang)],
    ]
    if m.get("unregistered"):
        rows.append([w["unregistered"], number(m["unregistered"], lang)])
    road = m.get("road")
    if road:
        where = road.get("turned_back_at_checkpoint")
        named = next((f"{_site(x, lang)} ({code(where, lang)})" for x in route if x.get("code") == where), None)
        text = (w["turned_back"].format(site=named or code(where, lang), note=road["note"] or "")
                if road.get("turned_back_at_checkpoint") else
                w["incident"].format(incident=label_of(RoadIncident, road["incident"], lang), note=road["note"] or ""))
        rows.append([w["road"], text])
    persons = m["persons"]
    shown = [k for k in ("token", "name_ar", "name_latin", "sex", "age", "precedence", "stretcher")
             if k == "token" or any(k in p for p in persons)]
    shares = {"token": 1.3, "name_ar": 2.4, "name_latin": 2.4, "sex": 0.8, "age": 0.5, "precedence": 1.1,
              "stretcher": 0.9}
    body = []
    for i, p in enumerate(persons, 1):
        cells = [number(i, lang)]
        for k in shown:
            value = p.get(k)
            if k == "sex":
                value = label_of(Sex, value, lang)
            elif k == "precedence":
                value = short_label(Precedence(value), lang) if value and value != Precedence.NONE.value else "–"
            elif k == "stretcher":
                value = w["yes"] if value else ""
            elif k == "age":
                value = "–" if value is None else number(value, lang)
            cells.append("–" if value is None else str(value))
        cells.append(_fate(p, w, lang))
        body.append(cells)
    so = m["sign_offs"]

    def said(s):
        if not s:
            return w["not_yet"]
        return w["by"].format(by=s["by"], at=utc_time(s["at"], lang), n=number(s["persons"], lang))

    blocks = [
        Block(w["trip"], tables=[Table(["", ""], rows, [1, 3], size=9)]),
        Block(w["persons"], paragraphs=[] if len(shown) == 7 else [w["fields"]],
              tables=[Table([w["no"], *[w[k] for k in shown], w["fate"]], body,
                            [0.5, *[shares[k] for k in shown], 2.2])]),
        Block(w["sign"], tables=[Table(["", ""], [[w["departure"], said(so.get("departure"))],
                                                  [w["arrival"], said(so.get("arrival"))],
                                                  [w["scanned_in"], number(so.get("scanned_in", 0), lang)]],
                                       [1, 3], size=9)],
              signatures=[w["sign_dep"], w["sign_arr"]]),
    ]
    name = op.get("name_ar" if lang == "ar" else "name_en") or ""
    trip = code(m["trip"], lang)
    return Paper(lang=lang, title=w["title"].format(trip=trip),
                 subtitle=w["subtitle"].format(operation=name, convoy=code(m["convoy"], lang),
                                               printed=utc_time(printed, lang)),
                 blocks=blocks, footer=w["footer"].format(trip=trip))


def render_manifest(m: dict, *, langs=("en", "ar"), printed: str | None = None, fonts=None) -> bytes:
    from datetime import datetime, timezone

    printed = printed or datetime.now(timezone.utc).isoformat()
    return render([paper(m, lang, printed) for lang in langs], title=f"corridor trip manifest {m['trip']}",
                  fonts=fonts)
