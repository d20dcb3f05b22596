"""`corridor duplicates --lang ar`: the candidate pairs' evidence in Arabic."""

import re

from typer.testing import CliRunner

from corridor.bootstrap import bootstrap
from corridor.cli import app
from corridor.service import setup
from tests.conftest import SMALL_SPEC, Clock, person, register

runner = CliRunner()


def run(*args, code=0):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def test_the_evidence_is_printed_in_arabic_when_asked(own_db):
    path = own_db("dup.db")
    rt = bootstrap(path, clock=Clock(), seed=7)
    setup.load_setup(rt, SMALL_SPEC)
    register(rt, gathering_point="GP-A", persons=[person(relationship="head")])
    register(rt, gathering_point="GP-B", persons=[person(relationship="head", birth_year=1981)])
    rt.db.dispose()
    run("duplicates", "check", "--db", path)
    arabic = run("duplicates", "--db", path, "--lang", "ar").stdout
    assert "1 candidate pair(s)" in arabic
    assert "سنة الميلاد" in arabic and "نقطة التجمع" in arabic and "الجنس ذكر في التسجيلين" in arabic
    assert not re.search(r"birth year|gathering point|in both|log2 odds", arabic)
    english = run("duplicates", "--db", path).stdout
    assert "birth year 1980 vs 1981: one year apart" in english and "سنة الميلاد" not in english
    assert "lang: expected en or ar" in run("duplicates", "--db", path, "--lang", "fr", code=1).output
