"""What-ifs of the forecast: the changes a coordinator may ask about, parsed and checked for form.

The forecast (`service.forecast`) re-plans the rest of the operation with each change, in memory, and checks
the sites a change names against the operation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.errors import BadInput
from ..domain.values import check_year


@dataclass(frozen=True)
class Change:
    """One what-if: more vehicles from a time, a second corridor, a daily window, checkpoint rates."""

    add_vehicles: int = 0
    at: datetime | None = None
    second_corridor: tuple[str, ...] = ()
    window: tuple[int, int] | None = None  # minutes of the day (UTC) [open, close)
    checkpoint_rates: tuple[tuple[str, int], ...] = ()

    @property
    def label(self) -> str:
        if self.add_vehicles:
            return f"+{self.add_vehicles} vehicles" + (f" from {self.at:%m-%d %H:%M}" if self.at else "")
        if self.second_corridor:
            return "second corridor from " + ", ".join(self.second_corridor)
        if self.window:
            return "open {:02d}:{:02d}-{:02d}:{:02d}".format(*divmod(self.window[0], 60), *divmod(self.window[1], 60))
        return "rate " + ", ".join(f"{c}={n}/h" for c, n in self.checkpoint_rates)


def parse_time(raw: str | None, field: str) -> datetime | None:
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise BadInput(f"{field}: {raw!r} is not a time (ISO 8601 with offset, e.g. 2016-12-16T06:00+00:00)",
                       field=field) from None
    if value.tzinfo is None:
        raise BadInput(f"{field}: {raw!r} has no UTC offset (add +00:00 or Z)", field=field)
    return check_year(value, field)


def parse_window(raw: str) -> tuple[int, int]:
    """'06:00-18:00' -> (360, 1080): the minutes of the day the corridor is open (UTC)."""
    try:
        a, b = raw.strip().split("-")
        minutes = [int(h) * 60 + int(m) for h, m in (a.strip().split(":"), b.strip().split(":"))]
    except ValueError:
        raise BadInput(f"window: {raw!r} is not HH:MM-HH:MM (e.g. 06:00-18:00)", field="window") from None
    if not all(0 <= m <= 1440 for m in minutes) or minutes[0] == minutes[1]:
        raise BadInput(f"window: {raw!r} must open and close at different times of the day", field="window")
    return minutes[0], minutes[1]


def parse_rates(raw: list[str]) -> tuple[tuple[str, int], ...]:
    out = []
    for item in raw:
        code, sep, n = item.partition("=")
        if not sep or not n.strip().isdigit() or int(n) < 1:
            raise BadInput(f"checkpoint_rate: {item!r} is not CHECKPOINT=VEHICLES_AN_HOUR (e.g. CP-1=40)",
                           field="checkpoint_rate")
        out.append((code.strip().upper(), int(n)))
    return tuple(out)


def changes(*, add_vehicles: int | None = None, at: str | None = None, second_corridor: str | None = None,
            window: str | None = None, checkpoint_rate: list[str] | None = None) -> list[Change]:
    """The what-ifs asked for, checked for form (the sites are checked against the operation when run)."""
    out = []
    if add_vehicles is not None:
        if add_vehicles < 1 or add_vehicles > 1000:
            raise BadInput("add_vehicles: give 1 to 1000 vehicles", field="add_vehicles")
        out.append(Change(add_vehicles=add_vehicles, at=parse_time(at, "at")))
    elif at:
        raise BadInput("at: only with add_vehicles (when the added vehicles are available)", field="at")
    if second_corridor is not None:
        points = tuple(dict.fromkeys(p.strip().upper() for p in second_corridor.split(",") if p.strip()))
        if not points:
            raise BadInput("second_corridor: name the gathering points it serves (e.g. GP-1,GP-2)",
                           field="second_corridor")
        out.append(Change(second_corridor=points))
    if window is not None:
        out.append(Change(window=parse_window(window)))
    if checkpoint_rate:
        out.append(Change(checkpoint_rates=parse_rates(checkpoint_rate)))
    return out
