"""Planning in the service: the plan is checked before it is recorded; it is made outside the write lock,
and made again when someone is registered between the snapshot and the record."""

import threading
from dataclasses import replace

import pytest

from corridor.domain.errors import RuleRefused
from corridor.planning import solve
from corridor.service import planning
from corridor.service.recording import Meta
from tests.conftest import register
from tests.helpers import nothing_changes


def test_an_invalid_plan_from_the_planner_is_refused_and_nothing_recorded(op):
    register(op)
    register(op)

    def forgetful(problem):  # drops the last trip: somebody is never carried
        good = solve(problem)
        return replace(good, trips=good.trips[:-1])

    op.planner = forgetful
    with nothing_changes(op), pytest.raises(RuleRefused, match="invalid plan.*every person exactly once") as e:
        planning.plan(op, Meta())
    assert e.value.field == "plan"


def test_a_registration_during_planning_is_planned_too(op):
    first = register(op)
    calls = []

    def racing(problem):
        calls.append(problem)
        if len(calls) == 1:  # someone registers at another desk while the plan is being made
            other = threading.Thread(target=lambda: calls.append(register(op)))
            other.start()
            other.join(timeout=30)
            assert not other.is_alive(), "the registration waited on the planner's lock"
        return solve(problem)

    op.planner = racing
    receipt = planning.plan(op, Meta(command_id="plan-1"))
    late = calls[1]
    assert len(calls) == 3, "planned twice: once on the first snapshot, once again with the new household"
    carried = {p for trip in receipt.data["trips"] for p in trip["persons"]}
    assert {p["token"] for p in first["persons"] + late["persons"]} <= carried
    again = planning.plan(op, Meta(command_id="plan-1"))  # a resend is answered, not planned again
    assert again.replayed and again.seq == receipt.seq and len(calls) == 3


def test_planning_holds_no_lock_while_the_planner_works(op):
    register(op)

    def reentrant(problem):  # a writer gets through while the plan is made (no write lock is held)
        acquired = op.db.write_lock.acquire(timeout=5)
        if acquired:
            op.db.write_lock.release()
        assert acquired
        return solve(problem)

    op.planner = reentrant
    assert planning.plan(op, Meta()).data["trips"]
