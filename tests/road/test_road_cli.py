"""The road on the command line: each refusal one line naming the field and exit 1; a manifest and a notification
printed and written as PDF."""

from __future__ import annotations

import base64
import json

import pytest

from tests.conftest import register
from tests.helpers import plan
from tests.test_cli import run


@pytest.fixture(autouse=True)
def _master_key(database_templates, monkeypatch):
    """A database given by URL (PostgreSQL) finds its master key in $CORRIDOR_KEY, as an operator's would."""
    if database_templates.key is not None:
        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(database_templates.key).decode())


def _db(rt) -> str:
    return rt.db.url.split("///", 1)[1] if "///" in str(rt.db.url) else str(rt.db.url)


def test_the_road_commands_refuse_in_one_line(op):
    register(op)
    trip = plan(op)["trips"][0]
    db = _db(op)
    r = run("turn-back", "C9-9", "--checkpoint", "CP-1", "--reason", "x", "--db", db, code=1)
    assert r.stderr.strip().splitlines() == ["refused: convoy: no convoy 'C9-9' in this operation"]
    r = run("private-vehicle", trip["convoy"], "--plate", "A-1", "--kind", "car", "--seats", "2", "--driver", "d",
            "--unregistered", "3", "--db", db, code=1)
    assert r.stderr.startswith("refused: occupants: 0 registered and 3 not registered are 3 people for 2 seats")
    r = run("vehicle-lost", trip["id"], "--incident", "burned", "--db", db, code=1)
    assert "refused: trip:" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("notify", "--date", "2016-12-01", "--db", db, code=1)
    assert r.stderr.startswith("refused: date: 2016-12-01 is past")
    r = run("manifest", "T99999", "--db", db, code=1)
    assert r.stderr.strip() == "refused: trip: no trip 'T99999' in this operation"


def test_a_manifest_printed_and_written_as_pdf(op, tmp_path):
    register(op)
    trip = plan(op)["trips"][0]
    db = _db(op)
    assert "SARC-101" in run("manifest", trip["id"], "--db", db).stdout
    listed = json.loads(run("manifest", trip["id"], "--json", "--db", db).stdout)
    assert {p["name_latin"] for p in listed["persons"]} == {"Mohammed al-Halabi", "Fatima al-Halabi"}
    out = tmp_path / "m.pdf"
    run("manifest", trip["id"], "--pdf", "--out", str(out), "--db", db)
    assert out.read_bytes()[:5] == b"%PDF-"
