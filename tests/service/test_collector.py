"""A large batch pauses Python's cycle collector while it is recorded (service/recording.collector_paused): it is
running again afterwards, also when the batch is refused, and left as it was when someone else had paused it."""

from __future__ import annotations

import gc

import pytest

from corridor.service.recording import collector_paused


def test_the_collector_runs_again_after_a_large_batch_even_a_refused_one():
    assert gc.isenabled()
    with collector_paused(True):
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collector_paused(True):
            raise ValueError("refused")
    assert gc.isenabled()


def test_a_small_batch_leaves_it_alone_and_a_paused_collector_stays_paused():
    with collector_paused(False):
        assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused(True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
