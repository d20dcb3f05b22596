"""Enumerations and small self-validating values shared across the domain.

The English and Arabic labels of every enumeration are in `vocabulary`."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum

from .errors import BadInput


class SiteKind(str, Enum):
    GATHERING_POINT = "gathering_point"
    CHECKPOINT = "checkpoint"
    TRANSIT_POINT = "transit_point"
    RECEPTION_CENTRE = "reception_centre"


class VehicleKind(str, Enum):
    BUS = "bus"
    MINIBUS = "minibus"
    AMBULANCE = "ambulance"
    # private vehicles joining a convoy with their occupants: never planned, counted in every figure
    PRIVATE_CAR = "private_car"
    PRIVATE_VAN = "private_van"
    PRIVATE_TRUCK = "private_truck"


PRIVATE_KINDS = frozenset({VehicleKind.PRIVATE_CAR, VehicleKind.PRIVATE_VAN, VehicleKind.PRIVATE_TRUCK})


class Sex(str, Enum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Relationship(str, Enum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    NOT_RELATED = "not_related"
    UNKNOWN = "unknown"  # not stated


class Mobility(str, Enum):
    WALKS = "walks"
    NEEDS_HELP = "needs_help"
    STRETCHER = "stretcher"


class Precedence(str, Enum):
    """MEDEVAC request precedence (urgent within 1 h, priority within 4 h, routine within 24 h)."""

    URGENT = "urgent"
    PRIORITY = "priority"
    ROUTINE = "routine"
    NONE = "none"

    @property
    def rank(self) -> int:
        """0 goes first (urgent), 3 last (no medical precedence): the one order of precedence."""
        return _PRECEDENCE[self][0]

    @property
    def deadline_minutes(self) -> int | None:
        """Minutes from being ready to arriving at a reception centre; None without a deadline."""
        return _PRECEDENCE[self][1]


# the one definition of precedence: (rank, deadline in minutes)
_PRECEDENCE = {Precedence.URGENT: (0, 60), Precedence.PRIORITY: (1, 240), Precedence.ROUTINE: (2, 1440),
               Precedence.NONE: (3, None)}


class Vulnerability(str, Enum):
    UNACCOMPANIED_CHILD = "unaccompanied_child"
    SEPARATED_CHILD = "separated_child"
    OLDER_PERSON = "older_person"
    DISABILITY = "disability"
    PREGNANCY = "pregnancy"


class HaltCause(str, Enum):
    SHELLING = "shelling"
    ROUTE_BLOCKED = "route_blocked"
    AGREEMENT_SUSPENDED = "agreement_suspended"
    OTHER = "other"


class PersonState(str, Enum):
    """Every registered person is in exactly one of these at every moment."""

    WAITING = "waiting"
    ASSIGNED = "assigned"
    BOARDED = "boarded"
    IN_TRANSIT = "in_transit"
    HELD = "held"
    ARRIVED = "arrived"
    UNACCOUNTED = "unaccounted"
    INJURED = "injured"  # hurt when their vehicle was attacked on the road; in care, to follow up


class TripState(str, Enum):
    PLANNED = "planned"
    BOARDING = "boarding"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    TURNED_BACK = "turned_back"  # sent back to its origin at a checkpoint, with everyone aboard
    LOST = "lost"  # its vehicle attacked, burned or lost on the road


class RoadIncident(str, Enum):
    """What happened to a vehicle on the road, as stated."""

    ATTACKED = "attacked"
    BURNED = "burned"
    LOST = "lost"  # contact lost, or the vehicle missing


class FollowUp(str, Enum):
    """What became of a person aboard a vehicle lost on the road: each is followed up."""

    INJURED = "injured"  # hurt, in care (released later to be planned again, or scanned in)
    TRANSFERRED = "transferred"  # taken on by another vehicle on the road
    UNACCOUNTED = "unaccounted"  # not found


class CheckpointOutcome(str, Enum):
    """What happened to a person taken off a vehicle at a checkpoint, as stated."""

    HELD = "held"  # kept at the checkpoint
    REMOVED = "removed"  # taken off the vehicle and not kept there


def parse_enum(kind: type[Enum], value: object, field: str):
    """Read an enum member by value, refusing with the list of accepted values."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
        raise BadInput(f"{field}: {value!r} is not one of {allowed}", field=field) from None


@dataclass(frozen=True, slots=True)
class Coordinates:
    """WGS84 latitude and longitude in decimal degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        for name, value, limit in (("lat", self.lat, 90.0), ("lon", self.lon, 180.0)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                raise BadInput(f"{name}: expected a number of decimal degrees, got {value!r}", field=name)
            if not -limit <= value <= limit:
                raise BadInput(f"{name}: {value} is outside -{limit:g}..{limit:g}", field=name)


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names this machine's time zone database knows (not its own 'localtime' nor 'Factory')."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones() - {"localtime", "Factory"})


def check_time_zone(value: object, field: str = "time_zone") -> str:
    """An IANA time zone name (Asia/Damascus, UTC) of `time_zones`; None: UTC."""
    if value is None:
        return "UTC"
    if not isinstance(value, str) or value not in time_zones():
        raise BadInput(f"{field}: {value!r} is not a time zone name such as Asia/Damascus", field=field)
    return value


def parse_time(value: object, field: str = "at") -> datetime:
    """An ISO 8601 instant with its offset (naive times are refused: field teams span time zones)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadInput(f"{field}: {value!r} is not an ISO 8601 time such as 2016-12-15T06:00:00+02:00", field=field) from None
    else:
        raise BadInput(f"{field}: expected an ISO 8601 time, got {value!r}", field=field)
    if dt.tzinfo is None:
        raise BadInput(f"{field}: {value!r} has no UTC offset (write e.g. +02:00 or Z)", field=field)
    return check_year(dt, field).astimezone(timezone.utc)


# The years a time or a day may fall in (the API's document says so, api/schemas.YEARS): anything else is a typing
# slip, and the times of years 1 and 9999 have no room left for the hours and days added to them.
YEARS = (1900, 2999)


def check_year(value: date, field: str) -> date:
    """A time or a day within YEARS."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise BadInput(f"{field}: {value.isoformat()} is not between the years {YEARS[0]} and {YEARS[1]}", field=field)
    return value


def check_birth(year: int | None, born: date | None, today: date) -> None:
    if year is not None and not (today.year - 120 <= year <= today.year):
        raise BadInput(f"birth_year: {year} is not between {today.year - 120} and {today.year}", field="birth_year")
    if born is not None:
        if born > today:
            raise BadInput(f"birth_date: {born.isoformat()} is in the future", field="birth_date")
        if year is not None and born.year != year:
            raise BadInput(f"birth_date: {born.isoformat()} disagrees with birth_year {year}", field="birth_date")
