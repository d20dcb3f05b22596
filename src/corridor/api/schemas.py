"""Request bodies of the HTTP API. Types are checked here; meaning is checked by the domain."""

from __future__ import annotations

import typing
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..domain.registry import person_field_specs


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    at: str | None = Field(None, description="When it happened (ISO 8601 with offset); default: now")


class OperationIn(Body):
    name_en: str
    name_ar: str = ""
    starts_at: str
    boarding_minutes: int = 15
    unloading_minutes: int = 10


class SiteIn(Body):
    code: str
    kind: str = Field(description="gathering_point, checkpoint, transit_point or reception_centre")
    name_en: str
    name_ar: str = ""
    lat: float
    lon: float
    capacity: int | None = None


class LegIn(Body):
    origin: str
    destination: str
    minutes: int


class VehicleIn(Body):
    code: str
    plate: str
    kind: str = Field(description="bus, minibus or ambulance")
    seats: int
    stretchers: int = 0
    operator: str
    site: str
    available_from: str


class WindowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    opens: str
    closes: str


class CorridorRulesIn(Body):
    convoy_size: int | None = Field(None, description="most vehicles in one convoy (none: no limit)")
    convoy_gap_minutes: int = Field(0, description="least minutes between two convoys entering the corridor")
    checkpoint_rates: dict[str, int] = Field({}, description="checkpoint code -> most vehicles an hour")
    windows: list[WindowIn] = Field([], description="when the corridor is open (none: always)")
    note: str = ""


class WithdrawIn(Body):
    reason: str


def _json_type(annotation):
    """A field's type as JSON carries it: dates are ISO 8601 text."""
    args = typing.get_args(annotation)
    if date in args:
        return typing.Union[tuple(a for a in args if a is not date)]  # noqa: UP007
    return annotation


def _person_model() -> type[BaseModel]:
    """PersonIn, derived from the one definition of a person's fields (domain.registry.PersonInput)."""
    fields = {}
    for spec in person_field_specs():
        description = spec.description + (f"; one of {', '.join(spec.allowed)}" if spec.allowed else "")
        default = Field(default_factory=list, description=description) if isinstance(spec.default, list) \
            else Field(spec.default, description=description)
        fields[spec.name] = (_json_type(spec.type), default)
    return create_model("PersonIn", __config__=ConfigDict(extra="forbid"), __doc__="One person of a household.",
                        **fields)


PersonIn = _person_model()


class HouseholdIn(Body):
    gathering_point: str
    destination: str | None = None
    persons: list[PersonIn]
    token: str | None = Field(None, description="a pre-printed household token, if any")
    person_tokens: list[str] | None = None


class BatchItem(HouseholdIn):
    command_id: str | None = Field(None, description="the client's id for this registration")


class HouseholdBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    households: list[BatchItem] = Field(max_length=5000)


class TokensIn(Body):
    tokens: list[str] = Field(min_length=1, max_length=500)


class TakenOffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str
    outcome: str = Field("held", description="held or removed")
    reason: str


class CheckpointIn(Body):
    taken_off: list[TakenOffIn] = []


class NoteIn(Body):
    note: str = ""


class HaltIn(Body):
    cause: str = Field(description="shelling, route_blocked, agreement_suspended or other")
    note: str = ""


class MergeIn(Body):
    kept: str = Field(description="the record that stays")
    duplicate: str = Field(description="the record folded into it")
    note: str = ""
    force: bool = Field(False, description="merge a pair the duplicate check never proposed")


class PairIn(Body):
    a: str
    b: str
    note: str = ""


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
    plate: str
    kind: str = Field(description="car, van or truck")
    seats: int = Field(description="how many people it may carry")
    driver: str = Field(description="the driver's name, as stated")
    occupants: list[str] = Field([], description="tokens of registered occupants")
    unregistered: int = Field(0, description="occupants not registered")
    destination: str | None = Field(None, description="where it goes, when the convoy goes to several centres")


class TurnBackIn(Body):
    checkpoint: str = Field(description="where the convoy was stopped")
    reason: str = Field(description="why, as stated")


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str
    outcome: str = Field(description="injured, transferred or unaccounted")
    to_trip: str | None = Field(None, description="transferred: the trip on the road that took them on")


class DepartIn(Body):
    note: str = ""
    driver: str = Field("", description="who drives it on this trip (signed on the manifest)")


class VehicleLostIn(Body):
    incident: str = Field(description="attacked, burned or lost")
    note: str = ""
    persons: list[FollowUpIn] = []
    others: str = Field("unaccounted", description="injured or unaccounted: everyone aboard not listed")
