"""The server's full collections wait for a quiet moment (the write queue empty, no command recorded for a second),
collect what earlier moments froze as well every ten minutes, and come at least once a minute under a load that
never pauses."""

from __future__ import annotations

import gc
import weakref

import pytest

from corridor.cli import collecting
from corridor.cli.collecting import QuietCollector


class Cycle:
    def __init__(self):
        self.me = self


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def frozen_restored():
    yield
    gc.unfreeze()  # the test process's objects go back to the collector


def test_a_full_collection_waits_until_nothing_was_recorded_for_a_while(frozen_restored):
    recorded, queued, clock = [0], [0], Clock()
    collector = QuietCollector(lambda: recorded[0], lambda: queued[0], clock)
    assert collector.turn() is None  # nothing recorded yet: nothing to do
    recorded[0] = 25
    clock.now += collecting.QUIET_S / 2
    assert collector.turn() is None  # scans are coming in
    clock.now += collecting.QUIET_S / 2
    assert collector.turn() is None  # the last one was just now
    clock.now += collecting.QUIET_S
    assert collector.turn() == "quiet"
    clock.now += collecting.QUIET_S * 3
    assert collector.turn() is None  # nothing recorded since: no second collection
    assert collector.full_collections == 1


def test_a_long_decision_is_no_quiet_moment(frozen_restored):
    recorded, queued, clock = [0], [0], Clock()
    collector = QuietCollector(lambda: recorded[0], lambda: queued[0], clock)
    recorded[0], queued[0] = 1000, 1  # a batch of households being decided for a while
    for _ in range(8):
        clock.now += collecting.QUIET_S
        assert collector.turn() is None
    queued[0], recorded[0] = 0, 2000
    collector.turn()
    clock.now += collecting.QUIET_S
    assert collector.turn() == "quiet"


def test_cycles_that_were_frozen_are_collected_at_a_quiet_moment_every_ten_minutes(frozen_restored):
    cycle = Cycle()
    gone = weakref.ref(cycle)
    gc.freeze()  # as start-up, or an earlier quiet moment, froze it
    del cycle
    gc.collect()
    assert gone() is not None  # frozen: a collection does not look at it
    recorded, queued, clock = [0], [0], Clock()
    collector = QuietCollector(lambda: recorded[0], lambda: queued[0], clock)
    for minutes in range(0, 12, 2):  # a burst of scans every two minutes, then quiet
        recorded[0] += 1
        collector.turn()
        clock.now = 100 + minutes * 60 + collecting.QUIET_S
        assert collector.turn() == "quiet"
        assert (gone() is None) == (minutes >= 10), f"after {minutes} min"


def test_under_a_load_that_never_pauses_a_full_collection_is_still_made(frozen_restored):
    recorded, queued, clock = [0], [0], Clock()
    collector = QuietCollector(lambda: recorded[0], lambda: queued[0], clock)
    done = []
    while clock.now < 100 + collecting.AT_LEAST_EVERY_S * 2.5:
        recorded[0] += 10
        clock.now += collecting.TURN_S
        done.append(collector.turn())
    assert done.count("due") == 2 and "quiet" not in done


def test_the_collector_makes_no_full_collection_of_its_own_in_a_server():
    before = gc.get_threshold()
    try:
        QuietCollector(lambda: 0, lambda: 0)._collector_off()
        young, middle, full = gc.get_threshold()
        assert (young, middle) == before[:2] and full >= 1 << 30
    finally:
        gc.set_threshold(*before)
