"""The commands: what a coordinator, registrar or field team asks for, as plain orders.

One frozen dataclass per command. `normalised()` returns the canonical copy — tokens
checked and upper-cased, trip ids upper-cased, codes stripped, lists made tuples — and the
recording pipeline fingerprints that copy, so a resend typed differently (a lower-case token)
is recognised as the same command. `name` is the command's name in fingerprints; it never
changes, so ledgers recorded earlier fingerprint the same. `params()` is what is fingerprinted.
Deeper checks (is it a real site, a sane coordinate) stay with the rules that decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

from .claims import parse_claim
from .errors import BadInput
from .codec import to_plain
from .tokens import normalise_token


class Command:
    """Base of every command."""

    name: ClassVar[str]
    # may be recorded while the operation is being prepared (before its start); running it may not
    prepares: ClassVar[bool] = True

    def normalised(self) -> Command:
        return self

    def params(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


def _code(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _trip(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"trip: expected a trip id such as T00012, got {value!r}", field="trip")
    return value.strip().upper()


def _tokens(raw: object) -> tuple[str, ...]:
    """One token or a list of tokens, each checked and in canonical form."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not raw:
        raise BadInput("tokens: give one token or a list of tokens", field="tokens")
    if len(raw) == 1:
        return (normalise_token(raw[0], "token"),)
    return tuple(normalise_token(t, f"tokens[{i}]") for i, t in enumerate(raw))


def _override(value: object) -> object:
    """An override's reason: None when not given; a reason must say something."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise BadInput("override: give the reason for overriding the agreement (1–500 characters)",
                       field="override")
    return value.strip()


def _without_empty(params: dict, *names: str) -> dict:
    """Parameters added later are fingerprinted only when given, so earlier commands fingerprint the same."""
    return {k: v for k, v in params.items() if k not in names or v}


def _time_text(value: object) -> object:
    return value if value is None or isinstance(value, str) else str(value)


# --- setting up --------------------------------------------------------------


@dataclass(frozen=True)
class CreateOperation(Command):
    name: ClassVar[str] = "create_operation"
    name_en: Any
    starts_at: Any
    name_ar: Any = ""
    boarding_minutes: Any = 15
    unloading_minutes: Any = 10
    time_zone: Any = None

    def normalised(self) -> CreateOperation:
        return replace(self, starts_at=_time_text(self.starts_at))


@dataclass(frozen=True)
class AddSite(Command):
    name: ClassVar[str] = "add_site"
    code: Any
    kind: Any
    name_en: Any
    lat: Any
    lon: Any
    name_ar: Any = ""
    capacity: Any = None

    def normalised(self) -> AddSite:
        return replace(self, code=_code(self.code), kind=_code(self.kind))


@dataclass(frozen=True)
class AddLeg(Command):
    name: ClassVar[str] = "add_leg"
    origin: Any
    destination: Any
    minutes: Any

    def normalised(self) -> AddLeg:
        return replace(self, origin=_code(self.origin), destination=_code(self.destination))


@dataclass(frozen=True)
class AddVehicle(Command):
    name: ClassVar[str] = "add_vehicle"
    code: Any
    plate: Any
    kind: Any
    seats: Any
    operator: Any
    site: Any
    available_from: Any
    stretchers: Any = 0

    def normalised(self) -> AddVehicle:
        return replace(self, code=_code(self.code), kind=_code(self.kind), site=_code(self.site),
                       available_from=_time_text(self.available_from))


@dataclass(frozen=True)
class SetCorridorRules(Command):
    name: ClassVar[str] = "set_corridor_rules"
    convoy_size: Any = None
    convoy_gap_minutes: Any = 0
    checkpoint_rates: Any = field(default_factory=dict)
    windows: Any = ()
    note: Any = ""

    def normalised(self) -> SetCorridorRules:
        rates = self.checkpoint_rates or {}
        if isinstance(rates, dict):
            rates = {_code(k): v for k, v in rates.items()}
        windows = self.windows or ()
        return replace(self, checkpoint_rates=rates,
                       windows=tuple(windows) if isinstance(windows, (list, tuple)) else windows)


@dataclass(frozen=True)
class WithdrawVehicle(Command):
    name: ClassVar[str] = "withdraw_vehicle"
    code: Any
    reason: Any

    def normalised(self) -> WithdrawVehicle:
        return replace(self, code=_code(self.code))


# --- registering -------------------------------------------------------------


@dataclass(frozen=True)
class RegisterHousehold(Command):
    """A household at a gathering point; `invalid` carries a problem found while reading it (refused by decide)."""

    name: ClassVar[str] = "register_household"
    gathering_point: Any
    destination: Any
    persons: Any
    token: Any = None
    person_tokens: Any = None
    invalid: dict | None = None

    @classmethod
    def of(cls, params: dict) -> RegisterHousehold:
        return cls(**{f.name: params.get(f.name) for f in fields(cls)})

    def normalised(self) -> RegisterHousehold:
        token = normalise_token(self.token, "token") if self.token is not None else None
        given = self.person_tokens
        if isinstance(given, (list, tuple)):
            given = tuple(normalise_token(t, f"person_tokens[{j}]") for j, t in enumerate(given))
        persons = tuple(self.persons) if isinstance(self.persons, list) else self.persons
        return replace(self, gathering_point=_code(self.gathering_point), destination=_code(self.destination),
                       token=token, person_tokens=given, persons=persons)

    def params(self) -> dict:
        out = super().params()
        if out["invalid"] is None:
            del out["invalid"]
        return out


@dataclass(frozen=True)
class CorrectHousehold(Command):
    """Apply a corrected list's changes to a household imported before from the same source."""

    name: ClassVar[str] = "correct_household"
    token: Any  # the registered household
    household: Any  # its key in the list
    fingerprint: Any  # of the household's rows as the corrected list gives them

    def normalised(self) -> CorrectHousehold:
        return replace(self, token=normalise_token(self.token, "token"))


# --- duplicates ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckDuplicates(Command):
    """The result of a duplicate check over `persons` records: the candidate pairs found."""

    name: ClassVar[str] = "check_duplicates"
    persons: int
    pairs: tuple[tuple[str, str], ...]

    def normalised(self) -> CheckDuplicates:
        return replace(self, pairs=tuple(tuple(p) for p in self.pairs))


def _person_token(value: object, field_name: str) -> object:
    return normalise_token(value, field_name)


@dataclass(frozen=True)
class MergeDuplicates(Command):
    name: ClassVar[str] = "merge_duplicates"
    kept: Any
    duplicate: Any
    note: Any = ""
    force: bool = False  # merge a pair the matcher never proposed

    def normalised(self) -> MergeDuplicates:
        return replace(self, kept=_person_token(self.kept, "kept"),
                       duplicate=_person_token(self.duplicate, "duplicate"))

    def params(self) -> dict:
        out = super().params()
        if not out["force"]:
            del out["force"]  # ledgers from before `force` existed fingerprint the same
        return out


@dataclass(frozen=True)
class DismissDuplicates(Command):
    name: ClassVar[str] = "dismiss_duplicates"
    a: Any
    b: Any
    note: Any = ""

    def normalised(self) -> DismissDuplicates:
        return replace(self, a=_person_token(self.a, "a"), b=_person_token(self.b, "b"))


@dataclass(frozen=True)
class UndoDuplicateDecision(Command):
    name: ClassVar[str] = "undo_duplicates"
    a: Any
    b: Any
    note: Any = ""

    def normalised(self) -> UndoDuplicateDecision:
        return replace(self, a=_person_token(self.a, "a"), b=_person_token(self.b, "b"))


# --- planning ----------------------------------------------------------------


@dataclass(frozen=True)
class MakePlan(Command):
    name: ClassVar[str] = "plan"


# --- running -----------------------------------------------------------------


@dataclass(frozen=True)
class Board(Command):
    """Board persons, or the waiting members of households, onto a trip."""

    name: ClassVar[str] = "board"
    prepares: ClassVar[bool] = False
    trip: Any
    tokens: Any
    override: Any = None  # a coordinator's reason to let it happen against the agreement's rules

    def normalised(self) -> Board:
        return replace(self, trip=_trip(self.trip), tokens=_tokens(self.tokens), override=_override(self.override))

    def params(self) -> dict:
        return _without_empty(super().params(), "override")


@dataclass(frozen=True)
class Depart(Command):
    name: ClassVar[str] = "depart"
    prepares: ClassVar[bool] = False
    trip: Any
    driver: Any = ""  # who drives it on this trip (the manifest's sign-off)
    override: Any = None
    items: Any = ()  # items declared for the vehicle

    def normalised(self) -> Depart:
        items = tuple(self.items) if isinstance(self.items, (list, tuple)) else self.items
        return replace(self, trip=_trip(self.trip), override=_override(self.override), items=items)

    def params(self) -> dict:
        return _without_empty(super().params(), "driver", "override", "items")


# --- the agreement -------------------------------------------------------------


@dataclass(frozen=True)
class SetAgreement(Command):
    name: ClassVar[str] = "set_agreement"
    terms: Any


@dataclass(frozen=True)
class AmendAgreement(Command):
    name: ClassVar[str] = "amend_agreement"
    terms: Any
    reason: Any


@dataclass(frozen=True)
class SetPersonCategory(Command):
    name: ClassVar[str] = "set_person_category"
    token: Any
    category: Any
    items: Any = ()
    note: Any = ""

    def normalised(self) -> SetPersonCategory:
        items = tuple(self.items) if isinstance(self.items, (list, tuple)) else self.items
        return replace(self, token=normalise_token(self.token, "token"), category=_code(self.category), items=items)


@dataclass(frozen=True)
class RecordLinkedFigures(Command):
    name: ClassVar[str] = "record_linked_figures"
    moved: Any
    as_of: Any = None
    source: Any = "entered"
    note: Any = ""

    def normalised(self) -> RecordLinkedFigures:
        return replace(self, as_of=_time_text(self.as_of))


@dataclass(frozen=True)
class RecordLinkedIncident(Command):
    name: ClassVar[str] = "record_linked_incident"
    incident: Any
    occurred_at: Any = None
    vehicles: Any = 1
    persons_affected: Any = 0
    source: Any = "entered"
    note: Any = ""

    def normalised(self) -> RecordLinkedIncident:
        return replace(self, occurred_at=_time_text(self.occurred_at),
                       incident=self.incident.strip().lower() if isinstance(self.incident, str) else self.incident)


@dataclass(frozen=True)
class IssueNotification(Command):
    """Issue a movement notification (one convoy or one day's movements) to the parties: recorded as issued."""

    name: ClassVar[str] = "issue_notification"
    convoy: Any = None
    date: Any = None
    emergency: Any = False
    organisation: Any = None
    contact: Any = None
    staff: Any = 1

    def normalised(self) -> IssueNotification:
        return replace(self, convoy=_code(self.convoy) or None, date=_time_text(_code(self.date)) or None,
                       organisation=_code(self.organisation) or None, contact=_code(self.contact) or None)


@dataclass(frozen=True)
class PassCheckpoint(Command):
    """A trip passes a checkpoint; `taken_off` lists {token, outcome: held|removed, reason} as stated."""

    name: ClassVar[str] = "pass_checkpoint"
    prepares: ClassVar[bool] = False
    trip: Any
    checkpoint: Any
    taken_off: Any = ()

    def normalised(self) -> PassCheckpoint:
        off = self.taken_off or ()
        if not isinstance(off, (list, tuple)):
            raise BadInput("taken_off: expected a list of {token, outcome, reason}", field="taken_off")
        items = []
        for i, item in enumerate(off):
            if not isinstance(item, dict) or "token" not in item:
                raise BadInput(f"taken_off[{i}]: expected {{token, outcome, reason}}", field=f"taken_off[{i}]")
            items.append({**item, "token": normalise_token(item["token"], f"taken_off[{i}].token")})
        checkpoint = str(self.checkpoint).strip() if self.checkpoint is not None else ""
        return replace(self, trip=_trip(self.trip), checkpoint=checkpoint, taken_off=tuple(items))


@dataclass(frozen=True)
class Arrive(Command):
    name: ClassVar[str] = "arrive"
    prepares: ClassVar[bool] = False
    trip: Any

    def normalised(self) -> Arrive:
        return replace(self, trip=_trip(self.trip))


@dataclass(frozen=True)
class ScanIn(Command):
    """Scan persons in at the reception centre (a household token: its members aboard this trip)."""

    name: ClassVar[str] = "scan_in"
    prepares: ClassVar[bool] = False
    trip: Any
    tokens: Any

    def normalised(self) -> ScanIn:
        return replace(self, trip=_trip(self.trip), tokens=_tokens(self.tokens))


@dataclass(frozen=True)
class CloseTrip(Command):
    name: ClassVar[str] = "close"
    prepares: ClassVar[bool] = False
    trip: Any

    def normalised(self) -> CloseTrip:
        return replace(self, trip=_trip(self.trip))


@dataclass(frozen=True)
class ReleasePerson(Command):
    name: ClassVar[str] = "release"
    prepares: ClassVar[bool] = False
    token: Any
    note: Any = ""

    def normalised(self) -> ReleasePerson:
        return replace(self, token=normalise_token(self.token, "token"))


@dataclass(frozen=True)
class EraseHousehold(Command):
    """Destroy a household's personal data (its data key); the record of what happened stays."""

    name: ClassVar[str] = "erase_household"
    household: Any
    reason: Any
    note: Any = ""

    def normalised(self) -> EraseHousehold:
        reason = self.reason.strip().lower() if isinstance(self.reason, str) else self.reason
        return replace(self, household=normalise_token(self.household, "household"), reason=reason)


@dataclass(frozen=True)
class Halt(Command):
    name: ClassVar[str] = "halt"
    cause: Any
    note: Any = ""

    def normalised(self) -> Halt:
        return replace(self, cause=self.cause.strip() if isinstance(self.cause, str) else self.cause)


@dataclass(frozen=True)
class Resume(Command):
    name: ClassVar[str] = "resume"
    note: Any = ""


# --- claims --------------------------------------------------------------------


def _claim_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"claim: expected a claim id such as C0012, got {value!r}", field="claim")
    return value.strip().upper()


@dataclass(frozen=True)
class RecordClaim(Command):
    """Record what a source claims (a JSON object, checked by `domain.claims.parse_claim`)."""

    name: ClassVar[str] = "record_claim"
    claim: Any

    def normalised(self) -> RecordClaim:
        return replace(self, claim=to_plain(parse_claim(self.claim)))


@dataclass(frozen=True)
class CorrectClaim(Command):
    """Replace a recorded claim's content (a new event; the first version stays in the ledger)."""

    name: ClassVar[str] = "correct_claim"
    id: Any
    claim: Any
    note: Any = ""

    def normalised(self) -> CorrectClaim:
        return replace(self, id=_claim_id(self.id), claim=to_plain(parse_claim(self.claim)))


@dataclass(frozen=True)
class WithdrawClaim(Command):
    name: ClassVar[str] = "withdraw_claim"
    id: Any
    reason: Any = ""

    def normalised(self) -> WithdrawClaim:
        return replace(self, id=_claim_id(self.id))


# --- the road --------------------------------------------------------------------


def _convoy(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"convoy: expected a convoy id such as C1-3, got {value!r}", field="convoy")
    return value.strip().upper()


def _optional_tokens(raw: object, field_name: str) -> tuple[str, ...]:
    if raw is None or raw == "" or raw == ():
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise BadInput(f"{field_name}: give a list of person tokens", field=field_name)
    return tuple(normalise_token(t, f"{field_name}[{i}]") for i, t in enumerate(raw))


@dataclass(frozen=True)
class JoinPrivateVehicle(Command):
    """A private car, van or truck joins a convoy with its occupants (tokens of registered persons, and a count of
    people not registered), its plate and its driver."""

    name: ClassVar[str] = "join_private_vehicle"
    prepares: ClassVar[bool] = False
    convoy: Any
    plate: Any
    kind: Any
    seats: Any
    driver: Any
    occupants: Any = ()
    unregistered: Any = 0
    destination: Any = None

    def normalised(self) -> JoinPrivateVehicle:
        plate = self.plate.strip().upper() if isinstance(self.plate, str) else self.plate
        kind = self.kind.strip().lower() if isinstance(self.kind, str) else self.kind
        if isinstance(kind, str) and not kind.startswith("private_"):
            kind = f"private_{kind}"
        return replace(self, convoy=_convoy(self.convoy), plate=plate, kind=kind,
                       occupants=_optional_tokens(self.occupants, "occupants"),
                       destination=_code(self.destination) or None)


@dataclass(frozen=True)
class TurnBackConvoy(Command):
    """A convoy stopped at a checkpoint and sent back to its origin."""

    name: ClassVar[str] = "turn_back_convoy"
    prepares: ClassVar[bool] = False
    convoy: Any
    checkpoint: Any
    reason: Any

    def normalised(self) -> TurnBackConvoy:
        return replace(self, convoy=_convoy(self.convoy), checkpoint=_code(self.checkpoint))


@dataclass(frozen=True)
class ReportVehicleLost(Command):
    """A vehicle attacked, burned or lost on the road: `persons` lists {token, outcome: injured|transferred|
    unaccounted, to_trip (transferred), note}; everyone aboard not listed takes `others`."""

    name: ClassVar[str] = "report_vehicle_lost"
    prepares: ClassVar[bool] = False
    trip: Any
    incident: Any
    note: Any = ""
    persons: Any = ()
    others: Any = "unaccounted"

    def normalised(self) -> ReportVehicleLost:
        raw = self.persons or ()
        if not isinstance(raw, (list, tuple)):
            raise BadInput("persons: expected a list of {token, outcome, to_trip, note}", field="persons")
        items = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or "token" not in item:
                raise BadInput(f"persons[{i}]: expected {{token, outcome, to_trip, note}}", field=f"persons[{i}]")
            to_trip = item.get("to_trip")
            items.append({**item, "token": normalise_token(item["token"], f"persons[{i}].token"),
                          "to_trip": _trip(to_trip) if to_trip else None})
        incident = self.incident.strip().lower() if isinstance(self.incident, str) else self.incident
        others = self.others.strip().lower() if isinstance(self.others, str) else self.others
        return replace(self, trip=_trip(self.trip), incident=incident, persons=tuple(items), others=others)
