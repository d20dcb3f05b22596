"""Issuing a movement notification (issue 11) is a ledger event: what it covered, the notice it gave and the hash
of its content, who issued it and when; a resend absorbed; listed for the coordinator; rendering stays a read; a
past date or a bad field refused naming the field, nothing changed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from corridor.domain.errors import BadInput, NotFound
from corridor.domain.permissions import Role
from corridor.service import notifications, reports
from corridor.service.recording import Meta
from tests.conftest import START, register
from tests.helpers import nothing_changes, plan
from tests.test_cli import run


@pytest.fixture
def planned(op):
    register(op)
    return op, plan(op)


def test_issuing_records_what_was_sent_and_a_resend_is_absorbed(planned):
    rt, p = planned
    convoy = p["trips"][0]["convoy"]
    events = reports.verify(rt).events
    notifications.notification(rt, convoy=convoy)  # rendering is a read
    assert reports.verify(rt).events == events and notifications.issued(rt) == []
    receipt, sent = notifications.issue(rt, Meta(command_id="n-1", actor="amal"), convoy=convoy, contact="ops room")
    assert receipt.type == "NotificationIssued"
    assert receipt.data["content_hash"] == notifications.content_hash(sent) and sent["convoys"] == [convoy]
    again, _ = notifications.issue(rt, Meta(command_id="n-1", actor="amal"), convoy=convoy, contact="ops room")
    assert again.replayed and again.seq == receipt.seq
    (listed,) = notifications.issued(rt)
    assert (listed["issued_by"], listed["scope"], listed["convoy"]) == ("amal", f"convoy {convoy}", convoy)
    assert listed["short"] and listed["required_hours"] == 48 and listed["persons"] == sent["totals"]["persons"]
    assert listed["content_hash"] == receipt.data["content_hash"] and datetime.fromisoformat(listed["issued_at"]) == datetime.fromisoformat(receipt.at)
    notifications.issue(rt, Meta(), date=p["trips"][0]["depart_at"][:10], emergency=True, contact="ops room")
    assert [n["emergency"] for n in notifications.issued(rt)] == [False, True]
    before = reports.views_snapshot(rt)
    reports.rebuild(rt)
    assert reports.views_snapshot(rt) == before


@pytest.mark.parametrize("args, field, error", [
    (dict(date="2016-12-01"), "date", BadInput),
    (dict(date="soon"), "date", BadInput),
    (dict(convoy="C9-9"), "convoy", NotFound),
    (dict(), "convoy", BadInput),
    (dict(convoy="C1-1", staff=99), "staff", BadInput),
    (dict(convoy="C1-1", emergency="yes"), "emergency", BadInput),
    (dict(convoy="C1-1", contact="x" * 201), "contact", BadInput),
])
def test_a_bad_issue_is_refused_naming_the_field(planned, args, field, error):
    rt, p = planned
    if args.get("convoy") == "C1-1":
        args = args | {"convoy": p["trips"][0]["convoy"]}
    with nothing_changes(rt), pytest.raises(error) as e:
        notifications.issue(rt, Meta(), **args)
    assert e.value.field == field


def test_a_convoy_already_past_cannot_be_issued(planned, clock):
    rt, p = planned
    clock.now = START + timedelta(days=2)
    with nothing_changes(rt), pytest.raises(BadInput) as e:
        notifications.issue(rt, Meta(), convoy=p["trips"][0]["convoy"])
    assert e.value.field == "convoy" and "past" in e.value.detail


def test_issuing_over_http_and_the_list(client):
    rt = client.app.state.runtime
    register(rt)
    convoy = plan(rt)["trips"][0]["convoy"]
    coordinator = client.as_role(Role.COORDINATOR)
    r = coordinator.post("/api/notifications", json={"convoy": convoy, "contact": "ops room"},
                         headers={"Idempotency-Key": "notify-1"})
    assert r.status_code == 201, r.text
    again = coordinator.post("/api/notifications", json={"convoy": convoy, "contact": "ops room"},
                             headers={"Idempotency-Key": "notify-1"})
    assert again.status_code == 200 and again.json()["seq"] == r.json()["seq"]
    listed = client.as_role(Role.ANALYST).get("/api/notifications/issued").json()
    assert [n["convoy"] for n in listed] == [convoy] and listed[0]["issued_by"] == "coordinator"
    assert client.as_role(Role.ANALYST).post("/api/notifications", json={"convoy": convoy}).status_code == 403
    past = coordinator.post("/api/notifications", json={"date": "2016-12-01"})
    assert past.status_code == 409 and past.json()["field"] == "date"
    assert len(coordinator.get("/api/notifications/issued").json()) == 1


def test_issuing_on_the_command_line(planned, tmp_path, database_templates, monkeypatch):
    import base64

    from tests.road.test_road_cli import _db

    if database_templates.key is not None:
        monkeypatch.setenv("CORRIDOR_KEY", base64.b64encode(database_templates.key).decode())
    rt, p = planned
    convoy, db = p["trips"][0]["convoy"], _db(rt)
    pdf = tmp_path / "sent.pdf"
    at = ("--at", START.isoformat())  # issued at the operation's start (the command line's clock is the real one)
    r = run("notify", "--convoy", convoy, "--contact", "ops room", "--issue", "--pdf", "--out", str(pdf), *at,
            "--db", db)
    assert "notification issued" in r.stdout and pdf.read_bytes()[:5] == b"%PDF-"
    listed = run("notified", "--db", db).stdout
    assert f"convoy {convoy}" in listed and "SHORT" in listed
    r = run("notify", "--date", "2016-12-01", "--issue", *at, "--db", db, code=1)
    assert r.stderr.strip().splitlines() == ["refused: date: 2016-12-01 is past (today is 2016-12-15, UTC); a "
                                             "notification is for movements ahead"]
    assert len(notifications.issued(rt)) == 1
