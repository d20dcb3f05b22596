"""Accounts and tokens from the operator's console; the access log; the console as the ledger's actor."""

from __future__ import annotations

import getpass
import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from corridor.bootstrap import bootstrap
from corridor.cli import app
from corridor.service import accounts
from tests.conftest import Clock

runner = CliRunner()
PASSWORD = "a long pass phrase for the registrar 7"


def run(*args, code=0, input=None):
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def db(own_db):
    path = own_db("acc.db")
    bootstrap(path, clock=Clock(), seed=7).db.dispose()
    return path


def test_users_are_added_listed_changed_and_disabled(db):
    run("users", "add", "amal", "--role", "registrar", "--site", "GP-A", "--password-stdin", "--db", db,
        input=PASSWORD + "\n")
    (row,) = json.loads(run("users", "list", "--json", "--db", db).stdout)
    assert row["name"] == "amal" and row["role"] == "registrar" and row["sites"] == ["GP-A"]
    assert row["created_by"] == f"console:{getpass.getuser()}"
    assert PASSWORD not in run("users", "list", "--db", db).stdout
    run("users", "role", "amal", "--role", "boarding-marshal", "--site", "GP-B", "--db", db)
    (row,) = json.loads(run("users", "list", "--json", "--db", db).stdout)
    assert row["role"] == "boarding_marshal" and row["sites"] == ["GP-B"]
    run("users", "disable", "amal", "--db", db)
    assert json.loads(run("users", "list", "--json", "--db", db).stdout)[0]["disabled"] is True


@pytest.mark.parametrize("password", ["short", "qwertyuiop123", "sanfrancisco", "amal-amal-amal-1", "aaaaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused(db, password):
    result = run("users", "add", "amal", "--role", "medic", "--password-stdin", "--db", db, input=password + "\n",
                 code=1)
    assert "password" in result.output and password not in result.output


def test_an_unknown_role_is_refused(db):
    assert "role" in run("users", "add", "x1", "--role", "king", "--password-stdin", "--db", db,
                         input=PASSWORD + "\n", code=1).output


def test_a_token_is_printed_once_stored_as_a_hash_and_revoked(db):
    run("users", "add", "amal", "--role", "registrar", "--password-stdin", "--db", db, input=PASSWORD + "\n")
    out = run("tokens", "create", "amal", "--device", "tablet-7", "--expires", "12h", "--db", db).stdout
    token = out.splitlines()[0].strip()
    assert token.startswith("ct_") and len(token) > 40
    rt = bootstrap(db, clock=Clock())
    assert accounts.authenticate(rt, token).account == "amal"
    with rt.db.reader.connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM device_tokens")).scalar()
    assert stored == accounts.hash_token(token) and token not in stored
    (listed,) = json.loads(run("tokens", "list", "amal", "--json", "--db", db).stdout)
    assert token not in json.dumps(listed)
    run("tokens", "revoke", listed["id"], "--db", db)
    with pytest.raises(Exception, match="revoked"):
        accounts.authenticate(rt, token)
    rt.db.dispose()
    assert "expires" in run("tokens", "create", "amal", "--expires", "forever", "--db", db, code=1).output


def test_the_console_is_the_actor_and_there_is_no_actor_option(db, tmp_path):
    from tests.conftest import SMALL_SPEC

    spec = tmp_path / "op.json"
    spec.write_text(json.dumps(SMALL_SPEC))
    run("setup", str(spec), "--db", db)
    run("halt", "--cause", "other", "--device", "radio", "--db", db)
    assert run("halt", "--cause", "other", "--actor", "mallory", "--db", db, code=2)
    rt = bootstrap(db)
    with rt.db.reader.connect() as conn:
        actor, device = conn.execute(text("SELECT actor, device FROM ledger ORDER BY seq DESC LIMIT 1")).one()
    rt.db.dispose()
    assert actor == f"console:{getpass.getuser()}" and device == "radio"


def test_the_access_log_lists_reads_by_the_console(db, tmp_path):
    from tests.conftest import SMALL_SPEC, person, register

    rt = bootstrap(db, clock=Clock())
    from corridor.service import setup

    setup.load_setup(rt, SMALL_SPEC)
    household = register(rt, persons=[person(relationship="head")])
    rt.db.dispose()
    run("show", household["token"], "--db", db)
    (entry,) = json.loads(run("access-log", "--json", "--db", db).stdout)
    assert entry["kind"] == "token_lookup" and entry["subject"] == household["token"]
    assert entry["account"] == f"console:{getpass.getuser()}"
