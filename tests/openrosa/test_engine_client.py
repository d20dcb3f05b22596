"""ODK's own form engine (@getodk/xforms-engine under Node.js with jsdom) as the field device: it lists
corridor's forms, downloads and loads them, fills households of several persons (Arabic and Latin names),
prepares each submission itself and posts the engine's multipart body to corridor, as Collect does."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from sqlalchemy import select

from corridor.service import accounts
from corridor.store import queries as q
from corridor.store.tables import households

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CLIENT = Path(__file__).with_name("engine_client.mjs")
HOUSEHOLDS = [
    {"gathering_point": "GP-A", "destination": "RC-1", "persons": [
        {"name_ar": "محمد الحلبي", "name_latin": "Mohammed al-Halabi", "sex": "male", "birth_year": 1979,
         "relationship": "head"},
        {"name_ar": "فاطمة الحلبي", "name_latin": "Fatima al-Halabi", "sex": "female", "birth_year": 1983,
         "relationship": "spouse"},
        {"name_ar": "عمر الحلبي", "sex": "male", "birth_year": 2012, "relationship": "child"}]},
    {"gathering_point": "GP-A", "destination": "any", "persons": [
        {"name_latin": "Layla Haddad", "sex": "female", "birth_year": 1990, "relationship": "head"},
        {"name_ar": "يوسف حداد", "name_latin": "Youssef Haddad", "sex": "male", "birth_year": 2016,
         "relationship": "child"}]},
    {"gathering_point": "GP-A", "destination": "RC-1", "persons": [
        {"name_ar": "خديجة العلي", "sex": "female", "birth_year": 1950, "relationship": "head"},
        {"name_ar": "سارة العلي", "name_latin": "Sara al-Ali", "sex": "female", "birth_year": 1975,
         "relationship": "child"},
        {"name_ar": "أحمد العلي", "name_latin": "Ahmad al-Ali", "sex": "male", "birth_year": 2001,
         "relationship": "grandchild"},
        {"name_latin": "Nour al-Ali", "sex": "female", "birth_year": 2014, "relationship": "grandchild"}]},
]


def run_engine(server: str, tmp_path: Path, households: list[dict] = HOUSEHOLDS) -> dict:
    node = shutil.which("node")
    assert node, "node is not installed (scripts/setup needs Node.js for npm ci)"
    assert (ROOT / "node_modules/@getodk/xforms-engine").exists(), "run scripts/setup: npm ci installs the engine"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"server": server, "households": households}, ensure_ascii=False), "utf-8")
    done = subprocess.run([node, str(CLIENT), str(plan)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_engine_lists_fills_and_submits_and_each_household_is_registered_once(op, openrosa_server, tmp_path):
    token = accounts.create_token(op, "registrar", device="phone-7", expires=timedelta(days=30), by="tests")["token"]
    report = run_engine(f"{openrosa_server.base}/key/{token}/openrosa", tmp_path)

    assert [f["id"] for f in report["forms"]] == ["corridor_registration"]  # a registrar does not board
    assert all(f["hash_matches"] for f in report["forms"])
    assert all({"English (en)", "Arabic (ar)"} <= set(f["languages"]) for f in report["forms"])
    assert report["head"] == {"status": 204, "accept": str(10 * 1024 * 1024)}
    steps = report["submissions"]
    new = [s for s in steps if s["step"] == "new"]
    assert [s["status"] for s in new] == [201] * len(HOUSEHOLDS), new
    assert all(s["instanceID"].startswith("uuid:") and s["openrosa"] == "1.0" for s in new)
    assert all(s["date"].endswith(" GMT") and "," not in s["date"][5:] for s in new)  # one Date header
    assert len({s["instanceID"] for s in new}) == len(HOUSEHOLDS)
    again, changed, edit = (next(s for s in steps if s["step"] == k) for k in ("again", "changed", "edit"))
    assert again["status"] == 201 and again["message"].startswith("Received before")
    assert changed["status"] == 409 and "بمحتوى مختلف" in changed["message"]
    assert edit["status"] == 409 and edit["deprecatedID"] == new[0]["instanceID"]
    assert "name_latin" in edit["message"] and "registration desk" in edit["message"]

    with op.reading() as uow:
        recorded = uow.ledger.find_many([s["instanceID"] for s in new] + [edit["instanceID"]])
        tokens = [e.event.token for e in recorded.values()]
        rows = uow.conn.execute(select(households.c.token)).all()
        members = [m for t in tokens for m in q.household_detail(uow.conn, t)[1]]
    assert len(rows) == len(HOUSEHOLDS)  # exactly once each: not the resend, not the changed one, not the edit
    assert len(members) == sum(len(h["persons"]) for h in HOUSEHOLDS)
    sent = {(p.get("name_ar") or None, p.get("name_latin") or None) for h in HOUSEHOLDS for p in h["persons"]}
    assert {(m.name_ar or None, m.name_latin or None) for m in members} == sent  # both scripts kept as typed
    assert sorted(recorded) == sorted(s["instanceID"] for s in new)
    assert all(e.actor == "registrar" and "phone-7" in e.device for e in recorded.values())


def test_a_boarding_marshal_gets_the_boarding_form_and_it_loads_in_the_engine(op, openrosa_server, tmp_path):
    token = accounts.create_token(op, "boarding_marshal", device="scanner-2", expires=timedelta(days=1),
                                  by="tests")["token"]
    report = run_engine(f"{openrosa_server.base}/key/{token}/openrosa", tmp_path, households=[])
    assert [f["id"] for f in report["forms"]] == ["corridor_boarding"]
    assert report["forms"][0]["hash_matches"] and "Arabic (ar)" in report["forms"][0]["languages"]
