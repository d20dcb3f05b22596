"""GET /api/forecast: the forecast and its what-ifs over HTTP; bad input answered as problem+json naming the field."""

import pytest

from corridor.domain.permissions import Role
from tests.conftest import person, register


@pytest.fixture
def planned(client, op):
    register(op, gathering_point="GP-B", destination="RC-1", persons=[person(relationship="head", precedence="urgent")])
    register(op, gathering_point="GP-A", destination="RC-2")
    assert client.post("/api/plan").status_code == 201
    return client


def test_the_forecast_with_a_what_if_beside_it(planned):
    answer = planned.get("/api/forecast", params={"runs": 400, "seed": 3, "add_vehicles": 2,
                                                  "by": "2030-01-01T00:00:00+00:00"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    base, more = body["cases"]
    assert base["case"] == "current plan" and more["change"]["add_vehicles"] == 2
    assert base["p10_at"] <= base["p50_at"] <= base["p90_at"]
    assert base["urgent_missed_expected"] >= 1  # 75 minutes away, due in 60: missed in every run
    assert base["finish_by_probability"] == 1.0
    assert planned.get("/api/forecast", params={"runs": 400, "seed": 3, "add_vehicles": 2,
                                                "by": "2030-01-01T00:00:00+00:00"}).json() == body
    quiet = planned.get("/api/forecast", params={"runs": 5, "disruption": "false"}).json()["cases"][0]
    assert quiet["p50_at"] == quiet["plan_finish_at"]


@pytest.mark.parametrize("params, field, status", [
    ({"runs": 0}, "runs", 422), ({"runs": "many"}, "runs", 422), ({"window": "6 to 18"}, "window", 422),
    ({"window": "06:00-06:00"}, "window", 422), ({"checkpoint_rate": "CP-1=fast"}, "checkpoint_rate", 422),
    ({"by": "soon"}, "by", 422), ({"as_of": "x"}, "as_of", 422), ({"at": "2016-12-15T06:00:00+00:00"}, "at", 422),
    ({"second_corridor": "GP-Z"}, "second_corridor", 404), ({"checkpoint_rate": "CP-9=4"}, "checkpoint_rate", 404)])
def test_bad_input_is_a_problem_naming_the_field(planned, params, field, status):
    answer = planned.get("/api/forecast", params=params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field


def test_coordinator_and_analyst_only(planned):
    for role in Role:
        got = planned.as_role(role).get("/api/forecast", params={"runs": 5}).status_code
        assert got == (200 if role in (Role.COORDINATOR, Role.ANALYST) else 403), role


def test_no_plan_yet_is_refused(client):
    answer = client.get("/api/forecast", params={"runs": 5})
    assert answer.status_code == 409 and answer.json()["field"] == "plan"
