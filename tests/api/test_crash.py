"""The short crash test: a real server on 127.0.0.1 under concurrent boarding scanners, killed with SIGKILL at
random moments (one kill during the resends) and started again, every unanswered scan resent with its key.
Every acknowledged scan is in the ledger exactly once, each acknowledged one resent is answered as a replay of its
event, and `corridor verify` passes. The long run is `benchmarks/crash.py` (20 kills, 50 scanners)."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_crash():
    sys.path.insert(0, str(BENCHMARKS))  # crash.py takes the spine benchmark's server and set-up
    try:
        spec = importlib.util.spec_from_file_location("benchmarks_crash", BENCHMARKS / "crash.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.mark.e2e
@pytest.mark.slow
def test_killed_servers_lose_no_acknowledged_scan_and_double_none():
    result = load_crash().run(kills=3, scanners=8, people=300, seed=13)
    assert result["kills"] == 3 and result["restarts"] == 3
    assert result["acknowledged"] == result["scans"] == result["replays_checked"]
    assert (result["lost"], result["doubled"], result["missing"], result["bad_answers"]) == (0, 0, 0, 0), \
        result["findings"]
    assert result["verify_exit"] == 0 and result["ok"]
