"""The alarms a coordinator must see first, in words (English and Arabic), from plain figures.

One place for what is an alarm, how pressing it is and how it is said; the service reads the figures
(`service.alarms`), the dashboard, `corridor status` and `GET /api/status` show the same list.

    held_at_checkpoints([("CP-1", 3, since)], now)  -> [Alarm(kind="held", ...)]
    alarm.say("ar")                                   -> "٣ أشخاص ..."  (counts written "label: number")

Neutral humanitarian wording: where people are and for how long, never a judgement about any party.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .values import Precedence

URGENT, WARNING, NOTICE = "urgent", "warning", "notice"
LEVEL_RANK = {URGENT: 0, WARNING: 1, NOTICE: 2}


@dataclass(frozen=True)
class Thresholds:
    """When a figure becomes an alarm (each can be set by the operator)."""

    aboard_hours: float = 6.0  # persons aboard a vehicle that has not arrived for longer than this
    capacity_share: float = 0.9  # a reception centre this full (arrived and on their way / capacity)
    overdue_minutes: int = 30  # a trip this late against its planned departure or arrival


@dataclass(frozen=True)
class Alarm:
    kind: str  # missed_deadline | held | aboard_long | near_capacity | overdue_departure | overdue_arrival |
    #            awaiting_scan_in | differences | linked_operation | linked_incident
    level: str
    count: int  # persons, trips or centres, as the kind says
    figures: dict = field(default_factory=dict)  # what the words say (site, hours, minutes, …): no names

    def say(self, lang: str = "en") -> str:
        en, ar = _WORDS[self.kind]
        if lang != "ar":
            return en.format(n=self.count, **self.figures)
        return ar.format(n=self.count, **{k: _isolated(v) for k, v in self.figures.items()})

    def as_dict(self) -> dict:
        return {"kind": self.kind, "level": self.level, "count": self.count, "figures": dict(self.figures),
                "en": self.say("en"), "ar": self.say("ar")}


_WORDS = {
    "missed_deadline": (
        "{n} {precedence} medical case(s) will miss their deadline, by up to {late_minutes} min "
        "({unavoidable} of them: no plan could be in time)",
        "حالات طبية ({precedence_ar}) لن تصل في موعدها: {n}، بتأخير حتى {late_minutes} دقيقة "
        "(منها لا تستطيع أي خطة أن تصل في الموعد: {unavoidable})"),
    "held": (
        "{n} person(s) held at {site}, the longest for {hours} h",
        "أشخاص محتجزون عند {site}: {n}، أطولهم منذ {hours} ساعة"),
    "aboard_long": (
        "{n} person(s) aboard {trips} vehicle(s) not arrived for more than {threshold} h, the longest {hours} h",
        "أشخاص على متن مركبات لم تصل منذ أكثر من {threshold} ساعة: {n} (المركبات: {trips})، أطولهم {hours} ساعة"),
    "near_capacity": (
        "Reception centre {site}: {arrived} of {capacity} places taken or on their way ({percent} %)",
        "مركز الاستقبال {site}: {arrived} من {capacity} مكاناً مشغول أو في الطريق ({percent} ٪)"),
    "overdue_departure": (
        "{n} trip(s) not yet departed, up to {minutes} min after their planned departure",
        "رحلات لم تنطلق بعد موعدها المخطط: {n}، بتأخير حتى {minutes} دقيقة"),
    "overdue_arrival": (
        "{n} trip(s) on the road past their planned arrival, by up to {minutes} min",
        "رحلات في الطريق تجاوزت موعد وصولها المخطط: {n}، بتأخير حتى {minutes} دقيقة"),
    "awaiting_scan_in": (
        "{n} person(s) on {trips} arrived trip(s) still being scanned in (not a difference yet)",
        "أشخاص على رحلات وصلت وما زال تسجيل دخولهم جارياً (ليست فروقاً بعد): {n} (الرحلات: {trips})"),
    "differences": (
        "{n} difference(s) to resolve between who boarded and who arrived",
        "فروقات تحتاج إلى متابعة بين من صعد ومن وصل: {n}"),
    "linked_operation": (
        "Departures held by the agreement's link to {name}: the linked operation has moved {moved_there} "
        "of the {needed} needed for the next departure here ({moved_here} moved here)",
        "المغادرة متوقفة بموجب ربط الاتفاق بعملية {name_ar}: نقلت العملية المرتبطة {moved_there} من {needed} "
        "مطلوبين للمغادرة التالية من هنا (نُقل من هنا: {moved_here})"),
    "linked_incident": (
        "Linked operation {name}: {vehicles} vehicle(s) {incident} on its road {hours} h ago, {persons} person(s) "
        "affected, as reported ({source})",
        "العملية المرتبطة {name_ar}: مركبات {incident_ar} على طريقها قبل {hours} ساعة: {vehicles}، "
        "الأشخاص المتأثرون: {persons}، بحسب ما أُفيد ({source})"),
}

def _isolated(value: object) -> object:
    """A code in Latin letters (CP-RAM, a trip) set apart inside Arabic words (Unicode's first-strong isolate), so
    that the right-to-left text around it keeps its order: "عند CP-RAM: 1" is not shown as "عند 1 :CP-RAM"."""
    if isinstance(value, str) and any("A" <= ch <= "z" for ch in value):
        return f"\u2068{value}\u2069"
    return value


_INCIDENT_AR = {"attacked": "تعرّضت لهجوم", "burned": "احترقت", "lost": "انقطع الاتصال بها"}
LINKED_INCIDENT_HOURS = 24  # an incident of the linked operation is an alarm this long after it happened

_PRECEDENCE_AR = {"urgent": "عاجلة", "priority": "ذات أولوية"}


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.1f}"


def _minutes_since(since: datetime, now: datetime) -> float:
    return max(0.0, (now - since).total_seconds() / 60)


def missed_deadlines(missed: list[dict]) -> list[Alarm]:
    """Urgent and priority cases the plan brings in late (the plan's own `missed` list, one entry a household)."""
    out = []
    for precedence in ("urgent", "priority"):
        rows = [m for m in missed if m["precedence"] == precedence]
        if rows:
            out.append(Alarm("missed_deadline", URGENT if precedence == "urgent" else WARNING,
                             sum(len(m["persons"]) for m in rows),
                             {"precedence": precedence, "precedence_ar": _PRECEDENCE_AR[precedence],
                              "late_minutes": max(m["late_minutes"] for m in rows),
                              "unavoidable": sum(len(m["persons"]) for m in rows if m["unavoidable"])}))
    return out


def past_deadline(rows: list[tuple], now: datetime, planned_late: set[str]) -> list[dict]:
    """Urgent and priority cases not arrived whose deadline has passed already, beyond those the latest plan says
    it brings in late (a plan made later leaves out who has left: they stay late until they arrive). Rows are
    (token, precedence, trip, state, registered_at); entries are shaped like the plan's own `missed` list."""
    out = []
    for token, precedence, _trip, _state, registered_at in rows:
        if token in planned_late:
            continue
        minutes = Precedence(precedence).deadline_minutes
        late = _minutes_since(registered_at, now) - minutes if minutes is not None else 0
        if late > 0:
            out.append({"precedence": precedence, "persons": [token], "late_minutes": round(late),
                        "unavoidable": False})
    return out


def held_at_checkpoints(rows: list[tuple[str, int, datetime]], now: datetime) -> list[Alarm]:
    """(site, persons held there, held since the earliest) -> one alarm a site, the longest held first."""
    rows = sorted(rows, key=lambda r: r[2])
    return [Alarm("held", URGENT, n, {"site": site, "hours": _hours(_minutes_since(since, now)),
                                      "minutes": round(_minutes_since(since, now))})
            for site, n, since in rows if n]


def aboard_long(rows: list[tuple[str, int, datetime]], now: datetime, t: Thresholds) -> list[Alarm]:
    """(trip, persons aboard, boarded since the earliest) of trips not arrived -> one alarm for those past the
    threshold."""
    late = [(trip, n, since) for trip, n, since in rows if n and _minutes_since(since, now) > t.aboard_hours * 60]
    if not late:
        return []
    longest = max(_minutes_since(since, now) for _, _, since in late)
    return [Alarm("aboard_long", URGENT, sum(n for _, n, _ in late),
                  {"trips": len(late), "threshold": f"{t.aboard_hours:g}", "hours": _hours(longest),
                   "trip_ids": sorted(trip for trip, _, _ in late)})]


def near_capacity(rows: list[tuple[str, int, int | None]], t: Thresholds) -> list[Alarm]:
    """(centre, persons arrived or bound there, capacity) -> one alarm a centre at or past the share."""
    out = []
    for site, arrived, capacity in rows:
        if capacity and arrived >= t.capacity_share * capacity:
            out.append(Alarm("near_capacity", URGENT if arrived >= capacity else WARNING, 1,
                             {"site": site, "arrived": arrived, "capacity": capacity,
                              "percent": round(100 * arrived / capacity)}))
    return out


def overdue_trips(rows: list[tuple[str, str, datetime, datetime]], now: datetime, t: Thresholds,
                  halted: bool) -> list[Alarm]:
    """(trip, state, planned departure, planned arrival) -> trips late against the plan: not departed (unless
    the operation is halted: then nothing should move) and not arrived."""
    def late(at: datetime) -> float:
        return (now - at).total_seconds() / 60

    waiting = [late(d) for _, state, d, _ in rows if state in ("planned", "boarding") and not halted
               and late(d) > t.overdue_minutes]
    road = [late(a) for _, state, _, a in rows if state == "departed" and late(a) > t.overdue_minutes]
    out = []
    if road:
        out.append(Alarm("overdue_arrival", URGENT, len(road), {"minutes": round(max(road))}))
    if waiting:
        out.append(Alarm("overdue_departure", WARNING, len(waiting), {"minutes": round(max(waiting))}))
    return out


def differences(awaiting: int, awaiting_trips: int, real: int) -> list[Alarm]:
    """Persons of arrived trips not yet scanned in, apart from the real differences (closed trips, held, …)."""
    out = []
    if real:
        out.append(Alarm("differences", WARNING, real))
    if awaiting:
        out.append(Alarm("awaiting_scan_in", NOTICE, awaiting, {"trips": awaiting_trips}))
    return out


def linked_operation(name: str, held: bool, moved_there: int, moved_here: int, needed: int | None, *,
                     name_ar: str = "") -> list[Alarm]:
    """Departures here held until the linked operation moves (the agreement's link, domain/agreement.py); its name
    in Arabic on Arabic screens (the name as written where there is none)."""
    if not held:
        return []
    return [Alarm("linked_operation", URGENT, 0, {"name": name, "name_ar": name_ar or name, "moved_there": moved_there,
                                                   "moved_here": moved_here, "needed": "?" if needed is None else needed})]


def linked_incidents(name: str, rows: list[tuple[datetime, str, int, int, str]], now: datetime, *,
                     name_ar: str = "") -> list[Alarm]:
    """(when, attacked|burned|lost, vehicles, persons affected, source) of the linked operation's incidents -> one
    alarm each for those of the last `LINKED_INCIDENT_HOURS`, as reported (facts only, no party named)."""
    out = []
    for when, incident, vehicles, persons, source in sorted(rows, key=lambda r: r[0], reverse=True):
        minutes = (now - when).total_seconds() / 60
        if 0 <= minutes <= LINKED_INCIDENT_HOURS * 60:
            out.append(Alarm("linked_incident", WARNING, vehicles,
                             {"name": name, "name_ar": name_ar or name, "vehicles": vehicles, "incident": incident,
                              "incident_ar": _INCIDENT_AR.get(incident, incident), "persons": persons,
                              "hours": _hours(minutes), "source": source, "at": when.isoformat()}))
    return out


def ordered(alarms: list[Alarm]) -> list[Alarm]:
    """Most pressing first; the order of the lists given within a level."""
    return sorted(alarms, key=lambda a: LEVEL_RANK[a.level])
