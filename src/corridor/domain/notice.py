"""Movement notifications for deconfliction: how much notice the parties must have (as OCHA's Humanitarian
Notification System asks: at least 48 hours ahead, 24 hours in an emergency) and which movements may be notified
(movements ahead, never a past date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .errors import BadInput, OutOfTime
from .values import check_year

NOTICE_HOURS = 48
EMERGENCY_NOTICE_HOURS = 24


@dataclass(frozen=True)
class Notice:
    lead_hours: float  # from the notification to the first departure
    required_hours: int
    emergency: bool

    @property
    def short(self) -> bool:
        return self.lead_hours < self.required_hours

    def warning(self) -> str | None:
        if not self.short:
            return None
        kind = "in an emergency" if self.emergency else "ahead"
        return (f"short notice: {self.lead_hours:.1f} h before the first departure, {self.required_hours} h required "
                f"{kind}; tell the parties at once and have the movement confirmed before it leaves")


def notice(first_departure: datetime, now: datetime, *, emergency: bool) -> Notice:
    lead = (first_departure - now).total_seconds() / 3600
    return Notice(lead_hours=round(lead, 2), required_hours=EMERGENCY_NOTICE_HOURS if emergency else NOTICE_HOURS,
                  emergency=emergency)


def movement_date(value: object, today: date, field: str = "date") -> date:
    """The day of the movements to notify: an ISO date, today or later."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise BadInput(f"{field}: {value!r} is not a date (YYYY-MM-DD)", field=field) from None
    check_year(value, field)
    if value < today:  # well formed, refused by the clock now
        raise OutOfTime(f"{field}: {value.isoformat()} is past (today is {today.isoformat()}, UTC); a notification "
                       "is for movements ahead", field=field)
    return value
