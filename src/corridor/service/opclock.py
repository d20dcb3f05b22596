"""The operation's own clock and the time zone its times are shown in.

The operation's time is the runtime's clock, unless the record is of another time -- its newest events happened a
day or more before they were written (a replayed, simulated or demo operation) -- and the clock is a day or more
past them: then its time is that of its latest event. A live operation halted for days keeps the clock: its
deadlines and the hours a person is held go on counting. Times are stored and exchanged in UTC; they are *shown* in
the operation's zone -- the one it was created with (the demo's Asia/Damascus), unless the server is told another
(`$CORRIDOR_TIME_ZONE`, `--time-zone`) -- never the server machine's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ..domain.values import check_time_zone
from ..store import queries as q
from .runtime import Runtime

STALE = timedelta(days=1)  # events written this long after they happened are another time's


def operation_now(rt: Runtime, conn) -> datetime:
    """The operation's time now (UTC), read on an open connection."""
    clock, (happened, written) = rt.clock(), q.latest_times(conn)
    replayed = happened is not None and written - happened > STALE
    return (happened if replayed and clock - happened > STALE else clock).astimezone(timezone.utc)


def now(rt: Runtime) -> datetime:
    with rt.reading() as uow:
        return operation_now(rt, uow.conn)


def zone(name: str | None) -> ZoneInfo:
    """The zone named (IANA, e.g. Asia/Damascus), UTC when none; an unknown name refused naming `time_zone`."""
    return ZoneInfo(check_time_zone(name))


def zone_of(rt: Runtime, conn) -> ZoneInfo:
    """The zone the operation's times are shown in, read on an open connection: the server's where it is told
    one, else the operation's own, else UTC."""
    return zone(rt.time_zone or q.operation_time_zone(conn))


def shown_zone(rt: Runtime) -> ZoneInfo:
    with rt.reading() as uow:
        return zone_of(rt, uow.conn)


def shown(t: datetime | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as shown to people in the operation's zone (with its abbreviation or offset)."""
    if t is None:
        return "—"
    local = t.astimezone(tz)
    return f"{local.strftime(fmt)} {local.tzname() or ''}".strip()


def clock_dict(rt: Runtime, at: datetime, tz: ZoneInfo) -> dict:
    """The operation's time now, in UTC and in its zone `tz`: what the dashboard, the CLI and the API show."""
    return {"now": at.isoformat(), "local": at.astimezone(tz).isoformat(), "time_zone": tz.key,
            "simulated": abs((rt.clock() - at).total_seconds()) >= STALE.total_seconds()}
