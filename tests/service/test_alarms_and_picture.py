"""The alarms read from the views, the map's GeoJSON and the curves' series, on the small operation; and the
operation's clock. Aggregates only: no token or name of any person in what the picture sends."""

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from corridor.domain.errors import BadInput
from corridor.service import alarms, curves, mapview, movement, opclock, planning, reports
from corridor.service.recording import Meta
from corridor.service.runtime import utc_now
from tests.conftest import person, register

TOKEN = re.compile(r"\b[PH][0-9A-Z]{8}\b")


def on_the_road(op, clock):
    """Two households planned; one boards, departs, and a member is held at CP-1 — the other trip waits."""
    first = register(op)
    register(op, gathering_point="GP-B", persons=[person(precedence="urgent", mobility="stretcher")])
    planning.plan(op, Meta())
    trip = next(t for t in reports.trips(op) if t["origin"] == "GP-A" and t["assigned"])
    movement.board(op, Meta(), trip=trip["id"], tokens=first["token"])
    movement.depart(op, Meta(), trip=trip["id"])
    clock.advance(10)
    held = first["persons"][1]["token"]
    movement.pass_checkpoint(op, Meta(), trip=trip["id"], checkpoint="CP-1",
                             taken_off=[{"token": held, "outcome": "held", "reason": "questioning"}])
    return first, trip["id"]


def kinds(found) -> dict:
    return {a.kind: a for a in found}


def test_the_held_the_long_aboard_and_the_late_trips(op, clock):
    first, trip = on_the_road(op, clock)
    later = clock.now + timedelta(hours=7)
    found = kinds(alarms.alarms(op, at=later))
    assert found["held"].count == 1 and found["held"].figures["site"] == "CP-1"
    assert found["held"].figures["hours"] == "7.0"
    assert found["aboard_long"].count == len(first["persons"]) - 1  # the one held is no longer aboard
    assert found["aboard_long"].figures["trip_ids"] == [trip]
    assert found["overdue_arrival"].count == 1
    assert "overdue_departure" in found  # the other planned trip has not left
    assert "aboard_long" not in kinds(alarms.alarms(op, at=later, thresholds=alarms.thresholds_from(aboard_hours=8)))
    soon = kinds(alarms.alarms(op, at=clock.now + timedelta(minutes=5)))
    assert "held" in soon and not {"aboard_long", "overdue_arrival", "overdue_departure"} & set(soon)


def test_being_scanned_in_is_not_yet_a_difference(op, clock):
    first, trip = on_the_road(op, clock)
    movement.pass_checkpoint(op, Meta(), trip=trip, checkpoint="CP-2")
    movement.arrive(op, Meta(), trip=trip)
    found = kinds(alarms.alarms(op))
    assert found["awaiting_scan_in"].count == len(first["persons"]) - 1
    assert found["differences"].count == 1  # the person held
    movement.close(op, Meta(), trip=trip)
    found = kinds(alarms.alarms(op))
    assert "awaiting_scan_in" not in found and found["differences"].count == len(first["persons"])


def test_status_carries_the_clock_and_the_alarms_in_both_languages(op, clock):
    on_the_road(op, clock)
    s = alarms.status(op)
    assert s["clock"] == {"now": clock.now.astimezone(timezone.utc).isoformat(),
                          "local": clock.now.astimezone(timezone.utc).isoformat(), "time_zone": "UTC",
                          "simulated": False}
    held = next(a for a in s["alarms"] if a["kind"] == "held")
    assert held["en"].startswith("1 person(s) held at CP-1") and "محتجزون" in held["ar"]
    assert not TOKEN.search(json.dumps(s["alarms"]))


def test_departures_held_by_the_linked_operation_are_an_alarm():
    from corridor.domain.alarms import URGENT, linked_operation

    assert linked_operation("Foua and Kefraya", False, 900, 400, None) == []
    (held,) = linked_operation("Foua and Kefraya", True, 750, 400, 1200)
    assert held.level == URGENT and "750 of the 1200 needed" in held.say("en") and "750" in held.say("ar")
    assert "Foua and Kefraya" in held.say("ar")  # no Arabic name given: the name as written
    (held,) = linked_operation("Foua and Kefraya", True, 750, 400, 1200, name_ar="الفوعة وكفريا")
    assert "الفوعة وكفريا" in held.say("ar") and "Foua" not in held.say("ar") and "Foua and Kefraya" in held.say("en")


def test_the_map_places_the_trip_on_its_leg_and_counts_the_checkpoint(op, clock):
    first, trip = on_the_road(op, clock)
    clock.advance(50)  # CP-1 -> CP-2 takes 20 minutes: it should have passed CP-2 half an hour ago
    geo = mapview.features(op)
    assert geo["type"] == "FeatureCollection"
    by = {(f["properties"]["feature"], f["properties"].get("code") or f["properties"].get("trip")): f
          for f in geo["features"] if f["properties"]["feature"] != "leg"}
    assert sum(1 for f in geo["features"] if f["properties"]["feature"] == "site") == 6
    moving = by[("trip", trip)]["properties"]
    assert (moving["from"], moving["to"], moving["status"], moving["persons_aboard"]) == \
        ("CP-1", "CP-2", "waiting", len(first["persons"]) - 1)
    cp2 = by[("site", "CP-2")]["properties"]
    assert (cp2["vehicles_here"], cp2["persons_here"], cp2["longest_wait_minutes"]) == \
        (1, len(first["persons"]) - 1, 30)
    cp1 = by[("site", "CP-1")]["properties"]
    assert (cp1["held"], cp1["longest_wait_minutes"]) == (1, 50)
    rc = by[("site", "RC-1")]["properties"]
    assert rc["capacity"] == 500 and rc["arrived"] == 0
    for f in geo["features"]:  # RFC 7946: [longitude, latitude]
        coords = f["geometry"]["coordinates"]
        for lon, lat in (coords if f["geometry"]["type"] == "LineString" else [coords]):
            assert 36 < lon < 38 and 35 < lat < 37
    assert not TOKEN.search(mapview.geojson(op)) and "Halabi" not in mapview.geojson(op)


def test_the_curves_actual_planned_halts_gantt_and_throughput(op, clock):
    first, trip = on_the_road(op, clock)
    movement.halt(op, Meta(), cause="shelling", note="")
    c = curves.curves(op, forecast_runs=50)
    planned = reports.status(op)["plan"]["persons"]
    assert c["progress"]["planned"]["n"][-1] == planned and c["progress"]["actual"]["n"] == []
    assert c["halts"][0]["cause"] == "shelling" and c["halts"][0]["to"] is None
    rows = {t["trip"]: t for v in c["gantt"] for t in v["trips"]}
    assert rows[trip]["actual"][0] is not None and rows[trip]["actual"][1] is None
    assert c["throughput"]["checkpoints"]["CP-1"]["vehicles"] == [1]
    assert not TOKEN.search(json.dumps(c))


def test_a_live_operation_halted_for_days_keeps_its_clock(op, clock):
    """Events written as they happen (a live operation), then nothing for three days: the operation's time is the
    clock's, so that a deadline missed or a person held goes on counting (before: frozen at the last event)."""
    clock.now = utc_now()
    register(op)
    movement.halt(op, Meta(), cause="shelling", note="")
    clock.advance(60 * 24 * 3)
    assert opclock.now(op) == clock.now.astimezone(timezone.utc)
    assert opclock.clock_dict(op, opclock.now(op), opclock.zone(None))["simulated"] is False


def test_the_operation_clock_follows_the_record_when_the_clock_is_far_past_it(op, clock):
    """The test operation's events are of December 2016, written today: a record of another time."""
    register(op)
    recorded = clock.now
    assert opclock.now(op) == recorded.astimezone(timezone.utc)
    clock.advance(60 * 24 * 400)
    assert opclock.now(op) == recorded.astimezone(timezone.utc)
    assert opclock.clock_dict(op, recorded, opclock.zone(None))["simulated"] is True
    assert opclock.shown(datetime(2016, 12, 15, 9, 0, tzinfo=timezone.utc), opclock.zone("Asia/Damascus")) == \
        "2016-12-15 11:00 EET"
    with pytest.raises(BadInput) as refused:
        opclock.zone("Mars/Olympus")
    assert refused.value.field == "time_zone"


def test_times_are_shown_in_the_operation_s_own_zone_unless_the_server_is_told_another(rt):
    from dataclasses import replace

    from corridor.service import setup

    assert rt.time_zone is None and alarms.status(rt)["clock"]["time_zone"] == "UTC"  # no operation yet: UTC
    with pytest.raises(BadInput) as refused:
        setup.create_operation(rt, Meta(), name_en="Z", starts_at="2016-12-15T05:00:00+02:00",
                               time_zone="Mars/Olympus")
    assert refused.value.field == "time_zone" and reports.status(rt)["operation"] is None  # nothing recorded
    setup.create_operation(rt, Meta(), name_en="Z", starts_at="2016-12-15T05:00:00+02:00", time_zone="Asia/Damascus")
    s = alarms.status(rt)
    assert s["clock"]["time_zone"] == "Asia/Damascus" and s["operation"]["time_zone"] == "Asia/Damascus"
    assert s["clock"]["local"].endswith("+02:00")  # December 2016 in Damascus
    told = replace(rt, time_zone="UTC")  # `corridor serve --time-zone UTC`, $CORRIDOR_TIME_ZONE
    assert alarms.status(told)["clock"]["time_zone"] == "UTC" and opclock.shown_zone(told).key == "UTC"


def test_an_operation_created_without_a_zone_shows_utc(op):
    assert reports.status(op)["operation"]["time_zone"] == "UTC" and opclock.shown_zone(op).key == "UTC"
