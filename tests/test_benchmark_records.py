"""Benchmark records name a committed commit (or say the tree was dirty), the seed and the machine."""

import importlib.util
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_common():
    spec = importlib.util.spec_from_file_location("benchmarks_common", BENCHMARKS / "common.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          capture_output=True, text=True, check=True).stdout.strip()


def test_the_commit_is_the_head_and_says_when_the_tree_differs(tmp_path):
    common = load_common()
    assert common.source_commit(tmp_path) == "unknown"
    git(tmp_path, "init", "-q")
    (tmp_path / "a.py").write_text("x = 1\n")
    git(tmp_path, "add", "a.py")
    git(tmp_path, "commit", "-qm", "one")
    head = git(tmp_path, "rev-parse", "--short", "HEAD")
    assert common.source_commit(tmp_path) == head
    (tmp_path / "a.py").write_text("x = 2\n")
    assert common.source_commit(tmp_path) == f"{head}-dirty"
    git(tmp_path, "checkout", "-q", "a.py")
    (tmp_path / "b.py").write_text("new = True\n")
    assert common.source_commit(tmp_path) == f"{head}-dirty"


def test_the_header_names_date_commit_seed_and_machine():
    common = load_common()
    header = common.record_header(seed=2016)
    assert set(header) == {"date", "commit", "seed", "machine"} and header["seed"] == 2016
    assert set(header["machine"]) == {"cpu", "cores", "cores_usable", "memory_gib", "python", "os"}
    assert header["machine"]["cores"] >= header["machine"]["cores_usable"] >= 1 and header["machine"]["cpu"]
    line = common.header_line(header, "spine")
    assert line.startswith("spine — ") and header["commit"] in line and "seed 2016" in line


def test_the_spine_benchmark_still_starts():
    """Its imports resolve (common.py, corridor); running it is for a quiet machine, not for the tests."""
    run = subprocess.run([sys.executable, str(BENCHMARKS / "spine.py"), "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--seed" in run.stdout, run.stderr


def test_the_desk_benchmark_still_starts():
    run = subprocess.run([sys.executable, str(BENCHMARKS / "desk.py"), "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--desks" in run.stdout, run.stderr


def test_the_calibration_study_still_starts():
    """Its imports resolve (duplicates.py beside it, corridor); running it takes minutes."""
    run = subprocess.run([sys.executable, str(BENCHMARKS / "calibration_study.py"), "--help"], capture_output=True,
                         text=True)
    assert run.returncode == 0 and "trained model" in run.stdout, run.stderr


def test_the_dashboard_benchmark_still_starts():
    run = subprocess.run([sys.executable, str(BENCHMARKS / "dashboard.py"), "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "--viewers" in run.stdout, run.stderr


def load_registry_em():
    spec = importlib.util.spec_from_file_location("benchmarks_registry_em", BENCHMARKS / "registry_em.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_registry_em_study_still_starts():
    run = subprocess.run([sys.executable, str(BENCHMARKS / "registry_em.py"), "--help"], capture_output=True,
                         text=True)
    assert run.returncode == 0 and "--ref-seed" in run.stdout, run.stderr


def test_the_registry_em_corrects_nothing_where_the_rates_are_the_reference_and_raises_what_is_more_common():
    import numpy as np

    em = load_registry_em()
    evidence = {"names": {"script": "arabic", "alignment": "family name first",
                          "parts": [{"part": "given", "level": "agree"},
                                    {"part": "family", "level": "close (a rare spelling of a common name)"},
                                    {"part": "grandfather", "level": "missing"}]},
                "birth_year": {"level": "missing"}, "household": {"same": False, "scored": False}}
    shown = {k for k, v in zip(em.IRREGULARITIES, em.irregularities(evidence)) if v}
    assert shown == {"lineage slip", "grandfather missing", "family name first", "year missing", "one script"}
    odds = np.array([6.0, 5.0, -4.0, -6.0, 3.0, -3.0])
    x = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 1], [0, 0]], float)
    ref = em.shares(odds, x)
    same, *_ = em.em(odds, x, ref, clip=3.0, absent=True)
    assert np.allclose(same, odds)
    # the first irregularity shown by duplicates half as often in the reference: pairs showing it gain
    raised, m, u, on, off = em.em(odds, x, (ref[0] * np.array([0.5, 1.0]), ref[1]), clip=3.0, absent=False)
    assert on[0] > 0 and raised[0] > odds[0] and raised[1] == odds[1] + on[1]
