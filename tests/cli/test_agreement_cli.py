"""`corridor agreement show|set|amend|category|linked`: the demo's agreement shown; bad terms, an unknown
category and a second `set` refused in one line with exit 1, nothing changed; the link's state in `status`."""

import json
import sqlite3

from tests.test_cli import run


def test_the_agreement_commands(tmp_path):
    db = str(tmp_path / "demo.db")
    run("demo", "--people", "60", "--no-serve", "--db", db)
    shown = run("agreement", "show", "--db", db).stdout
    assert "armed_group" in shown and "Foua and Kefraya" in shown
    events = json.loads(run("status", "--db", db, "--json").stdout)["events"]

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"link": {"name": "Foua and Kefraya", "ratio": 0}}))
    result = run("agreement", "amend", str(bad), "--reason", "test", "--db", db, code=1)
    assert len(result.stderr.strip().splitlines()) == 1 and "link.ratio" in result.stderr
    result = run("agreement", "set", str(bad), "--db", db, code=1)
    assert "link.ratio" in result.stderr
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"link": {"name": "Foua and Kefraya", "ratio": 0.5}}))
    result = run("agreement", "set", str(good), "--db", db, code=1)
    assert "amend it" in result.stderr
    token = sqlite3.connect(db).execute("SELECT token FROM persons LIMIT 1").fetchone()[0]
    result = run("agreement", "category", token, "nobody", "--db", db, code=1)
    assert "category: unknown category 'nobody'" in result.stderr
    assert json.loads(run("status", "--db", db, "--json").stdout)["events"] == events  # nothing changed

    run("agreement", "amend", str(good), "--reason", "a ratio agreed instead of steps", "--db", db)
    assert "linked operation 100" in run("agreement", "linked", "100", "--db", db).stdout
    status = run("status", "--db", db).stdout
    assert "linked operation Foua and Kefraya: open" in status
    assert '"kind": "amended"' in run("agreement", "show", "--json", "--db", db).stdout


def test_a_persons_category_shown_on_the_command_line_and_the_read_logged(op, database_templates, monkeypatch):
    import base64

    from corridor.service import access, agreement
    from corridor.service.recording import Meta
    from tests.conftest import register
    from tests.road.test_road_cli import _db

    if database_templates.key is not None:  # a database given by URL (PostgreSQL) finds its key in $CORRIDOR_KEY
        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(database_templates.key).decode())

    agreement.set_agreement(op, Meta(), terms={})
    token = register(op)["persons"][0]["token"]
    agreement.set_category(op, Meta(), token=token, category="wounded_sick", note="shrapnel")
    db = _db(op)
    shown = run("agreement", "category-show", token, "--db", db).stdout
    assert f"{token} (household" in shown and "wounded_sick" in shown and "note: shrapnel" in shown
    assert json.loads(run("agreement", "category-show", token, "--json", "--db", db).stdout)["set"] is True
    reads = [e for e in access.entries(op) if e["kind"] == access.CATEGORY]
    assert len(reads) == 2 and all(e["subject"] == token and e["account"].startswith("console:") for e in reads)
    result = run("agreement", "category-show", "P123", "--db", db, code=1)
    assert result.stderr.strip().splitlines() == ["refused: token: 'P123' is not a token (H or P followed by 8 symbols)"]
    assert len([e for e in access.entries(op) if e["kind"] == access.CATEGORY]) == 2
