"""The CLI's reports: missed medical deadlines and planning warnings, trips past the page, children
before any operation, QR formats, duplicate evidence as lines, the access log."""

import json
import logging

import pytest
from typer.testing import CliRunner

from corridor.bootstrap import bootstrap
from corridor.cli import app
from corridor.service import setup
from tests.conftest import SMALL_SPEC, Clock, person, register

runner = CliRunner()
PLAN_AT = "2016-12-15T06:00:00+02:00"


def run(*args, code=0):
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def db(own_db):
    """The small operation with an urgent case at GP-B (75 minutes from any reception centre) and others."""
    path = own_db("op.db")
    rt = bootstrap(path, clock=Clock(), seed=7)
    setup.load_setup(rt, SMALL_SPEC)
    urgent = register(rt, gathering_point="GP-B", destination="RC-1",
                      persons=[person(relationship="head", precedence="urgent")])
    register(rt, gathering_point="GP-A", destination="RC-2")
    rt.db.dispose()
    return path, urgent


def test_plan_prints_the_missed_deadlines_and_the_warnings(db):
    path, urgent = db
    result = run("plan", "--db", path, "--at", PLAN_AT)
    assert "medical deadline(s) missed" in result.stdout
    assert urgent["token"] in result.stdout and urgent["persons"][0]["token"] in result.stdout
    assert "urgent" in result.stdout and "min" in result.stdout
    assert "warning:" in result.stderr and "duplicate check" in result.stderr


def test_status_shows_them_and_its_json_carries_them(db):
    path, urgent = db
    run("plan", "--db", path, "--at", PLAN_AT)
    assert "medical deadline(s) missed" in run("status", "--db", path).stdout
    missed = json.loads(run("status", "--db", path, "--json").stdout)["missed_deadlines"]
    assert [m["household"] for m in missed] == [urgent["token"]]
    assert missed[0]["precedence"] == "urgent" and missed[0]["late_minutes"] > 0


def test_trips_says_how_many_are_not_shown_and_all_shows_them(db):
    path, _ = db
    run("plan", "--db", path, "--at", PLAN_AT)
    trips = json.loads(run("trips", "--db", path, "--json").stdout)
    assert len(trips) >= 2
    cut = run("trips", "--db", path, "--limit", "1").stdout
    assert f"… {len(trips) - 1} more trip(s); use --all (or --limit)" in cut
    every = run("trips", "--db", path, "--all").stdout
    assert "more trip(s)" not in every and all(t["id"] in every for t in trips)


def test_children_on_a_database_without_an_operation_is_a_clean_answer(own_db):
    result = run("children", "--db", own_db("empty.db"))
    assert result.stdout.strip() == "0 child(ren)"


def test_qr_refuses_a_format_it_cannot_write(tmp_path):
    result = run("qr", "HNFCB6HG5", "--out", str(tmp_path / "card.jpg"), code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refused: out:") and ".svg" in lines[0] and ".png" in lines[0]
    assert not (tmp_path / "card.jpg").exists()


def test_duplicate_evidence_is_printed_as_readable_lines(own_db):
    path = own_db("dup.db")
    rt = bootstrap(path, clock=Clock(), seed=7)
    setup.load_setup(rt, SMALL_SPEC)
    register(rt, gathering_point="GP-A", persons=[person(relationship="head")])
    register(rt, gathering_point="GP-B", persons=[person(relationship="head")])
    rt.db.dispose()
    run("duplicates", "check", "--db", path)
    listing = run("duplicates", "--db", path).stdout
    assert "1 candidate pair(s)" in listing
    assert "birth year" in listing and "{'" not in listing and "'level'" not in listing


def test_the_access_log_prints_one_line_per_request():
    from corridor.cli.demo import server_config

    quiet = server_config(None, "127.0.0.1", 8000, access_log=False)
    assert not logging.getLogger("uvicorn.access").isEnabledFor(logging.INFO)
    loud = server_config(None, "127.0.0.1", 8000, access_log=True)
    assert loud.access_log and logging.getLogger("uvicorn.access").isEnabledFor(logging.INFO)
    assert not logging.getLogger("uvicorn.error").isEnabledFor(logging.INFO)  # still no start-up chatter
    assert not quiet.access_log


def test_the_options_of_the_issue_exist():
    assert "--encoding" in run("import", "--help").stdout
    assert "--force" in run("duplicates", "merge", "--help").stdout


def test_the_command_line_starts_without_heavy_libraries():
    """`corridor --help` stays fast: the database, web, solver and document libraries load inside commands."""
    import subprocess
    import sys

    heavy = ("sqlalchemy", "fastapi", "uvicorn", "reportlab", "ortools", "highspy", "pandas", "numpy", "openpyxl",
             "pydantic", "alembic")
    probe = f"import sys, corridor.cli; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_picture_with_no_claim_says_so_and_one_with_claims_shows_them(db, tmp_path):
    path, _ = db
    empty = run("picture", "--db", path, "--as-of", PLAN_AT).stdout
    assert "no claim about the 24 hours before it" in " ".join(empty.split()) and "metric" not in empty
    claim = {"source": "a news agency", "reported_at": PLAN_AT,
             "figures": [{"metric": "persons_evacuated", "value": 3000}]}
    (tmp_path / "claims.json").write_text(json.dumps([claim]), encoding="utf-8")
    run("claims", "add", str(tmp_path / "claims.json"), "--db", path)
    shown = run("picture", "--db", path, "--as-of", PLAN_AT).stdout
    assert "metric" in shown and "3,000" in shown and "no claim" not in shown
    (metric,) = json.loads(run("picture", "--db", path, "--as-of", PLAN_AT, "--json").stdout)["metrics"]
    assert (metric["metric"], metric["estimate"]) == ("persons_evacuated", 3000)


@pytest.mark.parametrize("where, said", [("nowhere/out.pdf", "nowhere is not a folder"),
                                         (".", "is a folder; give a file name")], ids=["folder missing", "a folder"])
def test_a_document_that_cannot_be_written_where_asked_is_refused_in_one_line(db, tmp_path, where, said):
    path, _ = db
    run("plan", "--db", path, "--at", PLAN_AT)
    target = str(tmp_path / where)
    for command in (["sitrep"], ["sitrep", "--pdf"], ["manifest", "T00001", "--pdf"]):
        result = run(*command, "--out", target, "--db", path, code=1)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("refused: out: ") and said in lines[0], result.output
    assert not (tmp_path / "nowhere").exists()
