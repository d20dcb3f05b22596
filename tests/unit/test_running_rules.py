"""The running rules of `domain/running.py` on hand-made read models: no database.

Every rule takes the event's time `at`; the read models carry no earlier times unless a test
sets them, so time order only refuses where a test asks it to.
Refusals are checked by their class and the field they name, not by their wording."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from corridor.domain import running
from corridor.domain.errors import BadInput, OutOfTime, RuleRefused
from corridor.domain.running import HaltStatus, PersonStatus, Resolved, TripStatus
from corridor.domain.values import CheckpointOutcome, HaltCause, Mobility, PersonState, TripState
from tests.unit.refusing import refused

AT = datetime(2016, 12, 15, 6, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)

NOT_YET_LEFT = (TripState.PLANNED, TripState.BOARDING)
LEFT = (TripState.DEPARTED, TripState.ARRIVED, TripState.CLOSED)
NOT_BOARDABLE = (PersonState.BOARDED, PersonState.IN_TRANSIT, PersonState.HELD, PersonState.ARRIVED,
                 PersonState.UNACCOUNTED)


def trip(**changes) -> TripStatus:
    """Trip T1 of a bus with 8 seats and 1 stretcher place, GP-A → CP-1 → CP-2 → RC-1, nobody aboard yet."""
    base = TripStatus(id="T1", vehicle="BUS-1", origin="GP-A", destination="RC-1",
                      route=("GP-A", "CP-1", "CP-2", "RC-1"), state=TripState.PLANNED, seats=8, stretchers=1,
                      aboard_seated=0, aboard_stretcher=0, passed=(), checkpoints=("CP-1", "CP-2"))
    return replace(base, **changes)


def person(token: str = "P1", **changes) -> PersonStatus:
    base = PersonStatus(token=token, household="H1", state=PersonState.ASSIGNED, trip="T1", mobility=Mobility.WALKS,
                        destination="RC-1")
    return replace(base, **changes)


def scanned(*persons: PersonStatus, aside: tuple[PersonStatus, ...] = ()) -> Resolved:
    return Resolved(persons=list(persons), aside=list(aside))


def halt_status(halted: bool, since: datetime | None = None, last_resumed: datetime | None = None) -> HaltStatus:
    return HaltStatus(halted=halted, since=since, last_resumed=last_resumed)


# --- boarding ----------------------------------------------------------------------------------

@pytest.mark.parametrize("state", NOT_YET_LEFT)
@pytest.mark.parametrize("waiting", [PersonState.WAITING, PersonState.ASSIGNED])
def test_waiting_and_assigned_persons_board_a_trip_that_has_not_left(state, waiting):
    event = running.board(trip(state=state), scanned(person("P1", state=waiting), person("P2", state=waiting)), AT)
    assert (event.trip, event.persons) == ("T1", ("P1", "P2"))


@pytest.mark.parametrize("state", [*LEFT, TripState.CANCELLED])
def test_boarding_is_closed_once_the_trip_has_left_or_is_cancelled(state):
    refused(RuleRefused, "trip", running.board, trip(state=state), scanned(person()), AT)


@pytest.mark.parametrize("state", NOT_BOARDABLE)
def test_a_person_aboard_held_arrived_or_unaccounted_does_not_board_again(state):
    refused(RuleRefused, "token", running.board, trip(), scanned(person(state=state)), AT)


def test_a_refusal_names_the_field_the_caller_gave():
    refused(RuleRefused, "household", running.board, trip(), scanned(person(state=PersonState.ARRIVED)), AT,
            field="household")


def test_nobody_to_board_is_refused():
    refused(RuleRefused, "token", running.board, trip(), scanned(), AT)
    # a household whose members are all set aside (e.g. already aboard) has nobody to board either
    refused(RuleRefused, "household", running.board, trip(), scanned(aside=(person(state=PersonState.BOARDED),)),
            AT, field="household")


def test_a_person_bound_elsewhere_does_not_board():
    refused(RuleRefused, "token", running.board, trip(), scanned(person(destination="RC-2")), AT)
    assert running.board(trip(), scanned(person(destination=None)), AT).persons == ("P1",)


def test_seats_fill_exactly_and_no_further():
    full_but_two = trip(aboard_seated=6)
    assert len(running.board(full_but_two, scanned(person("P1"), person("P2")), AT).persons) == 2
    refused(RuleRefused, "token", running.board, full_but_two, scanned(person("P1"), person("P2"), person("P3")), AT)


def test_stretcher_cases_take_stretcher_places_not_seats():
    no_seats_left = trip(aboard_seated=8)
    assert running.board(no_seats_left, scanned(person(mobility=Mobility.STRETCHER)), AT).persons == ("P1",)
    refused(RuleRefused, "token", running.board, trip(aboard_stretcher=1), scanned(person(mobility=Mobility.STRETCHER)),
            AT)
    refused(RuleRefused, "token", running.board, no_seats_left, scanned(person(mobility=Mobility.NEEDS_HELP)), AT)


# --- departure, checkpoints, arrival -----------------------------------------------------------

@pytest.mark.parametrize("state", NOT_YET_LEFT)
def test_a_trip_with_people_aboard_departs_naming_who_was_left_behind(state):
    event = running.depart(trip(state=state, aboard_seated=3), halted=False, assigned_not_aboard=["P9", "P2"], at=AT)
    assert (event.trip, event.left_behind) == ("T1", ("P2", "P9"))


def test_nothing_departs_while_the_operation_is_halted():
    refused(RuleRefused, "trip", running.depart, trip(aboard_seated=3), halted=True, assigned_not_aboard=[], at=AT)


@pytest.mark.parametrize("state", [*LEFT, TripState.CANCELLED])
def test_a_trip_departs_once(state):
    refused(RuleRefused, "trip", running.depart, trip(state=state, aboard_seated=3), halted=False,
            assigned_not_aboard=[], at=AT)


def test_an_empty_vehicle_does_not_depart():
    refused(RuleRefused, "trip", running.depart, trip(), halted=False, assigned_not_aboard=["P1"], at=AT)
    assert running.depart(trip(aboard_stretcher=1), halted=False, assigned_not_aboard=[], at=AT).trip == "T1"


def departed(**changes) -> TripStatus:
    return trip(state=TripState.DEPARTED, aboard_seated=2, **changes)


def aboard(token: str) -> PersonStatus:
    return person(token, state=PersonState.IN_TRANSIT)


def test_checkpoints_are_passed_in_route_order_each_once():
    assert running.pass_checkpoint(departed(), "CP-1", [], AT).checkpoint == "CP-1"
    refused(RuleRefused, "checkpoint", running.pass_checkpoint, departed(), "CP-2", [], AT)
    refused(RuleRefused, "checkpoint", running.pass_checkpoint, departed(passed=("CP-1",)), "CP-1", [], AT)
    refused(RuleRefused, "checkpoint", running.pass_checkpoint, departed(), "CP-9", [], AT)
    assert running.pass_checkpoint(departed(passed=("CP-1",)), "CP-2", [], AT).checkpoint == "CP-2"


@pytest.mark.parametrize("state", [*NOT_YET_LEFT, TripState.ARRIVED, TripState.CLOSED])
def test_only_a_departed_trip_passes_a_checkpoint(state):
    refused(RuleRefused, "trip", running.pass_checkpoint, trip(state=state), "CP-1", [], AT)


def test_persons_taken_off_at_a_checkpoint_are_recorded_with_outcome_and_reason():
    event = running.pass_checkpoint(departed(), "CP-1", [(aboard("P1"), "held", "questioning"),
                                                         (aboard("P2"), CheckpointOutcome.REMOVED, " sent  back ")],
                                    AT)
    assert [(t.person, t.outcome, t.reason) for t in event.taken_off] == [
        ("P1", CheckpointOutcome.HELD, "questioning"), ("P2", CheckpointOutcome.REMOVED, "sent back")]


def test_only_persons_in_transit_on_this_trip_can_be_taken_off():
    refused(RuleRefused, "taken_off", running.pass_checkpoint, departed(), "CP-1",
            [(person("P1", state=PersonState.IN_TRANSIT, trip="T2"), "held", "x")], AT)
    refused(RuleRefused, "taken_off", running.pass_checkpoint, departed(), "CP-1",
            [(person("P1", state=PersonState.HELD), "held", "x")], AT)


def test_a_person_taken_off_is_listed_once_with_a_known_outcome_and_a_reason():
    refused(BadInput, "taken_off", running.pass_checkpoint, departed(), "CP-1",
            [(aboard("P1"), "held", "x"), (aboard("P1"), "removed", "y")], AT)
    refused(BadInput, "taken_off.outcome", running.pass_checkpoint, departed(), "CP-1",
            [(aboard("P1"), "shot", "x")], AT)
    refused(BadInput, "taken_off.reason", running.pass_checkpoint, departed(), "CP-1",
            [(aboard("P1"), "held", " ")], AT)


def test_a_trip_arrives_after_passing_every_checkpoint():
    refused(RuleRefused, "trip", running.arrive, departed(passed=("CP-1",)), AT)
    assert running.arrive(departed(passed=("CP-1", "CP-2")), AT).trip == "T1"
    assert running.arrive(trip(state=TripState.DEPARTED, checkpoints=()), AT).trip == "T1"


@pytest.mark.parametrize("state", [*NOT_YET_LEFT, TripState.ARRIVED, TripState.CLOSED])
def test_only_a_departed_trip_arrives(state):
    refused(RuleRefused, "trip", running.arrive, trip(state=state, passed=("CP-1", "CP-2")), AT)


# --- reception, closing, release ---------------------------------------------------------------

@pytest.mark.parametrize("state", [TripState.ARRIVED, TripState.CLOSED])
def test_persons_are_scanned_in_once_their_trip_has_arrived(state):
    event = running.scan_in(trip(state=state), scanned(aboard("P1"), aboard("P2")), AT)
    assert (event.trip, event.persons) == ("T1", ("P1", "P2"))


@pytest.mark.parametrize("state", [*NOT_YET_LEFT, TripState.DEPARTED])
def test_nobody_is_scanned_in_before_the_trip_arrives(state):
    refused(RuleRefused, "trip", running.scan_in, trip(state=state), scanned(aboard("P1")), AT)


def test_scanning_in_needs_someone_and_counts_each_person_once():
    # changed: nobody to scan in is now a RuleRefused (it explains who was set aside), no longer a BadInput
    refused(RuleRefused, "token", running.scan_in, trip(state=TripState.ARRIVED), scanned(), AT)
    refused(RuleRefused, "token", running.scan_in, trip(state=TripState.ARRIVED),
            scanned(person(state=PersonState.ARRIVED)), AT)


def test_someone_from_another_trip_or_found_later_is_accepted_at_reception():
    """They are here: reconciliation shows the difference, the scan does not turn them away."""
    others = scanned(person("P1", state=PersonState.IN_TRANSIT, trip="T2"), person("P2", state=PersonState.UNACCOUNTED))
    assert running.scan_in(trip(state=TripState.ARRIVED), others, AT).persons == ("P1", "P2")


def test_a_person_held_at_a_checkpoint_is_released_before_being_scanned_in():
    # changed: a held person used to be scannable; now the scan is refused until they are released
    held = person("P1", state=PersonState.HELD, held_site="CP-1")
    refused(RuleRefused, "token", running.scan_in, trip(state=TripState.ARRIVED), scanned(held), AT)
    released = replace(held, state=PersonState.WAITING, held_site=None)
    assert running.scan_in(trip(state=TripState.ARRIVED), scanned(released), AT).persons == ("P1",)


def test_only_an_arrived_trip_closes_and_who_is_still_aboard_is_unaccounted():
    event = running.close(trip(state=TripState.ARRIVED), still_aboard=["P3", "P1"], at=AT)
    assert (event.trip, event.unaccounted) == ("T1", ("P1", "P3"))
    for state in (*NOT_YET_LEFT, TripState.DEPARTED, TripState.CLOSED):
        refused(RuleRefused, "trip", running.close, trip(state=state), still_aboard=[], at=AT)


def test_only_a_held_or_injured_person_is_released():
    event = running.release(person(state=PersonState.HELD), "released  after questioning", AT)
    assert (event.person, event.note) == ("P1", "released after questioning")
    assert running.release(person(state=PersonState.HELD), None, AT).note == ""
    assert running.release(person(state=PersonState.INJURED), "discharged", AT).note == "discharged"
    for state in set(PersonState) - {PersonState.HELD, PersonState.INJURED}:
        refused(RuleRefused, "token", running.release, person(state=state), "", AT)
    refused(BadInput, "note", running.release, person(state=PersonState.HELD), "x" * 501, AT)


# --- halting and resuming ----------------------------------------------------------------------

def test_halting_takes_a_known_cause_once():
    event = running.halt(halt_status(False), cause="shelling", note="near CP-1", at=AT)
    assert (event.cause, event.note) == (HaltCause.SHELLING, "near CP-1")
    refused(BadInput, "cause", running.halt, halt_status(False), cause="weather", note="", at=AT)
    refused(RuleRefused, "cause", running.halt, halt_status(True, since=AT - H), cause="shelling", note="", at=AT)
    refused(BadInput, "note", running.halt, halt_status(False), cause="other", note=42, at=AT)


def test_resuming_needs_a_halt():
    assert running.resume(halt_status(True, since=AT - H), note=" all  clear ", at=AT).note == "all clear"
    # settled: the refusal names the field "operation" (it was left open here before)
    refused(RuleRefused, "operation", running.resume, halt_status(False), note="", at=AT)


# --- time order within a trip and a halt (the same minute is fine) -----------------------------

def test_an_arrival_before_the_departure_or_the_last_checkpoint_is_refused_naming_at():
    refused(OutOfTime, "at", running.arrive, departed(passed=("CP-1", "CP-2"), departed_at=AT), AT - H)
    refused(OutOfTime, "at", running.arrive, departed(passed=("CP-1", "CP-2"), departed_at=AT - 2 * H,
                                                     last_passed_at=AT), AT - H)
    assert running.arrive(departed(passed=("CP-1", "CP-2"), departed_at=AT - H, last_passed_at=AT), AT).trip == "T1"


def test_a_checkpoint_before_the_departure_or_the_checkpoint_before_it_is_refused_naming_at():
    refused(OutOfTime, "at", running.pass_checkpoint, departed(departed_at=AT), "CP-1", [], AT - H)
    refused(OutOfTime, "at", running.pass_checkpoint, departed(passed=("CP-1",), departed_at=AT - 2 * H,
                                                              last_passed_at=AT), "CP-2", [], AT - H)
    assert running.pass_checkpoint(departed(departed_at=AT), "CP-1", [], AT).checkpoint == "CP-1"


def test_a_resume_before_its_halt_is_refused_naming_at():
    refused(OutOfTime, "at", running.resume, halt_status(True, since=AT), note="", at=AT - H)
    assert running.resume(halt_status(True, since=AT), note="", at=AT).note == ""


def test_a_halt_before_the_end_of_the_last_halt_is_refused_naming_at():
    refused(OutOfTime, "at", running.halt, halt_status(False, last_resumed=AT), cause="shelling", note="", at=AT - H)


def test_boarding_departing_scanning_closing_and_releasing_follow_what_came_before():
    refused(OutOfTime, "at", running.board, trip(planned_at=AT), scanned(person()), AT - H)
    refused(OutOfTime, "at", running.depart, trip(aboard_seated=1, last_boarded_at=AT), halted=False,
            assigned_not_aboard=[], at=AT - H)
    refused(OutOfTime, "at", running.scan_in, trip(state=TripState.ARRIVED, arrived_at=AT), scanned(aboard("P1")),
            AT - H)
    refused(OutOfTime, "at", running.close, trip(state=TripState.ARRIVED, arrived_at=AT - 2 * H, last_scanned_at=AT),
            still_aboard=[], at=AT - H)
    refused(OutOfTime, "at", running.release, person(state=PersonState.HELD, since=AT), "", AT - H)
