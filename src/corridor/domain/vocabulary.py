"""The one vocabulary: every enumeration of `values` with its English and Arabic label.

Forms (XLSForm choices), printed cards and the dashboard take their words from here; the MEDEVAC
precedence's rank and deadline are on `values.Precedence` itself (`rank`, `deadline_minutes`).
Neutral humanitarian wording: states of people and vehicles, never judgements about any party.
The labels of person states head counts of people on the dashboard, hence their plural Arabic; one person's
state (a desk's answer, a manifest's line) is `one_person_state`, worded in Arabic for a man or a woman alike.

    label(Mobility.STRETCHER, "ar")        -> "نقّالة"
    label_of(TripState, "departed", "en")  -> "On the road"
    choices(Sex)                           -> [("female", "Female", "أنثى"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Mapping

from .values import (
    CheckpointOutcome,
    FollowUp,
    HaltCause,
    Mobility,
    PersonState,
    Precedence,
    Relationship,
    RoadIncident,
    Sex,
    SiteKind,
    TripState,
    VehicleKind,
    Vulnerability,
)

LANGS = ("en", "ar")


@dataclass(frozen=True, slots=True)
class Label:
    en: str
    ar: str

    def in_(self, lang: str) -> str:
        return self.ar if lang == "ar" else self.en


_ENTRIES = (  # (member, English, Arabic)
    (SiteKind.GATHERING_POINT, "Gathering point", "نقطة تجمّع"),
    (SiteKind.CHECKPOINT, "Checkpoint", "نقطة تفتيش"),
    (SiteKind.TRANSIT_POINT, "Transit point", "نقطة عبور"),
    (SiteKind.RECEPTION_CENTRE, "Reception centre", "مركز استقبال"),

    (VehicleKind.BUS, "Bus", "حافلة"),
    (VehicleKind.MINIBUS, "Minibus", "حافلة صغيرة"),
    (VehicleKind.AMBULANCE, "Ambulance", "سيارة إسعاف"),
    (VehicleKind.PRIVATE_CAR, "Private car", "سيارة خاصة"),
    (VehicleKind.PRIVATE_VAN, "Private van", "شاحنة صغيرة خاصة"),
    (VehicleKind.PRIVATE_TRUCK, "Private truck", "شاحنة خاصة"),

    (Sex.FEMALE, "Female", "أنثى"),
    (Sex.MALE, "Male", "ذكر"),
    (Sex.UNKNOWN, "Unknown", "غير معروف"),

    (Relationship.HEAD, "Head of household", "ربّ الأسرة"),
    (Relationship.SPOUSE, "Spouse", "زوج أو زوجة"),
    (Relationship.CHILD, "Son or daughter", "ابن أو ابنة"),
    (Relationship.PARENT, "Father or mother", "أب أو أم"),
    (Relationship.SIBLING, "Brother or sister", "أخ أو أخت"),
    (Relationship.GRANDCHILD, "Grandchild", "حفيد أو حفيدة"),
    (Relationship.GRANDPARENT, "Grandparent", "جدّ أو جدّة"),
    (Relationship.OTHER_RELATIVE, "Other relative", "قريب آخر"),
    (Relationship.NOT_RELATED, "Not related", "بلا قرابة"),
    (Relationship.UNKNOWN, "Not stated", "غير مذكورة"),

    (Mobility.WALKS, "Walks without help", "يمشي دون مساعدة"),
    (Mobility.NEEDS_HELP, "Needs help to walk (wheelchair, crutches, carried)",
                          "يحتاج مساعدة في المشي (كرسي متحرك، عكازات، حمل)"),
    (Mobility.STRETCHER, "Stretcher", "نقّالة"),

    (Precedence.URGENT, "MEDEVAC urgent: within 1 hour", "إخلاء طبي عاجل: خلال ساعة"),
    (Precedence.PRIORITY, "MEDEVAC priority: within 4 hours", "إخلاء طبي ذو أولوية: خلال ٤ ساعات"),
    (Precedence.ROUTINE, "MEDEVAC routine: within 24 hours", "إخلاء طبي روتيني: خلال ٢٤ ساعة"),
    (Precedence.NONE, "No medical evacuation needed", "لا يحتاج إخلاءً طبياً"),

    (Vulnerability.UNACCOMPANIED_CHILD, "Unaccompanied child", "طفل غير مصحوب"),
    (Vulnerability.SEPARATED_CHILD, "Separated child", "طفل منفصل عن ذويه"),
    (Vulnerability.OLDER_PERSON, "Older person", "شخص مسنّ"),
    (Vulnerability.DISABILITY, "Disability", "إعاقة"),
    (Vulnerability.PREGNANCY, "Pregnancy", "حمل"),

    (HaltCause.SHELLING, "Shelling", "قصف"),
    (HaltCause.ROUTE_BLOCKED, "Route blocked", "الطريق مغلق"),
    (HaltCause.AGREEMENT_SUSPENDED, "Agreement suspended", "تعليق الاتفاق"),
    (HaltCause.OTHER, "Other", "سبب آخر"),

    (PersonState.WAITING, "Waiting", "في الانتظار"),
    (PersonState.ASSIGNED, "Assigned to a trip", "مخصَّصون لرحلة"),
    (PersonState.BOARDED, "Boarded", "على متن المركبة"),
    (PersonState.IN_TRANSIT, "In transit", "في الطريق"),
    (PersonState.HELD, "Held at a checkpoint", "محتجزون عند نقطة تفتيش"),
    (PersonState.ARRIVED, "Arrived", "وصلوا"),
    (PersonState.UNACCOUNTED, "Unaccounted for", "لم يُعرف مكانهم"),
    (PersonState.INJURED, "Injured on the road, in care", "أُصيبوا على الطريق، قيد الرعاية"),

    (TripState.PLANNED, "Planned", "مخطَّطة"),
    (TripState.BOARDING, "Boarding", "قيد الصعود"),
    (TripState.DEPARTED, "On the road", "في الطريق"),
    (TripState.ARRIVED, "Arrived", "وصلت"),
    (TripState.CLOSED, "Closed", "مُغلقة"),
    (TripState.CANCELLED, "Cancelled", "ملغاة"),
    (TripState.TURNED_BACK, "Turned back", "أُعيدت"),
    (TripState.LOST, "Vehicle lost on the road", "فُقدت المركبة على الطريق"),

    (RoadIncident.ATTACKED, "Attacked", "تعرّضت لهجوم"),
    (RoadIncident.BURNED, "Burned", "أُحرقت"),
    (RoadIncident.LOST, "Lost", "فُقدت"),

    (FollowUp.INJURED, "Injured", "مصاب"),
    (FollowUp.TRANSFERRED, "Transferred to another vehicle", "نُقل إلى مركبة أخرى"),
    (FollowUp.UNACCOUNTED, "Unaccounted for", "لم يُعرف مكانه"),

    (CheckpointOutcome.HELD, "Held at the checkpoint", "محتجز عند نقطة التفتيش"),
    (CheckpointOutcome.REMOVED, "Taken off the vehicle", "أُنزل من المركبة"),
)

# One person's state: the Arabic above is plural (it heads counts); these forms suit one person, man or woman.
_ONE_PERSON_AR = {
    PersonState.ASSIGNED: "ضمن رحلة",
    PersonState.HELD: "قيد الاحتجاز عند نقطة تفتيش",
    PersonState.ARRIVED: "تمّ الوصول",
    PersonState.UNACCOUNTED: "المكان غير معروف",
    PersonState.INJURED: "إصابة على الطريق، قيد الرعاية",
}

# Short forms where room is scarce: the badges of wristbands and cards.
_SHORT_ENTRIES = (
    (Precedence.URGENT, "URGENT 1 h", "عاجل"),
    (Precedence.PRIORITY, "PRIORITY 4 h", "أولوية"),
    (Precedence.ROUTINE, "ROUTINE 24 h", "روتيني"),
    (Mobility.STRETCHER, "STRETCHER", "نقّالة"),
)


def _by_kind(entries: tuple[tuple[Enum, str, str], ...]) -> Mapping[type[Enum], Mapping[str, Label]]:
    """{enumeration: {value: Label}}. Keyed by the enumeration, then the value: members of two
    str enumerations with one value (PersonState.ARRIVED, TripState.ARRIVED) are equal in Python."""
    table: dict[type[Enum], dict[str, Label]] = {}
    for member, en, ar in entries:
        table.setdefault(type(member), {})[member.value] = Label(en, ar)
    return MappingProxyType({kind: MappingProxyType(values) for kind, values in table.items()})


LABELS = _by_kind(_ENTRIES)
SHORT = _by_kind(_SHORT_ENTRIES)

# a destination left open: the household goes to whichever reception centre the plan chooses
ANY_RECEPTION_CENTRE = Label("Any reception centre", "أي مركز استقبال")

ENUMS: tuple[type[Enum], ...] = (SiteKind, VehicleKind, Sex, Relationship, Mobility, Precedence, Vulnerability,
                                 HaltCause, PersonState, TripState, CheckpointOutcome, RoadIncident, FollowUp)


def label(member: Enum, lang: str = "en") -> str:
    """The member's label in `lang` ("en" or "ar")."""
    return LABELS[type(member)][member.value].in_(lang)


def short_label(member: Enum, lang: str = "en") -> str:
    """The member's short label (badges), or its label where it has no short one."""
    short = SHORT.get(type(member), {}).get(member.value)
    return short.in_(lang) if short else label(member, lang)


def label_of(kind: type[Enum], value: object, lang: str = "en") -> str:
    """The label of the member of `kind` whose value is `value`; the value itself when it is none."""
    try:
        return label(kind(value), lang)
    except ValueError:
        return "" if value is None else str(value)


def one_person_state(value: object, lang: str = "en") -> str:
    """The state of one person (`label_of(PersonState, …)` heads counts: its Arabic is plural)."""
    try:
        state = PersonState(value)
    except ValueError:
        return "" if value is None else str(value)
    return _ONE_PERSON_AR.get(state, label(state, "ar")) if lang == "ar" else label(state, lang)


def choices(kind: type[Enum]) -> list[tuple[str, str, str]]:
    """(value, English, Arabic) of every member, in the enumeration's order."""
    return [(m.value, label(m, "en"), label(m, "ar")) for m in kind]
