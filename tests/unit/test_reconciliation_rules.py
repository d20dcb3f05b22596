"""`domain/accounting.reconcile_trip`: what each manifest line counts and which difference it is. No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from corridor.domain.accounting import ManifestLine, reconcile_trip
from corridor.domain.values import TripState

AT = datetime(2016, 12, 15, 6, 0, tzinfo=timezone.utc)


def line(person: str = "P1", **changes) -> ManifestLine:
    """A person assigned to trip T1 who boarded and was scanned in: no difference."""
    base = ManifestLine(trip="T1", person=person, assigned=True, boarded_at=AT, left_behind=False,
                        off_checkpoint=None, off_outcome=None, off_reason=None, scanned_at=AT, unaccounted=False,
                        arrived_with="T1")
    return replace(base, **changes)


def reconcile(*lines: ManifestLine, state: TripState = TripState.ARRIVED):
    return reconcile_trip("T1", state, "BUS-1", "RC-1", list(lines))


def kinds(*lines: ManifestLine, state: TripState = TripState.ARRIVED) -> list[str]:
    return [d.kind for d in reconcile(*lines, state=state).differences]


NOT_SCANNED = dict(scanned_at=None, arrived_with=None)


def test_everyone_boarded_and_scanned_in_balances():
    r = reconcile(line("P1"), line("P2"), line("P3", assigned=False))
    assert (r.assigned, r.boarded, r.taken_off, r.arrived) == (2, 3, 0, 3)
    assert r.balanced and r.differences == []
    assert (r.trip, r.state, r.vehicle, r.destination) == ("T1", TripState.ARRIVED, "BUS-1", "RC-1")


def test_assigned_but_left_behind_at_departure():
    ln = line(boarded_at=None, left_behind=True, **NOT_SCANNED)
    assert kinds(ln) == ["left_behind"]
    (later,) = reconcile(replace(ln, arrived_with="T2")).differences
    assert "T2" in later.detail


def test_scanned_in_without_boarding_this_trip():
    assert kinds(line(boarded_at=None, assigned=False)) == ["arrived_without_boarding"]


def test_assigned_and_not_boarded_is_no_difference_before_departure():
    r = reconcile(line(boarded_at=None, **NOT_SCANNED), state=TripState.BOARDING)
    assert r.balanced and (r.assigned, r.boarded) == (1, 0)


@pytest.mark.parametrize("outcome, kind", [("held", "held"), ("removed", "removed"), (None, "held")])
def test_taken_off_at_a_checkpoint_is_counted_and_named_with_the_checkpoint(outcome, kind):
    r = reconcile(line(off_checkpoint="CP-1", off_outcome=outcome, off_reason="questioning", **NOT_SCANNED))
    assert r.taken_off == 1 and [d.kind for d in r.differences] == [kind]
    assert "CP-1" in r.differences[0].detail


def test_boarded_and_not_yet_scanned_in_once_arrived():
    assert kinds(line(**NOT_SCANNED)) == ["not_scanned_in"]
    assert kinds(line(**NOT_SCANNED), state=TripState.DEPARTED) == []


def test_boarded_and_never_scanned_in_after_closing_is_unaccounted():
    assert kinds(line(unaccounted=True, **NOT_SCANNED), state=TripState.CLOSED) == ["unaccounted"]


def test_boarded_here_and_scanned_in_with_another_trip():
    elsewhere = line(scanned_at=None, arrived_with="T2")
    assert kinds(elsewhere) == ["arrived_with_other_trip"]
    assert kinds(replace(elsewhere, unaccounted=True), state=TripState.CLOSED) == ["found_later"]


def test_differences_are_listed_by_person():
    r = reconcile(line("P3", **NOT_SCANNED), line("P1", **NOT_SCANNED), line("P2"))
    assert [d.person for d in r.differences] == ["P1", "P3"] and not r.balanced
