"""Erasure without breaking the record: a household's key destroyed, the ledger intact, the views rebuilt alike."""


import pytest
from sqlalchemy import select

from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.service import erasure, movement, registration, reports
from corridor.service.recording import Meta
from corridor.store.tables import household_keys
from tests.conftest import person, register
from tests.helpers import CONSOLE, plan, planned_trip
from tests.rawdb import raw_bytes

NAMES = ["Yazan Kurdmelli", "Rahaf Kurdmelli", "يزن كردملي", "رهف كردملي"]


def _family(rt) -> dict:
    return register(rt, persons=[person(NAMES[2], NAMES[0], relationship="head", medical_notes="asthma"),
                                 person(NAMES[3], NAMES[1], sex="female", relationship="spouse")])


def _travel_to_the_end(rt, family) -> None:
    tokens = [p["token"] for p in family["persons"]]
    trip = planned_trip(rt, tokens[0])
    movement.board(rt, Meta(), trip=trip, tokens=family["token"])
    movement.depart(rt, Meta(), trip=trip)
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-1")
    movement.pass_checkpoint(rt, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(rt, Meta(), trip=trip)
    movement.scan_in(rt, Meta(), trip=trip, tokens=tokens)
    movement.close(rt, Meta(), trip=trip)


def _raw(rt) -> bytes:
    return raw_bytes(rt)


def _figures(rt) -> dict:
    """The status without the number of events (the erasure is one more)."""
    return {k: v for k, v in reports.status(rt).items() if k not in ("events", "ledger_seq")}


def _keys(rt) -> set[str]:
    with rt.reading() as uow:
        return set(uow.conn.execute(select(household_keys.c.household)).scalars())


def test_an_erased_household_keeps_the_record_whole_and_rebuilds_alike(op):
    family, other = _family(op), register(op)
    plan(op)
    _travel_to_the_end(op, family)
    counts, reconciled = _figures(op), reports.reconcile(op, viewer=CONSOLE)

    receipt = erasure.erase(op, Meta(), household=family["token"], reason="request", note="asked at the centre")
    assert receipt.data == {"household": family["token"], "reason": "request", "note": "asked at the centre"}

    assert reports.verify(op).ok
    assert family["token"] not in _keys(op) and other["token"] in _keys(op)
    shown = registration.describe(op, family["token"], viewer=CONSOLE)
    assert {(p["name_ar"], p["name_latin"], p["birth_date"]) for p in shown["persons"]} == {
        ("[erased]", "[erased]", None)}
    assert [p["state"] for p in shown["persons"]] == ["arrived", "arrived"]
    assert registration.find_by_name(op, "Yazan", viewer=CONSOLE) == []
    assert registration.describe(op, other["token"], viewer=CONSOLE)["persons"][0]["name_latin"] == "Mohammed al-Halabi"
    assert _figures(op) == counts and reports.reconcile(op, viewer=CONSOLE) == reconciled

    views = reports.views_snapshot(op)
    assert reports.rebuild(op) > 0
    assert reports.views_snapshot(op) == views
    assert _figures(op) == counts and reports.reconcile(op, viewer=CONSOLE) == reconciled
    raw = _raw(op)
    for name in [*NAMES, "asthma"]:
        assert name.encode("utf-8") not in raw


def test_erasing_twice_is_refused(op):
    family = _family(op)
    erasure.erase(op, Meta(), household=family["token"], reason="error")
    with pytest.raises(RuleRefused, match="already erased") as refused:
        erasure.erase(op, Meta(), household=family["token"], reason="error")
    assert refused.value.field == "household"


def test_erasing_an_unknown_household_is_refused_naming_the_field(op):
    family = _family(op)
    unknown = family["token"][:-2] + ("A" if family["token"][-2] != "A" else "B") + family["token"][-1]
    with pytest.raises((NotFound, BadInput)) as refused:
        erasure.erase(op, Meta(), household=unknown, reason="request")
    assert refused.value.field == "household"
    with pytest.raises(BadInput) as refused:
        erasure.erase(op, Meta(), household=family["token"], reason="because")
    assert refused.value.field == "reason"


def test_retention_erases_households_settled_longer_than_the_period(op, clock):
    settled, waiting = _family(op), register(op)
    plan(op)
    _travel_to_the_end(op, settled)
    assert erasure.apply_retention(op, Meta(), after="90d")["erased"] == []
    clock.advance(91 * 24 * 60)
    result = erasure.apply_retention(op, Meta(), after="90d")
    assert result["erased"] == [settled["token"]]
    assert settled["token"] not in _keys(op) and waiting["token"] in _keys(op)
    assert erasure.apply_retention(op, Meta(), after="90d")["erased"] == []
    assert reports.verify(op).ok
    with pytest.raises(BadInput, match="90d"):
        erasure.apply_retention(op, Meta(), after="ninety days")
