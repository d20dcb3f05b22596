"""The pure rules on times and on the reconciliation balance (no database)."""

from datetime import datetime, timedelta, timezone

import pytest

from corridor.domain.accounting import ManifestLine, balance_holds, outcome, reconcile_trip, totals
from corridor.domain.errors import BadInput
from corridor.domain.timing import PREPARATION, check_available_from, check_event_time, check_follows
from corridor.domain.values import TripState

START = datetime(2016, 12, 15, 4, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)


def within(at, *, prepares=False):
    check_event_time(at, now=START, margin=24 * H, starts_at=START, prepares=prepares)


@pytest.mark.parametrize("at,prepares", [(START + 25 * H, True), (START - H, False),
                                         (START - PREPARATION - H, True), (datetime(1900, 1, 1, tzinfo=timezone.utc), True)])
def test_times_out_of_range_are_refused_naming_at(at, prepares):
    with pytest.raises(BadInput) as e:
        within(at, prepares=prepares)
    assert e.value.field == "at"


def test_times_in_range_pass():
    within(START + 24 * H)
    within(START)
    within(START - PREPARATION, prepares=True)
    check_follows(START, START, "the same minute")
    check_follows(START, None, "nothing before")


def test_an_event_before_the_one_it_follows_is_refused():
    with pytest.raises(BadInput, match="before the departure"):
        check_follows(START - H, START, "the departure")


@pytest.mark.parametrize("year", [1, 9999])
def test_a_vehicle_from_year_1_or_9999_is_refused(year):
    with pytest.raises(BadInput) as e:
        check_available_from(datetime(year, 1, 1, tzinfo=timezone.utc), START)
    assert e.value.field == "available_from"


def line(person, *, boarded=True, off=None, scanned=False, unaccounted=False, arrived_with=None, trip="T1"):
    return ManifestLine(trip=trip, person=person, assigned=True, boarded_at=START if boarded else None,
                        left_behind=False, off_checkpoint=off, off_outcome="held" if off else None,
                        off_reason="as stated" if off else None, scanned_at=START if scanned else None,
                        unaccounted=unaccounted, arrived_with=arrived_with)


def test_a_person_taken_off_and_later_scanned_in_counts_once():
    lines = [line("P1", off="CP-1", scanned=True, arrived_with="T1"), line("P2", scanned=True, arrived_with="T1"),
             line("P3"), line("P4", unaccounted=True), line("P5", arrived_with="T2"),
             line("P6", boarded=False, scanned=True, arrived_with="T1")]
    assert [outcome(ln) for ln in lines] == ["taken_off", "arrived", "not_scanned", "unaccounted",
                                             "arrived_other_trip", "arrived_without_boarding"]
    r = reconcile_trip("T1", TripState.CLOSED, "BUS-1", "RC-1", lines)
    assert (r.boarded, r.taken_off, r.arrived, r.not_scanned, r.unaccounted, r.arrived_other_trip) == (5, 1, 1, 1, 1, 1)
    assert balance_holds(r) and balance_holds(totals([r, r]))
