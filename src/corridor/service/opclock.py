"""The operation's own clock and the time zone its times are shown in.

The operation's time is the runtime's clock, unless that clock is a day or more past the last recorded event: then
the operation runs on another clock (a simulation, a replayed or a demo operation) and its time is that of its last
event. Times are stored and exchanged in UTC; they are *shown* in the operation's zone (`$CORRIDOR_TIME_ZONE`,
`corridor serve --time-zone`, the demo's Asia/Damascus), never the server's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain.errors import BadInput
from ..store import queries as q
from .runtime import Runtime

STALE = timedelta(days=1)  # a clock this far past the last event: the operation runs on another clock


def operation_now(rt: Runtime, conn) -> datetime:
    """The operation's time now (UTC), read on an open connection."""
    clock, last = rt.clock(), q.last_event_at(conn)
    return (last if last is not None and clock - last > STALE else clock).astimezone(timezone.utc)


def now(rt: Runtime) -> datetime:
    with rt.reading() as uow:
        return operation_now(rt, uow.conn)


def zone(name: str | None) -> ZoneInfo:
    """The zone named (IANA, e.g. Asia/Damascus), UTC when none; an unknown name refused naming `time_zone`."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"time_zone: {name!r} is not a time zone name such as Asia/Damascus", field="time_zone") \
            from None


def shown(t: datetime | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as shown to people in the operation's zone (with its abbreviation or offset)."""
    if t is None:
        return "—"
    local = t.astimezone(tz)
    return f"{local.strftime(fmt)} {local.tzname() or ''}".strip()


def clock_dict(rt: Runtime, at: datetime) -> dict:
    """The operation's time now, in UTC and in its zone: what the dashboard, the CLI and the API show."""
    tz = zone(rt.time_zone)
    return {"now": at.isoformat(), "local": at.astimezone(tz).isoformat(), "time_zone": tz.key,
            "simulated": abs((rt.clock() - at).total_seconds()) >= STALE.total_seconds()}
