"""The forecast from a ledger: the demo operation, planned; honest without disruption, seeded, what-ifs recording
nothing, bad input refused naming the field; and the same over HTTP and on the command line."""

from datetime import datetime, timedelta

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import bootstrap
from corridor.cli import app
from corridor.domain.errors import BadInput, NotFound, RuleRefused
from corridor.scenarios.demo import create_demo
from corridor.scenarios.east_aleppo import START
from corridor.service import forecast as f
from corridor.service import movement, reports
from corridor.service.recording import Meta
from corridor.store import queries as q
from tests.conftest import Clock


@pytest.fixture(scope="module")
def demo(tmp_path_factory, database_templates):
    path = database_templates.empty(tmp_path_factory.mktemp("forecast"), "demo.db")
    rt = bootstrap(path, clock=Clock(START), seed=5, key=database_templates.key)
    create_demo(rt, people=600, seed=5, with_agreement=False)  # the forecast does not model the agreement's link
    yield rt, str(path)
    rt.db.dispose()


def head(rt) -> int:
    with rt.reading() as uow:
        return q.ledger_seq(uow.conn)


def test_without_disruption_the_p50_is_the_plans_finish(demo):
    rt, _ = demo
    out = f.forecast(rt, runs=200, seed=1, disruption=False)
    base = out["cases"][0]
    finish = datetime.fromisoformat(reports.status(rt)["plan"]["finish_at"])
    assert base["p10_at"] == base["p50_at"] == base["p90_at"] == base["plan_finish_at"]
    assert datetime.fromisoformat(base["p50_at"]) == finish
    assert datetime.fromisoformat(out["as_of"]) == START  # the demo's clock: the last event, not the wall clock


def test_seeded_reproducible_and_disruption_only_later(demo):
    rt, _ = demo
    by = START + timedelta(hours=12)
    a = f.forecast(rt, runs=3000, seed=4, by=by)
    assert a == f.forecast(rt, runs=3000, seed=4, by=by)
    base = a["cases"][0]
    assert base["plan_finish_at"] <= base["p50_at"] <= base["p90_at"] and base["p10_at"] <= base["p50_at"]
    assert 0.0 <= base["finish_by_probability"] <= 1.0
    assert a["model"]["disruption"] and a["model"]["observed"]["halts"] == 0  # the prior alone so far
    assert a["model"]["halts_per_day"] == pytest.approx(0.375)


def test_what_ifs_are_planned_beside_the_base_and_record_nothing(demo):
    rt, _ = demo
    before = head(rt)
    out = f.forecast(rt, runs=500, seed=2, whatifs=f.changes(
        add_vehicles=20, at=(START + timedelta(hours=1)).isoformat(), second_corridor="GP-SUK",
        window="06:00-18:00", checkpoint_rate=["CP-RAM=40"]))
    assert head(rt) == before
    names = [c["case"] for c in out["cases"]]
    assert names[0] == "current plan" and len(names) == 5
    base, more, second, window, rate = out["cases"]
    assert more["vehicles"] == base["vehicles"] + 20 and more["change"]["add_vehicles"] == 20
    assert second["change"]["second_corridor"] == ["GP-SUK"]
    assert window["change"]["window"] == "06:00-18:00" and window["plan_finish_at"] >= base["plan_finish_at"]
    assert rate["change"]["checkpoint_rate"] == {"CP-RAM": 40}
    quiet = f.forecast(rt, runs=10, seed=2, disruption=False, whatifs=f.changes(window="06:00-18:00"))
    assert quiet["cases"][1]["p50_at"] == quiet["cases"][1]["plan_finish_at"]  # the re-plan itself, undisrupted


@pytest.mark.parametrize("kwargs, field", [
    ({"add_vehicles": 0}, "add_vehicles"), ({"at": "2016-12-15T06:00+00:00"}, "at"),
    ({"add_vehicles": 3, "at": "tomorrow"}, "at"), ({"add_vehicles": 3, "at": "2016-12-15T06:00"}, "at"),
    ({"window": "6-18"}, "window"), ({"window": "06:00-06:00"}, "window"), ({"window": "25:00-26:00"}, "window"),
    ({"checkpoint_rate": ["CP-RAM"]}, "checkpoint_rate"), ({"checkpoint_rate": ["CP-RAM=0"]}, "checkpoint_rate"),
    ({"second_corridor": " , "}, "second_corridor")])
def test_bad_what_ifs_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(BadInput) as err:
        f.changes(**kwargs)
    assert err.value.field == field


@pytest.mark.parametrize("kwargs, field, refusal", [
    ({"runs": 0}, "runs", BadInput), ({"runs": 100_001}, "runs", BadInput),
    ({"whatifs": f.changes(checkpoint_rate=["CP-NOWHERE=4"])}, "checkpoint_rate", NotFound),
    ({"whatifs": f.changes(second_corridor="GP-NOWHERE")}, "second_corridor", NotFound)])
def test_bad_forecasts_are_refused_and_change_nothing(demo, kwargs, field, refusal):
    rt, _ = demo
    before = head(rt)
    with pytest.raises(refusal) as err:
        f.forecast(rt, **{"runs": 10, **kwargs})
    assert err.value.field == field and head(rt) == before


def test_no_plan_no_forecast(op):
    with pytest.raises(RuleRefused) as err:
        f.forecast(op, runs=10)
    assert err.value.field == "plan"


def test_a_halt_is_learned_from_and_holds_the_rest_back(own_db):
    rt = bootstrap(own_db("halted.db"), clock=Clock(START), seed=6)
    create_demo(rt, people=300, seed=6, with_agreement=False)
    calm = f.forecast(rt, runs=2000, seed=3)["cases"][0]
    movement.halt(rt, Meta(at=START + timedelta(minutes=5)), cause="shelling")
    out = f.forecast(rt, runs=2000, seed=3, at=START + timedelta(hours=2))
    assert out["model"]["observed"]["halts"] == 1 and out["model"]["halts_per_day"] > 0.375
    assert out["cases"][0]["p10_at"] > calm["p10_at"]  # the halt going on lasts on in every run
    rt.db.dispose()


runner = CliRunner()


def test_the_command_line_prints_a_table_json_and_one_line_refusals(demo, own_db):
    _, path = demo  # (own_db puts the master key in $CORRIDOR_KEY on PostgreSQL)
    table = runner.invoke(app, ["forecast", "--db", path, "--runs", "500", "--by", "2016-12-15T18:00+00:00",
                                "--add-vehicles", "5"])
    assert table.exit_code == 0, table.output
    assert "current plan" in table.output and "+5 vehicles" in table.output and "P50 finish" in table.output
    as_json = runner.invoke(app, ["forecast", "--db", path, "--runs", "100", "--json", "--no-disruption"])
    import json

    body = json.loads(as_json.output)
    assert body["runs"] == 100 and body["cases"][0]["p50_at"] == body["cases"][0]["plan_finish_at"]
    for args, words in ((["--runs", "0"], "runs:"), (["--window", "6-18"], "window:"),
                        (["--by", "soon"], "by:")):
        bad = runner.invoke(app, ["forecast", "--db", path, *args])
        assert bad.exit_code == 1 and words in bad.output and "Traceback" not in bad.output
        assert len(bad.output.strip().splitlines()) == 1
