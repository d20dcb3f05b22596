"""The set-up rules of `domain/operation.py`: codes, counts, sites, legs, vehicles, corridor rules. No database."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from corridor.domain import operation
from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.domain.values import SiteKind, VehicleKind
from tests.unit.refusing import refused

STARTS = "2016-12-15T06:00:00+02:00"


@pytest.mark.parametrize("code", ["GP-A", "a", "RC_1.north", "9", "X" * 32])
def test_codes_of_letters_digits_and_separators_are_kept_as_typed(code):
    assert operation.check_code(code, "code") == code


@pytest.mark.parametrize("code", ["", " GP-A", "-GP", "GP A", "X" * 33, "مركز", None, 7])
def test_anything_else_is_not_a_code(code):
    refused(BadInput, "site", operation.check_code, code, "site")


@pytest.mark.parametrize("value", [True, 1.5, "3", -1, 1_000_001, None])
def test_a_count_is_a_whole_number_from_zero_to_its_limit(value):
    refused(BadInput, "seats", operation.check_count, value, "seats")


def test_counts_within_bounds_and_an_allowed_none_pass():
    assert operation.check_count(0, "n") == 0
    assert operation.check_count(10, "n", limit=10) == 10
    assert operation.check_count(None, "n", allow_none=True) is None
    refused(BadInput, "n", operation.check_count, 11, "n", limit=10)


def test_an_operation_has_an_english_name_and_a_start_with_its_offset():
    event = operation.create_operation(" Test  evacuation ", "", STARTS)
    assert event.name_en == "Test evacuation"
    assert event.starts_at == datetime(2016, 12, 15, 4, 0, tzinfo=timezone.utc)
    refused(BadInput, "name_en", operation.create_operation, "", "", STARTS)
    refused(BadInput, "starts_at", operation.create_operation, "Op", "", "2016-12-15T06:00:00")
    refused(BadInput, "starts_at", operation.create_operation, "Op", "", "tomorrow")
    refused(BadInput, "boarding_minutes", operation.create_operation, "Op", "", STARTS, boarding_minutes=24 * 60 + 1)
    refused(BadInput, "unloading_minutes", operation.create_operation, "Op", "", STARTS, unloading_minutes=-5)


def test_a_site_has_a_code_a_known_kind_coordinates_and_an_optional_capacity():
    site = operation.define_site("RC-1", "reception_centre", "Reception 1", "مركز استقبال ١", 35.93, 36.63, 500)
    assert (site.code, site.kind, site.lat, site.lon, site.capacity) == ("RC-1", SiteKind.RECEPTION_CENTRE, 35.93,
                                                                          36.63, 500)
    assert operation.define_site("GP-A", "gathering_point", "A", "", 0, 0).capacity is None
    refused(BadInput, "kind", operation.define_site, "X", "camp", "X", "", 0, 0)
    refused(BadInput, "code", operation.define_site, "X Y", "checkpoint", "X", "", 0, 0)
    refused(BadInput, "lat", operation.define_site, "X", "checkpoint", "X", "", 91, 0)
    refused(BadInput, "lon", operation.define_site, "X", "checkpoint", "X", "", 0, float("nan"))
    refused(BadInput, "capacity", operation.define_site, "X", "checkpoint", "X", "", 0, 0, -1)


def test_a_leg_joins_two_sites_in_at_least_a_minute_and_at_most_a_week():
    leg = operation.define_leg("GP-A", "CP-1", 10)
    assert (leg.origin, leg.destination, leg.minutes) == ("GP-A", "CP-1", 10)
    refused(BadInput, "destination", operation.define_leg, "GP-A", "GP-A", 10)
    refused(BadInput, "minutes", operation.define_leg, "GP-A", "CP-1", 0)
    refused(BadInput, "minutes", operation.define_leg, "GP-A", "CP-1", 7 * 24 * 60 + 1)
    refused(BadInput, "origin", operation.define_leg, "", "CP-1", 10)


def vehicle(**changes):
    given = dict(code="BUS-1", plate="SARC-101", kind="bus", seats=50, stretchers=0, operator="SARC", site="GP-A",
                 available_from=STARTS)
    return operation.define_vehicle(**{**given, **changes})


def test_a_vehicle_carries_someone_and_has_its_papers():
    bus = vehicle()
    assert (bus.code, bus.kind, bus.seats, bus.stretchers) == ("BUS-1", VehicleKind.BUS, 50, 0)
    assert vehicle(kind="ambulance", seats=0, stretchers=2).stretchers == 2
    for changes, field in [({"seats": 0}, "seats"), ({"seats": 201}, "seats"), ({"stretchers": 21}, "stretchers"),
                           ({"kind": "lorry"}, "kind"), ({"plate": ""}, "plate"), ({"operator": " "}, "operator"),
                           ({"site": "GP A"}, "site"), ({"code": ""}, "code"),
                           ({"available_from": "soon"}, "available_from")]:
        refused(BadInput, field, vehicle, **changes)


def test_a_site_of_the_wrong_kind_or_no_site_is_refused():
    assert operation.require_kind(SiteKind.GATHERING_POINT, (SiteKind.GATHERING_POINT,), "GP-A", "at") is None
    refused(NotFound, "at", operation.require_kind, None, (SiteKind.GATHERING_POINT,), "GP-Z", "at")
    refused(RuleRefused, "at", operation.require_kind, SiteKind.CHECKPOINT, (SiteKind.GATHERING_POINT,), "CP-1", "at")


def window(opens: str, closes: str) -> dict:
    return {"opens": f"2016-12-15T{opens}:00+02:00", "closes": f"2016-12-15T{closes}:00+02:00"}


def test_corridor_rules_are_checked_and_windows_sorted():
    rules = operation.set_corridor_rules(5, 10, {"CP-2": 20, "CP-1": 12},
                                         [window("14:00", "18:00"), window("06:00", "10:00")], note="agreed")
    assert (rules.convoy_size, rules.convoy_gap_minutes) == (5, 10)
    assert [(r.checkpoint, r.vehicles_per_hour) for r in rules.checkpoint_rates] == [("CP-1", 12), ("CP-2", 20)]
    assert [w.opens.hour for w in rules.windows] == [4, 12]  # UTC, earliest first
    assert operation.set_corridor_rules(None, 0, {}, []).convoy_size is None


@pytest.mark.parametrize("args, field", [
    ((0, 0, {}, []), "convoy_size"),
    ((None, -1, {}, []), "convoy_gap_minutes"),
    ((None, 0, [("CP-1", 5)], []), "checkpoint_rates"),
    ((None, 0, {"CP 1": 5}, []), "checkpoint_rates"),
    ((None, 0, {"CP-1": 0}, []), "checkpoint_rates.CP-1"),
    ((None, 0, {}, {"opens": "x"}), "windows"),
    ((None, 0, {}, ["06:00-10:00"]), "windows[0]"),
    ((None, 0, {}, [{"opens": "06:00"}]), "windows[0].opens"),
    ((None, 0, {}, [window("10:00", "10:00")]), "windows[0].closes"),
])
def test_bad_corridor_rules_name_what_is_wrong(args, field):
    refused(BadInput, field, operation.set_corridor_rules, *args)


def test_a_vehicle_is_withdrawn_with_a_reason():
    event = operation.withdraw_vehicle("BUS-1", "broken axle")
    assert (event.code, event.reason) == ("BUS-1", "broken axle")
    refused(BadInput, "reason", operation.withdraw_vehicle, "BUS-1", "")
    refused(BadInput, "code", operation.withdraw_vehicle, "", "broken axle")
