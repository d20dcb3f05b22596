"""Helpers for tests: driving a small operation and checking that nothing changed."""

from __future__ import annotations

from contextlib import contextmanager

from corridor.service import planning, reports
from corridor.service.recording import Meta


@contextmanager
def nothing_changes(rt):
    """The block must leave the ledger and every view exactly as they were."""
    views = reports.views_snapshot(rt)
    events = reports.verify(rt).events
    yield
    assert reports.verify(rt).events == events, "an event was recorded"
    assert reports.views_snapshot(rt) == views, "a view changed"


def planned_trip(rt, token: str) -> str:
    """The trip a person (by token) is assigned to."""
    from corridor.service.registration import describe

    return describe(rt, token)["trip"]


def plan(rt) -> dict:
    return planning.plan(rt, Meta()).data
