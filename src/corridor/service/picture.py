"""The situation picture at a time: the claims as they stood (or as they could be seen at `known_at`), compared,
and the operation's own figures beside them — never mixed in (`domain.picture`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.errors import BadInput
from ..domain.picture import TOLERANCE, WINDOW, picture as build, visible
from ..domain.values import parse_time
from ..store.queries import claims as qc
from . import opclock
from .runtime import Runtime


def options(as_of: str | datetime | None, known_at: str | datetime | None, window_hours: float | None,
            tolerance: float | None, now: datetime) -> tuple[datetime, datetime | None, timedelta, float]:
    """The picture's parameters checked, each refusal naming its parameter."""
    at = parse_time(as_of, "as_of") if as_of is not None else now
    known = parse_time(known_at, "known_at") if known_at is not None else None
    hours = WINDOW.total_seconds() / 3600 if window_hours is None else window_hours
    if not 0 < hours <= 24 * 366:
        raise BadInput(f"window: expected hours between 0 and {24 * 366}, got {window_hours!r}", field="window")
    share = TOLERANCE if tolerance is None else tolerance
    if not 0 <= share < 1:
        raise BadInput(f"tolerance: expected a share from 0 to below 1 (0.1: 10 %), got {tolerance!r}",
                       field="tolerance")
    return at, known, timedelta(hours=hours), share


def picture(rt: Runtime, *, as_of: str | datetime | None = None, known_at: str | datetime | None = None,
            window_hours: float | None = None, tolerance: float | None = None) -> dict:
    at, known, window, share = options(as_of, known_at, window_hours, tolerance, opclock.now(rt))
    with rt.reading() as uow:
        versions, withdrawn, _ = qc.claim_history(uow.conn)
        record = qc.record(uow.conn)
    out = build(visible(versions, withdrawn, known), at, record=record, window=window, tolerance=share)
    out["known_at"] = known.isoformat() if known else None
    return out
