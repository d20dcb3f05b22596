"""A demo is a record of December 2016 from its first event to its last: the operation's clock is then its own
time (service/opclock.py), however few persons it has. Its set-up was once recorded at the machine's clock, so a
demo small enough for the set-up to be among its newest events ran on today's date: trips ten years overdue,
medical cases missing their deadline by millions of minutes."""

from datetime import datetime, timezone

from corridor.scenarios.demo import create_demo
from corridor.scenarios.east_aleppo import START
from corridor.service import alarms, opclock
from corridor.store import queries as q


def test_a_small_demo_runs_on_its_own_time(rt, clock):
    clock.now = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
    create_demo(rt, people=300, seed=5)
    with rt.reading() as uow:
        happened, _ = q.latest_times(uow.conn)
    assert happened == opclock.now(rt) == START  # the first plan, the latest event: at the demo's start
    minutes = [a.figures[k] for a in alarms.alarms(rt) for k in ("late_minutes", "minutes", "hours") if k in a.figures]
    assert minutes and all(m < 7 * 24 * 60 for m in minutes), minutes  # lateness of hours, not of years
