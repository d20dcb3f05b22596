"""What is an alarm, how pressing, and how it is said (in both languages), from plain figures."""

from datetime import datetime, timedelta, timezone

from corridor.domain import alarms as rules
from corridor.domain.alarms import Thresholds

NOW = datetime(2016, 12, 15, 12, 0, tzinfo=timezone.utc)


def test_missed_deadlines_by_precedence_with_how_late_and_whether_any_plan_could_meet_them():
    missed = [{"precedence": "urgent", "persons": ["P1", "P2"], "late_minutes": 55, "unavoidable": True},
              {"precedence": "urgent", "persons": ["P3"], "late_minutes": 115, "unavoidable": False},
              {"precedence": "priority", "persons": ["P4"], "late_minutes": 20, "unavoidable": False},
              {"precedence": "routine", "persons": ["P5"], "late_minutes": 300, "unavoidable": False}]
    urgent, priority = rules.missed_deadlines(missed)
    assert (urgent.level, urgent.count, urgent.figures["late_minutes"], urgent.figures["unavoidable"]) == \
        ("urgent", 3, 115, 2)
    assert (priority.level, priority.count) == ("warning", 1)
    assert "3 urgent medical case(s) will miss their deadline, by up to 115 min (2 of them" in urgent.say("en")
    assert "عاجلة" in urgent.say("ar") and "115" in urgent.say("ar")
    assert "P1" not in urgent.say("en") + urgent.say("ar")  # counts, never tokens


def test_cases_past_their_deadline_stay_late_until_they_arrive_even_when_a_later_plan_leaves_them_out():
    registered = NOW - timedelta(hours=3)
    rows = [("P1", "urgent", "T1", "in_transit", registered),  # 1 h deadline: 120 min late, on the road
            ("P2", "priority", None, "waiting", registered),  # 4 h deadline: not late yet
            ("P3", "urgent", None, "waiting", registered)]  # already in the plan's own missed list
    (late,) = rules.past_deadline(rows, NOW, planned_late={"P3"})
    assert (late["persons"], late["precedence"], late["late_minutes"], late["unavoidable"]) == \
        (["P1"], "urgent", 120, False)
    assert rules.past_deadline(rows, NOW - timedelta(hours=2, minutes=30), planned_late=set()) == []


def test_held_at_each_checkpoint_the_longest_first_with_hours():
    found = rules.held_at_checkpoints([("CP-2", 1, NOW - timedelta(hours=1)), ("CP-1", 3, NOW - timedelta(hours=16))],
                                      NOW)
    assert [(a.figures["site"], a.count, a.figures["hours"]) for a in found] == [("CP-1", 3, "16.0"), ("CP-2", 1, "1.0")]
    assert found[0].say("en") == "3 person(s) held at CP-1, the longest for 16.0 h"
    # the site's code set apart (first-strong isolate) so the Arabic around it keeps its order
    assert found[0].say("ar") == "أشخاص محتجزون عند \u2068CP-1\u2069: 3، أطولهم منذ 16.0 ساعة"


def test_aboard_past_the_threshold_only_and_the_threshold_can_be_set():
    rows = [("T1", 40, NOW - timedelta(hours=7)), ("T2", 30, NOW - timedelta(hours=2))]
    (alarm,) = rules.aboard_long(rows, NOW, Thresholds())
    assert (alarm.count, alarm.figures["trips"], alarm.figures["trip_ids"], alarm.figures["hours"]) == (40, 1, ["T1"], "7.0")
    assert "more than 6 h" in alarm.say("en")
    assert rules.aboard_long(rows, NOW, Thresholds(aboard_hours=1))[0].count == 70
    assert rules.aboard_long(rows, NOW, Thresholds(aboard_hours=8)) == []


def test_reception_centres_near_and_past_capacity():
    found = rules.near_capacity([("RC-1", 450, 500), ("RC-2", 100, 500), ("RC-3", 520, 500), ("RC-4", 9, None)],
                                Thresholds())
    assert [(a.figures["site"], a.level, a.figures["percent"]) for a in found] == \
        [("RC-1", "warning", 90), ("RC-3", "urgent", 104)]


def test_overdue_trips_against_the_plan_and_no_departure_alarm_while_halted():
    rows = [("T1", "departed", NOW - timedelta(hours=3), NOW - timedelta(minutes=45)),
            ("T2", "planned", NOW - timedelta(minutes=90), NOW + timedelta(hours=1)),
            ("T3", "planned", NOW - timedelta(minutes=10), NOW + timedelta(hours=1))]
    road, waiting = rules.overdue_trips(rows, NOW, Thresholds(), halted=False)
    assert (road.kind, road.count, road.figures["minutes"]) == ("overdue_arrival", 1, 45)
    assert (waiting.kind, waiting.count, waiting.figures["minutes"]) == ("overdue_departure", 1, 90)
    assert [a.kind for a in rules.overdue_trips(rows, NOW, Thresholds(), halted=True)] == ["overdue_arrival"]


def test_persons_being_scanned_in_are_counted_apart_from_real_differences():
    real, awaiting = rules.differences(awaiting=300, awaiting_trips=6, real=4)
    assert (real.kind, real.count, real.level) == ("differences", 4, "warning")
    assert (awaiting.kind, awaiting.count, awaiting.level) == ("awaiting_scan_in", 300, "notice")
    assert "not a difference yet" in awaiting.say("en")
    assert rules.differences(0, 0, 0) == []


def test_most_pressing_first_and_every_kind_said_in_both_languages():
    found = rules.ordered(rules.differences(5, 1, 2) + rules.held_at_checkpoints([("CP-1", 1, NOW)], NOW))
    assert [a.level for a in found] == ["urgent", "warning", "notice"]
    assert set(rules._WORDS) >= {"missed_deadline", "held", "aboard_long", "near_capacity", "overdue_departure",
                                 "overdue_arrival", "awaiting_scan_in", "differences", "linked_operation"}
    for a in found:
        d = a.as_dict()
        assert d["en"] and d["ar"] and d["en"] != d["ar"]
