"""The daily situation report: the operation's own figures for the day and since the start, the day's halts and
their causes, the plan's forecast, then the picture of what others report — aggregates only, never a name or
a token. Days are UTC days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from ..domain.errors import BadInput
from ..domain.timing import PREPARATION
from ..domain.values import check_year
from ..formats import sitrep as writer
from ..store import queries as q
from ..store.queries import claims as qc
from .picture import picture
from . import opclock
from .runtime import Runtime

FORMATS = ("html", "pdf", "json")


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _day(value: str | date | None, today: date) -> date:
    if value is None:
        return today
    if isinstance(value, date):
        return value
    try:
        return check_year(date.fromisoformat(str(value).strip()), "date")
    except ValueError:
        raise BadInput(f"date: {value!r} is not a date such as 2016-12-16", field="date") from None


def day_of(rt: Runtime, day: str | date | None = None) -> date:
    """The UTC day a sitrep is of: the one asked, else the operation's today (a demo's or a replayed operation's
    own day)."""
    return _day(day, opclock.now(rt).astimezone(timezone.utc).date())


def data(rt: Runtime, day: str | date | None = None) -> dict:
    """The sitrep's aggregates for one UTC day (`day_of`); the picture is taken at the day's end (or now, if
    earlier)."""
    now = opclock.now(rt)
    d = day_of(rt, day)
    start = datetime.combine(d, time(0), tzinfo=timezone.utc)
    end = start + timedelta(days=1)
    with rt.reading() as uow:
        c = uow.conn
        op = q.operation_row(c)
        origin = (op.starts_at - PREPARATION) if op is not None else start
        today, since = qc.day_figures(c, start, end), qc.day_figures(c, min(origin, start), end)
        halts = [h for h in q.halt_timeline(c) if h.halted_at < end and (h.resumed_at is None or h.resumed_at >= start)]
        plan = q.latest_plan(c)
    as_of = min(end - timedelta(microseconds=1), now) if now >= start else end - timedelta(microseconds=1)
    return {
        "date": d.isoformat(),
        "operation": None if op is None else {"name_en": op.name_en, "name_ar": op.name_ar,
                                              "starts_at": _iso(op.starts_at)},
        "today": today, "since_start": since,
        "halts": [{"cause": h.cause, "halted_at": _iso(h.halted_at), "resumed_at": _iso(h.resumed_at)} for h in halts],
        "plan": None if plan is None else {"made_at": _iso(plan.made_at), "finish_at": _iso(plan.finish_at),
                                           "lower_bound_at": _iso(plan.lower_bound_at)},
        "picture": picture(rt, as_of=as_of),
    }


def sitrep(rt: Runtime, day: str | date | None = None, *, lang: str = "en", fmt: str = "html") -> str | bytes | dict:
    """The sitrep as HTML text, PDF bytes or its JSON aggregates."""
    if lang not in writer.LANGS:
        raise BadInput(f"lang: expected one of {', '.join(writer.LANGS)}, got {lang!r}", field="lang")
    if fmt not in FORMATS:
        raise BadInput(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}", field="format")
    content = data(rt, day)
    if fmt == "json":
        return content
    return writer.render_pdf(content, lang) if fmt == "pdf" else writer.render_html(content, lang)
