"""Request bodies of the HTTP API. Types are checked here; meaning is checked by the domain."""

from __future__ import annotations

import typing
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from ..domain.operation import CODE, LIMITS
from ..domain.road import MOST_PRIVATE_SEATS
from ..domain.values import (PRIVATE_KINDS, CheckpointOutcome, HaltCause, RoadIncident, SiteKind, VehicleKind,
                             time_zones)
from ..domain.registry import MAX_HOUSEHOLD, person_field_specs

# The values the domain restricts, stated in the schema as the domain checks them (the domain still checks and
# words the refusal): a new body field of one of these kinds takes the type, never a bare `str`.
Code = Annotated[str, WithJsonSchema({"type": "string", "pattern": CODE.pattern,
                                      "description": "a code: 1–32 letters, digits, '_', '.', '-'"})]
# a time or a day falls in the years domain/values.YEARS (1900–2999)
YEARS = "^(19[0-9]{2}|2[0-9]{3})-"
Time = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time", "pattern": YEARS,
                                      "description": "ISO 8601 with its offset, e.g. 2016-12-15T06:00:00+02:00"})]
Day = {"type": "string", "format": "date", "pattern": YEARS}
# an IANA time zone name the server knows (domain/values.time_zones), listed
TimeZone = Annotated[str, WithJsonSchema({"type": "string", "enum": sorted(time_zones()),
                                          "description": "an IANA time zone name such as Asia/Damascus"})]


# a command's id (service/recording.py: 1–100 printable characters) as an HTTP header carries it: visible ASCII,
# spaces only inside (a header value's ends are trimmed on the way); a batch item's command_id alike
KEY_PATTERN = r"^[!-~]([ -~]{0,98}[!-~])?$"
# a person's or household's token as typed or scanned: H or P and 8 symbols (any case; O, I, L read as 0, 1, 1)
Token = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[HPhp][0-9A-TV-Za-tv-z]{8}$",
                                       "description": "a token such as P7K3M9QX4"})]
HouseholdToken = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[Hh][0-9A-TV-Za-tv-z]{8}$",
                                                "description": "a household token such as H7K3M9QX4"})]
PersonToken = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^[Pp][0-9A-TV-Za-tv-z]{8}$",
                                             "description": "a person token such as P7K3M9QX4"})]
# text the database keeps or looks up as sent: no NUL character (PostgreSQL's text cannot hold one, so none is
# ever stored; refused alike on SQLite, 422 naming the field)
NO_NUL = "^[^\\x00]*$"
READABLE = "^[^\\x00]*[^\\s\\x00\\x1c-\\x1f\\x85][^\\x00]*$"
# and something to read: a character Python's strip() keeps (it also strips U+001C–U+001F and U+0085, which
# JSON Schema's \s leaves: an id of them alone was generated as valid and refused as blank)


def no_nul(value: str) -> str:
    """NO_NUL checked (where the document states it in a pattern of its own)."""
    if "\x00" in value:
        raise ValueError("a NUL character is not allowed (no stored value holds one)")
    return value


def looked_up(what: str) -> object:
    """An id as sent (a trip's, a convoy's, a claim's): something to read, no NUL character (refused 422); the
    service finds it or answers 404."""
    return Annotated[str, AfterValidator(no_nul), WithJsonSchema({
        "type": "string", "pattern": READABLE, "description": what})]


TripId = looked_up("a trip id such as T00012")
ConvoyId = looked_up("a convoy id such as C1-3")
ClaimId = looked_up("a claim id such as C0012")

_UNSEEN = "\\x00-\\x1f\\x7f-\\x9f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069"


def text_pattern(required: bool = True) -> str:
    """Free text as domain/text.check_text takes it: no control character or direction override; when required,
    something to read."""
    return f"^[^{_UNSEEN}]*[^\\s{_UNSEEN}][^{_UNSEEN}]*$" if required else f"^[^{_UNSEEN}]*$"


def text(limit: int = 200, required: bool = True) -> object:
    """Free text (`text_pattern`), at most `limit` characters (check_text's), checked here as sent (the domain
    checks it again once its spaces are folded)."""
    return Annotated[str, Field(max_length=limit), WithJsonSchema({"type": "string", "pattern": text_pattern(required),
                                                                    "maxLength": limit})]


Text = text()  # check_text's own limit: 200 characters
OptionalText = text(required=False)


def _whole(value):
    """JSON's 3.0 is the integer 3 (as JSON Schema reads it); true is not 1 and "3" is not 3 (strict)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Whole = Annotated[int, BeforeValidator(_whole)]


def count(minimum: int = 0, maximum: int = 1_000_000) -> object:
    """A whole number the domain bounds (domain/operation.check_count), its bounds checked here as the document
    states them (a body field's; a query parameter takes `Query(ge=, le=)`, which FastAPI documents)."""
    return Annotated[Whole, Field(ge=minimum, le=maximum),
                     WithJsonSchema({"type": "integer", "minimum": minimum, "maximum": maximum})]


def one_of(kind) -> object:
    """A text field taking one of an enumeration's values (the domain refuses any other, naming them)."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": [m.value for m in kind]})]


# every input model: no unknown field, and no value coerced from another JSON type (0 is not false, "1" not 1)
STRICT = ConfigDict(extra="forbid", strict=True)


class Body(BaseModel):
    model_config = STRICT
    at: Time | None = Field(None, description="When it happened (ISO 8601 with offset); default: now")


class OperationIn(Body):
    name_en: Text
    name_ar: OptionalText = ""
    starts_at: Time
    boarding_minutes: count(0, LIMITS["boarding_minutes"]) = 15
    unloading_minutes: count(0, LIMITS["unloading_minutes"]) = 10
    time_zone: TimeZone | None = Field(None, description="where the operation happens: the zone its times are "
                                                         "shown in (none: UTC)")


class SiteIn(Body):
    code: Code
    kind: one_of(SiteKind)
    name_en: Text
    name_ar: OptionalText = ""
    lat: Annotated[float, WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})]
    lon: Annotated[float, WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})]
    capacity: count(1, LIMITS["capacity"]) | None = None


class LegIn(Body):
    origin: Code
    destination: Code
    minutes: count(1, LIMITS["minutes"])


class VehicleIn(Body):
    # at least one seat or stretcher place (seats + stretchers ≥ 1), as JSON Schema says it: one or the other ≥ 1
    model_config = STRICT | {"json_schema_extra": {"anyOf": [
        {"properties": {"seats": {"minimum": 1}}},
        {"properties": {"stretchers": {"minimum": 1}}, "required": ["stretchers"]}]}}
    code: Code
    plate: text(32)
    kind: Annotated[str, WithJsonSchema({"type": "string", "description": "a fleet vehicle's kind (a private one "
                                         "joins a convoy instead)", "enum": [k.value for k in VehicleKind
                                                                             if k not in PRIVATE_KINDS]})]
    seats: count(0, LIMITS["seats"])
    stretchers: count(0, LIMITS["stretchers"]) = 0
    operator: text(100)
    site: Code
    available_from: Time


class WindowIn(BaseModel):
    model_config = STRICT
    opens: Time
    closes: Time


class CorridorRulesIn(Body):
    convoy_size: count(1, LIMITS["convoy_size"]) | None = Field(None, description="most vehicles in one convoy (none: no limit)")
    convoy_gap_minutes: count(0, LIMITS["convoy_gap_minutes"]) = Field(0, description="least minutes between two convoys entering the corridor")
    checkpoint_rates: dict[Code, count(1, LIMITS["checkpoint_rate"])] = Field({}, description="checkpoint code -> most vehicles an hour", json_schema_extra={
        "additionalProperties": False, "propertyNames": {"pattern": CODE.pattern}})
    windows: list[WindowIn] = Field([], description="when the corridor is open (none: always)")
    note: text(500, required=False) = ""


class WithdrawIn(Body):
    reason: text(500)


def _json_type(spec):
    """A field's type as JSON carries it: dates are ISO 8601 text, allowed values an enumeration."""
    annotation, args = spec.type, typing.get_args(spec.type)
    if date in args:
        day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
        return typing.Union[tuple(day if a is str else a for a in args if a is not date)]  # noqa: UP007
    if spec.name == "links":
        return list[PersonToken]
    if spec.allowed:
        values = Annotated[str, WithJsonSchema({"type": "string", "enum": list(spec.allowed)})]
        return list[values] if typing.get_origin(annotation) is list else values
    if int in args:
        return typing.Union[tuple(Whole if a is int else a for a in args)]  # noqa: UP007
    return annotation


def _person_model() -> type[BaseModel]:
    """PersonIn, derived from the one definition of a person's fields (domain.registry.PersonInput)."""
    fields = {}
    for spec in person_field_specs():
        description = spec.description + (f"; one of {', '.join(spec.allowed)}" if spec.allowed else "")
        default = Field(default_factory=list, description=description) if isinstance(spec.default, list) \
            else Field(spec.default, description=description)
        fields[spec.name] = (_json_type(spec), default)
    return create_model("PersonIn", __config__=STRICT, __doc__="One person of a household.",
                        **fields)


PersonIn = _person_model()


class HouseholdIn(Body):
    gathering_point: Code
    destination: Code | None = None
    persons: list[PersonIn] = Field(min_length=1, max_length=MAX_HOUSEHOLD)
    token: HouseholdToken | None = Field(None, description="a pre-printed household token, if any (one in use: 409)")
    person_tokens: list[PersonToken] | None = Field(None, description="pre-printed person tokens, in the order of "
                                                    "persons: no more than persons (one in use: 409)",
                                                    json_schema_extra={"uniqueItems": True})


class BatchItem(HouseholdIn):
    command_id: str | None = Field(None, description="the client's id for this registration (as an "
                                   "Idempotency-Key)", min_length=1, max_length=100, pattern=KEY_PATTERN)


class HouseholdBatch(BaseModel):
    model_config = STRICT
    households: list[BatchItem] = Field(max_length=5000)


class TokensIn(Body):
    tokens: list[Token] = Field(min_length=1, max_length=500)


class TakenOffIn(BaseModel):
    model_config = STRICT
    token: Token
    outcome: one_of(CheckpointOutcome) = Field("held", description="held or removed")
    reason: text(500)


class CheckpointIn(Body):
    taken_off: list[TakenOffIn] = []


class NoteIn(Body):
    note: text(500, required=False) = ""


class HaltIn(Body):
    cause: one_of(HaltCause) = Field(description="why the operation halts")
    note: text(500, required=False) = ""


class MergeIn(Body):
    kept: Token = Field(description="the record that stays")
    duplicate: Token = Field(description="the record folded into it")
    note: OptionalText = ""
    force: bool = Field(False, description="merge a pair the duplicate check never proposed")


class PairIn(Body):
    a: Token
    b: Token
    note: OptionalText = ""


class Receipt(BaseModel):
    seq: int
    command_id: str
    type: str
    at: str
    replayed: bool
    data: dict


class ReceiptBatch(BaseModel):
    receipts: list[Receipt] = Field(description="one receipt per household, in the order sent")


class ScanInReceipt(Receipt):
    children: list[dict] = Field(description="children among those scanned in, with who they belong with")


class MissedDeadline(BaseModel):
    household: str
    persons: list[str]
    precedence: str = Field(description="the household's most pressing precedence")
    deadline_at: str
    arrive_at: str = Field(description="when the plan brings them to a reception centre")
    late_minutes: int
    unavoidable: bool = Field(description="no plan at all could bring them in time")


class PlanReceipt(Receipt):
    missed_deadlines: list[MissedDeadline] = Field(description="medical deadlines this plan misses, urgent first")


# --- the road ----------------------------------------------------------------------------------------------


class PrivateVehicleIn(Body):
    plate: text(32)
    kind: Literal["car", "van", "truck", "private_car", "private_van", "private_truck"]
    seats: count(1, MOST_PRIVATE_SEATS) = Field(description="how many people it may carry")
    driver: text(100) = Field(description="the driver's name, as stated")
    occupants: list[Token] = Field([], max_length=MOST_PRIVATE_SEATS, description="tokens of registered occupants",
                                   json_schema_extra={"uniqueItems": True})
    unregistered: count(0, MOST_PRIVATE_SEATS) = Field(0, description="occupants not registered")
    destination: Code | None = Field(None, description="where it goes, when the convoy goes to several centres")


class TurnBackIn(Body):
    checkpoint: Code = Field(description="where the convoy was stopped")
    reason: text(500) = Field(description="why, as stated")


class FollowUpIn(BaseModel):
    model_config = STRICT
    token: Token
    outcome: Literal["injured", "unaccounted"] = Field(description="injured or unaccounted")


class TransferredIn(BaseModel):
    model_config = STRICT
    token: Token
    outcome: Literal["transferred"]
    to_trip: TripId = Field(description="the trip on the road that took them on")


class DepartIn(Body):
    note: str = Field("", pattern=NO_NUL)
    driver: str = Field("", pattern=NO_NUL, description="who drives it on this trip (signed on the manifest)")


class VehicleLostIn(Body):
    incident: one_of(RoadIncident) = Field(description="attacked, burned or lost")
    note: text(500, required=False) = ""
    persons: list[FollowUpIn | TransferredIn] = Field([], json_schema_extra={"uniqueItems": True})
    others: Literal["injured", "unaccounted"] = Field("unaccounted", description="everyone aboard not listed")
