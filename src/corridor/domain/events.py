"""The ledger's event types: facts, in the past tense, as plain dataclasses.

Every accepted command appends exactly one event. The envelope (when it
happened, who recorded it, from which device, the client's command id, the
hash chain) lives in the ledger row; the event holds the facts themselves.
Payloads are encoded to canonical JSON by `encode` and read back by `decode`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from .agreement import AgreementTerms
from .claims import ClaimContent
from .codec import canonical_json_of, from_plain
from .values import (
    CheckpointOutcome,
    FollowUp,
    HaltCause,
    Mobility,
    Precedence,
    Relationship,
    RoadIncident,
    Sex,
    SiteKind,
    VehicleKind,
    Vulnerability,
)


class Event:
    """Base of every ledger event."""


# --- setting up --------------------------------------------------------------


@dataclass(frozen=True)
class OperationCreated(Event):
    name_en: str
    name_ar: str
    starts_at: datetime
    boarding_minutes: int
    unloading_minutes: int
    time_zone: str = "UTC"  # the zone its times are shown in (an operation recorded before it had one: UTC)


@dataclass(frozen=True)
class SiteAdded(Event):
    code: str
    kind: SiteKind
    name_en: str
    name_ar: str
    lat: float
    lon: float
    capacity: int | None


@dataclass(frozen=True)
class LegAdded(Event):
    origin: str
    destination: str
    minutes: int


@dataclass(frozen=True)
class VehicleAdded(Event):
    code: str
    plate: str
    kind: VehicleKind
    seats: int
    stretchers: int
    operator: str
    site: str
    available_from: datetime


@dataclass(frozen=True)
class CheckpointRate:
    checkpoint: str
    vehicles_per_hour: int


@dataclass(frozen=True)
class TimeWindow:
    opens: datetime
    closes: datetime


@dataclass(frozen=True)
class CorridorRulesSet(Event):
    """The terms under which vehicles may use the corridor, as agreed (they replace earlier ones)."""

    convoy_size: int | None  # most vehicles in one convoy; None: no limit
    convoy_gap_minutes: int  # least minutes between two convoys entering the corridor
    checkpoint_rates: tuple[CheckpointRate, ...]  # most vehicles an hour through a checkpoint
    windows: tuple[TimeWindow, ...]  # when the corridor is open; empty: always
    note: str


@dataclass(frozen=True)
class VehicleWithdrawn(Event):
    """A vehicle is no longer available (lost, broken down, recalled)."""

    code: str
    reason: str


# --- registering -------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    token: str
    name_ar: str
    name_latin: str
    sex: Sex
    birth_year: int | None
    birth_date: date | None
    relationship: Relationship
    mobility: Mobility
    precedence: Precedence
    vulnerabilities: tuple[Vulnerability, ...]
    links: tuple[str, ...] = ()  # persons registered elsewhere this person belongs with (family links)
    medical_notes: str = ""  # for medics only


@dataclass(frozen=True)
class HouseholdRegistered(Event):
    token: str
    gathering_point: str
    destination: str | None
    persons: tuple[PersonRecord, ...]


@dataclass(frozen=True)
class HouseholdCorrected(Event):
    """Fields of persons of a household corrected from a list imported again (their tokens kept)."""

    token: str
    persons: tuple[PersonRecord, ...]  # only the persons that changed, with their new fields (links unchanged)


@dataclass(frozen=True)
class HouseholdErased(Event):
    """A household's personal data destroyed for good (its data key deleted): names, birth dates,
    medical notes, vulnerabilities, family links and held reasons. Tokens, counts and movements stay."""

    household: str
    reason: str  # the category (registry.ERASURE_REASONS); never personal data
    note: str  # a short text; never personal data


# --- duplicates ----------------------------------------------------------------


@dataclass(frozen=True)
class DuplicatePair:
    a: str  # person token, a < b
    b: str
    score: float
    high: bool
    evidence: dict  # what agreed and how, as the matcher saw it


@dataclass(frozen=True)
class DuplicatesChecked(Event):
    """A duplicate check ran over the registry and found these candidate pairs."""

    persons_checked: int
    pairs: tuple[DuplicatePair, ...]


@dataclass(frozen=True)
class DuplicatesMerged(Event):
    """A registrar decided two records are one person: `duplicate` is folded into `kept`."""

    kept: str
    duplicate: str
    note: str


@dataclass(frozen=True)
class DuplicatePairDismissed(Event):
    """A registrar decided two records are two different people."""

    a: str
    b: str
    note: str


@dataclass(frozen=True)
class DuplicateDecisionUndone(Event):
    """A merge or dismissal of the pair is taken back; the pair is open again."""

    a: str
    b: str
    note: str


# --- planning ----------------------------------------------------------------


@dataclass(frozen=True)
class TripRecord:
    id: str
    vehicle: str
    origin: str
    destination: str
    route: tuple[str, ...]  # every site from origin to destination
    convoy: str
    depart_at: datetime
    arrive_at: datetime
    persons: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineMissed:
    household: str
    persons: tuple[str, ...]
    deadline_at: datetime
    arrive_at: datetime
    late_minutes: int
    unavoidable: bool  # no plan at all could bring them in time


@dataclass(frozen=True)
class PlanMade(Event):
    plan_id: str
    planner: str
    finish_at: datetime | None
    lower_bound_at: datetime | None
    cancelled_trips: tuple[str, ...]
    trips: tuple[TripRecord, ...]
    warnings: tuple[str, ...] = ()  # what the coordinator was told when planning (e.g. unresolved duplicates)
    missed: tuple[DeadlineMissed, ...] = ()  # medical deadlines this plan does not meet


# --- running -----------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """A coordinator let this happen although it breaks rules of the agreement: which, and why."""

    rules: tuple[str, ...]  # agreement.destinations, agreement.link, ...
    reason: str


@dataclass(frozen=True)
class PersonsBoarded(Event):
    trip: str
    persons: tuple[str, ...]
    override: Override | None = None


@dataclass(frozen=True)
class TripDeparted(Event):
    trip: str
    left_behind: tuple[str, ...]  # assigned to the trip, not aboard when it left
    driver: str = ""  # who drives it on this trip, as signed off at departure (older events: not recorded)
    override: Override | None = None
    items: tuple[str, ...] = ()  # items declared for the vehicle at departure


@dataclass(frozen=True)
class TakenOff:
    person: str
    outcome: CheckpointOutcome
    reason: str  # as stated at the checkpoint


@dataclass(frozen=True)
class CheckpointPassed(Event):
    trip: str
    checkpoint: str
    taken_off: tuple[TakenOff, ...]


@dataclass(frozen=True)
class TripArrived(Event):
    trip: str


@dataclass(frozen=True)
class PersonsScannedIn(Event):
    trip: str
    persons: tuple[str, ...]


@dataclass(frozen=True)
class TripClosed(Event):
    trip: str
    unaccounted: tuple[str, ...]  # aboard on arrival, never scanned in


@dataclass(frozen=True)
class PersonReleased(Event):
    person: str
    note: str


@dataclass(frozen=True)
class OperationHalted(Event):
    cause: HaltCause
    note: str


@dataclass(frozen=True)
class OperationResumed(Event):
    note: str


# --- the road: private vehicles, convoys turned back, vehicles lost ------------------


@dataclass(frozen=True)
class PrivateVehicleJoined(Event):
    """A private car, van or truck joins a convoy with its occupants aboard: registered persons (boarded by token)
    and people not registered (a count). It is never planned; it moves, is checked and counted as a trip."""

    trip: str  # its own trip in the convoy (P00001, …)
    vehicle: str  # its code (PV-…)
    plate: str
    kind: VehicleKind
    seats: int
    driver: str  # as stated
    convoy: str
    origin: str
    destination: str
    route: tuple[str, ...]
    depart_at: datetime  # the convoy's planned departure
    arrive_at: datetime
    persons: tuple[str, ...]  # registered occupants, boarded
    unregistered: int  # occupants not registered


@dataclass(frozen=True)
class TurnedBack:
    trip: str
    back_at: datetime  # when its vehicle is back at the trip's origin (from the checkpoint, by the legs)


@dataclass(frozen=True)
class ConvoyTurnedBack(Event):
    """A convoy stopped at a checkpoint and sent back: every vehicle returns to its origin, everyone aboard waits
    again (persons held there stay held) and is planned again."""

    convoy: str
    checkpoint: str
    reason: str  # as stated
    trips: tuple[TurnedBack, ...]  # the convoy's trips on the road, each turned back
    returned: tuple[str, ...]  # the persons aboard them, back to waiting


@dataclass(frozen=True)
class FollowedUp:
    person: str
    outcome: FollowUp
    to_trip: str | None = None  # transferred: the trip that took them on


@dataclass(frozen=True)
class VehicleLostOnRoad(Event):
    """A vehicle attacked, burned or lost on the road with people aboard: each person is marked for follow-up,
    the vehicle withdrawn; the rest is planned again."""

    trip: str
    vehicle: str
    incident: RoadIncident
    note: str  # as stated
    persons: tuple[FollowedUp, ...]
# --- the agreement -------------------------------------------------------------


@dataclass(frozen=True)
class AgreementSet(Event):
    """The agreement's terms, recorded whole for the first time (domain/agreement.py)."""

    terms: AgreementTerms


@dataclass(frozen=True)
class AgreementAmended(Event):
    """New terms replacing the agreement's terms whole; the earlier ones stay in the ledger."""

    terms: AgreementTerms
    reason: str


@dataclass(frozen=True)
class PersonCategorySet(Event):
    """A person's category under the agreement and the items they declared (protection-sensitive: sealed)."""

    person: str
    category: str
    items: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class LinkedFiguresRecorded(Event):
    """The persons moved so far by the linked operation, as entered by a coordinator or imported from its export."""

    moved: int
    as_of: datetime
    source: str  # "entered" or the other instance's export (its name and ledger head)
    note: str


@dataclass(frozen=True)
class LinkedIncidentRecorded(Event):
    """An incident of the linked operation as reported — vehicles attacked, burned or lost on its road — entered by a
    coordinator or imported from its own instance. Facts only (when, what, how many), no party named."""

    occurred_at: datetime
    incident: RoadIncident
    vehicles: int  # vehicles of the linked operation it befell
    persons_affected: int  # persons reported hurt, missing or taken back (0: none reported)
    source: str  # "entered", or the other instance's export (its name and ledger event)
    note: str  # as reported


@dataclass(frozen=True)
class NotificationIssued(Event):
    """A movement notification sent to the parties for deconfliction (service/notifications.py): what it covered,
    the notice it gave, and the hash of its content as issued (who issued it and when: the ledger's envelope)."""

    scope: str  # "convoy C1-2" or "movements of 2016-12-15"
    convoy: str | None
    date: str  # the day of the first departure (YYYY-MM-DD)
    emergency: bool
    lead_hours: float
    required_hours: int
    vehicles: int
    persons: int
    content_hash: str  # SHA-256 of the notification's content as issued (canonical JSON)


# --- claims: what others say (never the operation's own record) ------------------


@dataclass(frozen=True)
class ClaimRecorded(Event):
    claim: str  # C0001, in the order recorded
    content: ClaimContent


@dataclass(frozen=True)
class ClaimCorrected(Event):
    claim: str
    content: ClaimContent  # replaces the claim's content as a whole
    note: str


@dataclass(frozen=True)
class ClaimWithdrawn(Event):
    claim: str
    reason: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        OperationCreated, SiteAdded, LegAdded, VehicleAdded, CorridorRulesSet, VehicleWithdrawn,
        HouseholdRegistered, HouseholdCorrected, HouseholdErased, PlanMade,
        DuplicatesChecked, DuplicatesMerged, DuplicatePairDismissed, DuplicateDecisionUndone,
        PersonsBoarded, TripDeparted, CheckpointPassed, TripArrived, PersonsScannedIn,
        TripClosed, PersonReleased, OperationHalted, OperationResumed,
        ClaimRecorded, ClaimCorrected, ClaimWithdrawn,
        AgreementSet, AgreementAmended, PersonCategorySet, LinkedFiguresRecorded,
    )
}
EVENT_TYPES.update({cls.__name__: cls for cls in (PrivateVehicleJoined, ConvoyTurnedBack, VehicleLostOnRoad,
                                                   LinkedIncidentRecorded, NotificationIssued)})


# --- the ledger's payloads (domain/codec.py) --------------------------------------


def encode(event: Event) -> tuple[str, str]:
    """(type name, canonical JSON payload)."""
    return type(event).__name__, canonical_json_of(event)


def decode(type_name: str, payload: str) -> Event:
    return from_plain(EVENT_TYPES[type_name], json.loads(payload))
