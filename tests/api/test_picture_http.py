"""The alarms over HTTP (GET /api/status) and in the terminal (corridor status), GET /api/map.geojson, and the
dashboard's JSON fragments: the same data, aggregates only; bad input answered as problem+json naming the field."""

import base64
import json
import re

import pytest
from typer.testing import CliRunner

from corridor.cli import app as cli
from tests.conftest import person, register

TOKEN = re.compile(r"\b[PH][0-9A-Z]{8}\b")


@pytest.fixture
def planned(client, op):
    register(op, gathering_point="GP-B", destination="RC-1", persons=[person(relationship="head", precedence="urgent")])
    register(op, gathering_point="GP-A", destination="RC-2")
    assert client.post("/api/plan").status_code == 201
    return client


def test_status_says_the_alarms_and_the_operation_time(planned):
    body = planned.get("/api/status").json()
    assert body["clock"]["time_zone"] == "UTC" and body["clock"]["now"]
    late = next(a for a in body["alarms"] if a["kind"] == "missed_deadline")
    assert late["level"] == "urgent" and "urgent medical case(s) will miss their deadline" in late["en"]
    assert "عاجلة" in late["ar"] and not TOKEN.search(json.dumps(body["alarms"]))
    assert planned.get("/api/status", params={"aboard_hours": 2}).status_code == 200


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_bad_threshold_is_refused_naming_it(planned, value):
    answer = planned.get("/api/status", params={"aboard_hours": value})
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == "aboard_hours"


def test_the_map_as_geojson_and_the_dashboard_draws_the_same(planned):
    answer = planned.get("/api/map.geojson")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/geo+json")
    geo = answer.json()
    assert geo["type"] == "FeatureCollection"
    assert {f["properties"]["feature"] for f in geo["features"]} == {"site", "leg"}  # nothing on the road yet
    assert all(f["type"] == "Feature" and f["geometry"]["type"] in ("Point", "LineString") for f in geo["features"])
    assert not TOKEN.search(answer.text)
    drawn = planned.get("/fragments/map.json")
    assert drawn.status_code == 200 and drawn.json()["features"] == geo["features"]
    curves = planned.get("/fragments/curves.json").json()
    assert curves["progress"]["planned"]["n"][-1] == 3 and not TOKEN.search(json.dumps(curves))


def test_the_libraries_and_the_base_layer_are_served_from_node_modules(planned):
    for name, kind in (("leaflet.js", "javascript"), ("uPlot.js", "javascript"), ("leaflet.css", "css"),
                       ("topojson-client.js", "javascript"), ("countries-50m.json", "json")):
        answer = planned.get(f"/vendor/picture/{name}")
        assert answer.status_code == 200 and kind in answer.headers["content-type"], name
    assert planned.get("/vendor/picture/other.js").status_code == 404


def test_corridor_status_prints_the_alarms_and_the_operation_time(op, database_templates, monkeypatch):
    register(op, gathering_point="GP-B", destination="RC-1", persons=[person(relationship="head", precedence="urgent")])
    from corridor.service import planning
    from corridor.service.recording import Meta

    planning.plan(op, Meta())
    url = op.db.writer.url
    db = url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=False)
    if database_templates.key is not None:  # a database given by URL (PostgreSQL) finds its key in $CORRIDOR_KEY
        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(database_templates.key).decode())
    result = CliRunner().invoke(cli, ["status", "--db", db, "--aboard-hours", "3"])
    assert result.exit_code == 0, result.output
    assert "operation time" in result.stdout and "URGENT" in result.stdout
    assert "will miss their deadline" in result.stdout
    refused = CliRunner().invoke(cli, ["status", "--db", db, "--aboard-hours", "0"])
    assert refused.exit_code != 0
