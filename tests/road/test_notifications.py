"""Movement notifications (issue 11): per convoy or per day, no names, waypoints with coordinates, every vehicle, a
warning when the notice is short; a past date refused with the field named; the PDF in English and Arabic."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from corridor.domain.errors import BadInput, NotFound
from corridor.service import notifications, road
from corridor.service.recording import Meta
from tests.conftest import START, register
from tests.helpers import nothing_changes, plan


@pytest.fixture
def planned(op):
    a = register(op)
    b = register(op, gathering_point="GP-B")
    p = plan(op)
    return op, a, b, p


def test_a_convoy_notification_lists_route_vehicles_and_counts_without_names(planned):
    rt, a, b, p = planned
    trip = p["trips"][0]
    road.join_private_vehicle(rt, Meta(), convoy=trip["convoy"], plate="AL-1", kind="car", seats=4, driver="Abu Ali",
                              unregistered=3)
    d = notifications.notification(rt, convoy=trip["convoy"], contact="Amal, +963 000 000", organisation="SARC")
    assert d["organisation"] == "SARC" and d["convoys"] == [trip["convoy"]]
    waypoints = d["routes"][0]["waypoints"]
    assert waypoints[0]["code"] == trip["origin"] and all(w["lat"] and w["lon"] for w in waypoints)
    assert [w["code"] for w in waypoints] == trip["route"]
    private = next(v for v in d["vehicles"] if v["private"])
    assert private["persons"] == 3 and private["staff"] == 0 and private["plate"] == "AL-1"
    fleet = next(v for v in d["vehicles"] if not v["private"])
    assert fleet["persons"] == len(trip["persons"]) and fleet["staff"] == 1 and fleet["plate"]
    assert d["totals"]["persons"] == len(trip["persons"]) + 3
    text = str(d)
    assert "Mohammed" not in text and "محمد" not in text  # no names
    # planned to leave within the hour: far less than 48 h
    assert d["notice"]["short"] and d["notice"]["required_hours"] == 48 and d["warnings"][0].startswith("short notice")


def test_a_days_notification_and_the_emergency_notice(planned, clock):
    rt, a, b, p = planned
    day = p["trips"][0]["depart_at"][:10]
    d = notifications.notification(rt, date=day, emergency=True, contact="ops room")
    assert d["totals"]["vehicles"] == len(p["trips"]) and d["notice"]["required_hours"] == 24
    assert len(d["convoys"]) == len({t["convoy"] for t in p["trips"]})


def test_enough_notice_gives_no_warning(op, clock):
    clock.now = START - timedelta(days=3)  # registered and planned three days before the operation starts
    register(op)
    p = plan(op)
    d = notifications.notification(op, convoy=p["trips"][0]["convoy"], contact="ops room")
    assert not d["notice"]["short"] and d["warnings"] == [] and d["notice"]["lead_hours"] >= 48


@pytest.mark.parametrize("args, field, error", [
    (dict(date="2016-12-14"), "date", BadInput),
    (dict(date="yesterday"), "date", BadInput),
    (dict(date="2016-12-20"), "date", NotFound),
    (dict(convoy="C9-9"), "convoy", NotFound),
    (dict(), "convoy", BadInput),
    (dict(convoy="C1-1", date="2016-12-15"), "convoy", BadInput),
    (dict(convoy="C1-1", staff=-1), "staff", BadInput),
])
def test_bad_notifications_are_refused(planned, args, field, error):
    rt = planned[0]
    with nothing_changes(rt), pytest.raises(error) as e:
        notifications.notification(rt, **args)
    assert e.value.field == field


def test_a_convoy_of_a_past_day_is_refused(planned, clock):
    rt, a, b, p = planned
    clock.now = START + timedelta(days=2)
    with pytest.raises(BadInput) as e:
        notifications.notification(rt, convoy=p["trips"][0]["convoy"])
    assert e.value.field == "convoy" and "past" in e.value.detail


def test_the_notification_pdf_and_http(client, tmp_path):
    rt = client.app.state.runtime
    register(rt)
    p = plan(rt)
    convoy = p["trips"][0]["convoy"]
    assert client.get("/api/notifications", params={"convoy": convoy}).json()["convoys"] == [convoy]
    r = client.get("/api/notifications.pdf", params={"convoy": convoy, "contact": "ops room"})
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    path = tmp_path / "n.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Humanitarian movement notification" in text and "WARNING: short notice" in text
    past = client.get("/api/notifications", params={"date": "2016-12-01"})
    assert past.status_code == 409 and past.json()["field"] == "date"  # well formed; the clock refuses it now
    both = client.get("/api/notifications", params={"date": "2016-12-20", "convoy": convoy})
    assert both.status_code == 422 and both.json()["field"] == "convoy"  # exactly one of convoy and date


@pytest.mark.parametrize("emergency", [False, True])
def test_the_arabic_short_notice_warning_gives_the_same_figures_as_the_english(planned, emergency):
    from corridor.formats.papers.notification import paper
    from corridor.formats.shaping import arabic_digits, decimal

    rt, a, b, p = planned
    d = notifications.notification(rt, convoy=p["trips"][0]["convoy"], contact="ops room", emergency=emergency)
    n = d["notice"]
    english = paper(d, "en").blocks[0].warnings[0]
    arabic = paper(d, "ar").blocks[0].warnings[0]
    lead, required = f"{n['lead_hours']:.1f}", str(n["required_hours"])
    assert f"{lead} h" in english and f"{required} h required" in english
    assert ("in an emergency" in english) == emergency
    # the same facts in Arabic, in the Eastern Arabic digits the rest of the Arabic paper uses
    assert f"{decimal(n['lead_hours'], 1, 'ar')} ساعة قبل أول انطلاق" in arabic  # '٧٫٣': the Arabic decimal separator
    assert decimal(7.25, 1, "ar") == "٧٫٢" and arabic_digits(lead).replace(".", "٫") in arabic
    assert f"المطلوب {arabic_digits(required)} ساعة" in arabic
    assert ("حالة طارئة" in arabic) == emergency
    assert not any(c in "0123456789" for c in arabic)
