"""The December 2016 test: about 30 claims from 11 bodies over 15-22 December replayed beside a small record;
the picture shows the disagreements as contradictions with the right ranges, the `complete` claim of 16 December
contradicts the other claims and the record, and the record's own figures stay apart."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from corridor.domain.claims import parse_claim
from corridor.domain.picture import picture as pure_picture
from corridor.scenarios.aleppo_claims import claims as aleppo_claims
from corridor.service import claims, movement
from corridor.service import picture as pictures
from corridor.service.recording import Meta
from tests.conftest import register
from tests.helpers import plan, planned_trip

LOCAL = timezone(timedelta(hours=2))
EVENING_16 = "2016-12-16T22:00:00+02:00"


def at(day: int, hm: str) -> datetime:
    h, m = map(int, hm.split(":"))
    return datetime(2016, 12, day, h, m, tzinfo=LOCAL)


@pytest.fixture
def december(op, clock):
    """The record: three households registered, one trip departs on the 15th, the operation halts on the
    16th at 15:00 with people still waiting; then every claim, recorded on the 23rd."""
    households = [register(op) for _ in range(3)]
    plan(op)
    trip = planned_trip(op, households[0]["persons"][0]["token"])
    clock.now = at(15, "09:00")
    movement.board(op, Meta(), trip=trip, tokens=[households[0]["token"]])
    clock.now = at(15, "09:10")
    movement.depart(op, Meta(), trip=trip)
    clock.now = at(16, "15:00")
    movement.halt(op, Meta(), cause="agreement_suspended", note="")
    clock.now = at(23, "09:00")
    receipts = claims.record_many(op, Meta(), aleppo_claims())
    return op, receipts


def metric(p: dict, name: str, about=None) -> dict:
    return next(m for m in p["metrics"] if m["metric"] == name and m["about"] == about)


def test_the_fixture_is_about_30_claims_from_at_least_8_sources_over_15_to_22_december():
    found = aleppo_claims()
    assert 28 <= len(found) <= 35
    assert len({c["source"] for c in found}) >= 8
    days = {parse_claim(c).reported_at.astimezone(LOCAL).day for c in found}
    assert min(days) == 15 and max(days) == 22


def test_the_evening_of_16_december_as_it_could_be_seen_then(december):
    rt, _ = december
    p = pictures.picture(rt, as_of=EVENING_16, known_at=EVENING_16)
    m = metric(p, "persons_evacuated")
    said = {c["source"]: (c["low"], c["high"]) for c in m["claims"]}
    assert said == {"Broadcaster": (6000, 6000), "Government A": (7000, 8000), "State news agency": (8000, None),
                    "Monitoring group": (8500, 8500), "Government B": (9500, None), "ICRC": (10000, 10000)}
    assert (m["low"], m["high"], m["sources"], m["estimate"]) == (6000, 10000, 6, 8500)
    assert m["contradiction"] is True
    by_source = {c["source"]: set(c["contradicts"]) for c in m["claims"]}
    ids = {c["source"]: c["claim"] for c in m["claims"]}
    assert ids["Government A"] in by_source["Broadcaster"]  # 6,000 against 7,000-8,000: further than 10 %
    assert ids["ICRC"] in by_source["Monitoring group"]  # 8,500 against 10,000
    assert ids["State news agency"] not in by_source["Government A"]  # 8,000 and "more than 8,000" overlap


def test_one_source_counts_once_through_several_outlets(december):
    rt, _ = december
    m = metric(pictures.picture(rt, as_of=EVENING_16, known_at=EVENING_16), "persons_evacuated")
    icrc = [c for c in m["claims"] if c["source"] == "ICRC"]
    assert len(icrc) == 1 and icrc[0]["outlet"] == "AP"  # the later of the Reuters and AP reports


def test_a_claim_reported_later_counts_for_the_time_it_is_about(december):
    rt, _ = december
    now = metric(pictures.picture(rt, as_of=EVENING_16), "persons_evacuated")
    assert "Syrian Arab Red Crescent" in {c["source"] for c in now["claims"]}  # reported on the 17th about the 16th
    assert now["sources"] == 7


def test_the_complete_claim_contradicts_the_others_and_the_record(december):
    rt, _ = december
    state = pictures.picture(rt, as_of=EVENING_16)["operation_state"]
    claimed = {c["source"]: c for c in state["claims"]}
    assert claimed["Government B"]["state"] == "complete"
    assert claimed["Government B"]["contradicts_record"] is True  # people still waiting in the record
    assert "waiting" in claimed["Government B"]["record"]
    assert {c["state"] for s, c in claimed.items() if s != "Government B"} == {"halted"}
    assert not any(c["contradicts_record"] for s, c in claimed.items() if s != "Government B")
    assert state["contradiction"] is True and state["ledger"] == "halted"


def test_the_figures_of_20_december_run_from_16200_to_37500(december):
    rt, _ = december
    m = metric(pictures.picture(rt, as_of="2016-12-20T23:00:00+02:00"), "persons_evacuated")
    assert (m["low"], m["high"], m["contradiction"]) == (16200, 37500, True)
    assert m["open_ended"] is False


def test_figures_about_different_things_are_never_compared(december):
    rt, _ = december
    p = pictures.picture(rt, as_of="2016-12-18T23:30:00+02:00")
    attacked = metric(p, "vehicles_attacked", "buses on the Idlib road, 18 December")
    assert (attacked["low"], attacked["high"], attacked["contradiction"]) == (5, 20, True)
    first = pictures.picture(rt, as_of="2016-12-15T14:00:00+02:00")
    assert metric(first, "buses", "first convoy")["ledger"] is None  # the record's figures are for no `about`


def test_the_record_stays_apart_and_far_claims_are_marked(december):
    rt, _ = december
    p = pictures.picture(rt, as_of=EVENING_16, known_at=EVENING_16)
    m = metric(p, "persons_evacuated")
    assert m["ledger"] == {"value": 2, "as_of": p["as_of"]}  # the one household that left, two persons
    assert all(c["far_from_ledger"] for c in m["claims"])
    versions, withdrawn, _ = claims.history(rt)
    from corridor.domain.picture import visible

    without = pure_picture(visible(versions, withdrawn, datetime.fromisoformat(EVENING_16)),
                           datetime.fromisoformat(EVENING_16))
    alone = metric(without, "persons_evacuated")
    assert (alone["low"], alone["high"], alone["estimate"]) == (m["low"], m["high"], m["estimate"])  # never mixed in
    assert alone["ledger"] is None


def test_a_withdrawn_claim_leaves_the_picture_and_a_correction_replaces_it(december):
    rt, _ = december
    m = metric(pictures.picture(rt, as_of=EVENING_16, known_at=EVENING_16), "persons_evacuated")
    broadcaster = next(c["claim"] for c in m["claims"] if c["source"] == "Broadcaster")
    claims.withdraw(rt, Meta(), broadcaster, "recorded in error")
    then = metric(pictures.picture(rt, as_of=EVENING_16, known_at=EVENING_16), "persons_evacuated")
    assert then["low"] == 6000  # withdrawn on the 23rd: as it could be seen on the 16th, still there
    m = metric(pictures.picture(rt, as_of=EVENING_16), "persons_evacuated")
    assert m["low"] == 7000 and m["sources"] == 6
    govt_a = next(c["claim"] for c in m["claims"] if c["source"] == "Government A")
    fixed = next(c for c in aleppo_claims() if c["source"] == "Government A" and c["reported_at"].startswith("2016-12-16"))
    claims.correct(rt, Meta(), govt_a, {**fixed, "figures": [{"metric": "persons_evacuated", "value": 8000}]}, "typo")
    m = metric(pictures.picture(rt, as_of=EVENING_16), "persons_evacuated")
    assert next(c for c in m["claims"] if c["claim"] == govt_a)["value"] == 8000
    assert [c["claim"] for c in claims.listing(rt, withdrawn=True) if c["withdrawn"]] == [broadcaster]


def test_adding_the_claims_again_records_nothing(december):
    rt, first = december
    again = claims.record_many(rt, Meta(), aleppo_claims())
    assert all(r.replayed for r in again) and [r.seq for r in again] == [r.seq for r in first]


def test_read_years_later_the_sitrep_is_of_the_operations_last_day(december, clock):
    """Replayed long after (the server's clock years past the last event): the sitrep's default day and its
    picture are the operation's, as on the dashboard, not the server's empty today."""
    from corridor.service import sitrep

    op, _ = december
    clock.now = at(23, "09:00") + timedelta(days=3650)
    report = sitrep.data(op)
    assert report["date"] == "2016-12-23" and report["since_start"]["departed"] == 2  # the household aboard the one trip
    assert report["picture"]["metrics"]  # the claims about those days are in it
    assert sitrep.day_of(op).isoformat() == report["date"]  # the CLI's file is named after it: sitrep-2016-12-23-en
