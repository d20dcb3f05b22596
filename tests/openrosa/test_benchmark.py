"""The OpenRosa benchmark runs end to end on a small load (its figures are for a quiet machine, not the tests):
devices at once against `corridor serve`, nothing lost, nothing doubled, every resend absorbed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "openrosa.py"


def test_a_small_run_loses_and_doubles_nothing():
    run = subprocess.run([sys.executable, str(BENCHMARK), "--submissions", "40", "--devices", "4",
                          "--resend-every", "5", "--json"], capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert {k: result[k] for k in ("submissions", "devices", "lost", "doubled", "refused")} == \
        {"submissions": 40, "devices": 4, "lost": 0, "doubled": 0, "refused": 0}
    assert result["absorbed"] == result["resent"] == 8 and result["ledger_verified"] is True
    assert result["seconds"] > 0
