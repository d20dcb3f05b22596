"""Bulk import: a list is recorded whole or refused whole with every bad row; importing again adds nothing;
field submissions are keyed by instanceID (a resubmission is absorbed, a changed one is a conflict)."""

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.domain.errors import BadInput
from corridor.service import importing, registration, reports
from tests.rawdb import cli_db
from tests.helpers import nothing_changes
from corridor.domain.permissions import Principal

CONSOLE = Principal.console("tests")  # the operator's console: sees every field

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


HEADER = (DATA / "households.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


@pytest.mark.parametrize("column", HEADER)
def test_a_nul_character_in_any_cell_is_refused_with_its_row(op, tmp_path, column):
    """A NUL character is no part of a name, a code or a token: on PostgreSQL, whose text cannot hold one, a
    gathering point or destination holding it failed the import with a database error instead of a refused row."""
    rows = list(csv.reader(io.StringIO((DATA / "households.csv").read_text(encoding="utf-8"))))
    rows[1][HEADER.index(column)] += "\x00x"
    listing = tmp_path / "list.csv"
    with open(listing, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, listing)
    assert e.value.errors and all(p["row"] in (2, 3) for p in e.value.errors), e.value.errors


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


def test_the_cli_imports_and_refuses(op, tmp_path, database_templates, monkeypatch):
    db = cli_db(op, database_templates.key, monkeypatch)
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


# --- every bad row in one pass, in the file's terms (defect 5) ---------------------------------

FIVE_KINDS = """household,gathering_point,destination,name_ar,full name (latin),sex,birth_year,relationship
1,GP-A,RC-1,,Ali Hassan,robot,1980,head
,GP-A,RC-1,,Huda Hassan,female,1982,spouse
2,GP-A,RC-1,,Omar Saleh,male,3000,head
3,GP-NOWHERE,RC-1,,Sami Nasser,male,1970,head
4,GP-B,,Mona Karim,,female,1990,head
"""


def test_one_pass_lists_every_bad_row_with_the_files_row_column_and_value(op, tmp_path):
    listing = tmp_path / "list.csv"
    listing.write_text(FIVE_KINDS, encoding="utf-8")
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, listing)
    found = {(p["row"], p["column"], p["value"]) for p in e.value.errors}
    assert found == {(2, "sex", "robot"), (3, "household", ""), (4, "birth_year", "3000"),
                     (5, "gathering_point", "GP-NOWHERE"), (6, "name_ar", "Mona Karim")}, e.value.errors
    reasons = {p["row"]: p["reason"] for p in e.value.errors}
    assert "GP-NOWHERE" in reasons[5] and "3000" in reasons[4] and "no Arabic letters" in reasons[6]
    assert not any("persons[" in p["reason"] or "persons[" in p["column"] for p in e.value.errors)


def test_a_refused_pre_printed_token_is_named_by_its_column_and_row(op, tmp_path):
    importing.import_table(op, DATA / "households.csv")
    text = (DATA / "households.csv").read_text(encoding="utf-8").replace("F-00", "G-00").replace("Ahmad", "Ahmed")
    listing = tmp_path / "again.csv"
    listing.write_text(text, encoding="utf-8")
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, listing, source="another list")
    assert {(p["row"], p["column"]) for p in e.value.errors} >= {(2, "household_token")}


# --- a corrected list (defect 6) ---------------------------------------------------------------


def respelled(tmp_path, name="corrected.csv"):
    text = (DATA / "households.csv").read_text(encoding="utf-8").replace('"Yusuf  Haddad"', "Youssef Haddad")
    listing = tmp_path / name
    listing.write_text(text, encoding="utf-8")
    return listing


def test_a_list_imported_again_with_a_respelled_name_reports_a_changed_household_and_adds_nothing(op, tmp_path):
    importing.import_table(op, DATA / "households.csv")
    with nothing_changes(op):
        report = importing.import_table(op, respelled(tmp_path))
    assert report.added == 0 and report.already == 2 and report.corrected == 0
    (changed,) = report.changed
    assert changed["household"] == "F-003" and changed["rows"] == [6] and changed["applicable"]
    (difference,) = changed["differences"]
    assert (difference["row"], difference["column"], difference["field"], difference["was"], difference["now"]) == (
        6, "name_latin", "name_latin", "Yusuf Haddad", "Youssef Haddad")
    assert reports.status(op)["persons_registered"] == 6


def test_applying_the_correction_records_one_event_and_keeps_the_household(op, tmp_path):
    importing.import_table(op, DATA / "households.csv")
    before = reports.verify(op).events
    report = importing.import_table(op, respelled(tmp_path), apply_corrections=True)
    assert report.corrected == 1 and report.added == 0 and report.changed[0]["corrected"]
    assert reports.verify(op).events == before + 1
    token = report.changed[0]["token"]
    shown = registration.describe(op, token, viewer=CONSOLE)
    assert [p["name_latin"] for p in shown["persons"]] == ["Youssef Haddad"]
    assert reports.status(op)["persons_registered"] == 6
    with nothing_changes(op):  # the corrected list is now the registration: nothing more to do
        again = importing.import_table(op, respelled(tmp_path, "renamed.csv"), apply_corrections=True)
    assert again.changed == [] and again.added == 0 and again.already == 3
    views = reports.views_snapshot(op)
    reports.rebuild(op)
    assert reports.views_snapshot(op) == views


def test_a_changed_gathering_point_is_reported_but_not_corrected_from_a_list(op, tmp_path):
    importing.import_table(op, DATA / "households.csv")
    text = (DATA / "households.csv").read_text(encoding="utf-8").replace('F-003,GP-A', "F-003,GP-B")
    listing = tmp_path / "moved.csv"
    listing.write_text(text, encoding="utf-8")
    with nothing_changes(op):
        report = importing.import_table(op, listing, apply_corrections=True)
    (changed,) = report.changed
    assert not changed["applicable"] and "gathering_point" in changed["reason"] and report.corrected == 0


def test_a_source_label_keeps_unrelated_lists_apart(op, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("household,gathering_point,name_latin\n1,GP-A,Ali Hassan\n", encoding="utf-8")
    second.write_text("household,gathering_point,name_latin\n1,GP-B,Rami Aziz\n", encoding="utf-8")
    importing.import_table(op, first)
    with nothing_changes(op):  # the same key in the one default source: shown, not added
        assert importing.import_table(op, second).changed[0]["household"] == "1"
    report = importing.import_table(op, second, source="the field team's list")
    assert report.changed == [] and report.added == 1


# --- encodings (defect 10) ---------------------------------------------------------------------


ARABIC_LIST = "household,gathering_point,name_ar,sex\n1,GP-A,محمد الحلبي,ذكر\n1,GP-A,فاطمة الحلبي,أنثى\n"


def test_a_list_in_an_arabic_windows_encoding_asks_for_the_option_then_imports(op, tmp_path):
    listing = tmp_path / "arabic.csv"
    listing.write_bytes(ARABIC_LIST.encode("cp1256"))
    with nothing_changes(op), pytest.raises(BadInput) as e:
        importing.import_table(op, listing)
    assert "--encoding cp1256" in e.value.detail
    report = importing.import_table(op, listing, encoding="cp1256")
    assert report.added == 1 and report.persons == 2
    with pytest.raises(BadInput, match="--encoding"):
        importing.import_table(op, listing, encoding="no-such-encoding")


def test_kobo_exports_take_an_encoding(op, tmp_path):
    text = (DATA / "kobo_flattened_long.csv").read_text(encoding="utf-8")
    export = tmp_path / "kobo.csv"
    export.write_bytes(text.encode("cp1256", errors="strict"))
    report = importing.import_kobo(op, export, encoding="cp1256")
    assert report.added == report.households > 0
