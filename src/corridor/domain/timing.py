"""When an event may be said to have happened.

An event's time (its `at`) may not lie more than the runtime's margin ahead of the clock
(a device with a wrong date, a typo of a year), nor before the operation's start: running
the operation (boarding, departing, checkpoints, arrivals, scans, closing, releases) starts
at the start; setting up, registering, planning and halting may be recorded during a
preparation of at most PREPARATION before it. Within a trip or a halt, an event may not
precede the event it follows (the same minute is fine).

A vehicle's `available_from` lies between VEHICLE_LEAD before the start (it waits there
from then on) and VEHICLE_HORIZON after it: a vehicle there in a year's time is not part of
this operation's fleet yet, one from the year 1 is a typing error.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .errors import BadInput, OutOfTime

PREPARATION = timedelta(days=30)
VEHICLE_LEAD = timedelta(days=7)
VEHICLE_HORIZON = timedelta(days=90)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="minutes")


def _span(d: timedelta) -> str:
    hours = d.total_seconds() / 3600
    return f"{hours:g} h" if hours < 48 else f"{hours / 24:g} days"


def check_event_time(at: datetime, *, now: datetime, margin: timedelta, starts_at: datetime | None,
                     prepares: bool, field: str = "at") -> None:
    """Refuse a time too far ahead of the clock, or before the operation (or its preparation) began."""
    if at > now + margin:
        raise OutOfTime(f"{field}: {_iso(at)} is more than {_span(margin)} ahead of the clock ({_iso(now)})",
                        field=field)
    if starts_at is None:
        return
    if prepares and at < starts_at - PREPARATION:
        raise OutOfTime(f"{field}: {_iso(at)} is more than {_span(PREPARATION)} before the operation's start "
                       f"({_iso(starts_at)})", field=field)
    if not prepares and at < starts_at:
        raise OutOfTime(f"{field}: {_iso(at)} is before the operation's start ({_iso(starts_at)})", field=field)


def check_not_after_recording(when: datetime, recorded_at: datetime, *, at_sent: bool, field: str,
                               message: str) -> None:
    """Refuse a time (a figure's `as_of`, an incident's `occurred_at`) after the moment it is recorded.

    When the command sent its own `at`, the two times contradict each other: malformed (422). With no
    `at` sent, the moment is the clock's now: the clock refuses it now (409), as for any time ahead of it.
    """
    if when > recorded_at:
        raise (BadInput if at_sent else OutOfTime)(f"{field}: {message}", field=field)


def check_follows(at: datetime, earlier: datetime | None, what: str, field: str = "at") -> None:
    """Refuse an event said to happen before the one it follows (`what` names that one)."""
    if earlier is not None and at < earlier:
        raise OutOfTime(f"{field}: {_iso(at)} is before {what} ({_iso(earlier)})", field=field)


def check_available_from(available_from: datetime, starts_at: datetime, field: str = "available_from") -> None:
    earliest, latest = starts_at - VEHICLE_LEAD, starts_at + VEHICLE_HORIZON
    if not earliest <= available_from <= latest:
        raise OutOfTime(f"{field}: {_iso(available_from)} is not between {_iso(earliest)} and {_iso(latest)} "
                        f"({_span(VEHICLE_LEAD)} before to {_span(VEHICLE_HORIZON)} after the operation's start)",
                        field=field)
