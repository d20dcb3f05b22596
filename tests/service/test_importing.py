"""Bulk import: a list is recorded whole or refused whole with every bad row; importing again adds nothing;
field submissions are keyed by instanceID (a resubmission is absorbed, a changed one is a conflict)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.domain.errors import BadInput
from corridor.service import importing, reports
from tests.helpers import nothing_changes

DATA = Path(__file__).parents[1] / "formats" / "data"


def test_a_list_is_imported_and_importing_it_again_adds_nothing(op):
    report = importing.import_table(op, DATA / "households.csv")
    assert report.added == report.households > 0
    registered = reports.status(op)["persons_registered"]
    assert registered == report.persons
    with nothing_changes(op):
        again = importing.import_table(op, DATA / "households.csv")
    assert again.added == 0 and again.already == report.households


def test_a_list_with_bad_rows_is_refused_whole_with_every_row(op):
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, DATA / "bad_many_problems.csv")
    rows = {(p["row"], p["column"]) for p in e.value.errors}
    assert len(e.value.errors) >= 3 and len(rows) == len(e.value.errors)
    assert all({"row", "column", "value", "reason"} <= p.keys() for p in e.value.errors)


def test_a_list_naming_an_unknown_gathering_point_is_refused_with_its_rows(op, tmp_path):
    text = (DATA / "households.csv").read_text(encoding="utf-8").replace("GP-B", "GP-NOWHERE")
    listing = tmp_path / "list.csv"
    listing.write_text(text, encoding="utf-8")
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, listing)
    (problem,) = e.value.errors
    assert "GP-NOWHERE" in problem["reason"] and problem["row"] > 1


def test_kobo_submissions_are_keyed_by_instance_id(op, tmp_path):
    report = importing.import_kobo(op, DATA / "kobo_submissions.json")
    assert report.added == report.households > 0 and not report.conflicts
    with nothing_changes(op):
        assert importing.import_kobo(op, DATA / "kobo_submissions.json").added == 0
    # the same submission edited on the server: a conflict, not applied; the rest still imports
    export = json.loads((DATA / "kobo_submissions.json").read_text(encoding="utf-8"))
    first = export["results"][0]
    persons = next(k for k in first if k.endswith("persons"))
    name = next(k for k in first[persons][0] if k.endswith("name_latin"))
    first[persons][0][name] = first[persons][0][name] + " Jr"
    export["results"] = [first]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    with nothing_changes(op):
        r = importing.import_kobo(op, changed)
    assert r.added == 0 and any("submitted before with different content" in c["reason"] for c in r.conflicts)


def test_the_cli_imports_and_refuses(op, tmp_path):
    db = op.db.url.removeprefix("sqlite:///")
    runner = CliRunner()
    ok = runner.invoke(app, ["import", str(DATA / "households.csv"), "--db", db])
    assert ok.exit_code == 0 and "added" in ok.stdout, ok.output
    bad = runner.invoke(app, ["import", str(DATA / "bad_many_problems.csv"), "--db", db])
    assert bad.exit_code == 1 and "nothing imported" in bad.stderr and "row" in bad.stderr


def test_the_api_imports_a_list_sent_as_the_body(client, op):
    body = (DATA / "households.csv").read_bytes()
    r = client.post("/api/import?format=csv", content=body, headers={"Content-Type": "text/csv"})
    assert r.status_code == 201 and r.json()["added"] > 0
    again = client.post("/api/import?format=csv", content=body, headers={"Content-Type": "text/csv"})
    assert again.status_code == 200 and again.json()["added"] == 0
    bad = client.post("/api/import?format=csv", content=(DATA / "bad_many_problems.csv").read_bytes())
    assert bad.status_code == 422 and bad.json()["field"] == "file" and len(bad.json()["errors"]) >= 3
