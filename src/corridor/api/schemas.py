"""Request bodies of the HTTP API. Types are checked here; meaning is checked by the domain."""

from __future__ import annotations

import typing
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model
from typing import Annotated

from ..domain.operation import CODE
from ..domain.values import CheckpointOutcome, HaltCause, SiteKind, VehicleKind
from ..domain.registry import person_field_specs

# The values the domain restricts, stated in the schema as the domain checks them (the domain still checks and
# words the refusal): a new body field of one of these kinds takes the type, never a bare `str`.
Code = Annotated[str, WithJsonSchema({"type": "string", "pattern": CODE.pattern,
                                      "description": "a code: 1–32 letters, digits, '_', '.', '-'"})]
Time = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time",
                                      "description": "ISO 8601 with its offset, e.g. 2016-12-15T06:00:00+02:00"})]


def one_of(kind) -> object:
    """A text field taking one of an enumeration's values (the domain refuses any other, naming them)."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": [m.value for m in kind]})]


# every input model: no unknown field, and no value coerced from another JSON type (0 is not false, "1" not 1)
STRICT = ConfigDict(extra="forbid", strict=True)


class Body(BaseModel):
    model_config = STRICT
    at: Time | None = Field(None, description="When it happened (ISO 8601 with offset); default: now")


class OperationIn(Body):
    name_en: str
    name_ar: str = ""
    starts_at: Time
    boarding_minutes: int = 15
    unloading_minutes: int = 10


class SiteIn(Body):
    code: Code
    kind: one_of(SiteKind)
    name_en: str
    name_ar: str = ""
    lat: float
    lon: float
    capacity: int | None = None


class LegIn(Body):
    origin: Code
    destination: Code
    minutes: int


class VehicleIn(Body):
    code: Code
    plate: str
    kind: one_of(VehicleKind)
    seats: int
    stretchers: int = 0
    operator: str
    site: Code
    available_from: Time


class WindowIn(BaseModel):
    model_config = STRICT
    opens: Time
    closes: Time


class CorridorRulesIn(Body):
    convoy_size: int | None = Field(None, description="most vehicles in one convoy (none: no limit)")
    convoy_gap_minutes: int = Field(0, description="least minutes between two convoys entering the corridor")
    checkpoint_rates: dict[str, int] = Field({}, description="checkpoint code -> most vehicles an hour")
    windows: list[WindowIn] = Field([], description="when the corridor is open (none: always)")
    note: str = ""


class WithdrawIn(Body):
    reason: str


def _json_type(spec):
    """A field's type as JSON carries it: dates are ISO 8601 text, allowed values an enumeration."""
    annotation, args = spec.type, typing.get_args(spec.type)
    if date in args:
        day = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
        return typing.Union[tuple(day if a is str else a for a in args if a is not date)]  # noqa: UP007
    if spec.allowed:
        values = Annotated[str, WithJsonSchema({"type": "string", "enum": list(spec.allowed)})]
        return list[values] if typing.get_origin(annotation) is list else values
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
    persons: list[PersonIn]
    token: str | None = Field(None, description="a pre-printed household token, if any")
    person_tokens: list[str] | None = None


class BatchItem(HouseholdIn):
    command_id: str | None = Field(None, description="the client's id for this registration")


class HouseholdBatch(BaseModel):
    model_config = STRICT
    households: list[BatchItem] = Field(max_length=5000)


class TokensIn(Body):
    tokens: list[str] = Field(min_length=1, max_length=500)


class TakenOffIn(BaseModel):
    model_config = STRICT
    token: str
    outcome: one_of(CheckpointOutcome) = Field("held", description="held or removed")
    reason: str


class CheckpointIn(Body):
    taken_off: list[TakenOffIn] = []


class NoteIn(Body):
    note: str = ""


class HaltIn(Body):
    cause: one_of(HaltCause) = Field(description="why the operation halts")
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
