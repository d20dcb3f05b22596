"""Missed medical deadlines are shown where a coordinator looks: the plan's answer, the status, the dashboard.

In the small operation the shortest way from GP-B to a reception centre is 15 + 20 + 40 = 75 minutes:
an urgent case waiting there (deadline one hour) provably misses it."""

import pytest

from corridor.service import reports
from tests.conftest import person, register


@pytest.fixture
def urgent(op):
    """Two urgent households at GP-B (one of them also with a priority case) and a routine one at GP-A."""
    first = register(op, gathering_point="GP-B", destination="RC-1",
                     persons=[person(relationship="head", precedence="urgent", mobility="stretcher"),
                              person("فاطمة الحلبي", "Fatima al-Halabi", sex="female", relationship="spouse")])
    second = register(op, gathering_point="GP-B", destination="RC-2",
                      persons=[person(relationship="head", precedence="urgent")])
    register(op, gathering_point="GP-A", destination="RC-2", persons=[person(relationship="head", precedence="routine")])
    return first, second


def test_the_plan_answer_lists_who_misses_which_deadline_urgent_first(client, urgent):
    answer = client.post("/api/plan").json()
    missed = answer["missed_deadlines"]
    assert {m["household"] for m in missed} == {urgent[0]["token"], urgent[1]["token"]}
    assert all(m["precedence"] == "urgent" and m["late_minutes"] > 0 and m["unavoidable"] for m in missed)
    assert [m["late_minutes"] for m in missed] == sorted((m["late_minutes"] for m in missed), reverse=True)
    first = next(m for m in missed if m["household"] == urgent[0]["token"])
    assert sorted(first["persons"]) == sorted(p["token"] for p in urgent[0]["persons"])
    assert first["deadline_at"] < first["arrive_at"]
    assert answer["data"]["missed"]  # the recorded event keeps them too


def test_the_status_reads_them_from_the_latest_plan(client, op, urgent):
    assert reports.status(op)["missed_deadlines"] == []
    planned = client.post("/api/plan").json()["missed_deadlines"]
    assert client.get("/api/status").json()["missed_deadlines"] == planned


def test_the_dashboard_shows_them_without_tokens(client, urgent):
    client.post("/api/plan")
    html = client.get("/fragments/live").text
    assert 'id="missed-deadlines"' in html and 'id="fig-missed">2<' in html
    assert urgent[0]["token"] not in html and urgent[0]["persons"][0]["token"] not in html
    assert "عاجل" in client.get("/fragments/live?lang=ar").text


def test_no_panel_when_every_deadline_is_met(client, op):
    register(op, gathering_point="GP-A", destination="RC-2", persons=[person(relationship="head", precedence="routine")])
    client.post("/api/plan")
    assert 'id="missed-deadlines"' not in client.get("/").text


def test_the_alarm_counts_the_cases_not_the_household_members_travelling_with_them(op, urgent):
    """Two urgent cases miss their deadline; the spouse travelling with one of them is no medical case."""
    from corridor.service import alarms, planning
    from corridor.service.recording import Meta

    planning.plan(op, Meta())
    late = next(a for a in alarms.alarms(op) if a.kind == "missed_deadline")
    assert late.count == 2 and late.figures["unavoidable"] == 2
    assert late.say("en").startswith("2 urgent medical case(s)")
