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
