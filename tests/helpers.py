"""Helpers for tests: driving a small operation and checking that nothing changed."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from corridor.service import planning, reports
from corridor.service.recording import Meta
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field


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

    return describe(rt, token, viewer=CONSOLE)["trip"]


def plan(rt) -> dict:
    return planning.plan(rt, Meta()).data


def calls_made(fn, *args, **kwargs) -> tuple[object, int]:
    """`fn(*args, **kwargs)` and the number of function calls (Python and built-in) it made.

    The count is the work done, the same on every run and every machine: tests compare it across input
    sizes to check that a code path grows linearly, where a clock would only say how busy the machine was."""
    count = 0

    def profile(_frame, event, _arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, count


def grows_linearly(calls_small: int, n_small: int, calls_large: int, n_large: int, slack: float = 1.25) -> bool:
    """The calls per item at the larger size are at most `slack` times those at the smaller size."""
    return calls_large / n_large <= slack * calls_small / n_small
