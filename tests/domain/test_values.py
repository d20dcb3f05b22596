import pytest

from corridor.domain import operation, registry
from corridor.domain.errors import BadInput
from corridor.domain.values import Coordinates, parse_time


@pytest.mark.parametrize("lat,lon,field", [(91, 0, "lat"), (0, 181, "lon"), (float("nan"), 0, "lat"), ("x", 0, "lat")])
def test_a_malformed_coordinate_is_refused_naming_the_field(lat, lon, field):
    with pytest.raises(BadInput) as e:
        Coordinates(lat, lon)
    assert e.value.field == field


@pytest.mark.parametrize("raw", ["2016-12-15 06:00", "yesterday", "2016-13-01T00:00:00Z", 12])
def test_a_malformed_or_naive_time_is_refused(raw):
    with pytest.raises(BadInput) as e:
        parse_time(raw, "starts_at")
    assert e.value.field == "starts_at"


def test_times_are_kept_in_utc():
    assert parse_time("2016-12-15T06:00:00+02:00").isoformat() == "2016-12-15T04:00:00+00:00"


def test_a_negative_capacity_is_refused():
    with pytest.raises(BadInput) as e:
        operation.define_site("RC", "reception_centre", "R", "", 1, 1, capacity=-5)
    assert e.value.field == "capacity"


def test_a_vehicle_that_carries_nobody_is_refused():
    with pytest.raises(BadInput) as e:
        operation.define_vehicle("B", "P", "bus", 0, 0, "SARC", "GP", "2016-12-15T06:00:00Z")
    assert e.value.field == "seats"


def test_an_unknown_enum_value_lists_the_accepted_ones():
    with pytest.raises(BadInput, match="gathering_point, checkpoint"):
        operation.define_site("X", "camp", "X", "", 1, 1)


def test_names_must_be_in_the_right_script():
    from datetime import date

    with pytest.raises(BadInput) as e:
        registry.check_person(registry.PersonInput(name_ar="Mohammed"), "P", date(2016, 12, 1), "persons[0]")
    assert e.value.field == "persons[0].name_ar"
    with pytest.raises(BadInput):
        registry.check_person(registry.PersonInput(), "P", date(2016, 12, 1), "persons[0]")
    ok = registry.check_person(registry.PersonInput(name_ar="محمد", birth_year=1980), "P", date(2016, 12, 1), "p")
    assert ok.name_ar == "محمد" and ok.birth_year == 1980


def test_a_birth_year_in_the_future_is_refused():
    from datetime import date

    with pytest.raises(BadInput) as e:
        registry.check_person(registry.PersonInput(name_latin="Omar", birth_year=2030), "P", date(2016, 12, 1), "p")
    assert e.value.field == "p.birth_year"
