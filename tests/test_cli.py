"""The command line: thin commands over the services; refusals are one line and a non-zero exit."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from corridor.cli import app

runner = CliRunner()


def run(*args, code=0, **kw):
    result = runner.invoke(app, list(args), **kw)
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("cli") / "demo.db")
    run("demo", "--people", "400", "--simulate", "--no-serve", "--db", db)
    return db


def test_the_demo_runs_to_its_end_and_accounts_for_everyone(demo_db):
    status = json.loads(run("status", "--db", demo_db, "--json").stdout)
    assert status["persons_registered"] == 400
    assert set(status["persons"]) == {"waiting", "assigned", "boarded", "in_transit", "held", "arrived", "unaccounted",
                                      "injured"}
    assert sum(status["persons"].values()) == 400
    assert status["persons"]["waiting"] == status["persons"]["in_transit"] == status["persons"]["injured"] == 0
    assert status["persons"]["arrived"] + status["persons"]["unaccounted"] + status["persons"]["held"] == 400
    # halted twice: shelling near the crossing, and the agreement suspended after the linked operation's incident
    assert status["trips"]["closed"] > 0 and status["halts"] == 2
    # the road: private cars left with convoys, one convoy was sent back; the vehicles attacked were the linked
    # operation's (its incident, as reported), none of ours
    assert status["trips"]["turned_back"] >= 1 and status["trips"].get("lost", 0) == 0
    (incident,) = status["agreement_link"]["incidents"]
    assert incident["incident"] == "burned" and incident["vehicles"] == 5
    left = status["left_by"]
    assert left["private_vehicle_trips"] >= 1 and left["private_vehicles"] > left["private_unregistered"] > 0
    assert left["fleet_vehicles"] + left["private_vehicles"] - left["private_unregistered"] == 400
    rec = json.loads(run("reconcile", "--db", demo_db, "--json").stdout)
    kinds = sorted({d["kind"] for t in rec["trips"] for d in t["differences"]})
    assert kinds == ["held", "left_behind", "removed", "unaccounted"]
    assert rec["unaccounted"] == status["persons"]["unaccounted"] == 1
    back = [t for t in rec["trips"] if t["state"] == "turned_back"]
    assert back and all(t["turned_back"] == t["boarded"] and t["differences"] == [] for t in back)
    assert "linked operation Foua and Kefraya: incident(s) reported: 1" in run("status", "--db", demo_db).stdout


def test_status_and_reconcile_print_tables(demo_db):
    assert "registered" in run("status", "--db", demo_db).stdout
    assert "unaccounted" in run("reconcile", "--db", demo_db).stdout


def test_verify_and_rebuild(demo_db):
    assert "ledger intact" in run("verify", "--db", demo_db).stdout
    assert "views rebuilt" in run("rebuild", "--db", demo_db).stdout


def test_the_database_comes_from_corridor_db(demo_db, monkeypatch):
    monkeypatch.setenv("CORRIDOR_DB", demo_db)
    assert json.loads(run("status", "--json").stdout)["persons_registered"] == 400


def test_a_refusal_is_one_line_and_exit_1(demo_db):
    result = run("depart", "T99999", "--db", demo_db, code=1)
    assert result.stderr.strip().splitlines() == ["refused: trip: no trip 'T99999' in this operation"]


def test_a_malformed_time_is_refused(demo_db):
    result = run("halt", "--cause", "shelling", "--at", "tomorrow", "--db", demo_db, code=1)
    assert "at: 'tomorrow' is not an ISO 8601 time" in result.stderr


def test_verify_names_the_first_bad_event(tmp_path):
    db = str(tmp_path / "t.db")
    run("demo", "--people", "50", "--no-serve", "--db", db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER ledger_no_update")
    conn.execute("UPDATE ledger SET actor = 'someone else' WHERE seq = 7")
    conn.commit()
    result = run("verify", "--db", db, code=1)
    assert "ledger broken at event 7" in result.stderr


def test_the_demo_never_overwrites_a_real_operation(tmp_path):
    db = str(tmp_path / "real.db")
    spec = tmp_path / "op.json"
    spec.write_text(json.dumps({"operation": {"name_en": "Real operation", "starts_at": "2016-12-15T06:00:00Z"}}))
    run("setup", str(spec), "--db", db)
    result = run("demo", "--people", "10", "--no-serve", "--db", db, code=1)
    assert "holds the operation 'Real operation'" in result.stderr


def test_a_whole_trip_by_hand(tmp_path):
    from tests.conftest import SMALL_SPEC, person

    db = str(tmp_path / "hand.db")
    spec = tmp_path / "op.json"
    spec.write_text(json.dumps(SMALL_SPEC, ensure_ascii=False), encoding="utf-8")
    run("setup", str(spec), "--db", db)
    assert "nothing new" in run("setup", str(spec), "--db", db).stdout
    people = tmp_path / "people.json"
    people.write_text(json.dumps([{"gathering_point": "GP-A", "destination": "RC-1", "command_id": "f1",
                                   "persons": [person(relationship="head"), person(sex="female")]}]))
    out = run("register", str(people), "--db", db).stdout
    household = out.split("\n")[1].split(":")[0].strip()
    tokens = out.split("\n")[1].split(":")[1].split()
    run("plan", "--db", db, "--at", "2016-12-15T06:00:00+02:00")
    trip = json.loads(run("show", tokens[0], "--db", db).stdout)["trip"]
    run("board", trip, household, "--db", db, "--command-id", "scan-1")
    assert "already recorded" in run("board", trip, household, "--db", db, "--command-id", "scan-1").stdout
    run("depart", trip, "--db", db)
    run("pass", trip, "CP-1", "--db", db, "--held", f"{tokens[1]}=questioned, as stated")
    run("pass", trip, "CP-2", "--db", db)
    run("arrive", trip, "--db", db)
    run("scan-in", trip, tokens[0], "--db", db)
    assert "everyone accounted for" in run("close", trip, "--db", db).stdout
    status = json.loads(run("status", "--db", db, "--json").stdout)
    assert status["persons"]["arrived"] == 1 and status["persons"]["held"] == 1
    run("release", tokens[1], "--note", "released", "--db", db)
    run("qr", household, "--out", str(tmp_path / "q.svg"))
    assert (tmp_path / "q.svg").read_text().lstrip().startswith("<svg")


def test_bench_bep_solves_instances_and_refuses_a_malformed_file(tmp_path):
    from corridor.planning.bep.bench import default_root

    root = default_root()
    if root is None:
        pytest.skip("the shared BEP instances are not beside this checkout")
    files = [str(root / "rand" / "set2" / "BEP-1-2-2-2-i1.txt"), str(root / "rand" / "set3" / "BEP-1-3-3-2-i5.txt")]
    rows = json.loads(run("bench", "bep", *files, "--time-limit", "5", "--json").stdout)
    assert [r["instance"] for r in rows] == ["BEP-1-2-2-2-i1", "BEP-1-3-3-2-i5"]
    assert all(r["optimal"] and r["lower_bound"] == r["makespan"] for r in rows)
    assert rows[1]["makespan"] == 10
    bad = tmp_path / "bad.txt"
    bad.write_text("2 1\n1 2\n3 x 1 1 1\n")
    result = run("bench", "bep", str(bad), "--json", code=1)
    assert "line" in result.stderr
